//! Links have an accessible name (RGAA 6.2; WCAG 2.4.4, 4.1.2).

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::relevance::has_no_word;
use crate::a11y::visible_text;
use crate::a11y::{accessible_name, is_hidden_from_at};
use crate::page::Attribute;
use crate::page::{normalize_space, normalize_space_cow, Page};

/// ## Ce que la règle vérifie
/// Chaque lien (`<a href>`, `<area href>`, `role="link"`) exposé aux technologies d'assistance a
/// un intitulé : texte, alternative d'une image contenue, `aria-label`, `aria-labelledby` ou `title`.
/// ## Pourquoi
/// Un lien sans intitulé est annoncé « lien » sans destination : il est inutilisable.
/// ## Exemple en échec
/// `<a href="/compte"><img src="user.svg"></a>`
/// ## Exemple conforme
/// `<a href="/compte"><img src="user.svg" alt="Mon compte"></a>`
/// ## Références
/// RGAA 6.2.1 · WCAG 2.4.4, 4.1.2 · ACT c487ae
pub struct LinkName;

static LINK_NAME: RuleMeta = RuleMeta {
    id: "link-name",
    title: "Lien avec intitulé",
    description: "Chaque lien exposé aux technologies d'assistance a un intitulé non vide.",
    rgaa: &["6.2.1"],
    wcag: refs!["2.4.4", "4.1.2"],
    act: refs!["c487ae"],
    cerfa: &[],
};

impl Rule for LinkName {
    fn meta(&self) -> &'static RuleMeta {
        &LINK_NAME
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("a[href], area[href], [role~=link]") {
            let e = el.value();
            if let Some(role) = e.attribute("role") {
                let first = role
                    .split_ascii_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                // DPUB link subroles are links; a presentational role is ignored on a
                // focusable link (ARIA conflict resolution).
                let still_link = first == "link"
                    || matches!(
                        first.as_str(),
                        "doc-backlink" | "doc-biblioref" | "doc-glossref" | "doc-noteref"
                    )
                    || (matches!(first.as_str(), "none" | "presentation")
                        && !crate::a11y::presentational_role_applies(el));
                if !still_link && matches!(e.name(), "a" | "area") {
                    continue; // another role was given; other rules judge it
                }
            }
            if is_hidden_from_at(page, el) {
                continue;
            }
            let name = accessible_name(page, el);
            if name.is_empty() {
                r.fail(el, "Lien sans intitulé : ajouter un texte, une alternative à l'image ou un aria-label.");
            } else {
                r.pass(el, format_args!("Intitulé : « {name} »."));
            }
        }
        r.finish("")
    }
}

/// Link texts that say nothing of the destination on their own.
const GENERIC_LINK_TEXTS: &[&str] = &[
    "cliquez ici",
    "cliquer ici",
    "clic ici",
    "ici",
    "en savoir plus",
    "en savoir +",
    "savoir plus",
    "lire la suite",
    "la suite",
    "suite",
    "plus",
    "+",
    "voir",
    "voir plus",
    "plus d'infos",
    "plus d'informations",
    "plus d'information",
    "détails",
    "détail",
    "lien",
    "accéder",
    "découvrir",
    "consulter",
    "télécharger",
    "more",
    "read more",
    "click here",
    "here",
    "learn more",
    "link",
    "→",
    ">",
    ">>",
    "»",
];

/// Whether the text, lower-cased, space-normalised and trimmed of dots, ellipses and colons,
/// is a generic link text. Asked of every link's name: trimmed before lower-casing (no capital
/// lower-cases to a trimmed character), and an ASCII text (most) is compared ignoring ASCII
/// case, without a lower-cased copy (the generic texts are in lower case).
fn is_generic(text: &str) -> bool {
    let text = normalize_space_cow(text);
    let t = text.trim_matches(|c: char| c == '.' || c == '…' || c == ':' || c.is_whitespace());
    if t.is_ascii() {
        return GENERIC_LINK_TEXTS.iter().any(|g| g.eq_ignore_ascii_case(t));
    }
    // Compared character by character in lower case, without a lower-cased copy (the generic
    // texts hold no final sigma, the one letter `str::to_lowercase` writes otherwise).
    GENERIC_LINK_TEXTS
        .iter()
        .any(|g| g.chars().eq(t.chars().flat_map(char::to_lowercase)))
}

/// ## Ce que la règle vérifie
/// Un lien dont l'intitulé est générique (« cliquez ici », « en savoir plus », « lire la suite »,
/// « voir »…) sans nom accessible plus précis (`aria-label`, `aria-labelledby`, `title` qui
/// complète) est « à vérifier » : le contexte (paragraphe, titre, cellule) peut suffire en RGAA,
/// mais seul un humain peut le dire. Un lien dont l'intitulé n'a ni lettre ni chiffre
/// (`-->`, `»`, `--//--`) est en échec : c'est un symbole pris littéralement, alors que le nom
/// doit exprimer la fonction du symbole (cas particulier des tests 6.1.5, « > » nommé
/// « Suivant ») ; avec un `title` qui le précise, il est « à vérifier ». Les autres liens nommés
/// passent (« intitulé non générique », la pertinence restant à juger par un humain).
/// ## Pourquoi
/// Les lecteurs d'écran listent les liens hors contexte : « en savoir plus » ×10 n'aide personne,
/// et « --> » n'est souvent pas lu du tout.
/// ## Exemple en échec
/// `<a href="/suite">--></a>`
/// ## Exemple conforme
/// `<a href="/aides">En savoir plus sur les aides au logement</a>`
/// ## Références
/// RGAA 6.1.1, 6.1.2, 6.1.3, 6.1.4 · WCAG 2.4.4
pub struct LinkGenericText;

static LINK_GENERIC_TEXT: RuleMeta = RuleMeta {
    id: "link-generic-text",
    title: "Intitulé de lien non générique",
    description: "Un lien à l'intitulé générique (« cliquez ici », « en savoir plus ») sans précision est à vérifier.",
    rgaa: &["6.1.1", "6.1.2", "6.1.3", "6.1.4"],
    wcag: refs!["2.4.4"],
    act: refs![],
    cerfa: &[16],
};

impl Rule for LinkGenericText {
    fn meta(&self) -> &'static RuleMeta {
        &LINK_GENERIC_TEXT
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("a[href], [role~=link]") {
            if is_hidden_from_at(page, el) {
                continue;
            }
            let name = accessible_name(page, el);
            if name.is_empty() {
                continue; // link-name judges empty names
            }
            let title = el
                .value()
                .attribute("title")
                .map(normalize_space)
                .unwrap_or_default();
            let precise_title =
                !title.is_empty() && !is_generic(&title) && title.len() > name.len();
            if has_no_word(&name) && !precise_title {
                r.fail(el, format!("Intitulé « {name} » sans lettre ni chiffre : un symbole pris littéralement n'indique ni la fonction ni la destination du lien ; le nommer (texte, aria-label) par sa fonction."));
            } else if has_no_word(&name) {
                r.cant_tell(el, format!("Intitulé « {name} » sans lettre ni chiffre, précisé seulement par le title : vérifier que le lien est explicite."));
            } else if is_generic(&name) && !precise_title {
                r.cant_tell(el, format!("Intitulé générique « {name} » : vérifier que le contexte (phrase, titre, cellule) dit où mène le lien, sinon le préciser."));
            } else {
                r.pass(el, format_args!("Intitulé non générique : « {name} »."));
            }
        }
        r.finish("Aucun lien nommé sur la page.")
    }
}

/// ## Ce que la règle vérifie
/// Pour chaque lien ayant un intitulé visible, le nom accessible (`aria-label`,
/// `aria-labelledby`) et l'attribut `title`, s'ils sont présents, contiennent cet intitulé
/// visible. L'intitulé visible est le texte affiché du lien : un `<br>` et les limites de blocs
/// (`p`, `div`, `li`…, d'après le `display` de la feuille de style, sinon celui de HTML) séparent
/// les mots (`<p>République<br>Française</p>` se lit « République Française »), le texte
/// masqué (`display: none`, `.sr-only`, `aria-hidden`) n'en fait pas partie, l'`alt` des images
/// en fait partie. Ponctuation et majuscules sont ignorées (cas particulier du test 6.1.5).
/// Un nom qui ne contient l'intitulé qu'en ignorant les espaces est « à vérifier » : le
/// découpage en mots peut dépendre d'une mise en forme que l'outil ne connaît pas.
/// Décide le test 6.1.5 quand le texte ne correspond pas ; laisse à un humain l'intitulé
/// visible en image (texte de l'image), le symbole dont le nom exprime la fonction (« > » nommé
/// « Suivant », autre cas particulier du test 6.1.5) et les contenus générés en CSS.
/// ## Pourquoi
/// Un utilisateur de commande vocale dit ce qu'il voit ; un lecteur d'écran lit le nom : les
/// deux doivent concorder.
/// ## Exemple en échec
/// `<a href="/rdv" title="Prendre contact">Rendez-vous</a>`
/// ## Exemple conforme
/// `<a href="/rdv" title="Rendez-vous - nouvelle fenêtre">Rendez-vous</a>` ;
/// `<a href="/" title="Accueil - République Française"><p>République<br>Française</p></a>`
/// ## Références
/// RGAA 6.1.5 · WCAG 2.5.3, 2.4.4
pub struct LinkNameContainsText;

static LINK_NAME_CONTAINS_TEXT: RuleMeta = RuleMeta {
    id: "link-name-contains-text",
    title: "Nom de lien reprenant l'intitulé visible",
    description: "Le nom accessible et le title d'un lien reprennent son intitulé visible.",
    rgaa: &["6.1.5"],
    wcag: refs!["2.5.3", "2.4.4"],
    act: refs![],
    cerfa: &[16],
};

fn folded(s: &str) -> String {
    normalize_space(s)
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// How a name relates to the visible text it must contain.
#[derive(Debug, PartialEq)]
enum Containment {
    Contains,
    /// Contained only once spaces are ignored: where words break may depend on layout the
    /// cascade does not know (an unfetched stylesheet making spans blocks, flex gaps).
    OnlyWithoutSpaces,
    Missing,
}

fn containment(name: &str, visible_folded: &str) -> Containment {
    let n = folded(name);
    if n.contains(visible_folded) {
        return Containment::Contains;
    }
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    if squeeze(&n).contains(&squeeze(visible_folded)) {
        Containment::OnlyWithoutSpaces
    } else {
        Containment::Missing
    }
}

impl Rule for LinkNameContainsText {
    fn meta(&self) -> &'static RuleMeta {
        &LINK_NAME_CONTAINS_TEXT
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("a[href]") {
            if is_hidden_from_at(page, el) {
                continue;
            }
            let e = el.value();
            let has_aria =
                e.attribute("aria-label").is_some() || e.attribute("aria-labelledby").is_some();
            let title = e
                .attribute("title")
                .map(normalize_space)
                .unwrap_or_default();
            if !has_aria && title.is_empty() {
                continue;
            }
            let shown = normalize_space(&visible_text(page, el));
            let visible = folded(&shown);
            if visible.is_empty() {
                continue;
            }
            let mut problems = Vec::new();
            let mut spacing = Vec::new();
            if has_aria {
                let name = accessible_name(page, el);
                match containment(&name, &visible) {
                    Containment::Contains => {}
                    Containment::OnlyWithoutSpaces => {
                        spacing.push(format!("le nom accessible « {name} »"))
                    }
                    Containment::Missing => problems.push(format!("le nom accessible « {name} »")),
                }
            }
            if !title.is_empty() {
                match containment(&title, &visible) {
                    Containment::Contains => {}
                    Containment::OnlyWithoutSpaces => spacing.push(format!("le title « {title} »")),
                    Containment::Missing => problems.push(format!("le title « {title} »")),
                }
            }
            if !problems.is_empty() {
                r.fail(
                    el,
                    format!(
                        "{} ne reprend pas l'intitulé visible « {shown} ».",
                        problems.join(" et ")
                    ),
                );
            } else if !spacing.is_empty() {
                r.cant_tell(
                    el,
                    format!(
                        "{} reprend l'intitulé visible « {shown} » au découpage en mots près : vérifier à l'écran où passent les espaces.",
                        spacing.join(" et ")
                    ),
                );
            } else {
                r.pass(el, "Le nom et le title reprennent l'intitulé visible.");
            }
        }
        r.finish("Aucun lien avec aria-label, aria-labelledby ou title.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_texts() {
        assert!(is_generic("Cliquez ici"));
        assert!(is_generic(" En savoir plus… "));
        assert!(is_generic("Lire la suite"));
        assert!(!is_generic("En savoir plus sur le RSA"));
    }

    /// The comparison without a lower-cased copy answers as lower-casing the whole text
    /// would; that holds while the generic texts are in lower case.
    #[test]
    fn generic_without_copies_as_with() {
        let reference = |text: &str| {
            let t = normalize_space(text).to_lowercase();
            let t = t.trim_matches(|c: char| c == '.' || c == '…' || c == ':' || c.is_whitespace());
            GENERIC_LINK_TEXTS.contains(&t)
        };
        assert!(GENERIC_LINK_TEXTS.iter().all(|g| g.to_lowercase() == *g));
        let texts = [
            "CLIQUEZ ICI",
            "  en\tsavoir\n plus :",
            "…Lire la suite…",
            "Ici.",
            "ICI ?",
            "İci",
            "Détails",
            "DÉTAILS",
            "→",
            ">> ",
            "PLUS D'INFORMATIONS",
            "ΣΑΣ",
            "voir  plus",
            "Voir plus de démarches",
            "",
            "   ",
            "..",
            "Read More",
            "tÉlÉcharger",
            "lien:",
        ];
        for text in texts {
            assert_eq!(is_generic(text), reference(text), "{text:?}");
        }
    }
}
