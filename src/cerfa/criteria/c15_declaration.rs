//! Cerfa criterion 15: the accessibility declaration, linked from the footer and recevable. Verdict, messages and tests.

use super::shared::{ev, m, yes, Ctx, Measured};
use super::CerfaCriterion;
use crate::catalogue::EntryKind;
use crate::cerfa::declaration::ConformityStatus;
use crate::cerfa::model::{DeclarationVerdict, EvidencePage, Status};
use crate::findings::Finding;
use crate::rules::Outcome;

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

/// The accessibility declaration as judged: the page holding it (the one the home footer or the
/// catalogue entry points to, else the first found), its recevability and contradictions.
pub(crate) fn verdict(ctx: &Ctx<'_>) -> Option<DeclarationVerdict> {
    let footer_target = ctx
        .home
        .and_then(|h| h.evidence.footer.as_ref())
        .and_then(|f| f.link("accessibilite"))
        .map(|l| l.href.clone());
    let entry_target: Option<String> = ctx
        .demarche
        .entries
        .iter()
        .find(|e| e.kind == EntryKind::Accessibility)
        .map(|e| e.url.to_string());
    let with_decl: Vec<&EvidencePage<'_>> = ctx
        .pages
        .iter()
        .filter(|p| p.evidence.declaration.is_some())
        .collect();
    let page = with_decl
        .iter()
        .find(|p| {
            Some(p.url.to_string()) == footer_target || Some(p.url.to_string()) == entry_target
        })
        .or_else(|| with_decl.first())?;
    let d = page.evidence.declaration.clone()?;
    let t = &crate::cerfa::data::criteria().thresholds;
    let mut reasons = Vec::new();
    if d.status.is_none() {
        reasons.push("état de conformité absent".to_string());
    }
    if d.rate.is_none() {
        reasons.push("taux de conformité absent".to_string());
    }
    if !d.contact {
        reasons.push("moyen de contact absent".to_string());
    }
    let age_days = d.reference_date().map(|r| (ctx.date - r).num_days());
    match d.reference_date() {
        None => reasons.push("date d'établissement absente".to_string()),
        Some(r) => {
            let limit = r
                .checked_add_months(chrono::Months::new(12 * t.declaration_max_age_years))
                .unwrap_or(r);
            if ctx.date >= limit {
                reasons.push(format!(
                    "déclaration de plus de {} ans (datée du {})",
                    t.declaration_max_age_years,
                    r.format("%d/%m/%Y")
                ));
            }
        }
    }
    // The regulator objects to an expired schéma and to a missing plan for the current year.
    let year = chrono::Datelike::year(&ctx.date);
    if let Some(end) = d.schema_end.filter(|end| *end < year) {
        reasons.push(format!(
            "schéma pluriannuel expiré ({}–{end})",
            d.schema_start.unwrap_or(end)
        ));
    }
    match d.action_plan_year {
        Some(y) if y < year => reasons.push(format!(
            "pas de plan d'action pour {year} (le plus récent trouvé : {y})"
        )),
        None if d.action_plan_link.is_none() => {
            reasons.push(format!("plan d'action {year} absent"))
        }
        _ => {}
    }
    let html: Vec<_> = ctx.pages.iter().collect();
    let linking = html
        .iter()
        .filter(|p| {
            p.evidence
                .footer
                .as_ref()
                .and_then(|f| f.link("accessibilite"))
                .is_some()
        })
        .count();
    let non_decl = html.len();
    if linking + 1 < non_decl {
        // The declaration page itself need not link to itself.
        reasons.push(format!(
            "lien « Accessibilité » absent du pied de page de {} page(s) sur {}",
            non_decl - linking,
            non_decl
        ));
    }
    let mut contradiction = None;
    if let (Some(s), Some(r)) = (d.status, d.rate) {
        if !s.agrees_with_rate(r) {
            contradiction = Some(format!(
                "La déclaration se dit « {} » mais publie un taux de {r} %.",
                s.label_fr()
            ));
        }
    }
    if d.status == Some(ConformityStatus::Totalement) {
        let failures: Vec<&Finding> = ctx
            .findings
            .iter()
            .filter(|f| f.outcome == Outcome::Failed && !f.rgaa.is_empty())
            .collect();
        if !failures.is_empty() {
            let ex: Vec<String> = failures
                .iter()
                .take(5)
                .map(|f| {
                    format!(
                        "{} sur {}{}",
                        f.rule,
                        f.url,
                        f.targets
                            .first()
                            .map(|t| format!(" ({})", t.selector))
                            .unwrap_or_default()
                    )
                })
                .collect();
            let text = format!(
                "Déclarée « totalement conforme » alors que {} non-conformité(s) RGAA ont été mesurées : {}.",
                failures.len(),
                ex.join(" ; ")
            );
            contradiction = Some(match contradiction {
                Some(c) => format!("{c} {text}"),
                None => text,
            });
        }
    }
    Some(DeclarationVerdict {
        url: page.url.to_string(),
        recevable: reasons.is_empty(),
        declaration: d,
        reasons,
        age_days,
        pages_linking: linking,
        pages_total: html.len(),
        contradiction,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{has, link, verdict, Site, START};
    use crate::cerfa::declaration::Declaration;
    use crate::cerfa::footer::{Footer, FooterLink};
    use crate::cerfa::PageEvidence;
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
            declaration: Some(Declaration {
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
                ..Declaration::default()
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
