//! Cerfa criterion 23: personal data page and no tracker before consent. Verdict, messages and tests.

use super::shared::{ev, m, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::Status;

/// ## Ce que le critère vérifie
/// Une page « Données personnelles » liée (pied de page ou lien repéré), et aucun traceur tiers connu
/// (`criteria/traceurs.toml`) chargé dès l'arrivée, avant tout consentement.
/// ## Pourquoi
/// Le RGPD impose d'informer l'usager et de recueillir son consentement avant de le suivre.
/// ## Exemple rempli
/// Un lien « Données personnelles » et aucun script de mesure tiers chargé d'emblée.
/// ## Exemple non rempli
/// `<script src="https://www.googletagmanager.com/gtag/js">` dans la page d'accueil.
/// ## Références
/// Cerfa numérique, critère 23 (principe 6) · RGPD · données : `criteria/traceurs.toml` · extraction : `cerfa::footer`, `cerfa::misc`
pub(crate) struct PersonalData;

impl CerfaCriterion for PersonalData {
    fn number(&self) -> u8 {
        23
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        let mut evidence = Vec::new();
        let mut page_link = None;
        for p in ctx.pages {
            let from_footer = p
                .evidence
                .footer
                .as_ref()
                .and_then(|f| f.link("donnees_personnelles"));
            let from_links = p
                .evidence
                .misc
                .keyword_links
                .iter()
                .find(|k| k.kind == "donnees_personnelles")
                .map(|k| &k.link);
            if let Some(l) = from_footer.or(from_links) {
                page_link = Some((p.url, l.clone()));
                break;
            }
        }
        if let Some((u, l)) = &page_link {
            evidence.push(ev(
                Some(u),
                Some(&l.selector),
                format!("page données personnelles « {} » → {}", l.text, l.href),
            ));
        }
        let mut trackers = Vec::new();
        for p in ctx.pages {
            for t in &p.evidence.misc.trackers {
                evidence.push(ev(
                    Some(p.url),
                    None,
                    format!("traceur tiers chargé sans consentement : {t}"),
                ));
                if !trackers.contains(t) {
                    trackers.push(t.clone());
                }
            }
        }
        if !trackers.is_empty() {
            m(
                Status::NotMet,
                format!(
                    "Traceurs tiers chargés dès l'arrivée : {}.",
                    trackers.join(", ")
                ),
                evidence,
            )
        } else if page_link.is_none() {
            m(
                Status::NotMet,
                "Aucune page « Données personnelles » trouvée.",
                evidence,
            )
        } else {
            m(Status::Met, "Page « Données personnelles » présente, aucun traceur tiers connu chargé (à confirmer).", evidence)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{link, verdict, Site, START};
    use crate::cerfa::misc::KeywordLink;
    use crate::cerfa::PageEvidence;

    fn page(privacy: bool, trackers: &[&str]) -> PageEvidence {
        let mut e = PageEvidence::default();
        if privacy {
            e.misc.keyword_links = vec![KeywordLink {
                kind: "donnees_personnelles".into(),
                link: link("Données personnelles", "https://demarche.gouv.fr/donnees"),
            }];
        }
        e.misc.trackers = trackers.iter().map(|s| s.to_string()).collect();
        e
    }

    #[test]
    fn met_with_a_privacy_page_and_no_tracker() {
        let e = verdict(
            &Site::new().with(START, page(true, &[])).measure(&PersonalData),
            Status::Met,
            "Page « Données personnelles » présente, aucun traceur tiers connu chargé (à confirmer).",
        );
        assert_eq!(
            e,
            ["page données personnelles « Données personnelles » → https://demarche.gouv.fr/donnees — https://demarche.gouv.fr/ — a"]
        );
    }

    #[test]
    fn not_met_with_a_tracker_or_without_privacy_page() {
        let e = verdict(
            &Site::new()
                .with(START, page(true, &["www.googletagmanager.com"]))
                .measure(&PersonalData),
            Status::NotMet,
            "Traceurs tiers chargés dès l'arrivée : www.googletagmanager.com.",
        );
        assert_eq!(
            e[1],
            "traceur tiers chargé sans consentement : www.googletagmanager.com — https://demarche.gouv.fr/"
        );
        verdict(
            &Site::new()
                .with(START, page(false, &[]))
                .measure(&PersonalData),
            Status::NotMet,
            "Aucune page « Données personnelles » trouvée.",
        );
    }
}
