//! methodologie.html: how each indicator is measured and its levels' thresholds.

use minijinja::value::Serde;
use minijinja::{context, Environment};
use serde::Serialize;

use super::base_context;
use crate::format::fr_number;
use crate::indicators;
use crate::report::stream::RunHeader;

#[derive(Serialize)]
struct LevelRule {
    label: String,
    colour: String,
    icon: String,
    rule: String,
}

#[derive(Serialize)]
struct Definition {
    label: String,
    description: String,
    own: bool,
    levels: Vec<LevelRule>,
}

pub(super) fn render(
    env: &Environment,
    run: &RunHeader,
    probes: usize,
) -> Result<String, minijinja::Error> {
    let cfg = indicators::config();
    let definitions: Vec<Definition> = cfg
        .indicators
        .iter()
        .map(|def| Definition {
            label: def.label.clone(),
            description: def.description.clone(),
            own: def.own,
            levels: def
                .levels
                .iter()
                .map(|l| LevelRule {
                    label: l.label.clone(),
                    colour: l.colour.clone(),
                    icon: cfg.level(l).icon,
                    rule: match l.threshold {
                        Some(s) if s > -1000.0 => {
                            format!("à partir de {} {}", fr_number(s, 1), def.unit)
                        }
                        Some(_) => "en dessous".to_string(),
                        None => "valeur textuelle".to_string(),
                    },
                })
                .collect(),
        })
        .collect();
    let (tool, started_at, finished_at) = base_context(run);
    env.get_template("methodologie.html")?.render(context! {
        nav => "methodologie",
        tool, started_at, finished_at,
        probes,
        min_words => indicators::MIN_WORDS_FOR_READABILITY,
        definitions => Serde(&definitions),
    })
}
