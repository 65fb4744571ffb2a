//! Structure of information (RGAA 9.1, 9.2, 9.3, 12.6; WCAG 1.3.1, 2.4.1, 2.4.6).

use super::lists::{classify_doctype, doctype_of, DoctypeKind};
use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::{accessible_name, is_hidden_from_at, resolved_role, role_of};
use crate::page::Attribute;
use crate::page::{ElementRef, Page};

/// Headings exposed to assistive technologies, with their level, in document order.
fn headings(page: &Page) -> Vec<(ElementRef<'_>, u8)> {
    page.select("h1, h2, h3, h4, h5, h6, [role~=heading]")
        .filter(|el| !is_hidden_from_at(page, *el))
        .filter_map(|el| {
            let role = resolved_role(el)?;
            if role != "heading" {
                return None;
            }
            let aria = el
                .value()
                .attribute("aria-level")
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
/// La hiérarchie des titres (`h1`…`h6`, `role="heading"` avec `aria-level`) ne présente pas
/// d'incohérence visible dans le code. Le glossaire RGAA (« Titre ») admet les sauts de niveau
/// (un `h3` directement après un `h1`) et l'absence de `h1` tant que la hiérarchie reste
/// cohérente : ni l'un ni l'autre n'est un échec. Est « à vérifier » un titre placé avant tout
/// titre de rang supérieur alors qu'un titre de rang supérieur vient plus loin (un `h3` en tête
/// de page suivi du `h1`) : il ne dépend d'aucun titre parent, et l'ordre semble inversé. Une
/// page sans aucun titre est « à vérifier ». La règle ne conclut jamais à l'échec.
///
/// Décide : rien seule (test 9.1.1, hiérarchie « pertinente », est un jugement). Laisse à un
/// humain : la pertinence de la hiérarchie (9.1.1) au regard du contenu, celle du texte des
/// titres (9.1.2, voir aussi `heading-not-empty`) et les passages de texte qui devraient être
/// des titres (9.1.3).
/// ## Pourquoi
/// Les utilisateurs de lecteurs d'écran naviguent de titre en titre et comprennent
/// l'organisation de la page par les niveaux ; un ordre de niveaux inversé la brouille.
/// ## Exemple en échec
/// `<h3>Pièces à fournir</h3><h1>Démarche</h1>` (à vérifier : le sous-titre précède le titre
/// principal)
/// ## Exemple conforme
/// `<h1>Démarche</h1><h3>Pièces à fournir</h3>` (saut de niveau admis) ou
/// `<h2>Démarche</h2><h3>Pièces à fournir</h3>` (sans `h1`)
/// ## Références
/// RGAA 9.1.1 (glossaire « Titre ») · WCAG 1.3.1, 2.4.6
pub struct HeadingHierarchy;

static HEADING_HIERARCHY: RuleMeta = RuleMeta {
    id: "heading-hierarchy",
    title: "Hiérarchie des titres",
    description: "Les niveaux de titres forment une hiérarchie cohérente (sauts de niveau et absence de h1 admis par le RGAA) ; un ordre inversé est à vérifier.",
    rgaa: &["9.1.1"],
    wcag: refs!["1.3.1", "2.4.6"],
    act: refs![],
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
        // Highest rank (smallest level) seen before each heading, and after it.
        let mut best_after = vec![u8::MAX; hs.len()];
        let mut best = u8::MAX;
        for (i, (_, level)) in hs.iter().enumerate().rev() {
            best_after[i] = best;
            best = best.min(*level);
        }
        let mut best_before = u8::MAX;
        let mut prev: Option<u8> = None;
        for (i, ((el, level), after)) in hs.iter().zip(best_after).enumerate() {
            if best_before >= *level && after < *level {
                // No heading of higher rank precedes it, yet one follows: inverted order.
                r.cant_tell(
                    *el,
                    format!(
                        "Titre de niveau {level} placé avant tout titre de rang supérieur, alors qu'un titre de niveau {after} vient plus loin : vérifier que la hiérarchie reste cohérente (ordre des titres inversé ?)."
                    ),
                );
            } else if let Some(p) = prev.filter(|p| *level > p + 1) {
                r.pass(
                    *el,
                    format_args!("Titre de niveau {level} après un titre de niveau {p} : saut de niveau admis par le RGAA (glossaire « Titre »)."),
                );
            } else if i == 0 && *level > 1 {
                r.pass(
                    *el,
                    format_args!("Premier titre de niveau {level} : l'absence de h1 est admise par le RGAA (glossaire « Titre »)."),
                );
            } else {
                r.pass(*el, format_args!("Titre de niveau {level}."));
            }
            best_before = best_before.min(*level);
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
    wcag: refs!["1.3.1", "2.4.6"],
    act: refs!["ffd0e9"],
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
                r.pass(el, format_args!("Titre : « {name} »."));
            }
        }
        r.finish("Aucun titre dans la page.")
    }
}

/// ## Ce que la règle vérifie
/// Les zones de la page : contenu principal (`<main>` ou `role="main"` visible), en-tête
/// (`header`/`banner`), navigation (`nav`/`navigation`), pied de page (`footer`/`contentinfo`).
///
/// Critère 9.2 (test 9.2.1, structure du document) : il ne s'applique qu'aux pages de doctype
/// HTML5 (cas particulier du critère). Sur une page HTML5, l'absence de zone de contenu
/// principal ou plusieurs zones visibles sont en échec (9.2.1). Sur une page HTML 4.01 ou
/// XHTML 1.x (doctype reconnu), la règle ne dit rien du 9.2 (non applicable). Sans doctype, ou
/// avec un doctype non reconnu, ce qui serait un échec du 9.2 est « à vérifier ».
///
/// Critère 12.6 (test 12.6.1) : une zone est conforme dès qu'elle remplit une des conditions
/// (landmark, titre, bouton ou lien d'évitement, lien d'accès rapide). Un landmark présent
/// valide la zone ; son absence n'est jamais un échec du 12.6, seulement « à vérifier » (la
/// zone peut être atteinte autrement).
///
/// L'absence d'en-tête, de navigation ou de pied de page balisés est « à vérifier » (la page
/// n'a peut-être pas ces zones). Laissé à un humain : l'existence et la nature des zones,
/// l'usage de `nav` pour les seules navigations (9.2.1), les autres moyens du 12.6.1.
/// ## Pourquoi
/// Les régions permettent d'atteindre ou d'éviter directement les zones communes aux pages.
/// ## Exemple en échec
/// `<!DOCTYPE html>…<body><div id="contenu">…</div></body>` (9.2.1)
/// ## Exemple conforme
/// `<header>…</header><nav>…</nav><main>…</main><footer>…</footer>`
/// ## Références
/// RGAA 9.2.1, 12.6.1 · WCAG 1.3.1, 2.4.1
pub struct Landmarks;

static LANDMARKS: RuleMeta = RuleMeta {
    id: "landmarks",
    title: "Zones de la page (en-tête, navigation, contenu principal, pied de page)",
    description: "Un seul contenu principal (main) sur une page HTML5 ; en-tête, navigation et pied de page balisés s'ils existent ; une zone sans landmark est à vérifier pour le 12.6.",
    rgaa: &["9.2.1", "12.6.1"],
    wcag: refs!["1.3.1", "2.4.1"],
    act: refs![],
    cerfa: &[],
};

/// Whether criterion 9.2 applies, from the doctype (RGAA: only the HTML5 doctype).
enum Scope92 {
    Applies,
    /// A known non-HTML5 doctype, by name.
    NotApplicable(String),
    /// No doctype, or one vigie does not recognise.
    Unsure,
}

fn scope_92(page: &Page) -> Scope92 {
    match doctype_of(page).map(|d| classify_doctype(&d)) {
        Some(DoctypeKind::Html5) => Scope92::Applies,
        Some(DoctypeKind::Known(name)) => Scope92::NotApplicable(name),
        _ => Scope92::Unsure,
    }
}

impl Rule for Landmarks {
    fn meta(&self) -> &'static RuleMeta {
        &LANDMARKS
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let Some(body) = page.select("body").next() else {
            return r.finish("Pas de corps de page.");
        };
        let scope = scope_92(page);
        // The tests a landmark finding speaks to: 9.2.1 only where the criterion applies.
        let tests: &[&str] = match scope {
            Scope92::NotApplicable(_) => &["12.6.1"],
            _ => &["9.2.1", "12.6.1"],
        };
        // The elements that can be these landmarks (by name, or by a `role`), below the body
        // or the body itself, in tree order: a walk of the body met them so, reading every
        // node. The ancestor walk of the hidden test only for them (per element it was
        // quadratic on deep documents).
        let candidates = page.select_in_tree_order(*body, "main, header, nav, footer, [role]");
        let mut landmarks: std::collections::HashMap<
            std::borrow::Cow<'_, str>,
            Vec<ElementRef<'_>>,
        > = std::collections::HashMap::new();
        for el in candidates {
            if let Some(role) = role_of(el) {
                if matches!(&*role, "main" | "banner" | "navigation" | "contentinfo")
                    && !is_hidden_from_at(page, el)
                {
                    landmarks.entry(role).or_default().push(el);
                }
            }
        }
        let with_role = |role: &str| -> Vec<ElementRef<'_>> {
            landmarks.get(role).cloned().unwrap_or_default()
        };
        // A finding of the 9.2 criterion: failed on HTML5, cantTell without a known doctype,
        // nothing where the criterion does not apply.
        let fail_92 = |r: &mut Results<'_>, el: ElementRef<'_>, msg: String| {
            match &scope {
            Scope92::Applies => r.fail_tests(el, &["9.2.1"], msg),
            Scope92::Unsure => r.cant_tell_tests(
                el,
                &["9.2.1"],
                format!("{msg} Doctype absent ou non reconnu : le critère 9.2 ne s'applique qu'aux pages HTML5, à vérifier."),
            ),
            Scope92::NotApplicable(_) => {}
        }
        };
        let mains = with_role("main");
        match mains.len() {
            0 => {
                fail_92(
                    &mut r,
                    body,
                    "Aucune zone de contenu principal (élément main ou role=\"main\").".to_string(),
                );
                let na = match &scope {
                    Scope92::NotApplicable(name) => {
                        format!(" (doctype {name} : critère 9.2 non applicable)")
                    }
                    _ => String::new(),
                };
                r.cant_tell_tests(
                    body,
                    &["12.6.1"],
                    format!("Pas de landmark main{na} : vérifier que la zone de contenu principal peut être atteinte ou évitée autrement (titre, lien d'évitement ou d'accès rapide)."),
                );
            }
            1 => {
                r.pass(mains[0], "Zone de contenu principal unique.");
                r.with_tests(tests);
            }
            n => {
                r.pass(
                    mains[0],
                    "Zone de contenu principal balisée (landmark main).",
                );
                r.with_tests(&["12.6.1"]);
                for m in &mains[1..] {
                    fail_92(
                        &mut r,
                        *m,
                        format!("{n} zones de contenu principal visibles : une seule est permise."),
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
                Some(el) => {
                    r.pass(*el, format_args!("Zone {what} présente."));
                    r.with_tests(tests);
                }
                None => missing.push(what),
            }
        }
        if !missing.is_empty() {
            r.cant_tell_tests(
                body,
                tests,
                format!(
                    "Zone(s) non balisée(s) : {} ; vérifier si la page en a, sans le balisage attendu ni autre moyen de les atteindre ou de les éviter.",
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
/// les enfants directs de `ul`/`ol` sont des `li` (ou `script`, `template`) ; ceux de `dl` sont
/// des `dt`/`dd`, éventuellement regroupés dans des `div` (ou `script`, `template`). Un rôle
/// donné à la liste elle-même la remplace : `presentation`/`none` rend ses éléments
/// présentationnels (non concernés) ; un rôle qui exige des éléments possédés (`tablist`,
/// `menu`…) est jugé par aria-required-children ; un autre rôle (`navigation`…) retire la
/// sémantique de liste : « à vérifier », car seul un humain sait si ces éléments forment une
/// liste pour l'utilisateur. Décide le balisage des tests 9.3.1, 9.3.2 et 9.3.3 ; savoir si un
/// contenu non balisé en liste en est une reste à un humain.
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
    wcag: refs!["1.3.1"],
    act: refs![],
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
            if el.value().attribute("role").is_some() {
                // An explicit role replaces the list semantics: judged by the ARIA rules.
                continue;
            }
            let parent = parent_element(el);
            let pname = parent.map(|p| p.value().name()).unwrap_or("");
            let name = el.value().name();
            let list_parent = if name == "li" {
                matches!(pname, "ul" | "ol" | "menu")
            } else {
                pname == "dl"
            };
            // A role on the list itself overrides it (ARIA): its items follow.
            let overriding = parent
                .filter(|p| p.value().attribute("role").is_some())
                .and_then(resolved_role);
            match overriding.as_deref() {
                Some("list") if name == "li" => {
                    r.pass(el, format_args!("{name} dans un élément de rôle list."));
                    continue;
                }
                // A presentational list makes its items presentational too.
                Some("none") | Some("presentation") if list_parent => continue,
                // A role that requires owned elements (tablist, menu…): its owner is judged by
                // aria-required-children.
                Some(role) if list_parent && super::aria_structure::requires_owned(role) => {
                    continue
                }
                Some(role) if list_parent => {
                    r.cant_tell_tests(
                        el,
                        if name == "li" { &["9.3.1", "9.3.2"] } else { &["9.3.3"] },
                        format!("{name} dont le parent <{pname}> a le rôle « {role} », qui retire la sémantique de liste : vérifier si ces éléments forment une liste pour l'utilisateur."),
                    );
                    continue;
                }
                _ => {}
            }
            let ok = list_parent
                || (name != "li"
                    && pname == "div"
                    && parent
                        .and_then(parent_element)
                        .is_some_and(|g| g.value().name() == "dl"));
            if ok {
                r.pass(el, format_args!("{name} correctement placé."));
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
            if list.value().attribute("role").is_some() {
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
        // HTML content model of dl: dt/dd groups, each optionally wrapped in a div.
        for dl in page.select("body dl") {
            if dl.value().attribute("role").is_some() {
                continue;
            }
            for child in dl.children().filter_map(ElementRef::wrap) {
                let inner: Vec<ElementRef<'_>> = match child.value().name() {
                    "dt" | "dd" | "script" | "template" => continue,
                    "div" if child.value().attribute("role").is_none() => {
                        child.children().filter_map(ElementRef::wrap).collect()
                    }
                    _ => vec![child],
                };
                for el in inner {
                    if matches!(el.value().name(), "dt" | "dd" | "script" | "template") {
                        continue;
                    }
                    r.fail_tests(
                        el,
                        &["9.3.3"],
                        format!(
                            "Élément {} dans une liste de définitions dl : seuls des groupes dt/dd (éventuellement dans un div) sont permis.",
                            el.value().name()
                        ),
                    );
                }
            }
        }
        r.finish("Aucune liste dans la page.")
    }
}
