//! How much heap one page holds at its peak, `check` against the floor (bare parse and walk),
//! on the bench's design-system pages: the analysis's working set, which decides how much of
//! it the cores' caches keep (a second-level cache holds half a megabyte on the CI's hosts).
//!
//! `cargo run --release --example page_heap -- [check|floor]`: prints the smallest, median
//! and largest peak of live bytes over the 40 pages, and for `check` the median live bytes
//! after the parse (its stylesheet linked) and after the analysis.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering::Relaxed};
use std::sync::Arc;

/// The system allocator, counting live bytes and their peak.
struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn grew(by: isize) {
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
    let floor = std::env::args().nth(1).as_deref() == Some("floor");
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
