//! Cerfa criterion 21: open standards (HTTPS, UTF-8, HTML5, open formats). Verdict, messages and tests.

use super::shared::{ev, m, yes, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::Status;

/// ## Ce que le critère vérifie
/// L'accueil est servi en HTTPS, encodé en UTF-8 (en-tête HTTP, sinon balise meta) avec un doctype
/// HTML5 ; les documents à télécharger ne sont pas proposés seulement en formats fermés.
/// ## Pourquoi
/// Des standards ouverts garantissent l'accès sans logiciel propriétaire et dans la durée.
/// ## Exemple rempli
/// `https://`, `Content-Type: text/html; charset=utf-8`, `<!doctype html>`, documents en PDF ou ODT.
/// ## Exemple non rempli
/// Une page en `http://`, en ISO-8859-1, ou des formulaires proposés seulement en `.doc`.
/// ## Références
/// Cerfa numérique, critère 21 (principe 5) · RGI · extraction : `cerfa::misc`
pub(crate) struct OpenStandards;

impl CerfaCriterion for OpenStandards {
    fn number(&self) -> u8 {
        21
    }
    /// Judged from what the served page declares or references, not from its content.
    fn reads_page_content(&self) -> bool {
        false
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{verdict, Site, START};
    use crate::cerfa::PageEvidence;

    #[test]
    fn met_with_https_utf8_html5_and_open_formats() {
        let mut e = PageEvidence::default();
        e.misc.doctype_html5 = true;
        e.misc.open_documents = 1;
        e.misc.closed_documents = vec!["notice.doc".into()];
        let lines = verdict(
            &Site::new().with(START, e).measure(&OpenStandards),
            Status::Met,
            "HTTPS, UTF-8, HTML5 et formats ouverts.",
        );
        assert_eq!(
            lines,
            [
                "HTTPS oui ; encodage utf-8 ; doctype HTML5 oui — https://demarche.gouv.fr/",
                "document en format fermé : notice.doc — https://demarche.gouv.fr/"
            ]
        );
    }

    #[test]
    fn not_met_lists_every_problem() {
        let start = "http://demarche.gouv.fr/";
        let mut e = PageEvidence::default();
        e.misc.meta_charset = Some("iso-8859-1".into());
        e.misc.closed_documents = vec!["formulaire.doc".into()];
        let mut site = Site::at(start).with(start, e);
        site.pages[0].charset = None;
        let lines = verdict(
            &site.measure(&OpenStandards),
            Status::NotMet,
            "Standards ouverts non respectés : pas de HTTPS, encodage iso-8859-1 au lieu d'UTF-8, pas de doctype HTML5, documents proposés seulement en formats fermés.",
        );
        assert_eq!(
            lines[0],
            "HTTPS non ; encodage iso-8859-1 ; doctype HTML5 non — http://demarche.gouv.fr/"
        );
    }
}
