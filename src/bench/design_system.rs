//! Generated pages in the manner of a State design system (the DSFR's shape, not its text):
//! about 30 KB of markup per page (header, navigation, breadcrumb, a form of radios,
//! checkboxes and fields, cards, a long footer) and one shared stylesheet that declares a few
//! hundred custom properties at the root, redeclares some on components, and draws radio
//! circles and link underlines with gradients. What `vigie check` meets on real State sites,
//! where the fixture pages are small and plain.

use std::fmt::Write;

/// Custom properties declared at the root, as a design system's palette and tokens.
const ROOT_PROPERTIES: usize = 400;

/// The shared stylesheet.
pub fn stylesheet() -> String {
    let mut css = String::from(":root {\n");
    for k in 0..ROOT_PROPERTIES {
        let shade = (k * 37) % 200;
        let _ = writeln!(
            css,
            "  --palette-{k}: #{shade:02x}{:02x}{:02x};",
            255 - shade,
            (k * 11) % 256
        );
    }
    for k in 0..ROOT_PROPERTIES / 4 {
        let _ = writeln!(
            css,
            "  --text-{k}: var(--palette-{}); --background-{k}: var(--palette-{});",
            k * 2,
            k * 3 % ROOT_PROPERTIES
        );
    }
    css.push_str(
        "  --text-default: #161616; --text-mention: #666; --background-default: #fff;\n\
         --border-action: #000091; --underline-thickness: calc(0.0625rem * 1);\n}\n\
         html { font-size: 16px } body { color: var(--text-default); background-color: var(--background-default); margin: 0 }\n\
         .ds-header, .ds-footer { --link-color: var(--text-default); padding: 1rem 1.5rem }\n\
         .ds-nav__link { --hover-tint: var(--palette-12); color: var(--link-color); padding: .75rem 1rem }\n\
         .ds-link { --underline-img: linear-gradient(0deg, currentColor, currentColor); color: var(--border-action);\n\
           background-image: var(--underline-img); background-size: 100% var(--underline-thickness);\n\
           background-position: 0 100%; background-repeat: no-repeat }\n\
         .ds-breadcrumb__link { color: var(--text-mention); font-size: .875rem }\n\
         .ds-radio label { display: flex; padding-left: 2rem;\n\
           background-position: calc(-0.25rem + 1px) calc(-0.25rem + 1px); background-size: 1.875rem 1.875rem;\n\
           background-repeat: no-repeat;\n\
           background-image: radial-gradient(transparent 10px, var(--border-action) 11px, transparent 12px) }\n\
         .ds-checkbox label { padding-left: 2rem; --data-uri-svg: none }\n\
         .ds-input { color: var(--text-default); background-color: var(--palette-3); border-radius: .25rem .25rem 0 0 }\n\
         .ds-hint { color: var(--text-mention); font-size: .75rem; display: block }\n\
         .ds-card { --card-shadow: var(--palette-20); background-color: var(--background-default); padding: 2rem }\n\
         .ds-card__title a { color: var(--border-action); font-weight: 700 }\n\
         .ds-card__desc { color: var(--text-mention) }\n\
         .ds-badge { --badge-tint: var(--palette-40); color: #3a3a3a; background-color: #eee; text-transform: uppercase }\n\
         .ds-footer__link { color: var(--text-mention); font-size: .75rem }\n\
         .ds-btn { color: #fff; background-color: var(--border-action); padding: .5rem 1.5rem }\n\
         .ds-btn:hover { background-color: #1212ff } .ds-link:focus-visible { outline: 2px solid #0a76f6 }\n\
         .ds-sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0) }\n\
         @media (min-width: 48em) { .ds-grid { display: flex } .ds-card { padding: 2.5rem } }\n\
         [data-theme=dark] { --text-default: #cecece; --background-default: #161616 }\n",
    );
    for k in 0..120 {
        let _ = writeln!(
            css,
            ".ds-u-{k} {{ --u-{k}: var(--palette-{}); margin-top: {}rem }} .ds-grid > .ds-col-{k} {{ flex: 0 0 {}% }}",
            k % ROOT_PROPERTIES,
            k % 8,
            (k % 12 + 1) * 100 / 12
        );
    }
    css
}

/// The pages the bench times (40, as many for every measure), each at its own address.
pub fn pages() -> Vec<(url::Url, String)> {
    (0..PAGES)
        .filter_map(|i| {
            let url = url::Url::parse(&format!("http://bench.test/p/{i}.html")).ok()?;
            Some((url, page(i)))
        })
        .collect()
}

/// Generated pages per round of the `check` measure.
const PAGES: usize = 40;

/// A page parsed with `css` as every stylesheet it links (`/ds.css`): how the profiling
/// examples prepare what the bench's `check` analyses.
pub fn parsed_with(url: &url::Url, html: &str, css: &std::sync::Arc<String>) -> crate::page::Page {
    let mut page = crate::analyze::parse(url.clone(), html);
    let linked = page
        .stylesheet_links()
        .into_iter()
        .map(|link| (link, css.clone()))
        .collect();
    page.add_linked_stylesheets(linked);
    page
}

/// Page `i`: about 30 KB, linking `/ds.css`.
pub fn page(i: usize) -> String {
    let mut h = String::with_capacity(32 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"fr\" data-theme=\"light\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Démarche {i} - Service public</title><link rel=\"stylesheet\" href=\"/ds.css\"></head><body>\
         <div class=\"ds-skiplinks\"><a class=\"ds-link\" href=\"#contenu\">Contenu</a></div>\
         <header class=\"ds-header\" role=\"banner\"><a class=\"ds-link\" href=\"/\" title=\"Accueil - République Française\">\
         <p class=\"ds-logo\">République<br>Française</p></a><nav class=\"ds-nav\" aria-label=\"Menu principal\"><ul>"
    );
    for n in 0..12 {
        let _ = write!(
            h,
            "<li><a class=\"ds-nav__link ds-u-{n}\" href=\"/rubrique/{n}\">Rubrique {n}</a></li>"
        );
    }
    h.push_str("</ul></nav></header><main id=\"contenu\" role=\"main\"><nav aria-label=\"vous êtes ici :\"><ol>");
    for n in 0..4 {
        let _ = write!(
            h,
            "<li><a class=\"ds-breadcrumb__link\" href=\"/n/{n}\">Niveau {n}</a></li>"
        );
    }
    let _ = write!(
        h,
        "</ol></nav><h1>Demander une aide, démarche {i}</h1><p>Cette démarche en ligne permet de \
         demander une aide. Munissez-vous de votre <abbr title=\"numéro d'inscription au répertoire\">NIR</abbr> \
         et d'un justificatif de domicile de moins de trois mois.</p>\
         <form action=\"/envoyer\" method=\"post\"><fieldset class=\"ds-fieldset\" role=\"group\" aria-labelledby=\"leg-{i}\">\
         <legend id=\"leg-{i}\">Votre situation <span class=\"ds-hint\">Choisissez une réponse</span></legend>"
    );
    for n in 0..6 {
        let _ = write!(
            h,
            "<div class=\"ds-radio ds-u-{n}\"><input type=\"radio\" id=\"r{i}-{n}\" name=\"situation\">\
             <label for=\"r{i}-{n}\">Situation {n} <span class=\"ds-hint\">Précision sur la situation {n}</span></label></div>"
        );
    }
    h.push_str("</fieldset><fieldset><legend>Vos pièces</legend>");
    for n in 0..4 {
        let _ = write!(
            h,
            "<div class=\"ds-checkbox\"><input type=\"checkbox\" id=\"c{i}-{n}\" name=\"piece{n}\">\
             <label for=\"c{i}-{n}\">Pièce justificative {n}</label></div>"
        );
    }
    h.push_str("</fieldset>");
    for (n, (label, auto)) in [
        ("Nom", "family-name"),
        ("Prénom", "given-name"),
        ("Adresse électronique", "email"),
        ("Téléphone", "tel"),
        ("Code postal", "postal-code"),
        ("Commune", "address-level2"),
    ]
    .iter()
    .enumerate()
    {
        let _ = write!(
            h,
            "<div class=\"ds-input-group\"><label class=\"ds-label\" for=\"f{i}-{n}\">{label} \
             <span class=\"ds-hint\">Format attendu : texte</span></label>\
             <input class=\"ds-input\" id=\"f{i}-{n}\" name=\"f{n}\" autocomplete=\"{auto}\" required></div>"
        );
    }
    h.push_str("<button class=\"ds-btn\" type=\"submit\">Envoyer la demande</button></form><div class=\"ds-grid\">");
    for n in 0..36 {
        let _ = write!(
            h,
            "<div class=\"ds-card ds-col-{n}\"><h2 class=\"ds-card__title\"><a href=\"/aide/{i}/{n}\">Aide numéro {n}</a></h2>\
             <p class=\"ds-card__desc\">Description de l'aide {n} : conditions, montant, pièces à fournir et délais \
             de traitement, avec un lien vers la notice.</p><p class=\"ds-badge\">Nouveau</p>\
             <img src=\"/img/{n}.png\" alt=\"\"></div>"
        );
    }
    h.push_str("</div><h2>Questions fréquentes</h2>");
    for n in 0..10 {
        let _ = write!(
            h,
            "<section class=\"ds-accordion\"><h3><button class=\"ds-accordion__btn\" aria-expanded=\"false\" \
             aria-controls=\"faq-{i}-{n}\">Question fréquente numéro {n}</button></h3>\
             <div class=\"ds-collapse\" id=\"faq-{i}-{n}\"><p>Réponse à la question {n} : les délais, \
             les recours possibles et les personnes à contacter si votre situation change.</p></div></section>"
        );
    }
    h.push_str("</main><footer class=\"ds-footer\" role=\"contentinfo\"><ul>");
    for n in 0..80 {
        let _ = write!(
            h,
            "<li><a class=\"ds-footer__link ds-u-{}\" href=\"/pied/{n}\">Lien de pied de page {n}</a></li>",
            n % 120
        );
    }
    h.push_str(
        "</ul><p>Sauf mention explicite de propriété intellectuelle détenue par des tiers, les contenus \
         de ce site sont proposés sous <a class=\"ds-link\" href=\"/licence\">licence etalab-2.0</a></p>\
         <a href=\"/accessibilite\">Accessibilité : partiellement conforme</a></footer></body></html>",
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_the_size_of_a_state_site_page_and_parse() {
        let html = page(3);
        assert!(
            (25_000..40_000).contains(&html.len()),
            "{} bytes",
            html.len()
        );
        let css = stylesheet();
        assert!(css.matches("--palette-").count() >= ROOT_PROPERTIES);
        let page = crate::analyze::parse(
            url::Url::parse("http://bench.test/p/3.html").unwrap(),
            &html,
        );
        assert_eq!(page.stylesheet_links().len(), 1);
    }
}
