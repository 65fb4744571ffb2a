//! Criterion 15: the home-page mention « Accessibilité : … conforme » and the accessibility
//! declaration (status, rate, dates, contact, Défenseur des droits, schéma pluriannuel, action
//! plan, RGAA version). Recevability, which needs the audit date, is judged in `score`.

use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::{fold, link_text, LinkRef};
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
pub struct Declaration {
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
}

impl Declaration {
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
    let text = fold(&page.body_text());
    mention_re()
        .captures(&text)
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
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"(?:(\d{1,2})(?:er)?\s+(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\s+(\d{4}))|(?:(\d{1,2})[/.](\d{1,2})[/.](\d{4}))|(?:(\d{4})-(\d{2})-(\d{2}))|(?:(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\s+(\d{4}))",
    );
    let c = r.captures(s)?;
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let month_of = |i: usize| {
        c.get(i)
            .and_then(|m| MONTHS.iter().position(|x| *x == m.as_str()))
            .map(|p| p as u32 + 1)
    };
    if c.get(1).is_some() {
        NaiveDate::from_ymd_opt(num(3)? as i32, month_of(2)?, num(1)?)
    } else if c.get(4).is_some() {
        NaiveDate::from_ymd_opt(num(6)? as i32, num(5)?, num(4)?)
    } else if c.get(7).is_some() {
        NaiveDate::from_ymd_opt(num(7)? as i32, num(8)?, num(9)?)
    } else {
        NaiveDate::from_ymd_opt(num(11)? as i32, month_of(10)?, 1)
    }
}

/// The date following one of the keywords (within 80 characters).
fn date_after(text: &str, keywords: &[&str]) -> Option<NaiveDate> {
    for k in keywords {
        for (i, _) in text.match_indices(k) {
            let start = i + k.len();
            let window: String = text[start..].chars().take(80).collect();
            if let Some(d) = parse_date(&window) {
                return Some(d);
            }
        }
    }
    None
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
pub fn parse(page: &Page) -> Option<Declaration> {
    let text = fold(&page.body_text());
    if !is_declaration_page(&text) {
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
        .or_else(|| status_re.captures(&text))
        .and_then(|c| {
            let w = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3))?.as_str();
            ConformityStatus::from_word(w)
        });
    static RATE: OnceLock<Regex> = OnceLock::new();
    let rate_re = re(
        &RATE,
        r"(\d{1,3}(?:[.,]\d{1,2})?)\s*%\s*des\s+criteres|taux\s+(?:global\s+)?de\s+conformite\s+(?:global\s+|globale\s+)?(?:de|est\s+de|:)?\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*%",
    );
    let rate = rate_re.captures(&text).and_then(|c| {
        c.get(1)
            .or_else(|| c.get(2))
            .and_then(|m| m.as_str().replace(',', ".").parse::<f64>().ok())
    });
    let established = date_after(&text, &["etablie le", "etablie en", "etablie"]);
    let updated = date_after(
        &text,
        &[
            "mise a jour le",
            "mis a jour le",
            "actualisee le",
            "mise a jour",
        ],
    );
    static EMAIL: OnceLock<Regex> = OnceLock::new();
    let email_re = re(&EMAIL, r"[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}");
    let mut contact = email_re.is_match(&text);
    let mut schema_link = None;
    let mut action_plan_link = None;
    for a in page.select("a[href]") {
        let href = a.value().attr("href").unwrap_or("");
        let t = fold(&link_text(page, a));
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
    Some(Declaration {
        status,
        rate,
        established,
        updated,
        contact,
        defenseur_des_droits: text.contains("defenseur des droits"),
        schema_link,
        action_plan_link,
        rgaa_version: rgaa_re.captures(&text).map(|c| c[1].to_string()),
    })
}
