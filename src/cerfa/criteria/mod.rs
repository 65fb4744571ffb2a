//! The measured Cerfa criteria, one per file, and their registry.
//!
//! Each criterion is a unit struct implementing [`CerfaCriterion`]: its verdict from the démarche's
//! evidence ([`Ctx`]), its messages, and a doc comment in fixed sections (Ce que le critère vérifie /
//! Pourquoi / Exemple rempli / Exemple non rempli / Références). The page evidence it reads is
//! extracted by topic in `cerfa::{footer, contact, misc, …}`, since one page fact serves several
//! criteria. Criteria that only the operator can answer (mode `declared` in
//! `criteria/cerfa-numerique.toml`) have no file. Adding a measured criterion: its file and one line
//! in [`MEASURED`].

mod shared;

mod c01_responsive;
mod c04_steps;
mod c07_acronyms;
mod c08_presentation;
mod c09_address;
mod c11_domain;
mod c12_help;
mod c13_contact;
mod c14_human;
mod c15_declaration;
mod c16_keyboard;
mod c17_contrast;
mod c18_markup;
mod c19_footer;
mod c20_dsfr;
mod c21_standards;
mod c23_personal_data;
mod c26_franceconnect;
mod c29_tracking;
mod c30_satisfaction;
mod c31_statistics;
mod c32_indexing;
mod c35_demonstration;

#[cfg(test)]
mod testing;

pub(crate) use shared::{m, Ctx, Measured};

/// One measured Cerfa criterion.
pub(crate) trait CerfaCriterion: Sync {
    /// Its number, 1 to 35, as in `criteria/cerfa-numerique.toml`.
    fn number(&self) -> u8;
    /// Whether the verdict needs at least one analysed HTML page (criterion 32 can conclude from
    /// robots.txt alone).
    fn needs_pages(&self) -> bool {
        true
    }
    /// Whether the verdict reads the findings of the RGAA rules that name this criterion in
    /// `RuleMeta::cerfa`.
    fn reads_rule_findings(&self) -> bool {
        false
    }
    /// Whether the verdict reads the pages' content (most do). On a page built by script, what
    /// the served HTML lacks is not concluded absent; criteria judged from elsewhere (the
    /// domain, robots.txt) say false.
    fn reads_page_content(&self) -> bool {
        true
    }
    /// The measured verdict, its one-sentence summary and its evidence.
    fn measure(&self, ctx: &Ctx<'_>) -> Measured;
}

/// Every measured criterion, in number order.
static MEASURED: &[&dyn CerfaCriterion] = &[
    &c01_responsive::Responsive,
    &c04_steps::Steps,
    &c07_acronyms::Acronyms,
    &c08_presentation::Presentation,
    &c09_address::AddressFields,
    &c11_domain::OfficialDomain,
    &c12_help::Help,
    &c13_contact::ContactChannels,
    &c14_human::HumanSupport,
    &c15_declaration::AccessibilityDeclaration,
    &c16_keyboard::Keyboard,
    &c17_contrast::Contrast,
    &c18_markup::Markup,
    &c19_footer::Footer,
    &c20_dsfr::Dsfr,
    &c21_standards::OpenStandards,
    &c23_personal_data::PersonalData,
    &c26_franceconnect::FranceConnect,
    &c29_tracking::Tracking,
    &c30_satisfaction::Satisfaction,
    &c31_statistics::Statistics,
    &c32_indexing::Indexing,
    &c35_demonstration::Demonstration,
];

/// Every measured criterion.
#[cfg(test)]
pub(crate) fn measured() -> &'static [&'static dyn CerfaCriterion] {
    MEASURED
}

/// The measured criterion with this number, if the machine checks it.
pub(crate) fn measured_criterion(number: u8) -> Option<&'static dyn CerfaCriterion> {
    MEASURED.iter().copied().find(|c| c.number() == number)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::cerfa::data::{criteria, Mode};
    use crate::rules::all_rules;

    #[test]
    fn registry_measures_exactly_the_criteria_not_declared() {
        let numbers: Vec<u8> = measured().iter().map(|c| c.number()).collect();
        let mut sorted = numbers.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(numbers, sorted, "registry in number order, no duplicate");
        let data = criteria();
        assert_eq!(data.criteria.len(), 35);
        for def in &data.criteria {
            let in_registry = measured_criterion(def.number).is_some();
            assert_eq!(
                in_registry,
                def.mode != Mode::Declared,
                "criterion {} is {:?} but registry says measured={in_registry}",
                def.number,
                def.mode
            );
        }
        assert_eq!(numbers.len(), 23);
        let only_pages_free: Vec<u8> = measured()
            .iter()
            .filter(|c| !c.needs_pages())
            .map(|c| c.number())
            .collect();
        assert_eq!(only_pages_free, [32]);
    }

    /// The rule↔criterion mapping is held once, in `RuleMeta::cerfa`: every criterion a rule names
    /// exists and is measured, and every criterion whose verdict reads rule findings is named by
    /// at least one rule (else its verdict could never see a failure).
    #[test]
    fn rules_and_cerfa_criteria_agree() {
        let data = criteria();
        let mut named: BTreeSet<u8> = BTreeSet::new();
        for rule in all_rules() {
            let m = rule.meta();
            for n in m.cerfa {
                let def = data.criteria.iter().find(|c| c.number == *n);
                assert!(def.is_some(), "{}: unknown Cerfa criterion {n}", m.id);
                assert!(
                    measured_criterion(*n).is_some(),
                    "{}: Cerfa criterion {n} is declared, no rule can feed it",
                    m.id
                );
                named.insert(*n);
            }
        }
        for c in measured().iter().filter(|c| c.reads_rule_findings()) {
            assert!(
                named.contains(&c.number()),
                "criterion {} reads rule findings but no rule names it",
                c.number()
            );
        }
        let readers: Vec<u8> = measured()
            .iter()
            .filter(|c| c.reads_rule_findings())
            .map(|c| c.number())
            .collect();
        assert_eq!(readers, [16, 17]);
        assert!(all_rules()
            .iter()
            .any(|r| r.meta().id == "color-contrast" && r.meta().cerfa == [17]));
    }

    /// Each criterion file carries the five doc sections, in order.
    #[test]
    fn each_criterion_file_has_the_doc_sections() {
        const SECTIONS: [&str; 5] = [
            "/// ## Ce que le critère vérifie",
            "/// ## Pourquoi",
            "/// ## Exemple rempli",
            "/// ## Exemple non rempli",
            "/// ## Références",
        ];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cerfa/criteria");
        let mut files = 0;
        for entry in std::fs::read_dir(&dir).expect("criteria dir") {
            let path = entry.expect("entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if !name.starts_with('c') || !name.ends_with(".rs") {
                continue;
            }
            files += 1;
            let number: u8 = name[1..3].parse().expect("cNN_ file name");
            assert!(
                measured_criterion(number).is_some(),
                "{name} not in registry"
            );
            let text = std::fs::read_to_string(&path).expect("read");
            let mut at = 0;
            for s in SECTIONS {
                let found = text[at..].find(s);
                assert!(
                    found.is_some(),
                    "{name}: section {s} missing or out of order"
                );
                at += found.unwrap_or(0) + s.len();
            }
            assert!(text.contains("#[cfg(test)]"), "{name}: no tests");
        }
        assert_eq!(files, measured().len());
    }
}
