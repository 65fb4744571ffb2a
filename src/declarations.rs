//! The operators' declarations: one TOML file, read by `vigie audit --declarations` and
//! `vigie report --declarations`, holding per démarche the answers to the declared Cerfa
//! criteria and the declared observatory indicators.
//!
//! ```toml
//! [demarches.exemplaire-aide.cerfa.2]   # démarche id, then criterion number (1 to 35)
//! value = "met"                         # or "not_met" (aliases: oui / non, rempli / non_rempli)
//! comment = "Tests avec 12 usagers en mars 2025"
//! date = "2025-03-10"
//! author = "Équipe produit"
//!
//! [demarches.exemplaire-aide.indicateurs.satisfaction]   # satisfaction, dlnuf or usage
//! value = 8.4
//! avis = 1250                           # satisfaction only: number of reviews
//! date = "2026-06-30"
//! source = "Je donne mon avis"
//! ```
//!
//! Measured results always win over declarations (the report shows disagreements). The two
//! older formats (`[ID.NUMBER]` tables for the Cerfa criteria, `[[demarche]]` tables for the
//! indicators) are still read, with a deprecation note.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

/// A declared value of a Cerfa criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclaredValue {
    #[serde(alias = "oui", alias = "rempli")]
    Met,
    #[serde(alias = "non", alias = "non_rempli")]
    NotMet,
}

/// One declared answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclaredAnswer {
    #[serde(alias = "valeur")]
    pub value: DeclaredValue,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        alias = "commentaire"
    )]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "auteur")]
    pub author: Option<String>,
}

/// Which format the file was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FileFormat {
    /// `[demarches.ID.cerfa.N]` and `[demarches.ID.indicateurs.NAME]`.
    #[default]
    Unified,
    /// Deprecated: `[ID.N]` tables of Cerfa answers only.
    LegacyCerfa,
    /// Deprecated: `[[demarche]]` (or `[demarche.ID]`) tables of indicator values only.
    LegacyIndicators,
}

/// A declared indicator value: a number, or a text for indicators that accept one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IndicatorValue {
    Number(f64),
    Text(String),
}

/// One declared indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclaredIndicator {
    #[serde(alias = "valeur")]
    pub value: IndicatorValue,
    /// Number of reviews behind a satisfaction score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avis: Option<f64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        alias = "commentaire"
    )]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "auteur")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Everything declared for one démarche.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemarcheDeclarations {
    pub cerfa: BTreeMap<u8, DeclaredAnswer>,
    pub indicateurs: BTreeMap<String, DeclaredIndicator>,
}

impl DemarcheDeclarations {
    /// One declared indicator as the indicators read it: `{NAME: value, avis, date, source,
    /// comment, author}`.
    pub fn indicator_json(&self, name: &str) -> Option<serde_json::Value> {
        let d = self.indicateurs.get(name)?;
        let mut m = serde_json::Map::new();
        let value = match &d.value {
            IndicatorValue::Number(n) => serde_json::json!(n),
            IndicatorValue::Text(t) => serde_json::json!(t),
        };
        m.insert(name.to_string(), value);
        let extra = [
            ("avis", d.avis.map(|a| serde_json::json!(a))),
            ("date", d.date.clone().map(serde_json::Value::from)),
            ("source", d.source.clone().map(serde_json::Value::from)),
            ("comment", d.comment.clone().map(serde_json::Value::from)),
            ("author", d.author.clone().map(serde_json::Value::from)),
        ];
        for (k, v) in extra {
            if let Some(v) = v {
                m.insert(k.to_string(), v);
            }
        }
        Some(serde_json::Value::Object(m))
    }
}

/// The declarations file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Declarations {
    pub demarches: BTreeMap<String, DemarcheDeclarations>,
    pub format: FileFormat,
    /// Notes for the user (deprecated format).
    pub notes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DeclarationsError {
    #[error("fichier de déclarations {path} illisible : {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("fichier de déclarations {name}{} : {message}", .line.map(|l| format!(", ligne {l}")).unwrap_or_default())]
    Invalid {
        name: String,
        line: Option<usize>,
        message: String,
    },
}

/// Indicators an operator may declare (`declaratif = true` in criteria/indicateurs.toml).
pub fn declarable_indicators() -> Vec<String> {
    crate::criteria::indicators::config()
        .indicators
        .iter()
        .filter(|d| d.declarable)
        .map(|d| d.id.clone())
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnifiedFile {
    demarches: BTreeMap<Spanned<String>, RawDemarche>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDemarche {
    #[serde(default)]
    cerfa: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default)]
    indicateurs: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

type RawAnswers = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

struct Parser<'a> {
    text: &'a str,
    name: &'a str,
}

impl Parser<'_> {
    fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    fn err(&self, offset: Option<usize>, message: impl Into<String>) -> DeclarationsError {
        DeclarationsError::Invalid {
            name: self.name.to_string(),
            line: offset.map(|o| self.line(o)),
            message: message.into(),
        }
    }

    fn toml_err(&self, e: toml::de::Error) -> DeclarationsError {
        self.err(
            e.span().map(|s| s.start),
            e.message().trim_end().to_string(),
        )
    }

    fn cerfa(
        &self,
        id: &str,
        raw: RawAnswers,
    ) -> Result<BTreeMap<u8, DeclaredAnswer>, DeclarationsError> {
        let mut out = BTreeMap::new();
        for (key, value) in raw {
            let at = Some(key.span().start);
            let k = key.get_ref().trim();
            let n: u8 = k
                .parse()
                .ok()
                .filter(|n| (1..=35).contains(n))
                .ok_or_else(|| {
                    self.err(
                        at,
                        format!("{id} : « {k} » n'est pas un numéro de critère Cerfa (valides : 1 à 35)"),
                    )
                })?;
            let answer: DeclaredAnswer =
                dates_as_text(value.into_inner())
                    .try_into()
                    .map_err(|e: toml::de::Error| {
                        self.err(
                            at,
                            format!("{id}, critère {n} : {}", e.message().trim_end()),
                        )
                    })?;
            check_date(answer.date.as_deref())
                .map_err(|m| self.err(at, format!("{id}, critère {n} : {m}")))?;
            out.insert(n, answer);
        }
        Ok(out)
    }

    fn indicators(
        &self,
        id: &str,
        raw: RawAnswers,
    ) -> Result<BTreeMap<String, DeclaredIndicator>, DeclarationsError> {
        let valid = declarable_indicators();
        let mut out = BTreeMap::new();
        for (key, value) in raw {
            let at = Some(key.span().start);
            let k = key.get_ref().trim().to_string();
            if !valid.contains(&k) {
                return Err(self.err(
                    at,
                    format!(
                        "{id} : indicateur « {k} » inconnu ou non déclarable (valides : {})",
                        valid.join(", ")
                    ),
                ));
            }
            let d: DeclaredIndicator =
                dates_as_text(value.into_inner())
                    .try_into()
                    .map_err(|e: toml::de::Error| {
                        self.err(
                            at,
                            format!("{id}, indicateur {k} : {}", e.message().trim_end()),
                        )
                    })?;
            check_date(d.date.as_deref())
                .map_err(|m| self.err(at, format!("{id}, indicateur {k} : {m}")))?;
            check_indicator(&k, &d)
                .map_err(|m| self.err(at, format!("{id}, indicateur {k} : {m}")))?;
            out.insert(k, d);
        }
        Ok(out)
    }
}

/// TOML dates (`date = 2026-03-10`) are read as text like quoted ones.
fn dates_as_text(v: toml::Value) -> toml::Value {
    match v {
        toml::Value::Datetime(d) => toml::Value::String(d.to_string()),
        toml::Value::Table(t) => {
            toml::Value::Table(t.into_iter().map(|(k, v)| (k, dates_as_text(v))).collect())
        }
        other => other,
    }
}

fn check_date(date: Option<&str>) -> Result<(), String> {
    match date {
        Some(d) if chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").is_err() => Err(
            format!("date « {d} » invalide (format attendu : AAAA-MM-JJ)"),
        ),
        _ => Ok(()),
    }
}

fn check_indicator(name: &str, d: &DeclaredIndicator) -> Result<(), String> {
    let range = match name {
        "satisfaction" => Some((0.0, 10.0, "une note de 0 à 10")),
        "usage" => Some((0.0, 100.0, "un pourcentage de 0 à 100")),
        "dlnuf" => Some((
            0.0,
            f64::MAX,
            "un nombre de données redemandées (≥ 0) ou un texte",
        )),
        _ => None,
    };
    let Some((lo, hi, what)) = range else {
        return Ok(());
    };
    match &d.value {
        IndicatorValue::Number(n) if (lo..=hi).contains(n) => Ok(()),
        IndicatorValue::Text(t) if name == "dlnuf" && !t.trim().is_empty() => Ok(()),
        _ => Err(format!("valeur attendue : {what}")),
    }
}

impl Declarations {
    pub fn load(path: &Path) -> Result<Declarations, DeclarationsError> {
        let text = std::fs::read_to_string(path).map_err(|source| DeclarationsError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parse a declarations file in any of the three formats; `name` names it in errors.
    pub fn parse(text: &str, name: &str) -> Result<Declarations, DeclarationsError> {
        let p = Parser { text, name };
        let table: toml::Table = toml::from_str(text).map_err(|e| p.toml_err(e))?;
        if table.contains_key("demarches") {
            let file: UnifiedFile = toml::from_str(text).map_err(|e| p.toml_err(e))?;
            let mut demarches = BTreeMap::new();
            for (id, raw) in file.demarches {
                let id = id.into_inner();
                let d = DemarcheDeclarations {
                    cerfa: p.cerfa(&id, raw.cerfa)?,
                    indicateurs: p.indicators(&id, raw.indicateurs)?,
                };
                demarches.insert(id, d);
            }
            return Ok(Declarations {
                demarches,
                format: FileFormat::Unified,
                notes: Vec::new(),
            });
        }
        if table.contains_key("demarche") {
            return Ok(legacy_indicators(&table, name));
        }
        // The oldest format: [ID.NUMBER] tables.
        let raw: BTreeMap<String, RawAnswers> = toml::from_str(text).map_err(|e| p.toml_err(e))?;
        let mut demarches = BTreeMap::new();
        for (id, answers) in raw {
            let cerfa = p.cerfa(&id, answers)?;
            demarches.insert(
                id,
                DemarcheDeclarations {
                    cerfa,
                    ..Default::default()
                },
            );
        }
        Ok(Declarations {
            demarches,
            format: FileFormat::LegacyCerfa,
            notes: vec![deprecated(name, "[ID.NUMERO]")],
        })
    }

    /// Everything declared for one démarche.
    pub fn get(&self, id: &str) -> Option<&DemarcheDeclarations> {
        self.demarches.get(id)
    }

    /// The Cerfa answers of one démarche.
    pub fn for_demarche(&self, id: &str) -> Option<&BTreeMap<u8, DeclaredAnswer>> {
        self.demarches.get(id).map(|d| &d.cerfa)
    }
}

fn deprecated(name: &str, old: &str) -> String {
    format!(
        "{name} : format de déclarations {old} obsolète, encore lu ; utiliser [demarches.ID.cerfa.N] et [demarches.ID.indicateurs.NOM] (voir README)"
    )
}

/// The old indicators format: `[[demarche]]` tables with an `id`, or `[demarche.ID]` tables;
/// values flat or in an `indicateurs` sub-table; one date/source/comment for all of them.
fn legacy_indicators(table: &toml::Table, name: &str) -> Declarations {
    let mut entries: Vec<(String, toml::Table)> = Vec::new();
    match table.get("demarche") {
        Some(toml::Value::Array(items)) => {
            for it in items {
                if let (Some(id), Some(t)) =
                    (it.get("id").and_then(toml::Value::as_str), it.as_table())
                {
                    entries.push((id.to_string(), t.clone()));
                }
            }
        }
        Some(toml::Value::Table(m)) => {
            for (id, it) in m {
                if let Some(t) = it.as_table() {
                    entries.push((id.clone(), t.clone()));
                }
            }
        }
        _ => {}
    }
    let mut demarches = BTreeMap::new();
    for (id, mut t) in entries {
        if let Some(toml::Value::Table(sub)) = t.remove("indicateurs") {
            t.extend(sub);
        }
        let text = |k: &str| match t.get(k) {
            Some(toml::Value::String(s)) => Some(s.clone()),
            Some(toml::Value::Datetime(d)) => Some(d.to_string()),
            Some(v @ (toml::Value::Integer(_) | toml::Value::Float(_))) => Some(v.to_string()),
            _ => None,
        };
        let num = |k: &str| match t.get(k) {
            Some(toml::Value::Integer(i)) => Some(*i as f64),
            Some(toml::Value::Float(f)) => Some(*f),
            _ => None,
        };
        let value = |k: &str| match t.get(k) {
            Some(toml::Value::String(s)) => Some(IndicatorValue::Text(s.clone())),
            _ => num(k).map(IndicatorValue::Number),
        };
        let mut indicateurs = BTreeMap::new();
        for (ind, keys) in [
            ("satisfaction", &["satisfaction"][..]),
            ("dlnuf", &["dlnuf"][..]),
            ("usage", &["usage", "taux_utilisation"][..]),
        ] {
            if let Some(v) = keys.iter().find_map(|k| value(k)) {
                indicateurs.insert(
                    ind.to_string(),
                    DeclaredIndicator {
                        value: v,
                        avis: if ind == "satisfaction" {
                            num("satisfaction_avis").or_else(|| num("avis"))
                        } else {
                            None
                        },
                        comment: text("commentaire").or_else(|| text("comment")),
                        date: text("date"),
                        author: text("auteur").or_else(|| text("author")),
                        source: text("source"),
                    },
                );
            }
        }
        demarches.insert(
            id,
            DemarcheDeclarations {
                cerfa: BTreeMap::new(),
                indicateurs,
            },
        );
    }
    Declarations {
        demarches,
        format: FileFormat::LegacyIndicators,
        notes: vec![deprecated(name, "[[demarche]]")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        match Declarations::parse(text, "d.toml") {
            Ok(d) => panic!("accepté : {d:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn unified_format_holds_both() {
        let d = Declarations::parse(
            "[demarches.a]\ncerfa.2 = { value = \"met\", comment = \"ok\", date = 2026-03-10 }\n\n[demarches.a.indicateurs.satisfaction]\nvalue = 8\navis = 1200\nsource = \"JDMA\"\n\n[demarches.b.cerfa.32]\nvaleur = \"non\"\nauteur = \"X\"\n",
            "d.toml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.format, FileFormat::Unified);
        assert!(d.notes.is_empty());
        let a = d.get("a").unwrap_or_else(|| panic!("a"));
        assert_eq!(a.cerfa[&2].value, DeclaredValue::Met);
        assert_eq!(a.cerfa[&2].date.as_deref(), Some("2026-03-10"));
        assert_eq!(
            a.indicator_json("satisfaction"),
            Some(serde_json::json!({"satisfaction": 8.0, "avis": 1200.0, "source": "JDMA"}))
        );
        let b = d.for_demarche("b").unwrap_or_else(|| panic!("b"));
        assert_eq!(b[&32].value, DeclaredValue::NotMet);
        assert_eq!(b[&32].author.as_deref(), Some("X"));
    }

    #[test]
    fn errors_name_the_line_and_the_valid_values() {
        assert_eq!(
            err("[demarches.a.cerfa.2]\nvalue = \"met\"\n\n[demarches.a.cerfa.36]\nvalue = \"met\"\n"),
            "fichier de déclarations d.toml, ligne 4 : a : « 36 » n'est pas un numéro de critère Cerfa (valides : 1 à 35)"
        );
        assert_eq!(
            err("[demarches.a.indicateurs]\nuptime = { value = 99 }\n"),
            "fichier de déclarations d.toml, ligne 2 : a : indicateur « uptime » inconnu ou non déclarable (valides : satisfaction, dlnuf, usage)"
        );
        assert!(err("[demarches.a\n").starts_with("fichier de déclarations d.toml, ligne 1 : "));
        let e = err("[demarches.a.cerfa.3]\nvalue = \"peut-être\"\n");
        assert!(
            e.starts_with("fichier de déclarations d.toml, ligne 1 : a, critère 3 : "),
            "{e}"
        );
        let e = err("[demarches.a.cerfa.3]\nvalue = \"met\"\ncomentaire = \"x\"\n");
        assert!(e.contains("comentaire"), "{e}");
        let e = err("[demarches.a]\ncerfas.3 = { value = \"met\" }\n");
        assert!(e.contains("ligne 2") && e.contains("cerfas"), "{e}");
        assert!(
            err("[demarches.a.cerfa.3]\nvalue = \"met\"\ndate = \"10/03/2026\"\n")
                .contains("date « 10/03/2026 » invalide")
        );
        assert!(err("[demarches.a.indicateurs.satisfaction]\nvalue = 12\n")
            .ends_with("indicateur satisfaction : valeur attendue : une note de 0 à 10"));
    }

    #[test]
    fn legacy_formats_are_still_read_with_a_note() {
        let c = Declarations::parse("[a.2]\nvalue = \"met\"\n", "old.toml")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.format, FileFormat::LegacyCerfa);
        assert_eq!(c.for_demarche("a").map(|m| m.len()), Some(1));
        assert!(c.notes[0].contains("obsolète"));
        assert!(Declarations::parse("[a.40]\nvalue = \"met\"\n", "old.toml").is_err());
        let i = Declarations::parse(
            "[[demarche]]\nid = \"a\"\nsatisfaction = 8.5\nsatisfaction_avis = 2500\nusage = 71\ndate = \"2026-01-01\"\n",
            "old.toml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(i.format, FileFormat::LegacyIndicators);
        let a = i.get("a").unwrap_or_else(|| panic!("a"));
        assert_eq!(a.indicateurs["satisfaction"].avis, Some(2500.0));
        assert_eq!(a.indicateurs["usage"].date.as_deref(), Some("2026-01-01"));
        assert!(!a.indicateurs.contains_key("dlnuf"));
    }
}
