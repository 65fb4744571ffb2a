//! `vigie worker`: audits the démarches of queued campaigns (`vigie campaign submit`) from a
//! PostgreSQL database, alongside any number of other workers on any number of machines.
//!
//! Each lane claims a job (a démarche, with leases on it and on its host), renews the leases
//! while it crawls, journals every page into the database as it is visited, then stores the
//! démarche's report, assembled from the journal exactly as `vigie audit` does. A worker that
//! dies loses its leases when they run out; another resumes the démarche from the journal.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;

use crate::analyze::{CrawledPage, PageAnalysis};
use crate::audit::{AuditError, AuditOptions, DemarcheContext};
use crate::crawl::{CssCache, Fetcher, PageSink};
use crate::store::postgres::PgConn;
use crate::store::queue::{self, Claim, Claimed, QueuedCampaign};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Audit(#[from] AuditError),
}

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// The `postgres://` URL.
    pub db: String,
    /// Jobs crawled at the same time.
    pub concurrency: usize,
    /// Stop once no job is queued or running, instead of waiting for new campaigns.
    pub until_empty: bool,
    /// How long a claim holds without renewal (renewed every third of it).
    pub lease: Duration,
    /// Wait between two claims that found nothing to do.
    pub poll: Duration,
    /// Attempts of a job before it is reported failed.
    pub max_attempts: i64,
    /// This worker's name in the queue (default: host name and process id).
    pub name: Option<String>,
    /// The browser for `--render`.
    pub chromium: Option<PathBuf>,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            db: String::new(),
            concurrency: 2,
            until_empty: false,
            lease: Duration::from_secs(60),
            poll: Duration::from_secs(2),
            max_attempts: 3,
            name: None,
            chromium: None,
        }
    }
}

/// What a worker did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WorkerSummary {
    pub done: usize,
    pub failed: usize,
    /// Jobs whose lease was lost before they finished (another worker took them over).
    pub lost: usize,
}

/// A campaign as a worker runs it: its settings, and the fetcher its jobs share (so this
/// worker's per-host rate covers all its lanes).
struct CampaignRun {
    campaign: QueuedCampaign,
    opts: AuditOptions,
    fetcher: Arc<Fetcher>,
    css: Arc<CssCache>,
}

/// One interval of the per-host rate, plus a margin for timers: how long a host stays leased
/// after its démarche ends.
fn cooldown_ms(opts: &AuditOptions) -> i64 {
    let rate = opts.settings.fetch.requests_per_second;
    if rate > 0.0 && rate.is_finite() {
        (1000.0 / rate).ceil() as i64 + 50
    } else {
        0
    }
}

fn default_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "vigie".into());
    format!("{host}-{}", std::process::id())
}

/// Run the worker until the queue is empty (`until_empty`) or forever.
pub async fn run(
    opts: WorkerOptions,
    say: Arc<dyn Fn(String) + Send + Sync>,
) -> Result<WorkerSummary, WorkerError> {
    let control = Arc::new(PgConn::connect(&opts.db)?);
    crate::store::postgres::migrate(&control)?;
    let name = opts.name.clone().unwrap_or_else(default_name);
    let campaigns: Arc<Mutex<HashMap<i64, Arc<CampaignRun>>>> = Arc::default();
    let lanes = (0..opts.concurrency.max(1)).map(|_| {
        lane(
            control.clone(),
            &opts,
            &name,
            campaigns.clone(),
            say.clone(),
        )
    });
    let mut total = WorkerSummary::default();
    for r in futures_util::future::join_all(lanes).await {
        let s = r?;
        total.done += s.done;
        total.failed += s.failed;
        total.lost += s.lost;
    }
    Ok(total)
}

async fn lane(
    control: Arc<PgConn>,
    opts: &WorkerOptions,
    name: &str,
    campaigns: Arc<Mutex<HashMap<i64, Arc<CampaignRun>>>>,
    say: Arc<dyn Fn(String) + Send + Sync>,
) -> Result<WorkerSummary, WorkerError> {
    let lease_ms = opts.lease.as_millis() as i64;
    let mut summary = WorkerSummary::default();
    loop {
        let claimed = {
            let (c, name) = (control.clone(), name.to_string());
            let max = opts.max_attempts;
            tokio::task::spawn_blocking(move || queue::claim(&c, &name, lease_ms, max))
                .await
                .map_err(|e| StoreError::Postgres(e.to_string()))??
        };
        let claim = match claimed {
            Claimed::Job(c) => c,
            Claimed::Empty if opts.until_empty => return Ok(summary),
            Claimed::Empty | Claimed::Busy => {
                tokio::time::sleep(opts.poll).await;
                continue;
            }
        };
        say(format!(
            "campagne #{} : {} (tentative {})",
            claim.campaign_id, claim.demarche_id, claim.attempt
        ));
        // A campaign whose stored settings cannot be read fails this job (counted toward its
        // attempts), not the worker: other campaigns go on.
        let run = match campaign_run(&control, &campaigns, claim.campaign_id, opts).await {
            Ok(run) => run,
            Err(e) => {
                summary.failed += 1;
                say(format!(
                    "campagne #{} : {} en échec (tentative {}) : réglages de la campagne illisibles : {e}",
                    claim.campaign_id, claim.demarche_id, claim.attempt
                ));
                let error = format!("réglages de la campagne illisibles : {e}");
                fail_job(&control, &claim, name, &error, opts.max_attempts, 0).await?;
                continue;
            }
        };
        // Set when the job is no longer this claim's (seen by the renewal or by a journal
        // write that the fence refused): the job stops at once and writes nothing more.
        let lost = Arc::new(tokio::sync::Notify::new());
        // Leases renewed while the job runs, from its own task.
        let renewal = {
            let (c, claim, name) = (control.clone(), claim.clone(), name.to_string());
            let every = opts.lease / 3;
            let lost = lost.clone();
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(every).await;
                    let (c, claim, name) = (c.clone(), claim.clone(), name.clone());
                    let kept = tokio::task::spawn_blocking(move || {
                        queue::renew(&c, &claim, &name, lease_ms)
                    })
                    .await;
                    match kept {
                        Ok(Ok(true)) => {}
                        Ok(Ok(false)) => {
                            lost.notify_one();
                            return;
                        }
                        // The database did not answer: try again at the next turn (the
                        // lease may still hold).
                        other => tracing::warn!("bail non renouvelé : {other:?}"),
                    }
                }
            })
        };
        let result = tokio::select! {
            r = run_job(&control, &run, &claim, name, opts, lost.clone()) => r,
            _ = lost.notified() => Ok(false),
        };
        renewal.abort();
        match result {
            Ok(true) => {
                summary.done += 1;
                say(format!(
                    "campagne #{} : {} terminée",
                    claim.campaign_id, claim.demarche_id
                ));
            }
            Ok(false) => {
                summary.lost += 1;
                say(format!(
                    "campagne #{} : {} reprise par un autre worker (bail expiré)",
                    claim.campaign_id, claim.demarche_id
                ));
            }
            Err(e) => {
                summary.failed += 1;
                say(format!(
                    "campagne #{} : {} en échec (tentative {}) : {e}",
                    claim.campaign_id, claim.demarche_id, claim.attempt
                ));
                fail_job(
                    &control,
                    &claim,
                    name,
                    &e.to_string(),
                    opts.max_attempts,
                    cooldown_ms(&run.opts),
                )
                .await?;
            }
        }
    }
}

/// Record a failed attempt of the job (queued again, or failed for good after the last one).
async fn fail_job(
    control: &Arc<PgConn>,
    claim: &Claim,
    name: &str,
    error: &str,
    max_attempts: i64,
    cooldown_ms: i64,
) -> Result<(), WorkerError> {
    let (c, claim, name, error) = (
        control.clone(),
        claim.clone(),
        name.to_string(),
        error.to_string(),
    );
    tokio::task::spawn_blocking(move || {
        queue::fail(&c, &claim, &name, &error, max_attempts, cooldown_ms)
    })
    .await
    .map_err(|e| StoreError::Postgres(e.to_string()))??;
    Ok(())
}

async fn campaign_run(
    control: &Arc<PgConn>,
    campaigns: &Mutex<HashMap<i64, Arc<CampaignRun>>>,
    id: i64,
    opts: &WorkerOptions,
) -> Result<Arc<CampaignRun>, WorkerError> {
    let mut cache = campaigns.lock().await;
    if let Some(run) = cache.get(&id) {
        return Ok(run.clone());
    }
    let campaign = queue::load_pg(control, id)?;
    let mut audit = AuditOptions {
        settings: campaign.settings.clone(),
        progress: false,
        chromium: opts.chromium.clone(),
        ..AuditOptions::default()
    };
    // The declarations stored with the campaign: the same on every machine.
    audit.declarations = crate::campaign::queued_declarations(&campaign)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    // As `vigie audit` does for the whole catalogue, so results are the same.
    let mut fetch = audit.settings.fetch.clone();
    fetch.block_private_addresses |=
        crate::audit::blocks_private_addresses(&campaign.demarches, &audit);
    let fetcher = Arc::new(Fetcher::new(fetch).map_err(AuditError::from)?);
    let run = Arc::new(CampaignRun {
        campaign,
        opts: audit,
        fetcher,
        css: Arc::new(CssCache::default()),
    });
    cache.insert(id, run.clone());
    Ok(run)
}

/// Pages of one job on their way to the journal: each sent to the job's own connection
/// without waiting (its thread writes them in order, each committed on its own). A write the
/// lease fence refuses (the job was taken over) stops the job.
struct JournalSink {
    conn: Arc<PgConn>,
    claim: Claim,
    worker: String,
    next_seq: i64,
    lost: Arc<tokio::sync::Notify>,
}

impl PageSink<PageAnalysis> for JournalSink {
    fn accept(&mut self, page: CrawledPage) {
        let lost = self.lost.clone();
        let sent = queue::journal_params(&self.claim, &self.worker, self.next_seq, page).and_then(
            |params| {
                self.conn
                    .send_then(queue::JOURNAL_PAGE, params, move |rows| {
                        if rows == 0 {
                            lost.notify_one();
                        }
                    })
            },
        );
        self.next_seq += 1;
        // A failed write is reported by the job's flush; the page is not lost silently.
        if let Err(e) = sent {
            tracing::error!(demarche = %self.claim.demarche_id, "journal : {e}");
        }
    }
}

/// Crawl one job's démarche from its journal and store its report. False when the lease was
/// lost meanwhile (the report is then not stored).
async fn run_job(
    control: &Arc<PgConn>,
    run: &CampaignRun,
    claim: &Claim,
    name: &str,
    opts: &WorkerOptions,
    lost: Arc<tokio::sync::Notify>,
) -> Result<bool, WorkerError> {
    let d = run
        .campaign
        .demarches
        .iter()
        .find(|d| d.id == claim.demarche_id)
        .ok_or_else(|| {
            StoreError::Invalid(format!(
                "démarche {} absente de la campagne #{}",
                claim.demarche_id, claim.campaign_id
            ))
        })?;
    let journal = {
        let db = opts.db.clone();
        Arc::new(
            tokio::task::spawn_blocking(move || PgConn::connect(&db))
                .await
                .map_err(|e| StoreError::Postgres(e.to_string()))??,
        )
    };
    let read = |light: bool| {
        let (c, id, demarche) = (
            journal.clone(),
            claim.campaign_id,
            claim.demarche_id.clone(),
        );
        async move {
            tokio::task::spawn_blocking(move || queue::journaled_pages(&c, id, &demarche, light))
                .await
                .map_err(|e| StoreError::Postgres(e.to_string()))?
        }
    };
    let resumed = read(true).await?;
    let mut sink = JournalSink {
        conn: journal.clone(),
        claim: claim.clone(),
        worker: name.to_string(),
        next_seq: resumed.len() as i64,
        lost,
    };
    let rendering = crate::render::RenderSession::new(
        run.opts.settings.render,
        run.opts.chromium.as_deref(),
        crate::render::BrowserLimits::default().for_fetch(&run.opts.settings.fetch),
    )
    .map_err(AuditError::from)?;
    let (indexability, probes) = crate::audit::crawl_resumable(
        d,
        &run.opts,
        &rendering,
        run.fetcher.clone(),
        run.css.clone(),
        &resumed,
        &mut sink,
    )
    .await;
    rendering.shutdown().await;
    drop(resumed);
    {
        let c = journal.clone();
        tokio::task::spawn_blocking(move || c.flush())
            .await
            .map_err(|e| StoreError::Postgres(e.to_string()))??;
    }
    let pages = read(false).await?;
    let report = crate::audit::demarche_report(
        d,
        pages,
        DemarcheContext {
            declarations: run.opts.declarations.as_ref(),
            audit_date: run.opts.settings.audit_date,
            indexability: Some(indexability),
            probes,
            all_targets: run.opts.settings.all_targets,
        },
    );
    let (c, claim, name) = (control.clone(), claim.clone(), name.to_string());
    let cooldown = cooldown_ms(&run.opts);
    Ok(
        tokio::task::spawn_blocking(move || queue::finish(&c, &claim, &name, &report, cooldown))
            .await
            .map_err(|e| StoreError::Postgres(e.to_string()))??,
    )
}
