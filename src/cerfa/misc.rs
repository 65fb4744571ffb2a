//! Evidence for the "other" criteria: responsive (1), step indicator (4), address fields (9),
//! field hints (12), DSFR markers (20), open standards (21), trackers (23), follow-up (29),
//! satisfaction (30), statistics (31), indexability (32), demonstration (35).

use crate::page::Attribute;
use std::collections::HashSet;
use std::sync::{LazyLock, OnceLock};

use regex::Regex;
use scraper::Node;
use serde::{Deserialize, Serialize};

use super::keywords::Keywords;
use super::{data, fold, LinkRef};
use crate::format::find_ignore_ascii_case;
use crate::page::{text_of, ElementRef, Page, SheetsMemo, Stylesheet, Target};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Responsive {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewport: Option<String>,
    pub device_width: bool,
    pub zoom_locked: bool,
    pub media_queries: bool,
    /// A fixed page width beyond the threshold ("table width=780", "body { width: 960px }").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_width: Option<String>,
    /// The page on an emulated phone (rendered pages only): what the browser measured wins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<crate::page::browser_layout::PhoneFacts>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AddressField {
    pub selector: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autocomplete: Option<String>,
    /// Labelled and with an address autocomplete token.
    pub ok: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct FormFacts {
    /// Input fields outside login and search forms.
    pub fields: usize,
    pub fields_with_hint: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_indicator: Option<String>,
    pub back_link: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address_fields: Vec<AddressField>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct KeywordLink {
    /// "suivi", "avis", "resultats_satisfaction", "statistiques", "demonstration",
    /// "donnees_personnelles", "cookies", "homologation".
    pub kind: String,
    #[serde(flatten)]
    pub link: LinkRef,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Misc {
    pub responsive: Responsive,
    pub form: FormFacts,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dsfr_markers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trackers: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub noindex: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keyword_links: Vec<KeywordLink>,
    pub open_documents: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closed_documents: Vec<String>,
    pub doctype_html5: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta_charset: Option<String>,
}

fn regex(cell: &'static OnceLock<Regex>, p: &str) -> &'static Regex {
    cell.get_or_init(|| match Regex::new(p) {
        Ok(r) => r,
        Err(e) => panic!("invalid built-in regex {p:?}: {e}"),
    })
}

fn responsive(page: &Page) -> Responsive {
    let t = &data::criteria().thresholds;
    let mut r = Responsive {
        phone: page
            .browser
            .as_ref()
            .and_then(|b| b.layout.as_ref())
            .and_then(|l| l.phone.as_ref())
            .map(|p| p.summary(5)),
        ..Responsive::default()
    };
    if let Some(v) = page
        .select("meta[name=viewport i]")
        .next()
        .and_then(|m| m.value().attribute("content"))
    {
        let c = v.to_ascii_lowercase().replace(' ', "");
        r.device_width = c.contains("width=device-width");
        let max_scale = c
            .split([',', ';'])
            .find_map(|p| p.strip_prefix("maximum-scale="))
            .and_then(|s| s.parse::<f64>().ok());
        r.zoom_locked = c.contains("user-scalable=no")
            || c.contains("user-scalable=0")
            || max_scale.is_some_and(|m| m < t.viewport_min_maximum_scale);
        r.viewport = Some(v.to_string());
    }
    let sheets = SHEET_FACTS.get(&page.stylesheets, || sheet_facts(&page.stylesheets));
    r.media_queries = sheets.media_queries;
    let max = t.fixed_width_max_px;
    for tbl in page.select("body > table[width], body > center > table[width], body > div[width]") {
        if let Some(w) = tbl
            .value()
            .attribute("width")
            .and_then(|w| w.trim().parse::<u32>().ok())
        {
            if w > max {
                r.fixed_width = Some(format!("{} ({})", crate::page::snippet_of(tbl), w));
                break;
            }
        }
    }
    if r.fixed_width.is_none() {
        r.fixed_width = sheets.fixed_width.clone();
    }
    r
}

/// What the stylesheets alone say for criterion 1, found once per set of sheets: a site's pages
/// share them, and scanning a big sheet with regexes on every page was costly.
struct SheetFacts {
    /// An `@media` on width or orientation (or a `media` attribute on width).
    media_queries: bool,
    /// A page-level rule with a fixed width beyond the threshold.
    fixed_width: Option<String>,
}

static SHEET_FACTS: SheetsMemo<SheetFacts> = SheetsMemo::new(8, 8 << 20);

fn sheet_facts(stylesheets: &[Stylesheet]) -> SheetFacts {
    static MEDIA: OnceLock<Regex> = OnceLock::new();
    let media = regex(&MEDIA, r"(?i)@media[^{]*(width|orientation)");
    let media_queries = stylesheets.iter().any(|s| {
        media.is_match(&s.text)
            || s.media
                .as_deref()
                .is_some_and(|m| m.to_ascii_lowercase().contains("width"))
    });
    let max = data::criteria().thresholds.fixed_width_max_px;
    static RULE: OnceLock<Regex> = OnceLock::new();
    let rule = regex(&RULE, r"([^{}]+)\{([^{}]*)\}");
    static WIDTH: OnceLock<Regex> = OnceLock::new();
    let width = regex(&WIDTH, r"(?:^|[;\s])width\s*:\s*(\d+)px");
    for s in stylesheets {
        for c in rule.captures_iter(&s.text) {
            let sel = c[1].trim().to_ascii_lowercase();
            let page_level = sel.split(',').any(|p| {
                let p = p.trim();
                p == "body"
                    || p == "html"
                    || p == "main"
                    || p.contains("wrapper")
                    || p.contains("container")
                    || p == "#page"
            });
            if !page_level {
                continue;
            }
            if let Some(w) = width.captures(&c[2]).and_then(|w| w[1].parse::<u32>().ok()) {
                if w > max {
                    return SheetFacts {
                        media_queries,
                        fixed_width: Some(format!("{sel} {{ width: {w}px }}")),
                    };
                }
            }
        }
    }
    SheetFacts {
        media_queries,
        fixed_width: None,
    }
}

const ADDRESS_TOKENS: &[&str] = &[
    "street-address",
    "address-line1",
    "address-line2",
    "address-line3",
    "address-level1",
    "address-level2",
    "address-level3",
    "address-level4",
    "postal-code",
    "country",
    "country-name",
];
const ADDRESS_WORDS: &[&str] = &[
    "adresse",
    "code postal",
    "code-postal",
    "codepostal",
    "ville",
    "commune",
    "libelle de voie",
    "numero de voie",
    "nom de la voie",
    "pays",
    "postal",
];

fn is_user_field(el: ElementRef<'_>) -> bool {
    match el.value().name() {
        "select" | "textarea" => true,
        "input" => !matches!(
            el.value()
                .attribute("type")
                .unwrap_or("text")
                .to_ascii_lowercase()
                .as_str(),
            "hidden" | "submit" | "button" | "image" | "reset" | "search" | "password"
        ),
        _ => false,
    }
}

/// Whether a field sits in a login or search form; `seen` keeps each form's answer, so a form
/// of many fields is searched once.
fn in_login_or_search_form(
    page: &Page,
    el: ElementRef<'_>,
    seen: &mut rustc_hash::FxHashMap<ego_tree::NodeId, bool>,
) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "form")
        .is_some_and(|f| {
            *seen.entry(f.id()).or_insert_with(|| {
                f.value().attribute("role") == Some("search")
                    || page.holds(f, "input[type=password i], input[type=search]")
            })
        })
}

/// The `for` of every label holding a DSFR hint (`label[for] .fr-hint-text`), found once per
/// page rather than by a selector built and run over the page for each field.
fn hinted_label_fors(page: &Page) -> HashSet<&str> {
    let mut out = HashSet::new();
    for hint in page.select("label[for] .fr-hint-text") {
        for a in hint.ancestors().filter_map(ElementRef::wrap) {
            if a.value().name() == "label" {
                out.extend(a.value().attribute("for"));
            }
        }
    }
    out
}

fn has_hint(page: &Page, el: ElementRef<'_>, hinted_fors: &HashSet<&str>) -> bool {
    if let Some(ids) = el.value().attribute("aria-describedby") {
        if ids.split_whitespace().any(|id| page.id_count(id) > 0) {
            return true;
        }
    }
    if let Some(id) = el.value().attribute("id") {
        // `label[for="id"] .fr-hint-text`, quotes dropped from the id as before; an id with
        // what a CSS string would unescape or refuse goes through the selector as written.
        if id.contains(['\\', '\n', '\r', '\u{c}', '\0']) {
            let sel = format!("label[for=\"{}\"] .fr-hint-text", id.replace('"', ""));
            if let Ok(s) = scraper::Selector::parse(&sel) {
                if page.dom.select(&s).next().is_some() {
                    return true;
                }
            }
        } else if hinted_fors.contains(id.replace('"', "").as_str()) {
            return true;
        }
    }
    // DSFR groups: the hint sits in the field's own group.
    el.parent().and_then(ElementRef::wrap).is_some_and(|p| {
        let class = p.value().attribute("class").unwrap_or("");
        (class.contains("fr-input-group") || class.contains("fr-select-group"))
            && page.holds(p, ".fr-hint-text")
    })
}

fn form_facts(page: &Page) -> FormFacts {
    let mut f = FormFacts::default();
    let mut hinted_fors: Option<HashSet<&str>> = None;
    let mut forms = rustc_hash::FxHashMap::default();
    for el in page.select("input, select, textarea") {
        if !is_user_field(el) || in_login_or_search_form(page, el, &mut forms) {
            continue;
        }
        f.fields += 1;
        let hinted_fors = hinted_fors.get_or_insert_with(|| hinted_label_fors(page));
        if has_hint(page, el, hinted_fors) {
            f.fields_with_hint += 1;
        }
        let label = crate::a11y::accessible_name(page, el);
        let auto = el
            .value()
            .attribute("autocomplete")
            .map(|a| a.trim().to_ascii_lowercase());
        let about = fold(&format!(
            "{} {} {}",
            label,
            el.value().attribute("name").unwrap_or(""),
            el.value().attribute("id").unwrap_or("")
        ));
        let auto_ok = auto
            .as_deref()
            .is_some_and(|a| a.split_whitespace().any(|t| ADDRESS_TOKENS.contains(&t)));
        let is_email = el
            .value()
            .attribute("type")
            .is_some_and(|t| t.eq_ignore_ascii_case("email"))
            || ["electronique", "mail", "courriel", "adresse ip"]
                .iter()
                .any(|w| about.contains(w));
        if !is_email && (auto_ok || ADDRESS_WORDS.iter().any(|w| about.contains(w))) {
            f.address_fields.push(AddressField {
                selector: Target::of(page, el).selector.to_string(),
                label: crate::page::normalize_space(&label),
                autocomplete: auto,
                ok: auto_ok && !label.trim().is_empty(),
            });
        }
    }
    static STEP: OnceLock<Regex> = OnceLock::new();
    let step = regex(&STEP, r"etape\s+\d+\s*(?:sur|/)\s*\d+");
    f.step_indicator = if let Some(s) = page.select(".fr-stepper").next() {
        Some(format!("fr-stepper ({})", Target::of(page, s).selector))
    } else if let Some(m) = step.find(super::folded_body(page)) {
        Some(m.as_str().to_string())
    } else {
        page.select("[aria-current=step]")
            .next()
            .map(|s| format!("aria-current=step ({})", Target::of(page, s).selector))
    };
    // A link or a button back. Links from the memo, those with text of their own (for an
    // empty text the memo holds the link's name, which is not what is asked here).
    let back = |t: &str| {
        t.starts_with("retour a l'etape")
            || t.starts_with("etape precedente")
            || t.starts_with("precedent")
            || t == "retour"
            || t.starts_with("modifier")
    };
    f.back_link = super::hyperlink_texts(page).any(|(_, l)| l.own && back(&l.folded))
        || page.select("button").any(|b| back(&fold(&text_of(b))));
    f
}

const KEYWORDS: &[(&str, &[&str])] = &[
    (
        "suivi",
        &[
            "suivre ma demande",
            "suivre mon dossier",
            "suivre votre demande",
            "suivre votre dossier",
            "suivi de ma demande",
            "suivi de mon dossier",
            "suivi de dossier",
            "suivi de demande",
            "suivi de votre dossier",
            "etat de ma demande",
            "ou en est ma demande",
        ],
    ),
    (
        "avis",
        &["je donne mon avis", "donner mon avis", "donnez votre avis"],
    ),
    (
        "resultats_satisfaction",
        &["satisfaction", "resultats des avis", "avis des usagers"],
    ),
    (
        "statistiques",
        &["statistiques", "chiffres cles", "en chiffres"],
    ),
    (
        "demonstration",
        &[
            "demonstration",
            "bac a sable",
            "version de test",
            "sandbox",
            "mode demo",
        ],
    ),
    (
        "donnees_personnelles",
        &[
            "donnees personnelles",
            "vie privee",
            "confidentialite",
            "protection des donnees",
        ],
    ),
    ("cookies", &["cookies", "gestion des traceurs"]),
    ("homologation", &["homologation"]),
];

fn keyword_links(page: &Page) -> Vec<KeywordLink> {
    static WORDS: LazyLock<Keywords> =
        LazyLock::new(|| Keywords::new(KEYWORDS.iter().map(|(_, words)| *words)));
    let mut out: Vec<KeywordLink> = Vec::new();
    for (a, l) in super::hyperlink_texts(page) {
        let by_words = WORDS.groups_in(&l.folded);
        // Searched in any case, without a lower-cased copy of every address.
        let href = a.value().attribute("href").unwrap_or("");
        let has = |part: &str| find_ignore_ascii_case(href, part).is_some();
        for (k, (kind, _)) in KEYWORDS.iter().enumerate() {
            let by_url = match *kind {
                "avis" => {
                    has("voxusagers.numerique.gouv.fr") || has("jedonnemonavis.numerique.gouv.fr")
                }
                "statistiques" => has("/stats"),
                _ => false,
            };
            if (by_url || by_words & (1 << k) != 0) && !out.iter().any(|k| k.kind == *kind) {
                out.push(KeywordLink {
                    kind: kind.to_string(),
                    link: LinkRef::of(page, a),
                });
            }
        }
    }
    out
}

fn trackers(page: &Page) -> Vec<String> {
    let own = page.url.host_str().unwrap_or("").to_string();
    let mut out: Vec<String> = Vec::new();
    let mut add = |h: String| {
        if !out.contains(&h) {
            out.push(h);
        }
    };
    for el in page.select("script[src], iframe[src], img[src], link[href][rel~=preconnect]") {
        let attr = if el.value().name() == "link" {
            "href"
        } else {
            "src"
        };
        if let Some(host) = el
            .value()
            .attribute(attr)
            .and_then(|s| page.resolved_host(s))
        {
            if host != own && data::tracker_of(&host).is_some() {
                add(host.into_owned());
            }
        }
    }
    // Inline loaders (tag managers, analytics snippets) name the host they load from.
    static HOST: OnceLock<Regex> = OnceLock::new();
    let host_re = regex(&HOST, r"(?i)//([a-z0-9-]+(?:\.[a-z0-9-]+)+)");
    for s in page.select("script:not([src])") {
        let code = s.text().collect::<String>().to_ascii_lowercase();
        for c in host_re.captures_iter(&code) {
            let host = c[1].to_string();
            if host != own && data::tracker_of(&host).is_some() {
                add(host);
            }
        }
    }
    out
}

fn dsfr_markers(page: &Page) -> Vec<String> {
    [
        (".fr-header__brand", "fr-header__brand"),
        (".rf-header__brand", "rf-header__brand"),
        (".fr-logo", "fr-logo"),
        (".fr-footer", "fr-footer"),
        ("link[href*=dsfr]", "feuille de style dsfr"),
    ]
    .iter()
    .filter(|(sel, _)| page.select(sel).next().is_some())
    .map(|(_, name)| name.to_string())
    .collect()
}

/// Read the other criteria's evidence.
pub fn extract(page: &Page) -> Misc {
    let mut open_documents = 0;
    let mut closed_documents = Vec::new();
    const CLOSED: [&str; 7] = ["doc", "docx", "xls", "xlsx", "ppt", "pptx", "rtf"];
    const OPEN: [&str; 8] = ["pdf", "odt", "ods", "odp", "csv", "txt", "xml", "json"];
    for (_, u) in page.hyperlinks().filter(|(el, _)| el.value().name() == "a") {
        // The extension compared ignoring ASCII case, without a lower-cased copy of each path.
        let path = u.path();
        // What follows the last dot, if there is one.
        if let Some(ext) = path.rfind('.').and_then(|dot| path.get(dot + 1..)) {
            let among = |list: &[&str]| list.iter().any(|e| ext.eq_ignore_ascii_case(e));
            if among(&CLOSED) {
                if closed_documents.len() < 10 {
                    closed_documents.push(u.to_string());
                }
            } else if among(&OPEN) {
                open_documents += 1;
            }
        }
    }
    let doctype_html5 = page.dom.tree.root().children().any(|n| match n.value() {
        Node::Doctype(d) => d.name().eq_ignore_ascii_case("html") && d.public_id().is_empty(),
        _ => false,
    });
    static CHARSET: OnceLock<Regex> = OnceLock::new();
    let charset_re = regex(&CHARSET, r"(?i)charset\s*=\s*([\w-]+)");
    let meta_charset = page
        .select("meta[charset]")
        .next()
        .and_then(|m| {
            m.value()
                .attribute("charset")
                .map(|c| c.trim().to_ascii_lowercase())
        })
        .or_else(|| {
            page.select("meta[http-equiv]")
                .filter_map(|m| m.value().attribute("content"))
                .find_map(|c| charset_re.captures(c).map(|c| c[1].to_ascii_lowercase()))
        });
    let noindex = page
        .select("meta[name=robots i], meta[name=googlebot i]")
        .filter_map(|m| m.value().attribute("content"))
        .any(|c| {
            let c = c.to_ascii_lowercase();
            c.contains("noindex") || c.contains("none")
        });
    Misc {
        responsive: responsive(page),
        form: form_facts(page),
        dsfr_markers: dsfr_markers(page),
        trackers: trackers(page),
        noindex,
        keyword_links: keyword_links(page),
        open_documents,
        closed_documents,
        doctype_html5,
        meta_charset,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn back_link(body: &str) -> bool {
        let html = format!("<!doctype html><html lang=\"fr\"><body>{body}</body></html>");
        let url = url::Url::parse("http://x.test/").unwrap_or_else(|e| panic!("{e}"));
        form_facts(&Page::parse(url, &html)).back_link
    }

    /// A link with an address and text of its own, or a button, saying « back » in French; a
    /// link's name standing in for an empty text, or a link without an address, does not.
    #[test]
    fn back_links_and_buttons() {
        assert!(back_link(r#"<a href="/1">Retour</a>"#));
        assert!(back_link(
            r#"<a href="/1"><span>Étape</span> précédente</a>"#
        ));
        assert!(back_link(r#"<button type="button">Précédent</button>"#));
        assert!(back_link(
            r#"<p><button>Modifier mes informations</button></p>"#
        ));
        assert!(!back_link(
            r#"<a href="/1" aria-label="Retour"><img src="x.png" alt=""></a>"#
        ));
        assert!(!back_link(r#"<a>Retour</a>"#));
        assert!(!back_link(
            r#"<a href="/1">Retour au site</a><button>Valider</button>"#
        ));
    }
}
