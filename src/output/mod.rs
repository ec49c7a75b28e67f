//! Renderers: each knows only findings and sources; `write` streams to any
//! `std::io::Write`, `render` gives the same text as a `String`.

pub mod escape;
pub mod github;
pub mod human;
pub mod json;
mod pretty;
pub mod report;
pub mod rules;
pub mod sarif;
pub mod snippet;
pub mod statistics;

use crate::pipeline::Summary;

/// What a renderer's `write` writes, as one string: each `render` is its `write` into
/// memory, for callers that want the whole text.
fn written(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> std::io::Result<String> {
    let mut out = Vec::new();
    write(&mut out)?;
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// The last line of human output; what allows and the baseline hid is counted when
/// there is any.
pub fn summary_line(s: &Summary) -> String {
    let mut line = format!(
        "{}, {}, {} in {} ({} skipped)",
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.infos, "info", "infos"),
        plural(s.files, "file", "files"),
        s.skipped
    );
    if s.suppressed > 0 {
        line.push_str(&format!(", {} suppressed", s.suppressed));
    }
    if s.baselined > 0 {
        line.push_str(&format!(", {} in the baseline", s.baselined));
    }
    line
}

/// `1 warning`, `2 warnings`, `0 warnings`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `--show-suppressed` in human output: one line per accepted finding, with its reason.
pub fn suppressed_list(
    sources: &crate::source::Sources,
    suppressed: &[crate::pipeline::Suppressed],
) -> String {
    let mut out = String::new();
    if suppressed.is_empty() {
        return out;
    }
    out.push_str("Suppressed findings:\n");
    for s in suppressed {
        let at = sources.line_col(s.finding.primary.loc);
        out.push_str(&format!(
            "  {}:{}:{} {} {}: {}\n      reason: {}\n",
            escape::controls(sources.display(s.finding.primary.loc.file)),
            at.line,
            at.column,
            s.finding.severity,
            s.finding.rule,
            escape::controls(&s.finding.message),
            escape::controls(&s.reason)
        ));
    }
    out.push('\n');
    out
}
