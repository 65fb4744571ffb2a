//! Cerfa criterion 12: FAQ or help, and field hints. Verdict, messages and tests.

use super::shared::{ev, m, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::{Evidence, Status};

/// ## Ce que le critère vérifie
/// Un lien vers une FAQ ou une aide sur les pages visitées et, quand il y a des formulaires, au moins
/// un champ avec une aide contextuelle (`aria-describedby`, `fr-hint-text`).
/// ## Pourquoi
/// L'usager bloqué doit trouver une réponse sans appeler, et comprendre ce qu'on attend de chaque champ.
/// ## Exemple rempli
/// Un lien « Aide » et `<span class="fr-hint-text">Format : jj/mm/aaaa</span>` sous un champ.
/// ## Exemple non rempli
/// Ni FAQ ni aide ; ou une aide, mais aucun champ de formulaire n'a d'indication.
/// ## Références
/// Cerfa numérique, critère 12 (principe 4) · RGAA 11.10 · extraction : `cerfa::contact`, `cerfa::misc`
pub(crate) struct Help;

impl CerfaCriterion for Help {
    fn number(&self) -> u8 {
        12
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{has, link, verdict, Site, START};
    use crate::cerfa::PageEvidence;

    fn page(help: bool, fields: usize, hints: usize) -> PageEvidence {
        let mut e = PageEvidence::default();
        if help {
            e.contact.help_links = vec![link("Aide", "https://demarche.gouv.fr/aide")];
        }
        e.misc.form.fields = fields;
        e.misc.form.fields_with_hint = hints;
        e
    }

    #[test]
    fn met_with_help_and_field_hints() {
        let site = Site::new().with(START, page(true, 4, 1));
        let e = verdict(
            &site.measure(&Help),
            Status::Met,
            "FAQ ou aide présente, aide contextuelle sur les champs.",
        );
        assert_eq!(
            e,
            [
                "lien d'aide « Aide » → https://demarche.gouv.fr/aide — https://demarche.gouv.fr/ — a",
                "4 champ(s) dont 1 avec une aide contextuelle — https://demarche.gouv.fr/"
            ]
        );
    }

    #[test]
    fn not_met_without_help_or_without_any_hint() {
        verdict(
            &Site::new().with(START, page(false, 0, 0)).measure(&Help),
            Status::NotMet,
            "Aucun lien vers une FAQ ou une aide.",
        );
        let e = verdict(
            &Site::new().with(START, page(true, 4, 0)).measure(&Help),
            Status::NotMet,
            "FAQ ou aide présente, mais aucun des 4 champ(s) de formulaire n'a d'aide contextuelle.",
        );
        has(&e, "4 champ(s) dont 0 avec une aide contextuelle");
    }
}
