//! Presentation rules that need CSS or the viewport: focus indicator (RGAA 10.7; WCAG 2.4.7),
//! zoom (RGAA 10.4; WCAG 1.4.4) and text spacing the user cannot change (RGAA 10.12;
//! WCAG 1.4.12).

use crate::page::Attribute;
use serde_json::json;

use super::Outcome;
use super::{Results, Rule, RuleMeta, RuleResult};
use crate::css::select::{compile_list, split_list, Compiled};
use crate::css::spacing::{Property, Spacing, SpacingValue, Wrap};
use crate::css::Cascaded;
use crate::css::{Computed, Declaration};
use crate::format::fr_number;
use crate::page::{ElementRef, Page, SheetsMemo};

/// ## Ce que la règle vérifie
/// Aucune règle CSS `:focus` (ou `:focus-visible`) ne supprime le contour de focus
/// (`outline: none`, `outline: 0`, `outline-style: none`, `outline-width: 0`,
/// `outline-color: transparent`) sans le remplacer, dans la même règle, par un autre
/// indicateur (bordure, `box-shadow`, fond, soulignement). Le motif
/// `:focus:not(:focus-visible)` est accepté (le contour reste pour le clavier). Si une autre
/// règle de focus de la page fournit un indicateur, le résultat est « à vérifier » : il faut
/// s'assurer qu'elle vise les mêmes éléments. Seules les règles qui visent au moins un élément
/// focalisable de la page comptent ; les styles posés par script ne sont pas vus.
/// ## Pourquoi
/// Sans indicateur de focus, la personne qui navigue au clavier ne sait pas où elle se trouve.
/// ## Exemple en échec
/// `a:focus { outline: none }`
/// ## Exemple conforme
/// `a:focus { outline: none; box-shadow: 0 0 0 3px #000091 }`
/// ## Références
/// RGAA 10.7.1 · WCAG 2.4.7
pub struct FocusVisibleOutline;

static FOCUS_VISIBLE_OUTLINE: RuleMeta = RuleMeta {
    id: "focus-visible-outline",
    title: "Indicateur de focus conservé",
    description: "Les feuilles de style ne suppriment pas le contour de focus des éléments focalisables sans le remplacer par un autre indicateur visible.",
    rgaa: &["10.7.1"],
    wcag: refs!["2.4.7"],
    act: refs![],
    cerfa: &[16],
};

const FOCUSABLE: &str = "a[href], area[href], button:not([disabled]), input:not([type=hidden i]):not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, iframe, [tabindex], [contenteditable]";

fn value_words(d: &Declaration) -> Vec<String> {
    d.value
        .to_ascii_lowercase()
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn is_zero(w: &str) -> bool {
    let n = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    n.parse::<f64>().is_ok_and(|x| x == 0.0)
}

/// Whether the declaration removes the focus outline.
fn removes_outline(d: &Declaration) -> bool {
    // The name first: the words of every declaration of every rule cost a tenth of a page.
    let n = d.name.as_str();
    if !matches!(
        n,
        "outline" | "outline-style" | "outline-width" | "outline-color"
    ) {
        return false;
    }
    let words = value_words(d);
    match n {
        "outline" => words
            .iter()
            .any(|w| w == "none" || w == "hidden" || w == "transparent" || is_zero(w)),
        "outline-style" => words.iter().any(|w| w == "none" || w == "hidden"),
        "outline-width" => words.iter().any(|w| is_zero(w)),
        "outline-color" => words.iter().any(|w| w == "transparent"),
        _ => false,
    }
}

/// Whether the declaration draws another visible focus indicator.
fn draws_indicator(d: &Declaration) -> bool {
    let n = d.name.as_str();
    if n == "outline" || n == "outline-style" || n == "outline-width" {
        return !removes_outline(d);
    }
    if !(n.starts_with("border")
        || n == "box-shadow"
        || n == "background"
        || n == "background-color"
        || n.starts_with("text-decoration"))
    {
        return false;
    }
    let words = value_words(d);
    let none = words
        .iter()
        .all(|w| w == "none" || is_zero(w) || w == "transparent");
    !none
}

fn is_focus_selector(sel: &str) -> bool {
    // `:focus` in any case, without lower-casing a copy of every selector of every sheet.
    crate::format::find_ignore_ascii_case(sel, ":focus").is_some()
}

/// The same selector with its focus pseudo-classes dropped: who the rule can affect.
fn unfocused(sel: &str) -> String {
    let mut s = sel.to_string();
    for p in [":focus-visible", ":focus-within", ":focus"] {
        s = replace_ci(&s, p, ":is(*)");
    }
    s
}

fn replace_ci(s: &str, pat: &str, with: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let mut out = String::new();
    let mut i = 0;
    while let Some(pos) = lower[i..].find(pat) {
        out.push_str(&s[i..i + pos]);
        out.push_str(with);
        i += pos + pat.len();
    }
    out.push_str(&s[i..]);
    out
}

/// The focusable elements a focus selector with its focus pseudo-classes dropped matches.
fn affected<'a>(affects: &[Compiled], focusable: &[ElementRef<'a>]) -> Vec<ElementRef<'a>> {
    let mut caches = Default::default();
    focusable
        .iter()
        .copied()
        .filter(|el| {
            affects
                .iter()
                .any(|c| crate::page::matches(&c.selector, None, *el, None, &mut caches))
        })
        .collect()
}

/// The author rules' focus outlines, found once per set of sheets: whether a focus rule
/// draws another indicator, and the focus selectors of the rules that remove the outline.
struct OutlineRules {
    other_indicator: bool,
    removing: Vec<RemovingSelector>,
}

/// A focus selector of a rule that removes the outline.
struct RemovingSelector {
    selector: String,
    /// The stylesheet of its rule.
    sheet: usize,
    /// Its rule draws another indicator itself.
    replaced: bool,
    /// It removes the outline only where `:focus-visible` does not apply (mouse focus).
    keeps_keyboard: bool,
    /// The selector with its focus pseudo-classes dropped, compiled: who the rule can affect
    /// (no one when it does not compile).
    affects: Vec<Compiled>,
}

impl OutlineRules {
    fn of(rules: &[crate::css::sheet::CssRule]) -> OutlineRules {
        let other_indicator = rules.iter().any(|rule| {
            rule.declarations.iter().any(draws_indicator)
                && split_list(&rule.selector_text)
                    .iter()
                    .any(|s| is_focus_selector(s))
        });
        let mut removing = Vec::new();
        for rule in rules {
            if !rule.declarations.iter().any(removes_outline) {
                continue;
            }
            let replaced = rule.declarations.iter().any(draws_indicator);
            for sel in split_list(&rule.selector_text) {
                let sel = sel.trim();
                if is_focus_selector(sel) {
                    removing.push(RemovingSelector {
                        selector: sel.to_string(),
                        sheet: rule.sheet,
                        replaced,
                        keeps_keyboard: sel
                            .to_ascii_lowercase()
                            .replace(' ', "")
                            .contains(":not(:focus-visible)"),
                        affects: compile_list(&unfocused(sel)).unwrap_or_default(),
                    });
                }
            }
        }
        OutlineRules {
            other_indicator,
            removing,
        }
    }
}

impl Rule for FocusVisibleOutline {
    fn meta(&self) -> &'static RuleMeta {
        &FOCUS_VISIBLE_OUTLINE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let focusable: Vec<ElementRef<'_>> = page.select(FOCUSABLE).collect();
        if focusable.is_empty() {
            return r.finish("Aucun élément focalisable sur la page.");
        }
        // What the sheets alone say, the same on every page of a site: found once for them.
        static OUTLINES: SheetsMemo<OutlineRules> = SheetsMemo::new(8, 8 << 20);
        let outlines = OUTLINES.get(&page.stylesheets, || {
            OutlineRules::of(page.styles().author_rules())
        });
        let other_indicator = outlines.other_indicator;
        for removing in &outlines.removing {
            let (sel, replaced) = (removing.selector.as_str(), removing.replaced);
            let hit = affected(&removing.affects, &focusable);
            let Some(first) = hit.first().copied() else {
                continue;
            };
            let d = json!({
                "selector": sel,
                "stylesheet": removing.sheet,
                "affectedElements": hit.len(),
            });
            if replaced {
                r.pass(
                    first,
                    format_args!(
                        "« {sel} » supprime le contour mais le remplace par un autre indicateur."
                    ),
                );
            } else if removing.keeps_keyboard {
                r.pass(first, format_args!("« {sel} » ne supprime le contour que pour le focus à la souris (:focus-visible conservé)."));
            } else if other_indicator {
                r.cant_tell(first, format!("« {sel} » supprime le contour de focus ({} élément(s)) ; une autre règle de focus dessine un indicateur : vérifier qu'elle couvre ces éléments.", hit.len()));
            } else {
                r.fail(first, format!("« {sel} » supprime le contour de focus de {} élément(s) focalisable(s) sans indicateur de remplacement.", hit.len()));
            }
            r.with_details(d);
        }
        if r.is_empty() {
            r.pass(page.root(), "Aucune feuille de style ne supprime le contour de focus des éléments focalisables.");
        }
        r.finish("")
    }
}

/// ## Ce que la règle vérifie
/// La balise `<meta name="viewport">` n'empêche pas l'agrandissement : ni `user-scalable=no`
/// (ou toute valeur comprise entre -1 et 1 exclus, comme le font les navigateurs), ni
/// `maximum-scale` inférieur à 2. Les valeurs sont lues comme les navigateurs : `yes` vaut 1,
/// `no` 0, `device-width` 10, une valeur illisible 0.
/// ## Pourquoi
/// Les personnes malvoyantes agrandissent la page pour lire ; bloquer le zoom les en empêche.
/// ## Exemple en échec
/// `<meta name="viewport" content="width=device-width, user-scalable=no">`
/// ## Exemple conforme
/// `<meta name="viewport" content="width=device-width, initial-scale=1">`
/// ## Références
/// RGAA 10.4.1 · WCAG 1.4.4 · ACT b4f0c3
pub struct MetaViewportZoom;

static META_VIEWPORT_ZOOM: RuleMeta = RuleMeta {
    id: "meta-viewport-zoom",
    title: "Zoom non bloqué par la balise viewport",
    description: "La balise meta viewport n'interdit pas l'agrandissement (user-scalable=no, maximum-scale inférieur à 2).",
    rgaa: &["10.4.1"],
    wcag: refs!["1.4.4"],
    act: refs!["b4f0c3"],
    cerfa: &[],
};

/// Number value of a viewport property, as browsers read it.
fn viewport_number(v: &str) -> f64 {
    let v = v.trim().to_ascii_lowercase();
    match v.as_str() {
        "yes" => return 1.0,
        "no" => return 0.0,
        "device-width" | "device-height" => return 10.0,
        _ => {}
    }
    // Leading numeric prefix, like strtod.
    let end = v
        .char_indices()
        .take_while(|(i, c)| {
            c.is_ascii_digit() || *c == '.' || (*i == 0 && (*c == '-' || *c == '+'))
        })
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    v[..end].parse::<f64>().unwrap_or(0.0)
}

impl Rule for MetaViewportZoom {
    fn meta(&self) -> &'static RuleMeta {
        &META_VIEWPORT_ZOOM
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for meta in page.select("meta[name][content]") {
            let e = meta.value();
            if !e
                .attribute("name")
                .is_some_and(|n| n.trim().eq_ignore_ascii_case("viewport"))
            {
                continue;
            }
            let content = e.attribute("content").unwrap_or("");
            let mut scalable = None;
            let mut max_scale = None;
            for pair in content.split([',', ';']) {
                let Some((k, v)) = pair.split_once('=') else {
                    continue;
                };
                match k.trim().to_ascii_lowercase().as_str() {
                    "user-scalable" => scalable = Some(v.trim().to_string()),
                    "maximum-scale" => max_scale = Some(v.trim().to_string()),
                    _ => {}
                }
            }
            if scalable.is_none() && max_scale.is_none() {
                continue;
            }
            let mut problems = Vec::new();
            if let Some(s) = &scalable {
                if viewport_number(s).abs() < 1.0 {
                    problems.push(format!("user-scalable={s} interdit le zoom"));
                }
            }
            if let Some(m) = &max_scale {
                let n = viewport_number(m);
                if n >= 0.0 && n.max(0.1) < 2.0 {
                    problems.push(format!("maximum-scale={m} limite le zoom à moins de 200 %"));
                }
            }
            if problems.is_empty() {
                r.pass(
                    meta,
                    format_args!("La balise viewport permet le zoom (« {content} »)."),
                );
            } else {
                r.fail(
                    meta,
                    format!(
                        "La balise viewport bloque l'agrandissement : {}.",
                        problems.join(" ; ")
                    ),
                );
            }
            r.with_details(json!({ "content": content }));
        }
        r.finish("Pas de balise viewport qui règle le zoom.")
    }
}

/// ## Ce que la règle vérifie
/// Un espacement des lettres (`letter-spacing`) déclaré `!important` dans un attribut `style`
/// vaut au moins 0,12 fois la taille de police du texte qu'il espace. La règle regarde chaque
/// élément qui a du texte visible et dont l'espacement calculé vient d'une telle déclaration
/// (la sienne ou, par héritage, celle d'un ancêtre) ; le résultat est rattaché à l'élément qui
/// porte la déclaration. `normal` et `initial` valent 0. Une valeur que vigie ne sait pas
/// calculer (`calc()`, pourcentage) est « à vérifier ».
/// ## Pourquoi
/// Les personnes dyslexiques ou malvoyantes élargissent l'espacement du texte avec une feuille
/// de style ou une extension du navigateur ; une déclaration `!important` dans un attribut
/// `style` l'emporte sur ces styles et bloque l'ajustement. Une valeur conforme ne prouve pas
/// le critère RGAA 10.12 : il reste à vérifier, à la main, qu'aucun contenu n'est perdu quand
/// l'espacement augmente ; la règle ne peut que trouver des non-conformités au test 10.12.1.
/// ## Exemple en échec
/// `<p style="letter-spacing: 0.05em !important">Texte</p>`
/// ## Exemple conforme
/// `<p style="letter-spacing: 0.12em !important">Texte</p>` ou `<p style="letter-spacing: 0.05em">`
/// ## Références
/// RGAA 10.12.1 · WCAG 1.4.12 · ACT 24afc2
pub struct LetterSpacingAdjustable;

static LETTER_SPACING_ADJUSTABLE: RuleMeta = RuleMeta {
    id: "letter-spacing-adjustable",
    title: "Espacement des lettres modifiable",
    description: "Un espacement des lettres imposé par un attribut style avec !important vaut au moins 0,12 fois la taille de police.",
    rgaa: &["10.12.1"],
    wcag: refs!["1.4.12"],
    act: refs!["24afc2"],
    cerfa: &[],
};

impl Rule for LetterSpacingAdjustable {
    fn meta(&self) -> &'static RuleMeta {
        &LETTER_SPACING_ADJUSTABLE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        check_spacing(page, Property::Letter)
    }
}

/// ## Ce que la règle vérifie
/// Un espacement des mots (`word-spacing`) déclaré `!important` dans un attribut `style` vaut
/// au moins 0,16 fois la taille de police du texte qu'il espace. La règle regarde chaque
/// élément qui a du texte visible et dont l'espacement calculé vient d'une telle déclaration
/// (la sienne ou, par héritage, celle d'un ancêtre) ; le résultat est rattaché à l'élément qui
/// porte la déclaration. `normal` et `initial` valent 0. Une valeur que vigie ne sait pas
/// calculer (`calc()`, pourcentage) est « à vérifier ».
/// ## Pourquoi
/// L'utilisateur qui élargit l'espacement des mots avec sa propre feuille de style ne peut pas
/// l'emporter sur une déclaration `!important` d'un attribut `style`. Une valeur conforme ne
/// prouve pas le critère RGAA 10.12 : la perte de contenu quand l'espacement augmente se
/// vérifie à la main ; la règle ne peut que trouver des non-conformités au test 10.12.1.
/// ## Exemple en échec
/// `<p style="word-spacing: 2px !important">Texte</p>` (police de 16 px : 2,56 px requis)
/// ## Exemple conforme
/// `<p style="word-spacing: 0.2em !important">Texte</p>`
/// ## Références
/// RGAA 10.12.1 · WCAG 1.4.12 · ACT 9e45ec
pub struct WordSpacingAdjustable;

static WORD_SPACING_ADJUSTABLE: RuleMeta = RuleMeta {
    id: "word-spacing-adjustable",
    title: "Espacement des mots modifiable",
    description: "Un espacement des mots imposé par un attribut style avec !important vaut au moins 0,16 fois la taille de police.",
    rgaa: &["10.12.1"],
    wcag: refs!["1.4.12"],
    act: refs!["9e45ec"],
    cerfa: &[],
};

impl Rule for WordSpacingAdjustable {
    fn meta(&self) -> &'static RuleMeta {
        &WORD_SPACING_ADJUSTABLE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        check_spacing(page, Property::Word)
    }
}

/// ## Ce que la règle vérifie
/// Un interlignage (`line-height`) déclaré `!important` dans un attribut `style` vaut au moins
/// 1,5 fois la taille de police du texte, quand ce texte tient sur plusieurs lignes. La règle
/// regarde chaque élément qui a du texte visible et dont l'interlignage calculé vient d'une
/// telle déclaration (la sienne ou celle d'un ancêtre, y compris par le raccourci `font`) ;
/// le résultat est rattaché à l'élément qui porte la déclaration. `normal` (environ 1,2) est
/// insuffisant. Sans moteur de rendu, le passage à la ligne est estimé avec prudence : le texte
/// passe à la ligne quand il contient un `<br>` ou quand, même avec des caractères étroits
/// (0,3 fois la taille de police), il dépasse la plus grande largeur possible de sa boîte (sa
/// largeur ou celle de ses ancêtres, 1280 px au plus) ; il tient sur une ligne quand, même avec
/// des caractères larges (0,8 fois), il tient dans la largeur fixée de sa boîte. Entre les
/// deux, un interlignage insuffisant est « à vérifier ».
/// ## Pourquoi
/// L'utilisateur qui augmente l'interlignage avec sa propre feuille de style ne peut pas
/// l'emporter sur une déclaration `!important` d'un attribut `style`. Une valeur conforme ne
/// prouve pas le critère RGAA 10.12 : la perte de contenu quand l'interlignage augmente se
/// vérifie à la main ; la règle ne peut que trouver des non-conformités au test 10.12.1.
/// ## Exemple en échec
/// `<p style="line-height: 1.2 !important; max-width: 20em">Un paragraphe de plusieurs lignes…</p>`
/// ## Exemple conforme
/// `<p style="line-height: 1.5 !important">Un paragraphe de plusieurs lignes…</p>`
/// ## Références
/// RGAA 10.12.1 · WCAG 1.4.12 · ACT 78fd32
pub struct LineHeightAdjustable;

static LINE_HEIGHT_ADJUSTABLE: RuleMeta = RuleMeta {
    id: "line-height-adjustable",
    title: "Interlignage modifiable",
    description: "Un interlignage imposé par un attribut style avec !important vaut au moins 1,5 fois la taille de police du texte sur plusieurs lignes.",
    rgaa: &["10.12.1"],
    wcag: refs!["1.4.12"],
    act: refs!["78fd32"],
    cerfa: &[],
};

impl Rule for LineHeightAdjustable {
    fn meta(&self) -> &'static RuleMeta {
        &LINE_HEIGHT_ADJUSTABLE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        check_spacing(page, Property::Line)
    }
}

/// Narrowest and widest average glyph advance of real text, in em (prudent bounds).
const GLYPH_MIN_EM: f64 = 0.3;
const GLYPH_MAX_EM: f64 = 0.8;

fn prop_name(p: Property) -> &'static str {
    match p {
        Property::Letter => "letter-spacing",
        Property::Word => "word-spacing",
        Property::Line => "line-height",
    }
}

fn threshold(p: Property) -> f64 {
    match p {
        Property::Letter => 0.12,
        Property::Word => 0.16,
        Property::Line => 1.5,
    }
}

fn spacing_of(c: &Computed, p: Property) -> &Spacing {
    match p {
        Property::Letter => &c.spacing.letter,
        Property::Word => &c.spacing.word,
        Property::Line => &c.spacing.line,
    }
}

/// Whether the text of an element spans several lines, as far as it can be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lines {
    Several,
    One,
    Unknown,
}

/// Estimate whether the text of `el` wraps (see `LineHeightAdjustable`).
fn lines_of(page: &Page, el: ElementRef<'_>, c: &Computed) -> Lines {
    let styles = page.styles();
    let lb = &c.line_box;
    // Lower bound of the widest unbreakable-by-markup run, and whether it has a space inside.
    let mut runs: Vec<(f64, bool, String)> = vec![(0.0, false, String::new())];
    let mut upper = 0.0f64;
    let mut upper_known = true;
    let mut broken = false;
    let mut has_newline = false;
    let mut stack: Vec<ego_tree::NodeRef<'_, scraper::Node>> = el
        .children()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let text_metrics = |cc: &Computed| -> Option<(f64, f64, f64, f64)> {
        let fs = cc.font_size?;
        let ls = match cc.spacing.letter.value {
            SpacingValue::Normal => 0.0,
            SpacingValue::Px(v) => v,
            _ => return None,
        };
        let ws = match cc.spacing.word.value {
            SpacingValue::Normal => 0.0,
            SpacingValue::Px(v) => v,
            _ => return None,
        };
        Some((
            (GLYPH_MIN_EM * fs + ls.min(0.0)).max(0.0),
            GLYPH_MAX_EM * fs + ls.max(0.0),
            ws.min(0.0),
            ws.max(0.0),
        ))
    };
    // Text nodes are measured with their parent element's style.
    let mut visited = 0usize;
    while let Some(node) = stack.pop() {
        visited += 1;
        if visited > 10_000 {
            return Lines::Unknown;
        }
        match node.value() {
            scraper::Node::Text(t) => {
                let Some(parent) = node.parent().and_then(ElementRef::wrap) else {
                    continue;
                };
                let Some(pc) = styles.get(parent) else {
                    upper_known = false;
                    continue;
                };
                let text: &str = t;
                if matches!(
                    pc.line_box.wrap,
                    Wrap::KeepsNewlines
                        | Wrap::NoWrap {
                            keeps_newlines: true
                        }
                ) && text.trim().contains('\n')
                {
                    has_newline = true;
                }
                let collapsed = crate::page::normalize_space(text);
                let chars = collapsed.chars().count() as f64;
                let spaces = collapsed.matches(' ').count() as f64;
                match text_metrics(pc) {
                    Some((lo, hi, ws_lo, ws_hi)) => {
                        upper += chars * hi + spaces * ws_hi;
                        if pc.line_box.wrap == Wrap::Normal {
                            if let Some(run) = runs.last_mut() {
                                run.0 += (chars * lo + spaces * ws_lo).max(0.0);
                                run.2.push_str(text);
                            }
                        }
                    }
                    None => upper_known = false,
                }
            }
            scraper::Node::Element(e) => {
                let Some(child) = ElementRef::wrap(node) else {
                    continue;
                };
                let cc = styles.get(child);
                if cc.is_none_or(|cc| cc.hidden.is_some()) {
                    continue;
                }
                if e.name() == "br" {
                    broken = true;
                    runs.push((0.0, false, String::new()));
                    continue;
                }
                let inline = cc.is_some_and(|cc| cc.line_box.inline);
                if !inline {
                    // A block or replaced child: its own lines, or a box we do not measure.
                    upper_known = false;
                    runs.push((0.0, false, String::new()));
                    continue;
                }
                stack.extend(node.children().rev());
            }
            _ => {}
        }
    }
    let runs: Vec<(f64, bool, String)> = runs
        .into_iter()
        .map(|(w, _, t)| {
            let inner = crate::page::normalize_space(&t);
            (w, inner.contains(' '), inner)
        })
        .collect();
    let non_empty = runs.iter().filter(|r| !r.2.is_empty()).count();
    if (broken && non_empty >= 2) || has_newline {
        return Lines::Several;
    }
    // Text wider than the widest the box can be wraps at one of its spaces.
    if lb.wrap == Wrap::Normal && runs.iter().any(|(w, space, _)| *space && *w > lb.max_width) {
        return Lines::Several;
    }
    if non_empty <= 1 && !broken && upper_known {
        if matches!(lb.wrap, Wrap::NoWrap { .. }) {
            return Lines::One;
        }
        if let Some(min) = lb.min_width {
            if upper <= min {
                return Lines::One;
            }
        }
    }
    Lines::Unknown
}

/// One text element's verdict: outcome, ratio (when known) and why.
struct Verdict {
    outcome: Outcome,
    ratio: Option<f64>,
    font_size: Option<f64>,
    why: String,
}

fn judge(page: &Page, el: ElementRef<'_>, c: &Computed, prop: Property) -> Option<Verdict> {
    let s = spacing_of(c, prop);
    let need = threshold(prop);
    let fs = c.font_size;
    let ratio = match &s.value {
        SpacingValue::Normal => Some(0.0),
        SpacingValue::Factor(n) => Some(*n),
        SpacingValue::Px(px) => fs.filter(|f| *f > 0.0).map(|f| px / f),
        SpacingValue::Unknown(_) => None,
    };
    let normal_line = prop == Property::Line && s.value == SpacingValue::Normal;
    // Lengths are parsed as f32: 0.16em reads 0.1599999964 px per px of font size.
    let fails = ratio.map(|r| normal_line || r < need - 1e-6);
    if prop == Property::Line && fails != Some(false) {
        match lines_of(page, el, c) {
            Lines::One => return None,
            Lines::Several => {}
            Lines::Unknown => {
                return Some(Verdict {
                    outcome: Outcome::CantTell,
                    ratio,
                    font_size: fs,
                    why: "sans rendu, vigie ne sait pas si ce texte tient sur une ligne (l'interlignage ne compte que sur plusieurs lignes)".to_string(),
                })
            }
        }
    }
    Some(match fails {
        None => Verdict {
            outcome: Outcome::CantTell,
            ratio,
            font_size: fs,
            why: match &s.value {
                SpacingValue::Unknown(v) => format!("valeur « {v} » non calculable sans rendu"),
                _ => "taille de police inconnue".to_string(),
            },
        },
        Some(true) if s.uncertain => Verdict {
            outcome: Outcome::CantTell,
            ratio,
            font_size: fs,
            why: "une règle CSS au sélecteur non évaluable peut remplacer cette valeur".to_string(),
        },
        Some(true) => Verdict {
            outcome: Outcome::Failed,
            ratio,
            font_size: fs,
            why: if normal_line {
                "`normal` vaut environ 1,2".to_string()
            } else {
                String::new()
            },
        },
        Some(false) => Verdict {
            outcome: Outcome::Passed,
            ratio,
            font_size: fs,
            why: String::new(),
        },
    })
}

/// The shared check: text elements whose spacing comes from an `!important` declaration of a
/// `style` attribute, grouped by the element that declares it.
fn check_spacing(page: &Page, prop: Property) -> Vec<RuleResult> {
    let mut r = Results::new(page);
    let styles = page.styles();
    let name = prop_name(prop);
    let need = threshold(prop);
    // Declaring element → (verdicts, first failing or doubtful text element).
    let mut groups: Vec<(ego_tree::NodeId, Vec<Verdict>)> = Vec::new();
    // Only an inline `!important` imposes a spacing (most pages have none).
    let texts: &[_] = if styles.any_inline_important {
        &styles.text_elements
    } else {
        &[]
    };
    for id in texts {
        let Some(el) = page.dom.tree.get(*id).and_then(ElementRef::wrap) else {
            continue;
        };
        let Some(c) = styles.get(el) else {
            continue;
        };
        if c.hidden.is_some() || c.foreign {
            continue;
        }
        let Some(owner) = spacing_of(c, prop).inline_important else {
            continue;
        };
        let Some(v) = judge(page, el, c, prop) else {
            continue;
        };
        match groups.iter_mut().find(|(o, _)| *o == owner) {
            Some((_, vs)) => vs.push(v),
            None => groups.push((owner, vec![v])),
        }
    }
    for (owner, verdicts) in groups {
        let Some(el) = page.dom.tree.get(owner).and_then(ElementRef::wrap) else {
            continue;
        };
        let Some(worst) = verdicts.iter().min_by(|a, b| {
            a.outcome.cmp(&b.outcome).then(
                a.ratio
                    .unwrap_or(f64::MAX)
                    .total_cmp(&b.ratio.unwrap_or(f64::MAX)),
            )
        }) else {
            continue;
        };
        let declared = styles
            .get(el)
            .and_then(|c| spacing_of(c, prop).declared.clone())
            .unwrap_or_default();
        let n = verdicts.len();
        let ratio_text = worst
            .ratio
            .map(|x| format!("{} fois la taille de police", fr_number(x, 2)))
            .unwrap_or_else(|| "rapport inconnu".to_string());
        let need_text = fr_number(need, 2);
        let what = format!("« {name}: {declared} !important » dans l'attribut style");
        let message = match worst.outcome {
            Outcome::Failed => format!(
                "{what} vaut {ratio_text}{} (minimum {need_text}) : l'utilisateur ne peut pas l'augmenter ({n} élément(s) de texte concerné(s)).",
                if worst.why.is_empty() { String::new() } else { format!(" ({})", worst.why) }
            ),
            Outcome::CantTell => format!("{what} : {} ; à vérifier ({n} élément(s) de texte).", worst.why),
            _ => format!("{what} vaut {ratio_text}, au moins {need_text} : l'espacement reste suffisant ({n} élément(s) de texte)."),
        };
        r.push(worst.outcome, Some(el), message);
        r.with_details(json!({
            "property": name,
            "declared": declared,
            "ratio": worst.ratio,
            "fontSizePx": worst.font_size,
            "minimum": need,
            "textElements": n,
        }));
    }
    r.finish(&format!(
        "Aucun texte visible dont « {name} » est imposé par un attribut style avec !important."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sheets' part is found once for them; what it removes is still matched against each
    /// page's own elements.
    #[test]
    fn pages_sharing_sheets_each_count_their_own_elements() {
        let sheet = "<style>a.quiet:focus { outline: none }</style>";
        let page = |links: usize| {
            let body: String = (0..links)
                .map(|i| format!("<a class=quiet href=/{i}>Lien {i}</a>"))
                .collect();
            Page::parse(
                url::Url::parse("http://t.test/").unwrap_or_else(|e| panic!("{e}")),
                &format!("<html lang=fr><head>{sheet}</head><body>{body}<button>Ok</button></body></html>"),
            )
        };
        for links in [3, 1, 2, 0] {
            let results = FocusVisibleOutline.check(&page(links));
            let failed: Vec<&str> = results
                .iter()
                .filter(|r| r.outcome == Outcome::Failed)
                .map(|r| r.message.as_str())
                .collect();
            if links == 0 {
                assert!(failed.is_empty(), "{failed:?}");
            } else {
                assert_eq!(
                    failed,
                    [format!("« a.quiet:focus » supprime le contour de focus de {links} élément(s) focalisable(s) sans indicateur de remplacement.")],
                );
            }
        }
    }

    #[test]
    fn viewport_values_read_like_browsers() {
        assert_eq!(viewport_number("no"), 0.0);
        assert_eq!(viewport_number("yes"), 1.0);
        assert_eq!(viewport_number("1.0"), 1.0);
        assert_eq!(viewport_number("2.0"), 2.0);
        assert_eq!(viewport_number("0.5"), 0.5);
        assert_eq!(viewport_number("invalid"), 0.0);
        assert_eq!(viewport_number("-1"), -1.0);
        assert_eq!(viewport_number("device-width"), 10.0);
        assert_eq!(viewport_number("3px"), 3.0);
    }

    #[test]
    fn outline_removal_and_replacement() {
        let d = |n: &str, v: &str| Declaration {
            name: n.into(),
            value: v.into(),
            important: false,
        };
        assert!(removes_outline(&d("outline", "none")));
        assert!(removes_outline(&d("outline", "0")));
        assert!(removes_outline(&d("outline", "0 none")));
        assert!(removes_outline(&d("outline-width", "0px")));
        assert!(!removes_outline(&d("outline", "2px solid #000091")));
        assert!(draws_indicator(&d("box-shadow", "0 0 0 3px #000")));
        assert!(!draws_indicator(&d("box-shadow", "none")));
        assert!(draws_indicator(&d("outline", "2px solid")));
        assert!(!draws_indicator(&d("border", "0")));
        assert_eq!(unfocused("a:FOCUS"), "a:is(*)");
        assert_eq!(unfocused(":focus"), ":is(*)");
    }
}
