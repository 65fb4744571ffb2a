//! Default language of the page (RGAA 8.3, 8.4; WCAG 3.1.1). Presence (8.3) and validity (8.4)
//! are two rules, as in ACT, so that an invalid code does not fail 8.3.

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::page::Page;

/// ## Ce que la règle vérifie
/// L'élément `<html>` porte un attribut `lang` (ou `xml:lang`) non vide.
/// ## Pourquoi
/// Les synthèses vocales choisissent la prononciation d'après la langue du document.
/// ## Exemple en échec
/// `<html>` ou `<html lang=" ">`
/// ## Exemple conforme
/// `<html lang="fr">`
/// ## Références
/// RGAA 8.3.1 · WCAG 3.1.1 · ACT b5c3f8
pub struct HtmlLangPresent;

static HTML_LANG_PRESENT: RuleMeta = RuleMeta {
    id: "html-lang",
    title: "Langue par défaut présente",
    description:
        "L'élément html indique la langue par défaut du document (attribut lang non vide).",
    rgaa: &["8.3.1"],
    wcag: &["3.1.1"],
    act: &["b5c3f8"],
    cerfa: &[],
};

impl Rule for HtmlLangPresent {
    fn meta(&self) -> &'static RuleMeta {
        &HTML_LANG_PRESENT
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let root = page.root();
        let e = root.value();
        match e.attr("lang").or_else(|| e.attr("xml:lang")).map(str::trim) {
            None => r.fail(root, "L'élément html n'a pas d'attribut lang."),
            Some("") => r.fail(root, "L'attribut lang de l'élément html est vide."),
            Some(v) => r.pass(root, format!("Langue par défaut indiquée : « {v} ».")),
        }
        r.finish("")
    }
}

/// ## Ce que la règle vérifie
/// Quand l'élément `<html>` porte un attribut `lang` (ou `xml:lang`) non vide, sa valeur est une
/// étiquette de langue BCP 47 bien formée, de langue connue. Sans attribut, la règle ne
/// s'applique pas (voir `html-lang`).
/// ## Pourquoi
/// Un code invalide est ignoré : la synthèse vocale lit le texte avec une mauvaise prononciation.
/// ## Exemple en échec
/// `<html lang="français">`
/// ## Exemple conforme
/// `<html lang="fr">`
/// ## Références
/// RGAA 8.4.1 · WCAG 3.1.1 · ACT bf051a
pub struct HtmlLang;

static HTML_LANG: RuleMeta = RuleMeta {
    id: "html-lang-valid",
    title: "Langue par défaut valide",
    description: "Le code de langue de l'élément html est un code BCP 47 valide.",
    rgaa: &["8.4.1"],
    wcag: &["3.1.1"],
    act: &["bf051a"],
    cerfa: &[],
};

impl Rule for HtmlLang {
    fn meta(&self) -> &'static RuleMeta {
        &HTML_LANG
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let root = page.root();
        let e = root.value();
        let lang = e.attr("lang").or_else(|| e.attr("xml:lang"));
        match lang.map(str::trim) {
            None | Some("") => {}
            Some(v) if !is_valid_bcp47(v) => r.fail(
                root,
                format!("Le code de langue « {v} » n'est pas un code BCP 47 valide."),
            ),
            Some(v) => r.pass(root, format!("Langue par défaut : « {v} ».")),
        }
        r.finish("L'élément html n'a pas de code de langue (voir html-lang).")
    }
}

/// Well-formed BCP 47 with a known-shaped primary subtag (2–3 letters, or i-/x- forms).
/// Registry lookup of every subtag is out of scope; we only accept a primary language subtag
/// from ISO 639-1 style shapes and check the remaining subtags' shapes.
pub fn is_valid_bcp47(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let Some(primary) = parts.next() else {
        return false;
    };
    let p = primary.to_ascii_lowercase();
    if p == "i" {
        // Irregular grandfathered tags: all deprecated except these three.
        let rest = tag[2..].to_ascii_lowercase();
        return matches!(rest.as_str(), "default" | "enochian" | "mingo");
    }
    if p == "x" {
        return parts.clone().next().is_some()
            && parts.all(|s| {
                (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric())
            });
    }
    if !(2..=3).contains(&p.len()) || !p.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    // Primary subtags that are not languages.
    if !is_known_language(&p) {
        return false;
    }
    parts.all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// ISO 639-1 codes plus any 3-letter code (ISO 639-2/3 are too many to list; shape only).
fn is_known_language(p: &str) -> bool {
    if p.len() == 3 {
        // ISO 639-2 codes of languages that have a two-letter code are not registered in the
        // IANA subtag registry ("eng" is not valid, "en" is); other 3-letter codes are accepted
        // on their shape, as the full registry is not embedded.
        const HAS_TWO_LETTER_CODE: &str = "ara chi zho cze ces dan dut nld eng fin fre fra ger deu gre ell heb hin hun ice isl ita jpn kor nor pol por rum ron rus slo slk spa swe tur ukr vie wel cym bre baq eus cat glg gle oci lat";
        return !HAS_TWO_LETTER_CODE.split(' ').any(|c| c == p);
    }
    const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik in io is it iu iw ja ji jv jw ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mo mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";
    ISO_639_1.split(' ').any(|c| c == p)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn bcp47_shapes() {
        for ok in ["fr", "fr-FR", "en-GB", "zh-Hant-TW", "gsw", "x-klingon"] {
            assert!(is_valid_bcp47(ok), "{ok}");
        }
        assert!(is_valid_bcp47("i-default"));
        for bad in [
            "eng",
            "fra",
            "",
            "français",
            "f",
            "fr_FR",
            "xx",
            "12",
            "fr-",
            "english",
            "i-lux",
        ] {
            assert!(!is_valid_bcp47(bad), "{bad}");
        }
    }
}
