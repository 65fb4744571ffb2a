//! What changed between two runs, per démarche: indicator levels, Cerfa and RGAA criteria
//! statuses, and failed findings fixed, new or still present (matched by fingerprint).
//!
//! The text form is here; the HTML page is rendered by the site's templates
//! ([`crate::report::site::render_diff`]).
//!
//! Sections written by other parts of the report are read as JSON and are optional: a run
//! without an `indicators` section simply has no indicator changes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use serde::Serialize;
use serde_json::Value;

use crate::model::sections::{view, CerfaView, IndicatorView, RgaaView};

use crate::store::{DemarcheSnapshot, RunSnapshot, StoredFinding};

/// A value that changed between the runs (an indicator level or a criterion status).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    pub key: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// The new value is worse than the old one (a regression).
    pub worse: bool,
    pub better: bool,
}

/// A failed finding, as shown in a diff.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FindingRef {
    pub fingerprint: String,
    pub rule: String,
    pub url: String,
    pub selector: Option<String>,
    pub snippet: Option<String>,
    pub message: String,
}

impl FindingRef {
    /// The element as shown: its selector, else its snippet, else the page itself.
    pub fn target(&self) -> &str {
        self.selector
            .as_deref()
            .or(self.snippet.as_deref())
            .unwrap_or("(page)")
    }
}

impl From<&StoredFinding> for FindingRef {
    fn from(f: &StoredFinding) -> Self {
        FindingRef {
            fingerprint: f.fingerprint.clone(),
            rule: f.rule.clone(),
            url: f.url.clone(),
            selector: f.selector.clone(),
            snippet: f.snippet.clone(),
            message: f.message.clone(),
        }
    }
}

/// Whether a démarche is in both runs.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Both,
    OnlyBefore,
    OnlyAfter,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DemarcheDiff {
    pub id: String,
    pub name: String,
    pub presence: Presence,
    pub indicators: Vec<Change>,
    pub cerfa: Vec<Change>,
    pub rgaa: Vec<Change>,
    /// Failed before, not failed after, on a page analysed in both runs.
    pub fixed: Vec<FindingRef>,
    /// Failed after, not failed before.
    pub new: Vec<FindingRef>,
    /// Failed in both runs (shown with the later URL).
    pub still: Vec<FindingRef>,
    /// Failed before, on a page not analysed in the later run: neither fixed nor present.
    pub not_rechecked: Vec<FindingRef>,
}

impl DemarcheDiff {
    /// New failures, or a level or status that got worse.
    pub fn is_regression(&self) -> bool {
        !self.new.is_empty()
            || self
                .indicators
                .iter()
                .chain(&self.cerfa)
                .chain(&self.rgaa)
                .any(|c| c.worse)
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RunRef {
    pub label: String,
    pub run_id: Option<i64>,
    pub started_at: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RunDiff {
    pub before: RunRef,
    pub after: RunRef,
    pub demarches: Vec<DemarcheDiff>,
}

impl RunDiff {
    pub fn is_regression(&self) -> bool {
        self.demarches.iter().any(DemarcheDiff::is_regression)
    }
}

/// A value as shown, and its rank (higher is better; None when it is not a judgement).
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub shown: String,
    pub rank: Option<u8>,
}

/// Indicator id → level label, judged by the level's colour (criteria/indicateurs.toml).
fn indicator_levels(sections: &BTreeMap<String, Value>) -> BTreeMap<String, Word> {
    let cfg = crate::criteria::indicators::config();
    view::<Vec<IndicatorView>>(sections.get("indicators"))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| {
            let level = i.level?;
            Some((
                i.id,
                Word {
                    rank: cfg.colour_rank(&level.colour),
                    shown: level.label,
                },
            ))
        })
        .collect()
}

/// Cerfa criterion number → status; met and not met are the judgements.
fn cerfa_statuses(sections: &BTreeMap<String, Value>) -> BTreeMap<String, Word> {
    use crate::cerfa::Status;
    view::<CerfaView>(sections.get("cerfa"))
        .unwrap_or_default()
        .criteria
        .into_iter()
        .map(|c| {
            let rank = match c.status {
                Status::Met => Some(3),
                Status::NotMet => Some(0),
                Status::Unknown | Status::NotApplicable => None,
            };
            let shown = c.status.code().to_string();
            (c.number.to_string(), Word { shown, rank })
        })
        .collect()
}

/// RGAA criterion id → status; C and NC are the judgements (NA and NT are not).
fn rgaa_statuses(sections: &BTreeMap<String, Value>) -> BTreeMap<String, Word> {
    use crate::scores::rgaa::Status;
    view::<RgaaView>(sections.get("rgaa"))
        .unwrap_or_default()
        .criteria
        .into_iter()
        .map(|c| {
            let rank = match c.status {
                Status::C => Some(3),
                Status::NC => Some(0),
                Status::NA | Status::NT => None,
            };
            let shown = c.status.code().to_string();
            (c.id, Word { shown, rank })
        })
        .collect()
}

/// Compare two key → word maps; `failed_only` marks as worse only a move to a failing word.
fn changes(
    before: &BTreeMap<String, Word>,
    after: &BTreeMap<String, Word>,
    failed_only: bool,
) -> Vec<Change> {
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut out: Vec<Change> = keys
        .into_iter()
        .filter_map(|k| {
            let b = before.get(k);
            let a = after.get(k);
            if b.map(|w| &w.shown) == a.map(|w| &w.shown) {
                return None;
            }
            let (rb, ra) = (b.and_then(|w| w.rank), a.and_then(|w| w.rank));
            let (worse, better) = match (rb, ra) {
                (Some(x), Some(y)) if failed_only => (y == 0 && x > 0, x == 0 && y > 0),
                (Some(x), Some(y)) => (y < x, y > x),
                // A failure appearing where there was no judgement is still a new failure.
                (None, Some(0)) => (true, false),
                (Some(0), None) => (false, false),
                _ => (false, false),
            };
            Some(Change {
                key: k.clone(),
                before: b.map(|w| w.shown.clone()),
                after: a.map(|w| w.shown.clone()),
                worse,
                better,
            })
        })
        .collect();
    out.sort_by_key(|x| natural_key(&x.key));
    out
}

/// Sort "1.10" after "1.9" and "10" after "2".
fn natural_key(s: &str) -> Vec<(u64, String)> {
    s.split('.')
        .map(|part| (part.parse::<u64>().unwrap_or(u64::MAX), part.to_string()))
        .collect()
}

fn failed_by_fp(d: &DemarcheSnapshot) -> Vec<&StoredFinding> {
    let mut seen = BTreeSet::new();
    d.findings
        .iter()
        .filter(|f| f.outcome == "failed" && seen.insert(f.fingerprint.as_str()))
        .collect()
}

fn diff_demarche(b: Option<&DemarcheSnapshot>, a: Option<&DemarcheSnapshot>) -> DemarcheDiff {
    let empty = BTreeMap::new();
    let sb = b.map(|d| &d.sections).unwrap_or(&empty);
    let sa = a.map(|d| &d.sections).unwrap_or(&empty);
    let presence = match (b, a) {
        (Some(_), Some(_)) => Presence::Both,
        (Some(_), None) => Presence::OnlyBefore,
        _ => Presence::OnlyAfter,
    };
    let (id, name) = a
        .or(b)
        .map(|d| (d.id.clone(), d.name.clone()))
        .unwrap_or_default();
    let indicators = changes(&indicator_levels(sb), &indicator_levels(sa), false);
    let cerfa = changes(&cerfa_statuses(sb), &cerfa_statuses(sa), true);
    let rgaa = changes(&rgaa_statuses(sb), &rgaa_statuses(sa), true);
    let before_failed = b.map(failed_by_fp).unwrap_or_default();
    let after_failed = a.map(failed_by_fp).unwrap_or_default();
    let after_idx: HashMap<&str, &StoredFinding> = after_failed
        .iter()
        .map(|f| (f.fingerprint.as_str(), *f))
        .collect();
    let before_set: BTreeSet<&str> = before_failed
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    let analysed_after: BTreeSet<&str> = a
        .map(|d| d.analysed_pages.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let mut diff = DemarcheDiff {
        id,
        name,
        presence,
        indicators,
        cerfa,
        rgaa,
        fixed: Vec::new(),
        new: Vec::new(),
        still: Vec::new(),
        not_rechecked: Vec::new(),
    };
    for f in &before_failed {
        if let Some(later) = after_idx.get(f.fingerprint.as_str()) {
            diff.still.push((*later).into());
        } else if a.is_some() && analysed_after.contains(crate::store::page_key(&f.url).as_str()) {
            diff.fixed.push((*f).into());
        } else {
            diff.not_rechecked.push((*f).into());
        }
    }
    for f in &after_failed {
        if !before_set.contains(f.fingerprint.as_str()) {
            diff.new.push((*f).into());
        }
    }
    diff
}

/// Compare two runs.
pub fn diff(before: &RunSnapshot, after: &RunSnapshot) -> RunDiff {
    let b: HashMap<&str, &DemarcheSnapshot> = before
        .demarches
        .iter()
        .map(|d| (d.id.as_str(), d))
        .collect();
    let a: HashMap<&str, &DemarcheSnapshot> =
        after.demarches.iter().map(|d| (d.id.as_str(), d)).collect();
    // Order: the later run's order, then démarches that disappeared.
    let mut ids: Vec<&str> = after.demarches.iter().map(|d| d.id.as_str()).collect();
    ids.extend(
        before
            .demarches
            .iter()
            .map(|d| d.id.as_str())
            .filter(|id| !a.contains_key(id)),
    );
    RunDiff {
        before: run_ref(before),
        after: run_ref(after),
        demarches: ids
            .into_iter()
            .map(|id| diff_demarche(b.get(id).copied(), a.get(id).copied()))
            .collect(),
    }
}

fn run_ref(r: &RunSnapshot) -> RunRef {
    RunRef {
        label: r.label.clone(),
        run_id: r.run_id,
        started_at: r.started_at.clone(),
    }
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("—")
}

/// The diff as French text for the terminal.
pub fn to_text(d: &RunDiff) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Comparaison {} ({}) → {} ({})",
        d.before.label, d.before.started_at, d.after.label, d.after.started_at
    );
    for m in &d.demarches {
        let _ = writeln!(s, "\n== {} ({})", m.name, m.id);
        match m.presence {
            Presence::OnlyBefore => {
                let _ = writeln!(s, "   absente de la seconde exécution");
            }
            Presence::OnlyAfter => {
                let _ = writeln!(s, "   nouvelle dans la seconde exécution");
            }
            Presence::Both => {}
        }
        for (title, list) in [
            ("Indicateurs", &m.indicators),
            ("Critères Cerfa", &m.cerfa),
            ("Critères RGAA", &m.rgaa),
        ] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(s, "   {title} :");
            for c in list {
                let mark = if c.worse {
                    " (régression)"
                } else if c.better {
                    " (progrès)"
                } else {
                    ""
                };
                let _ = writeln!(
                    s,
                    "     {} : {} → {}{mark}",
                    c.key,
                    opt(&c.before),
                    opt(&c.after)
                );
            }
        }
        let _ = writeln!(
            s,
            "   Non-conformités : {} corrigées, {} nouvelles, {} toujours présentes, {} non revérifiées",
            m.fixed.len(),
            m.new.len(),
            m.still.len(),
            m.not_rechecked.len()
        );
        for (title, list) in [
            ("corrigée", &m.fixed),
            ("nouvelle", &m.new),
            ("non revérifiée", &m.not_rechecked),
        ] {
            for f in list {
                let _ = writeln!(s, "     [{title}] {} {} {}", f.rule, f.url, f.target());
            }
        }
    }
    let _ = writeln!(
        s,
        "\n{}",
        if d.is_regression() {
            "Régression détectée."
        } else {
            "Aucune régression."
        }
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sections_are_read_as_the_audit_writes_them_and_other_shapes_are_absent() {
        let mut s = BTreeMap::new();
        assert!(cerfa_statuses(&s).is_empty());
        s.insert(
            "cerfa".to_string(),
            json!({"criteria": [{"number": 3, "status": "met", "label": "x"},
                                {"number": 4, "status": "not_met"},
                                {"number": 5, "status": "unknown"}]}),
        );
        s.insert(
            "rgaa".to_string(),
            json!({"criteria": [{"id": "1.1", "status": "C"}, {"id": "11.1", "status": "NC"},
                                {"id": "8.1", "status": "NT"}]}),
        );
        s.insert(
            "indicators".to_string(),
            json!([{"id": "dispo", "level": {"label": "Partiel", "colour": "jaune", "icon": "◐"}},
                   {"id": "auth", "level": {"label": "FranceConnect", "colour": "bleu", "icon": "★"}},
                   {"id": "rien", "level": null}]),
        );
        let c = cerfa_statuses(&s);
        assert_eq!(c.len(), 3);
        assert_eq!(
            c["3"],
            Word {
                shown: "met".into(),
                rank: Some(3)
            }
        );
        assert_eq!(c["4"].rank, Some(0));
        assert_eq!(c["5"].rank, None);
        let r = rgaa_statuses(&s);
        assert_eq!(
            (r["1.1"].rank, r["11.1"].rank, r["8.1"].rank),
            (Some(3), Some(0), None)
        );
        assert_eq!(r["11.1"].shown, "NC");
        // Levels: shown by label, judged by the colour's rank in criteria/indicateurs.toml.
        let i = indicator_levels(&s);
        assert_eq!(i.len(), 2);
        assert_eq!(i["dispo"].shown, "Partiel");
        assert_eq!(i["dispo"].rank, Some(2));
        assert_eq!(i["auth"].rank, None);
        // A section not in the audit's shape is not guessed at.
        s.insert(
            "cerfa".to_string(),
            json!({"criteria": {"3": {"status": "passed"}}}),
        );
        s.insert(
            "indicators".to_string(),
            json!({"rgaa": {"level": "rouge"}}),
        );
        assert!(cerfa_statuses(&s).is_empty());
        assert!(indicator_levels(&s).is_empty());
    }

    #[test]
    fn criteria_changes_flag_only_new_failures_as_worse() {
        let word = |(k, v): (&str, &str)| {
            let rank = match v {
                "C" => Some(3),
                "NC" => Some(0),
                _ => None,
            };
            let shown = v.to_string();
            (k.to_string(), Word { shown, rank })
        };
        let before: BTreeMap<String, Word> = [("1.1", "C"), ("1.2", "NC"), ("1.10", "NT")]
            .into_iter()
            .map(word)
            .collect();
        let after: BTreeMap<String, Word> = [("1.1", "NC"), ("1.2", "C"), ("1.10", "C")]
            .into_iter()
            .map(word)
            .collect();
        let c = changes(&before, &after, true);
        let keys: Vec<&str> = c.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["1.1", "1.2", "1.10"]);
        assert!(c[0].worse && !c[0].better);
        assert!(c[1].better && !c[1].worse);
        assert!(!c[2].worse && !c[2].better);
    }
}
