//! Page title (RGAA 8.5, 8.6; WCAG 2.4.2). Two rules, so that a missing title fails 8.5 only
//! and a doubtful title leaves 8.5 conforming.

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::page::{normalize_space, Page};

/// ## Ce que la règle vérifie
/// Le document a un élément `<title>` non vide.
/// ## Pourquoi
/// Le titre est la première information lue à l'ouverture de la page et nomme l'onglet.
/// ## Exemple en échec
/// `<head></head>` ou `<title> </title>`
/// ## Exemple conforme
/// `<title>Demander une aide au logement - Caf</title>`
/// ## Références
/// RGAA 8.5.1 · WCAG 2.4.2 · ACT 2779a5
pub struct PageTitle;

static PAGE_TITLE: RuleMeta = RuleMeta {
    id: "page-title",
    title: "Titre de page présent",
    description: "Le document a un titre (élément title) non vide.",
    rgaa: &["8.5.1"],
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

/// The document's title element (outside SVG), if any.
fn title_element(page: &Page) -> Option<crate::page::ElementRef<'_>> {
    // ACT 2779a5 applies to the html document; the first title outside SVG counts.
    page.select("title").find(|t| {
        !t.ancestors().any(|a| {
            a.value()
                .as_element()
                .map(|e| e.name() == "svg")
                .unwrap_or(false)
        })
    })
}

impl Rule for PageTitle {
    fn meta(&self) -> &'static RuleMeta {
        &PAGE_TITLE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        match title_element(page) {
            None => r.fail(page.root(), "Le document n'a pas d'élément title."),
            Some(t) => {
                let text = normalize_space(&t.text().collect::<String>());
                if text.is_empty() {
                    r.fail(t, "L'élément title est vide.");
                } else {
                    r.pass(t, format!("Titre : « {text} »."));
                }
            }
        }
        r.finish("")
    }
}

/// ## Ce que la règle vérifie
/// Un titre de page générique (« Accueil », « Sans titre », « Document », une URL ou un nom de
/// fichier) est « à vérifier » ; un autre titre passe pour ce que la règle sait détecter (sa
/// pertinence reste à confirmer par un humain). Sans titre non vide, la règle ne s'applique pas.
/// ## Pourquoi
/// Un titre générique ne permet pas de distinguer la page dans les onglets, l'historique ou
/// les résultats de recherche.
/// ## Exemple en échec
/// `<title>Accueil</title>` sur une page de formulaire
/// ## Exemple conforme
/// `<title>Pièces justificatives - Demander une aide au logement - Caf</title>`
/// ## Références
/// RGAA 8.6.1 · WCAG 2.4.2
pub struct PageTitleRelevant;

static PAGE_TITLE_RELEVANT: RuleMeta = RuleMeta {
    id: "page-title-relevant",
    title: "Titre de page non générique",
    description:
        "Un titre de page générique (Accueil, Sans titre, URL, nom de fichier) est à vérifier.",
    rgaa: &["8.6.1"],
    wcag: &["2.4.2"],
    act: &[],
    cerfa: &[],
};

impl Rule for PageTitleRelevant {
    fn meta(&self) -> &'static RuleMeta {
        &PAGE_TITLE_RELEVANT
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        if let Some(t) = title_element(page) {
            let text = normalize_space(&t.text().collect::<String>());
            let lower = text.to_lowercase();
            if text.is_empty() {
                // Judged by page-title (8.5).
            } else if GENERIC_TITLES.contains(&lower.as_str())
                || lower.starts_with("http://")
                || lower.starts_with("https://")
                || lower.ends_with(".html")
                || lower.ends_with(".php")
            {
                r.cant_tell(
                    t,
                    format!(
                        "Le titre « {text} » semble générique : vérifier qu'il identifie la page."
                    ),
                );
            } else {
                r.pass(t, format!("Titre non générique : « {text} »."));
            }
        }
        r.finish("Pas de titre de page non vide.")
    }
}
