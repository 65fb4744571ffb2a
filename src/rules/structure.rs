//! Structure of information (RGAA 9.1, 9.2, 9.3, 12.6; WCAG 1.3.1, 2.4.1, 2.4.6).

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::{accessible_name, is_hidden_from_at, resolved_role, role_of};
use crate::page::{ElementRef, Page};

/// Headings exposed to assistive technologies, with their level, in document order.
fn headings(page: &Page) -> Vec<(ElementRef<'_>, u8)> {
    page.select("h1, h2, h3, h4, h5, h6, [role~=heading]")
        .filter(|el| !is_hidden_from_at(*el))
        .filter_map(|el| {
            let role = resolved_role(el)?;
            if role != "heading" {
                return None;
            }
            let aria = el
                .value()
                .attr("aria-level")
                .and_then(|v| v.trim().parse::<u8>().ok())
                .filter(|l| *l >= 1);
            let native = el
                .value()
                .name()
                .strip_prefix('h')
                .and_then(|d| d.parse::<u8>().ok());
            Some((el, aria.or(native).unwrap_or(2)))
        })
        .collect()
}

/// ## Ce que la règle vérifie
/// Les titres (`h1`…`h6`, `role="heading"` avec `aria-level`) forment une hiérarchie sans saut :
/// la page a un titre de niveau 1, et aucun titre ne descend de plus d'un niveau par rapport au
/// précédent (un `h4` après un `h2` est en échec). Une page sans aucun titre est « à vérifier ».
/// ## Pourquoi
/// Les utilisateurs de lecteurs d'écran naviguent de titre en titre ; un niveau manquant leur
/// fait croire qu'une partie du contenu leur échappe.
/// ## Exemple en échec
/// `<h1>Démarche</h1><h3>Pièces à fournir</h3>`
/// ## Exemple conforme
/// `<h1>Démarche</h1><h2>Pièces à fournir</h2>`
/// ## Références
/// RGAA 9.1.1 · WCAG 1.3.1, 2.4.6
pub struct HeadingHierarchy;

static HEADING_HIERARCHY: RuleMeta = RuleMeta {
    id: "heading-hierarchy",
    title: "Hiérarchie des titres",
    description: "La page a un titre de niveau 1 et ses niveaux de titres se suivent sans saut.",
    rgaa: &["9.1.1"],
    wcag: &["1.3.1", "2.4.6"],
    act: &[],
    cerfa: &[],
};

impl Rule for HeadingHierarchy {
    fn meta(&self) -> &'static RuleMeta {
        &HEADING_HIERARCHY
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let hs = headings(page);
        if hs.is_empty() {
            if let Some(body) = page.select("body").next() {
                r.cant_tell(body, "Aucun titre dans la page : vérifier si le contenu devrait être structuré par des titres.");
            }
            return r.finish("");
        }
        let has_h1 = hs.iter().any(|(_, l)| *l == 1);
        let mut prev: Option<u8> = None;
        for (i, (el, level)) in hs.iter().enumerate() {
            if i == 0 && !has_h1 {
                r.fail(
                    *el,
                    format!("La page n'a pas de titre de niveau 1 ; le premier titre est de niveau {level}."),
                );
            } else if let Some(p) = prev.filter(|p| *level > p + 1) {
                r.fail(
                    *el,
                    format!(
                        "Saut de niveau : titre de niveau {level} après un titre de niveau {p}."
                    ),
                );
            } else {
                r.pass(*el, format!("Titre de niveau {level}."));
            }
            prev = Some(*level);
        }
        r.finish("")
    }
}

/// ## Ce que la règle vérifie
/// Chaque titre (`h1`…`h6`, `role="heading"`) exposé aux technologies d'assistance a un nom
/// accessible non vide.
/// ## Pourquoi
/// Un titre vide est annoncé sans contenu et brouille la navigation par titres.
/// ## Exemple en échec
/// `<h2></h2>` ou `<h2><img src="logo.png" alt=""></h2>`
/// ## Exemple conforme
/// `<h2>Pièces justificatives</h2>`
/// ## Références
/// RGAA 9.1.2 · WCAG 1.3.1, 2.4.6 · ACT ffd0e9
pub struct HeadingNotEmpty;

static HEADING_NOT_EMPTY: RuleMeta = RuleMeta {
    id: "heading-not-empty",
    title: "Titres non vides",
    description: "Chaque titre a un contenu textuel (nom accessible) non vide.",
    rgaa: &["9.1.2"],
    wcag: &["1.3.1", "2.4.6"],
    act: &["ffd0e9"],
    cerfa: &[],
};

impl Rule for HeadingNotEmpty {
    fn meta(&self) -> &'static RuleMeta {
        &HEADING_NOT_EMPTY
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for (el, _) in headings(page) {
            let name = accessible_name(page, el);
            if name.is_empty() {
                r.fail(el, "Titre vide : il n'a aucun nom accessible.");
            } else {
                r.pass(el, format!("Titre : « {name} »."));
            }
        }
        r.finish("Aucun titre dans la page.")
    }
}

/// ## Ce que la règle vérifie
/// La page a une et une seule zone de contenu principal (`<main>` ou `role="main"` visible) ;
/// l'absence ou la multiplicité est en échec. L'absence d'en-tête (`header`/`banner`), de
/// navigation (`nav`/`navigation`) ou de pied de page (`footer`/`contentinfo`) est « à
/// vérifier » : la page n'a peut-être pas ces zones.
/// ## Pourquoi
/// Les régions permettent d'atteindre ou d'éviter directement les zones communes aux pages.
/// ## Exemple en échec
/// `<body><div id="contenu">…</div></body>`
/// ## Exemple conforme
/// `<header>…</header><nav>…</nav><main>…</main><footer>…</footer>`
/// ## Références
/// RGAA 9.2.1, 12.6.1 · WCAG 1.3.1, 2.4.1
pub struct Landmarks;

static LANDMARKS: RuleMeta = RuleMeta {
    id: "landmarks",
    title: "Zones de la page (en-tête, navigation, contenu principal, pied de page)",
    description: "Un seul contenu principal (main) ; en-tête, navigation et pied de page balisés s'ils existent.",
    rgaa: &["9.2.1", "12.6.1"],
    wcag: &["1.3.1", "2.4.1"],
    act: &[],
    cerfa: &[],
};

impl Rule for Landmarks {
    fn meta(&self) -> &'static RuleMeta {
        &LANDMARKS
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let Some(body) = page.select("body").next() else {
            return r.finish("Pas de corps de page.");
        };
        // One pass, one role per element; the ancestor walk of the hidden test only for the
        // few landmark candidates (per element it was quadratic on deep documents).
        let mut landmarks: std::collections::HashMap<String, Vec<ElementRef<'_>>> =
            std::collections::HashMap::new();
        for el in body.descendants().filter_map(ElementRef::wrap) {
            if let Some(role) = role_of(el) {
                if matches!(
                    role.as_str(),
                    "main" | "banner" | "navigation" | "contentinfo"
                ) && !is_hidden_from_at(el)
                {
                    landmarks.entry(role).or_default().push(el);
                }
            }
        }
        let with_role = |role: &str| -> Vec<ElementRef<'_>> {
            landmarks.get(role).cloned().unwrap_or_default()
        };
        let mains = with_role("main");
        match mains.len() {
            0 => r.fail(
                body,
                "Aucune zone de contenu principal (élément main ou role=\"main\").",
            ),
            1 => r.pass(mains[0], "Zone de contenu principal unique."),
            n => {
                for m in &mains[1..] {
                    r.fail(
                        *m,
                        format!("{n} zones de contenu principal : une seule est permise."),
                    );
                }
            }
        }
        let mut missing = Vec::new();
        for (role, what) in [
            ("banner", "en-tête (header ou role=\"banner\")"),
            ("navigation", "navigation (nav ou role=\"navigation\")"),
            (
                "contentinfo",
                "pied de page (footer ou role=\"contentinfo\")",
            ),
        ] {
            match with_role(role).first() {
                Some(el) => r.pass(*el, format!("Zone {what} présente.")),
                None => missing.push(what),
            }
        }
        if !missing.is_empty() {
            r.cant_tell(
                body,
                format!(
                    "Zone(s) non balisée(s) : {} ; vérifier si la page en a, sans le balisage attendu.",
                    missing.join(", ")
                ),
            );
        }
        r.finish("")
    }
}

/// ## Ce que la règle vérifie
/// Les listes sont balisées correctement : un `li` a pour parent `ul`, `ol` ou `menu` (ou un
/// élément `role="list"`) ; un `dt` ou un `dd` a pour parent `dl` (ou un `div` enfant de `dl`) ;
/// les enfants directs de `ul`/`ol` sont des `li` (ou `script`, `template`).
/// ## Pourquoi
/// Une liste mal formée n'est pas annoncée comme liste : le nombre d'éléments et leur
/// regroupement sont perdus.
/// ## Exemple en échec
/// `<div><li>Pièce d'identité</li></div>`
/// ## Exemple conforme
/// `<ul><li>Pièce d'identité</li></ul>`
/// ## Références
/// RGAA 9.3.1, 9.3.2, 9.3.3 · WCAG 1.3.1
pub struct ListStructure;

static LIST_STRUCTURE: RuleMeta = RuleMeta {
    id: "list-structure",
    title: "Listes correctement structurées",
    description: "li dans ul/ol/menu, dt et dd dans dl, et seulement des li dans ul/ol.",
    rgaa: &["9.3.1", "9.3.2", "9.3.3"],
    wcag: &["1.3.1"],
    act: &[],
    cerfa: &[],
};

fn parent_element(el: ElementRef<'_>) -> Option<ElementRef<'_>> {
    el.parent().and_then(ElementRef::wrap)
}

impl Rule for ListStructure {
    fn meta(&self) -> &'static RuleMeta {
        &LIST_STRUCTURE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("body li, body dt, body dd") {
            if el.value().attr("role").is_some() {
                // An explicit role replaces the list semantics: judged by the ARIA rules.
                continue;
            }
            let parent = parent_element(el);
            let pname = parent.map(|p| p.value().name()).unwrap_or("");
            let prole = parent.and_then(|p| p.value().attr("role")).unwrap_or("");
            let name = el.value().name();
            let ok = if name == "li" {
                matches!(pname, "ul" | "ol" | "menu")
                    || prole.split_ascii_whitespace().any(|t| t == "list")
            } else {
                pname == "dl"
                    || (pname == "div"
                        && parent
                            .and_then(parent_element)
                            .is_some_and(|g| g.value().name() == "dl"))
            };
            if ok {
                r.pass(el, format!("{name} correctement placé."));
            } else if name == "li" {
                r.fail(el, format!("li hors d'une liste (parent : {pname}) : utiliser ul, ol ou role=\"list\"."));
            } else {
                r.fail(
                    el,
                    format!("{name} hors d'une liste de définitions dl (parent : {pname})."),
                );
            }
        }
        for list in page.select("body ul, body ol") {
            if list.value().attr("role").is_some() {
                continue;
            }
            for child in list.children().filter_map(ElementRef::wrap) {
                if !matches!(child.value().name(), "li" | "script" | "template") {
                    r.fail(
                        child,
                        format!(
                            "Élément {} directement dans {} : seuls des li sont permis.",
                            child.value().name(),
                            list.value().name()
                        ),
                    );
                }
            }
        }
        r.finish("Aucune liste dans la page.")
    }
}
