//! Scripts and ARIA (RGAA 7.1, 7.3; WCAG 1.3.1, 2.1.1, 4.1.2).

use super::{Outcome, Results, Rule, RuleMeta, RuleResult};
use crate::a11y::aria::{
    is_abstract_role, is_allowed, is_valid_role, is_valid_value, prohibited_on,
    required_attributes, value_type, within_bounds,
};
use crate::a11y::focus::{is_focusable, is_natively_focusable};
use crate::a11y::{implicit_role, is_hidden_from_at, is_rendered, is_tabbable, resolved_role};
use crate::css::Cascaded;
use crate::page::Attribute;
use crate::page::{ElementRef, Page};
use std::borrow::Cow;

/// Elements carrying at least one `aria-*` attribute, with those attributes, in document order.
fn aria_attributes(page: &Page) -> Vec<(ElementRef<'_>, Vec<(String, String)>)> {
    page.with_aria_attributes()
        .filter_map(|el| {
            let attrs: Vec<(String, String)> = el
                .value()
                .attrs()
                .filter(|(n, _)| n.starts_with("aria-"))
                .map(|(n, v)| (n.to_ascii_lowercase(), v.to_string()))
                .collect();
            (!attrs.is_empty()).then_some((el, attrs))
        })
        .collect()
}

/// ## Ce que la règle vérifie
/// Un élément qui porte un gestionnaire `onclick` (ou `onmousedown`, `onmouseup`) sans être
/// atteignable au clavier (ni lien, ni bouton, ni champ, ni `tabindex`) est en échec. S'il est
/// atteignable au clavier sans être un élément interactif natif ni avoir de `role`, il est « à
/// vérifier » (rôle et activation au clavier à contrôler). Les gestionnaires posés sur `html` ou
/// `body` (délégation d'événements) et les éléments qui contiennent un élément focalisable sont
/// « à vérifier ».
/// ## Pourquoi
/// Une fonction déclenchée seulement à la souris est inaccessible aux personnes qui naviguent au
/// clavier ou avec une synthèse vocale.
/// ## Exemple en échec
/// `<div onclick="ouvrir()">Menu</div>`
/// ## Exemple conforme
/// `<button type="button" onclick="ouvrir()">Menu</button>`
/// ## Références
/// RGAA 7.1.1, 7.3.1 · WCAG 2.1.1, 4.1.2
pub struct ClickHandlerKeyboard;

static CLICK_HANDLER_KEYBOARD: RuleMeta = RuleMeta {
    id: "click-handler-keyboard",
    title: "Action au clic utilisable au clavier",
    description: "Un élément cliquable par script est atteignable au clavier et a un rôle ; un div ou span cliquable sans tabindex est en échec.",
    rgaa: &["7.1.1", "7.3.1"],
    wcag: refs!["2.1.1", "4.1.2"],
    act: refs![],
    cerfa: &[16],
};

impl Rule for ClickHandlerKeyboard {
    fn meta(&self) -> &'static RuleMeta {
        &CLICK_HANDLER_KEYBOARD
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("[onclick], [onmousedown], [onmouseup]") {
            if is_hidden_from_at(page, el) {
                continue;
            }
            let e = el.value();
            if matches!(e.name(), "html" | "body") {
                r.cant_tell(el, "Gestionnaire de clic sur html ou body (délégation) : vérifier que chaque action est utilisable au clavier.");
                continue;
            }
            let focusable = is_tabbable(el);
            let native =
                is_natively_focusable(el) || matches!(e.name(), "label" | "option" | "input");
            if native && focusable {
                r.pass(el, "Élément interactif natif.");
            } else if focusable {
                if e.attribute("role").is_some() {
                    r.pass(el, "Élément focalisable avec un rôle.");
                } else {
                    r.cant_tell(el, "Élément cliquable focalisable sans rôle : vérifier son rôle et son activation au clavier (Entrée, Espace).");
                }
            } else if el
                .descendants()
                .filter_map(ElementRef::wrap)
                .any(|d| d.id() != el.id() && is_tabbable(d))
            {
                r.cant_tell(el, "Élément cliquable contenant un élément focalisable : vérifier que l'action est disponible au clavier.");
            } else {
                r.fail(el, "Élément cliquable non atteignable au clavier : utiliser un bouton ou un lien, ou ajouter tabindex, un rôle et la gestion du clavier.");
            }
        }
        r.finish("Aucun gestionnaire de clic dans le code.")
    }
}

/// ## Ce que la règle vérifie
/// Chaque attribut `role` non vide d'un élément exposé aux technologies d'assistance contient au
/// moins un rôle WAI-ARIA valide et non abstrait.
/// ## Pourquoi
/// Un rôle inconnu est ignoré : l'élément perd la sémantique que l'auteur voulait lui donner.
/// ## Exemple en échec
/// `<div role="btn">Valider</div>`
/// ## Exemple conforme
/// `<div role="button" tabindex="0">Valider</div>`
/// ## Références
/// RGAA 7.1.1 · WCAG 1.3.1, 4.1.2 · ACT 674b10
pub struct AriaRoleValid;

static ARIA_ROLE_VALID: RuleMeta = RuleMeta {
    id: "aria-role-valid",
    title: "Rôle ARIA valide",
    description: "L'attribut role contient au moins un rôle WAI-ARIA existant et non abstrait.",
    rgaa: &["7.1.1"],
    wcag: refs!["1.3.1", "4.1.2"],
    act: refs!["674b10"],
    cerfa: &[],
};

impl Rule for AriaRoleValid {
    fn meta(&self) -> &'static RuleMeta {
        &ARIA_ROLE_VALID
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("[role]") {
            let Some(role) = el.value().attribute("role") else {
                continue;
            };
            if role.trim().is_empty() || is_hidden_from_at(page, el) {
                continue;
            }
            let tokens: Vec<&str> = role.split_ascii_whitespace().collect();
            if let Some(ok) = tokens.iter().find(|t| is_valid_role(t)) {
                r.pass(el, format_args!("Rôle valide : « {ok} »."));
            } else if tokens.iter().any(|t| is_abstract_role(t)) {
                r.fail(
                    el,
                    format!(
                        "Rôle abstrait « {role} » : il ne doit pas être utilisé dans le contenu."
                    ),
                );
            } else {
                r.fail(el, format!("Rôle inconnu « {role} » : il sera ignoré par les technologies d'assistance."));
            }
        }
        r.finish("Aucun attribut role.")
    }
}

/// ## Ce que la règle vérifie
/// Un élément qui reçoit explicitement un rôle différent de son rôle natif porte les états et
/// propriétés que ce rôle exige (par exemple `aria-checked` pour `checkbox`, `aria-level` pour
/// `heading`, `aria-expanded` pour `combobox`, `aria-valuenow` pour `slider`).
/// ## Pourquoi
/// Sans ces attributs, l'état du composant (coché, niveau, valeur) n'est pas restitué.
/// ## Exemple en échec
/// `<div role="checkbox" tabindex="0">J'accepte</div>`
/// ## Exemple conforme
/// `<div role="checkbox" aria-checked="false" tabindex="0">J'accepte</div>`
/// ## Références
/// RGAA 7.1.1 · WCAG 1.3.1, 4.1.2 · ACT 4e8ab6
pub struct AriaRequiredAttr;

static ARIA_REQUIRED_ATTR: RuleMeta = RuleMeta {
    id: "aria-required-attr",
    title: "Attributs ARIA requis par le rôle",
    description: "Un élément avec un rôle ARIA explicite porte les états et propriétés obligatoires de ce rôle.",
    rgaa: &["7.1.1"],
    wcag: refs!["1.3.1", "4.1.2"],
    act: refs!["4e8ab6"],
    cerfa: &[],
};

impl Rule for AriaRequiredAttr {
    fn meta(&self) -> &'static RuleMeta {
        &ARIA_REQUIRED_ATTR
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("[role]") {
            if el.value().attribute("role").is_none() {
                continue;
            }
            let Some(role) = resolved_role(el) else {
                continue;
            };
            if is_hidden_from_at(page, el) || implicit_role(el) == Some(&*role) {
                continue;
            }
            let mut required: Vec<&str> = required_attributes(&role).to_vec();
            if role == "separator" && is_tabbable(el) {
                required.push("aria-valuenow");
            }
            if required.is_empty() {
                continue;
            }
            let missing: Vec<&str> = required
                .iter()
                .copied()
                .filter(|a| el.value().attribute(a).is_none_or(|v| v.trim().is_empty()))
                .collect();
            if missing.is_empty() {
                r.pass(
                    el,
                    format_args!("Le rôle « {role} » a ses attributs requis."),
                );
            } else {
                r.fail(
                    el,
                    format!("Le rôle « {role} » exige : {}.", missing.join(", ")),
                );
            }
        }
        r.finish("Aucun rôle explicite exigeant des attributs.")
    }
}

/// ## Ce que la règle vérifie
/// Chaque état ou propriété ARIA non vide a une valeur permise par son type : `true`/`false`,
/// valeur à trois états, entier, nombre, jeton d'une liste fermée (`aria-live`, `aria-current`…).
/// Les nombres sont lus comme par les navigateurs et ARIA (« toute valeur numérique réelle ») :
/// `+1`, `1.`, `+.1`, `-1.` sont valides ; `abc`, `1e` ne le sont pas. Un entier a une valeur
/// entière (`2.0` oui, `2.5` non). Les bornes d'ARIA sont vérifiées : `aria-level`,
/// `aria-posinset`, `aria-colindex`, `aria-rowindex` valent au moins 1, `aria-setsize` au moins
/// 1 ou -1. Une valeur vide n'est pas jugée (ACT 6a7281 : non applicable). Décide la validité
/// des valeurs (test 7.1.1) ; leur justesse (l'état annoncé est-il le vrai ?) reste à un humain.
/// ## Pourquoi
/// Une valeur invalide est ignorée ou mal interprétée par les technologies d'assistance.
/// ## Exemple en échec
/// `<div role="button" aria-expanded="ferme">Menu</div>`
/// ## Exemple conforme
/// `<div role="button" aria-expanded="false">Menu</div>`
/// ## Références
/// RGAA 7.1.1 · WCAG 1.3.1, 4.1.2 · ACT 6a7281
pub struct AriaAttrValidValue;

static ARIA_ATTR_VALID_VALUE: RuleMeta = RuleMeta {
    id: "aria-attr-valid-value",
    title: "Valeurs ARIA valides",
    description: "Chaque état ou propriété ARIA a une valeur autorisée par la spécification.",
    rgaa: &["7.1.1"],
    wcag: refs!["1.3.1", "4.1.2"],
    act: refs!["6a7281"],
    cerfa: &[],
};

impl Rule for AriaAttrValidValue {
    fn meta(&self) -> &'static RuleMeta {
        &ARIA_ATTR_VALID_VALUE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for (el, attrs) in aria_attributes(page) {
            let mut bad = Vec::new();
            let mut checked = 0;
            for (name, value) in &attrs {
                let Some(t) = value_type(name) else { continue };
                if value.trim().is_empty() {
                    continue;
                }
                checked += 1;
                if !is_valid_value(t, value) || !within_bounds(name, value) {
                    bad.push(format!("{name}=\"{value}\""));
                }
            }
            if !bad.is_empty() {
                r.fail(el, format!("Valeur ARIA invalide : {}.", bad.join(", ")));
            } else if checked > 0 {
                r.pass(el, "Valeurs ARIA valides.");
            }
        }
        r.finish("Aucun attribut ARIA avec une valeur.")
    }
}

/// ## Ce que la règle vérifie
/// Chaque attribut `aria-*` est défini par WAI-ARIA et, pour un élément dont le rôle est connu,
/// est global ou pris en charge par ce rôle (par exemple `aria-pressed` seulement sur un bouton).
/// Les attributs globaux interdits par le rôle sont aussi en échec : `aria-label`,
/// `aria-labelledby`, `aria-braillelabel` sur un rôle qui ne peut pas être nommé (`div` et
/// `span` sans rôle, `p`, `code`, `em`, `strong`, `del`, `ins`, `sub`, `sup`, `mark`, `time`,
/// `dfn`, `caption`, `role="none"`…), `aria-roledescription` sur `generic` : le nom n'est pas
/// restitué et le validateur HTML le refuse (ARIA 1.2 « Roles which cannot be named »). Et les
/// attributs qui ne valent que dans un contexte : `aria-checked` sur une case à cocher ou un
/// bouton radio natif (ARIA in HTML), `aria-expanded`, `aria-level`, `aria-posinset`,
/// `aria-setsize` sur une ligne (`row`) hors d'un `treegrid` ; une ligne dont le tableau
/// n'est pas un ancêtre dans le code (`aria-owns`) est « à vérifier ».
/// Les éléments sans rôle déterminable ne sont jugés que sur l'existence de l'attribut.
/// Décide la part « rôle, nom, états restitués via l'API » du test 7.1.1 pour ces attributs ;
/// la pertinence des valeurs reste à juger par un humain.
/// ## Pourquoi
/// Un attribut inconnu, non pris en charge ou interdit par le rôle n'est pas restitué :
/// l'information qu'il devait porter est perdue.
/// ## Exemple en échec
/// `<a href="/" aria-pressed="true">Accueil</a>` ; `<div aria-label="Prix : 1 €">1 €</div>`
/// ## Exemple conforme
/// `<button aria-pressed="true">Gras</button>` ; `<div role="region" aria-label="Prix">1 €</div>`
/// ## Références
/// RGAA 7.1.1 · WCAG 1.3.1, 4.1.2 · ACT 5c01ea, 5f99a7, kb1m8s
pub struct AriaAttrAllowed;

static ARIA_ATTR_ALLOWED: RuleMeta = RuleMeta {
    id: "aria-attr-allowed",
    title: "Attributs ARIA définis et autorisés pour le rôle",
    description:
        "Chaque attribut aria-* existe dans WAI-ARIA et est autorisé pour le rôle de l'élément.",
    rgaa: &["7.1.1"],
    wcag: refs!["1.3.1", "4.1.2"],
    act: refs!["5c01ea", "5f99a7", "kb1m8s"],
    cerfa: &[],
};

impl Rule for AriaAttrAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &ARIA_ATTR_ALLOWED
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for (el, attrs) in aria_attributes(page) {
            if is_hidden_from_at(page, el) && !attrs.iter().any(|(n, _)| value_type(n).is_none()) {
                continue;
            }
            let unknown: Vec<&str> = attrs
                .iter()
                .filter(|(n, _)| value_type(n).is_none())
                .map(|(n, _)| n.as_str())
                .collect();
            if !unknown.is_empty() {
                r.fail(
                    el,
                    format!("Attribut ARIA inexistant : {}.", unknown.join(", ")),
                );
                continue;
            }
            // Prohibited global attributes (naming a role that cannot be named): judged on
            // the role as exposed, from the explicit role or the element (p, code, em…).
            // Not judged inside a role whose children are presentational (the element is not
            // exposed), nor for a blank aria-label(ledby), which names nothing.
            let prohibited: Vec<&str> = match prohibition_role(el, &attrs) {
                Some(role) if !in_presentational_children(el) => attrs
                    .iter()
                    .filter(|(n, v)| prohibited_on(n, &role) && !v.trim().is_empty())
                    .map(|(n, _)| n.as_str())
                    .collect(),
                _ => Vec::new(),
            };
            // Role as exposed (explicit, conflict-resolved, or implicit); elements whose
            // implicit role we do not model are judged only on attribute existence.
            let Some(role) = resolved_role(el)
                .or_else(|| generic_element(el).then_some(Cow::Borrowed("generic")))
            else {
                if !prohibited.is_empty() {
                    r.fail(el, prohibited_message(el, &prohibited));
                } else {
                    r.pass(el, "Attributs ARIA définis (rôle non déterminé).");
                }
                continue;
            };
            let refused: Vec<&str> = attrs
                .iter()
                .filter(|(n, _)| !is_allowed(n, &role) && !prohibited.contains(&n.as_str()))
                .map(|(n, _)| n.as_str())
                .collect();
            let conditional = conditional_problems(el, &attrs, &role);
            let mut problems = Vec::new();
            if !refused.is_empty() {
                problems.push(format!(
                    "Attribut non pris en charge par le rôle « {role} » : {}.",
                    refused.join(", ")
                ));
            }
            if !prohibited.is_empty() {
                problems.push(prohibited_message(el, &prohibited));
            }
            let mut unsure = Vec::new();
            for (verdict, why) in conditional {
                match verdict {
                    Conditional::Refused => problems.push(why),
                    Conditional::Unsure => unsure.push(why),
                }
            }
            if !problems.is_empty() {
                r.fail(el, problems.join(" "));
            } else if !unsure.is_empty() {
                r.cant_tell(el, unsure.join(" "));
            } else {
                r.pass(
                    el,
                    format_args!("Attributs ARIA autorisés pour le rôle « {role} »."),
                );
            }
        }
        r.finish("Aucun attribut ARIA.")
    }
}

fn prohibited_message(el: ElementRef<'_>, prohibited: &[&str]) -> String {
    format!(
        "Attribut interdit sur cet élément (<{}> : rôle qui ne peut pas être nommé ni redécrit) : {} ; il n'est pas restitué. Donner un rôle adapté ou placer le texte dans le contenu.",
        el.value().name(),
        prohibited.join(", ")
    )
}

/// The role an element exposes, for prohibited attributes: an explicit valid role (a
/// presentational one ignored when the element is focusable or carries an ARIA 1.2 global
/// attribute; the ARIA 1.3 braille attributes do not cancel it), else the implicit role of
/// elements whose HTML-AAM role prohibits naming (`div`, `span` → generic, `p` → paragraph,
/// `code`, `em`, `strong`, `del`, `ins`, `sub`, `sup`, `mark`, `time`, `dfn` → term, `caption`),
/// else the implicit role. `None` when nothing is known (the element is not judged).
fn prohibition_role(el: ElementRef<'_>, attrs: &[(String, String)]) -> Option<String> {
    let explicit = el.value().attribute("role").and_then(|r| {
        r.split_ascii_whitespace()
            .find(|t| is_valid_role(t))
            .map(str::to_ascii_lowercase)
    });
    let structural = || {
        implicit_role(el)
            .filter(|r| !matches!(*r, "presentation" | "none"))
            .or_else(|| structural_role(el))
            .map(str::to_string)
    };
    match explicit.as_deref() {
        Some("none" | "presentation") => {
            let conflict = crate::a11y::is_focusable(el)
                || attrs.iter().any(|(n, _)| {
                    crate::a11y::aria::is_global_attribute(n) && !n.starts_with("aria-braille")
                });
            if conflict {
                structural()
            } else {
                explicit
            }
        }
        Some(_) => explicit,
        None => structural(),
    }
}

/// Implicit roles (HTML-AAM) of elements that cannot be named, not in [`implicit_role`].
fn structural_role(el: ElementRef<'_>) -> Option<&'static str> {
    Some(match el.value().name() {
        "div" | "span" | "b" | "i" | "u" | "small" | "samp" | "q" | "bdi" | "bdo" | "pre"
        | "data" => "generic",
        "p" => "paragraph",
        "code" => "code",
        "em" => "emphasis",
        "strong" => "strong",
        "del" => "deletion",
        "ins" => "insertion",
        "sub" => "subscript",
        "sup" => "superscript",
        "mark" => "mark",
        "time" => "time",
        "dfn" => "term",
        "caption" => "caption",
        _ => return None,
    })
}

enum Conditional {
    Refused,
    Unsure,
}

/// Attributes allowed only in some contexts: `aria-checked` where HTML's `checked` applies
/// (ARIA in HTML: authors must not use it on `input type=checkbox|radio`), and the treegrid
/// attributes of `row` (`aria-expanded`, `aria-level`, `aria-posinset`, `aria-setsize`: ARIA 1.2
/// gives them to rows of a `treegrid` only).
fn conditional_problems(
    el: ElementRef<'_>,
    attrs: &[(String, String)],
    role: &str,
) -> Vec<(Conditional, String)> {
    let mut out = Vec::new();
    let e = el.value();
    let has = |a: &str| attrs.iter().any(|(n, _)| n == a);
    let native_checkable = e.name() == "input"
        && e.attribute("type").is_some_and(|t| {
            let t = t.trim();
            t.eq_ignore_ascii_case("checkbox") || t.eq_ignore_ascii_case("radio")
        });
    if native_checkable && has("aria-checked") && matches!(role, "checkbox" | "radio") {
        out.push((
            Conditional::Refused,
            "aria-checked sur une case native : l'état vient de l'attribut checked (ARIA in HTML l'interdit), aria-checked peut le contredire.".to_string(),
        ));
    }
    if role == "row" {
        let treegrid_only: Vec<&str> = [
            "aria-expanded",
            "aria-level",
            "aria-posinset",
            "aria-setsize",
        ]
        .into_iter()
        .filter(|a| has(a))
        .collect();
        if !treegrid_only.is_empty() {
            let container = el.ancestors().filter_map(ElementRef::wrap).find_map(|a| {
                resolved_role(a).filter(|r| matches!(&**r, "table" | "grid" | "treegrid"))
            });
            match container.as_deref() {
                Some("treegrid") => {}
                Some(other) => out.push((
                    Conditional::Refused,
                    format!(
                        "{} : réservés aux lignes d'un treegrid, pas d'un « {other} ».",
                        treegrid_only.join(", ")
                    ),
                )),
                None => out.push((
                    Conditional::Unsure,
                    format!(
                        "{} sur une ligne hors de tout tableau dans le code (aria-owns ?) : vérifier qu'elle appartient à un treegrid.",
                        treegrid_only.join(", ")
                    ),
                )),
            }
        }
    }
    out
}

/// HTML elements without an implicit ARIA role other than `generic` (or none at all), for which
/// only global ARIA attributes are allowed.
fn generic_element(el: ElementRef<'_>) -> bool {
    matches!(
        el.value().name(),
        "div"
            | "span"
            | "p"
            | "b"
            | "i"
            | "u"
            | "small"
            | "label"
            | "audio"
            | "video"
            | "pre"
            | "abbr"
            | "cite"
            | "q"
            | "samp"
            | "kbd"
            | "var"
            | "bdi"
            | "bdo"
            | "canvas"
            | "picture"
            | "object"
            | "embed"
            | "body"
            | "legend"
            | "figcaption"
    ) && el.value().attribute("role").is_none()
}

/// ## Ce que la règle vérifie
/// Un élément `aria-hidden="true"` ne contient aucun élément atteignable avec la touche Tab (lui
/// compris) : liens, boutons, champs, `tabindex` positif ou nul ; chacun est jugé, le pire
/// verdict l'emporte. Un tel élément positionné (sentinelle de focus) passe quand le code de la
/// page dit exactement où part le focus : un attribut `onfocus` qui n'est que
/// `document.getElementById('x').focus()`, ou la première instruction d'un script placé après
/// lui qui lui attache, par son id, un écouteur `focus` dont le corps n'est que cet appel, vers
/// un élément tabulable, rendu et hors contenu `aria-hidden`. Sinon il est « à vérifier » quand un
/// script peut déplacer le focus (script externe, script qui parle de focus, attribut
/// `onfocus`…), en échec s'il n'y en a aucun. Sur une page rendue et parcourue au clavier
/// jusqu'au bout (`--render`), il échoue si le focus s'y arrête et passe si un script l'envoie
/// ailleurs. RGAA 7.1.1 et 7.3.1 sont décidés ainsi ; une redirection écrite autrement (condition,
/// fonction appelée) reste au jugement humain.
/// ## Pourquoi
/// Le focus arrive sur un élément que le lecteur d'écran ne peut pas annoncer.
/// ## Exemple en échec
/// `<div aria-hidden="true"><a href="/aide">Aide</a></div>`
/// ## Exemple conforme
/// `<div aria-hidden="true"><a href="/aide" tabindex="-1">Aide</a></div>`
/// ## Références
/// RGAA 7.1.1, 7.3.1 · WCAG 1.3.1, 4.1.2 · ACT 6cfa84
pub struct AriaHiddenFocusable;

static ARIA_HIDDEN_FOCUSABLE: RuleMeta = RuleMeta {
    id: "aria-hidden-focusable",
    title: "Contenu masqué par aria-hidden non focalisable",
    description:
        "Un contenu aria-hidden=\"true\" ne contient aucun élément atteignable au clavier.",
    rgaa: &["7.1.1", "7.3.1"],
    wcag: refs!["1.3.1", "4.1.2"],
    act: refs!["6cfa84"],
    cerfa: &[16],
};

impl Rule for AriaHiddenFocusable {
    fn meta(&self) -> &'static RuleMeta {
        &ARIA_HIDDEN_FOCUSABLE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let may_move_focus = std::cell::OnceCell::new();
        for el in page.select("[aria-hidden]") {
            let hidden = el
                .value()
                .attribute("aria-hidden")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
            if !hidden {
                continue;
            }
            // Not rendered either (hidden, display:none…): not focusable at all.
            let other_hidden = !is_rendered(page, el);
            if other_hidden {
                continue;
            }
            // Every focusable element of the content is judged: one sentinel that sends the
            // focus away must not hide a plain link beside it. The worst verdict is the
            // content's (the first failure, else the first doubt, else the first pass).
            let mut verdict: Option<(Outcome, String)> = None;
            for f in el
                .descendants()
                .filter_map(ElementRef::wrap)
                .filter(|d| is_tabbable(*d) && is_rendered(page, *d))
            {
                let (outcome, message) = sentinel_verdict(page, f, &may_move_focus);
                // `Outcome` orders the worst first.
                if verdict.as_ref().is_none_or(|(worst, _)| outcome < *worst) {
                    verdict = Some((outcome, message));
                }
                if outcome == Outcome::Failed {
                    break;
                }
            }
            match verdict {
                Some((outcome, message)) => r.push(outcome, Some(el), message),
                None => r.pass(el, "Aucun élément focalisable dans le contenu masqué."),
            }
        }
        r.finish("Aucun contenu aria-hidden=\"true\".")
    }
}

/// The verdict on one focusable element `f` inside `aria-hidden` content; `may_move_focus`
/// holds [`scripts_may_move_focus`], a page-wide answer asked at most once.
fn sentinel_verdict(
    page: &Page,
    f: ElementRef<'_>,
    may_move_focus: &std::cell::OnceCell<bool>,
) -> (Outcome, String) {
    let selector = || crate::page::Target::of(page, f).selector;
    // A keyboard walk in the browser says whether focus stays on a positioned one.
    let walked = sentinel_walked(page, f);
    if positioned(f) && walked == Some(true) {
        return (
            Outcome::Failed,
            format!(
                "Contenu aria-hidden contenant un élément focalisable ({}) : le parcours au clavier s'y arrête.",
                selector()
            ),
        );
    }
    if walked == Some(false) {
        return (
            Outcome::Passed,
            "L'élément focalisable du contenu masqué ne garde pas le focus : le parcours au clavier est redirigé ailleurs.".to_string(),
        );
    }
    if !positioned(f) {
        return (
            Outcome::Failed,
            format!(
                "Contenu aria-hidden contenant un élément focalisable ({}).",
                selector()
            ),
        );
    }
    // Without a walk: the page's code, when it says plainly where the focus goes.
    match redirect_on_focus(page, f) {
        Some(to) => (
            Outcome::Passed,
            format!(
                "Sentinelle de focus : le script de la page envoie le focus reçu par {} vers {}, hors du contenu masqué.",
                selector(),
                crate::page::Target::of(page, to).selector
            ),
        ),
        None if !*may_move_focus.get_or_init(|| scripts_may_move_focus(page)) => (
            Outcome::Failed,
            format!(
                "Contenu aria-hidden contenant un élément focalisable positionné ({}) : aucun script de la page ne peut rediriger le focus, ce n'est pas une sentinelle.",
                selector()
            ),
        ),
        None => (
            Outcome::CantTell,
            format!(
                "Contenu aria-hidden contenant un élément focalisable positionné ({}) : sentinelle de focus ? Vérifier que le focus y est redirigé par script.",
                selector()
            ),
        ),
    }
}

/// On a page walked with the keyboard to its end, whether focus stopped on `f` (a focus
/// sentinel that keeps focus) or not (a script sent it elsewhere). None without a complete
/// walk or when `f` was not marked by the browser.
fn sentinel_walked(page: &Page, f: ElementRef<'_>) -> Option<bool> {
    let facts = page.browser.as_ref()?;
    if facts.truncated || facts.stops.is_empty() || facts.trap.is_some() {
        return None;
    }
    let mark: u32 = f
        .value()
        .attribute(crate::page::browser::REF_ATTR)?
        .parse()
        .ok()?;
    Some(facts.stops.iter().any(|s| s.mark == Some(mark)))
}

/// Where the page's own code sends the focus a sentinel `f` receives, when it says so in one of
/// two exact forms and nothing else: `f`'s `onfocus` attribute is only
/// `document.getElementById('t').focus()`, or the first statement of an inline script placed
/// after `f` registers, on `f` by its id, a `focus` listener whose body is only that call.
/// The target must be another rendered, tabbable element outside `aria-hidden` content. Any
/// other code (a condition, a helper function, a script before `f`) is not read: `None`.
fn redirect_on_focus<'a>(page: &'a Page, f: ElementRef<'a>) -> Option<ElementRef<'a>> {
    use regex::Regex;
    use std::sync::LazyLock;
    // `document.getElementById('t').focus()` (or `document.querySelector('#t')`).
    const CALL: &str = r##"document\s*\.\s*(?:getElementById\s*\(\s*(?:'([\w-]+)'|"([\w-]+)")|querySelector\s*\(\s*(?:'#([\w-]+)'|"#([\w-]+)"))\s*\)\s*\.\s*focus\s*\(\s*\)"##;
    static ATTRIBUTE: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(&format!(r"^\s*(?:javascript:\s*)?{CALL}\s*;?\s*$")).ok());
    static LISTENER: LazyLock<Option<Regex>> = LazyLock::new(|| {
        let handler = format!(
            r"(?:(?:\(\s*\w*\s*\)|\w+)\s*=>\s*(?:\{{\s*{CALL}\s*;?\s*\}}|{CALL})|function\s*\w*\s*\(\s*\w*\s*\)\s*\{{\s*{CALL}\s*;?\s*\}})"
        );
        Regex::new(&format!(
            r#"^\s*document\s*\.\s*getElementById\s*\(\s*(?:'([\w-]+)'|"([\w-]+)")\s*\)\s*\.\s*addEventListener\s*\(\s*(?:'focus'|"focus")\s*,\s*{handler}\s*\)\s*(?:;|\z|\n\s*(?:document\b|//|/\*))"#
        ))
        .ok()
    });
    // The call's target: the first of its capture groups that matched, from `first` on.
    let target_of = |caps: &regex::Captures<'_>, first: usize| -> Option<String> {
        (first..caps.len())
            .find_map(|i| caps.get(i))
            .map(|m| m.as_str().to_string())
    };
    let target = if let Some(code) = f.value().attribute("onfocus") {
        let caps = ATTRIBUTE.as_ref()?.captures(code)?;
        target_of(&caps, 1)?
    } else {
        let own = f.value().attribute("id")?;
        if page.id_count(own) != 1 {
            return None;
        }
        let mut after = false;
        let mut found = None;
        for node in page.root().descendants() {
            if node.id() == f.id() {
                after = true;
                continue;
            }
            let Some(script) = ElementRef::wrap(node).filter(|e| e.value().name() == "script")
            else {
                continue;
            };
            let classic = script.value().attribute("type").is_none_or(|t| {
                matches!(
                    t.trim().to_ascii_lowercase().as_str(),
                    "" | "text/javascript" | "application/javascript" | "module"
                )
            });
            // A script in a template is inert: it never runs.
            let inert = script
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| a.value().name() == "template");
            if !after || !classic || inert || script.value().attribute("src").is_some() {
                continue;
            }
            let code: String = script.text().collect();
            let Some(caps) = LISTENER.as_ref()?.captures(&code) else {
                continue;
            };
            let on = caps.get(1).or_else(|| caps.get(2))?.as_str();
            if on == own {
                found = target_of(&caps, 3);
                break;
            }
        }
        found?
    };
    if page.id_count(&target) != 1 {
        return None;
    }
    let to = page.element_by_id(&target)?;
    // Rendered, not in `aria-hidden` or inert content: the page's visibility answer.
    (to.id() != f.id() && is_tabbable(to) && !is_hidden_from_at(page, to)).then_some(to)
}

/// Whether a script of the page could move focus away from a focus sentinel: an external
/// script (unknown code), an inline script that mentions focus, or a focus event attribute.
/// Without any, a positioned focusable element keeps the focus it receives.
fn scripts_may_move_focus(page: &Page) -> bool {
    const DATA_TYPES: &[&str] = &["application/ld+json", "application/json", "text/template"];
    let script_may = page.select("script").any(|s| {
        let ty = s
            .value()
            .attribute("type")
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if DATA_TYPES.contains(&ty.as_str()) {
            return false;
        }
        s.value().attribute("src").is_some()
            || s.text().any(|t| t.to_ascii_lowercase().contains("focus"))
    });
    script_may
        || page.select("*").any(|e| {
            e.value()
                .attrs()
                .any(|(n, _)| n.starts_with("on") && n.contains("focus"))
        })
}

fn inline_style(el: ElementRef<'_>) -> String {
    el.value()
        .attribute("style")
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Absolutely or fixed positioned by inline style (focus sentinels are placed this way).
fn positioned(el: ElementRef<'_>) -> bool {
    let s = inline_style(el);
    s.contains("position:absolute") || s.contains("position:fixed")
}

/// Roles of interactive components that need a name (RGAA « composant d'interface » : the user
/// interacts with them).
const NAMED_WIDGET_ROLES: &[&str] = &[
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "option",
    "tab",
    "treeitem",
];

/// Roles that need a name in ARIA but are not components the user interacts with.
const NAMED_STATUS_ROLES: &[&str] = &["meter", "progressbar", "tooltip"];

/// ## Ce que la règle vérifie
/// Les composants ARIA que l'utilisateur manipule ont un nom accessible non vide : éléments de
/// menu (`menuitem`, `menuitemcheckbox`, `menuitemradio`), options (`role="option"`), onglets
/// (`tab`), éléments d'arbre (`treeitem`), et le résumé (`<summary>`) d'un `<details>`, nommé par
/// son contenu. Sans nom : échec (test 7.1.3, « le composant possède un nom »). Les rôles
/// `meter`, `progressbar`, `tooltip` exigent aussi un nom en ARIA, mais ne sont pas des
/// composants d'interface au sens du glossaire RGAA (l'utilisateur n'interagit pas avec eux) :
/// sans nom, « à vérifier ». Les `<option>` natives (souvent vides en tête de liste) ne sont
/// pas jugées ici. Décide la présence du nom (7.1.1, 7.1.3) ; sa pertinence reste à juger par
/// un humain.
/// ## Pourquoi
/// Un élément de menu ou un onglet sans nom est annoncé « élément de menu » ou « onglet » sans
/// que l'on sache ce qu'il fait.
/// ## Exemple en échec
/// `<div role="menu"><button role="menuitem"><img src="fichier.svg" alt=""></button></div>`
/// ## Exemple conforme
/// `<div role="menu"><button role="menuitem">Nouveau fichier</button></div>`
/// ## Références
/// RGAA 7.1.1, 7.1.3 · WCAG 4.1.2 · ACT m6b1q3, 2t702h
pub struct AriaWidgetName;

static ARIA_WIDGET_NAME: RuleMeta = RuleMeta {
    id: "aria-widget-name",
    title: "Composant ARIA avec nom accessible",
    description: "Éléments de menu, onglets, options, éléments d'arbre et résumés de details ont un nom accessible.",
    rgaa: &["7.1.1", "7.1.3"],
    wcag: refs!["4.1.2"],
    act: refs!["m6b1q3", "2t702h"],
    cerfa: &[],
};

impl Rule for AriaWidgetName {
    fn meta(&self) -> &'static RuleMeta {
        &ARIA_WIDGET_NAME
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("[role], summary, progress, meter") {
            let e = el.value();
            let role = resolved_role(el).unwrap_or_default();
            // A summary with no role of its own (a presentational one is ignored: it is
            // focusable) is named like a button; with another role, that role's rule judges it.
            let summary = crate::a11y::accname::is_details_summary(el)
                && (e.attribute("role").is_none()
                    || matches!(&*role, "" | "none" | "presentation"));
            let widget = NAMED_WIDGET_ROLES.contains(&&*role)
                && !(e.name() == "option" && e.attribute("role").is_none());
            let status = NAMED_STATUS_ROLES.contains(&&*role);
            if !(summary || widget || status) || is_hidden_from_at(page, el) {
                continue;
            }
            let what = if summary { "summary" } else { &*role };
            let name = crate::a11y::accessible_name(page, el);
            if !name.is_empty() {
                r.pass(
                    el,
                    format_args!("Nom du composant « {what} » : « {name} »."),
                );
            } else if status {
                r.cant_tell(el, format!("Rôle « {what} » sans nom accessible : ARIA en exige un (aria-label, aria-labelledby) ; vérifier que sa fonction est donnée autrement."));
            } else {
                r.fail(el, format!("Composant « {what} » sans nom accessible : lui donner un texte, un aria-label ou un aria-labelledby."));
            }
        }
        r.finish("Aucun élément de menu, onglet, option, élément d'arbre ni résumé de details.")
    }
}

/// Whether an ancestor's role makes this element's subtree presentational.
fn in_presentational_children(el: ElementRef<'_>) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| resolved_role(a).is_some_and(|r| PRESENTATIONAL_CHILDREN.contains(&&*r)))
}

/// Roles whose children are presentational (ARIA 1.2 « Children Presentational: True »).
const PRESENTATIONAL_CHILDREN: &[&str] = &[
    "button",
    "checkbox",
    "img",
    "math",
    "menuitemcheckbox",
    "menuitemradio",
    "meter",
    "option",
    "progressbar",
    "radio",
    "scrollbar",
    "separator",
    "slider",
    "switch",
    "tab",
];

/// ## Ce que la règle vérifie
/// Un élément dont le rôle rend les enfants présentationnels (bouton, case à cocher, image,
/// onglet, option, curseur, élément de menu coché…) ne contient aucun élément focalisable
/// (lien, champ, bouton, `tabindex`, même négatif), sauf désactivé ou masqué. Pour un composant
/// fait de script (rôle ARIA explicite), décide le test RGAA 7.1.1 pour ce cas ; le reste du
/// critère (nom, rôle, états restitués) demande un humain. Un élément natif (`<button>`,
/// `<meter>`, `<progress>` sans `role`) n'est pas un script : son résultat ne cite que WCAG et
/// ACT, aucun test RGAA.
/// ## Pourquoi
/// Les technologies d'assistance ne restituent pas les enfants de ces éléments : un lien placé
/// dans un onglet ou dans un bouton reçoit le focus sans être annoncé.
/// ## Exemple en échec
/// `<p role="checkbox" tabindex="0">J'accepte les <a href="/cgu">conditions</a></p>`
/// ## Exemple conforme
/// `<span role="checkbox" tabindex="0">J'accepte</span> les <a href="/cgu">conditions</a>`
/// ## Références
/// RGAA 7.1.1 · WCAG 4.1.2 · ACT 307n5z
pub struct PresentationalChildrenFocusable;

static PRESENTATIONAL_CHILDREN_FOCUSABLE: RuleMeta = RuleMeta {
    id: "presentational-children-focusable",
    title: "Pas d'élément focalisable dans un composant aux enfants présentationnels",
    description: "Un bouton, une case à cocher, un onglet, une option ou tout rôle aux enfants présentationnels ne contient aucun élément focalisable.",
    rgaa: &["7.1.1"],
    wcag: refs!["4.1.2"],
    act: refs!["307n5z"],
    cerfa: &[],
};

impl Rule for PresentationalChildrenFocusable {
    fn meta(&self) -> &'static RuleMeta {
        &PRESENTATIONAL_CHILDREN_FOCUSABLE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let styles = page.styles();
        let css_hidden = |e: ElementRef<'_>| styles.get(e).is_some_and(|c| c.hidden.is_some());
        let mut r = Results::new(page);
        for el in page.select("[role], button, meter, progress") {
            let Some(role) = resolved_role(el) else {
                continue;
            };
            if !PRESENTATIONAL_CHILDREN.contains(&&*role)
                || is_hidden_from_at(page, el)
                || css_hidden(el)
            {
                continue;
            }
            let focusable = el
                .descendants()
                .skip(1)
                .filter_map(ElementRef::wrap)
                .find(|d| is_focusable(*d) && !css_hidden(*d));
            match focusable {
                Some(f) => r.fail(
                    el,
                    format!(
                        "Élément au rôle {role}, dont les enfants ne sont pas restitués, contenant un élément focalisable ({}) : le focus y arrive sans annonce. Le sortir du composant.",
                        crate::page::Target::of(page, f).selector
                    ),
                ),
                None => r.pass(el, format_args!("Aucun élément focalisable dans cet élément au rôle {role}.")),
            }
            // RGAA 7.1 is about scripts: a native element is judged on WCAG and ACT only.
            if el.value().attribute("role").is_none() {
                r.with_tests(&[]);
            }
        }
        r.finish("Aucun élément dont le rôle rend les enfants présentationnels.")
    }
}
