//! Form fields have a label (RGAA 11.1; WCAG 1.3.1, 4.1.2).

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::{accessible_name, is_hidden_from_at};
use crate::page::Page;

/// ## Ce que la règle vérifie
/// Chaque champ de saisie (`input` hors boutons et champs cachés, `select`, `textarea`, rôles
/// textbox, combobox, listbox, checkbox, radio, searchbox, slider, spinbutton, switch) a un nom
/// accessible : `<label for>`, `<label>` englobant, `aria-label`, `aria-labelledby` ou `title`.
/// Un champ nommé seulement par son `placeholder` est « à vérifier » (l'indication disparaît à la
/// saisie).
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
    cerfa: &[16],
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
            if is_hidden_from_at(el) {
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
                (n, _) if n.is_empty() => r.fail(el, "Champ sans étiquette : associer un label (for/id), un aria-label ou un aria-labelledby."),
                (n, true) => r.cant_tell(el, format!("Champ nommé seulement par son placeholder « {n} » : vérifier qu'une étiquette visible existe.")),
                (n, false) => r.pass(el, format!("Étiquette : « {n} »."))
            }
        }
        r.finish("")
    }
}

/// ## Ce que la règle vérifie
/// Chaque bouton (`button`, `input` de type `submit`, `reset`, `button`, `image`,
/// `role="button"`) exposé aux technologies d'assistance a un nom accessible non vide. Un
/// `input type="submit"` ou `reset` sans `value` reçoit l'intitulé par défaut du navigateur et
/// passe.
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
    cerfa: &[16],
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
            if is_hidden_from_at(el) {
                continue;
            }
            // An explicit non-button role on a native button takes it out of scope.
            if let Some(role) = el.value().attr("role").and_then(|r| r.split_ascii_whitespace().next()) {
                if !role.eq_ignore_ascii_case("button") {
                    continue;
                }
            }
            let name = accessible_name(page, el);
            if name.is_empty() {
                r.fail(el, "Bouton sans intitulé : ajouter un texte, une valeur ou un aria-label.");
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
    cerfa: &[16],
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
                || is_hidden_from_at(el)
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
