//! Consultation (RGAA 13): meta refresh and redirects, moving or blinking content, downloads.

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::{accessible_name, is_hidden_from_at};
use crate::page::Attribute;
use crate::page::{normalize_space, ElementRef, Page};

/// Delays of 20 hours or more are exempt (WCAG 2.2.1, RGAA 13.1.1).
const TWENTY_HOURS_S: u64 = 72_000;

/// A parsed `<meta http-equiv=refresh content>`.
#[derive(Debug, Clone, PartialEq)]
struct Refresh {
    delay_s: u64,
    url: Option<String>,
}

/// Parse a refresh `content` the way HTML's "shared declarative refresh steps" do; `None` when
/// the value is invalid (the browser ignores it).
fn parse_refresh(content: &str) -> Option<Refresh> {
    let s = content.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    let mut rest = &s[digits.len()..];
    if digits.is_empty() && !rest.starts_with('.') {
        return None;
    }
    // The fractional part is ignored.
    rest = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let delay_s = if digits.is_empty() {
        0
    } else {
        digits.parse::<u64>().unwrap_or(u64::MAX)
    };
    if rest.is_empty() {
        return Some(Refresh { delay_s, url: None });
    }
    let first = rest.chars().next()?;
    if !(first == ';' || first == ',' || first.is_ascii_whitespace()) {
        return None;
    }
    let mut u = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
    u = u.strip_prefix([';', ',']).unwrap_or(u);
    u = u.trim_start_matches(|c: char| c.is_ascii_whitespace());
    // `get` and not `[..3]`: the 3rd byte may fall inside a multi-byte character (found by
    // fuzzing: "0; U" followed by non-ASCII text).
    if u.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("url")) {
        let after = u[3..].trim_start_matches(|c: char| c.is_ascii_whitespace());
        if let Some(a) = after.strip_prefix('=') {
            u = a.trim_start_matches(|c: char| c.is_ascii_whitespace());
        }
    }
    let u = u.trim_matches(|c| c == '\'' || c == '"').trim();
    Some(Refresh {
        delay_s,
        url: (!u.is_empty()).then(|| u.to_string()),
    })
}

/// The first valid refresh declaration of the page (browsers act on that one only).
fn first_refresh(page: &Page) -> Option<(ElementRef<'_>, Refresh)> {
    page.select("meta[http-equiv]")
        .filter(|m| {
            m.value()
                .attribute("http-equiv")
                .map(|v| v.trim().eq_ignore_ascii_case("refresh"))
                .unwrap_or(false)
        })
        .find_map(|m| {
            m.value()
                .attribute("content")
                .and_then(parse_refresh)
                .map(|r| (m, r))
        })
}

/// Whether the refresh leads to another page (a redirect) rather than reloading this one.
fn is_redirect(page: &Page, r: &Refresh) -> bool {
    match &r.url {
        None => false,
        Some(u) => match page.resolve(u) {
            Some(mut target) => {
                target.set_fragment(None);
                let mut here = page.url.clone();
                here.set_fragment(None);
                target != here
            }
            None => true,
        },
    }
}

/// ## Ce que la règle vérifie
/// La première balise `<meta http-equiv="refresh">` valide de la page ne recharge ni ne
/// redirige la page après un délai : un délai de 0 (redirection immédiate) ou de 20 heures au
/// moins est accepté ; tout délai entre les deux est un échec. Chaque résultat cite le test
/// qu'il décide : une redirection vers une autre page relève du test 13.1.2, un rechargement
/// de la page (sans URL, ou vers elle-même) du test 13.1.1. Les redirections par script (13.1.3)
/// et les limites de session (13.1.4) sont laissées à un humain.
/// ## Pourquoi
/// Un rechargement ou une redirection différés interrompent la lecture et la saisie, sans que
/// l'utilisateur puisse les arrêter.
/// ## Exemple en échec
/// `<meta http-equiv="refresh" content="30; URL='/accueil'">`
/// ## Exemple conforme
/// `<meta http-equiv="refresh" content="0; URL='/accueil'">`
/// ## Références
/// RGAA 13.1.1, 13.1.2 · WCAG 2.2.1, 3.2.5 · ACT bc659a, bisz58
pub struct MetaRefresh;

static META_REFRESH: RuleMeta = RuleMeta {
    id: "meta-refresh",
    title: "Pas de rafraîchissement ni de redirection différés",
    description: "Une balise meta refresh ne recharge ni ne redirige la page après un délai (0 ou plus de 20 heures seulement).",
    rgaa: &["13.1.1", "13.1.2"],
    wcag: refs!["2.2.1", "3.2.5"],
    act: refs!["bc659a", "bisz58"],
    cerfa: &[16],
};

impl Rule for MetaRefresh {
    fn meta(&self) -> &'static RuleMeta {
        &META_REFRESH
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        if let Some((el, refresh)) = first_refresh(page) {
            // A redirect to another page is test 13.1.2; a reload of the page, 13.1.1.
            let (what, test) = if is_redirect(page, &refresh) {
                ("Redirection", "13.1.2")
            } else {
                ("Rafraîchissement", "13.1.1")
            };
            if refresh.delay_s == 0 {
                r.pass(el, format_args!("{what} immédiat(e), sans délai."));
            } else if refresh.delay_s <= TWENTY_HOURS_S {
                r.fail(
                    el,
                    format!(
                        "{what} automatique après {} s : l'utilisateur ne peut pas l'arrêter ; rediriger côté serveur ou supprimer le délai.",
                        refresh.delay_s
                    ),
                );
            } else {
                r.pass(el, format_args!("{what} après plus de 20 heures."));
            }
            r.with_tests(&[test]);
            r.with_details(serde_json::json!({ "delay_s": refresh.delay_s, "url": refresh.url }));
        }
        r.finish("Aucune balise meta refresh valide.")
    }
}

/// ## Ce que la règle vérifie
/// Une redirection par `<meta http-equiv="refresh">` vers une autre page est immédiate (délai
/// 0) : le RGAA (13.1.2) n'admet pas d'exception de 20 heures pour les redirections. Les délais
/// de moins de 20 heures sont signalés par `meta-refresh` ; cette règle signale les plus longs.
/// ## Pourquoi
/// Une redirection différée déplace l'utilisateur sans son accord.
/// ## Exemple en échec
/// `<meta http-equiv="refresh" content="86400; URL='/nouvelle-adresse'">`
/// ## Exemple conforme
/// `<meta http-equiv="refresh" content="0; URL='/nouvelle-adresse'">`
/// ## Références
/// RGAA 13.1.2 · WCAG 3.2.5 · ACT bisz58
pub struct MetaRedirectLongDelay;

static META_REDIRECT_LONG_DELAY: RuleMeta = RuleMeta {
    id: "meta-redirect-long-delay",
    title: "Redirection meta immédiate",
    description: "Une redirection par meta refresh vers une autre page est immédiate, même au-delà de 20 heures de délai.",
    rgaa: &["13.1.2"],
    wcag: refs!["3.2.5"],
    act: refs!["bisz58"],
    cerfa: &[16],
};

impl Rule for MetaRedirectLongDelay {
    fn meta(&self) -> &'static RuleMeta {
        &META_REDIRECT_LONG_DELAY
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        if let Some((el, refresh)) = first_refresh(page) {
            if is_redirect(page, &refresh) {
                if refresh.delay_s > TWENTY_HOURS_S {
                    r.fail(el, format!("Redirection différée de {} s : une redirection meta doit être immédiate.", refresh.delay_s));
                } else {
                    // Shorter delays are meta-refresh's findings; this rule only adds long ones.
                    r.pass(el, "Redirection sans délai de plus de 20 heures.");
                }
            }
        }
        r.finish("Aucune redirection par meta refresh.")
    }
}

/// ## Ce que la règle vérifie
/// La page n'utilise pas les éléments `<blink>` ni `<marquee>` : leur mouvement ou leur
/// clignotement ne peut pas être arrêté par l'utilisateur.
/// ## Pourquoi
/// Un contenu qui bouge ou clignote sans contrôle gêne la lecture et l'attention.
/// ## Exemple en échec
/// `<marquee>Fermeture exceptionnelle lundi</marquee>`
/// ## Exemple conforme
/// `<p>Fermeture exceptionnelle lundi</p>`
/// ## Références
/// RGAA 13.8.1, 13.8.2 · WCAG 2.2.2
pub struct BlinkMarquee;

static BLINK_MARQUEE: RuleMeta = RuleMeta {
    id: "blink-marquee",
    title: "Pas de texte défilant ou clignotant incontrôlable",
    description:
        "La page n'utilise ni <blink> ni <marquee>, dont le mouvement ne peut pas être arrêté.",
    rgaa: &["13.8.1", "13.8.2"],
    wcag: refs!["2.2.2"],
    act: refs![],
    cerfa: &[16],
};

impl Rule for BlinkMarquee {
    fn meta(&self) -> &'static RuleMeta {
        &BLINK_MARQUEE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("blink, marquee") {
            if is_hidden_from_at(page, el) {
                continue;
            }
            r.fail(el, format!("Élément <{}> : son mouvement ne peut pas être arrêté ; utiliser un texte fixe.", el.value().name()));
        }
        if r.is_empty() {
            // The whole page is the target: nothing moves by markup.
            r.pass(page.root(), "Aucun élément <blink> ni <marquee>.");
        }
        r.finish("")
    }
}

/// Extensions of office documents and archives offered for download.
const DOC_EXTENSIONS: &[&str] = &[
    "pdf", "doc", "docx", "odt", "ods", "odp", "xls", "xlsx", "ppt", "pptx", "rtf", "csv", "zip",
    "7z", "rar", "epub",
];

fn doc_extension(href: &str) -> Option<String> {
    let path = href.split(['?', '#']).next().unwrap_or("");
    let last = path.rsplit('/').next().unwrap_or("");
    let (_, ext) = last.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    DOC_EXTENSIONS.contains(&ext.as_str()).then_some(ext)
}

/// Whether the text names a size ("1,2 Mo", "350 ko", "2 MB").
fn mentions_size(text: &str) -> bool {
    let lower = text.to_lowercase();
    let units = [
        "ko", "mo", "go", "kb", "mb", "gb", "octets", "bytes", "kio", "mio",
    ];
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '-' || c == '–')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_end_matches([',', ';', '.', ']']);
        // "1,2mo" glued, or "1,2" followed by "mo"
        let digits_end = w
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == ',' || *c == '.'))
            .map(|(i, _)| i)
            .unwrap_or(w.len());
        if digits_end == 0 {
            continue;
        }
        let unit = &w[digits_end..];
        if units.contains(&unit) {
            return true;
        }
        if unit.is_empty() {
            if let Some(next) = words.get(i + 1) {
                if units.contains(&next.trim_end_matches([',', ';', '.', ']'])) {
                    return true;
                }
            }
        }
    }
    false
}

/// Whether the text names the format ("PDF", "format ODT").
fn mentions_format(text: &str, ext: &str) -> bool {
    let lower = text.to_lowercase();
    let aliases: &[&str] = match ext {
        "doc" | "docx" => &["doc", "docx", "word"],
        "xls" | "xlsx" => &["xls", "xlsx", "excel"],
        "ppt" | "pptx" => &["ppt", "pptx", "powerpoint"],
        "odt" | "ods" | "odp" => &["odt", "ods", "odp", "opendocument", "libreoffice"],
        _ => &[],
    };
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.contains(&ext) || aliases.iter().any(|a| words.contains(a))
}

/// ## Ce que la règle vérifie
/// Chaque lien vers un document à télécharger (PDF, bureautique, archive) indique dans son
/// intitulé ou son `title` le format et le poids du fichier (« PDF, 1,2 Mo »). Aucun des deux :
/// échec ; un seul : « à vérifier ». Le RGAA 4.1.2 ne l'exige plus (c'était le RGAA 3) : c'est une
/// bonne pratique rattachée au critère Cerfa 21 (documents dans des formats ouverts et annoncés).
/// ## Pourquoi
/// L'usager doit savoir, avant de cliquer, quel logiciel ouvrira le fichier et combien il pèse.
/// ## Exemple en échec
/// `<a href="/formulaire.pdf">Formulaire de demande</a>`
/// ## Exemple conforme
/// `<a href="/formulaire.pdf">Formulaire de demande (PDF, 1,2 Mo)</a>`
/// ## Références
/// RGAA 3 13.3 (abrogé) · Cerfa 21
pub struct DownloadLinkInfo;

static DOWNLOAD_LINK_INFO: RuleMeta = RuleMeta {
    id: "download-link-info",
    title: "Lien de téléchargement avec format et poids",
    description: "Chaque lien vers un document à télécharger annonce son format et son poids (bonne pratique, hors RGAA 4.1.2).",
    rgaa: &[],
    wcag: refs![],
    act: refs![],
    cerfa: &[21],
};

impl Rule for DownloadLinkInfo {
    fn meta(&self) -> &'static RuleMeta {
        &DOWNLOAD_LINK_INFO
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("a[href]") {
            let Some(ext) = el.value().attribute("href").and_then(doc_extension) else {
                continue;
            };
            if is_hidden_from_at(page, el) {
                continue;
            }
            let text = format!(
                "{} {}",
                accessible_name(page, el),
                el.value()
                    .attribute("title")
                    .map(normalize_space)
                    .unwrap_or_default()
            );
            let format_ok = mentions_format(&text, &ext);
            let size_ok = mentions_size(&text);
            let upper = ext.to_ascii_uppercase();
            match (format_ok, size_ok) {
                (true, true) => r.pass(el, format_args!("Format et poids annoncés ({upper}).")),
                (false, false) => r.fail(el, format!("Lien de téléchargement ({upper}) sans format ni poids : ajouter par exemple « ({upper}, 1,2 Mo) » à l'intitulé.")),
                (true, false) => r.cant_tell(el, format!("Lien de téléchargement : format {upper} annoncé, poids absent.")),
                (false, true) => r.cant_tell(el, format!("Lien de téléchargement : poids annoncé, format {upper} absent.")),
            }
        }
        r.finish("Aucun lien vers un document à télécharger.")
    }
}

/// ## Ce que la règle vérifie
/// Aucune nouvelle fenêtre n'est ouverte sans action de l'utilisateur : `window.open` dans
/// l'attribut `onload` de `body` ou de `frameset` est en échec ; un appel à `window.open` dans un
/// script de la page hors de tout gestionnaire d'événement visible est « à vérifier » (un
/// script peut aussi bien l'exécuter au chargement que sur un clic).
/// ## Pourquoi
/// Une fenêtre surgissante déplace le focus et désoriente, surtout avec un lecteur d'écran.
/// ## Exemple en échec
/// `<body onload="window.open('pub.html')">`
/// ## Exemple conforme
/// `<button onclick="window.open('aide.html')">Aide (nouvelle fenêtre)</button>`
/// ## Références
/// RGAA 13.2.1 · WCAG 3.2.1
pub struct NoPopupOnLoad;

static NO_POPUP_ON_LOAD: RuleMeta = RuleMeta {
    id: "no-popup-on-load",
    title: "Pas de fenêtre ouverte sans action de l'utilisateur",
    description: "Aucune nouvelle fenêtre n'est ouverte au chargement de la page.",
    rgaa: &["13.2.1"],
    wcag: refs!["3.2.1"],
    act: refs![],
    cerfa: &[],
};

fn opens_window(code: &str) -> bool {
    let c: String = code
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    c.contains("window.open(") || c.contains("self.open(")
}

impl Rule for NoPopupOnLoad {
    fn meta(&self) -> &'static RuleMeta {
        &NO_POPUP_ON_LOAD
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("body[onload], frameset[onload]") {
            if el.value().attribute("onload").is_some_and(opens_window) {
                r.fail(
                    el,
                    "Une fenêtre est ouverte au chargement de la page (window.open dans onload).",
                );
            } else {
                r.pass(el, "Le gestionnaire onload n'ouvre pas de fenêtre.");
            }
        }
        for el in page.select("script:not([src])") {
            let code: String = el.text().collect();
            if opens_window(&code) {
                r.cant_tell(
                    el,
                    "Un script appelle window.open : vérifier que la fenêtre ne s'ouvre qu'à la demande de l'utilisateur.",
                );
            }
        }
        // Scripts loaded from files are not read: no target means nothing decidable here.
        r.finish("Aucune ouverture de fenêtre détectée dans le balisage.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_parsing_follows_html() {
        // A multi-byte character where "url" would be: no panic, the text is the URL.
        assert_eq!(
            parse_refresh("0; Uæ=x"),
            Some(Refresh {
                delay_s: 0,
                url: Some("Uæ=x".into())
            })
        );
        assert_eq!(
            parse_refresh("30"),
            Some(Refresh {
                delay_s: 30,
                url: None
            })
        );
        assert_eq!(
            parse_refresh("30; URL='https://w3.org'"),
            Some(Refresh {
                delay_s: 30,
                url: Some("https://w3.org".into())
            })
        );
        assert_eq!(parse_refresh("0: https://w3.org"), None);
        assert_eq!(parse_refresh("; 30"), None);
        assert_eq!(parse_refresh(""), None);
        assert_eq!(parse_refresh("+5; x"), None);
        assert_eq!(parse_refresh("foo; URL='x'"), None);
        assert_eq!(parse_refresh("-00.12 foo"), None);
        assert_eq!(
            parse_refresh(".5"),
            Some(Refresh {
                delay_s: 0,
                url: None
            })
        );
        assert_eq!(
            parse_refresh("5, /a").map(|r| r.url),
            Some(Some("/a".into()))
        );
    }

    #[test]
    fn size_and_format_mentions() {
        assert!(mentions_size("Formulaire (PDF, 1,2 Mo)"));
        assert!(mentions_size("Notice 350ko"));
        assert!(!mentions_size("Formulaire 2024"));
        assert!(mentions_format("Formulaire (PDF, 1,2 Mo)", "pdf"));
        assert!(mentions_format("Tableau Excel", "xlsx"));
        assert!(!mentions_format("Formulaire de demande", "pdf"));
    }
}
