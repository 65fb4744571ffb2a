//! A small static HTTP server for fixture sites, used by the demo, the tests and the ACT
//! conformance run. It binds 127.0.0.1 on a free port. A site folder may hold `_server.toml`
//! describing special routes (errors, redirects, delays, headers), so misbehaving sites are data.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Router;
use include_dir::Dir;
use serde::Deserialize;
use tokio::sync::oneshot;

/// Where the site's files come from.
#[derive(Clone)]
pub enum Source {
    Embedded(&'static Dir<'static>),
    Disk(PathBuf),
    /// A generated site of N pages (`/p/0.html` … `/p/{N-1}.html`), each linking to its two
    /// children in a binary tree, for benchmarks and memory tests.
    Generated(usize),
}

impl Source {
    fn read(&self, rel: &str) -> Option<Vec<u8>> {
        if rel.split('/').any(|s| s == "..") {
            return None;
        }
        match self {
            Source::Generated(n) => generated_page(*n, rel),
            // include_dir paths are relative to the embedded root, not to this sub-folder.
            Source::Embedded(dir) => dir
                .get_file(dir.path().join(rel))
                .map(|f| f.contents().to_vec()),
            Source::Disk(root) => {
                // Only the requested part is checked: the root itself may be "../shared/…".
                let rel_path = Path::new(rel);
                if !rel_path
                    .components()
                    .all(|c| matches!(c, Component::Normal(_)))
                {
                    return None;
                }
                let p = root.join(rel_path);
                if !p.is_file() {
                    return None;
                }
                std::fs::read(p).ok()
            }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct ServerFile {
    #[serde(default)]
    site: SiteSettings,
    #[serde(default, rename = "route")]
    routes: Vec<Route>,
}

#[derive(Debug, Default, Deserialize)]
struct SiteSettings {
    /// Charset named in Content-Type for .html files; None = "utf-8", "" = no charset parameter.
    html_charset: Option<String>,
}

/// A special route.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Route {
    pub path: String,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub redirect: Option<String>,
    #[serde(default)]
    pub delay_ms: Option<u64>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub headers: HashMap<String, String>,
}

/// One request seen by the server (tests measure politeness with it).
#[derive(Debug, Clone)]
pub struct LoggedRequest {
    pub at: Instant,
    pub path: String,
    pub user_agent: String,
}

struct ServerState {
    source: Source,
    settings: SiteSettings,
    routes: HashMap<String, Route>,
    log: Mutex<Vec<LoggedRequest>>,
}

/// A running fixture server; stops when dropped.
pub struct FixtureServer {
    pub addr: SocketAddr,
    state: Arc<ServerState>,
    stop: Option<oneshot::Sender<()>>,
}

impl FixtureServer {
    /// Base URL, with a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.state.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for FixtureServer {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("impossible d'ouvrir un port local : {0}")]
    Bind(std::io::Error),
    #[error("_server.toml invalide : {0}")]
    Config(String),
}

/// Start serving a site on 127.0.0.1 with a free port.
pub async fn start(source: Source) -> Result<FixtureServer, ServeError> {
    start_with_routes(source, Vec::new()).await
}

/// Start serving, with extra routes given by the caller (tests).
pub async fn start_with_routes(
    source: Source,
    extra: Vec<Route>,
) -> Result<FixtureServer, ServeError> {
    let file: ServerFile = match source.read("_server.toml") {
        Some(bytes) => toml::from_str(&String::from_utf8_lossy(&bytes))
            .map_err(|e| ServeError::Config(e.to_string()))?,
        None => ServerFile::default(),
    };
    let mut routes: HashMap<String, Route> = file
        .routes
        .into_iter()
        .map(|r| (r.path.clone(), r))
        .collect();
    for r in extra {
        routes.insert(r.path.clone(), r);
    }
    let state = Arc::new(ServerState {
        source,
        settings: file.site,
        routes,
        log: Mutex::new(Vec::new()),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(ServeError::Bind)?;
    let addr = listener.local_addr().map_err(ServeError::Bind)?;
    let app = Router::new().fallback(handle).with_state(state.clone());
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    Ok(FixtureServer {
        addr,
        state,
        stop: Some(tx),
    })
}

fn content_type_for(path: &str, settings: &SiteSettings) -> String {
    let ext = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => match settings.html_charset.as_deref() {
            None => "text/html; charset=utf-8".into(),
            Some("") => "text/html".into(),
            Some(cs) => format!("text/html; charset={cs}"),
        },
        "css" => "text/css; charset=utf-8".into(),
        "js" => "text/javascript".into(),
        "xml" => "application/xml".into(),
        "txt" => "text/plain; charset=utf-8".into(),
        "json" => "application/json".into(),
        "pdf" => "application/pdf".into(),
        "png" => "image/png".into(),
        "jpg" | "jpeg" => "image/jpeg".into(),
        "gif" => "image/gif".into(),
        "svg" => "image/svg+xml".into(),
        "mp4" => "video/mp4".into(),
        "vtt" => "text/vtt".into(),
        _ => "application/octet-stream".into(),
    }
}

fn generated_page(n: usize, rel: &str) -> Option<Vec<u8>> {
    let i: usize = if rel == "index.html" {
        0
    } else {
        rel.strip_prefix("p/")?
            .strip_suffix(".html")?
            .parse()
            .ok()?
    };
    if i >= n {
        return None;
    }
    let mut links = String::new();
    for child in [2 * i + 1, 2 * i + 2] {
        if child < n {
            links.push_str(&format!(
                "<li><a href=\"/p/{child}.html\">Page {child}</a></li>"
            ));
        }
    }
    let html = format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Page générée {i}</title></head>\
         <body><header><nav><ul><li><a href=\"/\">Accueil</a></li>{links}</ul></nav></header>\
         <main><h1>Page {i}</h1><p>Texte de la démarche numéro {i}, avec une image \
         <img src=\"/i.png\" alt=\"Illustration {i}\"> et un formulaire.</p>\
         <form><label for=\"f{i}\">Nom</label><input id=\"f{i}\" name=\"nom\"><button>Envoyer</button></form>\
         </main><footer><a href=\"/\">Accueil</a></footer></body></html>"
    );
    Some(html.into_bytes())
}

/// Map a URL path to candidate files: "/" → index.html, "/a/" → a/index.html, "/a" → a, a.html, a/index.html.
fn candidates(path: &str) -> Vec<String> {
    let rel = path.trim_start_matches('/');
    if rel.is_empty() {
        return vec!["index.html".into()];
    }
    if rel.ends_with('/') {
        return vec![format!("{rel}index.html")];
    }
    vec![
        rel.to_string(),
        format!("{rel}.html"),
        format!("{rel}/index.html"),
    ]
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && s.is_char_boundary(i + 1)
            && s.is_char_boundary(i + 3)
        {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn handle(State(state): State<Arc<ServerState>>, req: Request) -> Response {
    let path = percent_decode(req.uri().path());
    let ua = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if let Ok(mut log) = state.log.lock() {
        log.push(LoggedRequest {
            at: Instant::now(),
            path: path.clone(),
            user_agent: ua,
        });
    }
    let route = state.routes.get(&path).cloned();
    if let Some(route) = route {
        if let Some(ms) = route.delay_ms {
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
        let mut builder = Response::builder();
        let status = route
            .status
            .unwrap_or(if route.redirect.is_some() { 302 } else { 200 });
        builder = builder
            .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
        if let Some(loc) = &route.redirect {
            builder = builder.header(header::LOCATION, loc.as_str());
        }
        for (k, v) in &route.headers {
            if let (Ok(k), Ok(v)) = (
                HeaderName::from_bytes(k.as_bytes()),
                HeaderValue::from_str(v),
            ) {
                builder = builder.header(k, v);
            }
        }
        let (body, ct) = match (&route.file, &route.body) {
            (Some(f), _) => (
                state.source.read(f).unwrap_or_default(),
                content_type_for(f, &state.settings),
            ),
            (None, Some(b)) => (
                b.clone().into_bytes(),
                "text/html; charset=utf-8".to_string(),
            ),
            (None, None) => (Vec::new(), "text/html; charset=utf-8".to_string()),
        };
        let ct = route.content_type.clone().unwrap_or(ct);
        builder = builder.header(header::CONTENT_TYPE, ct);
        return builder
            .body(Body::from(body))
            .unwrap_or_else(|_| Response::new(Body::empty()));
    }
    for rel in candidates(&path) {
        if let Some(bytes) = state.source.read(&rel) {
            let ct = content_type_for(&rel, &state.settings);
            return Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(bytes))
                .unwrap_or_else(|_| Response::new(Body::empty()));
        }
    }
    Response::builder()
        .status(StatusCode::NOT_FOUND)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from("<!doctype html><html lang=\"fr\"><title>Page introuvable</title><h1>Page introuvable</h1></html>"))
        .unwrap_or_else(|_| Response::new(Body::empty()))
}
