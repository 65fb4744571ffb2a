//! Per-page Cerfa evidence on fixture pages (fixtures/cerfa/): exact verdicts and evidence.

use vigie::cerfa::franceconnect::FcVariant;
use vigie::cerfa::{ConformityStatus, PageEvidence};

fn load(name: &str) -> String {
    let path = format!("{}/fixtures/cerfa/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn evidence(name: &str) -> PageEvidence {
    let url = url::Url::parse(&format!("https://demarche.example.gouv.fr/{name}")).expect("url");
    vigie::analyze::analyze_html(url, &load(name)).cerfa
}

#[test]
fn franceconnect_dsfr_button_is_conforming() {
    let e = evidence("fc-dsfr.html");
    assert!(e.identification);
    let b = e.franceconnect.expect("button");
    assert_eq!(b.variant, FcVariant::FranceConnect);
    assert_eq!(b.detected_by, "dsfr");
    assert_eq!(&*b.target.selector, "#fc");
    assert!(b.info_link && b.offered_first && !b.restyled);
    assert!(b.conforming());
}

#[test]
fn franceconnect_plus_without_info_link_is_not_conforming() {
    let e = evidence("fc-plus-no-info.html");
    let b = e.franceconnect.expect("button");
    assert_eq!(b.variant, FcVariant::FranceConnectPlus);
    assert_eq!(&*b.target.selector, "#fcplus");
    assert!(!b.info_link);
    assert!(!b.conforming());
}

#[test]
fn franceconnect_legacy_image_after_password_form() {
    let e = evidence("fc-legacy-image.html");
    assert!(e.identification);
    let b = e.franceconnect.expect("button");
    assert_eq!(b.detected_by, "image");
    assert_eq!(&*b.target.selector, "#legacy");
    assert_eq!(b.variant, FcVariant::FranceConnect);
    assert!(b.info_link, "straight apostrophe info link");
    assert!(
        !b.offered_first,
        "the button comes after the password field"
    );
}

#[test]
fn franceconnect_text_with_typographic_apostrophe() {
    let e = evidence("fc-text-typographic.html");
    assert!(e.identification, "heading « Identification »");
    let b = e.franceconnect.expect("button");
    assert_eq!(b.detected_by, "texte");
    assert_eq!(&*b.target.selector, "#btn");
    assert!(b.info_link && b.offered_first);
}

#[test]
fn franceconnect_legacy_class_wrapper_points_at_its_link() {
    let e = evidence("fc-legacy-class.html");
    let b = e.franceconnect.expect("button");
    assert_eq!(b.detected_by, "classe");
    assert_eq!(&*b.target.selector, "#lnk");
    assert!(!b.info_link);
}

#[test]
fn login_without_franceconnect() {
    let e = evidence("login-no-fc.html");
    assert!(e.identification);
    assert!(e.login_only);
    assert!(e.franceconnect.is_none());
}

#[test]
fn dsfr_footer_links_and_home_mention() {
    let e = evidence("home-dsfr.html");
    let f = e.footer.expect("footer");
    assert_eq!(f.found_by, "fr-footer");
    let kinds: Vec<&str> = f.links.iter().map(|l| l.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "accessibilite",
            "mentions_legales",
            "donnees_personnelles",
            "cookies",
            "plan_du_site",
            "contact"
        ]
    );
    assert_eq!(
        f.link("accessibilite").map(|l| l.href.as_str()),
        Some("https://demarche.example.gouv.fr/accessibilite.html")
    );
    assert_eq!(
        e.accessibility_mention,
        Some(ConformityStatus::Partiellement)
    );
    assert_eq!(
        e.misc.dsfr_markers,
        ["fr-header__brand", "fr-logo", "fr-footer"]
    );
    assert!(e.misc.responsive.device_width && e.misc.responsive.media_queries);
    assert!(!e.misc.responsive.zoom_locked && e.misc.responsive.fixed_width.is_none());
    assert_eq!(e.markup.total, 0);
    assert!(e.misc.doctype_html5);
    assert_eq!(e.login_links.len(), 1, "{:?}", e.login_links);
    assert_eq!(e.contact.help_links.len(), 1);
    assert!(!e.identification);
}

#[test]
fn footer_without_footer_element_is_the_last_links_block() {
    let e = evidence("footer-last-block.html");
    let f = e.footer.expect("footer");
    assert_eq!(f.found_by, "dernier-bloc-de-liens");
    assert_eq!(f.selector, "#bas");
    let kinds: Vec<&str> = f.links.iter().map(|l| l.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "contact",
            "plan_du_site",
            "mentions_legales",
            "accessibilite",
            "donnees_personnelles"
        ]
    );
    assert_eq!(e.accessibility_mention, Some(ConformityStatus::Non));
}

#[test]
fn contentinfo_footer_missing_site_map() {
    let e = evidence("footer-contentinfo-partial.html");
    let f = e.footer.expect("footer");
    assert_eq!(f.found_by, "contentinfo");
    assert!(f.link("plan_du_site").is_none());
    assert!(f.link("contact").is_some() && f.link("accessibilite").is_some());
    assert_eq!(e.accessibility_mention, None);
}

#[test]
fn complete_declaration_is_parsed() {
    let e = evidence("declaration-complete.html");
    let d = e.declaration.expect("declaration");
    assert_eq!(d.status, Some(ConformityStatus::Partiellement));
    assert_eq!(d.rate, Some(78.5));
    assert_eq!(
        d.established.map(|d| d.to_string()).as_deref(),
        Some("2025-03-12")
    );
    assert_eq!(
        d.updated.map(|d| d.to_string()).as_deref(),
        Some("2026-06-02")
    );
    assert!(d.contact && d.defenseur_des_droits);
    assert_eq!(
        d.schema_link.map(|l| l.href).as_deref(),
        Some("https://demarche.example.gouv.fr/schema-pluriannuel.pdf")
    );
    assert_eq!(
        d.action_plan_link.map(|l| l.href).as_deref(),
        Some("https://demarche.example.gouv.fr/plan-2026.pdf")
    );
    assert_eq!(d.rgaa_version.as_deref(), Some("4.1.2"));
    assert_eq!((d.schema_start, d.schema_end), (Some(2025), Some(2027)));
    assert_eq!(d.action_plan_year, Some(2026));
    assert_eq!((d.audit_date, d.auditor.as_deref()), (None, None));
    assert!(e.acronyms.is_empty(), "{:?}", e.acronyms);
}

#[test]
fn declaration_in_real_wording_is_parsed_by_section() {
    let d = evidence("declaration-real-wording.html")
        .declaration
        .expect("declaration");
    assert_eq!(d.status, Some(ConformityStatus::Partiellement));
    // The updated global rate, not the first one nor the mean.
    assert_eq!(d.rate, Some(71.21));
    // Neither the law's nor the decree's date.
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
    assert_eq!(d.established, day(2025, 3, 1));
    assert_eq!(d.updated, day(2026, 6, 2));
    assert_eq!(d.audit_date, day(2025, 4, 14));
    assert_eq!(d.auditor.as_deref(), Some("Audits Exemple"));
    assert_eq!((d.schema_start, d.schema_end), (Some(2020), Some(2022)));
    assert_eq!(d.action_plan_year, Some(2023));
}

#[test]
fn old_and_contradicted_declarations_are_parsed() {
    let old = evidence("declaration-old.html").declaration.expect("old");
    assert_eq!(old.status, Some(ConformityStatus::Partiellement));
    assert_eq!(old.rate, Some(65.0));
    assert_eq!(
        old.established.map(|d| d.to_string()).as_deref(),
        Some("2021-02-03")
    );
    assert!(old.contact && !old.defenseur_des_droits);
    assert!(old.schema_link.is_none());
    assert_eq!(old.rgaa_version.as_deref(), Some("4.1"));

    let c = evidence("declaration-contradicted.html")
        .declaration
        .expect("c");
    assert_eq!(c.status, Some(ConformityStatus::Totalement));
    assert_eq!(c.rate, Some(62.0));
    assert_eq!(
        c.established.map(|d| d.to_string()).as_deref(),
        Some("2025-03-12")
    );
    assert!(c.contact, "e-mail written in the text");
    assert!(!ConformityStatus::Totalement.agrees_with_rate(62.0));
}

#[test]
fn a_page_that_is_not_a_declaration() {
    assert!(evidence("home-dsfr.html").declaration.is_none());
}

#[test]
fn contact_channels_with_french_phone_formats() {
    let e = evidence("contact-page.html");
    let c = &e.contact;
    assert!(c.contact_page);
    assert_eq!(
        c.phones,
        ["0969321010"],
        "both spellings are the same number"
    );
    assert_eq!(c.emails, ["contact@caisse.example.fr"]);
    assert_eq!(c.form.as_deref(), Some("#form-contact"));
    assert_eq!(c.desk.as_deref(), Some("12 rue de la paix, 75002"));
    assert_eq!(c.appointment.as_deref(), Some("prendre rendez-vous"));
    assert_eq!(c.chat, None);
    assert_eq!(
        c.channels(),
        [
            "telephone",
            "courriel",
            "formulaire",
            "accueil",
            "rendez_vous"
        ]
    );
}

#[test]
fn no_contact_channel_and_search_form_is_not_a_contact_form() {
    let e = evidence("contact-none.html");
    assert!(e.contact.channels().is_empty(), "{:?}", e.contact);
}

#[test]
fn phone_formats() {
    use vigie::cerfa::contact::phones_in;
    assert_eq!(
        phones_in("Appelez le 01.23.45.67.89 ou le 3939."),
        ["0123456789", "3939"]
    );
    assert_eq!(phones_in("+33 (0)1 23 45 67 89"), ["0123456789"]);
    assert!(phones_in("Dossier 2024-123456789 du 12 mars").is_empty());
}

#[test]
fn acronyms_expanded_in_parentheses_or_abbr_pass() {
    let e = evidence("acronyms-expanded.html");
    assert!(e.acronyms.is_empty(), "{:?}", e.acronyms);
}

#[test]
fn acronyms_unexpanded_at_first_use_are_reported() {
    let e = evidence("acronyms-unexpanded.html");
    let found: Vec<(&str, &str)> = e
        .acronyms
        .iter()
        .map(|a| (a.acronym.as_str(), a.selector.as_str()))
        .collect();
    assert_eq!(found, [("CERFA", "#p1"), ("CPAM", "#p1")]);
}

#[test]
fn markup_errors_are_counted() {
    let m = evidence("markup-errors.html").markup;
    assert_eq!(m.duplicate_ids, 1);
    assert_eq!(m.obsolete_elements, 2, "center, font");
    assert_eq!(m.obsolete_attributes, 1, "bgcolor");
    assert_eq!(m.invalid_nesting, 2, "li outside a list, div in span");
    assert!(m.parse_errors >= 1, "no doctype");
    assert_eq!(
        m.total,
        m.parse_errors
            + m.duplicate_ids
            + m.obsolete_elements
            + m.obsolete_attributes
            + m.invalid_nesting
    );
    assert!(m.total >= 5);
}

#[test]
fn misnesting_repaired_by_the_parser_and_obsolete_features_are_counted() {
    let m = evidence("markup-nesting.html").markup;
    // The inner <a> ("Unexpected token") and the second </a>, left over once the parser has
    // closed the outer link.
    assert_eq!(m.parse_errors, 2, "{:?}", m.examples);
    assert_eq!(m.duplicate_ids, 0);
    assert_eq!(m.obsolete_elements, 1, "param");
    // cellpadding and summary on table, scope on td, longdesc on img, type on ul.
    assert_eq!(m.obsolete_attributes, 5, "{:?}", m.examples);
    assert_eq!(m.invalid_nesting, 1, "{:?}", m.examples);
    assert_eq!(m.total, 9);
    assert_eq!(
        m.examples[..3],
        [
            "erreur d'analyse : Unexpected token".to_string(),
            "erreur d'analyse : Found special tag while closing generic tag".to_string(),
            "imbrication interdite (analyseur) : </p> orphelin : un bloc (div, liste, titre…) a fermé le paragraphe".to_string(),
        ]
    );
    assert!(m
        .examples
        .iter()
        .any(|e| e.starts_with("attribut obsolète : longdesc sur <img>")));
    let clean = evidence("markup-clean.html").markup;
    assert_eq!(clean.total, 0, "{:?}", clean.examples);
}

#[test]
fn responsive_facts() {
    let fixed = evidence("responsive-fixed.html");
    assert!(fixed.misc.responsive.viewport.is_none());
    assert!(fixed
        .misc
        .responsive
        .fixed_width
        .as_deref()
        .is_some_and(|w| w.ends_with("(780)")));
    assert_eq!(fixed.misc.meta_charset.as_deref(), Some("windows-1252"));
    assert!(!fixed.misc.doctype_html5);
    assert_eq!(fixed.misc.closed_documents.len(), 1);
    let locked = evidence("responsive-zoom-locked.html");
    assert!(locked.misc.responsive.device_width && locked.misc.responsive.zoom_locked);
    assert!(locked.misc.responsive.media_queries);
}

#[test]
fn form_with_steps_hints_and_address_autocomplete() {
    let f = evidence("form-steps.html").misc.form;
    assert_eq!(f.fields, 3);
    assert_eq!(f.fields_with_hint, 2);
    assert_eq!(f.step_indicator.as_deref(), Some("fr-stepper (#stepper)"));
    assert!(f.back_link);
    assert_eq!(f.address_fields.len(), 3);
    assert!(
        f.address_fields.iter().all(|a| a.ok),
        "{:?}",
        f.address_fields
    );
}

#[test]
fn form_without_steps_hints_or_address_autocomplete() {
    let f = evidence("form-no-steps.html").misc.form;
    assert_eq!(f.fields, 3);
    assert_eq!(f.fields_with_hint, 0);
    assert_eq!(f.step_indicator, None);
    assert!(!f.back_link);
    let bad: Vec<(&str, bool)> = f
        .address_fields
        .iter()
        .map(|a| (a.selector.as_str(), a.ok))
        .collect();
    assert_eq!(
        bad,
        [
            ("#adr", false),
            ("html > body > main > form > input:nth-of-type(3)", false)
        ]
    );
}

#[test]
fn trackers_and_noindex() {
    let e = evidence("trackers-noindex.html");
    assert!(e.misc.noindex);
    assert_eq!(
        e.misc.trackers,
        ["www.googletagmanager.com", "static.hotjar.com"]
    );
    assert!(evidence("home-dsfr.html").misc.trackers.is_empty());
}

#[test]
fn keyword_links_for_follow_up_satisfaction_statistics_demo() {
    let e = evidence("misc-links.html");
    let kinds: Vec<&str> = e
        .misc
        .keyword_links
        .iter()
        .map(|k| k.kind.as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "suivi",
            "avis",
            "resultats_satisfaction",
            "statistiques",
            "demonstration",
            "donnees_personnelles"
        ]
    );
    assert_eq!(e.misc.open_documents, 2);
    assert_eq!(e.misc.closed_documents.len(), 1);
    assert_eq!(e.contact.help_links.len(), 1);
}
