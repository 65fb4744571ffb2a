//! The HTML report site: hostile input only ever escaped, accessible by vigie's own rules, CSV
//! exports, the `report` subcommand, and the indicators' JSON Schema.

use std::path::{Path, PathBuf};
use vigie::page::Attribute;

use common::render_site;
use url::Url;
use vigie::audit::{audit, AuditOptions};
use vigie::catalogue::Demarche;
use vigie::crawl::FetchConfig;
use vigie::model::AuditSettings;
use vigie::page::Page;
use vigie::report::site::SiteOptions;
use vigie::report::Report;
use vigie::serve::{start, Source};

mod common;

const CSP: &str = r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:">"#;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/sites")
        .join(name)
}

fn options() -> AuditOptions {
    AuditOptions {
        settings: AuditSettings {
            fetch: FetchConfig {
                requests_per_second: 100.0,
                ..FetchConfig::default()
            },
            ..AuditSettings::default()
        },
        progress: false,
        ..AuditOptions::default()
    }
}

/// Audit the hostile fixture site (with a hostile catalogue entry too) and a site with defects.
async fn audit_hostile() -> Report {
    let piege = start(Source::Disk(fixture("piege")))
        .await
        .expect("serveur piege");
    let ancien = start(Source::Disk(fixture("ancien")))
        .await
        .expect("serveur ancien");
    let mut d = Demarche::from_url(Url::parse(&piege.url()).expect("url"));
    d.name = "<script>document.title='XSS-NOM'</script> {{ 7*7 }}".into();
    d.operator = "\"><img src=x onerror=document.title='XSS-OP'>".into();
    d.ministry = "</textarea><script>document.title='XSS-MIN'</script>".into();
    let mut a = Demarche::from_url(Url::parse(&ancien.url()).expect("url"));
    a.id = "ancien".into();
    a.name = "Ancien portail".into();
    a.operator = "Office historique".into();
    a.ministry = "Ministère de la démonstration".into();
    audit(&[d, a], &options()).await.expect("audit")
}

fn html_files(files: &[(String, Vec<u8>)]) -> Vec<(String, String)> {
    files
        .iter()
        .filter(|(n, _)| n.ends_with(".html"))
        .map(|(n, b)| (n.clone(), String::from_utf8(b.clone()).expect("utf-8")))
        .collect()
}

#[tokio::test]
async fn hostile_payloads_appear_only_escaped() {
    let report = audit_hostile().await;
    let piege = &report.demarches[0];
    // The audit really carried payloads into the report (otherwise this test proves nothing).
    let json = serde_json::to_string(piege).expect("json");
    assert!(json.contains("onerror"), "les extraits portent onerror");
    assert!(
        json.contains("javascript:"),
        "les extraits portent javascript:"
    );
    assert!(
        json.contains("</textarea>"),
        "les données portent </textarea>"
    );
    assert!(json.contains("XSS-TITRE"), "le titre piégé est relevé");

    let files = render_site(&report, &SiteOptions::default());
    let pages = html_files(&files);
    assert!(pages.len() >= 4, "index, méthodologie et deux démarches");
    let page_of_piege = pages
        .iter()
        .find(|(n, _)| n.contains("127-0-0-1"))
        .map(|(_, h)| h.clone())
        .expect("page de la démarche piégée");
    for (name, html) in &pages {
        assert!(html.contains(CSP), "{name} : meta Content-Security-Policy");
        assert!(
            !html.contains("<script>document"),
            "{name} : script brut recopié"
        );
        assert!(!html.contains("</textarea><"), "{name} : </textarea> brut");
        let page = Page::parse(
            Url::parse(&format!("file:///site/{name}")).expect("url"),
            html,
        );
        for el in page.select("*") {
            let tag = el.value().name();
            assert!(
                !matches!(
                    tag,
                    "img" | "iframe" | "object" | "embed" | "textarea" | "base"
                ),
                "{name} : élément <{tag}> inattendu"
            );
            for (attr, value) in el.value().attrs() {
                assert!(
                    !attr.to_ascii_lowercase().starts_with("on"),
                    "{name} : attribut d'événement {attr}={value}"
                );
                if matches!(attr, "href" | "src" | "action" | "formaction") {
                    let v = value.trim().to_ascii_lowercase();
                    assert!(!v.starts_with("javascript:"), "{name} : {attr}={value}");
                    assert!(
                        !v.contains("//") || v.starts_with("http://127.0.0.1"),
                        "{name} : ressource externe {attr}={value}"
                    );
                }
            }
            if tag == "script" {
                assert_eq!(el.value().attribute("src"), Some("vigie.js"), "{name}");
                assert!(el.text().collect::<String>().trim().is_empty(), "{name}");
            }
            if tag == "form" {
                assert_eq!(el.value().attribute("id"), Some("filtres"), "{name}");
            }
        }
    }
    // Escaped forms are present: the payloads are shown as text, not dropped.
    assert!(page_of_piege.contains("&lt;script&gt;document.title="));
    assert!(page_of_piege.contains("onerror="), "extrait affiché");
    assert!(page_of_piege
        .contains("&lt;img onerror=&quot;document.title=&#x27;XSS-IMGLIEN&#x27;&quot;"));
    assert!(
        page_of_piege.contains("{{ 7*7 }}"),
        "pas d'évaluation de gabarit"
    );
    assert!(page_of_piege.contains("javascript:document.title="));
    // The CSS the cascade skipped is listed as a limit of the measure, escaped.
    assert!(page_of_piege.contains("Limites de la mesure CSS"));
    assert!(
        page_of_piege.contains(
            "@import non chargé : &quot;&lt;img src=x onerror=document.title=&#x27;XSS-CSS&#x27;&gt;.css&quot; — 1 page(s)"
        ),
        "limite CSS affichée et échappée"
    );
    let index = &pages
        .iter()
        .find(|(n, _)| n == "index.html")
        .expect("index")
        .1;
    assert!(
        index.contains("&lt;script&gt;document.title=&#x27;XSS-NOM&#x27;&lt;&#x2f;script&gt;")
            || index.contains("&lt;script&gt;document.title=&#x27;XSS-NOM&#x27;&lt;/script&gt;")
    );
    assert!(index.contains("&quot;&gt;&lt;img src=x onerror="));
}

#[tokio::test]
async fn generated_pages_pass_vigie_rules() {
    let report = audit_hostile().await;
    // With a history of two runs: sparklines in the index and a progress page per démarche.
    let dir = tempfile::tempdir().expect("tmp");
    let mut store = vigie::store::Store::open(&dir.path().join("v.db")).expect("base");
    let mut earlier = report.clone();
    earlier.started_at = "2026-01-01T00:00:00Z".into();
    store.record(&earlier, "test").expect("enregistrement");
    store.record(&report, "test").expect("enregistrement");
    let history = vigie::history::for_site(&store).expect("historique");
    let files = render_site(
        &report,
        &SiteOptions {
            history: Some(&history),
            ..Default::default()
        },
    );
    assert!(files.iter().any(|(n, _)| n == "progres-ancien.html"));
    assert!(files.iter().any(
        |(n, b)| n == "index.html" && String::from_utf8_lossy(b).contains("class=\"tendance\"")
    ));
    let css = files
        .iter()
        .find(|(n, _)| n == "vigie.css")
        .map(|(_, b)| String::from_utf8_lossy(b).to_string())
        .expect("css");
    let mut problems = Vec::new();
    let mut checked = 0;
    for (name, html) in html_files(&files) {
        let (n, failures) = common::own_rule_failures(&name, &html, &css);
        checked += n;
        problems.extend(failures);
    }
    assert!(checked > 0);
    assert!(
        problems.is_empty(),
        "échecs d'accessibilité :\n{}",
        problems.join("\n")
    );
}

#[tokio::test]
async fn csv_exports_are_excel_friendly() {
    let report = audit_hostile().await;
    for sep in [';', ','] {
        let files = render_site(
            &report,
            &SiteOptions {
                csv_sep: sep,
                ..Default::default()
            },
        );
        for name in ["indicateurs.csv", "constats.csv"] {
            let text = files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, b)| String::from_utf8(b.clone()).expect("utf-8"))
                .expect("csv");
            assert!(text.starts_with('\u{feff}'), "{name} : BOM");
            let header = text
                .trim_start_matches('\u{feff}')
                .lines()
                .next()
                .unwrap_or("");
            let first = if name == "indicateurs.csv" {
                "id"
            } else {
                "démarche"
            };
            assert!(header.starts_with(first), "{name} : {header}");
            assert!(header.contains(sep), "{name} : séparateur {sep:?}");
            assert!(text.contains("\r\n"));
        }
    }
    let files = render_site(&report, &SiteOptions::default());
    let ind = files
        .iter()
        .find(|(n, _)| n == "indicateurs.csv")
        .expect("csv");
    let text = String::from_utf8_lossy(&ind.1);
    // One header line and one line per démarche (no field spans lines here).
    assert_eq!(text.lines().count(), 1 + report.demarches.len());
    assert!(text.contains("Disponibilité (niveau)"));
}

#[tokio::test]
async fn indicators_match_their_schema_and_are_honest() {
    let report = audit_hostile().await;
    let schema: serde_json::Value =
        serde_json::from_str(vigie::report::REPORT_SCHEMA).expect("schéma");
    let validator = jsonschema::validator_for(&schema).expect("schéma valide");
    let whole = serde_json::to_value(&report).expect("json");
    let errors: Vec<String> = validator
        .iter_errors(&whole)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    for d in &report.demarches {
        assert_eq!(
            d.indicators.len(),
            vigie::indicators::config().indicators.len()
        );
        assert_eq!(d.probes.len(), vigie::probe::DEFAULT_PROBES);
        let get = |id: &str| d.indicators.iter().find(|i| i.id == id).expect(id);
        // Every probe of a local server answers: availability 100 %, Optimal.
        assert_eq!(get("uptime").value, Some(100.0));
        assert_eq!(
            get("uptime").level.as_ref().map(|l| l.label.as_str()),
            Some("Optimal")
        );
        // Declared-only indicators are unknown without a declarations file.
        for id in ["satisfaction", "dlnuf", "usage"] {
            assert_eq!(get(id).display, "inconnu");
            assert!(get(id).level.is_none());
        }
        assert!(get("simplicity").estimate);
    }
    // The ancien site has a phone number on its home page and measured RGAA failures.
    let ancien = &report.demarches[1];
    let help = ancien
        .indicators
        .iter()
        .find(|i| i.id == "help_reachable")
        .expect("aide");
    assert_eq!(help.value, Some(1.0));
    let rgaa = ancien
        .indicators
        .iter()
        .find(|i| i.id == "rgaa_auto")
        .expect("rgaa");
    assert!(rgaa.value.unwrap_or(0.0) >= 1.0);
}

#[tokio::test]
async fn report_subcommand_writes_the_site_with_declarations() {
    let report = audit_hostile().await;
    let dir = tempfile::tempdir().expect("tmp");
    let json_path = report.write_json(dir.path()).expect("report.json");
    let decl = dir.path().join("declarations.toml");
    std::fs::write(
        &decl,
        "[[demarche]]\nid = \"ancien\"\nsatisfaction = 8.5\nsatisfaction_avis = 2500\ndlnuf = 4\nusage = 71.5\n",
    )
    .expect("écriture");
    let out = dir.path().join("site");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .arg("report")
        .arg(&json_path)
        .arg("--out")
        .arg(&out)
        .args(["--csv-sep", ","])
        .arg("--declarations")
        .arg(&decl)
        .output()
        .expect("vigie report");
    assert!(
        run.status.success(),
        "vigie report : {}",
        String::from_utf8_lossy(&run.stderr)
    );
    for f in [
        "index.html",
        "methodologie.html",
        "vigie.css",
        "vigie.js",
        "indicateurs.csv",
        "constats.csv",
        "demarche-ancien.html",
    ] {
        assert!(out.join(f).is_file(), "{f} manquant");
    }
    let csv = std::fs::read_to_string(out.join("indicateurs.csv")).expect("csv");
    let line = csv
        .lines()
        .find(|l| l.starts_with("ancien,"))
        .expect("ligne ancien");
    assert!(
        line.contains("8.5,8,5 / 10,Très bien,déclaré")
            || line.contains("8.5,\"8,5 / 10\",Très bien,déclaré"),
        "{line}"
    );
    let page = std::fs::read_to_string(out.join("demarche-ancien.html")).expect("page");
    assert!(page.contains("Très bien"));
    assert!(page.contains("71,5 %"));
    // A bad report is a clear error, not a crash.
    let bad = dir.path().join("mauvais.json");
    std::fs::write(&bad, "{ pas du json").expect("écriture");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .arg("report")
        .arg(&bad)
        .output()
        .expect("vigie report");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("illisible"));
}

#[tokio::test]
async fn the_declaration_reads_in_the_order_of_its_template() {
    let report = audit_hostile().await;
    let files = render_site(&report, &SiteOptions::default());
    let (_, page) = html_files(&files)
        .into_iter()
        .find(|(n, _)| n == "demarche-ancien.html")
        .expect("page of the ancien démarche");
    let section = page
        .split("<h2 id=\"declaration\">")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .expect("declaration section");
    let rows: Vec<(&str, &str)> = section
        .split("<dt>")
        .skip(1)
        .filter_map(|s| {
            let (k, rest) = s.split_once("</dt><dd>")?;
            Some((k, rest.split("</dd>").next()?))
        })
        .collect();
    let keys: Vec<&str> = rows.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        keys,
        [
            "Page",
            "État de conformité",
            "Version du RGAA",
            "Établie le",
            "Moyen de contact",
            "Recours au Défenseur des droits",
            "Âge (jours)",
            "Recevable",
            "Motifs de non-recevabilité",
            "Pages qui y mènent"
        ]
    );
    assert_eq!(rows[1].1, "totalement");
    assert_eq!(rows[3].1, "2020-01-15");
    assert_eq!(rows[7].1, "non");
}
