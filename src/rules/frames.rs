//! Frames have a relevant title (RGAA 2.1, 2.2; WCAG 4.1.2).

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::{accessible_name, is_hidden_from_at};
use crate::page::Attribute;
use crate::page::Page;

/// ## Ce que la règle vérifie
/// Chaque cadre `<iframe>` ou `<frame>` exposé aux technologies d'assistance a un titre (nom
/// accessible non vide : `title`, `aria-label` ou `aria-labelledby`). Un cadre sans titre retiré
/// de la tabulation (`tabindex="-1"`) ou de rôle `presentation`/`none` est « à vérifier » : le
/// RGAA demande un titre à tout cadre, mais un cadre vide de contenu peut être ignoré des
/// lecteurs d'écran.
///
/// Chaque échec cite le test qu'il décide : un cadre sans attribut `title` (ni autre nom)
/// échoue au test 2.1.1 (présence) ; un cadre dont l'attribut `title` est présent mais vide
/// échoue au test 2.2.1 (le titre existe, son contenu n'est pas pertinent). La pertinence d'un
/// titre non vide est laissée à `frame-title-relevant` et à un humain.
/// ## Pourquoi
/// Le titre du cadre est annoncé quand on y entre ; sans lui, l'utilisateur ignore ce qu'il contient.
/// ## Exemple en échec
/// `<iframe src="/carte"></iframe>`
/// ## Exemple conforme
/// `<iframe src="/carte" title="Carte des points d'accueil"></iframe>`
/// ## Références
/// RGAA 2.1.1, 2.2.1 · WCAG 4.1.2 · ACT cae760
pub struct FrameTitle;

static FRAME_TITLE: RuleMeta = RuleMeta {
    id: "frame-title",
    title: "Cadre avec titre",
    description: "Chaque cadre (iframe, frame) a un titre non vide.",
    rgaa: &["2.1.1", "2.2.1"],
    wcag: refs!["4.1.2"],
    act: refs!["cae760"],
    cerfa: &[16],
};

impl Rule for FrameTitle {
    fn meta(&self) -> &'static RuleMeta {
        &FRAME_TITLE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("iframe, frame") {
            if is_hidden_from_at(page, el) {
                continue;
            }
            let e = el.value();
            let name = accessible_name(page, el);
            if !name.is_empty() {
                r.pass(el, format_args!("Titre du cadre : « {name} »."));
                r.with_tests(&["2.1.1"]);
                continue;
            }
            // A title attribute that is there but blank: present (2.1.1), not relevant (2.2.1).
            let blank_title = e.attribute("title").is_some();
            let test = if blank_title { "2.2.1" } else { "2.1.1" };
            let out_of_tab_order = e.attribute("tabindex").map(str::trim) == Some("-1");
            let presentational = matches!(
                e.attribute("role")
                    .map(|v| v.trim().to_ascii_lowercase())
                    .as_deref(),
                Some("presentation" | "none")
            );
            if blank_title {
                r.pass(el, "Attribut title présent sur le cadre.");
                r.with_tests(&["2.1.1"]);
            }
            if out_of_tab_order || presentational {
                r.cant_tell_tests(el, &[test], "Cadre sans titre, retiré de la tabulation ou présentationnel : le RGAA demande un titre ; vérifier s'il a du contenu restitué.");
            } else if blank_title {
                r.fail_tests(
                    el,
                    &[test],
                    "Attribut title du cadre vide : il doit décrire le contenu du cadre.",
                );
            } else {
                r.fail_tests(
                    el,
                    &[test],
                    "Cadre sans titre : ajouter un attribut title décrivant son contenu.",
                );
            }
        }
        r.finish("Aucun cadre sur la page.")
    }
}

/// Titles that say nothing about a frame's content.
const IRRELEVANT_TITLES: &[&str] = &[
    "iframe",
    "frame",
    "cadre",
    "sans titre",
    "untitled",
    "titre",
    "title",
    "contenu",
    "content",
    "embed",
    "widget",
    "null",
    "undefined",
    "vide",
    "blank",
    "about:blank",
];

/// ## Ce que la règle vérifie
/// Le titre de chaque cadre n'est pas un titre manifestement vide de sens (« iframe »,
/// « frame », « sans titre », nom du fichier chargé…) : ces titres sont « à vérifier ». Un titre
/// sans lettre ni chiffre (`--`, `***`) est en échec : il ne peut décrire aucun contenu (test
/// 2.2.1). Un succès veut seulement dire « aucun défaut évident » ; la pertinence reste à juger
/// par un humain.
/// ## Pourquoi
/// Un titre « iframe » n'aide pas plus que pas de titre du tout.
/// ## Exemple en échec
/// `<iframe src="/carte" title="iframe"></iframe>`
/// ## Exemple conforme
/// `<iframe src="/carte" title="Carte des points d'accueil"></iframe>`
/// ## Références
/// RGAA 2.2.1 · WCAG 4.1.2
pub struct FrameTitleRelevant;

static FRAME_TITLE_RELEVANT: RuleMeta = RuleMeta {
    id: "frame-title-relevant",
    title: "Titre de cadre sans défaut évident",
    description: "Le titre de chaque cadre n'est pas manifestement non pertinent (« iframe », « sans titre », nom de fichier).",
    rgaa: &["2.2.1"],
    wcag: refs!["4.1.2"],
    act: refs![],
    cerfa: &[16],
};

impl Rule for FrameTitleRelevant {
    fn meta(&self) -> &'static RuleMeta {
        &FRAME_TITLE_RELEVANT
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("iframe, frame") {
            if is_hidden_from_at(page, el) {
                continue;
            }
            let name = accessible_name(page, el);
            if name.is_empty() {
                continue; // frame-title judges missing titles
            }
            let lower = name.to_lowercase();
            let file = el
                .value()
                .attribute("src")
                .and_then(|s| s.split(['?', '#']).next())
                .and_then(|s| s.trim_end_matches('/').rsplit('/').next())
                .unwrap_or("")
                .to_lowercase();
            if crate::a11y::relevance::has_no_word(&name) {
                r.fail(el, format!("Titre de cadre « {name} » sans lettre ni chiffre : il ne peut pas décrire le contenu du cadre."));
            } else if IRRELEVANT_TITLES.contains(&lower.as_str()) {
                r.cant_tell(el, format!("Titre de cadre « {name} » sans rapport apparent avec le contenu : vérifier sa pertinence."));
            } else if !file.is_empty()
                && (lower == file || lower == file.split('.').next().unwrap_or(""))
            {
                r.cant_tell(el, format!("Titre de cadre identique au nom du fichier chargé « {name} » : vérifier sa pertinence."));
            } else {
                r.pass(
                    el,
                    format_args!(
                        "Titre sans défaut évident : « {name} » (pertinence à confirmer)."
                    ),
                );
            }
        }
        r.finish("Aucun cadre titré sur la page.")
    }
}
