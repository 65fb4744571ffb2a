//! Selector preparation: browsers understand pseudo-classes that scraper's selector
//! implementation does not, so each selector is rewritten for the static, unfocused,
//! unhovered page before it is compiled with the `selectors` crate.

use cssparser::Parser as CssParser;
use precomputed_hash::PrecomputedHash;
use scraper::selector::{Parser as ScraperParser, Simple};
use selectors::attr::ParsedAttrSelectorOperation;
use selectors::parser::{Combinator, Component, ParseRelative, Selector, SelectorList};

/// Never matches (an attribute no page uses).
const NEVER: &str = "[__vigie_never__]";
/// Always matches.
const ALWAYS: &str = ":not([__vigie_never__])";
/// Placeholder for a pseudo-class we cannot evaluate.
const UNKNOWN: &str = "\u{1}";
const MAX_NESTING: usize = 8;

/// A selector ready to match.
pub struct Compiled {
    pub selector: Selector<Simple>,
    pub specificity: u32,
    /// Set when the selector contains a pseudo-class we cannot evaluate; `selector` then has
    /// it assumed true and `if_false` has it assumed false.
    pub uncertain: Option<(String, Option<Selector<Simple>>)>,
}

/// Why a selector was not compiled.
#[derive(Debug, PartialEq)]
pub enum Skip {
    /// Targets a pseudo-element (`::before`…): does not style the element itself.
    PseudoElement,
    /// Invalid for browsers too: the whole rule is dropped.
    Invalid,
}

/// Split a selector list at top-level commas.
pub fn split_list(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (_, '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// Rewrite one complex selector's pseudo-classes. Returns the text (with `UNKNOWN` marks)
/// and the first unsupported pseudo-class name.
fn rewrite(sel: &str, depth: usize) -> Result<(String, Option<String>), Skip> {
    if depth > MAX_NESTING {
        return Err(Skip::Invalid);
    }
    let chars: Vec<char> = sel.chars().collect();
    let mut out = String::with_capacity(sel.len());
    let mut unsupported: Option<String> = None;
    let mut i = 0;
    let mut quote: Option<char> = None;
    let mut bracket = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            out.push(c);
            if let Some(n) = chars.get(i + 1) {
                out.push(*n);
            }
            i += 2;
            continue;
        }
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '[' => bracket += 1,
            ']' => bracket -= 1,
            _ => {}
        }
        if c != ':' || bracket > 0 {
            out.push(c);
            i += 1;
            continue;
        }
        // A pseudo-class or pseudo-element.
        let double = chars.get(i + 1) == Some(&':');
        let mut j = i + if double { 2 } else { 1 };
        let name_start = j;
        while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '-' || chars[j] == '_')
        {
            j += 1;
        }
        let name: String = chars[name_start..j]
            .iter()
            .collect::<String>()
            .to_lowercase();
        let mut arg: Option<String> = None;
        if chars.get(j) == Some(&'(') {
            let mut d = 0;
            let mut k = j;
            while k < chars.len() {
                match chars[k] {
                    '(' => d += 1,
                    ')' => {
                        d -= 1;
                        if d == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                k += 1;
            }
            if k >= chars.len() {
                return Err(Skip::Invalid);
            }
            arg = Some(chars[j + 1..k].iter().collect());
            j = k + 1;
        }
        let legacy_pseudo_element = matches!(
            name.as_str(),
            "before" | "after" | "first-line" | "first-letter"
        );
        if double || legacy_pseudo_element {
            return Err(Skip::PseudoElement);
        }
        let replacement: String = match (name.as_str(), &arg) {
            (
                "root" | "empty" | "first-child" | "last-child" | "only-child" | "first-of-type"
                | "last-of-type" | "only-of-type" | "scope",
                None,
            ) => format!(":{name}"),
            ("nth-child" | "nth-last-child" | "nth-of-type" | "nth-last-of-type", Some(a)) => {
                format!(":{name}({a})")
            }
            ("not" | "is" | "where" | "matches" | "any" | "-webkit-any", Some(a)) => {
                let mut parts = Vec::new();
                for part in split_list(a) {
                    match rewrite(part, depth + 1) {
                        Ok((t, u)) => {
                            if unsupported.is_none() {
                                unsupported = u;
                            }
                            parts.push(t);
                        }
                        // :is/:where lists are forgiving about pseudo-elements.
                        Err(Skip::PseudoElement) if name != "not" => parts.push(NEVER.to_string()),
                        Err(e) => return Err(e),
                    }
                }
                let fname = if name == "not" {
                    "not"
                } else if name == "where" {
                    "where"
                } else {
                    "is"
                };
                format!(":{fname}({})", parts.join(","))
            }
            ("link" | "any-link", None) => "[href]".to_string(),
            ("disabled", None) => "[disabled]".to_string(),
            ("enabled", None) => ":not([disabled])".to_string(),
            ("checked", None) => "[checked]".to_string(),
            ("required", None) => "[required]".to_string(),
            ("optional", None) => ":not([required])".to_string(),
            ("read-only", None) => "[readonly]".to_string(),
            ("read-write", None) => ":not([readonly])".to_string(),
            ("placeholder-shown", None) => "[placeholder]".to_string(),
            ("open", None) => "[open]".to_string(),
            ("defined", None) => ALWAYS.to_string(),
            (
                "hover" | "active" | "focus" | "focus-visible" | "focus-within" | "visited"
                | "target" | "target-within" | "user-invalid" | "user-valid" | "fullscreen"
                | "modal" | "popover-open" | "autofill" | "playing" | "paused" | "seeking"
                | "picture-in-picture" | "current" | "past" | "future" | "local-link",
                _,
            ) => NEVER.to_string(),
            (n, _) if n.starts_with("-webkit-") => NEVER.to_string(),
            (
                "has" | "lang" | "dir" | "valid" | "invalid" | "in-range" | "out-of-range"
                | "indeterminate" | "default" | "host" | "host-context" | "state" | "blank",
                _,
            ) => {
                if unsupported.is_none() {
                    unsupported = Some(format!(":{name}"));
                }
                UNKNOWN.to_string()
            }
            _ => return Err(Skip::Invalid),
        };
        out.push_str(&replacement);
        i = j;
    }
    Ok((out, unsupported))
}

fn parse_one(text: &str) -> Option<Selector<Simple>> {
    let mut input = CssParser::new(text);
    let list = SelectorList::parse(&ScraperParser, &mut input, ParseRelative::No).ok()?;
    let mut it = list.slice().iter();
    let first = it.next()?.clone();
    if it.next().is_some() {
        return None;
    }
    Some(first)
}

/// Compile a rule's selector list. `Err(Skip::Invalid)` means browsers drop the whole rule.
pub fn compile_list(text: &str) -> Result<Vec<Compiled>, Skip> {
    let mut out = Vec::new();
    for part in split_list(text) {
        let part = part.trim();
        if part.is_empty() {
            return Err(Skip::Invalid);
        }
        match rewrite(part, 0) {
            Err(Skip::PseudoElement) => continue,
            Err(Skip::Invalid) => return Err(Skip::Invalid),
            Ok((t, unsupported)) => {
                let if_true = t.replace(UNKNOWN, ALWAYS);
                let Some(selector) = parse_one(&if_true) else {
                    return Err(Skip::Invalid);
                };
                let specificity = selector.specificity();
                let uncertain =
                    unsupported.map(|name| (name, parse_one(&t.replace(UNKNOWN, NEVER))));
                out.push(Compiled {
                    selector,
                    specificity,
                    uncertain,
                });
            }
        }
    }
    Ok(out)
}

/// Where a selector is filed for fast lookup: its rightmost compound's id, class or tag.
#[derive(Debug, PartialEq, Eq, Hash, Clone)]
pub enum Bucket {
    Id(String),
    Class(String),
    Tag(String),
    Any,
}

pub fn bucket_of(sel: &Selector<Simple>) -> Bucket {
    let mut class = None;
    let mut tag = None;
    for c in sel.iter() {
        match c {
            Component::ID(id) => return Bucket::Id(id.0.to_string()),
            Component::Class(cl) if class.is_none() => class = Some(cl.0.to_string()),
            Component::LocalName(l) if tag.is_none() => tag = Some(l.lower_name.0.to_string()),
            _ => {}
        }
    }
    match (class, tag) {
        (Some(c), _) => Bucket::Class(c),
        (None, Some(t)) => Bucket::Tag(t),
        _ => Bucket::Any,
    }
}

/// Whether matching `sel` on an element depends only on the element's own name and attributes
/// and on its ancestors (and their siblings): not on the element's own siblings, its position
/// among them, or its content. Two siblings alike in name and in every attribute a selector
/// reads then match it alike, which lets the cascade share their styles.
pub fn subject_is_local(sel: &Selector<Simple>) -> bool {
    let mut iter = sel.iter();
    for c in iter.by_ref() {
        let local = match c {
            Component::LocalName(_)
            | Component::ID(_)
            | Component::Class(_)
            | Component::AttributeInNoNamespaceExists { .. }
            | Component::AttributeInNoNamespace { .. }
            | Component::AttributeOther(_)
            | Component::ExplicitUniversalType
            | Component::ExplicitAnyNamespace
            | Component::ExplicitNoNamespace
            | Component::DefaultNamespace(_)
            | Component::Namespace(..) => true,
            Component::Negation(list) | Component::Is(list) | Component::Where(list) => {
                list.slice().iter().all(subject_is_local)
            }
            // Position (`:nth-child`, `:first-of-type`…), content (`:empty`), `:root`,
            // `:scope`, and anything else: not known to be local.
            _ => false,
        };
        if !local {
            return false;
        }
    }
    // `+` and `~` look at the element's own siblings; `>` and ` ` at its ancestors.
    matches!(
        iter.next_sequence(),
        None | Some(Combinator::Child | Combinator::Descendant)
    )
}

/// The attributes selectors read: by value, or only for being present.
#[derive(Clone, Default, Debug)]
pub struct AttributesRead {
    pub values: rustc_hash::FxHashSet<String>,
    pub presence: rustc_hash::FxHashSet<String>,
}

impl AttributesRead {
    /// Adds what `sel` reads, in every compound and nested list (`id` and `class` included).
    pub fn add(&mut self, sel: &Selector<Simple>) {
        each_component(sel, &mut |c| match c {
            Component::ID(_) => {
                self.values.insert("id".to_string());
            }
            Component::Class(_) => {
                self.values.insert("class".to_string());
            }
            Component::AttributeInNoNamespaceExists {
                local_name_lower, ..
            } => {
                self.presence.insert(local_name_lower.0.to_string());
            }
            Component::AttributeInNoNamespace { local_name, .. } => {
                self.values
                    .insert(local_name.0.to_ascii_lowercase().to_string());
            }
            Component::AttributeOther(a) => {
                let name = a.local_name_lower.0.to_string();
                match a.operation {
                    ParsedAttrSelectorOperation::Exists => self.presence.insert(name),
                    ParsedAttrSelectorOperation::WithValue { .. } => self.values.insert(name),
                };
            }
            _ => {}
        });
    }
}

/// The ids and classes selectors name, with their atoms' hashes: the ancestor filter needs an
/// element's id and class hashes only when some selector names them, and finding them here
/// spares interning each of a page's names (a global lock for every name outside html5ever's
/// static set). An id or class no selector names is left out of the filter: the filter only
/// rejects early, and no selector can ask for it.
#[derive(Clone, Default, Debug)]
pub struct FilterNames(rustc_hash::FxHashMap<String, u32>);

impl FilterNames {
    /// Adds the ids and classes of `sel`, in every compound and nested list.
    pub fn add(&mut self, sel: &Selector<Simple>) {
        each_component(sel, &mut |c| {
            if let Component::ID(name) | Component::Class(name) = c {
                self.0
                    .entry(name.0.to_string())
                    .or_insert_with(|| name.precomputed_hash());
            }
        });
    }

    /// The hash of an id or class some selector names.
    pub fn hash(&self, name: &str) -> Option<u32> {
        self.0.get(name).copied()
    }
}

/// Calls `f` on every component of `sel`, those of nested lists (`:not`, `:is`, `:where`,
/// `:nth-child(… of S)`, `::slotted`, `:host`) included.
fn each_component(sel: &Selector<Simple>, f: &mut impl FnMut(&Component<Simple>)) {
    for c in sel.iter_raw_match_order() {
        f(c);
        match c {
            Component::Negation(list) | Component::Is(list) | Component::Where(list) => {
                for s in list.slice() {
                    each_component(s, f);
                }
            }
            Component::NthOf(data) => {
                for s in data.selectors() {
                    each_component(s, f);
                }
            }
            Component::Slotted(s) | Component::Host(Some(s)) => each_component(s, f),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_pseudo_classes_and_pseudo_elements() {
        let c = compile_list("a:hover, a::before, p:first-child, a:link").expect("valid");
        assert_eq!(c.len(), 3);
        assert!(c.iter().all(|s| s.uncertain.is_none()));
        // a:link has the specificity of a:hover (0,1,1).
        assert_eq!(c[0].specificity, c[2].specificity);
        assert_eq!(compile_list("p::-moz-selection").map(|v| v.len()), Ok(0));
        assert!(compile_list("p:-moz-whatever").is_err());
        assert!(compile_list("p:frobnicate").is_err());
        assert!(compile_list("p,").is_err());
        assert!(compile_list("p:not(").is_err());
        let has = compile_list("div:has(> img) p").expect("valid");
        assert_eq!(
            has[0].uncertain.as_ref().map(|u| u.0.as_str()),
            Some(":has")
        );
        // Escaped colons (utility classes) are not pseudo-classes.
        let tw = compile_list(".md\\:flex").expect("valid");
        assert_eq!(bucket_of(&tw[0].selector), Bucket::Class("md:flex".into()));
    }

    #[test]
    fn local_subjects_and_attributes_read() {
        let local = |s: &str| subject_is_local(&compile_list(s).expect("valid")[0].selector);
        for s in [
            "p",
            ".a .b",
            "ul > li.x[data-k=v]",
            ":not(.a)",
            ":is(.a, .b) > p",
            "li:first-child a",
            "h2 + ul li",
            ":is(.a + .b) .c",
        ] {
            assert!(local(s), "{s} is local");
        }
        for s in [
            "li:first-child",
            "li + li",
            "li ~ li",
            ":not(:last-child)",
            "p:empty",
            ":root",
            ":is(.a + .b)",
            "li:nth-of-type(2)",
            ":where(.a, li:nth-child(2n))",
        ] {
            assert!(!local(s), "{s} depends on siblings, position or content");
        }
        let mut read = AttributesRead::default();
        for s in [
            "a[href$='.pdf'] [data-x]",
            ":not([lang=fr]) > #main",
            "p.note[HIDDEN]",
        ] {
            read.add(&compile_list(s).expect("valid")[0].selector);
        }
        let mut values: Vec<_> = read.values.iter().map(String::as_str).collect();
        values.sort_unstable();
        assert_eq!(values, ["class", "href", "id", "lang"]);
        let mut presence: Vec<_> = read.presence.iter().map(String::as_str).collect();
        presence.sort_unstable();
        assert_eq!(presence, ["data-x", "hidden"]);
    }

    #[test]
    fn buckets() {
        let b = |s: &str| bucket_of(&compile_list(s).expect("valid")[0].selector);
        assert_eq!(b("div .x > p#main.y"), Bucket::Id("main".into()));
        assert_eq!(b("p.note"), Bucket::Class("note".into()));
        assert_eq!(b("ul LI"), Bucket::Tag("li".into()));
        assert_eq!(b("*"), Bucket::Any);
        assert_eq!(b(".a *"), Bucket::Any);
        let deep = ":not(".repeat(50) + "p" + &")".repeat(50);
        assert!(compile_list(&deep).is_err());
    }
}
