//! Form fields have a label (RGAA 11.1; WCAG 1.3.1, 4.1.2).

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::accname::named_only_by_label;
use crate::a11y::{accessible_name, is_hidden_from_at};
use crate::page::Page;

/// ## Ce que la règle vérifie
/// Chaque champ de saisie (`input` hors boutons et champs cachés, `select`, `textarea`, rôles
/// textbox, combobox, listbox, checkbox, radio, searchbox, slider, spinbutton, switch) a un nom
/// accessible : `<label for>`, `<label>` englobant, `aria-label`, `aria-labelledby` ou `title`.
/// Un champ nommé seulement par son `placeholder` est « à vérifier » (l'indication disparaît à la
/// saisie). Un `<label>` qui ne contient que son champ ne le nomme pas (`<label><input
/// value="Jean"></label>` : la valeur saisie n'est pas une étiquette ; ACT e086e5, navigateurs) :
/// échec. Décide la présence d'une étiquette (test 11.1.1) ; sa pertinence (11.2) et sa
/// visibilité restent à juger par un humain.
/// ## Pourquoi
/// Sans étiquette, l'utilisateur d'un lecteur d'écran ne sait pas quoi saisir.
/// ## Exemple en échec
/// `<input type="text" name="nom">`
/// ## Exemple conforme
/// `<label for="nom">Nom</label><input id="nom" type="text" name="nom">`
/// ## Références
/// RGAA 11.1.1 · WCAG 1.3.1, 4.1.2 · ACT e086e5
pub struct FormFieldLabel;

static FORM_FIELD_LABEL: RuleMeta = RuleMeta {
    id: "form-field-label",
    title: "Champ de formulaire avec étiquette",
    description: "Chaque champ de formulaire a une étiquette (nom accessible) ; un placeholder seul est à vérifier.",
    rgaa: &["11.1.1"],
    wcag: &["1.3.1", "4.1.2"],
    act: &["e086e5"],
    cerfa: &[],
};

impl Rule for FormFieldLabel {
    fn meta(&self) -> &'static RuleMeta {
        &FORM_FIELD_LABEL
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let fields = page.select(
            "input:not([type=hidden i]):not([type=submit i]):not([type=reset i]):not([type=button i]):not([type=image i]), select, textarea, \
             [role~=textbox], [role~=combobox], [role~=listbox], [role~=checkbox], [role~=radio], [role~=searchbox], [role~=slider], [role~=spinbutton], [role~=switch]",
        );
        for el in fields {
            // Disabled fields stay exposed (and read) with their name: they are checked too.
            if is_hidden_from_at(page, el) {
                continue;
            }
            // A presentational role that really applies (disabled, no global ARIA) removes
            // the field from the accessibility tree.
            if matches!(
                el.value()
                    .attr("role")
                    .map(|v| v.trim().to_ascii_lowercase())
                    .as_deref(),
                Some("none" | "presentation")
            ) && crate::a11y::presentational_role_applies(el)
            {
                continue;
            }
            let e = el.value();
            let labelled_without_placeholder = {
                let n = accessible_name(page, el);
                let only_placeholder = !n.is_empty()
                    && e.attr("placeholder")
                        .map(|p| crate::page::normalize_space(p) == n)
                        .unwrap_or(false)
                    && e.attr("title").is_none()
                    && e.attr("aria-label").is_none();
                (n, only_placeholder)
            };
            match labelled_without_placeholder {
                (n, _) if n.is_empty() && in_label(el) => r.fail(el, "Champ sans étiquette : le label qui le contient n'a pas d'autre texte que le champ (sa valeur n'est pas une étiquette) ; y écrire l'étiquette."),
                (n, _) if n.is_empty() => r.fail(el, "Champ sans étiquette : associer un label (for/id), un aria-label ou un aria-labelledby."),
                (n, true) => r.cant_tell(el, format!("Champ nommé seulement par son placeholder « {n} » : vérifier qu'une étiquette visible existe.")),
                (n, false) => r.pass(el, format!("Étiquette : « {n} »."))
            }
        }
        r.finish("")
    }
}

/// Whether the field sits inside a `<label>` (then an empty name means a label holding only
/// the field itself).
fn in_label(el: crate::page::ElementRef<'_>) -> bool {
    el.ancestors()
        .filter_map(crate::page::ElementRef::wrap)
        .any(|a| a.value().name() == "label")
}

/// ## Ce que la règle vérifie
/// Chaque bouton (`button`, `input` de type `submit`, `reset`, `button`, `image`,
/// `role="button"`) exposé aux technologies d'assistance a un nom accessible non vide. Un
/// `input type="submit"` ou `reset` sans `value` reçoit l'intitulé par défaut du navigateur et
/// passe. Le nom suit HTML-AAM et les navigateurs : pour un `input` de type bouton, les
/// `<label>` associés passent avant `value` (et `alt` pour `type="image"`). Un
/// `input type="button"` nommé seulement par un `<label>` est « à vérifier » : le glossaire RGAA
/// « Bouton » ne cite pas le `<label>` parmi les six sources d'intitulé, mais demande de retenir
/// ce que les technologies d'assistance restituent réellement. Décide la présence d'un intitulé
/// (tests 11.9.1, 7.1.1) ; un intitulé sans lettre ni chiffre (`×`, `+`, `>>`) échoue au test
/// 11.9.1, car un symbole doit être nommé par sa fonction (cas particuliers des critères 11.2
/// et 11.9) ; il est « à vérifier » si un `title` le précise. Le reste de la pertinence est
/// jugé par un humain.
/// ## Pourquoi
/// Un bouton sans intitulé est annoncé « bouton » sans que l'on sache ce qu'il fait.
/// ## Exemple en échec
/// `<button><svg aria-hidden="true">…</svg></button>`
/// ## Exemple conforme
/// `<button><svg aria-hidden="true">…</svg>Rechercher</button>`
/// ## Références
/// RGAA 11.9.1, 7.1.1 · WCAG 4.1.2 · ACT 97a4e1
pub struct ButtonName;

static BUTTON_NAME: RuleMeta = RuleMeta {
    id: "button-name",
    title: "Bouton avec intitulé",
    description:
        "Chaque bouton a un nom accessible (texte, value, alt, aria-label ou aria-labelledby).",
    rgaa: &["11.9.1", "7.1.1"],
    wcag: &["4.1.2"],
    act: &["97a4e1"],
    cerfa: &[],
};

impl Rule for ButtonName {
    fn meta(&self) -> &'static RuleMeta {
        &BUTTON_NAME
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select(
            "button, input[type=submit i], input[type=reset i], input[type=button i], input[type=image i], [role~=button]",
        ) {
            if is_hidden_from_at(page, el) {
                continue;
            }
            // An explicit non-button role takes the element out of scope (a `none` role on a
            // focusable button is ignored, so the button stays in scope).
            if crate::a11y::resolved_role(el).as_deref() != Some("button") {
                continue;
            }
            let name = accessible_name(page, el);
            if name.is_empty() {
                r.fail(el, "Bouton sans intitulé : ajouter un texte, une valeur ou un aria-label.");
            } else if crate::a11y::relevance::has_no_word(&name) {
                // RGAA 11.9 (particular cases of 11.2): a symbol is named by its function.
                let titled = el
                    .value()
                    .attr("title")
                    .is_some_and(|t| !crate::a11y::relevance::has_no_word(t) && !t.trim().is_empty());
                if titled {
                    r.cant_tell_tests(el, &["11.9.1"], format!("Intitulé « {name} » sans lettre ni chiffre, précisé seulement par le title : vérifier que la fonction du bouton est restituée."));
                } else {
                    r.fail_tests(el, &["11.9.1"], format!("Intitulé « {name} » sans lettre ni chiffre : un symbole pris littéralement n'indique pas la fonction du bouton ; le nommer par sa fonction (texte, aria-label), par exemple « Fermer »."));
                }
            } else if named_only_by_label(page, el) {
                r.cant_tell(el, format!("Bouton nommé seulement par un <label> (« {name} ») : les navigateurs le restituent, mais le glossaire RGAA « Bouton » ne compte pas le <label> ; vérifier la restitution avec les technologies d'assistance, ou donner une value."));
            } else {
                r.pass(el, format!("Intitulé du bouton : « {name} »."));
            }
        }
        r.finish("Aucun bouton dans la page.")
    }
}

/// Autofill field names of the HTML specification.
const AUTOFILL_FIELDS: &[&str] = &[
    "name",
    "honorific-prefix",
    "given-name",
    "additional-name",
    "family-name",
    "honorific-suffix",
    "nickname",
    "username",
    "new-password",
    "current-password",
    "one-time-code",
    "organization-title",
    "organization",
    "street-address",
    "address-line1",
    "address-line2",
    "address-line3",
    "address-level4",
    "address-level3",
    "address-level2",
    "address-level1",
    "country",
    "country-name",
    "postal-code",
    "cc-name",
    "cc-given-name",
    "cc-additional-name",
    "cc-family-name",
    "cc-number",
    "cc-exp",
    "cc-exp-month",
    "cc-exp-year",
    "cc-csc",
    "cc-type",
    "transaction-currency",
    "transaction-amount",
    "language",
    "bday",
    "bday-day",
    "bday-month",
    "bday-year",
    "sex",
    "url",
    "photo",
    "webauthn",
];
/// Contact field names (may be preceded by home/work/mobile/fax/pager).
const AUTOFILL_CONTACT: &[&str] = &[
    "tel",
    "tel-country-code",
    "tel-national",
    "tel-area-code",
    "tel-local",
    "tel-local-prefix",
    "tel-local-suffix",
    "tel-extension",
    "email",
    "impp",
];

/// Whether an `autocomplete` value is a valid autofill detail token list (HTML spec order:
/// optional `section-*`, optional shipping/billing, optional contact kind with a contact field,
/// the field name, optional `webauthn`), or `on`/`off`.
pub fn is_valid_autocomplete(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let tokens: Vec<&str> = lower.split_ascii_whitespace().collect();
    if tokens.len() == 1 && matches!(tokens[0], "on" | "off") {
        return true;
    }
    let mut i = 0;
    if tokens.get(i).is_some_and(|t| t.starts_with("section-")) {
        i += 1;
    }
    if tokens
        .get(i)
        .is_some_and(|t| matches!(*t, "shipping" | "billing"))
    {
        i += 1;
    }
    let contact_kind = tokens
        .get(i)
        .is_some_and(|t| matches!(*t, "home" | "work" | "mobile" | "fax" | "pager"));
    if contact_kind {
        i += 1;
    }
    let Some(field) = tokens.get(i) else {
        return false;
    };
    let field_ok = AUTOFILL_CONTACT.contains(field)
        || (!contact_kind && AUTOFILL_FIELDS.contains(field) && *field != "webauthn");
    if !field_ok {
        return false;
    }
    i += 1;
    if tokens.get(i) == Some(&"webauthn") {
        i += 1;
    }
    i == tokens.len()
}

/// ## Ce que la règle vérifie
/// Chaque attribut `autocomplete` non vide d'un champ de saisie visible (`input` hors
/// `hidden`, boutons, cases et boutons radio ; `select` ; `textarea`) est une valeur de
/// remplissage automatique valide de HTML (`email`, `given-name`, `postal-code`,
/// `shipping street-address`, `on`, `off`…).
/// ## Pourquoi
/// Une valeur valide permet au navigateur et aux aides techniques de reconnaître la finalité du
/// champ et de le remplir automatiquement ; une valeur inventée est ignorée.
/// ## Exemple en échec
/// `<input autocomplete="courriel">`
/// ## Exemple conforme
/// `<input type="email" autocomplete="email">`
/// ## Références
/// RGAA 11.13.1 · WCAG 1.3.5 · ACT 73f2c2
pub struct AutocompleteValid;

static AUTOCOMPLETE_VALID: RuleMeta = RuleMeta {
    id: "autocomplete-valid",
    title: "Valeur autocomplete valide",
    description: "L'attribut autocomplete d'un champ porte une valeur de remplissage automatique définie par HTML.",
    rgaa: &["11.13.1"],
    wcag: &["1.3.5"],
    act: &["73f2c2"],
    cerfa: &[],
};

impl Rule for AutocompleteValid {
    fn meta(&self) -> &'static RuleMeta {
        &AUTOCOMPLETE_VALID
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("input[autocomplete], select[autocomplete], textarea[autocomplete]") {
            let e = el.value();
            let ty = e.attr("type").unwrap_or("text").trim().to_ascii_lowercase();
            if e.name() == "input"
                && matches!(
                    ty.as_str(),
                    "hidden"
                        | "button"
                        | "submit"
                        | "reset"
                        | "image"
                        | "checkbox"
                        | "radio"
                        | "file"
                )
            {
                continue;
            }
            let value = e.attr("autocomplete").unwrap_or("").trim();
            if value.is_empty()
                || is_hidden_from_at(page, el)
                || e.attr("disabled").is_some()
                || e.attr("aria-disabled").is_some_and(|v| v.trim() == "true")
            {
                continue;
            }
            if is_valid_autocomplete(value) {
                r.pass(el, format!("autocomplete=\"{value}\" valide."));
            } else {
                r.fail(
                    el,
                    format!("autocomplete=\"{value}\" n'est pas une valeur de remplissage automatique HTML."),
                );
            }
        }
        r.finish("Aucun champ avec un attribut autocomplete.")
    }
}

/// Words that mark a field as required in its label or description.
const REQUIRED_MARKERS: &[&str] = &["obligatoire", "requis", "required", "*"];

/// ## Ce que la règle vérifie
/// Chaque champ obligatoire (`required` ou `aria-required="true"`) a une indication de son
/// caractère obligatoire dans son étiquette, sa description (`aria-describedby`) ou la légende de
/// son groupe (« obligatoire », « requis », `*`). Une astérisque est acceptée si la page explique
/// ce qu'elle signifie (mention « obligatoire »). Sinon le champ est « à vérifier » : une mention
/// générale en tête de formulaire peut suffire.
/// ## Pourquoi
/// Sans indication visible, l'utilisateur découvre le caractère obligatoire par un message
/// d'erreur, et `required` seul n'est pas visible.
/// ## Exemple en échec
/// `<label for="n">Nom</label><input id="n" required>`
/// ## Exemple conforme
/// `<label for="n">Nom (obligatoire)</label><input id="n" required>`
/// ## Références
/// RGAA 11.10.1 · WCAG 3.3.2
pub struct RequiredFieldIndicated;

static REQUIRED_FIELD_INDICATED: RuleMeta = RuleMeta {
    id: "required-field-indicated",
    title: "Champs obligatoires signalés",
    description: "Un champ obligatoire est signalé dans son étiquette, sa description ou sa légende ; sinon il est à vérifier.",
    rgaa: &["11.10.1"],
    wcag: &["3.3.2"],
    act: &[],
    cerfa: &[],
};

/// Text of the elements referenced by `aria-describedby`.
fn description_of(page: &Page, el: crate::page::ElementRef<'_>) -> String {
    el.value()
        .attr("aria-describedby")
        .map(|ids| {
            ids.split_ascii_whitespace()
                .filter_map(|id| page.element_by_id(id))
                .map(|d| crate::page::text_of(d))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

impl Rule for RequiredFieldIndicated {
    fn meta(&self) -> &'static RuleMeta {
        &REQUIRED_FIELD_INDICATED
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let body_lower = page.body_text().to_lowercase();
        let star_explained = body_lower.contains("obligatoire") || body_lower.contains("requis");
        for el in page
            .select("input[required], select[required], textarea[required], [aria-required=true i]")
        {
            if is_hidden_from_at(page, el) || el.value().attr("disabled").is_some() {
                continue;
            }
            let legend = el
                .ancestors()
                .filter_map(crate::page::ElementRef::wrap)
                .find(|a| a.value().name() == "fieldset")
                .and_then(|f| {
                    f.children()
                        .filter_map(crate::page::ElementRef::wrap)
                        .find(|c| c.value().name() == "legend")
                })
                .map(crate::page::text_of)
                .unwrap_or_default();
            let text = format!(
                "{} {} {}",
                accessible_name(page, el),
                description_of(page, el),
                legend
            )
            .to_lowercase();
            let marker = REQUIRED_MARKERS.iter().find(|m| text.contains(*m));
            match marker {
                Some(&"*") if !star_explained => r.cant_tell(
                    el,
                    "Champ obligatoire signalé par une astérisque sans explication dans la page : vérifier que sa signification est donnée.",
                ),
                Some(m) => r.pass(el, format!("Caractère obligatoire indiqué (« {m} »).")),
                None => r.cant_tell(
                    el,
                    "Champ obligatoire sans mention dans son étiquette ni sa description : vérifier qu'une indication visible existe.",
                ),
            }
        }
        r.finish("Aucun champ obligatoire déclaré.")
    }
}

/// Hints of personal-data fields: words in the label, name or id, and the expected token.
const PERSONAL_HINTS: &[(&[&str], &str)] = &[
    (&["courriel", "e-mail", "email", "mail"], "email"),
    (
        &["téléphone", "telephone", "phone", "portable", "mobile"],
        "tel",
    ),
    (
        &["prénom", "prenom", "firstname", "first-name", "given"],
        "given-name",
    ),
    (
        &[
            "nom de famille",
            "nom de naissance",
            "lastname",
            "last-name",
            "family",
            "nom d'usage",
        ],
        "family-name",
    ),
    (&["code postal", "postal", "zipcode", "zip"], "postal-code"),
    (&["adresse", "address", "street"], "street-address"),
    (&["ville", "commune", "city", "town"], "address-level2"),
    (&["date de naissance", "naissance", "birth", "bday"], "bday"),
    (&["pays", "country"], "country-name"),
    (&["identifiant", "username", "login"], "username"),
];

/// The autofill token a field seems to need, from its label, name and id.
fn personal_hint(page: &Page, el: crate::page::ElementRef<'_>) -> Option<&'static str> {
    let e = el.value();
    let ty = e.attr("type").unwrap_or("text").trim().to_ascii_lowercase();
    match ty.as_str() {
        "email" => return Some("email"),
        "tel" => return Some("tel"),
        "password" => return Some("current-password"),
        _ => {}
    }
    let text = format!(
        "{} {} {}",
        accessible_name(page, el),
        e.attr("name").unwrap_or(""),
        e.attr("id").unwrap_or("")
    )
    .to_lowercase();
    // "nom" alone is a strong hint only as a whole label/name.
    if accessible_name(page, el)
        .to_lowercase()
        .trim_end_matches([' ', '*', ':'])
        == "nom"
        || matches!(e.attr("name"), Some("nom") | Some("lastname"))
    {
        return Some("family-name");
    }
    PERSONAL_HINTS
        .iter()
        .find(|(words, _)| words.iter().any(|w| text.contains(w)))
        .map(|(_, t)| *t)
}

/// ## Ce que la règle vérifie
/// Un champ qui semble recueillir une donnée personnelle de l'utilisateur (courriel, téléphone,
/// nom, prénom, adresse, code postal, ville, date de naissance, pays, identifiant, mot de passe —
/// d'après son type, son étiquette, son `name` ou son `id`) porte un attribut `autocomplete`
/// (autre que `off`). Absent : « à vérifier », car le champ peut concerner une autre personne que
/// l'utilisateur, cas où l'attribut n'est pas exigé.
/// ## Pourquoi
/// Le remplissage automatique évite de ressaisir ses données et aide les personnes ayant des
/// troubles cognitifs ou moteurs.
/// ## Exemple en échec
/// `<label for="m">Courriel</label><input id="m" type="email">`
/// ## Exemple conforme
/// `<label for="m">Courriel</label><input id="m" type="email" autocomplete="email">`
/// ## Références
/// RGAA 11.13.1 · WCAG 1.3.5
pub struct AutocompletePersonal;

static AUTOCOMPLETE_PERSONAL: RuleMeta = RuleMeta {
    id: "autocomplete-personal",
    title: "Finalité des champs de données personnelles",
    description: "Un champ de donnée personnelle (courriel, nom, adresse…) sans attribut autocomplete est à vérifier.",
    rgaa: &["11.13.1"],
    wcag: &["1.3.5"],
    act: &[],
    cerfa: &[],
};

impl Rule for AutocompletePersonal {
    fn meta(&self) -> &'static RuleMeta {
        &AUTOCOMPLETE_PERSONAL
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("input, select, textarea") {
            let e = el.value();
            let ty = e.attr("type").unwrap_or("text").trim().to_ascii_lowercase();
            if e.name() == "input"
                && matches!(
                    ty.as_str(),
                    "hidden"
                        | "button"
                        | "submit"
                        | "reset"
                        | "image"
                        | "checkbox"
                        | "radio"
                        | "file"
                        | "range"
                        | "color"
                        | "search"
                )
            {
                continue;
            }
            if is_hidden_from_at(page, el)
                || e.attr("disabled").is_some()
                || e.attr("readonly").is_some()
            {
                continue;
            }
            let Some(expected) = personal_hint(page, el) else {
                continue;
            };
            match e.attr("autocomplete").map(|v| v.trim().to_ascii_lowercase()) {
                Some(v) if !v.is_empty() && v != "off" && v != "on" => {
                    r.pass(el, format!("Finalité déclarée : autocomplete=\"{v}\"."))
                }
                _ => r.cant_tell(
                    el,
                    format!("Champ de donnée personnelle probable sans autocomplete : s'il concerne l'utilisateur, ajouter autocomplete=\"{expected}\"."),
                ),
            }
        }
        r.finish("Aucun champ de donnée personnelle repéré.")
    }
}

#[cfg(test)]
mod tests {
    use super::is_valid_autocomplete;

    #[test]
    fn autocomplete_tokens() {
        for ok in [
            "email",
            "on",
            "OFF",
            "shipping street-address",
            "section-a billing postal-code",
            "work tel",
            "username webauthn",
        ] {
            assert!(is_valid_autocomplete(ok), "{ok}");
        }
        for bad in [
            "courriel",
            "work given-name",
            "email email",
            "section-a",
            "",
            "webauthn",
        ] {
            assert!(!is_valid_autocomplete(bad), "{bad}");
        }
    }
}
