//! Values derived from a page's stylesheets alone, kept for the process: on a real site every
//! page links the same big sheets, and parsing them again for each page was a sixth of the
//! analysis.

use std::sync::{Arc, Mutex};

use super::Stylesheet;

/// A bounded, thread-safe memo of one value per distinct set of stylesheets (their media and
/// texts, in order, compared whole rather than by hash: a collision cannot mix two sites up;
/// a text shared with the kept key, as the crawler's cache shares them, is known by address).
/// The least recently used set goes first once `max_sets` sets or `max_bytes` bytes of
/// stylesheet text are kept; a set larger than a quarter of `max_bytes` is not kept.
pub struct SheetsMemo<T> {
    entries: Mutex<Vec<Entry<T>>>,
    max_sets: usize,
    max_bytes: usize,
}

struct Entry<T> {
    key: Vec<(Option<String>, Arc<String>)>,
    bytes: usize,
    value: Arc<T>,
}

fn bytes_of(sheets: &[Stylesheet]) -> usize {
    sheets
        .iter()
        .map(|s| s.text.len() + s.media.as_ref().map_or(0, String::len))
        .sum()
}

fn same(key: &[(Option<String>, Arc<String>)], sheets: &[Stylesheet]) -> bool {
    // Lengths first: another set is then told apart without reading the texts.
    key.len() == sheets.len()
        && key
            .iter()
            .zip(sheets)
            .all(|((m, t), s)| t.len() == s.text.len() && *m == s.media)
        && key
            .iter()
            .zip(sheets)
            .all(|((_, t), s)| Arc::ptr_eq(t, &s.text) || **t == *s.text)
}

impl<T> SheetsMemo<T> {
    pub const fn new(max_sets: usize, max_bytes: usize) -> Self {
        SheetsMemo {
            entries: Mutex::new(Vec::new()),
            max_sets,
            max_bytes,
        }
    }

    /// The value for these sheets: kept from an earlier page with the same sheets, else
    /// computed (outside the lock, so other pages go on meanwhile) and kept.
    pub fn get(&self, sheets: &[Stylesheet], compute: impl FnOnce() -> T) -> Arc<T> {
        let lock = || self.entries.lock().unwrap_or_else(|p| p.into_inner());
        {
            let mut entries = lock();
            if let Some(i) = entries.iter().position(|e| same(&e.key, sheets)) {
                let hit = entries.remove(i);
                let value = hit.value.clone();
                entries.push(hit);
                return value;
            }
        }
        let value = Arc::new(compute());
        let bytes = bytes_of(sheets);
        if bytes <= self.max_bytes / 4 && self.max_sets > 0 {
            let mut entries = lock();
            let mut total = entries.iter().map(|e| e.bytes).sum::<usize>() + bytes;
            while !entries.is_empty() && (entries.len() >= self.max_sets || total > self.max_bytes)
            {
                total -= entries.remove(0).bytes;
            }
            entries.push(Entry {
                key: sheets
                    .iter()
                    .map(|s| (s.media.clone(), s.text.clone()))
                    .collect(),
                bytes,
                value: value.clone(),
            });
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::StylesheetSource;

    fn sheet(media: Option<&str>, text: &str) -> Stylesheet {
        Stylesheet {
            source: StylesheetSource::StyleElement,
            media: media.map(str::to_string),
            text: Arc::new(text.to_string()),
        }
    }

    #[test]
    fn same_sheets_share_one_value_and_others_do_not() {
        let memo: SheetsMemo<usize> = SheetsMemo::new(2, 1000);
        let calls = std::cell::Cell::new(0);
        // The value kept for `sheets`, or `fresh` when it had to be computed.
        let get = |sheets: &[Stylesheet], fresh: usize| {
            *memo.get(sheets, || {
                calls.set(calls.get() + 1);
                fresh
            })
        };
        let a = [sheet(None, "p { color: red }")];
        let b = [sheet(Some("print"), "p { color: red }")];
        let c = [sheet(None, "p { color: blue }")];
        assert_eq!(get(&a, 1), 1);
        assert_eq!(get(&a, 9), 1);
        // Same text, other media; same length, other text: other values.
        assert_eq!(get(&b, 2), 2);
        assert_eq!(get(&c, 3), 3);
        assert_eq!(calls.get(), 3);
        // Two sets kept: `a`, least recently used, went out.
        assert_eq!(get(&a, 4), 4);
        assert_eq!(get(&c, 9), 3);
        // Too big to keep: computed each time.
        let big = [sheet(None, &"x".repeat(300))];
        assert_eq!(get(&big, 5), 5);
        assert_eq!(get(&big, 6), 6);
        assert_eq!(calls.get(), 6);
    }
}
