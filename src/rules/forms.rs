//! Form fields have a label (RGAA 11.1; WCAG 1.3.1, 4.1.2).

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::accname::named_only_by_label;
use crate::a11y::{accessible_name, is_hidden_from_at};
use crate::format::find_ignore_ascii_case;
use crate::page::Attribute;
use crate::page::{ElementRef, Page};

/// ## Ce que la règle vérifie
/// Chaque champ de saisie (`input` hors boutons et champs cachés, `select`, `textarea`, rôles
/// textbox, combobox, listbox, checkbox, radio, searchbox, slider, spinbutton, switch) a une
/// étiquette au sens du test 11.1.1 : `aria-labelledby`, `aria-label`, `<label>` associé ou
/// englobant, ou `title`. Un champ nommé seulement par son `placeholder` échoue : le test 11.1.1
/// ne compte pas le `placeholder` parmi les étiquettes (il disparaît à la saisie), même quand un
/// bouton adjacent porte une étiquette visible (il faut alors aussi un label caché, un
/// `aria-label`, un `aria-labelledby` ou un `title`). Un `<label>` qui ne contient que son champ
/// ne le nomme pas (`<label><input value="Jean"></label>` : la valeur saisie n'est pas une
/// étiquette) : échec. Une étiquette sans lettre ni chiffre (`*`, `:`, `→`) échoue au test 11.2
/// de sa source (11.2.1 `<label>`, 11.2.2 `title`, 11.2.3 `aria-label`, 11.2.4 `aria-labelledby`) :
/// elle ne dit pas la nature de la saisie. Décide la présence d'une étiquette (test 11.1.1) et ce
/// cas de pertinence ; le reste de la pertinence (11.2) et la visibilité restent à juger par un
/// humain. La règle ACT e086e5, qui accepte le
/// `placeholder` comme nom accessible, est jugée à part par `form-field-name`.
/// ## Pourquoi
/// Sans étiquette, l'utilisateur d'un lecteur d'écran ne sait pas quoi saisir.
/// ## Exemple en échec
/// `<input type="text" name="nom">` ou `<input type="search" placeholder="Rechercher">`
/// ## Exemple conforme
/// `<label for="nom">Nom</label><input id="nom" type="text" name="nom">`
/// ## Références
/// RGAA 11.1.1, 11.2.1–11.2.4 · WCAG 1.3.1, 4.1.2
pub struct FormFieldLabel;

static FORM_FIELD_LABEL: RuleMeta = RuleMeta {
    id: "form-field-label",
    title: "Champ de formulaire avec étiquette",
    description: "Chaque champ de formulaire a une étiquette (label, aria-label, aria-labelledby ou title) ; un placeholder seul n'en est pas une.",
    rgaa: &["11.1.1", "11.2.1", "11.2.2", "11.2.3", "11.2.4"],
    wcag: refs!["1.3.1", "4.1.2"],
    act: refs![],
    cerfa: &[],
};

impl Rule for FormFieldLabel {
    fn meta(&self) -> &'static RuleMeta {
        &FORM_FIELD_LABEL
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for f in exposed_fields(page) {
            match f {
                Field { name: "", el, .. } => r.fail_tests(el, &["11.1.1"], no_name_message(el)),
                Field { name, el, only_placeholder: true } => r.fail_tests(el, &["11.1.1"], format!("Champ nommé seulement par son placeholder « {name} » : le placeholder n'est pas une étiquette (test 11.1.1) ; ajouter un label, un aria-label, un aria-labelledby ou un title.")),
                Field { name, el, .. } if crate::a11y::relevance::has_no_word(name) => {
                    // RGAA 11.2 (particular cases): a symbol is named by what is expected.
                    let test = label_source_test(page, el);
                    r.fail_tests(el, &[test], format!("Étiquette « {name} » sans lettre ni chiffre : elle n'indique pas la nature de la saisie attendue ; écrire ce qu'il faut saisir."));
                }
                Field { name, el, .. } => {
                    r.pass(el, format_args!("Étiquette : « {name} »."));
                    r.with_tests(&["11.1.1"]);
                }
            }
        }
        r.finish("")
    }
}

/// ## Ce que la règle vérifie
/// Chaque champ de saisie exposé aux technologies d'assistance (mêmes champs que
/// `form-field-label`) a un nom accessible non vide, calculé comme le font les navigateurs
/// (HTML-AAM) : le `placeholder` compte. C'est la lecture de la règle ACT e086e5 ; l'étiquette
/// au sens du RGAA (test 11.1.1, qui n'accepte pas le `placeholder`) est jugée par
/// `form-field-label`, si bien que les deux verdicts restent justes chacun pour son référentiel.
/// ## Pourquoi
/// Un champ sans nom est annoncé « zone de saisie » sans que l'on sache quoi y saisir.
/// ## Exemple en échec
/// `<input type="text" name="nom">`
/// ## Exemple conforme
/// `<input type="search" placeholder="Rechercher">` (conforme pour ACT, pas pour le RGAA)
/// ## Références
/// WCAG 4.1.2 · ACT e086e5
pub struct FormFieldName;

static FORM_FIELD_NAME: RuleMeta = RuleMeta {
    id: "form-field-name",
    title: "Champ de formulaire avec nom accessible (ACT)",
    description: "Chaque champ de formulaire a un nom accessible non vide, placeholder compris (règle ACT e086e5, WCAG 4.1.2).",
    rgaa: &[],
    wcag: refs!["4.1.2"],
    act: refs!["e086e5"],
    cerfa: &[],
};

impl Rule for FormFieldName {
    fn meta(&self) -> &'static RuleMeta {
        &FORM_FIELD_NAME
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for Field { name, el, .. } in exposed_fields(page) {
            if name.is_empty() {
                r.fail(el, no_name_message(el));
            } else {
                r.pass(el, format_args!("Nom accessible : « {name} »."));
            }
        }
        r.finish("")
    }
}

/// A form field in the accessibility tree, its accessible name and whether only its
/// `placeholder` gives that name.
struct Field<'a> {
    el: ElementRef<'a>,
    name: &'a str,
    only_placeholder: bool,
}

/// The page's exposed fields, found once for the two rules that read them.
struct ExposedFields(Vec<(ego_tree::NodeId, String, bool)>);

impl crate::page::Derived for ExposedFields {
    const SLOT: crate::page::DerivedSlot = crate::page::DerivedSlot::FormFields;
}

fn exposed_fields(page: &Page) -> impl Iterator<Item = Field<'_>> + '_ {
    let fields = page.derived(|p| ExposedFields(find_exposed_fields(p)));
    fields.0.iter().filter_map(|(id, name, only_placeholder)| {
        Some(Field {
            el: ElementRef::wrap(page.dom.tree.get(*id)?)?,
            name,
            only_placeholder: *only_placeholder,
        })
    })
}

/// The exposed fields: each one's element, accessible name and whether only its placeholder
/// gives that name.
fn find_exposed_fields(page: &Page) -> Vec<(ego_tree::NodeId, String, bool)> {
    let fields = page.select(
        "input:not([type=hidden i]):not([type=submit i]):not([type=reset i]):not([type=button i]):not([type=image i]), select, textarea, \
         [role~=textbox], [role~=combobox], [role~=listbox], [role~=checkbox], [role~=radio], [role~=searchbox], [role~=slider], [role~=spinbutton], [role~=switch]",
    );
    let mut out = Vec::new();
    for el in fields {
        // Disabled fields stay exposed (and read) with their name: they are checked too.
        if is_hidden_from_at(page, el) {
            continue;
        }
        // A presentational role that really applies (disabled, no global ARIA) removes
        // the field from the accessibility tree.
        if matches!(
            el.value()
                .attribute("role")
                .map(|v| v.trim().to_ascii_lowercase())
                .as_deref(),
            Some("none" | "presentation")
        ) && crate::a11y::presentational_role_applies(el)
        {
            continue;
        }
        let e = el.value();
        let name = accessible_name(page, el);
        // Named by its placeholder only when no other source exists: the placeholder often
        // repeats the label's text (`<label for=q>Rechercher</label><input id=q
        // placeholder=Rechercher>`), and then the label names the field.
        let only_placeholder = !name.is_empty()
            && e.attribute("placeholder")
                .map(|p| *crate::page::normalize_space_cow(p) == *name)
                .unwrap_or(false)
            && e.attribute("title").is_none()
            && e.attribute("aria-label").is_none()
            && e.attribute("aria-labelledby").is_none()
            && !has_label_element(page, el);
        out.push((el.id(), name.to_string(), only_placeholder));
    }
    out
}

/// Whether a `<label>` is associated with the field: it wraps it, or its `for` names the
/// field's id, and it has text of its own (an empty label names nothing).
fn has_label_element(page: &Page, el: ElementRef<'_>) -> bool {
    let own_text = |l: ElementRef<'_>| {
        l.descendants().any(|n| {
            n.value().as_text().is_some_and(|t| !t.trim().is_empty())
                && !n.ancestors().any(|a| a.id() == el.id())
        })
    };
    wrapping_label(el).is_some_and(own_text)
        || el.value().attribute("id").is_some_and(|id| {
            page.select("label")
                .any(|l| l.value().attribute("for") == Some(id) && own_text(l))
        })
}

/// The RGAA 11.2 test that judges the source of a field's name, in the name computation's
/// order: `aria-labelledby` (11.2.4), `aria-label` (11.2.3), `<label>` (11.2.1), `title` (11.2.2).
fn label_source_test(page: &Page, el: ElementRef<'_>) -> &'static str {
    let has = |a: &str| {
        el.value()
            .attribute(a)
            .is_some_and(|v| !v.trim().is_empty())
    };
    let labelled = has_label_element(page, el);
    if has("aria-labelledby") {
        "11.2.4"
    } else if has("aria-label") {
        "11.2.3"
    } else if labelled || !has("title") {
        "11.2.1"
    } else {
        "11.2.2"
    }
}

fn no_name_message(el: ElementRef<'_>) -> &'static str {
    if wrapping_label(el).is_some() {
        "Champ sans étiquette : le label qui le contient n'a pas d'autre texte que le champ (sa valeur n'est pas une étiquette) ; y écrire l'étiquette."
    } else {
        "Champ sans étiquette : associer un label (for/id), un aria-label ou un aria-labelledby."
    }
}

/// The `<label>` the field sits in, if any (then an empty name means a label holding only the
/// field itself).
fn wrapping_label(el: ElementRef<'_>) -> Option<ElementRef<'_>> {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "label")
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
    wcag: refs!["4.1.2"],
    act: refs!["97a4e1"],
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
                    .attribute("title")
                    .is_some_and(|t| !crate::a11y::relevance::has_no_word(t) && !t.trim().is_empty());
                if titled {
                    r.cant_tell_tests(el, &["11.9.1"], format!("Intitulé « {name} » sans lettre ni chiffre, précisé seulement par le title : vérifier que la fonction du bouton est restituée."));
                } else {
                    r.fail_tests(el, &["11.9.1"], format!("Intitulé « {name} » sans lettre ni chiffre : un symbole pris littéralement n'indique pas la fonction du bouton ; le nommer par sa fonction (texte, aria-label), par exemple « Fermer »."));
                }
            } else if named_only_by_label(page, el) {
                r.cant_tell(el, format!("Bouton nommé seulement par un <label> (« {name} ») : les navigateurs le restituent, mais le glossaire RGAA « Bouton » ne compte pas le <label> ; vérifier la restitution avec les technologies d'assistance, ou donner une value."));
            } else {
                r.pass(el, format_args!("Intitulé du bouton : « {name} »."));
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
    wcag: refs!["1.3.5"],
    act: refs!["73f2c2"],
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
            let ty = e
                .attribute("type")
                .unwrap_or("text")
                .trim()
                .to_ascii_lowercase();
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
            let value = e.attribute("autocomplete").unwrap_or("").trim();
            if value.is_empty()
                || is_hidden_from_at(page, el)
                || e.attribute("disabled").is_some()
                || e.attribute("aria-disabled")
                    .is_some_and(|v| v.trim() == "true")
            {
                continue;
            }
            if is_valid_autocomplete(value) {
                r.pass(el, format_args!("autocomplete=\"{value}\" valide."));
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
    wcag: refs!["3.3.2"],
    act: refs![],
    cerfa: &[],
};

/// Text of the elements referenced by `aria-describedby`.
fn description_of(page: &Page, el: crate::page::ElementRef<'_>) -> String {
    el.value()
        .attribute("aria-describedby")
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
        // Read only when an asterisk needs explaining; the words are ASCII without a k (no
        // other character lower-cases into them), so an ASCII-case-blind search of the body
        // finds them as lower-casing it would.
        let explained = std::cell::OnceCell::new();
        let star_explained = || {
            *explained.get_or_init(|| {
                let body = page.body_text();
                find_ignore_ascii_case(body, "obligatoire").is_some()
                    || find_ignore_ascii_case(body, "requis").is_some()
            })
        };
        for el in page
            .select("input[required], select[required], textarea[required], [aria-required=true i]")
        {
            if is_hidden_from_at(page, el) || el.value().attribute("disabled").is_some() {
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
                Some(&"*") if !star_explained() => r.cant_tell(
                    el,
                    "Champ obligatoire signalé par une astérisque sans explication dans la page : vérifier que sa signification est donnée.",
                ),
                Some(m) => r.pass(el, format_args!("Caractère obligatoire indiqué (« {m} »).")),
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
    let ty = e
        .attribute("type")
        .unwrap_or("text")
        .trim()
        .to_ascii_lowercase();
    match ty.as_str() {
        "email" => return Some("email"),
        "tel" => return Some("tel"),
        "password" => return Some("current-password"),
        _ => {}
    }
    let text = format!(
        "{} {} {}",
        accessible_name(page, el),
        e.attribute("name").unwrap_or(""),
        e.attribute("id").unwrap_or("")
    )
    .to_lowercase();
    // "nom" alone is a strong hint only as a whole label/name.
    if accessible_name(page, el)
        .to_lowercase()
        .trim_end_matches([' ', '*', ':'])
        == "nom"
        || matches!(e.attribute("name"), Some("nom") | Some("lastname"))
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
    wcag: refs!["1.3.5"],
    act: refs![],
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
            let ty = e
                .attribute("type")
                .unwrap_or("text")
                .trim()
                .to_ascii_lowercase();
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
                || e.attribute("disabled").is_some()
                || e.attribute("readonly").is_some()
            {
                continue;
            }
            let Some(expected) = personal_hint(page, el) else {
                continue;
            };
            match e.attribute("autocomplete").map(|v| v.trim().to_ascii_lowercase()) {
                Some(v) if !v.is_empty() && v != "off" && v != "on" => {
                    r.pass(el, format_args!("Finalité déclarée : autocomplete=\"{v}\"."))
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
