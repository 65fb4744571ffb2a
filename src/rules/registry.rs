//! The one list of all rules. Adding a rule: its file (or family file), its fixtures, one line here.

use super::{
    aria_structure, colors, colors_info, consultation, css_presentation, forms, frames, images,
    lang, links, mandatory, media, navigation, orientation, presentation, scripts, structure,
    tables, title, Rule,
};

static RULES: &[&dyn Rule] = &[
    &lang::HtmlLangPresent,
    &lang::HtmlHasLang,
    &lang::HtmlLang,
    &lang::HtmlLangBcp47,
    &title::PageTitle,
    &title::PageTitleRelevant,
    &images::ImageAlt,
    &links::LinkName,
    &forms::FormFieldLabel,
    &images::ImageButtonAlt,
    &images::AreaAlt,
    &images::SvgImageAlt,
    &images::ObjectAlt,
    &images::EmbedCanvasAlt,
    &images::DecorativeNotExposed,
    &images::ImageAltSuspicious,
    &frames::FrameTitle,
    &frames::FrameTitleRelevant,
    &colors_info::ColourOnlyInfo,
    &media::VideoCaptions,
    &media::MediaAutoplay,
    &tables::LayoutTableStructure,
    &tables::TableHeadersAttr,
    &tables::DataTableHeaders,
    &tables::TableHeaderHasCells,
    &links::LinkGenericText,
    &links::LinkNameContainsText,
    &consultation::MetaRefresh,
    &consultation::MetaRedirectLongDelay,
    &consultation::BlinkMarquee,
    &consultation::DownloadLinkInfo,
    &consultation::NoPopupOnLoad,
    &scripts::ClickHandlerKeyboard,
    &scripts::AriaRoleValid,
    &scripts::AriaRequiredAttr,
    &scripts::AriaAttrValidValue,
    &scripts::AriaAttrAllowed,
    &scripts::PresentationalChildrenFocusable,
    &scripts::AriaHiddenFocusable,
    &scripts::AriaWidgetName,
    &aria_structure::AriaRequiredContext,
    &mandatory::Doctype,
    &mandatory::DuplicateId,
    &mandatory::ParseErrors,
    &mandatory::LangChangeValid,
    &mandatory::LangChangeBcp47,
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
    &navigation::FrameTabOrder,
    &navigation::AccesskeyUnique,
    &colors::ColorContrast,
    &css_presentation::FocusVisibleOutline,
    &css_presentation::MetaViewportZoom,
    &css_presentation::LetterSpacingAdjustable,
    &css_presentation::WordSpacingAdjustable,
    &css_presentation::LineHeightAdjustable,
    &orientation::OrientationNotLocked,
    &colors::ColorContrastEnhanced,
];

/// Every rule, in a stable order.
pub fn all_rules() -> &'static [&'static dyn Rule] {
    RULES
}

/// Look a rule up by its id.
pub fn rule_by_id(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}
