//! Hostile servers and hostile pages. A chaos HTTP server written here on a raw TCP listener
//! (127.0.0.1, random port) misbehaves byte by byte: trickling, resets, truncation, gzip and
//! brotli bombs, endless and cross-host redirects, crawler traps, huge and binary bodies, lying
//! charsets, absurd nesting, 100 000 links, huge headers. The crawl must finish within its
//! budget, record each page with a precise error kind, keep memory bounded, never panic, and
//! still audit every normal page. No test touches the internet.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use indicatif::ProgressBar;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;
use vigie::analyze::{CrawledPage, StaticAnalyser};
use vigie::crawl::{self, CrawlPlan, CssCache, ErrorKind, FetchConfig, Fetcher};
use vigie::page::Page;

const NESTING: usize = 100_000;
const LINKS: usize = 100_000;
const MAX_BODY: usize = 10 * 1024 * 1024;

/// Every hostile path the home page links to.
const HOSTILE: &[&str] = &[
    "/trickle",
    "/reset-headers",
    "/reset-body",
    "/truncated",
    "/gzip-bomb",
    "/brotli-bomb",
    "/r/1",
    "/cross-host",
    "/cal?d=1",
    "/s/0/page",
    "/big",
    "/long-line",
    "/binary",
    "/lying-charset",
    "/bad-charset",
    "/deep",
    "/links",
    "/many-headers",
    "/huge-header",
];
const NORMAL: &[&str] = &["/n/1", "/n/2", "/n/3"];

fn normal_page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><main><h1>{title}</h1><p>{body}</p><img src=\"/logo.png\" alt=\"Logo\"></main></body></html>"
    )
}

fn home() -> String {
    let links: String = HOSTILE
        .iter()
        .chain(NORMAL)
        .map(|p| format!("<li><a href=\"{p}\">{p}</a></li>"))
        .collect();
    normal_page("Accueil", &format!("Pages :</p><ul>{links}</ul><p>fin"))
}

/// A gzip stream of zeros: one member of 16 MiB compressed once, repeated 64 times
/// (concatenated members), so 1 GiB once decoded for ~1 MiB on the wire; a brotli one of
/// 256 MiB.
fn bomb(brotli: bool) -> &'static [u8] {
    static GZ: OnceLock<Vec<u8>> = OnceLock::new();
    static BR: OnceLock<Vec<u8>> = OnceLock::new();
    let cell = if brotli { &BR } else { &GZ };
    cell.get_or_init(|| {
        let zeros = vec![0u8; 1 << 20];
        if brotli {
            // Brotli has no concatenated members: compress 256 MiB once, at quality 0.
            let mut w = brotli::CompressorWriter::new(Vec::new(), 1 << 16, 0, 24);
            for _ in 0..256 {
                w.write_all(&zeros).expect("brotli");
            }
            w.into_inner()
        } else {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            for _ in 0..16 {
                e.write_all(&zeros).expect("gzip");
            }
            e.finish().expect("gzip").repeat(64)
        }
    })
}

async fn write_head(s: &mut TcpStream, status: &str, headers: &[(&str, String)]) -> bool {
    let mut head = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).await.is_ok()
}

async fn respond(s: &mut TcpStream, ct: &str, body: &[u8]) {
    let headers = [
        ("Content-Type", ct.to_string()),
        ("Content-Length", body.len().to_string()),
    ];
    if write_head(s, "200 OK", &headers).await {
        let _ = s.write_all(body).await;
    }
}

/// Close with a TCP reset (SO_LINGER 0) instead of a clean FIN.
fn reset(s: TcpStream) {
    #[allow(deprecated)] // linger 0 resets at once, it does not block
    let _ = s.set_linger(Some(Duration::ZERO));
    drop(s);
}

/// Write `total` bytes of `pattern` repeated, without allocating the whole body.
async fn stream_repeat(s: &mut TcpStream, pattern: &[u8], total: usize) {
    let chunk: Vec<u8> = pattern.iter().copied().cycle().take(64 * 1024).collect();
    let mut sent = 0;
    while sent < total {
        let n = chunk.len().min(total - sent);
        if s.write_all(&chunk[..n]).await.is_err() {
            return;
        }
        sent += n;
    }
}

async fn handle(mut s: TcpStream, port: u16) {
    let mut req = Vec::new();
    let mut buf = [0u8; 4096];
    while !req.windows(4).any(|w| w == b"\r\n\r\n") && req.len() < 64 * 1024 {
        match s.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => req.extend_from_slice(&buf[..n]),
        }
    }
    let line = String::from_utf8_lossy(&req);
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let html = "text/html; charset=utf-8";
    match path {
        "/" => respond(&mut s, html, home().as_bytes()).await,
        "/trickle" => {
            let body = normal_page("Lent", "octet par octet");
            let headers = [
                ("Content-Type", html.to_string()),
                ("Content-Length", body.len().to_string()),
            ];
            if write_head(&mut s, "200 OK", &headers).await {
                for b in body.bytes() {
                    if s.write_all(&[b]).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
        "/reset-headers" => {
            let _ = s
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/ht")
                .await;
            tokio::time::sleep(Duration::from_millis(50)).await;
            reset(s);
        }
        "/reset-body" => {
            let headers = [
                ("Content-Type", html.to_string()),
                ("Content-Length", "100000".to_string()),
            ];
            if write_head(&mut s, "200 OK", &headers).await {
                let _ = s.write_all(&[b'a'; 1000]).await;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            reset(s);
        }
        "/truncated" => {
            let headers = [
                ("Content-Type", html.to_string()),
                ("Content-Length", "10000".to_string()),
            ];
            if write_head(&mut s, "200 OK", &headers).await {
                let _ = s.write_all(b"<!doctype html><html><body><p>coup").await;
                let _ = s.shutdown().await;
            }
        }
        "/gzip-bomb" | "/brotli-bomb" => {
            let br = path == "/brotli-bomb";
            let body = bomb(br);
            let headers = [
                ("Content-Type", html.to_string()),
                (
                    "Content-Encoding",
                    if br { "br" } else { "gzip" }.to_string(),
                ),
                ("Content-Length", body.len().to_string()),
            ];
            if write_head(&mut s, "200 OK", &headers).await {
                let _ = s.write_all(body).await;
            }
        }
        p if p.starts_with("/r/") => {
            let n: u64 = p[3..].parse().unwrap_or(0);
            let headers = [("Location", format!("/r/{}", n + 1))];
            write_head(&mut s, "302 Found", &headers).await;
        }
        "/cross-host" => {
            let headers = [("Location", format!("http://127.0.0.2:{port}/n/1"))];
            write_head(&mut s, "302 Found", &headers).await;
        }
        "/cal" => {
            let d: u64 = query
                .strip_prefix("d=")
                .and_then(|d| d.parse().ok())
                .unwrap_or(0);
            let body = normal_page(
                "Calendrier",
                &format!("<a href=\"/cal?d={}\">jour suivant</a>", d + 1),
            );
            respond(&mut s, html, body.as_bytes()).await;
        }
        p if p.starts_with("/s/") => {
            let n: u64 = p
                .split('/')
                .nth(2)
                .and_then(|x| x.parse().ok())
                .unwrap_or(0);
            // A fresh "session id" on every page.
            let next = n
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let body = normal_page("Session", &format!("<a href=\"/s/{next}/page\">suite</a>"));
            respond(&mut s, html, body.as_bytes()).await;
        }
        "/big" => {
            // 50 MB, no Content-Length: the client learns the size only by reading.
            if write_head(&mut s, "200 OK", &[("Content-Type", html.to_string())]).await {
                let _ = s.write_all(b"<!doctype html><html><body>").await;
                stream_repeat(&mut s, b"<p>Paragraphe de remplissage.</p>\n", 50_000_000).await;
            }
        }
        "/long-line" => {
            // Just under the body cap, one line without a newline: parsed and audited.
            let len = MAX_BODY - 64 * 1024;
            let head = b"<!doctype html><html lang=fr><title>Ligne</title><p>";
            let headers = [
                ("Content-Type", html.to_string()),
                ("Content-Length", (head.len() + len).to_string()),
            ];
            if write_head(&mut s, "200 OK", &headers).await {
                let _ = s.write_all(head).await;
                stream_repeat(&mut s, b"mot ", len).await;
            }
        }
        "/binary" => {
            let body: Vec<u8> = (0..20_000u32)
                .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                .collect();
            respond(&mut s, "text/html", &body).await;
        }
        "/lying-charset" => {
            let mut body = normal_page("D", "D").into_bytes();
            // "Démarche" in windows-1252, under a header that says UTF-8.
            body.extend_from_slice(b"<p>D\xe9marche \xe0 faire</p>");
            respond(&mut s, html, &body).await;
        }
        "/bad-charset" => {
            let body = normal_page("Charset", "étiquette inconnue");
            respond(&mut s, "text/html; charset=x-klingon-9", body.as_bytes()).await;
        }
        "/deep" => {
            let mut body = String::with_capacity(NESTING * 11 + 512);
            body.push_str("<!doctype html><html lang=fr><title>Profond</title><body>");
            body.push_str(&"<div>".repeat(NESTING));
            body.push_str("<a href=\"/n/1\"><img src=x.png></a><label>Nom <input></label>");
            body.push_str(&"</div>".repeat(NESTING));
            respond(&mut s, html, body.as_bytes()).await;
        }
        "/links" => {
            let mut body = String::with_capacity(LINKS * 40 + 512);
            body.push_str("<!doctype html><html lang=fr><title>Liens</title><body>");
            for i in 0..LINKS {
                body.push_str(&format!("<a href=\"/l/{i}\">lien {i}</a>"));
            }
            respond(&mut s, html, body.as_bytes()).await;
        }
        "/many-headers" => {
            let body = normal_page("Entêtes", "nombreuses");
            let mut headers: Vec<(&str, String)> = vec![
                ("Content-Type", html.to_string()),
                ("Content-Length", body.len().to_string()),
            ];
            let names: Vec<String> = (0..200).map(|i| format!("X-Chaos-{i}")).collect();
            headers.extend(names.iter().map(|n| (n.as_str(), "x".to_string())));
            if write_head(&mut s, "200 OK", &headers).await {
                let _ = s.write_all(body.as_bytes()).await;
            }
        }
        "/huge-header" => {
            let body = normal_page("Entête", "énorme");
            let headers = [
                ("Content-Type", html.to_string()),
                ("Content-Length", body.len().to_string()),
                ("X-Chaos", "a".repeat(64 * 1024)),
            ];
            if write_head(&mut s, "200 OK", &headers).await {
                let _ = s.write_all(body.as_bytes()).await;
            }
        }
        p if p.starts_with("/n/") || p.starts_with("/l/") => {
            let body = normal_page(&format!("Page {p}"), "Contenu ordinaire.");
            respond(&mut s, html, body.as_bytes()).await;
        }
        _ => {
            let headers = [("Content-Length", "0".to_string())];
            write_head(&mut s, "404 Not Found", &headers).await;
        }
    }
}

async fn chaos_server() -> Url {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((s, _)) = listener.accept().await {
            tokio::spawn(handle(s, port));
        }
    });
    Url::parse(&format!("http://127.0.0.1:{port}/")).expect("url")
}

fn find<'a>(pages: &'a [CrawledPage], target: &str) -> &'a CrawledPage {
    pages
        .iter()
        .find(|p| {
            Url::parse(&p.record.requested_url)
                .map(|u| match u.query() {
                    Some(q) => format!("{}?{q}", u.path()) == target,
                    None => u.path() == target,
                })
                .unwrap_or(false)
        })
        .unwrap_or_else(|| panic!("{target} not crawled"))
}

fn kind(p: &CrawledPage) -> Option<ErrorKind> {
    p.record.error.as_ref().map(|e| e.kind)
}

fn peak_rss_mib() -> f64 {
    vigie::bench::peak_rss_mib().unwrap_or(0.0)
}

/// The two tests measure time and memory: run them one after the other, not against each other.
static SERIAL: Mutex<()> = Mutex::new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
// The lock only orders this test against the synchronous one; nothing else takes it.
#[allow(clippy::await_holding_lock)]
async fn hostile_server_cannot_stall_crash_or_bloat_the_crawl() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let start = chaos_server().await;
    let t = Instant::now();
    bomb(false);
    bomb(true);
    eprintln!(
        "bombs built in {:?}: gzip {} B, brotli {} B",
        t.elapsed(),
        bomb(false).len(),
        bomb(true).len()
    );
    let config = FetchConfig {
        requests_per_second: 0.0,
        retries: 0,
        total_timeout_ms: 2_000,
        read_timeout_ms: 2_000,
        connect_timeout_ms: 1_000,
        max_body_bytes: MAX_BODY,
        concurrency: 4,
        ..FetchConfig::default()
    };
    let fetcher = Arc::new(Fetcher::new(config).expect("client"));
    let mut plan = CrawlPlan::new(start.clone());
    plan.max_pages = 60;
    plan.max_depth = 8;
    plan.use_sitemaps = false;
    let t = Instant::now();
    let pages = crawl::crawl(
        std::sync::Arc::new(StaticAnalyser),
        fetcher,
        Arc::new(CssCache::default()),
        &plan,
        &ProgressBar::hidden(),
    )
    .await;
    let took = t.elapsed();
    let peak = peak_rss_mib();
    eprintln!(
        "crawl of {} URLs in {took:?}, peak RSS {peak:.0} MiB",
        pages.len()
    );
    for p in &pages {
        eprintln!(
            "{} {} ms {:?} {:?} {:?}",
            p.record.requested_url,
            p.record.total_ms,
            p.record.status,
            kind(p),
            p.record.error.as_ref().map(|e| &e.message)
        );
    }

    // Budget: every hostile fetch is bounded by the 2 s total timeout, and the pages that are
    // analysed (100 000 links, 100 000 levels, a 10 MB line) stay linear. A stall or a quadratic
    // page takes minutes; the bound is loose (about 30 s idle, 66 s seen on a loaded 2-core
    // machine) because speed is measured by `vigie bench`, not here.
    assert!(took < Duration::from_secs(150), "crawl took {took:?}");
    // Memory: the body cap (10 MiB) bounds what is read; a decoded page lives as bytes, text
    // and DOM (~4x) on at most 4 fetches at once, plus the bombs kept by the server (~2 MiB).
    // Measured 169–406 MiB (the process also holds the other test of this file); 600 MiB is the bound.
    assert!(peak < 600.0, "peak RSS {peak:.0} MiB");

    let expect = |path: &str, k: ErrorKind| {
        let p = find(&pages, path);
        assert_eq!(kind(p), Some(k), "{path}: {:?}", p.record.error);
        assert!(p.analysis.is_none(), "{path} analysed");
    };
    expect("/trickle", ErrorKind::Timeout);
    // Reset before the response head is complete.
    expect("/reset-headers", ErrorKind::ConnectionReset);
    expect("/reset-body", ErrorKind::BodyTruncated);
    expect("/truncated", ErrorKind::BodyTruncated);
    expect("/gzip-bomb", ErrorKind::BodyTooLarge);
    expect("/brotli-bomb", ErrorKind::BodyTooLarge);
    expect("/r/1", ErrorKind::TooManyRedirects);
    expect("/cross-host", ErrorKind::RedirectOutOfScope);
    expect("/big", ErrorKind::BodyTooLarge);
    expect("/binary", ErrorKind::BinaryBody);
    // hyper refuses more than 100 response headers: not a usable HTTP response.
    expect("/many-headers", ErrorKind::InvalidResponse);

    let analysed = |path: &str| -> &CrawledPage {
        let p = find(&pages, path);
        assert!(p.record.error.is_none(), "{path}: {:?}", p.record.error);
        assert!(p.analysis.is_some(), "{path} not analysed");
        p
    };
    for path in NORMAL.iter().chain(&["/", "/long-line", "/huge-header"]) {
        analysed(path);
    }
    let lying = analysed("/lying-charset");
    assert_eq!(lying.record.charset.as_deref(), Some("UTF-8"));
    let bad = analysed("/bad-charset");
    assert_eq!(bad.record.charset.as_deref(), Some("UTF-8"));
    let deep = analysed("/deep");
    let facts = &deep.analysis.as_ref().expect("analysis").facts;
    assert!(
        facts.parse_errors.iter().any(|e| e.contains("Imbrication")),
        "{:?}",
        facts.parse_errors
    );
    let links = analysed("/links");
    assert_eq!(
        links.analysis.as_ref().expect("analysis").facts.link_count,
        LINKS
    );

    // Traps: the calendar is cut by the query-variant budget, session ids by the depth budget.
    let count = |prefix: &str| {
        pages
            .iter()
            .filter(|p| {
                Url::parse(&p.record.requested_url)
                    .map(|u| u.path().starts_with(prefix))
                    .unwrap_or(false)
            })
            .count()
    };
    assert!(
        count("/cal") <= plan.max_query_variants + 1,
        "{}",
        count("/cal")
    );
    assert!(count("/s/") <= plan.max_depth as usize, "{}", count("/s/"));
    assert!(pages.len() <= plan.max_pages);
}

/// Parse and audit a 100 000-deep document on a thread with the default 2 MiB test stack.
#[test]
fn deep_documents_neither_overflow_the_stack_nor_take_quadratic_time() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    // (open, close, bound in seconds, debug build).
    let cases: Vec<(&str, &str, u64)> = vec![
        ("<div>", "</div>", 10),
        ("<span><b>", "</b></span>", 10),
        // Three elements per level and the parser's table-scope checks: linear but heavier
        // (about 13 s on a loaded machine). Rules that walked every cell's ancestors or
        // matched `body *` made it quadratic: 233 s.
        ("<table><tr><td>", "</td></tr></table>", 40),
        (
            "<div role=grid><div role=row><div role=gridcell>",
            "</div></div></div>",
            20,
        ),
        // One finding per link: 100 000 findings.
        ("<a href=/x>", "</a>", 20),
        ("<svg><g>", "</g></svg>", 10),
    ];
    for (open, close, bound) in cases {
        let html = format!(
            "<!doctype html><html lang=fr><title>t</title><body>{}\
             <a href=/y><img src=a.png></a><label>Nom <input></label><input id=z>{}",
            open.repeat(NESTING),
            close.repeat(NESTING)
        );
        let label = open.to_string();
        let worker = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                let t = Instant::now();
                let page = Page::parse(Url::parse("http://exemple.fr/").expect("url"), &html);
                let findings = vigie::findings::run_all(&page, false);
                (t.elapsed(), findings.len())
            })
            .expect("thread");
        let (took, n) = worker.join().expect("no overflow, no panic");
        eprintln!("{label} x {NESTING}: {took:?}, {n} findings");
        // Quadratic behaviour took minutes here (20 000 levels: 14 s); linear is ~1 s in debug.
        assert!(took < Duration::from_secs(bound), "{label}: {took:?}");
        assert!(n > 0);
    }
}
