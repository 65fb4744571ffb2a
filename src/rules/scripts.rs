//! Scripts and ARIA (RGAA 7.1, 7.3; WCAG 1.3.1, 2.1.1, 4.1.2).

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::aria::{
    is_abstract_role, is_allowed, is_valid_role, is_valid_value, required_attributes, value_type,
};
use crate::a11y::focus::is_natively_focusable;
use crate::a11y::{implicit_role, is_hidden_from_at, is_tabbable, resolved_role};
use crate::page::{ElementRef, Page};

/// Elements carrying at least one `aria-*` attribute, with those attributes, in document order.
fn aria_attributes(page: &Page) -> Vec<(ElementRef<'_>, Vec<(String, String)>)> {
    page.select("*")
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
    wcag: &["2.1.1", "4.1.2"],
    act: &[],
    cerfa: &[16],
};

impl Rule for ClickHandlerKeyboard {
    fn meta(&self) -> &'static RuleMeta {
        &CLICK_HANDLER_KEYBOARD
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("[onclick], [onmousedown], [onmouseup]") {
            if is_hidden_from_at(el) {
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
                if e.attr("role").is_some() {
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
    wcag: &["1.3.1", "4.1.2"],
    act: &["674b10"],
    cerfa: &[16],
};

impl Rule for AriaRoleValid {
    fn meta(&self) -> &'static RuleMeta {
        &ARIA_ROLE_VALID
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("[role]") {
            let Some(role) = el.value().attr("role") else {
                continue;
            };
            if role.trim().is_empty() || is_hidden_from_at(el) {
                continue;
            }
            let tokens: Vec<&str> = role.split_ascii_whitespace().collect();
            if let Some(ok) = tokens.iter().find(|t| is_valid_role(t)) {
                r.pass(el, format!("Rôle valide : « {ok} »."));
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
    wcag: &["1.3.1", "4.1.2"],
    act: &["4e8ab6"],
    cerfa: &[16],
};

impl Rule for AriaRequiredAttr {
    fn meta(&self) -> &'static RuleMeta {
        &ARIA_REQUIRED_ATTR
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("[role]") {
            if el.value().attr("role").is_none() {
                continue;
            }
            let Some(role) = resolved_role(el) else {
                continue;
            };
            if is_hidden_from_at(el) || implicit_role(el) == Some(role.as_str()) {
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
                .filter(|a| el.value().attr(a).is_none_or(|v| v.trim().is_empty()))
                .collect();
            if missing.is_empty() {
                r.pass(el, format!("Le rôle « {role} » a ses attributs requis."));
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
    wcag: &["1.3.1", "4.1.2"],
    act: &["6a7281"],
    cerfa: &[16],
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
                if !is_valid_value(t, value) {
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
/// Les éléments sans rôle déterminable ne sont jugés que sur l'existence de l'attribut.
/// ## Pourquoi
/// Un attribut inconnu ou non pris en charge par le rôle n'est pas restitué : l'information qu'il
/// devait porter est perdue.
/// ## Exemple en échec
/// `<a href="/" aria-pressed="true">Accueil</a>`
/// ## Exemple conforme
/// `<button aria-pressed="true">Gras</button>`
/// ## Références
/// RGAA 7.1.1 · WCAG 1.3.1, 4.1.2 · ACT 5c01ea, 5f99a7
pub struct AriaAttrAllowed;

static ARIA_ATTR_ALLOWED: RuleMeta = RuleMeta {
    id: "aria-attr-allowed",
    title: "Attributs ARIA définis et autorisés pour le rôle",
    description:
        "Chaque attribut aria-* existe dans WAI-ARIA et est autorisé pour le rôle de l'élément.",
    rgaa: &["7.1.1"],
    wcag: &["1.3.1", "4.1.2"],
    act: &["5c01ea", "5f99a7"],
    cerfa: &[16],
};

impl Rule for AriaAttrAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &ARIA_ATTR_ALLOWED
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for (el, attrs) in aria_attributes(page) {
            if is_hidden_from_at(el) && !attrs.iter().any(|(n, _)| value_type(n).is_none()) {
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
            // Role as exposed (explicit, conflict-resolved, or implicit); elements whose
            // implicit role we do not model are judged only on attribute existence.
            let Some(role) =
                resolved_role(el).or_else(|| generic_element(el).then(|| "generic".to_string()))
            else {
                r.pass(el, "Attributs ARIA définis (rôle non déterminé).");
                continue;
            };
            let refused: Vec<&str> = attrs
                .iter()
                .filter(|(n, _)| !is_allowed(n, &role))
                .map(|(n, _)| n.as_str())
                .collect();
            if refused.is_empty() {
                r.pass(
                    el,
                    format!("Attributs ARIA autorisés pour le rôle « {role} »."),
                );
            } else {
                r.fail(
                    el,
                    format!(
                        "Attribut non pris en charge par le rôle « {role} » : {}.",
                        refused.join(", ")
                    ),
                );
            }
        }
        r.finish("Aucun attribut ARIA.")
    }
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
    ) && el.value().attr("role").is_none()
}

/// ## Ce que la règle vérifie
/// Un élément `aria-hidden="true"` ne contient aucun élément atteignable avec la touche Tab (lui
/// compris) : liens, boutons, champs, `tabindex` positif ou nul.
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
    wcag: &["1.3.1", "4.1.2"],
    act: &["6cfa84"],
    cerfa: &[16],
};

impl Rule for AriaHiddenFocusable {
    fn meta(&self) -> &'static RuleMeta {
        &ARIA_HIDDEN_FOCUSABLE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("[aria-hidden]") {
            let hidden = el
                .value()
                .attr("aria-hidden")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
            if !hidden {
                continue;
            }
            // Hidden by other means (hidden, display:none) too: not focusable at all.
            let other_hidden = std::iter::once(*el).chain(el.ancestors()).any(|n| {
                n.value().as_element().is_some_and(|e| {
                    e.attr("hidden").is_some()
                        || e.attr("style").is_some_and(|s| {
                            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
                            let s = s.to_ascii_lowercase();
                            s.contains("display:none") || s.contains("visibility:hidden")
                        })
                })
            });
            if other_hidden {
                continue;
            }
            let focusable = el
                .descendants()
                .filter_map(ElementRef::wrap)
                .find(|d| is_tabbable(*d) && !hidden_below(*d, el));
            match focusable {
                Some(f) if positioned(f) => r.cant_tell(
                    el,
                    format!(
                        "Contenu aria-hidden contenant un élément focalisable positionné ({}) : sentinelle de focus ? Vérifier que le focus y est redirigé par script.",
                        crate::page::Target::of(page, f).selector
                    ),
                ),
                Some(f) => r.fail(
                    el,
                    format!(
                        "Contenu aria-hidden contenant un élément focalisable ({}).",
                        crate::page::Target::of(page, f).selector
                    ),
                ),
                None => r.pass(el, "Aucun élément focalisable dans le contenu masqué."),
            }
        }
        r.finish("Aucun contenu aria-hidden=\"true\".")
    }
}

fn inline_style(el: ElementRef<'_>) -> String {
    el.value()
        .attr("style")
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Hidden by `hidden` or inline `display:none`/`visibility:hidden` between `d` and `top`.
fn hidden_below(d: ElementRef<'_>, top: ElementRef<'_>) -> bool {
    std::iter::once(*d)
        .chain(d.ancestors())
        .take_while(|n| n.id() != top.id())
        .filter_map(ElementRef::wrap)
        .any(|e| {
            let s = inline_style(e);
            e.value().attr("hidden").is_some()
                || s.contains("display:none")
                || s.contains("visibility:hidden")
        })
}

/// Absolutely or fixed positioned by inline style (focus sentinels are placed this way).
fn positioned(el: ElementRef<'_>) -> bool {
    let s = inline_style(el);
    s.contains("position:absolute") || s.contains("position:fixed")
}
