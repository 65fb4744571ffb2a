//! Information given by colour alone (RGAA 3.1; WCAG 1.4.1).

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::is_hidden_from_at;
use crate::format::truncate_chars;
use crate::page::{normalize_space, normalized_text_of, ElementRef, Page};

/// Sentences that point at content by its colour ("les champs en rouge", "in green").
fn colour_reference() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(en|de couleur|in|colou?red)\s+(rouge|vert|verte|bleu|bleue|orange|jaune|gris|grise|violet|red|green|blue|orange|yellow|grey|gray)s?\b|\b(rouges?|verts?|vertes?)\s+(sont|est|indiquent?|signalent?)\b|\b(couleur|colou?r)\s+(rouge|verte?|bleue?|orange)\b")
            .expect("valid colour regex")
    })
}

/// Whether a text holds one of the words that every match of [`colour_reference`] holds:
/// plain literals in any ASCII case, found by one automaton, where the full pattern's Unicode
/// word boundaries make the regex engine slow on every text of the page (and even a regex of
/// literals cost two thousand instructions a text). `gri` stands for `gris`: the pattern's
/// case-insensitive `s` also matches the long `ſ`; its other letters have no case outside ASCII.
///
/// The text is lower-cased (ASCII only) into `lower`, which the caller keeps between texts,
/// and searched for the lower-case words: the automaton's case-insensitive search reads every
/// byte, where this one skips ahead on the words' bytes (16 µs against 3 on a page's texts).
fn names_a_colour(text: &str, lower: &mut String) -> bool {
    static WORDS: OnceLock<Option<aho_corasick::AhoCorasick>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build([
                "rouge", "vert", "bleu", "orange", "jaune", "gri", "violet", "red", "green",
                "blue", "yellow", "grey", "gray",
            ])
            .ok()
    });
    lower.clear();
    lower.push_str(text);
    lower.make_ascii_lowercase();
    // Built from constant words it cannot fail; were it to, every text is read in full.
    words.as_ref().is_none_or(|w| w.is_match(lower.as_str()))
}

/// Another cue named in the same sentence (asterisk, icon, bold, text mention).
fn other_cue() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\*|astérisque|asterisk|icône|icone|pictogramme|symbole|gras|soulign|mention|\(obligatoire\)|bold|underlin|icon")
            .expect("valid cue regex")
    })
}

/// ## Ce que la règle vérifie
/// Un texte qui désigne du contenu par sa couleur (« les champs en rouge sont obligatoires »,
/// « les dates en vert sont disponibles ») est « à vérifier » : l'information doit aussi être
/// donnée autrement (texte, astérisque, icône). Si la même phrase nomme un autre moyen
/// (« en rouge et marqués d'un astérisque »), la règle est satisfaite.
/// ## Pourquoi
/// Les personnes daltoniennes ou aveugles ne perçoivent pas la couleur.
/// ## Exemple en échec
/// `<p>Les champs en rouge sont obligatoires.</p>`
/// ## Exemple conforme
/// `<p>Les champs obligatoires sont marqués d'un astérisque (*) et en rouge.</p>`
/// ## Références
/// RGAA 3.1.1, 3.1.2 · WCAG 1.4.1
pub struct ColourOnlyInfo;

static COLOUR_ONLY_INFO: RuleMeta = RuleMeta {
    id: "colour-only-info",
    title: "Information pas seulement par la couleur",
    description: "Un texte qui désigne du contenu par sa couleur est à vérifier, sauf s'il nomme aussi un autre moyen.",
    rgaa: &["3.1.1", "3.1.2"],
    wcag: refs!["1.4.1"],
    act: refs![],
    cerfa: &[16],
};

impl Rule for ColourOnlyInfo {
    fn meta(&self) -> &'static RuleMeta {
        &COLOUR_ONLY_INFO
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let mut lower = String::new();
        for el in page.select("p, li, label, legend, span, div, td, dd, small, em, strong") {
            // The innermost element holding the sentence: skip containers of a matching child.
            let mut texts = el.children().filter_map(|c| c.value().as_text());
            // Most elements hold one text: read in place, not copied.
            let own_text: Cow<'_, str> = match (texts.next(), texts.next()) {
                (None, _) => continue,
                (Some(only), None) => Cow::Borrowed(&**only),
                (Some(a), Some(b)) => {
                    let mut all = format!("{}{}", &**a, &**b);
                    texts.for_each(|t| all.push_str(t));
                    Cow::Owned(all)
                }
            };
            // Most texts name no colour: nothing to normalise for them.
            if !names_a_colour(&own_text, &mut lower) {
                continue;
            }
            let text = normalize_space(&own_text);
            if text.is_empty() || !colour_reference().is_match(&text) {
                continue;
            }
            if is_hidden_from_at(page, el) || has_ancestor_in(el, &["script", "style", "template"])
            {
                continue;
            }
            let full = normalized_text_of(el);
            if other_cue().is_match(&full) {
                r.pass(el, "Couleur mentionnée avec un autre moyen de repérage.");
            } else {
                r.cant_tell(el, format!("« {} » : information donnée par la couleur ; vérifier qu'un autre moyen la transmet.", truncate_chars(&full, 121)));
            }
        }
        r.finish("Aucune mention d'information par la couleur.")
    }
}

fn has_ancestor_in(el: ElementRef<'_>, tags: &[&str]) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| tags.contains(&a.value().name()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_phrases() {
        assert!(colour_reference().is_match("Les champs en rouge sont obligatoires"));
        assert!(colour_reference().is_match("Les dates en vert sont disponibles"));
        assert!(colour_reference().is_match("Fields in red are required"));
        assert!(!colour_reference().is_match("Le Chaperon rouge"));
        assert!(!colour_reference().is_match("Rendez-vous en ligne"));
    }

    /// Every branch of the full pattern names one of the colour words, in any case.
    #[test]
    fn colour_words_are_in_every_colour_reference() {
        for text in [
            "Les champs en ROUGE sont obligatoires",
            "de couleur verte",
            "Fields coloured Gray",
            "Fields in YELLOW",
            "les verts indiquent",
            "Vertes sont",
            "couleur Orange",
            "colour bleue",
            "in blue",
            "en violet",
            "en grises",
        ] {
            assert!(colour_reference().is_match(text), "{text}");
            assert!(names_a_colour(text, &mut String::new()), "{text}");
        }
        assert!(colour_reference().is_match("en griſ"));
        assert!(names_a_colour("en griſ", &mut String::new()));
        assert!(!names_a_colour("Rendez-vous en ligne", &mut String::new()));
        // The buffer is the caller's between texts: nothing of one stays for the next.
        let mut lower = String::new();
        assert!(names_a_colour("Texte VERT", &mut lower));
        assert!(!names_a_colour("Texte", &mut lower));
    }
}
