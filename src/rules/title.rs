//! Page title (RGAA 8.5, 8.6; WCAG 2.4.2). Two rules, so that a missing title fails 8.5 only
//! and a doubtful title leaves 8.5 conforming.

use super::lists::lists;
use super::{Results, Rule, RuleMeta, RuleResult};
use crate::page::{normalize_space, Page};

/// ## Ce que la règle vérifie
/// Le document a un élément `<title>` (test 8.5.1), et ce titre n'est pas vide. Un élément
/// `<title>` absent échoue au test 8.5.1 ; un élément présent mais vide échoue au test 8.6.1
/// (le titre existe, son contenu n'est pas pertinent). La pertinence d'un titre non vide est
/// jugée par `page-title-relevant` et par un humain.
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
    title: "Titre de page présent",
    description: "Le document a un titre (élément title) non vide.",
    rgaa: &["8.5.1", "8.6.1"],
    wcag: refs!["2.4.2"],
    act: refs!["2779a5"],
    cerfa: &[],
};

/// Titles too vague to identify a page, to be checked by a human (authoring tools' default
/// titles are failures: see `criteria/listes-rgaa.toml`).
const GENERIC_TITLES: &[&str] = &[
    "accueil",
    "page d'accueil",
    "home",
    "titre",
    "page",
    "index",
];

/// The document's title element (outside SVG), if any.
fn title_element(page: &Page) -> Option<crate::page::ElementRef<'_>> {
    // ACT 2779a5 applies to the html document; the first title outside SVG and templates counts.
    page.select("title").find(|t| {
        !t.ancestors().any(|a| {
            a.value()
                .as_element()
                .map(|e| matches!(e.name(), "svg" | "template"))
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
            None => r.fail_tests(
                page.root(),
                &["8.5.1"],
                "Le document n'a pas d'élément title.",
            ),
            Some(t) => {
                let text = normalize_space(&t.text().collect::<String>());
                if text.is_empty() {
                    // Present (8.5.1 met), but says nothing (8.6.1 failed).
                    r.pass(t, "Élément title présent.");
                    r.with_tests(&["8.5.1"]);
                    r.fail_tests(
                        t,
                        &["8.6.1"],
                        "L'élément title est vide : il n'identifie pas la page.",
                    );
                } else {
                    r.pass(t, format_args!("Titre : « {text} »."));
                    r.with_tests(&["8.5.1"]);
                }
            }
        }
        r.finish("")
    }
}

/// ## Ce que la règle vérifie
/// Le titre de page n'est pas un titre laissé par défaut par un outil de création (« Document
/// sans nom », « Sans titre », « Untitled Document », « New Page 1 », « Document »…, liste dans
/// `criteria/listes-rgaa.toml`) : un tel titre n'identifie aucune page, il est en échec (test
/// 8.6.1, « le contenu de cette balise est-il pertinent ? »). Un titre seulement générique
/// (« Accueil », « Index »), une URL ou un nom de fichier est « à vérifier ». Un autre titre passe
/// pour ce que la règle sait détecter : sa pertinence reste à confirmer par un humain. Sans
/// titre non vide, la règle ne s'applique pas (le titre vide est jugé par `page-title`).
/// ## Pourquoi
/// Un titre par défaut ou générique ne permet pas de distinguer la page dans les onglets,
/// l'historique ou les résultats de recherche.
/// ## Exemple en échec
/// `<title>Document sans nom</title>` ; à vérifier : `<title>Accueil</title>` sur une page de
/// formulaire
/// ## Exemple conforme
/// `<title>Pièces justificatives - Demander une aide au logement - Caf</title>`
/// ## Références
/// RGAA 8.6.1 · WCAG 2.4.2
pub struct PageTitleRelevant;

static PAGE_TITLE_RELEVANT: RuleMeta = RuleMeta {
    id: "page-title-relevant",
    title: "Titre de page non générique",
    description: "Un titre laissé par défaut par un outil de création (Document sans nom, Untitled Document…) est en échec ; un titre générique (Accueil, URL, nom de fichier) est à vérifier.",
    rgaa: &["8.6.1"],
    wcag: refs!["2.4.2"],
    act: refs![],
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
                // Judged by page-title.
            } else if lists().is_default_title(&text) {
                r.fail(
                    t,
                    format!("Le titre « {text} » est un titre par défaut d'outil de création : il n'identifie pas la page."),
                );
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
                r.pass(t, format_args!("Titre non générique : « {text} »."));
            }
        }
        r.finish("Pas de titre de page non vide.")
    }
}
