//! Text alternatives of images (RGAA 1.1, 1.2; WCAG 1.1.1).

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::{
    accessible_name, global_aria_attrs, is_focusable, is_hidden_from_at,
    presentational_role_applies, role_of,
};
use crate::page::Attribute;
use crate::page::{has_text, normalize_space, normalized_text_of, ElementRef, Page};

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
    wcag: refs!["1.1.1"],
    act: refs!["23a2a8"],
    cerfa: &[],
};

impl Rule for ImageAlt {
    fn meta(&self) -> &'static RuleMeta {
        &IMAGE_ALT
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("img, [role~=img]") {
            if is_hidden_from_at(page, el) {
                continue;
            }
            let e = el.value();
            let role = role_of(el).unwrap_or_default();
            // A presentational role is ignored on focusable elements or with global ARIA
            // attributes (then the image is exposed and needs a name).
            if e.name() == "img"
                && matches!(&*role, "presentation" | "none")
                && presentational_role_applies(el)
            {
                r.pass(
                    el,
                    "Image décorative (alternative vide ou rôle de présentation).",
                );
                continue;
            }
            // Only an exactly empty alt marks decoration: alt=" " is not empty.
            if e.name() == "img"
                && e.attribute("alt") == Some("")
                && presentational_role_applies(el)
            {
                r.pass(el, "Image décorative (alt vide).");
                continue;
            }
            let name = accessible_name(page, el);
            if name.is_empty() {
                r.fail(el, "Image sans alternative textuelle : ajouter un attribut alt (vide si l'image est décorative).");
            } else {
                r.pass(el, format_args!("Alternative : « {name} »."));
            }
        }
        r.finish("")
    }
}

/// ## Ce que la règle vérifie
/// Chaque bouton image `<input type="image">` exposé aux technologies d'assistance a un nom
/// accessible non vide : `alt`, `aria-label`, `aria-labelledby` ou `title`. Un bouton image
/// nommé seulement par un `<label>` (que les navigateurs restituent, HTML-AAM) est « à
/// vérifier » : le glossaire RGAA « Alternative textuelle (image) » ne le cite pas mais retient
/// ce que les technologies d'assistance restituent réellement. Décide la présence de
/// l'alternative (test 1.1.3) ; sa pertinence (1.3.3) reste à juger par un humain.
/// ## Pourquoi
/// Sans alternative, le bouton est annoncé « bouton » sans dire ce qu'il fait.
/// ## Exemple en échec
/// `<input type="image" src="loupe.png">`
/// ## Exemple conforme
/// `<input type="image" src="loupe.png" alt="Rechercher">`
/// ## Références
/// RGAA 1.1.3 · WCAG 1.1.1, 4.1.2 · ACT 59796f
pub struct ImageButtonAlt;

static IMAGE_BUTTON_ALT: RuleMeta = RuleMeta {
    id: "image-button-alt",
    title: "Bouton image avec alternative",
    description: "Chaque bouton image (input type=image) a une alternative textuelle non vide.",
    rgaa: &["1.1.3"],
    wcag: refs!["1.1.1", "4.1.2"],
    act: refs!["59796f"],
    cerfa: &[16],
};

impl Rule for ImageButtonAlt {
    fn meta(&self) -> &'static RuleMeta {
        &IMAGE_BUTTON_ALT
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("input[type=image i]") {
            if is_hidden_from_at(page, el) {
                continue;
            }
            let name = accessible_name(page, el);
            if name.is_empty() {
                r.fail(
                    el,
                    "Bouton image sans alternative : ajouter un attribut alt décrivant l'action.",
                );
            } else if crate::a11y::accname::named_only_by_label(page, el) {
                r.cant_tell(el, format!("Bouton image nommé seulement par un <label> (« {name} ») : les navigateurs le restituent, mais l'alternative textuelle RGAA est aria-labelledby, aria-label, alt ou title ; vérifier la restitution, ou ajouter un alt."));
            } else {
                r.pass(el, format_args!("Alternative : « {name} »."));
            }
        }
        r.finish("Aucun bouton image sur la page.")
    }
}

/// ## Ce que la règle vérifie
/// Chaque zone cliquable `<area href>` d'une image réactive a une alternative non vide (`alt`,
/// `aria-label`, `aria-labelledby`).
/// ## Pourquoi
/// Chaque zone est un lien : sans alternative, sa destination est inconnue.
/// ## Exemple en échec
/// `<area href="/paris" shape="rect" coords="0,0,10,10">`
/// ## Exemple conforme
/// `<area href="/paris" shape="rect" coords="0,0,10,10" alt="Paris">`
/// ## Références
/// RGAA 1.1.2 · WCAG 1.1.1, 2.4.4
pub struct AreaAlt;

static AREA_ALT: RuleMeta = RuleMeta {
    id: "area-alt",
    title: "Zone d'image réactive avec alternative",
    description:
        "Chaque zone cliquable (area avec href) d'une image réactive a une alternative textuelle.",
    rgaa: &["1.1.2"],
    wcag: refs!["1.1.1", "2.4.4"],
    act: refs![],
    cerfa: &[16],
};

impl Rule for AreaAlt {
    fn meta(&self) -> &'static RuleMeta {
        &AREA_ALT
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("area[href]") {
            if is_hidden_from_at(page, el) {
                continue;
            }
            let e = el.value();
            // The title attribute alone is not an alternative for an area (RGAA 1.1.2).
            let mut name = e.attribute("alt").map(normalize_space).unwrap_or_default();
            if name.is_empty()
                && (e.attribute("aria-label").is_some() || e.attribute("aria-labelledby").is_some())
            {
                name = accessible_name(page, el).to_string();
            }
            if name.is_empty() {
                r.fail(
                    el,
                    "Zone cliquable sans alternative : ajouter un attribut alt.",
                );
            } else {
                r.pass(el, format_args!("Alternative : « {name} »."));
            }
        }
        r.finish("Aucune zone cliquable d'image réactive.")
    }
}

/// Explicit roles that make an SVG element an image (`img` and the ARIA graphics roles that
/// need a name; `graphics-object` is a group and does not).
fn is_svg_image_role(role: &str) -> bool {
    matches!(role, "img" | "graphics-document" | "graphics-symbol")
}

fn svg_title(el: ElementRef<'_>) -> String {
    el.children()
        .filter_map(ElementRef::wrap)
        .find(|c| c.value().name() == "title")
        .map(|t| normalize_space(&t.text().collect::<String>()))
        .unwrap_or_default()
}

/// ## Ce que la règle vérifie
/// Chaque élément SVG porteur d'un rôle d'image explicite (`role="img"`, `graphics-document`,
/// `graphics-symbol`) a un nom accessible : `aria-label`, `aria-labelledby` ou un élément
/// `<title>` enfant. Le texte `<text>` d'un SVG de rôle `img` ne compte pas.
/// ## Pourquoi
/// Un SVG informatif sans nom est annoncé « image » sans contenu.
/// ## Exemple en échec
/// `<svg role="img"><circle r="40"/></svg>`
/// ## Exemple conforme
/// `<svg role="img"><title>Un cercle</title><circle r="40"/></svg>`
/// ## Références
/// RGAA 1.1.5 · WCAG 1.1.1 · ACT 7d6734
pub struct SvgImageAlt;

static SVG_IMAGE_ALT: RuleMeta = RuleMeta {
    id: "svg-image-alt",
    title: "Image vectorielle avec alternative",
    description: "Chaque SVG de rôle image (img, graphics-*) a un nom accessible (aria-label, aria-labelledby ou title).",
    rgaa: &["1.1.5"],
    wcag: refs!["1.1.1"],
    act: refs!["7d6734"],
    cerfa: &[16],
};

impl Rule for SvgImageAlt {
    fn meta(&self) -> &'static RuleMeta {
        &SVG_IMAGE_ALT
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("svg[role], svg [role]") {
            let role = role_of(el).unwrap_or_default();
            if !is_svg_image_role(&role) || is_hidden_from_at(page, el) {
                continue;
            }
            let e = el.value();
            let mut name = String::new();
            if e.attribute("aria-labelledby").is_some() || e.attribute("aria-label").is_some() {
                name = accessible_name(page, el).to_string();
            }
            if name.is_empty() {
                name = svg_title(el);
            }
            if name.is_empty() && e.attribute("title").is_some_and(|t| !t.trim().is_empty()) {
                // SVG-AAM names an SVG element from a <title> child, not a title attribute;
                // browsers differ on the attribute.
                r.cant_tell(
                    el,
                    format!("SVG de rôle « {role} » nommé seulement par un attribut title, que SVG-AAM ne compte pas (les navigateurs divergent) : préférer un <title> enfant ou un aria-label."),
                );
            } else if name.is_empty() {
                r.fail(
                    el,
                    format!(
                        "SVG de rôle « {role} » sans nom : ajouter un <title> ou un aria-label."
                    ),
                );
            } else {
                r.pass(el, format_args!("Alternative : « {name} »."));
            }
        }
        r.finish("Aucun SVG de rôle image.")
    }
}

/// What an `<object>` or `<embed>` renders, from its `type` or the extension of its URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Embedded {
    Image,
    Audio,
    Video,
    /// A page, a document or a plugin: other criteria (frames, 4.x, 13.x).
    Other,
    Unknown,
}

fn embedded_kind(type_attr: Option<&str>, url: Option<&str>) -> Embedded {
    if let Some(t) = type_attr {
        let t = t.trim().to_ascii_lowercase();
        if t.starts_with("image/") {
            return Embedded::Image;
        }
        if t.starts_with("audio/") {
            return Embedded::Audio;
        }
        if t.starts_with("video/") {
            return Embedded::Video;
        }
        if !t.is_empty() {
            return Embedded::Other;
        }
    }
    let Some(url) = url else {
        return Embedded::Unknown;
    };
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let ext = path
        .rsplit('/')
        .next()
        .and_then(|l| l.rsplit_once('.'))
        .map(|(_, e)| e.to_string());
    match ext.as_deref() {
        Some("png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" | "bmp" | "avif" | "ico") => {
            Embedded::Image
        }
        Some("mp3" | "wav" | "ogg" | "oga" | "m4a" | "aac" | "flac" | "opus") => Embedded::Audio,
        Some("mp4" | "webm" | "ogv" | "mov" | "avi" | "m4v" | "mkv") => Embedded::Video,
        Some("html" | "htm" | "php" | "pdf" | "swf" | "xhtml" | "txt") => Embedded::Other,
        _ => Embedded::Unknown,
    }
}

/// Name of an object/embed from ARIA attributes and `title` only (fallback content and `alt`
/// do not name them).
fn aria_or_title_name(page: &Page, el: ElementRef<'_>) -> String {
    let e = el.value();
    if let Some(ids) = e.attribute("aria-labelledby") {
        let mut parts = Vec::new();
        for id in ids.split_ascii_whitespace() {
            if let Some(t) = page.element_by_id(id) {
                parts.push(crate::page::text_of(t));
            }
        }
        let n = normalize_space(&parts.join(" "));
        if !n.is_empty() {
            return n;
        }
    }
    for attr in ["aria-label", "title"] {
        let n = e.attribute(attr).map(normalize_space).unwrap_or_default();
        if !n.is_empty() {
            return n;
        }
    }
    String::new()
}

/// ## Ce que la règle vérifie
/// Chaque `<object>` qui affiche une image, un son ou une vidéo, exposé aux technologies
/// d'assistance, a un nom accessible (`aria-label`, `aria-labelledby`, `title`). Le contenu de
/// repli et l'attribut `alt` ne nomment pas l'objet. Si le type de la ressource est inconnu,
/// la règle est « à vérifier ». Le rôle décide : `role="img"` en fait une image, quel que soit
/// son contenu, qui doit être nommée ; `role="presentation"`/`none` la retire de l'arbre
/// d'accessibilité (non concernée) ; un autre rôle relève des règles de ce rôle. Décide la
/// présence de l'alternative (test 1.1.6, première condition) ; le lien adjacent ou le
/// mécanisme de remplacement (autres conditions) et le caractère informatif de l'image restent
/// à juger par un humain.
/// ## Pourquoi
/// Un objet sans nom est annoncé sans que l'utilisateur sache ce qu'il contient.
/// ## Exemple en échec
/// `<object data="carte.png"></object>`
/// ## Exemple conforme
/// `<object data="carte.png" aria-label="Carte des agences"></object>`
/// ## Références
/// RGAA 1.1.6 · WCAG 1.1.1 · ACT 8fc3b6
pub struct ObjectAlt;

static OBJECT_ALT: RuleMeta = RuleMeta {
    id: "object-alt",
    title: "Objet média avec alternative",
    description: "Chaque <object> affichant une image, un son ou une vidéo a un nom accessible.",
    rgaa: &["1.1.6"],
    wcag: refs!["1.1.1"],
    act: refs!["8fc3b6"],
    cerfa: &[16],
};

impl Rule for ObjectAlt {
    fn meta(&self) -> &'static RuleMeta {
        &OBJECT_ALT
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("object") {
            if is_hidden_from_at(page, el) {
                continue;
            }
            let e = el.value();
            // The role decides: role="img" makes the object an image whatever it embeds (RGAA
            // 1.1.6 asks for it); a presentational role takes it out of the tree; any other
            // role is judged by the rules of that role.
            let as_image = match e.attribute("role") {
                None => false,
                Some(_) => match crate::a11y::resolved_role(el).as_deref() {
                    Some("img") => true,
                    _ => continue,
                },
            };
            let kind = match embedded_kind(e.attribute("type"), e.attribute("data")) {
                _ if as_image => Embedded::Image,
                Embedded::Other => continue,
                k => k,
            };
            let name = aria_or_title_name(page, el);
            match (kind, name.is_empty()) {
                (_, false) => r.pass(el, format_args!("Alternative : « {name} ».")),
                (Embedded::Unknown, true) => r.cant_tell(
                    el,
                    "Objet sans nom dont le type de contenu est inconnu : vérifier s'il affiche une image ou un média.",
                ),
                (_, true) => r.fail(
                    el,
                    "Objet (image, son ou vidéo) sans nom : ajouter un aria-label ou un title (le contenu de repli ne suffit pas).",
                ),
            }
        }
        r.finish("Aucun objet image ou média.")
    }
}

/// ## Ce que la règle vérifie
/// Chaque `<embed>` d'image et chaque `<canvas>` exposé aux technologies d'assistance a une
/// alternative (`aria-label`, `aria-labelledby`, `title`, ou texte de repli pour `canvas`).
/// Un `embed` d'image sans alternative est en échec ; un `canvas` sans alternative peut être
/// décoratif (RGAA 1.2.5) : il est « à vérifier ».
/// ## Pourquoi
/// Le contenu dessiné ou embarqué n'a aucun texte propre.
/// ## Exemple en échec
/// `<embed type="image/svg+xml" src="schema.svg">`
/// ## Exemple conforme
/// `<canvas aria-label="Graphique des délais">…</canvas>`
/// ## Références
/// RGAA 1.1.7, 1.1.8, 1.2.5, 1.2.6 · WCAG 1.1.1
pub struct EmbedCanvasAlt;

static EMBED_CANVAS_ALT: RuleMeta = RuleMeta {
    id: "embed-canvas-alt",
    title: "Image embarquée ou canvas avec alternative",
    description:
        "Chaque embed d'image et chaque canvas a une alternative, ou est masqué s'il est décoratif.",
    rgaa: &["1.1.7", "1.1.8", "1.2.5", "1.2.6"],
    wcag: refs!["1.1.1"],
    act: refs![],
    cerfa: &[16],
};

impl Rule for EmbedCanvasAlt {
    fn meta(&self) -> &'static RuleMeta {
        &EMBED_CANVAS_ALT
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("embed, canvas") {
            if is_hidden_from_at(page, el) {
                continue;
            }
            let e = el.value();
            if matches!(
                e.attribute("role").map(str::trim),
                Some("presentation" | "none")
            ) {
                continue;
            }
            let mut name = aria_or_title_name(page, el);
            if e.name() == "canvas" {
                if name.is_empty() {
                    name = normalized_text_of(el);
                }
                if name.is_empty() {
                    r.cant_tell(el, "Canvas sans alternative : s'il est informatif, ajouter un aria-label ou un texte de repli ; s'il est décoratif, aria-hidden=\"true\".");
                } else {
                    r.pass(el, format_args!("Alternative : « {name} »."));
                }
                continue;
            }
            match embedded_kind(e.attribute("type"), e.attribute("src")) {
                Embedded::Image if name.is_empty() => r.fail(el, "Image embarquée (embed) sans alternative : ajouter un aria-label, ou aria-hidden=\"true\" si elle est décorative."),
                Embedded::Image => r.pass(el, format_args!("Alternative : « {name} ».")),
                Embedded::Unknown if name.is_empty() => r.cant_tell(el, "Élément embed sans nom et de type inconnu : vérifier s'il affiche une image."),
                _ => {}
            }
        }
        r.finish("Aucun embed d'image ni canvas.")
    }
}

/// ## Ce que la règle vérifie
/// Un élément marqué décoratif (`role="presentation"`/`none`, ou `<img alt="">`) n'est pas
/// exposé aux technologies d'assistance : il ne doit être ni focalisable ni porteur d'un
/// attribut ARIA global (`aria-label`, `aria-labelledby`, `aria-describedby`…), sinon le rôle
/// décoratif est ignoré (ACT 46ca7f : échec). Une image `alt=""` avec un `title` est « à
/// vérifier » (décorative, elle ne doit pas avoir de title ; informative, son alt ne doit pas
/// être vide).
///
/// RGAA et ACT divergent ici, et chacun garde son verdict : le test 1.2.1 accepte une image
/// `role="presentation"` sans autre condition, et une image `alt=""` nommée par `aria-label`
/// est conforme si elle est porteuse d'information (critère 1.1). L'échec ACT ne cite donc
/// aucun test RGAA ; pour une image, le test 1.2.x de son type est « à vérifier » (un humain
/// juge si elle est décorative). Un élément qui n'est pas une image (`<nav role="none"
/// aria-label>`) ne relève pas du critère 1.2.
/// ## Pourquoi
/// Une image « décorative » qui garde un nom est annoncée : l'intention de l'auteur est trahie.
/// ## Exemple en échec
/// `<img src="filet.png" alt="" aria-label="Filet">` (ACT ; RGAA 1.2.1 à vérifier)
/// ## Exemple conforme
/// `<img src="filet.png" alt="">`
/// ## Références
/// RGAA 1.2.1 à 1.2.6 (à vérifier) · WCAG 1.1.1, 4.1.2 · ACT 46ca7f
pub struct DecorativeNotExposed;

static DECORATIVE_NOT_EXPOSED: RuleMeta = RuleMeta {
    id: "decorative-not-exposed",
    title: "Élément décoratif non restitué",
    description: "Un élément marqué décoratif (alt vide, role=presentation/none) n'est ni focalisable ni nommé par ARIA.",
    rgaa: &["1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5", "1.2.6"],
    wcag: refs!["1.1.1", "4.1.2"],
    act: refs!["46ca7f"],
    cerfa: &[16],
};

impl Rule for DecorativeNotExposed {
    fn meta(&self) -> &'static RuleMeta {
        &DECORATIVE_NOT_EXPOSED
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("[role], img[alt='']") {
            let e = el.value();
            let explicit = e
                .attribute("role")
                .and_then(|v| v.split_ascii_whitespace().next())
                .map(|v| v.to_ascii_lowercase());
            let decorative = match explicit.as_deref() {
                Some("presentation" | "none") => true,
                Some(_) => false,
                None => e.name() == "img" && e.attribute("alt") == Some(""),
            };
            if !decorative || is_hidden_from_at(page, el) {
                continue;
            }
            let globals = global_aria_attrs(el);
            let exposed = if is_focusable(el) {
                Some("focalisable".to_string())
            } else if !globals.is_empty() {
                Some(format!("porteur de {}", globals.join(", ")))
            } else {
                None
            };
            if let Some(why) = exposed {
                // ACT's verdict, citing no RGAA test; RGAA's own is the image's test, undecided.
                r.fail_tests(el, &[], format!("Élément marqué décoratif mais {why} : le rôle décoratif est ignoré et l'élément reste restitué."));
                if let Some(test) = decorative_image_test(e) {
                    r.cant_tell_tests(el, &[test], format!("Image marquée décorative mais {why} : décorative, elle doit être ignorée (test {test}) ; porteuse d'information, son alternative relève du critère 1.1 — à vérifier."));
                }
            } else if e.name() == "img"
                && e.attribute("title")
                    .map(|t| !t.trim().is_empty())
                    .unwrap_or(false)
            {
                r.cant_tell(el, "Image à alternative vide avec un attribut title : décorative, retirer le title ; informative, renseigner l'alt.");
            } else {
                r.pass(el, "Élément décoratif non restitué.");
            }
        }
        r.finish("Aucun élément marqué décoratif.")
    }
}

/// ## Ce que la règle vérifie
/// Une image masquée par `aria-hidden="true"` sur elle-même — la façon, pour le RGAA, de
/// marquer décorative une image vectorielle, objet, bitmap ou embarquée — ne garde aucune
/// alternative : `<svg>` sans `<title>` ni `<desc>` non vides, sans `title`, `aria-label` ni
/// `aria-labelledby` non vides sur lui ou ses enfants (1.2.4) ; `<canvas>` sans alternative ni
/// texte entre ses balises (1.2.5) ; `<object type="image/…">` sans alternative ni texte de
/// repli (1.2.3) ; `<embed>` d'image sans alternative (1.2.6). Décorative, l'image ne doit rien
/// garder (le titre d'un svg s'affiche en infobulle au survol) ; si elle était porteuse
/// d'information, c'est `aria-hidden` qui serait fautif (critère 1.1) : une image masquée qui
/// garde une alternative est en échec dans les deux cas. L'échec cite le test 1.2.x que son
/// marquage désigne. Une image masquée par un parent n'est pas concernée.
/// ## Pourquoi
/// L'alternative d'une image masquée n'est jamais restituée : soit elle est superflue et
/// s'affiche quand même (infobulle), soit l'information est perdue pour les lecteurs d'écran.
/// ## Exemple en échec
/// `<svg aria-hidden="true"><title>Fermer</title>…</svg>`
/// ## Exemple conforme
/// `<svg aria-hidden="true" focusable="false">…</svg>`
/// ## Références
/// RGAA 1.2.3, 1.2.4, 1.2.5, 1.2.6 · WCAG 1.1.1
pub struct HiddenImageAlternative;

static HIDDEN_IMAGE_ALTERNATIVE: RuleMeta = RuleMeta {
    id: "hidden-image-alternative",
    title: "Image décorative masquée sans alternative",
    description: "Une image svg, canvas, objet ou embarquée masquée par aria-hidden ne garde ni alternative ni texte.",
    rgaa: &["1.2.3", "1.2.4", "1.2.5", "1.2.6"],
    wcag: refs!["1.1.1"],
    act: refs![],
    cerfa: &[16],
};

/// A non-empty text alternative an attribute gives (`aria-labelledby` resolved).
fn alternative_attribute(page: &Page, el: ElementRef<'_>) -> Option<String> {
    let name = aria_or_title_name(page, el);
    (!name.is_empty()).then_some(name)
}

/// What a canvas or an object keeps: an alternative attribute, else its fallback text.
fn alternative_or_fallback(page: &Page, el: ElementRef<'_>) -> Option<String> {
    alternative_attribute(page, el)
        .map(|a| format!("alternative « {a} »"))
        .or_else(|| {
            let fallback = normalized_text_of(el);
            (!fallback.is_empty()).then(|| format!("texte « {fallback} »"))
        })
}

impl Rule for HiddenImageAlternative {
    fn meta(&self) -> &'static RuleMeta {
        &HIDDEN_IMAGE_ALTERNATIVE
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select(
            "svg[aria-hidden], canvas[aria-hidden], object[aria-hidden], embed[aria-hidden]",
        ) {
            let e = el.value();
            if !e
                .attribute("aria-hidden")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
                || outside_criterion_1_2(el)
            {
                continue;
            }
            let (test, kept) = match e.name() {
                "svg" => {
                    let inner = el
                        .descendants()
                        .filter_map(ElementRef::wrap)
                        .find_map(|d| match d.value().name() {
                            "title" | "desc" => {
                                let t = normalized_text_of(d);
                                (!t.is_empty()).then(|| format!("<{}> « {t} »", d.value().name()))
                            }
                            _ => alternative_attribute(page, d)
                                .map(|a| format!("alternative « {a} »")),
                        });
                    ("1.2.4", inner)
                }
                "canvas" => ("1.2.5", alternative_or_fallback(page, el)),
                "object" => {
                    if embedded_kind(e.attribute("type"), e.attribute("data")) != Embedded::Image {
                        continue;
                    }
                    ("1.2.3", alternative_or_fallback(page, el))
                }
                _ => {
                    if embedded_kind(e.attribute("type"), e.attribute("src")) != Embedded::Image {
                        continue;
                    }
                    (
                        "1.2.6",
                        alternative_attribute(page, el).map(|a| format!("alternative « {a} »")),
                    )
                }
            };
            match kept {
                // A CAPTCHA is never decorative (criterion 1.4, not 1.2).
                Some(what) if what.to_lowercase().contains("captcha") => {}
                Some(what) => r.fail_tests(
                    el,
                    &[test],
                    format!("Image masquée par aria-hidden qui garde une {what} : décorative, la retirer ; porteuse d'information, retirer aria-hidden."),
                ),
                None => {
                    r.pass(el, "Image masquée sans alternative.");
                    r.with_tests(&[test]);
                }
            }
        }
        r.finish("Aucune image svg, canvas, objet ou embarquée masquée par aria-hidden.")
    }
}

/// Whether criterion 1.2 leaves this image out: an image with a caption (a `figure` with a
/// non-empty `figcaption`, RGAA's technical note) or inside a link or a button (its content
/// names the control).
fn outside_criterion_1_2(el: ElementRef<'_>) -> bool {
    el.ancestors().filter_map(ElementRef::wrap).any(|a| {
        matches!(role_of(a).as_deref(), Some("link" | "button"))
            || (a.value().name() == "figure"
                && a.children()
                    .filter_map(ElementRef::wrap)
                    .any(|c| c.value().name() == "figcaption" && has_text(c)))
    })
}

/// The RGAA 1.2 test for a decorative image of this element type (`img`, `area`, `object`,
/// `svg`, `canvas`, `embed`); other elements are not images for RGAA.
fn decorative_image_test(e: &scraper::node::Element) -> Option<&'static str> {
    match e.name() {
        "img" => Some("1.2.1"),
        "area" if e.attribute("href").is_none() => Some("1.2.2"),
        "object" => Some("1.2.3"),
        "svg" => Some("1.2.4"),
        "canvas" => Some("1.2.5"),
        "embed" => Some("1.2.6"),
        _ => None,
    }
}

/// Generic words that never describe an image on their own.
const GENERIC_ALTS: &[&str] = &[
    "image",
    "img",
    "photo",
    "picture",
    "logo",
    "icone",
    "icône",
    "icon",
    "illustration",
    "graphique",
    "visuel",
    "banner",
    "bannière",
    "banniere",
    "dessin",
    "spacer",
    "alt",
    "sans titre",
    "untitled",
    "null",
    "undefined",
    "vide",
];

/// Longer alternatives are suspicious: a long description belongs elsewhere (RGAA 1.3.9).
const MAX_ALT_CHARS: usize = 150;

/// Why an alternative looks wrong, if it does.
fn suspicious_alt(alt: &str, src: Option<&str>) -> Option<String> {
    let a = normalize_space(alt);
    let lower = a.to_lowercase();
    if crate::a11y::relevance::has_no_word(&a) {
        // Not failed: an image of a symbol may carry just that symbol (an asterisk).
        return Some(format!(
            "alternative « {a} » sans lettre ni chiffre : un symbole pris littéralement n'exprime pas forcément l'information de l'image"
        ));
    }
    if a.chars().count() > MAX_ALT_CHARS {
        return Some(format!(
            "alternative de {} caractères (plus de {MAX_ALT_CHARS}) : une description longue devrait être ailleurs",
            a.chars().count()
        ));
    }
    if GENERIC_ALTS.contains(
        &lower
            .trim_matches(|c: char| !c.is_alphanumeric() && c != ' ')
            .trim(),
    ) {
        return Some(format!("alternative générique « {a} »"));
    }
    let file_like = regex_lite_file_name(&lower);
    if file_like {
        return Some(format!(
            "alternative qui ressemble à un nom de fichier « {a} »"
        ));
    }
    if let Some(src) = src {
        let file = src.rsplit('/').next().unwrap_or("").to_lowercase();
        let stem = file.split('.').next().unwrap_or("");
        if !stem.is_empty() && stem.len() > 2 && lower == stem {
            return Some(format!("alternative identique au nom du fichier « {a} »"));
        }
    }
    None
}

/// "IMG_1234.jpg", "dsc0001", "photo.png": a name with an image extension or a camera prefix.
fn regex_lite_file_name(lower: &str) -> bool {
    if lower.contains(' ') {
        return false;
    }
    let exts = [
        ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".bmp", ".tif", ".tiff",
    ];
    if exts.iter().any(|e| lower.ends_with(e)) {
        return true;
    }
    let prefixes = [
        "img_",
        "img-",
        "dsc_",
        "dsc-",
        "dscn",
        "dsc0",
        "pxl_",
        "screenshot",
        "capture",
    ];
    prefixes.iter().any(|p| lower.starts_with(p)) && lower.chars().any(|c| c.is_ascii_digit())
}

/// ## Ce que la règle vérifie
/// Les alternatives des images (`alt`, `aria-label`) ne présentent pas de défaut évident. Un
/// nom de fichier (« IMG_123.jpg », « dummy.png » : extension d'image, ou préfixe d'appareil
/// photo suivi de chiffres) n'est jamais pertinent : échec du test 1.3.1. Sont « à vérifier »
/// un mot générique seul (« image », « photo », « logo »), l'alternative identique au nom du
/// fichier sans son extension (« banniere-ete » peut rester lisible), un texte de plus de 150
/// caractères, un texte sans lettre ni chiffre (`--//--`, `*` : l'image d'un symbole peut
/// n'avoir que ce symbole pour information). Un succès veut seulement dire « aucun de ces
/// défauts » : la pertinence de l'alternative reste à juger par un humain.
/// ## Pourquoi
/// Une alternative présente mais vide de sens ne remplace pas l'image.
/// ## Exemple en échec
/// `<img src="IMG_0042.jpg" alt="IMG_0042.jpg">`
/// ## Exemple conforme
/// `<img src="guichet.jpg" alt="Accueil du guichet de la mairie">`
/// ## Références
/// RGAA 1.3.1, 1.3.9 · WCAG 1.1.1
pub struct ImageAltSuspicious;

static IMAGE_ALT_SUSPICIOUS: RuleMeta = RuleMeta {
    id: "image-alt-suspicious",
    title: "Alternative d'image sans défaut évident",
    description: "Les alternatives d'images ne sont ni des noms de fichiers, ni des mots génériques, ni trop longues (sinon, à vérifier).",
    rgaa: &["1.3.1", "1.3.9"],
    wcag: refs!["1.1.1"],
    act: refs![],
    cerfa: &[16],
};

impl Rule for ImageAltSuspicious {
    fn meta(&self) -> &'static RuleMeta {
        &IMAGE_ALT_SUSPICIOUS
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("img, input[type=image i], area[href], [role~=img]") {
            if is_hidden_from_at(page, el) {
                continue;
            }
            let e = el.value();
            let alt = e
                .attribute("aria-label")
                .or_else(|| e.attribute("alt"))
                .map(normalize_space)
                .unwrap_or_default();
            if alt.is_empty() {
                continue;
            }
            if regex_lite_file_name(&alt.to_lowercase()) {
                // A file name never describes an image (glossary « Alternative textuelle »).
                r.fail_tests(
                    el,
                    &["1.3.1"],
                    format!("Alternative « {alt} » : un nom de fichier ne décrit pas l'image."),
                );
                continue;
            }
            match suspicious_alt(&alt, e.attribute("src")) {
                Some(why) => r.cant_tell(
                    el,
                    format!("Alternative douteuse : {why} ; vérifier qu'elle décrit l'image."),
                ),
                None => r.pass(
                    el,
                    format_args!(
                        "Alternative sans défaut évident : « {alt} » (pertinence à confirmer)."
                    ),
                ),
            }
        }
        r.finish("Aucune image avec alternative non vide.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suspicious_alternatives() {
        assert!(suspicious_alt("IMG_1234.jpg", None).is_some());
        assert!(suspicious_alt("photo", None).is_some());
        assert!(suspicious_alt("Image", None).is_some());
        assert!(suspicious_alt("banniere-accueil", Some("/img/banniere-accueil.png")).is_some());
        assert!(suspicious_alt(&"a".repeat(151), None).is_some());
        assert!(suspicious_alt("Carte des agences de Lyon", Some("carte.png")).is_none());
        assert!(suspicious_alt("--//--", None).is_some());
    }

    #[test]
    fn embedded_kinds() {
        assert_eq!(embedded_kind(Some("image/png"), None), Embedded::Image);
        assert_eq!(embedded_kind(None, Some("/a/b.mp3?x=1")), Embedded::Audio);
        assert_eq!(embedded_kind(None, Some("/a/index.html")), Embedded::Other);
        assert_eq!(embedded_kind(None, Some("/a/data")), Embedded::Unknown);
    }
}
