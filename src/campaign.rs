//! A run of `vigie audit` / `vigie demo` from the user's request to the published outputs: which
//! démarches with which settings (a new campaign, or the interrupted one being resumed), and the
//! order in which results are published (the store first, then report.json, then the site). The
//! CLI parses flags, calls these and prints their notes.

use std::path::{Path, PathBuf};

use url::Url;

use crate::audit::AuditOptions;
use crate::catalogue::{Catalogue, Demarche};
use crate::declarations::Declarations;
use crate::model::stream::ReportSource;
use crate::model::AuditSettings;
use crate::store::journal::Campaign;
use crate::store::Store;

#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    #[error("{0}")]
    Catalogue(#[from] crate::catalogue::CatalogueError),
    #[error("{0}")]
    Declarations(#[from] crate::declarations::DeclarationsError),
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
    #[error("{0}")]
    Report(#[from] crate::model::ReportError),
    #[error("{0}")]
    Site(#[from] crate::report::site::SiteError),
    #[error("--resume reprend une campagne de la base : incompatible avec --no-db")]
    ResumeWithoutStore,
    #[error("aucune campagne interrompue dans {0} : rien à reprendre")]
    NothingToResume(PathBuf),
    #[error("la campagne interrompue #{id} porte sur d'autres démarches ({stored}) ; lancer `vigie audit --resume` sans URL ni catalogue")]
    ResumeOtherDemarches { id: i64, stored: String },
    #[error("rien à auditer : donner au moins une URL ou --catalogue FICHIER")]
    NothingToAudit,
    #[error("exécution refusée : rien n'a été écrit dans {out}{journal} ({source})")]
    Refused {
        out: PathBuf,
        journal: &'static str,
        source: Box<CampaignError>,
    },
}

/// What the user asked `vigie audit` for.
#[derive(Debug, Clone)]
pub struct AuditRequest {
    pub urls: Vec<Url>,
    pub catalogue: Option<PathBuf>,
    pub declarations_file: Option<PathBuf>,
    pub audit_date: Option<chrono::NaiveDate>,
    /// The settings from the flags (ignored when resuming: the campaign's win).
    pub settings: AuditSettings,
    pub resume: bool,
    pub progress: bool,
    /// The browser for `--render` (how to run, not what decides results: not journaled).
    pub chromium: Option<PathBuf>,
}

/// The démarches, options and journal of a run, with notes for the user.
pub struct Prepared {
    pub demarches: Vec<Demarche>,
    pub options: AuditOptions,
    pub campaign: Option<Campaign>,
    pub notes: Vec<String>,
}

fn load_declarations(path: &Path, notes: &mut Vec<String>) -> Result<Declarations, CampaignError> {
    let d = Declarations::load(path)?;
    notes.extend(d.notes.iter().map(|n| format!("avertissement : {n}")));
    Ok(d)
}

/// A new campaign, or the interrupted one being resumed: then its démarches and settings win,
/// so the result equals an uninterrupted run.
pub fn prepare(request: AuditRequest, store: Option<&Store>) -> Result<Prepared, CampaignError> {
    let mut notes = Vec::new();
    let mut demarches: Vec<Demarche> = Vec::new();
    if let Some(path) = &request.catalogue {
        demarches.extend(Catalogue::load(path)?.demarches);
    }
    let taken = demarches.iter().map(|d| d.id.clone()).collect();
    let (from_urls, repeated) = crate::catalogue::make_url_ids_unique(
        &taken,
        request.urls.into_iter().map(Demarche::from_url).collect(),
    );
    for url in repeated {
        notes.push(format!(
            "note : {url} donnée plusieurs fois, auditée une fois"
        ));
    }
    demarches.extend(from_urls);
    if request.resume {
        let store = store.ok_or(CampaignError::ResumeWithoutStore)?;
        let campaign = Campaign::latest_unfinished(store)?
            .ok_or_else(|| CampaignError::NothingToResume(store.path().to_path_buf()))?;
        if !demarches.is_empty() {
            let given: Vec<&str> = demarches.iter().map(|d| d.id.as_str()).collect();
            let stored: Vec<&str> = campaign.demarches.iter().map(|d| d.id.as_str()).collect();
            if given != stored {
                return Err(CampaignError::ResumeOtherDemarches {
                    id: campaign.id,
                    stored: stored.join(", "),
                });
            }
        }
        let mut options = AuditOptions {
            settings: campaign.settings.clone(),
            progress: request.progress,
            chromium: request.chromium.clone(),
            ..AuditOptions::default()
        };
        // An explicit date wins; otherwise the campaign's, so the resumed report equals an
        // uninterrupted one.
        if request.audit_date.is_some() {
            options.settings.audit_date = request.audit_date;
        }
        if let Some(path) = &campaign.settings.declarations_file {
            options.declarations = Some(load_declarations(path, &mut notes)?);
        }
        notes.push(format!(
            "reprise de la campagne #{} du {} : {} démarche(s), {} page(s) déjà auditée(s), réglages de la campagne",
            campaign.id,
            campaign.started_at,
            campaign.demarches.len(),
            campaign.page_count()?
        ));
        return Ok(Prepared {
            demarches: campaign.demarches.clone(),
            options,
            campaign: Some(campaign),
            notes,
        });
    }
    if demarches.is_empty() {
        return Err(CampaignError::NothingToAudit);
    }
    let mut options = AuditOptions {
        settings: request.settings,
        progress: request.progress,
        chromium: request.chromium,
        ..AuditOptions::default()
    };
    options.settings.audit_date = Some(
        request
            .audit_date
            .unwrap_or_else(|| chrono::Utc::now().date_naive()),
    );
    if let Some(path) = &request.declarations_file {
        options.declarations = Some(load_declarations(path, &mut notes)?);
    }
    // The journal is kept with the store: beside a SQLite file, in PostgreSQL's tables.
    let campaign = match store {
        Some(store) => {
            if let Some(old) = Campaign::latest_unfinished(store)? {
                notes.push(format!(
                    "note : la campagne #{} du {} a été interrompue ; `vigie audit --resume` la reprend",
                    old.id, old.started_at
                ));
            }
            // Absolute, so a resume from another folder reads the same file.
            options.settings.declarations_file = request
                .declarations_file
                .map(|p| std::fs::canonicalize(&p).unwrap_or(p));
            Some(Campaign::create(store, &demarches, &options.settings)?)
        }
        None => None,
    };
    Ok(Prepared {
        demarches,
        options,
        campaign,
        notes,
    })
}

/// Publish a run: the store first (its invariants are the checks that can refuse a run; the
/// campaign whose journal fed the run is then marked done), then report.json, then the site
/// with the history including this run. A refused run publishes nothing, and its campaign stays
/// in the journal for `--resume`. `step` is told each step as it ends (its `Display` is the
/// line for the user; the bench times the steps by their kind).
pub fn publish<S: ReportSource>(
    report: &S,
    out: &Path,
    store: Option<&mut Store>,
    origin: &str,
    campaign: Option<&Campaign>,
    step: &mut dyn FnMut(Published<'_>),
) -> Result<(), CampaignError> {
    let refused = |e: CampaignError| CampaignError::Refused {
        out: out.to_path_buf(),
        journal: if campaign.is_some() {
            " (les pages restent dans le journal de la campagne)"
        } else {
            ""
        },
        source: Box::new(e),
    };
    let mut history = None;
    if let Some(store) = store {
        let recorded = store
            .record_source(report, origin)
            .map_err(|e| refused(e.into()))?;
        if let Some(c) = campaign {
            c.complete(store, Some(recorded.run_id()))
                .map_err(|e| refused(e.into()))?;
        }
        step(Published::Recorded {
            run_id: recorded.run_id(),
            store: store.path(),
        });
        match crate::history::for_site(store) {
            Ok(h) => history = Some(h),
            Err(e) => step(Published::HistoryUnreadable(e.to_string())),
        }
    }
    let path = crate::model::stream::write_json(report, out)?;
    step(Published::Report(&path));
    let opts = crate::report::site::SiteOptions {
        history: history.as_ref(),
        ..Default::default()
    };
    crate::report::site::write_site(report, out, &opts)?;
    step(Published::Site(&out.join("index.html")));
    Ok(())
}

/// A step of [`publish`], as it ends.
#[derive(Debug)]
pub enum Published<'a> {
    /// The run is in the store (and its campaign, if any, marked done).
    Recorded { run_id: i64, store: &'a Path },
    /// The store's history could not be read: the site is written without progress.
    HistoryUnreadable(String),
    /// report.json written, at this path.
    Report(&'a Path),
    /// The site written; its index page.
    Site(&'a Path),
}

impl std::fmt::Display for Published<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Published::Recorded { run_id, store } => {
                write!(
                    f,
                    "exécution #{run_id} enregistrée dans {}",
                    store.display()
                )
            }
            Published::HistoryUnreadable(e) => {
                write!(f, "historique illisible, site écrit sans progression : {e}")
            }
            Published::Report(path) => write!(f, "rapport écrit : {}", path.display()),
            Published::Site(index) => write!(f, "site écrit : {}", index.display()),
        }
    }
}

/// What `vigie campaign submit` was asked for.
#[derive(Debug, Clone)]
pub struct SubmitRequest {
    pub catalogue: PathBuf,
    pub declarations_file: Option<PathBuf>,
    pub audit_date: Option<chrono::NaiveDate>,
    pub settings: AuditSettings,
}

/// Queue a campaign for workers (PostgreSQL): its démarches, its settings (the audit date
/// fixed now, so every worker scores on the same day) and one job per démarche. Its id.
pub fn submit(
    request: SubmitRequest,
    store: &Store,
    notes: &mut Vec<String>,
) -> Result<i64, CampaignError> {
    let demarches = Catalogue::load(&request.catalogue)?.demarches;
    if demarches.is_empty() {
        return Err(CampaignError::NothingToAudit);
    }
    let mut settings = request.settings;
    settings.audit_date = Some(
        request
            .audit_date
            .unwrap_or_else(|| chrono::Utc::now().date_naive()),
    );
    let mut declarations = None;
    if let Some(path) = &request.declarations_file {
        // Read now: a bad file is refused before anything is queued; its content is stored,
        // so workers on other machines score with the same declarations.
        let text = std::fs::read_to_string(path).map_err(|source| {
            crate::declarations::DeclarationsError::Io {
                path: path.clone(),
                source,
            }
        })?;
        let d = Declarations::parse(&text, &path.display().to_string())?;
        notes.extend(d.notes.iter().map(|n| format!("avertissement : {n}")));
        settings.declarations_file = Some(std::fs::canonicalize(path).unwrap_or(path.clone()));
        declarations = Some(text);
    }
    Ok(crate::store::queue::submit(
        store,
        &demarches,
        &settings,
        declarations,
    )?)
}

/// The declarations a queued campaign scores with: the content stored at submit, else (a
/// campaign queued before it was stored) the file its settings name.
pub fn queued_declarations(
    campaign: &crate::store::queue::QueuedCampaign,
) -> Result<Option<Declarations>, crate::declarations::DeclarationsError> {
    let name = campaign
        .settings
        .declarations_file
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| format!("déclarations de la campagne #{}", campaign.id));
    match (&campaign.declarations, &campaign.settings.declarations_file) {
        (Some(text), _) => Declarations::parse(text, &name).map(Some),
        (None, Some(path)) => Declarations::load(path).map(Some),
        (None, None) => Ok(None),
    }
}

/// `vigie campaign report`: the report of a queued campaign from the database (scored with the
/// declarations stored with it), published as
/// `vigie audit` publishes (the run recorded in the same database, then report.json, the site
/// and its CSV), the démarches' reports read back one at a time through a spool. Démarches not
/// done (failed, or still running) are left out and named in a note.
pub fn report_queued(
    store: &mut Store,
    id: i64,
    out: &Path,
    say: &mut dyn FnMut(String),
) -> Result<(), CampaignError> {
    let campaign = crate::store::queue::load(store, id)?;
    let declarations = queued_declarations(&campaign)?;
    std::fs::create_dir_all(out).map_err(|source| crate::store::StoreError::Io {
        path: out.to_path_buf(),
        source,
    })?;
    let mut spool = crate::model::stream::SpoolWriter::new_in(out)?;
    let (finished_at, missing) = crate::store::queue::for_each_report(store, id, |mut d| {
        // The campaign's own declarations, as its workers scored with them (unchanged then;
        // a report stored by an older worker that could not read them gets them here).
        if declarations.is_some() {
            crate::audit::redeclare(&mut d, declarations.as_ref());
        }
        spool.push(&d)?;
        Ok(())
    })?;
    if !missing.is_empty() {
        say(format!(
            "note : {} démarche(s) non terminée(s) ou en échec, absentes du rapport : {}",
            missing.len(),
            missing.join(", ")
        ));
    }
    let report = spool.finish(crate::model::stream::RunHeader {
        schema_version: crate::model::SCHEMA_VERSION.to_string(),
        tool: crate::model::ToolInfo::default(),
        started_at: campaign.started_at.clone(),
        finished_at: finished_at.unwrap_or_else(|| campaign.started_at.clone()),
        config: campaign.settings.run_config(),
    })?;
    publish(
        &report,
        out,
        Some(store),
        &format!("campaign:{id}"),
        None,
        &mut |done| say(done.to_string()),
    )
}
