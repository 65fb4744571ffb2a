//! Pages built by script: a served HTML "shell" (an empty application root, a `<noscript>`
//! asking for JavaScript, almost no text) whose content only exists once scripts run. vigie reads
//! the page as served, so what such a page lacks (footer links, the FranceConnect button, help)
//! cannot be concluded absent: the criteria that would be « non rempli » become « inconnu ».
//! Here, below both users: the Cerfa evidence reads it, and `--render auto` renders such a page.

use super::{normalize_space, Page};

/// Fewer words than this in the body (scripts aside) and the page is nearly empty.
const SHELL_MAX_WORDS: usize = 30;

/// Ids and attributes that frameworks mount their application on.
const APP_ROOTS: &[&str] = &[
    "#root",
    "#app",
    "#__next",
    "#__nuxt",
    "[data-reactroot]",
    "[ng-version]",
    "[ng-app]",
    "app-root",
];

/// Words of text in the served body outside scripts, counted up to the shell threshold (an
/// explicit stack and an early stop: pages can be deep and long).
fn served_words(body: ego_tree::NodeRef<'_, scraper::Node>) -> usize {
    let mut words = 0;
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        match node.value() {
            scraper::Node::Text(t) => {
                words += t.split_whitespace().count();
                if words >= SHELL_MAX_WORDS {
                    break;
                }
            }
            scraper::Node::Element(e)
                if matches!(e.name(), "script" | "noscript" | "style" | "template") => {}
            _ => stack.extend(node.children()),
        }
    }
    words
}

/// Why the served page looks built by script, or None.
pub fn script_built(page: &Page) -> Option<String> {
    // Without a script nothing will build the page.
    page.select("script").next()?;
    let words = page
        .select("body")
        .next()
        .map_or(0, |body| served_words(*body));
    if words >= SHELL_MAX_WORDS {
        return None;
    }
    let mut markers = Vec::new();
    for sel in APP_ROOTS {
        if page
            .select(sel)
            .any(|root| normalize_space(&root.text().collect::<String>()).is_empty())
        {
            markers.push(format!("racine d'application vide ({sel})"));
        }
    }
    if page.select("noscript").any(|n| {
        n.text()
            .collect::<String>()
            .to_lowercase()
            .contains("javascript")
    }) {
        markers.push("<noscript> demandant JavaScript".to_string());
    }
    if markers.is_empty() {
        return None;
    }
    Some(format!(
        "{words} mot(s) de texte servi, {}",
        markers.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(html: &str) -> Page {
        Page::parse(url::Url::parse("http://t.test/").expect("url"), html)
    }

    #[test]
    fn an_application_shell_is_recognised_and_a_real_page_is_not() {
        let shell = page(
            r#"<!doctype html><html lang="fr"><title>Démarche</title><body>
            <noscript>Vous devez activer JavaScript pour utiliser ce service.</noscript>
            <div id="root"></div><script src="/app.js"></script></body></html>"#,
        );
        let why = script_built(&shell).expect("shell");
        assert!(why.contains("#root"), "{why}");
        assert!(why.contains("noscript"), "{why}");
        // Little text but no application root nor noscript: not concluded.
        let short = page(r#"<body><p>Maintenance en cours.</p><script>x()</script></body>"#);
        assert_eq!(script_built(&short), None);
        // A page with real content and an app root that is filled is not a shell.
        let text = "Faire une demande d'aide au logement en ligne. ".repeat(8);
        let full = page(&format!(
            r#"<body><div id="app"><p>{text}</p></div><script src="/app.js"></script></body>"#
        ));
        assert_eq!(script_built(&full), None);
        // No script at all: nothing will build the page.
        let empty = page(r#"<body><div id="root"></div></body>"#);
        assert_eq!(script_built(&empty), None);
    }
}
