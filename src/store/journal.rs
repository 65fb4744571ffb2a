//! The crawl journal: the pages of a campaign in progress, written to the store as they are
//! visited. A killed audit is resumed from it (`vigie audit --resume`) without fetching finished
//! pages again, and a crawl hands its pages to the journal instead of keeping them in memory.
//!
//! Pages are committed in small batches by one writer thread; a page lost in the last,
//! uncommitted batch is simply visited again on resume. When the run is recorded, the campaign
//! is marked done and its journal pages are deleted (they live on in the run's tables).
//!
//! The campaign itself is recorded in the store `--db` names, SQLite or PostgreSQL; an audit's
//! campaign is told apart from a queued one (`vigie campaign submit`) by having no jobs. Its
//! pages go to PostgreSQL's journal tables, or beside a SQLite store to a file of their own,
//! `<store>-campagne-<id>` ([`journal_file`]): the journal holds every page whole, and removing
//! a file once the run is recorded costs nothing, where deleting its rows and giving their
//! space back took longer than recording the run. (Campaigns left unfinished by an older
//! version keep their pages in the store's own tables, which still serve them.)

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use super::postgres::{describe, PgConn};
use super::{Param, Store, StoreError, Val};
use crate::analyze::{CrawledPage, PageAnalysis};
use crate::catalogue::Demarche;
use crate::crawl::PageSink;
use crate::model::AuditSettings;
use crate::probe::ProbeRecord;

/// Pages (or other messages) written per transaction at most.
const BATCH: usize = 256;
/// Messages waiting for the writer; a full queue makes the crawl wait (back-pressure).
const QUEUE: usize = 128;

/// An audit campaign recorded in the journal.
#[derive(Debug, Clone)]
pub struct Campaign {
    pub id: i64,
    pub started_at: String,
    pub demarches: Vec<Demarche>,
    /// The audit's settings, stored whole so `--resume` continues with them.
    pub settings: AuditSettings,
    db: JournalDb,
}

/// Where the journal is: reads and the writer open their own connections to it.
#[derive(Clone)]
enum JournalDb {
    Sqlite(PathBuf),
    /// The full URL (with its password, never printed).
    Postgres(String),
}

impl std::fmt::Debug for JournalDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JournalDb::Sqlite(p) => write!(f, "{}", p.display()),
            JournalDb::Postgres(url) => write!(f, "{}", super::postgres::redact(url)),
        }
    }
}

/// `path` with `suffix` added to its file name (`vigie.db` → `vigie.db-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// The file holding the journal of SQLite campaign `id` beside the store `db`.
pub fn journal_file(db: &Path, id: i64) -> PathBuf {
    with_suffix(db, &format!("-campagne-{id}"))
}

/// The journal file and SQLite's own files beside it (write-ahead log, shared memory).
fn journal_files(file: &Path) -> [PathBuf; 3] {
    [
        file.to_path_buf(),
        with_suffix(file, "-wal"),
        with_suffix(file, "-shm"),
    ]
}

fn remove_journal_files(file: &Path) -> Result<(), StoreError> {
    for f in journal_files(file) {
        match std::fs::remove_file(&f) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(StoreError::Io { path: f, source: e })
            }
            _ => {}
        }
    }
    Ok(())
}

/// The journal's tables in a file of their own (no campaigns table there to refer to).
const JOURNAL_SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS campaign_pages (
        campaign_id     INTEGER NOT NULL,
        demarche_id     TEXT NOT NULL,
        seq             INTEGER NOT NULL,
        url             TEXT NOT NULL,
        page_json       TEXT NOT NULL,
        PRIMARY KEY (campaign_id, demarche_id, seq)
    );
    CREATE TABLE IF NOT EXISTS campaign_demarches (
        campaign_id     INTEGER NOT NULL,
        demarche_id     TEXT NOT NULL,
        probes_json     TEXT NOT NULL,
        PRIMARY KEY (campaign_id, demarche_id)
    );";

impl JournalDb {
    /// Where campaign `id` of `store` keeps its pages: its own file beside a SQLite store when
    /// that file exists, else the store's tables (PostgreSQL, or a campaign an older version
    /// left unfinished).
    fn of(store: &Store, id: i64) -> JournalDb {
        match store.postgres_url() {
            Some(url) => JournalDb::Postgres(url.to_string()),
            None => {
                let file = journal_file(store.path(), id);
                JournalDb::Sqlite(if file.exists() {
                    file
                } else {
                    store.path().to_path_buf()
                })
            }
        }
    }

    /// A new journal file for SQLite campaign `id` (a stale one of that id, left by a store
    /// since deleted, is removed first: its pages are not this campaign's).
    fn create_file(store: &Store, id: i64) -> Result<JournalDb, StoreError> {
        let file = journal_file(store.path(), id);
        remove_journal_files(&file)?;
        let conn = open_conn(&file)?;
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.execute_batch(JOURNAL_SCHEMA)?;
        Ok(JournalDb::Sqlite(file))
    }

    /// Rows of a read query written for SQLite (portable SQL), on a connection of its own.
    fn query(&self, sql: &str, params: Vec<Param>) -> Result<Vec<Vec<Val>>, StoreError> {
        match self {
            JournalDb::Sqlite(path) => super::sqlite_query(&open_conn(path)?, sql, params),
            JournalDb::Postgres(url) => PgConn::connect(url)?.query(sql, params),
        }
    }

    fn count(&self, sql: &str, params: Vec<Param>) -> Result<usize, StoreError> {
        let n = self
            .query(sql, params)?
            .first()
            .and_then(|r| r.first())
            .and_then(Val::int)
            .unwrap_or_default();
        Ok(n.max(0) as usize)
    }

    fn label(&self) -> PathBuf {
        PathBuf::from(format!("{self:?}"))
    }
}
fn open_conn(db: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(db)?;
    conn.busy_timeout(Duration::from_secs(30))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

impl Campaign {
    /// Start a new campaign in the store.
    pub fn create(
        store: &Store,
        demarches: &[Demarche],
        settings: &AuditSettings,
    ) -> Result<Campaign, StoreError> {
        // The journal keys pages by démarche id: two démarches with one id would share pages.
        if let Some(id) = crate::catalogue::duplicate_id(demarches) {
            return Err(StoreError::Invalid(format!(
                "démarche en double dans la campagne : {id}"
            )));
        }
        let started_at = super::now_rfc3339();
        let demarches_json = serde_json::to_string(demarches)?;
        let settings_json = serde_json::to_string(settings)?;
        let id = match (store.sqlite(), store.postgres()) {
            (Some(conn), _) => {
                conn.execute(
                    "INSERT INTO campaigns (started_at, state, demarches_json, settings_json)
                     VALUES (?1, 'running', ?2, ?3)",
                    params![started_at, demarches_json, settings_json],
                )?;
                conn.last_insert_rowid()
            }
            (None, Some(pg)) => pg
                .query(
                    "INSERT INTO campaigns (started_at, state, demarches_json, settings_json)
                     VALUES (?1, 'running', ?2, ?3) RETURNING id",
                    vec![
                        started_at.as_str().into(),
                        demarches_json.into(),
                        settings_json.into(),
                    ],
                )?
                .first()
                .and_then(|r| r.first())
                .and_then(Val::int)
                .ok_or_else(|| StoreError::Postgres("identifiant de campagne absent".into()))?,
            (None, None) => return Err(StoreError::Invalid("base sans connexion".into())),
        };
        let db = match store.sqlite() {
            Some(_) => JournalDb::create_file(store, id)?,
            None => JournalDb::of(store, id),
        };
        Ok(Campaign {
            id,
            started_at,
            demarches: demarches.to_vec(),
            settings: settings.clone(),
            db,
        })
    }

    /// The most recent campaign of `vigie audit` that did not finish, if any (queued campaigns,
    /// which have jobs, are the workers').
    pub fn latest_unfinished(store: &Store) -> Result<Option<Campaign>, StoreError> {
        let row = store
            .query(
                "SELECT id, started_at, demarches_json, settings_json FROM campaigns c
                 WHERE state = 'running'
                   AND NOT EXISTS (SELECT 1 FROM campaign_jobs j WHERE j.campaign_id = c.id)
                 ORDER BY id DESC LIMIT 1",
                vec![],
            )?
            .into_iter()
            .next();
        let Some(row) = row else {
            return Ok(None);
        };
        let text = |i: usize| row.get(i).and_then(Val::text).unwrap_or_default();
        let id = row.first().and_then(Val::int).unwrap_or_default();
        Ok(Some(Campaign {
            id,
            started_at: text(1),
            demarches: serde_json::from_str(&text(2))?,
            settings: serde_json::from_str(&text(3))?,
            db: JournalDb::of(store, id),
        }))
    }

    /// Pages journaled for a démarche, in visit order. With `light`, only what a resumed crawl
    /// needs (fetch record and links) is kept of each page.
    pub fn pages(&self, demarche_id: &str, light: bool) -> Result<Vec<CrawledPage>, StoreError> {
        const SQL: &str =
            "SELECT page_json FROM campaign_pages WHERE campaign_id = ?1 AND demarche_id = ?2
             ORDER BY seq";
        let path = match &self.db {
            JournalDb::Sqlite(path) => path,
            JournalDb::Postgres(_) => {
                return self
                    .db
                    .query(SQL, vec![self.id.into(), demarche_id.into()])?
                    .iter()
                    .map(|r| {
                        let json = r.first().and_then(Val::text).unwrap_or_default();
                        page_of_json(&json, light).map_err(StoreError::from)
                    })
                    .collect();
            }
        };
        // Row by row: the démarche's pages are never held twice.
        let conn = open_conn(path)?;
        let mut st = conn.prepare(SQL)?;
        let mut rows = st.query(params![self.id, demarche_id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let json: String = r.get(0)?;
            out.push(page_of_json(&json, light)?);
        }
        Ok(out)
    }

    /// The URLs journaled so far, by démarche then in visit order.
    pub fn journaled_urls(&self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .db
            .query(
                "SELECT url FROM campaign_pages WHERE campaign_id = ?1 ORDER BY demarche_id, seq",
                vec![self.id.into()],
            )?
            .iter()
            .filter_map(|r| r.first().and_then(Val::text))
            .collect())
    }

    /// Pages journaled so far, all démarches together.
    pub fn page_count(&self) -> Result<usize, StoreError> {
        self.db.count(
            "SELECT COUNT(*) FROM campaign_pages WHERE campaign_id = ?1",
            vec![self.id.into()],
        )
    }

    /// Pages of one démarche in the journal.
    pub fn page_count_of(&self, demarche_id: &str) -> Result<usize, StoreError> {
        self.db.count(
            "SELECT COUNT(*) FROM campaign_pages WHERE campaign_id = ?1 AND demarche_id = ?2",
            vec![self.id.into(), demarche_id.into()],
        )
    }

    /// The probes of a démarche whose crawl finished, or None when it did not.
    pub fn finished_demarche(
        &self,
        demarche_id: &str,
    ) -> Result<Option<Vec<ProbeRecord>>, StoreError> {
        self.db
            .query(
                "SELECT probes_json FROM campaign_demarches WHERE campaign_id = ?1 AND demarche_id = ?2",
                vec![self.id.into(), demarche_id.into()],
            )?
            .first()
            .and_then(|r| r.first())
            .and_then(Val::text)
            .map(|p| serde_json::from_str(&p).map_err(StoreError::from))
            .transpose()
    }

    /// Start the writer thread.
    pub fn writer(&self) -> Result<JournalWriter, StoreError> {
        let mut commit: Box<dyn FnMut(Vec<Row>) -> Result<(), StoreError> + Send> = match &self.db {
            JournalDb::Sqlite(path) => {
                let mut conn = open_conn(path)?;
                let id = self.id;
                Box::new(move |rows| commit_sqlite(&mut conn, id, rows))
            }
            JournalDb::Postgres(url) => {
                let pg = PgConn::connect(url)?;
                let id = self.id;
                Box::new(move |rows| commit_postgres(&pg, id, rows))
            }
        };
        let (tx, rx) = mpsc::sync_channel(QUEUE);
        let handle = std::thread::Builder::new()
            .name("vigie-journal".into())
            .spawn(move || write_loop(&mut *commit, rx))
            .map_err(|source| StoreError::Io {
                path: self.db.label(),
                source,
            })?;
        Ok(JournalWriter {
            tx: Some(tx),
            handle: Some(handle),
        })
    }

    /// The campaign was recorded as run `run_id`: mark it done and drop its journal pages.
    pub fn complete(&self, store: &Store, run_id: Option<i64>) -> Result<(), StoreError> {
        if let Some(pg) = store.postgres() {
            let id = self.id;
            return pg
                .call(move |c| -> Result<(), postgres::Error> {
                    let mut tx = c.transaction()?;
                    tx.execute("DELETE FROM campaign_pages WHERE campaign_id = $1", &[&id])?;
                    tx.execute(
                        "UPDATE campaigns SET state = 'done', run_id = $2 WHERE id = $1",
                        &[&id, &run_id],
                    )?;
                    tx.commit()
                })?
                .map_err(|e| StoreError::Postgres(describe(&e)));
        }
        let conn = store
            .sqlite()
            .ok_or_else(|| StoreError::Invalid("base sans connexion".into()))?;
        conn.execute(
            "UPDATE campaigns SET state = 'done', run_id = ?2 WHERE id = ?1",
            params![self.id, run_id],
        )?;
        match &self.db {
            JournalDb::Sqlite(file) if file != store.path() => remove_journal_files(file),
            _ => {
                // A campaign an older version journaled in the store's tables.
                conn.execute(
                    "DELETE FROM campaign_pages WHERE campaign_id = ?1",
                    params![self.id],
                )?;
                // The journal held every page whole: give its space back to the disk (a
                // database made before incremental vacuum keeps it for the next campaign
                // instead). The pragma frees one page a step.
                let mut vacuum = conn.prepare("PRAGMA incremental_vacuum")?;
                let mut steps = vacuum.query([])?;
                while steps.next()?.is_some() {}
                Ok(())
            }
        }
    }
}

/// A journaled page: the page, and its links (which reports do not keep, but a resumed crawl
/// follows).
#[derive(Serialize, Deserialize)]
struct JournalEntry {
    page: CrawledPage,
    #[serde(default)]
    links: std::sync::Arc<[url::Url]>,
}

enum Message {
    Page {
        demarche: String,
        seq: i64,
        page: Box<CrawledPage>,
    },
    DemarcheDone {
        demarche: String,
        probes: Vec<ProbeRecord>,
    },
    Flush(SyncSender<Result<(), String>>),
}

/// A journal row, serialised on the writer's thread.
enum Row {
    Page {
        demarche: String,
        seq: i64,
        url: String,
        json: String,
    },
    Done {
        demarche: String,
        probes: String,
    },
}

fn commit_sqlite(conn: &mut Connection, campaign: i64, rows: Vec<Row>) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    for row in rows {
        match row {
            Row::Page {
                demarche,
                seq,
                url,
                json,
            } => {
                tx.execute(
                    "INSERT OR REPLACE INTO campaign_pages
                     (campaign_id, demarche_id, seq, url, page_json)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![campaign, demarche, seq, url, json],
                )?;
            }
            Row::Done { demarche, probes } => {
                tx.execute(
                    "INSERT OR REPLACE INTO campaign_demarches
                     (campaign_id, demarche_id, probes_json) VALUES (?1, ?2, ?3)",
                    params![campaign, demarche, probes],
                )?;
            }
        }
    }
    tx.commit()?;
    Ok(())
}

fn commit_postgres(pg: &PgConn, campaign: i64, rows: Vec<Row>) -> Result<(), StoreError> {
    pg.call(move |c| -> Result<(), postgres::Error> {
        let mut tx = c.transaction()?;
        for row in rows {
            match row {
                Row::Page {
                    demarche,
                    seq,
                    url,
                    json,
                } => {
                    tx.execute(
                        "INSERT INTO campaign_pages (campaign_id, demarche_id, seq, url, page_json)
                         VALUES ($1, $2, $3, $4, $5)
                         ON CONFLICT (campaign_id, demarche_id, seq)
                         DO UPDATE SET url = EXCLUDED.url, page_json = EXCLUDED.page_json",
                        &[&campaign, &demarche, &seq, &url, &json],
                    )?;
                }
                Row::Done { demarche, probes } => {
                    tx.execute(
                        "INSERT INTO campaign_demarches (campaign_id, demarche_id, probes_json)
                         VALUES ($1, $2, $3)
                         ON CONFLICT (campaign_id, demarche_id)
                         DO UPDATE SET probes_json = EXCLUDED.probes_json",
                        &[&campaign, &demarche, &probes],
                    )?;
                }
            }
        }
        tx.commit()
    })?
    .map_err(|e| StoreError::Postgres(describe(&e)))
}

fn write_loop(commit: &mut dyn FnMut(Vec<Row>) -> Result<(), StoreError>, rx: Receiver<Message>) {
    // The first error is kept and answered to every flush: pages after it are not journaled.
    let mut failure: Option<String> = None;
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match rx.try_recv() {
                Ok(m) => batch.push(m),
                Err(_) => break,
            }
        }
        let mut flushes = Vec::new();
        let result = (|| -> Result<(), StoreError> {
            let mut rows = Vec::with_capacity(batch.len());
            for m in batch {
                match m {
                    Message::Page {
                        demarche,
                        seq,
                        page,
                    } => {
                        let url = page.record.requested_url.clone();
                        rows.push(Row::Page {
                            demarche,
                            seq,
                            url,
                            json: journal_json(*page)?,
                        });
                    }
                    Message::DemarcheDone { demarche, probes } => rows.push(Row::Done {
                        demarche,
                        probes: serde_json::to_string(&probes)?,
                    }),
                    Message::Flush(reply) => flushes.push(reply),
                }
            }
            if rows.is_empty() {
                return Ok(());
            }
            commit(rows)
        })();
        if let Err(e) = result {
            failure.get_or_insert_with(|| e.to_string());
        }
        for reply in flushes {
            let _ = reply.send(match &failure {
                Some(e) => Err(e.clone()),
                None => Ok(()),
            });
        }
    }
}

/// A journaled page read back: with `light`, only what a resumed crawl needs.
pub(crate) fn page_of_json(json: &str, light: bool) -> Result<CrawledPage, serde_json::Error> {
    let entry: JournalEntry = serde_json::from_str(json)?;
    let mut page = entry.page;
    if let Some(a) = page.analysis.as_mut() {
        a.links = entry.links;
        if light {
            a.findings = Vec::new();
            a.facts = Default::default();
            a.cerfa = Default::default();
        }
    }
    Ok(page)
}

pub(crate) fn journal_json(mut page: CrawledPage) -> Result<String, serde_json::Error> {
    let links = page
        .analysis
        .as_mut()
        .map(|a| std::mem::take(&mut a.links))
        .unwrap_or_default();
    serde_json::to_string(&JournalEntry { page, links })
}

/// Sends pages to the journal's writer thread.
pub struct JournalWriter {
    tx: Option<SyncSender<Message>>,
    handle: Option<JoinHandle<()>>,
}

#[derive(Debug, thiserror::Error)]
#[error("journal de la campagne : {0}")]
pub struct JournalError(pub String);

impl JournalWriter {
    /// A sink for one démarche's pages, numbered from `next_seq`.
    pub fn sink(&self, demarche_id: &str, next_seq: i64) -> JournalSink {
        JournalSink {
            tx: self.tx.clone(),
            demarche: demarche_id.to_string(),
            next_seq,
        }
    }

    /// Record that a démarche's crawl finished, with its probes.
    pub fn demarche_done(
        &self,
        demarche_id: &str,
        probes: &[ProbeRecord],
    ) -> Result<(), JournalError> {
        self.send(Message::DemarcheDone {
            demarche: demarche_id.to_string(),
            probes: probes.to_vec(),
        })
    }

    fn send(&self, m: Message) -> Result<(), JournalError> {
        self.tx
            .as_ref()
            .ok_or_else(|| JournalError("écriture terminée".into()))?
            .send(m)
            .map_err(|_| JournalError("l'écriture s'est arrêtée".into()))
    }

    /// Wait until everything sent so far is committed; the first write error, if any.
    pub fn flush(&self) -> Result<(), JournalError> {
        let (reply, wait) = mpsc::sync_channel(1);
        self.send(Message::Flush(reply))?;
        wait.recv()
            .map_err(|_| JournalError("l'écriture s'est arrêtée".into()))?
            .map_err(JournalError)
    }
}

impl Drop for JournalWriter {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// One démarche's pages, on their way to the journal.
pub struct JournalSink {
    tx: Option<SyncSender<Message>>,
    demarche: String,
    next_seq: i64,
}

impl PageSink<PageAnalysis> for JournalSink {
    fn accept(&mut self, page: CrawledPage) {
        let Some(tx) = &self.tx else {
            return;
        };
        let m = Message::Page {
            demarche: self.demarche.clone(),
            seq: self.next_seq,
            page: Box::new(page),
        };
        self.next_seq += 1;
        // A stopped writer is reported by the next flush; the page is not lost silently.
        if tx.send(m).is_err() {
            tracing::error!(demarche = %self.demarche, "journal arrêté : page non enregistrée");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_demarche() -> Vec<Demarche> {
        vec![Demarche::from_url(
            url::Url::parse("http://127.0.0.1:9/").expect("url"),
        )]
    }

    fn urls(c: &Campaign) -> Vec<String> {
        c.journaled_urls().expect("journal")
    }

    /// A new store in a temporary folder (kept alive by the returned guard), its path, and a
    /// campaign of one démarche in it.
    fn new_campaign() -> (tempfile::TempDir, PathBuf, Store, Demarche, Campaign) {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("vigie.db");
        let store = Store::open(&db).expect("store");
        let demarches = one_demarche();
        let c = Campaign::create(&store, &demarches, &AuditSettings::default()).expect("create");
        let d = demarches.into_iter().next().expect("one démarche");
        (dir, db, store, d, c)
    }

    /// Pages in the store's own journal tables (where older versions journaled).
    fn pages_in_store(store: &Store) -> Option<i64> {
        store
            .query("SELECT COUNT(*) FROM campaign_pages", vec![])
            .expect("count")[0][0]
            .int()
    }

    /// A SQLite campaign journals beside the store, and its file goes once the run is recorded.
    #[test]
    fn a_campaign_journals_in_its_own_file_removed_when_done() {
        let (_dir, db, store, d, c) = new_campaign();
        let file = journal_file(&db, c.id);
        assert!(file.exists());
        commit_sqlite(
            &mut open_conn(&file).expect("conn"),
            c.id,
            vec![Row::Page {
                demarche: d.id.clone(),
                seq: 0,
                url: "http://127.0.0.1:9/a".into(),
                json: "{}".into(),
            }],
        )
        .expect("commit");
        let resumed = Campaign::latest_unfinished(&store)
            .expect("query")
            .expect("unfinished");
        assert_eq!(urls(&resumed), ["http://127.0.0.1:9/a"]);
        // Nothing went to the store's own tables.
        assert_eq!(pages_in_store(&store), Some(0));
        resumed.complete(&store, None).expect("complete");
        for f in journal_files(&file) {
            assert!(!f.exists(), "{} left", f.display());
        }
        assert!(Campaign::latest_unfinished(&store)
            .expect("query")
            .is_none());
    }

    /// A campaign an older version left unfinished, its pages in the store's tables, is still
    /// resumed from them and emptied from them.
    #[test]
    fn a_campaign_journaled_in_the_store_by_an_older_version_still_resumes() {
        let (_dir, db, store, d, c) = new_campaign();
        remove_journal_files(&journal_file(&db, c.id)).expect("remove");
        let conn = store.sqlite().expect("sqlite");
        conn.execute(
            "INSERT INTO campaign_pages (campaign_id, demarche_id, seq, url, page_json)
             VALUES (?1, ?2, 0, 'http://127.0.0.1:9/ancienne', '{}')",
            params![c.id, d.id],
        )
        .expect("insert");
        let resumed = Campaign::latest_unfinished(&store)
            .expect("query")
            .expect("unfinished");
        assert_eq!(urls(&resumed), ["http://127.0.0.1:9/ancienne"]);
        resumed.complete(&store, None).expect("complete");
        assert_eq!(pages_in_store(&store), Some(0));
    }

    /// A journal file left by a deleted store is not read as the new campaign's of that id.
    #[test]
    fn a_stale_journal_file_of_the_same_id_is_not_inherited() {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("vigie.db");
        let stale = journal_file(&db, 1);
        {
            let conn = open_conn(&stale).expect("conn");
            conn.execute_batch(JOURNAL_SCHEMA).expect("schema");
            conn.execute(
                "INSERT INTO campaign_pages VALUES (1, 'x', 0, 'http://127.0.0.1:9/vieille', '{}')",
                [],
            )
            .expect("insert");
        }
        let store = Store::open(&db).expect("store");
        let c =
            Campaign::create(&store, &one_demarche(), &AuditSettings::default()).expect("create");
        assert_eq!(c.id, 1);
        assert!(urls(&c).is_empty());
    }

    /// The journal file's tables are migration 2's without the foreign keys (a migration is
    /// never edited, so the schema is written twice): the same columns, in the same order, so
    /// the same statements read and write both places.
    #[test]
    fn journal_file_tables_have_the_columns_of_the_store_tables() {
        let columns = |conn: &Connection, table: &str| -> Vec<(String, String, bool)> {
            let mut stmt = conn
                .prepare(&format!("PRAGMA table_info({table})"))
                .expect("table_info");
            stmt.query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? != 0)))
                .expect("rows")
                .collect::<Result<_, _>>()
                .expect("columns")
        };
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("vigie.db");
        drop(Store::open(&db).expect("store"));
        let store = open_conn(&db).expect("conn");
        let journal = open_conn(&dir.path().join("journal.db")).expect("conn");
        journal.execute_batch(JOURNAL_SCHEMA).expect("schema");
        for table in ["campaign_pages", "campaign_demarches"] {
            let in_store = columns(&store, table);
            assert!(!in_store.is_empty(), "{table}");
            assert_eq!(columns(&journal, table), in_store, "{table}");
        }
    }
}
