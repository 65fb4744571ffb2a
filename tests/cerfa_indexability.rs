//! Cerfa criterion 32 (indexability) end to end: fixture sites served on 127.0.0.1 with a
//! robots.txt closing the site, one closing it to the search engines only, a sitemap index
//! listing the start page, neither, a robots.txt answering 503, and a start page forbidding
//! indexing in an `X-Robots-Tag` header only.

use chrono::NaiveDate;
use url::Url;
use vigie::audit::{self, AuditOptions};
use vigie::catalogue::Demarche;
use vigie::cerfa::{CriterionResult, Source, Status};
use vigie::crawl::robots::RobotsStatus;
use vigie::crawl::FetchConfig;
use vigie::model::AuditSettings;
use vigie::report::DemarcheReport;
use vigie::serve::{self, FixtureServer, Source as Served};

async fn audit_site(name: &str) -> (FixtureServer, DemarcheReport) {
    let root = format!(
        "{}/fixtures/indexability/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let server = serve::start(Served::Disk(root.into()))
        .await
        .expect("server");
    let d = Demarche::from_url(Url::parse(&server.url()).expect("url"));
    let opts = AuditOptions {
        settings: AuditSettings {
            fetch: FetchConfig {
                requests_per_second: 0.0,
                retries: 0,
                ..FetchConfig::default()
            },
            probes: 0,
            audit_date: Some(NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")),
            ..AuditSettings::default()
        },
        progress: false,
        ..AuditOptions::default()
    };
    let mut report = audit::audit(&[d], &opts).await.expect("audit");
    let d = report.demarches.remove(0);
    (server, d)
}

fn c32(d: &DemarcheReport) -> &CriterionResult {
    &d.cerfa.as_ref().expect("cerfa").criteria[31]
}

fn texts(c: &CriterionResult) -> Vec<String> {
    c.evidence.iter().map(|e| e.text.clone()).collect()
}

#[tokio::test]
async fn robots_closing_the_site_is_not_met_even_without_pages() {
    let (s, d) = audit_site("ferme").await;
    let base = s.url();
    // The crawler obeys too: the start page was not fetched.
    assert!(d.pages.iter().all(|p| p.facts.is_none()));
    let c = c32(&d);
    assert_eq!(
        (c.status, c.source, c.measured),
        (Status::NotMet, Source::Measured, Status::NotMet)
    );
    assert_eq!(
        c.summary,
        "robots.txt interdit la page de départ aux moteurs de recherche (Googlebot, Bingbot)."
    );
    let robots = format!("{base}robots.txt");
    assert_eq!(c.evidence[0].url.as_deref(), Some(robots.as_str()));
    assert_eq!(
        texts(c)[..4],
        [
            "robots.txt lu (HTTP 200)".to_string(),
            "User-agent * : tout le site exclu par la règle « Disallow: / » (ligne 2)".into(),
            "User-agent Googlebot : tout le site exclu par la règle « Disallow: / » (ligne 2)"
                .into(),
            "User-agent Bingbot : tout le site exclu par la règle « Disallow: / » (ligne 2)".into(),
        ]
    );
    let idx = d.indexability.as_ref().expect("indexability");
    assert_eq!(idx.robots.status, RobotsStatus::Fetched);
    assert!(idx.robots.agents.iter().all(|a| a.site_blocked));
}

#[tokio::test]
async fn robots_closing_only_the_search_engines_is_not_met() {
    let (_s, d) = audit_site("moteurs-exclus").await;
    // vigie is not named: the `*` group lets it crawl.
    assert!(d.pages.iter().any(|p| p.facts.is_some()));
    let c = c32(&d);
    assert_eq!((c.status, c.source), (Status::NotMet, Source::Measured));
    let t = texts(c);
    assert!(t.contains(
        &"User-agent Googlebot : tout le site exclu par la règle « Disallow: / » (ligne 7)".into()
    ));
    assert!(t.contains(
        &"User-agent Bingbot : tout le site exclu par la règle « Disallow: / » (ligne 7)".into()
    ));
    assert!(!t.iter().any(|x| x.starts_with("User-agent * ")));
}

#[tokio::test]
async fn a_sitemap_listing_the_start_page_makes_it_met() {
    let (s, d) = audit_site("plan").await;
    let base = s.url();
    let c = c32(&d);
    assert_eq!((c.status, c.source), (Status::Met, Source::Measured));
    assert_eq!(
        c.summary,
        "Page de départ indexable (ni noindex ni exclusion par robots.txt) et plan de site de 3 URL ; le référencement sur service-public.fr n'est pas vérifié."
    );
    assert_eq!(
        texts(c),
        vec![
            "robots.txt lu (HTTP 200)".to_string(),
            "page de départ autorisée pour *, Googlebot et Bingbot".into(),
            format!("plan de site {base}plans/index.xml : 0 URL de page(s), 2 plan(s) inclus"),
            format!("plan de site {base}plans/pages.xml : 3 URL de page(s), 0 plan(s) inclus"),
            format!("plan de site {base}plans/absent.xml introuvable (HTTP 404)"),
            "3 URL de pages dans le(s) plan(s) de site ; page de départ listée".into(),
        ]
    );
    let idx = d.indexability.as_ref().expect("indexability");
    assert_eq!(idx.robots.sitemaps, vec!["/plans/index.xml".to_string()]);
    assert!(idx.sitemap.declared && idx.sitemap.found && idx.sitemap.start_listed);
    assert_eq!(idx.sitemap.page_urls, 3);
    // The sitemap read by the scan still seeds the crawl: the page only it lists is audited,
    // and no sitemap file is fetched twice.
    assert!(d
        .pages
        .iter()
        .any(|p| p.record.final_url == format!("{base}cachee.html")));
    let fetched = s
        .requests()
        .iter()
        .filter(|r| r.path == "/plans/pages.xml")
        .count();
    assert_eq!(fetched, 1);
}

#[tokio::test]
async fn no_robots_and_no_sitemap_is_unknown() {
    let (s, d) = audit_site("sans-plan").await;
    let base = s.url();
    let c = c32(&d);
    assert_eq!((c.status, c.source), (Status::Unknown, Source::Unknown));
    assert_eq!(
        texts(c),
        vec![
            "robots.txt absent (HTTP 404) : tout est autorisé".to_string(),
            "page de départ autorisée pour *, Googlebot et Bingbot".into(),
            format!("plan de site {base}sitemap.xml introuvable (HTTP 404)"),
        ]
    );
    let idx = d.indexability.as_ref().expect("indexability");
    assert_eq!(idx.robots.status, RobotsStatus::Absent);
    assert!(!idx.sitemap.declared && !idx.sitemap.found);
}

#[tokio::test]
async fn robots_server_error_cannot_tell() {
    let (_s, d) = audit_site("robots-erreur").await;
    let c = c32(&d);
    assert_eq!((c.status, c.source), (Status::Unknown, Source::Unknown));
    assert_eq!(
        c.summary,
        "robots.txt inaccessible : impossible de dire si les moteurs peuvent explorer le site."
    );
    assert_eq!(
        texts(c)[0],
        "robots.txt en erreur serveur (HTTP 503) : les moteurs suspendent l'exploration"
    );
    let idx = d.indexability.as_ref().expect("indexability");
    assert_eq!(idx.robots.status, RobotsStatus::ServerError);
    assert!(idx.robots.agents.is_empty());
}

#[tokio::test]
async fn an_x_robots_tag_noindex_on_the_start_page_is_not_met() {
    let (s, d) = audit_site("entete-noindex").await;
    let base = s.url();
    let c = c32(&d);
    assert_eq!((c.status, c.source), (Status::NotMet, Source::Measured));
    assert_eq!(
        c.summary,
        "La page de départ interdit l'indexation (noindex)."
    );
    assert_eq!(
        texts(c),
        vec![
            "en-tête HTTP X-Robots-Tag : googlebot: noindex, nofollow".to_string(),
            "robots.txt lu (HTTP 200)".into(),
            "page de départ autorisée pour *, Googlebot et Bingbot".into(),
            format!("plan de site {base}plan.xml : 2 URL de page(s), 0 plan(s) inclus"),
            "2 URL de pages dans le(s) plan(s) de site ; page de départ listée".into(),
        ]
    );
    // The header is kept in the page record; another engine's directive is recorded, not counted.
    let record = |path: &str| {
        &d.pages
            .iter()
            .find(|p| p.record.final_url == format!("{base}{path}"))
            .expect("page")
            .record
    };
    assert_eq!(
        record("").x_robots_tag,
        vec!["googlebot: noindex, nofollow".to_string()]
    );
    assert_eq!(
        record("infos.html").x_robots_tag,
        vec!["otherbot: noindex".to_string()]
    );
}

#[tokio::test]
async fn report_with_indexability_round_trips_and_matches_the_schema() {
    let (_s, d) = audit_site("plan").await;
    let json = serde_json::to_value(&d).expect("json");
    let back: DemarcheReport = serde_json::from_value(json.clone()).expect("read back");
    assert_eq!(back.indexability, d.indexability);
    let schema: serde_json::Value =
        serde_json::from_str(vigie::report::REPORT_SCHEMA).expect("schema");
    let demarche_schema = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": schema["$defs"],
        "$ref": "#/$defs/demarche"
    });
    let validator = jsonschema::validator_for(&demarche_schema).expect("valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}
