//! Presentation of information, markup part (RGAA 10.1; WCAG 1.3.1).

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::page::Page;

/// Elements RGAA lists as presentational.
const ELEMENTS: &[&str] = &[
    "basefont", "big", "blink", "center", "font", "marquee", "s", "strike", "tt",
];
/// Attributes RGAA lists as presentational.
const ATTRIBUTES: &[&str] = &[
    "align",
    "alink",
    "background",
    "bgcolor",
    "border",
    "cellpadding",
    "cellspacing",
    "char",
    "charoff",
    "clear",
    "compact",
    "color",
    "frameborder",
    "hspace",
    "link",
    "marginheight",
    "marginwidth",
    "text",
    "valign",
    "vlink",
    "vspace",
];

/// ## Ce que la règle vérifie
/// Aucune balise de présentation (`basefont`, `big`, `blink`, `center`, `font`, `marquee`, `s`,
/// `strike`, `tt`) ni attribut de présentation (`align`, `bgcolor`, `border`, `color`, `valign`,
/// `cellpadding`…) n'est présent ; `width`/`height` ne sont permis que sur `img`, `object`,
/// `embed`, `canvas`, `svg`, et `size` que sur `select`. La méthode du test 10.1.2 fixe cette
/// liste et ses seules exceptions : `width` d'un `iframe` ou d'une `video`, `size` d'un
/// `input`, que HTML autorise, y sont des attributs de présentation, en échec comme les
/// autres (le message le précise). Le contenu SVG et MathML n'est pas concerné.
/// ## Pourquoi
/// La présentation doit passer par les feuilles de styles pour que l'utilisateur puisse
/// l'adapter (contrastes, tailles) sans perdre d'information.
/// ## Exemple en échec
/// `<font color="red">Attention</font>`, `<td align="center">`
/// ## Exemple conforme
/// `<strong class="alerte">Attention</strong>`
/// ## Références
/// RGAA 10.1.1, 10.1.2 · WCAG 1.3.1
pub struct PresentationalElements;

static PRESENTATIONAL_ELEMENTS: RuleMeta = RuleMeta {
    id: "presentational-elements",
    title: "Balises et attributs de présentation",
    description: "Aucune balise ni attribut de présentation (font, center, align, bgcolor…) : la présentation passe par CSS.",
    rgaa: &["10.1.1", "10.1.2"],
    wcag: refs!["1.3.1"],
    act: refs![],
    cerfa: &[],
};

/// Nodes in SVG or MathML subtrees, found in one pass (an ancestor walk per element was
/// quadratic on deep documents).
/// Inside SVG or MathML (the element itself or an ancestor), whose attributes are their own.
fn is_foreign(el: scraper::ElementRef<'_>) -> bool {
    std::iter::once(*el).chain(el.ancestors()).any(|n| {
        n.value()
            .as_element()
            .is_some_and(|e| matches!(e.name(), "svg" | "math"))
    })
}

/// The elements of [`ELEMENTS`] and those carrying an attribute of [`ATTRIBUTES`], `width`,
/// `height` or `size`, as one selector list: the page's index hands over these few instead of
/// every element with each of its attributes compared to the lists.
fn candidates() -> &'static str {
    static LIST: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        let attributes = ATTRIBUTES
            .iter()
            .chain(&["width", "height", "size"])
            .map(|a| format!("[{a}]"));
        ELEMENTS
            .iter()
            .map(|e| e.to_string())
            .chain(attributes)
            .collect::<Vec<_>>()
            .join(", ")
    })
}

impl Rule for PresentationalElements {
    fn meta(&self) -> &'static RuleMeta {
        &PRESENTATIONAL_ELEMENTS
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let mut found = 0;
        for el in page.select(candidates()) {
            // SVG/MathML have their own attributes; <link color> is the mask-icon colour.
            if matches!(el.value().name(), "link" | "meta") || is_foreign(el) {
                continue;
            }
            let e = el.value();
            let name = e.name();
            if ELEMENTS.contains(&name) {
                found += 1;
                r.fail_tests(
                    el,
                    &["10.1.1"],
                    format!("Balise de présentation <{name}> : utiliser CSS."),
                );
                continue;
            }
            let mut bad = Vec::new();
            // Allowed by HTML on this element, but not among the methodology's exceptions.
            let mut html_allowed = Vec::new();
            for (attr, _) in e.attrs() {
                // The parser writes HTML attribute names in lower case: copied only if not.
                let a = crate::format::ascii_lowercase(attr);
                if ATTRIBUTES.contains(&a.as_ref()) {
                    bad.push(a);
                } else if matches!(a.as_ref(), "width" | "height") {
                    match name {
                        "img" | "object" | "embed" | "canvas" | "svg" => {}
                        "iframe" | "video" | "source" | "input" => html_allowed.push(a),
                        _ => bad.push(a),
                    }
                } else if a == "size" {
                    match name {
                        "select" => {}
                        "input" => html_allowed.push(a),
                        _ => bad.push(a),
                    }
                }
            }
            if !bad.is_empty() || !html_allowed.is_empty() {
                found += 1;
                let mut message = format!(
                    "Attribut(s) de présentation sur <{name}> : {} ; utiliser CSS.",
                    bad.iter()
                        .chain(&html_allowed)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                if !html_allowed.is_empty() {
                    message.push_str(&format!(" ({} : permis par HTML, mais la méthode RGAA du test 10.1.2 ne l'admet que sur img, object, embed, canvas, svg — size sur select.)", html_allowed.join(", ")));
                }
                r.fail_tests(el, &["10.1.2"], message);
            }
        }
        if found == 0 {
            if let Some(body) = page.select("body").next() {
                r.pass(body, "Aucune balise ni attribut de présentation.");
            }
        }
        r.finish("")
    }
}
