//! Cerfa criterion 15: the accessibility declaration, linked from the footer and recevable. Verdict, messages and tests.

use super::shared::{ev, m, yes, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::Status;

/// ## Ce que le critère vérifie
/// La mention « Accessibilité : … conforme » sur l'accueil, le lien « Accessibilité » du pied de page,
/// et la déclaration elle-même, recevable ([`verdict`]) : état et taux de conformité, date de moins de
/// `declaration_max_age_years` ans, contact, schéma pluriannuel en cours, plan d'action de l'année,
/// lien depuis le pied de page de toutes les pages ; contredite si son état ne suit pas son taux ou si
/// elle se dit totalement conforme malgré des non-conformités RGAA mesurées.
/// ## Pourquoi
/// La déclaration est obligatoire (loi de 2005, article 47) ; elle dit à l'usager ce qui ne marche pas
/// et comment obtenir l'information autrement.
/// ## Exemple rempli
/// « Accessibilité : partiellement conforme » sur l'accueil, lien du pied de page vers une déclaration
/// datée de l'année, taux de 75 %, contact, schéma et plan d'action en cours.
/// ## Exemple non rempli
/// Aucun lien « Accessibilité » dans le pied de page, ou une déclaration de plus de trois ans.
/// ## Références
/// Cerfa numérique, critère 15 (principe 5) · RGAA, obligations · décret 2019-768 · extraction : `cerfa::declaration`, `cerfa::footer`
pub(crate) struct AccessibilityDeclaration;

impl CerfaCriterion for AccessibilityDeclaration {
    fn number(&self) -> u8 {
        15
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        let Some(home) = ctx.home else {
            return m(Status::Unknown, "Page d'accueil non analysée.", vec![]);
        };
        let mut evidence = Vec::new();
        let link = home
            .evidence
            .footer
            .as_ref()
            .and_then(|f| f.link("accessibilite"));
        match &home.evidence.accessibility_mention {
            Some(s) => evidence.push(ev(
                Some(home.url),
                None,
                format!("mention « Accessibilité : {} »", s.label_fr()),
            )),
            None => evidence.push(ev(
                Some(home.url),
                None,
                "mention « Accessibilité : … conforme » absente de la page d'accueil",
            )),
        }
        match link {
            Some(l) => evidence.push(ev(
                Some(home.url),
                Some(&l.selector),
                format!("lien du pied de page « {} » → {}", l.text, l.href),
            )),
            None => evidence.push(ev(
                Some(home.url),
                None,
                "aucun lien « Accessibilité » dans le pied de page",
            )),
        }
        let Some(v) = &ctx.declaration else {
            let Some(l) = link else {
                return m(
                    Status::NotMet,
                    "Aucun lien vers la déclaration d'accessibilité dans le pied de page.",
                    evidence,
                );
            };
            let crawled = ctx.pages.iter().any(|p| p.url == l.href);
            return if crawled {
                m(
                    Status::NotMet,
                    "La page « Accessibilité » ne contient pas de déclaration reconnaissable.",
                    evidence,
                )
            } else {
                m(
                    Status::Unknown,
                    "La page « Accessibilité » n'a pas été visitée.",
                    evidence,
                )
            };
        };
        let d = &v.declaration;
        evidence.push(ev(
            Some(&v.url),
            None,
            format!(
                "déclaration : {} ; taux {} ; datée du {} ; contact {} ; Défenseur des droits {} ; schéma pluriannuel {} ; plan d'action {} ; RGAA {}",
                d.status.map(|s| s.label_fr()).unwrap_or("état absent"),
                d.rate.map(|r| format!("{r} %")).unwrap_or_else(|| "absent".into()),
                d.reference_date().map(|r| r.format("%d/%m/%Y").to_string()).unwrap_or_else(|| "?".into()),
                yes(d.contact),
                yes(d.defenseur_des_droits),
                yes(d.schema_link.is_some()),
                yes(d.action_plan_link.is_some()),
                d.rgaa_version.as_deref().unwrap_or("?")
            ),
        ));
        if let Some(c) = &v.contradiction {
            evidence.push(ev(Some(&v.url), None, format!("contradiction : {c}")));
        }
        let mut problems = v.reasons.clone();
        if link.is_none() {
            problems.push("pas de lien « Accessibilité » dans le pied de page de l'accueil".into());
        }
        if home.evidence.accessibility_mention.is_none() {
            problems.push("mention d'accessibilité absente de l'accueil".into());
        }
        if v.contradiction.is_some() {
            problems.push("déclaration contredite".into());
        }
        if problems.is_empty() {
            m(
                Status::Met,
                "Déclaration d'accessibilité recevable, liée depuis le pied de page.",
                evidence,
            )
        } else {
            m(
                Status::NotMet,
                format!("Déclaration non recevable : {}.", problems.join(", ")),
                evidence,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{has, link, verdict, Site, START};
    use crate::cerfa::footer::{Footer, FooterLink};
    use crate::cerfa::statement::{AccessibilityStatement, ConformityStatus};
    use crate::cerfa::PageEvidence;
    use crate::rules::Outcome;
    use chrono::NaiveDate;

    const DECL: &str = "https://demarche.gouv.fr/accessibilite";

    fn footer_with_accessibility() -> Footer {
        Footer {
            found_by: "footer".into(),
            selector: "footer".into(),
            links: vec![FooterLink {
                kind: "accessibilite".into(),
                link: link("Accessibilité", DECL),
            }],
            link_count: 1,
        }
    }

    fn home(mention: bool, footer: bool) -> PageEvidence {
        let mut e = PageEvidence::default();
        if mention {
            e.accessibility_mention = Some(ConformityStatus::Partiellement);
        }
        if footer {
            e.footer = Some(footer_with_accessibility());
        }
        e
    }

    fn declaration(established: (i32, u32, u32)) -> PageEvidence {
        PageEvidence {
            declaration: Some(AccessibilityStatement {
                status: Some(ConformityStatus::Partiellement),
                rate: Some(75.0),
                established: NaiveDate::from_ymd_opt(established.0, established.1, established.2),
                contact: true,
                defenseur_des_droits: true,
                schema_link: Some(link("Schéma", "/schema")),
                action_plan_link: Some(link("Plan 2026", "/plan")),
                rgaa_version: Some("4.1.2".into()),
                schema_start: Some(2025),
                schema_end: Some(2027),
                action_plan_year: Some(2026),
                ..AccessibilityStatement::default()
            }),
            ..PageEvidence::default()
        }
    }

    #[test]
    fn met_with_mention_footer_link_and_a_recevable_declaration() {
        let site = Site::new()
            .with(START, home(true, true))
            .with(DECL, declaration((2026, 1, 10)));
        let e = verdict(
            &site.measure(&AccessibilityDeclaration),
            Status::Met,
            "Déclaration d'accessibilité recevable, liée depuis le pied de page.",
        );
        assert_eq!(
            e,
            [
                "mention « Accessibilité : partiellement conforme » — https://demarche.gouv.fr/",
                "lien du pied de page « Accessibilité » → https://demarche.gouv.fr/accessibilite — https://demarche.gouv.fr/ — a",
                "déclaration : partiellement conforme ; taux 75 % ; datée du 10/01/2026 ; contact oui ; Défenseur des droits oui ; schéma pluriannuel oui ; plan d'action oui ; RGAA 4.1.2 — https://demarche.gouv.fr/accessibilite",
            ]
        );
    }

    #[test]
    fn not_met_when_the_declaration_is_too_old_or_the_mention_missing() {
        let site = Site::new()
            .with(START, home(false, true))
            .with(DECL, declaration((2022, 1, 1)));
        verdict(
            &site.measure(&AccessibilityDeclaration),
            Status::NotMet,
            "Déclaration non recevable : déclaration de plus de 3 ans (datée du 01/01/2022), mention d'accessibilité absente de l'accueil.",
        );
    }

    #[test]
    fn not_met_without_footer_link_unknown_when_the_page_was_not_visited() {
        let e = verdict(
            &Site::new()
                .with(START, home(true, false))
                .measure(&AccessibilityDeclaration),
            Status::NotMet,
            "Aucun lien vers la déclaration d'accessibilité dans le pied de page.",
        );
        has(&e, "aucun lien « Accessibilité » dans le pied de page");
        verdict(
            &Site::new()
                .with(START, home(true, true))
                .measure(&AccessibilityDeclaration),
            Status::Unknown,
            "La page « Accessibilité » n'a pas été visitée.",
        );
        verdict(
            &Site::new()
                .with(START, home(true, true))
                .with(DECL, PageEvidence::default())
                .measure(&AccessibilityDeclaration),
            Status::NotMet,
            "La page « Accessibilité » ne contient pas de déclaration reconnaissable.",
        );
    }

    #[test]
    fn a_totally_conforming_claim_is_contradicted_by_measured_failures() {
        let mut decl = declaration((2026, 1, 10));
        if let Some(d) = decl.declaration.as_mut() {
            d.status = Some(ConformityStatus::Totalement);
            d.rate = Some(100.0);
        }
        let site = Site::new()
            .with(START, home(true, true))
            .with(DECL, decl)
            .finding("color-contrast", Outcome::Failed, 17, "Contraste 2,3:1");
        let e = verdict(
            &site.measure(&AccessibilityDeclaration),
            Status::NotMet,
            "Déclaration non recevable : déclaration contredite.",
        );
        has(&e, "contradiction : Déclarée « totalement conforme » alors que 1 non-conformité(s) RGAA ont été mesurées : color-contrast sur https://demarche.gouv.fr/ (p:nth-child(2)).");
    }
}
