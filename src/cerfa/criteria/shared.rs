//! What every criterion reads and the small helpers they share: the démarche context ([`Ctx`]),
//! the measured verdict ([`Measured`]) and evidence builders.

use chrono::NaiveDate;

use super::CerfaCriterion;
use crate::catalogue::{Demarche, EntryKind};
use crate::cerfa::model::{Evidence, EvidencePage, StatementVerdict, Status};
use crate::cerfa::statement::ConformityStatus;
use crate::cerfa::LinkRef;
use crate::crawl::indexability::Indexability;
use crate::findings::Finding;
use crate::rules::Outcome;

/// A criterion's measured verdict, before the declarations are combined with it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Measured {
    pub(crate) status: Status,
    /// One French sentence explaining the verdict.
    pub(crate) summary: String,
    pub(crate) evidence: Vec<Evidence>,
}

/// Everything known about one démarche when its criteria are measured.
pub(crate) struct Ctx<'a> {
    pub(crate) demarche: &'a Demarche,
    pub(crate) pages: &'a [EvidencePage<'a>],
    /// The start page: depth 0 at the start URL, else any depth-0 page, else the first page.
    pub(crate) home: Option<EvidencePage<'a>>,
    pub(crate) findings: &'a [Finding],
    pub(crate) date: NaiveDate,
    /// The accessibility declaration as judged (criterion 15, and the report's own section).
    pub(crate) declaration: Option<StatementVerdict>,
    pub(crate) indexability: Option<&'a Indexability>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(
        demarche: &'a Demarche,
        pages: &'a [EvidencePage<'a>],
        findings: &'a [Finding],
        date: NaiveDate,
        indexability: Option<&'a Indexability>,
    ) -> Ctx<'a> {
        let home = pages
            .iter()
            .find(|p| p.depth == 0 && p.url == demarche.start_url.as_str())
            .or_else(|| pages.iter().find(|p| p.depth == 0))
            .or_else(|| pages.first())
            .copied();
        let mut ctx = Ctx {
            demarche,
            pages,
            home,
            findings,
            date,
            declaration: None,
            indexability,
        };
        ctx.declaration = verdict(&ctx);
        ctx
    }
}

/// One piece of evidence; an empty selector is left out.
pub(crate) fn ev(url: Option<&str>, selector: Option<&str>, text: impl Into<String>) -> Evidence {
    Evidence {
        url: url.map(str::to_string),
        selector: selector.filter(|s| !s.is_empty()).map(str::to_string),
        text: text.into(),
    }
}

/// A measured verdict.
pub(crate) fn m(status: Status, summary: impl Into<String>, evidence: Vec<Evidence>) -> Measured {
    Measured {
        status,
        summary: summary.into(),
        evidence,
    }
}

/// « oui » / « non » in evidence text.
pub(crate) fn yes(b: bool) -> &'static str {
    if b {
        "oui"
    } else {
        "non"
    }
}

/// The findings of the rules that name this criterion in `RuleMeta::cerfa`; none for a criterion
/// that does not declare it reads them, so the registry says which verdicts depend on rules.
pub(crate) fn rule_findings<'a>(ctx: &Ctx<'a>, criterion: &dyn CerfaCriterion) -> Vec<&'a Finding> {
    if !criterion.reads_rule_findings() {
        return Vec::new();
    }
    let number = criterion.number();
    ctx.findings
        .iter()
        .filter(|f| f.cerfa.contains(&number))
        .collect()
}

fn finding_evidence(f: &Finding) -> Evidence {
    ev(
        Some(&f.url),
        f.targets.first().map(|t| &*t.selector),
        format!("{} : {}", f.rule, f.message),
    )
}

/// Evidence of the first `n` findings with this outcome.
pub(crate) fn evidence_of(fs: &[&Finding], outcome: Outcome, n: usize) -> Vec<Evidence> {
    fs.iter()
        .filter(|f| f.outcome == outcome)
        .take(n)
        .map(|f| finding_evidence(f))
        .collect()
}

/// The first page (in report order) with a keyword link of this kind, and the link.
pub(crate) fn find_keyword<'a>(ctx: &'a Ctx<'_>, kind: &str) -> Option<(&'a str, &'a LinkRef)> {
    ctx.pages.iter().find_map(|p| {
        p.evidence
            .misc
            .keyword_links
            .iter()
            .find(|k| k.kind == kind)
            .map(|k| (p.url, &k.link))
    })
}

/// The verdict of a criterion met by one keyword link (29, 31, 35): met with the link as
/// evidence, else not met.
pub(crate) fn keyword(ctx: &Ctx<'_>, kind: &str, yes_msg: &str, no_msg: &str) -> Measured {
    match find_keyword(ctx, kind) {
        Some((u, l)) => m(
            Status::Met,
            yes_msg,
            vec![ev(
                Some(u),
                Some(&l.selector),
                format!("« {} » → {}", l.text, l.href),
            )],
        ),
        None => m(Status::NotMet, no_msg, vec![]),
    }
}

/// The distinct contact channels over all pages, in order of discovery, each with the evidence
/// of the first page showing it (criteria 13 and 14).
pub(crate) fn contact_union(ctx: &Ctx<'_>) -> (Vec<&'static str>, Vec<Evidence>) {
    let mut channels: Vec<&'static str> = Vec::new();
    let mut evidence = Vec::new();
    for p in ctx.pages {
        let c = &p.evidence.contact;
        for ch in c.channels() {
            if channels.contains(&ch) {
                continue;
            }
            channels.push(ch);
            let (sel, text) = match ch {
                "telephone" => (None, format!("téléphone : {}", c.phones.join(", "))),
                "courriel" => (None, format!("courriel : {}", c.emails.join(", "))),
                "formulaire" => (c.form.as_deref(), "formulaire de contact".to_string()),
                "tchat" => (
                    None,
                    format!("messagerie : « {} »", c.chat.as_deref().unwrap_or("")),
                ),
                "accueil" => (
                    None,
                    format!("accueil physique : « {} »", c.desk.as_deref().unwrap_or("")),
                ),
                _ => (
                    None,
                    format!(
                        "rendez-vous : « {} »",
                        c.appointment.as_deref().unwrap_or("")
                    ),
                ),
            };
            evidence.push(ev(Some(p.url), sel, text));
        }
    }
    (channels, evidence)
}

/// The accessibility declaration as judged: the page holding it (the one the home footer or the
/// catalogue entry points to, else the first found), its recevability and contradictions.
pub(crate) fn verdict(ctx: &Ctx<'_>) -> Option<StatementVerdict> {
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
    Some(StatementVerdict {
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
