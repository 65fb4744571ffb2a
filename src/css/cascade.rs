//! Computed styles for every element of a page, in one iterative pre-order walk.

use crate::page::Attribute;
use std::borrow::Cow;
use std::sync::{Arc, Mutex, OnceLock};

use precomputed_hash::PrecomputedHash;
use rustc_hash::{FxHashMap, FxHashSet};
use scraper::node::Element;
use scraper::selector::Simple;
use scraper::{ElementRef, Node};
use selectors::bloom::BloomFilter;
use selectors::context::{QuirksMode, SelectorCaches};
use selectors::parser::{AncestorHashes, Selector};
use smallvec::SmallVec;

use super::color::{parse_color, ColorValue, Rgba};
use super::media::{self, MediaMatch};
use super::select::{
    bucket_of, compile_list, subject_is_local, AttributesRead, Bucket, FilterNames, Skip,
};
use super::sheet::{parse_declarations, CssRule, Declaration, ParsedCss};
use super::spacing::{self, Declared, LineBox, Property, TextSpacing};
use super::values::{
    clip_hides, filter_is_drop_shadow, filter_is_neutral_shadow, font_size_px, font_weight,
    gradient_stops, has_var, image_kind, length_or_math_px, length_px, parse_background,
    shadow_colors, shadow_is_neutral, split_font_shorthand, split_top_level, substitute,
    substitute_cow, var_names, VarSource,
};
use crate::page::{matches, node_index, Page, SheetsMemo, Stylesheet};

/// The browser defaults that matter for contrast and visibility (Chrome, light scheme).
const UA_SHEET: &str = "
[hidden], head, script, style, template, title, meta, link, base, noscript, datalist, area,
param, input[type=hidden], dialog:not([open]) { display: none }
details:not([open]) > :not(summary:first-of-type) { display: none }
h1 { font-size: 2em; font-weight: bold } h2 { font-size: 1.5em; font-weight: bold }
h3 { font-size: 1.17em; font-weight: bold } h4 { font-weight: bold }
h5 { font-size: .83em; font-weight: bold } h6 { font-size: .67em; font-weight: bold }
b, strong { font-weight: bolder } th { font-weight: bold } legend { font-weight: normal }
small, sub, sup { font-size: smaller } big { font-size: larger }
a:link { color: #0000ee }
button, input[type=button], input[type=submit], input[type=reset] { color: black; background-color: #efefef }
input, textarea, select { color: black; background-color: white }
mark { color: black; background-color: yellow }
";

/// Properties the cascade keeps (longhands and the shorthands that set them).
const PROPS: &[&str] = &[
    "color",
    "background",
    "background-color",
    "background-image",
    "background-size",
    "background-repeat",
    "background-position",
    "padding",
    "padding-top",
    "padding-right",
    "padding-bottom",
    "padding-left",
    "font",
    "font-size",
    "font-weight",
    "visibility",
    "display",
    "position",
    "opacity",
    "text-shadow",
    "filter",
    "backdrop-filter",
    "mix-blend-mode",
    "clip",
    "clip-path",
    "left",
    "top",
    "right",
    "bottom",
    "text-indent",
    "width",
    "height",
    "overflow",
    "-webkit-text-fill-color",
    "-webkit-text-stroke",
    "-webkit-text-stroke-width",
    "background-clip",
    "-webkit-background-clip",
    "background-origin",
    "background-attachment",
    // From here on (`TEXT_LAYOUT_FIRST`): read only for text spacing and line boxes (WCAG
    // 1.4.12), not for contrast.
    "letter-spacing",
    "word-spacing",
    "line-height",
    "max-width",
    "min-width",
    "box-sizing",
    "white-space",
    "text-wrap",
    "text-wrap-mode",
    // Not for contrast either: only for what is rendered (the page's visibility answer).
    "content-visibility",
];

/// The first property of `PROPS` read only for text spacing and line boxes.
const TEXT_LAYOUT_FIRST: &str = "letter-spacing";

/// Index of a property in `PROPS`, at compile time (`slot!("color")`): the cascade reads
/// dozens of properties for every element.
const fn slot_of(name: &str) -> usize {
    let mut i = 0;
    while i < PROPS.len() {
        let (a, b) = (PROPS[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut k = 0;
            while k < a.len() && a[k] == b[k] {
                k += 1;
            }
            if k == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("property not in PROPS")
}

macro_rules! slot {
    ($name:literal) => {{
        const SLOT: usize = slot_of($name);
        SLOT
    }};
}

/// Number of properties the cascade keeps.
const N_PROPS: usize = PROPS.len();
// Slots are kept as bytes between the walk's two passes, and those an element sets as bits.
const _: () = assert!(N_PROPS <= 64);

/// Index of a property in `PROPS` at run time (declarations of `style` attributes; those of
/// style sheets are looked up once per sheet set, in [`RuleSet::slots`]).
fn slot(name: &str) -> Option<usize> {
    static SLOTS: OnceLock<FxHashMap<&'static str, usize>> = OnceLock::new();
    SLOTS
        .get_or_init(|| PROPS.iter().enumerate().map(|(i, p)| (*p, i)).collect())
        .get(name)
        .copied()
}

/// Where a declaration goes in the cascade: a custom property, a kept property's slot, or
/// nowhere (a property no rule reads).
#[derive(Clone, Copy, PartialEq, Eq)]
enum DeclSlot {
    Custom,
    Prop(u8),
    Unused,
}

impl DeclSlot {
    fn of(d: &Declaration) -> DeclSlot {
        if d.name.starts_with("--") {
            return DeclSlot::Custom;
        }
        match slot(&d.name) {
            Some(i) => DeclSlot::Prop(i as u8),
            None => DeclSlot::Unused,
        }
    }
}

/// Cascade priority: (tier, layer, specificity, rule order, declaration order).
type Prio = (u8, u32, u32, u32, u32);

/// An ancestor with `opacity` < 1: the backdrop behind it and its opacity.
type OpacityGroup = (Result<Rgba, String>, f64);

/// Computed style of one element, as much as contrast needs.
#[derive(Debug, Clone)]
pub struct Computed {
    /// Text colour (may be translucent), or why it is unknown.
    pub color: Result<Rgba, String>,
    /// The opaque colour behind this element's content, or why it cannot be known.
    pub backdrop: Result<Rgba, String>,
    /// Font size in px, `None` when it cannot be computed.
    pub font_size: Option<f64>,
    pub font_weight: Option<u16>,
    /// Why this element is not visible (display, visibility, clipping, off-screen…).
    pub hidden: Option<&'static str>,
    /// Whether the `display` a style rule or attribute sets makes an inline box
    /// ([`crate::css::text::inline_display`]); `None` when no rule sets one it can tell: the
    /// element then has its HTML default display (see `page::text`).
    pub display_inline: Option<bool>,
    /// Disabled control, inside a disabled group, or label of a disabled control.
    pub inactive: bool,
    /// Hidden from assistive technologies (`aria-hidden`).
    pub aria_hidden: bool,
    /// Not rendered: `display: none` on this element or an ancestor, set by an author rule,
    /// an inline style, or the browser rule for the `hidden` attribute (the other browser
    /// defaults — `template`, closed `dialog`/`details`, `area` — are left to markup rules).
    pub not_rendered: bool,
    /// Computed `visibility` is `hidden` or `collapse` (inherited; `visible` below shows again).
    pub invisible: bool,
    /// Inside an element with `content-visibility: hidden` (its content is not rendered).
    pub content_skipped: bool,
    /// This element's `content-visibility` is `hidden` (its children are skipped).
    skips_content: bool,
    /// `display`, `visibility` or `content-visibility` of this element or an ancestor may be
    /// changed by a rule we could not evaluate (pseudo-class, `@media`): do not trust
    /// `not_rendered`, `invisible` and `content_skipped` here.
    pub display_doubt: bool,
    /// Inside `<svg>` or `<math>` (not HTML text).
    pub foreign: bool,
    /// Something that changes rendered colours we cannot compute (shadow, filter, blend).
    pub effects: Option<Arc<str>>,
    /// The colours of a `text-shadow` that can show (inherited, as the property is): the
    /// pixels around the glyphs are blends of these over the backdrop.
    pub shadow: Option<Arc<Vec<ColorValue>>>,
    /// When the backdrop is a gradient: its colour stops, made opaque (over what is behind).
    pub gradient: Option<Arc<Vec<Rgba>>>,
    /// Opacity groups from the root down: (backdrop behind the group, opacity).
    groups: Option<Arc<Vec<OpacityGroup>>>,
    /// A rule we could not evaluate may change this element's relevant styles.
    pub uncertain: Option<Arc<str>>,
    text_indent_hidden: bool,
    /// Text spacing (WCAG 1.4.12) and where it comes from; shared with the parent when equal.
    pub spacing: Arc<TextSpacing>,
    /// Bounds on the width of this element's lines.
    pub line_box: LineBox,
}

impl Computed {
    fn root_parent() -> Computed {
        Computed {
            color: Ok(Rgba::BLACK),
            backdrop: Ok(Rgba::WHITE),
            font_size: Some(16.0),
            font_weight: Some(400),
            hidden: None,
            display_inline: None,
            inactive: false,
            aria_hidden: false,
            not_rendered: false,
            invisible: false,
            content_skipped: false,
            skips_content: false,
            display_doubt: false,
            foreign: false,
            effects: None,
            shadow: None,
            gradient: None,
            groups: None,
            uncertain: None,
            text_indent_hidden: false,
            spacing: TextSpacing::initial(),
            line_box: LineBox::initial(),
        }
    }

    /// The rendered text and background colours (opaque), or why they cannot be known.
    pub fn text_colors(&self) -> Result<(Rgba, Rgba), String> {
        if let Some(e) = &self.effects {
            return Err(e.to_string());
        }
        if self.shadow.is_some() {
            return Err(SHADOW_EFFECT.to_string());
        }
        if let Some(u) = &self.uncertain {
            return Err(u.to_string());
        }
        let fg = self.color.clone()?;
        let bg = self.backdrop.clone()?;
        let mut fg_px = fg.over(bg);
        let mut bg_px = bg;
        if let Some(groups) = &self.groups {
            for (backdrop, o) in groups.iter().rev() {
                let b = backdrop.clone()?;
                fg_px = fg_px.fade_over(b, *o);
                bg_px = bg_px.fade_over(b, *o);
            }
        }
        Ok((fg_px, bg_px))
    }

    /// The text colour as painted whatever lies behind it: opaque, with no effect, opacity
    /// group or doubt that could change it. `None` otherwise.
    pub fn opaque_text_color(&self) -> Option<Rgba> {
        if self.effects.is_some()
            || self.shadow.is_some()
            || self.uncertain.is_some()
            || self.groups.is_some()
        {
            return None;
        }
        self.color.clone().ok().filter(Rgba::is_opaque)
    }

    /// For opaque text on a gradient: the text colour, the gradient stops, and the range of
    /// relative luminance any point of the gradient can have (channel-wise bounds between
    /// consecutive stops, since interpolating sRGB channels is not monotone in luminance).
    pub fn gradient_bounds(&self) -> Option<(Rgba, Vec<Rgba>, f64, f64)> {
        if self.effects.is_some()
            || self.shadow.is_some()
            || self.uncertain.is_some()
            || self.groups.is_some()
        {
            return None;
        }
        let fg = self.color.clone().ok().filter(Rgba::is_opaque)?;
        let stops = self.gradient.as_deref()?.clone();
        let mut lo = f64::MAX;
        let mut hi = f64::MIN;
        for pair in stops.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let min = Rgba::rgb(a.r.min(b.r), a.g.min(b.g), a.b.min(b.b));
            let max = Rgba::rgb(a.r.max(b.r), a.g.max(b.g), a.b.max(b.b));
            lo = lo.min(min.luminance());
            hi = hi.max(max.luminance());
        }
        Some((fg, stops, lo, hi))
    }

    /// For opaque text with a `text-shadow` of known colours on a plain backdrop: the text
    /// colour, the backdrop, the shadow colours as painted on it, and the range of relative
    /// luminance of any pixel around the glyphs (the backdrop, or any blend of it with the
    /// shadows: bounded channel-wise, as blends are not monotone in luminance).
    pub fn shadow_bounds(&self) -> Option<(Rgba, Rgba, Vec<Rgba>, f64, f64)> {
        if self.effects.is_some()
            || self.uncertain.is_some()
            || self.groups.is_some()
            || self.gradient.is_some()
        {
            return None;
        }
        let fg = self.color.clone().ok().filter(Rgba::is_opaque)?;
        let bg = self.backdrop.clone().ok()?;
        // A shadow in the text's own colour only thickens the glyphs.
        let painted: Vec<Rgba> = self
            .shadow
            .as_deref()?
            .iter()
            .filter_map(|c| match c {
                ColorValue::Rgba(c) => Some(c.over(bg)),
                ColorValue::Current => None,
            })
            .filter(|c| *c != fg)
            .collect();
        let (mut min, mut max) = (bg, bg);
        for c in &painted {
            min = Rgba::rgb(min.r.min(c.r), min.g.min(c.g), min.b.min(c.b));
            max = Rgba::rgb(max.r.max(c.r), max.g.max(c.g), max.b.max(c.b));
        }
        Some((fg, bg, painted, min.luminance(), max.luminance()))
    }
}

/// Why text under a `text-shadow` whose blends cannot be bounded has no computed contrast.
const SHADOW_EFFECT: &str = "ombre portée (text-shadow) : le contraste dépend de l'ombre";

#[derive(Clone)]
struct Entry {
    rule: u32,
    selector: Selector<Simple>,
    hashes: AncestorHashes,
    specificity: u32,
    /// For selectors with a pseudo-class we cannot evaluate: the "assumed false" variant
    /// and the pseudo-class name.
    uncertain: Option<(String, Option<Selector<Simple>>)>,
    /// Whether it matches two siblings alike when they are alike in name and attributes
    /// ([`subject_is_local`], both variants): style sharing needs to match only the others.
    local: bool,
}

#[derive(Clone)]
struct RuleSet {
    rules: Vec<CssRule>,
    /// For each rule, the slot of each declaration (see [`DeclSlot`]), looked up once.
    slots: Vec<Box<[DeclSlot]>>,
    ua_count: usize,
    entries: Vec<Entry>,
    buckets: Buckets,
    /// Selectors of the maybe-rules (unevaluated `@media`) that set what decides rendering.
    maybe_entries: Vec<(Selector<Simple>, AncestorHashes)>,
    maybe_buckets: Buckets,
    /// Whether every maybe-rule selector is local ([`subject_is_local`]); style sharing is
    /// off otherwise.
    maybe_local: bool,
    /// The attributes any selector reads: siblings that differ only in others share styles.
    attributes_read: AttributesRead,
    /// The ids and classes selectors name: all the ancestor filter needs.
    filter_names: FilterNames,
}

/// Properties that decide whether an element is rendered (the visibility answer).
const RENDERING_PROPS: [&str; 3] = ["display", "visibility", "content-visibility"];
const RENDERING_SLOTS: [usize; 3] = [
    slot_of(RENDERING_PROPS[0]),
    slot_of(RENDERING_PROPS[1]),
    slot_of(RENDERING_PROPS[2]),
];

impl RuleSet {
    /// The cascade priority of declaration `di` of `entry`'s rule, `d`, matched by `entry`.
    fn priority_of(&self, entry: &Entry, d: &Declaration, di: usize) -> Prio {
        let rule = &self.rules[entry.rule as usize];
        priority(
            (entry.rule as usize) < self.ua_count,
            false,
            d.important,
            rule.layer,
            entry.specificity,
            entry.rule,
            di as u32,
        )
    }

    /// The UA rules alone, compiled once for the process (every page starts from them), with
    /// how many of their selectors have a pseudo-class we cannot evaluate.
    fn user_agent() -> &'static (RuleSet, usize) {
        static UA: OnceLock<(RuleSet, usize)> = OnceLock::new();
        UA.get_or_init(|| {
            let mut ua = ParsedCss::default();
            ua.add_sheet(UA_SHEET, usize::MAX);
            let mut set = RuleSet {
                rules: Vec::new(),
                slots: Vec::new(),
                ua_count: 0,
                entries: Vec::new(),
                buckets: Buckets::default(),
                maybe_entries: Vec::new(),
                maybe_buckets: Buckets::default(),
                maybe_local: true,
                attributes_read: AttributesRead::default(),
                filter_names: FilterNames::default(),
            };
            let unsupported = set.add_rules(ua.rules.into_iter(), None);
            set.ua_count = set.rules.len();
            (set, unsupported)
        })
    }

    /// The rules of the UA sheet and `author`, in cascade order. With `referenced`, a custom
    /// property no `var()` names is left out of the cascade ([`var_names`]): it
    /// can change no value, and a rule that declares only such properties is not matched.
    fn build<'r>(
        author: impl Iterator<Item = &'r CssRule>,
        maybe_rules: &[CssRule],
        referenced: Option<&FxHashSet<String>>,
        notes: &mut Vec<String>,
    ) -> RuleSet {
        let (ua, ua_unsupported) = RuleSet::user_agent();
        let mut set = ua.clone();
        let unsupported = ua_unsupported + set.add_rules(author.cloned(), referenced);
        set.add_maybe_rules(maybe_rules);
        if unsupported > 0 {
            notes.push(format!(
                "{unsupported} sélecteur(s) avec une pseudo-classe non évaluable (:has, :lang…) : les éléments qu'ils peuvent viser sont « à vérifier »"
            ));
        }
        set
    }

    /// Append rules in cascade order, compiling the selectors of those that set a property we
    /// use; returns how many selectors have a pseudo-class we cannot evaluate.
    fn add_rules(
        &mut self,
        rules: impl Iterator<Item = CssRule>,
        referenced: Option<&FxHashSet<String>>,
    ) -> usize {
        let mut unsupported = 0usize;
        for rule in rules {
            let ri = self.rules.len();
            // Only rules setting a property we use are worth matching.
            let mut slots: Box<[DeclSlot]> = rule.declarations.iter().map(DeclSlot::of).collect();
            // Selectors are counted (in the note on what cannot be evaluated) as they were
            // before unreferenced custom properties were left out.
            let counted = slots.iter().any(|s| *s != DeclSlot::Unused);
            if let Some(names) = referenced {
                for (slot, d) in slots.iter_mut().zip(&rule.declarations) {
                    if *slot == DeclSlot::Custom && !names.contains(&d.name) {
                        *slot = DeclSlot::Unused;
                    }
                }
            }
            let used = slots.iter().any(|s| *s != DeclSlot::Unused);
            if counted {
                match compile_list(&rule.selector_text) {
                    Ok(list) if !used => {
                        unsupported += list.iter().filter(|c| c.uncertain.is_some()).count();
                    }
                    Ok(list) => {
                        for c in list {
                            let hashes = AncestorHashes::new(&c.selector, QuirksMode::NoQuirks);
                            let b = bucket_of(&c.selector);
                            if c.uncertain.is_some() {
                                unsupported += 1;
                            }
                            self.attributes_read.add(&c.selector);
                            self.filter_names.add(&c.selector);
                            let if_false = c.uncertain.as_ref().and_then(|u| u.1.as_ref());
                            if let Some(s) = if_false {
                                self.attributes_read.add(s);
                                self.filter_names.add(s);
                            }
                            let local = subject_is_local(&c.selector)
                                && if_false.is_none_or(subject_is_local);
                            self.buckets
                                .push(b, self.entries.len() as u32, &self.filter_names);
                            self.entries.push(Entry {
                                rule: ri as u32,
                                selector: c.selector,
                                hashes,
                                specificity: c.specificity,
                                uncertain: c.uncertain,
                                local,
                            });
                        }
                    }
                    Err(Skip::Invalid) | Err(Skip::PseudoElement) => {}
                }
            }
            self.slots.push(slots);
            self.rules.push(rule);
        }
        unsupported
    }

    fn add_maybe_rules(&mut self, maybe_rules: &[CssRule]) {
        for rule in maybe_rules {
            if !rule
                .declarations
                .iter()
                .any(|d| RENDERING_PROPS.contains(&d.name.as_str()))
            {
                continue;
            }
            if let Ok(list) = compile_list(&rule.selector_text) {
                for c in list {
                    let hashes = AncestorHashes::new(&c.selector, QuirksMode::NoQuirks);
                    self.attributes_read.add(&c.selector);
                    self.filter_names.add(&c.selector);
                    self.maybe_local &= subject_is_local(&c.selector);
                    self.maybe_buckets.push(
                        bucket_of(&c.selector),
                        self.maybe_entries.len() as u32,
                        &self.filter_names,
                    );
                    self.maybe_entries.push((c.selector, hashes));
                }
            }
        }
    }
}

/// What a page's stylesheets give the cascade before any element is seen: the rules compiled
/// and the notes on what was skipped. It depends on the sheets' texts and media only, so it is
/// prepared once per distinct set of sheets and shared ([`SheetsMemo`]).
struct Prepared {
    /// The rules without the custom properties no `var()` of the sheets names.
    pruned: Cascadable,
    /// Every custom property kept: for a page whose `style` attributes name one of those the
    /// sheets never do (made on the first such page).
    whole: OnceLock<Cascadable>,
    /// The custom properties the sheets' `var()`s name.
    referenced: FxHashSet<String>,
    /// The rules inside `@media` queries we cannot evaluate, for `whole` (the other author
    /// rules are all in `pruned`, after the UA's: [`Prepared::author_rules`]).
    maybe_rules: Vec<CssRule>,
    notes: Vec<String>,
}

/// Rules ready for the walk, and the root scopes made from them.
struct Cascadable {
    set: RuleSet,
    /// The root element's custom properties, resolved, by the rules that declared them: a
    /// design system declares hundreds at `:root`, the same on every page of a site.
    root_vars: Mutex<Vec<(Vec<u32>, Arc<Vars<'static>>)>>,
}

impl Cascadable {
    fn of(set: RuleSet) -> Cascadable {
        Cascadable {
            set,
            root_vars: Mutex::new(Vec::new()),
        }
    }
}

/// Distinct root scopes kept per set of sheets.
const ROOT_VARS_KEPT: usize = 4;

/// A site has a few sets of sheets; a hostile one cannot grow the process past these.
static PREPARED: SheetsMemo<Prepared> = SheetsMemo::new(8, 8 << 20);

impl Prepared {
    fn of(sheets: &[Stylesheet]) -> Prepared {
        let (author, mut notes) = Prepared::parse(sheets);
        // Every name a `var()` of the sheets (the UA's included) looks up: a custom property
        // outside them is never read.
        let referenced: FxHashSet<String> = author
            .rules
            .iter()
            .chain(&author.maybe_rules)
            .chain(&RuleSet::user_agent().0.rules)
            .flat_map(|r| &r.declarations)
            .flat_map(|d| var_names(&d.value))
            .map(str::to_string)
            .collect();
        let set = RuleSet::build(
            author.rules.iter(),
            &author.maybe_rules,
            Some(&referenced),
            &mut notes,
        );
        Prepared {
            pruned: Cascadable::of(set),
            whole: OnceLock::new(),
            referenced,
            maybe_rules: author.maybe_rules,
            notes,
        }
    }

    /// The sheets that apply, parsed, and the notes on what was left out.
    fn parse(sheets: &[Stylesheet]) -> (ParsedCss, Vec<String>) {
        let mut notes = Vec::new();
        let mut author = ParsedCss::default();
        for (i, sheet) in sheets.iter().enumerate() {
            let applies = match sheet.media.as_deref().map(media::evaluate) {
                None | Some(MediaMatch::Yes) => true,
                Some(MediaMatch::No) => false,
                Some(MediaMatch::Unknown(why)) => {
                    notes.push(format!("feuille de style ignorée : {why}"));
                    // Not cascaded, but what it may hide or show is uncertain.
                    author.add_maybe_sheet(&sheet.text, i);
                    false
                }
            };
            if applies {
                author.add_sheet(&sheet.text, i);
            }
        }
        notes.append(&mut author.notes);
        (author, notes)
    }

    /// The sheets' rules that apply on the audited viewport, in cascade order: `pruned` holds
    /// every one (pruning changes which declarations are read, not which rules are kept).
    fn author_rules(&self) -> &[CssRule] {
        let set = &self.pruned.set;
        set.rules.get(set.ua_count..).unwrap_or(&[])
    }

    /// The rules with every custom property kept ([`Prepared::whole`]).
    fn build_whole(&self, notes: &mut Vec<String>) -> RuleSet {
        RuleSet::build(self.author_rules().iter(), &self.maybe_rules, None, notes)
    }

    /// The rules for a page whose markup declarations are `markup`: the pruned ones, unless a
    /// `var()` there names a custom property the sheets never name.
    fn for_markup(&self, markup: &FxHashMap<ego_tree::NodeId, MarkupDeclarations>) -> &Cascadable {
        let names_more = markup.values().any(|m| {
            m.hints
                .iter()
                .chain(&m.inline)
                .flat_map(|d| var_names(&d.value))
                .any(|n| !self.referenced.contains(n))
        });
        if !names_more {
            return &self.pruned;
        }
        self.whole
            .get_or_init(|| Cascadable::of(self.build_whole(&mut Vec::new())))
    }
}

/// A node without computed style in [`PageStyles::index`].
const NOT_STYLED: u32 = u32::MAX;

/// Styles of every element of a page.
pub struct PageStyles {
    /// Each node's place in `computed` ([`NOT_STYLED`] for nodes that are not elements), by
    /// [`node_index`].
    index: Vec<u32>,
    computed: Vec<Computed>,
    /// Elements with at least one non-blank text child, in document order.
    pub text_elements: Vec<ego_tree::NodeId>,
    /// What was skipped or could not be evaluated (media queries, @import, selectors…).
    pub notes: Vec<String>,
    /// The rules it was computed from (shared with the other pages with the same sheets).
    prepared: Option<Arc<Prepared>>,
    /// Whether some `style` attribute declares a property `!important`: without one, no
    /// computed text spacing is imposed inline (`Declared::inline_important`), and the
    /// spacing rules need not read every text's.
    pub any_inline_important: bool,
}

impl PageStyles {
    pub fn get(&self, el: ElementRef<'_>) -> Option<&Computed> {
        // A node of another tree may be past the table's end; `NOT_STYLED` is past `computed`'s.
        self.index
            .get(node_index(el.id()))
            .and_then(|&i| self.computed.get(i as usize))
    }

    /// Compute styles for a page.
    pub fn compute(page: &Page) -> PageStyles {
        let prepared = PREPARED.get(&page.stylesheets, || Prepared::of(&page.stylesheets));
        let inactive_roots = inactive_roots(page);
        let markup = markup_declarations(page);
        let cascadable = prepared.for_markup(&markup);
        let mut styles = walk(page, cascadable, &markup, &inactive_roots, true);
        styles.notes = prepared.notes.clone();
        styles.prepared = Some(prepared);
        styles
    }

    /// Author rules that apply on the audited viewport, in cascade order.
    pub fn author_rules(&self) -> &[CssRule] {
        match &self.prepared {
            Some(p) => p.author_rules(),
            None => &[],
        }
    }
}

/// Elements whose subtree is inactive text (ACT: disabled widgets and their labels).
fn inactive_roots(page: &Page) -> FxHashSet<ego_tree::NodeId> {
    let mut roots = FxHashSet::default();
    let mut disabled_ids: FxHashSet<String> = FxHashSet::default();
    let mut labelled_by: Vec<String> = Vec::new();
    // From the element index, in node order: a pass over every node read them all for these.
    for el in page.select("[disabled], [aria-disabled]") {
        let e = el.value();
        let name = e.name();
        let native_disabled = e.attribute("disabled").is_some()
            && matches!(
                name,
                "button" | "input" | "select" | "textarea" | "fieldset" | "optgroup" | "option"
            );
        let aria_disabled = e
            .attribute("aria-disabled")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        if !(native_disabled || aria_disabled) {
            continue;
        }
        roots.insert(el.id());
        if let Some(id) = e.attribute("id") {
            disabled_ids.insert(id.to_string());
        }
        if let Some(ids) = e.attribute("aria-labelledby") {
            labelled_by.extend(ids.split_ascii_whitespace().map(str::to_string));
        }
        // A label wrapping the disabled control (bounded walk).
        for anc in el.ancestors().take(64) {
            if let Some(a) = ElementRef::wrap(anc) {
                if a.value().name() == "label" {
                    roots.insert(anc.id());
                    break;
                }
            }
        }
    }
    if disabled_ids.is_empty() && labelled_by.is_empty() {
        return roots;
    }
    // The labels of the disabled controls, and every element carrying an id they are
    // labelled by (a set: the order does not matter).
    for id in &disabled_ids {
        roots.extend(page.labels_for(id).map(|label| label.id()));
    }
    if !labelled_by.is_empty() {
        for el in page.select("[id]") {
            if el
                .value()
                .attribute("id")
                .is_some_and(|i| labelled_by.iter().any(|l| l == i))
            {
                roots.insert(el.id());
            }
        }
    }
    roots
}

/// Entries filed by the bucket of their selector, looked up with the element's own strings:
/// no string is allocated per element and bucket.
#[derive(Clone, Default)]
struct Buckets {
    any: Vec<u32>,
    /// By the lower-cased name's atom: an HTML element's own name is the key, compared and
    /// hashed as an integer (its text was read back and hashed for every element).
    tag: FxHashMap<html5ever::LocalName, Vec<u32>>,
    /// Ids and classes by their ancestor-filter hash ([`FilterNames`]): the element's are
    /// hashed once for both. Two names of one hash share a bucket, which only adds candidates
    /// that matching then rejects.
    id: FxHashMap<u32, Vec<u32>>,
    class: FxHashMap<u32, Vec<u32>>,
}

impl Buckets {
    /// Files an entry under its bucket; an id or class the names do not know (none: they hold
    /// every selector's) goes with the entries every element is matched against.
    fn push(&mut self, bucket: Bucket, entry: u32, names: &FilterNames) {
        match bucket {
            Bucket::Any => self.any.push(entry),
            Bucket::Tag(t) => self
                .tag
                .entry(html5ever::LocalName::from(t))
                .or_default()
                .push(entry),
            Bucket::Id(i) => match names.hash(&i) {
                Some(h) => self.id.entry(h).or_default().push(entry),
                None => self.any.push(entry),
            },
            Bucket::Class(c) => match names.hash(&c) {
                Some(h) => self.class.entry(h).or_default().push(entry),
                None => self.any.push(entry),
            },
        }
    }

    fn is_empty(&self) -> bool {
        self.any.is_empty() && self.tag.is_empty() && self.id.is_empty() && self.class.is_empty()
    }
}

/// An element's id and classes that some selector names, by their ancestor-filter hash
/// ([`FilterNames`]), looked up once for the buckets and the filter; others cannot matter.
struct NamesOf {
    id: Option<u32>,
    classes: SmallVec<[u32; 8]>,
}

impl NamesOf {
    fn of(e: &Element, names: &FilterNames) -> NamesOf {
        NamesOf {
            id: e.id().and_then(|id| names.hash(id)),
            classes: crate::page::classes(e)
                .filter_map(|c| names.hash(c))
                .collect(),
        }
    }
}

/// Indexes of the entries whose bucket (id, class, tag or any) this element can match.
fn candidates_of<'b>(
    buckets: &Buckets,
    el: ElementRef<'_>,
    names: &NamesOf,
    candidates: &'b mut Vec<u32>,
) -> &'b [u32] {
    candidates.clear();
    if buckets.is_empty() {
        return candidates;
    }
    candidates.extend_from_slice(&buckets.any);
    let e = el.value();
    // The parser writes HTML elements' names in lower case; others (SVG's `linearGradient`)
    // may not be, and are lower-cased as the selectors' names are.
    let tags =
        if e.name.ns == html5ever::ns!(html) || !e.name().bytes().any(|b| b.is_ascii_uppercase()) {
            buckets.tag.get(&e.name.local)
        } else {
            buckets
                .tag
                .get(&html5ever::LocalName::from(e.name().to_ascii_lowercase()))
        };
    if let Some(v) = tags {
        candidates.extend_from_slice(v);
    }
    if let Some(v) = names.id.and_then(|h| buckets.id.get(&h)) {
        candidates.extend_from_slice(v);
    }
    for h in &names.classes {
        if let Some(v) = buckets.class.get(h) {
            candidates.extend_from_slice(v);
        }
    }
    candidates
}

#[derive(Clone, Copy)]
struct Winner<'a> {
    prio: Prio,
    value: &'a str,
}

/// An element whose declarations are collected, waiting for its computed style: the walk
/// matches every element first, then computes them all in the same order. Interleaved, the
/// matching code and `compute_one`'s (tens of kilobytes) pushed each other out of the
/// instruction cache at every element: the cascade had two thirds of `check`'s
/// instruction-cache misses (simulated) for a sixth of its instructions.
struct Pending<'a> {
    el: ElementRef<'a>,
    /// The parent's computed style (index in `computed`), `None` for the root.
    parent: Option<u32>,
    /// Its scope of custom properties (index in the walk's scopes).
    vars: u32,
    /// Its winning declarations: a range of the walk's `(slot, winner)` list.
    winners: std::ops::Range<u32>,
    /// The first doubt no sure declaration beats (its property's slot and the selector's
    /// pseudo-class), worded only when the parent has none: a descendant keeps the first.
    own_doubt: Option<(u8, &'a str)>,
    /// The properties a rule we could not evaluate may set (only when one may match).
    uncertain_props: Option<Box<[bool; N_PROPS]>>,
    rendering_doubt: bool,
}

/// What an element's computed style depends on besides its parent's ([`compute_one`]'s
/// inputs), when it has no doubt of its own: its scope of custom properties, its winning
/// declarations (the same declarations, by address), its name and the attributes the cascade
/// reads. Two elements with equal inputs under the same parent style have equal styles:
/// cousins in repeated markup (the links of a list of cards, each in its own heading) take
/// the first one's, which sibling sharing cannot give them (their parents differ). The root
/// is left out: `root_font` is set by it.
struct ComputedInputs<'p, 'a> {
    pending: &'p Pending<'a>,
    winners: &'p [(u8, Winner<'a>)],
    /// The parent's place in `computed`.
    parent: u32,
    /// The `hidden` attribute, `aria-hidden="true"`, and `rendering_doubt`, as bits.
    flags: u8,
}

impl<'p, 'a> ComputedInputs<'p, 'a> {
    fn of(
        pending: &'p Pending<'a>,
        winners: &'p [(u8, Winner<'a>)],
        place: &[u32],
        inactive_roots: &FxHashSet<ego_tree::NodeId>,
    ) -> Option<Self> {
        let parent = *place.get(pending.parent? as usize)?;
        // A doubt of its own (`own_doubt`) comes with `uncertain_props`.
        if pending.uncertain_props.is_some() || inactive_roots.contains(&pending.el.id()) {
            return None;
        }
        // As `compute_one` reads them.
        let e = pending.el.value();
        let hidden = crate::page::has_attribute_atom(e, &html5ever::local_name!("hidden"));
        let aria_hidden = crate::page::attribute_atom(e, &html5ever::local_name!("aria-hidden"))
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let flags =
            u8::from(hidden) | u8::from(aria_hidden) << 1 | u8::from(pending.rendering_doubt) << 2;
        Some(ComputedInputs {
            pending,
            winners,
            parent,
            flags,
        })
    }

    fn hash(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        let name = &self.pending.el.value().name.local;
        (self.parent, self.pending.vars, name, self.flags).hash(&mut h);
        for (slot, w) in self.winners {
            (*slot, w.value.as_ptr() as usize, w.value.len(), w.prio.0).hash(&mut h);
        }
        h.finish()
    }

    fn same(&self, other: &Self) -> bool {
        self.parent == other.parent
            && self.pending.vars == other.pending.vars
            && self.flags == other.flags
            && self.pending.el.value().name == other.pending.el.value().name
            && self.winners.len() == other.winners.len()
            && self
                .winners
                .iter()
                .zip(other.winners)
                .all(|((sa, a), (sb, b))| {
                    sa == sb && a.prio == b.prio && std::ptr::eq(a.value, b.value)
                })
    }
}

enum Step<'a> {
    Enter(ego_tree::NodeRef<'a, Node>),
    /// Leave an element: its ancestor hashes are those above this length of the hash stack.
    Exit(usize),
}

/// The custom properties in scope of an element: those its own rules declare, then its
/// ancestors'. A scope is shared, not copied, by the elements below it (a design system declares
/// hundreds of properties at the root: copying them for every element that sets one was most of
/// the cascade's time); a chain longer than `MAX_VAR_CHAIN` is flattened into one map.
/// Declared values are borrowed from the rules and resolved when first read: most of the
/// properties a component redeclares are never read by anything the audit computes.
#[derive(Debug, Default)]
struct Vars<'d> {
    own: VarTable<'d>,
    parent: Option<Arc<Vars<'d>>>,
    chain: usize,
}

/// A scope's own custom properties: up to two in line (a component redeclares one or two, and
/// a map made for each such element was an allocation and a rehash), in a map past them (a
/// design system's root declares hundreds). An array of options, not a `SmallVec`: the scope
/// must stay covariant in the rules' lifetime.
#[derive(Debug)]
enum VarTable<'d> {
    Few([Option<(Cow<'d, str>, VarValue<'d>)>; 2]),
    Many(FxHashMap<Cow<'d, str>, VarValue<'d>>),
}

impl Default for VarTable<'_> {
    fn default() -> Self {
        VarTable::Few([None, None])
    }
}

impl<'d> VarTable<'d> {
    fn get(&self, name: &str) -> Option<&VarValue<'d>> {
        match self {
            VarTable::Few(few) => few
                .iter()
                .flatten()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v),
            VarTable::Many(map) => map.get(name),
        }
    }

    fn iter(&self) -> Box<dyn Iterator<Item = (&Cow<'d, str>, &VarValue<'d>)> + '_> {
        match self {
            VarTable::Few(few) => Box::new(few.iter().flatten().map(|(k, v)| (k, v))),
            VarTable::Many(map) => Box::new(map.iter()),
        }
    }

    /// Sets `name`, replacing a value it had (as a map's insert does).
    fn insert(&mut self, name: Cow<'d, str>, value: VarValue<'d>) {
        match self {
            VarTable::Few(few) => {
                if let Some(slot) = few.iter_mut().flatten().find(|(k, _)| *k == name) {
                    slot.1 = value;
                } else if let Some(free) = few.iter_mut().find(|e| e.is_none()) {
                    *free = Some((name, value));
                } else {
                    let mut map: FxHashMap<_, _> =
                        few.iter_mut().filter_map(Option::take).collect();
                    map.insert(name, value);
                    *self = VarTable::Many(map);
                }
            }
            VarTable::Many(map) => {
                map.insert(name, value);
            }
        }
    }
}

impl<'d> FromIterator<(Cow<'d, str>, VarValue<'d>)> for VarTable<'d> {
    fn from_iter<I: IntoIterator<Item = (Cow<'d, str>, VarValue<'d>)>>(entries: I) -> Self {
        let mut table = VarTable::default();
        table.extend(entries);
        table
    }
}

impl<'d> Extend<(Cow<'d, str>, VarValue<'d>)> for VarTable<'d> {
    fn extend<I: IntoIterator<Item = (Cow<'d, str>, VarValue<'d>)>>(&mut self, entries: I) {
        for (name, value) in entries {
            self.insert(name, value);
        }
    }
}

/// A custom property as its scope holds it.
#[derive(Debug)]
enum VarValue<'d> {
    /// As declared on the scope's element; resolved in that scope when first read.
    Declared {
        raw: &'d str,
        resolved: OnceLock<Option<String>>,
    },
    /// Resolved already; `None` when invalid at computed-value time, which hides an inherited
    /// value.
    Resolved(Option<String>),
}

const MAX_VAR_CHAIN: usize = 8;

/// Capacity of the per-element map of custom declarations kept from one element to the next.
const CUSTOM_KEPT: usize = 64;

impl<'d> Vars<'d> {
    /// The scope of an element declaring `own` (its winning custom declarations).
    fn child(own: &FxHashMap<&'d str, Winner<'d>>, parent: Arc<Vars<'d>>) -> Vars<'d> {
        let declared = own.iter().map(|(k, w)| {
            (
                Cow::Borrowed(*k),
                VarValue::Declared {
                    raw: w.value,
                    resolved: OnceLock::new(),
                },
            )
        });
        if parent.chain < MAX_VAR_CHAIN {
            return Vars {
                own: declared.collect(),
                chain: parent.chain + 1,
                parent: Some(parent),
            };
        }
        let mut scopes = vec![&*parent];
        while let Some(p) = scopes.last().and_then(|s| s.parent.as_deref()) {
            scopes.push(p);
        }
        // Each ancestor's values resolved in its own scope before they are merged.
        let mut all = VarTable::default();
        for scope in scopes.into_iter().rev() {
            all.extend(scope.own.iter().map(|(k, v)| {
                (
                    k.clone(),
                    VarValue::Resolved(scope.value_of(v).map(str::to_string)),
                )
            }));
        }
        all.extend(declared);
        Vars {
            own: all,
            parent: None,
            chain: 0,
        }
    }

    /// The value of one of this scope's own properties.
    fn value_of<'s>(&'s self, v: &'s VarValue<'d>) -> Option<&'s str> {
        match v {
            VarValue::Resolved(r) => r.as_deref(),
            VarValue::Declared { raw, .. } if !has_var(raw) => Some(raw),
            VarValue::Declared { raw, resolved } => resolved
                .get_or_init(|| substitute(raw, &Declaring(self)))
                .as_deref(),
        }
    }

    /// This scope with every value resolved and owned, to be kept beyond the page.
    fn resolved(&self) -> Vars<'static> {
        let own = self
            .own
            .iter()
            .map(|(k, v)| {
                (
                    Cow::Owned(k.to_string()),
                    VarValue::Resolved(self.value_of(v).map(str::to_string)),
                )
            })
            .collect();
        Vars {
            own,
            parent: None,
            chain: 0,
        }
    }
}

impl VarSource for Vars<'_> {
    fn var(&self, name: &str) -> Option<&str> {
        let mut scope = self;
        loop {
            if let Some(v) = scope.own.get(name) {
                return scope.value_of(v);
            }
            scope = scope.parent.as_deref()?;
        }
    }
}

/// Lookup while one of a scope's own properties is resolved: the scope's declarations as
/// written, then the ancestors' values (a reference to itself is cut off by the depth limit).
struct Declaring<'a, 'd>(&'a Vars<'d>);

impl VarSource for Declaring<'_, '_> {
    fn var(&self, name: &str) -> Option<&str> {
        match self.0.own.get(name) {
            Some(VarValue::Declared { raw, .. }) => Some(raw),
            Some(VarValue::Resolved(r)) => r.as_deref(),
            None => self.0.parent.as_deref()?.var(name),
        }
    }
}

/// The page's computed styles. `take_alike`: an element whose inputs equal an earlier one's
/// takes its style ([`ComputedInputs`]); off only in tests, to compare with every style computed.
fn walk(
    page: &Page,
    prepared: &Cascadable,
    markup: &FxHashMap<ego_tree::NodeId, MarkupDeclarations>,
    inactive_roots: &FxHashSet<ego_tree::NodeId>,
    take_alike: bool,
) -> PageStyles {
    let set = &prepared.set;
    // Sized once: one element per node at most (the tree's node count bounds it).
    let nodes = page.dom.tree.nodes().len();
    let mut pending: Vec<Pending<'_>> = Vec::with_capacity(nodes);
    // A few winning declarations an element, on a node in two (the others are text): grown
    // by doubling, this list was copied a dozen times a page.
    let mut pending_winners: Vec<(u8, Winner<'_>)> = Vec::with_capacity(nodes * 2);
    let mut caches = SelectorCaches::default();
    let mut open = Open {
        index: vec![NOT_STYLED; nodes],
        text_elements: Vec::with_capacity(nodes / 4),
        ancestors: Vec::new(),
        hashes: Vec::new(),
        bloom: BloomFilter::new(),
        stack: vec![Step::Enter(*page.root())],
    };
    let sharing = set.maybe_local;
    // Every scope of custom properties of the walk, by index: frames and shareable siblings
    // name theirs by index, so that opening an element copies no reference count.
    let mut scopes: Vec<Arc<Vars<'_>>> = vec![Arc::new(Vars::default())];
    let mut custom: FxHashMap<&str, Winner<'_>> = FxHashMap::default();
    let mut candidate_buffer: Vec<u32> = Vec::new();
    // Each element's winning declarations and doubts, by slot: one pair of arrays for the
    // walk, each element emptying what it filled (4 KB written afresh for each was a seventh
    // of the walk's own instructions).
    let mut winners: [Option<Winner<'_>>; N_PROPS] = [const { None }; N_PROPS];
    let mut uncertain_best: [Option<(Prio, &str)>; N_PROPS] = [None; N_PROPS];

    while let Some(step) = open.stack.pop() {
        let node = match step {
            Step::Exit(below) => {
                open.ancestors.pop();
                for h in open.hashes.drain(below..) {
                    open.bloom.remove_hash(h);
                }
                continue;
            }
            Step::Enter(n) => n,
        };
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let names = NamesOf::of(el.value(), &set.filter_names);
        // 0. Style sharing: an earlier sibling alike for every selector and for the cascade.
        // Looked up once: sharing needs its absence, the cascade below its declarations.
        let own_markup = markup.get(&node.id());
        let shareable = own_markup.is_none() && !inactive_roots.contains(&node.id());
        let shared = match open.ancestors.last().and_then(|f| f.shareable.as_ref()) {
            Some(s)
                if sharing
                    && shareable
                    && alike_for_selectors(&set.attributes_read, s.el.value(), el.value())
                    && s.sibling_dependent.iter().all(|&(ci, was)| {
                        outcome(&set.entries[ci as usize], el, &open.bloom, &mut caches) == was
                    }) =>
            {
                Some((s.idx, s.vars))
            }
            _ => None,
        };
        if let Some((idx, vars)) = shared {
            open.enter(el, idx, vars, &names);
            continue;
        }
        let (parent, parent_vars) = match open.ancestors.last() {
            Some(f) => (Some(f.idx), f.vars),
            None => (None, 0),
        };

        // 1. Collect the winning declaration of each property.
        // The slots of `winners` set, as bits.
        let mut filled: u64 = 0;
        // One map for every element, cleared: most elements declare a few custom properties,
        // and a map made for each grew again from nothing. One that grew large (a root with
        // hundreds) is replaced, so that clearing it does not cost its size per element.
        if custom.capacity() > CUSTOM_KEPT {
            custom = FxHashMap::default();
        }
        custom.clear();
        // The root's entries whose custom properties were considered (its scope is memoised by
        // them; other elements' scopes are not, so they need not be listed).
        let is_root = open.ancestors.is_empty();
        let mut custom_from: Vec<u32> = Vec::new();
        let mut sibling_dependent = SmallVec::new();
        // Whether a rule that may match left a doubt in `uncertain_best`: nearly never, and
        // then the scans of every property below are skipped.
        let mut any_uncertain = false;
        let candidates = candidates_of(&set.buckets, el, &names, &mut candidate_buffer);
        for &ci in candidates {
            let entry = &set.entries[ci as usize];
            let matched = outcome(entry, el, &open.bloom, &mut caches);
            if !entry.local {
                sibling_dependent.push((ci, matched));
            }
            let maybe: Option<&str> = match matched {
                Outcome::No => continue,
                Outcome::Yes => None,
                Outcome::Maybe => entry.uncertain.as_ref().map(|(name, _)| name.as_str()),
            };
            any_uncertain |= maybe.is_some();
            let rule = &set.rules[entry.rule as usize];
            let slots = &set.slots[entry.rule as usize];
            if is_root && maybe.is_none() && slots.contains(&DeclSlot::Custom) {
                custom_from.push(ci);
            }
            // The root's sure custom properties wait: its scope is most often memoised by
            // `custom_from`, and a design system declares hundreds there.
            let deferred = is_root && maybe.is_none();
            for (di, (d, &ds)) in rule.declarations.iter().zip(slots.iter()).enumerate() {
                if ds == DeclSlot::Unused || (deferred && ds == DeclSlot::Custom) {
                    continue;
                }
                consider(
                    d,
                    ds,
                    set.priority_of(entry, d, di),
                    maybe,
                    &mut winners,
                    &mut filled,
                    &mut custom,
                    &mut uncertain_best,
                );
            }
        }
        // Presentational hints of legacy markup (`<font color>`, `bgcolor`, `<body text>`):
        // above the browser defaults, below every author rule, as browsers do.
        let (hint_decls, inline_decls) = match own_markup {
            Some(m) => (m.hints.as_slice(), m.inline.as_slice()),
            None => (&[][..], &[][..]),
        };
        for (di, d) in hint_decls.iter().enumerate() {
            let prio = priority(true, false, false, 0, u32::MAX, u32::MAX, di as u32);
            consider(
                d,
                DeclSlot::of(d),
                prio,
                None,
                &mut winners,
                &mut filled,
                &mut custom,
                &mut uncertain_best,
            );
        }
        let inline_custom = inline_decls.iter().any(|d| d.name.starts_with("--"));
        for (di, d) in inline_decls.iter().enumerate() {
            let prio = priority(false, true, d.important, u32::MAX, 0, u32::MAX, di as u32);
            consider(
                d,
                DeclSlot::of(d),
                prio,
                None,
                &mut winners,
                &mut filled,
                &mut custom,
                &mut uncertain_best,
            );
        }

        // 2. Custom properties (inherited, resolved on the declaring element).
        let parent_scope = || scopes[parent_vars as usize].clone();
        // The root's deferred custom declarations, considered as the loop above would have.
        let mut consider_deferred = || {
            for &ci in &custom_from {
                let entry = &set.entries[ci as usize];
                let rule = &set.rules[entry.rule as usize];
                let slots = &set.slots[entry.rule as usize];
                for (di, (d, &ds)) in rule.declarations.iter().zip(slots.iter()).enumerate() {
                    if ds == DeclSlot::Custom {
                        consider(
                            d,
                            ds,
                            set.priority_of(entry, d, di),
                            None,
                            &mut winners,
                            &mut filled,
                            &mut custom,
                            &mut uncertain_best,
                        );
                    }
                }
            }
        };
        // Without inline custom properties, the root declares some exactly when an entry of
        // `custom_from` does; with them, its scope is not memoised and is made whole here.
        if is_root && inline_custom {
            consider_deferred();
        }
        let declared = if is_root && !inline_custom && !custom_from.is_empty() {
            // The root's scope depends only on the rules that declared it.
            let memo = prepared.root_vars.lock().ok().and_then(|kept| {
                kept.iter()
                    .find(|(from, _)| *from == custom_from)
                    .map(|(_, v)| v.clone())
            });
            Some(match memo {
                Some(v) => v,
                None => {
                    consider_deferred();
                    let v = Arc::new(Vars::child(&custom, parent_scope()).resolved());
                    if let Ok(mut kept) = prepared.root_vars.lock() {
                        if kept.len() < ROOT_VARS_KEPT {
                            kept.push((custom_from, v.clone()));
                        }
                    }
                    v
                }
            })
        } else if custom.is_empty() {
            None
        } else {
            Some(Arc::new(Vars::child(&custom, parent_scope())))
        };
        let vars = match declared {
            Some(scope) => {
                scopes.push(scope);
                (scopes.len() - 1) as u32
            }
            None => parent_vars,
        };

        // 3. Recorded for the second pass. Text spacing and line boxes keep their own doubt
        // (`Spacing::uncertain`). A `const`: as a `let`, the scan of `PROPS` ran for every
        // element.
        const TEXT_LAYOUT: usize = slot_of(TEXT_LAYOUT_FIRST);
        let doubts = if any_uncertain { TEXT_LAYOUT } else { 0 };
        let own_doubt = uncertain_best
            .iter()
            .enumerate()
            .take(doubts)
            .find_map(|(i, u)| {
                let &(p, name) = u.as_ref()?;
                let beaten = winners[i].as_ref().is_some_and(|w| w.prio > p);
                (!beaten).then_some((i as u8, name))
            });
        let uncertain_props: Option<Box<[bool; N_PROPS]>> = any_uncertain.then(|| {
            Box::new(std::array::from_fn(|i| {
                uncertain_best[i]
                    .as_ref()
                    .is_some_and(|(p, _)| winners[i].as_ref().is_none_or(|w| w.prio < *p))
            }))
        });
        // Could a rule we did not evaluate show or hide this element?
        let rendering_doubt = uncertain_props
            .as_deref()
            .is_some_and(|u| RENDERING_SLOTS.iter().any(|&i| u[i]))
            || candidates_of(&set.maybe_buckets, el, &names, &mut candidate_buffer)
                .iter()
                .any(|&mi| {
                    let (selector, hashes) = &set.maybe_entries[mi as usize];
                    matches(selector, Some(hashes), el, Some(&open.bloom), &mut caches)
                });
        let first = pending_winners.len() as u32;
        let mut bits = filled;
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if let Some(w) = winners[i].take() {
                pending_winners.push((i as u8, w));
            }
        }
        if any_uncertain {
            uncertain_best = [None; N_PROPS];
        }
        let idx = pending.len() as u32;
        pending.push(Pending {
            el,
            parent,
            vars,
            winners: first..pending_winners.len() as u32,
            own_doubt,
            uncertain_props,
            rendering_doubt,
        });
        if shareable {
            if let Some(f) = open.ancestors.last_mut() {
                f.shareable = Some(Shareable {
                    el,
                    idx,
                    vars,
                    sibling_dependent,
                });
            }
        }
        open.enter(el, idx, vars, &names);
    }

    // Second pass: every recorded element's computed style, parents first (the walk's order).
    let root_parent = Computed::root_parent();
    let mut root_font: Option<f64> = None;
    let mut computed: Vec<Computed> = Vec::with_capacity(pending.len());
    // Each recorded element's place in `computed`: an element whose inputs equal an earlier
    // one's ([`ComputedInputs`]) takes its style instead of computing it again.
    let mut place: Vec<u32> = Vec::with_capacity(pending.len());
    // By the hash of their inputs: the last element computed with them, and its place.
    let mut alike: FxHashMap<u64, (ComputedInputs<'_, '_>, u32)> = FxHashMap::default();
    // One array for every element: each empties the slots it filled.
    let mut winners: [Option<Winner<'_>>; N_PROPS] = [const { None }; N_PROPS];
    for p in &pending {
        let own = pending_winners
            .get(p.winners.start as usize..p.winners.end as usize)
            .unwrap_or(&[]);
        let inputs = take_alike
            .then(|| ComputedInputs::of(p, own, &place, inactive_roots))
            .flatten();
        if let Some(inputs) = inputs {
            let hash = inputs.hash();
            match alike.get(&hash) {
                Some((theirs, at)) if theirs.same(&inputs) => {
                    place.push(*at);
                    continue;
                }
                _ => {
                    alike.insert(hash, (inputs, computed.len() as u32));
                }
            }
        }
        for &(i, w) in own {
            winners[i as usize] = Some(w);
        }
        let parent = match p.parent {
            Some(i) => &computed[place[i as usize] as usize],
            None => &root_parent,
        };
        // The first doubt of an ancestor stays; else this element's own.
        let uncertain = parent.uncertain.clone().or_else(|| {
            p.own_doubt.map(|(i, name)| {
                Arc::from(format!(
                    "une règle CSS au sélecteur non évaluable ({name}) peut modifier « {} »",
                    PROPS[i as usize]
                ))
            })
        });
        let c = compute_one(
            p.el,
            parent,
            &winners,
            &scopes[p.vars as usize],
            root_font,
            inactive_roots,
            uncertain,
            p.uncertain_props.as_deref().unwrap_or(&[false; N_PROPS]),
            p.rendering_doubt,
        );
        for &(i, _) in own {
            winners[i as usize] = None;
        }
        if root_font.is_none() {
            root_font = c.font_size;
        }
        place.push(computed.len() as u32);
        computed.push(c);
    }
    let mut index = open.index;
    for i in index.iter_mut().filter(|i| **i != NOT_STYLED) {
        *i = place[*i as usize];
    }
    PageStyles {
        index,
        computed,
        text_elements: open.text_elements,
        notes: Vec::new(),
        prepared: None,
        any_inline_important: markup
            .values()
            .any(|m| m.inline.iter().any(|d| d.important)),
    }
}

/// An open element of the walk.
struct Frame<'a> {
    /// Its computed style (index in `computed`).
    idx: u32,
    /// Its scope of custom properties (index in the walk's scopes).
    vars: u32,
    /// Its last child a later child may take its style from.
    shareable: Option<Shareable<'a>>,
}

/// A computed element whose style a later sibling may take (style sharing, as browsers do).
/// The sibling must have the same name, the same value of every attribute a selector or the
/// cascade reads ([`alike_for_selectors`]), no `style` or presentational hints of its own, and
/// the same outcome for every candidate selector that looks beyond the element and its
/// ancestors (position, siblings: `sibling_dependent`). Every other candidate then matches
/// both alike, so both get the same declarations over the same parent.
struct Shareable<'a> {
    el: ElementRef<'a>,
    idx: u32,
    vars: u32,
    /// The candidates that are not [`Entry::local`], and how each matched.
    sibling_dependent: SmallVec<[(u32, Outcome); 4]>,
}

/// How a selector entry matches an element.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
    No,
    Yes,
    /// Only if a pseudo-class we cannot evaluate holds ([`Entry::uncertain`]).
    Maybe,
}

fn outcome(
    entry: &Entry,
    el: ElementRef<'_>,
    bloom: &BloomFilter,
    caches: &mut SelectorCaches,
) -> Outcome {
    if !matches(
        &entry.selector,
        Some(&entry.hashes),
        el,
        Some(bloom),
        caches,
    ) {
        return Outcome::No;
    }
    match &entry.uncertain {
        Some((_, if_false))
            if !if_false
                .as_ref()
                .is_some_and(|s| matches(s, None, el, None, caches)) =>
        {
            Outcome::Maybe
        }
        _ => Outcome::Yes,
    }
}

/// Attributes the cascade itself reads on an element (besides selectors).
const CASCADE_READS: [&str; 2] = ["aria-hidden", "style"];

/// Whether two elements have the same name and the same attributes, in the same order, with the
/// same values for every attribute a selector or the cascade reads by value.
fn alike_for_selectors(read: &AttributesRead, a: &Element, b: &Element) -> bool {
    a.name == b.name
        && a.attrs.len() == b.attrs.len()
        && a.attrs
            .iter()
            .zip(b.attrs.iter())
            .all(|((na, va), (nb, vb))| {
                na == nb
                    && (va == vb || {
                        let name = crate::format::ascii_lowercase(&na.local);
                        !read.values.contains(name.as_ref())
                            && !CASCADE_READS.contains(&name.as_ref())
                    })
            })
}

/// The walk's open elements and what it has recorded.
struct Open<'a> {
    index: Vec<u32>,
    text_elements: Vec<ego_tree::NodeId>,
    /// The open ancestors: computed index, custom properties, and the last child whose style
    /// a later sibling may share.
    ancestors: Vec<Frame<'a>>,
    /// The ancestor-filter hashes of the open ancestors, each element's above its
    /// `Step::Exit` length.
    hashes: Vec<u32>,
    bloom: BloomFilter,
    stack: Vec<Step<'a>>,
}

impl<'a> Open<'a> {
    /// Records an element's computed style and opens it: its children come next.
    fn enter(&mut self, el: ElementRef<'a>, idx: u32, vars: u32, names: &NamesOf) {
        let node = *el;
        if let Some(slot) = self.index.get_mut(node_index(node.id())) {
            *slot = idx;
        }
        let has_text = node.children().any(|ch| match ch.value() {
            Node::Text(t) => !t.trim().is_empty(),
            _ => false,
        });
        if has_text {
            self.text_elements.push(node.id());
        }
        self.ancestors.push(Frame {
            idx,
            vars,
            shareable: None,
        });
        let below = self.hashes.len();
        let e = el.value();
        self.hashes.push(e.name.local.precomputed_hash());
        self.hashes.extend(names.id);
        self.hashes.extend_from_slice(&names.classes);
        for &h in &self.hashes[below..] {
            self.bloom.insert_hash(h);
        }
        self.stack.push(Step::Exit(below));
        // Children pushed last first, so they are entered in document order.
        let mut child = node.last_child();
        while let Some(ch) = child {
            if ch.value().is_element() {
                self.stack.push(Step::Enter(ch));
            }
            child = ch.prev_sibling();
        }
    }
}

/// The declarations an element's own markup gives: presentational hints and `style`.
struct MarkupDeclarations {
    hints: Vec<Declaration>,
    inline: Vec<Declaration>,
}

/// The elements' markup declarations, parsed before the walk so that the scopes of custom
/// properties can borrow them for as long as the walk lasts. Few elements have any.
fn markup_declarations(page: &Page) -> FxHashMap<ego_tree::NodeId, MarkupDeclarations> {
    let mut out = FxHashMap::default();
    // From the element index: a pass over every node read them all. A node without a parent
    // is never walked.
    for el in page.select(WITH_MARKUP_DECLARATIONS) {
        let e = el.value();
        let hints = presentational_hints(e.name(), |a| e.attribute(a))
            .map(|css| parse_declarations(&css))
            .unwrap_or_default();
        let inline = e
            .attribute("style")
            .map(parse_declarations)
            .unwrap_or_default();
        if !hints.is_empty() || !inline.is_empty() {
            out.insert(el.id(), MarkupDeclarations { hints, inline });
        }
    }
    out
}

/// The only elements that can have markup declarations: a `style` attribute, or a hint of
/// [`presentational_hints`] (`bgcolor` on any element, `color` and `size` on `font`, `text` on
/// `body`). A new hint adds its elements here.
const WITH_MARKUP_DECLARATIONS: &str = "[style], [bgcolor], font, body";

/// CSS equivalent of presentational attributes that affect colours and text size.
fn presentational_hints<'a>(tag: &str, attr: impl Fn(&str) -> Option<&'a str>) -> Option<String> {
    // Legacy colour values are often written without '#'.
    let colour = |v: &str| {
        let v = v.trim();
        if (v.len() == 3 || v.len() == 6) && v.chars().all(|c| c.is_ascii_hexdigit()) {
            format!("#{v}")
        } else {
            v.to_string()
        }
    };
    let mut css = String::new();
    if let Some(c) = match tag {
        "font" => attr("color"),
        "body" => attr("text"),
        _ => None,
    } {
        css.push_str(&format!("color: {};", colour(c)));
    }
    if let Some(bg) = attr("bgcolor") {
        css.push_str(&format!("background-color: {};", colour(bg)));
    }
    if tag == "font" {
        let px = match attr("size").map(str::trim) {
            Some("1") => Some(10),
            Some("2") => Some(13),
            Some("3") => Some(16),
            Some("4") => Some(18),
            Some("5") => Some(24),
            Some("6") => Some(32),
            Some("7") => Some(48),
            _ => None,
        };
        if let Some(px) = px {
            css.push_str(&format!("font-size: {px}px;"));
        }
    }
    (!css.is_empty()).then_some(css)
}

pub(super) fn priority(
    ua: bool,
    inline: bool,
    important: bool,
    layer: u32,
    spec: u32,
    rule: u32,
    decl: u32,
) -> Prio {
    let (tier, layer_key) = match (ua, inline, important) {
        (true, _, _) => (0, 0),
        (false, false, false) => (1, layer),
        (false, true, false) => (2, 0),
        (false, false, true) => (3, u32::MAX - layer),
        (false, true, true) => (4, 0),
    };
    (tier, layer_key, spec, rule, decl)
}

#[allow(clippy::too_many_arguments)]
fn consider<'a>(
    d: &'a Declaration,
    slot: DeclSlot,
    prio: Prio,
    maybe: Option<&'a str>,
    winners: &mut [Option<Winner<'a>>],
    filled: &mut u64,
    custom: &mut FxHashMap<&'a str, Winner<'a>>,
    uncertain_best: &mut [Option<(Prio, &'a str)>],
) {
    let s = match slot {
        DeclSlot::Unused => return,
        DeclSlot::Prop(s) => s as usize,
        DeclSlot::Custom => {
            if maybe.is_some() {
                return;
            }
            let better = custom.get(d.name.as_str()).is_none_or(|w| w.prio < prio);
            if better {
                custom.insert(
                    &d.name,
                    Winner {
                        prio,
                        value: &d.value,
                    },
                );
            }
            return;
        }
    };
    if let Some(name) = maybe {
        if uncertain_best[s].as_ref().is_none_or(|(p, _)| *p < prio) {
            uncertain_best[s] = Some((prio, name));
        }
        return;
    }
    if winners[s].as_ref().is_none_or(|w| w.prio < prio) {
        winners[s] = Some(Winner {
            prio,
            value: &d.value,
        });
        *filled |= 1 << s;
    }
}

/// The winning value of a longhand, taking its shorthand into account:
/// `(value, from_shorthand)`.
fn pick<'a>(
    winners: &'a [Option<Winner<'a>>],
    long: usize,
    short: usize,
) -> Option<(&'a str, bool)> {
    let l = winners[long].as_ref();
    let s = winners[short].as_ref();
    match (l, s) {
        (Some(l), Some(s)) => Some(if s.prio > l.prio {
            (s.value, true)
        } else {
            (l.value, false)
        }),
        (Some(l), None) => Some((l.value, false)),
        (None, Some(s)) => Some((s.value, true)),
        (None, None) => None,
    }
}

fn get<'a>(winners: &'a [Option<Winner<'a>>], slot: usize) -> Option<&'a str> {
    winners[slot].as_ref().map(|w| w.value)
}

#[allow(clippy::too_many_arguments)]
fn compute_one<'w>(
    el: ElementRef<'_>,
    parent: &Computed,
    winners: &'w [Option<Winner<'w>>],
    vars: &'w Vars<'_>,
    root_font: Option<f64>,
    inactive_roots: &FxHashSet<ego_tree::NodeId>,
    uncertain: Option<Arc<str>>,
    uncertain_props: &[bool],
    rendering_doubt: bool,
) -> Computed {
    // Resolve var() and the CSS-wide keywords; `None` = behave as unset.
    // Borrowed from the declaration unless var() was substituted.
    let resolve = |v: &'w str| -> Option<Cow<'w, str>> {
        // Told by the first letter first: nearly every value is none of these.
        let wide = |v: &str| {
            matches!(
                v.as_bytes().first(),
                Some(b'i' | b'I' | b'u' | b'U' | b'r' | b'R')
            ) && ["inherit", "unset", "revert", "revert-layer"]
                .iter()
                .any(|k| v.eq_ignore_ascii_case(k))
        };
        if has_var(v) {
            let substituted = substitute_cow(v, vars)?;
            let trimmed = substituted.trim();
            if wide(trimmed) {
                None
            } else {
                Some(match substituted {
                    Cow::Borrowed(b) => Cow::Borrowed(b.trim()),
                    Cow::Owned(o) if trimmed.len() == o.len() => Cow::Owned(o),
                    Cow::Owned(o) => Cow::Owned(o.trim().to_string()),
                })
            }
        } else {
            let v = v.trim();
            (!wide(v)).then_some(Cow::Borrowed(v))
        }
    };
    let e = el.value();
    let name = e.name();

    // Colour (inherited).
    let color = match get(winners, slot!("color")).map(|v| (v, resolve(v))) {
        None | Some((_, None)) => parent.color.clone(),
        Some((_, Some(v))) if v.eq_ignore_ascii_case("initial") => Ok(Rgba::BLACK),
        Some((raw, Some(v))) => match parse_color(&v) {
            Some(ColorValue::Rgba(c)) => Ok(c),
            Some(ColorValue::Current) => parent.color.clone(),
            None => Err(format!("couleur de texte non prise en charge « {raw} »")),
        },
    };

    // Font size and weight (inherited).
    let mut size_value = None;
    let mut weight_value = None;
    if let Some((v, short)) = pick(winners, slot!("font-size"), slot!("font")) {
        if let Some(v) = resolve(v) {
            if short {
                let (s, w) = split_font_shorthand(&v);
                size_value = Some(s.map(Cow::Owned));
                weight_value = w.map(|w| Some(Cow::Owned(w)));
            } else {
                size_value = Some(Some(v));
            }
        }
    }
    if weight_value.is_none() {
        if let Some((v, short)) = pick(winners, slot!("font-weight"), slot!("font")) {
            if !short {
                weight_value = Some(resolve(v));
            }
        }
    }
    let font_size = match size_value {
        None => parent.font_size,
        Some(None) => None,
        Some(Some(v)) if v.eq_ignore_ascii_case("initial") => Some(16.0),
        Some(Some(v)) => font_size_px(&v, parent.font_size, root_font.or(Some(16.0))),
    };
    let font_weight = match weight_value {
        None | Some(None) => parent.font_weight,
        Some(Some(v)) => font_weight(&v, parent.font_weight),
    };

    // Visibility.
    let mut hidden = parent.hidden;
    let display = get(winners, slot!("display")).and_then(resolve);
    if hidden.is_none()
        && display
            .as_deref()
            .is_some_and(|d| d.eq_ignore_ascii_case("none"))
    {
        hidden = Some("display: none");
    }
    let visibility = get(winners, slot!("visibility"))
        .and_then(resolve)
        .map(|v| v.to_ascii_lowercase());
    let vis_hidden = match visibility.as_deref() {
        Some("hidden") | Some("collapse") => true,
        Some("visible") => false,
        _ => parent.hidden == Some("visibility: hidden"),
    };
    if parent.hidden == Some("visibility: hidden") && !vis_hidden {
        hidden = None;
    }
    if hidden.is_none() && vis_hidden {
        hidden = Some("visibility: hidden");
    }
    let position = get(winners, slot!("position"))
        .and_then(resolve)
        .map(|v| v.to_ascii_lowercase());
    let out_of_flow = matches!(position.as_deref(), Some("absolute") | Some("fixed"));
    let len = |n: usize| {
        get(winners, n)
            .and_then(resolve)
            .and_then(|v| length_px(&v, font_size, root_font))
    };
    if hidden.is_none() {
        let far = |v: Option<f64>| v.is_some_and(|x| x <= -999.0);
        let indent = len(slot!("text-indent"));
        let overflow_hidden = get(winners, slot!("overflow"))
            .and_then(resolve)
            .is_some_and(|o| {
                let o = o.to_ascii_lowercase();
                o.contains("hidden") || o.contains("clip")
            });
        let tiny = |v: Option<f64>| v.is_some_and(|x| x <= 1.0);
        let opacity = opacity_of(get(winners, slot!("opacity")).and_then(resolve).as_deref());
        if out_of_flow
            && (far(len(slot!("left")))
                || far(len(slot!("top")))
                || far(len(slot!("right")))
                || far(len(slot!("bottom"))))
        {
            hidden = Some("positionné hors écran");
        } else if far(indent)
            || (indent.is_none()
                && parent.text_indent_hidden
                && get(winners, slot!("text-indent")).is_none())
        {
            hidden = Some("décalé hors écran (text-indent)");
        } else if (out_of_flow && clip_hides(get(winners, slot!("clip")), None))
            || clip_hides(None, get(winners, slot!("clip-path")))
        {
            hidden = Some("masqué par découpage (clip)");
        } else if overflow_hidden && (tiny(len(slot!("width"))) || tiny(len(slot!("height")))) {
            hidden = Some("réduit à 1 px (masquage accessible)");
        } else if font_size.is_some_and(|s| s < 0.5) {
            hidden = Some("taille de police nulle");
        } else if opacity <= 0.0 {
            hidden = Some("opacity: 0");
        } else if matches!(&color, Ok(c) if c.a <= 0.0) {
            hidden = Some("texte transparent");
        }
    }
    let text_indent_hidden = len(slot!("text-indent"))
        .map(|x| x <= -999.0)
        .unwrap_or(parent.text_indent_hidden && get(winners, slot!("text-indent")).is_none());

    // Effects we cannot compute.
    let mut effects = parent.effects.clone();
    let mut shadow = parent.shadow.clone();
    // Transparent, or no offset and no blur: drawn under the glyphs, a shadow changes nothing.
    // A shadow whose colours are known is kept apart: the contrast rule bounds its blends.
    if let Some(v) = get(winners, slot!("text-shadow")).and_then(resolve) {
        let v = v.to_ascii_lowercase();
        if effects
            .as_deref()
            .is_some_and(|e| e.contains("text-shadow"))
        {
            effects = None;
        }
        shadow = None;
        if !(v == "none" || v == "initial" || shadow_is_neutral(&v)) {
            match shadow_colors(&v) {
                Some(colors) => shadow = Some(Arc::new(colors)),
                None => effects = Some(Arc::from(SHADOW_EFFECT)),
            }
        }
    }
    // A drop-shadow() filter paints outside the shapes it follows: on an element with an
    // opaque background, outside its box, never over its text (decided once the background is).
    let mut drop_shadow: Option<String> = None;
    if effects.is_none() {
        for (prop, slot, neutral) in [
            ("filter", slot!("filter"), "none"),
            ("backdrop-filter", slot!("backdrop-filter"), "none"),
            ("mix-blend-mode", slot!("mix-blend-mode"), "normal"),
        ] {
            if let Some(v) = get(winners, slot).and_then(resolve) {
                let neutral_shadow = prop == "filter" && filter_is_neutral_shadow(&v);
                if prop == "filter" && !neutral_shadow && filter_is_drop_shadow(&v) {
                    drop_shadow = Some(v.into_owned());
                    continue;
                }
                if !(v.eq_ignore_ascii_case(neutral)
                    || v.eq_ignore_ascii_case("initial")
                    || neutral_shadow)
                {
                    effects = Some(Arc::from(format!(
                        "{prop}: {v} modifie les couleurs rendues"
                    )));
                    break;
                }
            }
        }
    }
    if effects.is_none() {
        for slot in [slot!("background-clip"), slot!("-webkit-background-clip")] {
            if get(winners, slot).is_some_and(|v| v.to_ascii_lowercase().contains("text")) {
                effects = Some(Arc::from(
                    "texte rempli par le fond (background-clip: text)",
                ));
            }
        }
        // A stroke redraws the glyphs' outline in another colour: the contrast is that of
        // the outline as much as the fill.
        let stroke = pick(
            winners,
            slot!("-webkit-text-stroke-width"),
            slot!("-webkit-text-stroke"),
        )
        .and_then(|(v, _)| resolve(v))
        .filter(|v| {
            let first = v.split_whitespace().next().unwrap_or("");
            !(first.is_empty()
                || first.eq_ignore_ascii_case("initial")
                || length_px(first, font_size, root_font).is_some_and(|px| px <= 0.0))
        });
        if let Some(v) = stroke {
            effects = Some(Arc::from(format!(
                "contour des lettres (-webkit-text-stroke: {v})"
            )));
        }
        if let Some(v) = get(winners, slot!("-webkit-text-fill-color")).and_then(resolve) {
            if !v.eq_ignore_ascii_case("currentcolor") && !v.eq_ignore_ascii_case("initial") {
                effects = Some(Arc::from(format!(
                    "-webkit-text-fill-color: {v} remplace la couleur"
                )));
            }
        }
    }

    // Background.
    let mut base = parent.backdrop.clone();
    if out_of_flow {
        base = Err(format!(
            "élément positionné (position: {}) : ce qui est derrière dépend de la mise en page",
            position.as_deref().unwrap_or("absolute")
        ));
    }
    let mut bg_color: Result<Option<Result<Rgba, String>>, String> = Ok(None);
    let mut image: Option<&'static str> = None;
    let mut image_text: Option<Cow<'w, str>> = None;
    if let Some((v, short)) = pick(winners, slot!("background-color"), slot!("background")) {
        match resolve(v) {
            None => {}
            Some(v) if short => {
                let parts = parse_background(&v);
                image = parts.image;
                image_text = Some(v.clone());
                bg_color = parts.color.map(|c| c.map(|c| current(c, &color)));
            }
            Some(v) => {
                bg_color = match parse_color(&v) {
                    Some(c) => Ok(Some(current(c, &color))),
                    None if v.eq_ignore_ascii_case("initial") => Ok(None),
                    None => Err(format!("couleur de fond non prise en charge « {v} »")),
                }
            }
        }
    }
    if let Some((v, short)) = pick(winners, slot!("background-image"), slot!("background")) {
        if !short {
            let text = resolve(v);
            image = text.as_deref().and_then(image_kind);
            image_text = text;
        }
    }
    let bg_color = match bg_color {
        Ok(Some(Err(e))) => Err(e),
        Ok(Some(Ok(c))) => Ok(Some(c)),
        Ok(None) => Ok(None),
        Err(e) => Err(e),
    };
    if let Some(v) = drop_shadow {
        let boxed = image.is_none() && matches!(&bg_color, Ok(Some(c)) if c.is_opaque());
        if !boxed && effects.is_none() {
            effects = Some(Arc::from(format!(
                "filter: {v} modifie les couleurs rendues"
            )));
        }
    }
    // Layers that paint only beside the text: underline strips (DSFR links: a 1–2 px strip,
    // not repeated) and images kept in the padding (DSFR radio circles, callout borders, icons
    // before or after a link's text) are decoration, not the background behind the glyphs.
    if image.is_some() && background_beside_text(winners, &resolve, font_size, root_font) {
        image = None;
    }
    let mut gradient = None;
    let backdrop = if let Some(kind) = image {
        if kind == "dégradé" {
            gradient = image_text
                .as_deref()
                .and_then(gradient_stops)
                .and_then(|stops| {
                    stops
                        .into_iter()
                        .map(|s| {
                            let c = current(s, &color).ok()?;
                            if c.is_opaque() {
                                Some(Rgba { a: 1.0, ..c })
                            } else {
                                // Translucent stops show the element's colour, then what is behind.
                                let under = match &bg_color {
                                    Ok(Some(b)) if b.is_opaque() => Ok(*b),
                                    Ok(Some(b)) => base.clone().map(|x| b.over(x)),
                                    Ok(None) => base.clone(),
                                    _ => Err(String::new()),
                                };
                                under.ok().map(|u| c.over(u))
                            }
                        })
                        .collect::<Option<Vec<Rgba>>>()
                })
                .map(Arc::new);
        }
        Err(format!(
            "{kind} en arrière-plan : la couleur de fond réelle n'est pas connue"
        ))
    } else {
        match bg_color {
            Err(e) => Err(e),
            Ok(None) => {
                if !out_of_flow {
                    gradient = parent.gradient.clone();
                }
                base.clone()
            }
            Ok(Some(c)) if c.a <= 0.0 => {
                if !out_of_flow {
                    gradient = parent.gradient.clone();
                }
                base.clone()
            }
            Ok(Some(c)) if c.is_opaque() => Ok(Rgba { a: 1.0, ..c }),
            Ok(Some(c)) => base.clone().map(|b| c.over(b)),
        }
    };
    let opacity = opacity_of(get(winners, slot!("opacity")).and_then(resolve).as_deref());
    let groups = if opacity < 1.0 {
        let mut g: Vec<_> = parent.groups.as_deref().cloned().unwrap_or_default();
        g.push((base, opacity));
        Some(Arc::new(g))
    } else {
        parent.groups.clone()
    };

    let (spacing, line_box) = text_layout(
        el,
        parent,
        winners,
        &resolve,
        uncertain_props,
        font_size,
        root_font,
        display.as_deref(),
        out_of_flow,
    );

    // Rendering, for the visibility answer (independent of `hidden`, which is about sight).
    let display_winner = winners[slot!("display")].as_ref();
    let display_none = display
        .as_deref()
        .is_some_and(|d| d.eq_ignore_ascii_case("none"))
        // Of the browser defaults, only the `hidden` attribute's rule (as markup says).
        && (display_winner.is_some_and(|w| w.prio.0 > 0) || e.attribute("hidden").is_some())
        // An image map area is exposed through its image, whatever its own box.
        && name != "area";
    let invisible = match visibility.as_deref() {
        Some("hidden") | Some("collapse") => true,
        Some("visible") => false,
        _ => parent.invisible,
    };
    let skips_content = get(winners, slot!("content-visibility"))
        .and_then(resolve)
        .is_some_and(|v| v.eq_ignore_ascii_case("hidden"));
    let foreign = parent.foreign || matches!(name, "svg" | "math");
    let aria_hidden = parent.aria_hidden
        || crate::page::attribute_atom(e, &html5ever::local_name!("aria-hidden"))
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    Computed {
        color,
        backdrop,
        font_size,
        font_weight,
        hidden,
        display_inline: display
            .as_deref()
            .and_then(crate::css::text::inline_display),
        inactive: parent.inactive || inactive_roots.contains(&el.id()),
        aria_hidden,
        not_rendered: parent.not_rendered || display_none,
        invisible,
        content_skipped: parent.content_skipped || parent.skips_content,
        skips_content,
        display_doubt: parent.display_doubt || rendering_doubt,
        foreign,
        effects,
        shadow,
        gradient,
        groups,
        uncertain,
        text_indent_hidden,
        spacing,
        line_box,
    }
}

/// The winning declaration of a longhand or its shorthand: `(winner, from_shorthand)`.
fn pick_winner<'a>(
    winners: &'a [Option<Winner<'a>>],
    long: usize,
    short: Option<usize>,
) -> Option<(&'a Winner<'a>, bool)> {
    let l = winners[long].as_ref();
    let s = short.and_then(|i| winners[i].as_ref());
    match (l, s) {
        (Some(l), Some(s)) => Some(if s.prio > l.prio {
            (s, true)
        } else {
            (l, false)
        }),
        (Some(l), None) => Some((l, false)),
        (None, Some(s)) => Some((s, true)),
        (None, None) => None,
    }
}

/// Text spacing and line box of one element (WCAG 1.4.12 rules).
#[allow(clippy::too_many_arguments)]
fn text_layout<'w>(
    el: ElementRef<'_>,
    parent: &Computed,
    winners: &'w [Option<Winner<'w>>],
    resolve: &dyn Fn(&'w str) -> Option<Cow<'w, str>>,
    uncertain_props: &[bool],
    font_size: Option<f64>,
    root_font: Option<f64>,
    display: Option<&str>,
    out_of_flow: bool,
) -> (Arc<TextSpacing>, LineBox) {
    let uncertain = |i: usize| uncertain_props[i];
    let one = |prop: Property, long: usize, short: Option<usize>, parent: &spacing::Spacing| {
        let won = pick_winner(winners, long, short);
        // Inline `!important` declarations win over every author rule (tier 4).
        let inline_important = won.is_some_and(|(w, _)| w.prio.0 == 4);
        let declared = won.map(|(w, from_short)| {
            let mut value = resolve(w.value).map(Cow::into_owned);
            let mut raw = w.value.to_string();
            if from_short {
                value = value.map(|v| {
                    spacing::font_shorthand_line_height(&v).unwrap_or_else(|| format!("font: {v}"))
                });
                raw = format!(
                    "{} (raccourci font: {})",
                    value.as_deref().unwrap_or("?"),
                    w.value
                );
            }
            Declared {
                value,
                raw,
                inline_important,
            }
        });
        spacing::compute_one(
            prop,
            parent,
            declared,
            uncertain(long) && !inline_important,
            el.id(),
            font_size,
            root_font,
        )
    };
    let p = &parent.spacing;
    let any_set = [
        slot!("letter-spacing"),
        slot!("word-spacing"),
        slot!("line-height"),
        slot!("font"),
    ]
    .into_iter()
    .any(|n| get(winners, n).is_some() || uncertain(n));
    // Font-relative lengths are computed once, where declared: children share the value.
    let spacing = if any_set {
        let s = TextSpacing {
            letter: one(Property::Letter, slot!("letter-spacing"), None, &p.letter),
            word: one(Property::Word, slot!("word-spacing"), None, &p.word),
            line: one(
                Property::Line,
                slot!("line-height"),
                Some(slot!("font")),
                &p.line,
            ),
        };
        if s == **p {
            p.clone()
        } else {
            Arc::new(s)
        }
    } else {
        p.clone()
    };
    let val = |n: usize| get(winners, n).and_then(resolve);
    let name = el.value().name();
    let input = spacing::BoxInput {
        tag: name,
        display,
        block_by_default: crate::page::text::block_by_default(el.value()),
        out_of_flow,
        width: val(slot!("width")),
        max_width: val(slot!("max-width")),
        min_width: val(slot!("min-width")),
        box_sizing: val(slot!("box-sizing")),
        white_space: val(slot!("white-space")),
        text_wrap: val(slot!("text-wrap")).or_else(|| val(slot!("text-wrap-mode"))),
        font_size,
        root_font,
    };
    (spacing, spacing::line_box(&parent.line_box, &input))
}

/// Whether every background layer paints only where no text is: each layer is not repeated
/// along an axis and, along it, is a strip of at most 2 px or lies in the padding on that side
/// (`background-position` from that edge, `background-size` in lengths). The DSFR's radio
/// circle: `background-size: 1.875rem` at `calc(-0.25rem + 1px)` with `padding-left: 2rem`.
/// Undecided (false) when a longhand is overridden by the `background` shorthand, when the
/// layers are positioned from the content box or against the viewport, or when a negative
/// `text-indent` may pull the text into the padding.
fn background_beside_text<'w>(
    winners: &'w [Option<Winner<'w>>],
    resolve: &dyn Fn(&'w str) -> Option<Cow<'w, str>>,
    fs: Option<f64>,
    rfs: Option<f64>,
) -> bool {
    let longhand = |name: usize| match pick(winners, name, slot!("background")) {
        Some((v, false)) => resolve(v),
        _ => None,
    };
    // The image layers may come from the shorthand; the other longhands must win over it
    // (a later shorthand resets them).
    let images =
        pick(winners, slot!("background-image"), slot!("background")).and_then(|(v, _)| resolve(v));
    let (Some(images), Some(repeat), Some(size)) = (
        images,
        longhand(slot!("background-repeat")),
        longhand(slot!("background-size")),
    ) else {
        return false;
    };
    let position = match pick(winners, slot!("background-position"), slot!("background")) {
        None => Cow::Borrowed("0% 0%"),
        Some((v, false)) => match resolve(v) {
            Some(v) => v,
            None => return false,
        },
        Some((_, true)) => return false,
    };
    let origin_ok = get(winners, slot!("background-origin"))
        .and_then(resolve)
        .is_none_or(|o| {
            o.split(',')
                .all(|o| matches!(o.trim(), "padding-box" | "border-box" | "initial"))
        });
    let attachment_ok = get(winners, slot!("background-attachment"))
        .and_then(resolve)
        .is_none_or(|a| !a.to_ascii_lowercase().contains("fixed"));
    let indent_ok = get(winners, slot!("text-indent"))
        .and_then(resolve)
        .is_none_or(|t| length_or_math_px(&t, fs, rfs).is_some_and(|px| px >= 0.0));
    if !(origin_ok && attachment_ok && indent_ok) {
        return false;
    }
    let padding =
        ["top", "right", "bottom", "left"].map(|side| padding_px(winners, side, resolve, fs, rfs));
    let layers = split_top_level(&images, true).len();
    let (sizes, positions, repeats) = (
        split_top_level(&size, true),
        split_top_level(&position, true),
        split_top_level(&repeat, true),
    );
    if layers == 0 || sizes.is_empty() || positions.is_empty() || repeats.is_empty() {
        return false;
    }
    (0..layers).all(|i| {
        let (w, h) = layer_size(sizes[i % sizes.len()], fs, rfs);
        let (x, y) = position_axes(positions[i % positions.len()], fs, rfs);
        let (repeat_x, repeat_y) = repeat_axes(repeats[i % repeats.len()]);
        let beside = |len: Option<f64>, at: Axis, start: Option<f64>, end: Option<f64>| {
            let Some(len) = len else { return false };
            if len <= 2.0 {
                return true;
            }
            match at {
                Axis::Start(offset) => start.is_some_and(|p| offset + len <= p),
                Axis::End(offset) => end.is_some_and(|p| offset + len <= p),
                Axis::Elsewhere => false,
            }
        };
        (!repeat_x && beside(w, x, padding[3], padding[1]))
            || (!repeat_y && beside(h, y, padding[0], padding[2]))
    })
}

/// Width and height of one `background-size` layer in px (`None`: `auto`, `cover`, a
/// percentage… not known without layout; `0` and `0%` are zero).
fn layer_size(layer: &str, fs: Option<f64>, rfs: Option<f64>) -> (Option<f64>, Option<f64>) {
    let len = |w: &str| match w {
        "0%" => Some(0.0),
        w => length_or_math_px(w, fs, rfs),
    };
    let words = split_top_level(layer, false);
    match words.as_slice() {
        [w] => (len(w), None),
        [w, h] => (len(w), len(h)),
        _ => (None, None),
    }
}

/// Where a background layer sits along one axis of its positioning area.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Axis {
    /// At this many px from the left or top edge.
    Start(f64),
    /// At this many px from the right or bottom edge.
    End(f64),
    /// Centred, a percentage, or unknown.
    Elsewhere,
}

/// The horizontal and vertical placement of one `background-position` layer (one to four
/// values: `left`, `10px`, `calc(-0.25rem + 1px) 0`, `right 4px center`…).
fn position_axes(layer: &str, fs: Option<f64>, rfs: Option<f64>) -> (Axis, Axis) {
    let words = split_top_level(layer, false);
    let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
    let keyword = |w: &str| matches!(w, "left" | "right" | "top" | "bottom" | "center");
    let vertical = |w: &str| matches!(w, "top" | "bottom");
    let horizontal = |w: &str| matches!(w, "left" | "right");
    let single = |w: &str| match w {
        "left" | "top" | "0%" => Axis::Start(0.0),
        "right" | "bottom" | "100%" => Axis::End(0.0),
        w => length_or_math_px(w, fs, rfs).map_or(Axis::Elsewhere, Axis::Start),
    };
    match lower.as_slice() {
        [one] if vertical(one) => (Axis::Elsewhere, single(one)),
        [one] => (single(one), Axis::Elsewhere),
        [a, b] if vertical(a) || horizontal(b) => (single(b), single(a)),
        [a, b] => (single(a), single(b)),
        // Three or four values: edge keywords, each optionally followed by its offset.
        _ if lower.len() <= 4 && lower.first().is_some_and(|w| keyword(w)) => {
            let (mut x, mut y) = (None, None);
            let mut i = 0;
            while i < lower.len() {
                let kw = lower[i].as_str();
                if !keyword(kw) {
                    return (Axis::Elsewhere, Axis::Elsewhere);
                }
                let offset = lower.get(i + 1).filter(|w| !keyword(w));
                let at = match (kw, offset) {
                    ("center", Some(_)) => return (Axis::Elsewhere, Axis::Elsewhere),
                    ("center", None) => Axis::Elsewhere,
                    (_, None) => single(kw),
                    (_, Some(o)) => match length_or_math_px(o, fs, rfs) {
                        Some(px) if matches!(kw, "left" | "top") => Axis::Start(px),
                        Some(px) => Axis::End(px),
                        None => Axis::Elsewhere,
                    },
                };
                match kw {
                    "left" | "right" => x = Some(at),
                    "top" | "bottom" => y = Some(at),
                    _ if x.is_none() => x = Some(at),
                    _ => y = Some(at),
                }
                i += if offset.is_some() { 2 } else { 1 };
            }
            (x.unwrap_or(Axis::Elsewhere), y.unwrap_or(Axis::Elsewhere))
        }
        _ => (Axis::Elsewhere, Axis::Elsewhere),
    }
}

/// Whether one `background-repeat` layer repeats horizontally and vertically.
fn repeat_axes(layer: &str) -> (bool, bool) {
    let one = |w: &str| !w.eq_ignore_ascii_case("no-repeat");
    let words: Vec<&str> = layer.split_whitespace().collect();
    match words.as_slice() {
        [w] if w.eq_ignore_ascii_case("repeat-x") => (true, false),
        [w] if w.eq_ignore_ascii_case("repeat-y") => (false, true),
        [w] => (one(w), one(w)),
        [a, b] => (one(a), one(b)),
        _ => (true, true),
    }
}

/// Padding of one side in px, from its longhand or the `padding` shorthand, whichever wins.
fn padding_px<'w>(
    winners: &'w [Option<Winner<'w>>],
    side: &str,
    resolve: &dyn Fn(&'w str) -> Option<Cow<'w, str>>,
    fs: Option<f64>,
    rfs: Option<f64>,
) -> Option<f64> {
    let long = match side {
        "top" => slot!("padding-top"),
        "right" => slot!("padding-right"),
        "bottom" => slot!("padding-bottom"),
        _ => slot!("padding-left"),
    };
    let (value, short) = pick(winners, long, slot!("padding"))?;
    let value = resolve(value)?;
    if !short {
        return length_or_math_px(&value, fs, rfs).filter(|px| *px >= 0.0);
    }
    let words = split_top_level(&value, false);
    // top right bottom left, with the shorthand's repetitions.
    let i = match (words.len(), side) {
        (1, _) => 0,
        (2, "top" | "bottom") | (3, "top") | (4, "top") => 0,
        (2, _) | (3, "right" | "left") | (4, "right") => 1,
        (3, _) | (4, "bottom") => 2,
        (4, _) => 3,
        _ => return None,
    };
    let word = words.get(i)?;
    length_or_math_px(word, fs, rfs).filter(|px| *px >= 0.0)
}

fn current(c: ColorValue, color: &Result<Rgba, String>) -> Result<Rgba, String> {
    match c {
        ColorValue::Rgba(c) => Ok(c),
        ColorValue::Current => color.clone(),
    }
}

fn opacity_of(v: Option<&str>) -> f64 {
    let Some(v) = v else { return 1.0 };
    let v = v.trim();
    if let Some(p) = v.strip_suffix('%') {
        return p
            .trim()
            .parse::<f64>()
            .map(|x| x / 100.0)
            .unwrap_or(1.0)
            .clamp(0.0, 1.0);
    }
    v.parse::<f64>().unwrap_or(1.0).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::super::Cascaded;
    use super::*;
    use url::Url;

    /// `markup_declarations` reads only the elements of `WITH_MARKUP_DECLARATIONS`: every
    /// element a presentational hint applies to must be one of them, or its legacy colours
    /// and sizes would be silently left out of the cascade (a hint added without its
    /// elements fails here).
    #[test]
    fn every_element_with_a_hint_is_read_for_markup_declarations() {
        let tags = [
            "font", "basefont", "body", "table", "tr", "td", "th", "p", "div", "span", "hr",
            "marquee", "a", "li", "tbody", "col", "caption",
        ];
        // One attribute an element, so that no other attribute brings it into the selector.
        let attrs = [
            "color=red",
            "text=blue",
            "bgcolor=ffffff",
            "size=5",
            "face=serif",
            "background=x.png",
            "link=red",
        ];
        for attr in attrs {
            let each: String = tags
                .iter()
                .map(|t| format!("<{t} {attr}>x</{t}>"))
                .collect();
            let html = format!("<html><body {attr}><table {attr}>{each}</table>{each}");
            let page = Page::parse(Url::parse("http://t.test/").expect("url"), &html);
            let read: FxHashSet<ego_tree::NodeId> = page
                .select(WITH_MARKUP_DECLARATIONS)
                .map(|e| e.id())
                .collect();
            for el in page.root().descendants().filter_map(ElementRef::wrap) {
                let e = el.value();
                if presentational_hints(e.name(), |a| e.attribute(a)).is_some() {
                    assert!(read.contains(&el.id()), "<{} {attr}> has a hint", e.name());
                }
            }
        }
    }

    #[test]
    fn background_layer_geometry() {
        let r = Some(16.0);
        assert_eq!(
            split_top_level("max(1px, 2px) 0, 3px", true).as_slice(),
            ["max(1px, 2px) 0", "3px"]
        );
        assert_eq!(
            position_axes("calc(-0.25rem + 1px) calc(-0.25rem + 1px)", r, r),
            (Axis::Start(-3.0), Axis::Start(-3.0))
        );
        assert_eq!(
            position_axes("top", r, r),
            (Axis::Elsewhere, Axis::Start(0.0))
        );
        assert_eq!(
            position_axes("bottom left", r, r),
            (Axis::Start(0.0), Axis::End(0.0))
        );
        assert_eq!(
            position_axes("right .25rem center", r, r),
            (Axis::End(4.0), Axis::Elsewhere)
        );
        assert_eq!(
            position_axes("left 2px bottom 10%", r, r),
            (Axis::Start(2.0), Axis::Elsewhere)
        );
        assert_eq!(
            position_axes("50% 0", r, r),
            (Axis::Elsewhere, Axis::Start(0.0))
        );
        assert_eq!(
            position_axes("center 3px", r, r),
            (Axis::Elsewhere, Axis::Start(3.0))
        );
        assert_eq!(repeat_axes("repeat-y"), (false, true));
        assert_eq!(repeat_axes("no-repeat repeat"), (false, true));
        assert_eq!(repeat_axes("space"), (true, true));
        assert_eq!(layer_size("1.875rem", r, r), (Some(30.0), None));
        assert_eq!(layer_size("0% 1px", r, r), (Some(0.0), Some(1.0)));
        assert_eq!(layer_size("cover", r, r), (None, None));
    }

    fn page(html: &str) -> Page {
        Page::parse(Url::parse("http://t.test/").expect("url"), html)
    }

    fn style_of<'a>(p: &'a Page, id: &str) -> &'a Computed {
        let el = p.element_by_id(id).expect("element");
        p.styles().get(el).expect("computed")
    }

    fn hex(c: &Result<Rgba, String>) -> String {
        match c {
            Ok(c) => c.to_hex(),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn cascade_order_specificity_importance_inline() {
        let p = page(
            "<style>p{color:red} .a{color:green} #x{color:blue} p{color:#111}\
             .imp{color:#222 !important} @layer l { .lay { color: #333 !important } }\
             .lay{color:#444 !important}</style>\
             <p id=x class=a>1</p><p id=y class=a>2</p><p id=z>3</p>\
             <p id=i class=imp style='color:#999'>4</p><p id=s style='color:#555'>5</p>\
             <p id=l class='lay imp'>6</p>",
        );
        assert_eq!(hex(&style_of(&p, "x").color), "#0000ff");
        assert_eq!(hex(&style_of(&p, "y").color), "#008000");
        assert_eq!(hex(&style_of(&p, "z").color), "#111111");
        assert_eq!(hex(&style_of(&p, "i").color), "#222222");
        assert_eq!(hex(&style_of(&p, "s").color), "#555555");
        // Important declarations in a layer beat unlayered important ones.
        assert_eq!(hex(&style_of(&p, "l").color), "#333333");
    }

    /// Rules filed by tag reach their elements: HTML ones by their own name's atom, SVG ones
    /// whose names have capitals (`foreignObject`) by the lower-cased name, as the selectors'.
    #[test]
    fn rules_by_tag_reach_html_and_camel_case_svg_elements() {
        let p = page(
            "<style>p{color:#00ff00} foreignObject{color:#ff0000} lineargradient{color:#0000ff}\
             DIV{color:#123456}</style><p id=p>1</p><div id=d>2</div>\
             <svg><foreignObject id=f>3</foreignObject><text id=t>4</text></svg>",
        );
        assert_eq!(hex(&style_of(&p, "p").color), "#00ff00");
        assert_eq!(hex(&style_of(&p, "d").color), "#123456");
        assert_eq!(hex(&style_of(&p, "f").color), "#ff0000");
        assert_eq!(hex(&style_of(&p, "t").color), "#000000");
    }

    #[test]
    fn inheritance_fonts_and_backgrounds() {
        let p = page(
            "<style>html{font-size:20px} body{color:#123456;background:#000} \
             .box{background-color:rgba(255,255,255,.5);font-size:1.5em;font-weight:bold}\
             .box span{font-size:50%;font-weight:lighter}</style>\
             <body><div class=box id=b><span id=s>t</span></div><h1 id=h>T</h1></body>",
        );
        let b = style_of(&p, "b");
        assert_eq!(hex(&b.color), "#123456");
        assert_eq!(b.font_size, Some(30.0));
        assert_eq!(b.font_weight, Some(700));
        // 50 % white over black.
        assert_eq!(hex(&b.backdrop), "#808080");
        let s = style_of(&p, "s");
        assert_eq!(s.font_size, Some(15.0));
        assert_eq!(s.font_weight, Some(400));
        assert_eq!(hex(&s.backdrop), "#808080");
        let h = style_of(&p, "h");
        assert_eq!(h.font_size, Some(40.0));
        assert_eq!(h.font_weight, Some(700));
    }

    #[test]
    fn hidden_and_unknown() {
        let p = page(
            "<style>.n{display:none} .v{visibility:hidden} .v .back{visibility:visible}\
             .g{background-image:linear-gradient(red,blue)} .g .solid{background:#fff}\
             .abs{position:absolute}</style>\
             <div class=n><p id=n>x</p></div><div class=v><p id=v>x</p><p class=back id=back>x</p></div>\
             <div class=g><p id=g>x</p><p class=solid id=solid>x</p></div>\
             <div class=abs><p id=abs>x</p></div><div hidden><p id=h>x</p></div>\
             <div style='display:block' hidden><p id=shown>x</p></div>",
        );
        assert!(style_of(&p, "n").hidden.is_some());
        assert!(style_of(&p, "v").hidden.is_some());
        assert!(style_of(&p, "back").hidden.is_none());
        assert!(style_of(&p, "g").backdrop.is_err());
        assert_eq!(hex(&style_of(&p, "solid").backdrop), "#ffffff");
        assert!(style_of(&p, "abs").backdrop.is_err());
        let u = page(
            "<style>a{background-image:linear-gradient(0deg,currentColor,currentColor);\
             background-size:100% 1px;background-repeat:no-repeat}</style><a id=a href=x>l</a>",
        );
        assert_eq!(hex(&style_of(&u, "a").backdrop), "#ffffff");
        assert!(style_of(&p, "h").hidden.is_some());
        // Author display beats the UA rule for [hidden].
        assert!(style_of(&p, "shown").hidden.is_none());
    }

    #[test]
    fn alike_siblings_share_styles_unless_a_selector_tells_them_apart() {
        let p = page(
            "<style>li{color:#111111} li:first-child{color:#ff0000} li+li.x{color:#00ff00}\
             li:nth-child(4){color:#0000ff} a{color:#222222} a[href$='.pdf']{color:#333333}\
             p{color:#444444} p:empty{display:none} span:not(:last-child){color:#555555}\
             [data-kind=b]{color:#666666}</style>\
             <ul><li id=l1>a</li><li id=l2>b</li><li id=l3>c</li><li id=l4>d</li><li id=l5>e</li>\
             <li class=x id=l6>f</li><li class=x id=l7>g</li></ul>\
             <div><a id=a1 href=/a data-n=1>a</a><a id=a2 href=/b data-n=2>b</a>\
             <a id=a3 href=/c.pdf data-n=3>c</a><a id=a4 href=/c.pdf data-n=4>d</a></div>\
             <div><p id=p1>x</p><p id=p2></p><p id=p3 aria-hidden=true>x</p>\
             <p id=p4 style='color:#777777'>x</p><p id=p5 data-kind=b>x</p>\
             <p id=p6 data-kind=c>x</p></div>\
             <div><span id=s1>a</span><span id=s2>b</span></div>",
        );
        let color = |id: &str| hex(&style_of(&p, id).color);
        let same = |a: &str, b: &str| std::ptr::eq(style_of(&p, a), style_of(&p, b));
        // Position and siblings: evaluated for each element.
        assert_eq!(
            ["l1", "l2", "l3", "l4", "l5", "l6", "l7"].map(color),
            ["#ff0000", "#111111", "#111111", "#0000ff", "#111111", "#00ff00", "#00ff00"]
        );
        // Attributes a selector reads by value (href, data-kind) or the cascade reads
        // (aria-hidden, style); the others (data-n, id here) do not tell siblings apart.
        assert_eq!(
            ["a1", "a2", "a3", "a4"].map(color),
            ["#222222", "#222222", "#333333", "#333333"]
        );
        assert_eq!(
            ["p1", "p3", "p4", "p5", "p6"].map(color),
            ["#444444", "#444444", "#777777", "#666666", "#444444"]
        );
        assert!(style_of(&p, "p1").hidden.is_none());
        assert!(style_of(&p, "p2").hidden.is_some(), ":empty");
        assert!(style_of(&p, "p3").aria_hidden && !style_of(&p, "p1").aria_hidden);
        assert_eq!(["s1", "s2"].map(color), ["#555555", "#000000"]);
        // Shared where nothing tells them apart.
        assert!(same("l2", "l3") && same("l6", "l7") && same("a3", "a4"));
        assert!(!same("a2", "a3") && !same("p1", "p2") && !same("p5", "p6"));
    }

    /// The ancestor filter holds only the ids and classes the selectors name (`FilterNames`):
    /// every name an ancestor compound asks for, plain or inside `:is`/`:where`, must be in it,
    /// or the filter would reject a matching element. Classes no selector names change nothing.
    #[test]
    fn ancestor_filter_knows_every_name_the_selectors_ask() {
        let p = page(
            "<style>.a .t{color:#111111} #b .u{color:#222222} :is(.c) .v{color:#333333}\
             :where(#d) > .w{color:#444444} .e:not(.zz) .x{color:#555555}</style>\
             <div class='a autre'><p id=t class=t>1</p></div><div id=b><p id=u class=u>2</p></div>\
             <div class='c c'><p id=v class=v>3</p></div><div id=d><p id=w class=w>4</p></div>\
             <div class=e><p id=x class=x>5</p></div><div class=zz><p id=y class=t>6</p></div>",
        );
        assert_eq!(hex(&style_of(&p, "t").color), "#111111");
        assert_eq!(hex(&style_of(&p, "u").color), "#222222");
        assert_eq!(hex(&style_of(&p, "v").color), "#333333");
        assert_eq!(hex(&style_of(&p, "w").color), "#444444");
        assert_eq!(hex(&style_of(&p, "x").color), "#555555");
        assert_eq!(hex(&style_of(&p, "y").color), "#000000");
    }

    #[test]
    fn unevaluable_selector_makes_colour_uncertain() {
        let p = page(
            "<style>div:has(.x) p{color:#eee} p:lang(en){color:#eee}</style>\
             <div><span class=x></span><p id=a>x</p></div><div><p id=b>x</p></div>",
        );
        assert!(style_of(&p, "a").text_colors().is_err());
        assert!(style_of(&p, "b").text_colors().is_err(), "lang() may match");
        let p = page("<style>div:has(.x) p{color:#eee}</style><section><p id=c>x</p></section>");
        assert!(style_of(&p, "c").text_colors().is_ok());
    }

    #[test]
    fn a_doubt_is_named_by_the_first_ancestor_that_has_one() {
        let p = page(
            "<style>div:has(.x){color:#eee} p:lang(en){background:#eee}</style>\
             <div><span class=x></span><p id=a>x</p></div><p id=b>x</p>",
        );
        let doubt = |id: &str| {
            style_of(&p, id)
                .uncertain
                .as_deref()
                .unwrap_or("")
                .to_string()
        };
        // `a` has a doubt of its own (lang), but its parent's (has, on the colour) comes first.
        assert!(doubt("a").contains("has"), "{}", doubt("a"));
        assert!(doubt("a").contains("« color »"), "{}", doubt("a"));
        assert!(doubt("b").contains("lang"), "{}", doubt("b"));
        assert!(doubt("b").contains("« background »"), "{}", doubt("b"));
    }

    #[test]
    fn very_deep_documents_do_not_overflow() {
        // 20 000 levels overflow a 2 MB test-thread stack if anything recursed per level
        // (html5ever's own parsing is quadratic on such input, so deeper only slows the test).
        let depth = 20_000;
        let html = format!(
            "<style>.a .b{{color:#777}} div div{{background:#fff}}</style>{}<span id=deep>texte</span>{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let p = page(&html);
        // The page model flattens nesting beyond 512 levels (see page::depth); the cascade
        // must still compute every remaining element without recursion.
        assert!(p.styles().get(p.root()).is_some());
        let deepest = p.select("div").last().expect("div");
        assert_eq!(
            hex(&p.styles().get(deepest).expect("computed").backdrop),
            "#ffffff"
        );
        assert!(p.body_text().contains("texte"));
    }

    /// The names a `var()` looks up, as the substitution reads them: nested references and
    /// those of fallbacks too, in any case of `var`, around white space; an unclosed one reads
    /// nothing (its value is invalid), the references closed inside it are read.
    #[test]
    fn names_read_by_var_references() {
        let mut names: Vec<&str> = [
            "var(--a)",
            "1px solid VAR( --b , var(--c, var(--d)) )",
            "calc(var(--e) * 2) var(--f,)",
            "var(--g, var(--h)",
            "no reference --i",
        ]
        .iter()
        .flat_map(|v| var_names(v))
        .collect();
        names.sort_unstable();
        assert_eq!(names, ["--a", "--b", "--c", "--d", "--e", "--f", "--h"]);
    }

    /// Every fixture page, then three of the bench's design-system pages (with their sheet)
    /// and where these are in the list.
    fn fixture_and_design_pages() -> (Vec<Page>, std::ops::Range<usize>) {
        let url = Url::parse("http://t.test/").expect("url");
        let mut pages: Vec<Page> = crate::page::fixture_pages()
            .iter()
            .map(|(_, html)| Page::parse(url.clone(), html))
            .collect();
        let css = Arc::new(crate::bench::design_system::stylesheet());
        for (u, html) in crate::bench::design_system::pages().iter().take(3) {
            pages.push(crate::bench::design_system::parsed_with(u, html, &css));
        }
        let design = pages.len() - 3..pages.len();
        (pages, design)
    }

    /// The same text elements, and the same computed style for every element of `page`.
    fn assert_same_styles(page: &Page, a: &PageStyles, b: &PageStyles) {
        assert_eq!(a.text_elements, b.text_elements);
        for el in page
            .dom
            .root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
        {
            assert_eq!(format!("{:?}", a.get(el)), format!("{:?}", b.get(el)));
        }
    }

    /// Leaving out the custom properties no `var()` names changes no computed style and no
    /// note: on every fixture page, the bench's design-system pages (whose sheet declares
    /// properties nothing reads), and a page whose `style` attribute names one of those.
    #[test]
    fn unreferenced_custom_properties_change_no_style() {
        let (mut pages, _) = fixture_and_design_pages();
        let named_inline = page(
            r#"<style>:root { --a: #123456; --b: #654321 } .x { --c: #00ff00; color: var(--a) }</style>
               <p class="x" id="p" style="color: var(--c)">texte</p><p class="x" id="q">autre</p>"#,
        );
        pages.push(named_inline);
        let (mut pruning, mut whole_used) = (0, 0);
        for page in &pages {
            let prepared = Prepared::of(&page.stylesheets);
            let markup = markup_declarations(page);
            let inactive = inactive_roots(page);
            // The whole set as made from the parsed sheets, and as made from the pruned one.
            let (author, _) = Prepared::parse(&page.stylesheets);
            assert_eq!(
                format!("{:?}", prepared.author_rules()),
                format!("{:?}", author.rules)
            );
            let mut notes = Vec::new();
            let whole = Cascadable::of(RuleSet::build(
                author.rules.iter(),
                &author.maybe_rules,
                None,
                &mut notes,
            ));
            let mut whole_notes = Vec::new();
            let rebuilt = prepared.build_whole(&mut whole_notes);
            assert_eq!(whole_notes, notes);
            let rebuilt = Cascadable::of(rebuilt);
            let chosen = prepared.for_markup(&markup);
            pruning += usize::from(chosen.set.entries.len() < whole.set.entries.len());
            whole_used += usize::from(std::ptr::eq(chosen, prepared.whole.get().unwrap_or(&whole)));
            let a = walk(page, chosen, &markup, &inactive, true);
            let b = walk(page, &whole, &markup, &inactive, true);
            assert_same_styles(page, &a, &b);
            assert_same_styles(page, &b, &walk(page, &rebuilt, &markup, &inactive, true));
            let mut pruned_notes = Vec::new();
            RuleSet::build(
                author.rules.iter(),
                &author.maybe_rules,
                Some(&prepared.referenced),
                &mut pruned_notes,
            );
            assert_eq!(pruned_notes, notes);
        }
        assert!(pruning >= 3, "{pruning}");
        assert_eq!(whole_used, 1);
        let last = pages.last().expect("page");
        assert_eq!(hex(&style_of(last, "p").color), "#00ff00");
        assert_eq!(hex(&style_of(last, "q").color), "#123456");
    }

    /// Elements whose inputs equal an earlier one's take its computed style: every element's
    /// style equals the one computed for it alone, on every fixture page, the bench's
    /// design-system pages (where repeated cards and lists share most styles) and cases made
    /// to tell the inputs apart (attributes the cascade reads, doubts, scopes, names).
    #[test]
    fn styles_taken_from_alike_elements_equal_computed_ones() {
        let (mut pages, design) = fixture_and_design_pages();
        pages.push(page(
            r#"<style>:root { --a: #123456 } .c { color: var(--a) } .s { --a: #654321 }
               .h:has(b) { color: red } .n { display: none }</style>
               <div><p class="c">un</p></div><div><p class="c" hidden>deux</p></div>
               <div><p class="c" aria-hidden="true">trois</p></div><div class="s"><p class="c">quatre</p></div>
               <div><span class="c">cinq</span></div><div><p class="c">six</p></div>
               <div class="n"><p class="c">sept</p></div><fieldset><p class="c">douze</p></fieldset>
               <fieldset disabled><p class="c">huit</p></fieldset>
               <svg><a class="c"><text>neuf</text></a></svg><div><a class="c">dix</a></div>
               <div><p class="c h">onze</p></div>"#,
        ));
        let (mut elements, mut taken) = (0, 0);
        for (i, page) in pages.iter().enumerate() {
            let prepared = Prepared::of(&page.stylesheets);
            let markup = markup_declarations(page);
            let inactive = inactive_roots(page);
            let chosen = prepared.for_markup(&markup);
            let shared = walk(page, chosen, &markup, &inactive, true);
            let alone = walk(page, chosen, &markup, &inactive, false);
            assert_same_styles(page, &shared, &alone);
            if design.contains(&i) {
                elements += alone.computed.len();
                taken += alone.computed.len() - shared.computed.len();
            }
        }
        let last = pages.last().expect("page");
        let styles = PageStyles::compute(last);
        let style = |text: &str| {
            let el = last
                .select("p, span, a")
                .find(|e| e.text().collect::<String>() == text)
                .expect("element");
            styles.get(el).cloned().expect("style")
        };
        assert_eq!(hex(&style("un").color), "#123456");
        assert_eq!(hex(&style("quatre").color), "#654321");
        assert!(style("deux").not_rendered);
        assert!(style("trois").aria_hidden && !style("six").aria_hidden);
        assert!(style("sept").not_rendered && !style("six").not_rendered);
        assert!(style("huit").inactive && !style("six").inactive);
        assert!(style("neuf").foreign && !style("dix").foreign);
        assert!(style("onze").uncertain.is_some() && style("un").uncertain.is_none());
        assert!(taken * 2 > elements, "{taken} of {elements}");
    }

    #[test]
    fn custom_properties_are_resolved_where_declared() {
        let nested = |n: usize, inner: &str| {
            format!("{}{inner}{}", "<div class=d>".repeat(n), "</div>".repeat(n))
        };
        let p = page(&format!(
            "<style>:root{{--blue:#000091;--text:var(--blue);--red:#cc0000}}\
             .card{{--accent:var(--blue);--unused:var(--missing)}} .d{{--blue:#cc0000}}\
             .card p{{color:var(--accent)}}\
             .own{{--a:var(--b);--b:#006600;color:var(--a)}}\
             .loop{{--x:var(--x);color:var(--x)}}\
             .hide{{--text:var(--nope)}} .hide p{{color:var(--text, #123456)}}\
             .fall{{color:var(--missing, var(--red))}}\
             .alias{{color:  VAR( --blue )  }}</style>\
             <div class=card>{}{}</div>\
             <p class=own id=own>x</p><div class=loop><p id=loop>x</p></div>\
             <div class=hide><p id=hide>x</p></div><p class=fall id=fall>x</p>\
             <div class=d><p class=alias id=alias>x</p></div><p class=alias id=root-alias>x</p>",
            nested(1, "<p id=near>x</p>"),
            nested(12, "<p id=deep>x</p>"),
        ));
        // Redeclaring --blue below the card does not change --accent, computed on the card,
        // whether the scopes are chained (one level) or merged (twelve levels).
        assert_eq!(hex(&style_of(&p, "near").color), "#000091");
        assert_eq!(hex(&style_of(&p, "deep").color), "#000091");
        assert_eq!(hex(&style_of(&p, "own").color), "#006600");
        // A cycle is invalid at computed-value time: the colour is inherited.
        assert_eq!(hex(&style_of(&p, "loop").color), "#000000");
        // An invalid value hides the inherited one: the fallback is used.
        assert_eq!(hex(&style_of(&p, "hide").color), "#123456");
        assert_eq!(hex(&style_of(&p, "fall").color), "#cc0000");
        assert_eq!(hex(&style_of(&p, "alias").color), "#cc0000");
        assert_eq!(hex(&style_of(&p, "root-alias").color), "#000091");
    }

    /// The root's custom properties: from its rules (memoised for the pages sharing the
    /// sheet: the second page reads the first one's scope), under its own inline ones
    /// (never memoised), and an important rule above those.
    #[test]
    fn root_custom_properties_with_and_without_inline_ones() {
        let sheet = "<style>:root{--a:#220000;--b:#330000} :root{--c:var(--a)} \
                     p{color:var(--a)} .b{color:var(--b)} .c{color:var(--c)}</style>";
        let body = "<p id=a>x</p><p class=b id=b>x</p><p class=c id=c>x</p>";
        let colors = |p: &Page| ["a", "b", "c"].map(|id| hex(&style_of(p, id).color));
        for _ in 0..2 {
            let p = page(&format!("<html>{sheet}{body}</html>"));
            assert_eq!(colors(&p), ["#220000", "#330000", "#220000"]);
        }
        let p = page(&format!("<html style='--a:#110000'>{sheet}{body}</html>"));
        assert_eq!(colors(&p), ["#110000", "#330000", "#110000"]);
        let p = page(&format!("<html style='--b:#440000'>{sheet}{body}</html>"));
        assert_eq!(colors(&p), ["#220000", "#440000", "#220000"]);
        let p = page(
            "<html style='--a:#110000'><style>:root{--a:#220000 !important} \
             p{color:var(--a)}</style><p id=a>x</p></html>",
        );
        assert_eq!(hex(&style_of(&p, "a").color), "#220000");
        let p = page("<html style='--a:#110000'><style>p{color:var(--a)}</style><p id=a>x</p>");
        assert_eq!(hex(&style_of(&p, "a").color), "#110000");
    }

    #[test]
    fn garbage_css_never_panics() {
        for css in [
            "}{",
            "p{color:",
            "p{color:rgb(}",
            "@media ((((( {p{color:red}}",
            ":::{}",
            "p{color:var(--a)} :root{--a:var(--a)}",
            "*{background:url(}",
            "p{font:}",
            "a{b:c!important!important}",
            "p{color:#zzzzzz;font-size:-5px;opacity:abc}",
        ] {
            let p = page(&format!("<style>{css}</style><p id=p>x</p>"));
            let _ = style_of(&p, "p").text_colors();
        }
    }
}
