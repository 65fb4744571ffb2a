//! Stylesheet parsing with cssparser: style rules (selector text + declarations) in cascade
//! order, with `@media` evaluated, `@layer` ranked and the rest skipped with a note.

use cssparser::{
    AtRuleParser, CowRcStr, DeclarationParser, ParseError, Parser, ParserState,
    QualifiedRuleParser, RuleBodyItemParser, RuleBodyParser, StyleSheetParser,
};

use super::media::{self, MediaMatch, Orientation};
use crate::format::truncate_chars;

/// Work bounds so a hostile stylesheet cannot stall an audit.
pub const MAX_RULES: usize = 50_000;
const MAX_BLOCK_DEPTH: usize = 12;

/// Bits of [`CssRule::orientations`]: the rule applies in landscape (the audited desktop),
/// in portrait, or under an `@media` naming `orientation` that could not be evaluated.
pub const LANDSCAPE: u8 = 1;
pub const PORTRAIT: u8 = 1 << 1;
pub const UNDECIDED: u8 = 1 << 2;
const BOTH: u8 = LANDSCAPE | PORTRAIT;

/// One declaration, property name lower-cased, value as written (without `!important`).
#[derive(Debug, Clone, PartialEq)]
pub struct Declaration {
    pub name: String,
    pub value: String,
    pub important: bool,
}

/// A style rule that applies on the audited viewport.
#[derive(Debug, Clone)]
pub struct CssRule {
    pub selector_text: String,
    pub declarations: Vec<Declaration>,
    /// Index of the stylesheet in `page.stylesheets` (`usize::MAX` for the UA sheet).
    pub sheet: usize,
    /// Cascade layer rank: unlayered rules get `u32::MAX`; layers in order of first mention.
    pub layer: u32,
    /// Orientations in which the enclosing `@media` conditions hold ([`LANDSCAPE`],
    /// [`PORTRAIT`], [`UNDECIDED`] bits). Only [`ParsedCss::for_orientations`] keeps rules
    /// that do not apply in landscape.
    pub orientations: u8,
}

/// All rules of a page plus what was skipped.
#[derive(Debug, Default)]
pub struct ParsedCss {
    pub rules: Vec<CssRule>,
    /// Rules that may apply or not: inside an `@media` we cannot evaluate (the viewport
    /// decides). Not cascaded; they only make what they set uncertain.
    pub maybe_rules: Vec<CssRule>,
    pub notes: Vec<String>,
    layers: Vec<String>,
    truncated: bool,
    /// Keep the rules of both orientations (not only those of the audited landscape viewport).
    both_orientations: bool,
}

impl ParsedCss {
    /// A parse that keeps the rules that apply in portrait as well as in landscape, each with
    /// its [`CssRule::orientations`] (for the orientation rule; never cascaded).
    pub fn for_orientations() -> ParsedCss {
        ParsedCss {
            both_orientations: true,
            ..ParsedCss::default()
        }
    }

    /// Orientations whose rules this parse keeps.
    fn live(&self) -> u8 {
        if self.both_orientations {
            BOTH
        } else {
            LANDSCAPE
        }
    }

    fn note(&mut self, n: String) {
        if self.notes.len() < 50 && !self.notes.contains(&n) {
            self.notes.push(n);
        }
    }

    fn layer_rank(&mut self, name: &str) -> u32 {
        if let Some(i) = self.layers.iter().position(|l| l == name) {
            return i as u32;
        }
        self.layers.push(name.to_string());
        (self.layers.len() - 1) as u32
    }

    /// Parse one stylesheet (already known to apply for its `media` attribute).
    pub fn add_sheet(&mut self, text: &str, sheet: usize) {
        self.add_sheet_in(text, sheet, BOTH);
    }

    /// Parse one stylesheet whose `media` holds in the given orientations.
    pub fn add_sheet_in(&mut self, text: &str, sheet: usize, orientations: u8) {
        let mut input = Parser::new(text);
        let mut p = TopParser {
            out: self,
            sheet,
            depth: 0,
            layer: u32::MAX,
            anon_layers: 0,
            mask: orientations,
        };
        parse_rule_list(&mut input, &mut p);
    }

    /// Parse a stylesheet whose `media` we cannot evaluate: all its rules may apply.
    pub fn add_maybe_sheet(&mut self, text: &str, sheet: usize) {
        let mut one = ParsedCss::default();
        one.add_sheet(text, sheet);
        for rule in one.rules.into_iter().chain(one.maybe_rules) {
            if self.maybe_rules.len() < MAX_RULES {
                self.maybe_rules.push(rule);
            }
        }
    }
}

/// The rest of a prelude (or value) as written, trimmed.
fn rest_of(input: &mut Parser<'_>) -> String {
    let start = input.position();
    while input.next().is_ok() {}
    input.slice_from(start).trim().to_string()
}

/// The orientations in which an `@media` block applies (`LANDSCAPE`, `PORTRAIT` bits), or
/// `None` with a note when the query cannot be evaluated. The desktop viewport is landscape, so
/// the `LANDSCAPE` bit is what the cascade uses.
fn media_match(prelude: &str, mut note: impl FnMut(String)) -> Option<u8> {
    let landscape = match media::evaluate(prelude) {
        MediaMatch::Yes => LANDSCAPE,
        MediaMatch::No => 0,
        MediaMatch::Unknown(why) => {
            note(format!("@media ignoré : {why}"));
            return None;
        }
    };
    // Only the orientation feature differs, but `and` may hide another feature behind it:
    // `(orientation: portrait) and (min-aspect-ratio: 1/2)` is decided in landscape only.
    let portrait = match media::evaluate_in(prelude, Orientation::Portrait) {
        MediaMatch::Yes => PORTRAIT,
        MediaMatch::No => 0,
        MediaMatch::Unknown(_) => PORTRAIT | UNDECIDED,
    };
    Some(landscape | portrait)
}

/// The orientations of a block with condition `applies` inside a block holding in `outer`: both
/// must hold; doubt (`UNDECIDED`) on either side stays.
fn within(outer: u8, applies: u8) -> u8 {
    (outer & (applies | UNDECIDED)) | (applies & UNDECIDED)
}

/// Whether a media query names the orientation feature (then an undecidable query may still
/// lock an orientation).
fn names_orientation(prelude: &str) -> bool {
    prelude.to_ascii_lowercase().contains("orientation")
}

/// Feature queries: a modern browser is assumed to support what is asked, except under `not`.
fn supports_applies(prelude: &str) -> bool {
    !prelude.to_ascii_lowercase().starts_with("not")
}

fn parse_rule_list<'i>(input: &mut Parser<'i>, p: &mut TopParser<'_>) {
    let iter = StyleSheetParser::new(input, p);
    for item in iter {
        // Invalid rules are skipped, as browsers do.
        let _ = item;
    }
}

struct TopParser<'a> {
    out: &'a mut ParsedCss,
    sheet: usize,
    depth: usize,
    layer: u32,
    anon_layers: u32,
    /// Orientations in which the enclosing conditions hold.
    mask: u8,
}

enum AtPrelude {
    /// A conditional block and the orientations in which it applies (0: never).
    Block(u8),
    /// An `@media` block that may apply or not; `true` when its query names `orientation`.
    Maybe(bool),
    Layer(Option<String>),
    Skip,
}

impl<'i> AtRuleParser<'i> for TopParser<'_> {
    type Prelude = AtPrelude;
    type AtRule = ();
    type Error = ();

    fn parse_prelude(
        &mut self,
        name: CowRcStr<'i>,
        input: &mut Parser<'i>,
    ) -> Result<AtPrelude, ParseError<()>> {
        let prelude = rest_of(input);
        let name = name.to_ascii_lowercase();
        Ok(match name.as_str() {
            "media" => match media_match(&prelude, |n| self.out.note(n)) {
                Some(applies) => AtPrelude::Block(applies),
                None => AtPrelude::Maybe(names_orientation(&prelude)),
            },
            "supports" => AtPrelude::Block(if supports_applies(&prelude) { BOTH } else { 0 }),
            "layer" => {
                if prelude.contains(',') || input.is_exhausted() {
                    for l in prelude.split(',') {
                        let l = l.trim();
                        if !l.is_empty() {
                            self.out.layer_rank(l);
                        }
                    }
                }
                AtPrelude::Layer(if prelude.is_empty() {
                    None
                } else {
                    Some(prelude)
                })
            }
            "import" => {
                self.out.note(format!(
                    "@import non chargé : {}",
                    truncate_chars(&prelude, 121)
                ));
                AtPrelude::Skip
            }
            "container" | "scope" => {
                self.out
                    .note(format!("@{name} non évalué : règles ignorées"));
                AtPrelude::Skip
            }
            _ => AtPrelude::Skip,
        })
    }

    fn rule_without_block(&mut self, prelude: AtPrelude, _start: &ParserState) -> Result<(), ()> {
        let _ = prelude;
        Ok(())
    }

    fn parse_block(
        &mut self,
        prelude: AtPrelude,
        _start: &ParserState,
        input: &mut Parser<'i>,
    ) -> Result<(), ParseError<()>> {
        if self.depth >= MAX_BLOCK_DEPTH {
            self.out
                .note("blocs CSS trop imbriqués : ignorés".to_string());
            return Ok(());
        }
        let mut mask = self.mask;
        let layer = match prelude {
            AtPrelude::Skip => return Ok(()),
            AtPrelude::Block(applies) => {
                mask = within(mask, applies);
                if mask & self.out.live() == 0 {
                    return Ok(());
                }
                self.layer
            }
            AtPrelude::Maybe(orientation) if orientation && self.out.both_orientations => {
                // May lock an orientation: kept, marked undecided (never cascaded).
                mask |= UNDECIDED;
                self.layer
            }
            AtPrelude::Maybe(_) => {
                // Parsed apart (its layers and notes do not count), kept as maybe-rules.
                let mut scratch = ParsedCss::default();
                let mut inner = TopParser {
                    out: &mut scratch,
                    sheet: self.sheet,
                    depth: self.depth + 1,
                    layer: self.layer,
                    anon_layers: 0,
                    mask: self.mask,
                };
                parse_rule_list(input, &mut inner);
                for rule in scratch.rules.into_iter().chain(scratch.maybe_rules) {
                    if self.out.maybe_rules.len() < MAX_RULES {
                        self.out.maybe_rules.push(rule);
                    }
                }
                return Ok(());
            }
            AtPrelude::Layer(name) => {
                let name = name.unwrap_or_else(|| {
                    self.anon_layers += 1;
                    format!("\u{0}anon{}-{}", self.sheet, self.anon_layers)
                });
                self.out.layer_rank(&name)
            }
        };
        let mut inner = TopParser {
            out: &mut *self.out,
            sheet: self.sheet,
            depth: self.depth + 1,
            layer,
            anon_layers: self.anon_layers,
            mask,
        };
        parse_rule_list(input, &mut inner);
        self.anon_layers = inner.anon_layers;
        Ok(())
    }
}

impl<'i> QualifiedRuleParser<'i> for TopParser<'_> {
    type Prelude = String;
    type QualifiedRule = ();
    type Error = ();

    fn parse_prelude(&mut self, input: &mut Parser<'i>) -> Result<String, ParseError<()>> {
        Ok(rest_of(input))
    }

    fn parse_block(
        &mut self,
        prelude: String,
        _start: &ParserState,
        input: &mut Parser<'i>,
    ) -> Result<(), ParseError<()>> {
        if self.out.rules.len() >= MAX_RULES {
            if !self.out.truncated {
                self.out.truncated = true;
                self.out.note(format!(
                    "plus de {MAX_RULES} règles CSS : les suivantes sont ignorées"
                ));
            }
            return Ok(());
        }
        let mut notes = Vec::new();
        let items = parse_style_block(input, self.depth, self.out.live(), &mut notes);
        for n in notes {
            self.out.note(n);
        }
        self.push_nested(&prelude, items, self.mask);
        Ok(())
    }
}

impl TopParser<'_> {
    /// A style rule and its nested rules (CSS Nesting), flattened: a nested selector is its
    /// parent's `:is(…)` with `&` replaced, or as a descendant when it has no `&` — the
    /// desugaring the spec gives, specificity included.
    fn push_nested(&mut self, selector: &str, items: Vec<BodyItem>, mask: u8) {
        let mut declarations = Vec::new();
        let mut nested = Vec::new();
        for item in items {
            match item {
                BodyItem::Decl(d) => declarations.push(d),
                BodyItem::Rule {
                    selector: child,
                    items,
                } => nested.push((nest_selector(selector, &child), items, mask)),
                BodyItem::Conditional(applies, items) => {
                    nested.push((selector.to_string(), items, within(mask, applies)))
                }
            }
        }
        if !declarations.is_empty() && self.out.rules.len() < MAX_RULES {
            self.out.rules.push(CssRule {
                selector_text: selector.to_string(),
                declarations,
                sheet: self.sheet,
                layer: self.layer,
                orientations: mask,
            });
        }
        for (child, items, mask) in nested {
            self.push_nested(&child, items, mask);
        }
    }
}

/// The selector of a nested rule, from its parent's.
fn nest_selector(parent: &str, child: &str) -> String {
    let parent_is = format!(":is({parent})");
    super::select::split_list(child)
        .iter()
        .map(|part| {
            let part = part.trim();
            if part.contains('&') {
                part.replace('&', &parent_is)
            } else {
                // Relative: `.b` is a descendant, `> .b` a child…
                format!("{parent_is} {part}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a style rule's block holds: declarations, nested style rules, and nested conditional
/// rules (`@media`, `@supports`, with the orientations where they apply) whose content applies
/// to the same selector.
enum BodyItem {
    Decl(Declaration),
    Rule {
        selector: String,
        items: Vec<BodyItem>,
    },
    Conditional(u8, Vec<BodyItem>),
}

fn parse_style_block(
    input: &mut Parser<'_>,
    depth: usize,
    live: u8,
    notes: &mut Vec<String>,
) -> Vec<BodyItem> {
    let mut p = NestParser { depth, live, notes };
    let items: Vec<BodyItem> = RuleBodyParser::new(input, &mut p)
        .flatten()
        .flatten()
        .collect();
    items
}

/// Parses a style rule's block, nested rules included (bounded depth).
struct NestParser<'n> {
    depth: usize,
    /// Orientations whose rules are kept (see [`ParsedCss::live`]).
    live: u8,
    notes: &'n mut Vec<String>,
}

impl<'i> DeclarationParser<'i> for NestParser<'_> {
    type Declaration = Option<BodyItem>;
    type Error = ();

    fn parse_value(
        &mut self,
        name: CowRcStr<'i>,
        input: &mut Parser<'i>,
        start: &ParserState,
    ) -> Result<Option<BodyItem>, ParseError<()>> {
        DeclParser
            .parse_value(name, input, start)
            .map(|d| d.map(BodyItem::Decl))
    }
}

impl<'i> QualifiedRuleParser<'i> for NestParser<'_> {
    type Prelude = String;
    type QualifiedRule = Option<BodyItem>;
    type Error = ();

    fn parse_prelude(&mut self, input: &mut Parser<'i>) -> Result<String, ParseError<()>> {
        Ok(rest_of(input))
    }

    fn parse_block(
        &mut self,
        prelude: String,
        _start: &ParserState,
        input: &mut Parser<'i>,
    ) -> Result<Option<BodyItem>, ParseError<()>> {
        if self.depth + 1 >= MAX_BLOCK_DEPTH {
            self.notes
                .push("blocs CSS trop imbriqués : ignorés".to_string());
            return Ok(None);
        }
        let items = parse_style_block(input, self.depth + 1, self.live, self.notes);
        Ok(Some(BodyItem::Rule {
            selector: prelude,
            items,
        }))
    }
}

impl<'i> AtRuleParser<'i> for NestParser<'_> {
    /// The orientations where the block applies (`None`: skipped).
    type Prelude = Option<u8>;
    type AtRule = Option<BodyItem>;
    type Error = ();

    fn parse_prelude(
        &mut self,
        name: CowRcStr<'i>,
        input: &mut Parser<'i>,
    ) -> Result<Option<u8>, ParseError<()>> {
        let prelude = rest_of(input);
        let name = name.to_ascii_lowercase();
        Ok(match name.as_str() {
            // An undecidable nested query is skipped, as before (never cascaded).
            "media" => Some(media_match(&prelude, |n| self.notes.push(n)).unwrap_or(0)),
            "supports" => Some(if supports_applies(&prelude) { BOTH } else { 0 }),
            _ => {
                self.notes
                    .push(format!("@{name} imbriqué non évalué : règles ignorées"));
                None
            }
        })
    }

    fn parse_block(
        &mut self,
        prelude: Option<u8>,
        _start: &ParserState,
        input: &mut Parser<'i>,
    ) -> Result<Option<BodyItem>, ParseError<()>> {
        let applies = prelude.unwrap_or(0);
        if applies & self.live == 0 || self.depth + 1 >= MAX_BLOCK_DEPTH {
            return Ok(None);
        }
        let items = parse_style_block(input, self.depth + 1, self.live, self.notes);
        Ok(Some(BodyItem::Conditional(applies, items)))
    }
}

impl<'i> RuleBodyItemParser<'i, Option<BodyItem>, ()> for NestParser<'_> {
    fn parse_declarations(&self) -> bool {
        true
    }
    fn parse_qualified(&self) -> bool {
        true
    }
}

/// Parse the declarations of a block or a `style` attribute.
pub fn parse_declarations(text: &str) -> Vec<Declaration> {
    let mut input = Parser::new(text);
    parse_declaration_block(&mut input)
}

fn parse_declaration_block(input: &mut Parser<'_>) -> Vec<Declaration> {
    let mut dp = DeclParser;
    let mut out = Vec::new();
    for d in RuleBodyParser::new(input, &mut dp).flatten().flatten() {
        out.push(d);
    }
    out
}

struct DeclParser;

impl<'i> DeclarationParser<'i> for DeclParser {
    type Declaration = Option<Declaration>;
    type Error = ();

    fn parse_value(
        &mut self,
        name: CowRcStr<'i>,
        input: &mut Parser<'i>,
        _start: &ParserState,
    ) -> Result<Option<Declaration>, ParseError<()>> {
        let start = input.position();
        while input.next().is_ok() {}
        let raw = input.slice_from(start).trim();
        let (value, important) = strip_important(raw);
        let name = if name.starts_with("--") {
            name.to_string()
        } else {
            name.to_ascii_lowercase()
        };
        Ok(Some(Declaration {
            name,
            value: value.to_string(),
            important,
        }))
    }
}

impl<'i> AtRuleParser<'i> for DeclParser {
    type Prelude = ();
    type AtRule = Option<Declaration>;
    type Error = ();
}

impl<'i> QualifiedRuleParser<'i> for DeclParser {
    type Prelude = ();
    type QualifiedRule = Option<Declaration>;
    type Error = ();
}

impl<'i> RuleBodyItemParser<'i, Option<Declaration>, ()> for DeclParser {
    fn parse_declarations(&self) -> bool {
        true
    }
    fn parse_qualified(&self) -> bool {
        false
    }
}

fn strip_important(raw: &str) -> (&str, bool) {
    if let Some(bang) = raw.rfind('!') {
        let tail = raw[bang + 1..].trim();
        if tail.eq_ignore_ascii_case("important") {
            return (raw[..bang].trim_end(), true);
        }
    }
    (raw, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ParsedCss {
        let mut p = ParsedCss::default();
        p.add_sheet(text, 0);
        p
    }

    #[test]
    fn nested_rules_are_flattened_as_the_spec_desugars_them() {
        let p = parse(
            ".carte, .bloc { color: #000;
                & .note { color: #aaa }
                .autre, > .enfant { color: #bbb }
                &:hover { color: red }
                @media (min-width: 600px) { background: #eee; .large { color: #111 } }
                @media print { color: blue }
                .n1 { .n2 { color: #222 } }
            }",
        );
        let got: Vec<(&str, &str)> = p
            .rules
            .iter()
            .map(|r| (r.selector_text.as_str(), r.declarations[0].value.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (".carte, .bloc", "#000"),
                (":is(.carte, .bloc) .note", "#aaa"),
                (
                    ":is(.carte, .bloc) .autre, :is(.carte, .bloc) > .enfant",
                    "#bbb"
                ),
                (":is(.carte, .bloc):hover", "red"),
                (".carte, .bloc", "#eee"),
                (":is(.carte, .bloc) .large", "#111"),
                (":is(:is(.carte, .bloc) .n1) .n2", "#222"),
            ]
        );
        // Deep nesting is bounded and said.
        let deep = format!("{}color: red{}", ".a {".repeat(40), "}".repeat(40));
        let p = parse(&deep);
        assert!(p.rules.len() < 40);
        assert!(
            p.notes.iter().any(|n| n.contains("trop imbriqués")),
            "{:?}",
            p.notes
        );
    }

    #[test]
    fn rules_declarations_and_important() {
        let p = parse(
            "p, .a > b { color: red !important; background: #fff } \n\
             /* comment */ h1{font-size:2em;;color:rgb(0 0 0 / 50%)}",
        );
        assert_eq!(p.rules.len(), 2);
        assert_eq!(p.rules[0].selector_text, "p, .a > b");
        assert_eq!(
            p.rules[0].declarations[0],
            Declaration {
                name: "color".into(),
                value: "red".into(),
                important: true
            }
        );
        assert_eq!(p.rules[1].declarations[1].value, "rgb(0 0 0 / 50%)");
    }

    #[test]
    fn media_layers_and_garbage() {
        let p = parse(
            "@media print { p { color: red } } @media screen { p { color: blue } }\n\
             @media (min-aspect-ratio: 1/1) { p { color: green } }\n\
             @layer base { a { color: red } } b { color: blue }\n\
             @import url(x.css); @font-face { font-family: x }",
        );
        let sels: Vec<_> = p.rules.iter().map(|r| r.selector_text.as_str()).collect();
        assert_eq!(sels, ["p", "a", "b"]);
        assert_eq!(p.rules[1].layer, 0);
        assert_eq!(p.rules[2].layer, u32::MAX);
        assert!(p.notes.iter().any(|n| n.contains("aspect-ratio")));
        assert!(p.notes.iter().any(|n| n.contains("@import")));
        for garbage in [
            "}}}{{{",
            "p { color: ",
            "@media { @media { @media",
            "\u{0}\u{fffd}",
            "a{b:c}}}}d{e:f",
        ] {
            let _ = parse(garbage);
        }
        let deep = "@media screen {".repeat(10_000);
        let p = parse(&deep);
        assert!(p.rules.is_empty());
    }

    #[test]
    fn inline_style_attribute() {
        let d = parse_declarations("color: #777; background-color : white !IMPORTANT; bad");
        assert_eq!(d.len(), 2);
        assert!(d[1].important);
        assert_eq!(d[1].value, "white");
    }
}
