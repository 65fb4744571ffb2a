//! Cerfa criterion 18.

use super::shared::{ev, m, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::Status;

/// ## Ce que le critère vérifie
/// Le nombre d'erreurs de balisage de la page d'accueil (approximation d'un validateur : erreurs de
/// l'analyseur HTML5, identifiants en double, éléments et attributs obsolètes, imbrications
/// interdites) est inférieur au seuil `markup_errors_max_exclusive`.
/// ## Pourquoi
/// Un code valide est mieux interprété par les navigateurs et les technologies d'assistance.
/// ## Exemple rempli
/// `<!doctype html><html lang="fr">…` sans erreur.
/// ## Exemple non rempli
/// Cinq erreurs ou plus : doctype absent, `<font>`, deux `id="x"`, `<div>` dans un `<span>`…
/// ## Références
/// Cerfa numérique, critère 18 (principe 5) · RGAA 8.2 · extraction : `cerfa::markup`
pub(crate) struct Markup;

impl CerfaCriterion for Markup {
    fn number(&self) -> u8 {
        18
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        let Some(home) = ctx.home else {
            return m(Status::Unknown, "Page d'accueil non analysée.", vec![]);
        };
        let mk = &home.evidence.markup;
        let max = crate::cerfa::data::criteria()
            .thresholds
            .markup_errors_max_exclusive;
        let mut evidence = vec![ev(
            Some(home.url),
            None,
            format!(
                "{} erreur(s) : analyse HTML {}, id en double {}, éléments obsolètes {}, attributs obsolètes {}, imbrications interdites {}",
                mk.total, mk.parse_errors, mk.duplicate_ids, mk.obsolete_elements, mk.obsolete_attributes, mk.invalid_nesting
            ),
        )];
        evidence.push(ev(
            None,
            None,
            "Comptage approché d'un validateur : erreurs de l'analyseur HTML5 (doctype absent compris ; un lien dans un lien y figure comme « Unexpected token »), chaque identifiant répété, éléments et attributs de la liste « obsolète » du standard HTML, imbrications interdites (</p> orphelin après un bloc, formulaire, bouton ou titre imbriqués, élément interactif dans un lien ou un bouton, bloc dans un élément de texte, li hors liste) ; ni les attributs inconnus ni leurs valeurs ne sont vérifiés.",
        ));
        evidence.extend(
            mk.examples
                .iter()
                .map(|e| ev(Some(home.url), None, e.clone())),
        );
        if mk.total < max {
            m(
                Status::Met,
                format!(
                    "{} erreur(s) de balisage sur l'accueil (seuil : moins de {max}).",
                    mk.total
                ),
                evidence,
            )
        } else {
            m(
                Status::NotMet,
                format!(
                    "{} erreurs de balisage sur l'accueil (seuil : moins de {max}).",
                    mk.total
                ),
                evidence,
            )
        }
    }
}
