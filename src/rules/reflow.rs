//! Reflow in a window 320 CSS px wide, measured in the browser (RGAA 10.11; WCAG 1.4.10).

use serde_json::json;

use super::{BrowserRule, Outcome, Results, RuleMeta, RuleResult, NOT_MEASURED};
use crate::page::browser::BrowserFacts;
use crate::page::browser_layout::{px, VerticalFacts};
use crate::page::Page;

/// ## Ce que la règle vérifie
/// Sur une page rendue (`--render`), la fenêtre est réduite à 320 px CSS de large (comme un
/// zoom à 400 % sur un écran de 1 280 px) : chaque ligne de texte qui sort de la fenêtre, hors
/// des zones qui défilent ou masquent d'elles-mêmes, oblige à défiler horizontalement pour la
/// lire, ou est perdue sous un `overflow-x: hidden` de la page : échec, avec le bloc de texte
/// en preuve. « À vérifier » : un mot seul trop long pour la fenêtre (une adresse), les cas
/// particuliers du RGAA qui peuvent demander deux dimensions (tableau de données, image, vidéo,
/// texte préformaté, barre d'outils, formule), un élément sans texte ou placé hors de la
/// fenêtre qui la dépasse, un défilement horizontal sans élément visible en cause.
/// Test 10.11.2 : quand la page a du texte dont le sens de lecture est vertical
/// (`writing-mode: vertical-*`, `sideways-*`), la fenêtre est aussi réduite à 256 px de haut
/// (à sa largeur par défaut) : chaque colonne de ce texte qui descend sous la fenêtre, mêmes
/// exclusions, oblige à défiler verticalement : échec ; un mot seul, un cas particulier ou un
/// texte placé là par positionnement, et une page écrite verticalement qui défile sans
/// texte en cause : « à vérifier » ; sinon conforme pour ce test. Une page sans texte vertical
/// n'est pas concernée par 10.11.2. Reste humain : que toutes les informations et
/// fonctionnalités restent disponibles (pas seulement le texte : images, commandes, contenus
/// qu'un script masque à cette taille), et les zones conçues pour défiler horizontalement
/// (carrousels) dont le texte est horizontal, qui relèvent du test 10.11.1.
/// Sur une page non rendue, la règle ne mesure rien (« non mesuré ») : la mise en page dépend
/// du navigateur.
/// ## Pourquoi
/// Une personne qui agrandit fortement le texte, ou qui lit sur un petit écran, doit pouvoir
/// lire chaque ligne sans faire défiler la page dans les deux sens.
/// ## Exemple en échec
/// `<main style="width: 1200px"><p>Un paragraphe…</p></main>`, ou
/// `<p style="writing-mode: vertical-rl; height: 600px">縦書きの文章…</p>`
/// ## Exemple conforme
/// `<main style="max-width: 1200px"><p>Un paragraphe…</p></main>`, ou
/// `<p style="writing-mode: vertical-rl; max-height: 100vh">縦書きの文章…</p>`
/// ## Références
/// RGAA 10.11.1, 10.11.2 (la règle trouve des non-conformités ; la disponibilité de toutes les
/// informations et fonctionnalités reste à vérifier, le critère n'est donc jamais validé par
/// elle) · WCAG 1.4.10
pub struct Reflow;

static REFLOW: RuleMeta = RuleMeta {
    id: "reflow",
    title: "Contenu lisible à 320 px de large (mesuré)",
    description: "Dans une fenêtre de 320 px de large, aucun texte n'oblige à défiler horizontalement pour être lu (mesure en navigateur).",
    rgaa: &["10.11.1"],
    wcag: refs!["1.4.10"],
    act: refs![],
    cerfa: &[],
};

fn kind_fr(kind: &str) -> &'static str {
    match kind {
        "data_table" => "tableau de données, exception possible (deux dimensions)",
        "media" => "image, graphique ou média, exception possible (deux dimensions)",
        "preformatted" => "texte préformaté, exception possible si sa mise en forme est nécessaire",
        "toolbar" => "barre d'outils ou interface à manipuler, exception possible",
        "math" => "formule, exception possible (deux dimensions)",
        "positioned" => "texte placé hors de la fenêtre par positionnement (menu escamoté ?)",
        _ => "élément sans texte qui dépasse",
    }
}

impl BrowserRule for Reflow {
    fn meta(&self) -> &'static RuleMeta {
        &REFLOW
    }
    fn check_measured(&self, page: &Page, facts: &BrowserFacts) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let Some(reflow) = facts.layout.as_ref().and_then(|l| l.reflow.as_ref()) else {
            r.push(
                Outcome::CantTell,
                None,
                "Affichage à 320 px non mesuré (délai de la page ou script refusé) : à vérifier.",
            );
            return r.finish(NOT_MEASURED);
        };
        let width = px(reflow.viewport);
        let vertical = facts
            .layout
            .as_ref()
            .and_then(|l| l.vertical.as_ref())
            .filter(|v| v.texts > 0);
        if let (true, Some(v)) = (reflow.vertical, vertical) {
            // A page written vertically: 10.11.2 only.
            vertical_verdicts(&mut r, page, v, true);
            return r.finish(NOT_MEASURED);
        }
        if reflow.vertical {
            r.push(
                Outcome::CantTell,
                None,
                "Le texte de la page se lit verticalement : l'affichage à 256 px de haut (test 10.11.2) n'est pas mesuré, à vérifier.",
            );
            r.with_tests(&["10.11.2"]);
            return r.finish(NOT_MEASURED);
        }
        for b in &reflow.text_blocks {
            let el = b.mark.and_then(|m| page.marked(m));
            let (outcome, message) = if b.single_word {
                (
                    Outcome::CantTell,
                    format!(
                        "Un mot seul trop long pour la fenêtre de {width} px (ligne de {} px) dépasse : vérifier qu'il reste lisible sans défilement horizontal.",
                        px(b.line_width)
                    ),
                )
            } else {
                (
                    Outcome::Failed,
                    format!(
                        "Dans une fenêtre de {width} px de large, le texte de ce bloc s'étend jusqu'à {} px : il faut faire défiler horizontalement pour le lire (ou il est coupé).",
                        px(b.right)
                    ),
                )
            };
            r.push(outcome, el, message);
            r.with_details(json!({ "selector": b.selector, "viewport": reflow.viewport, "right": b.right, "line_width": b.line_width }));
        }
        for e in &reflow.elements {
            let el = e.mark.and_then(|m| page.marked(m));
            r.push(
                Outcome::CantTell,
                el,
                format!(
                    "Dans une fenêtre de {width} px de large, cet élément s'étend jusqu'à {} px : {}. À vérifier.",
                    px(e.right),
                    kind_fr(&e.kind)
                ),
            );
            r.with_details(json!({ "selector": e.selector, "kind": e.kind, "viewport": reflow.viewport, "right": e.right, "width": e.width }));
        }
        let overflow = reflow.scroll_width > reflow.viewport + 1.0;
        if reflow.text_blocks.is_empty() && reflow.elements.is_empty() {
            if overflow {
                r.push(
                    Outcome::CantTell,
                    None,
                    format!(
                        "Dans une fenêtre de {width} px de large, la page défile horizontalement (contenu de {} px) sans élément visible identifié : à vérifier.",
                        px(reflow.scroll_width)
                    ),
                );
            } else if reflow.truncated {
                r.push(
                    Outcome::CantTell,
                    None,
                    format!("Dans une fenêtre de {width} px de large, la page ne défile pas horizontalement, mais la mesure s'est arrêtée avant la fin de la page : à vérifier."),
                );
            } else {
                r.push(
                    Outcome::Passed,
                    None,
                    format!("Dans une fenêtre de {width} px de large, la page s'affiche sans défilement horizontal et aucun texte ne sort de la fenêtre."),
                );
            }
        }
        if let Some(v) = vertical {
            vertical_verdicts(&mut r, page, v, false);
        }
        r.finish(NOT_MEASURED)
    }
}

/// RGAA 10.11.2: the text read vertically, in a window 256 px high. `whole_page`: the page
/// itself is written vertically, so its vertical scrolling is the test's concern too.
fn vertical_verdicts(r: &mut Results<'_>, page: &Page, v: &VerticalFacts, whole_page: bool) {
    let height = px(v.viewport);
    let before = r.len();
    for b in &v.text_blocks {
        let el = b.mark.and_then(|m| page.marked(m));
        let (outcome, message) = if b.single_word {
            (
                Outcome::CantTell,
                format!(
                    "Un mot seul trop long pour la fenêtre de {height} px de haut (colonne de {} px) dépasse : vérifier qu'il reste lisible sans défilement vertical.",
                    px(b.line_height)
                ),
            )
        } else {
            (
                Outcome::Failed,
                format!(
                    "Dans une fenêtre de {height} px de haut, le texte vertical de ce bloc descend jusqu'à {} px : il faut faire défiler verticalement pour le lire.",
                    px(b.bottom)
                ),
            )
        };
        r.push(outcome, el, message);
        r.with_tests(&["10.11.2"]);
        r.with_details(json!({ "selector": b.selector, "viewportHeight": v.viewport, "bottom": b.bottom, "line_height": b.line_height }));
    }
    for e in &v.elements {
        let el = e.mark.and_then(|m| page.marked(m));
        r.push(
            Outcome::CantTell,
            el,
            format!(
                "Dans une fenêtre de {height} px de haut, cet élément de texte vertical descend jusqu'à {} px : {}. À vérifier.",
                px(e.bottom),
                kind_fr(&e.kind)
            ),
        );
        r.with_tests(&["10.11.2"]);
        r.with_details(json!({ "selector": e.selector, "kind": e.kind, "viewportHeight": v.viewport, "bottom": e.bottom, "height": e.height }));
    }
    if r.len() > before {
        return;
    }
    let (outcome, message) = if whole_page && v.scroll_height > v.viewport + 1.0 {
        (
            Outcome::CantTell,
            format!(
                "Dans une fenêtre de {height} px de haut, la page écrite verticalement défile verticalement (contenu de {} px) sans texte identifié en cause : à vérifier.",
                px(v.scroll_height)
            ),
        )
    } else if v.truncated {
        (
            Outcome::CantTell,
            format!("Dans une fenêtre de {height} px de haut, aucun texte vertical ne sort de la fenêtre, mais la mesure s'est arrêtée avant la fin de la page : à vérifier."),
        )
    } else {
        (
            Outcome::Passed,
            format!(
                "Dans une fenêtre de {height} px de haut, le texte lu verticalement ({} passage(s)) se lit sans défilement vertical.",
                v.texts
            ),
        )
    };
    r.push(outcome, None, message);
    r.with_tests(&["10.11.2"]);
}
