//! Suppressions: `# creeplint: allow RULE[, RULE] -- reason` comments in the raw text and
//! `x-creeplint-allow` entries read into the model, and which findings each one covers.
//! The pipeline applies them; this module only knows places and rule names.

use std::sync::OnceLock;

use regex::Regex;

use crate::finding::Finding;
use crate::model::{Project, Text};
use crate::source::{Loc, SourceFile, Sources, Span};

/// One written decision to accept findings of some rules somewhere.
#[derive(Debug, Clone, PartialEq)]
pub struct Allow {
    /// Where it is written: the comment, or the `x-creeplint-allow` entry.
    pub at: Loc,
    /// The rules it names, each with where the name is written.
    pub rules: Vec<Text>,
    pub reason: Option<String>,
    /// What it covers: findings whose primary span starts inside one of these ranges
    /// (of the file of `at`).
    pub covers: Vec<Span>,
}

impl Allow {
    pub fn covers(&self, f: &Finding) -> bool {
        let loc = f.primary.loc;
        loc.file == self.at.file
            && self
                .covers
                .iter()
                .any(|s| s.offset <= loc.span.offset && loc.span.offset <= s.end())
    }
}

fn comment_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?:^|[ \t])#[ \t]*creeplint[ \t]*:[ \t]*allow\b(.*)$").ok())
        .as_ref()
}

fn is_comment_only(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// Every allow of the project: comments in YAML files, then `x-creeplint-allow` entries.
pub fn collect(sources: &Sources, project: &Project) -> Vec<Allow> {
    let items = project.item_locs();
    let mut out = Vec::new();
    for (id, file) in sources.iter() {
        // Only creeplint's own files: a workflow or a README quoting an allow is not one.
        if !project.files_checked.contains(&id) || crate::formats::is_json(&file.path, &file.text) {
            continue;
        }
        let starts: Vec<Span> = items
            .iter()
            .filter(|l| l.file == id)
            .map(|l| l.span)
            .collect();
        out.extend(comments(file, id, &starts));
    }
    for a in &project.allows {
        out.push(Allow {
            at: a.at,
            rules: vec![a.rule.clone()],
            reason: a
                .reason
                .as_ref()
                .map(|r| r.value.trim().to_string())
                .filter(|r| !r.is_empty()),
            covers: vec![a.item.span],
        });
    }
    out
}

/// The allow comments of one file. `items` are the spans of the file's items.
fn comments(file: &SourceFile, id: crate::source::FileId, items: &[Span]) -> Vec<Allow> {
    let Some(re) = comment_re() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for n in 1..=file.line_count() {
        let Some(line_span) = file.line_span(n) else {
            continue;
        };
        let Some(line) = file.slice(line_span) else {
            continue;
        };
        let Some(caps) = re.captures(line) else {
            continue;
        };
        let (Some(all), Some(rest)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let hash = all.start() + all.as_str().find('#').unwrap_or(0);
        let at = Loc {
            file: id,
            span: Span::new(line_span.offset + hash, line.len() - hash),
        };
        let (names, reason) = match rest.as_str().split_once("--") {
            Some((names, reason)) => (names, Some(reason.trim().to_string())),
            None => (rest.as_str(), None),
        };
        let mut rules = Vec::new();
        let mut offset = line_span.offset + rest.start();
        for part in names.split(',') {
            let trimmed = part.trim();
            if !trimmed.is_empty() {
                let lead = part.len() - part.trim_start().len();
                rules.push(Text::new(
                    trimmed,
                    Loc {
                        file: id,
                        span: Span::new(offset + lead, trimmed.len()),
                    },
                ));
            }
            offset += part.len() + 1;
        }
        // The next line that is not itself a comment, so allows can be stacked.
        let next = (n + 1..=file.line_count())
            .filter_map(|m| file.line_span(m))
            .find(|s| file.slice(*s).is_some_and(|l| !is_comment_only(l)));
        let mut covers = vec![line_span];
        if let Some(next) = next {
            covers.push(next);
            covers.extend(
                items
                    .iter()
                    .filter(|i| next.offset <= i.offset && i.offset <= next.end())
                    .copied(),
            );
        }
        out.push(Allow {
            at,
            rules,
            reason: reason.filter(|r| !r.is_empty()),
            covers,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn parse(text: &str) -> Vec<Allow> {
        let f = SourceFile::new("a.yaml".into(), text.into());
        comments(&f, FileId(0), &[])
    }

    #[test]
    fn names_reason_and_places() {
        let text = "a: 1\n  # creeplint: allow x-rule, other -- because we must\nb: 2\nc: 3\n";
        let a = parse(text);
        assert_eq!(a.len(), 1);
        let names: Vec<&str> = a[0].rules.iter().map(|t| t.value.as_str()).collect();
        assert_eq!(names, ["x-rule", "other"]);
        assert_eq!(a[0].reason.as_deref(), Some("because we must"));
        let x = text.find("x-rule").unwrap_or(0);
        assert_eq!(a[0].rules[0].loc.span, Span::new(x, 6));
        let o = text.find("other").unwrap_or(0);
        assert_eq!(a[0].rules[1].loc.span, Span::new(o, 5));
        // Its own line and the next one.
        assert_eq!(a[0].covers.len(), 2);
        assert_eq!(a[0].covers[1].offset, text.find("b: 2").unwrap_or(0));
    }

    #[test]
    fn without_reason_and_trailing() {
        let a = parse("channel: sms # creeplint: allow x");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].reason, None);
        assert_eq!(a[0].covers.len(), 1);
        assert!(parse("# creeplint: allow x --   \n")[0].reason.is_none());
        assert!(parse("message: \"call#creeplint: allow x\"\n").is_empty());
    }
}
