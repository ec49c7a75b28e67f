//! `--format human`: miette's graphical report, a source snippet per finding with the
//! primary label on the exact value, and related snippets for other files.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan,
};

use crate::finding::{Confidence, Finding, Severity};
use crate::source::{FileId, Loc, Sources};

#[derive(Debug)]
struct Diag {
    message: String,
    code: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    source: NamedSource<String>,
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

fn named(sources: &Sources, file: FileId) -> NamedSource<String> {
    let (name, text, language) = sources
        .get(file)
        .map_or(("<unknown>".to_string(), String::new(), "text"), |f| {
            (f.display.clone(), f.text.clone(), f.language.name())
        });
    NamedSource::new(name, text).with_language(language)
}

fn span(loc: Loc) -> SourceSpan {
    SourceSpan::new(loc.span.offset.into(), loc.span.len)
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
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        Some(f.primary.message.clone()),
        span(f.primary.loc),
    )];
    let mut related = Vec::new();
    for l in &f.secondary {
        if l.loc.file == file {
            labels.push(LabeledSpan::new_with_span(
                Some(l.message.clone()),
                span(l.loc),
            ));
        } else {
            related.push(Diag {
                message: format!("see {}", sources.display(l.loc.file)),
                code: None,
                severity: miette::Severity::Advice,
                help: None,
                source: named(sources, l.loc.file),
                labels: vec![LabeledSpan::new_with_span(
                    Some(l.message.clone()),
                    span(l.loc),
                )],
                related: Vec::new(),
            });
        }
    }
    let mut help = f.help.clone();
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
        message: f.message.clone(),
        code: Some(format!("creeplint::{}", f.rule)),
        severity: severity(f.severity),
        help,
        source: named(sources, file),
        labels,
        related,
    }
}

/// Render every finding. `color` picks the theme; `width` wraps long lines.
pub fn render(sources: &Sources, findings: &[Finding], color: bool, width: usize) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_context_lines(1)
        .with_links(false);
    let mut out = String::new();
    for f in findings {
        let d = diag(sources, f);
        if handler.render_report(&mut out, &d).is_err() {
            out.push_str(&format!("{}: {}\n", f.rule, f.message));
        }
        out.push('\n');
    }
    // miette leaves a space after headings such as `Advice:`; editors and diffs flag it.
    out.lines()
        .map(str::trim_end)
        .fold(String::with_capacity(out.len()), |mut acc, l| {
            acc.push_str(l);
            acc.push('\n');
            acc
        })
}
