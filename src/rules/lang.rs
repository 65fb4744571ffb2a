//! Default language of the page (RGAA 8.3, 8.4; WCAG 3.1.1). Presence (8.3) and validity (8.4)
//! are two rules, as in ACT, so that an invalid code does not fail 8.3.
//!
//! RGAA and ACT disagree on two points, so each has its own rules: RGAA 8.3.1 accepts the
//! language given on every text element or a parent (ACT b5c3f8 checks only `<html lang>`),
//! and the RGAA glossary « Code de langue » accepts ISO 639-2 codes such as `fra` or `eng`
//! (ACT bf051a and de46e4 follow BCP 47, where `eng` is not a valid primary subtag). The RGAA
//! rules (`html-lang`, `html-lang-valid`, `lang-change-valid`) carry the RGAA tests and no
//! ACT id; the ACT rules (`html-has-lang`, `html-lang-bcp47`, `lang-change-bcp47`) carry the
//! ACT id and WCAG 3.1.1 / 3.1.2, and no RGAA test.

use crate::page::Attribute;
use scraper::Node;

use super::language_guess;
use super::lists::lists;
use super::{Results, Rule, RuleMeta, RuleResult};
use crate::page::{normalize_space, ElementRef, Page};

/// The value of `lang`, else `xml:lang`, trimmed.
fn lang_of(el: ElementRef<'_>) -> Option<&str> {
    crate::page::lang_attribute(el.value()).map(str::trim)
}

/// Whether a language is given for text whose closest element is `el`: the closest element
/// (itself included) carrying `lang` or `xml:lang` has a non-blank value.
fn language_given(el: ElementRef<'_>) -> bool {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .find_map(lang_of)
        .is_some_and(|v| !v.is_empty())
}

/// Not rendered nor read: inside script, style, template, noscript, or not rendered (the
/// page's visibility answer: `hidden`, `display: none`…).
fn never_read(page: &Page, el: ElementRef<'_>) -> bool {
    !crate::a11y::is_rendered(page, el)
        || std::iter::once(el)
            .chain(el.ancestors().filter_map(ElementRef::wrap))
            .any(|a| {
                matches!(
                    a.value().name(),
                    "script" | "style" | "template" | "noscript"
                )
            })
}

/// Where the page's texts stand as to their language.
struct LanguageCoverage<'a> {
    /// Texts of the content (text nodes and `alt`, `aria-label`, `placeholder` values).
    texts: usize,
    /// Closest elements of content texts without language, in document order, with the text.
    uncovered: Vec<(ElementRef<'a>, String)>,
    /// The page title's text without language, if any.
    title_uncovered: Option<String>,
}

fn language_coverage(page: &Page) -> LanguageCoverage<'_> {
    let mut cov = LanguageCoverage {
        texts: 0,
        uncovered: Vec::new(),
        title_uncovered: None,
    };
    for node in page.root().descendants() {
        let (el, text) = match node.value() {
            Node::Text(t) => {
                let Some(p) = node.parent().and_then(ElementRef::wrap) else {
                    continue;
                };
                let text = normalize_space(t);
                if text.is_empty() {
                    continue;
                }
                (p, text)
            }
            Node::Element(e) => {
                let Some(el) = ElementRef::wrap(node) else {
                    continue;
                };
                let attr_text = ["alt", "aria-label", "placeholder"]
                    .iter()
                    .filter_map(|a| e.attribute(a))
                    .map(normalize_space)
                    .find(|v| !v.is_empty());
                match attr_text {
                    Some(t) => (el, t),
                    None => continue,
                }
            }
            _ => continue,
        };
        if never_read(page, el) {
            continue;
        }
        let in_title = el.value().name() == "title"
            && !el
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| matches!(a.value().name(), "svg" | "math" | "body"));
        if in_title {
            if !language_given(el) && cov.title_uncovered.is_none() {
                cov.title_uncovered = Some(text);
            }
            continue;
        }
        cov.texts += 1;
        if !language_given(el) {
            cov.uncovered.push((el, text));
        }
    }
    cov
}

/// ## Ce que la règle vérifie
/// La page indique sa langue par défaut (test 8.3.1), par l'une des deux conditions du test :
/// l'attribut `lang` (ou `xml:lang`) non vide sur l'élément `<html>`, ou sur chaque élément de
/// texte ou l'un de ses parents (par exemple sur `<body>`). Sans langue sur `<html>`, la règle
/// parcourt les textes lus (nœuds de texte, `alt`, `aria-label`, `placeholder`, hors script,
/// style et contenu `hidden`) : si l'un n'a de langue ni sur lui ni sur un parent, c'est un
/// échec ; si tous en ont une, sauf le titre de page (`<title>`, dans `<head>`), c'est « à
/// vérifier » (le test ne dit pas si le titre compte parmi les éléments de texte) ; si tous, titre
/// compris, en ont une, c'est conforme. Une page sans aucun texte est « à vérifier ».
///
/// Décide : 8.3.1. Le code lui-même (validité, pertinence) relève du 8.4 (`html-lang-valid`).
/// Le doctype n'est pas considéré (le glossaire « Langue par défaut » attend `xml:lang` en XHTML :
/// laissé à un humain).
/// ## Pourquoi
/// Les synthèses vocales choisissent la prononciation d'après la langue du document.
/// ## Exemple en échec
/// `<html><body><p>Bonjour</p></body></html>`
/// ## Exemple conforme
/// `<html lang="fr">`, ou `<html><head><title lang="fr">…</title></head><body lang="fr">…`
/// ## Références
/// RGAA 8.3.1 · WCAG 3.1.1
pub struct HtmlLangPresent;

static HTML_LANG_PRESENT: RuleMeta = RuleMeta {
    id: "html-lang",
    title: "Langue par défaut présente",
    description: "La langue par défaut est indiquée sur l'élément html, ou sur chaque élément de texte ou l'un de ses parents (RGAA 8.3.1).",
    rgaa: &["8.3.1"],
    wcag: refs!["3.1.1"],
    act: refs![],
    cerfa: &[],
};

impl Rule for HtmlLangPresent {
    fn meta(&self) -> &'static RuleMeta {
        &HTML_LANG_PRESENT
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let root = page.root();
        let on_html = match lang_of(root) {
            Some("") => "L'attribut lang de l'élément html est vide",
            None => "L'élément html n'a pas d'attribut lang",
            Some(v) => {
                r.pass(root, format_args!("Langue par défaut indiquée : « {v} »."));
                return r.finish("");
            }
        };
        let cov = language_coverage(page);
        if let Some((_, text)) = cov.uncovered.first() {
            let excerpt: String = text.chars().take(60).collect();
            r.fail(
                root,
                format!(
                    "{on_html}, et {} texte(s) n'ont d'indication de langue ni sur leur élément ni sur un parent (par exemple « {excerpt} »).",
                    cov.uncovered.len()
                ),
            );
        } else if cov.texts == 0 {
            r.cant_tell(
                root,
                format!(
                    "{on_html} et la page n'a aucun texte lu : vérifier l'indication de langue."
                ),
            );
        } else if let Some(title) = cov.title_uncovered {
            r.cant_tell(
                root,
                format!(
                    "{on_html} ; la langue est indiquée pour chaque texte du contenu, mais pas pour le titre de page « {title} » : vérifier (ou la déclarer sur html)."
                ),
            );
        } else {
            r.pass(
                root,
                format_args!(
                    "{on_html}, mais la langue est indiquée pour chaque texte ({}) sur son élément ou un parent.",
                    cov.texts
                ),
            );
        }
        r.finish("")
    }
}

/// ## Ce que la règle vérifie
/// L'élément `<html>` porte un attribut `lang` dont la valeur n'est ni vide ni faite
/// d'espaces (`xml:lang` ne compte pas). C'est la règle ACT b5c3f8, qui ne regarde que
/// `<html>` ; le RGAA, qui admet aussi la langue donnée sur les éléments de texte, est jugé par
/// `html-lang`.
/// ## Pourquoi
/// Les synthèses vocales choisissent la prononciation d'après la langue du document ; la
/// déclarer sur `<html>` est la seule façon sûre qu'elle s'applique à tout le document.
/// ## Exemple en échec
/// `<html>` ou `<html lang=" ">` ou `<html xml:lang="fr">`
/// ## Exemple conforme
/// `<html lang="fr">`
/// ## Références
/// WCAG 3.1.1 · ACT b5c3f8
pub struct HtmlHasLang;

static HTML_HAS_LANG: RuleMeta = RuleMeta {
    id: "html-has-lang",
    title: "Attribut lang sur l'élément html (ACT)",
    description: "L'élément html porte un attribut lang non vide (règle ACT b5c3f8, WCAG 3.1.1).",
    rgaa: &[],
    wcag: refs!["3.1.1"],
    act: refs!["b5c3f8"],
    cerfa: &[],
};

impl Rule for HtmlHasLang {
    fn meta(&self) -> &'static RuleMeta {
        &HTML_HAS_LANG
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let root = page.root();
        match root.value().attribute("lang").map(str::trim) {
            None => r.fail(root, "L'élément html n'a pas d'attribut lang."),
            Some("") => r.fail(root, "L'attribut lang de l'élément html est vide."),
            Some(v) => r.pass(root, format_args!("Attribut lang : « {v} ».")),
        }
        r.finish("")
    }
}

/// The default language indication: the `lang` and `xml:lang` values of `<html>`, else of
/// `<body>` (RGAA 8.3.1 accepts it on a parent of every text), non-blank, with their element.
fn default_language_codes(page: &Page) -> Vec<(ElementRef<'_>, String)> {
    fn of(el: ElementRef<'_>) -> Vec<(ElementRef<'_>, String)> {
        ["lang", "xml:lang"]
            .iter()
            .filter_map(|a| el.value().attribute(a))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| (el, v.to_string()))
            .collect()
    }
    let on_html = of(page.root());
    if !on_html.is_empty() {
        return on_html;
    }
    page.select("body").next().map(of).unwrap_or_default()
}

/// ## Ce que la règle vérifie
/// Le code de la langue par défaut (attributs `lang` et `xml:lang` de `<html>`, ou à défaut de
/// `<body>`) est valide au sens du glossaire RGAA « Code de langue » : la partie avant le
/// premier tiret est un code ISO 639-1 (2 lettres, `fr`) ou ISO 639-2 et suivantes (3 lettres,
/// `fra`, `eng`) connu ; l'option après le tiret (`fr-FR`, `en-US-GB`) est laissée à l'auteur
/// et n'est pas jugée. Sans langue par défaut, la règle ne s'applique pas (voir `html-lang`).
///
/// Décide : la validité du code (8.4.1, premier point) et, quand le texte de la page est
/// clairement écrit dans une autre langue (au moins 15 mots, dont un cinquième de mots outils
/// propres à l'une des langues que vigie reconnaît : français, anglais, allemand, espagnol,
/// italien, portugais, néerlandais ; passages dotés de leur propre `lang` exclus), un code non
/// pertinent (second point). Laisse à un humain la pertinence dans tous les autres cas ; un
/// succès ne valide donc jamais le critère.
/// ## Pourquoi
/// Un code invalide est ignoré : la synthèse vocale lit le texte avec une mauvaise prononciation.
/// ## Exemple en échec
/// `<html lang="français">` ou `<html lang="fr_FR">`
/// ## Exemple conforme
/// `<html lang="fr">`, `<html lang="fra">`, `<html lang="fr-FR">`
/// ## Références
/// RGAA 8.4.1 (glossaire « Code de langue ») · WCAG 3.1.1
pub struct HtmlLang;

static HTML_LANG: RuleMeta = RuleMeta {
    id: "html-lang-valid",
    title: "Langue par défaut valide",
    description: "Le code de la langue par défaut commence par un code ISO 639 connu (2 ou 3 lettres) ; l'option après le tiret est libre.",
    rgaa: &["8.4.1"],
    wcag: refs!["3.1.1"],
    act: refs![],
    cerfa: &[],
};

impl Rule for HtmlLang {
    fn meta(&self) -> &'static RuleMeta {
        &HTML_LANG
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for (el, v) in default_language_codes(page) {
            if !lists().is_rgaa_language_code(&v) {
                r.fail(
                    el,
                    format!("Le code de langue « {v} » n'est pas valide : la partie avant le tiret doit être un code ISO 639 de 2 ou 3 lettres (par ex. « fr »)."),
                );
            } else if let Some((name, hits, words)) = language_guess::contradicts_governed(&v, el) {
                r.fail(
                    el,
                    format!("Code de langue par défaut « {v} » valide mais non pertinent : le texte de la page est en {name} ({hits} mots outils {name} sur {words} mots)."),
                );
            } else {
                r.pass(
                    el,
                    format_args!(
                        "Code de langue par défaut « {v} » valide (pertinence à vérifier)."
                    ),
                );
            }
        }
        r.finish("La page n'a pas de langue par défaut sur html ni sur body (voir html-lang).")
    }
}

/// ## Ce que la règle vérifie
/// Quand l'élément `<html>` porte un attribut `lang` non vide, sa valeur est une étiquette de
/// langue BCP 47 bien formée dont la sous-étiquette principale est enregistrée (règle ACT
/// bf051a : `eng` y est invalide, `en` existant). Le RGAA, qui admet les codes ISO 639-2, est
/// jugé par `html-lang-valid`.
/// ## Pourquoi
/// Un code invalide est ignoré : la synthèse vocale lit le texte avec une mauvaise prononciation.
/// ## Exemple en échec
/// `<html lang="français">` ou `<html lang="eng">`
/// ## Exemple conforme
/// `<html lang="fr">`
/// ## Références
/// WCAG 3.1.1 · ACT bf051a
pub struct HtmlLangBcp47;

static HTML_LANG_BCP47: RuleMeta = RuleMeta {
    id: "html-lang-bcp47",
    title: "Langue de l'élément html valide en BCP 47 (ACT)",
    description:
        "La valeur de lang sur html est une étiquette BCP 47 valide (règle ACT bf051a, WCAG 3.1.1).",
    rgaa: &[],
    wcag: refs!["3.1.1"],
    act: refs!["bf051a"],
    cerfa: &[],
};

impl Rule for HtmlLangBcp47 {
    fn meta(&self) -> &'static RuleMeta {
        &HTML_LANG_BCP47
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let root = page.root();
        match root.value().attribute("lang").map(str::trim) {
            None | Some("") => {}
            Some(v) if !is_valid_bcp47(v) => r.fail(
                root,
                format!("Le code de langue « {v} » n'est pas une étiquette BCP 47 valide."),
            ),
            Some(v) => r.pass(root, format_args!("Étiquette BCP 47 valide : « {v} ».")),
        }
        r.finish("L'élément html n'a pas d'attribut lang (voir html-has-lang).")
    }
}

/// Well-formed BCP 47 with a known-shaped primary subtag (2–3 letters, or i-/x- forms).
/// Registry lookup of every subtag is out of scope; we only accept a primary language subtag
/// from ISO 639-1 style shapes and check the remaining subtags' shapes.
pub fn is_valid_bcp47(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let Some(primary) = parts.next() else {
        return false;
    };
    let p = primary.to_ascii_lowercase();
    if p == "i" {
        // Irregular grandfathered tags: all deprecated except these three.
        let rest = tag[2..].to_ascii_lowercase();
        return matches!(rest.as_str(), "default" | "enochian" | "mingo");
    }
    if p == "x" {
        return parts.clone().next().is_some()
            && parts.all(|s| {
                (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric())
            });
    }
    if !(2..=3).contains(&p.len()) || !p.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    // Primary subtags that are not languages.
    if !is_known_language(&p) {
        return false;
    }
    parts.all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// ISO 639-1 codes plus any 3-letter code (ISO 639-2/3 are too many to list; shape only).
fn is_known_language(p: &str) -> bool {
    if p.len() == 3 {
        // ISO 639-2 codes of languages that have a two-letter code are not registered in the
        // IANA subtag registry ("eng" is not valid, "en" is); other 3-letter codes are accepted
        // on their shape, as the full registry is not embedded.
        const HAS_TWO_LETTER_CODE: &str = "ara chi zho cze ces dan dut nld eng fin fre fra ger deu gre ell heb hin hun ice isl ita jpn kor nor pol por rum ron rus slo slk spa swe tur ukr vie wel cym bre baq eus cat glg gle oci lat";
        return !HAS_TWO_LETTER_CODE.split(' ').any(|c| c == p);
    }
    const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik in io is it iu iw ja ji jv jw ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mo mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";
    ISO_639_1.split(' ').any(|c| c == p)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn bcp47_shapes() {
        for ok in ["fr", "fr-FR", "en-GB", "zh-Hant-TW", "gsw", "x-klingon"] {
            assert!(is_valid_bcp47(ok), "{ok}");
        }
        assert!(is_valid_bcp47("i-default"));
        for bad in [
            "eng",
            "fra",
            "",
            "français",
            "f",
            "fr_FR",
            "xx",
            "12",
            "fr-",
            "english",
            "i-lux",
        ] {
            assert!(!is_valid_bcp47(bad), "{bad}");
        }
    }
}
