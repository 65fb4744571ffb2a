//! sitemap.xml and sitemap indexes, used as extra seeds.

/// What one sitemap file lists.
#[derive(Debug, Default, PartialEq)]
pub struct SitemapEntries {
    pub pages: Vec<String>,
    pub sitemaps: Vec<String>,
}

/// Parse a sitemap or sitemap index; malformed XML gives no entries.
pub fn parse(xml: &str) -> SitemapEntries {
    read(xml).unwrap_or_default()
}

/// Parse a sitemap or sitemap index; None when the text is not XML with a `urlset` or
/// `sitemapindex` root (an HTML error page served with status 200, for instance).
pub fn read(xml: &str) -> Option<SitemapEntries> {
    let mut out = SitemapEntries::default();
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 200_000,
    };
    let doc = roxmltree::Document::parse_with_options(xml, opts).ok()?;
    let root = doc.root_element();
    let is_index = root.tag_name().name() == "sitemapindex";
    if !is_index && root.tag_name().name() != "urlset" {
        return None;
    }
    for node in root.children().filter(|n| n.is_element()) {
        let loc = node
            .children()
            .find(|c| c.is_element() && c.tag_name().name() == "loc")
            .and_then(|c| c.text())
            .map(|t| t.trim().to_string());
        if let Some(loc) = loc.filter(|l| !l.is_empty()) {
            if is_index {
                out.sitemaps.push(loc);
            } else {
                out.pages.push(loc);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlset_and_index() {
        let s = parse(
            r#"<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc> https://a.fr/x </loc></url><url><loc>https://a.fr/y</loc></url></urlset>"#,
        );
        assert_eq!(s.pages, vec!["https://a.fr/x", "https://a.fr/y"]);
        let i = parse(
            r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://a.fr/s1.xml</loc></sitemap></sitemapindex>"#,
        );
        assert_eq!(i.sitemaps, vec!["https://a.fr/s1.xml"]);
        assert_eq!(parse("<not xml"), SitemapEntries::default());
        assert_eq!(read("<html><body>Erreur</body></html>"), None);
        assert_eq!(read("<urlset/>"), Some(SitemapEntries::default()));
    }
}
