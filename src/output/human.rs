//! `--format human`: miette's graphical report, a source snippet per finding with the
//! primary label on the exact value, and related snippets for other files.

use std::fmt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan};

use super::escape::{controls, controls_but_lines};
use super::snippet::View;
use crate::finding::{Confidence, Finding, Severity};
use crate::source::{FileId, Sources, Span};

#[derive(Debug)]
struct Diag {
    message: String,
    code: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    source: View,
    labels: Vec<LabeledSpan>,
    related: Vec<Diag>,
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diag {}

impl Diagnostic for Diag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)))
    }
}

/// The view of a file that shows these spans.
fn view(sources: &Sources, file: FileId, spans: &[Span]) -> View {
    View::new(
        controls(sources.display(file)).into_owned(),
        sources.get(file),
        spans,
    )
}

fn label(text: &str, at: miette::SourceSpan, primary: bool) -> LabeledSpan {
    let text = Some(controls_but_lines(text).into_owned());
    if primary {
        LabeledSpan::new_primary_with_span(text, at)
    } else {
        LabeledSpan::new_with_span(text, at)
    }
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn diag(sources: &Sources, f: &Finding) -> Diag {
    let file = f.primary.loc.file;
    let here: Vec<&crate::finding::Label> = std::iter::once(&f.primary)
        .chain(f.secondary.iter().filter(|l| l.loc.file == file))
        .collect();
    let spans: Vec<Span> = here.iter().map(|l| l.loc.span).collect();
    let source = view(sources, file, &spans);
    let labels = here
        .iter()
        .enumerate()
        .map(|(i, l)| label(&l.message, source.span(l.loc.span), i == 0))
        .collect();
    let mut related = Vec::new();
    for l in f.secondary.iter().filter(|l| l.loc.file != file) {
        let source = view(sources, l.loc.file, &[l.loc.span]);
        related.push(Diag {
            message: format!("see {}", controls(sources.display(l.loc.file))),
            code: None,
            severity: miette::Severity::Advice,
            help: None,
            labels: vec![label(&l.message, source.span(l.loc.span), false)],
            source,
            related: Vec::new(),
        });
    }
    let mut help = f.help.as_deref().map(str::to_string);
    if f.confidence != Confidence::High {
        let note = format!(
            "confidence: {} (found by a word list or a name, not a declaration)",
            f.confidence.as_str()
        );
        help = Some(match help {
            Some(h) => format!("{h}\n{note}"),
            None => note,
        });
    }
    let docs = format!("docs: {}", crate::docs::url(f.rule.name()));
    help = Some(match help {
        Some(h) => format!("{h}\n{docs}"),
        None => docs,
    });
    Diag {
        message: controls_but_lines(&f.message).into_owned(),
        code: Some(format!("creeplint::{}", f.rule)),
        severity: severity(f.severity),
        help: help.map(|h| controls_but_lines(&h).into_owned()),
        source,
        labels,
        related,
    }
}

fn handler(color: bool, width: usize) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_context_lines(1)
        .with_links(false)
}

/// One problem in a file that stops the run (an invalid configuration), rendered like
/// a finding: the same clipping of long lines and escaping of control characters.
#[allow(clippy::too_many_arguments)]
pub fn render_problem(
    file: &crate::source::SourceFile,
    span: Span,
    message: &str,
    label_text: &str,
    help: Option<&str>,
    code: &str,
    color: bool,
    width: usize,
) -> String {
    let source = View::new(controls(&file.display).into_owned(), Some(file), &[span]);
    let d = Diag {
        message: controls_but_lines(message).into_owned(),
        code: Some(code.to_string()),
        severity: miette::Severity::Error,
        help: help.map(|h| controls_but_lines(h).into_owned()),
        labels: vec![label(label_text, source.span(span), true)],
        source,
        related: Vec::new(),
    };
    let mut out = String::new();
    if handler(color, width).render_report(&mut out, &d).is_err() {
        out = d.message.clone();
    }
    out
}

/// Render every finding. `color` picks the theme; `width` wraps long lines.
pub fn render(sources: &Sources, findings: &[Finding], color: bool, width: usize) -> String {
    super::written(|w| write(w, sources, findings, color, width)).unwrap_or_default()
}

/// [`render`], written to `w` one finding at a time.
pub fn write(
    w: &mut dyn std::io::Write,
    sources: &Sources,
    findings: &[Finding],
    color: bool,
    width: usize,
) -> std::io::Result<()> {
    Writer::new(w, color, width).findings(sources, findings)
}

/// [`write`] a run of findings at a time, as `check` hands them over (issue 14), with
/// the help footers wrapped so far kept from one run to the next.
pub struct Writer<'w> {
    w: &'w mut dyn std::io::Write,
    handler: GraphicalReportHandler,
    footers: Footers,
    /// One report's text, reused.
    out: String,
}

impl<'w> Writer<'w> {
    pub fn new(w: &'w mut dyn std::io::Write, color: bool, width: usize) -> Self {
        let handler = handler(color, width);
        let footers = Footers {
            straight: Some(handler.clone().with_wrap_lines(false)),
            width,
            ..Footers::default()
        };
        Writer {
            w,
            handler,
            footers,
            out: String::new(),
        }
    }

    /// Findings that come after every finding written so far.
    pub fn findings(&mut self, sources: &Sources, findings: &[Finding]) -> std::io::Result<()> {
        let out = &mut self.out;
        for f in findings {
            out.clear();
            let d = diag(sources, f);
            if self.footers.render(&self.handler, out, d).is_err() {
                out.push_str(&format!("{}: {}\n", f.rule, controls_but_lines(&f.message)));
            }
            out.push('\n');
            // miette leaves a space after headings such as `Advice:`; editors and diffs
            // flag it.
            for line in out.lines() {
                self.w.write_all(line.trim_end().as_bytes())?;
                self.w.write_all(b"\n")?;
            }
        }
        Ok(())
    }

    /// The output, for what comes after the findings.
    pub fn finish(self) -> &'w mut dyn std::io::Write {
        self.w
    }
}

/// The help footers already wrapped, by help text. miette wraps a report's help to the
/// width on every report (Unicode line breaking: two thirds of rendering the findings of
/// 2,000 forms, issue 14), while most findings of a run give one of a few help texts.
/// A report is its header, its snippets, its help footer and its related reports, written
/// one after the other: a footer seen twice is cut from the end of a report without
/// related reports and added to the report rendered without help from then on.
#[derive(Default)]
struct Footers {
    /// The hashes of the help texts seen (a collision only makes a footer kept early).
    seen: std::collections::HashSet<u64>,
    /// Footers, by help text: at most [`Footers::MOST`], so that a run whose findings
    /// each have their own help does not keep them all.
    wrapped: std::collections::HashMap<String, String>,
    /// The handler without line wrapping, for a report whose only wrapped text, its
    /// message, is short enough that wrapping leaves it as it is ([`fits`]): Unicode
    /// line breaking found no place to break in it, at 12% of the human output of
    /// 2,000 forms (issue 14).
    straight: Option<GraphicalReportHandler>,
    /// The width the reports are wrapped to.
    width: usize,
}

/// Whether miette's wrapping leaves `message` as it is at `width`: one line of printable
/// ASCII words and single spaces that fits with room to spare beside the severity
/// mark (the indent miette adds is 4 columns; 8 are left). Wrapped or not, such a line
/// is written as the indent and the line, with no space or break added or taken away.
fn fits(message: &str, width: usize) -> bool {
    !message.is_empty()
        && message.len() + 8 <= width.saturating_sub(2)
        && message.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
        && !message.starts_with(' ')
        && !message.ends_with(' ')
        && !message.contains("  ")
}

impl Footers {
    const MOST: usize = 256;

    fn render(
        &mut self,
        handler: &GraphicalReportHandler,
        out: &mut String,
        mut d: Diag,
    ) -> fmt::Result {
        let help = match d.help.take() {
            Some(help) if d.related.is_empty() => help,
            help => {
                d.help = help;
                return handler.render_report(out, &d);
            }
        };
        if let Some(footer) = self.wrapped.get(&help) {
            // The report without its help wraps only its message.
            let handler = match &self.straight {
                Some(straight) if fits(&d.message, self.width) => straight,
                _ => handler,
            };
            handler.render_report(out, &d)?;
            out.push_str(footer);
            return Ok(());
        }
        let hash = std::hash::BuildHasher::hash_one(&foldhash::fast::FixedState::default(), &help);
        if self.seen.insert(hash) || self.wrapped.len() >= Self::MOST {
            // Seen once: rendered whole, as every report was.
            d.help = Some(help);
            return handler.render_report(out, &d);
        }
        // Seen twice: the report without its footer, then whole; the footer is the rest.
        let start = out.len();
        handler.render_report(out, &d)?;
        let without = out.split_off(start);
        d.help = Some(help);
        handler.render_report(out, &d)?;
        let footer = out
            .get(start..)
            .filter(|all| all.starts_with(&without))
            .and_then(|all| all.get(without.len()..));
        if let Some((help, footer)) = d.help.zip(footer) {
            self.wrapped.insert(help, footer.to_string());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Label, Subject};
    use crate::source::{Loc, SourceFile};

    /// Findings that share a help text render as each renders alone: the footer kept
    /// from the second one is the one miette wraps, at every width, with and without
    /// color, beside findings with other files' labels (rendered whole); and a message
    /// rendered without wrapping ([`fits`]) is the one miette wraps.
    #[test]
    fn kept_footers_are_the_ones_miette_writes() {
        let mut sources = Sources::default();
        let text = "fields:\n  - id: email\n  - id: phone\n  - id: birth_date\n".repeat(3);
        let a = sources.add(SourceFile::new("forms/a.yaml".into(), text.clone()));
        let b = sources.add(SourceFile::new("forms/b.yaml".into(), text));
        let rule = crate::rules::RULES[0].id();
        let help = "add a `purpose:` that tells the person why you ask and what they get for it, e.g. `purpose: We text you when your order ships.`";
        let findings: Vec<Finding> = (0..24)
            .map(|i| {
                let at = |file, offset| Loc {
                    file,
                    span: Span::new(offset, 5),
                };
                let file = if i % 2 == 0 { a } else { b };
                // Messages that wrapping leaves as they are, and ones it changes or might.
                let message = match i % 6 {
                    0 => format!("form `f{i}` asks for a field without saying why"),
                    1 => format!("form  `f{i}`  asks for a field, spaced twice"),
                    2 => format!("formulario `f{i}` pide un dato sin decir por qué"),
                    3 => format!("form `f{i}` asks for a field {}", "and goes on ".repeat(12)),
                    4 => format!("form\t`f{i}` asks with a tab "),
                    _ => format!(" form `f{i}` starts with a space"),
                };
                let f = Finding::new(
                    rule,
                    Label::new(at(file, 16 + (i % 3) * 14), "has no `purpose`"),
                    message,
                    Subject::Form { form: "f".into() },
                )
                .help(if i % 4 == 3 { "another help" } else { help });
                if i % 5 == 4 {
                    f.label(at(if file == a { b } else { a }, 30), "declared here")
                } else {
                    f
                }
            })
            .collect();
        for color in [false, true] {
            for width in [30, 50, 58, 62, 80, 200] {
                let alone: String = findings
                    .iter()
                    .map(|f| render(&sources, std::slice::from_ref(f), color, width))
                    .collect();
                assert_eq!(render(&sources, &findings, color, width), alone);
            }
        }
    }

    #[test]
    fn only_plain_short_lines_are_taken_to_fit() {
        assert!(fits(
            "form `signup` asks for `email` without saying why",
            80
        ));
        assert!(!fits(
            "form `signup` asks for `email` without saying why",
            50
        ));
        assert!(!fits("", 80));
        assert!(!fits("two  spaces", 80));
        assert!(!fits(" leading", 80));
        assert!(!fits("trailing ", 80));
        assert!(!fits("a\ttab", 80));
        assert!(!fits("línea", 80));
        assert!(!fits("two\nlines", 80));
    }
}
