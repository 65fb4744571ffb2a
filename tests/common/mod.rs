//! Helpers shared by the tests that kill a real `vigie audit` mid-crawl.

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
