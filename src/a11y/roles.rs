//! Roles from markup alone (whether an element is exposed at all is `a11y::visible`).

use crate::format::ascii_lowercase;
use crate::page::Attribute;
use scraper::ElementRef;
use std::borrow::Cow;

/// The explicit role (first token of `role`) or the implicit HTML-AAM role.
pub fn role_of<'a>(el: ElementRef<'a>) -> Option<Cow<'a, str>> {
    if let Some(r) = role_attribute(el) {
        if let Some(first) = r.split_ascii_whitespace().next() {
            return Some(ascii_lowercase(first));
        }
    }
    implicit_role(el).map(Cow::Borrowed)
}

/// The role exposed to assistive technologies, ACT style: the first *valid* token of `role`,
/// except that `none`/`presentation` is ignored (presentational role conflict) on a focusable
/// element or one with a global ARIA attribute; else the implicit role.
pub fn resolved_role<'a>(el: ElementRef<'a>) -> Option<Cow<'a, str>> {
    let explicit = role_attribute(el).and_then(|r| {
        r.split_ascii_whitespace()
            .find(|t| super::aria::is_valid_role(t))
            .map(ascii_lowercase)
    });
    match explicit.as_deref() {
        Some("none") | Some("presentation") if presentational_conflict(el) => {
            implicit_role(el).map(Cow::Borrowed)
        }
        Some(_) => explicit,
        None => implicit_role(el).map(Cow::Borrowed),
    }
}

/// The `role` attribute, its name compared as an atom: asked of nearly every element.
fn role_attribute<'a>(el: ElementRef<'a>) -> Option<&'a str> {
    crate::page::attribute_atom(el.value(), &html5ever::local_name!("role"))
}

/// Whether a `none`/`presentation` role must be ignored: the element is focusable or has a
/// global ARIA attribute.
pub fn presentational_conflict(el: ElementRef<'_>) -> bool {
    let disabled = el.value().attribute("disabled").is_some()
        && matches!(
            el.value().name(),
            "button" | "input" | "select" | "textarea"
        );
    (super::focus::is_natively_focusable(el) && !disabled)
        || el.value().attribute("tabindex").is_some()
        || el
            .value()
            .attrs()
            .any(|(n, _)| super::aria::is_global_attribute(n))
}

/// Implicit ARIA role of common HTML elements (HTML-AAM), enough for the rules here.
pub fn implicit_role(el: ElementRef<'_>) -> Option<&'static str> {
    let e = el.value();
    Some(match e.name() {
        "a" | "area" if e.attribute("href").is_some() => "link",
        "button" => "button",
        "nav" => "navigation",
        "main" => "main",
        "aside" => "complementary",
        "form" => "form",
        "header" if !inside_sectioning(el) => "banner",
        "footer" if !inside_sectioning(el) => "contentinfo",
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => "heading",
        "img" => match e.attribute("alt") {
            Some("") => "presentation",
            _ => "img",
        },
        "ul" | "ol" | "menu" => "list",
        "li" => "listitem",
        "table" => "table",
        // HTML-AAM: a multiple select or one showing more than one row is a list box.
        "select"
            if e.attribute("multiple").is_some()
                || e.attribute("size")
                    .and_then(|s| s.trim().parse::<u32>().ok())
                    > Some(1) =>
        {
            "listbox"
        }
        "select" => "combobox",
        "textarea" => "textbox",
        "input" => match e
            .attribute("type")
            .map(|t| t.to_ascii_lowercase())
            .as_deref()
        {
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
        "optgroup" => "group",
        "datalist" => "listbox",
        "tr" | "thead" | "tbody" | "tfoot" | "td" | "th" => return table_part_role(el),
        "section"
            if el.value().attribute("aria-label").is_some()
                || el.value().attribute("aria-labelledby").is_some() =>
        {
            "region"
        }
        _ => return None,
    })
}

/// Rows, row groups and cells take their role from their table (HTML-AAM): none unless the
/// nearest `table` is exposed as a table, grid or treegrid; cells of a grid are grid cells.
fn table_part_role(el: ElementRef<'_>) -> Option<&'static str> {
    let table = el
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "table")?;
    let table_role = resolved_role(table);
    let grid = match table_role.as_deref() {
        Some("table") => false,
        Some("grid") | Some("treegrid") => true,
        _ => return None,
    };
    let e = el.value();
    Some(match e.name() {
        "tr" => "row",
        "thead" | "tbody" | "tfoot" => "rowgroup",
        "td" if grid => "gridcell",
        "td" => "cell",
        _ => header_cell_role(el),
    })
}

/// A `th` heads its row when `scope` says so, or when it is not in the table head and its row
/// holds data cells; else it heads its column (browsers' heuristic, simplified).
fn header_cell_role(th: ElementRef<'_>) -> &'static str {
    match th
        .value()
        .attribute("scope")
        .map(|s| s.trim().to_ascii_lowercase())
        .as_deref()
    {
        Some("row") | Some("rowgroup") => return "rowheader",
        Some("col") | Some("colgroup") => return "columnheader",
        _ => {}
    }
    let in_head = th
        .parent()
        .and_then(ElementRef::wrap)
        .and_then(|tr| tr.parent())
        .and_then(ElementRef::wrap)
        .is_some_and(|g| g.value().name() == "thead");
    let row_has_data = th.parent().and_then(ElementRef::wrap).is_some_and(|tr| {
        tr.children()
            .filter_map(ElementRef::wrap)
            .any(|c| c.value().name() == "td")
    });
    if !in_head && row_has_data {
        "rowheader"
    } else {
        "columnheader"
    }
}

fn inside_sectioning(el: ElementRef<'_>) -> bool {
    el.ancestors().any(|a| {
        a.value()
            .as_element()
            .map(|e| matches!(e.name(), "article" | "aside" | "main" | "nav" | "section"))
            .unwrap_or(false)
    })
}

/// Focusable by markup alone (natively focusable or any integer `tabindex`, even negative),
/// not disabled: what ARIA conflict resolution looks at.
pub fn is_focusable(el: ElementRef<'_>) -> bool {
    if el.value().attribute("disabled").is_some() {
        return false;
    }
    super::focus::tabindex(el).is_some() || super::focus::is_natively_focusable(el)
}

/// ARIA 1.2 global states and properties (except `aria-hidden`): any of them on an element
/// with `role="none|presentation"` cancels the presentational role.
pub const GLOBAL_ARIA: &[&str] = &[
    "aria-atomic",
    "aria-busy",
    "aria-controls",
    "aria-current",
    "aria-describedby",
    "aria-details",
    "aria-dropeffect",
    "aria-flowto",
    "aria-grabbed",
    "aria-keyshortcuts",
    "aria-label",
    "aria-labelledby",
    "aria-live",
    "aria-owns",
    "aria-relevant",
    "aria-roledescription",
];

/// The global ARIA attributes present on the element.
pub fn global_aria_attrs(el: ElementRef<'_>) -> Vec<&'static str> {
    // Most elements have none: told by one pass over their attributes, names compared as
    // atoms, before the list is searched name by name (which read each name back as text).
    static GLOBAL_ARIA_ATOMS: std::sync::LazyLock<crate::page::AtomSet> =
        std::sync::LazyLock::new(|| crate::page::AtomSet::new(GLOBAL_ARIA));
    let any = el
        .value()
        .attrs
        .iter()
        .any(|(q, _)| q.ns == html5ever::ns!() && GLOBAL_ARIA_ATOMS.contains(&q.local));
    if !any {
        return Vec::new();
    }
    GLOBAL_ARIA
        .iter()
        .copied()
        .filter(|a| el.value().attribute(a).is_some())
        .collect()
}

/// Whether a `none`/`presentation` role really applies (ARIA conflict resolution: it is
/// ignored on focusable elements and on elements with a global ARIA attribute).
pub fn presentational_role_applies(el: ElementRef<'_>) -> bool {
    !is_focusable(el) && global_aria_attrs(el).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::Page;

    fn page(html: &str) -> Page {
        Page::parse(url::Url::parse("http://t.test/").expect("url"), html)
    }

    /// The global ARIA attributes found through the atoms' pass are those the list's
    /// lookups by name find, in the list's order, on every element of every fixture page.
    #[test]
    fn global_aria_attributes_as_the_lookups_by_name_find_them() {
        let mut with = 0;
        for (_, html) in crate::page::fixture_pages() {
            let p = page(&html);
            for el in p.root().descendants().filter_map(ElementRef::wrap) {
                let by_name: Vec<&str> = GLOBAL_ARIA
                    .iter()
                    .copied()
                    .filter(|a| el.value().attribute(a).is_some())
                    .collect();
                with += usize::from(!by_name.is_empty());
                assert_eq!(global_aria_attrs(el), by_name);
            }
        }
        assert!(with > 20, "{with}");
    }

    #[test]
    fn focusable_and_presentational_conflicts() {
        let p = page(
            r#"<img id=a role=none tabindex=0 src=x><img id=b role=none src=x><svg id=c role=none aria-label=x></svg><button id=d disabled>x</button>"#,
        );
        let get = |id: &str| p.element_by_id(id).expect("element");
        assert!(is_focusable(get("a")));
        assert!(!presentational_role_applies(get("a")));
        assert!(presentational_role_applies(get("b")));
        assert!(!presentational_role_applies(get("c")));
        assert!(!is_focusable(get("d")));
    }

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
    fn table_parts_take_their_role_from_the_table() {
        let html = r#"<table><thead><tr id=tr><th id=h>A</th></tr></thead>
            <tbody id=tb><tr><th id=rh>B</th><td id=c>1</td></tr></tbody></table>
            <table role=grid><tr><td id=gc>1</td><th id=sc scope=row>x</th></tr></table>
            <table role=presentation><tr id=ptr><td id=pc>1</td></tr></table>
            <select id=m multiple><optgroup id=og label=g><option>a</option></optgroup></select>
            <select id=s size=4></select><select id=cb></select>"#;
        let page = Page::parse(url::Url::parse("http://t.test/").expect("url"), html);
        let r = |id: &str| implicit_role(page.element_by_id(id).expect(id));
        assert_eq!(r("tr"), Some("row"));
        assert_eq!(r("h"), Some("columnheader"));
        assert_eq!(r("tb"), Some("rowgroup"));
        assert_eq!(r("rh"), Some("rowheader"));
        assert_eq!(r("c"), Some("cell"));
        assert_eq!(r("gc"), Some("gridcell"));
        assert_eq!(r("sc"), Some("rowheader"));
        assert_eq!(r("ptr"), None);
        assert_eq!(r("pc"), None);
        assert_eq!(r("m"), Some("listbox"));
        assert_eq!(r("og"), Some("group"));
        assert_eq!(r("s"), Some("listbox"));
        assert_eq!(r("cb"), Some("combobox"));
    }

    #[test]
    fn presentational_image_has_no_name() {
        let html = r#"<h1 id=h><img src=a.png alt="Logo" role="presentation"></h1>
            <h2 id=k><img src=a.png alt="Logo"></h2>"#;
        let page = Page::parse(url::Url::parse("http://t.test/").expect("url"), html);
        let name = |id: &str| {
            crate::a11y::accessible_name(&page, page.element_by_id(id).expect(id)).to_string()
        };
        assert_eq!(name("h"), "");
        assert_eq!(name("k"), "Logo");
    }
}
