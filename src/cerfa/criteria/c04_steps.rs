//! Cerfa criterion 4: steps visible on form pages. Verdict, messages and tests.

use super::shared::{ev, m, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::{Evidence, Status};

/// ## Ce que le critère vérifie
/// Sur les pages de formulaire visitées, un indicateur d'étapes (DSFR `fr-stepper`, « Étape N sur M »),
/// et le lien de retour quand il existe. Sans page de formulaire (souvent derrière une connexion),
/// le verdict est inconnu.
/// ## Pourquoi
/// L'usager doit savoir où il en est, pouvoir revenir en arrière et relire avant d'envoyer.
/// ## Exemple rempli
/// `<p class="fr-stepper__state">Étape 2 sur 4</p>` au-dessus des champs.
/// ## Exemple non rempli
/// Un formulaire en plusieurs pages sans aucune indication d'étape.
/// ## Références
/// Cerfa numérique, critère 4 (principe 1) · DSFR, composant « Indicateur d'étapes » · extraction : `cerfa::misc`
pub(crate) struct Steps;

impl CerfaCriterion for Steps {
    fn number(&self) -> u8 {
        4
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        let forms: Vec<_> = ctx
            .pages
            .iter()
            .filter(|p| p.evidence.misc.form.fields > 0)
            .collect();
        if forms.is_empty() {
            return m(
                Status::Unknown,
                "Aucune page de formulaire visitée (formulaire derrière une connexion ?).",
                vec![],
            );
        }
        let with: Vec<Evidence> = forms
            .iter()
            .filter_map(|p| {
                p.evidence.misc.form.step_indicator.as_ref().map(|s| {
                    let back = if p.evidence.misc.form.back_link {
                        " ; lien de retour"
                    } else {
                        ""
                    };
                    ev(
                        Some(p.url),
                        None,
                        format!("indicateur d'étapes : {s}{back}"),
                    )
                })
            })
            .collect();
        if with.is_empty() {
            let evidence = forms
                .iter()
                .map(|p| ev(Some(p.url), None, "formulaire sans indicateur d'étapes"))
                .collect();
            m(
                Status::NotMet,
                "Aucun indicateur d'étapes sur les pages de formulaire.",
                evidence,
            )
        } else {
            m(
                Status::Met,
                "Indicateur d'étapes présent sur les formulaires (à confirmer).",
                with,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{verdict, Site, START};
    use crate::cerfa::PageEvidence;

    fn form(step: Option<&str>, back: bool) -> PageEvidence {
        let mut e = PageEvidence::default();
        e.misc.form.fields = 3;
        e.misc.form.step_indicator = step.map(str::to_string);
        e.misc.form.back_link = back;
        e
    }

    #[test]
    fn met_with_a_step_indicator_on_a_form_page() {
        let site = Site::new()
            .with(START, PageEvidence::default())
            .with("https://demarche.gouv.fr/etape-1", form(None, false))
            .with(
                "https://demarche.gouv.fr/etape-2",
                form(Some("Étape 2 sur 4"), true),
            );
        let e = verdict(
            &site.measure(&Steps),
            Status::Met,
            "Indicateur d'étapes présent sur les formulaires (à confirmer).",
        );
        assert_eq!(
            e,
            ["indicateur d'étapes : Étape 2 sur 4 ; lien de retour — https://demarche.gouv.fr/etape-2"]
        );
    }

    #[test]
    fn not_met_when_no_form_page_shows_steps() {
        let site = Site::new().with(START, form(None, true));
        let e = verdict(
            &site.measure(&Steps),
            Status::NotMet,
            "Aucun indicateur d'étapes sur les pages de formulaire.",
        );
        assert_eq!(
            e,
            ["formulaire sans indicateur d'étapes — https://demarche.gouv.fr/"]
        );
    }

    #[test]
    fn unknown_without_a_form_page() {
        let site = Site::new().with(START, PageEvidence::default());
        let m = site.measure(&Steps);
        verdict(
            &m,
            Status::Unknown,
            "Aucune page de formulaire visitée (formulaire derrière une connexion ?).",
        );
        assert!(m.evidence.is_empty());
    }
}
