//! Cerfa criterion 12.

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
