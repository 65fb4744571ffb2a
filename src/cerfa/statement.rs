//! Criterion 15: the home-page mention « Accessibilité : … conforme » and the accessibility
//! declaration (status, rate, dates, contact, Défenseur des droits, schéma pluriannuel, action
//! plan, RGAA version). Recevability, which needs the audit date, is judged in `score`.

use crate::page::Attribute;
use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::{fold, LinkRef};
use crate::page::Page;

/// The three official conformity statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConformityStatus {
    Totalement,
    Partiellement,
    Non,
}

impl ConformityStatus {
    fn from_word(w: &str) -> Option<Self> {
        match w {
            "totalement" | "totale" => Some(ConformityStatus::Totalement),
            "partiellement" | "partielle" => Some(ConformityStatus::Partiellement),
            "non" => Some(ConformityStatus::Non),
            _ => None,
        }
    }
    /// The word report.json uses.
    pub fn code(self) -> &'static str {
        match self {
            ConformityStatus::Totalement => "totalement",
            ConformityStatus::Partiellement => "partiellement",
            ConformityStatus::Non => "non",
        }
    }
    pub fn label_fr(self) -> &'static str {
        match self {
            ConformityStatus::Totalement => "totalement conforme",
            ConformityStatus::Partiellement => "partiellement conforme",
            ConformityStatus::Non => "non conforme",
        }
    }
    /// Whether a published rate agrees with the status (100 %, ≥ 50 %, < 50 %).
    pub fn agrees_with_rate(self, rate: f64) -> bool {
        match self {
            ConformityStatus::Totalement => rate >= 100.0,
            ConformityStatus::Partiellement => (50.0..100.0).contains(&rate),
            ConformityStatus::Non => rate < 50.0,
        }
    }
}

/// What a declaration page says.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct AccessibilityStatement {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ConformityStatus>,
    /// Published rate of RGAA criteria met, in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub established: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<NaiveDate>,
    /// An accessible contact means (e-mail, form link).
    pub contact: bool,
    pub defenseur_des_droits: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_link: Option<LinkRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_plan_link: Option<LinkRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rgaa_version: Option<String>,
    /// Date of the conformity audit the rate comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_date: Option<NaiveDate>,
    /// Who made the audit, as written (« la société Exemple »).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auditor: Option<String>,
    /// First and last year of the schéma pluriannuel (at most three years, by law).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_start: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_end: Option<i32>,
    /// Year of the plan d'action found (the current year's is required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_plan_year: Option<i32>,
}

impl AccessibilityStatement {
    /// The most recent date given (update, else establishment).
    pub fn reference_date(&self) -> Option<NaiveDate> {
        match (self.established, self.updated) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| match Regex::new(pattern) {
        Ok(r) => r,
        Err(e) => panic!("invalid built-in regex {pattern:?}: {e}"),
    })
}

fn mention_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"accessibilite\s*[:\-–]\s*(totalement|partiellement|non)\s+conforme",
    )
}

/// The mention « Accessibilité : totalement / partiellement / non conforme » in the page text.
pub fn home_mention(page: &Page) -> Option<ConformityStatus> {
    let text = super::folded_body(page);
    mention_re()
        .captures(text)
        .and_then(|c| ConformityStatus::from_word(&c[1]))
}

const MONTHS: &[&str] = &[
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
];

/// Parse the first French date at the start of `s` (within a short window).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    find_date(s).map(|(_, d)| d)
}

/// The first French date in `s` and where it starts; None when it is not a calendar date.
fn find_date(s: &str) -> Option<(usize, NaiveDate)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"(?:(\d{1,2})(?:er)?\s+(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\s+(\d{4}))|(?:(\d{1,2})[/.](\d{1,2})[/.](\d{4}))|(?:(\d{4})-(\d{2})-(\d{2}))|(?:(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\s+(\d{4}))",
    );
    let c = r.captures(s)?;
    let at = c.get(0)?.start();
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let month_of = |i: usize| {
        c.get(i)
            .and_then(|m| MONTHS.iter().position(|x| *x == m.as_str()))
            .map(|p| p as u32 + 1)
    };
    let date = if c.get(1).is_some() {
        NaiveDate::from_ymd_opt(num(3)? as i32, month_of(2)?, num(1)?)
    } else if c.get(4).is_some() {
        NaiveDate::from_ymd_opt(num(6)? as i32, num(5)?, num(4)?)
    } else if c.get(7).is_some() {
        NaiveDate::from_ymd_opt(num(7)? as i32, num(8)?, num(9)?)
    } else {
        NaiveDate::from_ymd_opt(num(11)? as i32, month_of(10)?, 1)
    };
    date.map(|d| (at, d))
}

/// A date found in a declaration: after 2009 (RGAA 1), not in the future by a century, and not
/// the date of a text of law (« loi n° 2005-102 du 11 février 2005 », « décret … du 24 juillet
/// 2019 »), which declarations quote next to their own dates.
fn plausible_date(before: &str, d: NaiveDate) -> bool {
    use chrono::Datelike;
    let tail: String = before
        .chars()
        .rev()
        .take(50)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (2009..=2100).contains(&d.year())
        && !["loi ", "decret", "ordonnance", "arrete ", "directive"]
            .iter()
            .any(|w| tail.contains(w))
}

/// Every plausible date that follows one of the keywords within 80 characters, in the order of
/// the keywords, then of the text.
fn dates_after(text: &str, keywords: &[&str]) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    for k in keywords {
        for (i, _) in text.match_indices(k) {
            let start = i + k.len();
            let window: String = text[start..].chars().take(80).collect();
            let Some((at, d)) = find_date(&window) else {
                continue;
            };
            if plausible_date(&format!("{}{}", &text[..start], &window[..at]), d) {
                out.push(d);
            }
        }
    }
    out
}

/// The parts of the declaration template, by their headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Conformity,
    Results,
    Establishment,
    Contact,
    Remedies,
}

const SECTION_HEADINGS: &[(&str, Section)] = &[
    ("etat de conformite", Section::Conformity),
    ("resultats des tests", Section::Results),
    ("etablissement de cette declaration", Section::Establishment),
    ("retour d'information et contact", Section::Contact),
    ("voies de recours", Section::Remedies),
];

/// The text of one section: from its heading to the next heading of the template found after
/// it (the first occurrence of each heading counts).
fn section(text: &str, which: Section) -> Option<&str> {
    let mut starts: Vec<(usize, Section)> = SECTION_HEADINGS
        .iter()
        .filter_map(|(h, s)| text.find(h).map(|i| (i, *s)))
        .collect();
    starts.sort_unstable_by_key(|(i, _)| *i);
    let at = starts.iter().position(|(_, s)| *s == which)?;
    let end = starts.get(at + 1).map_or(text.len(), |(i, _)| *i);
    Some(&text[starts[at].0..end])
}

/// The part of `text` before byte `end` that belongs to the same sentence (at most 160 bytes).
fn sentence_before(text: &str, end: usize) -> &str {
    let mut from = end.saturating_sub(160);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = &text[from..end];
    match window.rfind(". ").or_else(|| window.rfind("; ")) {
        Some(i) => &window[i + 2..],
        None => window,
    }
}

/// The global conformity rate: among the percentages of the results (else conformity) section
/// that speak of criteria, conformity or the audit, and not of the mean rate, an updated rate
/// (« mis à jour à 71,21 % », « est dorénavant de 88,52 % ») wins, then the last of several
/// global rates, then the first.
fn conformity_rate(text: &str) -> Option<f64> {
    static PCT: OnceLock<Regex> = OnceLock::new();
    let pct = re(
        &PCT,
        r"(\d{1,3}(?:[.,]\d{1,3})?)\s*(?:%|pour\s?cents?\b|pourcents?\b)",
    );
    struct Candidate {
        value: f64,
        update: bool,
        global: bool,
    }
    let scopes = [
        section(text, Section::Results),
        section(text, Section::Conformity),
        Some(text),
    ];
    for scope in scopes.into_iter().flatten() {
        let mut found = Vec::new();
        for c in pct.captures_iter(scope) {
            let (Some(whole), Some(num)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let Ok(value) = num.as_str().replace(',', ".").parse::<f64>() else {
                continue;
            };
            if value > 100.0 {
                continue;
            }
            let before = sentence_before(scope, whole.start());
            let after: String = scope[whole.end()..].chars().take(40).collect();
            let context = format!("{before} {after}");
            let update = [
                "mis a jour",
                "mise a jour",
                "dorenavant",
                "desormais",
                "actualise",
                "nouveau taux",
                "passe a",
                "passant a",
                "maintenant de",
            ]
            .iter()
            .any(|w| before.contains(w));
            // « Il a été mis à jour à 71 % » speaks of the rate given just before it.
            let speaks_of_conformity = ["critere", "conform", "taux", "respect", "audit", "revele"]
                .iter()
                .any(|w| context.contains(w));
            let follows_a_rate = update && !found.is_empty();
            if !(speaks_of_conformity || follows_a_rate) {
                continue;
            }
            // The nearest qualifier before the figure decides: « global 74 %, moyen 87 % ».
            let mean_at = before.rfind("moyen");
            let global_at = before.rfind("global");
            if mean_at.is_some() && mean_at > global_at {
                continue;
            }
            found.push(Candidate {
                value,
                update,
                global: global_at.is_some(),
            });
        }
        if let Some(c) = found.iter().rev().find(|c| c.update) {
            return Some(c.value);
        }
        let globals: Vec<&Candidate> = found.iter().filter(|c| c.global).collect();
        if globals.len() > 1 {
            return globals.last().map(|c| c.value);
        }
        if let Some(c) = found.first() {
            return Some(c.value);
        }
    }
    None
}

/// The date the declaration was made: the establishment section first, then the whole page.
fn established_date(text: &str) -> Option<NaiveDate> {
    const KEYS: &[&str] = &[
        "etablie le",
        "etablie en",
        "realisee le",
        "redigee le",
        "publiee le",
        "etablie",
    ];
    let scopes = [section(text, Section::Establishment), Some(text)];
    scopes
        .into_iter()
        .flatten()
        .find_map(|s| dates_after(s, KEYS).into_iter().next())
}

/// The latest update date given anywhere on the page.
fn updated_date(text: &str) -> Option<NaiveDate> {
    dates_after(
        text,
        &[
            "mise a jour le",
            "mis a jour le",
            "actualisee le",
            "modifiee le",
            "revisee le",
            "mise a jour",
        ],
    )
    .into_iter()
    .max()
}

/// The audit's date, from the results section (else the page): « audit réalisé le 12 mai
/// 2023 », « réalisé en mars 2023 ».
fn audit_date(text: &str) -> Option<NaiveDate> {
    const KEYS: &[&str] = &[
        "audit realise le",
        "audit a ete realise le",
        "audit effectue le",
        "date de l'audit",
        "audit du",
        "realise le",
        "effectue le",
        "realise en",
        "effectue en",
        "mene le",
    ];
    let scopes = [section(text, Section::Results), Some(text)];
    scopes
        .into_iter()
        .flatten()
        .find_map(|s| dates_after(s, KEYS).into_iter().next())
}

/// Who made the audit, in the page's own words (case and accents kept).
fn auditor(original: &str) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"(?i)audit[^.;]{0,120}?(?:r[ée]alis[ée]e?|effectu[ée]e?|men[ée]e?|conduite?)s?\b[^.;]{0,40}?\bpar\s+(?:la\s+soci[ée]t[ée]\s+|le\s+cabinet\s+|l['’]entreprise\s+|l['’]agence\s+)?([^\s.,;:()][^.,;:()\n]{1,80})",
    );
    let c = r.captures(original)?;
    let mut who = c.get(1)?.as_str().trim().to_string();
    for stop in [
        " qui ",
        " révèle",
        " revele",
        " selon ",
        " sur la base",
        " le ",
        " en ",
        " entre ",
    ] {
        if let Some(i) = who.find(stop) {
            who.truncate(i);
        }
    }
    let who = who.trim().to_string();
    (!who.is_empty()).then(|| who.chars().take(80).collect())
}

/// Years written as a period: « 2024-2026 », « 2024 à 2026 », « 2024/2026 ».
fn period_in(text: &str) -> Option<(i32, i32)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(&R, r"(20\d{2})\s*(?:-|–|/|a|au)\s*(20\d{2})");
    let c = r.captures(text)?;
    let a: i32 = c.get(1)?.as_str().parse().ok()?;
    let b: i32 = c.get(2)?.as_str().parse().ok()?;
    (a <= b && b - a <= 5).then_some((a, b))
}

fn year_in(text: &str) -> Option<i32> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(&R, r"\b(20\d{2})\b");
    r.captures(text)?.get(1)?.as_str().parse().ok()
}

/// The text right after each mention of `what` (100 characters).
fn after_mentions<'a>(text: &'a str, what: &'a str) -> impl Iterator<Item = String> + 'a {
    text.match_indices(what)
        .map(move |(i, _)| text[i + what.len()..].chars().take(100).collect())
}

/// Whether the page looks like an accessibility declaration.
pub fn is_declaration_page(text: &str) -> bool {
    text.contains("declaration d'accessibilite")
        && (text.contains("etat de conformite")
            || text.contains("des criteres rgaa")
            || text.contains("conforme avec le rgaa")
            || text.contains("conforme au rgaa")
            || text.contains("conformite partielle")
            || text.contains("conformite totale"))
}

/// Parse the declaration if the page holds one.
pub fn parse(page: &Page) -> Option<AccessibilityStatement> {
    let text = super::folded_body(page);
    if !is_declaration_page(text) {
        return None;
    }
    static STATUS: OnceLock<Regex> = OnceLock::new();
    let status_re = re(
        &STATUS,
        r"(?:est|site|service)\s+(totalement|partiellement|non)\s+conforme|en\s+conformite\s+(totale|partielle)|(non)\s+conforme\s+(?:avec|au)",
    );
    let from = text.find("etat de conformite").unwrap_or(0);
    let status = status_re
        .captures(&text[from..])
        .or_else(|| status_re.captures(text))
        .and_then(|c| {
            let w = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3))?.as_str();
            ConformityStatus::from_word(w)
        });
    let rate = conformity_rate(text);
    let established = established_date(text);
    let updated = updated_date(text);
    static EMAIL: OnceLock<Regex> = OnceLock::new();
    let email_re = re(&EMAIL, r"[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}");
    let mut contact = email_re.is_match(text);
    let mut schema_link = None;
    let mut action_plan_link = None;
    for (a, l) in super::hyperlink_texts(page) {
        let href = a.value().attribute("href").unwrap_or("");
        let t = l.folded.as_str();
        if href.to_ascii_lowercase().starts_with("mailto:")
            || t.contains("formulaire de contact")
            || t == "contact"
            || t.contains("nous contacter")
        {
            contact = true;
        }
        if schema_link.is_none()
            && (t.contains("schema pluriannuel") || t.contains("schema annuel"))
        {
            schema_link = Some(LinkRef::of(page, a));
        }
        if action_plan_link.is_none()
            && (t.contains("plan d'action")
                || t.contains("plan annuel")
                || t.contains("plan d'actions"))
        {
            action_plan_link = Some(LinkRef::of(page, a));
        }
    }
    static RGAA: OnceLock<Regex> = OnceLock::new();
    let rgaa_re = re(&RGAA, r"rgaa\)?,?\s*(?:version\s*|v)?(\d(?:\.\d){1,2})");
    // The schéma's period and the plan's year: in the link text, else after a mention in the
    // text, else (for the plan) in the link's address (`plan-2026.pdf`).
    let schema_period = schema_link
        .as_ref()
        .and_then(|l| period_in(&fold(&l.text)))
        .or_else(|| after_mentions(text, "schema pluriannuel").find_map(|t| period_in(&t)));
    let action_plan_year = action_plan_link
        .as_ref()
        .and_then(|l| year_in(&fold(&l.text)).or_else(|| year_in(&l.href)))
        .or_else(|| {
            ["plan d'action", "plan annuel"]
                .iter()
                .flat_map(|m| after_mentions(text, m))
                .find_map(|t| year_in(&t.chars().take(40).collect::<String>()))
        });
    Some(AccessibilityStatement {
        status,
        rate,
        established,
        updated,
        contact,
        defenseur_des_droits: text.contains("defenseur des droits"),
        schema_link,
        action_plan_link,
        rgaa_version: rgaa_re.captures(text).map(|c| c[1].to_string()),
        audit_date: audit_date(text),
        auditor: auditor(page.body_text()),
        schema_start: schema_period.map(|p| p.0),
        schema_end: schema_period.map(|p| p.1),
        action_plan_year,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(t: &str) -> Option<f64> {
        conformity_rate(&fold(t))
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn rates_as_real_declarations_write_them() {
        let cases: &[(&str, f64)] = &[
            ("L'audit de conformité révèle que 90.5% des critères RGAA sont respectés.", 90.5),
            ("Le site est conforme à 80,5% au RGAA version 4.1.", 80.5),
            ("95 pour cent des critères du RGAA sont respectés.", 95.0),
            ("78,5 % des critères du RGAA version 4.1 sont respectés.", 78.5),
            ("Taux de conformité global : 64\u{202f}%.", 64.0),
            (
                "Le taux de conformité était de 51,43% lors du premier audit. Il a été mis à jour à 71,21% en 2024.",
                71.21,
            ),
            (
                "Le taux de conformité était de 60 %. Le taux de conformité est dorénavant de 88,52 %.",
                88.52,
            ),
            (
                "Taux global de conformité : 74,6 %. Taux moyen : 87,4 %. Après corrections, taux global : 83,1 %.",
                83.1,
            ),
            (
                "Le taux moyen de conformité s'élève à 92 %. 64 % des critères RGAA sont respectés.",
                64.0,
            ),
            // The results section wins over a figure quoted earlier in the page.
            (
                "Notre objectif : 100 % de conformité. Résultats des tests L'audit révèle que 47 % des critères sont respectés.",
                47.0,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(rate(text), Some(*want), "{text}");
        }
        assert_eq!(rate("Réduction de 20 % sur les frais de port."), None);
        assert_eq!(rate("Taux moyen de conformité : 87 %."), None);
    }

    #[test]
    fn dates_never_the_law_never_impossible_latest_update() {
        let t = fold(
            "Établissement de cette déclaration d'accessibilité. Cette déclaration a été établie en application de la loi n° 2005-102 du 11 février 2005. Elle a été réalisée le 23 septembre 2020.",
        );
        assert_eq!(established_date(&t), date(2020, 9, 23));
        let t = fold(
            "Établissement de cette déclaration. Conformément à la loi du 11 février 2005, la déclaration a été réalisée le 1er mars 2024.",
        );
        assert_eq!(established_date(&t), date(2024, 3, 1));
        assert_eq!(established_date(&fold("Établie le 31/02/2024.")), None);
        assert_eq!(
            established_date(&fold("Établie le 31/02/2024, puis établie le 02/03/2024.")),
            date(2024, 3, 2)
        );
        let t = fold("Mise à jour le 3 mars 2025. Déclaration mise à jour le 12 juin 2026.");
        assert_eq!(updated_date(&t), date(2026, 6, 12));
        assert_eq!(
            updated_date(&fold(
                "Mise à jour conformément au décret n° 2019-768 du 24 juillet 2019."
            )),
            None
        );
    }

    #[test]
    fn audit_date_and_auditor() {
        let original = "Résultats des tests. L'audit de conformité réalisé le 12 mai 2023 par la société Access42 révèle que 75 % des critères sont respectés.";
        assert_eq!(audit_date(&fold(original)), date(2023, 5, 12));
        assert_eq!(auditor(original).as_deref(), Some("Access42"));
        let original = "Un audit a été effectué en mars 2023 par Tanaguru, sur 12 pages.";
        assert_eq!(audit_date(&fold(original)), date(2023, 3, 1));
        assert_eq!(auditor(original).as_deref(), Some("Tanaguru"));
        assert_eq!(
            auditor("L'audit a été réalisé par l'agence Temesis qui a testé 20 pages.").as_deref(),
            Some("Temesis")
        );
        assert_eq!(auditor("Aucun audit n'a été réalisé."), None);
    }

    #[test]
    fn schema_period_and_plan_year() {
        assert_eq!(
            period_in("schema pluriannuel 2024-2026"),
            Some((2024, 2026))
        );
        assert_eq!(period_in("de 2023 a 2025"), Some((2023, 2025)));
        assert_eq!(period_in("2026-2020"), None);
        assert_eq!(year_in("plan-2026.pdf"), Some(2026));
    }
}
