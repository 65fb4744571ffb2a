//! The Cerfa evaluation end to end on the embedded demo sites (crawled on 127.0.0.1), with the
//! demo declarations file.

use chrono::NaiveDate;
use vigie::audit::{self, AuditOptions};
use vigie::cerfa::{Declarations, Source, Status};
use vigie::crawl::FetchConfig;
use vigie::model::AuditSettings;
use vigie::report::DemarcheReport;

async fn demo() -> Vec<DemarcheReport> {
    let sites = vigie::demo::start().await.expect("demo sites");
    let opts = AuditOptions {
        settings: AuditSettings {
            fetch: FetchConfig {
                requests_per_second: 0.0,
                retries: 0,
                ..FetchConfig::default()
            },
            max_pages: 40,
            // A fixed reference date: the verdicts must not change with the calendar (the demo
            // declaration, dated 15/09/2026, would be over 3 years old after September 2029).
            audit_date: Some(NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")),
            ..AuditSettings::default()
        },
        progress: false,
        declarations: Some(
            Declarations::parse(vigie::demo::DEMO_DECLARATIONS, "demo").expect("declarations"),
        ),
        ..AuditOptions::default()
    };
    audit::audit(&sites.catalogue.demarches, &opts)
        .await
        .expect("audit")
        .demarches
}

fn status(d: &DemarcheReport, n: u8) -> (Status, Source) {
    let c = &d.cerfa.as_ref().expect("cerfa").criteria[usize::from(n) - 1];
    (c.status, c.source)
}

#[tokio::test]
async fn demo_sites_get_their_cerfa_verdicts() {
    let reports = demo().await;
    let d = |id: &str| {
        reports
            .iter()
            .find(|d| d.demarche.id == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let good = d("exemplaire-aide");
    let cerfa = good.cerfa.as_ref().expect("cerfa");
    let v = cerfa
        .accessibility_declaration
        .as_ref()
        .expect("declaration");
    assert!(v.recevable, "{:?}", v.reasons);
    assert_eq!(v.declaration.rate, Some(86.0));
    assert!(v.url.ends_with("/accessibilite.html"));
    assert_eq!(v.pages_linking, v.pages_total);
    for n in [
        1, 4, 7, 8, 9, 12, 13, 14, 15, 18, 19, 20, 23, 26, 29, 30, 31, 32, 35,
    ] {
        assert_eq!(
            status(good, n),
            (Status::Met, Source::Measured),
            "exemplaire {n}"
        );
    }
    assert_eq!(status(good, 2), (Status::Met, Source::Declared));
    assert_eq!(cerfa.audit_date.to_string(), "2026-11-25");
    assert_eq!(v.age_days, Some(71));
    // 32: robots.txt read, its Sitemap line followed, the start page listed; the operator's
    // declaration agrees with the measure.
    let c32 = &cerfa.criteria[31];
    assert!(c32.disagreement.is_none());
    let texts: Vec<&str> = c32.evidence.iter().map(|e| e.text.as_str()).collect();
    assert!(texts.contains(&"robots.txt lu (HTTP 200)"), "{texts:?}");
    assert!(texts.contains(&"page de départ autorisée pour *, Googlebot et Bingbot"));
    assert!(texts.contains(&"4 URL de pages dans le(s) plan(s) de site ; page de départ listée"));
    let idx = good.indexability.as_ref().expect("indexability");
    assert_eq!(idx.robots.sitemaps, vec!["/sitemap.xml".to_string()]);
    assert!(idx.sitemap.declared && idx.sitemap.start_listed);
    // Indicators declared in the same file.
    let sat = good
        .indicators
        .iter()
        .find(|i| i.id == "satisfaction")
        .expect("satisfaction");
    assert_eq!(sat.value, Some(8.2));
    assert_eq!(
        status(good, 21),
        (Status::NotMet, Source::Measured),
        "served over http"
    );
    // 15 and 17 measured (declaration, contrast), 16 declared (keyboard use cannot be proven by a crawler).
    assert_eq!(cerfa.scores.accessibility.met, 3);
    assert_eq!(status(good, 17), (Status::Met, Source::Measured));
    assert_eq!(status(good, 16), (Status::Met, Source::Declared));

    let legacy = d("ancien-portail");
    let cerfa = legacy.cerfa.as_ref().expect("cerfa");
    let v = cerfa
        .accessibility_declaration
        .as_ref()
        .expect("declaration");
    assert!(!v.recevable);
    assert!(v
        .reasons
        .contains(&"déclaration de plus de 3 ans (datée du 15/01/2020)".to_string()));
    assert!(v
        .contradiction
        .as_deref()
        .is_some_and(|c| c.starts_with("Déclarée « totalement conforme » alors que")));
    let c18 = &cerfa.criteria[17];
    assert_eq!((c18.status, c18.source), (Status::NotMet, Source::Measured));
    assert!(c18.disagreement.is_some());
    assert_eq!(
        status(legacy, 26),
        (Status::NotApplicable, Source::Measured)
    );
    assert_eq!(status(legacy, 1), (Status::NotMet, Source::Measured));
    // No robots.txt and no sitemap: indexable but not confirmed.
    let c32 = &cerfa.criteria[31];
    assert_eq!((c32.status, c32.source), (Status::Unknown, Source::Unknown));
    assert!(c32.evidence[0]
        .text
        .starts_with("robots.txt absent (HTTP 404)"));
    let dlnuf = legacy
        .indicators
        .iter()
        .find(|i| i.id == "dlnuf")
        .expect("dlnuf");
    assert_eq!(dlnuf.value, Some(4.0));

    let login = d("espace-connecte");
    assert_eq!(status(login, 26), (Status::NotMet, Source::Measured));
    assert_eq!(status(login, 8), (Status::NotMet, Source::Measured));
    let s = &login.cerfa.as_ref().expect("cerfa").scores.all;
    assert!(s.met < 5 && s.unknown > 10, "{s:?}");
}
