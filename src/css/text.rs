//! Word breaks by the cascade: a box that a style rule makes inline or block separates words
//! or not, over the HTML defaults of `page::text`.

use scraper::ElementRef;

use super::Cascaded;
use crate::page::text::{block_by_default, text_with_breaks_by};
use crate::page::Page;

/// Whether a CSS `display` value lays the element out inline (no word break around it).
/// `None` for values that say nothing by themselves (`inherit`, `revert`…).
pub fn inline_display(display: &str) -> Option<bool> {
    let lower = display.to_ascii_lowercase();
    let d = lower.trim_end_matches("!important").trim();
    let first = d.split_ascii_whitespace().next().unwrap_or("");
    match first {
        "" | "inherit" | "unset" | "revert" | "revert-layer" => None,
        // `initial` is `inline`; `contents` leaves no box of its own.
        "initial" | "contents" => Some(true),
        // inline, inline-block, inline-flex, inline-grid, inline-table, ruby…
        f if f.starts_with("inline") || f.starts_with("ruby") => Some(true),
        // Two-value syntax: `inline flow-root` is inline, `block flex` is not.
        "flow" | "flow-root" | "flex" | "grid" | "table" => Some(d.contains("inline")),
        _ => Some(false),
    }
}

/// Whether `el` separates the text before, inside and after it into different words: a `<br>`,
/// or a box that is not inline (by the cascade when a rule sets `display`, else by HTML
/// defaults).
pub fn breaks_words(page: &Page, el: ElementRef<'_>) -> bool {
    let e = el.value();
    if e.name.local == html5ever::local_name!("br") {
        return true;
    }
    if let Some(display) = page.styles().get(el).and_then(|c| c.display_inline) {
        return !display;
    }
    block_by_default(e)
}

/// Text content of an element with a space for each `<br>` and each boundary of a box that is
/// not inline by the cascade (see [`breaks_words`]). Not space-normalised.
pub fn text_with_breaks(page: &Page, el: ElementRef<'_>) -> String {
    text_with_breaks_by(el, &|c| breaks_words(page, c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::normalize_space;

    fn page(html: &str) -> Page {
        Page::parse(url::Url::parse("http://t.test/").expect("url"), html)
    }

    #[test]
    fn br_and_blocks_break_words_inline_elements_do_not() {
        let p = page(
            r#"<a id=a href=/><p class="fr-logo">République<br>Française</p></a>
               <div id=b><span>Ré</span>publique<div>Française</div><ul><li>un</li><li>deux</li></ul></div>"#,
        );
        let t = |id: &str| {
            normalize_space(&text_with_breaks(&p, p.element_by_id(id).expect("element")))
        };
        assert_eq!(t("a"), "République Française");
        assert_eq!(t("b"), "République Française un deux");
    }

    #[test]
    fn the_cascade_display_wins_over_html_defaults() {
        let p = page(
            r#"<style>.i { display: inline } .b { display: block } .f { display: inline-flex }</style>
               <div id=a><p class=i>Ré</p><p class=i>publique</p></div>
               <div id=b><span class=b>Ré</span><span>publique</span></div>
               <div id=c><span class=f>Ré</span><span>publique</span></div>"#,
        );
        let t = |id: &str| {
            normalize_space(&text_with_breaks(&p, p.element_by_id(id).expect("element")))
        };
        assert_eq!(t("a"), "République");
        assert_eq!(t("b"), "Ré publique");
        assert_eq!(t("c"), "République");
        // Without the cascade, HTML defaults.
        let a = p.element_by_id("a").expect("a");
        assert_eq!(normalize_space(&crate::page::text_of(a)), "Ré publique");
    }

    #[test]
    fn display_values() {
        assert_eq!(inline_display("inline-block"), Some(true));
        assert_eq!(inline_display("block !important"), Some(false));
        assert_eq!(inline_display("flex"), Some(false));
        assert_eq!(inline_display("inline flow-root"), Some(true));
        assert_eq!(inline_display("list-item"), Some(false));
        assert_eq!(inline_display("inherit"), None);
    }
}
