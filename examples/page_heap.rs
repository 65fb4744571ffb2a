//! How much heap one page holds at its peak, `check` against the floor (bare parse and walk),
//! on the bench's design-system pages: the analysis's working set, which decides how much of
//! it the cores' caches keep (a second-level cache holds half a megabyte on the CI's hosts).
//!
//! `cargo run --release --example page_heap -- [check|floor|parts]`: prints the smallest,
//! median and largest peak of live bytes over the 40 pages, and for `check` the median live
//! bytes after the parse (its stylesheet linked) and after the analysis. `parts` runs the
//! analysis's parts one after the other (each rule, the Cerfa evidence, the signals, the
//! links), keeping what each returned, and prints the median bytes each part left live (its
//! result and the page's memos it filled first) and the allocations it made.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering::Relaxed};
use std::sync::Arc;

/// The system allocator, counting live bytes and their peak.
struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
/// Allocations made (`alloc` and `realloc` calls).
static ALLOCATIONS: AtomicIsize = AtomicIsize::new(0);

fn grew(by: isize) {
    ALLOCATIONS.fetch_add(1, Relaxed);
    let now = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; only counts are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        grew(size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let mode = std::env::args().nth(1);
    if mode.as_deref() == Some("parts") {
        return parts();
    }
    let floor = mode.as_deref() == Some("floor");
    let css = Arc::new(vigie::bench::design_system::stylesheet());
    let pages = vigie::bench::design_system::pages();
    let (mut peaks, mut marks) = (Vec::new(), Vec::new());
    // The first round fills what is kept for the process (compiled selectors, word lists).
    for round in 0..2 {
        for (url, html) in &pages {
            let base = LIVE.load(Relaxed);
            PEAK.store(base, Relaxed);
            if floor {
                let dom = scraper::Html::parse_document(html);
                std::hint::black_box(dom.root_element().descendants().count());
            } else {
                let page = vigie::bench::design_system::parsed_with(url, html, &css);
                let parsed = LIVE.load(Relaxed) - base;
                let findings = vigie::analyze::analyze(&page, false);
                if round == 1 {
                    marks.push((parsed, LIVE.load(Relaxed) - base));
                }
                std::hint::black_box(findings);
            }
            if round == 1 {
                peaks.push(PEAK.load(Relaxed) - base);
            }
        }
    }
    peaks.sort_unstable();
    let median = |v: &[isize]| v.get(v.len() / 2).copied().unwrap_or(0);
    println!(
        "{}: peak live bytes a page: min {} median {} max {}",
        if floor { "floor" } else { "check" },
        peaks.first().unwrap_or(&0),
        median(&peaks),
        peaks.last().unwrap_or(&0)
    );
    if !marks.is_empty() {
        let (mut parsed, mut analysed): (Vec<_>, Vec<_>) = marks.into_iter().unzip();
        parsed.sort_unstable();
        analysed.sort_unstable();
        println!(
            "check: live bytes after the parse (stylesheet linked) {}, after the analysis {} (medians)",
            median(&parsed),
            median(&analysed)
        );
    }
}

/// The median bytes each part of the analysis leaves live on a page, in the analysis's order.
fn parts() {
    let css = Arc::new(vigie::bench::design_system::stylesheet());
    let pages = vigie::bench::design_system::pages();
    let rules = vigie::rules::all_rules();
    let mut names: Vec<String> = rules.iter().map(|r| r.meta().id.to_string()).collect();
    names.extend(["links", "signals", "cerfa"].map(String::from));
    let mut grown: Vec<Vec<(isize, isize)>> = vec![Vec::new(); names.len()];
    for round in 0..2 {
        for (url, html) in &pages {
            let page = vigie::bench::design_system::parsed_with(url, html, &css);
            let mut kept: Vec<Box<dyn std::any::Any>> = Vec::new();
            let mut at = (LIVE.load(Relaxed), ALLOCATIONS.load(Relaxed));
            let mut mark = |i: usize, kept_now: Box<dyn std::any::Any>| {
                kept.push(kept_now);
                let now = (LIVE.load(Relaxed), ALLOCATIONS.load(Relaxed));
                if round == 1 {
                    grown[i].push((now.0 - at.0, now.1 - at.1));
                }
                at = (LIVE.load(Relaxed), ALLOCATIONS.load(Relaxed));
            };
            for (i, rule) in rules.iter().enumerate() {
                // The rule's own results, turned into findings as the analysis does (one
                // vector for them all there: here each rule's would leave its room live).
                let mut findings = vigie::findings::run_rules(&page, &[*rule], false);
                findings.shrink_to_fit();
                mark(i, Box::new(findings));
            }
            let n = rules.len();
            mark(n, Box::new(page.links()));
            mark(n + 1, Box::new(vigie::analyze::signals::signals_of(&page)));
            mark(n + 2, Box::new(vigie::cerfa::extract(&page)));
            drop(kept);
        }
    }
    let median = |v: &mut Vec<isize>| {
        v.sort_unstable();
        v.get(v.len() / 2).copied().unwrap_or(0)
    };
    let mut rows: Vec<(isize, isize, &str)> = grown
        .iter()
        .zip(&names)
        .map(|(v, name)| {
            let (mut bytes, mut count): (Vec<isize>, Vec<isize>) = v.iter().copied().unzip();
            (median(&mut bytes), median(&mut count), name.as_str())
        })
        .collect();
    let bytes: isize = rows.iter().map(|r| r.0).sum();
    let count: isize = rows.iter().map(|r| r.1).sum();
    rows.sort_by_key(|r| -r.1);
    println!("parts: {bytes} bytes left live and {count} allocations (sums of medians)");
    println!("{:>9} {:>7}  part", "bytes", "allocs");
    for (bytes, count, name) in rows.iter().filter(|r| r.0 != 0 || r.1 != 0) {
        println!("{bytes:>9} {count:>7}  {name}");
    }
}
