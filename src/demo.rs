//! The embedded demo: fixture sites compiled into the binary, served on 127.0.0.1, audited
//! with the normal crawler. Works without network and outside the repository.

use include_dir::{include_dir, Dir};

use crate::catalogue::{Catalogue, CatalogueError};
use crate::serve::{self, FixtureServer, ServeError, Source};

/// The fixture sites, one folder each.
pub static SITES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/fixtures/sites");

/// The demo catalogue; `{site:NAME}` stands for the base URL of fixture site NAME (no trailing slash).
pub const DEMO_CATALOGUE: &str = include_str!("../fixtures/demo.toml");

/// The operator declarations used by the demo (declared Cerfa criteria).
pub const DEMO_DECLARATIONS: &str = include_str!("../fixtures/declarations-demo.toml");

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("site de démonstration introuvable : {0}")]
    MissingSite(String),
    #[error(transparent)]
    Serve(#[from] ServeError),
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
}

/// Running fixture sites and the catalogue pointing at them.
pub struct DemoSites {
    pub servers: Vec<(String, FixtureServer)>,
    pub catalogue: Catalogue,
}

/// Serve one embedded fixture site.
pub async fn serve_site(name: &str) -> Result<FixtureServer, DemoError> {
    let dir = SITES
        .get_dir(name)
        .ok_or_else(|| DemoError::MissingSite(name.to_string()))?;
    Ok(serve::start(Source::Embedded(dir)).await?)
}

/// Replace `{site:NAME}` placeholders with base URLs (without trailing slash).
pub fn substitute(template: &str, servers: &[(String, FixtureServer)]) -> String {
    let mut text = template.to_string();
    for (name, server) in servers {
        text = text.replace(
            &format!("{{site:{name}}}"),
            server.url().trim_end_matches('/'),
        );
    }
    text
}

/// Start every site the demo catalogue names.
pub async fn start() -> Result<DemoSites, DemoError> {
    let mut servers = Vec::new();
    for dir in SITES.dirs() {
        let name = dir.path().to_string_lossy().to_string();
        if DEMO_CATALOGUE.contains(&format!("{{site:{name}}}")) {
            servers.push((name.clone(), serve_site(&name).await?));
        }
    }
    let catalogue = Catalogue::parse(&substitute(DEMO_CATALOGUE, &servers), "demo.toml")?;
    Ok(DemoSites { servers, catalogue })
}
