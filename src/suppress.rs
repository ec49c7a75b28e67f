//! Suppressions: `# creeplint: allow RULE[, RULE] -- reason` comments in the raw text and
//! `x-creeplint-allow` entries, and which findings each one covers. Each reader finds
//! its format's suppressions with the helpers here (it alone knows the comment syntax);
//! the pipeline applies them; this module only knows places and rule names.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::OnceLock;

use regex::Regex;

use crate::finding::Finding;
use crate::model::{Text, TextValue};
use crate::source::{FileId, Loc, SourceFile, Span};

/// How a suppression is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// A comment in the text (`# creeplint: allow ...`, `<!-- creeplint: allow ... -->`).
    Comment,
    /// An entry of the data (`x-creeplint-allow`) on the item it covers.
    Entry,
}

/// A comment syntax that can carry `creeplint: allow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentSyntax {
    /// `# ...` to the end of the line (YAML, INI, shell).
    Hash,
    /// `<!-- ... -->` on one line (HTML, XML).
    Markup,
}

/// One written decision to accept findings of some rules somewhere.
#[derive(Debug, Clone, PartialEq)]
pub struct Allow {
    /// Where it is written: the comment, or the `x-creeplint-allow` entry.
    pub at: Loc,
    /// The rules it names, each with where the name is written.
    pub rules: Box<[Text]>,
    /// Shared with the allows before it on the reading thread that give the same
    /// reason ([`TextValue::pooled`]): one allow a file, written with the same reason
    /// across a project, held a block of its own each (issue 14).
    pub reason: Option<TextValue>,
    /// What it covers: findings whose primary span starts inside one of these ranges
    /// (of the file of `at`).
    pub covers: Box<[Span]>,
    pub written: Written,
}

impl Allow {
    pub fn covers(&self, f: &Finding) -> bool {
        let loc = f.primary.loc;
        loc.file == self.at.file
            && self
                .covers
                .iter()
                .any(|s| s.start() <= loc.span.start() && loc.span.start() <= s.end())
    }
}

/// The steps taken matching findings to allows so far in this process (see
/// [`first_covering`]): intervals indexed, findings looked up and heap operations.
/// Counting work, not time, lets a test catch a step that becomes quadratic
/// (tests/linear.rs; [`crate::work::Kind::Allows`]).
pub fn steps() -> u64 {
    crate::work::count(crate::work::Kind::Allows)
}

/// For each finding, the first allow (in `allows` order) that covers it and names its
/// rule among `names` (the usable rule names of each allow, by index of `allows`), with
/// the index of the first such name in that allow. Same answer as trying every allow for
/// every finding, in O((findings + covered spans) log) instead of O(findings x allows):
/// the covered spans are grouped by file and rule, and each group is swept once in offset
/// order with a heap of the spans open at the finding, smallest allow index first.
pub fn first_covering<A: std::borrow::Borrow<Allow>>(
    allows: &[A],
    names: &[Vec<&str>],
    findings: &[Finding],
) -> Vec<Option<(usize, usize)>> {
    type Key<'a> = (FileId, &'a str);
    /// A covered span: start, end (inclusive), allow index, name index.
    type Open = (usize, usize, usize, usize);
    /// The spans of a file and rule, and the findings to place (offset, finding index).
    type Group = (Vec<Open>, Vec<(usize, usize)>);
    // Hashed with foldhash: SipHash of a (file, rule) key for every finding was 0.5% of
    // a project run (issue 14); the groups' order does not matter.
    let mut groups: HashMap<Key<'_>, Group, foldhash::fast::FixedState> = HashMap::default();
    let mut steps = 0u64;
    for (i, (a, names)) in allows.iter().zip(names).enumerate() {
        let a = a.borrow();
        let mut seen: std::collections::HashSet<&str, foldhash::fast::FixedState> =
            std::collections::HashSet::default();
        for (j, name) in names.iter().enumerate() {
            // A name written twice: the first one suppresses, the second stays unused.
            if !seen.insert(*name) {
                continue;
            }
            let group = groups.entry((a.at.file, name)).or_default();
            for s in &a.covers {
                steps += 1;
                group.0.push((s.start(), s.end(), i, j));
            }
        }
    }
    for (k, f) in findings.iter().enumerate() {
        steps += 1;
        if let Some(group) = groups.get_mut(&(f.primary.loc.file, f.rule.name())) {
            group.1.push((f.primary.loc.span.start(), k));
        }
    }
    let mut out = vec![None; findings.len()];
    for (mut spans, mut queries) in groups.into_values() {
        if queries.is_empty() {
            continue;
        }
        spans.sort_unstable();
        queries.sort_unstable();
        let mut open: BinaryHeap<Reverse<(usize, usize, usize)>> = BinaryHeap::new();
        let mut next = spans.iter().peekable();
        for (offset, k) in queries {
            while let Some(&&(start, end, i, j)) = next.peek() {
                if start > offset {
                    break;
                }
                steps += 1;
                open.push(Reverse((i, j, end)));
                next.next();
            }
            while let Some(Reverse((_, _, end))) = open.peek() {
                if *end >= offset {
                    break;
                }
                steps += 1;
                open.pop();
            }
            if let (Some(slot), Some(Reverse((i, j, _)))) = (out.get_mut(k), open.peek()) {
                *slot = Some((*i, *j));
            }
        }
    }
    crate::work::add(crate::work::Kind::Allows, steps);
    out
}

fn comment_re(syntax: CommentSyntax) -> Option<&'static Regex> {
    static HASH: OnceLock<Option<Regex>> = OnceLock::new();
    static MARKUP: OnceLock<Option<Regex>> = OnceLock::new();
    match syntax {
        CommentSyntax::Hash => HASH
            .get_or_init(|| {
                Regex::new(r"(?:^|[ \t])#[ \t]*creeplint[ \t]*:[ \t]*allow\b(.*)$").ok()
            })
            .as_ref(),
        CommentSyntax::Markup => MARKUP
            .get_or_init(|| Regex::new(r"<!--[ \t]*creeplint[ \t]*:[ \t]*allow\b(.*?)-->").ok())
            .as_ref(),
    }
}

fn is_comment_only(line: &str, syntax: CommentSyntax) -> bool {
    let line = line.trim();
    match syntax {
        CommentSyntax::Hash => line.starts_with('#'),
        CommentSyntax::Markup => line.starts_with("<!--") && line.ends_with("-->"),
    }
}

/// An allow written as an entry on an item (`x-creeplint-allow: [{rule, reason}]`): it
/// covers the item.
pub fn entry(item: Loc, rule: Text, reason: Option<&Text>, at: Loc) -> Allow {
    Allow {
        at,
        rules: Box::new([rule]),
        reason: reason
            .map(|r| r.value.trim())
            .filter(|r| !r.is_empty())
            .map(TextValue::pooled),
        covers: Box::new([item.span]),
        written: Written::Entry,
    }
}

/// The next line after a comment's line that is not itself a comment, so that allows
/// can be stacked. Asked for the comments' lines in order, it reads each line of the
/// file at most once, and only as far as the last allow needs: the lines after a
/// comment up to the next code line are remembered, and a comment among them gets the
/// same answer (a forward scan from each comment was quadratic on stacked comments;
/// reading every line of a file with one allow was 3% of a project run, issue 14).
struct NextCode<'f> {
    file: &'f SourceFile,
    syntax: CommentSyntax,
    /// `(from, to, span)`: lines `from + 1 .. to` are comments, and `to` is the next
    /// code line (its span), or past the end (`None`).
    known: Option<(usize, usize, Option<Span>)>,
}

impl<'f> NextCode<'f> {
    fn new(file: &'f SourceFile, syntax: CommentSyntax) -> Self {
        Self {
            file,
            syntax,
            known: None,
        }
    }

    /// The next line after the 1-based line `n` that is not a comment.
    fn after(&mut self, n: usize) -> Option<Span> {
        if let Some((from, to, span)) = self.known
            && from <= n
            && n < to
        {
            return span;
        }
        let count = self.file.line_count();
        let mut at = n + 1;
        let found = loop {
            if at > count {
                break None;
            }
            crate::work::step();
            if let Some(span) = self.file.line_span(at)
                && self
                    .file
                    .slice(span)
                    .is_some_and(|l| !is_comment_only(l, self.syntax))
            {
                break Some(span);
            }
            at += 1;
        };
        self.known = Some((n, at, found));
        found
    }
}

/// The allow comments of one file. `items` are the spans of the file's items: a comment
/// covers its own line, the next line that is not a comment, and the items starting on it.
pub fn comments(
    file: &SourceFile,
    id: FileId,
    items: &[Span],
    syntax: CommentSyntax,
) -> Vec<Allow> {
    // Both patterns need the word `creeplint`: only the lines that hold it are matched
    // (running the pattern on every line of a file with one allow was 5% of a project
    // run, issue 14), and a file without it (most files) compiles nothing.
    let mut lines = memchr::memmem::find_iter(file.text.as_bytes(), "creeplint")
        .map(|at| file.line_of(at))
        .peekable();
    if lines.peek().is_none() {
        return Vec::new();
    }
    let Some(re) = comment_re(syntax) else {
        return Vec::new();
    };
    // Sorted, for a binary search of the items starting on a line.
    let mut items = items.to_vec();
    items.sort_unstable();
    let mut out = Vec::new();
    let mut next_code = NextCode::new(file, syntax);
    let mut last = 0;
    for n in lines {
        // A line that holds the word twice is matched once.
        if n == last {
            continue;
        }
        last = n;
        crate::work::step();
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
        let opener = match syntax {
            CommentSyntax::Hash => '#',
            CommentSyntax::Markup => '<',
        };
        let hash = all.start() + all.as_str().find(opener).unwrap_or(0);
        let end = match syntax {
            CommentSyntax::Hash => line.len(),
            CommentSyntax::Markup => all.end(),
        };
        let at = Loc {
            file: id,
            span: Span::new(line_span.start() + hash, end - hash),
        };
        let (names, reason) = match rest.as_str().split_once("--") {
            Some((names, reason)) => (names, Some(reason.trim())),
            None => (rest.as_str(), None),
        };
        let mut rules = Vec::new();
        let mut offset = line_span.start() + rest.start();
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
        let next = next_code.after(n);
        let mut covers = vec![line_span];
        if let Some(next) = next {
            covers.push(next);
            let first = items.partition_point(|i| i.start() < next.start());
            covers.extend(
                items
                    .get(first..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|i| i.start() <= next.end())
                    .copied(),
            );
        }
        // Held for the whole run: without the room a `Vec` grows into (four places
        // for one rule name or one item, issue 14).
        out.push(Allow {
            at,
            rules: rules.into_boxed_slice(),
            reason: reason.filter(|r| !r.is_empty()).map(TextValue::pooled),
            covers: covers.into_boxed_slice(),
            written: Written::Comment,
        });
    }
    out.shrink_to_fit();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<Allow> {
        let f = SourceFile::new("a.yaml".into(), text.into());
        comments(&f, FileId(0), &[], CommentSyntax::Hash)
    }

    #[test]
    fn names_reason_and_places() {
        let text = "a: 1\n  # creeplint: allow x-rule, other -- because we must\nb: 2\nc: 3\n";
        let a = parse(text);
        assert_eq!(a.len(), 1);
        let names: Vec<&str> = a[0].rules.iter().map(|t| t.as_str()).collect();
        assert_eq!(names, ["x-rule", "other"]);
        assert_eq!(a[0].reason.as_deref(), Some("because we must"));
        let x = text.find("x-rule").unwrap_or(0);
        assert_eq!(a[0].rules[0].loc.span, Span::new(x, 6));
        let o = text.find("other").unwrap_or(0);
        assert_eq!(a[0].rules[1].loc.span, Span::new(o, 5));
        // Its own line and the next one.
        assert_eq!(a[0].covers.len(), 2);
        assert_eq!(a[0].covers[1].start(), text.find("b: 2").unwrap_or(0));
    }

    #[test]
    fn stacked_allows_take_linear_work() {
        let lines = 40_000;
        let mut text = "# creeplint: allow missing-purpose -- reviewed\n".repeat(lines);
        text.push_str("a: 1\n");
        let (allows, steps) = crate::work::measure(|| parse(&text));
        assert_eq!(allows.len(), lines);
        let a = text.find("a: 1").unwrap_or(0);
        assert!(
            allows
                .iter()
                .all(|x| x.covers.get(1) == Some(&Span::new(a, 4)))
        );
        // One pass forward and one backward; a forward scan from each comment took
        // 800 million.
        assert!(steps <= 3 * (lines as u64 + 2), "{steps} steps");
    }

    #[test]
    fn only_lines_with_the_word_are_matched_each_once() {
        let text = "title: creeplint demo\n# creeplint: allow x -- a creeplint reason\nb: 2\n\
                    c: 3 # creeplint: allow y";
        let a = parse(text);
        assert_eq!(a.len(), 2);
        assert_eq!(&*a[0].rules[0].value, "x");
        assert_eq!(a[0].reason.as_deref(), Some("a creeplint reason"));
        assert_eq!(a[0].covers[1].start(), text.find("b: 2").unwrap_or(0));
        assert_eq!(&*a[1].rules[0].value, "y");
        assert_eq!(a[1].covers.len(), 1);
        assert!(parse("a: 1\nb: creeplint\n").is_empty());
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

    /// The indexed matching gives the answer of trying every allow for every finding,
    /// on overlapping spans, several files, repeated names and nested allows.
    #[test]
    fn first_covering_is_the_first_allow_that_covers() {
        use crate::finding::Label;
        use crate::rules::{aggressive_frequency, location_trigger};
        use crate::subject::Subject;
        let rules = [aggressive_frequency::RULE.id(), location_trigger::RULE.id()];
        let mut seed = 7u64;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let mut allows = Vec::new();
        let mut names: Vec<Vec<&str>> = Vec::new();
        let all_names = ["aggressive-frequency", "location-trigger", "sensitive-data"];
        for _ in 0..60 {
            let file = FileId::new(next(3));
            let covers = (0..1 + next(3))
                .map(|_| Span::new(next(200), next(40)))
                .collect();
            allows.push(Allow {
                at: Loc {
                    file,
                    span: Span::new(next(200), 5),
                },
                rules: Box::default(),
                reason: Some(TextValue::from("r")),
                covers,
                written: Written::Comment,
            });
            names.push((0..next(4)).map(|_| all_names[next(3)]).collect());
        }
        let findings: Vec<Finding> = (0..400)
            .map(|_| {
                let loc = Loc {
                    file: FileId::new(next(3)),
                    span: Span::new(next(240), 3),
                };
                Finding::new(
                    rules[next(2)],
                    Label::new(loc, "x"),
                    "t",
                    Subject::field("f", "x"),
                )
            })
            .collect();
        let brute: Vec<Option<(usize, usize)>> = findings
            .iter()
            .map(|f| {
                allows
                    .iter()
                    .zip(&names)
                    .enumerate()
                    .find_map(|(i, (a, names))| {
                        if !a.covers(f) {
                            return None;
                        }
                        let j = names.iter().position(|n| *n == f.rule.name())?;
                        Some((i, j))
                    })
            })
            .collect();
        assert!(brute.iter().filter(|b| b.is_some()).count() > 20);
        assert_eq!(first_covering(&allows, &names, &findings), brute);
    }

    #[test]
    fn markup_comments() {
        let text = "<form>\n  <!-- creeplint: allow hidden-collection -- fraud check -->\n  <input type=hidden name=x>\n</form>\n";
        let f = SourceFile::new("a.html".into(), text.into());
        let a = comments(&f, FileId(0), &[], CommentSyntax::Markup);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].rules[0].as_str(), "hidden-collection");
        assert_eq!(a[0].reason.as_deref(), Some("fraud check"));
        let open = text.find("<!--").unwrap_or(0);
        let close = text.find("-->").unwrap_or(0) + 3;
        assert_eq!(a[0].at.span, Span::new(open, close - open));
        assert_eq!(a[0].covers[1].start(), text.find("  <input").unwrap_or(0));
    }
}
