//! Helpers shared by test binaries (each uses part of them).
#![allow(dead_code)]

pub mod browser;
pub mod pg;

use std::path::Path;

/// A site whose index links to `p1.html`…`p{pages}.html`, each served after `delay_ms` (so a
/// crawl can be killed halfway); `page(i)` gives the body of page i.
pub fn write_slow_site(dir: &Path, pages: usize, delay_ms: u64, page: impl Fn(usize) -> String) {
    let mut links = String::new();
    let mut routes = String::new();
    for i in 1..=pages {
        links.push_str(&format!("<li><a href=\"p{i}.html\">Page {i}</a></li>"));
        routes.push_str(&format!(
            "[[route]]\npath = \"/p{i}.html\"\nfile = \"p{i}.html\"\ndelay_ms = {delay_ms}\n\n"
        ));
        std::fs::write(dir.join(format!("p{i}.html")), page(i)).expect("write page");
    }
    std::fs::write(
        dir.join("index.html"),
        format!("<!doctype html><html lang=\"fr\"><title>Accueil</title><main><h1>Accueil</h1><ul>{links}</ul></main></html>"),
    )
    .expect("write index");
    std::fs::write(dir.join("_server.toml"), routes).expect("write routes");
}

/// vigie's own rules on one page of its HTML site, styled with the site's stylesheet: the number
/// of findings checked and each failure as a line of text.
pub fn own_rule_failures(name: &str, html: &str, css: &str) -> (usize, Vec<String>) {
    let url = url::Url::parse(&format!("file:///site/{name}")).expect("url");
    let mut page = vigie::page::Page::parse(url, html);
    let sheets = page
        .stylesheet_links()
        .into_iter()
        .map(|l| (l, std::sync::Arc::new(css.to_string())))
        .collect::<Vec<_>>();
    page.add_linked_stylesheets(sheets);
    let findings = vigie::findings::run_all(&page, false);
    let failures = findings
        .iter()
        .filter(|f| f.is_counted_failure())
        .map(|f| {
            format!(
                "{name} : {} — {} {:?}",
                f.rule,
                f.message,
                f.targets.first().map(|t| &t.selector)
            )
        })
        .collect();
    (findings.len(), failures)
}

/// The démarches of a report.json without what depends on timing or crawl order: probes and
/// indicators (availability, response time), page timings and fetch dates; pages and findings
/// sorted.
pub fn comparable_demarches(report: &Path) -> Vec<serde_json::Value> {
    use serde_json::Value;
    let text = std::fs::read_to_string(report).expect("read report");
    let v: Value = serde_json::from_str(&text).expect("json");
    let mut out = Vec::new();
    for d in v["demarches"].as_array().expect("demarches") {
        let mut d = d.clone();
        let obj = d.as_object_mut().expect("démarche");
        obj.remove("probes");
        obj.remove("indicators");
        let mut pages: Vec<Value> = obj["pages"].as_array().expect("pages").clone();
        for p in &mut pages {
            let p = p.as_object_mut().expect("page");
            for k in ["ttfb_ms", "total_ms", "fetched_at"] {
                p.remove(k);
            }
        }
        pages.sort_by_key(|p| p["requested_url"].to_string());
        obj.insert("pages".into(), Value::Array(pages));
        let mut findings: Vec<Value> = obj["findings"].as_array().expect("findings").clone();
        findings.sort_by_key(|f| f.to_string());
        obj.insert("findings".into(), Value::Array(findings));
        out.push(d);
    }
    out
}

/// Every file of a site in memory, index first: written to a temporary folder by
/// `vigie::report::site::write_site`, then read back as (file name, contents).
pub fn render_site(
    report: &vigie::report::Report,
    opts: &vigie::report::site::SiteOptions,
) -> Vec<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().expect("tempdir");
    // A fixed production time: two renders compared must not straddle a minute.
    let opts = vigie::report::site::SiteOptions {
        generated_at: Some("2026-01-01 00:00 UTC".to_string()),
        history: opts.history,
        csv_sep: opts.csv_sep,
    };
    vigie::report::site::write_site(report, dir.path(), &opts)
        .expect("site")
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, std::fs::read(&path).expect("read site file"))
        })
        .collect()
}
