//! The site with a history: three crafted runs recorded in a temporary store give a progress page
//! listing exactly those runs with their figures and changes in words, sparklines in the index
//! with the right points and accessible text, no sparkline for a démarche audited once, hostile
//! names escaped; and `vigie report --db` writes the same pages from a report.json.

use std::path::{Path, PathBuf};
use vigie::page::Attribute;

use common::render_site;
use url::Url;
use vigie::audit::{audit, AuditOptions};
use vigie::catalogue::Demarche;
use vigie::crawl::FetchConfig;
use vigie::history;
use vigie::model::AuditSettings;
use vigie::page::{ElementRef, Page};
use vigie::report::site::SiteOptions;
use vigie::report::Report;
use vigie::rules::Outcome;
use vigie::serve::{start, Source};
use vigie::store::Store;

mod common;

const HOSTILE: &str = "<script>document.title='XSS-PROG'</script> Suivi & co";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/sites")
        .join(name)
}

/// One audit of the `ancien` fixture site (it has failures), as démarche `suivi`.
async fn audited() -> Report {
    let server = start(Source::Disk(fixture("ancien")))
        .await
        .expect("serveur ancien");
    let mut d = Demarche::from_url(Url::parse(&server.url()).expect("url"));
    d.id = "suivi".into();
    d.name = HOSTILE.into();
    let opts = AuditOptions {
        settings: AuditSettings {
            fetch: FetchConfig {
                requests_per_second: 100.0,
                ..FetchConfig::default()
            },
            ..AuditSettings::default()
        },
        progress: false,
        ..AuditOptions::default()
    };
    audit(&[d], &opts).await.expect("audit")
}

/// A run of the audited report with chosen headline figures; `drop_failure` removes the first
/// failed finding (a fix: its page is still analysed).
fn crafted(
    base: &Report,
    started_at: &str,
    cerfa: f64,
    a11y: f64,
    rgaa: f64,
    drop_failure: bool,
) -> Report {
    let mut r = base.clone();
    r.started_at = started_at.into();
    r.finished_at = started_at.into();
    let d = &mut r.demarches[0];
    if drop_failure {
        let i = d
            .findings
            .iter()
            .position(|f| f.outcome == Outcome::Failed)
            .expect("un échec à corriger");
        d.findings.remove(i);
        d.summary.failed -= 1;
    }
    let c = d.cerfa.as_mut().expect("section Cerfa");
    c.scores.all.percent = cerfa;
    c.scores.all_pct = cerfa;
    c.scores.accessibility.percent = a11y;
    c.scores.accessibility_pct = a11y;
    d.rgaa.as_mut().expect("section RGAA").automated_rate = Some(rgaa);
    let ind = d
        .indicators
        .iter_mut()
        .find(|i| i.id == "cerfa")
        .expect("indicateur Cerfa");
    ind.value = Some(cerfa);
    r
}

/// A second démarche, present in the last run only.
fn with_newcomer(mut r: Report) -> Report {
    let mut other = r.demarches[0].clone();
    other.demarche.id = "nouvelle".into();
    other.demarche.name = "Nouvelle démarche".into();
    r.demarches.push(other);
    r
}

struct Site {
    _dir: tempfile::TempDir,
    db: PathBuf,
    last: Report,
    failed: usize,
    files: Vec<(String, String)>,
}

/// Three runs made from one audit: scores rising, a failure fixed, a newcomer démarche.
fn runs_of(base: &Report) -> [Report; 3] {
    [
        crafted(base, "2026-01-10T09:00:00Z", 54.0, 33.3, 80.0, false),
        crafted(base, "2026-02-10T09:00:00Z", 62.5, 66.7, 85.0, true),
        with_newcomer(crafted(
            base,
            "2026-03-10T09:00:00Z",
            71.0,
            66.7,
            75.0,
            false,
        )),
    ]
}

async fn site() -> Site {
    let base = audited().await;
    let failed = base.demarches[0].summary.failed;
    assert!(failed >= 2, "le site ancien a des échecs ({failed})");
    let runs = runs_of(&base);
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("vigie.db");
    let mut store = Store::open(&db).expect("base");
    for r in &runs {
        store.record(r, "test").expect("enregistrement");
    }
    let h = history::for_site(&store).expect("historique");
    let last = runs[2].clone();
    let files = render_site(
        &last,
        &SiteOptions {
            history: Some(&h),
            ..Default::default()
        },
    )
    .into_iter()
    .filter(|(n, _)| n.ends_with(".html"))
    .map(|(n, b)| (n, String::from_utf8(b).expect("utf-8")))
    .collect();
    Site {
        _dir: dir,
        db,
        last,
        failed,
        files,
    }
}

fn file<'a>(files: &'a [(String, String)], name: &str) -> &'a str {
    files
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, h)| h.as_str())
        .unwrap_or_else(|| panic!("{name} absent"))
}

/// Text of an element, its text nodes separated by one space.
fn txt(el: ElementRef<'_>) -> String {
    el.text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Elements matching a selector built by the test (`Page::select` takes literals only).
fn all<'a>(page: &'a Page, css: &str) -> Vec<ElementRef<'a>> {
    let selector = scraper::Selector::parse(css).expect("selector");
    page.dom.select(&selector).collect()
}

fn parse(name: &str, html: &str) -> Page {
    Page::parse(
        Url::parse(&format!("file:///site/{name}")).expect("url"),
        html,
    )
}

/// The cells of the rows of the first table matching `sel`, as normalised text.
fn table(page: &Page, sel: &str) -> Vec<Vec<String>> {
    all(page, &format!("{sel} tbody tr"))
        .into_iter()
        .map(|tr| {
            tr.children()
                .filter_map(ElementRef::wrap)
                .map(txt)
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn progress_page_lists_the_runs_with_their_figures() {
    let s = site().await;
    let html = file(&s.files, "progres-suivi.html");
    let page = parse("progres-suivi.html", html);
    let tables = all(&page, "table.progression");
    assert_eq!(tables.len(), 2, "scores, puis niveaux");
    let rows = table(&page, "section[aria-labelledby=scores] table");
    let f = s.failed;
    let expected: Vec<Vec<String>> = vec![
        vec![
            "#1".into(),
            "2026-01-10 09:00 UTC".into(),
            "54 %".into(),
            "33,3 %".into(),
            "80 %".into(),
            format!("{f}"),
        ],
        vec![
            "#2".into(),
            "2026-02-10 09:00 UTC".into(),
            "62,5 % +8,5 points, en progrès".into(),
            "66,7 % +33,4 points, en progrès".into(),
            "85 % +5 points, en progrès".into(),
            format!("{} −1, en progrès", f - 1),
        ],
        vec![
            "#3".into(),
            "2026-03-10 09:00 UTC".into(),
            "71 % +8,5 points, en progrès".into(),
            "66,7 % stable".into(),
            "75 % −10 points, en recul".into(),
            format!("{f} +1, en recul"),
        ],
    ];
    assert_eq!(rows.len(), 3, "exactement les trois audits : {rows:?}");
    for (row, want) in rows.iter().zip(&expected) {
        assert_eq!(&row[..6], &want[..], "{row:?}");
    }
    assert_eq!(rows[0][8], "premier audit enregistré");
    assert_eq!(rows[1][8], "1 corrigé(s), 0 nouveau(x) depuis #1");
    assert_eq!(rows[2][8], "0 corrigé(s), 1 nouveau(x) depuis #2");
    // Changes carry their class and their words.
    assert!(html.contains(r#"<small class="moins-bien">−10 points, en recul</small>"#));
    // The chart: role img, its title states the trend; one marker per run and series.
    let svg = all(&page, "svg.courbes");
    assert_eq!(svg.len(), 1);
    assert_eq!(svg[0].value().attribute("role"), Some("img"));
    let title = txt(all(&page, "svg.courbes title")[0]);
    assert_eq!(
        title,
        "Évolution sur 3 audits, du 2026-01-10 09:00 UTC au 2026-03-10 09:00 UTC : score cerfa 54 % → 71 % ; accessibilité cerfa (15–17) 33,3 % → 66,7 % ; taux rgaa automatisé 80 % → 75 %."
    );
    assert_eq!(all(&page, "svg.courbes polyline").len(), 3);
    assert_eq!(all(&page, "svg.courbes circle").len(), 3);
    let levels = table(&page, "section[aria-labelledby=niveaux] table");
    assert_eq!(levels.len(), 3);
    assert_eq!(
        levels[0].len(),
        1 + vigie::indicators::config().indicators.len()
    );
    // The démarche page links to it; the newcomer has a one-run page without chart.
    let dp = file(&s.files, "demarche-suivi.html");
    assert!(dp.contains(r#"<a href="progres-suivi.html">Progression de la démarche sur 3 audit(s) enregistré(s)</a>"#));
    let one = parse(
        "progres-nouvelle.html",
        file(&s.files, "progres-nouvelle.html"),
    );
    assert_eq!(
        table(&one, "section[aria-labelledby=scores] table").len(),
        1
    );
    assert!(all(&one, "svg").is_empty());
    assert!(file(&s.files, "progres-nouvelle.html").contains("Un seul audit enregistré"));
}

#[tokio::test]
async fn index_sparklines_have_the_right_points_and_text() {
    let s = site().await;
    let index = parse("index.html", file(&s.files, "index.html"));
    let rows = all(&index, "#observatoire tbody tr");
    assert_eq!(rows.len(), 2);
    let cols = vigie::indicators::config();
    let cerfa_col = 3 + cols
        .indicators
        .iter()
        .position(|d| d.id == "cerfa")
        .expect("colonne Cerfa");
    let cell = |row: usize, col: usize| {
        rows[row]
            .children()
            .filter_map(ElementRef::wrap)
            .nth(col)
            .expect("cellule")
    };
    let cerfa = cell(0, cerfa_col);
    let svg: Vec<_> = cerfa
        .select(&scraper::Selector::parse("svg.tendance").expect("sel"))
        .collect();
    assert_eq!(svg.len(), 1, "une courbe pour le score Cerfa");
    assert_eq!(svg[0].value().attribute("role"), Some("img"));
    let title = svg[0]
        .select(&scraper::Selector::parse("title").expect("sel"))
        .next()
        .expect("title");
    assert_eq!(txt(title), "Cerfa numérique : 54 % → 71 % sur 3 audits");
    assert_eq!(
        svg[0].value().attribute("aria-labelledby"),
        title.value().attribute("id")
    );
    let points = svg[0]
        .select(&scraper::Selector::parse("polyline").expect("sel"))
        .next()
        .and_then(|p| p.value().attribute("points"))
        .expect("points");
    let pts: Vec<(f64, f64)> = points
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').expect("x,y");
            (x.parse().expect("x"), y.parse().expect("y"))
        })
        .collect();
    assert_eq!(pts.len(), 3);
    // Oldest left, rising values drawn higher (smaller y).
    assert!(pts[0].0 < pts[1].0 && pts[1].0 < pts[2].0);
    assert!(pts[0].1 > pts[1].1 && pts[1].1 > pts[2].1);
    // Every sparkline id is unique and named by its title.
    let ids: Vec<_> = all(&index, "svg.tendance title")
        .iter()
        .filter_map(|t| t.value().attribute("id").map(str::to_string))
        .collect();
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len());
    // The newcomer was audited once: no sparkline in its row, but a progress link.
    assert_eq!(
        rows[1]
            .select(&scraper::Selector::parse("svg").expect("sel"))
            .count(),
        0
    );
    assert!(rows[1]
        .select(&scraper::Selector::parse("a[href='progres-nouvelle.html']").expect("sel"))
        .next()
        .is_some());
}

#[tokio::test]
async fn hostile_names_stay_escaped_and_pages_pass_vigie_rules() {
    let s = site().await;
    let css = vigie::report::site::stylesheet();
    let mut problems = Vec::new();
    for name in ["index.html", "progres-suivi.html", "progres-nouvelle.html"] {
        let html = file(&s.files, name);
        assert!(!html.contains("<script>document"), "{name}");
        if name != "progres-nouvelle.html" {
            assert!(
                html.contains("&lt;script&gt;document.title=&#x27;XSS-PROG&#x27;"),
                "{name} : nom échappé affiché"
            );
        }
        problems.extend(common::own_rule_failures(name, html, &css).1);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn report_subcommand_reads_the_history_from_db() {
    let s = site().await;
    let dir = tempfile::tempdir().expect("tmp");
    let json = s.last.write_json(dir.path()).expect("report.json");
    let out = dir.path().join("site");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .arg("report")
        .arg(&json)
        .arg("--out")
        .arg(&out)
        .arg("--db")
        .arg(&s.db)
        .output()
        .expect("vigie report");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let page = std::fs::read_to_string(out.join("progres-suivi.html")).expect("progression");
    let rows = table(
        &parse("progres-suivi.html", &page),
        "section[aria-labelledby=scores] table",
    );
    let runs: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(runs, ["#1", "#2", "#3"]);
    // Without --db: no progress page, and the pages say why.
    let bare = dir.path().join("sans-base");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .arg("report")
        .arg(&json)
        .arg("--out")
        .arg(&bare)
        .output()
        .expect("vigie report");
    assert!(run.status.success());
    assert!(!bare.join("progres-suivi.html").exists());
    let index = std::fs::read_to_string(bare.join("index.html")).expect("index");
    assert!(index.contains("Historique non disponible"));
    assert!(!index.contains("svg class=\"tendance\""));
    // A missing database is a clear error.
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .arg("report")
        .arg(&json)
        .arg("--db")
        .arg(dir.path().join("absente.db"))
        .output()
        .expect("vigie report");
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("base introuvable"));
}

/// The same runs recorded in PostgreSQL give the same history, hence the same pages, byte for
/// byte; `vigie report --db postgres://…` reads it.
#[tokio::test]
async fn the_history_from_postgres_is_the_same() {
    let Some(url) = common::pg::shared_database("site_history") else {
        return;
    };
    let base = audited().await;
    let runs = runs_of(&base);
    let dir = tempfile::tempdir().expect("tmp");
    let pages_of = |db: &str| {
        let mut store = Store::open_db(db).expect("base");
        for r in &runs {
            store.record(r, "test").expect("enregistrement");
        }
        let h = history::for_site(&store).expect("historique");
        render_site(
            &runs[2],
            &SiteOptions {
                history: Some(&h),
                ..Default::default()
            },
        )
    };
    let sqlite_path = dir.path().join("v.db").to_string_lossy().into_owned();
    let sqlite = pages_of(&sqlite_path);
    let postgres = pages_of(&url);
    // The pages name the database they read (its URL without password): that aside, equal.
    let unnamed = |bytes: &[u8], label: &str| {
        String::from_utf8_lossy(bytes).replace(&label.replace('/', "&#x2f;"), "BASE")
    };
    let pg_label = vigie::store::postgres::redact(&url);
    assert!(!pg_label.contains(common::pg::PASSWORD));
    assert_eq!(sqlite.len(), postgres.len());
    for ((a, x), (b, y)) in sqlite.iter().zip(&postgres) {
        assert_eq!(a, b);
        let (x, y) = (unnamed(x, &sqlite_path), unnamed(y, &pg_label));
        if x != y {
            let at = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
            let around = |t: &str| {
                t.chars()
                    .skip(at.saturating_sub(200))
                    .take(400)
                    .collect::<String>()
            };
            panic!(
                "{a} diffère entre SQLite et PostgreSQL :\n{}\n---\n{}",
                around(&x),
                around(&y)
            );
        }
    }
    let json = runs[2].write_json(dir.path()).expect("report.json");
    let out = dir.path().join("site");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .arg("report")
        .arg(&json)
        .arg("--out")
        .arg(&out)
        .arg("--db")
        .arg(&url)
        .output()
        .expect("vigie report");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let page = std::fs::read_to_string(out.join("progres-suivi.html")).expect("progression");
    let rows = table(
        &parse("progres-suivi.html", &page),
        "section[aria-labelledby=scores] table",
    );
    let runs: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(runs, ["#1", "#2", "#3"]);
}

/// `vigie audit` records the run first, then writes the site with a history that includes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_command_writes_progress_including_the_run_just_recorded() {
    let work = tempfile::tempdir().expect("tmp");
    audit_twice_on(&work.path().join("v.db").to_string_lossy()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_command_writes_progress_the_same_on_postgres() {
    let Some(db) = common::pg::shared_database("audit_progress") else {
        return;
    };
    audit_twice_on(&db).await;
}

/// `db`: a SQLite path or a PostgreSQL URL.
async fn audit_twice_on(db: &str) {
    let site = tempfile::tempdir().expect("tmp");
    let page = |alt: &str| {
        format!(
            r#"<!doctype html><html lang="fr"><head><title>Accueil</title></head><body><main><h1>Accueil</h1><img id="logo" src="logo.png"{alt}></main></body></html>"#
        )
    };
    std::fs::write(site.path().join("index.html"), page("")).expect("écriture");
    let server = start(Source::Disk(site.path().to_path_buf()))
        .await
        .expect("serveur");
    let work = tempfile::tempdir().expect("tmp");
    let out = work.path().join("site");
    let audit_once = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
            .arg("audit")
            .arg(server.url())
            .arg("--out")
            .arg(&out)
            .arg("--db")
            .arg(db)
            .args(["--rate", "100", "--allow-private", "--no-sitemaps"])
            .output()
            .expect("vigie audit")
    };
    let first = audit_once();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let name = std::fs::read_dir(&out)
        .expect("site")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .find(|n| n.starts_with("progres-"))
        .expect("page de progression dès le premier audit");
    let one = std::fs::read_to_string(out.join(&name)).expect("progression");
    assert_eq!(
        table(&parse(&name, &one), "section[aria-labelledby=scores] table").len(),
        1
    );
    std::fs::write(site.path().join("index.html"), page(r#" alt="Logo""#)).expect("écriture");
    let second = audit_once();
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    let two = std::fs::read_to_string(out.join(&name)).expect("progression");
    let rows = table(&parse(&name, &two), "section[aria-labelledby=scores] table");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][0], "#1");
    assert_eq!(rows[1][0], "#2");
    assert!(
        rows[1][8].starts_with("1 corrigé(s), 0 nouveau(x) depuis #1"),
        "{:?}",
        rows[1]
    );
}

/// `campaign::publish` tells each step as it ends, in the order `vigie audit` writes them
/// (store, report.json, site), with the paths it wrote: the bench times its phases by these
/// kinds, not by counting lines.
#[tokio::test]
async fn publish_tells_each_step_with_what_it_wrote() {
    use vigie::campaign::{publish, Published};
    let report = audited().await;
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("vigie.db");
    let out = dir.path().join("sortie");
    std::fs::create_dir_all(&out).expect("dossier");
    let mut store = Store::open(&db).expect("base");
    let mut told: Vec<(String, String)> = Vec::new();
    publish(&report, &out, Some(&mut store), "test", None, &mut |done| {
        let kind = match &done {
            Published::Recorded { run_id, store } => {
                assert_eq!(*run_id, 1);
                assert_eq!(*store, db.as_path());
                "base"
            }
            Published::HistoryUnreadable(_) => "historique",
            Published::Report(path) => {
                assert!(path.is_file(), "{}", path.display());
                "rapport"
            }
            Published::Site(index) => {
                assert!(index.is_file(), "{}", index.display());
                "site"
            }
        };
        told.push((kind.to_string(), done.to_string()));
    })
    .expect("publication");
    let kinds: Vec<&str> = told.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["base", "rapport", "site"]);
    assert_eq!(
        told[0].1,
        format!("exécution #1 enregistrée dans {}", db.display())
    );
    assert_eq!(
        told[1].1,
        format!("rapport écrit : {}", out.join("report.json").display())
    );
    assert_eq!(
        told[2].1,
        format!("site écrit : {}", out.join("index.html").display())
    );
}
