//! The démarche report carries RGAA criterion statuses computed from the pages' findings.

use url::Url;
use vigie::analyze::analyze_html;
use vigie::analyze::CrawledPage;
use vigie::audit::{demarche_report, DemarcheContext};
use vigie::catalogue::Demarche;
use vigie::crawl::charset::CharsetSource;
use vigie::crawl::FetchRecord;
use vigie::scores::rgaa::Status;

fn page(url: &str, html: &str) -> CrawledPage {
    let url = Url::parse(url).expect("url");
    let analysis = analyze_html(url.clone(), html);
    CrawledPage {
        record: FetchRecord::local(&url, html.len() as u64, "UTF-8", CharsetSource::Default),
        rendering: None,
        analysis: Some(analysis),
    }
}

const GOOD: &str = r#"<!DOCTYPE html><html lang="fr"><head><title>Aide - Caisse</title></head>
<body><a href="/">Accueil</a><main><h1>Aide</h1></main></body></html>"#;
const NO_DOCTYPE: &str = r#"<html lang="fr"><head><title>Contact - Caisse</title></head>
<body><main><h1>Contact</h1></main></body></html>"#;

#[test]
fn demarche_report_has_rgaa_statuses() {
    let d = Demarche::from_url(Url::parse("http://site.test/").expect("url"));
    let report = demarche_report(
        &d,
        vec![
            page("http://site.test/aide", GOOD),
            page("http://site.test/contact", NO_DOCTYPE),
        ],
        DemarcheContext::default(),
    );
    let rgaa = report.rgaa.as_ref().expect("rgaa section");
    assert_eq!(rgaa.criteria.len(), 106);
    assert_eq!(rgaa.pages, 2);
    let status = |id: &str| {
        rgaa.criteria
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.status)
            .expect(id)
    };
    // Doctype missing on one page: NC for the démarche even though the other page conforms.
    assert_eq!(status("8.1"), Status::NC);
    let c81 = rgaa.criteria.iter().find(|c| c.id == "8.1").expect("8.1");
    assert_eq!((c81.pages.c, c81.pages.nc), (1, 1));
    // Present and valid on every page: conforming (automated criteria).
    assert_eq!(status("8.3"), Status::C);
    assert_eq!(status("8.5"), Status::C);
    assert_eq!(status("6.2"), Status::C);
    // Manual criteria are left to a human.
    assert_eq!(status("1.4"), Status::NT);
    assert!(rgaa.left_to_human.contains(&"1.4".to_string()));
    assert!(!rgaa.left_to_human.contains(&"8.1".to_string()));
    let rate = rgaa.automated_rate.expect("rate");
    assert!(rate < 100.0 && rate > 0.0, "{rate}");
    assert!(rgaa.automated_rate_note.contains("borne haute"));
    // Round trip through report.json.
    let json = serde_json::to_string(&report).expect("json");
    assert!(json.contains("\"automated_rate\""));
    let back: vigie::report::DemarcheReport = serde_json::from_str(&json).expect("parse");
    assert_eq!(back.rgaa, report.rgaa);
}

/// A finding names the RGAA tests it decides, and only their criteria follow it.
#[test]
fn findings_count_only_for_the_criteria_of_their_tests() {
    // HTML 4.01 page without main: 9.2 does not apply, 12.6 is at most to be checked; an empty
    // title fails 8.6 (relevance), not 8.5 (presence); the language given on body and title
    // meets 8.3.1.
    const HTML4: &str = r#"<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
<html><head><title lang="fr"> </title></head>
<body lang="fr"><div id="contenu"><h1>Contact</h1><h3>Adresse</h3></div></body></html>"#;
    const HTML5_NO_MAIN: &str = r#"<!DOCTYPE html><html lang="fr"><head><title>Aide - Caisse</title></head>
<body><header>En-tête</header><nav>Menu</nav><div><h1>Aide</h1></div><footer>Pied</footer></body></html>"#;
    let d = Demarche::from_url(Url::parse("http://site.test/").expect("url"));
    let status = |html: &str, id: &str| {
        let report = demarche_report(
            &d,
            vec![page("http://site.test/p", html)],
            DemarcheContext::default(),
        );
        let rgaa = report.rgaa.expect("rgaa section");
        rgaa.criteria
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.status)
            .expect(id)
    };
    assert_ne!(status(HTML4, "9.2"), Status::NC);
    assert_ne!(status(HTML4, "12.6"), Status::NC);
    assert_eq!(status(HTML4, "8.1"), Status::C);
    assert_eq!(status(HTML4, "8.3"), Status::C);
    assert_eq!(status(HTML4, "8.5"), Status::C);
    assert_eq!(status(HTML4, "8.6"), Status::NC);
    // Skipped level (h1 then h3) is admitted by the RGAA glossary.
    assert_ne!(status(HTML4, "9.1"), Status::NC);
    // On HTML5 the missing main fails 9.2 only: 12.6 can be met by other means.
    assert_eq!(status(HTML5_NO_MAIN, "9.2"), Status::NC);
    assert_eq!(status(HTML5_NO_MAIN, "12.6"), Status::NT);
}
