//! Navigation (RGAA 12.7, 12.8; WCAG 2.4.1, 2.4.3).

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::focus::tabindex;
use crate::a11y::{is_hidden_from_at, is_tabbable, role_of};
use crate::css::Cascaded;
use crate::page::Attribute;
use crate::page::{has_text, ElementRef, Page};

/// How many first tabbable elements may hold the skip link.
const SKIP_LINK_WINDOW: usize = 3;

/// ## Ce que la règle vérifie
/// Sur une page qui a une navigation (`nav`, `role="navigation"`), un lien interne
/// (`href="#id"`) parmi les trois premiers éléments atteignables au clavier mène à un élément
/// existant de la page : le contenu principal (`main`), un élément qui le contient ou qu'il
/// contient, ou une ancre vide placée juste avant. Aucun lien de ce type : échec. Un lien
/// interne vers un élément qui n'est pas le
/// contenu principal, ou un lien d'évitement placé plus loin : « à vérifier ».
/// ## Pourquoi
/// Les utilisateurs du clavier doivent pouvoir sauter les menus répétés sur chaque page.
/// ## Exemple en échec
/// `<body><nav>…</nav><main>…</main>` sans lien d'évitement
/// ## Exemple conforme
/// `<a href="#contenu">Aller au contenu</a><nav>…</nav><main id="contenu">…</main>`
/// ## Références
/// RGAA 12.7.1 · WCAG 2.4.1
pub struct SkipLink;

static SKIP_LINK: RuleMeta = RuleMeta {
    id: "skip-link",
    title: "Lien d'évitement vers le contenu principal",
    description:
        "Une page avec une navigation commence par un lien interne vers le contenu principal.",
    rgaa: &["12.7.1"],
    wcag: refs!["2.4.1"],
    act: refs![],
    cerfa: &[16],
};

fn fragment_target<'a>(page: &'a Page, link: ElementRef<'_>) -> Option<ElementRef<'a>> {
    let href = link.value().attribute("href")?.trim();
    let id = href.strip_prefix('#')?;
    if id.is_empty() {
        return None;
    }
    let decoded = percent_decode(id);
    page.element_by_id(&decoded).or_else(|| {
        page.select("a[name]")
            .find(|a| a.value().attribute("name") == Some(decoded.as_str()))
    })
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_string())
}

/// Whether `target` is, contains, or lies inside the main content, or is an empty anchor
/// placed right before it.
fn leads_to_main(target: ElementRef<'_>) -> bool {
    let is_main = |e: ElementRef<'_>| role_of(e).as_deref() == Some("main");
    // Asked last: the target is often `main` itself, whose text is the whole page's.
    let empty_anchor = || {
        target
            .children()
            .filter_map(ElementRef::wrap)
            .next()
            .is_none()
            && !has_text(target)
    };
    is_main(target)
        || target.ancestors().filter_map(ElementRef::wrap).any(is_main)
        || target
            .descendants()
            .filter_map(ElementRef::wrap)
            .any(is_main)
        || (empty_anchor()
            && target
                .next_siblings()
                .filter_map(ElementRef::wrap)
                .next()
                .is_some_and(is_main))
}

impl Rule for SkipLink {
    fn meta(&self) -> &'static RuleMeta {
        &SKIP_LINK
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let has_nav = page
            .select("nav, [role~=navigation]")
            .any(|n| !is_hidden_from_at(page, n));
        let Some(body) = page.select("body").next() else {
            return r.finish("Pas de corps de page.");
        };
        if !has_nav {
            return r.finish("Pas de zone de navigation à éviter.");
        }
        // Walked lazily: the first few are usually enough.
        let tabbable = || {
            body.descendants()
                .filter_map(ElementRef::wrap)
                .filter(move |e| *e != body && is_tabbable(*e))
        };
        let internal =
            |e: &ElementRef<'_>| e.value().name() == "a" && fragment_target(page, *e).is_some();
        let first = tabbable().take(SKIP_LINK_WINDOW).find(internal);
        if let Some(link) = first {
            let target = fragment_target(page, link);
            if target.is_some_and(leads_to_main) {
                r.pass(link, "Lien d'évitement vers le contenu principal.");
            } else {
                r.cant_tell(link, "Lien interne en début de page dont la cible n'est pas la zone main : vérifier qu'il mène au contenu principal.");
            }
        } else if let Some(later) = tabbable()
            .skip(SKIP_LINK_WINDOW)
            .find(|e| internal(e) && fragment_target(page, *e).is_some_and(leads_to_main))
        {
            r.cant_tell(later, "Lien vers le contenu principal présent mais pas parmi les premiers éléments atteignables au clavier : vérifier qu'il est atteint avant la navigation.");
        } else {
            r.fail(
                body,
                "Aucun lien d'évitement vers le contenu principal en début de page.",
            );
        }
        r.finish("")
    }
}

/// ## Ce que la règle vérifie
/// Repère les `tabindex` strictement positifs : ils imposent un ordre de tabulation différent
/// de l'ordre du code, à vérifier par un humain. Les `tabindex` à 0 ou négatifs passent.
/// ## Pourquoi
/// Un ordre de tabulation forcé est rarement cohérent avec l'ordre de lecture et se dégrade
/// quand la page évolue.
/// ## Exemple en échec
/// `<input tabindex="3">`
/// ## Exemple conforme
/// `<input>` (ordre du code) ou `<div tabindex="0">`
/// ## Références
/// RGAA 12.8.1 · WCAG 2.4.3
pub struct TabindexPositive;

static TABINDEX_POSITIVE: RuleMeta = RuleMeta {
    id: "tabindex-positive",
    title: "Pas de tabindex positif",
    description: "Un tabindex positif force l'ordre de tabulation : l'ordre obtenu est à vérifier.",
    rgaa: &["12.8.1"],
    wcag: refs!["2.4.3"],
    act: refs![],
    cerfa: &[16],
};

impl Rule for TabindexPositive {
    fn meta(&self) -> &'static RuleMeta {
        &TABINDEX_POSITIVE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("[tabindex]") {
            if is_hidden_from_at(page, el) {
                continue;
            }
            match tabindex(el) {
                Some(t) if t > 0 => r.cant_tell(
                    el,
                    format!("tabindex=\"{t}\" : l'ordre de tabulation est forcé, vérifier qu'il reste cohérent."),
                ),
                Some(t) => r.pass(el, format_args!("tabindex=\"{t}\".")),
                None => {}
            }
        }
        r.finish("Aucun attribut tabindex.")
    }
}

/// ## Ce que la règle vérifie
/// Deux éléments de la page ne partagent pas le même raccourci `accesskey` (comparé sans tenir
/// compte de la casse) ; chaque élément en doublon est en échec.
/// ## Pourquoi
/// Un raccourci partagé n'active qu'un des éléments, selon le navigateur : l'utilisateur du
/// clavier ne peut pas prévoir où il arrive.
/// ## Exemple en échec
/// `<a href="/" accesskey="1">Accueil</a> <a href="/aide" accesskey="1">Aide</a>`
/// ## Exemple conforme
/// `<a href="/" accesskey="1">Accueil</a> <a href="/aide" accesskey="2">Aide</a>`
/// ## Références
/// Cerfa 16 (utilisable au clavier) · WCAG 2.1.1
pub struct AccesskeyUnique;

static ACCESSKEY_UNIQUE: RuleMeta = RuleMeta {
    id: "accesskey-unique",
    title: "Raccourcis accesskey sans doublon",
    description: "Deux éléments de la page n'utilisent pas le même raccourci accesskey.",
    rgaa: &[],
    wcag: refs!["2.1.1"],
    act: refs![],
    cerfa: &[16],
};

impl Rule for AccesskeyUnique {
    fn meta(&self) -> &'static RuleMeta {
        &ACCESSKEY_UNIQUE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let keyed: Vec<(String, ElementRef<'_>)> = page
            .select("[accesskey]")
            .filter(|el| !is_hidden_from_at(page, *el))
            .filter_map(|el| {
                let k = el.value().attribute("accesskey")?.trim().to_lowercase();
                (!k.is_empty()).then_some((k, el))
            })
            .collect();
        let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (k, _) in &keyed {
            *counts.entry(k.as_str()).or_default() += 1;
        }
        for (k, el) in &keyed {
            let n = counts.get(k.as_str()).copied().unwrap_or(0);
            if n > 1 {
                r.fail(
                    *el,
                    format!("Raccourci accesskey « {k} » partagé par {n} éléments."),
                );
            } else {
                r.pass(*el, format_args!("Raccourci accesskey « {k} » unique."));
            }
        }
        r.finish("Aucun raccourci accesskey sur la page.")
    }
}

/// ## Ce que la règle vérifie
/// Un cadre (`iframe`) retiré de l'ordre de tabulation par un `tabindex` négatif ne contient
/// aucun élément atteignable avec la touche Tab : son contenu deviendrait inaccessible au
/// clavier. Le contenu est lu dans `srcdoc` ; un cadre au `tabindex` négatif chargé par `src`
/// est « à vérifier » (son document n'est pas chargé). Les cadres masqués, inertes ou d'au plus
/// 1 px ne sont pas concernés. Aucun test RGAA ne porte exactement sur ce cas (l'ordre de
/// tabulation, 12.8, reste à juger par un humain) : la règle renseigne WCAG 2.1.1 et ACT.
/// ## Pourquoi
/// Les liens et champs du cadre ne peuvent plus être atteints au clavier.
/// ## Exemple en échec
/// `<iframe tabindex="-1" srcdoc="<a href='/'>Accueil</a>"></iframe>`
/// ## Exemple conforme
/// `<iframe title="Carte" srcdoc="<a href='/'>Accueil</a>"></iframe>`
/// ## Références
/// WCAG 2.1.1 · ACT akn7bn
pub struct FrameTabOrder;

static FRAME_TAB_ORDER: RuleMeta = RuleMeta {
    id: "frame-tab-order",
    title: "Cadre au contenu interactif laissé dans l'ordre de tabulation",
    description: "Un cadre dont le contenu a des éléments atteignables au clavier n'a pas de tabindex négatif.",
    rgaa: &[],
    wcag: refs!["2.1.1"],
    act: refs!["akn7bn"],
    cerfa: &[],
};

/// A `width` or `height` attribute of at most 1 px: nothing of the frame can be seen or used.
fn tiny_frame(el: ElementRef<'_>) -> bool {
    ["width", "height"].iter().any(|a| {
        el.value()
            .attribute(a)
            .and_then(|v| v.trim().trim_end_matches("px").parse::<f64>().ok())
            .is_some_and(|v| v <= 1.0)
    })
}

impl Rule for FrameTabOrder {
    fn meta(&self) -> &'static RuleMeta {
        &FRAME_TAB_ORDER
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let styles = page.styles();
        let mut r = Results::new(page);
        for el in page.select("iframe") {
            // Hidden from assistive technologies includes inert subtrees.
            if is_hidden_from_at(page, el)
                || tiny_frame(el)
                || styles.get(el).is_some_and(|c| c.hidden.is_some())
            {
                continue;
            }
            let removed = tabindex(el).is_some_and(|t| t < 0);
            let Some(doc) = el.value().attribute("srcdoc") else {
                if removed && el.value().attribute("src").is_some() {
                    r.cant_tell(
                        el,
                        "Cadre retiré de l'ordre de tabulation (tabindex négatif) : vérifier que son document ne contient ni lien ni champ.",
                    );
                }
                continue;
            };
            let inner = Page::parse(page.url.clone(), doc);
            let reachable = inner
                .select("*")
                .find(|d| is_tabbable(*d) && !is_hidden_from_at(&inner, *d));
            match (reachable, removed) {
                (None, _) => {}
                (Some(d), true) => r.fail(
                    el,
                    format!(
                        "Cadre retiré de l'ordre de tabulation (tabindex négatif) alors qu'il contient un élément atteignable au clavier ({}) : son contenu devient inaccessible au clavier.",
                        crate::page::Target::of(&inner, d).selector
                    ),
                ),
                (Some(_), false) => r.pass(el, "Le cadre et son contenu interactif restent dans l'ordre de tabulation."),
            }
        }
        r.finish("Aucun cadre au contenu interactif connu.")
    }
}
