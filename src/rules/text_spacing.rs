//! Text spacing increased without loss, measured in the browser (RGAA 10.12; WCAG 1.4.12).

use serde_json::json;

use super::{BrowserRule, Outcome, Results, RuleMeta, RuleResult, NOT_MEASURED};
use crate::page::browser::BrowserFacts;
use crate::page::browser_layout::px;
use crate::page::Page;

/// What the test applies, said once for the messages.
const SPACING: &str =
    "interligne 1,5, paragraphes espacés de 2 fois la police, lettres de 0,12, mots de 0,16";

/// ## Ce que la règle vérifie
/// Sur une page rendue (`--render`), les espacements du test 10.12.1 sont appliqués à tout le
/// document (`line-height: 1.5`, `margin-bottom: 2em` sur les paragraphes, `letter-spacing:
/// 0.12em`, `word-spacing: 0.16em`, avec `!important` et une spécificité qui l'emporte sur les
/// règles de l'auteur, comme la feuille d'un utilisateur) et chaque boîte qui contient du texte
/// est comparée avant et après : échec quand son texte dépasse alors une boîte qui masque son
/// débordement (`overflow: hidden` ou `clip`, hauteur ou largeur fixe) ou sort de sa boîte sur
/// un autre texte ; « à vérifier » quand le texte était déjà coupé sans les espacements (le
/// débordement d'origine n'est pas imputé au test) ou quand la mesure s'est arrêtée à sa
/// borne. Un style en ligne `!important` de l'auteur l'emporte encore : les règles
/// `letter-spacing-adjustable`, `word-spacing-adjustable` et `line-height-adjustable` le
/// trouvent. Sur une page non rendue, la règle ne mesure rien (« non mesuré »).
/// ## Pourquoi
/// Des personnes dyslexiques ou malvoyantes espacent le texte pour le lire ; une boîte de
/// hauteur fixe leur en cache alors la fin.
/// ## Exemple en échec
/// `<div style="height: 3em; overflow: hidden"><p>Deux lignes de texte…</p></div>`
/// ## Exemple conforme
/// `<div style="min-height: 3em"><p>Deux lignes de texte…</p></div>`
/// ## Références
/// RGAA 10.12.1 (la règle trouve des pertes ; la lisibilité de chaque passage reste à un
/// humain, le critère n'est donc jamais validé par elle) · WCAG 1.4.12
pub struct TextSpacing;

static TEXT_SPACING: RuleMeta = RuleMeta {
    id: "text-spacing",
    title: "Texte lisible avec des espacements augmentés (mesuré)",
    description: "Avec les espacements de texte du test 10.12.1, aucun texte n'est coupé par sa boîte ni ne chevauche un autre texte (mesure en navigateur).",
    rgaa: &["10.12.1"],
    wcag: refs!["1.4.12"],
    act: refs![],
    cerfa: &[],
};

impl BrowserRule for TextSpacing {
    fn meta(&self) -> &'static RuleMeta {
        &TEXT_SPACING
    }
    fn check_measured(&self, page: &Page, facts: &BrowserFacts) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let Some(spacing) = facts.layout.as_ref().and_then(|l| l.spacing.as_ref()) else {
            r.push(
                Outcome::CantTell,
                None,
                "Espacements du texte non mesurés (délai de la page ou script refusé) : à vérifier.",
            );
            return r.finish(NOT_MEASURED);
        };
        for c in &spacing.clipped {
            let el = c.mark.and_then(|m| page.marked(m));
            let dimension = if c.axis == "x" { "largeur" } else { "hauteur" };
            let (outcome, message) = if c.before > 1.0 {
                (
                    Outcome::CantTell,
                    format!(
                        "Son texte était déjà coupé sans les espacements ({} px hors de la boîte en {dimension}), et l'est davantage avec ({SPACING}) : {} px. À vérifier.",
                        px(c.before),
                        px(c.after)
                    ),
                )
            } else {
                (
                    Outcome::Failed,
                    format!(
                        "Avec les espacements du test ({SPACING}), le texte dépasse de {} px en {dimension} cette boîte qui masque son débordement : la fin du texte est perdue.",
                        px(c.after)
                    ),
                )
            };
            r.push(outcome, el, message);
            r.with_details(json!({ "selector": c.selector, "axis": c.axis, "before": c.before, "after": c.after }));
        }
        for o in &spacing.overlaps {
            let el = o.mark.and_then(|m| page.marked(m));
            r.push(
                Outcome::Failed,
                el,
                format!(
                    "Avec les espacements du test ({SPACING}), le texte sort de sa boîte de {} px et chevauche le texte de « {} ».",
                    px(o.after),
                    o.over
                ),
            );
            r.with_details(json!({ "selector": o.selector, "over": o.over, "after": o.after }));
        }
        if spacing.clipped.is_empty() && spacing.overlaps.is_empty() && spacing.checked > 0 {
            if spacing.truncated {
                r.push(
                    Outcome::CantTell,
                    None,
                    format!(
                        "Avec les espacements du test, aucun texte coupé ni chevauché dans les {} premières boîtes, mais la mesure s'est arrêtée avant la fin de la page : à vérifier.",
                        spacing.checked
                    ),
                );
            } else {
                r.push(
                    Outcome::Passed,
                    None,
                    format!(
                        "Avec les espacements du test ({SPACING}), aucun texte coupé ni chevauché ({} boîte(s) de texte comparée(s)).",
                        spacing.checked
                    ),
                );
            }
        }
        r.finish("Aucun texte à mesurer.")
    }
}
