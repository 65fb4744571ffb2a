//! Scores computed from findings and fetch records.

pub mod rgaa;
