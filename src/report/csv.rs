//! CSV exports for spreadsheets: démarches × indicators, and every finding. UTF-8 with a BOM
//! (Excel reads the accents), CRLF line ends, a chosen separator (`;` for French Excel).

use super::{DemarcheReport, Report};
use crate::rules::Outcome;

const BOM: &str = "\u{feff}";

/// One CSV field: quoted when needed; text from audited pages that starts like a formula is
/// prefixed with an apostrophe so a spreadsheet never evaluates it.
pub fn field(s: &str, sep: char, from_page: bool) -> String {
    let mut out = String::with_capacity(s.len());
    push_field(&mut out, s, sep, from_page);
    out
}

/// [`field`] written at the end of `out`: the findings export writes millions of fields, and
/// a string for each was a tenth of writing the site.
fn push_field(out: &mut String, s: &str, sep: char, from_page: bool) {
    let formula = from_page && s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if s.contains([sep, '"', '\n', '\r']) {
        out.push('"');
        if formula {
            out.push('\'');
        }
        for (k, part) in s.split('"').enumerate() {
            if k > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        if formula {
            out.push('\'');
        }
        out.push_str(s);
    }
}

/// Words joined by spaces as one field, through `scratch` (reused between fields).
fn push_joined<T: std::fmt::Display>(
    out: &mut String,
    scratch: &mut String,
    words: &[T],
    sep: char,
) {
    use std::fmt::Write;
    scratch.clear();
    for (k, w) in words.iter().enumerate() {
        if k > 0 {
            scratch.push(' ');
        }
        let _ = write!(scratch, "{w}");
    }
    push_field(out, scratch, sep, false);
}

fn line(fields: &[String], sep: char) -> String {
    let mut l = fields.join(&sep.to_string());
    l.push_str("\r\n");
    l
}

/// Décimales with a comma when the separator is `;` (French spreadsheets), else a point.
fn number(v: f64, sep: char) -> String {
    let s = crate::format::fr_number(v, 2);
    // A comma separator takes the decimal point (the French form has no other comma).
    if sep == ';' {
        s
    } else {
        s.replace(',', ".")
    }
}

/// One row per démarche; for each indicator its value, level and source.
pub fn indicators_csv(report: &Report, sep: char) -> String {
    let mut out = indicators_csv_head(sep);
    for d in &report.demarches {
        out.push_str(&indicators_csv_rows(d, sep));
    }
    out
}

/// The byte-order mark and the header line of indicateurs.csv.
pub fn indicators_csv_head(sep: char) -> String {
    let cfg = crate::indicators::config();
    let mut head: Vec<String> = ["id", "démarche", "opérateur", "ministère", "url de départ"]
        .iter()
        .map(|s| field(s, sep, false))
        .collect();
    for def in &cfg.indicators {
        for part in ["valeur", "affichage", "niveau", "source"] {
            head.push(field(&format!("{} ({part})", def.label), sep, false));
        }
    }
    let mut out = String::from(BOM);
    out.push_str(&line(&head, sep));
    out
}

/// The row of one démarche in indicateurs.csv.
pub fn indicators_csv_rows(d: &DemarcheReport, sep: char) -> String {
    let cfg = crate::indicators::config();
    let mut row: Vec<String> = vec![
        field(&d.demarche.id, sep, true),
        field(&d.demarche.name, sep, true),
        field(&d.demarche.operator, sep, true),
        field(&d.demarche.ministry, sep, true),
        field(d.demarche.start_url.as_str(), sep, true),
    ];
    for def in &cfg.indicators {
        match d.indicators.iter().find(|i| i.id == def.id) {
            Some(i) => {
                row.push(i.value.map(|v| number(v, sep)).unwrap_or_default());
                row.push(field(&i.display, sep, true));
                row.push(field(
                    i.level
                        .as_ref()
                        .map(|l| l.label.as_str())
                        .unwrap_or("inconnu"),
                    sep,
                    false,
                ));
                row.push(field(i.source.label(), sep, false));
            }
            None => {
                row.extend([
                    String::new(),
                    "inconnu".into(),
                    "inconnu".into(),
                    "inconnu".into(),
                ]);
            }
        }
    }
    line(&row, sep)
}

/// One row per failed or cantTell target, and one per passed/inapplicable finding.
pub fn findings_csv(report: &Report, sep: char) -> String {
    let mut out = findings_csv_head(sep);
    for d in &report.demarches {
        out.push_str(&findings_csv_rows(d, sep));
    }
    out
}

/// The byte-order mark and the header line of constats.csv.
pub fn findings_csv_head(sep: char) -> String {
    let head: Vec<String> = [
        "démarche",
        "page",
        "règle",
        "résultat",
        "rgaa",
        "wcag",
        "act",
        "cerfa",
        "sélecteur",
        "extrait",
        "message",
    ]
    .iter()
    .map(|s| field(s, sep, false))
    .collect();
    let mut out = String::from(BOM);
    out.push_str(&line(&head, sep));
    out
}

/// The rows of one démarche's findings in constats.csv (passed and inapplicable outcomes given
/// back from their compact form: the same rows from a 1.0 or a 2.0 report).
pub fn findings_csv_rows(d: &DemarcheReport, sep: char) -> String {
    let mut out = String::new();
    // A finding's first eight fields, written once for all its target rows.
    let mut head = String::new();
    let mut scratch = String::new();
    for f in &d.all_findings() {
        head.clear();
        push_field(&mut head, &d.demarche.id, sep, true);
        head.push(sep);
        push_field(&mut head, &f.url, sep, true);
        head.push(sep);
        push_field(&mut head, &f.rule, sep, false);
        head.push(sep);
        push_field(&mut head, f.outcome.label_fr(), sep, false);
        head.push(sep);
        push_joined(&mut head, &mut scratch, &f.rgaa, sep);
        head.push(sep);
        push_joined(&mut head, &mut scratch, &f.wcag, sep);
        head.push(sep);
        push_joined(&mut head, &mut scratch, &f.act, sep);
        head.push(sep);
        push_joined(&mut head, &mut scratch, &f.cerfa, sep);
        head.push(sep);
        let mut row = |sel: &str, snip: &str| {
            out.push_str(&head);
            push_field(&mut out, sel, sep, true);
            out.push(sep);
            push_field(&mut out, snip, sep, true);
            out.push(sep);
            push_field(&mut out, &f.message, sep, true);
            out.push_str("\r\n");
        };
        if f.targets.is_empty() || matches!(f.outcome, Outcome::Passed) {
            row("", "");
        } else {
            for t in &f.targets {
                row(&t.selector, &t.snippet);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_defused() {
        assert_eq!(field("a;b", ';', false), "\"a;b\"");
        assert_eq!(field("a,b", ';', false), "a,b");
        assert_eq!(field("dit \"oui\"", ',', false), "\"dit \"\"oui\"\"\"");
        assert_eq!(field("=HYPERLINK(1)", ';', true), "'=HYPERLINK(1)");
        assert_eq!(field("ligne\nsuivante", ';', true), "\"ligne\nsuivante\"");
        assert_eq!(field("=a;\"b\"", ';', true), "\"'=a;\"\"b\"\"\"");
        assert_eq!(field("-1", ',', true), "'-1");
        assert_eq!(field("-1", ',', false), "-1");
        assert_eq!(field("", ';', true), "");
        assert_eq!(number(99.5, ';'), "99,5");
        assert_eq!(number(99.5, ','), "99.5");
    }
}
