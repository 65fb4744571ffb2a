//! Cerfa criterion 18: fewer markup errors than the threshold on the home page. Verdict, messages and tests.

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
    /// Judged from what the served page declares or references, not from its content.
    fn reads_page_content(&self) -> bool {
        false
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{has, verdict, Site, START};
    use crate::cerfa::markup::Markup as MarkupCount;
    use crate::cerfa::PageEvidence;

    #[test]
    fn met_below_the_threshold() {
        let e = PageEvidence {
            markup: MarkupCount {
                parse_errors: 1,
                duplicate_ids: 1,
                total: 2,
                examples: vec!["id en double : x".into()],
                ..MarkupCount::default()
            },
            ..PageEvidence::default()
        };
        let lines = verdict(
            &Site::new().with(START, e).measure(&Markup),
            Status::Met,
            "2 erreur(s) de balisage sur l'accueil (seuil : moins de 5).",
        );
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], "2 erreur(s) : analyse HTML 1, id en double 1, éléments obsolètes 0, attributs obsolètes 0, imbrications interdites 0 — https://demarche.gouv.fr/");
        assert!(lines[1].starts_with("Comptage approché d'un validateur"));
        assert_eq!(lines[2], "id en double : x — https://demarche.gouv.fr/");
    }

    #[test]
    fn not_met_from_a_page_with_obsolete_elements() {
        let site = Site::new().home(
            "<!doctype html><html lang=fr><head><title>x</title></head><body><center><font>a</font><font>b</font><font>c</font><font>d</font></center></body></html>",
        );
        let m = site.measure(&Markup);
        assert_eq!(m.status, Status::NotMet, "{m:#?}");
        assert_eq!(
            m.summary,
            "5 erreurs de balisage sur l'accueil (seuil : moins de 5)."
        );
        let lines: Vec<String> = m.evidence.iter().map(|e| e.line()).collect();
        has(&lines, "éléments obsolètes 5");
    }
}
