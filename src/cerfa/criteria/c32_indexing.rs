//! Cerfa criterion 32: indexable by search engines. Verdict, messages and tests.

use super::shared::{ev, m, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::Status;
use crate::crawl::robots::RobotsStatus;

/// ## Ce que le critère vérifie
/// La page de départ est indexable : ni `noindex` (balise meta robots ou en-tête X-Robots-Tag), ni
/// exclusion de Googlebot ou Bingbot par robots.txt ; un plan de site liste des pages. robots.txt en
/// erreur ou sans plan de site : inconnu. Peut conclure sans page analysée (robots.txt seul).
/// Le référencement sur service-public.fr est déclaré.
/// ## Pourquoi
/// L'usager trouve une démarche par un moteur de recherche ; un service non indexé est introuvable.
/// ## Exemple rempli
/// robots.txt lu, page de départ autorisée, `sitemap.xml` de 12 URL.
/// ## Exemple non rempli
/// `<meta name="robots" content="noindex">`, ou `Disallow: /` pour Googlebot.
/// ## Références
/// Cerfa numérique, critère 32 (principe 1) · extraction : `crawl::indexability`, `cerfa::misc`
pub(crate) struct Indexing;

impl CerfaCriterion for Indexing {
    fn number(&self) -> u8 {
        32
    }
    /// Judged from what the served page declares or references, not from its content.
    fn reads_page_content(&self) -> bool {
        false
    }

    fn needs_pages(&self) -> bool {
        false
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        let header = ctx
            .home
            .as_ref()
            .and_then(|h| crate::crawl::indexability::x_robots_noindex(h.x_robots_tag));
        let noindex = ctx
            .home
            .as_ref()
            .map(|h| (h.url, h.evidence.misc.noindex || header.is_some()));
        let mut evidence = Vec::new();
        if let Some(h) = ctx.home.as_ref().filter(|h| h.evidence.misc.noindex) {
            evidence.push(ev(
                Some(h.url),
                Some("meta[name=robots]"),
                "balise meta robots : noindex",
            ));
        }
        if let (Some(h), Some(value)) = (ctx.home.as_ref(), header) {
            evidence.push(ev(
                Some(h.url),
                None,
                format!("en-tête HTTP X-Robots-Tag : {value}"),
            ));
        }
        let Some(idx) = ctx.indexability else {
            // Reports without the robots.txt and sitemap facts: the page alone.
            return match noindex {
                Some((_, true)) => m(
                    Status::NotMet,
                    "La page de départ interdit l'indexation (noindex).",
                    evidence,
                ),
                Some((url, false)) => m(
                    Status::Unknown,
                    "Page de départ sans noindex ; robots.txt et plan de site non relevés.",
                    vec![ev(Some(url), None, "pas de noindex")],
                ),
                None => m(Status::Unknown, "Page de départ non analysée.", vec![]),
            };
        };
        let r = &idx.robots;
        let robots_url = Some(r.url.as_str());
        let http = r
            .http_status
            .map(|s| format!("HTTP {s}"))
            .unwrap_or_else(|| "pas de réponse".into());
        evidence.push(ev(
            robots_url,
            None,
            match r.status {
                RobotsStatus::Fetched => format!("robots.txt lu ({http})"),
                RobotsStatus::Absent => format!("robots.txt absent ({http}) : tout est autorisé"),
                RobotsStatus::ServerError => {
                    format!(
                        "robots.txt en erreur serveur ({http}) : les moteurs suspendent l'exploration"
                    )
                }
                RobotsStatus::Unreachable => format!(
                    "robots.txt inaccessible ({})",
                    r.error.as_deref().unwrap_or(&http)
                ),
            },
        ));
        let mut blocked = Vec::new();
        for a in &r.agents {
            if a.start_allowed {
                continue;
            }
            let what = if a.site_blocked {
                "tout le site exclu"
            } else {
                "page de départ exclue"
            };
            let rule = a
                .rule
                .as_ref()
                .map(|x| format!(" par la règle « {} » (ligne {})", x.text, x.line))
                .unwrap_or_default();
            evidence.push(ev(
                robots_url,
                None,
                format!("User-agent {} : {what}{rule}", a.agent),
            ));
            if a.agent != "*" {
                blocked.push(a.agent.as_str());
            }
        }
        if !r.agents.is_empty() && r.agents.iter().all(|a| a.start_allowed) {
            evidence.push(ev(
                robots_url,
                None,
                "page de départ autorisée pour *, Googlebot et Bingbot",
            ));
        }
        let sm = &idx.sitemap;
        for f in &sm.files {
            let status = f
                .status
                .map(|s| format!("HTTP {s}"))
                .unwrap_or_else(|| f.error.clone().unwrap_or_else(|| "pas de réponse".into()));
            let text = if f.sitemap {
                format!(
                    "plan de site {} : {} URL de page(s), {} plan(s) inclus",
                    f.url, f.pages, f.sitemaps
                )
            } else if f.status.is_some_and(|s| (200..300).contains(&s)) {
                format!("{} n'est pas un plan de site XML ({status})", f.url)
            } else {
                format!("plan de site {} introuvable ({status})", f.url)
            };
            evidence.push(ev(Some(f.url.as_str()), None, text));
        }
        if sm.found {
            evidence.push(ev(
                None,
                None,
                format!(
                    "{} URL de pages dans le(s) plan(s) de site{} ; page de départ {}",
                    sm.page_urls,
                    if sm.truncated {
                        " (lecture limitée)"
                    } else {
                        ""
                    },
                    if sm.start_listed {
                        "listée"
                    } else {
                        "non listée"
                    }
                ),
            ));
        }
        if let Some((_, true)) = noindex {
            return m(
                Status::NotMet,
                "La page de départ interdit l'indexation (noindex).",
                evidence,
            );
        }
        if !blocked.is_empty() {
            return m(
                Status::NotMet,
                format!(
                    "robots.txt interdit la page de départ aux moteurs de recherche ({}).",
                    blocked.join(", ")
                ),
                evidence,
            );
        }
        if matches!(
            r.status,
            RobotsStatus::ServerError | RobotsStatus::Unreachable
        ) {
            return m(
                Status::Unknown,
                "robots.txt inaccessible : impossible de dire si les moteurs peuvent explorer le site.",
                evidence,
            );
        }
        if noindex.is_none() {
            return m(
                Status::Unknown,
                "Page de départ non analysée : la balise meta robots n'a pas pu être lue.",
                evidence,
            );
        }
        if sm.found && sm.page_urls > 0 {
            m(
                Status::Met,
                format!(
                    "Page de départ indexable (ni noindex ni exclusion par robots.txt) et plan de site de {} URL ; le référencement sur service-public.fr n'est pas vérifié.",
                    sm.page_urls
                ),
                evidence,
            )
        } else {
            m(
                Status::Unknown,
                "Page de départ indexable, mais aucun plan de site : l'indexation n'est pas confirmée (à déclarer, avec le référencement sur service-public.fr).",
                evidence,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{has, verdict, Site, START};
    use crate::cerfa::PageEvidence;
    use crate::crawl::indexability::{
        AgentAccess, Indexability, RobotsFacts, RobotsRule, SitemapFacts, SitemapFile,
    };

    fn agent(name: &str, allowed: bool) -> AgentAccess {
        AgentAccess {
            agent: name.into(),
            start_allowed: allowed,
            site_blocked: !allowed,
            rule: (!allowed).then(|| RobotsRule {
                line: 3,
                text: "Disallow: /".into(),
            }),
        }
    }

    fn facts(status: RobotsStatus, googlebot_allowed: bool, sitemap_pages: usize) -> Indexability {
        let files = vec![SitemapFile {
            url: "https://demarche.gouv.fr/sitemap.xml".into(),
            status: Some(200),
            sitemap: true,
            pages: sitemap_pages,
            sitemaps: 0,
            error: None,
        }];
        Indexability {
            start_url: START.into(),
            robots: RobotsFacts {
                url: "https://demarche.gouv.fr/robots.txt".into(),
                status,
                http_status: Some(if status == RobotsStatus::ServerError {
                    503
                } else {
                    200
                }),
                error: None,
                sitemaps: Vec::new(),
                agents: if status == RobotsStatus::Fetched {
                    vec![
                        agent("*", true),
                        agent("Googlebot", googlebot_allowed),
                        agent("Bingbot", true),
                    ]
                } else {
                    Vec::new()
                },
            },
            sitemap: SitemapFacts {
                declared: false,
                found: sitemap_pages > 0,
                page_urls: sitemap_pages,
                start_listed: true,
                truncated: false,
                files,
            },
        }
    }

    fn site(noindex: bool, idx: Option<Indexability>) -> Site {
        let mut e = PageEvidence::default();
        e.misc.noindex = noindex;
        let mut s = Site::new().with(START, e);
        s.indexability = idx;
        s
    }

    #[test]
    fn met_when_indexable_with_a_sitemap() {
        let e = verdict(
            &site(false, Some(facts(RobotsStatus::Fetched, true, 12))).measure(&Indexing),
            Status::Met,
            "Page de départ indexable (ni noindex ni exclusion par robots.txt) et plan de site de 12 URL ; le référencement sur service-public.fr n'est pas vérifié.",
        );
        assert_eq!(
            e,
            [
                "robots.txt lu (HTTP 200) — https://demarche.gouv.fr/robots.txt",
                "page de départ autorisée pour *, Googlebot et Bingbot — https://demarche.gouv.fr/robots.txt",
                "plan de site https://demarche.gouv.fr/sitemap.xml : 12 URL de page(s), 0 plan(s) inclus — https://demarche.gouv.fr/sitemap.xml",
                "12 URL de pages dans le(s) plan(s) de site ; page de départ listée",
            ]
        );
    }

    #[test]
    fn not_met_on_noindex_or_a_robots_exclusion() {
        let e = verdict(
            &site(true, None).measure(&Indexing),
            Status::NotMet,
            "La page de départ interdit l'indexation (noindex).",
        );
        assert_eq!(
            e,
            ["balise meta robots : noindex — https://demarche.gouv.fr/ — meta[name=robots]"]
        );
        let mut header = site(false, Some(facts(RobotsStatus::Fetched, true, 12)));
        header.pages[0].x_robots_tag = vec!["noindex".into()];
        let e = verdict(
            &header.measure(&Indexing),
            Status::NotMet,
            "La page de départ interdit l'indexation (noindex).",
        );
        has(&e, "en-tête HTTP X-Robots-Tag : noindex");
        let e = verdict(
            &site(false, Some(facts(RobotsStatus::Fetched, false, 12))).measure(&Indexing),
            Status::NotMet,
            "robots.txt interdit la page de départ aux moteurs de recherche (Googlebot).",
        );
        has(
            &e,
            "User-agent Googlebot : tout le site exclu par la règle « Disallow: / » (ligne 3)",
        );
    }

    #[test]
    fn unknown_without_sitemap_robots_facts_or_a_readable_robots() {
        verdict(
            &site(false, Some(facts(RobotsStatus::Fetched, true, 0))).measure(&Indexing),
            Status::Unknown,
            "Page de départ indexable, mais aucun plan de site : l'indexation n'est pas confirmée (à déclarer, avec le référencement sur service-public.fr).",
        );
        let e = verdict(
            &site(false, None).measure(&Indexing),
            Status::Unknown,
            "Page de départ sans noindex ; robots.txt et plan de site non relevés.",
        );
        assert_eq!(e, ["pas de noindex — https://demarche.gouv.fr/"]);
        // Decided without any page: robots.txt alone (the criterion does not need pages).
        let mut no_page = Site::new();
        no_page.indexability = Some(facts(RobotsStatus::ServerError, true, 0));
        let e = verdict(
            &no_page.measure(&Indexing),
            Status::Unknown,
            "robots.txt inaccessible : impossible de dire si les moteurs peuvent explorer le site.",
        );
        has(
            &e,
            "robots.txt en erreur serveur (HTTP 503) : les moteurs suspendent l'exploration",
        );
        assert!(!Indexing.needs_pages());
    }
}
