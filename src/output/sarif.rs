//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it. One run; the driver
//! lists every registered rule with its documentation; one result per finding, with a
//! fingerprint that is the baseline's (so alerts follow a finding when lines move).

use serde_json::{Value, json};

use crate::baseline;
use crate::docs;
use crate::finding::{Finding, Severity};
use crate::pipeline::Suppressed;
use crate::rules::RULES;
use crate::source::{Loc, Sources};

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

fn location(sources: &Sources, loc: Loc) -> Value {
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

fn result(sources: &Sources, f: &Finding, entry: &baseline::Entry) -> Value {
    let mut message = f.message.clone();
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
            "message": {"text": f.primary.message},
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
                        "message": {"text": l.message},
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

/// The SARIF log's `results`, each built and serialized as the log is written: the
/// output of a large project is never held whole.
struct Results<'a> {
    sources: &'a Sources,
    findings: &'a [Finding],
    entries: Vec<baseline::Entry>,
    suppressed: Option<(&'a [Suppressed], Vec<baseline::Entry>)>,
}

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

/// [`render`], written to `w` as each result is built.
pub fn write(
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
            tool: json!({"driver": {
                "name": "creeplint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": RULES.iter().map(|r| rule(r)).collect::<Vec<_>>(),
            }}),
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    super::pretty::write(&mut *w, &log)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::uri;

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
