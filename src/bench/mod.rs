//! `vigie bench`: pages per second and peak memory for (a) the page pipeline on the fixture
//! pages and (b) a crawl of a generated local site with the rate limit lifted.

use std::sync::Arc;
use std::time::Instant;

use indicatif::ProgressBar;
use serde::Serialize;
use url::Url;

use crate::campaign::Published;
use crate::catalogue::Demarche;
use crate::crawl::{self, CrawlPlan, CssCache, FetchConfig, Fetcher};
use crate::model::AuditSettings;
use crate::serve::{self, ServeError, Source};
use crate::store::journal::Campaign;
use crate::store::Store;

pub mod design_system;

#[derive(Debug, Serialize)]
pub struct BenchResult {
    pub name: String,
    pub pages: usize,
    pub seconds: f64,
    pub pages_per_second: f64,
    /// Peak resident memory of the process so far (VmHWM), in MiB.
    pub peak_rss_mib: Option<f64>,
    /// For the `check` measure: its pages per second over the floor's, same pages, same run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_of_floor: Option<f64>,
    /// For the campaign: bytes on disk of report.json plus the store, per page audited (the
    /// footprint, comparable across versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes_per_page: Option<f64>,
    /// For the campaign: seconds spent in each step, in order (where the time goes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<(String, f64)>,
    /// For the rendered measure: the browser's processes at their peak, summed (MiB, PSS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_peak_rss_mib: Option<f64>,
}

/// Peak resident set size of this process (Linux), in MiB.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Reset the peak so each measure reports its own (Linux: `5` in /proc/self/clear_refs).
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Every fixture page embedded in the binary (demo sites), as (url, html).
fn fixture_pages() -> Vec<(Url, String)> {
    let mut out = Vec::new();
    let mut stack = vec![&crate::demo::SITES];
    while let Some(dir) = stack.pop() {
        stack.extend(dir.dirs());
        for f in dir.files() {
            let path = f.path().to_string_lossy();
            if path.ends_with(".html") {
                if let Ok(url) = Url::parse(&format!("http://bench.test/{path}")) {
                    let decoded = crate::crawl::charset::decode(f.contents(), None);
                    out.push((url, decoded.text));
                }
            }
        }
    }
    out
}

/// (a) parse + all rules on the fixture pages, on every core, `rounds` times over.
pub fn pipeline(rounds: usize) -> BenchResult {
    reset_peak_rss();
    let pages = fixture_pages();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let started = Instant::now();
    let total: usize = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let pages = &pages;
                s.spawn(move || {
                    let mut n = 0;
                    for r in 0..rounds {
                        for (i, (url, html)) in pages.iter().enumerate() {
                            if (r * pages.len() + i) % threads == t {
                                let a = crate::analyze::analyze_html(url.clone(), html);
                                std::hint::black_box(a);
                                n += 1;
                            }
                        }
                    }
                    n
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    let seconds = started.elapsed().as_secs_f64();
    BenchResult {
        name: "pipeline (pages fixtures)".into(),
        pages: total,
        seconds,
        pages_per_second: total as f64 / seconds,
        peak_rss_mib: peak_rss_mib(),
        share_of_floor: None,
        bytes_per_page: None,
        phases: Vec::new(),
        browser_peak_rss_mib: None,
    }
}

/// The fixture page's linked stylesheets, read from the same embedded sites, as `vigie check`
/// reads them from disk beside a file.
fn embedded_stylesheets(
    page: &crate::page::Page,
) -> Vec<(crate::page::StylesheetLink, Arc<String>)> {
    page.stylesheet_links()
        .into_iter()
        .filter_map(|link| {
            let rel = link.url.path().trim_start_matches('/').to_string();
            let file = crate::demo::SITES.get_file(&rel)?;
            let text = std::str::from_utf8(file.contents()).ok()?.to_string();
            Some((link, Arc::new(text)))
        })
        .collect()
}

/// `rounds` passes over `pages` on every core (rayon's work-stealing pool), `work` once per page;
/// returns the pages done and the seconds taken.
fn on_all_cores(
    pages: &[(Url, String)],
    rounds: usize,
    work: impl Fn(&Url, &str) + Sync,
) -> (usize, f64) {
    use rayon::prelude::*;
    let started = Instant::now();
    let total = (0..rounds * pages.len())
        .into_par_iter()
        .map(|k| {
            let (url, html) = &pages[k % pages.len()];
            work(url, html);
        })
        .count();
    (total, started.elapsed().as_secs_f64())
}

/// The floor of any static auditor: a bare html5ever parse and a walk of every element, on
/// every core; then vigie's analysis as `vigie check` runs it on files (parse, linked
/// stylesheets, every rule, cascade, Cerfa evidence, signals) on the same pages and cores, with
/// its share of the floor. Twice: on the fixture pages, and on generated pages in the manner of
/// a State design system (30 KB each, one stylesheet of 400 custom properties), what real
/// State sites look like. The floor and `check` are timed in alternating slices, so their ratio
/// does not depend on when the machine was busier.
pub fn floor_and_check(rounds: usize) -> Vec<BenchResult> {
    let mut out = floor_and_check_on(&fixture_pages(), 10 * rounds, rounds, "fixtures", &|page| {
        embedded_stylesheets(page)
    });
    let generated = design_system::pages();
    // One text shared by every page, as the crawler's cache and `check`'s reads share it.
    let css = Arc::new(design_system::stylesheet());
    out.extend(floor_and_check_on(
        &generated,
        10 * rounds,
        rounds,
        "pages de type DSFR",
        &|page| {
            page.stylesheet_links()
                .into_iter()
                .map(|link| (link, css.clone()))
                .collect()
        },
    ));
    out
}

/// Alternating slices of the floor and `check` measures (fewer when there are fewer rounds).
const BENCH_SLICES: usize = 5;

type SheetsOf<'a> =
    dyn Fn(&crate::page::Page) -> Vec<(crate::page::StylesheetLink, Arc<String>)> + Sync + 'a;

fn floor_and_check_on(
    pages: &[(Url, String)],
    floor_rounds: usize,
    rounds: usize,
    label: &str,
    sheets: &SheetsOf<'_>,
) -> Vec<BenchResult> {
    let floor_work = |_: &Url, html: &str| {
        let dom = scraper::Html::parse_document(html);
        let elements = dom
            .root_element()
            .descendants()
            .filter_map(|n| n.value().as_element().map(|e| e.name().len()))
            .sum::<usize>();
        std::hint::black_box(elements);
    };
    let check_work = |url: &Url, html: &str| {
        let mut page = crate::analyze::parse(url.clone(), html);
        let linked = sheets(&page);
        page.add_linked_stylesheets(linked);
        std::hint::black_box(crate::analyze::analyze(&page, false));
    };
    // The two are timed in alternating slices, so that a change in the machine's speed during
    // the run (other load, clock) weighs on both alike: timed one after the other, the floor
    // alone moved by a third between runs of the same binary while `check` did not.
    let slices = rounds.clamp(1, BENCH_SLICES);
    let share = |total: usize, k: usize| total / slices + usize::from(k < total % slices);
    let (mut floor_pages, mut floor_seconds, mut floor_peak) = (0, 0.0, None::<f64>);
    let (mut check_pages, mut check_seconds, mut check_peak) = (0, 0.0, None::<f64>);
    let higher = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    };
    for k in 0..slices {
        reset_peak_rss();
        let (p, s) = on_all_cores(pages, share(floor_rounds, k), floor_work);
        floor_pages += p;
        floor_seconds += s;
        floor_peak = higher(floor_peak, peak_rss_mib());
        reset_peak_rss();
        let (p, s) = on_all_cores(pages, share(rounds, k), check_work);
        check_pages += p;
        check_seconds += s;
        check_peak = higher(check_peak, peak_rss_mib());
    }
    let floor = BenchResult {
        name: if label == "fixtures" {
            "plancher (analyse html5ever + parcours)".to_string()
        } else {
            format!("plancher ({label})")
        },
        pages: floor_pages,
        seconds: floor_seconds,
        pages_per_second: floor_pages as f64 / floor_seconds,
        peak_rss_mib: floor_peak,
        share_of_floor: None,
        bytes_per_page: None,
        phases: Vec::new(),
        browser_peak_rss_mib: None,
    };
    let check_rate = check_pages as f64 / check_seconds;
    let check = BenchResult {
        name: format!("check ({label}, tous les cœurs)"),
        pages: check_pages,
        seconds: check_seconds,
        pages_per_second: check_rate,
        peak_rss_mib: check_peak,
        share_of_floor: Some(check_rate / floor.pages_per_second),
        bytes_per_page: None,
        phases: Vec::new(),
        browser_peak_rss_mib: None,
    };
    vec![floor, check]
}

/// (b) crawl a generated site of `pages` pages on 127.0.0.1, rate limit lifted, each page
/// analysed and handed to a campaign journal in a temporary store, as `vigie audit` does: the
/// crawl itself keeps no page in memory, so the peak should not grow with the site.
pub async fn crawl_generated(pages: usize) -> Result<BenchResult, ServeError> {
    let config_err = |e: String| ServeError::Config(e);
    let server = serve::start(Source::Generated(pages)).await?;
    let config = FetchConfig {
        requests_per_second: 0.0,
        concurrency: 16,
        retries: 0,
        ..FetchConfig::default()
    };
    let fetcher = Arc::new(Fetcher::new(config.clone()).map_err(|e| config_err(e.to_string()))?);
    let start = Url::parse(&server.url()).map_err(|e| config_err(e.to_string()))?;
    let mut plan = CrawlPlan::new(start.clone());
    plan.max_pages = pages;
    plan.max_depth = 64;
    plan.use_sitemaps = false;
    let dir = tempfile::tempdir().map_err(|e| config_err(e.to_string()))?;
    let store = Store::open(&dir.path().join("bench.db")).map_err(|e| config_err(e.to_string()))?;
    let demarche = Demarche::from_url(start);
    let settings = AuditSettings {
        fetch: config,
        max_pages: pages,
        max_depth: 64,
        use_sitemaps: false,
        probes: 0,
        allow_private_addresses: true,
        declarations_file: None,
        audit_date: None,
        all_targets: false,
        render: crate::render::RenderMode::Never,
    };
    let campaign = Campaign::create(&store, std::slice::from_ref(&demarche), &settings)
        .map_err(|e| config_err(e.to_string()))?;
    let writer = campaign.writer().map_err(|e| config_err(e.to_string()))?;
    let mut sink = writer.sink(&demarche.id, 0);
    reset_peak_rss();
    let started = Instant::now();
    let stats = crawl::crawl_into(
        Arc::new(crate::analyze::StaticAnalyser),
        fetcher,
        Arc::new(CssCache::default()),
        &plan,
        &ProgressBar::hidden(),
        &[],
        &mut sink,
    )
    .await;
    writer.flush().map_err(|e| config_err(e.to_string()))?;
    let seconds = started.elapsed().as_secs_f64();
    let journaled = campaign
        .page_count()
        .map_err(|e| config_err(e.to_string()))?;
    if journaled != stats.visited {
        return Err(config_err(format!(
            "{} pages visitées mais {journaled} dans le journal",
            stats.visited
        )));
    }
    Ok(BenchResult {
        name: format!("crawl (site généré de {pages} pages)"),
        pages: stats.visited - stats.errors,
        seconds,
        pages_per_second: (stats.visited - stats.errors) as f64 / seconds,
        peak_rss_mib: peak_rss_mib(),
        share_of_floor: None,
        bytes_per_page: None,
        phases: Vec::new(),
        browser_peak_rss_mib: None,
    })
}

/// (c) a whole campaign as `vigie audit` runs it: `demarches` generated sites of `pages` pages
/// each on 127.0.0.1, crawled through a campaign journal, each démarche's report spooled, then
/// report.json, the store record and the site written from the spool. The peak should depend
/// on the largest démarche, not on the campaign. With `keep`, the outputs (report.json, the
/// store vigie.db, the site) are written in that folder, which must hold neither a report.json
/// nor a vigie.db; otherwise in a temporary folder removed afterwards.
pub async fn campaign(
    demarches: usize,
    pages: usize,
    keep: Option<&std::path::Path>,
) -> Result<BenchResult, ServeError> {
    let err = |e: String| ServeError::Config(e);
    let mut servers = Vec::with_capacity(demarches);
    let mut list = Vec::with_capacity(demarches);
    for k in 0..demarches {
        let server = serve::start(Source::Generated(pages)).await?;
        let start = Url::parse(&server.url()).map_err(|e| err(e.to_string()))?;
        let mut d = Demarche::from_url(start);
        d.id = format!("demarche-{k}");
        d.name = format!("Démarche générée {k}");
        list.push(d);
        servers.push(server);
    }
    let opts = crate::audit::AuditOptions {
        settings: crate::model::AuditSettings {
            fetch: FetchConfig {
                requests_per_second: 0.0,
                concurrency: 16,
                retries: 0,
                ..FetchConfig::default()
            },
            max_pages: pages,
            max_depth: 64,
            use_sitemaps: false,
            probes: 0,
            allow_private_addresses: true,
            ..crate::model::AuditSettings::default()
        },
        progress: false,
        ..crate::audit::AuditOptions::default()
    };
    let temp = tempfile::tempdir().map_err(|e| err(e.to_string()))?;
    let (out, db) = match keep {
        Some(dir) => {
            let db = dir.join("vigie.db");
            if db.exists() || dir.join("report.json").exists() {
                return Err(err(format!(
                    "{} contient déjà un rapport ou une base : choisir un dossier vide",
                    dir.display()
                )));
            }
            (dir.to_path_buf(), db)
        }
        None => (temp.path().join("rapport"), temp.path().join("bench.db")),
    };
    let mut store = Store::open(&db).map_err(|e| err(e.to_string()))?;
    let campaign =
        Campaign::create(&store, &list, &opts.settings).map_err(|e| err(e.to_string()))?;
    reset_peak_rss();
    let started = Instant::now();
    let mut phases = Vec::new();
    let mut lap = Instant::now();
    let mut phase = |name: &str| {
        phases.push((name.to_string(), lap.elapsed().as_secs_f64()));
        lap = Instant::now();
    };
    let spooled = crate::audit::audit_spooled(&list, &opts, Some(&campaign), &out)
        .await
        .map_err(|e| err(e.to_string()))?;
    phase("exploration et analyse");
    // The outputs as `vigie audit` writes them (`campaign::publish`), each step timed until
    // it ends: the run recorded and the journal emptied, report.json (after reading the
    // history), the site.
    crate::campaign::publish(
        &spooled,
        &out,
        Some(&mut store),
        "bench",
        Some(&campaign),
        &mut |done| match done {
            Published::Recorded { .. } => phase("base et journal vidé"),
            Published::Report(_) => phase("report.json"),
            Published::Site(_) => phase("site"),
            Published::HistoryUnreadable(_) => {}
        },
    )
    .map_err(|e| err(e.to_string()))?;
    let seconds = started.elapsed().as_secs_f64();
    let audited: usize = spooled.overviews().iter().map(|o| o.summary.pages).sum();
    // Closed first, so the store's write-ahead log is folded into the database file.
    drop(store);
    let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let mut wal = db.clone().into_os_string();
    wal.push("-wal");
    let bytes = size(&out.join("report.json")) + size(&db) + size(std::path::Path::new(&wal));
    let errors: usize = spooled
        .overviews()
        .iter()
        .map(|o| o.summary.fetch_errors)
        .sum();
    if audited - errors.min(audited) < demarches * pages {
        return Err(err(format!(
            "{audited} pages auditées ({errors} en erreur) sur {} attendues",
            demarches * pages
        )));
    }
    Ok(BenchResult {
        name: format!("campagne ({demarches} démarches × {pages} pages, sorties comprises)"),
        pages: audited,
        seconds,
        pages_per_second: audited as f64 / seconds,
        peak_rss_mib: peak_rss_mib(),
        share_of_floor: None,
        bytes_per_page: Some(bytes as f64 / audited.max(1) as f64),
        phases,
        browser_peak_rss_mib: None,
    })
}

/// Memory of the processes this one started, and theirs (Chromium's browser, renderers, GPU
/// and utility processes), summed, in MiB: proportional set sizes (a shared page divided
/// among its processes), else resident sizes (shared pages counted in each). Linux only.
fn children_rss_mib() -> Option<f64> {
    let me = std::process::id();
    let mut parent_of: Vec<(u32, u32)> = Vec::new();
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid …`: comm may hold spaces and parentheses.
        let Some(after) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        if let Some(ppid) = after.split_whitespace().nth(1).and_then(|p| p.parse().ok()) {
            parent_of.push((pid, ppid));
        }
    }
    let mut tree = vec![me];
    let mut i = 0;
    while i < tree.len() {
        let p = tree[i];
        tree.extend(parent_of.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    let kib: u64 = tree[1..].iter().filter_map(|pid| process_kib(*pid)).sum();
    Some(kib as f64 / 1024.0)
}

/// One process's proportional set size (`Pss:` of smaps_rollup), else its resident size, KiB.
fn process_kib(pid: u32) -> Option<u64> {
    if let Ok(rollup) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) {
        if let Some(kb) = rollup
            .lines()
            .find(|l| l.starts_with("Pss:"))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        {
            return Some(kb);
        }
    }
    let statm = std::fs::read_to_string(format!("/proc/{pid}/statm")).ok()?;
    Some(statm.split_whitespace().nth(1)?.parse::<u64>().ok()? * 4)
}

/// (e) rendered mode: the demo's démarches audited with `--render always` (every page loaded
/// in headless Chromium, the keyboard walk, reflow at 320 px, text spacing and the phone
/// render, then the analysis), rate limit lifted. Prints pages per second, vigie's peak and
/// the browser's peak (its processes' proportional sizes summed, sampled every 100 ms).
pub async fn rendered(
    chromium: Option<&std::path::Path>,
) -> Result<BenchResult, crate::audit::AuditError> {
    let sites = crate::demo::start()
        .await
        .map_err(|e| crate::audit::AuditError::Journal(e.to_string()))?;
    let opts = crate::audit::AuditOptions {
        settings: AuditSettings {
            fetch: FetchConfig {
                requests_per_second: 0.0,
                retries: 0,
                ..FetchConfig::default()
            },
            probes: 0,
            allow_private_addresses: true,
            render: crate::render::RenderMode::Always,
            ..AuditSettings::default()
        },
        progress: false,
        chromium: chromium.map(std::path::Path::to_path_buf),
        ..crate::audit::AuditOptions::default()
    };
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut peak = 0.0f64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(children_rss_mib().unwrap_or(0.0));
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            peak
        })
    };
    reset_peak_rss();
    let started = Instant::now();
    let report = crate::audit::audit(&sites.catalogue.demarches, &opts).await;
    let seconds = started.elapsed().as_secs_f64();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let browser_peak = sampler.join().ok();
    let report = report?;
    let pages: usize = report
        .demarches
        .iter()
        .flat_map(|d| &d.pages)
        .filter(|p| {
            p.rendering
                .as_ref()
                .is_some_and(|r| r.status == crate::crawl::RenderStatus::Rendered)
        })
        .count();
    Ok(BenchResult {
        name: "rendu Chromium (démo, --render always)".to_string(),
        pages,
        seconds,
        pages_per_second: pages as f64 / seconds,
        peak_rss_mib: peak_rss_mib(),
        share_of_floor: None,
        bytes_per_page: None,
        phases: Vec::new(),
        browser_peak_rss_mib: browser_peak,
    })
}
