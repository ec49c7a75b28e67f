//! `--format json`: one object, the stable machine-readable form of every finding.

use serde::Serialize;

use crate::finding::{Confidence, Finding, Severity};
use crate::pipeline::Summary;
use crate::source::{Loc, Sources};

#[derive(Serialize)]
struct Out<'a> {
    version: u32,
    findings: Findings<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<Hidden<'a>>,
    summary: &'a Summary,
}

/// The findings, serialized one at a time as the document is written: the output of
/// a large project is never held whole.
struct Findings<'a> {
    sources: &'a Sources,
    findings: &'a [Finding],
}

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.findings.iter().map(|f| finding(self.sources, f)))
    }
}

/// The findings allows accepted, with their reasons, serialized like [`Findings`].
struct Hidden<'a> {
    sources: &'a Sources,
    suppressed: &'a [crate::pipeline::Suppressed],
}

impl Serialize for Hidden<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.suppressed.iter().map(|s| JsonSuppressed {
            finding: finding(self.sources, &s.finding),
            reason: &s.reason,
        }))
    }
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    reason: &'a str,
}

#[derive(Serialize)]
pub struct JsonFinding<'a> {
    pub rule: &'a str,
    pub severity: Severity,
    pub confidence: Confidence,
    pub message: &'a str,
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub help: Option<&'a str>,
    /// The rule's documentation page.
    pub doc_url: std::borrow::Cow<'static, str>,
    pub labels: Vec<JsonLabel<'a>>,
}

#[derive(Serialize)]
pub struct JsonLabel<'a> {
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: &'a str,
}

fn position(sources: &Sources, loc: Loc) -> (usize, usize, usize, usize) {
    let start = sources.line_col(loc);
    let end = sources.end_line_col(loc);
    (start.line, start.column, end.line, end.column)
}

pub fn finding<'a>(sources: &'a Sources, f: &'a Finding) -> JsonFinding<'a> {
    let (line, column, end_line, end_column) = position(sources, f.primary.loc);
    JsonFinding {
        rule: f.rule.name(),
        severity: f.severity,
        confidence: f.confidence,
        message: &f.message,
        file: sources.display(f.primary.loc.file),
        line,
        column,
        end_line,
        end_column,
        help: f.help.as_deref(),
        doc_url: crate::docs::url_of(f.rule.name()),
        labels: f
            .secondary
            .iter()
            .map(|l| {
                let (line, column, end_line, end_column) = position(sources, l.loc);
                JsonLabel {
                    file: sources.display(l.loc.file),
                    line,
                    column,
                    end_line,
                    end_column,
                    message: &l.message,
                }
            })
            .collect(),
    }
}

/// The JSON document; accepted findings are listed with their reasons when
/// `suppressed` is given (`--show-suppressed`).
pub fn render(
    sources: &Sources,
    findings: &[Finding],
    suppressed: Option<&[crate::pipeline::Suppressed]>,
    summary: &Summary,
) -> String {
    super::written(|w| write(w, sources, findings, suppressed, summary))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}\n"))
}

/// [`render`], written to `w` as each finding is serialized.
pub fn write(
    w: &mut dyn std::io::Write,
    sources: &Sources,
    findings: &[Finding],
    suppressed: Option<&[crate::pipeline::Suppressed]>,
    summary: &Summary,
) -> std::io::Result<()> {
    let out = Out {
        version: 1,
        findings: Findings { sources, findings },
        suppressed: suppressed.map(|suppressed| Hidden {
            sources,
            suppressed,
        }),
        summary,
    };
    super::pretty::write(&mut *w, &out)?;
    w.write_all(b"\n")
}
