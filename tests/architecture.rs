//! The shape of the crate: data flows one way, so no top-level module may import a module that
//! imports it back, directly or through others (README, « Layout »). Edges are read from the
//! sources: every `crate::module` path outside comments and `#[cfg(test)]` code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src readable").flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Top-level module → modules it names.
fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let module_of = |p: &Path| -> Option<String> {
        let rel = p.strip_prefix(&src).ok()?;
        let first = rel.components().next()?.as_os_str().to_str()?;
        let name = first.trim_end_matches(".rs").to_string();
        (name != "lib" && name != "main").then_some(name)
    };
    let modules: BTreeSet<String> = files.iter().filter_map(|p| module_of(p)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let Some(from) = module_of(f) else { continue };
        let text = std::fs::read_to_string(f).expect("source readable");
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let targets = graph.entry(from.clone()).or_default();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            // `crate::x` paths, and `use crate::{x, y::z}` groups.
            let mut rest = line;
            while let Some(i) = rest.find("crate::") {
                rest = &rest[i + "crate::".len()..];
                let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                    group
                        .split(['}', ';'])
                        .next()
                        .unwrap_or("")
                        .split(',')
                        .map(|s| s.trim().split("::").next().unwrap_or(""))
                        .collect()
                } else {
                    vec![rest
                        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .next()
                        .unwrap_or("")]
                };
                for n in names {
                    if modules.contains(n) && n != from {
                        targets.insert(n.to_string());
                    }
                }
            }
        }
    }
    graph
}

/// The modules reachable from `start`.
fn reachable(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![start.to_string()];
    while let Some(m) = stack.pop() {
        for n in graph.get(&m).into_iter().flatten() {
            if seen.insert(n.clone()) {
                stack.push(n.clone());
            }
        }
    }
    seen
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let graph = edges();
    assert!(graph.len() > 20, "modules found: {:?}", graph.keys());
    let mut circles = Vec::new();
    for (m, targets) in &graph {
        for t in targets {
            if reachable(&graph, t).contains(m) {
                circles.push(format!("{m} → {t} → … → {m}"));
            }
        }
    }
    assert!(
        circles.is_empty(),
        "module circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_crawl_and_the_page_model_stay_below_the_analysis() {
    let graph = edges();
    for (low, above) in [
        ("crawl", ["analyze", "model", "cerfa", "rules", "report"]),
        ("page", ["css", "a11y", "rules", "analyze", "model"]),
        ("model", ["audit", "report", "store", "indicators", "cli"]),
    ] {
        let reach = reachable(&graph, low);
        for a in above {
            assert!(!reach.contains(a), "{low} reaches {a}: {reach:?}");
        }
    }
}
