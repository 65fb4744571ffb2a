//! The PostgreSQL backend: one connection owned by a dedicated thread.
//!
//! The sync `postgres` client drives its own runtime and panics when called from inside
//! another one, and the CLI runs in tokio: so the client lives on a plain thread and callers
//! hand it closures over a channel (owned data in, owned data out). Calls are sequential, as
//! on one connection; a transaction is a `BEGIN`…`COMMIT` across calls.

use std::sync::mpsc::{self, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::BytesMut;
use postgres::types::{IsNull, ToSql, Type};
use postgres::{Client, NoTls};

use super::{Param, StoreError, Val};

type Job = Box<dyn FnOnce(&mut Client) + Send>;

/// Whether `--db` names a PostgreSQL database rather than a SQLite file.
pub fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            u.to_string()
        }
        Err(_) => "postgres://…".to_string(),
    }
}

/// A `--db` value for messages: a URL without password, a path as it is.
pub fn redact_if_url(db: &str) -> String {
    if is_url(db) {
        redact(db)
    } else {
        db.to_string()
    }
}

/// A PostgreSQL error as the user reads it: the server's message when it sent one.
pub fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => e.to_string(),
    }
}

/// One connection on its own thread.
pub struct PgConn {
    tx: Option<SyncSender<Job>>,
    handle: Option<JoinHandle<()>>,
    label: String,
    /// The first error of a statement sent without waiting ([`PgConn::send`]).
    failure: Arc<Mutex<Option<String>>>,
}

impl PgConn {
    /// Connect (10 s at most unless the URL says otherwise).
    pub fn connect(url: &str) -> Result<PgConn, StoreError> {
        let label = redact(url);
        let unreachable = |reason: String| StoreError::Unreachable {
            db: label.clone(),
            reason,
        };
        let mut config: postgres::Config = url
            .parse()
            .map_err(|e: postgres::Error| unreachable(format!("adresse invalide : {e}")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        config.application_name("vigie");
        let (tx, rx) = mpsc::sync_channel::<Job>(64);
        let (ready, wait) = mpsc::sync_channel::<Result<(), String>>(1);
        let handle = std::thread::Builder::new()
            .name("vigie-postgres".into())
            .spawn(move || match config.connect(NoTls) {
                Ok(mut client) => {
                    let _ = ready.send(Ok(()));
                    while let Ok(job) = rx.recv() {
                        job(&mut client);
                    }
                }
                Err(e) => {
                    let _ = ready.send(Err(describe(&e)));
                }
            })
            .map_err(|e| unreachable(e.to_string()))?;
        match wait.recv() {
            Ok(Ok(())) => Ok(PgConn {
                tx: Some(tx),
                handle: Some(handle),
                label,
                failure: Arc::default(),
            }),
            Ok(Err(reason)) => {
                let _ = handle.join();
                Err(unreachable(reason))
            }
            Err(_) => Err(unreachable("connexion interrompue".into())),
        }
    }

    /// The database's URL without password.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Run `f` on the connection and wait for its result.
    pub fn call<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Client) -> R + Send + 'static,
    ) -> Result<R, StoreError> {
        let (reply, wait) = mpsc::sync_channel(1);
        let lost = || StoreError::Postgres("connexion à PostgreSQL perdue".into());
        self.tx
            .as_ref()
            .ok_or_else(lost)?
            .send(Box::new(move |c| {
                let _ = reply.send(f(c));
            }))
            .map_err(|_| lost())?;
        wait.recv().map_err(|_| lost())
    }

    /// Run one statement without waiting for it (the queue is bounded: a slow database makes
    /// the caller wait); its error, if any, is answered by the next [`PgConn::flush`].
    pub fn send(&self, sql: &'static str, params: Vec<Param>) -> Result<(), StoreError> {
        self.send_then(sql, params, |_| {})
    }

    /// [`PgConn::send`], handing the number of rows the statement changed to `then` (on the
    /// connection's thread).
    pub fn send_then(
        &self,
        sql: &'static str,
        params: Vec<Param>,
        then: impl FnOnce(u64) + Send + 'static,
    ) -> Result<(), StoreError> {
        let failure = self.failure.clone();
        let job: Job = Box::new(move |c| {
            let refs: Vec<&(dyn ToSql + Sync)> =
                params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            match c.execute(sql, &refs) {
                Ok(n) => then(n),
                Err(e) => {
                    if let Ok(mut f) = failure.lock() {
                        f.get_or_insert_with(|| describe(&e));
                    }
                }
            }
        });
        self.tx
            .as_ref()
            .ok_or_else(|| StoreError::Postgres("connexion à PostgreSQL perdue".into()))?
            .send(job)
            .map_err(|_| StoreError::Postgres("connexion à PostgreSQL perdue".into()))
    }

    /// Wait until every statement sent so far ran; the first error among them.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.call(|_| ())?;
        match self.failure.lock().ok().and_then(|f| f.clone()) {
            Some(e) => Err(StoreError::Postgres(e)),
            None => Ok(()),
        }
    }

    /// Run SQL statements (no parameters, no rows).
    pub fn batch(&self, sql: &str) -> Result<(), StoreError> {
        let sql = sql.to_string();
        self.call(move |c| c.batch_execute(&sql))?
            .map_err(|e| StoreError::Postgres(describe(&e)))
    }

    /// One statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: Vec<Param>) -> Result<u64, StoreError> {
        let sql = placeholders(sql);
        self.call(move |c| {
            let refs: Vec<&(dyn ToSql + Sync)> =
                params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            c.execute(sql.as_str(), &refs)
        })?
        .map_err(|e| StoreError::Postgres(describe(&e)))
    }

    /// One statement run once per parameter list (prepared once), in one call.
    pub fn execute_many(&self, sql: &str, rows: Vec<Vec<Param>>) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let sql = placeholders(sql);
        self.call(move |c| -> Result<(), postgres::Error> {
            let st = c.prepare(&sql)?;
            for params in &rows {
                let refs: Vec<&(dyn ToSql + Sync)> =
                    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
                c.execute(&st, &refs)?;
            }
            Ok(())
        })?
        .map_err(|e| StoreError::Postgres(describe(&e)))
    }

    /// Rows of a query, as values.
    pub fn query(&self, sql: &str, params: Vec<Param>) -> Result<Vec<Vec<Val>>, StoreError> {
        let sql = placeholders(sql);
        self.call(move |c| -> Result<Vec<Vec<Val>>, StoreError> {
            let refs: Vec<&(dyn ToSql + Sync)> =
                params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            let rows = c
                .query(sql.as_str(), &refs)
                .map_err(|e| StoreError::Postgres(describe(&e)))?;
            rows.iter().map(row_values).collect()
        })?
    }
}

impl Drop for PgConn {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// SQLite's `?N` placeholders as PostgreSQL's `$N` (our SQL has no other question mark).
pub fn placeholders(sql: &str) -> String {
    sql.replace('?', "$")
}

fn row_values(row: &postgres::Row) -> Result<Vec<Val>, StoreError> {
    let err = |e: postgres::Error| StoreError::Postgres(describe(&e));
    (0..row.len())
        .map(|i| {
            let ty = row.columns()[i].type_().clone();
            Ok(match ty {
                Type::INT8 => row.try_get::<_, Option<i64>>(i).map_err(err)?.map(Val::Int),
                Type::INT4 => row
                    .try_get::<_, Option<i32>>(i)
                    .map_err(err)?
                    .map(|v| Val::Int(v.into())),
                Type::INT2 => row
                    .try_get::<_, Option<i16>>(i)
                    .map_err(err)?
                    .map(|v| Val::Int(v.into())),
                Type::FLOAT8 => row
                    .try_get::<_, Option<f64>>(i)
                    .map_err(err)?
                    .map(Val::Real),
                Type::FLOAT4 => row
                    .try_get::<_, Option<f32>>(i)
                    .map_err(err)?
                    .map(|v| Val::Real(v.into())),
                Type::BOOL => row
                    .try_get::<_, Option<bool>>(i)
                    .map_err(err)?
                    .map(|v| Val::Int(v.into())),
                _ => row
                    .try_get::<_, Option<String>>(i)
                    .map_err(err)?
                    .map(Val::Text),
            }
            .unwrap_or(Val::Null))
        })
        .collect()
}

impl ToSql for Param {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(v) => match *ty {
                Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
                Type::BOOL => (*v != 0).to_sql(ty, out),
                Type::FLOAT8 => (*v as f64).to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Param::Real(v) => v.to_sql(ty, out),
            Param::Text(v) => v.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// Migrations of the PostgreSQL schema, the same versions as SQLite's (`schema::MIGRATIONS`)
/// in PostgreSQL's types; a number means one schema on both backends.
pub const MIGRATIONS: &[&str] = &[
    // 1
    r#"
    CREATE TABLE runs (
        id              BIGSERIAL PRIMARY KEY,
        started_at      TEXT NOT NULL,
        finished_at     TEXT NOT NULL,
        recorded_at     TEXT NOT NULL,
        tool_name       TEXT NOT NULL,
        tool_version    TEXT NOT NULL,
        schema_version  TEXT NOT NULL,
        origin          TEXT NOT NULL,
        config_json     TEXT NOT NULL,
        report_hash     TEXT NOT NULL
    );
    CREATE INDEX runs_hash ON runs(report_hash);
    CREATE TABLE demarches (
        ord             BIGSERIAL,
        run_id          BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        demarche_id     TEXT NOT NULL,
        name            TEXT NOT NULL,
        operator        TEXT NOT NULL,
        ministry        TEXT NOT NULL,
        start_url       TEXT NOT NULL,
        definition_json TEXT NOT NULL,
        summary_json    TEXT NOT NULL,
        pages           BIGINT,
        failed          BIGINT,
        cant_tell       BIGINT,
        PRIMARY KEY (run_id, demarche_id)
    );
    CREATE TABLE pages (
        id              BIGSERIAL PRIMARY KEY,
        run_id          BIGINT NOT NULL,
        demarche_id     TEXT NOT NULL,
        requested_url   TEXT NOT NULL,
        final_url       TEXT NOT NULL,
        page_key        TEXT NOT NULL,
        status          BIGINT,
        content_type    TEXT,
        size            BIGINT,
        total_ms        BIGINT,
        depth           BIGINT,
        fetched_at      TEXT,
        error_kind      TEXT,
        analysed        BIGINT NOT NULL,
        page_json       TEXT NOT NULL,
        FOREIGN KEY (run_id, demarche_id) REFERENCES demarches(run_id, demarche_id) ON DELETE CASCADE
    );
    CREATE INDEX pages_run ON pages(run_id, demarche_id);
    CREATE TABLE findings (
        id              BIGSERIAL PRIMARY KEY,
        run_id          BIGINT NOT NULL,
        demarche_id     TEXT NOT NULL,
        fingerprint     TEXT NOT NULL,
        rule            TEXT NOT NULL,
        outcome         TEXT NOT NULL,
        url             TEXT NOT NULL,
        page_key        TEXT NOT NULL,
        selector        TEXT,
        snippet         TEXT,
        message         TEXT NOT NULL,
        count           BIGINT NOT NULL,
        finding_json    TEXT NOT NULL,
        FOREIGN KEY (run_id, demarche_id) REFERENCES demarches(run_id, demarche_id) ON DELETE CASCADE
    );
    CREATE INDEX findings_run ON findings(run_id, demarche_id);
    CREATE INDEX findings_fingerprint ON findings(fingerprint);
    CREATE TABLE sections (
        run_id          BIGINT NOT NULL,
        demarche_id     TEXT NOT NULL,
        name            TEXT NOT NULL,
        json            TEXT NOT NULL,
        PRIMARY KEY (run_id, demarche_id, name),
        FOREIGN KEY (run_id, demarche_id) REFERENCES demarches(run_id, demarche_id) ON DELETE CASCADE
    );
    CREATE TABLE probes (
        id              BIGSERIAL PRIMARY KEY,
        url             TEXT NOT NULL,
        at_ms           BIGINT NOT NULL,
        status          BIGINT,
        ok              BIGINT NOT NULL,
        total_ms        BIGINT,
        response_ms     BIGINT,
        error           TEXT,
        run_id          BIGINT REFERENCES runs(id) ON DELETE CASCADE
    );
    CREATE INDEX probes_url_at ON probes(url, at_ms);
    "#,
    // 2
    r#"
    CREATE TABLE campaigns (
        id              BIGSERIAL PRIMARY KEY,
        started_at      TEXT NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('running', 'done')),
        demarches_json  TEXT NOT NULL,
        settings_json   TEXT NOT NULL,
        run_id          BIGINT REFERENCES runs(id) ON DELETE SET NULL
    );
    CREATE TABLE campaign_pages (
        campaign_id     BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        demarche_id     TEXT NOT NULL,
        seq             BIGINT NOT NULL,
        url             TEXT NOT NULL,
        page_json       TEXT NOT NULL,
        PRIMARY KEY (campaign_id, demarche_id, seq)
    );
    CREATE TABLE campaign_demarches (
        campaign_id     BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        demarche_id     TEXT NOT NULL,
        probes_json     TEXT NOT NULL,
        PRIMARY KEY (campaign_id, demarche_id)
    );
    "#,
    // 3
    r#"
    ALTER TABLE pages ADD COLUMN outcomes_json TEXT;
    "#,
    // 4
    super::schema::QUEUE_PG,
    // 5
    super::schema::DECLARATIONS,
];

/// Bring the database to the current version, one migration per transaction; the version is
/// read under an advisory lock, so two processes opening a new database do not both migrate.
/// A database of a newer vigie is refused before anything is written.
pub fn migrate(pg: &PgConn) -> Result<(), StoreError> {
    let supported = super::schema::current_version();
    pg.call(move |c| -> Result<(), StoreError> {
        let e = |e: postgres::Error| StoreError::Postgres(describe(&e));
        loop {
            let mut tx = c.transaction().map_err(e)?;
            tx.execute("SELECT pg_advisory_xact_lock(7470119105)", &[])
                .map_err(e)?;
            let exists: bool = tx
                .query_one("SELECT to_regclass('vigie_schema') IS NOT NULL", &[])
                .and_then(|r| r.try_get(0))
                .map_err(e)?;
            let version: i64 = if exists {
                tx.query_opt("SELECT version FROM vigie_schema", &[])
                    .map_err(e)?
                    .map(|r| r.try_get(0))
                    .transpose()
                    .map_err(e)?
                    .unwrap_or(0)
            } else {
                0
            };
            if version > supported {
                return Err(StoreError::TooNew {
                    found: version,
                    supported,
                });
            }
            let Some(sql) = MIGRATIONS.get(version.max(0) as usize) else {
                return Ok(());
            };
            if !exists {
                tx.batch_execute(
                    "CREATE TABLE vigie_schema (version BIGINT NOT NULL);
                     INSERT INTO vigie_schema VALUES (0);",
                )
                .map_err(e)?;
            }
            tx.batch_execute(sql).map_err(e)?;
            tx.execute(
                "UPDATE vigie_schema SET version = $1",
                &[&(version.max(0) + 1)],
            )
            .map_err(e)?;
            tx.commit().map_err(e)?;
        }
    })?
}

pub const INSERT_PROBE: &str =
    "INSERT INTO probes (url, at_ms, status, ok, total_ms, response_ms, error, run_id)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

pub fn probe_params(p: &super::Probe, run_id: Option<i64>) -> Vec<Param> {
    vec![
        p.url.as_str().into(),
        p.at_ms.into(),
        p.status.map(i64::from).into(),
        p.ok.into(),
        p.total_ms.into(),
        p.response_ms.into(),
        p.error.clone().into(),
        run_id.into(),
    ]
}

/// [`super::Store::record_stream`] on PostgreSQL: one transaction; each démarche's rows are
/// sent to the connection together (memory bounded by the largest démarche).
pub(super) fn record_stream(
    pg: &PgConn,
    header: serde_json::Map<String, serde_json::Value>,
    origin: &str,
    feed: impl FnOnce(
        &mut dyn FnMut(super::DemarcheIn) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>,
) -> Result<super::Recorded, StoreError> {
    use super::{
        int_at, page_key, parse_demarche_head, parse_finding, parse_header, parse_page,
        probes_of_section, Item, Recorded, ReportHash,
    };
    let r = parse_header(&header)?;
    let mut hash = ReportHash::new(&header);
    pg.batch("BEGIN")?;
    let result = (|| -> Result<Recorded, StoreError> {
        let run_id = pg
            .query(
                "INSERT INTO runs (started_at, finished_at, recorded_at, tool_name, tool_version, schema_version, origin, config_json, report_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '') RETURNING id",
                vec![
                    r.started_at.as_str().into(),
                    r.finished_at.as_str().into(),
                    super::now_rfc3339().into(),
                    r.tool_name.as_str().into(),
                    r.tool_version.as_str().into(),
                    r.schema_version.as_str().into(),
                    origin.into(),
                    r.config.to_string().into(),
                ],
            )?
            .first()
            .and_then(|row| row.first())
            .and_then(Val::int)
            .ok_or_else(|| StoreError::Postgres("identifiant d'exécution absent".into()))?;
        let mut ids = std::collections::HashSet::new();
        feed(&mut |d: super::DemarcheIn| {
            let head = parse_demarche_head(&d.rest)?;
            if !ids.insert(head.id.clone()) {
                return Err(StoreError::Invalid(format!(
                    "démarche en double dans le rapport : {}",
                    head.id
                )));
            }
            let id = head.id.clone();
            pg.execute(
                "INSERT INTO demarches (run_id, demarche_id, name, operator, ministry, start_url, definition_json, summary_json, pages, failed, cant_tell)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                vec![
                    run_id.into(),
                    id.as_str().into(),
                    head.name.as_str().into(),
                    head.operator.as_str().into(),
                    head.ministry.as_str().into(),
                    head.start_url.as_str().into(),
                    head.definition.to_string().into(),
                    head.summary.to_string().into(),
                    int_at(&head.summary, "pages").into(),
                    int_at(&head.summary, "failed").into(),
                    int_at(&head.summary, "cant_tell").into(),
                ],
            )?;
            pg.execute_many(
                "INSERT INTO sections (run_id, demarche_id, name, json) VALUES (?1, ?2, ?3, ?4)",
                head.sections
                    .iter()
                    .map(|(name, json)| {
                        vec![
                            run_id.into(),
                            id.as_str().into(),
                            name.as_str().into(),
                            json.to_string().into(),
                        ]
                    })
                    .collect(),
            )?;
            if let Some(probes) = head.sections.get("probes") {
                pg.execute_many(
                    INSERT_PROBE,
                    probes_of_section(probes)
                        .iter()
                        .map(|p| probe_params(p, Some(run_id)))
                        .collect(),
                )?;
            }
            let mut pages = Vec::new();
            let mut findings = Vec::new();
            d.stream(hash.next_demarche(), |item| {
                match item {
                    Item::Page(v, json, outcomes) => {
                        let p = parse_page(&v);
                        pages.push(vec![
                            run_id.into(),
                            id.as_str().into(),
                            p.requested_url.into(),
                            page_key(&p.final_url).into(),
                            p.final_url.into(),
                            p.status.into(),
                            p.content_type.into(),
                            p.size.into(),
                            p.total_ms.into(),
                            p.depth.into(),
                            p.fetched_at.into(),
                            p.error_kind.into(),
                            p.analysed.into(),
                            json.into(),
                            outcomes.into(),
                        ]);
                    }
                    Item::Finding(v, json) => {
                        let f = parse_finding(&id, &v)?;
                        findings.push(vec![
                            run_id.into(),
                            id.as_str().into(),
                            f.f.fingerprint.into(),
                            f.f.rule.into(),
                            f.f.outcome.into(),
                            page_key(&f.f.url).into(),
                            f.f.url.into(),
                            f.f.selector.into(),
                            f.f.snippet.into(),
                            f.f.message.into(),
                            f.count.into(),
                            json.into(),
                        ]);
                    }
                }
                Ok(())
            })?;
            pg.execute_many(
                "INSERT INTO pages (run_id, demarche_id, requested_url, page_key, final_url, status, content_type, size, total_ms, depth, fetched_at, error_kind, analysed, page_json, outcomes_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                pages,
            )?;
            pg.execute_many(
                "INSERT INTO findings (run_id, demarche_id, fingerprint, rule, outcome, page_key, url, selector, snippet, message, count, finding_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                findings,
            )
        })?;
        let hash = hash.finish();
        let existing = pg
            .query(
                "SELECT id FROM runs WHERE report_hash = ?1 AND started_at = ?2 AND id <> ?3",
                vec![
                    hash.as_str().into(),
                    r.started_at.as_str().into(),
                    run_id.into(),
                ],
            )?
            .first()
            .and_then(|row| row.first())
            .and_then(Val::int);
        if let Some(id) = existing {
            return Ok(Recorded::AlreadyThere(id));
        }
        pg.execute(
            "UPDATE runs SET report_hash = ?1 WHERE id = ?2",
            vec![hash.into(), run_id.into()],
        )?;
        super::pause_before_commit();
        Ok(Recorded::New(run_id))
    })();
    match result {
        Ok(Recorded::New(id)) => {
            pg.batch("COMMIT")?;
            Ok(Recorded::New(id))
        }
        Ok(there) => {
            pg.batch("ROLLBACK")?;
            Ok(there)
        }
        Err(e) => {
            let _ = pg.batch("ROLLBACK");
            Err(e)
        }
    }
}

fn text(row: &[Val], i: usize) -> String {
    row.get(i).and_then(Val::text).unwrap_or_default()
}

fn opt_text(row: &[Val], i: usize) -> Option<String> {
    row.get(i).and_then(Val::text)
}

fn int(row: &[Val], i: usize) -> i64 {
    row.get(i).and_then(Val::int).unwrap_or_default()
}

pub(super) fn runs(pg: &PgConn) -> Result<Vec<super::RunInfo>, StoreError> {
    Ok(pg
        .query(
            "SELECT id, started_at, finished_at, tool_version, origin FROM runs ORDER BY started_at, id",
            vec![],
        )?
        .iter()
        .map(|r| super::RunInfo {
            id: int(r, 0),
            started_at: text(r, 1),
            finished_at: text(r, 2),
            tool_version: text(r, 3),
            origin: text(r, 4),
        })
        .collect())
}

pub(super) fn snapshot_filtered(
    pg: &PgConn,
    run_id: i64,
    only: Option<&str>,
) -> Result<super::RunSnapshot, StoreError> {
    let started_at = pg
        .query(
            "SELECT started_at FROM runs WHERE id = ?1",
            vec![run_id.into()],
        )?
        .first()
        .map(|r| text(r, 0))
        .ok_or_else(|| StoreError::NotFound(format!("#{run_id}")))?;
    let heads = pg.query(
        "SELECT demarche_id, name, summary_json FROM demarches
         WHERE run_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR demarche_id = CAST(?2 AS TEXT)) ORDER BY ord",
        vec![run_id.into(), only.into()],
    )?;
    let mut demarches = Vec::with_capacity(heads.len());
    for h in heads {
        let id = text(&h, 0);
        let analysed_pages = pg
            .query(
                "SELECT page_key FROM pages WHERE run_id = ?1 AND demarche_id = ?2 AND analysed = 1 ORDER BY id",
                vec![run_id.into(), id.as_str().into()],
            )?
            .iter()
            .map(|r| text(r, 0))
            .collect();
        let findings = pg
            .query(
                "SELECT fingerprint, rule, outcome, url, selector, snippet, message FROM findings
                 WHERE run_id = ?1 AND demarche_id = ?2 ORDER BY id",
                vec![run_id.into(), id.as_str().into()],
            )?
            .iter()
            .map(|r| super::StoredFinding {
                fingerprint: text(r, 0),
                rule: text(r, 1),
                outcome: text(r, 2),
                url: text(r, 3),
                selector: opt_text(r, 4),
                snippet: opt_text(r, 5),
                message: text(r, 6),
            })
            .collect();
        let mut sections = std::collections::BTreeMap::new();
        for r in pg.query(
            "SELECT name, json FROM sections WHERE run_id = ?1 AND demarche_id = ?2",
            vec![run_id.into(), id.as_str().into()],
        )? {
            sections.insert(text(&r, 0), serde_json::from_str(&text(&r, 1))?);
        }
        demarches.push(super::DemarcheSnapshot {
            name: text(&h, 1),
            summary: serde_json::from_str(&text(&h, 2))?,
            id,
            analysed_pages,
            findings,
            sections,
        });
    }
    Ok(super::RunSnapshot {
        label: format!("#{run_id}"),
        run_id: Some(run_id),
        started_at,
        demarches,
    })
}
