//! Reports written from the model: the HTML site, the CSV exports and the terminal summary.
//! The report model itself (report.json) is [`crate::model`].

pub mod csv;
pub mod site;
pub mod text;

pub use crate::model::{
    stream, write_atomic, write_atomic_with, DemarcheOverview, DemarcheReport, PageReport, Report,
    ReportError, RunConfig, ToolInfo, REPORT_SCHEMA, SCHEMA_VERSION,
};
