//! The run store: an embedded SQLite database keeping every audit, so progress can be tracked.
//!
//! report.json stays the exchange format; the store keeps what diffs and history need in typed
//! tables (runs, démarches, pages, findings, probes) and every other per-démarche section of the
//! report (RGAA, Cerfa, indicators…) as JSON in `sections`, so new sections are kept without a
//! migration. A run is written in one transaction: a killed audit leaves no partial run.

pub mod fingerprint;
pub mod journal;
pub mod postgres;
pub mod queue;
pub mod schema;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::stream::ReportSource;
use crate::model::{Report, ReportError};

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
    #[error("PostgreSQL : {0}")]
    Postgres(String),
    #[error("base PostgreSQL injoignable ({db}) : {reason}")]
    Unreachable { db: String, reason: String },
    #[error("{0} : réservé à une base PostgreSQL (--db postgres://…)")]
    NeedsPostgres(&'static str),
    #[error("{0} : réservé à une base SQLite (chemin de fichier)")]
    NeedsSqlite(&'static str),
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
    #[error("campagne introuvable : #{0}")]
    CampaignNotFound(i64),
    #[error("base introuvable : {0} ne contient aucune donnée de vigie (lancer un audit, ou donner --db)")]
    Empty(String),
    #[error(transparent)]
    Report(#[from] ReportError),
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
}

struct ParsedFinding {
    f: StoredFinding,
    count: i64,
}

struct ParsedDemarche {
    id: String,
    name: String,
    summary: Value,
    pages: Vec<ParsedPage>,
    findings: Vec<ParsedFinding>,
    sections: BTreeMap<String, Value>,
}

/// A report.json read leniently: older and newer reports load as long as the core is there.
struct ParsedReport {
    started_at: String,
    demarches: Vec<ParsedDemarche>,
}

fn str_at(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn int_at(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(Value::as_i64)
}

fn parse_finding(demarche: &str, v: &Value) -> Result<ParsedFinding, StoreError> {
    let rule = str_at(v, "rule")
        .ok_or_else(|| StoreError::Invalid(format!("constat sans règle dans {demarche}")))?;
    let outcome = str_at(v, "outcome").unwrap_or_default();
    let url = str_at(v, "url").unwrap_or_default();
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
        count: int_at(v, "count").unwrap_or(1),
        f: StoredFinding {
            fingerprint: fp,
            message: str_at(v, "message").unwrap_or_default(),
            rule,
            outcome,
            url,
            selector,
            snippet,
        },
    })
}

fn parse_page(v: &Value) -> ParsedPage {
    let requested_url = str_at(v, "requested_url").unwrap_or_default();
    ParsedPage {
        final_url: str_at(v, "final_url").unwrap_or_else(|| requested_url.clone()),
        requested_url,
        status: int_at(v, "status"),
        content_type: str_at(v, "content_type"),
        size: int_at(v, "size"),
        total_ms: int_at(v, "total_ms"),
        depth: int_at(v, "depth"),
        fetched_at: str_at(v, "fetched_at"),
        error_kind: v.get("error").and_then(|e| str_at(e, "kind")),
        analysed: v.get("facts").is_some_and(|f| !f.is_null()),
    }
}

fn parse_demarche(v: Value) -> Result<ParsedDemarche, StoreError> {
    let mut d = DemarcheIn::from_value(v)?;
    let head = parse_demarche_head(&d.rest)?;
    let pages = match d.pages.take() {
        Some(items) => items
            .map(|p| p.map(|p| parse_page(&p)))
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let findings = match d.findings.take() {
        Some(items) => items
            .map(|f| f.and_then(|f| parse_finding(&head.id, &f)))
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    Ok(ParsedDemarche {
        id: head.id,
        name: head.name,
        summary: head.summary,
        pages,
        findings,
        sections: head.sections,
    })
}

/// A démarche's members but its pages and findings, read leniently.
struct DemarcheHead {
    id: String,
    name: String,
    operator: String,
    ministry: String,
    start_url: String,
    definition: Value,
    summary: Value,
    sections: BTreeMap<String, Value>,
}

fn parse_demarche_head(rest: &Map<String, Value>) -> Result<DemarcheHead, StoreError> {
    let id = rest
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| StoreError::Invalid("démarche sans identifiant".into()))?
        .to_string();
    let definition: Map<String, Value> = DEFINITION_KEYS
        .iter()
        .filter_map(|k| rest.get(*k).map(|v| ((*k).to_string(), v.clone())))
        .collect();
    let definition = Value::Object(definition);
    let sections = rest
        .iter()
        .filter(|(k, _)| !DEFINITION_KEYS.contains(&k.as_str()) && !CORE_KEYS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(DemarcheHead {
        name: str_at(&definition, "name").unwrap_or_else(|| id.clone()),
        operator: str_at(&definition, "operator").unwrap_or_default(),
        ministry: str_at(&definition, "ministry").unwrap_or_default(),
        start_url: str_at(&definition, "start_url").unwrap_or_default(),
        summary: rest.get("summary").cloned().unwrap_or(Value::Null),
        id,
        definition,
        sections,
    })
}

type Items = Box<dyn Iterator<Item = Result<Value, StoreError>>>;

/// A démarche to record: its small members at once, its pages and findings (the bulk) one at
/// a time, each turned into JSON only when its turn comes.
pub(crate) struct DemarcheIn {
    rest: Map<String, Value>,
    /// None when the report has no such member (older reports), so the hash stays the same.
    pages: Option<Items>,
    findings: Option<Items>,
}

/// A page or finding to store, with its JSON text, written once and hashed from those bytes.
enum Item {
    /// The page, its JSON without its `outcomes` member, and theirs (`None` when absent or null).
    Page(Value, String, Option<String>),
    Finding(Value, String),
}

/// A page's JSON printed once, member by member: into the report hash as the whole page prints
/// (sorted keys, as a `Value` prints), and into the stored text without its compact `outcomes`,
/// kept in their own column: each page used to be printed twice, for the hash and for the row.
fn page_item(v: Value, hash: &mut fingerprint::Fnv1a64) -> Result<Item, StoreError> {
    let Value::Object(map) = &v else {
        let json = serde_json::to_string(&v)?;
        hash.write(json.as_bytes());
        return Ok(Item::Page(v, json, None));
    };
    let mut json = Vec::with_capacity(1024);
    let mut member = Vec::with_capacity(256);
    let mut outcomes = None;
    json.push(b'{');
    hash.write(b"{");
    for (i, (key, val)) in map.iter().enumerate() {
        member.clear();
        serde_json::to_writer(&mut member, key)?;
        member.push(b':');
        let value_at = member.len();
        serde_json::to_writer(&mut member, val)?;
        if i > 0 {
            hash.write(b",");
        }
        hash.write(&member);
        if key == "outcomes" {
            if !val.is_null() {
                outcomes = Some(utf8(member[value_at..].to_vec())?);
            }
        } else {
            if json.len() > 1 {
                json.push(b',');
            }
            json.extend_from_slice(&member);
        }
    }
    json.push(b'}');
    hash.write(b"}");
    Ok(Item::Page(v, utf8(json)?, outcomes))
}

/// serde_json prints UTF-8 only; an error here would be a bug of ours, not a panic.
fn utf8(bytes: Vec<u8>) -> Result<String, StoreError> {
    String::from_utf8(bytes).map_err(|e| StoreError::Invalid(format!("JSON non UTF-8 : {e}")))
}

impl DemarcheIn {
    fn from_value(v: Value) -> Result<DemarcheIn, StoreError> {
        let Value::Object(mut rest) = v else {
            return Err(StoreError::Invalid(
                "démarche qui n'est pas un objet".into(),
            ));
        };
        let mut items = |key: &str| -> Option<Items> {
            match rest.remove(key)? {
                Value::Array(a) => Some(Box::new(a.into_iter().map(Ok))),
                // Not a list: kept as a member, hashed and ignored like before.
                other => {
                    rest.insert(key.to_string(), other);
                    None
                }
            }
        };
        let pages = items("pages");
        let findings = items("findings");
        Ok(DemarcheIn {
            rest,
            pages,
            findings,
        })
    }

    fn from_report(mut d: crate::model::DemarcheReport) -> Result<DemarcheIn, StoreError> {
        let pages = std::mem::take(&mut d.pages);
        let findings = std::mem::take(&mut d.findings);
        let Value::Object(mut rest) = serde_json::to_value(&d)? else {
            return Err(StoreError::Invalid(
                "démarche qui n'est pas un objet".into(),
            ));
        };
        rest.remove("pages");
        rest.remove("findings");
        Ok(DemarcheIn {
            rest,
            pages: Some(Box::new(
                pages
                    .into_iter()
                    .map(|p| serde_json::to_value(p).map_err(StoreError::from)),
            )),
            findings: Some(Box::new(
                findings
                    .into_iter()
                    .map(|f| serde_json::to_value(f).map_err(StoreError::from)),
            )),
        })
    }

    /// Hand each page and finding to `each`, writing into `hash` the démarche's compact JSON
    /// with sorted keys (as a `Value` prints), pages and findings in their place.
    fn stream(
        mut self,
        hash: &mut fingerprint::Fnv1a64,
        mut each: impl FnMut(Item) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut keys: Vec<String> = self.rest.keys().cloned().collect();
        if self.pages.is_some() {
            keys.push("pages".into());
        }
        if self.findings.is_some() {
            keys.push("findings".into());
        }
        keys.sort();
        hash.write(b"{");
        for (i, key) in keys.iter().enumerate() {
            if i > 0 {
                hash.write(b",");
            }
            serde_json::to_writer(&mut *hash, key)?;
            hash.write(b":");
            let items = match key.as_str() {
                "pages" => self.pages.take(),
                "findings" => self.findings.take(),
                _ => None,
            };
            let Some(items) = items else {
                if let Some(v) = self.rest.get(key) {
                    serde_json::to_writer(&mut *hash, v)?;
                }
                continue;
            };
            hash.write(b"[");
            for (k, v) in items.enumerate() {
                let v = v?;
                if k > 0 {
                    hash.write(b",");
                }
                each(if key == "pages" {
                    page_item(v, hash)?
                } else {
                    let json = serde_json::to_string(&v)?;
                    hash.write(json.as_bytes());
                    Item::Finding(v, json)
                })?;
            }
            hash.write(b"]");
        }
        hash.write(b"}");
        Ok(())
    }
}

/// The run fields of a report.json (everything but its démarches), read leniently.
struct ParsedHeader {
    started_at: String,
    finished_at: String,
    tool_name: String,
    tool_version: String,
    schema_version: String,
    config: Value,
}

fn parse_header(obj: &Map<String, Value>) -> Result<ParsedHeader, StoreError> {
    let started_at = obj
        .get("started_at")
        .and_then(Value::as_str)
        .ok_or_else(|| StoreError::Invalid("champ started_at absent".into()))?
        .to_string();
    let tool = obj.get("tool").cloned().unwrap_or(Value::Null);
    Ok(ParsedHeader {
        finished_at: obj
            .get("finished_at")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| started_at.clone()),
        started_at,
        tool_name: str_at(&tool, "name").unwrap_or_else(|| crate::TOOL_NAME.into()),
        tool_version: str_at(&tool, "version").unwrap_or_default(),
        schema_version: obj
            .get("schema_version")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        config: obj.get("config").cloned().unwrap_or(Value::Null),
    })
}

fn parse_report(v: Value) -> Result<ParsedReport, StoreError> {
    let Value::Object(mut obj) = v else {
        return Err(StoreError::Invalid(
            "le rapport n'est pas un objet JSON".into(),
        ));
    };
    let demarches = match obj.remove("demarches") {
        Some(Value::Array(a)) => a
            .into_iter()
            .map(parse_demarche)
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(StoreError::Invalid("champ demarches absent".into())),
    };
    let h = parse_header(&obj)?;
    Ok(ParsedReport {
        started_at: h.started_at,
        demarches,
    })
}

/// The hash of a report as recorded (FNV-1a of its compact JSON, keys sorted as serde_json
/// prints a `Value`), computed from its header and then each démarche in turn: equal to hashing
/// the whole report printed at once, so an import of the report.json of a recorded run is
/// recognised.
struct ReportHash {
    h: fingerprint::Fnv1a64,
    first: bool,
    suffix: String,
}

impl ReportHash {
    fn new(header: &Map<String, Value>) -> ReportHash {
        let member = |k: &String, v: &Value| {
            format!(
                "{}:{v}",
                serde_json::to_string(k).unwrap_or_else(|_| format!("{k:?}"))
            )
        };
        let before: Vec<String> = header
            .iter()
            .filter(|(k, _)| k.as_str() < "demarches")
            .map(|(k, v)| member(k, v))
            .collect();
        let after: Vec<String> = header
            .iter()
            .filter(|(k, _)| k.as_str() > "demarches")
            .map(|(k, v)| member(k, v))
            .collect();
        let mut h = fingerprint::Fnv1a64::default();
        h.write(b"{");
        for m in &before {
            h.write(m.as_bytes());
            h.write(b",");
        }
        h.write(b"\"demarches\":[");
        let mut suffix = String::from("]");
        for m in &after {
            suffix.push(',');
            suffix.push_str(m);
        }
        suffix.push('}');
        ReportHash {
            h,
            first: true,
            suffix,
        }
    }

    /// The hasher, positioned for the next démarche's JSON.
    fn next_demarche(&mut self) -> &mut fingerprint::Fnv1a64 {
        if !self.first {
            self.h.write(b",");
        }
        self.first = false;
        &mut self.h
    }

    fn finish(mut self) -> String {
        self.h.write(self.suffix.as_bytes());
        format!("{:016x}", self.h.finish())
    }
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

/// A value bound to a statement, on either backend.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl From<i64> for Param {
    fn from(v: i64) -> Param {
        Param::Int(v)
    }
}

impl From<bool> for Param {
    fn from(v: bool) -> Param {
        Param::Int(v.into())
    }
}

impl From<&str> for Param {
    fn from(v: &str) -> Param {
        Param::Text(v.to_string())
    }
}

impl From<String> for Param {
    fn from(v: String) -> Param {
        Param::Text(v)
    }
}

impl<T: Into<Param>> From<Option<T>> for Param {
    fn from(v: Option<T>) -> Param {
        v.map(Into::into).unwrap_or(Param::Null)
    }
}

impl rusqlite::ToSql for Param {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Param::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Param::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Param::Real(v) => ToSqlOutput::Borrowed(ValueRef::Real(*v)),
            Param::Text(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
        })
    }
}

/// A value read from a row, on either backend.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl Val {
    pub fn int(&self) -> Option<i64> {
        match self {
            Val::Int(v) => Some(*v),
            _ => None,
        }
    }

    pub fn real(&self) -> Option<f64> {
        match self {
            Val::Real(v) => Some(*v),
            Val::Int(v) => Some(*v as f64),
            _ => None,
        }
    }

    pub fn text(&self) -> Option<String> {
        match self {
            Val::Text(v) => Some(v.clone()),
            _ => None,
        }
    }
}

/// The database behind a store: the embedded SQLite file (the default) or a PostgreSQL server
/// shared by several machines.
enum Backend {
    Sqlite(Connection),
    Postgres(postgres::PgConn),
}

/// An open store.
pub struct Store {
    backend: Backend,
    /// The SQLite file; for PostgreSQL, the URL without password (for messages).
    path: PathBuf,
    /// The PostgreSQL URL as given (the journal and workers open connections of their own).
    url: Option<String>,
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
        // A new database gives freed pages back to the disk on demand (the campaign journal's,
        // once its run is recorded); this can only be chosen before the first table.
        let tables: i64 = conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))?;
        if tables == 0 {
            conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
        }
        // journal_mode answers with the resulting mode.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate(&mut conn)?;
        Ok(Store {
            backend: Backend::Sqlite(conn),
            path: path.to_path_buf(),
            url: None,
        })
    }

    /// Open the store `--db` names: a `postgres://` URL, or else a SQLite file path.
    pub fn open_db(db: &str) -> Result<Store, StoreError> {
        if !postgres::is_url(db) {
            return Store::open(Path::new(db));
        }
        let pg = postgres::PgConn::connect(db)?;
        postgres::migrate(&pg)?;
        Ok(Store {
            path: PathBuf::from(pg.label()),
            backend: Backend::Postgres(pg),
            url: Some(db.to_string()),
        })
    }

    /// Open the store `--db` names for reading: a PostgreSQL database that vigie never wrote
    /// to is refused and left as it is (as a missing SQLite file is, by the CLI), not created.
    pub fn open_existing_db(db: &str) -> Result<Store, StoreError> {
        if !postgres::is_url(db) {
            return Store::open(Path::new(db));
        }
        let pg = postgres::PgConn::connect(db)?;
        let created = pg
            .query("SELECT to_regclass('vigie_schema') IS NOT NULL", vec![])?
            .first()
            .and_then(|r| r.first())
            .and_then(Val::int)
            == Some(1);
        if !created {
            return Err(StoreError::Empty(pg.label().to_string()));
        }
        postgres::migrate(&pg)?;
        Ok(Store {
            path: PathBuf::from(pg.label()),
            backend: Backend::Postgres(pg),
            url: Some(db.to_string()),
        })
    }

    /// The SQLite file, or the PostgreSQL URL without password.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The PostgreSQL URL as given, with its password (None on SQLite): never print it.
    pub(crate) fn postgres_url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The SQLite connection (None on PostgreSQL), for the journal and tests.
    pub fn sqlite(&self) -> Option<&Connection> {
        match &self.backend {
            Backend::Sqlite(c) => Some(c),
            Backend::Postgres(_) => None,
        }
    }

    /// The PostgreSQL connection (None on SQLite), for the campaign queue.
    pub fn postgres(&self) -> Option<&postgres::PgConn> {
        match &self.backend {
            Backend::Sqlite(_) => None,
            Backend::Postgres(p) => Some(p),
        }
    }

    /// Rows of a read query written for SQLite (`?N` placeholders, portable SQL), on either
    /// backend.
    pub fn query(&self, sql: &str, params: Vec<Param>) -> Result<Vec<Vec<Val>>, StoreError> {
        match &self.backend {
            Backend::Postgres(pg) => pg.query(sql, params),
            Backend::Sqlite(conn) => sqlite_query(conn, sql, params),
        }
    }

    /// Record a run (one transaction; a run already there, same report and start, is kept).
    pub fn record(&mut self, report: &Report, origin: &str) -> Result<Recorded, StoreError> {
        self.record_source(report, origin)
    }

    /// Record a run from any report source, one démarche at a time: memory does not grow with
    /// the run's size.
    pub fn record_source<S: ReportSource>(
        &mut self,
        src: &S,
        origin: &str,
    ) -> Result<Recorded, StoreError> {
        let Value::Object(header) = serde_json::to_value(src.header())? else {
            return Err(StoreError::Invalid("en-tête de rapport illisible".into()));
        };
        self.record_stream(header, origin, |f| {
            src.each_demarche(|d| f(DemarcheIn::from_report(d)?))
        })
    }

    /// Load an older report.json into the store (idempotent: a run already there is kept). The
    /// file is read twice (its header, then its démarches one at a time), never whole.
    pub fn import(&mut self, path: &Path) -> Result<Recorded, StoreError> {
        let header = crate::model::stream::read_header(path)?;
        self.record_stream(header, &format!("import:{}", path.display()), |f| {
            crate::model::stream::for_each_demarche_in::<Value, StoreError>(path, |v| {
                f(DemarcheIn::from_value(v)?)
            })
        })
    }

    /// Record a run from its header and a feeder handing each démarche (as JSON) to the given
    /// callback. The report hash is computed on the way; if an equal run is already there, the
    /// transaction is rolled back and that run is named.
    fn record_stream(
        &mut self,
        header: Map<String, Value>,
        origin: &str,
        feed: impl FnOnce(
            &mut dyn FnMut(DemarcheIn) -> Result<(), StoreError>,
        ) -> Result<(), StoreError>,
    ) -> Result<Recorded, StoreError> {
        match &mut self.backend {
            Backend::Sqlite(conn) => record_stream_sqlite(conn, header, origin, feed),
            Backend::Postgres(pg) => postgres::record_stream(pg, header, origin, feed),
        }
    }
}

/// Rows of a read query on a SQLite connection, as values.
pub(crate) fn sqlite_query(
    conn: &Connection,
    sql: &str,
    params: Vec<Param>,
) -> Result<Vec<Vec<Val>>, StoreError> {
    let mut st = conn.prepare(sql)?;
    let n = st.column_count();
    let rows = st.query_map(rusqlite::params_from_iter(params.iter()), |r| {
        (0..n)
            .map(|i| {
                use rusqlite::types::ValueRef;
                Ok(match r.get_ref(i)? {
                    ValueRef::Null => Val::Null,
                    ValueRef::Integer(v) => Val::Int(v),
                    ValueRef::Real(v) => Val::Real(v),
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        Val::Text(String::from_utf8_lossy(t).into_owned())
                    }
                })
            })
            .collect::<rusqlite::Result<Vec<Val>>>()
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// [`Store::record_stream`] on SQLite: one immediate transaction, statements prepared once.
fn record_stream_sqlite(
    conn: &mut Connection,
    header: Map<String, Value>,
    origin: &str,
    feed: impl FnOnce(&mut dyn FnMut(DemarcheIn) -> Result<(), StoreError>) -> Result<(), StoreError>,
) -> Result<Recorded, StoreError> {
    let r = parse_header(&header)?;
    let mut hash = ReportHash::new(&header);
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
            "INSERT INTO runs (started_at, finished_at, recorded_at, tool_name, tool_version, schema_version, origin, config_json, report_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '')",
            params![
                r.started_at,
                r.finished_at,
                now_rfc3339(),
                r.tool_name,
                r.tool_version,
                r.schema_version,
                origin,
                r.config.to_string(),
            ],
        )?;
    let run_id = tx.last_insert_rowid();
    {
        let mut ins_d = tx.prepare(
                "INSERT INTO demarches (run_id, demarche_id, name, operator, ministry, start_url, definition_json, summary_json, pages, failed, cant_tell)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
        let mut ins_p = tx.prepare(
                "INSERT INTO pages (run_id, demarche_id, requested_url, final_url, page_key, status, content_type, size, total_ms, depth, fetched_at, error_kind, analysed, page_json, outcomes_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?;
        let mut ins_f = tx.prepare(
                "INSERT INTO findings (run_id, demarche_id, fingerprint, rule, outcome, url, page_key, selector, snippet, message, count, finding_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
        let mut ins_s = tx.prepare(
            "INSERT INTO sections (run_id, demarche_id, name, json) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut ids = std::collections::HashSet::new();
        feed(&mut |d: DemarcheIn| {
            let head = parse_demarche_head(&d.rest)?;
            if !ids.insert(head.id.clone()) {
                return Err(StoreError::Invalid(format!(
                    "démarche en double dans le rapport : {}",
                    head.id
                )));
            }
            let id = head.id.as_str();
            ins_d.execute(params![
                run_id,
                id,
                head.name,
                head.operator,
                head.ministry,
                head.start_url,
                head.definition.to_string(),
                head.summary.to_string(),
                int_at(&head.summary, "pages"),
                int_at(&head.summary, "failed"),
                int_at(&head.summary, "cant_tell"),
            ])?;
            for (name, json) in &head.sections {
                ins_s.execute(params![run_id, id, name, json.to_string()])?;
            }
            // Probes made during the audit count for availability like monitor's.
            if let Some(probes) = head.sections.get("probes") {
                for p in probes_of_section(probes) {
                    insert_probe(&tx, &p, Some(run_id))?;
                }
            }
            // Pages and findings one at a time, hashed in place.
            d.stream(hash.next_demarche(), |item| {
                match item {
                    Item::Page(v, json, outcomes) => {
                        let p = parse_page(&v);
                        ins_p.execute(params![
                            run_id,
                            id,
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
                            json,
                            outcomes,
                        ])?;
                    }
                    Item::Finding(v, json) => {
                        let f = parse_finding(id, &v)?;
                        ins_f.execute(params![
                            run_id,
                            id,
                            f.f.fingerprint,
                            f.f.rule,
                            f.f.outcome,
                            f.f.url,
                            page_key(&f.f.url),
                            f.f.selector,
                            f.f.snippet,
                            f.f.message,
                            f.count,
                            json,
                        ])?;
                    }
                }
                Ok(())
            })
        })?;
    }
    let hash = hash.finish();
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM runs WHERE report_hash = ?1 AND started_at = ?2 AND id <> ?3",
            params![hash, r.started_at, run_id],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(id) = existing {
        tx.rollback()?;
        return Ok(Recorded::AlreadyThere(id));
    }
    tx.execute(
        "UPDATE runs SET report_hash = ?1 WHERE id = ?2",
        params![hash, run_id],
    )?;
    pause_before_commit();
    tx.commit()?;
    Ok(Recorded::New(run_id))
}

impl Store {
    /// Every run, oldest first.
    pub fn runs(&self) -> Result<Vec<RunInfo>, StoreError> {
        let conn = match &self.backend {
            Backend::Sqlite(conn) => conn,
            Backend::Postgres(pg) => return postgres::runs(pg),
        };
        let mut st = conn.prepare(
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
        self.snapshot_filtered(run_id, None)
    }

    /// One démarche of a run (None when the run did not audit it): what a history needs, without
    /// loading the other démarches' findings.
    pub fn demarche_snapshot(
        &self,
        run_id: i64,
        demarche_id: &str,
    ) -> Result<Option<DemarcheSnapshot>, StoreError> {
        Ok(self
            .snapshot_filtered(run_id, Some(demarche_id))?
            .demarches
            .into_iter()
            .next())
    }

    fn snapshot_filtered(
        &self,
        run_id: i64,
        only: Option<&str>,
    ) -> Result<RunSnapshot, StoreError> {
        let conn = match &self.backend {
            Backend::Sqlite(conn) => conn,
            Backend::Postgres(pg) => return postgres::snapshot_filtered(pg, run_id, only),
        };
        let started_at: String = conn
            .query_row("SELECT started_at FROM runs WHERE id = ?1", [run_id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("#{run_id}")))?;
        let mut st = conn.prepare(
            "SELECT demarche_id, name, summary_json FROM demarches
             WHERE run_id = ?1 AND (?2 IS NULL OR demarche_id = ?2) ORDER BY rowid",
        )?;
        let heads = st
            .query_map(params![run_id, only], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut pages_st = conn.prepare(
            "SELECT page_key FROM pages WHERE run_id = ?1 AND demarche_id = ?2 AND analysed = 1 ORDER BY id",
        )?;
        let mut findings_st = conn.prepare(
            "SELECT fingerprint, rule, outcome, url, selector, snippet, message FROM findings
             WHERE run_id = ?1 AND demarche_id = ?2 ORDER BY id",
        )?;
        let mut sections_st =
            conn.prepare("SELECT name, json FROM sections WHERE run_id = ?1 AND demarche_id = ?2")?;
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
        match &self.backend {
            Backend::Sqlite(conn) => insert_probe(conn, p, None),
            Backend::Postgres(pg) => pg
                .execute(postgres::INSERT_PROBE, postgres::probe_params(p, None))
                .map(|_| ()),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The streamed hash equals FNV-1a of the whole report printed at once, whatever members
    /// sort before or after `demarches` (so earlier recorded runs are still recognised).
    #[test]
    fn streamed_report_hash_equals_the_whole_one() {
        let whole = serde_json::json!({
            "config": {"max_pages": 3},
            "a_member_before": [1, "é"],
            "demarches": [
                {"id": "a", "pages": [], "findings": [{"rule": "r"}], "summary": {"x": 1}},
                {"id": "b\"c", "pages": [1, {"u": 2}, {"a": 1, "outcomes": {"p": ["r"]}, "z": "é"}, {"outcomes": null, "u": 3}], "zeta": true},
                {"id": "d", "pages": "pas une liste"},
                {"id": "e"}
            ],
            "finished_at": "2026-11-26T00:00:00Z",
            "started_at": "2026-11-26T00:00:00Z",
            "tool": {"name": "vigie"},
            "zz": null,
        });
        let expected = format!(
            "{:016x}",
            fingerprint::fnv1a64(whole.to_string().as_bytes())
        );
        let Value::Object(mut header) = whole.clone() else {
            panic!("object")
        };
        let Some(Value::Array(demarches)) = header.remove("demarches") else {
            panic!("demarches")
        };
        let mut hash = ReportHash::new(&header);
        let mut seen = Vec::new();
        for d in demarches {
            let d = DemarcheIn::from_value(d).expect("object");
            d.stream(hash.next_demarche(), |item| {
                seen.push(match item {
                    Item::Page(v, json, outcomes) => {
                        // The text is the page's, but for its outcomes.
                        let mut without = v.clone();
                        if let Some(o) = without.as_object_mut() {
                            o.remove("outcomes");
                        }
                        assert_eq!(json, without.to_string());
                        format!("page {json} {outcomes:?}")
                    }
                    Item::Finding(v, json) => {
                        assert_eq!(json, v.to_string());
                        format!("finding {json}")
                    }
                });
                Ok(())
            })
            .expect("stream");
        }
        assert_eq!(hash.finish(), expected);
        // Findings sort before pages; "pages" that is not a list is no page.
        assert_eq!(
            seen,
            vec![
                "finding {\"rule\":\"r\"}",
                "page 1 None",
                "page {\"u\":2} None",
                "page {\"a\":1,\"z\":\"é\"} Some(\"{\\\"p\\\":[\\\"r\\\"]}\")",
                "page {\"u\":3} None",
            ]
        );

        // And for a run without démarches.
        let empty = serde_json::json!({"demarches": [], "started_at": "x"});
        let mut header = empty.as_object().cloned().unwrap_or_default();
        header.remove("demarches");
        assert_eq!(
            ReportHash::new(&header).finish(),
            format!(
                "{:016x}",
                fingerprint::fnv1a64(empty.to_string().as_bytes())
            )
        );
    }
}
