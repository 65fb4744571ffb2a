//! The work `vigie bench` times for `check` on its design-system pages (parse, the shared
//! stylesheet, every rule, cascade, Cerfa evidence), or the floor's (bare parse and walk), in
//! one thread and with nothing else around it: what to run under callgrind or perf.
//!
//! `cargo run --release --example profile_check -- ROUNDS [check|floor] [THREADS]`; per-page
//! costs are the difference of two runs (e.g. 3 and 6 rounds) over the difference in pages
//! (120). With THREADS > 1, as many threads each do all the rounds (the bench's cores share
//! the work the same way): the time a page then shows how the work scales across cores.
//! Profiling `vigie check` on files instead needs the pages' stylesheet beside them under the
//! same `href`: written as the bench writes them (`/ds.css`), a file's link resolves to
//! `file:///ds.css` and the check runs without it (the cascade then costs half as much).

use std::sync::Arc;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(3);
    let floor = args.next().as_deref() == Some("floor");
    let threads: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1).max(1);
    let css = Arc::new(vigie::bench::design_system::stylesheet());
    let pages = vigie::bench::design_system::pages();
    let started = Instant::now();
    let work = || {
        for _ in 0..rounds {
            for (url, html) in &pages {
                if floor {
                    let dom = scraper::Html::parse_document(html);
                    let names: usize = dom
                        .root_element()
                        .descendants()
                        .filter_map(|n| n.value().as_element().map(|e| e.name().len()))
                        .sum();
                    std::hint::black_box(names);
                } else {
                    let page = vigie::bench::design_system::parsed_with(url, html, &css);
                    std::hint::black_box(vigie::analyze::analyze(&page, false));
                }
            }
        }
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    let per_page = started.elapsed().as_secs_f64() * 1e3 / (rounds * pages.len()) as f64;
    println!(
        "{} {per_page:.3} ms a page, {threads} thread(s) each doing every page",
        if floor { "floor" } else { "check" }
    );
}
