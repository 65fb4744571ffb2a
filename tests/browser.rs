//! The report site in a real browser (headless Chromium): pages load without console errors,
//! sorting and filtering change the rows (state in the URL fragment), the hostile fixture runs
//! nothing, and a screenshot of index.html is saved.
//!
//! Needs Debian's `chromium` (.ci/run installs it). Without it the tests fail, unless
//! VIGIE_SKIP_BROWSER=1.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use vigie::page::Attribute;

use url::Url;
use vigie::audit::{audit, AuditOptions};
use vigie::catalogue::Demarche;
use vigie::crawl::FetchConfig;
use vigie::model::AuditSettings;
use vigie::page::{normalize_space, Page};
use vigie::report::site::{write_site, SiteOptions};
use vigie::report::Report;

const HOSTILE_NAME: &str = "<script>document.title='XSS-NOM'</script> {{ 7*7 }}";

fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("VIGIE_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// The browser, or None when the tests may be skipped; panics with a clear message otherwise.
fn browser() -> Option<PathBuf> {
    match chromium() {
        Some(p) => Some(p),
        None if std::env::var("VIGIE_SKIP_BROWSER").as_deref() == Ok("1") => {
            eprintln!("chromium absent : test navigateur sauté (VIGIE_SKIP_BROWSER=1)");
            None
        }
        None => panic!(
            "chromium introuvable : installer Debian chromium (apt-get install -y chromium), \
             ou définir VIGIE_CHROMIUM=/chemin, ou VIGIE_SKIP_BROWSER=1 pour sauter ce test"
        ),
    }
}

struct Site {
    dir: PathBuf,
    report: Report,
}

/// The demo sites plus the hostile fixture, audited once, their site written under target/.
fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let report = rt.block_on(async {
            let demo = vigie::demo::start().await.expect("sites de démonstration");
            let piege_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sites/piege");
            let piege = vigie::serve::start(vigie::serve::Source::Disk(piege_dir))
                .await
                .expect("serveur piege");
            let mut demarches = demo.catalogue.demarches.clone();
            let mut d = Demarche::from_url(Url::parse(&piege.url()).expect("url"));
            d.id = "piege".into();
            d.name = HOSTILE_NAME.into();
            d.operator = "\"><img src=x onerror=document.title='XSS-OP'>".into();
            d.ministry = "</textarea><script>document.title='XSS-MIN'</script>".into();
            demarches.push(d);
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
            audit(&demarches, &opts).await.expect("audit")
        });
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("vigie-browser-site");
        let _ = std::fs::remove_dir_all(&dir);
        report.write_json(&dir).expect("report.json");
        // Two runs in a store: sparklines in the index and progress pages load in the browser too.
        let db = tempfile::tempdir().expect("tmp");
        let mut store = vigie::store::Store::open(&db.path().join("v.db")).expect("base");
        let mut earlier = report.clone();
        earlier.started_at = "2026-01-01T00:00:00Z".into();
        store.record(&earlier, "test").expect("enregistrement");
        store.record(&report, "test").expect("enregistrement");
        let history = vigie::history::for_site(&store).expect("historique");
        write_site(
            &report,
            &dir,
            &SiteOptions {
                history: Some(&history),
                ..Default::default()
            },
        )
        .expect("site");
        assert!(dir.join("progres-piege.html").is_file());
        Site { dir, report }
    })
}

/// Run headless Chromium on a file URL with extra flags; returns (stdout, stderr).
fn run_chromium(bin: &Path, extra: &[&str], url: &str) -> (String, String) {
    let profile = tempfile::tempdir().expect("profil");
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lancement de chromium");
    // Read both pipes on threads so a chatty browser never blocks.
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let out_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out_pipe, &mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err_pipe, &mut s);
        s
    });
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > Duration::from_secs(90) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium n'a pas fini en 90 s sur {url}");
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => panic!("chromium : {e}"),
        }
    }
    (
        out_t.join().unwrap_or_default(),
        err_t.join().unwrap_or_default(),
    )
}

fn file_url(path: &Path, fragment: &str) -> String {
    let mut u = Url::from_file_path(path).expect("chemin absolu");
    if !fragment.is_empty() {
        u.set_fragment(Some(fragment));
    }
    u.to_string()
}

/// Console problems: uncaught errors, CSP refusals, failed loads.
fn console_errors(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Refused to"))
        .filter(|l| {
            [
                "Uncaught",
                "Refused",
                "violates",
                "Error",
                "ERR_",
                "Failed to load",
            ]
            .iter()
            .any(|w| l.contains(w))
        })
        .map(str::to_string)
        .collect()
}

/// Names of the table's rows in DOM order, with whether each is shown.
fn rows(dom: &str) -> Vec<(String, bool)> {
    let page = Page::parse(Url::parse("file:///dump.html").expect("url"), dom);
    page.select("#observatoire tbody tr")
        .map(|tr| {
            let name = tr
                .select(&vigie::page::sel("th > a:first-child"))
                .next()
                .map(|th| normalize_space(&th.text().collect::<String>()))
                .unwrap_or_default();
            (name, tr.value().attribute("hidden").is_none())
        })
        .collect()
}

fn dump(bin: &Path, path: &Path, fragment: &str) -> String {
    let (dom, err) = run_chromium(bin, &["--dump-dom"], &file_url(path, fragment));
    let errors = console_errors(&err);
    assert!(
        errors.is_empty(),
        "erreurs de console :\n{}",
        errors.join("\n")
    );
    assert!(
        dom.contains("data-js=\"pret\"") || !path.ends_with("index.html"),
        "le script de tri ne s'est pas exécuté : {}",
        &dom[..dom.len().min(500)]
    );
    dom
}

#[test]
fn sorting_and_filtering_change_the_rows() {
    let Some(bin) = browser() else { return };
    let site = site();
    let index = site.dir.join("index.html");
    let plain = rows(&dump(&bin, &index, ""));
    assert_eq!(plain.len(), site.report.demarches.len());
    assert!(plain.iter().all(|(_, shown)| *shown));

    let asc: Vec<String> = rows(&dump(&bin, &index, "sort=nom&dir=asc"))
        .into_iter()
        .map(|r| r.0)
        .collect();
    let desc: Vec<String> = rows(&dump(&bin, &index, "sort=nom&dir=desc"))
        .into_iter()
        .map(|r| r.0)
        .collect();
    let mut expected: Vec<String> = plain.iter().map(|r| r.0.clone()).collect();
    expected.sort_by_key(|n| n.to_lowercase());
    assert_eq!(asc, expected, "tri croissant par nom");
    let mut rev = asc.clone();
    rev.reverse();
    assert_eq!(desc, rev, "tri décroissant par nom");
    assert_ne!(
        asc,
        plain.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
        "le tri change l'ordre"
    );

    // Numeric sort: most failed RGAA criteria first.
    let by_rgaa: Vec<String> = rows(&dump(&bin, &index, "sort=rgaa_auto&dir=desc"))
        .into_iter()
        .map(|r| r.0)
        .collect();
    let worst = site
        .report
        .demarches
        .iter()
        .max_by(|a, b| {
            let v = |d: &vigie::report::DemarcheReport| {
                d.indicators
                    .iter()
                    .find(|i| i.id == "rgaa_auto")
                    .and_then(|i| i.value)
                    .unwrap_or(-1.0)
            };
            v(a).total_cmp(&v(b))
        })
        .expect("démarches");
    assert_eq!(by_rgaa[0], normalize_space(&worst.demarche.name));

    let by_operator = rows(&dump(&bin, &index, "operateur=Office%20historique"));
    let shown: Vec<&String> = by_operator.iter().filter(|r| r.1).map(|r| &r.0).collect();
    assert_eq!(shown, vec!["Ancien portail des formulaires"]);

    let by_ministry = rows(&dump(
        &bin,
        &index,
        "ministere=Minist%C3%A8re%20de%20la%20d%C3%A9monstration",
    ));
    assert_eq!(by_ministry.iter().filter(|r| r.1).count(), 2);

    // Text search ignores case and accents.
    let searched = rows(&dump(&bin, &index, "q=CONNECTE"));
    let shown: Vec<&String> = searched.iter().filter(|r| r.1).map(|r| &r.0).collect();
    assert_eq!(shown, vec!["Espace personnel connecté"]);
}

#[test]
fn hostile_fixture_runs_nothing() {
    let Some(bin) = browser() else { return };
    let site = site();
    for name in ["index.html", "demarche-piege.html", "progres-piege.html"] {
        let dom = dump(&bin, &site.dir.join(name), "");
        let page = Page::parse(Url::parse("file:///dump.html").expect("url"), &dom);
        let title = page.title().unwrap_or_default();
        assert!(
            !title.starts_with("XSS-"),
            "{name} : titre modifié par un script : {title}"
        );
        if name == "demarche-piege.html" {
            assert_eq!(title, format!("{HOSTILE_NAME} — vigie"), "{name}");
        }
        if name == "progres-piege.html" {
            assert_eq!(
                title,
                format!("Progression — {HOSTILE_NAME} — vigie"),
                "{name}"
            );
        }
        assert_eq!(
            page.select("[data-xss]").count(),
            0,
            "{name} : un gestionnaire d'événement piégé s'est exécuté"
        );
        assert_eq!(page.select("img, iframe, textarea").count(), 0, "{name}");
        // The payload is there, as text.
        assert!(page.body_text().contains("document.title='XSS-"), "{name}");
    }
}

#[test]
fn every_page_loads_cleanly_and_index_screenshot() {
    let Some(bin) = browser() else { return };
    let site = site();
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&site.dir)
        .expect("dossier du site")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 6, "{pages:?}");
    for p in &pages {
        let dom = dump(&bin, p, "");
        assert!(dom.contains("<main"), "{}", p.display());
    }
    for (name, png) in [
        ("index.html", "vigie-index.png"),
        ("demarche-ancien-portail.html", "vigie-demarche.png"),
    ] {
        let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join(png);
        let _ = std::fs::remove_file(&shot);
        let (_, err) = run_chromium(
            &bin,
            &[
                &format!("--screenshot={}", shot.display()),
                "--window-size=1280,900",
                "--hide-scrollbars",
            ],
            &file_url(&site.dir.join(name), ""),
        );
        let errors = console_errors(&err);
        assert!(errors.is_empty(), "{errors:?}");
        let bytes = std::fs::read(&shot).expect("capture d'écran écrite");
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "PNG");
        assert!(
            bytes.len() > 20_000,
            "capture presque vide : {} octets",
            bytes.len()
        );
        eprintln!("capture : {}", shot.display());
    }
}
