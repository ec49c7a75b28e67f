//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it. One run; the driver
//! lists every registered rule with its documentation; one result per finding, with a
//! fingerprint that is the baseline's (so alerts follow a finding when lines move).

use serde_json::{Value, json};

use crate::baseline;
use crate::docs;
use crate::finding::{Finding, Severity};
use crate::pipeline::Suppressed;
use crate::rules::RULES;
use crate::source::{FileId, Sources};

use super::pretty::{self, Chunks, number, string};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// GitHub code scanning's `security-severity` (a CVSS-like score as a string): an
/// error ranks "high" (7.0 to 8.9), a warning "medium" (4.0 to 6.9), an info "low".
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "7.5",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    }
}

/// The display path as a URI reference: relative paths stay relative (`./` in front
/// when the first segment has a `:`, which would read as a scheme:
/// `javascript:alert(1).yaml`), absolute ones become `file:///` URIs (`//srv/...` would
/// name a host), and what may not appear in a URI is percent-encoded.
fn uri(path: &str) -> String {
    let encoded = encode(path);
    let first = path.split('/').next().unwrap_or("");
    let drive = first.len() == 2 && first.ends_with(':') && path.get(2..3) == Some("/");
    if path.starts_with('/') {
        format!("file://{encoded}")
    } else if drive {
        format!("file:///{encoded}")
    } else if first.contains(':') {
        format!("./{encoded}")
    } else {
        encoded
    }
}

fn encode(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A location as the `serde_json::Value` route built it: the reference the written
/// results are compared with in the tests.
#[cfg(test)]
fn location(sources: &Sources, loc: crate::source::Loc) -> Value {
    let start = sources.line_col(loc);
    let end = sources.end_line_col(loc);
    json!({
        "artifactLocation": {"uri": uri(sources.display(loc.file))},
        "region": {
            "startLine": start.line,
            "startColumn": start.column,
            "endLine": end.line,
            "endColumn": end.column,
        }
    })
}

fn rule(r: &crate::rules::Rule) -> Value {
    let (summary, why, text, markdown) = match docs::get(r.name) {
        Ok(d) => {
            let (summary, why, instead) = (d.summary.trim(), d.why.trim(), d.instead.trim());
            (
                summary.to_string(),
                why.to_string(),
                format!("{summary}\n\nWhy it matters: {why}\n\nWhat to do instead: {instead}"),
                format!(
                    "**{summary}**\n\n## Why it matters\n\n{why}\n\n## What to do instead\n\n{instead}\n\nRun `creeplint explain {}` for examples.",
                    r.name
                ),
            )
        }
        // Only a build whose rules/ folder lacks the doc gets here; a test forbids it.
        Err(_) => {
            let line = format!("the `{}` rule", r.name);
            (line.clone(), line.clone(), line.clone(), line)
        }
    };
    json!({
        "id": r.name,
        "name": r.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": why},
        "help": {"text": text, "markdown": markdown},
        "helpUri": docs::url(r.name),
        "defaultConfiguration": {"level": level(r.severity)},
        "properties": {
            "tags": ["privacy", "security"],
            "security-severity": security_severity(r.severity),
        },
    })
}

#[cfg(test)]
fn result(sources: &Sources, f: &Finding, entry: &baseline::Entry) -> Value {
    let mut message = f.message.to_string();
    if let Some(h) = &f.help {
        message.push_str("\n\n");
        message.push_str(h);
    }
    let mut r = json!({
        "ruleId": f.rule.name(),
        "level": level(f.severity),
        "message": {"text": message},
        "locations": [{
            "physicalLocation": location(sources, f.primary.loc),
            "message": {"text": &*f.primary.message},
        }],
        "partialFingerprints": {"creeplint/v1": entry.fingerprint()},
        "properties": {"confidence": f.confidence.as_str()},
    });
    if let Some(i) = RULES.iter().position(|x| x.name == f.rule.name()) {
        r["ruleIndex"] = json!(i);
    }
    if !f.secondary.is_empty() {
        r["relatedLocations"] = Value::Array(
            f.secondary
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    json!({
                        "id": i + 1,
                        "physicalLocation": location(sources, l.loc),
                        "message": {"text": &*l.message},
                    })
                })
                .collect(),
        );
    }
    r
}

/// The SARIF log; suppressed findings are included, marked as suppressed in source,
/// when `suppressed` is given (`--show-suppressed`).
pub fn render(
    sources: &Sources,
    findings: &[Finding],
    suppressed: Option<&[Suppressed]>,
) -> String {
    super::written(|w| write(w, sources, findings, suppressed))
        .unwrap_or_else(|_| String::from("\n"))
}

/// The SARIF log's `results` as the `serde_json::Value` route built them, one `Value`
/// per result: the reference of the tests.
#[cfg(test)]
struct Results<'a> {
    sources: &'a Sources,
    findings: &'a [Finding],
    entries: Vec<baseline::Entry>,
    suppressed: Option<(&'a [Suppressed], Vec<baseline::Entry>)>,
}

#[cfg(test)]
impl serde::Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let kept = self
            .findings
            .iter()
            .zip(&self.entries)
            .map(|(f, e)| result(self.sources, f, e));
        let hidden = self.suppressed.iter().flat_map(|(suppressed, entries)| {
            suppressed.iter().zip(entries).map(|(s, e)| {
                let mut r = result(self.sources, &s.finding, e);
                r["suppressions"] = json!([{"kind": "inSource", "justification": s.reason}]);
                r
            })
        });
        s.collect_seq(kept.chain(hidden))
    }
}

/// The run's `tool`: the driver and every rule's documentation, written once a run.
fn tool() -> Value {
    json!({"driver": {
        "name": "creeplint",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": RULES.iter().map(|r| rule(r)).collect::<Vec<_>>(),
    }})
}

/// [`render`], written to `w` as each result is written.
///
/// The results are written straight from [`Finding`], in the bytes serde_json's pretty
/// printer gave for the `serde_json::Value` each result was built as (a test compares
/// the two on random findings), with the JSON writer's escaping and numbers: building
/// the `Value`s (a map and a key string per field, a copy of every text) and
/// serializing them was most of a SARIF run's instructions (issue 14). The
/// fingerprints are counted without building baseline entries
/// ([`baseline::fingerprints`]). The tool and its rules, written once, are still
/// serde_json's.
pub fn write(
    w: &mut dyn std::io::Write,
    sources: &Sources,
    findings: &[Finding],
    suppressed: Option<&[Suppressed]>,
) -> std::io::Result<()> {
    let mut writer = Writer::new(w)?;
    writer.findings(sources, findings)?;
    writer.finish(sources, suppressed).map(|_| ())
}

/// [`write`] a run of findings at a time, as `check` hands them over (issue 14). A
/// finding's fingerprint counts the findings of its rule and file before it, so every
/// finding of a file must come in one run, as `check` hands them.
pub struct Writer<'w> {
    out: Chunks<'w>,
    uris: Uris,
    /// No result written yet.
    first: bool,
}

impl<'w> Writer<'w> {
    pub fn new(w: &'w mut dyn std::io::Write) -> std::io::Result<Self> {
        let mut out = Chunks::new(w);
        out.buf.extend_from_slice(
            b"{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": ",
        );
        pretty::value_at(&mut out, &tool(), 3)?;
        out.buf.extend_from_slice(
            b",\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": ",
        );
        Ok(Writer {
            out,
            uris: Uris::default(),
            first: true,
        })
    }

    /// Findings that come after every finding written so far, each file's all at once.
    pub fn findings(&mut self, sources: &Sources, findings: &[Finding]) -> std::io::Result<()> {
        let prints = baseline::fingerprints(sources, findings.iter());
        for (f, &e) in findings.iter().zip(&prints) {
            self.result(sources, f, e, None)?;
        }
        Ok(())
    }

    fn result(
        &mut self,
        sources: &Sources,
        f: &Finding,
        print: u64,
        reason: Option<&str>,
    ) -> std::io::Result<()> {
        self.out.buf.extend_from_slice(if self.first {
            b"[\n        "
        } else {
            b",\n        "
        });
        self.first = false;
        write_result(&mut self.out.buf, &mut self.uris, sources, f, print, reason);
        self.out.hand_over_full()
    }

    /// The suppressed findings (when given) as suppressed results, and the end of the
    /// document; returns the output.
    pub fn finish(
        mut self,
        sources: &Sources,
        suppressed: Option<&[Suppressed]>,
    ) -> std::io::Result<&'w mut dyn std::io::Write> {
        if let Some(suppressed) = suppressed {
            let prints = baseline::fingerprints(sources, suppressed.iter().map(|s| &s.finding));
            for (s, &e) in suppressed.iter().zip(&prints) {
                self.result(sources, &s.finding, e, Some(s.reason.as_str()))?;
            }
        }
        let out = &mut self.out;
        out.buf
            .extend_from_slice(if self.first { b"[]" } else { b"\n      ]" });
        out.buf.extend_from_slice(b"\n    }\n  ]\n}\n");
        out.hand_over()?;
        Ok(self.out.into_inner())
    }
}

/// The escaped `uri` of the file written last: results come in file order, so a
/// file's path is encoded once for its run of results, not once per location.
#[derive(Default)]
struct Uris {
    file: Option<FileId>,
    escaped: Vec<u8>,
}

impl Uris {
    fn write(&mut self, b: &mut Vec<u8>, sources: &Sources, file: FileId) {
        if self.file != Some(file) {
            self.escaped.clear();
            pretty::string(&mut self.escaped, &uri(sources.display(file)));
            self.file = Some(file);
        }
        b.extend_from_slice(&self.escaped);
    }
}

/// A location's `physicalLocation` and `message`, keys of an object at the sixth level
/// (the keys indented 14 spaces), and the object's closing brace.
fn write_location(
    b: &mut Vec<u8>,
    uris: &mut Uris,
    sources: &Sources,
    label: &crate::finding::Label,
) {
    b.extend_from_slice(
        b"\n              \"physicalLocation\": {\n                \"artifactLocation\": {\n                  \"uri\": ",
    );
    uris.write(b, sources, label.loc.file);
    let (line, column, end_line, end_column) = pretty::span(sources, label.loc);
    b.extend_from_slice(
        b"\n                },\n                \"region\": {\n                  \"startLine\": ",
    );
    number(b, line);
    b.extend_from_slice(b",\n                  \"startColumn\": ");
    number(b, column);
    b.extend_from_slice(b",\n                  \"endLine\": ");
    number(b, end_line);
    b.extend_from_slice(b",\n                  \"endColumn\": ");
    number(b, end_column);
    b.extend_from_slice(b"\n                }\n              },\n              \"message\": {\n                \"text\": ");
    string(b, &label.message);
    b.extend_from_slice(b"\n              }\n            }");
}

/// `h` as a JSON string of 16 lowercase hex digits (`format!("{h:016x}")`).
fn hex(b: &mut Vec<u8>, h: u64) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    b.push(b'"');
    for shift in (0..16).rev() {
        let digit = (h >> (4 * shift)) & 0xf;
        b.push(HEX.get(digit as usize).copied().unwrap_or(b'0'));
    }
    b.push(b'"');
}

/// One result, an object at the fourth level (what `result` built), with the allow's
/// suppression last for a suppressed finding.
fn write_result(
    b: &mut Vec<u8>,
    uris: &mut Uris,
    sources: &Sources,
    f: &Finding,
    fingerprint: u64,
    reason: Option<&str>,
) {
    b.extend_from_slice(b"{\n          \"ruleId\": ");
    string(b, f.rule.name());
    b.extend_from_slice(b",\n          \"level\": ");
    string(b, level(f.severity));
    b.extend_from_slice(b",\n          \"message\": {\n            \"text\": \"");
    pretty::string_content(b, &f.message);
    if let Some(h) = &f.help {
        b.extend_from_slice(b"\\n\\n");
        pretty::string_content(b, h);
    }
    b.extend_from_slice(b"\"\n          },\n          \"locations\": [\n            {");
    write_location(b, uris, sources, &f.primary);
    b.extend_from_slice(
        b"\n          ],\n          \"partialFingerprints\": {\n            \"creeplint/v1\": ",
    );
    hex(b, fingerprint);
    b.extend_from_slice(
        b"\n          },\n          \"properties\": {\n            \"confidence\": ",
    );
    string(b, f.confidence.as_str());
    b.extend_from_slice(b"\n          }");
    if let Some(i) = RULES.iter().position(|x| x.name == f.rule.name()) {
        b.extend_from_slice(b",\n          \"ruleIndex\": ");
        number(b, i);
    }
    if !f.secondary.is_empty() {
        b.extend_from_slice(b",\n          \"relatedLocations\": [");
        for (i, l) in f.secondary.iter().enumerate() {
            b.extend_from_slice(if i == 0 {
                &b"\n            {\n              \"id\": "[..]
            } else {
                b",\n            {\n              \"id\": "
            });
            number(b, i + 1);
            b.push(b',');
            write_location(b, uris, sources, l);
        }
        b.extend_from_slice(b"\n          ]");
    }
    if let Some(reason) = reason {
        b.extend_from_slice(
            b",\n          \"suppressions\": [\n            {\n              \"kind\": \"inSource\",\n              \"justification\": ",
        );
        string(b, reason);
        b.extend_from_slice(b"\n            }\n          ]");
    }
    b.extend_from_slice(b"\n        }");
}

/// The log as the `serde_json::Value` route wrote it (every result built as a `Value`
/// and serialized): what [`write`] is compared with in the tests.
#[cfg(test)]
fn write_values(
    w: &mut dyn std::io::Write,
    sources: &Sources,
    findings: &[Finding],
    suppressed: Option<&[Suppressed]>,
) -> std::io::Result<()> {
    let results = Results {
        sources,
        findings,
        entries: baseline::entries(sources, findings),
        suppressed: suppressed.map(|suppressed| {
            let hidden: Vec<Finding> = suppressed.iter().map(|s| s.finding.clone()).collect();
            (suppressed, baseline::entries(sources, &hidden))
        }),
    };
    #[derive(serde::Serialize)]
    struct Log<'a> {
        #[serde(rename = "$schema")]
        schema: &'static str,
        version: &'static str,
        runs: [Run<'a>; 1],
    }
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Run<'a> {
        tool: Value,
        column_kind: &'static str,
        results: Results<'a>,
    }
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: tool(),
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    super::pretty::write(&mut *w, &log)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::super::json::tests::{Raw, finding, loc, raw, text};
    use super::*;
    use crate::source::SourceFile;
    use crate::subject::Subject;
    use proptest::prelude::*;

    /// Paths that show the URI's cases: escapes in JSON, characters to percent-encode, a
    /// first segment with a colon, absolute and drive paths.
    const PATHS: [&str; 6] = [
        "dir/f\"0\\.yaml",
        "forms/a b é.yaml",
        "javascript:alert(1).yaml",
        "/srv/app/f\t.yaml",
        "C:/app/f.yaml",
        "../x/😀%.yaml",
    ];

    fn sources(texts: &[(usize, String)]) -> Sources {
        let mut sources = Sources::default();
        for (i, (path, t)) in texts.iter().enumerate() {
            let path = PATHS.get(path % PATHS.len()).copied().unwrap_or("f.yaml");
            sources.add(SourceFile::new(format!("{i}/{path}").into(), t.clone()));
        }
        sources
    }

    /// A random finding whose subject is one of few (so some share a rule, file and
    /// subject, and their fingerprints count occurrences) or a random text.
    fn with_subject(files: usize, r: &Raw, subject: &Option<String>) -> Finding {
        let mut f = finding(files, r);
        let form = subject.as_deref().unwrap_or(["a", "b"][r.0 % 2]);
        f.subject = Subject::Form { form: form.into() }.into();
        f
    }

    fn reference(sources: &Sources, findings: &[Finding], shown: Option<&[Suppressed]>) -> String {
        super::super::written(|w| write_values(w, sources, findings, shown))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    proptest! {
        /// The written log is the `serde_json::Value` route's, byte for byte: random
        /// findings (texts with escapes, control and wide characters; spans across lines
        /// and past the end; unknown files; help or none; related locations; subjects
        /// that repeat, so fingerprints count occurrences), with and without suppressed
        /// findings and their reasons.
        #[test]
        fn writes_what_the_value_route_writes(
            texts in proptest::collection::vec((0usize..6, text()), 1..4),
            raws in proptest::collection::vec(
                (raw(), proptest::option::of(text())),
                0..6,
            ),
        ) {
            let sources = sources(&texts);
            let findings: Vec<Finding> = raws
                .iter()
                .map(|(r, subject)| with_subject(texts.len(), r, subject))
                .collect();
            let suppressed: Vec<Suppressed> = raws
                .iter()
                .filter_map(|(r, subject)| {
                    Some(Suppressed {
                        finding: with_subject(texts.len(), r, subject),
                        reason: r.7.clone()?,
                        by: loc(texts.len(), r.4),
                    })
                })
                .collect();
            for shown in [None, Some(&suppressed[..])] {
                let ours = render(&sources, &findings, shown);
                prop_assert_eq!(ours, reference(&sources, &findings, shown));
            }
        }
    }

    #[test]
    fn uris_are_relative_references_or_file_uris() {
        assert_eq!(uri("forms/a b.yaml"), "forms/a%20b.yaml");
        assert_eq!(
            uri("javascript:alert(1).yaml"),
            "./javascript:alert(1).yaml"
        );
        assert_eq!(uri("a/b:c.yaml"), "a/b:c.yaml");
        assert_eq!(uri("/srv/app/forms/f.yaml"), "file:///srv/app/forms/f.yaml");
        assert_eq!(uri("C:/app/f.yaml"), "file:///C:/app/f.yaml");
        assert_eq!(uri("../shop/f.yaml"), "../shop/f.yaml");
    }
}
