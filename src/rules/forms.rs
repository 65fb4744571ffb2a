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
