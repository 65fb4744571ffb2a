//! Keyboard focus from markup: which elements take part in sequential focus navigation.

use crate::page::Attribute;
use scraper::ElementRef;

/// Natively focusable element (before `tabindex` and `disabled` are considered).
pub fn is_natively_focusable(el: ElementRef<'_>) -> bool {
    let e = el.value();
    match e.name() {
        "a" | "area" => e.attribute("href").is_some(),
        "button" | "select" | "textarea" | "iframe" | "summary" => true,
        "input" => !e
            .attribute("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("hidden")),
        "audio" | "video" => e.attribute("controls").is_some(),
        _ => e
            .attribute("contenteditable")
            .is_some_and(|v| !v.trim().eq_ignore_ascii_case("false")),
    }
}

/// The parsed `tabindex` (None when absent or not an integer).
pub fn tabindex(el: ElementRef<'_>) -> Option<i64> {
    el.value().attribute("tabindex")?.trim().parse().ok()
}

/// Whether the element is reached with the Tab key: natively focusable or `tabindex >= 0`,
/// not disabled, and no negative `tabindex`.
pub fn is_tabbable(el: ElementRef<'_>) -> bool {
    if disabled(el) || inert(el) {
        return false;
    }
    match tabindex(el) {
        Some(t) if t < 0 => false,
        Some(_) => true,
        None => is_natively_focusable(el),
    }
}

/// Whether the element can receive focus at all, by Tab or by script: natively focusable or
/// with any `tabindex` (even negative), not disabled, not inert.
pub fn is_focusable(el: ElementRef<'_>) -> bool {
    !disabled(el) && !inert(el) && (tabindex(el).is_some() || is_natively_focusable(el))
}

fn disabled(el: ElementRef<'_>) -> bool {
    let e = el.value();
    e.attribute("disabled").is_some()
        && matches!(
            e.name(),
            "button" | "input" | "select" | "textarea" | "fieldset"
        )
}

fn inert(el: ElementRef<'_>) -> bool {
    std::iter::once(*el).chain(el.ancestors()).any(|n| {
        n.value()
            .as_element()
            .is_some_and(|e| e.attribute("inert").is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::Page;

    #[test]
    fn tabbable_elements() {
        let html = r#"<a id=a href=x>a</a><a id=b>b</a><div id=c tabindex=0></div>
            <button id=d disabled>d</button><a id=e href=x tabindex=-1>e</a><input id=f type=hidden>
            <div inert><button id=g>g</button></div><span id=h contenteditable>h</span>"#;
        let page = Page::parse(url::Url::parse("http://t.test/").expect("url"), html);
        let t = |id: &str| is_tabbable(page.element_by_id(id).expect(id));
        assert!(t("a") && t("c") && t("h"));
        assert!(!t("b") && !t("d") && !t("e") && !t("f") && !t("g"));
        let f = |id: &str| is_focusable(page.element_by_id(id).expect(id));
        // Focusable by script too: a negative tabindex counts, disabled and inert do not.
        assert!(f("a") && f("c") && f("e") && f("h"));
        assert!(!f("b") && !f("d") && !f("g"));
    }
}
