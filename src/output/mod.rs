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

use crate::finding::Finding;
use crate::pipeline::{Summary, Suppressed};
use crate::source::Sources;

/// A `check` output written a run of findings at a time (issue 14: `check` hands its
/// findings over as it finds them, a batch of files at a time): each format's writer.
pub enum Writer<'w> {
    Json(json::Writer<'w>),
    Sarif(sarif::Writer<'w>),
    Github(&'w mut dyn std::io::Write),
    /// Boxed: its report handler is most of a kilobyte, and one writer is made a run.
    Human(Box<human::Writer<'w>>),
}

impl<'w> Writer<'w> {
    /// Findings that come after every finding written so far, each file's all at once.
    pub fn findings(&mut self, sources: &Sources, findings: &[Finding]) -> std::io::Result<()> {
        match self {
            Writer::Json(w) => w.findings(sources, findings),
            Writer::Sarif(w) => w.findings(sources, findings),
            Writer::Github(w) => github::write(*w, sources, findings),
            Writer::Human(w) => w.findings(sources, findings),
        }
    }

    /// The end of a JSON or SARIF document (with the suppressed findings, when given,
    /// and the summary); nothing for the others. Returns the output.
    pub fn finish(
        self,
        sources: &Sources,
        suppressed: Option<&[Suppressed]>,
        summary: &Summary,
    ) -> std::io::Result<&'w mut dyn std::io::Write> {
        match self {
            Writer::Json(w) => w.finish(sources, suppressed, summary),
            Writer::Sarif(w) => w.finish(sources, suppressed),
            Writer::Github(w) => Ok(w),
            Writer::Human(w) => Ok(w.finish()),
        }
    }
}

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
pub fn suppressed_list(sources: &Sources, suppressed: &[Suppressed]) -> String {
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
