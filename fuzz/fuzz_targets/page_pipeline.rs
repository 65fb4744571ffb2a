//! Bytes → charset decoding → page model → every rule. Must never panic, overflow or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use url::Url;

fuzz_target!(|data: &[u8]| {
    // The first byte picks a declared Content-Type, as a server would send it.
    let (ct, body) = match data.split_first() {
        Some((b, rest)) => (
            match b % 4 {
                0 => None,
                1 => Some("text/html; charset=utf-8"),
                2 => Some("text/html; charset=windows-1252"),
                _ => Some("text/html; charset=x-inconnu"),
            },
            rest,
        ),
        None => (None, data),
    };
    let decoded = vigie::crawl::charset::decode(body, ct);
    let Ok(url) = Url::parse("https://demarche.exemple.fr/formulaire") else {
        return;
    };
    let page = vigie::page::Page::parse(url, &decoded.text);
    let _ = vigie::findings::run_all(&page);
    let _ = page.links();
    let _ = page.stylesheet_links();
});
