//! Démarche-level evaluation of the Cerfa criteria on fixture pages: verdicts, sources,
//! declarations, contradictions and the two scores.

use chrono::NaiveDate;
use url::Url;
use vigie::analyze::{analyze_html, PageAnalysis};
use vigie::catalogue::Demarche;
use vigie::cerfa::{self, CerfaReport, Declarations, EvidencePage, Source, Status};
use vigie::findings::Finding;
use vigie::rules::Outcome;

const BASE: &str = "https://aide.example.gouv.fr";

fn load(name: &str) -> String {
    let path = format!("{}/fixtures/cerfa/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A crawled site: (fixture file, path on the site, depth).
struct Site {
    pages: Vec<(String, PageAnalysis, u32)>,
}

fn site(files: &[(&str, &str, u32)]) -> Site {
    Site {
        pages: files
            .iter()
            .map(|(file, path, depth)| {
                let url = format!("{BASE}{path}");
                let a = analyze_html(Url::parse(&url).expect("url"), &load(file));
                (url, a, *depth)
            })
            .collect(),
    }
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")
}

fn eval_with(s: &Site, findings: &[Finding], decl: Option<&Declarations>) -> CerfaReport {
    let d = Demarche::from_url(Url::parse(&format!("{BASE}/")).expect("url"));
    let pages: Vec<EvidencePage<'_>> = s
        .pages
        .iter()
        .map(|(url, a, depth)| EvidencePage {
            url,
            status: Some(200),
            depth: *depth,
            charset: Some("utf-8"),
            x_robots_tag: &[],
            evidence: &a.cerfa,
        })
        .collect();
    cerfa::evaluate(
        &d,
        &pages,
        findings,
        decl.and_then(|x| x.for_demarche(&d.id)),
        date(),
        None,
    )
}

fn eval(s: &Site) -> CerfaReport {
    let findings: Vec<Finding> = s
        .pages
        .iter()
        .flat_map(|(_, a, _)| a.findings.clone())
        .collect();
    eval_with(s, &findings, None)
}

fn status(r: &CerfaReport, n: u8) -> Status {
    r.criteria[usize::from(n) - 1].status
}

fn summary(r: &CerfaReport, n: u8) -> &str {
    &r.criteria[usize::from(n) - 1].summary
}

fn finding(rule: &str, outcome: Outcome, cerfa: &[u8]) -> Finding {
    Finding {
        rule: rule.to_string().into(),
        outcome,
        url: format!("{BASE}/").into(),
        targets: vec![],
        count: 1,
        message: "message".into(),
        rgaa: vec!["1.1".into()],
        wcag: Default::default(),
        act: Default::default(),
        cerfa: cerfa.to_vec().into(),
        details: None,
    }
}

#[test]
fn criteria_data_has_35_numbered_criteria() {
    let data = cerfa::data::criteria();
    let numbers: Vec<u8> = data.criteria.iter().map(|c| c.number).collect();
    assert_eq!(numbers, (1..=35).collect::<Vec<u8>>());
    assert!(data
        .criteria
        .iter()
        .all(|c| (1..=10).contains(&c.principle) && !c.label.is_empty()));
    assert_eq!(data.thresholds.markup_errors_max_exclusive, 5);
    assert_eq!(data.thresholds.declaration_max_age_years, 3);
    assert!(cerfa::data::is_public_host("www.impots.gouv.fr").is_some());
    assert!(cerfa::data::is_public_host("www.ameli.fr").is_some());
    assert!(cerfa::data::is_public_host("ameli.fr.example.com").is_none());
}

#[test]
fn exemplary_site_meets_the_measured_criteria() {
    let s = site(&[
        ("home-dsfr.html", "/", 0),
        ("declaration-complete.html", "/accessibilite.html", 1),
        ("contact-page.html", "/contact.html", 1),
        ("fc-dsfr.html", "/connexion.html", 1),
        ("form-steps.html", "/demande.html", 2),
        ("misc-links.html", "/services.html", 1),
    ]);
    let r = eval(&s);
    for (n, want) in [
        (1, Status::Met),
        (4, Status::Met),
        (8, Status::Met),
        (9, Status::Met),
        (11, Status::Met),
        (12, Status::Met),
        (13, Status::Met),
        (14, Status::Met),
        (18, Status::Met),
        (19, Status::Met),
        (20, Status::Met),
        (21, Status::Met),
        (23, Status::Met),
        (26, Status::Met),
        (29, Status::Met),
        (30, Status::Met),
        (31, Status::Met),
        (35, Status::Met),
        (32, Status::Unknown),
        (2, Status::Unknown),
    ] {
        assert_eq!(status(&r, n), want, "criterion {n}: {}", summary(&r, n));
    }
    // 15: the declaration is recevable but 2 of 6 pages have no footer link to it.
    let v = r.accessibility_declaration.as_ref().expect("declaration");
    assert_eq!(v.url, format!("{BASE}/accessibilite.html"));
    assert_eq!(v.age_days, Some(176));
    assert_eq!(v.pages_linking, 2);
    assert_eq!(v.pages_total, 6);
    assert!(v.contradiction.is_none());
    assert_eq!(
        v.reasons,
        ["lien « Accessibilité » absent du pied de page de 4 page(s) sur 6"]
    );
    assert_eq!(status(&r, 15), Status::NotMet);
    let c26 = &r.criteria[25];
    assert_eq!(c26.evidence[0].selector.as_deref(), Some("#fc"));
    assert!(
        c26.evidence[0].text.contains("intégration conforme"),
        "{}",
        c26.evidence[0].text
    );
}

#[test]
fn declaration_met_when_linked_from_every_page() {
    let s = site(&[
        ("home-dsfr.html", "/", 0),
        ("declaration-complete.html", "/accessibilite.html", 1),
    ]);
    let r = eval(&s);
    assert_eq!(status(&r, 15), Status::Met, "{}", summary(&r, 15));
    let v = r.accessibility_declaration.expect("v");
    assert!(v.recevable);
    assert!(v.reasons.is_empty());
}

#[test]
fn expired_schema_and_old_action_plan_are_not_recevable() {
    let s = site(&[
        ("home-dsfr.html", "/", 0),
        ("declaration-real-wording.html", "/accessibilite.html", 1),
    ]);
    let r = eval(&s);
    let v = r.accessibility_declaration.as_ref().expect("v");
    assert!(!v.recevable);
    assert_eq!(
        v.reasons,
        [
            "schéma pluriannuel expiré (2020–2022)",
            "pas de plan d'action pour 2026 (le plus récent trouvé : 2023)"
        ]
    );
    assert_eq!(status(&r, 15), Status::NotMet);
}

#[test]
fn declaration_older_than_three_years_is_not_recevable() {
    let s = site(&[
        ("home-dsfr.html", "/", 0),
        ("declaration-old.html", "/accessibilite.html", 1),
    ]);
    let r = eval(&s);
    let v = r.accessibility_declaration.as_ref().expect("v");
    assert!(!v.recevable);
    assert!(
        v.reasons
            .contains(&"déclaration de plus de 3 ans (datée du 03/02/2021)".to_string()),
        "{:?}",
        v.reasons
    );
    assert_eq!(status(&r, 15), Status::NotMet);
}

#[test]
fn declaration_whose_rate_contradicts_its_status() {
    let s = site(&[
        ("home-dsfr.html", "/", 0),
        ("declaration-contradicted.html", "/accessibilite.html", 1),
    ]);
    let r = eval_with(&s, &[], None);
    let v = r.accessibility_declaration.as_ref().expect("v");
    assert_eq!(
        v.contradiction.as_deref(),
        Some("La déclaration se dit « totalement conforme » mais publie un taux de 62 %.")
    );
    assert_eq!(status(&r, 15), Status::NotMet);
    assert!(summary(&r, 15).contains("déclaration contredite"));
}

#[test]
fn totally_conforming_declaration_contradicted_by_measured_failures() {
    let s = site(&[
        ("home-dsfr.html", "/", 0),
        ("declaration-contradicted.html", "/accessibilite.html", 1),
    ]);
    let mut f = finding("image-alt", Outcome::Failed, &[]);
    f.targets = vec![vigie::page::Target {
        selector: "#logo".into(),
        snippet: "<img id=\"logo\">".into(),
    }];
    let r = eval_with(&s, &[f], None);
    let c = r
        .accessibility_declaration
        .expect("v")
        .contradiction
        .expect("contradiction");
    assert!(
        c.ends_with(&format!("Déclarée « totalement conforme » alors que 1 non-conformité(s) RGAA ont été mesurées : image-alt sur {BASE}/ (#logo).")),
        "{c}"
    );
}

#[test]
fn accessibility_link_not_crawled_is_unknown_and_no_link_is_not_met() {
    let r = eval(&site(&[("home-dsfr.html", "/", 0)]));
    assert_eq!(status(&r, 15), Status::Unknown);
    let r = eval(&site(&[("footer-contentinfo-partial.html", "/", 0)]));
    assert_eq!(status(&r, 15), Status::Unknown, "{}", summary(&r, 15));
    let r = eval(&site(&[("markup-errors.html", "/", 0)]));
    assert_eq!(status(&r, 15), Status::NotMet);
}

#[test]
fn poor_site_fails_the_measured_criteria() {
    let s = site(&[
        ("markup-errors.html", "/", 0),
        ("form-no-steps.html", "/formulaire.html", 1),
        ("acronyms-unexpanded.html", "/remboursements.html", 1),
        ("responsive-fixed.html", "/ancien.html", 1),
        ("trackers-noindex.html", "/suivi.html", 1),
    ]);
    let r = eval(&s);
    for (n, want) in [
        (1, Status::NotMet),
        (4, Status::NotMet),
        (7, Status::NotMet),
        (9, Status::NotMet),
        (12, Status::NotMet),
        (13, Status::NotMet),
        (14, Status::NotMet),
        (15, Status::NotMet),
        (18, Status::NotMet),
        (19, Status::NotMet),
        (20, Status::NotMet),
        (21, Status::NotMet),
        (23, Status::NotMet),
        (26, Status::NotApplicable),
        (29, Status::NotMet),
        (30, Status::NotMet),
        (31, Status::NotMet),
        (35, Status::NotMet),
    ] {
        assert_eq!(status(&r, n), want, "criterion {n}: {}", summary(&r, n));
    }
    assert_eq!(
        summary(&r, 1),
        "Pas de balise viewport adaptée à la largeur de l'appareil."
    );
    let acronyms: Vec<&str> = r.criteria[6]
        .evidence
        .iter()
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(
        acronyms,
        [
            "CERFA : « Envoyez votre CERFA à la CPAM. »",
            "CPAM : « Envoyez votre CERFA à la CPAM. »"
        ]
    );
    assert!(summary(&r, 23).contains("www.googletagmanager.com"));
    assert_eq!(r.scores.all.not_applicable, 1);
    assert_eq!(r.scores.all.out_of, 34);
}

#[test]
fn franceconnect_verdicts() {
    let r = eval(&site(&[
        ("home-dsfr.html", "/", 0),
        ("login-no-fc.html", "/connexion.html", 1),
    ]));
    assert_eq!(status(&r, 26), Status::NotMet);
    // A login link whose page was not visited: unknown, not "not applicable".
    let r = eval(&site(&[("home-dsfr.html", "/", 0)]));
    assert_eq!(status(&r, 26), Status::Unknown);
    let r = eval(&site(&[
        ("home-dsfr.html", "/", 0),
        ("fc-legacy-image.html", "/espace.html", 1),
    ]));
    assert_eq!(status(&r, 26), Status::Met);
    assert!(r.criteria[25].evidence[0]
        .text
        .contains("bouton placé après la connexion par mot de passe"));
    let r = eval(&site(&[("fc-plus-no-info.html", "/", 0)]));
    assert_eq!(status(&r, 26), Status::Met);
    assert!(r.criteria[25].evidence[0]
        .text
        .starts_with("bouton FranceConnect+"));
    assert!(r.criteria[25].evidence[0]
        .text
        .contains("lien « Qu'est-ce que FranceConnect ? » absent"));
}

#[test]
fn start_page_that_is_only_a_login_form_fails_8() {
    let r = eval(&site(&[("login-no-fc.html", "/", 0)]));
    assert_eq!(status(&r, 8), Status::NotMet);
    assert_eq!(status(&r, 1), Status::NotMet);
}

#[test]
fn keyboard_and_contrast_from_rule_findings() {
    let s = site(&[("home-dsfr.html", "/", 0)]);
    let r = eval_with(&s, &[finding("kbd", Outcome::Failed, &[16])], None);
    assert_eq!(status(&r, 16), Status::NotMet);
    let r = eval_with(&s, &[finding("kbd", Outcome::Passed, &[16])], None);
    assert_eq!(
        status(&r, 16),
        Status::Unknown,
        "no problem found is still to confirm"
    );
    let r = eval_with(
        &s,
        &[finding("color-contrast", Outcome::Passed, &[17])],
        None,
    );
    assert_eq!(status(&r, 17), Status::Met);
    let r = eval_with(
        &s,
        &[
            finding("color-contrast", Outcome::Passed, &[17]),
            finding("color-contrast", Outcome::CantTell, &[17]),
        ],
        None,
    );
    assert_eq!(status(&r, 17), Status::Unknown);
    let r = eval_with(
        &s,
        &[finding("color-contrast", Outcome::Failed, &[17])],
        None,
    );
    assert_eq!(status(&r, 17), Status::NotMet);
    let r = eval_with(&s, &[], None);
    assert_eq!(status(&r, 17), Status::Unknown);
}

#[test]
fn declarations_fill_unknowns_and_never_override_measures() {
    let s = site(&[("markup-errors.html", "/", 0)]);
    let id = Demarche::from_url(Url::parse(&format!("{BASE}/")).expect("url")).id;
    let toml = format!(
        "[demarches.{id}.cerfa.2]\nvalue = \"met\"\ncomment = \"Tests avec des usagers\"\ndate = \"2026-03-10\"\nauthor = \"Équipe\"\n\n[demarches.{id}.cerfa]\n18 = {{ value = \"met\" }}\n16 = {{ value = \"met\" }}\n3 = {{ value = \"non\" }}\n"
    );
    let decl = Declarations::parse(&toml, "test.toml").expect("parse");
    let r = eval_with(
        &s,
        &[
            finding("kbd", Outcome::Passed, &[16]),
            finding("color-contrast", Outcome::Passed, &[17]),
        ],
        Some(&decl),
    );
    let c2 = &r.criteria[1];
    assert_eq!((c2.status, c2.source), (Status::Met, Source::Declared));
    assert_eq!(
        c2.declaration.as_ref().and_then(|d| d.author.as_deref()),
        Some("Équipe")
    );
    let c3 = &r.criteria[2];
    assert_eq!((c3.status, c3.source), (Status::NotMet, Source::Declared));
    let c18 = &r.criteria[17];
    assert_eq!((c18.status, c18.source), (Status::NotMet, Source::Measured));
    assert_eq!(
        c18.disagreement.as_deref(),
        Some("La déclaration (rempli) contredit la mesure (non rempli) : la mesure l'emporte.")
    );
    let c16 = &r.criteria[15];
    assert_eq!(
        (c16.status, c16.source, c16.measured),
        (Status::Met, Source::Declared, Status::Unknown)
    );
    let c33 = &r.criteria[32];
    assert_eq!((c33.status, c33.source), (Status::Unknown, Source::Unknown));
    // Accessibility: 15 not met (no declaration), 16 declared met, 17 measured met.
    let a = &r.scores.accessibility;
    assert_eq!(
        (
            a.met,
            a.out_of,
            a.measured_met,
            a.declared_met,
            a.not_met,
            a.unknown
        ),
        (2, 3, 1, 1, 1, 0)
    );
    assert_eq!(a.percent, 66.7);
    let all = &r.scores.all;
    assert_eq!(all.met, all.measured_met + all.declared_met);
    assert_eq!(all.met + all.not_met + all.unknown + all.not_applicable, 35);
    assert_eq!(all.declared_met, 2);
}

#[test]
fn bad_declarations_files_are_rejected_clearly() {
    let e =
        Declarations::parse("[demarches.x.cerfa.36]\nvalue = \"met\"\n", "d.toml").expect_err("36");
    assert_eq!(
        e.to_string(),
        "fichier de déclarations d.toml, ligne 1 : x : « 36 » n'est pas un numéro de critère Cerfa (valides : 1 à 35)"
    );
    let e = Declarations::parse("\n[demarches.x.cerfa.2]\nvalue = \"peut-être\"\n", "d.toml")
        .expect_err("value");
    assert!(
        e.to_string().starts_with(
            "fichier de déclarations d.toml, ligne 2 : x, critère 2 : unknown variant `peut-être`"
        ),
        "{e}"
    );
    // The old format is still read, with a deprecation note.
    let old = Declarations::parse("[x.2]\nvalue = \"met\"\n", "d.toml").expect("old format");
    assert!(old.for_demarche("x").is_some_and(|m| m.len() == 1));
    assert!(old.notes.iter().any(|n| n.contains("obsolète")));
    let e = Declarations::parse("[x.36]\nvalue = \"met\"\n", "d.toml").expect_err("old 36");
    assert!(
        e.to_string()
            .contains("« 36 » n'est pas un numéro de critère"),
        "{e}"
    );
    let demo = Declarations::parse(vigie::demo::DEMO_DECLARATIONS, "demo").expect("demo file");
    assert!(demo.notes.is_empty(), "{:?}", demo.notes);
    assert!(demo.for_demarche("exemplaire-aide").is_some());
    assert!(demo
        .get("exemplaire-aide")
        .is_some_and(|d| d.indicateurs.contains_key("satisfaction")));
}

#[test]
fn report_declarations_are_reapplied_to_a_written_evaluation() {
    let s = site(&[("markup-errors.html", "/", 0)]);
    let mut r = eval_with(&s, &[], None);
    assert_eq!(r.criteria[1].source, Source::Unknown);
    let before = r.scores.all.met;
    let id = Demarche::from_url(Url::parse(&format!("{BASE}/")).expect("url")).id;
    let decl = Declarations::parse(
        &format!(
            "[demarches.{id}.cerfa]\n2 = {{ value = \"met\", author = \"Équipe\" }}\n18 = {{ value = \"met\" }}\n"
        ),
        "d.toml",
    )
    .expect("parse");
    cerfa::score::redeclare(&mut r, decl.for_demarche(&id));
    let c2 = &r.criteria[1];
    assert_eq!((c2.status, c2.source), (Status::Met, Source::Declared));
    let c18 = &r.criteria[17];
    assert_eq!((c18.status, c18.source), (Status::NotMet, Source::Measured));
    assert!(c18.disagreement.is_some());
    assert_eq!(r.scores.all.met, before + 1);
    assert_eq!(r.scores.all.declared_met, 1);
    // Without declarations, back to the measure alone.
    cerfa::score::redeclare(&mut r, None);
    assert_eq!(r.criteria[1].source, Source::Unknown);
    assert!(r.criteria[17].disagreement.is_none());
    assert_eq!(r.scores.all.met, before);
}

#[test]
fn an_application_shell_leaves_content_criteria_unknown_not_unmet() {
    // The served page is an empty application root: footer, help, contact and FranceConnect
    // only exist once its scripts run, so their absence is not concluded.
    let s = site(&[("app-shell.html", "/", 0)]);
    let r = eval(&s);
    for n in [12, 13, 19] {
        assert_eq!(status(&r, n), Status::Unknown, "{n}: {}", summary(&r, n));
        assert!(
            summary(&r, n).contains("construite par script"),
            "{n}: {}",
            summary(&r, n)
        );
    }
    // What does not depend on the page's content is still judged (the domain).
    assert_eq!(status(&r, 11), Status::Met, "{}", summary(&r, 11));
    // The same criteria on a served page without footer nor help are not met.
    let plain = site(&[("contact-none.html", "/", 0)]);
    let r = eval(&plain);
    assert_eq!(status(&r, 19), Status::NotMet, "{}", summary(&r, 19));
}
