//! The run store: an embedded SQLite database keeping every audit, so progress can be tracked.
//!
//! report.json stays the exchange format; the store keeps what diffs and history need in typed
//! tables (runs, démarches, pages, findings, probes) and every other per-démarche section of the
//! report (RGAA, Cerfa, indicators…) as JSON in `sections`, so new sections are kept without a
//! migration. A run is written in one transaction: a killed audit leaves no partial run.

pub mod fingerprint;
pub mod journal;
pub mod schema;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::report::Report;

pub use fingerprint::{fingerprint, page_key};

/// Where audits are recorded unless `--db` says otherwise.
pub const DEFAULT_DB: &str = "reports/vigie.db";

/// Keys of a démarche object in report.json that describe the démarche itself.
const DEFINITION_KEYS: &[&str] = &[
    "id",
    "name",
    "operator",
    "ministry",
    "start_url",
    "entries",
    "scope_prefix",
    "max_pages",
    "max_depth",
];
/// Keys stored in typed tables; every other key of a démarche is a section.
const CORE_KEYS: &[&str] = &["pages", "findings", "summary"];

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("base de données : {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("JSON : {0}")]
    Json(#[from] serde_json::Error),
    #[error("impossible de lire ou créer {path} : {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("rapport invalide : {0}")]
    Invalid(String),
    #[error("base de données trop récente (version {found}, cette version de vigie connaît {supported})")]
    TooNew { found: i64, supported: i64 },
    #[error("exécution introuvable : {0}")]
    NotFound(String),
}

/// One run as listed by the store.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RunInfo {
    pub id: i64,
    pub started_at: String,
    pub finished_at: String,
    pub tool_version: String,
    /// What recorded it: `audit`, `demo`, `import:<file>`.
    pub origin: String,
}

/// A finding as the store and the diff see it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StoredFinding {
    pub fingerprint: String,
    pub rule: String,
    pub outcome: String,
    pub url: String,
    pub selector: Option<String>,
    pub snippet: Option<String>,
    pub message: String,
}

/// One démarche of a run, as needed by diff and history.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DemarcheSnapshot {
    pub id: String,
    pub name: String,
    pub summary: Value,
    /// Page keys (path and sorted query) of the pages that were fetched and analysed.
    pub analysed_pages: Vec<String>,
    pub findings: Vec<StoredFinding>,
    /// Per-démarche sections other than pages, findings and summary (rgaa, cerfa, indicators…).
    pub sections: BTreeMap<String, Value>,
}

/// A whole run, from the store or from a report.json file.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RunSnapshot {
    /// How the user named it: `#12` or a file path.
    pub label: String,
    pub run_id: Option<i64>,
    pub started_at: String,
    pub demarches: Vec<DemarcheSnapshot>,
}

/// A page of a report, with its typed columns.
struct ParsedPage {
    requested_url: String,
    final_url: String,
    status: Option<i64>,
    content_type: Option<String>,
    size: Option<i64>,
    total_ms: Option<i64>,
    depth: Option<i64>,
    fetched_at: Option<String>,
    error_kind: Option<String>,
    analysed: bool,
    json: Value,
}

struct ParsedFinding {
    f: StoredFinding,
    count: i64,
    json: Value,
}

struct ParsedDemarche {
    id: String,
    name: String,
    operator: String,
    ministry: String,
    start_url: String,
    definition: Value,
    summary: Value,
    pages: Vec<ParsedPage>,
    findings: Vec<ParsedFinding>,
    sections: BTreeMap<String, Value>,
}

/// A report.json read leniently: older and newer reports load as long as the core is there.
struct ParsedReport {
    started_at: String,
    finished_at: String,
    tool_name: String,
    tool_version: String,
    schema_version: String,
    config: Value,
    demarches: Vec<ParsedDemarche>,
}

fn str_at(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn int_at(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(Value::as_i64)
}

fn parse_finding(demarche: &str, v: Value) -> Result<ParsedFinding, StoreError> {
    let rule = str_at(&v, "rule")
        .ok_or_else(|| StoreError::Invalid(format!("constat sans règle dans {demarche}")))?;
    let outcome = str_at(&v, "outcome").unwrap_or_default();
    let url = str_at(&v, "url").unwrap_or_default();
    let first = v
        .get("targets")
        .and_then(Value::as_array)
        .and_then(|t| t.first());
    let selector = first.and_then(|t| str_at(t, "selector"));
    let snippet = first.and_then(|t| str_at(t, "snippet"));
    let fp = fingerprint(
        &rule,
        demarche,
        &url,
        selector.as_deref(),
        snippet.as_deref(),
    );
    Ok(ParsedFinding {
        count: int_at(&v, "count").unwrap_or(1),
        f: StoredFinding {
            fingerprint: fp,
            message: str_at(&v, "message").unwrap_or_default(),
            rule,
            outcome,
            url,
            selector,
            snippet,
        },
        json: v,
    })
}

fn parse_page(v: Value) -> ParsedPage {
    let requested_url = str_at(&v, "requested_url").unwrap_or_default();
    ParsedPage {
        final_url: str_at(&v, "final_url").unwrap_or_else(|| requested_url.clone()),
        requested_url,
        status: int_at(&v, "status"),
        content_type: str_at(&v, "content_type"),
        size: int_at(&v, "size"),
        total_ms: int_at(&v, "total_ms"),
        depth: int_at(&v, "depth"),
        fetched_at: str_at(&v, "fetched_at"),
        error_kind: v.get("error").and_then(|e| str_at(e, "kind")),
        analysed: v.get("facts").is_some_and(|f| !f.is_null()),
        json: v,
    }
}

fn parse_demarche(v: Value) -> Result<ParsedDemarche, StoreError> {
    let Value::Object(mut obj) = v else {
        return Err(StoreError::Invalid(
            "démarche qui n'est pas un objet".into(),
        ));
    };
    let id = obj
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| StoreError::Invalid("démarche sans identifiant".into()))?
        .to_string();
    let mut definition = Map::new();
    for k in DEFINITION_KEYS {
        if let Some(x) = obj.remove(*k) {
            definition.insert((*k).to_string(), x);
        }
    }
    let definition = Value::Object(definition);
    let pages = match obj.remove("pages") {
        Some(Value::Array(a)) => a.into_iter().map(parse_page).collect(),
        _ => Vec::new(),
    };
    let findings = match obj.remove("findings") {
        Some(Value::Array(a)) => a
            .into_iter()
            .map(|f| parse_finding(&id, f))
            .collect::<Result<Vec<_>, _>>()?,
        _ => Vec::new(),
    };
    let summary = obj.remove("summary").unwrap_or(Value::Null);
    debug_assert!(CORE_KEYS.iter().all(|k| !obj.contains_key(*k)));
    let sections: BTreeMap<String, Value> = obj.into_iter().collect();
    Ok(ParsedDemarche {
        name: str_at(&definition, "name").unwrap_or_else(|| id.clone()),
        operator: str_at(&definition, "operator").unwrap_or_default(),
        ministry: str_at(&definition, "ministry").unwrap_or_default(),
        start_url: str_at(&definition, "start_url").unwrap_or_default(),
        id,
        definition,
        summary,
        pages,
        findings,
        sections,
    })
}

fn parse_report(v: Value) -> Result<ParsedReport, StoreError> {
    let Value::Object(mut obj) = v else {
        return Err(StoreError::Invalid(
            "le rapport n'est pas un objet JSON".into(),
        ));
    };
    let started_at = obj
        .get("started_at")
        .and_then(Value::as_str)
        .ok_or_else(|| StoreError::Invalid("champ started_at absent".into()))?
        .to_string();
    let tool = obj.remove("tool").unwrap_or(Value::Null);
    let demarches = match obj.remove("demarches") {
        Some(Value::Array(a)) => a
            .into_iter()
            .map(parse_demarche)
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(StoreError::Invalid("champ demarches absent".into())),
    };
    let mut ids: Vec<&str> = demarches.iter().map(|d| d.id.as_str()).collect();
    ids.sort_unstable();
    if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
        return Err(StoreError::Invalid(format!(
            "démarche en double dans le rapport : {}",
            w[0]
        )));
    }
    Ok(ParsedReport {
        finished_at: str_at(&Value::Object(obj.clone()), "finished_at")
            .unwrap_or_else(|| started_at.clone()),
        started_at,
        tool_name: str_at(&tool, "name").unwrap_or_else(|| crate::TOOL_NAME.into()),
        tool_version: str_at(&tool, "version").unwrap_or_default(),
        schema_version: obj
            .get("schema_version")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        config: obj.remove("config").unwrap_or(Value::Null),
        demarches,
    })
}

fn snapshot_of(label: String, run_id: Option<i64>, r: ParsedReport) -> RunSnapshot {
    RunSnapshot {
        label,
        run_id,
        started_at: r.started_at,
        demarches: r
            .demarches
            .into_iter()
            .map(|d| DemarcheSnapshot {
                analysed_pages: d
                    .pages
                    .iter()
                    .filter(|p| p.analysed)
                    .map(|p| page_key(&p.final_url))
                    .collect(),
                findings: d.findings.into_iter().map(|f| f.f).collect(),
                id: d.id,
                name: d.name,
                summary: d.summary,
                sections: d.sections,
            })
            .collect(),
    }
}

/// Read a report.json file as a run snapshot (for diffs against files).
pub fn snapshot_from_file(path: &Path) -> Result<RunSnapshot, StoreError> {
    let v = read_json(path)?;
    Ok(snapshot_of(
        path.display().to_string(),
        None,
        parse_report(v)?,
    ))
}

/// A snapshot of an in-memory report.
pub fn snapshot_from_report(label: &str, report: &Report) -> Result<RunSnapshot, StoreError> {
    Ok(snapshot_of(
        label.to_string(),
        None,
        parse_report(serde_json::to_value(report)?)?,
    ))
}

fn read_json(path: &Path) -> Result<Value, StoreError> {
    let text = std::fs::read_to_string(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text)
        .map_err(|e| StoreError::Invalid(format!("{} : {e}", path.display())))
}

/// Test hook: the kill test sets this variable to stop the process inside the transaction.
const PAUSE_ENV: &str = "VIGIE_TEST_PAUSE_BEFORE_COMMIT_MS";

fn pause_before_commit() {
    if let Some(ms) = std::env::var(PAUSE_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        eprintln!("pause de {ms} ms avant validation de la transaction");
        std::thread::sleep(Duration::from_millis(ms));
    }
}

fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Result of recording a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    New(i64),
    /// The same report (same content) was already in the store.
    AlreadyThere(i64),
}

impl Recorded {
    pub fn run_id(self) -> i64 {
        match self {
            Recorded::New(id) | Recorded::AlreadyThere(id) => id,
        }
    }
}

/// An open store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Open (or create) the database at `path`, in WAL mode, migrated to the current schema.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        // journal_mode answers with the resulting mode.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate(&mut conn)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying connection, for read-only queries by sibling modules and tests.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Record a finished audit.
    pub fn record(&mut self, report: &Report, origin: &str) -> Result<Recorded, StoreError> {
        self.record_value(serde_json::to_value(report)?, origin)
    }

    /// Load an older report.json into the store (idempotent: a run already there is kept).
    pub fn import(&mut self, path: &Path) -> Result<Recorded, StoreError> {
        let v = read_json(path)?;
        self.record_value(v, &format!("import:{}", path.display()))
    }

    fn record_value(&mut self, v: Value, origin: &str) -> Result<Recorded, StoreError> {
        // serde_json maps are sorted, so equal reports print equal.
        let hash = format!("{:016x}", fingerprint::fnv1a64(v.to_string().as_bytes()));
        let r = parse_report(v)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM runs WHERE report_hash = ?1 AND started_at = ?2",
                params![hash, r.started_at],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(id) = existing {
            return Ok(Recorded::AlreadyThere(id));
        }
        tx.execute(
            "INSERT INTO runs (started_at, finished_at, recorded_at, tool_name, tool_version, schema_version, origin, config_json, report_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                r.started_at,
                r.finished_at,
                now_rfc3339(),
                r.tool_name,
                r.tool_version,
                r.schema_version,
                origin,
                r.config.to_string(),
                hash
            ],
        )?;
        let run_id = tx.last_insert_rowid();
        {
            let mut ins_d = tx.prepare(
                "INSERT INTO demarches (run_id, demarche_id, name, operator, ministry, start_url, definition_json, summary_json, pages, failed, cant_tell)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            let mut ins_p = tx.prepare(
                "INSERT INTO pages (run_id, demarche_id, requested_url, final_url, page_key, status, content_type, size, total_ms, depth, fetched_at, error_kind, analysed, page_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?;
            let mut ins_f = tx.prepare(
                "INSERT INTO findings (run_id, demarche_id, fingerprint, rule, outcome, url, page_key, selector, snippet, message, count, finding_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            let mut ins_s = tx.prepare(
                "INSERT INTO sections (run_id, demarche_id, name, json) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for d in &r.demarches {
                ins_d.execute(params![
                    run_id,
                    d.id,
                    d.name,
                    d.operator,
                    d.ministry,
                    d.start_url,
                    d.definition.to_string(),
                    d.summary.to_string(),
                    int_at(&d.summary, "pages"),
                    int_at(&d.summary, "failed"),
                    int_at(&d.summary, "cant_tell"),
                ])?;
                for p in &d.pages {
                    ins_p.execute(params![
                        run_id,
                        d.id,
                        p.requested_url,
                        p.final_url,
                        page_key(&p.final_url),
                        p.status,
                        p.content_type,
                        p.size,
                        p.total_ms,
                        p.depth,
                        p.fetched_at,
                        p.error_kind,
                        p.analysed,
                        p.json.to_string(),
                    ])?;
                }
                for f in &d.findings {
                    ins_f.execute(params![
                        run_id,
                        d.id,
                        f.f.fingerprint,
                        f.f.rule,
                        f.f.outcome,
                        f.f.url,
                        page_key(&f.f.url),
                        f.f.selector,
                        f.f.snippet,
                        f.f.message,
                        f.count,
                        f.json.to_string(),
                    ])?;
                }
                for (name, json) in &d.sections {
                    ins_s.execute(params![run_id, d.id, name, json.to_string()])?;
                }
                // Probes made during the audit count for availability like monitor's.
                if let Some(probes) = d.sections.get("probes") {
                    for p in probes_of_section(probes) {
                        insert_probe(&tx, &p, Some(run_id))?;
                    }
                }
            }
        }
        pause_before_commit();
        tx.commit()?;
        Ok(Recorded::New(run_id))
    }

    /// Every run, oldest first.
    pub fn runs(&self) -> Result<Vec<RunInfo>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT id, started_at, finished_at, tool_version, origin FROM runs ORDER BY started_at, id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(RunInfo {
                id: r.get(0)?,
                started_at: r.get(1)?,
                finished_at: r.get(2)?,
                tool_version: r.get(3)?,
                origin: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Resolve a run reference: a number, `latest`, or `previous` (the one before latest).
    pub fn resolve(&self, reference: &str) -> Result<i64, StoreError> {
        let runs = self.runs()?;
        let found = match reference {
            "latest" | "dernier" => runs.last().map(|r| r.id),
            "previous" | "precedent" | "précédent" => runs
                .len()
                .checked_sub(2)
                .and_then(|i| runs.get(i))
                .map(|r| r.id),
            n => n
                .trim_start_matches('#')
                .parse::<i64>()
                .ok()
                .filter(|id| runs.iter().any(|r| r.id == *id)),
        };
        found.ok_or_else(|| StoreError::NotFound(reference.to_string()))
    }

    /// A stored run as a snapshot.
    pub fn snapshot(&self, run_id: i64) -> Result<RunSnapshot, StoreError> {
        let started_at: String = self
            .conn
            .query_row("SELECT started_at FROM runs WHERE id = ?1", [run_id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("#{run_id}")))?;
        let mut st = self.conn.prepare(
            "SELECT demarche_id, name, summary_json FROM demarches WHERE run_id = ?1 ORDER BY rowid",
        )?;
        let heads = st
            .query_map([run_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut pages_st = self.conn.prepare(
            "SELECT page_key FROM pages WHERE run_id = ?1 AND demarche_id = ?2 AND analysed = 1 ORDER BY id",
        )?;
        let mut findings_st = self.conn.prepare(
            "SELECT fingerprint, rule, outcome, url, selector, snippet, message FROM findings
             WHERE run_id = ?1 AND demarche_id = ?2 ORDER BY id",
        )?;
        let mut sections_st = self
            .conn
            .prepare("SELECT name, json FROM sections WHERE run_id = ?1 AND demarche_id = ?2")?;
        let mut demarches = Vec::with_capacity(heads.len());
        for (id, name, summary) in heads {
            let analysed_pages = pages_st
                .query_map(params![run_id, id], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            let findings = findings_st
                .query_map(params![run_id, id], |r| {
                    Ok(StoredFinding {
                        fingerprint: r.get(0)?,
                        rule: r.get(1)?,
                        outcome: r.get(2)?,
                        url: r.get(3)?,
                        selector: r.get(4)?,
                        snippet: r.get(5)?,
                        message: r.get(6)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            let mut sections = BTreeMap::new();
            for row in sections_st.query_map(params![run_id, id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })? {
                let (name, json) = row?;
                sections.insert(name, serde_json::from_str(&json)?);
            }
            demarches.push(DemarcheSnapshot {
                id,
                name,
                summary: serde_json::from_str(&summary)?,
                analysed_pages,
                findings,
                sections,
            });
        }
        Ok(RunSnapshot {
            label: format!("#{run_id}"),
            run_id: Some(run_id),
            started_at,
            demarches,
        })
    }

    /// Record one availability probe.
    pub fn record_probe(&self, p: &Probe) -> Result<(), StoreError> {
        insert_probe(&self.conn, p, None)
    }
}

fn insert_probe(conn: &Connection, p: &Probe, run_id: Option<i64>) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO probes (url, at_ms, status, ok, total_ms, response_ms, error, run_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            p.url,
            p.at_ms,
            p.status,
            p.ok,
            p.total_ms,
            p.response_ms,
            p.error,
            run_id
        ],
    )?;
    Ok(())
}

/// The probes an audit made of a démarche's start URL (its `probes` section), when present.
fn probes_of_section(v: &Value) -> Vec<Probe> {
    let Some(items) = v.as_array() else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|p| {
            let at = chrono::DateTime::parse_from_rfc3339(p.get("at")?.as_str()?).ok()?;
            Some(Probe {
                url: str_at(p, "url")?,
                at_ms: at.timestamp_millis(),
                status: int_at(p, "status").and_then(|s| u16::try_from(s).ok()),
                ok: p.get("ok")?.as_bool()?,
                total_ms: int_at(p, "total_ms"),
                response_ms: int_at(p, "response_ms"),
                error: str_at(p, "error"),
            })
        })
        .collect()
}

/// One availability probe of a URL.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Probe {
    pub url: String,
    /// When, in milliseconds since the Unix epoch (UTC).
    pub at_ms: i64,
    pub status: Option<u16>,
    /// A 2xx answer without error.
    pub ok: bool,
    pub total_ms: Option<i64>,
    /// Time to the response headers, in milliseconds.
    pub response_ms: Option<i64>,
    pub error: Option<String>,
}
