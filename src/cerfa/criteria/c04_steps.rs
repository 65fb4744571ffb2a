//! Cerfa criterion 4.

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
