//! Linked stylesheets of a page saved on disk (`vigie check page.html`), read as a browser
//! would load them, but bounded and confined: only `file:` URLs inside a root folder (the page's
//! own folder unless the user names a wider one), within the same byte budget per page as the
//! crawler's. What is not loaded is said, so a cantTell is never silently a guess.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::SystemTime;

use crate::page::StylesheetLink;

/// Sheets already read, by file and version: `vigie check` over a saved site reads the sheet
/// every page links once, and its pages share one text (the cascade's memo then knows it by
/// address). Bounded: past `SHEETS_KEPT_BYTES` nothing more is kept.
static READ: LazyLock<Mutex<ReadSheets>> = LazyLock::new(Default::default);

#[derive(Default)]
struct ReadSheets {
    by_file: HashMap<(PathBuf, u64, Option<SystemTime>), Arc<String>>,
    bytes: usize,
}

const SHEETS_KEPT_BYTES: usize = 32 << 20;

/// Linked stylesheets read from disk, and one note per stylesheet left out, with its reason.
pub fn stylesheets_from_disk(
    links: Vec<StylesheetLink>,
    root: &Path,
) -> (Vec<(StylesheetLink, Arc<String>)>, Vec<String>) {
    let mut sheets = Vec::new();
    let mut notes = Vec::new();
    let mut total = 0usize;
    let root = match std::fs::canonicalize(root) {
        Ok(r) => r,
        Err(e) => {
            notes.push(format!(
                "feuilles de style liées non chargées : dossier racine {} illisible ({e})",
                root.display()
            ));
            return (sheets, notes);
        }
    };
    for link in links {
        match read_confined(&link, &root) {
            Ok(text) if total + text.len() > super::MAX_CSS_BYTES_PER_PAGE => {
                notes.push(format!(
                    "feuille de style non chargée : {} (au-delà de {} octets de CSS pour la page)",
                    link.url,
                    super::MAX_CSS_BYTES_PER_PAGE
                ));
            }
            Ok(text) => {
                total += text.len();
                sheets.push((link, text));
            }
            Err(why) => notes.push(format!(
                "feuille de style non chargée : {} ({why})",
                link.url
            )),
        }
    }
    (sheets, notes)
}

/// The stylesheet's text, when it is a readable file under `root` (kept from an earlier page
/// when the file has not changed since).
fn read_confined(link: &StylesheetLink, root: &Path) -> Result<Arc<String>, String> {
    if link.url.scheme() != "file" {
        return Err("hors ligne : seuls les fichiers locaux sont lus".into());
    }
    let path: PathBuf = link
        .url
        .to_file_path()
        .map_err(|_| "chemin de fichier invalide".to_string())?;
    let real = std::fs::canonicalize(&path).map_err(|e| format!("introuvable : {e}"))?;
    // After links and `..` are resolved: a page cannot make vigie read outside the root.
    if !real.starts_with(root) {
        return Err(format!("hors du dossier autorisé {}", root.display()));
    }
    let meta = std::fs::metadata(&real).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("pas un fichier".into());
    }
    if meta.len() > super::MAX_CSS_BYTES_PER_PAGE as u64 {
        return Err(format!("{} octets, trop gros", meta.len()));
    }
    let key = (real, meta.len(), meta.modified().ok());
    let read = || READ.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(text) = read().by_file.get(&key) {
        return Ok(text.clone());
    }
    let bytes = std::fs::read(&key.0).map_err(|e| e.to_string())?;
    let text = Arc::new(super::charset::decode(&bytes, Some("text/css")).text);
    let mut kept = read();
    if kept.bytes + text.len() <= SHEETS_KEPT_BYTES {
        kept.bytes += text.len();
        kept.by_file.insert(key, text.clone());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    fn link(url: Url) -> StylesheetLink {
        StylesheetLink {
            url,
            media: None,
            order: 0,
        }
    }

    #[test]
    fn reads_inside_the_root_only() {
        let dir = tempfile::tempdir().expect("tmp");
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("css")).expect("mkdir");
        std::fs::write(site.join("css/a.css"), "p { color: #777 }").expect("write");
        std::fs::write(dir.path().join("secret.css"), "p { color: red }").expect("write");
        let page = Url::from_file_path(site.join("index.html")).expect("url");
        let inside = link(page.join("css/a.css").expect("join"));
        let outside = link(page.join("../secret.css").expect("join"));
        let remote = link(Url::parse("https://cdn.example/x.css").expect("url"));
        let missing = link(page.join("css/none.css").expect("join"));
        let (sheets, notes) =
            stylesheets_from_disk(vec![inside, outside.clone(), remote, missing], &site);
        assert_eq!(sheets.len(), 1);
        assert_eq!(*sheets[0].1, "p { color: #777 }");
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes[0].contains("hors du dossier autorisé"), "{notes:?}");
        assert!(notes[1].contains("hors ligne"), "{notes:?}");
        assert!(notes[2].contains("introuvable"), "{notes:?}");
        // A wider root, named by the user, lets the parent's stylesheet in.
        let (sheets, notes) = stylesheets_from_disk(vec![outside], dir.path());
        assert_eq!((sheets.len(), notes.len()), (1, 0));
    }

    /// Pages linking the same sheet share one text, read once; a sheet changed on disk since
    /// is read again.
    #[test]
    fn pages_share_a_sheet_read_once_until_it_changes() {
        let dir = tempfile::tempdir().expect("tmp");
        let css = dir.path().join("commun.css");
        std::fs::write(&css, "p { color: #777 }").expect("write");
        let page = Url::from_file_path(dir.path().join("a.html")).expect("url");
        let sheet = || link(page.join("commun.css").expect("join"));
        let (first, _) = stylesheets_from_disk(vec![sheet()], dir.path());
        let (second, _) = stylesheets_from_disk(vec![sheet()], dir.path());
        assert!(Arc::ptr_eq(&first[0].1, &second[0].1));
        // Another length: another version, whatever the clock's resolution.
        std::fs::write(&css, "p { color: #333333 }").expect("write");
        let (third, _) = stylesheets_from_disk(vec![sheet()], dir.path());
        assert_eq!(*third[0].1, "p { color: #333333 }");
    }
}
