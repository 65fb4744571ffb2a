//! The crawl journal: the pages of a campaign in progress, written to the store as they are
//! visited. A killed audit is resumed from it (`vigie audit --resume`) without fetching finished
//! pages again, and a crawl hands its pages to the journal instead of keeping them in memory.
//!
//! Pages are committed in small batches by one writer thread; a page lost in the last,
//! uncommitted batch is simply visited again on resume. When the run is recorded, the campaign
//! is marked done and its journal pages are deleted (they live on in the run's tables).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError};
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
    db: PathBuf,
}

fn open_conn(db: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(db)?;
    conn.busy_timeout(Duration::from_secs(30))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// The journal lives in SQLite (on PostgreSQL, campaigns are queued for workers instead).
fn sqlite_of(store: &Store) -> Result<&Connection, StoreError> {
    store.sqlite().ok_or(StoreError::NeedsSqlite(
        "le journal de `vigie audit` (--resume)",
    ))
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
        let conn = sqlite_of(store)?;
        conn.execute(
            "INSERT INTO campaigns (started_at, state, demarches_json, settings_json)
             VALUES (?1, 'running', ?2, ?3)",
            params![
                started_at,
                serde_json::to_string(demarches)?,
                serde_json::to_string(settings)?
            ],
        )?;
        Ok(Campaign {
            id: conn.last_insert_rowid(),
            started_at,
            demarches: demarches.to_vec(),
            settings: settings.clone(),
            db: store.path().to_path_buf(),
        })
    }

    /// The most recent campaign that did not finish, if any.
    pub fn latest_unfinished(store: &Store) -> Result<Option<Campaign>, StoreError> {
        let Some(conn) = store.sqlite() else {
            return Ok(None);
        };
        let row = conn
            .query_row(
                "SELECT id, started_at, demarches_json, settings_json FROM campaigns
                 WHERE state = 'running' ORDER BY id DESC LIMIT 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()?;
        let Some((id, started_at, demarches, settings)) = row else {
            return Ok(None);
        };
        Ok(Some(Campaign {
            id,
            started_at,
            demarches: serde_json::from_str(&demarches)?,
            settings: serde_json::from_str(&settings)?,
            db: store.path().to_path_buf(),
        }))
    }

    /// Pages journaled for a démarche, in visit order. With `light`, only what a resumed crawl
    /// needs (fetch record and links) is kept of each page.
    pub fn pages(&self, demarche_id: &str, light: bool) -> Result<Vec<CrawledPage>, StoreError> {
        let conn = open_conn(&self.db)?;
        let mut st = conn.prepare(
            "SELECT page_json FROM campaign_pages WHERE campaign_id = ?1 AND demarche_id = ?2
             ORDER BY seq",
        )?;
        let mut rows = st.query(params![self.id, demarche_id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let json: String = r.get(0)?;
            let entry: JournalEntry = serde_json::from_str(&json)?;
            let mut page = entry.page;
            if let Some(a) = page.analysis.as_mut() {
                a.links = entry.links;
            }
            if light {
                if let Some(a) = page.analysis.as_mut() {
                    a.findings = Vec::new();
                    a.facts = Default::default();
                    a.cerfa = Default::default();
                }
            }
            out.push(page);
        }
        Ok(out)
    }

    /// Pages journaled so far, all démarches together.
    pub fn page_count(&self) -> Result<usize, StoreError> {
        let conn = open_conn(&self.db)?;
        let n: i64 = conn.query_row(
            "SELECT COUNT(*) FROM campaign_pages WHERE campaign_id = ?1",
            params![self.id],
            |r| r.get(0),
        )?;
        Ok(n.max(0) as usize)
    }

    /// Pages of one démarche in the journal.
    pub fn page_count_of(&self, demarche_id: &str) -> Result<usize, StoreError> {
        let conn = open_conn(&self.db)?;
        let n: i64 = conn.query_row(
            "SELECT COUNT(*) FROM campaign_pages WHERE campaign_id = ?1 AND demarche_id = ?2",
            params![self.id, demarche_id],
            |r| r.get(0),
        )?;
        Ok(n.max(0) as usize)
    }

    /// The probes of a démarche whose crawl finished, or None when it did not.
    pub fn finished_demarche(
        &self,
        demarche_id: &str,
    ) -> Result<Option<Vec<ProbeRecord>>, StoreError> {
        let conn = open_conn(&self.db)?;
        let probes: Option<String> = conn
            .query_row(
                "SELECT probes_json FROM campaign_demarches WHERE campaign_id = ?1 AND demarche_id = ?2",
                params![self.id, demarche_id],
                |r| r.get(0),
            )
            .optional()?;
        probes
            .map(|p| serde_json::from_str(&p).map_err(StoreError::from))
            .transpose()
    }

    /// Start the writer thread.
    pub fn writer(&self) -> Result<JournalWriter, StoreError> {
        let conn = open_conn(&self.db)?;
        let (tx, rx) = mpsc::sync_channel(QUEUE);
        let id = self.id;
        let handle = std::thread::Builder::new()
            .name("vigie-journal".into())
            .spawn(move || write_loop(conn, id, rx))
            .map_err(|source| StoreError::Io {
                path: self.db.clone(),
                source,
            })?;
        Ok(JournalWriter {
            tx: Some(tx),
            handle: Some(handle),
        })
    }

    /// The campaign was recorded as run `run_id`: mark it done and drop its journal pages.
    pub fn complete(&self, store: &Store, run_id: Option<i64>) -> Result<(), StoreError> {
        let conn = sqlite_of(store)?;
        conn.execute(
            "DELETE FROM campaign_pages WHERE campaign_id = ?1",
            params![self.id],
        )?;
        conn.execute(
            "UPDATE campaigns SET state = 'done', run_id = ?2 WHERE id = ?1",
            params![self.id, run_id],
        )?;
        // The journal held every page whole: give its space back to the disk (a database made
        // before incremental vacuum keeps it for the next campaign instead).
        // (The pragma frees one page a step.)
        let mut vacuum = conn.prepare("PRAGMA incremental_vacuum")?;
        let mut steps = vacuum.query([])?;
        while steps.next()?.is_some() {}
        Ok(())
    }
}

/// A journaled page: the page, and its links (which reports do not keep, but a resumed crawl
/// follows).
#[derive(Serialize, Deserialize)]
struct JournalEntry {
    page: CrawledPage,
    #[serde(default)]
    links: Vec<url::Url>,
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

fn write_loop(mut conn: Connection, campaign: i64, rx: Receiver<Message>) {
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
            let tx = conn.transaction()?;
            for m in batch {
                match m {
                    Message::Page {
                        demarche,
                        seq,
                        page,
                    } => {
                        let url = page.record.requested_url.clone();
                        tx.execute(
                            "INSERT OR REPLACE INTO campaign_pages
                             (campaign_id, demarche_id, seq, url, page_json)
                             VALUES (?1, ?2, ?3, ?4, ?5)",
                            params![campaign, demarche, seq, url, journal_json(*page)?],
                        )?;
                    }
                    Message::DemarcheDone { demarche, probes } => {
                        tx.execute(
                            "INSERT OR REPLACE INTO campaign_demarches
                             (campaign_id, demarche_id, probes_json) VALUES (?1, ?2, ?3)",
                            params![campaign, demarche, serde_json::to_string(&probes)?],
                        )?;
                    }
                    Message::Flush(reply) => flushes.push(reply),
                }
            }
            tx.commit()?;
            Ok(())
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
