//! Roles and exposure to assistive technologies, from markup alone.

use scraper::ElementRef;

/// The explicit role (first token of `role`) or the implicit HTML-AAM role.
pub fn role_of(el: ElementRef<'_>) -> Option<String> {
    if let Some(r) = el.value().attr("role") {
        if let Some(first) = r.split_ascii_whitespace().next() {
            return Some(first.to_ascii_lowercase());
        }
    }
    implicit_role(el).map(str::to_string)
}

/// The role exposed to assistive technologies, ACT style: the first *valid* token of `role`,
/// except that `none`/`presentation` is ignored (presentational role conflict) on a focusable
/// element or one with a global ARIA attribute; else the implicit role.
pub fn resolved_role(el: ElementRef<'_>) -> Option<String> {
    let explicit = el.value().attr("role").and_then(|r| {
        r.split_ascii_whitespace()
            .find(|t| super::aria::is_valid_role(t))
            .map(str::to_ascii_lowercase)
    });
    match explicit.as_deref() {
        Some("none") | Some("presentation") if presentational_conflict(el) => {
            implicit_role(el).map(str::to_string)
        }
        Some(_) => explicit,
        None => implicit_role(el).map(str::to_string),
    }
}

/// Whether a `none`/`presentation` role must be ignored: the element is focusable or has a
/// global ARIA attribute.
pub fn presentational_conflict(el: ElementRef<'_>) -> bool {
    let disabled = el.value().attr("disabled").is_some()
        && matches!(
            el.value().name(),
            "button" | "input" | "select" | "textarea"
        );
    (super::focus::is_natively_focusable(el) && !disabled)
        || el.value().attr("tabindex").is_some()
        || el
            .value()
            .attrs()
            .any(|(n, _)| super::aria::is_global_attribute(n))
}

/// Implicit ARIA role of common HTML elements (HTML-AAM), enough for the rules here.
pub fn implicit_role(el: ElementRef<'_>) -> Option<&'static str> {
    let e = el.value();
    Some(match e.name() {
        "a" | "area" if e.attr("href").is_some() => "link",
        "button" => "button",
        "nav" => "navigation",
        "main" => "main",
        "aside" => "complementary",
        "form" => "form",
        "header" if !inside_sectioning(el) => "banner",
        "footer" if !inside_sectioning(el) => "contentinfo",
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => "heading",
        "img" => match e.attr("alt") {
            Some("") => "presentation",
            _ => "img",
        },
        "ul" | "ol" | "menu" => "list",
        "li" => "listitem",
        "table" => "table",
        "select" => "combobox",
        "textarea" => "textbox",
        "input" => match e.attr("type").map(|t| t.to_ascii_lowercase()).as_deref() {
            Some("button") | Some("submit") | Some("reset") | Some("image") => "button",
            Some("checkbox") => "checkbox",
            Some("radio") => "radio",
            Some("range") => "slider",
            Some("number") => "spinbutton",
            Some("search") => "searchbox",
            Some("hidden") => return None,
            _ => "textbox",
        },
        "dialog" => "dialog",
        "fieldset" => "group",
        "figure" => "figure",
        "hr" => "separator",
        "progress" => "progressbar",
        "option" => "option",
        "section"
            if el.value().attr("aria-label").is_some()
                || el.value().attr("aria-labelledby").is_some() =>
        {
            "region"
        }
        _ => return None,
    })
}

fn inside_sectioning(el: ElementRef<'_>) -> bool {
    el.ancestors().any(|a| {
        a.value()
            .as_element()
            .map(|e| matches!(e.name(), "article" | "aside" | "main" | "nav" | "section"))
            .unwrap_or(false)
    })
}

/// Hidden from assistive technologies by markup: `hidden`, `aria-hidden=true`, or an inline
/// `display:none` / `visibility:hidden` on the element or an ancestor. Stylesheet-based hiding
/// is the cascade's job (see `css`).
pub fn is_hidden_from_at(el: ElementRef<'_>) -> bool {
    std::iter::once(*el).chain(el.ancestors()).any(|n| {
        let Some(e) = n.value().as_element() else {
            return false;
        };
        if e.attr("hidden").is_some()
            || e.attr("aria-hidden")
                .map(|v| v.trim().eq_ignore_ascii_case("true"))
                .unwrap_or(false)
        {
            return true;
        }
        if e.name() == "input"
            && e.attr("type")
                .map(|t| t.eq_ignore_ascii_case("hidden"))
                .unwrap_or(false)
        {
            return true;
        }
        if let Some(style) = e.attr("style") {
            let s: String = style
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            if s.contains("display:none") || s.contains("visibility:hidden") {
                return true;
            }
        }
        false
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::Page;

    #[test]
    fn presentational_role_conflicts() {
        let html = r#"<button id=a role=none>x</button><button id=b role=none disabled>x</button>
            <h1 id=c role=none aria-label="">t</h1><h2 id=d role="presentation">t</h2>
            <div id=e role="foo button">x</div><div id=f>x</div>"#;
        let page = Page::parse(url::Url::parse("http://t.test/").expect("url"), html);
        let r = |id: &str| resolved_role(page.element_by_id(id).expect(id));
        assert_eq!(r("a").as_deref(), Some("button"));
        assert_eq!(r("b").as_deref(), Some("none"));
        assert_eq!(r("c").as_deref(), Some("heading"));
        assert_eq!(r("d").as_deref(), Some("presentation"));
        assert_eq!(r("e").as_deref(), Some("button"));
        assert_eq!(r("f"), None);
    }

    #[test]
    fn presentational_image_has_no_name() {
        let html = r#"<h1 id=h><img src=a.png alt="Logo" role="presentation"></h1>
            <h2 id=k><img src=a.png alt="Logo"></h2>"#;
        let page = Page::parse(url::Url::parse("http://t.test/").expect("url"), html);
        let name =
            |id: &str| crate::a11y::accessible_name(&page, page.element_by_id(id).expect(id));
        assert_eq!(name("h"), "");
        assert_eq!(name("k"), "Logo");
    }
}
