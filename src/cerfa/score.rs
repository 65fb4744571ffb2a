//! Démarche-level evaluation of the 35 criteria and the two scores of the 2019 study
//! (k/35 and k/3 for the accessibility criteria 15–17).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::data::{self, CriterionDef, Mode};
use super::declaration::{ConformityStatus, Declaration};
use super::declarations_file::{DeclaredAnswer, DeclaredValue};
use super::footer::{DSFR_MANDATORY, REQUIRED_19};
use super::PageEvidence;
use crate::catalogue::{Demarche, EntryKind};
use crate::crawl::indexability::Indexability;
use crate::crawl::robots::RobotsStatus;
use crate::findings::Finding;
use crate::rules::Outcome;

/// A crawled HTML page with its Cerfa evidence.
#[derive(Debug, Clone, Copy)]
pub struct EvidencePage<'a> {
    pub url: &'a str,
    pub status: Option<u16>,
    pub depth: u32,
    /// Charset from the HTTP response, if known.
    pub charset: Option<&'a str>,
    /// `X-Robots-Tag` header values of the response.
    pub x_robots_tag: &'a [String],
    pub evidence: &'a PageEvidence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    NotMet,
    Unknown,
    NotApplicable,
}

impl Status {
    /// The word report.json uses.
    pub fn code(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet => "not_met",
            Status::Unknown => "unknown",
            Status::NotApplicable => "not_applicable",
        }
    }
}

impl From<DeclaredValue> for Status {
    fn from(v: DeclaredValue) -> Status {
        match v {
            DeclaredValue::Met => Status::Met,
            DeclaredValue::NotMet => Status::NotMet,
        }
    }
}

/// Where a verdict comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    #[serde(rename = "mesure")]
    Mesure,
    #[serde(rename = "declare")]
    Declare,
    #[serde(rename = "inconnu")]
    Inconnu,
}

/// One piece of evidence: where, what.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Evidence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    pub text: String,
}

impl Evidence {
    /// One line: the text, then where (URL, selector), the empty parts left out.
    pub fn line(&self) -> String {
        [
            Some(self.text.as_str()),
            self.url.as_deref(),
            self.selector.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" — ")
    }
}

fn ev(url: Option<&str>, selector: Option<&str>, text: impl Into<String>) -> Evidence {
    Evidence {
        url: url.map(str::to_string),
        selector: selector.filter(|s| !s.is_empty()).map(str::to_string),
        text: text.into(),
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CriterionResult {
    pub number: u8,
    pub principle: u8,
    pub label: String,
    pub mode: Mode,
    pub status: Status,
    pub source: Source,
    /// The measured verdict (unknown when nothing could be measured).
    pub measured: Status,
    /// One French sentence explaining the verdict.
    pub summary: String,
    pub evidence: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declaration: Option<DeclaredAnswer>,
    /// Set when the declaration and the measure disagree (the measure wins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disagreement: Option<String>,
}

/// One of the two figures.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ScoreFigure {
    /// Criteria met (measured or declared).
    pub met: usize,
    /// Criteria counted: all of them minus the non-applicable ones.
    pub out_of: usize,
    /// met / out_of × 100, unknown counted as not met (as the 2019 study did).
    pub percent: f64,
    pub measured_met: usize,
    pub declared_met: usize,
    pub not_met: usize,
    pub unknown: usize,
    pub not_applicable: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Scores {
    /// Share of the 35 criteria met.
    pub all: ScoreFigure,
    /// Share of the accessibility criteria 15, 16 and 17 met.
    pub accessibility: ScoreFigure,
    /// The two headline percentages, flat, for tables and indicators.
    pub all_pct: f64,
    pub accessibility_pct: f64,
}

/// The accessibility declaration as judged.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DeclarationVerdict {
    pub url: String,
    #[serde(flatten)]
    pub declaration: Declaration,
    pub recevable: bool,
    /// Why it is not recevable (empty when it is).
    pub reasons: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_days: Option<i64>,
    /// HTML pages linking to the accessibility page from their footer, out of all HTML pages.
    pub pages_linking: usize,
    pub pages_total: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contradiction: Option<String>,
}

/// The Cerfa numérique evaluation of one démarche.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CerfaReport {
    pub audit_date: NaiveDate,
    pub criteria: Vec<CriterionResult>,
    pub scores: Scores,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessibility_declaration: Option<DeclarationVerdict>,
}

struct Measured {
    status: Status,
    summary: String,
    evidence: Vec<Evidence>,
}

fn m(status: Status, summary: impl Into<String>, evidence: Vec<Evidence>) -> Measured {
    Measured {
        status,
        summary: summary.into(),
        evidence,
    }
}

struct Ctx<'a> {
    demarche: &'a Demarche,
    pages: &'a [EvidencePage<'a>],
    home: Option<EvidencePage<'a>>,
    findings: &'a [Finding],
    date: NaiveDate,
    declaration: Option<DeclarationVerdict>,
    indexability: Option<&'a Indexability>,
}

/// Evaluate the 35 criteria for one démarche.
pub fn evaluate(
    demarche: &Demarche,
    pages: &[EvidencePage<'_>],
    findings: &[Finding],
    declarations: Option<&BTreeMap<u8, DeclaredAnswer>>,
    audit_date: NaiveDate,
    indexability: Option<&Indexability>,
) -> CerfaReport {
    let home = pages
        .iter()
        .find(|p| p.depth == 0 && p.url == demarche.start_url.as_str())
        .or_else(|| pages.iter().find(|p| p.depth == 0))
        .or_else(|| pages.first())
        .copied();
    let mut ctx = Ctx {
        demarche,
        pages,
        home,
        findings,
        date: audit_date,
        declaration: None,
        indexability,
    };
    ctx.declaration = declaration_verdict(&ctx);
    let mut criteria = Vec::with_capacity(35);
    for def in &data::criteria().criteria {
        let measured = measure(def, &ctx);
        criteria.push(combine(
            def,
            measured,
            declarations.and_then(|d| d.get(&def.number)),
        ));
    }
    CerfaReport {
        audit_date,
        scores: scores_of(&criteria),
        criteria,
        accessibility_declaration: ctx.declaration,
    }
}

fn scores_of(criteria: &[CriterionResult]) -> Scores {
    let all = figure(criteria.iter());
    let accessibility = figure(criteria.iter().filter(|c| (15..=17).contains(&c.number)));
    Scores {
        all_pct: all.percent,
        accessibility_pct: accessibility.percent,
        all,
        accessibility,
    }
}

/// Replace the declarations of an evaluated démarche (`vigie report --declarations`): each
/// criterion is decided again from its measured verdict and the new answer, and the scores
/// recomputed.
pub fn redeclare(report: &mut CerfaReport, declarations: Option<&BTreeMap<u8, DeclaredAnswer>>) {
    for c in &mut report.criteria {
        let declared = declarations.and_then(|d| d.get(&c.number));
        let (status, source, disagreement) = decide(c.measured, declared);
        c.status = status;
        c.source = source;
        c.disagreement = disagreement;
        c.declaration = declared.cloned();
    }
    report.scores = scores_of(&report.criteria);
}

/// The verdict from the measure and the declaration: the measure wins; a declaration fills an
/// unknown; a disagreement is reported.
fn decide(measured: Status, declared: Option<&DeclaredAnswer>) -> (Status, Source, Option<String>) {
    match (measured, declared) {
        (Status::Unknown, Some(d)) => (d.value.into(), Source::Declare, None),
        (Status::Unknown, None) => (Status::Unknown, Source::Inconnu, None),
        (s, Some(d)) if Status::from(d.value) != s => (
            s,
            Source::Mesure,
            Some(format!(
                "La déclaration ({}) contredit la mesure ({}) : la mesure l'emporte.",
                label_of(d.value.into()),
                label_of(s)
            )),
        ),
        (s, _) => (s, Source::Mesure, None),
    }
}

fn combine(
    def: &CriterionDef,
    measured: Measured,
    declared: Option<&DeclaredAnswer>,
) -> CriterionResult {
    let (status, source, disagreement) = decide(measured.status, declared);
    CriterionResult {
        number: def.number,
        principle: def.principle,
        label: def.label.clone(),
        mode: def.mode,
        status,
        source,
        measured: measured.status,
        summary: measured.summary,
        evidence: measured.evidence,
        declaration: declared.cloned(),
        disagreement,
    }
}

fn label_of(s: Status) -> &'static str {
    match s {
        Status::Met => "rempli",
        Status::NotMet => "non rempli",
        Status::Unknown => "inconnu",
        Status::NotApplicable => "non applicable",
    }
}

fn figure<'a>(it: impl Iterator<Item = &'a CriterionResult>) -> ScoreFigure {
    let mut f = ScoreFigure::default();
    let mut total = 0;
    for c in it {
        total += 1;
        match (c.status, c.source) {
            (Status::Met, Source::Declare) => {
                f.met += 1;
                f.declared_met += 1
            }
            (Status::Met, _) => {
                f.met += 1;
                f.measured_met += 1
            }
            (Status::NotMet, _) => f.not_met += 1,
            (Status::Unknown, _) => f.unknown += 1,
            (Status::NotApplicable, _) => f.not_applicable += 1,
        }
    }
    f.out_of = total - f.not_applicable;
    f.percent = if f.out_of == 0 {
        0.0
    } else {
        (f.met as f64 * 1000.0 / f.out_of as f64).round() / 10.0
    };
    f
}

fn measure(def: &CriterionDef, ctx: &Ctx<'_>) -> Measured {
    if def.mode == Mode::Declared {
        return m(
            Status::Unknown,
            "Critère déclaratif : seul l'opérateur peut y répondre.",
            vec![],
        );
    }
    // Criterion 32 may be decided by robots.txt even when no page could be analysed.
    if ctx.pages.is_empty() && def.number != 32 {
        return m(Status::Unknown, "Aucune page HTML analysée.", vec![]);
    }
    match def.number {
        1 => c01_responsive(ctx),
        4 => c04_steps(ctx),
        7 => c07_acronyms(ctx),
        8 => c08_presentation(ctx),
        9 => c09_address(ctx),
        11 => c11_domain(ctx),
        12 => c12_help(ctx),
        13 => c13_contact(ctx),
        14 => c14_human(ctx),
        15 => c15_declaration(ctx),
        16 => c16_keyboard(ctx),
        17 => c17_contrast(ctx),
        18 => c18_markup(ctx),
        19 => c19_footer(ctx),
        20 => c20_dsfr(ctx),
        21 => c21_standards(ctx),
        23 => c23_personal_data(ctx),
        26 => c26_franceconnect(ctx),
        29 => keyword(ctx, "suivi", "Lien de suivi de dossier trouvé.", "Aucun lien « suivre ma demande » sur les pages publiques (à confirmer dans l'espace connecté)."),
        30 => c30_satisfaction(ctx),
        31 => keyword(ctx, "statistiques", "Page de statistiques trouvée.", "Aucune page de statistiques trouvée."),
        32 => c32_indexing(ctx),
        35 => keyword(ctx, "demonstration", "Lien vers une démonstration trouvé.", "Aucune version de démonstration trouvée."),
        _ => m(Status::Unknown, "Critère non mesuré.", vec![]),
    }
}

fn c01_responsive(ctx: &Ctx<'_>) -> Measured {
    let Some(home) = ctx.home else {
        return m(Status::Unknown, "Page d'accueil non analysée.", vec![]);
    };
    let r = &home.evidence.misc.responsive;
    let url = Some(home.url);
    let mut evidence = vec![ev(
        url,
        None,
        format!(
            "viewport : {} ; requêtes média : {}",
            r.viewport.as_deref().unwrap_or("absente"),
            if r.media_queries { "oui" } else { "non" }
        ),
    )];
    if let Some(w) = &r.fixed_width {
        evidence.push(ev(url, None, format!("largeur fixe : {w}")));
        return m(Status::NotMet, "La page a une largeur fixe.", evidence);
    }
    if r.viewport.is_none() || !r.device_width {
        return m(
            Status::NotMet,
            "Pas de balise viewport adaptée à la largeur de l'appareil.",
            evidence,
        );
    }
    if r.zoom_locked {
        return m(
            Status::NotMet,
            "La balise viewport bloque le zoom.",
            evidence,
        );
    }
    if r.media_queries {
        m(
            Status::Met,
            "Viewport adaptée et requêtes média présentes (à confirmer sur mobile).",
            evidence,
        )
    } else {
        m(
            Status::Unknown,
            "Viewport adaptée mais aucune requête média : à vérifier sur petit écran.",
            evidence,
        )
    }
}

fn c04_steps(ctx: &Ctx<'_>) -> Measured {
    let forms: Vec<_> = ctx
        .pages
        .iter()
        .filter(|p| p.evidence.misc.form.fields > 0)
        .collect();
    if forms.is_empty() {
        return m(
            Status::Unknown,
            "Aucune page de formulaire visitée (formulaire derrière une connexion ?).",
            vec![],
        );
    }
    let with: Vec<Evidence> = forms
        .iter()
        .filter_map(|p| {
            p.evidence.misc.form.step_indicator.as_ref().map(|s| {
                let back = if p.evidence.misc.form.back_link {
                    " ; lien de retour"
                } else {
                    ""
                };
                ev(
                    Some(p.url),
                    None,
                    format!("indicateur d'étapes : {s}{back}"),
                )
            })
        })
        .collect();
    if with.is_empty() {
        let evidence = forms
            .iter()
            .map(|p| ev(Some(p.url), None, "formulaire sans indicateur d'étapes"))
            .collect();
        m(
            Status::NotMet,
            "Aucun indicateur d'étapes sur les pages de formulaire.",
            evidence,
        )
    } else {
        m(
            Status::Met,
            "Indicateur d'étapes présent sur les formulaires (à confirmer).",
            with,
        )
    }
}

fn c07_acronyms(ctx: &Ctx<'_>) -> Measured {
    let mut evidence = Vec::new();
    for p in ctx.pages {
        for a in &p.evidence.acronyms {
            if evidence.len() < 30 {
                evidence.push(ev(
                    Some(p.url),
                    Some(&a.selector),
                    format!("{} : « {} »", a.acronym, a.context),
                ));
            }
        }
    }
    if evidence.is_empty() {
        m(Status::Met, "Aucun sigle non développé trouvé.", vec![])
    } else {
        let n = evidence.len();
        m(
            Status::NotMet,
            format!("{n} sigle(s) utilisé(s) sans développement à leur première apparition."),
            evidence,
        )
    }
}

fn c08_presentation(ctx: &Ctx<'_>) -> Measured {
    let Some(home) = ctx.home else {
        return m(Status::Unknown, "Page de départ non analysée.", vec![]);
    };
    let e = vec![ev(
        Some(home.url),
        None,
        format!(
            "statut HTTP {}",
            home.status
                .map(|s| s.to_string())
                .unwrap_or_else(|| "inconnu".into())
        ),
    )];
    match home.status {
        Some(s) if (200..300).contains(&s) => {
            if home.evidence.login_only {
                m(
                    Status::NotMet,
                    "La page de départ n'est qu'un formulaire de connexion.",
                    e,
                )
            } else {
                m(
                    Status::Met,
                    "La page de départ présente la démarche sans connexion.",
                    e,
                )
            }
        }
        Some(_) => m(
            Status::NotMet,
            "La page de départ ne répond pas correctement.",
            e,
        ),
        None => m(Status::Unknown, "Statut de la page de départ inconnu.", e),
    }
}

fn c09_address(ctx: &Ctx<'_>) -> Measured {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for p in ctx.pages {
        for f in &p.evidence.misc.form.address_fields {
            let text = format!(
                "champ « {} », autocomplete : {}",
                f.label,
                f.autocomplete.as_deref().unwrap_or("absent")
            );
            let e = ev(Some(p.url), Some(&f.selector), text);
            if f.ok {
                ok.push(e)
            } else {
                bad.push(e)
            }
        }
    }
    if ok.is_empty() && bad.is_empty() {
        m(
            Status::Unknown,
            "Aucun champ d'adresse sur les pages visitées.",
            vec![],
        )
    } else if bad.is_empty() {
        m(
            Status::Met,
            "Champs d'adresse étiquetés avec l'attribut autocomplete adapté.",
            ok,
        )
    } else {
        m(
            Status::NotMet,
            "Des champs d'adresse n'ont pas d'étiquette ou d'autocomplete d'adresse.",
            bad,
        )
    }
}

fn c11_domain(ctx: &Ctx<'_>) -> Measured {
    let host = ctx.demarche.start_url.host_str().unwrap_or("");
    let e = vec![ev(
        Some(ctx.demarche.start_url.as_str()),
        None,
        format!("domaine : {host}"),
    )];
    match data::is_public_host(host) {
        Some(d) => m(Status::Met, format!("Domaine officiel ({d})."), e),
        None => m(
            Status::NotMet,
            "Domaine absent de la liste des domaines publics (à confirmer).",
            e,
        ),
    }
}

fn c12_help(ctx: &Ctx<'_>) -> Measured {
    let help: Vec<Evidence> = ctx
        .pages
        .iter()
        .flat_map(|p| {
            p.evidence.contact.help_links.iter().map(move |l| {
                ev(
                    Some(p.url),
                    Some(&l.selector),
                    format!("lien d'aide « {} » → {}", l.text, l.href),
                )
            })
        })
        .take(5)
        .collect();
    let forms: Vec<_> = ctx
        .pages
        .iter()
        .filter(|p| p.evidence.misc.form.fields > 0)
        .collect();
    let hints: usize = forms
        .iter()
        .map(|p| p.evidence.misc.form.fields_with_hint)
        .sum();
    let fields: usize = forms.iter().map(|p| p.evidence.misc.form.fields).sum();
    let mut evidence = help.clone();
    for p in &forms {
        evidence.push(ev(
            Some(p.url),
            None,
            format!(
                "{} champ(s) dont {} avec une aide contextuelle",
                p.evidence.misc.form.fields, p.evidence.misc.form.fields_with_hint
            ),
        ));
    }
    if help.is_empty() {
        return m(
            Status::NotMet,
            "Aucun lien vers une FAQ ou une aide.",
            evidence,
        );
    }
    if !forms.is_empty() && hints == 0 {
        return m(Status::NotMet, format!("FAQ ou aide présente, mais aucun des {fields} champ(s) de formulaire n'a d'aide contextuelle."), evidence);
    }
    m(
        Status::Met,
        "FAQ ou aide présente, aide contextuelle sur les champs.",
        evidence,
    )
}

fn contact_union(ctx: &Ctx<'_>) -> (Vec<&'static str>, Vec<Evidence>) {
    let mut channels: Vec<&'static str> = Vec::new();
    let mut evidence = Vec::new();
    for p in ctx.pages {
        let c = &p.evidence.contact;
        for ch in c.channels() {
            if channels.contains(&ch) {
                continue;
            }
            channels.push(ch);
            let (sel, text) = match ch {
                "telephone" => (None, format!("téléphone : {}", c.phones.join(", "))),
                "courriel" => (None, format!("courriel : {}", c.emails.join(", "))),
                "formulaire" => (c.form.as_deref(), "formulaire de contact".to_string()),
                "tchat" => (
                    None,
                    format!("messagerie : « {} »", c.chat.as_deref().unwrap_or("")),
                ),
                "accueil" => (
                    None,
                    format!("accueil physique : « {} »", c.desk.as_deref().unwrap_or("")),
                ),
                _ => (
                    None,
                    format!(
                        "rendez-vous : « {} »",
                        c.appointment.as_deref().unwrap_or("")
                    ),
                ),
            };
            evidence.push(ev(Some(p.url), sel, text));
        }
    }
    (channels, evidence)
}

fn c13_contact(ctx: &Ctx<'_>) -> Measured {
    let (channels, evidence) = contact_union(ctx);
    let min = data::criteria().thresholds.contact_channels_min;
    let has_form = channels.contains(&"formulaire");
    let list = if channels.is_empty() {
        "aucun".to_string()
    } else {
        channels.join(", ")
    };
    if channels.len() >= min && has_form {
        m(
            Status::Met,
            format!(
                "{} canaux de contact dont un formulaire ({list}).",
                channels.len()
            ),
            evidence,
        )
    } else if !has_form {
        m(
            Status::NotMet,
            format!("Pas de formulaire de contact (canaux trouvés : {list})."),
            evidence,
        )
    } else {
        m(
            Status::NotMet,
            format!("Moins de {min} canaux de contact ({list})."),
            evidence,
        )
    }
}

fn c14_human(ctx: &Ctx<'_>) -> Measured {
    let (channels, evidence) = contact_union(ctx);
    let human: Vec<Evidence> = channels
        .iter()
        .zip(evidence)
        .filter(|(c, _)| matches!(**c, "telephone" | "tchat" | "accueil" | "rendez_vous"))
        .map(|(_, e)| e)
        .collect();
    if human.is_empty() {
        m(
            Status::NotMet,
            "Aucun accompagnement humain trouvé (téléphone, rendez-vous, accueil).",
            vec![],
        )
    } else {
        m(
            Status::Met,
            "Accompagnement humain proposé (à confirmer).",
            human,
        )
    }
}

fn declaration_verdict(ctx: &Ctx<'_>) -> Option<DeclarationVerdict> {
    let footer_target = ctx
        .home
        .and_then(|h| h.evidence.footer.as_ref())
        .and_then(|f| f.link("accessibilite"))
        .map(|l| l.href.clone());
    let entry_target: Option<String> = ctx
        .demarche
        .entries
        .iter()
        .find(|e| e.kind == EntryKind::Accessibility)
        .map(|e| e.url.to_string());
    let with_decl: Vec<&EvidencePage<'_>> = ctx
        .pages
        .iter()
        .filter(|p| p.evidence.declaration.is_some())
        .collect();
    let page = with_decl
        .iter()
        .find(|p| {
            Some(p.url.to_string()) == footer_target || Some(p.url.to_string()) == entry_target
        })
        .or_else(|| with_decl.first())?;
    let d = page.evidence.declaration.clone()?;
    let t = &data::criteria().thresholds;
    let mut reasons = Vec::new();
    if d.status.is_none() {
        reasons.push("état de conformité absent".to_string());
    }
    if d.rate.is_none() {
        reasons.push("taux de conformité absent".to_string());
    }
    if !d.contact {
        reasons.push("moyen de contact absent".to_string());
    }
    let age_days = d.reference_date().map(|r| (ctx.date - r).num_days());
    match d.reference_date() {
        None => reasons.push("date d'établissement absente".to_string()),
        Some(r) => {
            let limit = r
                .checked_add_months(chrono::Months::new(12 * t.declaration_max_age_years))
                .unwrap_or(r);
            if ctx.date >= limit {
                reasons.push(format!(
                    "déclaration de plus de {} ans (datée du {})",
                    t.declaration_max_age_years,
                    r.format("%d/%m/%Y")
                ));
            }
        }
    }
    // The regulator objects to an expired schéma and to a missing plan for the current year.
    let year = chrono::Datelike::year(&ctx.date);
    if let Some(end) = d.schema_end.filter(|end| *end < year) {
        reasons.push(format!(
            "schéma pluriannuel expiré ({}–{end})",
            d.schema_start.unwrap_or(end)
        ));
    }
    match d.action_plan_year {
        Some(y) if y < year => reasons.push(format!(
            "pas de plan d'action pour {year} (le plus récent trouvé : {y})"
        )),
        None if d.action_plan_link.is_none() => {
            reasons.push(format!("plan d'action {year} absent"))
        }
        _ => {}
    }
    let html: Vec<_> = ctx.pages.iter().collect();
    let linking = html
        .iter()
        .filter(|p| {
            p.evidence
                .footer
                .as_ref()
                .and_then(|f| f.link("accessibilite"))
                .is_some()
        })
        .count();
    let non_decl = html.len();
    if linking + 1 < non_decl {
        // The declaration page itself need not link to itself.
        reasons.push(format!(
            "lien « Accessibilité » absent du pied de page de {} page(s) sur {}",
            non_decl - linking,
            non_decl
        ));
    }
    let mut contradiction = None;
    if let (Some(s), Some(r)) = (d.status, d.rate) {
        if !s.agrees_with_rate(r) {
            contradiction = Some(format!(
                "La déclaration se dit « {} » mais publie un taux de {r} %.",
                s.label_fr()
            ));
        }
    }
    if d.status == Some(ConformityStatus::Totalement) {
        let failures: Vec<&Finding> = ctx
            .findings
            .iter()
            .filter(|f| f.outcome == Outcome::Failed && !f.rgaa.is_empty())
            .collect();
        if !failures.is_empty() {
            let ex: Vec<String> = failures
                .iter()
                .take(5)
                .map(|f| {
                    format!(
                        "{} sur {}{}",
                        f.rule,
                        f.url,
                        f.targets
                            .first()
                            .map(|t| format!(" ({})", t.selector))
                            .unwrap_or_default()
                    )
                })
                .collect();
            let text = format!(
                "Déclarée « totalement conforme » alors que {} non-conformité(s) RGAA ont été mesurées : {}.",
                failures.len(),
                ex.join(" ; ")
            );
            contradiction = Some(match contradiction {
                Some(c) => format!("{c} {text}"),
                None => text,
            });
        }
    }
    Some(DeclarationVerdict {
        url: page.url.to_string(),
        recevable: reasons.is_empty(),
        declaration: d,
        reasons,
        age_days,
        pages_linking: linking,
        pages_total: html.len(),
        contradiction,
    })
}

fn c15_declaration(ctx: &Ctx<'_>) -> Measured {
    let Some(home) = ctx.home else {
        return m(Status::Unknown, "Page d'accueil non analysée.", vec![]);
    };
    let mut evidence = Vec::new();
    let link = home
        .evidence
        .footer
        .as_ref()
        .and_then(|f| f.link("accessibilite"));
    match &home.evidence.accessibility_mention {
        Some(s) => evidence.push(ev(
            Some(home.url),
            None,
            format!("mention « Accessibilité : {} »", s.label_fr()),
        )),
        None => evidence.push(ev(
            Some(home.url),
            None,
            "mention « Accessibilité : … conforme » absente de la page d'accueil",
        )),
    }
    match link {
        Some(l) => evidence.push(ev(
            Some(home.url),
            Some(&l.selector),
            format!("lien du pied de page « {} » → {}", l.text, l.href),
        )),
        None => evidence.push(ev(
            Some(home.url),
            None,
            "aucun lien « Accessibilité » dans le pied de page",
        )),
    }
    let Some(v) = &ctx.declaration else {
        let Some(l) = link else {
            return m(
                Status::NotMet,
                "Aucun lien vers la déclaration d'accessibilité dans le pied de page.",
                evidence,
            );
        };
        let crawled = ctx.pages.iter().any(|p| p.url == l.href);
        return if crawled {
            m(
                Status::NotMet,
                "La page « Accessibilité » ne contient pas de déclaration reconnaissable.",
                evidence,
            )
        } else {
            m(
                Status::Unknown,
                "La page « Accessibilité » n'a pas été visitée.",
                evidence,
            )
        };
    };
    let d = &v.declaration;
    evidence.push(ev(
        Some(&v.url),
        None,
        format!(
            "déclaration : {} ; taux {} ; datée du {} ; contact {} ; Défenseur des droits {} ; schéma pluriannuel {} ; plan d'action {} ; RGAA {}",
            d.status.map(|s| s.label_fr()).unwrap_or("état absent"),
            d.rate.map(|r| format!("{r} %")).unwrap_or_else(|| "absent".into()),
            d.reference_date().map(|r| r.format("%d/%m/%Y").to_string()).unwrap_or_else(|| "?".into()),
            yes(d.contact),
            yes(d.defenseur_des_droits),
            yes(d.schema_link.is_some()),
            yes(d.action_plan_link.is_some()),
            d.rgaa_version.as_deref().unwrap_or("?")
        ),
    ));
    if let Some(c) = &v.contradiction {
        evidence.push(ev(Some(&v.url), None, format!("contradiction : {c}")));
    }
    let mut problems = v.reasons.clone();
    if link.is_none() {
        problems.push("pas de lien « Accessibilité » dans le pied de page de l'accueil".into());
    }
    if home.evidence.accessibility_mention.is_none() {
        problems.push("mention d'accessibilité absente de l'accueil".into());
    }
    if v.contradiction.is_some() {
        problems.push("déclaration contredite".into());
    }
    if problems.is_empty() {
        m(
            Status::Met,
            "Déclaration d'accessibilité recevable, liée depuis le pied de page.",
            evidence,
        )
    } else {
        m(
            Status::NotMet,
            format!("Déclaration non recevable : {}.", problems.join(", ")),
            evidence,
        )
    }
}

fn yes(b: bool) -> &'static str {
    if b {
        "oui"
    } else {
        "non"
    }
}

fn rule_findings<'a>(ctx: &Ctx<'a>, criterion: u8) -> Vec<&'a Finding> {
    ctx.findings
        .iter()
        .filter(|f| f.cerfa.contains(&criterion))
        .collect()
}

fn finding_evidence(f: &Finding) -> Evidence {
    ev(
        Some(&f.url),
        f.targets.first().map(|t| t.selector.as_str()),
        format!("{} : {}", f.rule, f.message),
    )
}

/// Evidence of the first `n` findings with this outcome.
fn evidence_of(fs: &[&Finding], outcome: Outcome, n: usize) -> Vec<Evidence> {
    fs.iter()
        .filter(|f| f.outcome == outcome)
        .take(n)
        .map(|f| finding_evidence(f))
        .collect()
}

fn c16_keyboard(ctx: &Ctx<'_>) -> Measured {
    let fs = rule_findings(ctx, 16);
    let failed: Vec<Evidence> = evidence_of(&fs, Outcome::Failed, 20);
    if !failed.is_empty() {
        return m(
            Status::NotMet,
            "Des obstacles à la navigation au clavier ont été mesurés.",
            failed,
        );
    }
    if fs
        .iter()
        .any(|f| matches!(f.outcome, Outcome::Passed | Outcome::CantTell))
    {
        m(
            Status::Unknown,
            "Aucun problème détecté par les règles clavier : à confirmer par un test manuel.",
            vec![],
        )
    } else {
        m(
            Status::Unknown,
            "Aucune règle clavier applicable sur les pages visitées.",
            vec![],
        )
    }
}

fn c17_contrast(ctx: &Ctx<'_>) -> Measured {
    let fs = rule_findings(ctx, 17);
    let failed: Vec<Evidence> = evidence_of(&fs, Outcome::Failed, 20);
    if !failed.is_empty() {
        return m(
            Status::NotMet,
            "Des textes ont un contraste insuffisant.",
            failed,
        );
    }
    let cant: Vec<Evidence> = evidence_of(&fs, Outcome::CantTell, 10);
    if !cant.is_empty() {
        return m(
            Status::Unknown,
            "Contraste indéterminé pour certains textes (fond non résolu).",
            cant,
        );
    }
    if fs.iter().any(|f| f.outcome == Outcome::Passed) {
        m(
            Status::Met,
            "Tous les textes mesurés ont un contraste suffisant.",
            vec![],
        )
    } else {
        m(
            Status::Unknown,
            "Aucun résultat de contraste applicable.",
            vec![],
        )
    }
}

fn c18_markup(ctx: &Ctx<'_>) -> Measured {
    let Some(home) = ctx.home else {
        return m(Status::Unknown, "Page d'accueil non analysée.", vec![]);
    };
    let mk = &home.evidence.markup;
    let max = data::criteria().thresholds.markup_errors_max_exclusive;
    let mut evidence = vec![ev(
        Some(home.url),
        None,
        format!(
            "{} erreur(s) : analyse HTML {}, id en double {}, éléments obsolètes {}, attributs obsolètes {}, imbrications interdites {}",
            mk.total, mk.parse_errors, mk.duplicate_ids, mk.obsolete_elements, mk.obsolete_attributes, mk.invalid_nesting
        ),
    )];
    evidence.push(ev(
        None,
        None,
        "Comptage approché d'un validateur : erreurs de l'analyseur HTML5 (doctype absent compris ; un lien dans un lien y figure comme « Unexpected token »), chaque identifiant répété, éléments et attributs de la liste « obsolète » du standard HTML, imbrications interdites (</p> orphelin après un bloc, formulaire, bouton ou titre imbriqués, élément interactif dans un lien ou un bouton, bloc dans un élément de texte, li hors liste) ; ni les attributs inconnus ni leurs valeurs ne sont vérifiés.",
    ));
    evidence.extend(
        mk.examples
            .iter()
            .map(|e| ev(Some(home.url), None, e.clone())),
    );
    if mk.total < max {
        m(
            Status::Met,
            format!(
                "{} erreur(s) de balisage sur l'accueil (seuil : moins de {max}).",
                mk.total
            ),
            evidence,
        )
    } else {
        m(
            Status::NotMet,
            format!(
                "{} erreurs de balisage sur l'accueil (seuil : moins de {max}).",
                mk.total
            ),
            evidence,
        )
    }
}

fn c19_footer(ctx: &Ctx<'_>) -> Measured {
    let Some(home) = ctx.home else {
        return m(Status::Unknown, "Page d'accueil non analysée.", vec![]);
    };
    let Some(f) = &home.evidence.footer else {
        return m(
            Status::NotMet,
            "Pied de page introuvable sur l'accueil.",
            vec![],
        );
    };
    let mut evidence = vec![ev(
        Some(home.url),
        Some(&f.selector),
        format!("pied de page trouvé par : {}", f.found_by),
    )];
    for l in &f.links {
        evidence.push(ev(
            Some(home.url),
            Some(&l.link.selector),
            format!("{} : « {} » → {}", l.kind, l.link.text, l.link.href),
        ));
    }
    let missing: Vec<&str> = REQUIRED_19
        .iter()
        .copied()
        .filter(|k| f.link(k).is_none())
        .collect();
    let dsfr_missing: Vec<&str> = DSFR_MANDATORY
        .iter()
        .copied()
        .filter(|k| f.link(k).is_none())
        .collect();
    if !dsfr_missing.is_empty() {
        evidence.push(ev(
            Some(home.url),
            None,
            format!(
                "liens obligatoires du DSFR absents : {}",
                dsfr_missing.join(", ")
            ),
        ));
    }
    if missing.is_empty() {
        m(Status::Met, "Le pied de page mène au contact, au plan du site, aux mentions légales et à l'accessibilité.", evidence)
    } else {
        m(
            Status::NotMet,
            format!("Liens absents du pied de page : {}.", missing.join(", ")),
            evidence,
        )
    }
}

fn c20_dsfr(ctx: &Ctx<'_>) -> Measured {
    let Some(home) = ctx.home else {
        return m(Status::Unknown, "Page d'accueil non analysée.", vec![]);
    };
    let mk = &home.evidence.misc.dsfr_markers;
    let e = vec![ev(
        Some(home.url),
        None,
        format!(
            "marqueurs DSFR : {}",
            if mk.is_empty() {
                "aucun".into()
            } else {
                mk.join(", ")
            }
        ),
    )];
    let has = |s: &str| mk.iter().any(|x| x == s);
    if has("fr-header__brand") || has("rf-header__brand") || (has("fr-logo") && has("fr-footer")) {
        m(
            Status::Met,
            "Le site utilise le système de design de l'État (à confirmer).",
            e,
        )
    } else {
        m(
            Status::NotMet,
            "Pas de bloc-marque ni d'en-tête du DSFR.",
            e,
        )
    }
}

fn c21_standards(ctx: &Ctx<'_>) -> Measured {
    let Some(home) = ctx.home else {
        return m(Status::Unknown, "Page d'accueil non analysée.", vec![]);
    };
    let mut problems = Vec::new();
    let https = home.url.starts_with("https://");
    if !https {
        problems.push("pas de HTTPS".to_string());
    }
    let charset = home
        .charset
        .map(str::to_ascii_lowercase)
        .or_else(|| home.evidence.misc.meta_charset.clone());
    match charset.as_deref() {
        Some("utf-8") | Some("utf8") => {}
        Some(c) => problems.push(format!("encodage {c} au lieu d'UTF-8")),
        None => problems.push("encodage non déclaré".to_string()),
    }
    if !home.evidence.misc.doctype_html5 {
        problems.push("pas de doctype HTML5".to_string());
    }
    let mut evidence = Vec::new();
    let open: usize = ctx
        .pages
        .iter()
        .map(|p| p.evidence.misc.open_documents)
        .sum();
    for p in ctx.pages {
        for d in &p.evidence.misc.closed_documents {
            evidence.push(ev(
                Some(p.url),
                None,
                format!("document en format fermé : {d}"),
            ));
        }
    }
    if !evidence.is_empty() && open == 0 {
        problems.push("documents proposés seulement en formats fermés".to_string());
    }
    evidence.insert(
        0,
        ev(
            Some(home.url),
            None,
            format!(
                "HTTPS {} ; encodage {} ; doctype HTML5 {}",
                yes(https),
                charset.as_deref().unwrap_or("?"),
                yes(home.evidence.misc.doctype_html5)
            ),
        ),
    );
    if problems.is_empty() {
        m(
            Status::Met,
            "HTTPS, UTF-8, HTML5 et formats ouverts.",
            evidence,
        )
    } else {
        m(
            Status::NotMet,
            format!("Standards ouverts non respectés : {}.", problems.join(", ")),
            evidence,
        )
    }
}

fn c23_personal_data(ctx: &Ctx<'_>) -> Measured {
    let mut evidence = Vec::new();
    let mut page_link = None;
    for p in ctx.pages {
        let from_footer = p
            .evidence
            .footer
            .as_ref()
            .and_then(|f| f.link("donnees_personnelles"));
        let from_links = p
            .evidence
            .misc
            .keyword_links
            .iter()
            .find(|k| k.kind == "donnees_personnelles")
            .map(|k| &k.link);
        if let Some(l) = from_footer.or(from_links) {
            page_link = Some((p.url, l.clone()));
            break;
        }
    }
    if let Some((u, l)) = &page_link {
        evidence.push(ev(
            Some(u),
            Some(&l.selector),
            format!("page données personnelles « {} » → {}", l.text, l.href),
        ));
    }
    let mut trackers = Vec::new();
    for p in ctx.pages {
        for t in &p.evidence.misc.trackers {
            evidence.push(ev(
                Some(p.url),
                None,
                format!("traceur tiers chargé sans consentement : {t}"),
            ));
            if !trackers.contains(t) {
                trackers.push(t.clone());
            }
        }
    }
    if !trackers.is_empty() {
        m(
            Status::NotMet,
            format!(
                "Traceurs tiers chargés dès l'arrivée : {}.",
                trackers.join(", ")
            ),
            evidence,
        )
    } else if page_link.is_none() {
        m(
            Status::NotMet,
            "Aucune page « Données personnelles » trouvée.",
            evidence,
        )
    } else {
        m(Status::Met, "Page « Données personnelles » présente, aucun traceur tiers connu chargé (à confirmer).", evidence)
    }
}

fn c26_franceconnect(ctx: &Ctx<'_>) -> Measured {
    let ident: Vec<_> = ctx
        .pages
        .iter()
        .filter(|p| p.evidence.identification || p.evidence.franceconnect.is_some())
        .collect();
    if ident.is_empty() {
        let links: Vec<Evidence> = ctx
            .pages
            .iter()
            .flat_map(|p| {
                p.evidence.login_links.iter().map(move |l| {
                    ev(
                        Some(p.url),
                        Some(&l.selector),
                        format!("lien « {} » → {}", l.text, l.href),
                    )
                })
            })
            .take(5)
            .collect();
        return if links.is_empty() {
            m(
                Status::NotApplicable,
                "Aucune identification demandée sur les pages visitées.",
                vec![],
            )
        } else {
            m(
                Status::Unknown,
                "Un lien de connexion existe mais aucune page d'identification n'a été analysée.",
                links,
            )
        };
    }
    let mut evidence = Vec::new();
    let mut found = false;
    for p in &ident {
        match &p.evidence.franceconnect {
            Some(b) => {
                found = true;
                let variant = match b.variant {
                    super::franceconnect::FcVariant::FranceConnect => "FranceConnect",
                    super::franceconnect::FcVariant::FranceConnectPlus => "FranceConnect+",
                };
                let mut notes = Vec::new();
                if !b.info_link {
                    notes.push("lien « Qu'est-ce que FranceConnect ? » absent");
                }
                if !b.offered_first {
                    notes.push("bouton placé après la connexion par mot de passe");
                }
                if b.restyled {
                    notes.push("bouton restylé");
                }
                let conf = if notes.is_empty() {
                    "intégration conforme".to_string()
                } else {
                    format!("intégration non conforme : {}", notes.join(", "))
                };
                evidence.push(ev(
                    Some(p.url),
                    Some(&b.target.selector),
                    format!("bouton {variant} (détecté par {}) ; {conf}", b.detected_by),
                ));
            }
            None => evidence.push(ev(
                Some(p.url),
                None,
                "page d'identification sans bouton FranceConnect",
            )),
        }
    }
    if found {
        m(
            Status::Met,
            "FranceConnect est proposé sur les pages d'identification.",
            evidence,
        )
    } else {
        m(
            Status::NotMet,
            "Identification demandée sans FranceConnect.",
            evidence,
        )
    }
}

fn find_keyword<'a>(ctx: &'a Ctx<'_>, kind: &str) -> Option<(&'a str, &'a super::LinkRef)> {
    ctx.pages.iter().find_map(|p| {
        p.evidence
            .misc
            .keyword_links
            .iter()
            .find(|k| k.kind == kind)
            .map(|k| (p.url, &k.link))
    })
}

fn keyword(ctx: &Ctx<'_>, kind: &str, yes_msg: &str, no_msg: &str) -> Measured {
    match find_keyword(ctx, kind) {
        Some((u, l)) => m(
            Status::Met,
            yes_msg,
            vec![ev(
                Some(u),
                Some(&l.selector),
                format!("« {} » → {}", l.text, l.href),
            )],
        ),
        None => m(Status::NotMet, no_msg, vec![]),
    }
}

fn c30_satisfaction(ctx: &Ctx<'_>) -> Measured {
    let avis = find_keyword(ctx, "avis");
    let results = find_keyword(ctx, "resultats_satisfaction");
    let evidence: Vec<Evidence> = [avis, results]
        .iter()
        .flatten()
        .map(|(u, l)| {
            ev(
                Some(u),
                Some(&l.selector),
                format!("« {} » → {}", l.text, l.href),
            )
        })
        .collect();
    match (avis, results) {
        (Some(_), Some(_)) => m(
            Status::Met,
            "Avis des usagers recueillis et résultats publiés.",
            evidence,
        ),
        (Some(_), None) => m(
            Status::NotMet,
            "Bouton « Je donne mon avis » présent mais résultats non publiés.",
            evidence,
        ),
        (None, Some(_)) => m(
            Status::NotMet,
            "Résultats publiés mais pas de bouton « Je donne mon avis ».",
            evidence,
        ),
        (None, None) => m(
            Status::NotMet,
            "Ni recueil d'avis ni résultats de satisfaction trouvés.",
            evidence,
        ),
    }
}

fn c32_indexing(ctx: &Ctx<'_>) -> Measured {
    let header = ctx
        .home
        .as_ref()
        .and_then(|h| crate::crawl::indexability::x_robots_noindex(h.x_robots_tag));
    let noindex = ctx
        .home
        .as_ref()
        .map(|h| (h.url, h.evidence.misc.noindex || header.is_some()));
    let mut evidence = Vec::new();
    if let Some(h) = ctx.home.as_ref().filter(|h| h.evidence.misc.noindex) {
        evidence.push(ev(
            Some(h.url),
            Some("meta[name=robots]"),
            "balise meta robots : noindex",
        ));
    }
    if let (Some(h), Some(value)) = (ctx.home.as_ref(), header) {
        evidence.push(ev(
            Some(h.url),
            None,
            format!("en-tête HTTP X-Robots-Tag : {value}"),
        ));
    }
    let Some(idx) = ctx.indexability else {
        // Reports without the robots.txt and sitemap facts: the page alone.
        return match noindex {
            Some((_, true)) => m(
                Status::NotMet,
                "La page de départ interdit l'indexation (noindex).",
                evidence,
            ),
            Some((url, false)) => m(
                Status::Unknown,
                "Page de départ sans noindex ; robots.txt et plan de site non relevés.",
                vec![ev(Some(url), None, "pas de noindex")],
            ),
            None => m(Status::Unknown, "Page de départ non analysée.", vec![]),
        };
    };
    let r = &idx.robots;
    let robots_url = Some(r.url.as_str());
    let http = r
        .http_status
        .map(|s| format!("HTTP {s}"))
        .unwrap_or_else(|| "pas de réponse".into());
    evidence.push(ev(
        robots_url,
        None,
        match r.status {
            RobotsStatus::Fetched => format!("robots.txt lu ({http})"),
            RobotsStatus::Absent => format!("robots.txt absent ({http}) : tout est autorisé"),
            RobotsStatus::ServerError => {
                format!(
                    "robots.txt en erreur serveur ({http}) : les moteurs suspendent l'exploration"
                )
            }
            RobotsStatus::Unreachable => format!(
                "robots.txt inaccessible ({})",
                r.error.as_deref().unwrap_or(&http)
            ),
        },
    ));
    let mut blocked = Vec::new();
    for a in &r.agents {
        if a.start_allowed {
            continue;
        }
        let what = if a.site_blocked {
            "tout le site exclu"
        } else {
            "page de départ exclue"
        };
        let rule = a
            .rule
            .as_ref()
            .map(|x| format!(" par la règle « {} » (ligne {})", x.text, x.line))
            .unwrap_or_default();
        evidence.push(ev(
            robots_url,
            None,
            format!("User-agent {} : {what}{rule}", a.agent),
        ));
        if a.agent != "*" {
            blocked.push(a.agent.as_str());
        }
    }
    if !r.agents.is_empty() && r.agents.iter().all(|a| a.start_allowed) {
        evidence.push(ev(
            robots_url,
            None,
            "page de départ autorisée pour *, Googlebot et Bingbot",
        ));
    }
    let sm = &idx.sitemap;
    for f in &sm.files {
        let status = f
            .status
            .map(|s| format!("HTTP {s}"))
            .unwrap_or_else(|| f.error.clone().unwrap_or_else(|| "pas de réponse".into()));
        let text = if f.sitemap {
            format!(
                "plan de site {} : {} URL de page(s), {} plan(s) inclus",
                f.url, f.pages, f.sitemaps
            )
        } else if f.status.is_some_and(|s| (200..300).contains(&s)) {
            format!("{} n'est pas un plan de site XML ({status})", f.url)
        } else {
            format!("plan de site {} introuvable ({status})", f.url)
        };
        evidence.push(ev(Some(f.url.as_str()), None, text));
    }
    if sm.found {
        evidence.push(ev(
            None,
            None,
            format!(
                "{} URL de pages dans le(s) plan(s) de site{} ; page de départ {}",
                sm.page_urls,
                if sm.truncated {
                    " (lecture limitée)"
                } else {
                    ""
                },
                if sm.start_listed {
                    "listée"
                } else {
                    "non listée"
                }
            ),
        ));
    }
    if let Some((_, true)) = noindex {
        return m(
            Status::NotMet,
            "La page de départ interdit l'indexation (noindex).",
            evidence,
        );
    }
    if !blocked.is_empty() {
        return m(
            Status::NotMet,
            format!(
                "robots.txt interdit la page de départ aux moteurs de recherche ({}).",
                blocked.join(", ")
            ),
            evidence,
        );
    }
    if matches!(
        r.status,
        RobotsStatus::ServerError | RobotsStatus::Unreachable
    ) {
        return m(
            Status::Unknown,
            "robots.txt inaccessible : impossible de dire si les moteurs peuvent explorer le site.",
            evidence,
        );
    }
    if noindex.is_none() {
        return m(
            Status::Unknown,
            "Page de départ non analysée : la balise meta robots n'a pas pu être lue.",
            evidence,
        );
    }
    if sm.found && sm.page_urls > 0 {
        m(
            Status::Met,
            format!(
                "Page de départ indexable (ni noindex ni exclusion par robots.txt) et plan de site de {} URL ; le référencement sur service-public.fr n'est pas vérifié.",
                sm.page_urls
            ),
            evidence,
        )
    } else {
        m(
            Status::Unknown,
            "Page de départ indexable, mais aucun plan de site : l'indexation n'est pas confirmée (à déclarer, avec le référencement sur service-public.fr).",
            evidence,
        )
    }
}
