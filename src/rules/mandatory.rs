//! Mandatory elements (RGAA 8.1, 8.2, 8.8, 8.9, 8.10; WCAG 1.3.1, 1.3.2, 3.1.2, 4.1.1).

use crate::page::Attribute;
use std::collections::HashMap;

use scraper::Node;

use super::lang::is_valid_bcp47;
use super::language_guess;
use super::lists::{classify_doctype, doctype_of, lists, DoctypeKind};
use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::{is_hidden_from_at, is_rendered};
use crate::page::{has_text, ElementRef, Page};

/// ## Ce que la règle vérifie
/// Le document déclare un type de document avant la balise `<html>`, et cette déclaration est
/// valide : nom `html`, et soit le doctype HTML5 (`<!DOCTYPE html>`, identifiant système absent
/// ou `about:legacy-compat`), soit un doctype publié par le W3C (HTML 4.01 strict, transitionnel
/// ou frameset, XHTML 1.0, XHTML 1.1…, liste dans `criteria/listes-rgaa.toml`) avec son
/// identifiant public et son identifiant système exacts (l'identifiant système peut manquer en
/// HTML 4.01, pas en XHTML).
///
/// Chaque échec cite le seul test qu'il décide : absence → 8.1.1 ; nom, identifiant public ou
/// système erroné → 8.1.2 ; déclaration placée après `<html>` (l'analyseur l'ignore et le
/// signale) → 8.1.3. Un identifiant public étranger au W3C, inconnu de vigie, est « à
/// vérifier » (8.1.2). Rien n'est laissé à un humain quand la règle conclut.
/// ## Pourquoi
/// Sans type de document, ou avec un type erroné, le navigateur passe en mode de
/// compatibilité et le rendu comme l'interprétation du code deviennent imprévisibles.
/// ## Exemple en échec
/// `<html lang="fr">…` sans déclaration (8.1.1), ou
/// `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strct.dtd">` (8.1.2)
/// ## Exemple conforme
/// `<!DOCTYPE html><html lang="fr">…`
/// ## Références
/// RGAA 8.1.1, 8.1.2, 8.1.3 · WCAG 4.1.1
pub struct Doctype;

static DOCTYPE: RuleMeta = RuleMeta {
    id: "doctype",
    title: "Type de document présent et valide",
    description: "La page déclare, avant la balise html, un type de document valide (HTML5 ou doctype du W3C avec ses identifiants exacts).",
    rgaa: &["8.1.1", "8.1.2", "8.1.3"],
    wcag: refs!["4.1.1"],
    act: refs![],
    cerfa: &[18],
};

/// Whether the parser met a doctype declaration after the document had started (it ignores it).
fn misplaced_doctype(page: &Page) -> bool {
    page.parse_errors
        .iter()
        .any(|e| e.starts_with("DOCTYPE in "))
}

impl Rule for Doctype {
    fn meta(&self) -> &'static RuleMeta {
        &DOCTYPE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let root = page.root();
        match doctype_of(page) {
            None if misplaced_doctype(page) => r.fail_tests(
                root,
                &["8.1.3"],
                "Déclaration de type de document placée après le début du document (après la balise html) : elle est ignorée.",
            ),
            None => r.fail_tests(
                root,
                &["8.1.1"],
                "Aucune déclaration de type de document avant la balise html.",
            ),
            Some(d) => match classify_doctype(&d) {
                DoctypeKind::Html5 => r.pass(root, "Type de document HTML5 déclaré."),
                DoctypeKind::Known(name) => {
                    r.pass(root, format_args!("Type de document {name} déclaré."))
                }
                DoctypeKind::Invalid(why) => r.fail_tests(
                    root,
                    &["8.1.2"],
                    format!("Type de document invalide : {why}."),
                ),
                DoctypeKind::Unknown(why) => r.cant_tell_tests(
                    root,
                    &["8.1.2"],
                    format!("Type de document à vérifier : {why}."),
                ),
            },
        }
        r.finish("")
    }
}

/// ## Ce que la règle vérifie
/// Chaque valeur d'attribut `id` est unique dans la page. Un doublon est une erreur de validité
/// du code ; le message signale en plus les identifiants utilisés par `for`, `aria-labelledby`,
/// `aria-describedby`, `aria-controls`, `headers`… dont la cible devient ambiguë.
/// ## Pourquoi
/// Avec deux éléments de même `id`, une étiquette ou une description peut être reliée au
/// mauvais élément.
/// ## Exemple en échec
/// `<label for="nom">Nom</label><input id="nom"> … <input id="nom">`
/// ## Exemple conforme
/// `<input id="nom"> … <input id="prenom">`
/// ## Références
/// RGAA 8.2.1 · WCAG 4.1.1
pub struct DuplicateId;

static DUPLICATE_ID: RuleMeta = RuleMeta {
    id: "duplicate-id",
    title: "Identifiants uniques",
    description: "Chaque valeur d'attribut id est unique dans la page (code valide).",
    rgaa: &["8.2.1"],
    wcag: refs!["4.1.1"],
    act: refs![],
    cerfa: &[18],
};

/// Attributes whose value refers to ids.
const IDREF_ATTRS: &[&str] = &[
    "for",
    "headers",
    "list",
    "form",
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
    "aria-owns",
    "aria-activedescendant",
    "aria-errormessage",
    "aria-details",
    "aria-flowto",
];

/// Every token of an IDREF attribute (`IDREF_ATTRS`, without namespace) in the page.
fn referenced_ids(page: &Page) -> std::collections::HashSet<String> {
    let mut referenced = std::collections::HashSet::new();
    for el in page.select("*") {
        for (name, value) in &el.value().attrs {
            if name.prefix.is_none() && name.ns.is_empty() && IDREF_ATTRS.contains(&&*name.local) {
                referenced.extend(value.split_ascii_whitespace().map(str::to_string));
            }
        }
    }
    referenced
}

impl Rule for DuplicateId {
    fn meta(&self) -> &'static RuleMeta {
        &DUPLICATE_ID
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        // The ids other attributes refer to, gathered only once a duplicate is found (most
        // pages have none, and a look-up per attribute name per element was costly).
        let mut referenced: Option<std::collections::HashSet<String>> = None;
        let mut seen: HashMap<String, usize> = HashMap::new();
        for el in page.select("[id]") {
            let Some(id) = el.value().id() else {
                continue;
            };
            if id.is_empty() {
                continue;
            }
            let n = seen.entry(id.to_string()).or_default();
            *n += 1;
            if *n == 1 {
                if page.id_count(id) == 1 {
                    r.pass(el, "Identifiant unique.");
                }
                continue;
            }
            let referenced = referenced.get_or_insert_with(|| referenced_ids(page));
            let why = if referenced.contains(id) {
                " ; il est référencé (for, aria-*, headers…), la relation devient ambiguë"
            } else {
                ""
            };
            r.fail(
                el,
                format!(
                    "Identifiant « {id} » déjà utilisé ({} occurrences){why}.",
                    page.id_count(id)
                ),
            );
        }
        r.finish("Aucun attribut id.")
    }
}

/// ## Ce que la règle vérifie
/// L'analyseur HTML (conforme à la spécification HTML) ne relève aucune erreur d'analyse
/// (balises mal imbriquées, attributs dupliqués, caractères interdits…). S'il en relève, la
/// page est « à vérifier » avec un validateur : certaines erreurs sont sans effet sur
/// l'accessibilité, et la validité complète (modèle de contenu) n'est pas vérifiée ici.
/// ## Pourquoi
/// Un code invalide peut être interprété différemment selon les navigateurs et les
/// technologies d'assistance.
/// ## Exemple en échec
/// `<p><div>bloc dans un paragraphe</p></div>`
/// ## Exemple conforme
/// `<div><p>paragraphe</p></div>`
/// ## Références
/// RGAA 8.2.1 · WCAG 4.1.1
pub struct ParseErrors;

static PARSE_ERRORS: RuleMeta = RuleMeta {
    id: "parse-errors",
    title: "Erreurs d'analyse HTML",
    description: "Le code HTML ne provoque pas d'erreur d'analyse ; sinon la validité est à vérifier avec un validateur.",
    rgaa: &["8.2.1"],
    wcag: refs!["4.1.1"],
    act: refs![],
    cerfa: &[18],
};

impl Rule for ParseErrors {
    fn meta(&self) -> &'static RuleMeta {
        &PARSE_ERRORS
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let root = page.root();
        let n = page.parse_errors.len();
        if n == 0 {
            r.pass(root, "Aucune erreur d'analyse HTML.");
        } else {
            r.cant_tell(
                root,
                format!("{n} erreur(s) d'analyse HTML : vérifier la validité du code avec un validateur."),
            );
            r.with_details(serde_json::json!({
                "count": n,
                "errors": page.parse_errors.iter().take(10).collect::<Vec<_>>(),
            }));
        }
        r.finish("")
    }
}

/// Interactive content (HTML « interactive content »), which a link or a button may not contain.
fn interactive_content(el: ElementRef<'_>) -> bool {
    let e = el.value();
    match e.name() {
        "a" => e.attribute("href").is_some(),
        "audio" | "video" => e.attribute("controls").is_some(),
        "img" => e.attribute("usemap").is_some(),
        "input" => !e
            .attribute("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("hidden")),
        "button" | "details" | "embed" | "iframe" | "label" | "select" | "textarea" => true,
        _ => false,
    }
}

/// ## Ce que la règle vérifie
/// Aucun lien (`<a>`) ni bouton (`<button>`) ne contient d'élément interactif (lien, bouton,
/// champ, liste de choix, `label`, `details`, `iframe`, `embed`, média avec `controls`, image
/// cliquable `usemap`), ni d'élément portant un attribut `tabindex`, ni (pour un lien) d'autre
/// `<a>` : le modèle de contenu du HTML l'interdit, et le validateur du W3C que la méthodologie
/// RGAA utilise pour le test 8.2.1 le signale (« imbrication des balises »). Le style n'y change
/// rien : un élément masqué reste dans le code. Sous un doctype HTML 4.01 ou XHTML 1.x, la
/// validité se juge selon sa DTD : un lien peut y contenir un champ ou un bouton ; un bouton ne
/// peut contenir ni lien, ni champ, ni formulaire, ni `fieldset`, ni cadre.
///
/// Décide : cette imbrication (8.2.1, un point parmi cinq). Laisse au validateur : le reste de
/// la validité (voir `parse-errors`).
/// ## Pourquoi
/// Un bouton dans un lien n'a pas de rôle sûr : selon le navigateur et la technologie
/// d'assistance, il est annoncé comme lien, comme bouton ou pas du tout, et le clavier n'atteint
/// souvent que l'un des deux.
/// ## Exemple en échec
/// `<a href="/dossier"><button>Ouvrir</button></a>`
/// ## Exemple conforme
/// `<a href="/dossier">Ouvrir le dossier</a>`
/// ## Références
/// RGAA 8.2.1 · WCAG 4.1.1, 4.1.2
pub struct NestedInteractive;

static NESTED_INTERACTIVE: RuleMeta = RuleMeta {
    id: "nested-interactive",
    title: "Élément interactif dans un lien ou un bouton",
    description: "Aucun lien ni bouton ne contient d'élément interactif ou d'élément avec tabindex (imbrication interdite par le HTML).",
    rgaa: &["8.2.1"],
    wcag: refs!["4.1.1", "4.1.2"],
    act: refs![],
    cerfa: &[],
};

impl Rule for NestedInteractive {
    fn meta(&self) -> &'static RuleMeta {
        &NESTED_INTERACTIVE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        // 8.2 judges validity against the declared document type: the HTML 4.01 and XHTML 1.x
        // DTDs let a link hold form controls and only keep links, controls, forms, fieldsets
        // and frames out of a button.
        let legacy = doctype_of(page).is_some_and(|d| {
            matches!(
                classify_doctype(&d),
                DoctypeKind::Known(_) | DoctypeKind::Unknown(_)
            )
        });
        // One stack for every link and button (a page has hundreds).
        let mut stack = Vec::new();
        for outer in page.select("body a, body button") {
            let outer_name = outer.value().name();
            let mut nested = false;
            stack.clear();
            stack.extend(outer.children());
            while let Some(node) = stack.pop() {
                let Some(el) = ElementRef::wrap(node) else {
                    continue;
                };
                let name = el.value().name();
                // Template content is inert, not part of the document.
                if name == "template" {
                    continue;
                }
                let forbidden = if legacy {
                    name == "a"
                        || (outer_name == "button"
                            && matches!(
                                name,
                                "input"
                                    | "select"
                                    | "textarea"
                                    | "label"
                                    | "button"
                                    | "form"
                                    | "fieldset"
                                    | "iframe"
                                    | "isindex"
                            ))
                } else {
                    interactive_content(el)
                        || el.value().attribute("tabindex").is_some()
                        || (outer_name == "a" && name == "a")
                };
                if forbidden {
                    nested = true;
                    let inside = if outer_name == "a" {
                        "un lien"
                    } else {
                        "un bouton"
                    };
                    r.fail(
                        el,
                        format!(
                            "<{name}> dans {inside} (<{outer_name}>) : le HTML interdit un élément interactif ou avec tabindex dans un lien ou un bouton (imbrication non conforme)."
                        ),
                    );
                    // Its own content is judged with it as the outer element.
                    continue;
                }
                stack.extend(el.children());
            }
            // A link or button inside another was judged there, as content.
            let contained = outer
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| matches!(a.value().name(), "a" | "button"));
            if !nested && !contained {
                let first = r.passed() == 0;
                r.pass(
                    outer,
                    if first {
                        "Aucun élément interactif dans ce lien ou ce bouton."
                    } else {
                        ""
                    },
                );
            }
        }
        r.finish("Aucun lien ni bouton.")
    }
}

/// The elements of the body that carry a non-empty `lang` (or `xml:lang`) and own exposed text,
/// with the trimmed value.
fn lang_changes(page: &Page) -> Vec<(ElementRef<'_>, String)> {
    page.select("body [lang], body [xml\\:lang]")
        .filter_map(|el| {
            let lang = crate::page::lang_attribute(el.value())?;
            (!lang.is_empty() && owns_exposed_text(page, el)).then(|| (el, lang.trim().to_string()))
        })
        .collect()
}

/// ## Ce que la règle vérifie
/// Chaque élément du corps de page qui porte un attribut `lang` (ou `xml:lang`) non vide et
/// contient du texte a un code de langue valide au sens du glossaire RGAA « Code de langue » :
/// la partie avant le premier tiret est un code ISO 639-1 (2 lettres) ou ISO 639-2 et suivantes
/// (3 lettres) connu ; l'option après le tiret est laissée à l'auteur et n'est pas jugée. Une
/// valeur faite d'espaces est invalide.
///
/// Décide : la validité des codes (8.8.1, premier point) et, quand le passage est clairement
/// écrit dans une autre langue (au moins 15 mots, dont un cinquième de mots outils propres à
/// l'une des langues que vigie reconnaît : français, anglais, allemand, espagnol, italien,
/// portugais, néerlandais), un code non pertinent (second point). Laisse à un humain la
/// pertinence dans tous les autres cas et les changements de langue non indiqués (8.7).
/// ## Pourquoi
/// La synthèse vocale change de prononciation d'après ce code ; un code invalide est ignoré.
/// ## Exemple en échec
/// `<span lang="anglais">Welcome</span>` ou `<span lang="en_GB">Hi</span>`
/// ## Exemple conforme
/// `<span lang="en">Welcome</span>`, `<span lang="eng">Welcome</span>`
/// ## Références
/// RGAA 8.8.1 (glossaire « Code de langue ») · WCAG 3.1.2
pub struct LangChangeValid;

static LANG_CHANGE_VALID: RuleMeta = RuleMeta {
    id: "lang-change-valid",
    title: "Code de langue des changements de langue valide",
    description: "Chaque attribut lang d'un passage de texte commence par un code ISO 639 connu (2 ou 3 lettres) ; l'option après le tiret est libre.",
    rgaa: &["8.8.1"],
    wcag: refs!["3.1.2"],
    act: refs![],
    cerfa: &[],
};

impl Rule for LangChangeValid {
    fn meta(&self) -> &'static RuleMeta {
        &LANG_CHANGE_VALID
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for (el, lang) in lang_changes(page) {
            if !lists().is_rgaa_language_code(&lang) {
                r.fail(
                    el,
                    format!("Code de langue « {lang} » invalide : la partie avant le tiret doit être un code ISO 639 de 2 ou 3 lettres (par ex. « en »)."),
                );
            } else if let Some((name, hits, words)) =
                language_guess::contradicts_governed(&lang, el)
            {
                r.fail(
                    el,
                    format!("Code de langue « {lang} » valide mais non pertinent : le passage est en {name} ({hits} mots outils {name} sur {words} mots)."),
                );
            } else {
                r.pass(
                    el,
                    format_args!("Code de langue « {lang} » valide (pertinence à vérifier)."),
                );
            }
        }
        r.finish("Aucun changement de langue indiqué dans le corps de page.")
    }
}

/// ## Ce que la règle vérifie
/// Chaque élément du corps de page qui porte un attribut `lang` (ou `xml:lang`) non vide et
/// contient du texte a une étiquette BCP 47 valide (règle ACT de46e4 : `eng` y est invalide,
/// `en` existant). Le RGAA, qui admet les codes ISO 639-2, est jugé par `lang-change-valid`.
/// ## Pourquoi
/// La synthèse vocale change de prononciation d'après ce code ; un code invalide est ignoré.
/// ## Exemple en échec
/// `<span lang="anglais">Welcome</span>` ou `<span lang="eng">Welcome</span>`
/// ## Exemple conforme
/// `<span lang="en">Welcome</span>`
/// ## Références
/// WCAG 3.1.2 · ACT de46e4
pub struct LangChangeBcp47;

static LANG_CHANGE_BCP47: RuleMeta = RuleMeta {
    id: "lang-change-bcp47",
    title: "Changements de langue valides en BCP 47 (ACT)",
    description: "Chaque attribut lang d'un passage de texte est une étiquette BCP 47 valide (règle ACT de46e4, WCAG 3.1.2).",
    rgaa: &[],
    wcag: refs!["3.1.2"],
    act: refs!["de46e4"],
    cerfa: &[],
};

impl Rule for LangChangeBcp47 {
    fn meta(&self) -> &'static RuleMeta {
        &LANG_CHANGE_BCP47
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for (el, lang) in lang_changes(page) {
            if is_valid_bcp47(&lang) {
                r.pass(el, format_args!("Étiquette BCP 47 « {lang} » valide."));
            } else {
                r.fail(
                    el,
                    format!(
                        "Étiquette de langue « {lang} » invalide (BCP 47 attendu, par ex. « en »)."
                    ),
                );
            }
        }
        r.finish("Aucun changement de langue indiqué dans le corps de page.")
    }
}

/// Whether the element is the closest `lang` ancestor of some text that is visible or exposed
/// to assistive technologies: a non-blank text node, or the `alt` of an image.
fn owns_exposed_text(page: &Page, el: ElementRef<'_>) -> bool {
    let has_lang = |e: ElementRef<'_>| crate::page::lang_attribute(e.value()).is_some();
    let owner_is_el = |n: ego_tree::NodeRef<'_, Node>| {
        n.ancestors()
            .filter_map(ElementRef::wrap)
            .find(|a| has_lang(*a))
            .is_some_and(|a| a.id() == el.id())
    };
    el.descendants().any(|n| match n.value() {
        Node::Text(t) => {
            !t.trim().is_empty()
                && n.parent().and_then(ElementRef::wrap).is_some_and(|p| {
                    is_rendered(page, p)
                        && !matches!(p.value().name(), "script" | "style" | "template")
                })
                && owner_is_el(n)
        }
        Node::Element(e) => {
            e.name() == "img"
                && e.attribute("alt").is_some_and(|a| !a.trim().is_empty())
                && ElementRef::wrap(n).is_some_and(|i| is_rendered(page, i))
                && (!has_lang(ElementRef::wrap(n).unwrap_or(el)) || n.id() == el.id())
                && owner_is_el(n)
        }
        _ => false,
    })
}

/// ## Ce que la règle vérifie
/// Repère les balises employées pour la mise en page, que le RGAA désigne lui-même : suites de
/// `<br>` (deux ou plus, hors texte) et paragraphes vides (ou faits seulement de `<br>` et
/// d'espaces). Le glossaire (« Uniquement à des fins de présentation », note 1) déclare non
/// conforme l'usage de plusieurs `<br>` pour créer visuellement un paragraphe, et la méthode du
/// test 8.9.1 cite les paragraphes vides servant de marges : ces cas sont en échec. Un
/// paragraphe vide `role="presentation"` est admis (la méthode le tolère) ; un paragraphe vide
/// doté d'un `id`, d'un rôle ou d'un attribut ARIA peut être la cible d'un script (message
/// d'erreur, zone live) : « à vérifier ». Les éléments masqués ne sont pas jugés.
///
/// Le test demande aussi un jugement que la règle ne porte pas (un titre employé comme
/// légende, un `<blockquote>` pour un retrait) : sans cas détecté, la page est conforme pour
/// ce que la règle sait détecter, le reste du test relève d'un humain.
/// ## Pourquoi
/// Ces balises créent des lignes vides ou des paragraphes vides restitués par les lecteurs
/// d'écran, et la mise en forme disparaît quand l'utilisateur change les styles.
/// ## Exemple en échec
/// `<p>Adresse<br><br><br>Téléphone</p>`, `<p>&nbsp;</p>`
/// ## Exemple conforme
/// `<p>Adresse</p><p>Téléphone</p>` espacés par CSS
/// ## Références
/// RGAA 8.9.1 · WCAG 1.3.1
pub struct PresentationalMarkup;

static PRESENTATIONAL_MARKUP: RuleMeta = RuleMeta {
    id: "presentational-markup",
    title: "Balises utilisées pour la présentation",
    description:
        "Ni suite de br ni paragraphe vide pour créer de l'espace : la présentation passe par CSS.",
    rgaa: &["8.9.1"],
    wcag: refs!["1.3.1"],
    act: refs![],
    cerfa: &[],
};

impl Rule for PresentationalMarkup {
    fn meta(&self) -> &'static RuleMeta {
        &PRESENTATIONAL_MARKUP
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let Some(body) = page.select("body").next() else {
            return r.finish("Pas de corps de page.");
        };
        let mut found = 0;
        for br in page.select("body br") {
            // Start of a run: the previous meaningful sibling is not a <br>.
            let prev_is_br = previous_meaningful(br).is_some_and(|p| is_br(p));
            if prev_is_br {
                continue;
            }
            let mut run = 1;
            let mut cur = br;
            while let Some(next) = next_meaningful(cur) {
                if is_br(next) {
                    run += 1;
                    let Some(e) = ElementRef::wrap(next) else {
                        break;
                    };
                    cur = e;
                } else {
                    break;
                }
            }
            if run >= 2 && is_rendered(page, br) && !is_hidden_from_at(page, br) {
                found += 1;
                r.fail(
                    br,
                    format!("Suite de {run} balises br : des sauts de ligne servent à créer un espace ou un paragraphe visuel ; utiliser des paragraphes et CSS."),
                );
            }
        }
        for p in page.select("body p") {
            let e = p.value();
            let empty = !has_text(p)
                && !p
                    .children()
                    .any(|c| c.value().as_element().is_some_and(|e| e.name() != "br"));
            let presentational = e.attribute("role").is_some_and(|r| {
                matches!(
                    r.trim().to_ascii_lowercase().as_str(),
                    "presentation" | "none"
                )
            });
            if !empty || presentational || !is_rendered(page, p) || is_hidden_from_at(page, p) {
                continue;
            }
            found += 1;
            let script_target = e.attribute("id").is_some()
                || e.attribute("role").is_some()
                || e.attrs().any(|(name, _)| name.starts_with("aria-"));
            if script_target {
                r.cant_tell(
                    p,
                    "Paragraphe vide doté d'un id, d'un rôle ou d'un attribut ARIA : s'il n'est pas rempli par un script (message, zone live), il ne sert qu'à créer un espace.",
                );
            } else {
                r.fail(
                    p,
                    "Paragraphe vide : il ne sert qu'à créer un espace ; utiliser des marges CSS.",
                );
            }
        }
        if found == 0 {
            r.pass(body, "Aucune suite de br ni paragraphe vide.");
        }
        r.finish("")
    }
}

fn is_br(n: ego_tree::NodeRef<'_, Node>) -> bool {
    n.value().as_element().is_some_and(|e| e.name() == "br")
}

fn is_blank(n: &ego_tree::NodeRef<'_, Node>) -> bool {
    match n.value() {
        Node::Text(t) => t.trim().is_empty(),
        Node::Comment(_) => true,
        _ => false,
    }
}

fn previous_meaningful(el: ElementRef<'_>) -> Option<ego_tree::NodeRef<'_, Node>> {
    el.prev_siblings().find(|n| !is_blank(n))
}

fn next_meaningful(el: ElementRef<'_>) -> Option<ego_tree::NodeRef<'_, Node>> {
    el.next_siblings().find(|n| !is_blank(n))
}

/// ## Ce que la règle vérifie
/// Chaque attribut `dir` vaut `ltr`, `rtl` (ou `auto`, valeur HTML qui laisse le navigateur
/// déterminer le sens). La pertinence du sens indiqué reste à vérifier par un humain.
/// ## Pourquoi
/// Une valeur invalide est ignorée : un texte en arabe ou en hébreu est alors affiché et lu
/// dans le mauvais sens.
/// ## Exemple en échec
/// `<p dir="droite">…</p>`
/// ## Exemple conforme
/// `<p lang="ar" dir="rtl">…</p>`
/// ## Références
/// RGAA 8.10.2 · WCAG 1.3.2
pub struct DirValid;

static DIR_VALID: RuleMeta = RuleMeta {
    id: "dir-valid",
    title: "Sens de lecture valide",
    description: "Chaque attribut dir vaut ltr, rtl ou auto.",
    rgaa: &["8.10.2"],
    wcag: refs!["1.3.2"],
    act: refs![],
    cerfa: &[],
};

impl Rule for DirValid {
    fn meta(&self) -> &'static RuleMeta {
        &DIR_VALID
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("[dir]") {
            let v = el
                .value()
                .attribute("dir")
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if matches!(v.as_str(), "ltr" | "rtl" | "auto") {
                r.pass(el, format_args!("dir=\"{v}\" valide."));
            } else {
                r.fail(
                    el,
                    format!("Valeur dir=\"{v}\" invalide : ltr ou rtl attendu."),
                );
            }
        }
        r.finish("Aucun attribut dir.")
    }
}
