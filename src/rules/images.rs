//! Text alternatives of images (RGAA 1.1, 1.2; WCAG 1.1.1).

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::{accessible_name, is_hidden_from_at, role_of};
use crate::page::Page;

/// ## Ce que la règle vérifie
/// Chaque image `<img>` (ou élément `role="img"`) exposée aux technologies d'assistance a une
/// alternative textuelle (`alt`, `aria-label`, `aria-labelledby`, `title`), ou est explicitement
/// décorative (`alt=""`, `role="presentation"`/`none`, `aria-hidden="true"`).
/// ## Pourquoi
/// Sans alternative, un lecteur d'écran annonce le nom du fichier ou rien du tout.
/// ## Exemple en échec
/// `<img src="logo-caf.png">`
/// ## Exemple conforme
/// `<img src="logo-caf.png" alt="Caf - Allocations familiales">` ou `<img src="filet.png" alt="">`
/// ## Références
/// RGAA 1.1.1, 1.2.1 · WCAG 1.1.1 · ACT 23a2a8
pub struct ImageAlt;

static IMAGE_ALT: RuleMeta = RuleMeta {
    id: "image-alt",
    title: "Image avec alternative textuelle",
    description: "Chaque image exposée aux technologies d'assistance a une alternative textuelle ou est marquée décorative.",
    rgaa: &["1.1.1", "1.2.1"],
    wcag: &["1.1.1"],
    act: &["23a2a8"],
    cerfa: &[],
};

impl Rule for ImageAlt {
    fn meta(&self) -> &'static RuleMeta {
        &IMAGE_ALT
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("img, [role~=img]") {
            if is_hidden_from_at(el) {
                continue;
            }
            let e = el.value();
            let role = role_of(el).unwrap_or_default();
            if e.name() == "img" && matches!(role.as_str(), "presentation" | "none") {
                r.pass(
                    el,
                    "Image décorative (alternative vide ou rôle de présentation).",
                );
                continue;
            }
            if e.name() == "img"
                && e.attr("alt").is_some()
                && e.attr("alt").map(str::trim) == Some("")
                && e.attr("aria-label").is_none()
                && e.attr("aria-labelledby").is_none()
            {
                r.pass(el, "Image décorative (alt vide).");
                continue;
            }
            let name = accessible_name(page, el);
            if name.is_empty() {
                r.fail(el, "Image sans alternative textuelle : ajouter un attribut alt (vide si l'image est décorative).");
            } else {
                r.pass(el, format!("Alternative : « {name} »."));
            }
        }
        r.finish("")
    }
}
