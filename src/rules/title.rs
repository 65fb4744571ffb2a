//! Page title (RGAA 8.5, 8.6; WCAG 2.4.2).

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::page::{normalize_space, Page};

/// ## Ce que la règle vérifie
/// Le document a un élément `<title>` non vide ; un titre générique (« Accueil », « Sans titre »,
/// « Document », une URL ou un nom de fichier) est signalé « à vérifier ».
/// ## Pourquoi
/// Le titre est la première information lue à l'ouverture de la page et nomme l'onglet.
/// ## Exemple en échec
/// `<head></head>` ou `<title> </title>`
/// ## Exemple conforme
/// `<title>Demander une aide au logement - Caf</title>`
/// ## Références
/// RGAA 8.5.1, 8.6.1 · WCAG 2.4.2 · ACT 2779a5
pub struct PageTitle;

static PAGE_TITLE: RuleMeta = RuleMeta {
    id: "page-title",
    title: "Titre de page présent et pertinent",
    description:
        "Le document a un titre (élément title) non vide ; les titres génériques sont à vérifier.",
    rgaa: &["8.5.1", "8.6.1"],
    wcag: &["2.4.2"],
    act: &["2779a5"],
    cerfa: &[],
};

const GENERIC_TITLES: &[&str] = &[
    "accueil",
    "page d'accueil",
    "home",
    "untitled",
    "sans titre",
    "document",
    "titre",
    "page",
    "index",
    "nouvelle page",
    "new page",
];

impl Rule for PageTitle {
    fn meta(&self) -> &'static RuleMeta {
        &PAGE_TITLE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        // ACT 2779a5 applies to the html document; the first title in the head counts.
        let title = page.select("title").find(|t| {
            !t.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .map(|e| matches!(e.name(), "svg" | "template"))
                    .unwrap_or(false)
            })
        });
        match title {
            None => r.fail(page.root(), "Le document n'a pas d'élément title."),
            Some(t) => {
                let text = normalize_space(&t.text().collect::<String>());
                let lower = text.to_lowercase();
                if text.is_empty() {
                    r.fail(t, "L'élément title est vide.");
                } else if GENERIC_TITLES.contains(&lower.as_str())
                    || lower.starts_with("http://")
                    || lower.starts_with("https://")
                    || lower.ends_with(".html")
                    || lower.ends_with(".php")
                {
                    r.cant_tell(t, format!("Le titre « {text} » semble générique : vérifier qu'il identifie la page."));
                } else {
                    r.pass(t, format!("Titre : « {text} »."));
                }
            }
        }
        r.finish("")
    }
}
