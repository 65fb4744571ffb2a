//! No keyboard trap, measured by a keyboard walk in the browser (RGAA 12.9; WCAG 2.1.2).

use serde_json::json;

use super::{BrowserRule, Outcome, Results, RuleMeta, RuleResult};
use crate::page::browser::BrowserFacts;
use crate::page::Page;

/// ## Ce que la règle vérifie
/// Sur une page rendue (`--render`), la touche Tab est pressée depuis le chargement (au plus
/// deux fois le nombre d'éléments focalisables plus dix, 200 au plus) et chaque élément
/// focalisé est noté. Si le focus revient sur un élément déjà atteint sans avoir quitté la page,
/// alors que d'autres éléments focalisables restent hors de ce cycle, la règle essaie d'en
/// sortir avec Maj+Tab, puis Échap et Tab : si rien n'en sort, c'est un piège (échec, avec les
/// éléments du cycle). Le parcours qui sort de la page après le dernier élément, ou qui boucle
/// sur tous les éléments de la page, est conforme ; un parcours arrêté par sa borne avant
/// l'une ou l'autre issue est « à vérifier ». Sur une page non rendue, la règle ne mesure rien
/// (« non mesuré »).
/// ## Pourquoi
/// Une personne au clavier bloquée dans un composant ne peut plus rien faire d'autre sur la
/// page ni la quitter.
/// ## Exemple en échec
/// Un champ dont le script rend le focus à lui-même à chaque `blur`.
/// ## Exemple conforme
/// Une fenêtre modale qui garde le focus mais se ferme avec Échap.
/// ## Références
/// RGAA 12.9.1 (la règle décide l'échec à Tab, Maj+Tab et Échap ; les pièges sortis par une
/// autre méthode annoncée restent à un humain) · WCAG 2.1.2 · ACT 80af7b, a1b64e (proposées,
/// non revendiquées)
pub struct KeyboardTrap;

static KEYBOARD_TRAP: RuleMeta = RuleMeta {
    id: "keyboard-trap",
    title: "Pas de piège au clavier (mesuré)",
    description: "Un parcours à la touche Tab depuis le chargement n'est retenu dans aucun groupe d'éléments d'où Tab, Maj+Tab et Échap ne sortent pas (mesure en navigateur).",
    rgaa: &["12.9.1"],
    wcag: refs!["2.1.2"],
    act: refs![],
    cerfa: &[16],
};

impl BrowserRule for KeyboardTrap {
    fn meta(&self) -> &'static RuleMeta {
        &KEYBOARD_TRAP
    }
    fn check_measured(&self, page: &Page, facts: &BrowserFacts) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        if facts.stops.is_empty() {
            if facts.truncated && !facts.tabbable.is_empty() {
                // The page's time ran out before the first Tab: nothing is known.
                r.push(
                    Outcome::CantTell,
                    None,
                    "Parcours au clavier non fait : le temps de la page était écoulé avant le premier élément.",
                );
            }
            return r.finish("Aucun élément atteint à la touche Tab.");
        }
        if let Some(trap) = &facts.trap {
            let el = trap.marks.iter().find_map(|m| page.marked(*m));
            r.push(
                Outcome::Failed,
                el,
                format!(
                    "Piège au clavier : le focus tourne entre {} élément(s) ({}) et ni Tab, ni Maj+Tab, ni Échap n'en sortent.",
                    trap.selectors.len(),
                    trap.selectors.join(", ")
                ),
            );
            r.with_details(json!({ "cycle": trap.selectors }));
        } else if facts.truncated {
            r.push(
                Outcome::CantTell,
                None,
                format!(
                    "Parcours au clavier arrêté après {} élément(s) sans avoir quitté la page : la fin n'a pas été atteinte.",
                    facts.stops.len()
                ),
            );
        } else {
            let end = if facts.left_document {
                "puis le focus quitte la page"
            } else {
                "en boucle sur tous les éléments de la page"
            };
            r.push(
                Outcome::Passed,
                None,
                format!(
                    "Parcours au clavier : {} élément(s) atteints, {end} ; aucun piège.",
                    facts.stops.len()
                ),
            );
        }
        r.finish("Aucun élément atteint à la touche Tab.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rule;

    fn page(facts: BrowserFacts) -> Page {
        let url = url::Url::parse("http://127.0.0.1/").expect("url");
        let mut p = Page::parse(url, "<a href=/a>A</a>");
        p.browser = Some(facts);
        p
    }

    #[test]
    fn a_walk_the_page_had_no_time_for_is_cant_tell_not_inapplicable() {
        let out = KeyboardTrap.check(&page(BrowserFacts {
            tabbable: vec![1],
            truncated: true,
            ..BrowserFacts::default()
        }));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].outcome, Outcome::CantTell);
        // Nothing to reach: inapplicable, walked or not.
        let out = KeyboardTrap.check(&page(BrowserFacts {
            truncated: true,
            ..BrowserFacts::default()
        }));
        assert_eq!(out[0].outcome, Outcome::Inapplicable);
    }
}
