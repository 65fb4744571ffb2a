//! Orchestration of an audit: démarches → crawl → findings → scores → report.

use std::sync::Arc;

use futures_util::stream::{self, StreamExt};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::analyze::{CrawledPage, PageAnalysis, RenderingAnalyser};
use crate::catalogue::Demarche;
use crate::crawl::address::host_is_non_public;
use crate::crawl::{self, CrawlPlan, CssCache, Fetcher, PageSink, Scope};
use crate::model::stream::{RunHeader, SerializedDemarche, SpoolWriter, SpooledReport};
use crate::model::DemarcheSummary;
use crate::model::{AuditSettings, DemarcheReport, PageReport, Report, ToolInfo, SCHEMA_VERSION};
use crate::store::journal::{Campaign, JournalWriter};

/// An audit run: its settings, the declarations file as read, and how to run it (neither of
/// which changes the results).
#[derive(Debug, Clone)]
pub struct AuditOptions {
    pub settings: AuditSettings,
    /// The operators' declarations (read from `settings.declarations_file`, or given directly).
    pub declarations: Option<crate::declarations::Declarations>,
    /// Démarches crawled at the same time (each on its own hosts).
    pub parallel_demarches: usize,
    /// Show progress bars (only when stderr is a terminal).
    pub progress: bool,
    /// The browser for `--render` (`--chromium`); else `VIGIE_CHROMIUM`, else PATH.
    pub chromium: Option<std::path::PathBuf>,
    /// The browser's time limits and bounds (its tabs follow the fetch concurrency).
    pub browser_limits: crate::render::BrowserLimits,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            settings: AuditSettings::default(),
            declarations: None,
            parallel_demarches: 4,
            progress: true,
            chromium: None,
            browser_limits: crate::render::BrowserLimits::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("client HTTP impossible à créer : {0}")]
    Client(#[from] reqwest::Error),
    #[error("journal de la campagne : {0}")]
    Journal(String),
    #[error("rapports des démarches : {0}")]
    Spool(#[from] crate::model::ReportError),
    #[error("deux démarches portent l'identifiant « {0} » : chaque démarche doit avoir le sien")]
    DuplicateDemarche(String),
    #[error("--render always : {0} ; indiquez le navigateur avec --chromium CHEMIN ou VIGIE_CHROMIUM, ou utilisez --render auto")]
    Render(#[from] crate::render::BrowserError),
    #[error("le rapport de la démarche « {0} » n'a pas pu être assemblé (erreur interne)")]
    Assembly(String),
}

impl From<crate::store::StoreError> for AuditError {
    fn from(e: crate::store::StoreError) -> Self {
        AuditError::Journal(e.to_string())
    }
}

impl From<crate::store::journal::JournalError> for AuditError {
    fn from(e: crate::store::journal::JournalError) -> Self {
        AuditError::Journal(e.0)
    }
}

/// The crawl plan of a démarche under the run's defaults.
pub fn plan_for(d: &Demarche, opts: &AuditOptions) -> CrawlPlan {
    let mut plan = CrawlPlan::new(d.start_url.clone());
    plan.scope = Scope::for_start(&d.start_url, d.scope_prefix.clone());
    plan.entries = d.entries.iter().map(|e| e.url.clone()).collect();
    for e in &plan.entries {
        plan.scope.add_origin(e);
    }
    plan.max_pages = d.max_pages.unwrap_or(opts.settings.max_pages).max(1);
    plan.max_depth = d.max_depth.unwrap_or(opts.settings.max_depth);
    plan.use_sitemaps = opts.settings.use_sitemaps;
    plan
}

/// What a démarche's report is assembled from besides its pages.
#[derive(Debug, Default)]
pub struct DemarcheContext<'a> {
    /// The operators' declarations (the file's entry for the démarche is used).
    pub declarations: Option<&'a crate::declarations::Declarations>,
    /// Reference date of the Cerfa evaluation; today when None.
    pub audit_date: Option<chrono::NaiveDate>,
    /// robots.txt and sitemap facts gathered before the crawl.
    pub indexability: Option<crawl::indexability::Indexability>,
    /// Probes of the start URL made during the crawl (availability, response time).
    pub probes: Vec<crate::probe::ProbeRecord>,
    /// Keep passed findings whole (`--all-targets`) instead of counts per rule and page.
    pub all_targets: bool,
}

/// Assemble a démarche's report from its crawled pages: the one place where pages, findings,
/// Cerfa evidence, RGAA statuses and indicators come together.
pub fn demarche_report(
    d: &Demarche,
    crawled: Vec<CrawledPage>,
    context: DemarcheContext<'_>,
) -> DemarcheReport {
    let DemarcheContext {
        declarations,
        audit_date,
        indexability,
        probes,
        all_targets,
    } = context;
    let audit_date = audit_date.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let mut crawled = crawled;
    // Pages arrive in completion order, which varies between runs; the report (and the Cerfa
    // evidence, which cites the first page that shows a fact) must not.
    crawled.sort_by(|a, b| {
        (a.record.depth, &a.record.requested_url).cmp(&(b.record.depth, &b.record.requested_url))
    });
    let mut pages = Vec::with_capacity(crawled.len());
    // Sized once: doubling a vector of tens of thousands of findings would copy it at its peak.
    let mut findings = Vec::with_capacity(
        crawled
            .iter()
            .filter_map(|c| c.analysis.as_ref())
            .map(|a| a.findings.len())
            .sum(),
    );
    let mut evidence = Vec::new();
    // Findings of each analysed page, as index ranges into `findings` (for RGAA statuses).
    let mut page_ranges = Vec::new();
    for c in crawled {
        let facts = c.analysis.as_ref().map(|a| a.facts.clone());
        let mut screenshots = Vec::new();
        if let Some(mut a) = c.analysis {
            screenshots = std::mem::take(&mut a.screenshots);
            let start = findings.len();
            findings.extend(a.findings);
            evidence.push((pages.len(), a.cerfa));
            page_ranges.push((pages.len(), start..findings.len()));
        }
        pages.push(PageReport {
            record: c.record,
            rendering: c.rendering,
            facts,
            outcomes: None,
            screenshots,
        });
    }
    let evidence_pages: Vec<crate::cerfa::EvidencePage<'_>> = evidence
        .iter()
        .map(|(i, e)| {
            let r = &pages[*i].record;
            crate::cerfa::EvidencePage {
                url: &r.final_url,
                status: r.status,
                depth: r.depth,
                charset: r.charset.as_deref(),
                x_robots_tag: &r.x_robots_tag,
                evidence: e,
            }
        })
        .collect();
    let cerfa = crate::cerfa::evaluate(
        d,
        &evidence_pages,
        &findings,
        declarations.and_then(|x| x.for_demarche(&d.id)),
        audit_date,
        indexability.as_ref(),
    );
    let summary = DemarcheSummary::of(&pages, &findings);
    let per_page: Vec<&[crate::findings::Finding]> = page_ranges
        .iter()
        .map(|(_, r)| &findings[r.clone()])
        .collect();
    let rgaa = Some(crate::scores::rgaa::summarize(&per_page));
    // Scores, statuses and counts are made from every finding above; what is kept of the passed
    // and inapplicable ones is a count per rule and page.
    let mut all = findings.into_iter();
    let page_findings = page_ranges
        .into_iter()
        .map(|(i, r)| (i, all.by_ref().take(r.len()).collect()))
        .collect();
    let mut report = DemarcheReport {
        demarche: d.clone(),
        pages,
        findings: Vec::new(),
        rules: Vec::new(),
        usual_messages: Default::default(),
        summary,
        cerfa: Some(cerfa),
        rgaa,
        probes,
        indicators: Vec::new(),
        indexability,
    };
    report.compact_from(page_findings, all_targets);
    report.indicators =
        crate::indicators::compute(&report, declarations.and_then(|x| x.get(&d.id)));
    report
}

/// Re-apply the operators' declarations to a written démarche report (`vigie report
/// --declarations`): the Cerfa answers the file gives replace those of the audit and the scores
/// are recomputed (measures still win), then the indicators are recomputed. Files in the old
/// indicators-only format leave the Cerfa part alone. Without a file, only a report written
/// before indicators existed gets them.
pub fn redeclare(d: &mut DemarcheReport, decls: Option<&crate::declarations::Declarations>) {
    if let Some(decls) = decls {
        if decls.format != crate::declarations::FileFormat::LegacyIndicators {
            if let (Some(decl), Some(cerfa)) = (decls.get(&d.demarche.id), d.cerfa.as_mut()) {
                crate::cerfa::score::redeclare(cerfa, Some(&decl.cerfa));
            }
        }
    }
    if decls.is_some() || d.indicators.is_empty() {
        d.indicators = crate::indicators::compute(d, decls.and_then(|x| x.get(&d.demarche.id)));
    }
}

/// Crawl a démarche while probing its start URL: once before the crawl, at even steps of the
/// crawl's page budget, and once after it.
#[allow(clippy::too_many_arguments)]
async fn crawl_with_probes(
    analyser: Arc<RenderingAnalyser>,
    fetcher: Arc<Fetcher>,
    css: Arc<CssCache>,
    plan: &CrawlPlan,
    start: &url::Url,
    n: usize,
    bar: &ProgressBar,
    resumed: &[CrawledPage],
    sink: &mut dyn PageSink<PageAnalysis>,
) -> Vec<crate::probe::ProbeRecord> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let mut probes = Vec::new();
    if n > 0 {
        probes.push(crate::probe::probe(&fetcher, start).await);
    }
    let done = AtomicBool::new(false);
    let crawl_fut = async {
        crawl::crawl_into(analyser, fetcher.clone(), css, plan, bar, resumed, sink).await;
        done.store(true, Ordering::SeqCst);
    };
    let middle_fut = async {
        let mut out = Vec::new();
        for point in crate::probe::middle_points(n) {
            let target = (point * plan.max_pages as f64).ceil() as u64;
            while bar.position() < target && !done.load(Ordering::SeqCst) {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            out.push(crate::probe::probe(&fetcher, start).await);
        }
        out
    };
    let ((), middle) = tokio::join!(crawl_fut, middle_fut);
    probes.extend(middle);
    if n > 1 {
        probes.push(crate::probe::probe(&fetcher, start).await);
    }
    probes
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A crawl that starts on a public host must not be led to internal addresses: the guard is on
/// when any démarche starts on a public host, unless the user allowed private addresses.
pub fn blocks_private_addresses(demarches: &[Demarche], opts: &AuditOptions) -> bool {
    !opts.settings.allow_private_addresses
        && demarches.iter().any(|d| !host_is_non_public(&d.start_url))
}

/// Audit démarches with the whole report in memory (small runs and tests; campaigns use
/// [`audit_spooled`]); never fails because of a site: errors are recorded per page.
pub async fn audit(demarches: &[Demarche], opts: &AuditOptions) -> Result<Report, AuditError> {
    let spooled = audit_spooled(demarches, opts, None, &std::env::temp_dir()).await?;
    Ok(Report::collect(&spooled)?)
}

/// Where a crawled démarche's pages are: in memory, or in the campaign's journal (read back
/// only when its report is assembled, one démarche at a time).
enum Crawled {
    InMemory(Vec<CrawledPage>),
    Journaled,
}

/// Crawl one démarche: in memory, or through the campaign's journal (resuming what it holds).
#[allow(clippy::too_many_arguments)]
async fn crawl_demarche(
    d: &Demarche,
    opts: &AuditOptions,
    rendering: &crate::render::RenderSession,
    fetcher: Arc<Fetcher>,
    css: Arc<CssCache>,
    bar: &ProgressBar,
    journal: Option<(&Campaign, &JournalWriter)>,
    sitemap_pages: Vec<url::Url>,
) -> Result<(Crawled, Vec<crate::probe::ProbeRecord>), AuditError> {
    let mut plan = plan_for(d, opts);
    // Read by the indexability scan: the crawl does not fetch the sitemaps again.
    plan.sitemap_pages = Some(sitemap_pages);
    let analyser = Arc::new(RenderingAnalyser {
        renderer: rendering.renderer(d.render),
        all_targets: opts.settings.all_targets,
    });
    let Some((campaign, writer)) = journal else {
        let mut pages = Vec::new();
        let probes = crawl_with_probes(
            analyser,
            fetcher,
            css,
            &plan,
            &d.start_url,
            opts.settings.probes,
            bar,
            &[],
            &mut pages,
        )
        .await;
        return Ok((Crawled::InMemory(pages), probes));
    };
    if let Some(probes) = campaign.finished_demarche(&d.id)? {
        let n = campaign.page_count_of(&d.id)? as u64;
        bar.set_length(n);
        bar.set_position(n);
        return Ok((Crawled::Journaled, probes));
    }
    let resumed = campaign.pages(&d.id, true)?;
    let mut sink = writer.sink(&d.id, resumed.len() as i64);
    let probes = crawl_with_probes(
        analyser,
        fetcher,
        css,
        &plan,
        &d.start_url,
        opts.settings.probes,
        bar,
        &resumed,
        &mut sink,
    )
    .await;
    drop(resumed);
    writer.demarche_done(&d.id, &probes)?;
    writer.flush()?;
    Ok((Crawled::Journaled, probes))
}

/// One démarche of a queued campaign (`vigie worker`): the indexability scan, then the crawl
/// with its probes, resuming from `resumed` (pages an earlier attempt journaled, light) and
/// handing each new page to `sink`. The caller assembles the report from its journal, as
/// [`audit_spooled`] does, so the result equals a single-machine audit's.
pub async fn crawl_resumable(
    d: &Demarche,
    opts: &AuditOptions,
    rendering: &crate::render::RenderSession,
    fetcher: Arc<Fetcher>,
    css: Arc<CssCache>,
    resumed: &[CrawledPage],
    sink: &mut dyn PageSink<PageAnalysis>,
) -> (
    crawl::indexability::Indexability,
    Vec<crate::probe::ProbeRecord>,
) {
    let mut plan = plan_for(d, opts);
    let (indexability, seeds) =
        crawl::indexability::scan(&fetcher, &plan.start, &plan.scope, plan.max_pages).await;
    plan.sitemap_pages = Some(seeds);
    let analyser = Arc::new(RenderingAnalyser {
        renderer: rendering.renderer(d.render),
        all_targets: opts.settings.all_targets,
    });
    let probes = crawl_with_probes(
        analyser,
        fetcher,
        css,
        &plan,
        &d.start_url,
        opts.settings.probes,
        &ProgressBar::hidden(),
        resumed,
        sink,
    )
    .await;
    (indexability, probes)
}

/// Audit démarches, journaling each visited page in the campaign when one is given (a killed
/// audit is resumed from the journal by calling this again with the same campaign), and keep no
/// démarche's report in memory once it is assembled: each goes to a spool file in `spool_dir`,
/// read back one at a time by the outputs. Memory depends on the largest démarche, not on the
/// campaign.
pub async fn audit_spooled(
    demarches: &[Demarche],
    opts: &AuditOptions,
    campaign: Option<&Campaign>,
    spool_dir: &std::path::Path,
) -> Result<SpooledReport, AuditError> {
    // The journal, the spool, the store and the site key a démarche's data by its id.
    if let Some(id) = crate::catalogue::duplicate_id(demarches) {
        return Err(AuditError::DuplicateDemarche(id.to_string()));
    }
    // Before crawling: `--render always` without a browser is an error, not a static audit.
    let rendering = crate::render::RenderSession::new(
        opts.settings.render,
        opts.chromium.as_deref(),
        opts.browser_limits.clone().for_fetch(&opts.settings.fetch),
    )?;
    let result = audit_with(demarches, opts, campaign, spool_dir, &rendering).await;
    // The browser stops with the audit, whether it succeeded or failed.
    rendering.shutdown().await;
    result
}

async fn audit_with(
    demarches: &[Demarche],
    opts: &AuditOptions,
    campaign: Option<&Campaign>,
    spool_dir: &std::path::Path,
    rendering: &crate::render::RenderSession,
) -> Result<SpooledReport, AuditError> {
    let mut spool = SpoolWriter::new_in(spool_dir)?;
    let writer = campaign.map(|c| c.writer()).transpose()?;
    let started_at = now();
    let mut fetch = opts.settings.fetch.clone();
    fetch.block_private_addresses |= blocks_private_addresses(demarches, opts);
    let fetcher = Arc::new(Fetcher::new(fetch.clone())?);
    let css = Arc::new(CssCache::default());
    let multi = MultiProgress::with_draw_target(if opts.progress {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    });
    let style = ProgressStyle::with_template("{prefix:<24} {bar:30} {pos}/{len} pages {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    let journal = campaign.zip(writer.as_ref());
    // What each démarche's assembly needs, owned: it runs on the CPU pool, not in this task.
    let reader = campaign.map(|c| Arc::new(c.clone()));
    let declarations = opts.declarations.clone().map(Arc::new);
    // One démarche's pages and report in memory at a time (beside the spool lines waiting for
    // their turn), as when reports were assembled here.
    let assembling = Arc::new(tokio::sync::Semaphore::new(1));
    let mut reports = stream::iter(demarches.iter())
        .map(|d| {
            let fetcher = fetcher.clone();
            let css = css.clone();
            let bar = multi.add(ProgressBar::new(0));
            bar.set_style(style.clone());
            bar.set_prefix(d.id.clone());
            let reader = reader.clone();
            let declarations = declarations.clone();
            let assembling = assembling.clone();
            async move {
                let plan = plan_for(d, opts);
                let (indexability, seeds) =
                    crawl::indexability::scan(&fetcher, &plan.start, &plan.scope, plan.max_pages)
                        .await;
                let (crawled, probes) =
                    crawl_demarche(d, opts, rendering, fetcher, css, &bar, journal, seeds).await?;
                bar.finish_with_message("terminé");
                let _turn = assembling
                    .acquire_owned()
                    .await
                    .map_err(|_| AuditError::Assembly(d.id.clone()))?;
                let demarche = d.clone();
                let audit_date = opts.settings.audit_date;
                let all_targets = opts.settings.all_targets;
                // Read back, assembled and serialized off this task: a démarche's assembly
                // never stops the other démarches' crawls.
                let assemble = move || -> Result<SerializedDemarche, AuditError> {
                    let pages = match (crawled, reader) {
                        (Crawled::InMemory(pages), _) => pages,
                        (Crawled::Journaled, Some(c)) => c.pages(&demarche.id, false)?,
                        (Crawled::Journaled, None) => Vec::new(),
                    };
                    let context = DemarcheContext {
                        declarations: declarations.as_deref(),
                        audit_date,
                        indexability: Some(indexability),
                        probes,
                        all_targets,
                    };
                    let report = demarche_report(&demarche, pages, context);
                    Ok(SerializedDemarche::of(&report)?)
                };
                crawl::on_cpu_pool(assemble)
                    .await
                    .unwrap_or_else(|| Err(AuditError::Assembly(d.id.clone())))
            }
        })
        .buffered(opts.parallel_demarches.max(1));
    // Crawls run side by side; their reports reach the spool in the démarches' order.
    while let Some(serialized) = reports.next().await {
        spool.push_serialized(serialized?)?;
    }
    drop(reports);
    let started_at = campaign.map(|c| c.started_at.clone()).unwrap_or(started_at);
    Ok(spool.finish(RunHeader {
        schema_version: SCHEMA_VERSION.to_string(),
        tool: ToolInfo::default(),
        started_at,
        finished_at: now(),
        config: opts.settings.run_config(),
    })?)
}
