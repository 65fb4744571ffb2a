//! The CSS cascade a static auditor needs for contrast: author stylesheets and `style`
//! attributes, matched with the `selectors` machinery scraper uses, cascaded by origin,
//! layer, importance, specificity and order, with the inherited properties that matter
//! (colour, font size and weight, visibility) and the backgrounds found by walking
//! ancestors (alpha-composited over the white canvas).
//!
//! Computed once per page (`Cascaded::styles`, kept with the page), iteratively: no recursion
//! on DOM depth. The layer above the page model: it reads `page`, never the reverse.

mod cascade;
pub mod color;
pub mod media;
pub mod orientation;
pub mod select;
pub mod sheet;
pub mod spacing;
pub mod text;
pub mod values;
pub mod visibility;

pub use cascade::{Computed, PageStyles};
pub use color::{contrast_ratio, floor2, parse_color, ColorValue, Rgba};
pub use sheet::{CssRule, Declaration};
pub use visibility::Visibility;

use crate::page::{Derived, DerivedSlot, Page};

impl Derived for PageStyles {
    const SLOT: DerivedSlot = DerivedSlot::Styles;
}

/// The cascade of a page, computed on first use and kept with it for every rule.
pub trait Cascaded {
    /// Computed styles of every element (author stylesheets and `style` attributes).
    fn styles(&self) -> &PageStyles;
    /// Rendered / hidden from assistive technologies, per element, from the cascade and the
    /// markup (see [`visibility`]).
    fn visibility(&self) -> &Visibility;
}

impl Cascaded for Page {
    fn styles(&self) -> &PageStyles {
        self.derived(PageStyles::compute)
    }
    fn visibility(&self) -> &Visibility {
        self.derived(Visibility::compute)
    }
}

/// Large text per WCAG: at least 18 pt (24 px), or 14 pt (18.66 px) and bold.
pub fn is_large_text(font_size_px: f64, font_weight: u16) -> bool {
    font_size_px >= 24.0 || (font_size_px >= 18.66 && font_weight >= 700)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_text_thresholds() {
        assert!(is_large_text(24.0, 400));
        assert!(!is_large_text(23.9, 400));
        assert!(is_large_text(18.67, 700));
        assert!(!is_large_text(18.67, 600));
        assert!(!is_large_text(18.0, 700));
    }
}
