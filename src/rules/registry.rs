//! The one list of all rules. Adding a rule: its file (or family file), its fixtures, one line here.

use super::{
    forms, images, lang, links, mandatory, navigation, presentation, scripts, structure, title,
    Rule,
};

static RULES: &[&dyn Rule] = &[
    &lang::HtmlLangPresent,
    &lang::HtmlLang,
    &title::PageTitle,
    &title::PageTitleRelevant,
    &images::ImageAlt,
    &links::LinkName,
    &forms::FormFieldLabel,
    &scripts::ClickHandlerKeyboard,
    &scripts::AriaRoleValid,
    &scripts::AriaRequiredAttr,
    &scripts::AriaAttrValidValue,
    &scripts::AriaAttrAllowed,
    &scripts::AriaHiddenFocusable,
    &mandatory::Doctype,
    &mandatory::DuplicateId,
    &mandatory::ParseErrors,
    &mandatory::LangChangeValid,
    &mandatory::PresentationalMarkup,
    &mandatory::DirValid,
    &structure::HeadingHierarchy,
    &structure::HeadingNotEmpty,
    &structure::Landmarks,
    &structure::ListStructure,
    &presentation::PresentationalElements,
    &forms::ButtonName,
    &forms::AutocompleteValid,
    &forms::AutocompletePersonal,
    &forms::RequiredFieldIndicated,
    &navigation::SkipLink,
    &navigation::TabindexPositive,
];

/// Every rule, in a stable order.
pub fn all_rules() -> &'static [&'static dyn Rule] {
    RULES
}

/// Look a rule up by its id.
pub fn rule_by_id(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}
