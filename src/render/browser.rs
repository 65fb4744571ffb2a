//! One headless Chromium per audit, driven over the DevTools protocol (chromiumoxide, nothing
//! downloaded): found on the machine, started on first use with a fresh temporary profile,
//! a bounded number of tabs, time limits per page, and stopped when the audit ends (killed
//! with its handle if the audit fails).

use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::{Mutex, Semaphore};
use url::Url;

/// Environment variable naming the browser executable.
pub const CHROMIUM_ENV: &str = "VIGIE_CHROMIUM";
/// Names looked up on PATH, in order.
const CHROMIUM_NAMES: &[&str] = &["chromium", "chromium-browser"];

/// Serialised DOM with its doctype (`outerHTML` alone drops it, and the doctype rule reads it).
const SERIALISE_DOM: &str = "(document.doctype ? new XMLSerializer().serializeToString(document.doctype) : '') + document.documentElement.outerHTML";
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
}

impl BrowserError {
    /// The browser cannot run at all (as opposed to failing on one page).
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            BrowserError::Absent(_) | BrowserError::Profile(_) | BrowserError::Launch(_)
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

/// Time limits and bounds of the browser.
#[derive(Debug, Clone)]
pub struct BrowserLimits {
    /// Open tabs at most (the audit's concurrency).
    pub tabs: usize,
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
}

impl Default for BrowserLimits {
    fn default() -> Self {
        BrowserLimits {
            tabs: 4,
            launch: Duration::from_secs(20),
            navigation: Duration::from_secs(20),
            idle: Duration::from_secs(3),
            quiet: Duration::from_millis(500),
            page: Duration::from_secs(30),
        }
    }
}

/// A started browser: its DevTools connection, the task that pumps its events, and the profile
/// folder (removed when dropped, after the browser).
struct Running {
    browser: chromiumoxide::Browser,
    events: tokio::task::JoinHandle<()>,
    _profile: tempfile::TempDir,
}

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
    tabs: Semaphore,
    state: Mutex<State>,
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
            tabs: Semaphore::new(limits.tabs.max(1)),
            limits,
            state: Mutex::new(State::NotStarted),
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
            .args([
                "--headless=new",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ]);
        // Chromium's sandbox refuses to start as root; elsewhere it stays on (hostile pages).
        if running_as_root() {
            config = config.no_sandbox();
        }
        let config = config.build().map_err(BrowserError::Launch)?;
        let (browser, mut handler) =
            tokio::time::timeout(self.limits.launch, chromiumoxide::Browser::launch(config))
                .await
                .map_err(|_| BrowserError::Launch("délai de démarrage dépassé".into()))?
                .map_err(|e| BrowserError::Launch(e.to_string()))?;
        let events = tokio::spawn(async move {
            while let Some(event) = handler.next().await {
                if event.is_err() {
                    break;
                }
            }
        });
        Ok(Running {
            browser,
            events,
            _profile: profile,
        })
    }

    /// A new blank tab, starting the browser if needed.
    async fn new_tab(&self) -> Result<chromiumoxide::Page, BrowserError> {
        let mut state = self.state.lock().await;
        if matches!(*state, State::NotStarted) {
            *state = match self.launch().await {
                Ok(running) => State::Running(Box::new(running)),
                Err(e) => State::Unavailable(e),
            };
        }
        match &*state {
            State::Running(r) => {
                tokio::time::timeout(self.limits.navigation, r.browser.new_page("about:blank"))
                    .await
                    .map_err(|_| BrowserError::Timeout)?
                    .map_err(|e| BrowserError::Navigation(e.to_string()))
            }
            State::Unavailable(e) => Err(e.clone()),
            State::NotStarted | State::Stopped => Err(BrowserError::Closed),
        }
    }

    /// Load `url` in a tab of its own, wait for the load and (boundedly) for the network to go
    /// idle, and read the DOM. The tab is closed whatever happens.
    pub async fn render(&self, url: &Url) -> Result<RenderedPage, BrowserError> {
        let _tab = self
            .tabs
            .acquire()
            .await
            .map_err(|_| BrowserError::Closed)?;
        let page = self.new_tab().await?;
        let result = tokio::time::timeout(self.limits.page, self.load_and_read(&page, url))
            .await
            .unwrap_or(Err(BrowserError::Timeout));
        let _ = tokio::time::timeout(Duration::from_secs(2), page.close()).await;
        result
    }

    async fn load_and_read(
        &self,
        page: &chromiumoxide::Page,
        url: &Url,
    ) -> Result<RenderedPage, BrowserError> {
        tokio::time::timeout(self.limits.navigation, page.goto(url.as_str()))
            .await
            .map_err(|_| BrowserError::Timeout)?
            .map_err(|e| match e {
                chromiumoxide::error::CdpError::Timeout => BrowserError::Timeout,
                other => BrowserError::Navigation(other.to_string()),
            })?;
        self.wait_for_idle(page).await;
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
            Some(p) => Some(super::measure::walk(page, p).await),
            None => None,
        };
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
        if let State::Running(mut r) = std::mem::replace(&mut *state, State::Stopped) {
            let closed = tokio::time::timeout(Duration::from_secs(5), async {
                r.browser.close().await.ok()?;
                r.browser.wait().await.ok()
            })
            .await;
            if !matches!(closed, Ok(Some(_))) {
                let _ = r.browser.kill().await;
            }
            r.events.abort();
        }
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

    #[test]
    fn a_named_browser_that_does_not_exist_is_absent() {
        let e = find_browser(Some(Path::new("/nonexistent/chromium"))).unwrap_err();
        assert!(e.is_unavailable());
        assert_eq!(
            e.to_string(),
            "navigateur absent (/nonexistent/chromium introuvable)"
        );
    }
}
