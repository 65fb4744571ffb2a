//! Observatory indicators per démarche ("Vos démarches essentielles"): each has a value, a level
//! (label, colour, icon), its evidence and its source (mesuré / déclaré / inconnu). Labels,
//! thresholds and colours are data in `criteria/indicateurs.toml`.
//!
//! The Cerfa and RGAA sections are read as the typed values the audit made (a renamed field is a
//! compile error, not an indicator silently « inconnu »); a démarche without one of them (a
//! report written before it existed) gets « inconnu », never a guess. Only the declarations file,
//! written by people, is read tolerantly.

use std::collections::BTreeSet;

use serde_json::Value;

pub use crate::analyze::signals::{signals_of, PageSignals, TextStats};

use crate::cerfa::score::{CerfaReport, CriterionResult, Evidence};
use crate::format::fr_number;
use crate::model::DemarcheReport;
use crate::rules::Outcome;
use crate::scores::rgaa::RgaaSummary;

pub use crate::criteria::indicators::{
    config, Colour, ConfigError, IndicatorDef, IndicatorsConfig, LevelDef, INDICATORS_TOML,
    MIN_WORDS_FOR_READABILITY,
};
pub use crate::model::indicator::{Indicator, Level, Source};

/// Compute every indicator of a démarche; `declaration` is its entry of the declarations file.
pub fn compute(d: &DemarcheReport, declaration: Option<&DemarcheDeclarations>) -> Vec<Indicator> {
    let decl = |name: &str| declaration.and_then(|x| x.indicator_json(name));
    let (cerfa, rgaa) = (d.cerfa.as_ref(), d.rgaa.as_ref());
    let rgaa_ind = rgaa_auto(d, rgaa);
    let mut handicap = handicap(cerfa);
    handicap.measured = Some(format!("RGAA automatisé : {}", rgaa_ind.display));
    vec![
        handicap,
        auth(cerfa),
        uptime(d),
        performance(d),
        help_reachable(d),
        mobile(d),
        simplicity(d),
        cerfa_scores(cerfa),
        rgaa_ind,
        satisfaction(decl("satisfaction").as_ref()),
        dlnuf(decl("dlnuf").as_ref()),
        usage(decl("usage").as_ref()),
    ]
}

// ---- tolerant reading of the declarations file ----

fn as_num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s
            .trim()
            .trim_end_matches('%')
            .trim()
            .replace(',', ".")
            .parse()
            .ok(),
        _ => None,
    }
}

/// A percentage, given either as 0–100 or as a 0–1 share.
fn as_pct(v: &Value) -> Option<f64> {
    let x = as_num(v)?;
    Some(
        if ((0.0..=1.0).contains(&x) && x.fract() != 0.0) || (x == 1.0 && v.is_f64()) {
            x * 100.0
        } else {
            x
        },
    )
}

fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn evidence_lines(items: &[Evidence], max: usize) -> Vec<String> {
    items.iter().take(max).map(Evidence::line).collect()
}

fn cerfa_criterion(cerfa: &CerfaReport, n: u8) -> Option<&CriterionResult> {
    cerfa.criteria.iter().find(|c| c.number == n)
}

// ---- indicators ----

fn handicap(cerfa: Option<&CerfaReport>) -> Indicator {
    let id = "handicap";
    let Some(cerfa) = cerfa else {
        return Indicator::unknown(
            id,
            "La déclaration d'accessibilité n'a pas été analysée (section Cerfa absente du rapport).",
        );
    };
    let Some(decl) = &cerfa.accessibility_declaration else {
        let mut i = Indicator::new(id).labelled("Non", Source::Measured);
        i.evidence.push(
            "Aucune déclaration d'accessibilité trouvée : niveau « Non » (règle de l'observatoire)."
                .into(),
        );
        if let Some(c) = cerfa_criterion(cerfa, 15) {
            i.evidence.push(format!("Critère Cerfa 15 : {}", c.summary));
        }
        return i;
    };
    let rate = decl.declaration.rate;
    let mut i = Indicator::new(id);
    i.evidence.push(format!("Déclaration : {}", decl.url));
    if let Some(status) = decl.declaration.status {
        i.evidence
            .push(format!("État de conformité déclaré : {}", status.code()));
    }
    if let Some(date) = decl.declaration.established.or(decl.declaration.updated) {
        i.evidence.push(format!("Date : {date}"));
    }
    if !decl.recevable {
        let mut out = i.labelled("Non", Source::Declared);
        if let Some(r) = rate {
            out.value = Some(r);
            out.display = format!("Non ({} % publiés)", fr_number(r, 1));
        }
        out.evidence
            .push("Déclaration non recevable : niveau « Non » (règle de l'observatoire).".into());
        out.evidence.extend(decl.reasons.iter().take(5).cloned());
        return out;
    }
    match rate {
        Some(r) => {
            let display = format!("{} %", fr_number(r, 1));
            i.numeric(r, display, Source::Declared)
        }
        None => {
            i.evidence
                .push("Aucun taux de conformité publié lisible dans la déclaration.".into());
            i
        }
    }
}

/// Whether criterion 26's verdict rests on a FranceConnect+ button.
fn franceconnect_plus(item: &CriterionResult) -> bool {
    let marks = |t: &str| {
        let t = t.to_lowercase();
        t.contains("franceconnect+")
            || t.contains("franceconnect_plus")
            || t.contains("fr-connect--plus")
    };
    marks(&item.summary)
        || item.evidence.iter().any(|e| {
            marks(&e.text)
                || e.selector.as_deref().is_some_and(marks)
                || e.url.as_deref().is_some_and(marks)
        })
        || item
            .declaration
            .as_ref()
            .and_then(|a| a.comment.as_deref())
            .is_some_and(marks)
}

fn auth(cerfa: Option<&CerfaReport>) -> Indicator {
    use crate::cerfa::Status;
    let id = "auth";
    let Some(cerfa) = cerfa else {
        return Indicator::unknown(
            id,
            "Critère Cerfa 26 non évalué (section Cerfa absente du rapport).",
        );
    };
    let Some(item) = cerfa_criterion(cerfa, 26) else {
        return Indicator::unknown(id, "Critère Cerfa 26 absent de la section Cerfa.");
    };
    let status = item.status.code();
    let evidence = evidence_lines(&item.evidence, 5);
    let label = match item.status {
        Status::NotApplicable => Some("Non applicable"),
        Status::Met => Some(if franceconnect_plus(item) {
            "FranceConnect+"
        } else {
            "FranceConnect"
        }),
        Status::NotMet => Some("Non"),
        Status::Unknown => None,
    };
    match label {
        Some(l) => {
            let mut i = Indicator::new(id).labelled(l, item.source);
            i.evidence.push(format!("Critère Cerfa 26 : {status}"));
            i.evidence.extend(evidence);
            i
        }
        None => {
            let mut i = Indicator::unknown(
                id,
                format!("Critère Cerfa 26 non conclusif (statut « {status} »)."),
            );
            i.evidence.extend(evidence);
            i
        }
    }
}

/// The probes of the start URL plus the crawl's own fetches of it.
fn start_probes(d: &DemarcheReport) -> Vec<crate::probe::ProbeRecord> {
    let start = d.demarche.start_url.as_str();
    let mut all = d.probes.clone();
    all.extend(
        d.pages
            .iter()
            .filter(|p| p.record.requested_url == start)
            .map(|p| crate::probe::ProbeRecord::from_record(&p.record)),
    );
    all
}

fn uptime(d: &DemarcheReport) -> Indicator {
    let id = "uptime";
    let probes = start_probes(d);
    if probes.is_empty() {
        return Indicator::unknown(id, "Aucune sonde de l'URL de départ.");
    }
    let ok = probes.iter().filter(|p| p.ok).count();
    let pct = ok as f64 * 100.0 / probes.len() as f64;
    let mut i =
        Indicator::new(id).numeric(pct, format!("{} %", fr_number(pct, 1)), Source::Measured);
    i.evidence.push(format!(
        "{ok} réponse(s) réussie(s) sur {} requête(s) de l'URL de départ pendant l'audit (sondes et exploration) ; l'observatoire mesure sur 3 mois.",
        probes.len()
    ));
    for p in probes.iter().filter(|p| !p.ok) {
        i.evidence.push(format!(
            "Échec à {} : {}",
            p.at,
            p.error
                .clone()
                .or_else(|| p.status.map(|s| format!("statut HTTP {s}")))
                .unwrap_or_else(|| "sans réponse".into())
        ));
    }
    i
}

fn performance(d: &DemarcheReport) -> Indicator {
    let id = "performance";
    let times: Vec<u64> = start_probes(d)
        .iter()
        .filter(|p| p.ok)
        .filter_map(|p| p.response_ms)
        .collect();
    if times.is_empty() {
        return Indicator::unknown(id, "Aucune réponse réussie de l'URL de départ à mesurer.");
    }
    let mean = times.iter().sum::<u64>() as f64 / times.len() as f64;
    let mut i = Indicator::new(id).numeric(
        mean,
        format!("{} ms", fr_number(mean.round(), 0)),
        Source::Measured,
    );
    i.evidence.push(format!(
        "Moyenne de {} mesure(s) du temps de réponse (premier octet) : {} ms.",
        times.len(),
        times
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    i
}

fn html_signals(d: &DemarcheReport) -> Vec<(&str, &PageSignals)> {
    d.pages
        .iter()
        .filter_map(|p| {
            p.facts
                .as_ref()
                .and_then(|f| f.signals.as_ref())
                .map(|s| (p.record.final_url.as_str(), s))
        })
        .collect()
}

fn help_reachable(d: &DemarcheReport) -> Indicator {
    let id = "help_reachable";
    let pages = html_signals(d);
    if pages.is_empty() {
        return Indicator::unknown(id, "Aucune page HTML analysée.");
    }
    let mut channels: Vec<(&str, Vec<&str>)> = vec![
        ("téléphone", Vec::new()),
        ("courriel", Vec::new()),
        ("formulaire de contact", Vec::new()),
    ];
    for (url, s) in &pages {
        if s.tel_links + s.phone_numbers > 0 {
            channels[0].1.push(url);
        }
        if s.mailto_links > 0 {
            channels[1].1.push(url);
        }
        if s.contact_forms > 0 {
            channels[2].1.push(url);
        }
    }
    let found: Vec<&(&str, Vec<&str>)> = channels.iter().filter(|c| !c.1.is_empty()).collect();
    let n = found.len() as f64;
    let mut i = Indicator::new(id).numeric(
        n,
        if found.len() < 2 {
            format!("{} canal", found.len())
        } else {
            format!("{} canaux", found.len())
        },
        Source::Measured,
    );
    for (name, urls) in &found {
        i.evidence.push(format!(
            "{name} : {}",
            urls.iter().take(3).copied().collect::<Vec<_>>().join(", ")
        ));
    }
    if found.is_empty() {
        i.evidence.push(
            "Aucun téléphone, courriel ni formulaire de contact trouvé sur les pages explorées."
                .into(),
        );
    }
    i.evidence.push(
        "Le tchat humain et l'accueil physique ne se détectent pas automatiquement ; la FAQ et les robots ne comptent pas.".into(),
    );
    i
}

/// `user-scalable=no` or `maximum-scale` < 2 block zooming.
pub fn viewport_blocks_zoom(content: &str) -> bool {
    let c = content.to_ascii_lowercase().replace(' ', "");
    c.split([',', ';']).any(|part| {
        let mut kv = part.splitn(2, '=');
        let k = kv.next().unwrap_or("");
        let v = kv.next().unwrap_or("");
        (k == "user-scalable" && (v == "no" || v == "0"))
            || (k == "maximum-scale" && v.parse::<f64>().is_ok_and(|x| x < 2.0))
    })
}

fn mobile(d: &DemarcheReport) -> Indicator {
    let id = "mobile";
    let pages = html_signals(d);
    if pages.is_empty() {
        return Indicator::unknown(id, "Aucune page HTML analysée.");
    }
    if pages.iter().any(|(_, s)| s.phone.is_some()) {
        return mobile_measured(&pages);
    }
    let adaptive = |s: &PageSignals| {
        s.viewport.as_deref().is_some_and(|v| {
            v.to_ascii_lowercase()
                .replace(' ', "")
                .contains("width=device-width")
        })
    };
    let good = pages
        .iter()
        .filter(|(_, s)| adaptive(s) && !s.viewport.as_deref().is_some_and(viewport_blocks_zoom))
        .count();
    let with_viewport = pages.iter().filter(|(_, s)| adaptive(s)).count();
    let media: usize = pages.iter().map(|(_, s)| s.width_media_queries).sum();
    let label = if good == pages.len() && media > 0 {
        "Oui"
    } else if with_viewport > 0 {
        "Partiel"
    } else {
        "Non"
    };
    let mut i = Indicator::new(id).labelled(label, Source::Measured);
    i.value = Some(good as f64 * 100.0 / pages.len() as f64);
    i.evidence.push(format!(
        "{good} page(s) sur {} avec une zone d'affichage adaptée (width=device-width) sans blocage du zoom.",
        pages.len()
    ));
    i.evidence.push(format!(
        "{media} requête(s) média sur la largeur dans les feuilles de style."
    ));
    for (url, s) in pages.iter().filter(|(_, s)| !adaptive(s)).take(3) {
        i.evidence.push(format!(
            "{url} : {}",
            match &s.viewport {
                None => "pas de balise meta viewport".to_string(),
                Some(v) => format!("viewport « {v} »"),
            }
        ));
    }
    for (url, s) in pages
        .iter()
        .filter(|(_, s)| s.viewport.as_deref().is_some_and(viewport_blocks_zoom))
        .take(3)
    {
        i.evidence.push(format!(
            "{url} : zoom bloqué (« {} »)",
            s.viewport.as_deref().unwrap_or("")
        ));
    }
    i.evidence
        .push("Heuristique sur le code : l'affichage réel sur smartphone n'est pas rendu.".into());
    i
}

/// « Compatible mobile » from the pages rendered on an emulated phone (`--render`): Oui when
/// every such page is laid out at the phone's width without horizontal scroll, zoom allowed
/// and tap targets large or spaced enough, and no other page fails the code heuristic; Non when
/// no rendered page is laid out for the phone; Partiel otherwise (display defects, or some
/// pages not usable), as the observatory's rule says.
fn mobile_measured(pages: &[(&str, &PageSignals)]) -> Indicator {
    let id = "mobile";
    let zoom_locked = |s: &PageSignals| s.viewport.as_deref().is_some_and(viewport_blocks_zoom);
    let measured: Vec<(&str, &PageSignals, &crate::page::browser_layout::PhoneFacts)> = pages
        .iter()
        .filter_map(|(u, s)| s.phone.as_ref().map(|p| (*u, *s, p)))
        .collect();
    let usable = measured
        .iter()
        .filter(|(_, s, p)| p.usable() && !zoom_locked(s))
        .count();
    let laid_out = measured
        .iter()
        .filter(|(_, _, p)| p.fits_device() && !p.scrolls_horizontally())
        .count();
    // Pages not rendered are judged on their code, as without a browser.
    let others_bad = pages
        .iter()
        .filter(|(_, s)| s.phone.is_none())
        .filter(|(_, s)| {
            zoom_locked(s)
                || !s.viewport.as_deref().is_some_and(|v| {
                    v.to_ascii_lowercase()
                        .replace(' ', "")
                        .contains("width=device-width")
                })
        })
        .count();
    let label = if usable == measured.len() && others_bad == 0 {
        "Oui"
    } else if laid_out == 0 {
        "Non"
    } else {
        "Partiel"
    };
    let mut i = Indicator::new(id).labelled(label, Source::Measured);
    i.value = Some(usable as f64 * 100.0 / measured.len() as f64);
    i.evidence.push(format!(
        "{usable} page(s) sur {} rendues sur un téléphone émulé (375 px) utilisables : mise en page à la largeur du téléphone, sans défilement horizontal, zoom permis, cibles tactiles d'au moins 24 px ou espacées.",
        measured.len()
    ));
    for (url, s, p) in measured
        .iter()
        .filter(|(_, s, p)| !p.usable() || zoom_locked(s))
        .take(5)
    {
        let mut line = format!("{url} : {}", p.describe());
        if zoom_locked(s) {
            line.push_str(&format!(
                " ; zoom bloqué (« {} »)",
                s.viewport.as_deref().unwrap_or("")
            ));
        }
        if let Some(t) = p.small.first() {
            line.push_str(&format!(
                " ; par exemple {} ({} × {} px)",
                t.selector,
                crate::page::browser_layout::px(t.width),
                crate::page::browser_layout::px(t.height)
            ));
        }
        i.evidence.push(line);
    }
    if measured.len() < pages.len() {
        i.evidence.push(format!(
            "{} page(s) non rendue(s), jugées sur le code (viewport) : {others_bad} sans zone d'affichage adaptée ou avec zoom bloqué.",
            pages.len() - measured.len()
        ));
    }
    i
}

fn simplicity(d: &DemarcheReport) -> Indicator {
    let id = "simplicity";
    let pages = html_signals(d);
    let stats = pages
        .iter()
        .fold(TextStats::default(), |a, (_, s)| TextStats {
            words: a.words + s.words,
            sentences: a.sentences + s.sentences,
            syllables: a.syllables + s.syllables,
        });
    if stats.words < MIN_WORDS_FOR_READABILITY {
        let mut i = Indicator::unknown(
            id,
            format!(
                "Texte principal trop court pour une estimation ({} mots, {} au moins).",
                stats.words, MIN_WORDS_FOR_READABILITY
            ),
        );
        i.estimate = true;
        return i;
    }
    let Some(index) = stats.kandel_moles() else {
        return Indicator::unknown(id, "Aucune phrase dans le texte principal.");
    };
    let mut i = Indicator::new(id).numeric(
        index,
        format!("{} / 100 (estimation)", fr_number(index, 0)),
        Source::Measured,
    );
    i.estimate = true;
    i.evidence.push(format!(
        "Indice de Kandel et Moles = 207 − 1,015 × ({} mots / {} phrases) − 73,6 × ({} syllabes / {} mots), sur le texte principal de {} page(s).",
        stats.words, stats.sentences, stats.syllables, stats.words, pages.len()
    ));
    i.evidence.push("Estimation automatique de la lisibilité, pas la note de clarté de l'observatoire (avis des usagers).".into());
    i
}

fn cerfa_scores(cerfa: Option<&CerfaReport>) -> Indicator {
    let id = "cerfa";
    let Some(cerfa) = cerfa else {
        return Indicator::unknown(
            id,
            "Critères Cerfa numérique non évalués (section absente du rapport).",
        );
    };
    let o = cerfa.scores.all.percent;
    let a11y = Some(cerfa.scores.accessibility.percent);
    let display = match a11y {
        Some(a) => format!(
            "{} % · accessibilité {} %",
            fr_number(o, 0),
            fr_number(a, 0)
        ),
        None => format!("{} %", fr_number(o, 0)),
    };
    let mut i = Indicator::new(id).numeric(o, display, Source::Measured);
    i.evidence.push(format!(
        "{} % des 35 critères remplis (l'inconnu compte comme non rempli, comme dans l'étude de 2019).",
        fr_number(o, 1)
    ));
    match a11y {
        Some(a) => i.evidence.push(format!(
            "{} % des critères d'accessibilité 15 à 17 remplis.",
            fr_number(a, 1)
        )),
        None => i
            .evidence
            .push("Part des critères d'accessibilité 15 à 17 : inconnue.".into()),
    }
    i
}

fn rgaa_auto(d: &DemarcheReport, rgaa: Option<&RgaaSummary>) -> Indicator {
    let id = "rgaa_auto";
    // Démarche-level statuses and the rate, from the RGAA section.
    let nc_criteria: Option<Vec<String>> = rgaa.map(|r| {
        r.criteria
            .iter()
            .filter(|c| c.status == crate::scores::rgaa::Status::NC)
            .map(|c| c.id.clone())
            .collect()
    });
    let from_section = rgaa.map(|r| r.counts.nc as f64);
    let rate = rgaa.and_then(|r| r.automated_rate);
    let mut failed_criteria: BTreeSet<String> = BTreeSet::new();
    match &nc_criteria {
        Some(list) => failed_criteria.extend(list.iter().cloned()),
        None => {
            for f in d.findings.iter().filter(|f| f.outcome == Outcome::Failed) {
                for t in &f.rgaa {
                    let c: Vec<&str> = t.split('.').take(2).collect();
                    failed_criteria.insert(c.join("."));
                }
            }
        }
    }
    let count = from_section.unwrap_or(failed_criteria.len() as f64);
    let mut display = format!("{} critère(s) en échec", fr_number(count, 0));
    if let Some(r) = rate {
        display.push_str(&format!(" · taux plafond {} %", fr_number(r, 0)));
    }
    let mut i = Indicator::new(id).numeric(count, display, Source::Measured);
    if !failed_criteria.is_empty() {
        i.evidence.push(format!(
            "Critères non conformes : {}.",
            failed_criteria
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(r) = rgaa {
        i.evidence.push(format!(
            "{} critère(s) automatisable(s) sans échec sur {} applicable(s).",
            r.automated_without_failure, r.applicable_automated
        ));
    }
    match rate {
        Some(r) => i.evidence.push(format!(
            "Taux plafond : au mieux {} % des critères testés automatiquement sont conformes ; les critères non testés restent à auditer.",
            fr_number(r, 1)
        )),
        None => i.evidence.push(match rgaa {
            Some(_) => "Taux plafond inconnu : aucun critère automatisable ne s'appliquait.".into(),
            None => "Taux plafond inconnu (agrégation RGAA absente du rapport).".into(),
        }),
    }
    i.evidence.push(
        "Les tests automatiques ne couvrent qu'une partie du RGAA : aucun échec détecté ne veut pas dire conforme.".into(),
    );
    i
}

fn decl_value<'a>(decl: Option<&'a Value>, keys: &[&str]) -> Option<&'a Value> {
    let d = decl?;
    keys.iter().find_map(|k| d.get(*k)).filter(|v| !v.is_null())
}

fn decl_evidence(decl: Option<&Value>, i: &mut Indicator) {
    for (k, label) in [
        ("date", "Date"),
        ("source", "Source"),
        ("commentaire", "Commentaire"),
        ("comment", "Commentaire"),
        ("author", "Auteur"),
    ] {
        if let Some(v) = decl_value(decl, &[k]) {
            i.evidence.push(format!("{label} : {}", as_text(v)));
        }
    }
}

fn satisfaction(decl: Option<&Value>) -> Indicator {
    let id = "satisfaction";
    let Some(v) = decl_value(decl, &["satisfaction"]).and_then(as_num) else {
        return Indicator::unknown(
            id,
            "Non déclaré : la satisfaction vient de « Je donne mon avis », pas d'un robot.",
        );
    };
    let avis = decl_value(decl, &["satisfaction_avis", "avis"]).and_then(as_num);
    let mut i = if avis.is_some_and(|a| a < 100.0) {
        let mut i = Indicator::new(id).labelled("Nombre d'avis insuffisant", Source::Declared);
        i.value = Some(v);
        i
    } else {
        Indicator::new(id).numeric(v, format!("{} / 10", fr_number(v, 1)), Source::Declared)
    };
    if let Some(a) = avis {
        i.evidence.push(format!("{} avis.", fr_number(a, 0)));
    }
    decl_evidence(decl, &mut i);
    i
}

fn dlnuf(decl: Option<&Value>) -> Indicator {
    let id = "dlnuf";
    let Some(v) = decl_value(decl, &["dlnuf"]) else {
        return Indicator::unknown(
            id,
            "Non déclaré : le « Dites-le-nous une fois » demande un audit manuel du formulaire.",
        );
    };
    let mut i = match as_num(v) {
        Some(n) => Indicator::new(id).numeric(
            n,
            format!("{} donnée(s) redemandée(s)", fr_number(n, 0)),
            Source::Declared,
        ),
        None => Indicator::new(id).labelled(&as_text(v), Source::Declared),
    };
    decl_evidence(decl, &mut i);
    i
}

fn usage(decl: Option<&Value>) -> Indicator {
    let id = "usage";
    let Some(v) = decl_value(decl, &["usage", "taux_utilisation"]).and_then(as_pct) else {
        return Indicator::unknown(
            id,
            "Non déclaré : le taux d'utilisation en ligne vient des chiffres de l'opérateur.",
        );
    };
    let mut i = Indicator::new(id).numeric(v, format!("{} %", fr_number(v, 1)), Source::Declared);
    decl_evidence(decl, &mut i);
    i
}

// ---- declarations file ----

/// The declarations file (shared with the Cerfa criteria): see [`crate::declarations`].
pub use crate::declarations::{Declarations, DeclarationsError, DemarcheDeclarations};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn config_parses_and_levels_follow_the_observatory_rule() {
        let c = config();
        assert!(c.indicators.len() >= 12);
        let l = |id: &str, v: f64| {
            c.level_for_value(id, v)
                .map(|l| l.label)
                .unwrap_or_default()
        };
        assert_eq!(l("uptime", 100.0), "Optimal");
        assert_eq!(l("uptime", 99.9), "Optimal");
        assert_eq!(l("uptime", 99.0), "Partiel");
        assert_eq!(l("uptime", 98.4), "Faible");
        assert_eq!(l("performance", 120.0), "Optimal");
        assert_eq!(l("performance", 400.0), "Partiel");
        assert_eq!(l("performance", 801.0), "Faible");
        assert_eq!(l("handicap", 100.0), "Oui");
        assert_eq!(l("handicap", 75.0), "Partiel");
        assert_eq!(l("handicap", 10.0), "Non");
        assert_eq!(l("help_reachable", 3.0), "Oui");
        assert_eq!(l("help_reachable", 1.0), "Partiel");
        assert_eq!(l("help_reachable", 0.0), "Non");
        assert_eq!(
            c.level_for_label("auth", "franceconnect+")
                .map(|l| l.colour),
            Some("bleu".to_string())
        );
    }

    #[test]
    fn zoom_blocking() {
        assert!(viewport_blocks_zoom("width=device-width, user-scalable=no"));
        assert!(viewport_blocks_zoom(
            "width=device-width, maximum-scale=1.0"
        ));
        assert!(!viewport_blocks_zoom("width=device-width, initial-scale=1"));
    }

    /// A Cerfa section as the audit writes it, from the JSON of report.json (schema 1.0).
    fn cerfa(v: serde_json::Value) -> CerfaReport {
        let mut base = json!({
            "audit_date": "2026-11-25",
            "criteria": [],
            "scores": {
                "all": {"met": 15, "out_of": 35, "percent": 42.86, "measured_met": 15, "declared_met": 0,
                        "not_met": 20, "unknown": 0, "not_applicable": 0},
                "accessibility": {"met": 0, "out_of": 3, "percent": 0.0, "measured_met": 0, "declared_met": 0,
                                  "not_met": 3, "unknown": 0, "not_applicable": 0},
                "all_pct": 42.86, "accessibility_pct": 0.0
            }
        });
        if let (Some(b), Some(extra)) = (base.as_object_mut(), v.as_object()) {
            for (k, x) in extra {
                b.insert(k.clone(), x.clone());
            }
        }
        serde_json::from_value(base).unwrap_or_else(|e| panic!("cerfa section: {e}"))
    }

    fn criterion(number: u8, status: &str, evidence: serde_json::Value) -> serde_json::Value {
        json!({"number": number, "principle": 6, "label": "Critère", "mode": "auto", "status": status,
               "source": "mesure", "measured": status, "summary": "Résumé.", "evidence": evidence})
    }

    #[test]
    fn codes_are_the_words_of_report_json() {
        use crate::cerfa::{ConformityStatus, Status};
        for s in [
            Status::Met,
            Status::NotMet,
            Status::Unknown,
            Status::NotApplicable,
        ] {
            assert_eq!(serde_json::to_value(s).ok(), Some(json!(s.code())));
        }
        for s in [
            ConformityStatus::Totalement,
            ConformityStatus::Partiellement,
            ConformityStatus::Non,
        ] {
            assert_eq!(serde_json::to_value(s).ok(), Some(json!(s.code())));
        }
    }

    #[test]
    fn franceconnect_and_declaration_from_the_cerfa_section() {
        let c = cerfa(json!({
            "criteria": [criterion(26, "met", json!([
                {"url": "http://x/connexion", "selector": ".fr-connect--plus", "text": "bouton FranceConnect+ (détecté par classe)"}
            ]))],
            "accessibility_declaration": {"url": "http://x/accessibilite", "rate": 75.0, "status": "partiellement",
                "established": "2026-01-02", "contact": true, "defenseur_des_droits": true, "recevable": true,
                "reasons": [], "pages_linking": 3, "pages_total": 3}
        }));
        let a = auth(Some(&c));
        assert_eq!(a.display, "FranceConnect+");
        assert_eq!(a.source, Source::Measured);
        assert_eq!(
            a.evidence,
            [
                "Critère Cerfa 26 : met",
                "bouton FranceConnect+ (détecté par classe) — http://x/connexion — .fr-connect--plus"
            ]
        );
        let h = handicap(Some(&c));
        assert_eq!(h.value, Some(75.0));
        assert_eq!(h.level.map(|l| l.label).as_deref(), Some("Partiel"));
        assert_eq!(
            h.evidence,
            [
                "Déclaration : http://x/accessibilite",
                "État de conformité déclaré : partiellement",
                "Date : 2026-01-02"
            ]
        );
        assert_eq!(handicap(None).source, Source::Unknown);
        assert_eq!(auth(None).display, "inconnu");
        let not_rec = cerfa(
            json!({"accessibility_declaration": {"url": "u", "rate": 100.0,
            "contact": false, "defenseur_des_droits": false, "recevable": false,
            "reasons": ["moyen de contact absent"], "pages_linking": 0, "pages_total": 1}}),
        );
        let h = handicap(Some(&not_rec));
        assert_eq!(h.level.map(|l| l.label).as_deref(), Some("Non"));
        assert_eq!(h.display, "Non (100 % publiés)");
        assert_eq!(
            h.evidence.last().map(String::as_str),
            Some("moyen de contact absent")
        );
    }

    #[test]
    fn cerfa_section_as_written_by_the_cerfa_module() {
        let c = cerfa(json!({"criteria": [
            criterion(15, "not_met", json!([])),
            criterion(26, "not_applicable", json!([]))
        ]}));
        let h = handicap(Some(&c));
        assert_eq!(h.display, "Non");
        assert_eq!(h.level.map(|l| l.colour).as_deref(), Some("rouge"));
        assert_eq!(
            h.evidence.last().map(String::as_str),
            Some("Critère Cerfa 15 : Résumé.")
        );
        assert_eq!(auth(Some(&c)).display, "Non applicable");
        let s = cerfa_scores(Some(&c));
        assert_eq!(s.value, Some(42.86));
        assert_eq!(s.display, "43 % · accessibilité 0 %");
        let unknown = cerfa(json!({"criteria": [criterion(26, "unknown", json!([]))]}));
        assert_eq!(
            auth(Some(&unknown)).evidence,
            ["Critère Cerfa 26 non conclusif (statut « unknown »)."]
        );
    }

    #[test]
    fn declarations_file() {
        let a = Declarations::parse(
            "[[demarche]]\nid = \"a\"\nsatisfaction = 8.4\nsatisfaction_avis = 1200\ndlnuf = 3\n",
            "a.toml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let b = Declarations::parse(
            "[demarches.b.indicateurs]\nusage = { value = 62 }\nsatisfaction = { value = 9, avis = 12, auteur = \"Équipe\" }\n",
            "b.toml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let j =
            |d: &Declarations, id: &str, name: &str| d.get(id).and_then(|x| x.indicator_json(name));
        let s = satisfaction(j(&a, "a", "satisfaction").as_ref());
        assert_eq!(s.level.map(|l| l.label).as_deref(), Some("Très bien"));
        assert_eq!(s.source, Source::Declared);
        assert_eq!(
            dlnuf(j(&a, "a", "dlnuf").as_ref())
                .level
                .map(|l| l.label)
                .as_deref(),
            Some("Partiel")
        );
        assert_eq!(usage(j(&b, "b", "usage").as_ref()).value, Some(62.0));
        let s = satisfaction(j(&b, "b", "satisfaction").as_ref());
        assert_eq!(s.display, "Nombre d'avis insuffisant");
        assert!(
            s.evidence.contains(&"Auteur : Équipe".to_string()),
            "{:?}",
            s.evidence
        );
        assert_eq!(usage(j(&a, "a", "usage").as_ref()).source, Source::Unknown);
    }
}
