//! Chromium for the rendered-mode tests: found on PATH or `VIGIE_CHROMIUM`; without it the tests
//! fail, unless `VIGIE_SKIP_BROWSER=1` says to skip them.

use std::path::PathBuf;

use vigie::crawl::{FetchConfig, Fetcher};
use vigie::render::find_browser;

/// The browser to render with; `None` (after a message) only when skipping was asked for.
pub fn browser() -> Option<PathBuf> {
    match find_browser(None) {
        Ok(exe) => Some(exe),
        Err(_) if std::env::var("VIGIE_SKIP_BROWSER").as_deref() == Ok("1") => {
            eprintln!("chromium absent : mesures en navigateur sautées (VIGIE_SKIP_BROWSER=1)");
            None
        }
        Err(e) => panic!(
            "{e} : installer Debian chromium (apt-get install -y chromium), ou définir \
             VIGIE_CHROMIUM=/chemin, ou VIGIE_SKIP_BROWSER=1 pour sauter ce test"
        ),
    }
}

/// The crawl's rules for the browser's own requests, as an audit of local fixtures sets them:
/// loopback allowed, no rate limit.
pub fn gate() -> Fetcher {
    Fetcher::new(FetchConfig {
        requests_per_second: 0.0,
        ..FetchConfig::default()
    })
    .expect("fetcher")
}
