//! Colours: text contrast (RGAA 3.2; WCAG 1.4.3) and enhanced contrast (WCAG 1.4.6, AAA,
//! outside RGAA), computed from the page's real CSS with the same machinery.

use crate::page::Attribute;
use std::collections::HashMap;

use serde_json::json;

use super::{ContrastDetails, Details, Outcome, Results, Rule, RuleMeta, RuleResult};
use crate::a11y::accname::name_from_content;
use crate::a11y::roles::resolved_role;
use crate::css::Cascaded;
use crate::css::{contrast_ratio, is_large_text, Rgba};
use crate::format::{fr_number, FrNumber};
use crate::page::browser::{TextPixels, REF_ATTR};
use crate::page::{ElementRef, Page};
use std::fmt::Write as _;

/// ## Ce que la règle vérifie
/// Pour chaque élément qui contient directement du texte visible, le rapport de contraste
/// entre la couleur du texte et celle de son arrière-plan est d'au moins 4,5:1, ou 3:1 pour
/// un texte de grande taille (24 px, ou 18,66 px en gras). Les couleurs viennent de la
/// cascade CSS (feuilles de style, attributs `style`, héritage, `!important`, transparences
/// composées sur les ancêtres puis sur le blanc du canevas, opacité).
/// Quand l'arrière-plan ne peut pas être connu sans rendu (image ou dégradé de fond, élément
/// positionné en absolu ou fixe, ombre portée, filtre, mode de fusion, couleur dans une
/// syntaxe non prise en charge, règle CSS au sélecteur non évaluable), le résultat est « à
/// vérifier » avec la raison, jamais « conforme ». Une image ou un dégradé de fond qui ne
/// peint qu'à côté du texte n'est pas l'arrière-plan du texte : une bande de 2 px au plus
/// (soulignement), ou une couche non répétée placée depuis un bord et contenue dans le
/// remplissage de ce côté (le cercle des boutons radio du DSFR, une icône après un lien), d'après
/// `background-size`, `background-position` (longueurs et `calc()`) et `background-repeat`.
/// Le texte d'un élément dont le nom vient d'un `aria-label` et dont le rôle est nommé par son
/// contenu (un bouton « X » nommé « Fermer ») est « à vérifier » quand il manque de contraste ;
/// le nom d'un groupe (`fieldset` avec `aria-labelledby`) ne remplace pas le texte de ses
/// étiquettes, qui est jugé. Une ombre portée (`text-shadow`) dont les
/// couleurs sont lues est décidée : conforme quand le texte contraste avec le fond et avec
/// tout mélange des ombres sur ce fond ; sinon « à vérifier » (l'ombre peut aussi servir de
/// halo qui rend le texte lisible). Le texte masqué (display, visibility,
/// hors écran, découpé), `aria-hidden`, le texte des contrôles désactivés et de leurs
/// étiquettes, et le texte sans lettre ni chiffre ne sont pas concernés.
/// ## Pourquoi
/// Un texte trop peu contrasté est illisible pour les personnes malvoyantes ou daltoniennes,
/// et pour tous sur un écran au soleil.
/// ## Exemple en échec
/// `<p style="color:#aaa; background:#fff">Texte gris clair</p>` (2,32:1)
/// ## Exemple conforme
/// `<p style="color:#333; background:#fff">Texte gris foncé</p>` (12,63:1)
/// ## Références
/// RGAA 3.2.1, 3.2.2, 3.2.3, 3.2.4 · WCAG 1.4.3 · ACT afw4f7 · Cerfa 17
pub struct ColorContrast;

static COLOR_CONTRAST: RuleMeta = RuleMeta {
    id: "color-contrast",
    title: "Contraste du texte suffisant",
    description: "Le texte visible a un contraste d'au moins 4,5:1 avec son arrière-plan (3:1 pour les grands textes), calculé depuis les styles CSS de la page.",
    rgaa: &["3.2.1", "3.2.2", "3.2.3", "3.2.4"],
    wcag: refs!["1.4.3"],
    act: refs!["afw4f7"],
    cerfa: &[17],
};

/// Elements whose text is not rendered as ordinary text.
fn skipped_element(name: &str) -> bool {
    matches!(
        name,
        "textarea"
            | "select"
            | "option"
            | "optgroup"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "title"
    )
}

/// Whether the element's own text (its text children, not its descendants') has a letter or
/// a digit.
fn own_text_has_alphanumeric(el: ElementRef<'_>) -> bool {
    el.children().any(|ch| match ch.value() {
        scraper::Node::Text(t) => t.chars().any(char::is_alphanumeric),
        _ => false,
    })
}

/// The text's element or an ancestor (a role named from its content) names itself with
/// aria-label / aria-labelledby, so the visible text is not what assistive technologies read.
fn name_overridden(el: ElementRef<'_>) -> bool {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .take(4)
        .any(|e| {
            let v = e.value();
            let named = v
                .attribute("aria-label")
                .is_some_and(|l| !l.trim().is_empty())
                || v.attribute("aria-labelledby")
                    .is_some_and(|l| !l.trim().is_empty());
            // Only a role named from its content has that content replaced by the name: the
            // aria-labelledby of a group (a fieldset, a radio group) names the container, its
            // labels stay the text read.
            named && resolved_role(e).is_some_and(|r| name_from_content(&r))
        })
}

/// `4.478` → "4,48"; a failing ratio is never shown rounded up to the threshold.
fn show_ratio(ratio: f64, required: f64) -> f64 {
    let rounded = (ratio * 100.0).round() / 100.0;
    if ratio < required && rounded >= required {
        crate::css::floor2(ratio)
    } else {
        rounded
    }
}

/// ## Ce que la règle vérifie
/// La même chose que `color-contrast` (mêmes textes concernés, mêmes couleurs calculées
/// depuis la cascade, mêmes cas « à vérifier »), avec les seuils renforcés du niveau AAA :
/// au moins 7:1, ou 4,5:1 pour un texte de grande taille. Deux décisions de plus, sûres sans
/// rendu : un texte opaque sans effet dont la couleur ne peut atteindre le seuil ni sur le
/// noir ni sur le blanc échoue quel que soit l'arrière-plan (image comprise) ; un script de
/// la page qui crée un shadow DOM (`attachShadow`) rend la page « à vérifier », son texte
/// n'étant pas vu sans navigateur.
/// ## Pourquoi
/// Le niveau AAA sert les personnes dont la vision est plus réduite (acuité d'environ 4/10).
/// Ce niveau est hors du RGAA 4.1.2 (qui reprend les niveaux A et AA) : la règle n'a aucun
/// test RGAA ni critère Cerfa, et ses résultats, affichés comme « hors RGAA (AAA) », ne
/// comptent ni dans les statuts RGAA, ni dans le critère Cerfa 17, ni dans les totaux
/// d'échecs et d'« à vérifier » de la démarche (`RuleMeta::beyond_rgaa`).
/// ## Exemple en échec
/// `<p style="color:#666; background:#fff">Texte gris</p>` (5,74:1, 7:1 requis)
/// ## Exemple conforme
/// `<p style="color:#333; background:#fff">Texte gris foncé</p>` (12,63:1)
/// ## Références
/// WCAG 1.4.6 (AAA) · ACT 09o5cg · aucun test RGAA (hors référentiel) · pas de critère Cerfa
pub struct ColorContrastEnhanced;

static COLOR_CONTRAST_ENHANCED: RuleMeta = RuleMeta {
    id: "color-contrast-enhanced",
    title: "Contraste renforcé du texte (AAA, hors RGAA)",
    description: "Le texte visible a un contraste d'au moins 7:1 avec son arrière-plan (4,5:1 pour les grands textes) : niveau AAA des WCAG, hors RGAA, sans effet sur les résultats RGAA ni Cerfa.",
    rgaa: &[],
    wcag: refs!["1.4.6"],
    act: refs!["09o5cg"],
    cerfa: &[],
};

/// The thresholds of a contrast level and what that level's rule decides beyond the shared
/// machinery.
struct Level {
    /// Minimum ratio for ordinary text.
    normal: f64,
    /// Minimum ratio for large text.
    large: f64,
    /// Say cantTell for a page whose scripts attach shadow roots (their text is not seen).
    shadow_dom_doubt: bool,
}

const AA: Level = Level {
    normal: 4.5,
    large: 3.0,
    shadow_dom_doubt: true,
};

const AAA: Level = Level {
    normal: 7.0,
    large: 4.5,
    shadow_dom_doubt: true,
};

impl Rule for ColorContrast {
    fn meta(&self) -> &'static RuleMeta {
        &COLOR_CONTRAST
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        check_contrast(page, &AA)
    }
}

impl Rule for ColorContrastEnhanced {
    fn meta(&self) -> &'static RuleMeta {
        &COLOR_CONTRAST_ENHANCED
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        check_contrast(page, &AAA)
    }
}

/// The best contrast a text colour can have on any background: on black or on white.
fn best_possible_ratio(fg: Rgba) -> f64 {
    contrast_ratio(fg, Rgba::BLACK).max(contrast_ratio(fg, Rgba::WHITE))
}

/// A text the contrast rules judge, read once for both levels: the filters (hidden, inactive,
/// no letter…), the colours and their ratio do not depend on the threshold.
struct TextContrast {
    node: ego_tree::NodeId,
    /// The text and background colours, their ratio, and whether the text is large (`None`:
    /// its size is unknown); or why the cascade alone cannot tell.
    colors: Result<(Rgba, Rgba, f64, Option<bool>), String>,
    font_size: Option<f64>,
    font_weight: Option<u16>,
}

/// The page's [`TextContrast`]s, in document order.
struct TextContrasts(Vec<TextContrast>);

impl crate::page::Derived for TextContrasts {
    const SLOT: crate::page::DerivedSlot = crate::page::DerivedSlot::TextContrasts;
}

impl TextContrasts {
    fn of(page: &Page) -> TextContrasts {
        let styles = page.styles();
        let mut texts = Vec::with_capacity(styles.text_elements.len());
        for &node in &styles.text_elements {
            let Some(el) = page.dom.tree.get(node).and_then(ElementRef::wrap) else {
                continue;
            };
            let Some(c) = styles.get(el) else {
                continue;
            };
            if c.hidden.is_some()
                || c.inactive
                || c.aria_hidden
                || c.foreign
                || skipped_element(el.value().name())
                || !own_text_has_alphanumeric(el)
            {
                continue;
            }
            let colors = c.text_colors().map(|(fg, bg)| {
                let large = match (c.font_size, c.font_weight) {
                    (Some(s), Some(w)) => Some(is_large_text(s, w)),
                    (Some(s), None) if s >= 24.0 => Some(true),
                    _ => None,
                };
                (fg, bg, contrast_ratio(fg, bg), large)
            });
            texts.push(TextContrast {
                node,
                colors,
                font_size: c.font_size,
                font_weight: c.font_weight,
            });
        }
        TextContrasts(texts)
    }
}

fn check_contrast(page: &Page, level: &Level) -> Vec<RuleResult> {
    let styles = page.styles();
    let texts = &page.derived(TextContrasts::of).0;
    // Room for a result for each text short of the normal threshold, the most there can be
    // but for the first pass and the shadow DOM's doubt.
    let short = texts
        .iter()
        .filter(|t| !matches!(t.colors, Ok((_, _, ratio, _)) if ratio >= level.normal))
        .count();
    let mut r = Results::with_capacity(page, short + 2);
    // Texts read on the rendered pixels, by the mark of their element (light DOM only).
    let pixels = page.browser.as_ref().and_then(|b| b.pixels.as_ref());
    let measured: HashMap<String, &TextPixels> = pixels
        .map(|p| {
            p.texts
                .iter()
                .filter(|t| !t.shadow)
                .map(|t| (t.mark.to_string(), t))
                .collect()
        })
        .unwrap_or_default();
    // The failure messages written so far, by what they say.
    let mut written: Vec<(FailedText, String)> = Vec::new();
    for text in texts {
        let Some(el) = page.dom.tree.get(text.node).and_then(ElementRef::wrap) else {
            continue;
        };
        let (font_size, font_weight) = (text.font_size, text.font_weight);
        let (fg, bg, ratio, large) = match &text.colors {
            Ok(measure) => *measure,
            Err(reason) => {
                let Some(c) = styles.get(el) else {
                    continue;
                };
                if let Some((fg, bg, shadows, lo, hi)) = c.shadow_bounds() {
                    // Every pixel around the glyphs lies in [lo, hi]: the text contrasts with
                    // all of them when it does with the interval's nearer end. Otherwise the
                    // shadow may be a halo that helps or a blur that hurts: not decided here.
                    let lf = fg.luminance();
                    let worst = if lf > hi {
                        (lf + 0.05) / (hi + 0.05)
                    } else if lf < lo {
                        (lo + 0.05) / (lf + 0.05)
                    } else {
                        1.0
                    };
                    let large = match (c.font_size, c.font_weight) {
                        (Some(s), Some(w)) => is_large_text(s, w),
                        _ => false,
                    };
                    let required = if large { level.large } else { level.normal };
                    if worst >= required {
                        let painted: Vec<String> = shadows.iter().map(Rgba::to_hex).collect();
                        r.pass(
                            el,
                            format_args!(
                                "Contraste d'au moins {}:1 ({}:1 requis) pour le texte {} sur le fond {} comme sur son ombre portée ({}).",
                                fr_number(show_ratio(worst, required), 2),
                                fr_number(required, 2),
                                fg.to_hex(),
                                bg.to_hex(),
                                painted.join(", ")
                            ),
                        );
                        continue;
                    }
                }
                if let Some((fg, stops, lo, hi)) = c.gradient_bounds() {
                    // The best contrast over a luminance interval is at one of its ends.
                    let lf = fg.luminance();
                    let ratio_at = |l: f64| (l.max(lf) + 0.05) / (l.min(lf) + 0.05);
                    let best = ratio_at(lo).max(ratio_at(hi));
                    let large = match (c.font_size, c.font_weight) {
                        (Some(s), Some(w)) => is_large_text(s, w),
                        _ => true,
                    };
                    let required = if large { level.large } else { level.normal };
                    if best < required {
                        let grad: Vec<String> = stops.iter().map(Rgba::to_hex).collect();
                        r.fail(
                                el,
                                format!(
                                    "Contraste insuffisant sur tout le dégradé ({}) : au mieux {}:1 pour le texte {} ; {}:1 requis.",
                                    grad.join(" → "),
                                    fr_number(show_ratio(best, required), 2),
                                    fg.to_hex(),
                                    fr_number(required, 2)
                                ),
                            );
                        r.with_details(json!({
                            "foreground": fg.to_hex(),
                            "background": grad,
                            "ratio": show_ratio(best, required),
                            "requiredRatio": required,
                            "fontSizePx": c.font_size.map(|s| (s * 100.0).round() / 100.0),
                            "fontWeight": c.font_weight,
                        }));
                        continue;
                    }
                }
                if let Some(fg) = c.opaque_text_color() {
                    // Whatever the background (image, positioned box…), the text cannot
                    // reach the threshold: never true at 4.5:1 (every colour reaches at
                    // least 4.58:1 on black or white), decisive at 7:1.
                    let best = best_possible_ratio(fg);
                    let large = match (c.font_size, c.font_weight) {
                        (Some(s), Some(w)) => is_large_text(s, w),
                        _ => true,
                    };
                    let required = if large { level.large } else { level.normal };
                    if best < required {
                        r.fail(
                                el,
                                format!(
                                    "Contraste insuffisant quel que soit l'arrière-plan ({reason}) : le texte {} atteint au mieux {}:1, sur le noir ou le blanc ; {}:1 requis.",
                                    fg.to_hex(),
                                    fr_number(show_ratio(best, required), 2),
                                    fr_number(required, 2)
                                ),
                            );
                        r.with_details(json!({
                            "foreground": fg.to_hex(),
                            "background": null,
                            "ratio": show_ratio(best, required),
                            "requiredRatio": required,
                            "reason": reason,
                            "fontSizePx": c.font_size.map(|s| (s * 100.0).round() / 100.0),
                            "fontWeight": c.font_weight,
                        }));
                        continue;
                    }
                }
                if let Some(t) = measured.get(el.value().attribute(REF_ATTR).unwrap_or_default()) {
                    pixel_verdict(&mut r, el, t, level, Some(reason.as_str()));
                    continue;
                }
                r.cant_tell(
                    el,
                    format!("Contraste non calculable sans rendu : {reason}."),
                );
                r.with_details(json!({ "reason": reason }));
                continue;
            }
        };
        let required = match large {
            Some(true) => level.large,
            Some(false) => level.normal,
            None if ratio >= level.normal => level.normal,
            None if ratio < level.large => level.large,
            None => {
                r.cant_tell(
                        el,
                        format!(
                            "Contraste de {}:1 : suffisant seulement si le texte est grand, et sa taille n'a pas pu être calculée.",
                            fr_number(show_ratio(ratio, level.normal), 2)
                        ),
                    );
                r.with_details(details(fg, bg, ratio, level.normal, font_size, font_weight));
                continue;
            }
        };
        let shown = || fr_number(show_ratio(ratio, required), 2);
        if ratio < required && name_overridden(el) {
            let shown = shown();
            // Text replaced by aria-label(ledby) is not in the accessibility tree (ACT
            // afw4f7): whether it must contrast depends on whether it conveys meaning.
            r.cant_tell(
                    el,
                    format!(
                        "Contraste de {shown}:1 ({}:1 requis) sur un texte remplacé par un aria-label : vérifier s'il porte une information.",
                        fr_number(required, 2)
                    ),
                );
            r.with_details(details(fg, bg, ratio, required, font_size, font_weight));
        } else if ratio < required {
            // A page of grey texts has a hundred of these at 7:1, most saying the same (a few
            // colour pairs and sizes): each message is written once and copied after.
            let key = FailedText {
                fg: fg.hex(),
                bg: bg.hex(),
                ratio: show_ratio(ratio, required).to_bits(),
                required: required.to_bits(),
                font_size: font_size.map(|s| ((s * 100.0).round() / 100.0).to_bits()),
                font_weight,
            };
            let message = match written.iter().find(|(k, _)| *k == key) {
                Some((_, m)) => m.clone(),
                None => {
                    let m = failure_message(&key);
                    if written.len() < MESSAGES_KEPT {
                        written.push((key, m.clone()));
                    }
                    m
                }
            };
            r.fail(el, message);
            r.with_details(details(fg, bg, ratio, required, font_size, font_weight));
        } else if r.passed() > 0 {
            // Passed results are reported as a count, a few targets and the first one's
            // message, never with their measures: building those for every text was a tenth
            // of a page.
            r.pass(el, "");
        } else {
            let shown = shown();
            r.pass(
                el,
                format_args!(
                    "Contraste de {shown}:1 (au moins {}:1 requis).",
                    fr_number(required, 2)
                ),
            );
        }
    }
    // Texts of shadow trees, which the DOM read does not hold: their host carries the verdict.
    for t in pixels.iter().flat_map(|p| &p.texts).filter(|t| t.shadow) {
        if let Some(host) = page.marked(t.mark) {
            pixel_verdict(&mut r, host, t, level, None);
        }
    }
    // The browser saw every open shadow tree; a closed one it could not.
    let shadows_seen = pixels.is_some_and(|p| p.complete) && !closed_shadow_root(page);
    if level.shadow_dom_doubt && page.attaches_shadow_root() && !shadows_seen {
        r.push(
                Outcome::CantTell,
                None,
                "Un script de la page crée un shadow DOM (attachShadow) : son texte n'est pas vu sans navigateur, contraste à vérifier.",
            );
    }
    r.finish("Aucun texte visible concerné sur la page.")
}

/// Whether an inline script may attach a closed shadow root, whose text no script can reach.
fn closed_shadow_root(page: &Page) -> bool {
    page.select("script:not([src])").any(|s| {
        s.text()
            .any(|t| t.contains("attachShadow") && t.contains("closed"))
    })
}

/// The verdict of a text read on the pixels: passed when the background right around its
/// glyphs contrasts enough nearly everywhere, failed when it does nowhere (the highest
/// contrast, ACT afw4f7's measure, is below the threshold), cantTell when it depends on
/// where the letters fall (a photo, a gradient crossing the threshold) or the photo could
/// not be read. `reason`: why the cascade alone could not tell.
fn pixel_verdict(
    r: &mut Results<'_>,
    el: ElementRef<'_>,
    t: &TextPixels,
    level: &Level,
    reason: Option<&str>,
) {
    let why = reason.map(|w| format!(" ({w})")).unwrap_or_default();
    let inside = if t.shadow {
        format!(" du shadow DOM « {} »", t.text)
    } else {
        String::new()
    };
    let (Some(fg), None) = (&t.foreground, &t.unreliable) else {
        let doubt = t.unreliable.as_deref().unwrap_or("non mesuré");
        r.cant_tell(
            el,
            format!("Contraste du texte{inside} non calculable sans rendu{why}, et illisible à l'écran : {doubt}."),
        );
        r.with_details(json!({ "reason": reason, "pixels": doubt }));
        return;
    };
    let large = match (t.font_size, t.font_weight) {
        (Some(s), Some(w)) => is_large_text(s, w),
        (Some(s), None) => s >= 24.0,
        _ => false,
    };
    let required = if large { level.large } else { level.normal };
    let low = t.background_low.as_deref().unwrap_or_default();
    let high = t.background_high.as_deref().unwrap_or_default();
    let details = json!({
        "foreground": fg,
        "background": [low, high],
        "ratio": show_ratio(t.ratio_high, required),
        "ratioLow": show_ratio(t.ratio_low, required),
        "requiredRatio": required,
        "fontSizePx": t.font_size.map(|s| (s * 100.0).round() / 100.0),
        "fontWeight": t.font_weight,
        "measuredOn": "pixels",
        "glyphPixels": t.glyph_pixels,
    });
    let range = |a: f64, b: f64| {
        if (a - b).abs() < 0.005 {
            format!("{}:1", fr_number(show_ratio(a, required), 2))
        } else {
            format!(
                "{}:1 à {}:1",
                fr_number(show_ratio(a, required), 2),
                fr_number(show_ratio(b, required), 2)
            )
        }
    };
    let measured = range(t.ratio_low, t.ratio_high);
    if t.ratio_low >= required {
        r.pass(
            el,
            format_args!("Contraste mesuré à l'écran : {measured} pour le texte{inside} {fg} sur le fond autour des lettres ({low} à {high}) ; {}:1 requis.", fr_number(required, 2)),
        );
    } else if t.ratio_high < required {
        r.fail(
            el,
            format!("Contraste insuffisant mesuré à l'écran : au mieux {}:1 pour le texte{inside} {fg} sur le fond autour des lettres ({low} à {high}) ; {}:1 requis.", fr_number(show_ratio(t.ratio_high, required), 2), fr_number(required, 2)),
        );
    } else {
        r.cant_tell(
            el,
            format!("Contraste mesuré à l'écran variable selon l'endroit : {measured} pour le texte{inside} {fg} sur le fond autour des lettres ({low} à {high}) ; {}:1 requis : vérifier la lisibilité.", fr_number(required, 2)),
        );
    }
    r.with_details(details);
}

/// What a contrast failure's message says: colours, ratios (as shown), size and weight.
#[derive(PartialEq)]
struct FailedText {
    fg: crate::css::color::Hex,
    bg: crate::css::color::Hex,
    ratio: u64,
    required: u64,
    font_size: Option<u64>,
    font_weight: Option<u16>,
}

/// Distinct failure messages a page's contrast rule keeps to copy (a page has a few).
const MESSAGES_KEPT: usize = 16;

fn failure_message(t: &FailedText) -> String {
    let mut message = String::with_capacity(160);
    let _ = write!(
        message,
        "Contraste insuffisant : {}:1 pour le texte {} sur le fond {} ; {}:1 requis (texte de ",
        FrNumber(f64::from_bits(t.ratio), 2),
        t.fg,
        t.bg,
        FrNumber(f64::from_bits(t.required), 2)
    );
    match t.font_size {
        Some(s) => {
            let _ = write!(message, "{} px", FrNumber(f64::from_bits(s), 2));
        }
        None => message.push_str("taille inconnue"),
    }
    message.push_str(", graisse ");
    match t.font_weight {
        Some(w) => message.push_str(itoa::Buffer::new().format(w)),
        None => message.push_str("inconnue"),
    }
    message.push_str(").");
    message
}

fn details(
    fg: Rgba,
    bg: Rgba,
    ratio: f64,
    required: f64,
    size: Option<f64>,
    weight: Option<u16>,
) -> Details {
    Details::Contrast(ContrastDetails {
        foreground: fg.hex(),
        background: bg.hex(),
        ratio: show_ratio(ratio, required),
        required_ratio: required,
        font_size_px: size.map(|s| (s * 100.0).round() / 100.0),
        font_weight: weight,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The typed measures write the object the JSON map wrote (same keys, order and numbers),
    /// equal it once read back, and a report read back holds it as JSON.
    #[test]
    fn contrast_details_write_the_json_they_replace() {
        let fg = Rgba {
            r: 102.0,
            g: 102.0,
            b: 102.0,
            a: 1.0,
        };
        let bg = Rgba {
            r: 255.0,
            g: 255.0,
            b: 255.0,
            a: 1.0,
        };
        for (size, weight) in [(Some(14.0), Some(700)), (Some(13.337), None), (None, None)] {
            let ratio = contrast_ratio(fg, bg);
            let typed = details(fg, bg, ratio, 7.0, size, weight);
            let map = json!({
                "foreground": fg.to_hex(),
                "background": bg.to_hex(),
                "ratio": show_ratio(ratio, 7.0),
                "requiredRatio": 7.0,
                "fontSizePx": size.map(|s: f64| (s * 100.0).round() / 100.0),
                "fontWeight": weight,
            });
            let written = serde_json::to_string_pretty(&typed).expect("json");
            assert_eq!(written, serde_json::to_string_pretty(&map).expect("json"));
            let read: Details = serde_json::from_str(&written).expect("relu");
            assert!(matches!(read, Details::Json(_)));
            assert_eq!(read, typed);
            assert_eq!(typed.to_value(), map);
        }
        assert_ne!(
            details(fg, bg, 5.74, 7.0, None, None),
            Details::from(json!({ "ratio": 5.74 }))
        );
    }

    /// A failure's message is its measures written out, whether written afresh or copied from
    /// an earlier text that said the same: more distinct failures than are kept, each met
    /// several times, every message as its own details write it.
    #[test]
    fn failure_messages_copied_say_their_own_measures() {
        let mut body = String::new();
        for k in 0..3 {
            for grey in 0..20 {
                let c = 0x60 + grey;
                let size = 12 + (grey + k) % 5;
                body.push_str(&format!(
                    "<p style='color:#{c:02x}{c:02x}{c:02x}; font-size:{size}px; font-weight:{w}'>Texte {k} {grey}</p>",
                    w = if grey % 2 == 0 { 400 } else { 300 }
                ));
            }
        }
        let page = Page::parse(
            url::Url::parse("http://t.test/").expect("url"),
            &format!(
                "<!DOCTYPE html><html lang=fr><body style='background:#fff'>{body}</body></html>"
            ),
        );
        let failed: Vec<RuleResult> = ColorContrastEnhanced
            .check(&page)
            .into_iter()
            .filter(|r| r.outcome == Outcome::Failed)
            .collect();
        assert_eq!(failed.len(), 60);
        for r in &failed {
            let Some(Details::Contrast(d)) = &r.details else {
                panic!("{r:?}");
            };
            let expected = format!(
                "Contraste insuffisant : {}:1 pour le texte {} sur le fond {} ; {}:1 requis (texte de {} px, graisse {}).",
                fr_number(d.ratio, 2),
                d.foreground,
                d.background,
                fr_number(d.required_ratio, 2),
                fr_number(d.font_size_px.expect("taille"), 2),
                d.font_weight.expect("graisse")
            );
            assert_eq!(r.message, expected);
        }
        let distinct: std::collections::HashSet<&str> =
            failed.iter().map(|r| r.message.as_str()).collect();
        assert!(distinct.len() > MESSAGES_KEPT, "{}", distinct.len());
    }

    /// Manual benchmark: `cargo test --release --lib contrast_bench -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn contrast_bench() {
        let mut css =
            String::from(":root{--t:#1e1e1e;--f:#fff} body{color:var(--t);background:var(--f)}");
        for i in 0..2000 {
            css.push_str(&format!(
                ".c{i} .d{i} > p.e{i}:not(.x), #id{i}, ul li.k{i}:hover {{ color: #{:06x}; background: rgba(0,0,0,.{}) }}\n",
                i * 97 % 0xffffff,
                i % 10
            ));
        }
        let mut body = String::new();
        for i in 0..1000 {
            body.push_str(&format!(
                "<section class='c{i}'><div class='d{i}'><p class='e{i}'>Texte {i} <a href='#'>lien</a> <strong>gras</strong></p>\
                 <ul><li class='k{i}'>élément</li><li>autre <em>texte</em></li></ul></div></section>"
            ));
        }
        let html = format!("<!DOCTYPE html><html lang=fr><head><title>B</title><style>{css}</style></head><body>{body}</body></html>");
        let url = url::Url::parse("http://bench.test/").expect("url");
        let t = std::time::Instant::now();
        let page = Page::parse(url, &html);
        let parse = t.elapsed();
        let t = std::time::Instant::now();
        let styles = page.styles();
        let cascade = t.elapsed();
        let t = std::time::Instant::now();
        let results = ColorContrast.check(&page);
        let rule = t.elapsed();
        eprintln!(
            "parse {parse:?}; cascade {cascade:?} ({} text elements, {} rules); contrast rule {rule:?} ({} results)",
            styles.text_elements.len(),
            styles.author_rules().len(),
            results.len()
        );
        assert!(styles.text_elements.len() >= 5000);
    }

    #[test]
    fn ratio_display_never_rounds_a_failure_up() {
        assert_eq!(show_ratio(4.478, 4.5), 4.48);
        assert_eq!(show_ratio(4.4999, 4.5), 4.49);
        assert_eq!(show_ratio(4.5, 4.5), 4.5);
    }
}
