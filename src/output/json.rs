//! `--format json`: one object, the stable machine-readable form of every finding.

use serde::Serialize;

use crate::finding::{Confidence, Finding, Severity};
use crate::pipeline::Summary;
use crate::source::{Loc, Sources};

use super::pretty::{self, Chunks, number, string};

/// The document as serde_json's pretty printer writes it: the reference [`write`] is
/// compared with in the tests.
#[cfg(test)]
#[derive(Serialize)]
struct Out<'a> {
    version: u32,
    findings: Findings<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<Hidden<'a>>,
    summary: &'a Summary,
}

#[cfg(test)]
struct Findings<'a> {
    sources: &'a Sources,
    findings: &'a [Finding],
}

#[cfg(test)]
impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.findings.iter().map(|f| finding(self.sources, f)))
    }
}

#[cfg(test)]
struct Hidden<'a> {
    sources: &'a Sources,
    suppressed: &'a [crate::pipeline::Suppressed],
}

#[cfg(test)]
impl Serialize for Hidden<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.suppressed.iter().map(|s| JsonSuppressed {
            finding: finding(self.sources, &s.finding),
            reason: &s.reason,
        }))
    }
}

#[cfg(test)]
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

/// [`render`], written to `w` as each finding is written.
///
/// The findings are written straight from [`Finding`], in the bytes serde_json's pretty
/// printer gives for [`JsonFinding`] (a test compares the two on random findings): through
/// serde every field was a call of the serializer, and every text was escaped a byte at a
/// time, 8,300 instructions per finding (issue 14). The version and the summary are
/// still serde_json's.
pub fn write(
    w: &mut dyn std::io::Write,
    sources: &Sources,
    findings: &[Finding],
    suppressed: Option<&[crate::pipeline::Suppressed]>,
    summary: &Summary,
) -> std::io::Result<()> {
    let mut writer = Writer::new(w);
    writer.findings(sources, findings)?;
    writer.finish(sources, suppressed, summary).map(|_| ())
}

/// [`write`] a run of findings at a time, as `check` hands them over (issue 14): the
/// document's head when made, each run's findings as they come, the rest at
/// [`Writer::finish`].
pub struct Writer<'w> {
    out: Chunks<'w>,
    /// No finding written yet.
    first: bool,
}

impl<'w> Writer<'w> {
    pub fn new(w: &'w mut dyn std::io::Write) -> Self {
        let mut out = Chunks::new(w);
        out.buf
            .extend_from_slice(b"{\n  \"version\": 1,\n  \"findings\": ");
        Writer { out, first: true }
    }

    /// Findings that come after every finding written so far.
    pub fn findings(&mut self, sources: &Sources, findings: &[Finding]) -> std::io::Result<()> {
        for f in findings {
            self.out
                .buf
                .extend_from_slice(if self.first { b"[\n    " } else { b",\n    " });
            self.first = false;
            write_finding(&mut self.out.buf, sources, f, None);
            self.out.hand_over_full()?;
        }
        Ok(())
    }

    /// The end of the findings' list, the suppressed findings (when given) and the
    /// summary; returns the output.
    pub fn finish(
        mut self,
        sources: &Sources,
        suppressed: Option<&[crate::pipeline::Suppressed]>,
        summary: &Summary,
    ) -> std::io::Result<&'w mut dyn std::io::Write> {
        let out = &mut self.out;
        out.buf
            .extend_from_slice(if self.first { b"[]" } else { b"\n  ]" });
        if let Some(suppressed) = suppressed {
            out.buf.extend_from_slice(b",\n  \"suppressed\": ");
            list(out, suppressed, |b, s| {
                write_finding(b, sources, &s.finding, Some(&s.reason));
            })?;
        }
        out.buf.extend_from_slice(b",\n  \"summary\": ");
        pretty::value_at(out, summary, 1)?;
        out.buf.extend_from_slice(b"\n}\n");
        out.hand_over()?;
        Ok(self.out.into_inner())
    }
}

/// A list of the document's top object: `[]`, or one item per line at the second level.
fn list<T>(
    out: &mut Chunks<'_>,
    items: &[T],
    mut one: impl FnMut(&mut Vec<u8>, &T),
) -> std::io::Result<()> {
    if items.is_empty() {
        out.buf.extend_from_slice(b"[]");
        return Ok(());
    }
    out.buf.push(b'[');
    for (i, item) in items.iter().enumerate() {
        out.buf
            .extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
        one(&mut out.buf, item);
        out.hand_over_full()?;
    }
    out.buf.extend_from_slice(b"\n  ]");
    Ok(())
}

/// One finding as an object at the second level (what [`JsonFinding`] serializes to),
/// with the allow's `reason` last for a suppressed one.
fn write_finding(b: &mut Vec<u8>, sources: &Sources, f: &Finding, reason: Option<&str>) {
    // The rule's name, the severity and the confidence are the program's own words, with
    // nothing to escape (`known_words_need_no_escape`): written as they are, each with
    // the text around it at once (issue 14).
    b.extend_from_slice(b"{\n      \"rule\": \"");
    b.extend_from_slice(f.rule.name().as_bytes());
    b.extend_from_slice(b"\",\n      \"severity\": \"");
    b.extend_from_slice(f.severity.as_str().as_bytes());
    b.extend_from_slice(b"\",\n      \"confidence\": \"");
    b.extend_from_slice(f.confidence.as_str().as_bytes());
    b.extend_from_slice(b"\",\n      \"message\": ");
    string(b, &f.message);
    b.extend_from_slice(b",\n      \"file\": ");
    string(b, sources.display(f.primary.loc.file));
    place(b, sources, f.primary.loc, b",\n      \"");
    b.extend_from_slice(b",\n      \"help\": ");
    match &f.help {
        Some(help) => string(b, help),
        None => b.extend_from_slice(b"null"),
    }
    b.extend_from_slice(b",\n      \"doc_url\": \"");
    b.extend_from_slice(crate::docs::url_of(f.rule.name()).as_bytes());
    b.push(b'"');
    b.extend_from_slice(b",\n      \"labels\": ");
    if f.secondary.is_empty() {
        b.extend_from_slice(b"[]");
    } else {
        b.push(b'[');
        for (i, l) in f.secondary.iter().enumerate() {
            b.extend_from_slice(if i == 0 {
                b"\n        "
            } else {
                b",\n        "
            });
            b.extend_from_slice(b"{\n          \"file\": ");
            string(b, sources.display(l.loc.file));
            place(b, sources, l.loc, b",\n          \"");
            b.extend_from_slice(b",\n          \"message\": ");
            string(b, &l.message);
            b.extend_from_slice(b"\n        }");
        }
        b.extend_from_slice(b"\n      ]");
    }
    if let Some(reason) = reason {
        b.extend_from_slice(b",\n      \"reason\": ");
        string(b, reason);
    }
    b.extend_from_slice(b"\n    }");
}

/// `line`, `column`, `end_line` and `end_column` of `loc`, each after `before` (a comma,
/// a line break, the indent and the key's opening quote).
fn place(b: &mut Vec<u8>, sources: &Sources, loc: Loc, before: &[u8]) {
    let (line, column, end_line, end_column) = pretty::span(sources, loc);
    for (key, n) in [
        (&b"line\": "[..], line),
        (b"column\": ", column),
        (b"end_line\": ", end_line),
        (b"end_column\": ", end_column),
    ] {
        b.extend_from_slice(before);
        b.extend_from_slice(key);
        number(b, n);
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::finding::{Label, Subject};
    use crate::pipeline::Suppressed;
    use crate::source::{FileId, SourceFile, Span};
    use proptest::prelude::*;

    /// What `write_finding` writes without escaping needs none: every rule's name and
    /// documentation address, every severity and confidence.
    #[test]
    fn known_words_need_no_escape() {
        let words: Vec<String> = crate::rules::names()
            .flat_map(|n| [n.to_string(), crate::docs::url_of(n).into_owned()])
            .chain(
                [Severity::Error, Severity::Warning, Severity::Info]
                    .map(|s| s.as_str().to_string()),
            )
            .chain(
                [Confidence::High, Confidence::Medium, Confidence::Low]
                    .map(|c| c.as_str().to_string()),
            )
            .collect();
        assert!(words.len() > 40, "{words:?}");
        for w in words {
            let mut escaped = Vec::new();
            pretty::string_content(&mut escaped, &w);
            assert_eq!(escaped, w.as_bytes(), "{w}");
        }
    }

    /// The document as serde_json writes it from the serde structs.
    fn reference(
        sources: &Sources,
        findings: &[Finding],
        suppressed: Option<&[Suppressed]>,
        summary: &Summary,
    ) -> String {
        let out = Out {
            version: 1,
            findings: Findings { sources, findings },
            suppressed: suppressed.map(|suppressed| Hidden {
                sources,
                suppressed,
            }),
            summary,
        };
        let mut text = serde_json::to_string_pretty(&out).unwrap_or_else(|e| panic!("{e}"));
        text.push('\n');
        text
    }

    /// Texts with what JSON escapes (quotes, backslashes, every control character), DEL,
    /// accents and wide characters, long enough to cross the 16-byte runs.
    pub(in crate::output) fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                4 => proptest::char::range('a', 'z'),
                1 => proptest::char::range('\u{0}', '\u{7f}'),
                1 => Just('"'),
                1 => Just('\\'),
                1 => proptest::sample::select(vec!['é', '…', '\u{202e}', '😀', '\u{7f}', '\u{85}']),
            ],
            0..60,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    fn sources(texts: &[String]) -> Sources {
        let mut sources = Sources::default();
        for (i, t) in texts.iter().enumerate() {
            sources.add(SourceFile::new(
                format!("dir/f\"{i}\\.yaml").into(),
                t.clone(),
            ));
        }
        sources
    }

    /// A place in one of the files (or in no file the run knows), anywhere in its text
    /// or past its end.
    pub(in crate::output) fn loc(files: usize, at: (usize, usize, usize)) -> crate::source::Loc {
        crate::source::Loc {
            file: FileId::new(at.0 % (files + 1)),
            span: Span::new(at.1, at.2),
        }
    }

    pub(in crate::output) type Raw = (
        usize,
        u8,
        u8,
        String,
        (usize, usize, usize),
        Option<String>,
        Vec<((usize, usize, usize), String)>,
        Option<String>,
    );

    pub(in crate::output) fn raw() -> impl Strategy<Value = Raw> {
        let place = (0usize..4, 0usize..200, 0usize..50);
        (
            0usize..64,
            0u8..3,
            0u8..3,
            text(),
            place.clone(),
            proptest::option::of(text()),
            proptest::collection::vec((place, text()), 0..3),
            proptest::option::of(text()),
        )
    }

    pub(in crate::output) fn finding(files: usize, r: &Raw) -> Finding {
        let rules = crate::rules::RULES;
        let rule = rules[r.0 % rules.len()].id();
        let severity = [Severity::Info, Severity::Warning, Severity::Error];
        let confidence = [Confidence::Low, Confidence::Medium, Confidence::High];
        let mut f = Finding::new(
            rule,
            Label::new(loc(files, r.4), r.3.clone()),
            r.3.clone(),
            Subject::Form { form: "f".into() },
        );
        f.severity = severity
            .get(usize::from(r.1))
            .copied()
            .unwrap_or(Severity::Info);
        f.confidence = confidence
            .get(usize::from(r.2))
            .copied()
            .unwrap_or(Confidence::Low);
        f.help = r.5.as_deref().map(crate::finding::help_text);
        f.secondary =
            r.6.iter()
                .map(|(at, message)| Label {
                    loc: loc(files, *at),
                    message: message.as_str().into(),
                })
                .collect();
        f
    }

    proptest! {
        /// The hand-written document is serde_json's, byte for byte: random findings
        /// with and without help, labels and suppressed ones, in files of random text.
        #[test]
        fn writes_what_serde_json_writes(
            texts in proptest::collection::vec(text(), 1..4),
            raws in proptest::collection::vec(raw(), 0..6),
            summary in proptest::array::uniform8(0usize..100_000),
        ) {
            let sources = sources(&texts);
            let findings: Vec<Finding> = raws.iter().map(|r| finding(texts.len(), r)).collect();
            let suppressed: Vec<Suppressed> = raws
                .iter()
                .filter_map(|r| {
                    Some(Suppressed {
                        finding: finding(texts.len(), r),
                        reason: r.7.clone()?,
                        by: loc(texts.len(), r.4),
                    })
                })
                .collect();
            let [files, skipped, errors, warnings, infos, hidden, baselined, fixed] = summary;
            let summary = Summary { files, skipped, errors, warnings, infos, suppressed: hidden, baselined, fixed };
            for shown in [None, Some(&suppressed[..])] {
                let ours = render(&sources, &findings, shown, &summary);
                prop_assert_eq!(ours, reference(&sources, &findings, shown, &summary));
            }
        }
    }

    #[test]
    fn numbers_and_escapes_are_serde_json_s() {
        for n in [0, 7, 10, 99, 100, 12_345, usize::MAX] {
            let mut b = Vec::new();
            number(&mut b, n);
            assert_eq!(String::from_utf8(b).unwrap_or_default(), n.to_string());
        }
        let all: String = (0u8..=0x7f).map(char::from).chain("é…😀".chars()).collect();
        for s in [
            all.as_str(),
            "",
            "plain text longer than sixteen bytes",
            "\"\\",
        ] {
            let mut b = Vec::new();
            string(&mut b, s);
            let theirs = serde_json::to_string(s).unwrap_or_default();
            assert_eq!(String::from_utf8(b).unwrap_or_default(), theirs);
        }
    }
}
