//! Crawling one démarche: a breadth-first frontier within a scope, under page and depth
//! budgets, with sitemap seeds, through the shared polite [`Fetcher`].

pub mod address;
pub mod charset;
pub mod fetch;
pub mod indexability;
pub mod local;
pub mod render;
pub mod robots;
pub mod sitemap;

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};

use indicatif::ProgressBar;
use serde::{Deserialize, Serialize};
use tokio::sync::OnceCell;
use tokio::task::JoinSet;
use url::Url;

pub use fetch::{ErrorKind, FetchConfig, FetchError, FetchRecord, Fetcher, Want};
pub use render::{
    BrowserActivity, PhotoWanted, Photographer, RenderChoice, RenderStatus, RenderedDom, Renderer,
    Rendering, RequestGate, RequestKind, Screenshot,
};

use crate::page::{Page, StylesheetLink};

/// URLs longer than this are not followed (session ids and crawler traps).
const MAX_URL_LEN: usize = 2048;
/// Total CSS bytes fetched for one page.
const MAX_CSS_BYTES_PER_PAGE: usize = 4 * 1024 * 1024;
/// Sitemap files read per démarche.
const MAX_SITEMAP_FILES: usize = 10;

/// Extensions of documents and assets that are not crawled as pages.
const NON_PAGE_EXTENSIONS: &[&str] = &[
    "pdf", "doc", "docx", "odt", "ods", "odp", "xls", "xlsx", "ppt", "pptx", "rtf", "zip", "gz",
    "tar", "7z", "rar", "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff",
    "mp3", "mp4", "avi", "mov", "webm", "ogg", "wav", "css", "js", "json", "xml", "csv", "txt",
    "epub", "exe", "dmg", "msi", "woff", "woff2", "ttf", "eot",
];

/// What a crawl may visit: origins (scheme://host:port) and an optional path prefix.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Scope {
    pub origins: Vec<String>,
    #[serde(default)]
    pub path_prefix: Option<String>,
}

impl Scope {
    /// Same origin as `start`, with an optional path prefix.
    pub fn for_start(start: &Url, path_prefix: Option<String>) -> Scope {
        Scope {
            origins: vec![origin_of(start)],
            path_prefix,
        }
    }
    pub fn add_origin(&mut self, url: &Url) {
        let o = origin_of(url);
        if !self.origins.contains(&o) {
            self.origins.push(o);
        }
    }
    pub fn contains(&self, url: &Url) -> bool {
        matches!(url.scheme(), "http" | "https")
            && self.origins.contains(&origin_of(url))
            && self
                .path_prefix
                .as_deref()
                .map(|p| url.path().starts_with(p))
                .unwrap_or(true)
    }
}

pub fn origin_of(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// Canonical form for de-duplication: no fragment, no empty query, no credentials (never sent).
pub fn normalize(url: &Url) -> Url {
    let mut u = url.clone();
    u.set_fragment(None);
    let _ = u.set_username("");
    let _ = u.set_password(None);
    if u.query() == Some("") {
        u.set_query(None);
    }
    u
}

fn looks_like_page(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    match path
        .rsplit('/')
        .next()
        .and_then(|last| last.rsplit_once('.'))
    {
        Some((_, ext)) => !NON_PAGE_EXTENSIONS.contains(&ext),
        None => true,
    }
}

/// What to crawl for one démarche.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CrawlPlan {
    pub start: Url,
    #[serde(default)]
    pub entries: Vec<Url>,
    pub scope: Scope,
    pub max_pages: usize,
    pub max_depth: u32,
    pub use_sitemaps: bool,
    /// Pages kept per path with different query strings (calendar and session-id traps).
    pub max_query_variants: usize,
    /// Sitemap pages already read (by the indexability scan): used as seeds instead of
    /// reading the sitemaps again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sitemap_pages: Option<Vec<Url>>,
}

impl CrawlPlan {
    pub fn new(start: Url) -> CrawlPlan {
        CrawlPlan {
            scope: Scope::for_start(&start, None),
            start,
            entries: Vec::new(),
            max_pages: 50,
            max_depth: 3,
            use_sitemaps: true,
            max_query_variants: 5,
            sitemap_pages: None,
        }
    }
}

/// What the crawl does with each HTML page it fetched, once the page's linked stylesheets were
/// added: the crawl does not know the analysis, only the links it hands back to follow.
pub trait Analyser: Send + Sync + 'static {
    type Analysis: Send + 'static;
    /// Analyse a parsed page (CPU-bound: called on the crawl's CPU pool).
    fn analyse(&self, page: &Page) -> Self::Analysis;
    /// The outgoing links of an analysed page, resolved and without fragment.
    fn links(analysis: &Self::Analysis) -> &[Url];
    /// The browser step between fetch and analysis, if this analyser wants rendered pages.
    fn renderer(&self) -> Option<&dyn Renderer> {
        None
    }
    /// The elements of a rendered page's analysis to photograph (its failed targets).
    fn photos_wanted(_analysis: &Self::Analysis) -> Vec<PhotoWanted> {
        Vec::new()
    }
    /// Keep the photos taken of them with the analysis.
    fn add_photos(_analysis: &mut Self::Analysis, _photos: Vec<Screenshot>) {}
}

/// One visited URL: its fetch record and, for HTML pages, the analysis.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Crawled<A> {
    pub record: FetchRecord,
    /// Whether the analysed page is the browser's rendered DOM, and why (None without a
    /// renderer, or when nothing was analysed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendering: Option<Rendering>,
    pub analysis: Option<A>,
}

/// One stylesheet, fetched once (None when it could not be fetched).
type CssSlot = Arc<OnceCell<Option<Arc<String>>>>;

/// Linked stylesheets cached for the whole run (a site's CSS is fetched once).
#[derive(Default)]
pub struct CssCache {
    entries: Mutex<HashMap<String, CssSlot>>,
}

impl CssCache {
    pub async fn get(&self, fetcher: &Fetcher, url: &Url) -> Option<Arc<String>> {
        let cell = {
            let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            map.entry(url.to_string()).or_default().clone()
        };
        cell.get_or_init(|| async {
            let f = fetcher.fetch(url, 0, Want::Resource, &|_| true).await;
            if f.record.ok() {
                f.text.map(Arc::new)
            } else {
                tracing::debug!(%url, error = ?f.record.error, "feuille de style non chargée");
                None
            }
        })
        .await
        .clone()
    }
}

/// Where redirects may lead while fetching a page.
pub type InScope = Arc<dyn Fn(&Url) -> bool + Send + Sync>;

/// Fetch one page and analyse it if it is HTML: the served HTML, or the DOM the analyser's
/// renderer built from it (the served HTML still when rendering fails, with the reason).
pub async fn visit<An: Analyser>(
    analyser: Arc<An>,
    fetcher: Arc<Fetcher>,
    css: Arc<CssCache>,
    url: Url,
    depth: u32,
    in_scope: InScope,
) -> Crawled<An::Analysis> {
    let fetched = fetcher.fetch(&url, depth, Want::Page, &*in_scope).await;
    let record = fetched.record;
    let Some(text) = fetched
        .text
        .filter(|_| record.error.is_none() && record.is_html())
    else {
        return Crawled {
            record,
            rendering: None,
            analysis: None,
        };
    };
    let page_url = Url::parse(&record.final_url).unwrap_or(url);
    let chooser = analyser.clone();
    let parsed = on_cpu_pool(move || {
        let page = Page::parse(page_url, &text);
        let links = page.stylesheet_links();
        let choice = chooser.renderer().map(|r| r.choose(&page));
        (page, links, choice)
    })
    .await;
    let Some((mut page, mut links, choice)) = parsed else {
        return Crawled {
            record,
            rendering: None,
            analysis: None,
        };
    };
    let mut photographer = None;
    let rendering = match (choice, analyser.renderer()) {
        (Some(RenderChoice::Render(why)), Some(renderer)) => {
            match renderer.render(&page.url, &*fetcher).await {
                Ok(dom) => {
                    let final_url = dom.final_url.to_string();
                    let activity = dom.activity;
                    photographer = dom.photographer;
                    let reparsed = on_cpu_pool(move || {
                        let mut page = Page::parse(dom.final_url, &dom.html);
                        page.browser = dom.facts;
                        let links = page.stylesheet_links();
                        (page, links)
                    });
                    match reparsed.await {
                        Some((rendered, rendered_links)) => {
                            (page, links) = (rendered, rendered_links);
                            Some(Rendering {
                                final_url: Some(final_url),
                                browser: Some(activity),
                                ..Rendering::new(RenderStatus::Rendered, why)
                            })
                        }
                        None => Some(Rendering {
                            browser: Some(activity),
                            ..Rendering::new(
                                RenderStatus::Failed,
                                "le DOM rendu n'a pas pu être lu",
                            )
                        }),
                    }
                }
                Err(failed) => Some(failed),
            }
        }
        (Some(RenderChoice::Keep(outcome)), _) => Some(outcome),
        _ => None,
    };
    let mut sheets: Vec<(StylesheetLink, Arc<String>)> = Vec::new();
    let mut total = 0usize;
    for link in links {
        if let Some(text) = css.get(&fetcher, &link.url).await {
            if total + text.len() > MAX_CSS_BYTES_PER_PAGE {
                break;
            }
            total += text.len();
            sheets.push((link, text));
        }
    }
    let mut analysis = on_cpu_pool(move || {
        page.add_linked_stylesheets(sheets);
        analyser.analyse(&page)
    })
    .await;
    // The tab is still open: photograph what failed there, then let it close.
    if let Some(p) = photographer {
        let wanted = analysis.as_ref().map(An::photos_wanted).unwrap_or_default();
        let photos = p.photograph(wanted).await;
        if let Some(a) = analysis.as_mut().filter(|_| !photos.is_empty()) {
            An::add_photos(a, photos);
        }
    }
    Crawled {
        record,
        rendering,
        analysis,
    }
}

/// The threads that parse and analyse crawled pages: one per core, shared by every crawl of the
/// process, so analysis never occupies the async runtime's threads and runs on all cores.
fn cpu_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(cpu_threads())
            .thread_name(|i| format!("vigie-analyse-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

fn cpu_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// Jobs handed to the CPU pool and not finished: each holds a parsed page, so this bounds the
/// pages in memory on the analysis side whatever the number of crawls (two per thread keep every
/// thread busy between jobs).
fn cpu_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| tokio::sync::Semaphore::new(2 * cpu_threads()))
}

/// Run CPU-bound work on the pool and wait for it without blocking the runtime; `None` if it
/// panicked (one bad page never aborts a crawl).
pub(crate) async fn on_cpu_pool<R: Send + 'static>(
    work: impl FnOnce() -> R + Send + 'static,
) -> Option<R> {
    let permit = cpu_permits().acquire().await.ok()?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job = move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
        // Released once the work is done, even if the crawl stopped waiting for it.
        drop(permit);
        let _ = tx.send(result.ok());
    };
    match cpu_pool() {
        Some(pool) => pool.spawn(job),
        None => rayon::spawn(job),
    }
    rx.await.ok().flatten()
}

/// Read sitemaps (robots.txt `Sitemap:` lines, else /sitemap.xml), following indexes.
async fn sitemap_seeds(fetcher: &Fetcher, start: &Url, scope: &Scope, limit: usize) -> Vec<Url> {
    let robots = fetcher.robots(start).await;
    // Relative locations are invalid per the protocol but common: resolve them leniently.
    let mut queue: VecDeque<Url> = robots
        .sitemaps()
        .iter()
        .filter_map(|s| start.join(s).ok())
        .collect();
    if queue.is_empty() {
        if let Ok(u) = start.join("/sitemap.xml") {
            queue.push_back(u);
        }
    }
    let mut seen = HashSet::new();
    let mut pages = Vec::new();
    let mut files = 0;
    while let Some(sm) = queue.pop_front() {
        if files >= MAX_SITEMAP_FILES || pages.len() >= limit {
            break;
        }
        if !seen.insert(sm.to_string()) {
            continue;
        }
        files += 1;
        let f = fetcher
            .fetch(&sm, 0, Want::Resource, &|u| {
                scope.origins.contains(&origin_of(u))
            })
            .await;
        let Some(text) = f.text.filter(|_| f.record.ok()) else {
            continue;
        };
        let entries = sitemap::parse(&text);
        queue.extend(entries.sitemaps.iter().filter_map(|s| sm.join(s).ok()));
        pages.extend(
            entries
                .pages
                .iter()
                .filter_map(|p| sm.join(p).ok())
                .filter(|u| scope.contains(u)),
        );
    }
    pages.truncate(limit);
    pages
}

/// Where a crawl hands each visited page, as soon as it is done, so the crawl itself keeps no
/// page in memory (a journal on disk, or a vector for small crawls).
pub trait PageSink<A>: Send {
    fn accept(&mut self, page: Crawled<A>);
}

impl<A: Send> PageSink<A> for Vec<Crawled<A>> {
    fn accept(&mut self, page: Crawled<A>) {
        self.push(page);
    }
}

/// What a crawl keeps of its progress: enough to avoid visiting a URL twice and to budget
/// pages. URLs seen are kept as 64-bit hashes (a 100 000-page crawl stays a few MB).
#[derive(Default)]
struct Frontier {
    seen: HashSet<u64>,
    variants: HashMap<u64, usize>,
    queue: VecDeque<(Url, u32)>,
    analysed_finals: HashSet<u64>,
}

fn url_key(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    // SipHash with fixed keys: stable within a run, which is all de-duplication needs.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

impl Frontier {
    fn mark_seen(&mut self, u: &Url) -> bool {
        self.seen.insert(url_key(u.as_str()))
    }
}

/// How many pages a crawl handed to its sink.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CrawlStats {
    /// Pages visited in this crawl (resumed pages not included).
    pub visited: usize,
    /// Pages taken from an interrupted crawl.
    pub resumed: usize,
    pub errors: usize,
}

/// Crawl a démarche; every visited URL is returned with its record, failures included.
pub async fn crawl<An: Analyser>(
    analyser: Arc<An>,
    fetcher: Arc<Fetcher>,
    css: Arc<CssCache>,
    plan: &CrawlPlan,
    progress: &ProgressBar,
) -> Vec<Crawled<An::Analysis>>
where
    An::Analysis: Clone,
{
    let mut pages = Vec::new();
    crawl_into(analyser, fetcher, css, plan, progress, &[], &mut pages).await;
    pages
}

/// Crawl a démarche, handing each visited page to `sink` as soon as it is done.
///
/// `resumed` holds the pages an interrupted crawl of the same plan already visited (in the order
/// they were visited): they are not fetched again, their links are followed as if they had just
/// been visited, and they count against the page budget.
pub async fn crawl_into<An: Analyser>(
    analyser: Arc<An>,
    fetcher: Arc<Fetcher>,
    css: Arc<CssCache>,
    plan: &CrawlPlan,
    progress: &ProgressBar,
    resumed: &[Crawled<An::Analysis>],
    sink: &mut dyn PageSink<An::Analysis>,
) -> CrawlStats
where
    An::Analysis: Clone,
{
    let mut scope = plan.scope.clone();
    let mut f = Frontier::default();
    let mut stats = CrawlStats {
        resumed: resumed.len(),
        ..CrawlStats::default()
    };
    // Pages visited or being visited, against the budget.
    let mut done = resumed.len();

    // The start URL first: its redirects may move the démarche to another origin.
    let start = normalize(&plan.start);
    f.mark_seen(&start);
    let first_resumed = resumed
        .first()
        .filter(|p| p.record.requested_url == start.as_str());
    let (first, first_is_new) = match first_resumed {
        Some(p) => (p.clone(), false),
        None => {
            // Redirects of the start URL may go anywhere http(s): the user named it.
            let any_http: InScope = Arc::new(|u: &Url| matches!(u.scheme(), "http" | "https"));
            let page = visit(
                analyser.clone(),
                fetcher.clone(),
                css.clone(),
                start.clone(),
                0,
                any_http,
            )
            .await;
            done += 1;
            (page, true)
        }
    };
    if let Ok(final_url) = Url::parse(&first.record.final_url) {
        scope.add_origin(&final_url);
    }
    let scope = Arc::new(scope);
    let committed = if first_is_new { done } else { 0 };
    enqueue_links::<An>(&first, 0, plan, &scope, &mut f, committed);
    f.analysed_finals.insert(url_key(&first.record.final_url));
    if first_is_new {
        if first.record.error.is_some() {
            stats.errors += 1;
        }
        sink.accept(first);
        stats.visited += 1;
    }
    progress.inc(1);

    for e in &plan.entries {
        let e = normalize(e);
        if f.mark_seen(&e) {
            f.queue.push_front((e, 0));
        }
    }
    if plan.use_sitemaps && done < plan.max_pages {
        let seeds = match &plan.sitemap_pages {
            Some(pages) => pages.clone(),
            None => sitemap_seeds(&fetcher, &plan.start, &scope, plan.max_pages).await,
        };
        for u in seeds {
            let u = normalize(&u);
            if scope.contains(&u) && looks_like_page(&u) && f.mark_seen(&u) {
                f.queue.push_back((u, 1));
            }
        }
    }

    // Replay the interrupted crawl: its pages are seen, their links followed, in visit order.
    if !resumed.is_empty() {
        let mut visited_keys = HashSet::new();
        for p in resumed {
            visited_keys.insert(url_key(&p.record.requested_url));
        }
        for p in resumed.iter().skip(usize::from(first_resumed.is_some())) {
            if let Ok(u) = Url::parse(&p.record.requested_url) {
                f.mark_seen(&u);
            }
            if p.analysis.is_some() {
                f.analysed_finals.insert(url_key(&p.record.final_url));
            }
            enqueue_links::<An>(p, p.record.depth, plan, &scope, &mut f, 0);
            progress.inc(1);
        }
        f.queue
            .retain(|(u, _)| !visited_keys.contains(&url_key(u.as_str())));
    }

    let parallel = fetcher.config.concurrency.clamp(1, 16);
    let mut running: JoinSet<(Crawled<An::Analysis>, u32)> = JoinSet::new();
    loop {
        while running.len() < parallel && done + running.len() < plan.max_pages {
            let Some((url, depth)) = f.queue.pop_front() else {
                break;
            };
            let (an, fe, c, s) = (
                analyser.clone(),
                fetcher.clone(),
                css.clone(),
                scope.clone(),
            );
            let in_scope: InScope = Arc::new(move |u: &Url| s.contains(u));
            running.spawn(async move { (visit(an, fe, c, url, depth, in_scope).await, depth) });
        }
        progress.set_length((done + running.len() + f.queue.len()) as u64);
        let Some(joined) = running.join_next().await else {
            break;
        };
        let Ok((mut page, depth)) = joined else {
            continue;
        };
        done += 1;
        // Two URLs ending on the same page (redirects): analyse it once.
        if page.analysis.is_some() && !f.analysed_finals.insert(url_key(&page.record.final_url)) {
            page.analysis = None;
            page.record.duplicate_of = Some(page.record.final_url.clone());
        }
        if page.record.error.is_some() {
            stats.errors += 1;
            progress.set_message(format!("{} erreur(s)", stats.errors));
        }
        enqueue_links::<An>(&page, depth, plan, &scope, &mut f, done + running.len());
        sink.accept(page);
        stats.visited += 1;
        progress.inc(1);
    }
    stats
}

/// Queue the in-scope links of a visited page. `committed` is the number of pages visited or
/// being visited: a URL queued beyond the page budget would never be visited, so it is not
/// queued at all (pass 0 while replaying a resumed crawl, whose budget is counted afterwards).
fn enqueue_links<An: Analyser>(
    page: &Crawled<An::Analysis>,
    depth: u32,
    plan: &CrawlPlan,
    scope: &Scope,
    f: &mut Frontier,
    committed: usize,
) {
    if depth >= plan.max_depth {
        return;
    }
    let Some(analysis) = &page.analysis else {
        return;
    };
    for link in An::links(analysis) {
        if committed > 0 && committed + f.queue.len() >= plan.max_pages {
            return;
        }
        let u = normalize(link);
        if u.as_str().len() > MAX_URL_LEN || !scope.contains(&u) || !looks_like_page(&u) {
            continue;
        }
        if f.seen.contains(&url_key(u.as_str())) {
            continue;
        }
        if u.query().is_some() {
            let key = url_key(&format!("{}{}", origin_of(&u), u.path()));
            let n = f.variants.entry(key).or_default();
            if *n >= plan.max_query_variants {
                continue;
            }
            *n += 1;
        }
        f.mark_seen(&u);
        f.queue.push_back((u, depth + 1));
    }
}
