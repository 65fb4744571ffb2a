//! WAI-ARIA 1.2 data needed by the ARIA rules: roles, attributes, value types, required and
//! supported attributes per role. Written from the ARIA 1.2 specification (plus DPUB-ARIA and
//! Graphics-ARIA role names).

/// Concrete (non-abstract) roles of ARIA 1.2 and its modules.
const ROLES: &[&str] = &[
    "alert",
    "alertdialog",
    "application",
    "article",
    "banner",
    "blockquote",
    "button",
    "caption",
    "cell",
    "checkbox",
    "code",
    "columnheader",
    "combobox",
    "comment",
    "complementary",
    "contentinfo",
    "definition",
    "deletion",
    "dialog",
    "directory",
    "document",
    "emphasis",
    "feed",
    "figure",
    "form",
    "generic",
    "grid",
    "gridcell",
    "group",
    "heading",
    "img",
    "image",
    "insertion",
    "link",
    "list",
    "listbox",
    "listitem",
    "log",
    "main",
    "mark",
    "marquee",
    "math",
    "menu",
    "menubar",
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "meter",
    "navigation",
    "none",
    "note",
    "option",
    "paragraph",
    "presentation",
    "progressbar",
    "radio",
    "radiogroup",
    "region",
    "row",
    "rowgroup",
    "rowheader",
    "scrollbar",
    "search",
    "searchbox",
    "separator",
    "slider",
    "spinbutton",
    "status",
    "strong",
    "subscript",
    "suggestion",
    "superscript",
    "switch",
    "tab",
    "table",
    "tablist",
    "tabpanel",
    "term",
    "textbox",
    "time",
    "timer",
    "toolbar",
    "tooltip",
    "tree",
    "treegrid",
    "treeitem",
    // Graphics-ARIA
    "graphics-document",
    "graphics-object",
    "graphics-symbol",
];

/// Abstract roles: never valid in content.
const ABSTRACT_ROLES: &[&str] = &[
    "command",
    "composite",
    "input",
    "landmark",
    "range",
    "roletype",
    "section",
    "sectionhead",
    "select",
    "structure",
    "widget",
    "window",
];

/// DPUB-ARIA roles (without the `doc-` prefix).
const DPUB_ROLES: &[&str] = &[
    "abstract",
    "acknowledgments",
    "afterword",
    "appendix",
    "backlink",
    "biblioentry",
    "bibliography",
    "biblioref",
    "chapter",
    "colophon",
    "conclusion",
    "cover",
    "credit",
    "credits",
    "dedication",
    "endnote",
    "endnotes",
    "epigraph",
    "epilogue",
    "errata",
    "example",
    "footnote",
    "foreword",
    "glossary",
    "glossref",
    "index",
    "introduction",
    "noteref",
    "notice",
    "pagebreak",
    "pagefooter",
    "pageheader",
    "pagelist",
    "part",
    "preface",
    "prologue",
    "pullquote",
    "qna",
    "subtitle",
    "tip",
    "toc",
];

/// Whether `role` (one token, any case) is a concrete ARIA role.
pub fn is_valid_role(role: &str) -> bool {
    let r = role.to_ascii_lowercase();
    if let Some(d) = r.strip_prefix("doc-") {
        return DPUB_ROLES.contains(&d);
    }
    ROLES.contains(&r.as_str())
}

pub fn is_abstract_role(role: &str) -> bool {
    ABSTRACT_ROLES.contains(&role.to_ascii_lowercase().as_str())
}

/// Value type of an ARIA attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    TrueFalse,
    TrueFalseUndefined,
    Tristate,
    Integer,
    Number,
    /// One token of the list.
    Token(&'static [&'static str]),
    /// Space-separated tokens of the list.
    TokenList(&'static [&'static str]),
    IdRef,
    IdRefList,
    String,
}

/// Global attributes (allowed on every role), with their value type.
const GLOBAL: &[(&str, ValueType)] = &[
    ("aria-atomic", ValueType::TrueFalse),
    ("aria-braillelabel", ValueType::String),
    ("aria-brailleroledescription", ValueType::String),
    ("aria-busy", ValueType::TrueFalse),
    ("aria-controls", ValueType::IdRefList),
    (
        "aria-current",
        ValueType::Token(&["page", "step", "location", "date", "time", "true", "false"]),
    ),
    ("aria-describedby", ValueType::IdRefList),
    ("aria-description", ValueType::String),
    ("aria-details", ValueType::IdRef),
    // Deprecated as global in ARIA 1.2 but still allowed everywhere.
    ("aria-disabled", ValueType::TrueFalse),
    (
        "aria-dropeffect",
        ValueType::TokenList(&["copy", "execute", "link", "move", "none", "popup"]),
    ),
    ("aria-errormessage", ValueType::IdRef),
    ("aria-flowto", ValueType::IdRefList),
    ("aria-grabbed", ValueType::TrueFalseUndefined),
    (
        "aria-haspopup",
        ValueType::Token(&["false", "true", "menu", "listbox", "tree", "grid", "dialog"]),
    ),
    ("aria-hidden", ValueType::TrueFalseUndefined),
    (
        "aria-invalid",
        ValueType::Token(&["grammar", "false", "spelling", "true"]),
    ),
    ("aria-keyshortcuts", ValueType::String),
    ("aria-label", ValueType::String),
    ("aria-labelledby", ValueType::IdRefList),
    (
        "aria-live",
        ValueType::Token(&["assertive", "off", "polite"]),
    ),
    ("aria-owns", ValueType::IdRefList),
    (
        "aria-relevant",
        ValueType::TokenList(&["additions", "all", "removals", "text"]),
    ),
    ("aria-roledescription", ValueType::String),
];

const VALUE_ROLES: &[&str] = &[
    "meter",
    "progressbar",
    "scrollbar",
    "separator",
    "slider",
    "spinbutton",
];
const POS_ROLES: &[&str] = &[
    "article",
    "comment",
    "listitem",
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "option",
    "radio",
    "row",
    "tab",
    "treeitem",
];

/// Role-specific attributes: value type and the roles supporting them (own or inherited).
const SPECIFIC: &[(&str, ValueType, &[&str])] = &[
    (
        "aria-activedescendant",
        ValueType::IdRef,
        &[
            "application",
            "combobox",
            "grid",
            "group",
            "listbox",
            "menu",
            "menubar",
            "radiogroup",
            "row",
            "searchbox",
            "spinbutton",
            "tablist",
            "textbox",
            "toolbar",
            "tree",
            "treegrid",
        ],
    ),
    (
        "aria-autocomplete",
        ValueType::Token(&["inline", "list", "both", "none"]),
        &["combobox", "searchbox", "textbox"],
    ),
    (
        "aria-checked",
        ValueType::Tristate,
        &[
            "checkbox",
            "menuitemcheckbox",
            "menuitemradio",
            "option",
            "radio",
            "switch",
            "treeitem",
        ],
    ),
    (
        "aria-colcount",
        ValueType::Integer,
        &["grid", "table", "treegrid"],
    ),
    (
        "aria-colindex",
        ValueType::Integer,
        &["cell", "columnheader", "gridcell", "row", "rowheader"],
    ),
    (
        "aria-colindextext",
        ValueType::String,
        &["cell", "columnheader", "gridcell", "row", "rowheader"],
    ),
    (
        "aria-colspan",
        ValueType::Integer,
        &["cell", "columnheader", "gridcell", "rowheader"],
    ),
    (
        "aria-expanded",
        ValueType::TrueFalseUndefined,
        &[
            "application",
            "button",
            "checkbox",
            "columnheader",
            "combobox",
            "gridcell",
            "link",
            "listbox",
            "menuitem",
            "menuitemcheckbox",
            "menuitemradio",
            "row",
            "rowheader",
            "switch",
            "tab",
            "treeitem",
        ],
    ),
    (
        "aria-level",
        ValueType::Integer,
        &["comment", "heading", "listitem", "row", "treeitem"],
    ),
    (
        "aria-modal",
        ValueType::TrueFalse,
        &["alertdialog", "dialog"],
    ),
    (
        "aria-multiline",
        ValueType::TrueFalse,
        &["searchbox", "textbox"],
    ),
    (
        "aria-multiselectable",
        ValueType::TrueFalse,
        &["grid", "listbox", "tablist", "tree", "treegrid"],
    ),
    (
        "aria-orientation",
        ValueType::Token(&["horizontal", "vertical", "undefined"]),
        &[
            "listbox",
            "menu",
            "menubar",
            "radiogroup",
            "scrollbar",
            "separator",
            "slider",
            "tablist",
            "toolbar",
            "tree",
            "treegrid",
        ],
    ),
    (
        "aria-placeholder",
        ValueType::String,
        &["searchbox", "textbox"],
    ),
    ("aria-posinset", ValueType::Integer, POS_ROLES),
    ("aria-pressed", ValueType::Tristate, &["button"]),
    (
        "aria-readonly",
        ValueType::TrueFalse,
        &[
            "checkbox",
            "columnheader",
            "combobox",
            "grid",
            "gridcell",
            "listbox",
            "menuitemcheckbox",
            "menuitemradio",
            "radiogroup",
            "rowheader",
            "searchbox",
            "slider",
            "spinbutton",
            "switch",
            "textbox",
            "treegrid",
        ],
    ),
    (
        "aria-required",
        ValueType::TrueFalse,
        &[
            "checkbox",
            "columnheader",
            "combobox",
            "gridcell",
            "listbox",
            "radiogroup",
            "rowheader",
            "searchbox",
            "spinbutton",
            "switch",
            "textbox",
            "tree",
            "treegrid",
        ],
    ),
    (
        "aria-rowcount",
        ValueType::Integer,
        &["grid", "table", "treegrid"],
    ),
    (
        "aria-rowindex",
        ValueType::Integer,
        &["cell", "columnheader", "gridcell", "row", "rowheader"],
    ),
    (
        "aria-rowindextext",
        ValueType::String,
        &["cell", "columnheader", "gridcell", "row", "rowheader"],
    ),
    (
        "aria-rowspan",
        ValueType::Integer,
        &["cell", "columnheader", "gridcell", "rowheader"],
    ),
    (
        "aria-selected",
        ValueType::TrueFalseUndefined,
        &[
            "columnheader",
            "gridcell",
            "option",
            "row",
            "rowheader",
            "tab",
            "treeitem",
        ],
    ),
    ("aria-setsize", ValueType::Integer, POS_ROLES),
    (
        "aria-sort",
        ValueType::Token(&["ascending", "descending", "none", "other"]),
        &["columnheader", "rowheader"],
    ),
    ("aria-valuemax", ValueType::Number, VALUE_ROLES),
    ("aria-valuemin", ValueType::Number, VALUE_ROLES),
    ("aria-valuenow", ValueType::Number, VALUE_ROLES),
    ("aria-valuetext", ValueType::String, VALUE_ROLES),
];

/// Value type of a known ARIA attribute (`None` for an attribute ARIA does not define).
pub fn value_type(attr: &str) -> Option<ValueType> {
    GLOBAL
        .iter()
        .find(|(a, _)| *a == attr)
        .map(|(_, t)| *t)
        .or_else(|| {
            SPECIFIC
                .iter()
                .find(|(a, _, _)| *a == attr)
                .map(|(_, t, _)| *t)
        })
}

/// Whether `attr` is a global ARIA attribute.
pub fn is_global_attribute(attr: &str) -> bool {
    GLOBAL.iter().any(|(a, _)| a.eq_ignore_ascii_case(attr))
}

/// Whether `attr` is allowed on `role`: global, or supported by the role. Unknown attributes
/// are not allowed.
pub fn is_allowed(attr: &str, role: &str) -> bool {
    GLOBAL.iter().any(|(a, _)| *a == attr)
        || SPECIFIC
            .iter()
            .any(|(a, _, roles)| *a == attr && roles.contains(&role))
}

/// States and properties a role requires when set explicitly (ARIA 1.2).
pub fn required_attributes(role: &str) -> &'static [&'static str] {
    match role {
        "checkbox" | "menuitemcheckbox" | "menuitemradio" | "radio" | "switch" => &["aria-checked"],
        "combobox" => &["aria-expanded"],
        "heading" => &["aria-level"],
        "meter" | "slider" => &["aria-valuenow"],
        "scrollbar" => &["aria-controls", "aria-valuenow"],
        _ => &[],
    }
}

/// Whether `value` (non-empty) is valid for the type.
pub fn is_valid_value(t: ValueType, value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let one_of = |list: &[&str], s: &str| list.contains(&s);
    match t {
        ValueType::TrueFalse => one_of(&["true", "false"], &lower),
        ValueType::TrueFalseUndefined => one_of(&["true", "false", "undefined"], &lower),
        ValueType::Tristate => one_of(&["true", "false", "mixed", "undefined"], &lower),
        ValueType::Integer => {
            let digits = v.strip_prefix('-').unwrap_or(v);
            !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
        }
        ValueType::Number => is_number(v),
        ValueType::Token(list) => one_of(list, &lower),
        ValueType::TokenList(list) => {
            let mut it = lower.split_ascii_whitespace().peekable();
            it.peek().is_some() && it.all(|tok| list.contains(&tok))
        }
        // Any non-empty value is syntactically valid; the target may be added by script.
        ValueType::IdRef => !v.contains(char::is_whitespace),
        ValueType::IdRefList | ValueType::String => true,
    }
}

/// HTML floating-point number syntax.
fn is_number(v: &str) -> bool {
    let s = v.strip_prefix('-').unwrap_or(v);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (mantissa, None),
    };
    let digits = |x: &str| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit());
    let int_ok = digits(int) || (int.is_empty() && frac.is_some_and(digits));
    let frac_ok = frac.is_none_or(digits);
    let exp_ok = exp.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    int_ok && frac_ok && exp_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles() {
        for r in ["button", "BUTTON", "doc-toc", "graphics-symbol", "none"] {
            assert!(is_valid_role(r), "{r}");
        }
        for r in ["btn", "doc-foo", "widget", "range", ""] {
            assert!(!is_valid_role(r), "{r}");
        }
        assert!(is_abstract_role("widget"));
    }

    #[test]
    fn values() {
        let v = |a: &str, x: &str| is_valid_value(value_type(a).expect(a), x);
        assert!(v("aria-expanded", "undefined"));
        assert!(!v("aria-expanded", "collapsed"));
        assert!(v("aria-pressed", "mixed"));
        assert!(!v("aria-pressed", "horizontal"));
        assert!(v("aria-rowindex", "2"));
        assert!(!v("aria-rowindex", "2.5"));
        assert!(v("aria-valuenow", "1.5"));
        assert!(v("aria-valuenow", "-.5e3"));
        assert!(!v("aria-valuenow", "two"));
        assert!(!v("aria-live", "page"));
        assert!(v("aria-relevant", "text removals"));
        assert!(!v("aria-relevant", "text always"));
        assert!(v("aria-errormessage", "my-error"));
        assert!(v("aria-current", "PAGE"));
    }

    #[test]
    fn allowed_and_required() {
        assert!(is_allowed("aria-label", "generic"));
        assert!(is_allowed("aria-pressed", "button"));
        assert!(!is_allowed("aria-pressed", "link"));
        assert!(!is_allowed("aria-foo", "button"));
        assert_eq!(required_attributes("heading"), &["aria-level"]);
        assert!(required_attributes("button").is_empty());
    }
}
