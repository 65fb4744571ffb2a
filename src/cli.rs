//! The command line (the binary's edge: errors become `anyhow` messages and exit codes).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Serialize;
use url::Url;

use crate::analyze::{self, PageFacts};
use crate::audit::{self, AuditOptions};
use crate::catalogue::Catalogue;
use crate::crawl::{self, CssCache, FetchConfig, FetchRecord, Fetcher, InScope};
use crate::findings::Finding;
use crate::model::stream::{MapDemarches, ReportFile, ReportSource};
use crate::model::{AuditSettings, DemarcheReport};
use crate::monitor::{self, MonitorPlan};
use crate::render::RenderMode;
use crate::report::text;
use crate::rules::all_rules;
use crate::store::journal::Campaign;
use crate::store::{Recorded, RunSnapshot, Store};

#[derive(Parser)]
#[command(
    name = "vigie",
    version,
    about = "Audite les démarches en ligne : RGAA 4.1.2, Cerfa numérique, indicateurs de l'observatoire."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Audite les sites de démonstration intégrés (aucun accès réseau) et écrit reports/demo/.
    Demo {
        #[arg(long, default_value = "reports/demo")]
        out: PathBuf,
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        render: RenderArgs,
    },
    /// Audite des démarches : des URL de départ, ou un catalogue TOML.
    Audit {
        /// URL de départ (une démarche par URL).
        urls: Vec<Url>,
        #[arg(long)]
        catalogue: Option<PathBuf>,
        /// Fichier TOML des déclarations des opérateurs (critères Cerfa déclaratifs et
        /// indicateurs déclarés), par démarche ; voir le README.
        #[arg(long)]
        declarations: Option<PathBuf>,
        /// Date de référence de l'évaluation Cerfa (AAAA-MM-JJ ; par défaut aujourd'hui), pour
        /// un nouveau calcul reproductible (âge de la déclaration d'accessibilité).
        #[arg(long, value_name = "AAAA-MM-JJ")]
        audit_date: Option<chrono::NaiveDate>,
        #[arg(long, default_value = "reports/latest")]
        out: PathBuf,
        #[command(flatten)]
        crawl: CrawlArgs,
        #[command(flatten)]
        render: RenderArgs,
        #[command(flatten)]
        db: DbArgs,
        /// Reprendre la dernière campagne interrompue de la base, avec ses démarches et ses
        /// réglages, sans recharger les pages déjà auditées.
        #[arg(long)]
        resume: bool,
    },
    /// Analyse des pages isolées (fichiers ou URL), sans exploration.
    Check {
        #[arg(required = true)]
        inputs: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Dossier dont les feuilles de style liées d'un fichier peuvent être lues (par défaut,
        /// le dossier du fichier) : rien n'est lu hors de ce dossier.
        #[arg(long, value_name = "DOSSIER")]
        root: Option<PathBuf>,
        #[command(flatten)]
        render: RenderArgs,
        /// Lister les premières cibles des constats conformes (dix au plus par règle), comme
        /// `audit --all-targets` ; par défaut, elles sont seulement comptées.
        #[arg(long)]
        all_targets: bool,
    },
    /// Écrit le site HTML (index.html, une page par démarche, méthodologie, CSV) d'un report.json.
    Report {
        /// Le report.json d'un audit.
        report: PathBuf,
        /// Dossier du site (par défaut, celui du report.json).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Séparateur des exports CSV (« ; » pour Excel en français).
        #[arg(long, default_value_t = ';')]
        csv_sep: char,
        /// Fichier TOML des déclarations des opérateurs (le même que pour `audit`) : indicateurs
        /// déclarés et réponses aux critères Cerfa déclaratifs, par démarche.
        #[arg(long)]
        declarations: Option<PathBuf>,
        /// Base des exécutions : ajoute les courbes de tendance et les pages de progression.
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Mesure les performances : pages par seconde et mémoire maximale.
    Bench {
        /// Tours sur les pages fixtures pour la mesure du pipeline.
        #[arg(long, default_value_t = 200)]
        rounds: usize,
        /// Taille du site généré pour la mesure d'exploration.
        #[arg(long, default_value_t = 10_000)]
        pages: usize,
        /// Démarches de la campagne générée (audit complet : exploration, rapport, base, site).
        #[arg(long, default_value_t = 20)]
        campaign_demarches: usize,
        /// Pages de chaque démarche de la campagne générée.
        #[arg(long, default_value_t = 500)]
        campaign_pages: usize,
        /// Garde les sorties de la campagne (report.json, base vigie.db, site) dans ce dossier ;
        /// sans lui, elles sont temporaires.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Code 1 si une mesure dépasse cette mémoire maximale (Mio) : garde-fou de la CI.
        #[arg(long)]
        max_peak_mib: Option<f64>,
        /// Mesure le mode rendu seul : les démarches de démonstration auditées avec
        /// --render always dans Chromium (pages par seconde, mémoire de vigie et du navigateur).
        #[arg(long)]
        render: bool,
        /// Le navigateur de --render (sinon VIGIE_CHROMIUM, sinon chromium sur le PATH).
        #[arg(long)]
        chromium: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Liste les règles et leurs références.
    Rules {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Compare vigie aux cas de test W3C ACT d'un dossier (code 1 si un faux positif).
    Conformance {
        /// Dossier du corpus ACT (manifest.json, exemples, WAI/).
        dir: PathBuf,
        /// text, json, ou earl (rapport d'implémentation W3C ACT, EARL en JSON-LD).
        #[arg(long, value_enum, default_value_t = ConformanceFormat::Text)]
        format: ConformanceFormat,
        /// Écrire le rapport dans ce fichier au lieu de la sortie standard.
        #[arg(long)]
        out: Option<PathBuf>,
        /// never : exemples analysés tels que servis ; always : chaque exemple rendu dans
        /// Chromium (parcours clavier, zones défilantes) avant les règles.
        #[arg(long, value_enum, default_value_t = RenderMode::Never)]
        render: RenderMode,
        /// Exécutable du navigateur (sinon VIGIE_CHROMIUM, sinon chromium sur le PATH).
        #[arg(long, value_name = "CHEMIN")]
        chromium: Option<PathBuf>,
    },
    /// Compare deux exécutions (numéros de la base, latest, previous, ou fichiers report.json).
    Diff {
        /// Exécution de référence (avant).
        before: String,
        /// Exécution comparée (après).
        after: String,
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Code de sortie 1 si de nouvelles non-conformités ou des niveaux dégradés apparaissent.
        #[arg(long)]
        fail_on_regression: bool,
        #[arg(long, default_value = crate::store::DEFAULT_DB)]
        db: PathBuf,
    },
    /// Historique des exécutions enregistrées, avec leurs scores.
    History {
        /// Seulement cette démarche.
        #[arg(long)]
        demarche: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[arg(long, default_value = crate::store::DEFAULT_DB)]
        db: PathBuf,
    },
    /// Sonde la disponibilité d'URL à intervalle régulier, pendant une durée ou un nombre de tours bornés.
    #[command(group(clap::ArgGroup::new("bound").required(true).args(["rounds", "duration"])))]
    Monitor {
        /// URL à sonder.
        urls: Vec<Url>,
        /// Sonder les URL de départ des démarches d'un catalogue.
        #[arg(long)]
        catalogue: Option<PathBuf>,
        /// Secondes entre deux tours.
        #[arg(long, default_value_t = 300.0)]
        interval: f64,
        /// Nombre de tours.
        #[arg(long)]
        rounds: Option<u32>,
        /// Durée totale en secondes.
        #[arg(long)]
        duration: Option<f64>,
        /// Requêtes par seconde et par hôte au plus.
        #[arg(long, default_value_t = 2.0)]
        rate: f64,
        /// Délai total maximal d'une requête, en millisecondes.
        #[arg(long, default_value_t = 30_000)]
        timeout_ms: u64,
        #[arg(long, default_value = crate::store::DEFAULT_DB)]
        db: PathBuf,
    },
    /// Campagnes réparties entre plusieurs workers, sur une base PostgreSQL.
    Campaign {
        #[command(subcommand)]
        action: CampaignCommand,
    },
    /// Audite les démarches des campagnes en file d'une base PostgreSQL (autant de workers que
    /// voulu, sur autant de machines).
    Worker {
        /// postgres://utilisateur@hôte:port/base
        #[arg(long)]
        db: String,
        /// Démarches auditées en même temps par ce worker.
        #[arg(long, default_value_t = 2)]
        concurrency: usize,
        /// S'arrêter quand plus aucune démarche n'attend ni n'est en cours (sinon attendre).
        #[arg(long)]
        until_empty: bool,
        /// Durée d'un bail sans renouvellement, en millisecondes (tests).
        #[arg(long, default_value_t = 60_000, hide = true)]
        lease_ms: u64,
        /// Attente entre deux recherches de travail, en millisecondes (tests).
        #[arg(long, default_value_t = 2_000, hide = true)]
        poll_ms: u64,
        /// Tentatives d'une démarche avant de la déclarer en échec.
        #[arg(long, default_value_t = 3)]
        max_attempts: i64,
        /// Nom du worker dans la file (par défaut : machine et processus).
        #[arg(long)]
        name: Option<String>,
        /// Exécutable du navigateur pour --render.
        #[arg(long)]
        chromium: Option<PathBuf>,
    },
    /// Charge des rapports report.json existants dans la base.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, default_value = crate::store::DEFAULT_DB)]
        db: PathBuf,
    },
}

#[derive(Subcommand)]
enum CampaignCommand {
    /// Met en file une campagne (une tâche par démarche du catalogue) ; affiche son numéro.
    Submit {
        #[arg(long)]
        catalogue: PathBuf,
        /// Fichier TOML des déclarations des opérateurs (son contenu est enregistré avec la
        /// campagne : les workers de toutes les machines lisent les mêmes déclarations).
        #[arg(long)]
        declarations: Option<PathBuf>,
        #[arg(long, value_name = "AAAA-MM-JJ")]
        audit_date: Option<chrono::NaiveDate>,
        #[command(flatten)]
        crawl: CrawlArgs,
        #[command(flatten)]
        render: RenderArgs,
        /// postgres://utilisateur@hôte:port/base
        #[arg(long)]
        db: String,
    },
    /// État des campagnes : démarches en attente, en cours (worker, âge du bail), terminées, en échec.
    Status {
        #[arg(long)]
        db: String,
        /// Seulement cette campagne.
        #[arg(long)]
        id: Option<i64>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Suivre l'avancement (rafraîchi toutes les `--every-ms`) jusqu'à ce que plus rien
        /// n'attende ni ne soit en cours.
        #[arg(long)]
        watch: bool,
        /// Intervalle de rafraîchissement de --watch, en millisecondes.
        #[arg(long, default_value_t = 2_000)]
        every_ms: u64,
    },
    /// Écrit report.json, le site et le CSV d'une campagne depuis la base (et l'y enregistre).
    Report {
        #[arg(long)]
        db: String,
        #[arg(long)]
        id: i64,
        #[arg(long)]
        out: PathBuf,
    },
}

/// Where runs are recorded.
#[derive(Args, Clone)]
struct DbArgs {
    /// Base où l'exécution est enregistrée : fichier SQLite, ou postgres://utilisateur@hôte:port/base.
    #[arg(long, default_value = crate::store::DEFAULT_DB)]
    db: PathBuf,
    /// Ne pas enregistrer l'exécution dans la base.
    #[arg(long)]
    no_db: bool,
}

impl DbArgs {
    /// Open the store before auditing, so an unusable database fails before a long crawl.
    fn open(&self) -> Result<Option<Store>> {
        if self.no_db {
            return Ok(None);
        }
        open_store(&self.db).map(Some)
    }
}

/// Open the store `--db` names: a `postgres://` URL or a SQLite file.
fn open_store(db: &Path) -> Result<Store> {
    let name = db.to_string_lossy();
    Store::open_db(&name).with_context(|| {
        format!(
            "ouverture de la base {}",
            crate::store::postgres::redact_if_url(&name)
        )
    })
}

fn is_pg(db: &Path) -> bool {
    crate::store::postgres::is_url(&db.to_string_lossy())
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ConformanceFormat {
    Text,
    Json,
    Earl,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum DiffFormat {
    Text,
    Json,
    Html,
}

#[derive(Args, Clone)]
struct RenderArgs {
    /// Rendre les pages dans un navigateur (Chromium) avant l'analyse : never (page servie),
    /// auto (pages construites par script), always (toutes les pages HTML).
    #[arg(long, value_enum, default_value_t = RenderMode::Auto)]
    render: RenderMode,
    /// Exécutable du navigateur (sinon VIGIE_CHROMIUM, sinon chromium ou chromium-browser
    /// sur le PATH).
    #[arg(long, value_name = "CHEMIN")]
    chromium: Option<PathBuf>,
}

#[derive(Args, Clone)]
struct CrawlArgs {
    /// Pages au plus par démarche.
    #[arg(long, default_value_t = 50)]
    max_pages: usize,
    /// Profondeur de liens au plus depuis l'URL de départ.
    #[arg(long, default_value_t = 3)]
    max_depth: u32,
    /// Requêtes par seconde et par hôte.
    #[arg(long, default_value_t = 2.0)]
    rate: f64,
    /// Requêtes simultanées au plus.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Taille maximale d'un corps de réponse, en octets.
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    max_body: usize,
    /// Délai total maximal d'une requête, en millisecondes.
    #[arg(long, default_value_t = 30_000)]
    timeout_ms: u64,
    /// Ne pas lire les sitemaps.
    #[arg(long)]
    no_sitemaps: bool,
    /// Sondes de l'URL de départ réparties pendant l'exploration (disponibilité, temps de réponse).
    #[arg(long, default_value_t = crate::probe::DEFAULT_PROBES)]
    probes: usize,
    /// Autoriser les adresses non publiques (boucle locale, réseaux privés) même quand la
    /// démarche est sur un hôte public.
    #[arg(long)]
    allow_private: bool,
    /// Garder entiers les constats conformes (leurs cibles, dix au plus par règle et par page)
    /// au lieu d'un décompte par règle et par page ; un rapport bien plus gros.
    #[arg(long)]
    all_targets: bool,
}

impl CrawlArgs {
    fn settings(&self) -> AuditSettings {
        AuditSettings {
            fetch: FetchConfig {
                requests_per_second: self.rate,
                concurrency: self.concurrency.max(1),
                max_body_bytes: self.max_body,
                total_timeout_ms: self.timeout_ms,
                ..FetchConfig::default()
            },
            max_pages: self.max_pages,
            max_depth: self.max_depth,
            use_sitemaps: !self.no_sitemaps,
            probes: self.probes,
            allow_private_addresses: self.allow_private,
            declarations_file: None,
            audit_date: None,
            all_targets: self.all_targets,
            render: RenderMode::Never,
        }
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("VIGIE_LOG")
                // chromiumoxide warns on every DevTools event newer than its protocol tables
                // (hundreds per rendered audit); the browser's failures reach the report as
                // typed errors. `VIGIE_LOG=chromiumoxide=warn` shows them again.
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,chromiumoxide=error")),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("erreur : impossible de démarrer le moteur asynchrone : {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("erreur : {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Demo { out, db, render } => demo(&out, &db, &render).await,
        Command::Audit {
            urls,
            catalogue,
            declarations,
            audit_date,
            out,
            crawl,
            render,
            db,
            resume,
        } => {
            let store = db.open()?;
            let request = crate::campaign::AuditRequest {
                urls,
                catalogue,
                declarations_file: declarations,
                audit_date,
                settings: AuditSettings {
                    render: render.render,
                    ..crawl.settings()
                },
                chromium: render.chromium,
                resume,
                progress: std::io::stderr().is_terminal(),
            };
            let prepared = crate::campaign::prepare(request, store.as_ref())?;
            for note in &prepared.notes {
                eprintln!("{note}");
            }
            let (demarches, opts, campaign) =
                (prepared.demarches, prepared.options, prepared.campaign);
            // The démarches' reports wait in a spool beside the outputs, not in memory.
            let report = audit::audit_spooled(&demarches, &opts, campaign.as_ref(), &out).await?;
            write_recorded_outputs(&report, &out, store, "audit", campaign.as_ref())?;
            print!("{}", text::summary_table_of(report.overviews()));
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            inputs,
            format,
            root,
            render,
            all_targets,
        } => check(&inputs, format, root.as_deref(), &render, all_targets).await,
        Command::Report {
            report,
            out,
            csv_sep,
            declarations,
            db,
        } => {
            let history = match db {
                Some(db) => Some(crate::history::for_site(&open_existing(&db)?)?),
                None => None,
            };
            report_site(
                &report,
                out.as_deref(),
                csv_sep,
                declarations.as_deref(),
                history.as_ref(),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            rounds,
            pages,
            campaign_demarches,
            campaign_pages,
            out,
            max_peak_mib,
            render,
            chromium,
            format,
        } => {
            let mut results = Vec::new();
            if render {
                results.push(crate::bench::rendered(chromium.as_deref()).await?);
            } else {
                results.push(crate::bench::pipeline(rounds));
                results.extend(crate::bench::floor_and_check(rounds));
                results.push(crate::bench::crawl_generated(pages).await?);
                results.push(
                    crate::bench::campaign(campaign_demarches, campaign_pages, out.as_deref())
                        .await?,
                );
            }
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&results)?),
                Format::Text => {
                    for r in &results {
                        println!(
                            "{:<40} {:>7} pages {:>8.2} s {:>9.1} pages/s  mémoire max {:.1} Mio",
                            r.name,
                            r.pages,
                            r.seconds,
                            r.pages_per_second,
                            r.peak_rss_mib.unwrap_or(f64::NAN)
                        );
                        if let Some(share) = r.share_of_floor {
                            println!(
                                "{:<40} {:>7.1} % du plancher (1/{:.1})",
                                "",
                                share * 100.0,
                                1.0 / share
                            );
                        }
                        if let Some(mib) = r.browser_peak_rss_mib {
                            println!(
                                "{:<40} {:>7.1} Mio au plus pour les processus du navigateur (PSS, somme)",
                                "", mib
                            );
                        }
                        if let Some(bytes) = r.bytes_per_page {
                            println!(
                                "{:<40} {:>7.0} octets par page (report.json + base)",
                                "", bytes
                            );
                        }
                        if !r.phases.is_empty() {
                            let steps: Vec<String> = r
                                .phases
                                .iter()
                                .map(|(name, s)| format!("{name} {s:.2} s"))
                                .collect();
                            println!("{:<40} {}", "", steps.join(", "));
                        }
                    }
                }
            }
            if let Some(limit) = max_peak_mib {
                let over: Vec<String> = results
                    .iter()
                    .filter(|r| r.peak_rss_mib.is_some_and(|p| p > limit))
                    .map(|r| format!("{} ({:.1} Mio)", r.name, r.peak_rss_mib.unwrap_or(0.0)))
                    .collect();
                if !over.is_empty() {
                    eprintln!(
                        "mémoire maximale dépassée ({limit} Mio) : {}",
                        over.join(", ")
                    );
                    return Ok(ExitCode::from(1));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules { format } => {
            rules(format)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Conformance {
            dir,
            format,
            out,
            render,
            chromium,
        } => {
            let opts = crate::conformance::ConformanceOptions {
                render,
                chromium,
                ..crate::conformance::ConformanceOptions::default()
            };
            conformance(&dir, format, out.as_deref(), &opts).await
        }
        Command::Diff {
            before,
            after,
            format,
            fail_on_regression,
            db,
        } => diff_cmd(&before, &after, format, fail_on_regression, &db),
        Command::History {
            demarche,
            format,
            db,
        } => {
            let store = open_existing(&db)?;
            let points = crate::history::series(&store, demarche.as_deref())?;
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&points)?),
                Format::Text => print!("{}", crate::history::to_text(&points)),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Monitor {
            urls,
            catalogue,
            interval,
            rounds,
            duration,
            rate,
            timeout_ms,
            db,
        } => {
            let mut targets = urls;
            if let Some(path) = catalogue {
                targets.extend(
                    Catalogue::load(&path)?
                        .demarches
                        .into_iter()
                        .map(|d| d.start_url),
                );
            }
            monitor_cmd(targets, interval, rounds, duration, rate, timeout_ms, &db).await
        }
        Command::Campaign { action } => campaign_cmd(action),
        Command::Worker {
            db,
            concurrency,
            until_empty,
            lease_ms,
            poll_ms,
            max_attempts,
            name,
            chromium,
        } => {
            let opts = crate::worker::WorkerOptions {
                db: pg_url(&db)?,
                concurrency,
                until_empty,
                lease: std::time::Duration::from_millis(lease_ms.max(300)),
                poll: std::time::Duration::from_millis(poll_ms.max(10)),
                max_attempts: max_attempts.max(1),
                name,
                chromium,
            };
            let summary = crate::worker::run(opts, Arc::new(|line: String| eprintln!("{line}")))
                .await
                .with_context(|| format!("worker sur {}", crate::store::postgres::redact(&db)))?;
            eprintln!(
                "worker : {} démarche(s) terminée(s), {} échec(s), {} reprise(s) par un autre worker",
                summary.done, summary.failed, summary.lost
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { files, db } => {
            let mut store = open_store(&db)?;
            for f in &files {
                match store.import(f)? {
                    Recorded::New(id) => println!("{} → exécution #{id}", f.display()),
                    Recorded::AlreadyThere(id) => {
                        println!("{} : déjà présent (exécution #{id})", f.display())
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn conformance(
    dir: &Path,
    format: ConformanceFormat,
    out: Option<&Path>,
    opts: &crate::conformance::ConformanceOptions,
) -> Result<ExitCode> {
    let report = crate::conformance::run(dir, opts).await?;
    let text = match format {
        ConformanceFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        ConformanceFormat::Earl => {
            serde_json::to_string_pretty(&crate::conformance::earl(&report))? + "\n"
        }
        ConformanceFormat::Text => crate::conformance::text_report(&report),
    };
    match out {
        Some(path) => {
            std::fs::write(path, &text)
                .with_context(|| format!("écriture de {}", path.display()))?;
            eprintln!("rapport écrit : {}", path.display());
        }
        None => print!("{text}"),
    }
    let tested: usize = report
        .implemented
        .iter()
        .map(|r| r.examples.saturating_sub(r.untested))
        .sum();
    if tested == 0 {
        bail!(
            "aucun exemple du corpus {} n'a pu être audité : vérifier le dossier",
            dir.display()
        );
    }
    Ok(if report.false_positives() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The queue lives in PostgreSQL only.
fn pg_url(db: &str) -> Result<String> {
    if !crate::store::postgres::is_url(db) {
        bail!("--db doit être une base PostgreSQL (postgres://utilisateur@hôte:port/base) : les campagnes réparties n'existent pas sur SQLite");
    }
    Ok(db.to_string())
}

fn campaign_cmd(action: CampaignCommand) -> Result<ExitCode> {
    match action {
        CampaignCommand::Submit {
            catalogue,
            declarations,
            audit_date,
            crawl,
            render,
            db,
        } => {
            let store = open_store(Path::new(&pg_url(&db)?))?;
            let mut notes = Vec::new();
            let id = crate::campaign::submit(
                crate::campaign::SubmitRequest {
                    catalogue,
                    declarations_file: declarations,
                    audit_date,
                    settings: AuditSettings {
                        render: render.render,
                        ..crawl.settings()
                    },
                },
                &store,
                &mut notes,
            )?;
            for n in notes {
                eprintln!("{n}");
            }
            println!("{id}");
            Ok(ExitCode::SUCCESS)
        }
        CampaignCommand::Status {
            db,
            id,
            format,
            watch,
            every_ms,
        } => {
            let store = open_store(Path::new(&pg_url(&db)?))?;
            campaign_status(&store, id, format, watch, every_ms)
        }
        CampaignCommand::Report { db, id, out } => {
            let mut store = open_store(Path::new(&pg_url(&db)?))?;
            crate::campaign::report_queued(&mut store, id, &out, &mut |line| eprintln!("{line}"))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `vigie campaign status`: the campaigns' progress, once or followed (`--watch`) until nothing
/// is queued or running. On a terminal, a bar per campaign (démarches finished out of all, the
/// running ones with their worker and lease age) is drawn on stderr; the listing itself goes to
/// stdout, so a pipe gets plain text.
fn campaign_status(
    store: &Store,
    id: Option<i64>,
    format: Format,
    watch: bool,
    every_ms: u64,
) -> Result<ExitCode> {
    let mut all = crate::store::queue::status(store, id)?;
    let bars = CampaignBars::new(std::io::stderr().is_terminal());
    loop {
        bars.show(&all);
        if !watch || all.iter().all(|c| c.queued + c.running == 0) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(every_ms.max(100)));
        all = crate::store::queue::status(store, id)?;
    }
    bars.finish();
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&all)?),
        Format::Text => print!("{}", status_text(&all)),
    }
    Ok(ExitCode::SUCCESS)
}

/// The bars of `campaign status --watch` (hidden when stderr is not a terminal).
struct CampaignBars {
    multi: indicatif::MultiProgress,
    bars: std::cell::RefCell<std::collections::BTreeMap<i64, indicatif::ProgressBar>>,
    style: indicatif::ProgressStyle,
}

impl CampaignBars {
    fn new(terminal: bool) -> CampaignBars {
        use indicatif::{MultiProgress, ProgressDrawTarget, ProgressStyle};
        CampaignBars {
            multi: MultiProgress::with_draw_target(if terminal {
                ProgressDrawTarget::stderr()
            } else {
                ProgressDrawTarget::hidden()
            }),
            bars: Default::default(),
            style: ProgressStyle::with_template(
                "{prefix:<16} {bar:30} {pos}/{len} démarches {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        }
    }

    fn show(&self, all: &[crate::store::queue::CampaignStatus]) {
        let mut bars = self.bars.borrow_mut();
        for c in all {
            let bar = bars.entry(c.id).or_insert_with(|| {
                let b = self.multi.add(indicatif::ProgressBar::new(0));
                b.set_style(self.style.clone());
                b.set_prefix(format!("campagne #{}", c.id));
                b
            });
            bar.set_length(c.jobs.len() as u64);
            bar.set_position((c.done + c.failed) as u64);
            let running: Vec<String> = c
                .jobs
                .iter()
                .filter(|j| j.state == "running")
                .map(|j| {
                    format!(
                        "{} ({}, {:.0} s)",
                        j.demarche_id,
                        j.worker.as_deref().unwrap_or("?"),
                        j.lease_age_s.unwrap_or_default()
                    )
                })
                .collect();
            bar.set_message(format!(
                "{} en attente, {} en cours, {} en échec ; {} page(s){}",
                c.queued,
                c.running,
                c.failed,
                c.pages,
                if running.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", running.join(", "))
                }
            ));
        }
    }

    fn finish(&self) {
        for b in self.bars.borrow().values() {
            b.finish();
        }
    }
}

/// The text listing of `vigie campaign status`.
fn status_text(all: &[crate::store::queue::CampaignStatus]) -> String {
    let mut out = String::new();
    if all.is_empty() {
        out.push_str("aucune campagne en file\n");
    }
    for c in all {
        out.push_str(&format!(
            "campagne #{} du {} : {} en attente, {} en cours, {} terminée(s), {} en échec ; {} page(s)\n",
            c.id, c.started_at, c.queued, c.running, c.done, c.failed, c.pages
        ));
        for j in c.jobs.iter().filter(|j| j.state != "done") {
            let who = match (&j.worker, j.lease_age_s) {
                (Some(w), Some(age)) => format!(" par {w} depuis {age:.0} s"),
                _ => String::new(),
            };
            let error = j
                .error
                .as_deref()
                .map(|e| format!(" ({e})"))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {} : {}{who}, {} tentative(s), {} page(s){error}\n",
                j.demarche_id, j.state, j.attempts, j.pages
            ));
        }
    }
    out
}

/// Open a store that must already exist (reading commands never create one).
fn open_existing(db: &Path) -> Result<Store> {
    if !is_pg(db) && !db.is_file() {
        bail!(
            "base introuvable : {} (lancer un audit, ou donner --db)",
            db.display()
        );
    }
    let name = db.to_string_lossy();
    Store::open_existing_db(&name).with_context(|| {
        format!(
            "ouverture de la base {}",
            crate::store::postgres::redact_if_url(&name)
        )
    })
}

/// A run named on the command line: an existing report.json file, else a run of the store.
fn load_run(reference: &str, db: &Path, store: &mut Option<Store>) -> Result<RunSnapshot> {
    let path = Path::new(reference);
    if path.is_file() {
        return Ok(crate::store::snapshot_from_file(path)?);
    }
    if store.is_none() {
        *store = Some(open_existing(db)?);
    }
    let Some(s) = store.as_ref() else {
        bail!("base indisponible");
    };
    let id = s.resolve(reference).with_context(|| {
        format!("« {reference} » n'est ni un fichier report.json ni une exécution de la base")
    })?;
    Ok(s.snapshot(id)?)
}

fn diff_cmd(
    before: &str,
    after: &str,
    format: DiffFormat,
    fail_on_regression: bool,
    db: &Path,
) -> Result<ExitCode> {
    let mut store = None;
    let a = load_run(before, db, &mut store)?;
    let b = load_run(after, db, &mut store)?;
    let d = crate::diff::diff(&a, &b);
    match format {
        DiffFormat::Text => print!("{}", crate::diff::to_text(&d)),
        DiffFormat::Json => println!("{}", serde_json::to_string_pretty(&d)?),
        DiffFormat::Html => print!("{}", crate::report::site::render_diff(&d)?),
    }
    Ok(if fail_on_regression && d.is_regression() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

async fn monitor_cmd(
    urls: Vec<Url>,
    interval: f64,
    rounds: Option<u32>,
    duration: Option<f64>,
    rate: f64,
    timeout_ms: u64,
    db: &Path,
) -> Result<ExitCode> {
    if urls.is_empty() {
        bail!("rien à sonder : donner au moins une URL ou --catalogue FICHIER");
    }
    let secs = |v: f64, what: &str| -> Result<std::time::Duration> {
        std::time::Duration::try_from_secs_f64(v)
            .map_err(|_| anyhow::anyhow!("{what} invalide : {v}"))
    };
    if rate.is_nan() || rate <= 0.0 {
        bail!("--rate doit être positif");
    }
    let plan = MonitorPlan {
        urls: urls.clone(),
        interval: secs(interval, "--interval")?,
        rounds,
        duration: duration.map(|d| secs(d, "--duration")).transpose()?,
        min_gap: secs(1.0 / rate, "--rate")?,
    };
    let config = monitor::probe_config(&FetchConfig {
        total_timeout_ms: timeout_ms,
        ..FetchConfig::default()
    });
    let store = open_store(db)?;
    monitor::run(&store, &config, &plan, |p| {
        let status = p
            .status
            .map(|s| s.to_string())
            .unwrap_or_else(|| "—".into());
        let ms = p
            .total_ms
            .map(|m| format!("{m} ms"))
            .unwrap_or_else(|| "—".into());
        println!(
            "{} {} {status} {ms}{}",
            if p.ok { "ok  " } else { "ÉCHEC" },
            p.url,
            p.error
                .as_deref()
                .map(|e| format!(" ({e})"))
                .unwrap_or_default()
        );
    })
    .await?;
    println!(
        "\nDisponibilité sur {} jours :",
        monitor::DEFAULT_WINDOW_DAYS
    );
    for u in &urls {
        match monitor::availability(&store, u.as_str(), monitor::DEFAULT_WINDOW_DAYS)? {
            Some(a) => println!(
                "  {u} : {:.1} % sur {} sondes, temps moyen {}",
                a.success_ratio * 100.0,
                a.n,
                a.mean_ms
                    .map(|m| format!("{m:.0} ms"))
                    .unwrap_or_else(|| "—".into())
            ),
            None => println!("  {u} : aucune sonde"),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Write every output of a run into `out`.
pub fn write_outputs<S: ReportSource>(report: &S, out: &Path) -> Result<()> {
    let path = crate::model::stream::write_json(report, out)?;
    eprintln!("rapport écrit : {}", path.display());
    crate::report::site::write_site(report, out, &Default::default())?;
    eprintln!("site écrit : {}", out.join("index.html").display());
    Ok(())
}

/// Read a declarations file, telling the user about a deprecated format.
fn load_declarations(path: &Path) -> Result<crate::declarations::Declarations> {
    let d = crate::declarations::Declarations::load(path)?;
    for note in &d.notes {
        eprintln!("avertissement : {note}");
    }
    Ok(d)
}

/// Publish a run (store, report.json, site: see [`crate::campaign::publish`]), saying each step.
fn write_recorded_outputs<S: ReportSource>(
    report: &S,
    out: &Path,
    mut store: Option<Store>,
    origin: &str,
    campaign: Option<&Campaign>,
) -> Result<()> {
    crate::campaign::publish(report, out, store.as_mut(), origin, campaign, &mut |done| {
        eprintln!("{done}")
    })?;
    Ok(())
}

/// `vigie report`: (re)compute the indicators of a report.json and write its site.
fn report_site(
    path: &Path,
    out: Option<&Path>,
    csv_sep: char,
    declarations: Option<&Path>,
    history: Option<&crate::history::SiteHistory>,
) -> Result<()> {
    if csv_sep == '"' || csv_sep == '\n' || csv_sep == '\r' {
        bail!("séparateur CSV impossible : {csv_sep:?}");
    }
    let file = ReportFile::open(path)?;
    // Read through once before writing anything: a report broken halfway must not leave a site
    // half new, half old.
    file.each_demarche(|_| Ok::<(), crate::model::ReportError>(()))?;
    let decls = declarations.map(load_declarations).transpose()?;
    // Each démarche is re-scored with the declarations as it is read, then written.
    let report = MapDemarches::new(&file, |d: &mut DemarcheReport| {
        audit::redeclare(d, decls.as_ref());
    });
    let dir = match out {
        Some(o) => o.to_path_buf(),
        None => path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf(),
    };
    let opts = crate::report::site::SiteOptions {
        csv_sep,
        history,
        ..Default::default()
    };
    crate::report::site::write_site(&report, &dir, &opts)?;
    eprintln!("site écrit : {}", dir.join("index.html").display());
    Ok(())
}

async fn demo(out: &Path, db: &DbArgs, render: &RenderArgs) -> Result<ExitCode> {
    let store = db.open()?;
    let sites = crate::demo::start().await?;
    let opts = AuditOptions {
        settings: AuditSettings {
            // Local fixture servers: no need to wait between requests.
            fetch: FetchConfig {
                requests_per_second: 50.0,
                ..FetchConfig::default()
            },
            max_pages: 40,
            render: render.render,
            ..AuditSettings::default()
        },
        chromium: render.chromium.clone(),
        progress: std::io::stderr().is_terminal(),
        declarations: Some(crate::cerfa::Declarations::parse(
            crate::demo::DEMO_DECLARATIONS,
            "declarations-demo.toml",
        )?),
        ..AuditOptions::default()
    };
    let report = audit::audit_spooled(&sites.catalogue.demarches, &opts, None, out).await?;
    write_recorded_outputs(&report, out, store, "demo", None)?;
    print!("{}", text::summary_table_of(report.overviews()));
    Ok(ExitCode::SUCCESS)
}

/// One page checked by `vigie check`.
#[derive(Serialize)]
struct CheckedPage {
    #[serde(flatten)]
    record: FetchRecord,
    #[serde(skip_serializing_if = "Option::is_none")]
    rendering: Option<crawl::Rendering>,
    #[serde(skip_serializing_if = "Option::is_none")]
    facts: Option<PageFacts>,
    findings: Vec<Finding>,
}

async fn check(
    inputs: &[String],
    format: Format,
    root: Option<&Path>,
    render: &RenderArgs,
    all_targets: bool,
) -> Result<ExitCode> {
    // A file opened by a browser could read any other file through file:// (scripts, frames,
    // stylesheets), out of the confinement `--root` gives the static check: files are not
    // rendered.
    if render.render == RenderMode::Always {
        if let Some(file) = inputs.iter().find(|i| web_url(i).is_none()) {
            bail!(
                "--render always : le rendu des fichiers locaux n'est pas pris en charge ({file}) ; servez la page en http(s) ou utilisez --render auto (fichiers analysés tels quels)"
            );
        }
    }
    let wants_browser = inputs.iter().any(|i| web_url(i).is_some());
    let session = crate::render::RenderSession::new(
        if wants_browser {
            render.render
        } else {
            RenderMode::Never
        },
        render.chromium.as_deref(),
        crate::render::BrowserLimits {
            tabs: 1,
            ..crate::render::BrowserLimits::default()
        },
    )
    .map_err(audit::AuditError::from)?;
    let result = check_with(inputs, format, root, &session, all_targets).await;
    session.shutdown().await;
    result
}

async fn check_with(
    inputs: &[String],
    format: Format,
    root: Option<&Path>,
    session: &crate::render::RenderSession,
    all_targets: bool,
) -> Result<ExitCode> {
    // Same guard as audit: public pages must not lead to internal addresses.
    let any_public = inputs.iter().filter_map(|i| Url::parse(i).ok()).any(|u| {
        matches!(u.scheme(), "http" | "https") && !crate::crawl::address::host_is_non_public(&u)
    });
    let config = FetchConfig {
        block_private_addresses: any_public,
        ..FetchConfig::default()
    };
    let fetcher = Arc::new(Fetcher::new(config)?);
    let css = Arc::new(CssCache::default());
    // Files are analysed first, on every core (rayon's work-stealing pool, one file read and
    // analysed at a time per thread), each result kept at its input's place; URLs are then
    // fetched one after the other, and everything is reported in input order.
    let (owned, root_owned) = (inputs.to_vec(), root.map(Path::to_path_buf));
    let mut files: Vec<Option<Result<CheckedPage>>> = tokio::task::spawn_blocking(move || {
        use rayon::prelude::*;
        owned
            .par_iter()
            .map(|input| match web_url(input) {
                Some(_) => None,
                None => Some(check_file(
                    Path::new(input),
                    root_owned.as_deref(),
                    all_targets,
                )),
            })
            .collect()
    })
    .await?;
    let mut pages = Vec::new();
    for (input, file) in inputs.iter().zip(files.iter_mut()) {
        let page = if let Some(url) = web_url(input) {
            let any: InScope = Arc::new(|u: &Url| matches!(u.scheme(), "http" | "https"));
            let analyser = analyze::RenderingAnalyser {
                renderer: session.renderer_with_photos(None, 0),
                all_targets,
            };
            let c = crawl::visit(
                Arc::new(analyser),
                fetcher.clone(),
                css.clone(),
                url,
                0,
                any,
            )
            .await;
            let (facts, findings) = c
                .analysis
                .map(|a| (Some(a.facts), a.findings))
                .unwrap_or((None, Vec::new()));
            CheckedPage {
                record: c.record,
                rendering: c.rendering,
                facts,
                findings,
            }
        } else {
            file.take()
                .unwrap_or_else(|| Err(anyhow::anyhow!("{input} : non analysé")))?
        };
        pages.push(page);
    }
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&pages)?),
        Format::Text => {
            for p in &pages {
                print!(
                    "{}",
                    text::page_findings(
                        &p.record.final_url,
                        p.record.status,
                        p.record.error.as_ref().map(|e| e.message.as_str()),
                        &p.findings
                    )
                );
                if let Some(r) = &p.rendering {
                    println!("  {r}");
                }
            }
        }
    }
    // Exit code 1 for an RGAA failure; a finding beyond RGAA (AAA contrast) is reported only.
    let failed = pages
        .iter()
        .any(|p| p.findings.iter().any(Finding::is_counted_failure));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// An input of `check` that is an http(s) URL (anything else is a file path).
fn web_url(input: &str) -> Option<Url> {
    Url::parse(input)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
}

/// A page saved on disk, with the stylesheets it links to read from under `root` (the page's
/// folder by default), as a browser opening the file would apply them.
fn check_file(path: &Path, root: Option<&Path>, all_targets: bool) -> Result<CheckedPage> {
    let bytes = std::fs::read(path).with_context(|| format!("lecture de {}", path.display()))?;
    let abs = std::fs::canonicalize(path).with_context(|| format!("chemin {}", path.display()))?;
    let url = Url::from_file_path(&abs)
        .map_err(|_| anyhow::anyhow!("chemin non convertible en URL : {}", abs.display()))?;
    let decoded = crawl::charset::decode(&bytes, None);
    let mut page = analyze::parse(url.clone(), &decoded.text);
    let folder = abs.parent().unwrap_or(Path::new("/"));
    let (sheets, notes) =
        crawl::local::stylesheets_from_disk(page.stylesheet_links(), root.unwrap_or(folder));
    page.add_linked_stylesheets(sheets);
    let mut analysis = analyze::analyze(&page, all_targets);
    analysis.facts.css_notes.extend(notes);
    let record = FetchRecord::local(&url, bytes.len() as u64, decoded.encoding, decoded.source);
    Ok(CheckedPage {
        record,
        rendering: None,
        facts: Some(analysis.facts),
        findings: analysis.findings,
    })
}

/// Metadata of one rule for `vigie rules`.
#[derive(Serialize)]
struct RuleInfo {
    id: &'static str,
    title: &'static str,
    description: &'static str,
    rgaa: &'static [&'static str],
    rgaa_criteria: Vec<String>,
    /// "8.5 Chaque page a un titre", from criteria/rgaa-4.1.2.toml.
    rgaa_labels: Vec<String>,
    wcag: &'static [crate::rules::Reference],
    act: &'static [crate::rules::Reference],
    cerfa: &'static [u8],
}

fn rules(format: Format) -> Result<()> {
    let infos: Vec<RuleInfo> = all_rules()
        .iter()
        .map(|r| {
            let m = r.meta();
            RuleInfo {
                id: m.id,
                title: m.title,
                description: m.description,
                rgaa: m.rgaa,
                rgaa_labels: m
                    .rgaa_criteria()
                    .iter()
                    .filter_map(|c| crate::criteria::rgaa().criterion(c))
                    .map(|c| format!("{} {}", c.id, c.label))
                    .collect(),
                rgaa_criteria: m.rgaa_criteria(),
                wcag: m.wcag,
                act: m.act,
                cerfa: m.cerfa,
            }
        })
        .collect();
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&infos)?),
        Format::Text => {
            for i in &infos {
                println!(
                    "{:<28} RGAA {:<16} WCAG {:<12} ACT {:<14} {}",
                    i.id,
                    i.rgaa.join(","),
                    i.wcag.join(","),
                    i.act.join(","),
                    i.title
                );
                for l in &i.rgaa_labels {
                    println!("{:<28} · RGAA {l}", "");
                }
            }
            println!("{} règles", infos.len());
        }
    }
    Ok(())
}
