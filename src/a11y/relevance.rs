//! What can be said of a name's relevance from its text alone. Relevance (« pertinence ») is a
//! human judgement in RGAA; one case is mechanical: a name without a single letter or digit.
//!
//! RGAA 4.1.2, particular cases of tests 6.1.5, 7.1.3, 11.2.5 and 11.9.2: when visible text
//! « sert de symbole », the name « ne doit pas être interprété littéralement » but « doit exprimer
//! la fonction véhiculée par le symbole » (« > » named « Suivant »); only a mathematical
//! expression may keep its symbols, and it has letters or digits (« A>B »). A name made only of
//! punctuation and symbols (`--//--`, `-->;*`, `»`, `×`) is therefore the symbol taken
//! literally: it expresses no function nor destination (glossary « Intitulé (ou nom accessible)
//! de lien »: it must let one understand « la fonction et la destination »), and screen readers
//! at their default punctuation level read most of it as nothing.

/// Whether a non-empty name has no letter and no digit (any script): only punctuation,
/// symbols, emoji or spaces. An empty name is `false` (missing names are judged elsewhere).
pub fn has_no_word(name: &str) -> bool {
    !name.trim().is_empty() && !name.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_without_letters_or_digits() {
        for bad in ["--//--", "-->;*", "»", "×", " ... ", "→", "+"] {
            assert!(has_no_word(bad), "{bad}");
        }
        for ok in [
            "",
            "  ",
            "A>B",
            "Étape 2",
            "π",
            "1",
            "Ελληνικά",
            "> Suivant",
        ] {
            assert!(!has_no_word(ok), "{ok}");
        }
    }
}
