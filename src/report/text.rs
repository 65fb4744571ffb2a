//! Readable terminal summaries.

use std::fmt::Write;

use super::{DemarcheOverview, Report};
use crate::format::truncate_chars;
use crate::rules::Outcome;

/// One line per démarche: pages, errors, failures, to check.
pub fn summary_table(report: &Report) -> String {
    let rows: Vec<DemarcheOverview> = report.demarches.iter().map(|d| d.overview()).collect();
    summary_table_of(&rows)
}

/// [`summary_table`] from the démarches' overviews.
pub fn summary_table_of(demarches: &[DemarcheOverview]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<28} {:>6} {:>8} {:>8} {:>10}",
        "démarche", "pages", "erreurs", "échecs", "à vérifier"
    );
    for d in demarches {
        let _ = writeln!(
            s,
            "{:<28} {:>6} {:>8} {:>8} {:>10}",
            truncate_chars(&d.demarche.id, 28),
            d.summary.pages,
            d.summary.fetch_errors,
            d.summary.failed,
            d.summary.cant_tell
        );
    }
    s
}

/// Findings of one page for `vigie check --format text`.
pub fn page_findings(
    url: &str,
    status: Option<u16>,
    error: Option<&str>,
    findings: &[crate::findings::Finding],
) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{url}  (statut {})",
        status.map(|c| c.to_string()).unwrap_or_else(|| "—".into())
    );
    if let Some(e) = error {
        let _ = writeln!(s, "  erreur : {e}");
    }
    for f in findings
        .iter()
        .filter(|f| matches!(f.outcome, Outcome::Failed | Outcome::CantTell))
    {
        let target = f.targets.first().map(|t| &*t.selector).unwrap_or("(page)");
        let _ = writeln!(
            s,
            "  [{}] {} RGAA {} — {} — {}",
            f.outcome.label_fr(),
            f.rule,
            f.rgaa.join(","),
            target,
            f.message
        );
    }
    let failed = findings
        .iter()
        .filter(|f| f.outcome == Outcome::Failed)
        .count();
    let cant = findings
        .iter()
        .filter(|f| f.outcome == Outcome::CantTell)
        .count();
    let _ = writeln!(
        s,
        "  {failed} non-conformité(s), {cant} point(s) à vérifier"
    );
    s
}
