//! Presentation rules that need CSS or the viewport: focus indicator (RGAA 10.7; WCAG 2.4.7)
//! and zoom (RGAA 10.4; WCAG 1.4.4).

use serde_json::json;

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::css::select::{compile_list, split_list};
use crate::css::Declaration;
use crate::page::{ElementRef, Page};

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
    wcag: &["2.4.7"],
    act: &[],
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
    let words = value_words(d);
    match d.name.as_str() {
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
    let words = value_words(d);
    let none = words
        .iter()
        .all(|w| w == "none" || is_zero(w) || w == "transparent");
    let n = d.name.as_str();
    if n == "outline" || n == "outline-style" || n == "outline-width" {
        return !removes_outline(d);
    }
    (n.starts_with("border")
        || n == "box-shadow"
        || n == "background"
        || n == "background-color"
        || n.starts_with("text-decoration"))
        && !none
}

fn is_focus_selector(sel: &str) -> bool {
    sel.to_ascii_lowercase().contains(":focus")
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

fn affected<'a>(page: &'a Page, sel: &str, focusable: &[ElementRef<'a>]) -> Vec<ElementRef<'a>> {
    let Ok(compiled) = compile_list(&unfocused(sel)) else {
        return Vec::new();
    };
    let mut caches = Default::default();
    let _ = page;
    focusable
        .iter()
        .copied()
        .filter(|el| {
            compiled.iter().any(|c| {
                let mut ctx = selectors::context::MatchingContext::new(
                    selectors::context::MatchingMode::Normal,
                    None,
                    &mut caches,
                    selectors::context::QuirksMode::NoQuirks,
                    selectors::context::NeedsSelectorFlags::No,
                    selectors::context::MatchingForInvalidation::No,
                );
                selectors::matching::matches_selector(&c.selector, 0, None, el, &mut ctx)
            })
        })
        .collect()
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
        let rules = &page.styles().author_rules;
        let other_indicator = rules.iter().any(|rule| {
            split_list(&rule.selector_text)
                .iter()
                .any(|s| is_focus_selector(s))
                && rule.declarations.iter().any(draws_indicator)
        });
        for rule in rules {
            if !rule.declarations.iter().any(removes_outline) {
                continue;
            }
            let replaced = rule.declarations.iter().any(draws_indicator);
            for sel in split_list(&rule.selector_text) {
                let sel = sel.trim();
                if !is_focus_selector(sel) {
                    continue;
                }
                let hit = affected(page, sel, &focusable);
                let Some(first) = hit.first().copied() else {
                    continue;
                };
                let keeps_keyboard = sel
                    .to_ascii_lowercase()
                    .replace(' ', "")
                    .contains(":not(:focus-visible)");
                let d = json!({
                    "selector": sel,
                    "stylesheet": rule.sheet,
                    "affectedElements": hit.len(),
                });
                if replaced {
                    r.pass(first, format!("« {sel} » supprime le contour mais le remplace par un autre indicateur."));
                } else if keeps_keyboard {
                    r.pass(first, format!("« {sel} » ne supprime le contour que pour le focus à la souris (:focus-visible conservé)."));
                } else if other_indicator {
                    r.cant_tell(first, format!("« {sel} » supprime le contour de focus ({} élément(s)) ; une autre règle de focus dessine un indicateur : vérifier qu'elle couvre ces éléments.", hit.len()));
                } else {
                    r.fail(first, format!("« {sel} » supprime le contour de focus de {} élément(s) focalisable(s) sans indicateur de remplacement.", hit.len()));
                }
                r.with_details(d);
            }
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
    wcag: &["1.4.4"],
    act: &["b4f0c3"],
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
                .attr("name")
                .is_some_and(|n| n.trim().eq_ignore_ascii_case("viewport"))
            {
                continue;
            }
            let content = e.attr("content").unwrap_or("");
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
                    format!("La balise viewport permet le zoom (« {content} »)."),
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

#[cfg(test)]
mod tests {
    use super::*;

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
