//! The page comparing two runs (`vigie diff --format html`): one self-contained page (the site's
//! stylesheet inline, no script), rendered by the site's templates and their escaper.

use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

use super::{env, stylesheet, SiteError};
use crate::diff::{Change, FindingRef, Presence, RunDiff};

#[derive(Serialize)]
struct ChangeRow<'a> {
    key: &'a str,
    before: &'a str,
    after: &'a str,
    /// `mieux`, `moins-bien` or empty: a CSS class, the label says the same.
    class: &'static str,
    label: &'static str,
}

#[derive(Serialize)]
struct ChangeTable<'a> {
    title: &'static str,
    rows: Vec<ChangeRow<'a>>,
}

#[derive(Serialize)]
struct FindingRow<'a> {
    rule: &'a str,
    url: &'a str,
    target: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct FindingTable<'a> {
    title: &'static str,
    rows: Vec<FindingRow<'a>>,
}

#[derive(Serialize)]
struct DemarcheView<'a> {
    id: &'a str,
    name: &'a str,
    presence: &'static str,
    changes: Vec<ChangeTable<'a>>,
    findings: Vec<FindingTable<'a>>,
}

fn change_row(c: &Change) -> ChangeRow<'_> {
    let (class, label) = if c.worse {
        ("moins-bien", "régression")
    } else if c.better {
        ("mieux", "progrès")
    } else {
        ("", "changement")
    };
    ChangeRow {
        key: &c.key,
        before: c.before.as_deref().unwrap_or("—"),
        after: c.after.as_deref().unwrap_or("—"),
        class,
        label,
    }
}

fn finding_row(f: &FindingRef) -> FindingRow<'_> {
    FindingRow {
        rule: &f.rule,
        url: &f.url,
        target: f.target(),
        message: &f.message,
    }
}

/// The diff of two runs as one self-contained HTML page.
pub fn render_diff(d: &RunDiff) -> Result<String, SiteError> {
    let demarches: Vec<DemarcheView> = d
        .demarches
        .iter()
        .map(|m| DemarcheView {
            id: &m.id,
            name: &m.name,
            presence: match m.presence {
                Presence::Both => "",
                Presence::OnlyBefore => "Absente de la seconde exécution.",
                Presence::OnlyAfter => "Nouvelle dans la seconde exécution.",
            },
            // Tables without a change are left out; finding tables always say their count.
            changes: [
                ("Indicateurs", &m.indicators),
                ("Critères Cerfa", &m.cerfa),
                ("Critères RGAA", &m.rgaa),
            ]
            .into_iter()
            .filter(|(_, list)| !list.is_empty())
            .map(|(title, list)| ChangeTable {
                title,
                rows: list.iter().map(change_row).collect(),
            })
            .collect(),
            findings: [
                ("Non-conformités corrigées", &m.fixed),
                ("Nouvelles non-conformités", &m.new),
                ("Toujours présentes", &m.still),
                ("Non revérifiées (page non analysée)", &m.not_rechecked),
            ]
            .into_iter()
            .map(|(title, list)| FindingTable {
                title,
                rows: list.iter().map(finding_row).collect(),
            })
            .collect(),
        })
        .collect();
    let title = format!("Comparaison {} → {}", d.before.label, d.after.label);
    Ok(env()?.get_template("diff.html")?.render(context! {
        title,
        css => stylesheet(),
        tool => format!("{} {}", crate::TOOL_NAME, crate::TOOL_VERSION),
        before => Serde(&d.before),
        after => Serde(&d.after),
        regression => d.is_regression(),
        demarches => Serde(&demarches),
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{DemarcheDiff, RunRef};

    const HOSTILE: &str = r#"<script>alert("x")</script> 'q' & "#;

    fn finding() -> FindingRef {
        FindingRef {
            fingerprint: "f".into(),
            rule: "image-alt".into(),
            url: format!("https://exemple.fr/?q={HOSTILE}"),
            selector: Some(format!("img[alt=\"{HOSTILE}\"]")),
            snippet: None,
            message: HOSTILE.into(),
        }
    }

    #[test]
    fn hostile_text_is_escaped_and_the_page_is_accessible() {
        let run = |label: &str| RunRef {
            label: label.into(),
            run_id: None,
            started_at: "2026-01-01T00:00:00Z".into(),
        };
        let d = RunDiff {
            before: run(HOSTILE),
            after: run("b.json"),
            demarches: vec![DemarcheDiff {
                id: HOSTILE.into(),
                name: HOSTILE.into(),
                presence: Presence::Both,
                indicators: vec![Change {
                    key: HOSTILE.into(),
                    before: Some(HOSTILE.into()),
                    after: None,
                    worse: true,
                    better: false,
                }],
                cerfa: Vec::new(),
                rgaa: Vec::new(),
                fixed: Vec::new(),
                new: vec![finding()],
                still: Vec::new(),
                not_rechecked: Vec::new(),
            }],
        };
        let html = render_diff(&d).expect("page");
        // Nothing from a report opens a tag or closes an attribute.
        assert!(!html.contains("<script"));
        assert!(!html.contains(r#""x""#));
        assert!(!html.contains("'q'"));
        assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)"));
        // No script may run: the policy allows none, and the page carries none.
        assert!(html.contains(r#"content="default-src 'none'; style-src 'unsafe-inline'""#));
        // Accessible: language, title, one h1, a heading per démarche, headed tables.
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
        assert!(html.contains("<title>Comparaison &lt;script&gt;"));
        assert_eq!(html.matches("<h1>").count(), 1);
        assert!(html.contains("<h2 id=\"demarche-1\">"));
        assert!(html.contains("<th scope=\"col\">Avant</th>"));
        assert!(html.contains("<th scope=\"col\">Message</th>"));
        assert!(html.contains("<th scope=\"row\">&lt;script&gt;"));
        assert!(html.contains("class=\"moins-bien\">régression</td>"));
        assert!(html.contains("<h3>Nouvelles non-conformités (1)</h3>"));
        assert!(html.contains("<h3>Non-conformités corrigées (0)</h3>"));
    }
}
