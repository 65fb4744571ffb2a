//! The store's schema, as versioned migrations. `PRAGMA user_version` holds the number of
//! migrations applied; each migration runs in its own transaction with the version bump, so a
//! database is always at exactly one version.

use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

/// Migrations in order; never edit a published one, append a new one.
pub const MIGRATIONS: &[&str] = &[
    // 1: runs, démarches, pages, findings, generic per-démarche sections, probes.
    r#"
    CREATE TABLE runs (
        id              INTEGER PRIMARY KEY,
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
        run_id          INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        demarche_id     TEXT NOT NULL,
        name            TEXT NOT NULL,
        operator        TEXT NOT NULL,
        ministry        TEXT NOT NULL,
        start_url       TEXT NOT NULL,
        definition_json TEXT NOT NULL,
        summary_json    TEXT NOT NULL,
        pages           INTEGER,
        failed          INTEGER,
        cant_tell       INTEGER,
        PRIMARY KEY (run_id, demarche_id)
    );
    CREATE TABLE pages (
        id              INTEGER PRIMARY KEY,
        run_id          INTEGER NOT NULL,
        demarche_id     TEXT NOT NULL,
        requested_url   TEXT NOT NULL,
        final_url       TEXT NOT NULL,
        page_key        TEXT NOT NULL,
        status          INTEGER,
        content_type    TEXT,
        size            INTEGER,
        total_ms        INTEGER,
        depth           INTEGER,
        fetched_at      TEXT,
        error_kind      TEXT,
        analysed        INTEGER NOT NULL,
        page_json       TEXT NOT NULL,
        FOREIGN KEY (run_id, demarche_id) REFERENCES demarches(run_id, demarche_id) ON DELETE CASCADE
    );
    CREATE INDEX pages_run ON pages(run_id, demarche_id);
    CREATE TABLE findings (
        id              INTEGER PRIMARY KEY,
        run_id          INTEGER NOT NULL,
        demarche_id     TEXT NOT NULL,
        fingerprint     TEXT NOT NULL,
        rule            TEXT NOT NULL,
        outcome         TEXT NOT NULL,
        url             TEXT NOT NULL,
        page_key        TEXT NOT NULL,
        selector        TEXT,
        snippet         TEXT,
        message         TEXT NOT NULL,
        count           INTEGER NOT NULL,
        finding_json    TEXT NOT NULL,
        FOREIGN KEY (run_id, demarche_id) REFERENCES demarches(run_id, demarche_id) ON DELETE CASCADE
    );
    CREATE INDEX findings_run ON findings(run_id, demarche_id);
    CREATE INDEX findings_fingerprint ON findings(fingerprint);
    CREATE TABLE sections (
        run_id          INTEGER NOT NULL,
        demarche_id     TEXT NOT NULL,
        name            TEXT NOT NULL,
        json            TEXT NOT NULL,
        PRIMARY KEY (run_id, demarche_id, name),
        FOREIGN KEY (run_id, demarche_id) REFERENCES demarches(run_id, demarche_id) ON DELETE CASCADE
    );
    CREATE TABLE probes (
        id              INTEGER PRIMARY KEY,
        url             TEXT NOT NULL,
        at_ms           INTEGER NOT NULL,
        status          INTEGER,
        ok              INTEGER NOT NULL,
        total_ms        INTEGER,
        response_ms     INTEGER,
        error           TEXT,
        run_id          INTEGER REFERENCES runs(id) ON DELETE CASCADE
    );
    CREATE INDEX probes_url_at ON probes(url, at_ms);
    "#,
    // 2: the crawl journal of campaigns in progress (resume, pages kept out of memory). New
    // SQLite campaigns keep their pages in a file beside the store (`journal::journal_file`):
    // these page tables then hold only the pages of campaigns an older version left unfinished.
    r#"
    CREATE TABLE campaigns (
        id              INTEGER PRIMARY KEY,
        started_at      TEXT NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('running', 'done')),
        demarches_json  TEXT NOT NULL,
        settings_json   TEXT NOT NULL,
        run_id          INTEGER REFERENCES runs(id) ON DELETE SET NULL
    );
    CREATE TABLE campaign_pages (
        campaign_id     INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        demarche_id     TEXT NOT NULL,
        seq             INTEGER NOT NULL,
        url             TEXT NOT NULL,
        page_json       TEXT NOT NULL,
        PRIMARY KEY (campaign_id, demarche_id, seq)
    );
    CREATE TABLE campaign_demarches (
        campaign_id     INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        demarche_id     TEXT NOT NULL,
        probes_json     TEXT NOT NULL,
        PRIMARY KEY (campaign_id, demarche_id)
    );
    "#,
    // 3: report.json 2.0 keeps passed and inapplicable outcomes compact, per page: they are
    // kept beside the page (its `outcomes`, as JSON) instead of one findings row each. Rows of
    // earlier runs stay as they are (NULL here, every outcome in findings).
    r#"
    ALTER TABLE pages ADD COLUMN outcomes_json TEXT;
    "#,
    // 4: the campaign queue of `vigie campaign submit` / `vigie worker` (used on PostgreSQL;
    // created on SQLite too, so a version number means one schema on both backends).
    QUEUE_PG,
    // 5: a queued campaign keeps its declarations file's content, so workers on other machines
    // score with the same declarations (NULL for audits' campaigns and earlier ones).
    DECLARATIONS,
];

/// Migration 5, the same SQL on both backends.
pub const DECLARATIONS: &str = "ALTER TABLE campaigns ADD COLUMN declarations TEXT;";

/// Migration 4, the same SQL on both backends: one job per démarche of a campaign (state,
/// attempts, the worker holding it and its lease, the démarche's report once done), and the
/// host leases that keep two workers off one host at once.
pub const QUEUE_PG: &str = r#"
    CREATE TABLE campaign_jobs (
        campaign_id     BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        demarche_id     TEXT NOT NULL,
        pos             BIGINT NOT NULL,
        host            TEXT NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
        attempts        BIGINT NOT NULL DEFAULT 0,
        worker          TEXT,
        lease_until_ms  BIGINT,
        claimed_at_ms   BIGINT,
        finished_at     TEXT,
        error           TEXT,
        report_json     TEXT,
        pages           BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (campaign_id, demarche_id)
    );
    CREATE INDEX campaign_jobs_state ON campaign_jobs(state, campaign_id, pos);
    CREATE TABLE host_leases (
        host            TEXT PRIMARY KEY,
        worker          TEXT NOT NULL,
        campaign_id     BIGINT NOT NULL,
        demarche_id     TEXT NOT NULL,
        lease_until_ms  BIGINT NOT NULL
    );
"#;

/// The schema version this build writes.
pub fn current_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Bring the database up to the current version; refuse a database from a newer vigie.
/// The version is read inside each migration's write transaction, so two processes opening a
/// new database at once do not both apply the same migration.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > current_version() {
            return Err(StoreError::TooNew {
                found: version,
                supported: current_version(),
            });
        }
        let Some(sql) = MIGRATIONS.get(version.max(0) as usize) else {
            return Ok(());
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version.max(0) + 1)?;
        tx.commit()?;
    }
}
