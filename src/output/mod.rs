//! Renderers: each knows only findings and sources, and writes to a `String`.

pub mod human;
pub mod json;
pub mod report;
pub mod rules;

use crate::pipeline::Summary;

/// The last line of human output.
pub fn summary_line(s: &Summary) -> String {
    format!(
        "{} errors, {} warnings, {} infos in {} files ({} skipped)",
        s.errors, s.warnings, s.infos, s.files, s.skipped
    )
}
