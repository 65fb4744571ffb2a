//! The démarche report carries RGAA criterion statuses computed from the pages' findings.

use url::Url;
use vigie::analyze::analyze_html;
use vigie::audit::demarche_report;
use vigie::catalogue::Demarche;
use vigie::crawl::charset::CharsetSource;
use vigie::crawl::{CrawledPage, FetchRecord};
use vigie::scores::rgaa::Status;

fn page(url: &str, html: &str) -> CrawledPage {
    let url = Url::parse(url).expect("url");
    let analysis = analyze_html(url.clone(), html);
    CrawledPage {
        record: FetchRecord::local(&url, html.len() as u64, "UTF-8", CharsetSource::Default),
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
