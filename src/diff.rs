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

/// Rank of a level or status word: higher is better; None for words that are not a judgement
/// (not applicable, not measured, unknown).
pub fn rank(word: &str) -> Option<u8> {
    let w = word.trim().to_lowercase().replace(['_', '-'], " ");
    match w.as_str() {
        // RGAA statuses: C conforme, NC non conforme (NA and NT are not judgements).
        "c"
        | "passed"
        | "conforme"
        | "compliant"
        | "met"
        | "ok"
        | "good"
        | "bon"
        | "vert"
        | "optimal"
        | "green"
        | "satisfait"
        | "oui"
        | "yes"
        | "full"
        | "total"
        | "totalement conforme" => Some(3),
        "partial"
        | "partiel"
        | "partially compliant"
        | "partiellement conforme"
        | "orange"
        | "jaune"
        | "medium"
        | "moyen"
        | "amber" => Some(2),
        "cantell" | "canttell" | "cant tell" | "à vérifier" | "a verifier" => Some(1),
        "nc" | "failed" | "non conforme" | "not compliant" | "not met" | "non satisfait"
        | "bad" | "mauvais" | "rouge" | "red" | "non" | "no" | "none" => Some(0),
        _ => None,
    }
}

/// A value as a word; a level object (`{label, colour, …}`) gives its label.
fn as_word(v: &Value) -> Option<String> {
    match v {
        Value::Object(o) => o.get("label").and_then(as_word),
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Entries of a collection that is either an object keyed by id, or an array of objects
/// carrying their id (`id`, `key`, `criterion`, `number` or `code`).
fn keyed_entries(v: &Value) -> Vec<(String, &Value)> {
    match v {
        Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(a) => a
            .iter()
            .filter_map(|item| {
                ["id", "key", "criterion", "number", "code"]
                    .iter()
                    .find_map(|k| item.get(*k).and_then(as_word))
                    .map(|k| (k, item))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// How a level object is judged: by its colour (vert, jaune, rouge; bleu and gris are not
/// judgements), else by its label.
fn rank_of(v: &Value) -> Option<u8> {
    match v {
        Value::Object(o) => o
            .get("colour")
            .or_else(|| o.get("couleur"))
            .and_then(Value::as_str)
            .and_then(rank)
            .or_else(|| o.get("label").and_then(Value::as_str).and_then(rank)),
        other => as_word(other).and_then(|w| rank(&w)),
    }
}

/// A value as shown, and its rank.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub shown: String,
    pub rank: Option<u8>,
}

/// `section.<collection>.*.<field>` as a map key → value word, tolerant of absence.
/// `collection` None means the section itself is the collection.
pub fn field_map(
    sections: &BTreeMap<String, Value>,
    section: &str,
    collection: Option<&str>,
    field: &str,
) -> BTreeMap<String, Word> {
    let Some(mut v) = sections.get(section) else {
        return BTreeMap::new();
    };
    if let Some(c) = collection {
        match v.get(c) {
            Some(inner) => v = inner,
            None => return BTreeMap::new(),
        }
    }
    keyed_entries(v)
        .into_iter()
        .filter_map(|(k, item)| {
            let v = item.get(field)?;
            let shown = as_word(v)?;
            Some((
                k,
                Word {
                    shown,
                    rank: rank_of(v),
                },
            ))
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
    let indicators = changes(
        &field_map(sb, "indicators", None, "level"),
        &field_map(sa, "indicators", None, "level"),
        false,
    );
    let cerfa = changes(
        &field_map(sb, "cerfa", Some("criteria"), "status"),
        &field_map(sa, "cerfa", Some("criteria"), "status"),
        true,
    );
    let rgaa = changes(
        &field_map(sb, "rgaa", Some("criteria"), "status"),
        &field_map(sa, "rgaa", Some("criteria"), "status"),
        true,
    );
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
    fn levels_are_ranked_and_unknown_words_are_not_judged() {
        assert!(rank("vert") > rank("orange"));
        assert!(rank("orange") > rank("rouge"));
        assert_eq!(rank("non mesuré"), None);
        assert_eq!(rank("inapplicable"), None);
        assert_eq!(rank("Non conforme"), Some(0));
        assert_eq!(rank("non_conforme"), Some(0));
        assert_eq!(rank("C"), Some(3));
        assert_eq!(rank("NC"), Some(0));
        assert_eq!(rank("NT"), None);
        assert_eq!(rank("NA"), None);
    }

    #[test]
    fn field_map_reads_objects_and_arrays_and_tolerates_absence() {
        let mut s = BTreeMap::new();
        assert!(field_map(&s, "cerfa", Some("criteria"), "status").is_empty());
        s.insert(
            "cerfa".to_string(),
            json!({"criteria": [{"id": 3, "status": "passed"}, {"number": "4", "status": "failed"}, {"status": "x"}]}),
        );
        s.insert(
            "indicators".to_string(),
            json!({"rgaa": {"level": "rouge", "value": 12}, "dispo": {"value": 1}}),
        );
        let c = field_map(&s, "cerfa", Some("criteria"), "status");
        assert_eq!(c.len(), 2);
        assert_eq!(c["3"].shown, "passed");
        assert_eq!(c["4"].shown, "failed");
        assert_eq!(c["4"].rank, Some(0));
        let i = field_map(&s, "indicators", None, "level");
        assert_eq!(i.len(), 1);
        assert_eq!(i["rgaa"].shown, "rouge");
        // Level objects: shown by label, judged by colour.
        s.insert(
            "indicators".to_string(),
            json!([{"id": "dispo", "level": {"label": "Partiel", "colour": "jaune"}},
                   {"id": "auth", "level": {"label": "FranceConnect", "colour": "bleu"}},
                   {"id": "rien", "level": null}]),
        );
        let i = field_map(&s, "indicators", None, "level");
        assert_eq!(i.len(), 2);
        assert_eq!(i["dispo"].shown, "Partiel");
        assert_eq!(i["dispo"].rank, Some(2));
        assert_eq!(i["auth"].rank, None);
    }

    #[test]
    fn criteria_changes_flag_only_new_failures_as_worse() {
        let word = |(k, v): (&str, &str)| {
            (
                k.to_string(),
                Word {
                    shown: v.to_string(),
                    rank: rank(v),
                },
            )
        };
        let before: BTreeMap<String, Word> =
            [("1.1", "passed"), ("1.2", "failed"), ("1.10", "cantTell")]
                .into_iter()
                .map(word)
                .collect();
        let after: BTreeMap<String, Word> =
            [("1.1", "failed"), ("1.2", "passed"), ("1.10", "passed")]
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
