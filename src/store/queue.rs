//! The campaign queue on PostgreSQL: `vigie campaign submit` stores a campaign (its démarches
//! and settings) and one job per démarche; `vigie worker` claims jobs (`FOR UPDATE SKIP
//! LOCKED`), holds a lease it renews, journals the pages it crawls, and stores the démarche's
//! report. A job whose lease runs out (a killed worker) is claimed again and resumed from its
//! journal; one that keeps failing stops after a bounded number of attempts.
//!
//! Fleet politeness: a job is claimed only with a lease on its start host (host and port), so
//! two workers never crawl one host at once and each worker's per-host rate holds for the fleet.
//! Lease times come from the database's clock, so machines' clocks do not matter.

use serde::Serialize;

use super::postgres::{describe, PgConn};
use super::{Param, Store, StoreError, Val};
use crate::analyze::CrawledPage;
use crate::catalogue::Demarche;
use crate::model::{AuditSettings, DemarcheReport};

/// Milliseconds since the epoch, by the database's clock.
const NOW_MS: &str = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

/// A campaign of the queue.
#[derive(Debug, Clone)]
pub struct QueuedCampaign {
    pub id: i64,
    pub started_at: String,
    pub demarches: Vec<Demarche>,
    pub settings: AuditSettings,
    /// The declarations file's content, as submitted (None: none given, or queued before
    /// migration 5, when only `settings.declarations_file` names it).
    pub declarations: Option<String>,
}

/// A job held by a worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub campaign_id: i64,
    pub demarche_id: String,
    pub host: String,
    /// 1 for the first attempt.
    pub attempt: i64,
}

/// What a claim found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claimed {
    Job(Claim),
    /// Jobs wait, but their hosts are being crawled (or their leases have not run out).
    Busy,
    /// No job is queued or running: every campaign is finished.
    Empty,
}

fn pg_of(store: &Store) -> Result<&PgConn, StoreError> {
    store
        .postgres()
        .ok_or(StoreError::NeedsPostgres("la file de campagnes"))
}

/// The host a démarche is crawled on, as the lease names it.
pub fn host_key(url: &url::Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// Store a campaign and one queued job per démarche; its id.
pub fn submit(
    store: &Store,
    demarches: &[Demarche],
    settings: &AuditSettings,
    declarations: Option<String>,
) -> Result<i64, StoreError> {
    let pg = pg_of(store)?;
    if let Some(id) = crate::catalogue::duplicate_id(demarches) {
        return Err(StoreError::Invalid(format!(
            "démarche en double dans la campagne : {id}"
        )));
    }
    let demarches_json = serde_json::to_string(demarches)?;
    let settings_json = serde_json::to_string(settings)?;
    let jobs: Vec<(String, String)> = demarches
        .iter()
        .map(|d| (d.id.clone(), host_key(&d.start_url)))
        .collect();
    let started_at = super::now_rfc3339();
    pg.call(move |c| -> Result<i64, postgres::Error> {
        let mut tx = c.transaction()?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO campaigns (started_at, state, demarches_json, settings_json, declarations)
                 VALUES ($1, 'running', $2, $3, $4) RETURNING id",
                &[&started_at, &demarches_json, &settings_json, &declarations],
            )?
            .try_get(0)?;
        let st = tx.prepare(
            "INSERT INTO campaign_jobs (campaign_id, demarche_id, pos, host, state)
             VALUES ($1, $2, $3, $4, 'queued')",
        )?;
        for (pos, (demarche, host)) in jobs.iter().enumerate() {
            tx.execute(&st, &[&id, demarche, &(pos as i64), host])?;
        }
        tx.commit()?;
        Ok(id)
    })?
    .map_err(|e| StoreError::Postgres(describe(&e)))
}

/// A stored campaign; [`StoreError::NotFound`] when there is none with this id.
pub fn load(store: &Store, id: i64) -> Result<QueuedCampaign, StoreError> {
    load_pg(pg_of(store)?, id)
}

pub fn load_pg(pg: &PgConn, id: i64) -> Result<QueuedCampaign, StoreError> {
    let row = pg
        .query(
            "SELECT started_at, demarches_json, settings_json, declarations FROM campaigns c
             WHERE id = ?1 AND EXISTS (SELECT 1 FROM campaign_jobs j WHERE j.campaign_id = c.id)",
            vec![id.into()],
        )?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::CampaignNotFound(id))?;
    let text = |i: usize| row.get(i).and_then(Val::text).unwrap_or_default();
    Ok(QueuedCampaign {
        id,
        started_at: text(0),
        demarches: serde_json::from_str(&text(1))?,
        settings: serde_json::from_str(&text(2))?,
        declarations: row.get(3).and_then(Val::text),
    })
}

/// Claim the next job whose host is free, with a lease of `lease_ms` on the job and its host.
/// Jobs whose lease ran out after their last attempt are marked failed on the way.
pub fn claim(
    pg: &PgConn,
    worker: &str,
    lease_ms: i64,
    max_attempts: i64,
) -> Result<Claimed, StoreError> {
    let worker = worker.to_string();
    pg.call(move |c| -> Result<Claimed, postgres::Error> {
        let mut tx = c.transaction()?;
        tx.execute(
            &format!(
                "UPDATE campaign_jobs SET state = 'failed', worker = NULL,
                    error = COALESCE(error || ' ; ', '') || 'bail expiré à la tentative ' || attempts
                 WHERE state = 'running' AND lease_until_ms < {NOW_MS} AND attempts >= $1"
            ),
            &[&max_attempts],
        )?;
        tx.execute(
            &format!("DELETE FROM host_leases WHERE lease_until_ms < {NOW_MS}"),
            &[],
        )?;
        let rows = tx.query(
            &format!(
                "SELECT j.campaign_id, j.demarche_id, j.host, j.attempts FROM campaign_jobs j
                 WHERE (j.state = 'queued' OR (j.state = 'running' AND j.lease_until_ms < {NOW_MS}))
                   AND NOT EXISTS (SELECT 1 FROM host_leases h WHERE h.host = j.host)
                 ORDER BY j.campaign_id, j.pos
                 LIMIT 1 FOR UPDATE OF j SKIP LOCKED"
            ),
            &[],
        )?;
        let Some(row) = rows.first() else {
            let left: i64 = tx
                .query_one(
                    "SELECT COUNT(*) FROM campaign_jobs WHERE state IN ('queued', 'running')",
                    &[],
                )?
                .try_get(0)?;
            tx.commit()?;
            return Ok(if left == 0 {
                Claimed::Empty
            } else {
                Claimed::Busy
            });
        };
        let claim = Claim {
            campaign_id: row.try_get(0)?,
            demarche_id: row.try_get(1)?,
            host: row.try_get(2)?,
            attempt: row.try_get::<_, i64>(3)? + 1,
        };
        // Another worker may have taken the host since the SELECT: then no row is inserted.
        let leased = tx.execute(
            &format!(
                "INSERT INTO host_leases (host, worker, campaign_id, demarche_id, lease_until_ms)
                 VALUES ($1, $2, $3, $4, {NOW_MS} + $5) ON CONFLICT (host) DO NOTHING"
            ),
            &[
                &claim.host,
                &worker,
                &claim.campaign_id,
                &claim.demarche_id,
                &lease_ms,
            ],
        )?;
        if leased == 0 {
            tx.rollback()?;
            return Ok(Claimed::Busy);
        }
        tx.execute(
            &format!(
                "UPDATE campaign_jobs SET state = 'running', worker = $1, attempts = attempts + 1,
                    lease_until_ms = {NOW_MS} + $2, claimed_at_ms = {NOW_MS}
                 WHERE campaign_id = $3 AND demarche_id = $4"
            ),
            &[&worker, &lease_ms, &claim.campaign_id, &claim.demarche_id],
        )?;
        tx.commit()?;
        Ok(Claimed::Job(claim))
    })?
    .map_err(|e| StoreError::Postgres(describe(&e)))
}

/// Extend the job's and its host's leases; false when the job is no longer this claim's.
pub fn renew(pg: &PgConn, claim: &Claim, worker: &str, lease_ms: i64) -> Result<bool, StoreError> {
    let n = pg.execute(
        &format!(
            "UPDATE campaign_jobs SET lease_until_ms = {NOW_MS} + ?1
             WHERE campaign_id = ?2 AND demarche_id = ?3 AND worker = ?4 AND attempts = ?5
               AND state = 'running'"
        ),
        vec![
            lease_ms.into(),
            claim.campaign_id.into(),
            claim.demarche_id.as_str().into(),
            worker.into(),
            claim.attempt.into(),
        ],
    )?;
    pg.execute(
        &format!(
            "UPDATE host_leases SET lease_until_ms = {NOW_MS} + ?1
             WHERE host = ?2 AND worker = ?3 AND campaign_id = ?4 AND demarche_id = ?5"
        ),
        vec![
            lease_ms.into(),
            claim.host.as_str().into(),
            worker.into(),
            claim.campaign_id.into(),
            claim.demarche_id.as_str().into(),
        ],
    )?;
    Ok(n == 1)
}

/// The pages journaled for a job so far, in visit order (light: what a resumed crawl needs).
pub fn journaled_pages(
    pg: &PgConn,
    campaign_id: i64,
    demarche_id: &str,
    light: bool,
) -> Result<Vec<CrawledPage>, StoreError> {
    pg.query(
        "SELECT page_json FROM campaign_pages WHERE campaign_id = ?1 AND demarche_id = ?2
         ORDER BY seq",
        vec![campaign_id.into(), demarche_id.into()],
    )?
    .iter()
    .map(|r| {
        let json = r.first().and_then(Val::text).unwrap_or_default();
        super::journal::page_of_json(&json, light).map_err(StoreError::from)
    })
    .collect()
}

/// The statement journaling one page (sent without waiting by the worker's sink). Fenced: it
/// writes only while the job is still this claim's (same worker, same attempt, running), and
/// waits for a claim in progress on the job's row, so a worker whose lease was taken over
/// writes nothing more (0 rows: the worker stops the job).
pub const JOURNAL_PAGE: &str = "INSERT INTO campaign_pages (campaign_id, demarche_id, seq, url, page_json)
     SELECT $1, $2, CAST($3 AS BIGINT), CAST($4 AS TEXT), CAST($5 AS TEXT) WHERE EXISTS (
       SELECT 1 FROM campaign_jobs WHERE campaign_id = $1 AND demarche_id = $2
         AND worker = $6 AND attempts = $7 AND state = 'running' FOR SHARE)
     ON CONFLICT (campaign_id, demarche_id, seq) DO UPDATE SET url = EXCLUDED.url, page_json = EXCLUDED.page_json";

/// Parameters of [`JOURNAL_PAGE`].
pub fn journal_params(
    claim: &Claim,
    worker: &str,
    seq: i64,
    page: CrawledPage,
) -> Result<Vec<Param>, StoreError> {
    let url = page.record.requested_url.clone();
    Ok(vec![
        claim.campaign_id.into(),
        claim.demarche_id.as_str().into(),
        seq.into(),
        url.into(),
        super::journal::journal_json(page)?.into(),
        worker.into(),
        claim.attempt.into(),
    ])
}

/// The job is done: its report is stored, its journal dropped, its host freed. False when the
/// job was no longer this claim's (its lease ran out and another took it): nothing written.
pub fn finish(
    pg: &PgConn,
    claim: &Claim,
    worker: &str,
    report: &DemarcheReport,
    cooldown_ms: i64,
) -> Result<bool, StoreError> {
    let json = serde_json::to_string(report)?;
    let pages = report.pages.len() as i64;
    let claim = claim.clone();
    let worker = worker.to_string();
    let finished_at = super::now_rfc3339();
    pg.call(move |c| -> Result<bool, postgres::Error> {
        let mut tx = c.transaction()?;
        let n = tx.execute(
            "UPDATE campaign_jobs SET state = 'done', report_json = $1, pages = $2,
                finished_at = $3, lease_until_ms = NULL, error = NULL
             WHERE campaign_id = $4 AND demarche_id = $5 AND worker = $6 AND attempts = $7
               AND state = 'running'",
            &[
                &json,
                &pages,
                &finished_at,
                &claim.campaign_id,
                &claim.demarche_id,
                &worker,
                &claim.attempt,
            ],
        )?;
        if n != 1 {
            tx.rollback()?;
            return Ok(false);
        }
        tx.execute(
            "DELETE FROM campaign_pages WHERE campaign_id = $1 AND demarche_id = $2",
            &[&claim.campaign_id, &claim.demarche_id],
        )?;
        release_host(&mut tx, &claim, &worker, cooldown_ms)?;
        tx.execute(
            "UPDATE campaigns SET state = 'done' WHERE id = $1 AND NOT EXISTS
               (SELECT 1 FROM campaign_jobs WHERE campaign_id = $1 AND state IN ('queued', 'running'))",
            &[&claim.campaign_id],
        )?;
        tx.commit()?;
        Ok(true)
    })?
    .map_err(|e| StoreError::Postgres(describe(&e)))
}

/// Free the job's host after `cooldown_ms` (one interval of the per-host rate): the next
/// worker's first request then comes no sooner than this worker's next one would have.
fn release_host(
    tx: &mut postgres::Transaction<'_>,
    claim: &Claim,
    worker: &str,
    cooldown_ms: i64,
) -> Result<u64, postgres::Error> {
    tx.execute(
        &format!(
            "UPDATE host_leases SET lease_until_ms = {NOW_MS} + $3 WHERE host = $1 AND worker = $2"
        ),
        &[&claim.host, &worker, &cooldown_ms],
    )
}

/// The job failed: queued again, or failed for good after `max_attempts`.
pub fn fail(
    pg: &PgConn,
    claim: &Claim,
    worker: &str,
    error: &str,
    max_attempts: i64,
    cooldown_ms: i64,
) -> Result<(), StoreError> {
    let claim = claim.clone();
    let worker = worker.to_string();
    let error = error.to_string();
    pg.call(move |c| -> Result<(), postgres::Error> {
        let mut tx = c.transaction()?;
        tx.execute(
            "UPDATE campaign_jobs SET state = CASE WHEN attempts >= $1 THEN 'failed' ELSE 'queued' END,
                worker = NULL, lease_until_ms = NULL, error = $2
             WHERE campaign_id = $3 AND demarche_id = $4 AND worker = $5 AND attempts = $6
               AND state = 'running'",
            &[
                &max_attempts,
                &error,
                &claim.campaign_id,
                &claim.demarche_id,
                &worker,
                &claim.attempt,
            ],
        )?;
        release_host(&mut tx, &claim, &worker, cooldown_ms)?;
        tx.commit()
    })?
    .map_err(|e| StoreError::Postgres(describe(&e)))
}

/// One job as `vigie campaign status` shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct JobStatus {
    pub demarche_id: String,
    /// queued, running, done or failed.
    pub state: String,
    pub attempts: i64,
    pub worker: Option<String>,
    /// Seconds since the job was claimed (running jobs).
    pub lease_age_s: Option<f64>,
    /// Pages journaled (running) or reported (done).
    pub pages: i64,
    pub error: Option<String>,
}

/// A campaign's progress.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CampaignStatus {
    pub id: i64,
    pub started_at: String,
    pub queued: usize,
    pub running: usize,
    pub done: usize,
    pub failed: usize,
    pub pages: i64,
    pub jobs: Vec<JobStatus>,
}

/// Every campaign of the queue (or one), oldest first.
pub fn status(store: &Store, only: Option<i64>) -> Result<Vec<CampaignStatus>, StoreError> {
    let pg = pg_of(store)?;
    let campaigns = pg.query(
        "SELECT id, started_at FROM campaigns c
         WHERE (CAST(?1 AS BIGINT) IS NULL OR id = CAST(?1 AS BIGINT))
           AND EXISTS (SELECT 1 FROM campaign_jobs j WHERE j.campaign_id = c.id)
         ORDER BY id",
        vec![only.into()],
    )?;
    if let Some(id) = only.filter(|_| campaigns.is_empty()) {
        return Err(StoreError::CampaignNotFound(id));
    }
    let mut out = Vec::new();
    for c in campaigns {
        let id = c.first().and_then(Val::int).unwrap_or_default();
        let jobs: Vec<JobStatus> = pg
            .query(
                &format!(
                    "SELECT j.demarche_id, j.state, j.attempts, j.worker,
                        CASE WHEN j.state = 'running' THEN CAST({NOW_MS} - j.claimed_at_ms AS DOUBLE PRECISION) / 1000 END,
                        CASE WHEN j.state = 'done' THEN j.pages ELSE
                          (SELECT COUNT(*) FROM campaign_pages p WHERE p.campaign_id = j.campaign_id AND p.demarche_id = j.demarche_id) END,
                        j.error
                     FROM campaign_jobs j WHERE j.campaign_id = ?1 ORDER BY j.pos"
                ),
                vec![id.into()],
            )?
            .into_iter()
            .map(|r| {
                let at = |i: usize| r.get(i).cloned().unwrap_or(Val::Null);
                JobStatus {
                    demarche_id: at(0).text().unwrap_or_default(),
                    state: at(1).text().unwrap_or_default(),
                    attempts: at(2).int().unwrap_or_default(),
                    worker: at(3).text(),
                    lease_age_s: at(4).real(),
                    pages: at(5).int().unwrap_or_default(),
                    error: at(6).text(),
                }
            })
            .collect();
        let count = |s: &str| jobs.iter().filter(|j| j.state == s).count();
        out.push(CampaignStatus {
            id,
            started_at: c.get(1).and_then(Val::text).unwrap_or_default(),
            queued: count("queued"),
            running: count("running"),
            done: count("done"),
            failed: count("failed"),
            pages: jobs.iter().map(|j| j.pages).sum(),
            jobs,
        });
    }
    Ok(out)
}

/// The reports of a campaign's done jobs in catalogue order, one at a time, with the time the
/// last one finished; the ids of the démarches not done (failed or unfinished).
pub fn for_each_report(
    store: &Store,
    id: i64,
    mut each: impl FnMut(DemarcheReport) -> Result<(), StoreError>,
) -> Result<(Option<String>, Vec<String>), StoreError> {
    let pg = pg_of(store)?;
    let jobs = pg.query(
        "SELECT demarche_id, state, finished_at FROM campaign_jobs WHERE campaign_id = ?1 ORDER BY pos",
        vec![id.into()],
    )?;
    let mut missing = Vec::new();
    let mut last: Option<String> = None;
    for j in jobs {
        let demarche = j.first().and_then(Val::text).unwrap_or_default();
        if j.get(1).and_then(Val::text).as_deref() != Some("done") {
            missing.push(demarche);
            continue;
        }
        if let Some(f) = j.get(2).and_then(Val::text) {
            if last.as_ref().is_none_or(|l| *l < f) {
                last = Some(f);
            }
        }
        let json = pg
            .query(
                "SELECT report_json FROM campaign_jobs WHERE campaign_id = ?1 AND demarche_id = ?2",
                vec![id.into(), demarche.as_str().into()],
            )?
            .into_iter()
            .next()
            .and_then(|r| r.first().and_then(Val::text))
            .unwrap_or_default();
        each(serde_json::from_str(&json)?)?;
    }
    Ok((last, missing))
}
