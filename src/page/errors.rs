//! Parser errors with their token (html5ever's exact errors), in a compact form: the validator
//! needs to know *which* tag was unexpected (an `<a>` inside an `<a>` is one), but the exact
//! messages carry every attribute of the token.

use html5ever::driver::ParseOpts;
use html5ever::tendril::TendrilSink;
use html5ever::tokenizer::TokenizerOpts;
use html5ever::tree_builder::TreeBuilderOpts;
use scraper::{Html, HtmlTreeSink};

/// Longest message kept (hostile pages can produce many errors).
const MAX_MESSAGE: usize = 160;

/// Parse a document like `Html::parse_document`, with exact error messages.
pub fn parse_document(html: &str) -> Html {
    let opts = ParseOpts {
        tokenizer: TokenizerOpts {
            exact_errors: true,
            ..TokenizerOpts::default()
        },
        tree_builder: TreeBuilderOpts {
            exact_errors: true,
            ..TreeBuilderOpts::default()
        },
    };
    html5ever::driver::parse_document(HtmlTreeSink::new(Html::new_document()), opts).one(html)
}

/// "Unexpected token Tag { kind: StartTag, name: Atom('a' type=static), … } in insertion mode
/// InBody" → "Unexpected token <a> in insertion mode InBody"; other messages are capped.
pub fn compact(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("Unexpected token Tag {") {
        let end = rest.contains("kind: EndTag");
        let name = rest
            .split_once("name: Atom(")
            .map(|(_, n)| n.trim_start_matches(['\\', '\'']))
            .and_then(|n| n.split(['\\', '\'', ' ']).next())
            .unwrap_or("?");
        let mode = message
            .rsplit_once(" in insertion mode ")
            .map(|(_, m)| format!(" in insertion mode {m}"))
            .unwrap_or_default();
        return format!(
            "Unexpected token <{}{name}>{mode}",
            if end { "/" } else { "" }
        );
    }
    if message.chars().count() <= MAX_MESSAGE {
        return message.to_string();
    }
    let mut s: String = message.chars().take(MAX_MESSAGE).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_named_and_attributes_dropped() {
        let dom = parse_document(
            "<!DOCTYPE html><html><body><a href=\"/x\" class=\"long\">un <a href=\"/y\">deux</a></a></body></html>",
        );
        let errors: Vec<String> = dom.errors.iter().map(|e| compact(e)).collect();
        assert!(
            errors.contains(&"Unexpected token <a> in insertion mode InBody".to_string()),
            "{errors:?}"
        );
        assert_eq!(compact("No <p> tag to close"), "No <p> tag to close");
        assert_eq!(compact(&"x".repeat(500)).chars().count(), MAX_MESSAGE + 1);
    }
}
