//! Cerfa criterion 9: address fields labelled with autocomplete. Verdict, messages and tests.

use super::shared::{ev, m, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::Status;

/// ## Ce que le critère vérifie
/// Les champs d'adresse des formulaires visités ont une étiquette et un attribut `autocomplete`
/// d'adresse (`street-address`, `postal-code`, `address-level2`…). Sans champ d'adresse, inconnu.
/// ## Pourquoi
/// Le remplissage automatique évite les erreurs de saisie et aide les personnes handicapées.
/// ## Exemple rempli
/// `<label for="cp">Code postal</label><input id="cp" autocomplete="postal-code">`
/// ## Exemple non rempli
/// `<input name="code_postal">` sans étiquette ni `autocomplete`.
/// ## Références
/// Cerfa numérique, critère 9 (principe 5) · RGAA 11.13 · WCAG 1.3.5 · extraction : `cerfa::misc`
pub(crate) struct AddressFields;

impl CerfaCriterion for AddressFields {
    fn number(&self) -> u8 {
        9
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        let mut ok = Vec::new();
        let mut bad = Vec::new();
        for p in ctx.pages {
            for f in &p.evidence.misc.form.address_fields {
                let text = format!(
                    "champ « {} », autocomplete : {}",
                    f.label,
                    f.autocomplete.as_deref().unwrap_or("absent")
                );
                let e = ev(Some(p.url), Some(&f.selector), text);
                if f.ok {
                    ok.push(e)
                } else {
                    bad.push(e)
                }
            }
        }
        if ok.is_empty() && bad.is_empty() {
            m(
                Status::Unknown,
                "Aucun champ d'adresse sur les pages visitées.",
                vec![],
            )
        } else if bad.is_empty() {
            m(
                Status::Met,
                "Champs d'adresse étiquetés avec l'attribut autocomplete adapté.",
                ok,
            )
        } else {
            m(
                Status::NotMet,
                "Des champs d'adresse n'ont pas d'étiquette ou d'autocomplete d'adresse.",
                bad,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{verdict, Site, START};
    use crate::cerfa::misc::AddressField;
    use crate::cerfa::PageEvidence;

    fn field(label: &str, autocomplete: Option<&str>, ok: bool) -> AddressField {
        AddressField {
            selector: "#cp".into(),
            label: label.into(),
            autocomplete: autocomplete.map(str::to_string),
            ok,
        }
    }

    fn site(fields: Vec<AddressField>) -> Site {
        let mut e = PageEvidence::default();
        e.misc.form.address_fields = fields;
        Site::new().with(START, e)
    }

    #[test]
    fn met_when_address_fields_are_labelled_with_autocomplete() {
        let e = verdict(
            &site(vec![field("Code postal", Some("postal-code"), true)]).measure(&AddressFields),
            Status::Met,
            "Champs d'adresse étiquetés avec l'attribut autocomplete adapté.",
        );
        assert_eq!(
            e,
            ["champ « Code postal », autocomplete : postal-code — https://demarche.gouv.fr/ — #cp"]
        );
    }

    #[test]
    fn not_met_lists_only_the_bad_fields() {
        let e = verdict(
            &site(vec![
                field("Code postal", Some("postal-code"), true),
                field("Ville", None, false),
            ])
            .measure(&AddressFields),
            Status::NotMet,
            "Des champs d'adresse n'ont pas d'étiquette ou d'autocomplete d'adresse.",
        );
        assert_eq!(
            e,
            ["champ « Ville », autocomplete : absent — https://demarche.gouv.fr/ — #cp"]
        );
    }

    #[test]
    fn unknown_without_address_fields() {
        verdict(
            &site(vec![]).measure(&AddressFields),
            Status::Unknown,
            "Aucun champ d'adresse sur les pages visitées.",
        );
    }
}
