//! The pipelines the cargo-fuzz targets in `fuzz/` drive, kept here so that the targets and
//! `tests/fuzz_regressions.rs` replay exactly the same code. Each takes arbitrary bytes and
//! must never panic, overflow the stack or take long; nothing is returned.

use std::sync::Arc;

use url::Url;

use crate::css::Cascaded;
use crate::page::{Page, Stylesheet, StylesheetSource};

/// URL every fuzzed page pretends to come from.
const PAGE_URL: &str = "https://demarche.exemple.fr/formulaire";

fn page_url() -> Option<Url> {
    Url::parse(PAGE_URL).ok()
}

/// Bytes → charset decoding → page model → cascade → every rule. The first byte picks the
/// declared Content-Type, as a server would send it.
/// Every rule on the page. `run_rules` turns a panicking rule into a cantTell "internal error"
/// finding so an audit goes on; here that is a bug, so it panics again for the fuzzer and the
/// regression replay to see.
fn all_rules_without_internal_error(page: &Page) {
    let findings = crate::findings::run_all(page, false);
    if let Some(f) = findings
        .iter()
        .find(|f| f.message.starts_with("Erreur interne de la règle"))
    {
        panic!("la règle {} a paniqué", f.rule);
    }
}

pub fn page_pipeline(data: &[u8]) {
    let (ct, body) = match data.split_first() {
        Some((b, rest)) => (
            match b % 4 {
                0 => None,
                1 => Some("text/html; charset=utf-8"),
                2 => Some("text/html; charset=windows-1252"),
                _ => Some("text/html; charset=x-inconnu"),
            },
            rest,
        ),
        None => (None, data),
    };
    let decoded = crate::crawl::charset::decode(body, ct);
    let Some(url) = page_url() else {
        return;
    };
    let page = Page::parse(url, &decoded.text);
    all_rules_without_internal_error(&page);
    let _ = page.links();
    let _ = page.stylesheet_links();
}

/// A small page with what the cascade and the colour rules look at: inheritance, classes and
/// ids, pseudo-classes, forms with labels, a disabled control, hidden and clipped text, a
/// table, nesting, and an element whose `style` attribute is the fuzzed text.
const STYLESHEET_PAGE_HEAD: &str = r##"<!doctype html>
<html lang="fr" class="js"><head><meta charset="utf-8"><title>Formulaire</title></head>
<body id="corps" class="page theme-sombre">
<header role="banner"><a class="skip" href="#contenu">Aller au contenu</a>
<nav aria-label="Principale"><ul class="menu"><li><a href="/">Accueil</a></li>
<li class="actif"><a href="/demarches" aria-current="page">Démarches</a></li></ul></nav></header>
<main id="contenu"><h1 class="titre">Demande d'aide</h1>
<p class="intro">Texte <strong>important</strong> et <em lang="en">emphasis</em> <small>petit</small>.</p>
<div class="carte" data-etat="ouvert"><div><div><span class="badge">Nouveau</span></div></div>
<p style="color:#777;background:linear-gradient(#fff,#000)">Dégradé</p></div>
<form action="/envoyer"><fieldset><legend>Identité</legend>
<label for="nom">Nom</label><input id="nom" name="nom" type="text" required placeholder="Dupont">
<label><input type="checkbox" name="ok" checked> J'accepte</label>
<select id="choix" aria-labelledby="l-choix"><option>Un</option><option selected>Deux</option></select>
<span id="l-choix">Choix</span>
<button type="submit" disabled class="btn btn-primaire">Envoyer</button>
<textarea id="msg" aria-describedby="aide"></textarea><p id="aide" hidden>Aide</p>
</fieldset></form>
<table class="donnees"><caption>Tarifs</caption><tr><th scope="col">Âge</th><th>Prix</th></tr>
<tr><td>12</td><td>3 €</td></tr><tr class="impair"><td>18</td><td>5 €</td></tr></table>
<p class="sr-only" style="position:absolute;clip:rect(0 0 0 0)">Invisible</p>
<p id="inline" style=""##;

const STYLESHEET_PAGE_TAIL: &str = r##"">Texte stylé par l'attribut</p>
<svg role="img" aria-label="Logo"><text>RF</text></svg>
<a href="/aide" title="Aide en ligne"><img src="a.png" alt="">Aide</a>
</main><footer><p>Pied de page <a href="/mentions">Mentions légales</a></p></footer>
</body></html>"##;

/// Bytes → CSS text → stylesheet parsing (rules, `@media`, `@layer`…) and the cascade over a
/// fixed page (selector matching, values, colours, contrast), then every rule. The same text
/// also feeds the `style` attribute of one element and the standalone value parsers.
pub fn stylesheet_pipeline(data: &[u8]) {
    let css = String::from_utf8_lossy(data);
    let first_line = css.lines().next().unwrap_or_default();
    // Standalone parsers, on the first line (as a media attribute or a property value).
    let _ = crate::css::media::evaluate(first_line);
    let _ = crate::css::parse_color(first_line);
    let _ = crate::css::values::length_px(first_line, Some(16.0), Some(16.0));
    let _ = crate::css::values::font_size_px(first_line, Some(16.0), Some(16.0));
    let _ = crate::css::values::font_weight(first_line, Some(400));
    let _ = crate::css::values::split_font_shorthand(first_line);
    let _ = crate::css::values::parse_background(first_line);
    let _ = crate::css::values::gradient_stops(first_line);
    let _ = crate::css::values::clip_hides(Some(first_line), Some(first_line));
    let _ = crate::css::sheet::parse_declarations(&css);

    let mut html = String::with_capacity(
        STYLESHEET_PAGE_HEAD.len() + STYLESHEET_PAGE_TAIL.len() + css.len() * 2,
    );
    html.push_str(STYLESHEET_PAGE_HEAD);
    for c in css.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '"' => html.push_str("&quot;"),
            _ => html.push(c),
        }
    }
    html.push_str(STYLESHEET_PAGE_TAIL);
    let Some(url) = page_url() else {
        return;
    };
    let mut page = Page::parse(url, &html);
    page.stylesheets = vec![
        Stylesheet {
            source: StylesheetSource::StyleElement,
            media: None,
            text: Arc::new(css.to_string()),
        },
        // The first line as a `media` attribute on a small second sheet.
        Stylesheet {
            source: StylesheetSource::Linked("https://demarche.exemple.fr/print.css".into()),
            media: Some(first_line.to_string()),
            text: Arc::new("p { color: #000; background: #fff }".to_string()),
        },
    ];
    let styles = page.styles();
    for node in page.dom.tree.nodes() {
        if let Some(el) = crate::page::ElementRef::wrap(node) {
            if let Some(c) = styles.get(el) {
                let _ = c.text_colors();
                let _ = c.gradient_bounds();
            }
        }
    }
    all_rules_without_internal_error(&page);
}

/// Bytes → HTML (lossy UTF-8) → page model → accessible name, role, hidden and focusable
/// state of every element (aria-labelledby chains, labels, name from content).
pub fn accname_pipeline(data: &[u8]) {
    let html = String::from_utf8_lossy(data);
    let Some(url) = page_url() else {
        return;
    };
    let page = Page::parse(url, &html);
    for node in page.dom.tree.nodes() {
        if let Some(el) = crate::page::ElementRef::wrap(node) {
            let _ = crate::a11y::accessible_name(&page, el);
            let _ = crate::a11y::role_of(el);
            let _ = crate::a11y::resolved_role(el);
            let _ = crate::a11y::is_hidden_from_at(&page, el);
            let _ = crate::a11y::is_focusable(el);
            let _ = crate::a11y::is_tabbable(el);
        }
    }
}
