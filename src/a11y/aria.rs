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
    // Borrowed unless it has capitals (nearly never).
    let r = crate::format::ascii_lowercase(role);
    if let Some(d) = r.strip_prefix("doc-") {
        return DPUB_ROLES.contains(&d);
    }
    ROLES.contains(&&*r)
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

/// Roles which cannot be named (ARIA 1.2 § 5.2.8.6 and ARIA 1.3 "Name prohibited"):
/// `aria-label`, `aria-labelledby` and `aria-braillelabel` are prohibited on them.
const NAME_PROHIBITED: &[&str] = &[
    "caption",
    "code",
    "deletion",
    "emphasis",
    "generic",
    "insertion",
    "mark",
    "none",
    "paragraph",
    "presentation",
    "strong",
    "subscript",
    "suggestion",
    "superscript",
    "term",
    "time",
];

/// Whether `role` prohibits an accessible name.
pub fn naming_prohibited(role: &str) -> bool {
    NAME_PROHIBITED.contains(&role)
}

/// Global attributes that `role` nevertheless prohibits (ARIA 1.2/1.3 "Prohibited States and
/// Properties"): naming attributes on roles that cannot be named, role descriptions on
/// `generic` and on presentational roles.
pub fn prohibited_on(attr: &str, role: &str) -> bool {
    match attr {
        "aria-label" | "aria-labelledby" | "aria-braillelabel" => naming_prohibited(role),
        "aria-roledescription" | "aria-brailleroledescription" => {
            matches!(role, "generic" | "none" | "presentation")
        }
        _ => false,
    }
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
        ValueType::Integer => is_integer(v),
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

/// Whether a value already valid for its type is within the bounds ARIA 1.2 sets for the
/// attribute: `aria-level`, `aria-posinset`, `aria-colindex`, `aria-rowindex` are integers
/// "greater than or equal to 1" (a level 0 or -1 is not a level); `aria-setsize` is at least 1,
/// or -1 for an unknown size.
pub fn within_bounds(attr: &str, value: &str) -> bool {
    let Ok(x) = value.trim().parse::<f64>() else {
        return true; // not a number: the type check says so
    };
    match attr {
        "aria-level" | "aria-posinset" | "aria-colindex" | "aria-rowindex" => x >= 1.0,
        "aria-setsize" => x >= 1.0 || x == -1.0,
        _ => true,
    }
}

/// ARIA `number`: "any real numerical value", written as browsers read numbers (JavaScript
/// `Number`, `strtod`): an optional sign, digits with an optional decimal point (`1.`, `.5`),
/// at least one digit, an optional exponent with digits. `+1`, `1.`, `+.1`, `-1.` are numbers;
/// `abc`, `1e`, `.`, `Infinity`, `0x10` are not. Stricter than this (the HTML "valid
/// floating-point number" grammar refuses `+1` and `1.`) would fail values every browser and
/// the ARIA definition accept.
fn is_number(v: &str) -> bool {
    let s = v.strip_prefix(['+', '-']).unwrap_or(v);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((a, b)) => (a, b),
        None => (mantissa, ""),
    };
    let all_digits = |x: &str| x.chars().all(|c| c.is_ascii_digit());
    let digits = |x: &str| !x.is_empty() && all_digits(x);
    let mantissa_ok = all_digits(int) && all_digits(frac) && !(int.is_empty() && frac.is_empty());
    let exp_ok = exp.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mantissa_ok && exp_ok
}

/// ARIA `integer`: "a numerical value without a fractional component": a number (as
/// [`is_number`] reads it) whose value is whole (`+2`, `2.`, `2.0`, `1e2`; not `2.5`).
fn is_integer(v: &str) -> bool {
    is_number(v)
        && v.parse::<f64>()
            .is_ok_and(|x| x.is_finite() && x.fract() == 0.0)
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
        // Numbers as browsers and ARIA read them (were refused: a false failure).
        for ok in ["+1", "1.", "+.1", "-1.", "1.5e3", "-.5E-2", " 7 "] {
            assert!(v("aria-valuenow", ok), "{ok}");
        }
        for bad in [
            "abc", "1e", ".", "+", "1.2.3", "Infinity", "0x10", "1 2", "e5", "--1",
        ] {
            assert!(!v("aria-valuenow", bad), "{bad}");
        }
        for ok in ["+2", "2.", "-3", "2.0", "1e2"] {
            assert!(v("aria-level", ok), "{ok}");
        }
        for bad in ["2.5", "abc", "1e", "+", ".5"] {
            assert!(!v("aria-level", bad), "{bad}");
        }
        assert!(within_bounds("aria-level", "1"));
        assert!(!within_bounds("aria-level", "0"));
        assert!(!within_bounds("aria-posinset", "-1"));
        assert!(within_bounds("aria-setsize", "-1"));
        assert!(!within_bounds("aria-setsize", "0"));
        assert!(within_bounds("aria-valuenow", "-5"));
        assert!(v("aria-current", "PAGE"));
    }

    #[test]
    fn allowed_and_required() {
        assert!(is_allowed("aria-label", "generic"));
        assert!(is_allowed("aria-pressed", "button"));
        assert!(!is_allowed("aria-pressed", "link"));
        assert!(!is_allowed("aria-foo", "button"));
        assert!(prohibited_on("aria-label", "generic"));
        assert!(prohibited_on("aria-labelledby", "paragraph"));
        assert!(prohibited_on("aria-roledescription", "generic"));
        assert!(!prohibited_on("aria-label", "region"));
        assert!(!prohibited_on("aria-describedby", "generic"));
        assert_eq!(required_attributes("heading"), &["aria-level"]);
        assert!(required_attributes("button").is_empty());
    }
}
