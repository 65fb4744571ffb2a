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
