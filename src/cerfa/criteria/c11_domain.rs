//! Cerfa criterion 11: an official public domain. Verdict, messages and tests.

use super::shared::{ev, m, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::Status;

/// ## Ce que le critère vérifie
/// Le nom de domaine de l'adresse de départ appartient à la liste des suffixes et domaines publics
/// (`criteria/domaines-publics.toml`).
/// ## Pourquoi
/// Un domaine officiel rassure l'usager et le protège des sites qui imitent l'administration.
/// ## Exemple rempli
/// `https://www.service-public.fr/…` (suffixe `.gouv.fr` ou domaine listé).
/// ## Exemple non rempli
/// `https://demarche-exemple.com/` : domaine absent de la liste (à confirmer).
/// ## Références
/// Cerfa numérique, critère 11 (principe 3) · données : `criteria/domaines-publics.toml`
pub(crate) struct OfficialDomain;

impl CerfaCriterion for OfficialDomain {
    fn number(&self) -> u8 {
        11
    }
    /// Judged from what the served page declares or references, not from its content.
    fn reads_page_content(&self) -> bool {
        false
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        let host = ctx.demarche.start_url.host_str().unwrap_or("");
        let e = vec![ev(
            Some(ctx.demarche.start_url.as_str()),
            None,
            format!("domaine : {host}"),
        )];
        match crate::cerfa::data::is_public_host(host) {
            Some(d) => m(Status::Met, format!("Domaine officiel ({d})."), e),
            None => m(
                Status::NotMet,
                "Domaine absent de la liste des domaines publics (à confirmer).",
                e,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{verdict, Site};

    #[test]
    fn met_on_a_gouv_fr_host() {
        let m = Site::at("https://www.demarche.gouv.fr/accueil").measure(&OfficialDomain);
        assert_eq!(m.status, Status::Met, "{m:?}");
        assert!(m.summary.starts_with("Domaine officiel ("), "{}", m.summary);
        assert_eq!(
            m.evidence[0].line(),
            "domaine : www.demarche.gouv.fr — https://www.demarche.gouv.fr/accueil"
        );
    }

    #[test]
    fn not_met_on_a_private_host() {
        let e = verdict(
            &Site::at("https://demarche-exemple.com/").measure(&OfficialDomain),
            Status::NotMet,
            "Domaine absent de la liste des domaines publics (à confirmer).",
        );
        assert_eq!(
            e,
            ["domaine : demarche-exemple.com — https://demarche-exemple.com/"]
        );
    }
}
