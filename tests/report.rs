//! report.json: written atomically, readable back, and valid against the published JSON Schema.

use vigie::audit::{self, AuditOptions};
use vigie::crawl::FetchConfig;
use vigie::model::AuditSettings;
use vigie::report::{Report, REPORT_SCHEMA};

async fn demo_report() -> Report {
    let sites = vigie::demo::start().await.expect("demo sites");
    let opts = AuditOptions {
        settings: AuditSettings {
            fetch: FetchConfig {
                requests_per_second: 0.0,
                retries: 0,
                ..FetchConfig::default()
            },
            ..AuditSettings::default()
        },
        progress: false,
        ..AuditOptions::default()
    };
    audit::audit(&sites.catalogue.demarches, &opts)
        .await
        .expect("audit")
}

#[tokio::test]
async fn demo_report_validates_against_the_schema_and_round_trips() {
    let report = demo_report().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = report.write_json(dir.path()).expect("write");

    // Only report.json is left: the temporary file was renamed.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");

    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    let schema: serde_json::Value = serde_json::from_str(REPORT_SCHEMA).expect("schema json");
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "report.json does not match the schema:\n{}",
        errors.join("\n")
    );

    // The schema is not a blank cheque: a wrong outcome is rejected.
    let mut broken = value.clone();
    broken["demarches"][0]["findings"][0]["outcome"] = serde_json::json!("bogus");
    assert!(!validator.is_valid(&broken));

    let back = Report::read(&path).expect("read back");
    assert_eq!(back, report);
}

#[tokio::test]
async fn demo_finds_the_expected_defects() {
    let report = demo_report().await;
    let d = |id: &str| {
        report
            .demarches
            .iter()
            .find(|d| d.demarche.id == id)
            .unwrap_or_else(|| panic!("{id}"))
    };

    let legacy = d("ancien-portail");
    // windows-1252 without charset header decoded from <meta>.
    let home = legacy
        .pages
        .iter()
        .find(|p| p.record.depth == 0)
        .expect("home");
    assert_eq!(home.record.charset.as_deref(), Some("windows-1252"));
    // The 500 page and the redirect loop are recorded, not fatal.
    assert!(legacy.pages.iter().any(|p| p.record.status == Some(500)));
    assert!(legacy
        .pages
        .iter()
        .any(|p| p.record.error.as_ref().map(|e| format!("{:?}", e.kind))
            == Some("RedirectLoop".into())));
    // Images without alternative on the legacy home page.
    assert!(legacy
        .findings
        .iter()
        .any(|f| f.rule == "image-alt" && f.outcome == vigie::rules::Outcome::Failed));

    let good = d("exemplaire-aide");
    assert_eq!(good.summary.fetch_errors, 0);
    for rule in [
        "image-alt",
        "link-name",
        "form-field-label",
        "html-lang-valid",
    ] {
        assert!(
            !good
                .findings
                .iter()
                .any(|f| f.rule == rule && f.outcome == vigie::rules::Outcome::Failed),
            "exemplary site fails {rule}"
        );
    }
}

#[test]
fn shipped_catalogue_parses_with_unique_ids() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("demarches.toml");
    let cat = vigie::catalogue::Catalogue::load(&path).expect("demarches.toml is valid");
    assert!(cat.demarches.len() >= 15);
    assert!(cat
        .demarches
        .iter()
        .all(|d| d.start_url.scheme() == "https"));
}

#[test]
fn catalogue_errors_name_the_problem() {
    let dup = "[[demarche]]\nid='a'\nname='A'\nstart_url='https://a.fr/'\n[[demarche]]\nid='a'\nname='B'\nstart_url='https://b.fr/'\n";
    let e = vigie::catalogue::Catalogue::parse(dup, "x.toml").expect_err("duplicate");
    assert!(e.to_string().contains("« a »"), "{e}");
    // Both entries are named, so the user finds them in a long file.
    assert!(
        e.to_string()
            .contains("démarche n° 1 (A, https://a.fr/) et démarche n° 2 (B, https://b.fr/)"),
        "{e}"
    );
    let empty = "[[demarche]]\nid=' '\nname='A'\nstart_url='https://a.fr/'\n";
    let e = vigie::catalogue::Catalogue::parse(empty, "x.toml").expect_err("empty id");
    assert!(
        e.to_string()
            .contains("démarche n° 1 (A, https://a.fr/) sans identifiant"),
        "{e}"
    );
    let bad = "[[demarche]]\nid='a'\nname='A'\nstart_url='pas une url'\n";
    let e = vigie::catalogue::Catalogue::parse(bad, "x.toml").expect_err("bad url");
    assert!(e.to_string().contains("x.toml"), "{e}");
}
