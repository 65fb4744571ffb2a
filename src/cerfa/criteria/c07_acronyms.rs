//! Cerfa criterion 7: acronyms expanded at first use. Verdict, messages and tests.

use super::shared::{ev, m, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::Status;

/// ## Ce que le critère vérifie
/// Sur chaque page, les sigles en majuscules sont développés à leur première apparition (`<abbr title>`
/// ou développement entre parenthèses) ; les sigles universels de la liste `acronyms.allow` sont admis.
/// Au plus 30 exemples sont gardés en preuve.
/// ## Pourquoi
/// Un sigle non expliqué bloque l'usager qui ne connaît pas le jargon de l'administration.
/// ## Exemple rempli
/// `<p>La Caisse d'allocations familiales (CAF) verse…</p>`
/// ## Exemple non rempli
/// `<p>Contactez la CAF.</p>` sans développement.
/// ## Références
/// Cerfa numérique, critère 7 (principe 2) · RGAA 8.3 (pour `abbr`) · extraction : `cerfa::acronyms`
pub(crate) struct Acronyms;

impl CerfaCriterion for Acronyms {
    fn number(&self) -> u8 {
        7
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        let mut evidence = Vec::new();
        for p in ctx.pages {
            for a in &p.evidence.acronyms {
                if evidence.len() < 30 {
                    evidence.push(ev(
                        Some(p.url),
                        Some(&a.selector),
                        format!("{} : « {} »", a.acronym, a.context),
                    ));
                }
            }
        }
        if evidence.is_empty() {
            m(Status::Met, "Aucun sigle non développé trouvé.", vec![])
        } else {
            let n = evidence.len();
            m(
                Status::NotMet,
                format!("{n} sigle(s) utilisé(s) sans développement à leur première apparition."),
                evidence,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{verdict, Site};

    #[test]
    fn met_when_every_acronym_is_expanded() {
        let site = Site::new().home(
            "<html lang=fr><body><p>La Caisse d'allocations familiales (CAF) verse l'aide. Téléchargez le PDF.</p></body></html>",
        );
        let m = site.measure(&Acronyms);
        verdict(&m, Status::Met, "Aucun sigle non développé trouvé.");
        assert!(m.evidence.is_empty());
    }

    #[test]
    fn not_met_with_an_unexpanded_acronym() {
        let site = Site::new().home(
            "<html lang=fr><body><p>Contactez la CNAV pour votre retraite.</p></body></html>",
        );
        let m = site.measure(&Acronyms);
        verdict(
            &m,
            Status::NotMet,
            "1 sigle(s) utilisé(s) sans développement à leur première apparition.",
        );
        assert_eq!(m.evidence.len(), 1);
        assert!(
            m.evidence[0].text.starts_with("CNAV : « "),
            "{:?}",
            m.evidence
        );
        assert_eq!(
            m.evidence[0].url.as_deref(),
            Some("https://demarche.gouv.fr/")
        );
        assert!(m.evidence[0].selector.is_some());
    }
}
