//! One headless Chromium per audit, driven over the DevTools protocol (chromiumoxide, nothing
//! downloaded): found on the machine, started on first use with a fresh temporary profile,
//! a bounded number of tabs, time limits per page, and stopped when the audit ends (killed
//! with its handle if the audit fails).
//!
//! The page is hostile code: every request it makes is paused and decided by the crawl's
//! [`RequestGate`] (`Fetch` domain), its dialogs are dismissed, its pop-ups closed, downloads
//! denied, its heap bounded; a page that hangs is dropped at the page limit, and a browser that
//! dies is started again for the next pages (a bounded number of times).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::browser::{
    GetVersionParams, SetDownloadBehaviorBehavior, SetDownloadBehaviorParams,
};
use chromiumoxide::cdp::browser_protocol::fetch::{
    ContinueRequestParams, EnableParams as FetchEnable, EventRequestPaused, FailRequestParams,
    RequestPattern,
};
use chromiumoxide::cdp::browser_protocol::inspector::{
    EnableParams as InspectorEnable, EventTargetCrashed,
};
use chromiumoxide::cdp::browser_protocol::network::{
    ErrorReason, ResourceType, SetUserAgentOverrideParams,
};
use chromiumoxide::cdp::browser_protocol::page::{
    AddScriptToEvaluateOnNewDocumentParams, EventJavascriptDialogOpening,
    HandleJavaScriptDialogParams,
};
use chromiumoxide::cdp::browser_protocol::target::{
    CloseTargetParams, CreateTargetParams, EventTargetCreated, TargetId,
};
use chromiumoxide::cdp::js_protocol::runtime::{AddBindingParams, EventBindingCalled};
use futures_util::stream::FuturesUnordered;
use futures_util::StreamExt;
use tokio::sync::{Mutex, Semaphore};
use url::Url;

use crate::crawl::render::{BrowserActivity, RequestGate, RequestKind};
use crate::page::browser_layout::PhoneFacts;

/// Environment variable naming the browser executable.
pub const CHROMIUM_ENV: &str = "VIGIE_CHROMIUM";
/// Names looked up on PATH, in order.
const CHROMIUM_NAMES: &[&str] = &["chromium", "chromium-browser"];

/// Serialised DOM with its doctype (`outerHTML` alone drops it, and the doctype rule reads it).
const SERIALISE_DOM: &str = "(document.doctype ? new XMLSerializer().serializeToString(document.doctype) : '') + document.documentElement.outerHTML";
/// Name of the function through which the page's refused `window.open` calls are counted.
const POPUP_BINDING: &str = "vigieFenetreRefusee";
/// Run before the page's own scripts, in every frame: `window.open` opens nothing (a new
/// window would load outside the tab's request interception) and is counted.
const REFUSE_WINDOW_OPEN: &str = "(() => { const count = globalThis.vigieFenetreRefusee; const open = function () { try { count(''); } catch (e) {} return null; }; try { Object.defineProperty(window, 'open', { value: open, writable: false, configurable: false }); } catch (e) {} })();";
/// The phone render's tab, at most (within what is left of the page's limit).
const PHONE_LIMIT: Duration = Duration::from_secs(10);
/// Below this, the phone render is not tried (« non mesuré »).
const MIN_PHONE: Duration = Duration::from_secs(3);

/// What a tab is opened for: the page analysed, or the phone render of it.
#[derive(Debug)]
enum Visit {
    /// The page analysed, by `deadline` (its limit less [`FINISH`]); the phone render is asked
    /// for through the sender, with its own limit.
    Page {
        deadline: tokio::time::Instant,
        start_phone: Option<tokio::sync::oneshot::Sender<Duration>>,
    },
    Phone,
}

enum Visited {
    Page(Box<RenderedPage>),
    Phone(Option<PhoneFacts>),
}

/// The phone's User-Agent: the usual tokens of Chromium on an Android phone (what sites that
/// serve phones another page look for: `Android`, `Mobile`), with the browser's real version
/// (`HeadlessChrome/156.0.…` gives `Chrome/156.0.0.0`), then vigie's own product token and
/// address, so the site still knows who visits.
pub fn mobile_user_agent(vigie: &str, browser_product: &str) -> String {
    let major = browser_product
        .split('/')
        .nth(1)
        .and_then(|v| v.split('.').next())
        .filter(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or("120");
    format!(
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{major}.0.0.0 Mobile Safari/537.36 {vigie}"
    )
}

/// Resources the page has requested so far: stable over a quiet period means the network idles.
const RESOURCE_COUNT: &str = "performance.getEntriesByType('resource').length";

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum BrowserError {
    #[error("navigateur absent ({0})")]
    Absent(String),
    #[error("profil temporaire impossible à créer : {0}")]
    Profile(String),
    #[error("lancement du navigateur échoué : {0}")]
    Launch(String),
    #[error("délai dépassé")]
    Timeout,
    #[error("navigation échouée : {0}")]
    Navigation(String),
    #[error("lecture du DOM échouée : {0}")]
    Dom(String),
    #[error("navigateur arrêté")]
    Closed,
    #[error("plantage : {0}")]
    Crashed(&'static str),
    #[error("navigateur arrêté inopinément {0} fois, plus relancé")]
    GaveUp(u32),
}

/// Kept from the page's limit for what follows the walk and the phone (building the facts,
/// closing the tabs), so that a page costs no more than its limit.
const FINISH: Duration = Duration::from_secs(2);

/// The page's renderer process died (a memory hog, a renderer bug).
const RENDERER_CRASHED: &str = "le moteur de rendu de la page s'est arrêté";
/// The DevTools connection was lost: the browser itself died.
const BROWSER_LOST: &str = "le navigateur s'est arrêté pendant la page";

impl BrowserError {
    /// The browser cannot run at all (as opposed to failing on one page).
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            BrowserError::Absent(_)
                | BrowserError::Profile(_)
                | BrowserError::Launch(_)
                | BrowserError::GaveUp(_)
        )
    }
}

/// The browser executable: `explicit` (`--chromium`), else `VIGIE_CHROMIUM`, else `chromium` or
/// `chromium-browser` on PATH.
pub fn find_browser(explicit: Option<&Path>) -> Result<PathBuf, BrowserError> {
    let named = explicit.map(Path::to_path_buf).or_else(|| {
        std::env::var_os(CHROMIUM_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    if let Some(path) = named {
        return if path.is_file() {
            Ok(path)
        } else {
            Err(BrowserError::Absent(format!(
                "{} introuvable",
                path.display()
            )))
        };
    }
    let dirs = std::env::var_os("PATH").unwrap_or_default();
    for name in CHROMIUM_NAMES {
        for dir in std::env::split_paths(&dirs) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(BrowserError::Absent(format!(
        "ni {} sur le PATH ni {CHROMIUM_ENV}",
        CHROMIUM_NAMES.join(" ni ")
    )))
}

/// The desktop window's size, in CSS pixels.
const DESKTOP: (u32, u32) = (1280, 800);

/// Time limits and bounds of the browser.
#[derive(Debug, Clone)]
pub struct BrowserLimits {
    /// Open tabs at most (the audit's concurrency).
    pub tabs: usize,
    /// Tabs rendering pages of one host at once, at most: the host's request gate bounds what
    /// they load together, so more tabs only share its turns out and lengthen every page's
    /// load, eating the time its keyboard walk needs. Two: one page loads while another is
    /// walked.
    pub tabs_per_host: usize,
    /// Browser start.
    pub launch: Duration,
    /// Navigation up to the load event.
    pub navigation: Duration,
    /// Wait after load for the network to go idle, at most.
    pub idle: Duration,
    /// No new request for this long: the network is idle.
    pub quiet: Duration,
    /// Everything for one page (tab, navigation, idle wait, DOM), at most.
    pub page: Duration,
    /// Times a browser that died is started again in one audit.
    pub restarts: u32,
    /// JavaScript heap of a page, in MiB: beyond it the page's renderer stops, not the audit.
    pub heap_mib: u32,
}

impl BrowserLimits {
    /// These limits for an audit fetching with `fetch`: a tab per concurrent fetch, and a host's
    /// share of them only when a request rate shares its turns out (without one, `--rate 0`
    /// on one's own site, holding tabs back would only slow the audit).
    pub fn for_fetch(self, fetch: &crate::crawl::FetchConfig) -> BrowserLimits {
        let tabs = fetch.concurrency.max(1);
        BrowserLimits {
            tabs,
            tabs_per_host: if fetch.requests_per_second > 0.0 {
                self.tabs_per_host
            } else {
                tabs
            },
            ..self
        }
    }
}

impl Default for BrowserLimits {
    fn default() -> Self {
        BrowserLimits {
            tabs: 4,
            tabs_per_host: 2,
            launch: Duration::from_secs(20),
            navigation: Duration::from_secs(20),
            idle: Duration::from_secs(3),
            quiet: Duration::from_millis(500),
            page: Duration::from_secs(30),
            restarts: 3,
            heap_mib: 512,
        }
    }
}

/// A started browser: its DevTools connection, the task that pumps its events, the task that
/// closes pop-ups, and the profile folder (removed when dropped, after the browser).
struct Running {
    browser: Arc<chromiumoxide::Browser>,
    events: tokio::task::JoinHandle<()>,
    popups: tokio::task::JoinHandle<()>,
    pid: Option<u32>,
    _profile: tempfile::TempDir,
}

/// Pop-ups closed, by the tab that opened them.
type PopupCounts = Arc<std::sync::Mutex<HashMap<TargetId, u32>>>;

enum State {
    NotStarted,
    Running(Box<Running>),
    Unavailable(BrowserError),
    Stopped,
}

/// The audit's browser, started on the first page that needs it.
pub struct Browser {
    executable: PathBuf,
    limits: BrowserLimits,
    tabs: Arc<Semaphore>,
    /// Each host's share of the tabs (`limits.tabs_per_host`).
    hosts: std::sync::Mutex<HashMap<String, Arc<Semaphore>>>,
    state: Mutex<State>,
    /// Times the browser was started again after dying.
    restarted: std::sync::atomic::AtomicU32,
    popups: PopupCounts,
}

/// What the browser made of a page.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub html: String,
    pub final_url: Url,
    /// Keyboard walk and scrollable regions (`measure`), None if the tab refused the scripts.
    pub facts: Option<crate::page::browser::BrowserFacts>,
}

impl Browser {
    pub fn new(executable: PathBuf, limits: BrowserLimits) -> Browser {
        Browser {
            executable,
            tabs: Arc::new(Semaphore::new(limits.tabs.max(1))),
            hosts: std::sync::Mutex::new(HashMap::new()),
            limits,
            state: Mutex::new(State::NotStarted),
            restarted: std::sync::atomic::AtomicU32::new(0),
            popups: PopupCounts::default(),
        }
    }

    pub fn executable(&self) -> &Path {
        &self.executable
    }

    async fn launch(&self) -> Result<Running, BrowserError> {
        let profile = tempfile::Builder::new()
            .prefix("vigie-chromium-")
            .tempdir()
            .map_err(|e| BrowserError::Profile(e.to_string()))?;
        let mut config = chromiumoxide::BrowserConfig::builder()
            .chrome_executable(&self.executable)
            .user_data_dir(profile.path())
            .launch_timeout(self.limits.launch)
            .request_timeout(self.limits.navigation)
            .new_headless_mode()
            // A desktop window: WCAG 1.4.10's reference (1 280 CSS px, 320 at 400 %), not
            // chromiumoxide's 800 × 600, where sites show their tablet layout; the phone and
            // the 320 px reflow are measured apart.
            .window_size(DESKTOP.0, DESKTOP.1)
            .viewport(chromiumoxide::handler::viewport::Viewport {
                width: DESKTOP.0,
                height: DESKTOP.1,
                ..Default::default()
            })
            // chromiumoxide adds the leading dashes: `--key` or `--key=value`.
            .args([
                "disable-gpu".to_string(),
                "disable-background-networking".to_string(),
                "disable-component-update".to_string(),
                "disable-sync".to_string(),
                "no-first-run".to_string(),
                // A cross-site frame in a renderer of its own is a target of its own, outside
                // the tab's request interception: keep every frame in the page's renderer
                // (the throwaway profile holds no other site's data to isolate).
                "disable-site-isolation-trials".to_string(),
                "disable-features=IsolateOrigins,site-per-process".to_string(),
                // A page that allocates without end stops its renderer, not the machine.
                format!("js-flags=--max-old-space-size={}", self.limits.heap_mib),
                // Media start as a visitor's browser would start them (the media measure
                // reads whether sound plays by itself); they are paused once measured.
                "autoplay-policy=no-user-gesture-required".to_string(),
            ]);
        // Chromium's sandbox refuses to start as root; elsewhere it stays on (hostile pages).
        if running_as_root() {
            config = config.no_sandbox();
        }
        let config = config.build().map_err(BrowserError::Launch)?;
        let (mut browser, mut handler) =
            tokio::time::timeout(self.limits.launch, chromiumoxide::Browser::launch(config))
                .await
                .map_err(|_| BrowserError::Launch("délai de démarrage dépassé".into()))?
                .map_err(|e| BrowserError::Launch(e.to_string()))?;
        let pid = browser.get_mut_child().and_then(|c| c.inner.id());
        let events = tokio::spawn(async move {
            while let Some(event) = handler.next().await {
                if event.is_err() {
                    break;
                }
            }
        });
        let browser = Arc::new(browser);
        let started = async {
            browser
                .execute(SetDownloadBehaviorParams::new(
                    SetDownloadBehaviorBehavior::Deny,
                ))
                .await
                .map_err(|e| BrowserError::Launch(e.to_string()))?;
            browser
                .event_listener::<EventTargetCreated>()
                .await
                .map_err(|e| BrowserError::Launch(e.to_string()))
        };
        let created = match started.await {
            Ok(created) => created,
            Err(e) => {
                events.abort();
                if let Ok(mut b) = Arc::try_unwrap(browser) {
                    let _ = b.kill().await;
                }
                return Err(e);
            }
        };
        let popups = tokio::spawn(close_popups(browser.clone(), created, self.popups.clone()));
        Ok(Running {
            browser,
            events,
            popups,
            pid,
            _profile: profile,
        })
    }

    /// A new blank tab, starting the browser if needed, or again if it died (at most
    /// `limits.restarts` times in the audit).
    async fn new_tab(&self) -> Result<chromiumoxide::Page, BrowserError> {
        let mut state = self.state.lock().await;
        // Twice at most: a tab refused by a browser found dead then is asked of its successor.
        for _ in 0..2 {
            self.restart_if_dead(&mut state).await;
            if matches!(*state, State::NotStarted) {
                *state = match self.launch().await {
                    Ok(running) => State::Running(Box::new(running)),
                    Err(e) => State::Unavailable(e),
                };
            }
            let r = match &*state {
                State::Running(r) => r,
                State::Unavailable(e) => return Err(e.clone()),
                State::NotStarted | State::Stopped => return Err(BrowserError::Closed),
            };
            let error = match tokio::time::timeout(
                self.limits.navigation,
                r.browser.new_page(
                    // A window of its own: a tab behind another is hidden, and Chromium defers
                    // a hidden page's media until it is shown (the media measure saw none load).
                    CreateTargetParams::builder()
                        .url("about:blank")
                        .new_window(true)
                        .background(false)
                        .build()
                        .map_err(BrowserError::Navigation)?,
                ),
            )
            .await
            {
                Ok(Ok(page)) => return Ok(page),
                Ok(Err(e)) => BrowserError::Navigation(e.to_string()),
                Err(_) => return Err(BrowserError::Timeout),
            };
            // A lost connection takes the event pump a moment to notice.
            let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
            while !r.events.is_finished() && tokio::time::Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            if !r.events.is_finished() {
                return Err(error);
            }
        }
        Err(BrowserError::Closed)
    }

    /// Replace a dead browser by a new one to start, or give up after `limits.restarts`.
    async fn restart_if_dead(&self, state: &mut State) {
        if !matches!(&*state, State::Running(r) if r.events.is_finished()) {
            return;
        }
        if let State::Running(old) = std::mem::replace(state, State::NotStarted) {
            stop(*old).await;
        }
        let restarted = self.restarted.load(std::sync::atomic::Ordering::Relaxed);
        if restarted >= self.limits.restarts {
            *state = State::Unavailable(BrowserError::GaveUp(restarted + 1));
        } else {
            self.restarted
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            tracing::warn!("navigateur arrêté inopinément : relancé");
        }
    }

    /// Times the browser was started again after dying, in this audit.
    pub fn restarts(&self) -> u32 {
        self.restarted.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The browser's process id, once started (diagnostics, and tests that kill it).
    pub async fn process_id(&self) -> Option<u32> {
        match &*self.state.lock().await {
            State::Running(r) => r.pid,
            _ => None,
        }
    }

    /// Load `url` in a tab of its own, every request of the page decided by `gate`, wait for
    /// the load and (boundedly) for the network to go idle, and read the DOM. The tab is
    /// closed whatever happens; what the page's requests, dialogs and pop-ups came to is
    /// returned with the outcome.
    pub async fn render(
        &self,
        url: &Url,
        gate: &dyn RequestGate,
    ) -> (Result<RenderedPage, BrowserError>, BrowserActivity) {
        let (result, activity) = self.render_keeping(url, gate, false).await;
        (result.map(|(page, _)| page), activity)
    }

    /// [`Browser::render`], and with `keep` the tab stays open (its slot among the tabs
    /// held) for photos of failed elements (`super::photos::HeldTab`): every request the
    /// page makes from then on is refused and its dialogs dismissed, until it is closed.
    pub(crate) async fn render_keeping(
        &self,
        url: &Url,
        gate: &dyn RequestGate,
        keep: bool,
    ) -> (
        Result<(RenderedPage, Option<super::photos::HeldTab>), BrowserError>,
        BrowserActivity,
    ) {
        let activity = std::sync::Mutex::new(BrowserActivity::default());
        // The host's turn first, so a page waiting for it holds none of the tabs.
        let Ok(_host_turn) = self.host_tabs(url).acquire_owned().await else {
            return (Err(BrowserError::Closed), BrowserActivity::default());
        };
        let Ok(tab) = self.tabs.clone().acquire_owned().await else {
            return (Err(BrowserError::Closed), BrowserActivity::default());
        };
        let page = match self.new_tab().await {
            Ok(page) => page,
            Err(e) => return (Err(e), BrowserActivity::default()),
        };
        let target = page.target_id().clone();
        // The phone render runs in a tab of its own while this page is walked, within what is
        // left of the page's limit; asked for only where the layout was measured (not a page
        // whose load took its time).
        let (start_phone, phone_asked) = tokio::sync::oneshot::channel::<Duration>();
        let limit = tokio::time::Instant::now() + self.limits.page;
        let visit = async {
            let deadline = limit.checked_sub(FINISH).unwrap_or(limit);
            let start_phone = Some(start_phone);
            tokio::time::timeout_at(
                limit,
                self.guarded(
                    &page,
                    url,
                    gate,
                    &activity,
                    Visit::Page {
                        deadline,
                        start_phone,
                    },
                ),
            )
            .await
            .unwrap_or(Err(BrowserError::Timeout))
            .and_then(|v| match v {
                Visited::Page(p) => Ok(*p),
                Visited::Phone(_) => Err(BrowserError::Closed),
            })
        };
        let phone = async {
            let limit = phone_asked.await.ok()?;
            self.phone_render(url, gate, limit).await
        };
        let (mut result, phone) = tokio::join!(visit, phone);
        if let Some(layout) = result
            .as_mut()
            .ok()
            .and_then(|p| p.facts.as_mut())
            .and_then(|f| f.layout.as_mut())
        {
            layout.phone = phone;
        }
        let held = match (&result, keep, self.running_browser().await) {
            (Ok(_), true, Some(browser)) => {
                super::photos::HeldTab::hold(page, browser, target.clone(), tab).await
            }
            _ => None,
        };
        // By the browser, not the page: a page stuck in a loop or a beforeunload dialog is
        // dropped all the same.
        if held.is_none() {
            self.close_tab(&target).await;
        }
        let result = match result {
            Err(BrowserError::Crashed(_)) | Ok(_) => result,
            Err(_) if self.died().await => Err(BrowserError::Crashed(BROWSER_LOST)),
            Err(e) => Err(e),
        };
        let mut activity = activity.into_inner().unwrap_or_else(|p| p.into_inner());
        // Windows that opened all the same (a link with a target), closed as they appeared.
        let closed = self
            .popups
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&target)
            .unwrap_or(0);
        activity.popups = activity.popups.saturating_add(closed);
        (result.map(|page| (page, held)), activity)
    }

    /// The tabs `url`'s host may hold at once.
    fn host_tabs(&self, url: &Url) -> Arc<Semaphore> {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(host)
            .or_insert_with(|| Arc::new(Semaphore::new(self.limits.tabs_per_host.max(1))))
            .clone()
    }

    /// The running browser's connection, if any.
    async fn running_browser(&self) -> Option<Arc<chromiumoxide::Browser>> {
        match &*self.state.lock().await {
            State::Running(r) if !r.events.is_finished() => Some(r.browser.clone()),
            _ => None,
        }
    }

    /// The page's load and reading, with its requests decided by the gate and its dialogs
    /// dismissed meanwhile; a crashed renderer or a lost connection ends it at once.
    async fn guarded(
        &self,
        page: &chromiumoxide::Page,
        url: &Url,
        gate: &dyn RequestGate,
        activity: &std::sync::Mutex<BrowserActivity>,
        visit: Visit,
    ) -> Result<Visited, BrowserError> {
        let setup = |e: chromiumoxide::error::CdpError| BrowserError::Navigation(e.to_string());
        let paused = page
            .event_listener::<EventRequestPaused>()
            .await
            .map_err(setup)?;
        let dialogs = page
            .event_listener::<EventJavascriptDialogOpening>()
            .await
            .map_err(setup)?;
        let mut crashed = page
            .event_listener::<EventTargetCrashed>()
            .await
            .map_err(setup)?;
        page.execute(InspectorEnable::default())
            .await
            .map_err(setup)?;
        // The page keeps the focus while other windows open (several pages, the phone tab):
        // the walk reads `document.hasFocus()` to see focus leave the page.
        page.execute(
            chromiumoxide::cdp::browser_protocol::emulation::SetFocusEmulationEnabledParams::new(
                true,
            ),
        )
        .await
        .map_err(setup)?;
        let mut opened = page
            .event_listener::<EventBindingCalled>()
            .await
            .map_err(setup)?;
        page.execute(AddBindingParams::new(POPUP_BINDING))
            .await
            .map_err(setup)?;
        page.execute(AddScriptToEvaluateOnNewDocumentParams::new(
            REFUSE_WINDOW_OPEN,
        ))
        .await
        .map_err(setup)?;
        let user_agent = match visit {
            Visit::Page { .. } => gate.user_agent().to_string(),
            Visit::Phone => {
                let version = page
                    .execute(GetVersionParams::default())
                    .await
                    .map(|v| v.result.product.clone())
                    .unwrap_or_default();
                // The layout of a phone from its first paint: scripts that read the screen at
                // load see a phone too.
                if !super::measure::layout::emulate_phone(page).await {
                    return Err(BrowserError::Navigation(
                        "émulation du téléphone refusée".into(),
                    ));
                }
                mobile_user_agent(gate.user_agent(), &version)
            }
        };
        page.execute(SetUserAgentOverrideParams::new(user_agent))
            .await
            .map_err(setup)?;
        page.execute(
            FetchEnable::builder()
                .pattern(RequestPattern::builder().url_pattern("*").build())
                .build(),
        )
        .await
        .map_err(setup)?;
        tokio::select! {
            result = async {
                match visit {
                    Visit::Page { deadline, start_phone } => self.load_and_read(page, url, deadline, start_phone).await.map(|p| Visited::Page(Box::new(p))),
                    Visit::Phone => self.load_as_phone(page, url).await.map(Visited::Phone),
                }
            } => result,
            event = crashed.next() => Err(BrowserError::Crashed(match event {
                Some(_) => RENDERER_CRASHED,
                None => BROWSER_LOST,
            })),
            _ = decide_requests(page, paused, gate, activity) => Err(BrowserError::Crashed(BROWSER_LOST)),
            _ = dismiss_dialogs(page, dialogs, activity) => Err(BrowserError::Crashed(BROWSER_LOST)),
            _ = async {
                while let Some(call) = opened.next().await {
                    if call.name == POPUP_BINDING {
                        let mut counts = activity.lock().unwrap_or_else(|p| p.into_inner());
                        counts.popups = counts.popups.saturating_add(1);
                    }
                }
            } => Err(BrowserError::Crashed(BROWSER_LOST)),
        }
    }

    /// Load `url` again as a phone ([`Visit::Phone`]) in a tab of its own, outside the tab
    /// count (a page holds its tab meanwhile: at most twice `limits.tabs` tabs), within
    /// `limit`. Its requests are decided by the same gate and its dialogs and pop-ups handled
    /// the same way, but not counted with the page's: the page's figures describe the page
    /// analysed, not a second load of it. None when it did not load.
    async fn phone_render(
        &self,
        url: &Url,
        gate: &dyn RequestGate,
        limit: Duration,
    ) -> Option<PhoneFacts> {
        let page = self.new_tab().await.ok()?;
        let target = page.target_id().clone();
        let activity = std::sync::Mutex::new(BrowserActivity::default());
        let result = tokio::time::timeout(
            limit,
            self.guarded(&page, url, gate, &activity, Visit::Phone),
        )
        .await;
        self.close_tab(&target).await;
        self.popups
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&target);
        match result {
            Ok(Ok(Visited::Phone(facts))) => facts,
            _ => None,
        }
    }

    /// The phone tab's visit: load, wait for the network to idle, measure.
    async fn load_as_phone(
        &self,
        page: &chromiumoxide::Page,
        url: &Url,
    ) -> Result<Option<PhoneFacts>, BrowserError> {
        tokio::time::timeout(self.limits.navigation, page.goto(url.as_str()))
            .await
            .map_err(|_| BrowserError::Timeout)?
            .map_err(|e| BrowserError::Navigation(e.to_string()))?;
        self.wait_for_idle(page).await;
        Ok(super::measure::layout::phone(page).await)
    }

    /// Close a tab from the browser's side (Target.closeTarget: no beforeunload, no need for
    /// the page's renderer to answer).
    async fn close_tab(&self, target: &TargetId) {
        let browser = match &*self.state.lock().await {
            State::Running(r) => r.browser.clone(),
            _ => return,
        };
        let _ = tokio::time::timeout(
            Duration::from_secs(2),
            browser.execute(CloseTargetParams::new(target.clone())),
        )
        .await;
    }

    /// Whether the running browser's connection is gone.
    async fn died(&self) -> bool {
        matches!(&*self.state.lock().await, State::Running(r) if r.events.is_finished())
    }

    async fn load_and_read(
        &self,
        page: &chromiumoxide::Page,
        url: &Url,
        deadline: tokio::time::Instant,
        start_phone: Option<tokio::sync::oneshot::Sender<Duration>>,
    ) -> Result<RenderedPage, BrowserError> {
        let started = tokio::time::Instant::now();
        tokio::time::timeout(self.limits.navigation, page.goto(url.as_str()))
            .await
            .map_err(|_| BrowserError::Timeout)?
            .map_err(|e| match e {
                chromiumoxide::error::CdpError::Timeout => BrowserError::Timeout,
                other => BrowserError::Navigation(other.to_string()),
            })?;
        self.wait_for_idle(page).await;
        // Where a page's time goes (VIGIE_LOG=vigie::render=debug): the phases share one limit.
        let loaded = started.elapsed();
        // Media as the load left them (playing or not), then paused for the screenshots.
        let media = super::measure::media::measure(
            page,
            super::measure::media::budget(started.elapsed(), self.limits.page),
        )
        .await;
        // Reflow, text spacing and phone first, the page put back before the marks and the walk.
        let layout = super::measure::layout::measure(
            page,
            super::measure::layout::budget(started.elapsed(), self.limits.page),
        )
        .await;
        let measured = started.elapsed();
        // The phone tab, alongside the walk: both end before the page's limit (the phone's
        // tab closed too, within its own limit).
        let phone_limit = deadline
            .saturating_duration_since(tokio::time::Instant::now())
            .min(PHONE_LIMIT);
        if let (Some(start), true) = (start_phone, layout.is_some() && phone_limit >= MIN_PHONE) {
            let _ = start.send(phone_limit);
        }
        // Marks the measured elements, so the DOM read next names them (see `measure`).
        let prepared = super::measure::prepare(page).await;
        let html: String = page
            .evaluate(SERIALISE_DOM)
            .await
            .map_err(|e| BrowserError::Dom(e.to_string()))?
            .into_value()
            .map_err(|e| BrowserError::Dom(e.to_string()))?;
        let final_url = page
            .url()
            .await
            .ok()
            .flatten()
            .and_then(|u| Url::parse(&u).ok())
            .unwrap_or_else(|| url.clone());
        let facts = match prepared {
            // The walk and the pixels end before the page's limit: a page slow to load keeps
            // what was measured (the walk says it stopped early) instead of losing everything.
            Some(p) => Some(super::measure::walk(page, p, deadline).await),
            None => None,
        }
        .map(|f| crate::page::browser::BrowserFacts { layout, media, ..f });
        tracing::debug!(
            %url,
            load_ms = loaded.as_millis() as u64,
            media_and_layout_ms = (measured - loaded).as_millis() as u64,
            pixels_and_walk_ms = (started.elapsed() - measured).as_millis() as u64,
            walked = facts.as_ref().map_or(0, |f| f.stops.len()),
            walk_complete = facts.as_ref().is_some_and(|f| !f.truncated),
            "page rendue"
        );
        Ok(RenderedPage {
            html,
            final_url,
            facts,
        })
    }

    /// Wait until no new resource was requested for `quiet`, at most `idle`: scripts that fetch
    /// content after load get their chance, a page that never stops polling does not hold the
    /// audit.
    async fn wait_for_idle(&self, page: &chromiumoxide::Page) {
        let deadline = tokio::time::Instant::now() + self.limits.idle;
        let step = Duration::from_millis(100);
        let mut last = None;
        let mut quiet_since = tokio::time::Instant::now();
        while tokio::time::Instant::now() < deadline {
            let count = match page.evaluate(RESOURCE_COUNT).await {
                Ok(v) => v.into_value::<u64>().ok(),
                Err(_) => None,
            };
            let now = tokio::time::Instant::now();
            if count != last {
                last = count;
                quiet_since = now;
            } else if now.duration_since(quiet_since) >= self.limits.quiet {
                return;
            }
            tokio::time::sleep(step).await;
        }
    }

    /// Close the browser and wait for it (killed if it does not close in time). Later renders
    /// fail with « navigateur arrêté ».
    pub async fn shutdown(&self) {
        let mut state = self.state.lock().await;
        if let State::Running(r) = std::mem::replace(&mut *state, State::Stopped) {
            stop(*r).await;
        }
    }
}

/// Close a browser and wait for it, killed if it does not close in time (or is dead already).
async fn stop(r: Running) {
    r.popups.abort();
    // The pop-up task holds the other reference: wait until it is gone.
    let _ = r.popups.await;
    if let Ok(mut browser) = Arc::try_unwrap(r.browser) {
        let closed = tokio::time::timeout(Duration::from_secs(5), async {
            if r.events.is_finished() {
                return None;
            }
            browser.close().await.ok()?;
            browser.wait().await.ok()
        })
        .await;
        if !matches!(closed, Ok(Some(_))) {
            let _ = browser.kill().await;
        }
    }
    r.events.abort();
}

/// Close every new window a tab opens (`window.open`, `target=_blank` with an opener), and
/// count it against that tab.
async fn close_popups(
    browser: Arc<chromiumoxide::Browser>,
    mut created: chromiumoxide::listeners::EventStream<EventTargetCreated>,
    counts: PopupCounts,
) {
    while let Some(event) = created.next().await {
        let info = &event.target_info;
        let Some(opener) = info.opener_id.clone() else {
            continue;
        };
        if info.r#type != "page" {
            continue;
        }
        *counts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(opener)
            .or_default() += 1;
        let _ = tokio::time::timeout(
            Duration::from_secs(2),
            browser.execute(CloseTargetParams::new(info.target_id.clone())),
        )
        .await;
    }
}

/// Decide each request the page makes, as it comes (several at once: one host's rate limit
/// does not hold another's requests); ends when the connection is lost.
async fn decide_requests(
    page: &chromiumoxide::Page,
    mut paused: chromiumoxide::listeners::EventStream<EventRequestPaused>,
    gate: &dyn RequestGate,
    activity: &std::sync::Mutex<BrowserActivity>,
) {
    let mut pending = FuturesUnordered::new();
    loop {
        tokio::select! {
            event = paused.next() => match event {
                Some(event) => pending.push(decide_one(page, event, gate, activity)),
                None => return,
            },
            Some(()) = pending.next(), if !pending.is_empty() => {}
        }
    }
}

async fn decide_one(
    page: &chromiumoxide::Page,
    event: Arc<EventRequestPaused>,
    gate: &dyn RequestGate,
    activity: &std::sync::Mutex<BrowserActivity>,
) {
    let url = &event.request.url;
    let verdict = match Url::parse(url) {
        Ok(u) => {
            let kind = if event.resource_type == ResourceType::Document {
                RequestKind::Document
            } else {
                RequestKind::Subresource
            };
            gate.decide(&u, kind).await
        }
        Err(_) => Err("adresse invalide".to_string()),
    };
    let id = event.request_id.clone();
    let refused = verdict.is_err();
    {
        let mut counts = activity.lock().unwrap_or_else(|p| p.into_inner());
        match verdict {
            Ok(()) => counts.requests_allowed = counts.requests_allowed.saturating_add(1),
            Err(reason) => {
                tracing::debug!(%url, %reason, "requête du navigateur refusée");
                counts.refuse(url, reason);
            }
        }
    }
    if refused {
        let _ = page
            .execute(FailRequestParams::new(id, ErrorReason::BlockedByClient))
            .await;
    } else {
        let _ = page.execute(ContinueRequestParams::new(id)).await;
    }
}

/// Dismiss every JavaScript dialog (alert, confirm, prompt, beforeunload) and count it: an
/// open dialog would hold the page's script, and the audit, forever.
async fn dismiss_dialogs(
    page: &chromiumoxide::Page,
    mut dialogs: chromiumoxide::listeners::EventStream<EventJavascriptDialogOpening>,
    activity: &std::sync::Mutex<BrowserActivity>,
) {
    while dialogs.next().await.is_some() {
        {
            let mut counts = activity.lock().unwrap_or_else(|p| p.into_inner());
            counts.dialogs = counts.dialogs.saturating_add(1);
        }
        let _ = page.execute(HandleJavaScriptDialogParams::new(false)).await;
    }
}

/// Whether this process runs as root (Linux: /proc; elsewhere assumed not).
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|euid| euid == "0"))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A host's share of the tabs applies only where a request rate shares its turns out.
    #[test]
    fn a_host_is_held_to_its_share_of_tabs_only_under_a_request_rate() {
        let fetch = |rate: f64| crate::crawl::FetchConfig {
            requests_per_second: rate,
            concurrency: 8,
            ..crate::crawl::FetchConfig::default()
        };
        let rated = BrowserLimits::default().for_fetch(&fetch(2.0));
        assert_eq!((rated.tabs, rated.tabs_per_host), (8, 2));
        let free = BrowserLimits::default().for_fetch(&fetch(0.0));
        assert_eq!((free.tabs, free.tabs_per_host), (8, 8));
    }

    #[test]
    fn a_named_browser_that_does_not_exist_is_absent() {
        let e = find_browser(Some(Path::new("/nonexistent/chromium"))).unwrap_err();
        assert!(e.is_unavailable());
        assert_eq!(
            e.to_string(),
            "navigateur absent (/nonexistent/chromium introuvable)"
        );
    }

    #[test]
    fn the_phone_says_mobile_with_the_real_major_version_and_still_names_vigie() {
        let vigie = crate::user_agent();
        let ua = mobile_user_agent(&vigie, "HeadlessChrome/156.0.8078.108");
        assert!(ua.starts_with("Mozilla/5.0 (Linux; Android 10; K)"), "{ua}");
        assert!(
            ua.contains(" Chrome/156.0.0.0 Mobile Safari/537.36 "),
            "{ua}"
        );
        assert!(ua.ends_with(&vigie), "{ua}");
        // An unreadable version still gives a phone.
        assert!(mobile_user_agent(&vigie, "").contains("Chrome/120.0.0.0 Mobile"));
    }
}
