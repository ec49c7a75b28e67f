//! A format-neutral tree of YAML/JSON values where every node keeps its byte span.
//! Both YAML and JSON go through serde-saphyr (JSON is YAML 1.2 flow syntax), with
//! parse budgets so that alias bombs and deep nesting fail fast as ordinary errors.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::source::Span;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Held in place when it is up to 24 bytes, as most keys' values are: a file's
    /// tree is built and let go of for every file, and a block for every value was a
    /// fifth of the run's calls to the allocator (issue 14).
    Str(compact_str::CompactString),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub span: Span,
    /// Held in place when it is up to 24 bytes, as keys almost always are (see
    /// [`Value::Str`]).
    pub text: compact_str::CompactString,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }
    /// The entry for `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }
    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(k, v)| (k, v))
    }
    /// A scalar rendered as text (strings as they are, numbers and booleans as written).
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }
    /// [`Node::scalar_text`] as the model holds texts: a string is copied without a
    /// block of its own when it is short.
    pub fn scalar_compact(&self) -> Option<compact_str::CompactString> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            _ => self.scalar_text().map(compact_str::CompactString::from),
        }
    }
    /// The span a diagnostic should underline for a whole mapping: from its first key
    /// (block mappings report an empty span at their first key).
    pub fn head_span(&self) -> Span {
        match &self.value {
            Value::Map(m) => m.first().map_or(self.span, |(k, _)| k.span),
            _ => self.span,
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.to_string()),
            Value::Seq(s) => J::Array(s.iter().map(Node::to_json).collect()),
            Value::Map(m) => J::Object(
                m.iter()
                    .map(|(k, v)| (k.text.to_string(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// Follow a JSON pointer (as produced by schema validation) to the deepest node
    /// that exists, returning it and, when the last step was a mapping key, that key.
    pub fn pointer(&self, pointer: &str) -> (&Node, Option<&Key>) {
        let mut node = self;
        let mut key = None;
        for raw in pointer.split('/').skip(1) {
            // Unescaped only when escaped: most segments are plain names and indices.
            let seg = if raw.contains('~') {
                std::borrow::Cow::Owned(raw.replace("~1", "/").replace("~0", "~"))
            } else {
                std::borrow::Cow::Borrowed(raw)
            };
            let next = match &node.value {
                Value::Map(m) => m.iter().find(|(k, _)| k.text == *seg).map(|(k, v)| {
                    key = Some(k);
                    v
                }),
                Value::Seq(s) => seg
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| s.get(i))
                    .inspect(|_| {
                        key = None;
                    }),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        (node, key)
    }
}

/// What serde-saphyr hands us, before spans are shifted to file offsets.
struct RawNode(Value0);

enum Value0 {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<RawKey>, Spanned<RawNode>)>),
}

struct RawKey(String);

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = RawNode;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<RawNode, E> {
        Ok(RawNode(Value0::Null))
    }
    fn visit_none<E>(self) -> Result<RawNode, E> {
        Ok(RawNode(Value0::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawNode, D::Error> {
        RawNode::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawNode, E> {
        Ok(RawNode(Value0::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawNode, E> {
        Ok(RawNode(Value0::Int(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<RawNode, E> {
        Ok(RawNode(
            i64::try_from(v).map_or(Value0::Float(v as f64), Value0::Int),
        ))
    }
    fn visit_i128<E>(self, v: i128) -> Result<RawNode, E> {
        Ok(RawNode(
            i64::try_from(v).map_or(Value0::Float(v as f64), Value0::Int),
        ))
    }
    fn visit_u128<E>(self, v: u128) -> Result<RawNode, E> {
        Ok(RawNode(
            i64::try_from(v).map_or(Value0::Float(v as f64), Value0::Int),
        ))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawNode, E> {
        Ok(RawNode(Value0::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode(Value0::Str(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<RawNode, E> {
        Ok(RawNode(Value0::Str(v)))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<RawNode, E> {
        Ok(RawNode(Value0::Str(
            String::from_utf8_lossy(v).into_owned(),
        )))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<RawNode, A::Error> {
        let mut v = Vec::new();
        while let Some(x) = a.next_element::<Spanned<RawNode>>()? {
            v.push(x);
        }
        Ok(RawNode(Value0::Seq(v)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<RawNode, A::Error> {
        let mut v = Vec::new();
        while let Some(entry) = a.next_entry::<Spanned<RawKey>, Spanned<RawNode>>()? {
            v.push(entry);
        }
        Ok(RawNode(Value0::Map(v)))
    }
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = RawKey;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a scalar mapping key")
    }
    fn visit_str<E>(self, v: &str) -> Result<RawKey, E> {
        Ok(RawKey(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<RawKey, E> {
        Ok(RawKey(v))
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawKey, E> {
        Ok(RawKey(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawKey, E> {
        Ok(RawKey(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<RawKey, E> {
        Ok(RawKey(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawKey, E> {
        Ok(RawKey(v.to_string()))
    }
    fn visit_unit<E>(self) -> Result<RawKey, E> {
        Ok(RawKey(String::new()))
    }
}

impl<'de> Deserialize<'de> for RawKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Keys are names: ask for a string so that `n:` or `yes:` stay text.
        d.deserialize_string(KeyVisitor)
    }
}

/// A parse failure with the place it happened, relative to the file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
    /// What to do, when the parser knows better than "fix the syntax" (a budget).
    pub help: Option<String>,
}

/// One document of a file: its byte range in the file, and its tree or why it failed.
#[derive(Debug)]
pub struct Document {
    pub span: Span,
    pub result: Result<Node, ParseError>,
}

/// The deepest nesting a creeplint document needs is about 8; 64 leaves room for
/// `x-` extensions while turning 20,000-deep inputs into a quick error.
pub const MAX_DEPTH: usize = 64;
/// Aliases (`*name`) in one document: alias bombs fail fast.
pub const MAX_ALIASES: usize = 1_000;
/// Anchors (`&name`) in one document.
pub const MAX_ANCHORS: usize = 1_000;
/// Values (mappings, sequences and scalars) in one document.
pub const MAX_NODES: usize = 200_000;
/// Parser events in one document.
pub const MAX_EVENTS: usize = 500_000;

fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_aliases = MAX_ALIASES;
    budget.max_anchors = MAX_ANCHORS;
    budget.max_nodes = MAX_NODES;
    budget.max_events = MAX_EVENTS;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.strict_booleans = true;
    options.duplicate_keys = serde_saphyr::options::DuplicateKeyPolicy::Error;
    options.with_snippet = false;
    options
}

/// Split a YAML stream into documents at `---` / `...` marker lines, so that one broken
/// document does not hide the others. Markers are only valid at column 0, where
/// no scalar can continue, so a line-based split is exact.
fn split_documents(text: &str) -> Vec<Span> {
    let mut docs = Documents::default();
    // Only a line starting with `-` or `.` can be a marker: the others are skipped by
    // their first byte, found with `memchr` (splitting every line cost 8 instructions
    // a byte, issue 14).
    let line_starts = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .filter(|&at| matches!(text.as_bytes().get(at), Some(b'-' | b'.')));
    for offset in line_starts {
        let Some(rest) = text.get(offset..) else {
            continue;
        };
        let line = rest
            .find('\n')
            .map_or(rest, |end| rest.get(..=end).unwrap_or(rest));
        docs.line(offset, line);
    }
    docs.finish(text)
}

/// The documents found so far by [`split_documents`]: it is shown the lines that can be
/// markers, in order, each with its offset and its `\n`.
#[derive(Default)]
struct Documents {
    docs: Vec<Span>,
    start: usize,
}

impl Documents {
    fn line(&mut self, offset: usize, line: &str) {
        let bare = line.trim_end_matches(['\n', '\r']);
        let is_start = bare == "---" || bare.starts_with("--- ") || bare.starts_with("---\t");
        let is_end = bare == "..." || bare.starts_with("... ");
        if is_start || is_end {
            if offset > self.start || !self.docs.is_empty() {
                self.docs.push(Span::new(self.start, offset - self.start));
            }
            // `--- value` keeps its content in the new document; `...` ends it.
            self.start = if is_start {
                offset + 3
            } else {
                offset + line.len()
            };
        }
    }

    /// The documents, without those holding only blank lines and comments.
    fn finish(mut self, text: &str) -> Vec<Span> {
        self.docs
            .push(Span::new(self.start, text.len().saturating_sub(self.start)));
        self.docs
            .into_iter()
            .filter(|s| {
                text.get(s.start()..s.end())
                    .is_some_and(|t| t.lines().any(|l| !is_blank_or_comment(l)))
            })
            .collect()
    }
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#') || t.starts_with('%')
}

/// Parse every document of a YAML or JSON text.
pub fn parse(text: &str, is_json: bool) -> Vec<Document> {
    let spans = if is_json {
        vec![Span::new(0, text.len())]
    } else {
        split_documents(text)
    };
    spans
        .into_iter()
        .map(|span| {
            let body = text.get(span.start()..span.end()).unwrap_or("");
            Document {
                span,
                result: parse_one(body, span.start()),
            }
        })
        .collect()
}

fn parse_one(body: &str, base: usize) -> Result<Node, ParseError> {
    if let Some(node) = fast::parse(body, base) {
        return Ok(node);
    }
    parse_with_serde(body, base)
}

/// The reference reading of a document: serde-saphyr with creeplint's options. The
/// fast path must give the same tree whenever it gives one; every error comes from here.
fn parse_with_serde(body: &str, base: usize) -> Result<Node, ParseError> {
    match serde_saphyr::from_str_with_options::<Spanned<RawNode>>(body, options()) {
        Ok(raw) => Ok(convert(raw, body, base)),
        Err(e) => {
            let at = e.location().map_or(0, |l| {
                l.span()
                    .byte_offset()
                    .and_then(|o| usize::try_from(o).ok())
                    .filter(|o| *o > 0)
                    .unwrap_or_else(|| offset_of(body, l.line() as usize, l.column() as usize))
            });
            let at = at.min(body.len());
            let (message, help) = match budget_message(&e) {
                Some((message, help)) => (message, Some(help)),
                None => (clean_message(&e.to_string()), None),
            };
            Err(ParseError {
                span: Span::new(base + at, 0),
                message,
                help,
            })
        }
    }
}

/// The byte offset of a 1-based line and character column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let Some(start) = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .try_fold(0usize, |acc, l| acc.checked_add(l))
    else {
        return 0;
    };
    let rest = text.get(start..).unwrap_or("");
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// A budget breach as a sentence with the limit and what to do, instead of the
/// parser's debug text (`budget breached: Nodes { nodes: 200001 }`). The message
/// follows the format's name (`YAML`, `JSON`).
fn budget_message(e: &serde_saphyr::Error) -> Option<(String, String)> {
    use serde_saphyr::budget::BudgetBreach;
    let serde_saphyr::Error::Budget { breach, .. } = e.without_snippet() else {
        return None;
    };
    let split = "split it into smaller files; creeplint reads every file of a folder";
    let (what, limit, help) = match breach {
        BudgetBreach::Depth { .. } => (
            "nests more levels",
            MAX_DEPTH,
            "flatten it: a creeplint document needs about 8 levels",
        ),
        BudgetBreach::Aliases { .. } | BudgetBreach::AliasAnchorRatio { .. } => (
            "uses more aliases (`*name`)",
            MAX_ALIASES,
            "write the values out instead of repeating aliases",
        ),
        BudgetBreach::Anchors { .. } => ("defines more anchors (`&name`)", MAX_ANCHORS, split),
        BudgetBreach::Nodes { .. } => ("holds more values", MAX_NODES, split),
        BudgetBreach::Events { .. } => ("holds more parser events", MAX_EVENTS, split),
        _ => {
            return Some((
                "document is over one of the parser's limits".to_string(),
                split.to_string(),
            ));
        }
    };
    Some((
        format!(
            "document {what} than creeplint reads in one document ({})",
            thousands(limit)
        ),
        help.to_string(),
    ))
}

/// `200000` as `200,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// serde-saphyr's messages end with a position we already show as a span.
fn clean_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message).trim();
    let cut = first.find(" at line ").map_or(first, |i| &first[..i]);
    cut.trim_end_matches(['.', ':']).to_string()
}

fn span_of<T>(s: &Spanned<T>, body: &str, base: usize) -> Span {
    let sp = s.referenced.span();
    let off = sp
        .byte_offset()
        .and_then(|o| usize::try_from(o).ok())
        .unwrap_or(0);
    let len = sp
        .byte_len()
        .and_then(|o| usize::try_from(o).ok())
        .unwrap_or(0);
    // Block scalars report trailing line breaks and indentation as part of the value.
    let len = body.get(off..off + len).map_or(len, |t| t.trim_end().len());
    Span::new(base + off, len)
}

fn convert(raw: Spanned<RawNode>, body: &str, base: usize) -> Node {
    let span = span_of(&raw, body, base);
    let value = match raw.value.0 {
        Value0::Null => Value::Null,
        Value0::Bool(b) => Value::Bool(b),
        Value0::Int(i) => Value::Int(i),
        Value0::Float(f) => Value::Float(f),
        Value0::Str(s) => Value::Str(s.into()),
        Value0::Seq(items) => {
            Value::Seq(items.into_iter().map(|n| convert(n, body, base)).collect())
        }
        Value0::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = Key {
                        span: span_of(&k, body, base),
                        text: k.value.0.into(),
                    };
                    (key, convert(v, body, base))
                })
                .collect(),
        ),
    };
    Node { span, value }
}

/// The common document read straight from granit-parser's events (the parser under
/// serde-saphyr), without serde's spanned values: about three times cheaper. It only
/// answers for what it reads exactly as serde-saphyr does (untagged, unanchored block
/// and flow collections, strings, `true`/`false`, nulls, plain decimal numbers, at most
/// 64 keys a mapping, well inside the budgets); for anything else, and for every error,
/// it returns `None` and the document is read by serde-saphyr, which words the message.
/// A test compares both readings on every fixture, example and corpus file.
mod fast {
    use std::borrow::Cow;

    use granit_parser::{Event, Parser, ScalarStyle};

    use super::{Key, Node, Value};
    use crate::source::Span;

    /// Deeper documents and bigger mappings go the reference way.
    const MAX_DEPTH: usize = 32;
    const MAX_KEYS: usize = 64;
    const MAX_NODES: usize = super::MAX_NODES / 2;

    struct Reader<'a> {
        events: Parser<'a, granit_parser::StrInput<'a>>,
        body: &'a str,
        base: usize,
        nodes: usize,
        /// The items and entries of the collections being read, innermost last: each
        /// collection is collected here and moved out at its end into a list of
        /// exactly its length (one allocation, no regrowth, no spare slots).
        items: Vec<Node>,
        entries: Vec<(Key, Node)>,
    }

    pub(super) fn parse(body: &str, base: usize) -> Option<Node> {
        if body.starts_with('\u{feff}') {
            return None;
        }
        let mut r = Reader {
            events: Parser::new_from_str(body),
            body,
            base,
            nodes: 0,
            items: Vec::new(),
            entries: Vec::new(),
        };
        if !matches!(r.next()?.0, Event::StreamStart) {
            return None;
        }
        if !matches!(r.next()?.0, Event::DocumentStart(_, None)) {
            return None;
        }
        let (event, span) = r.next()?;
        let root = r.node(event, span, 1)?;
        if !matches!(r.next()?.0, Event::DocumentEnd) || !matches!(r.next()?.0, Event::StreamEnd) {
            return None;
        }
        r.events.next().is_none().then_some(root)
    }

    impl<'a> Reader<'a> {
        fn next(&mut self) -> Option<(Event<'a>, granit_parser::Span)> {
            self.events.next()?.ok()
        }

        /// The span serde-saphyr gives a value: its event's bytes, less the line breaks
        /// and indentation a block scalar reports after it.
        fn span(&self, s: &granit_parser::Span) -> Option<Span> {
            let off = s.start.byte_offset()?;
            let len = s.end.byte_offset()?.saturating_sub(off);
            // Only a text that may end in white space is trimmed: a last byte that is
            // ASCII and not white space (`char::is_whitespace`: tab to carriage return,
            // and space) ends none; trimming every value's text was 1% of a project
            // run (issue 14).
            let len = match self.body.get(off..off + len) {
                Some(t)
                    if t.as_bytes()
                        .last()
                        .is_some_and(|b| b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' ')) =>
                {
                    len
                }
                Some(t) => t.trim_end().len(),
                None => len,
            };
            Some(Span::new(self.base + off, len))
        }

        fn node(
            &mut self,
            event: Event<'a>,
            span: granit_parser::Span,
            depth: usize,
        ) -> Option<Node> {
            self.nodes += 1;
            if depth > MAX_DEPTH || self.nodes > MAX_NODES {
                return None;
            }
            let at = self.span(&span)?;
            let value = match event {
                Event::Scalar(v, style, 0, None) => scalar(v, style)?,
                Event::SequenceStart(_, 0, None) => {
                    let start = self.items.len();
                    loop {
                        let (event, span) = self.next()?;
                        if matches!(event, Event::SequenceEnd) {
                            break;
                        }
                        let item = self.node(event, span, depth + 1)?;
                        self.items.push(item);
                    }
                    Value::Seq(self.items.drain(start..).collect())
                }
                Event::MappingStart(_, 0, None) => {
                    let start = self.entries.len();
                    loop {
                        let (event, span) = self.next()?;
                        let text = match event {
                            Event::MappingEnd => break,
                            Event::Scalar(k, style, 0, None) => key(k, style)?,
                            _ => return None,
                        };
                        // Duplicate keys are an error: serde-saphyr words it.
                        let entries = self.entries.get(start..).unwrap_or_default();
                        if entries.len() >= MAX_KEYS || entries.iter().any(|(k, _)| k.text == text)
                        {
                            return None;
                        }
                        let key = Key {
                            span: self.span(&span)?,
                            text,
                        };
                        let (event, span) = self.next()?;
                        let value = self.node(event, span, depth + 1)?;
                        self.entries.push((key, value));
                    }
                    Value::Map(self.entries.drain(start..).collect())
                }
                _ => return None,
            };
            Some(Node { span: at, value })
        }
    }

    /// A mapping key as text: quoted keys, and plain keys that cannot be read as
    /// anything but text.
    fn key(k: Cow<'_, str>, style: ScalarStyle) -> Option<compact_str::CompactString> {
        // Resolved in place: only a key that is text is copied (a plain key was copied
        // once to be resolved and again to be kept, issue 14).
        if style == ScalarStyle::Plain && (k == "<<" || plain(&k)?.is_some()) {
            return None;
        }
        Some(compact_str::CompactString::new(&k))
    }

    /// An untagged scalar as serde-saphyr resolves it with `strict_booleans`, or `None`
    /// when it would take more than a plain decimal to say.
    fn scalar(v: Cow<'_, str>, style: ScalarStyle) -> Option<Value> {
        if style != ScalarStyle::Plain {
            return Some(Value::Str(compact_str::CompactString::new(&v)));
        }
        Some(match plain(&v)? {
            Some(value) => value,
            None => Value::Str(compact_str::CompactString::new(&v)),
        })
    }

    /// What a plain scalar resolves to: `Some(None)` for text, the null, boolean or
    /// number it reads as, or `None` when it would take more than a plain decimal to say.
    fn plain(t: &str) -> Option<Option<Value>> {
        Some(Some(match t {
            "" | "~" | "null" | "Null" | "NULL" => Value::Null,
            "true" | "True" | "TRUE" => Value::Bool(true),
            "false" | "False" | "FALSE" => Value::Bool(false),
            t if could_be_number(t) => number(t)?,
            _ => return Some(None),
        }))
    }

    /// Whether a plain scalar might be read as a number: it has a digit and only the
    /// characters of YAML's integer and float forms, or names infinity or NaN.
    fn could_be_number(t: &str) -> bool {
        // The shape first: it stops at the first letter past `f` of a word, where
        // looking for a digit first read every text to its end.
        if t.bytes()
            .all(|b| b.is_ascii_hexdigit() || is_number_punctuation(b))
            && t.bytes().any(|b| b.is_ascii_digit())
        {
            return true;
        }
        // Compared without case, in place, and only for a text that ends as one of the
        // words does (trimming every plain scalar was 1% of a project run, issue 14).
        let last = t
            .bytes()
            .rev()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
        if !matches!(last, Some(b'f' | b'F' | b'y' | b'Y' | b'n' | b'N')) {
            return false;
        }
        let word = t
            .trim_matches([' ', '\t', '\r', '\n'])
            .trim_start_matches(['+', '-'])
            .trim_start_matches('.');
        ["inf", "infinity", "nan"]
            .iter()
            .any(|w| word.eq_ignore_ascii_case(w))
    }

    /// The bytes besides hex digits in YAML's integer and float forms (a `match`: a
    /// slice's `contains` called `memchr` for every byte of every plain scalar).
    fn is_number_punctuation(b: u8) -> bool {
        matches!(
            b,
            b' ' | b'\t'
                | b'\r'
                | b'\n'
                | b'+'
                | b'-'
                | b'.'
                | b'_'
                | b':'
                | b'x'
                | b'X'
                | b'o'
                | b'O'
                | b'b'
                | b'B'
        )
    }

    /// `12`, `-3`, `0.5`, `-1.25`: the numbers read here; others go the reference way.
    fn number(t: &str) -> Option<Value> {
        let (negative, unsigned) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (whole, fraction) = match unsigned.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (unsigned, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || (whole.len() > 1 && whole.starts_with('0')) || whole.len() > 18 {
            return None;
        }
        match fraction {
            None if negative && whole == "0" => None,
            None => t.parse::<i64>().ok().map(Value::Int),
            Some(f) if digits(f) && f.len() <= 15 => t.parse::<f64>().ok().map(Value::Float),
            Some(_) => None,
        }
    }
}

/// The end of a node including its last nested value (block mappings report only
/// their start).
pub fn last_end(node: &Node) -> usize {
    match &node.value {
        Value::Map(m) => m
            .last()
            .map_or(node.span.end(), |(k, v)| last_end(v).max(k.span.end())),
        Value::Seq(s) => s
            .last()
            .map_or(node.span.end(), |v| last_end(v).max(node.span.end())),
        _ => node.span.end(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let mut docs = parse(text, false);
        assert_eq!(docs.len(), 1);
        match docs.remove(0).result {
            Ok(n) => n,
            Err(e) => panic!("parse failed: {e:?}"),
        }
    }

    /// Every document of a YAML or JSON file, read both ways: where the fast path gives
    /// a tree it must be serde-saphyr's, spans included. Returns (fast, documents).
    fn compare_file(text: &str, json: bool) -> (usize, usize) {
        let spans = if json {
            vec![Span::new(0, text.len())]
        } else {
            split_documents(text)
        };
        let mut fast_hits = 0;
        for span in &spans {
            let body = text.get(span.start()..span.end()).unwrap_or("");
            if let Some(node) = fast::parse(body, span.start()) {
                assert_eq!(Ok(node), parse_with_serde(body, span.start()), "{body}");
                fast_hits += 1;
            }
        }
        (fast_hits, spans.len())
    }

    #[test]
    fn fast_path_reads_every_file_as_serde_saphyr_does() {
        let mut folders: Vec<std::path::PathBuf> = vec!["examples".into(), "tests/fixtures".into()];
        if std::path::Path::new("../shared/corpus").is_dir() {
            folders.push("../shared/corpus".into());
        } else {
            eprintln!("skipped ../shared/corpus: absent");
        }
        let (mut fast_hits, mut docs) = (0, 0);
        while let Some(dir) = folders.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    folders.push(p);
                    continue;
                }
                let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
                if !["yaml", "yml", "json"].contains(&ext) {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&p) else {
                    continue;
                };
                let json = ext == "json" || text.trim_start().starts_with('{');
                let (f, d) = compare_file(&text, json);
                fast_hits += f;
                docs += d;
            }
        }
        // Most real documents take the fast path.
        assert!(
            docs > 100 && fast_hits * 4 > docs * 3,
            "{fast_hits} of {docs}"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        /// Documents made of the scalars, keys and shapes where YAML readers differ.
        #[test]
        fn fast_path_agrees_with_serde_saphyr(
            entries in proptest::collection::vec((0usize..KEYS.len(), 0usize..VALUES.len(), 0usize..4), 1..5),
        ) {
            let mut text = String::new();
            for (k, v, shape) in entries {
                let (key, value) = (KEYS[k], VALUES[v]);
                match shape {
                    0 => text.push_str(&format!("{key}: {value}\n")),
                    1 => text.push_str(&format!("{key}:\n  - {value}\n  - id: {value}\n")),
                    2 => text.push_str(&format!("{key}: [{value}, x]\n")),
                    _ => text.push_str(&format!("{key}: {{a: {value}, b: c}}\n")),
                }
            }
            let (fast_hits, _) = compare_file(&text, false);
            let _ = fast_hits;
            let json = format!("{{\"k\": {}, \"l\": [1, 2.5, \"x\"]}}", VALUES_JSON[text.len() % VALUES_JSON.len()]);
            compare_file(&json, true);
        }
    }

    const KEYS: &[&str] = &[
        "id",
        "kind",
        "label",
        "id",
        "\"quoted key\"",
        "'single'",
        "1",
        "true",
        "~",
        "<<",
        "null",
        "x-creeplint-allow",
        "purpose",
        "0x1F",
        "yes",
        "n",
        "inf",
    ];
    const VALUES: &[&str] = &[
        "form",
        "inferred",
        "inf",
        "+.INF",
        "NaN",
        "infinity",
        "-Infinity",
        "0.5",
        "-3",
        "12",
        "007",
        "1e3",
        ".inf",
        "-.inf",
        ".nan",
        "yes",
        "no",
        "~",
        "",
        "'quoted'",
        "\"dq\\n\"",
        "0x1F",
        "0o17",
        "1_000",
        "+5",
        "-0",
        "1.",
        ".5",
        "2024-01-01",
        "12:30",
        "|\n    block\n    text",
        ">\n    folded",
        "café",
        "True",
        "FALSE",
        "Null",
        "18446744073709551616",
        "9223372036854775808",
        "-9223372036854775808",
        "&a x",
        "*a",
        "!!str 5",
        "1/week",
        "200m",
        "0.1234567890123456789",
        "face",
        "e",
        "0",
        "00",
        "-",
        "- x",
        "\"\"",
        "a: b",
        "[x, y]",
        "{}",
        "[]",
        "\"\\u00e9\"",
    ];
    const VALUES_JSON: &[&str] = &[
        "0.5",
        "-3",
        "1e3",
        "true",
        "null",
        "\"s\"",
        "{\"a\": 1}",
        "[]",
        "12345678901234567890",
    ];

    /// The line-by-line split the marker search replaced: every line shown to the
    /// splitter, not only those starting with `-` or `.`.
    fn split_every_line(text: &str) -> Vec<Span> {
        let mut docs = Documents::default();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            docs.line(offset, line);
            offset += line.len();
        }
        docs.finish(text)
    }

    #[test]
    fn documents_split_at_marker_lines_only() {
        for text in [
            "",
            "a: 1\n",
            "---\na: 1\n",
            "a: 1\n---\nb: 2\n...\n",
            "--- x\n---\tb\n--- \r\n-a\n- b\n.x\n... \n...\r\nc: 1",
            "a: |\n  ---\n---\n# c\n---\n",
            "---",
            "...",
            "é: 1\n---\nü: 2\n",
        ] {
            assert_eq!(split_documents(text), split_every_line(text), "{text:?}");
        }
    }

    #[test]
    fn spans_are_file_offsets_across_documents() {
        let text = "kind: form\n---\nkind: data\nid: x\n";
        let docs = parse(text, false);
        assert_eq!(docs.len(), 2);
        let second = docs[1].result.as_ref().map_err(|e| e.message.clone());
        let second = second.unwrap_or_else(|e| panic!("{e}"));
        let id = second.get("id").map(|n| n.span);
        assert_eq!(id, Some(Span::new(text.find("x\n").unwrap_or(0), 1)));
    }

    #[test]
    fn keys_stay_text_and_yes_no_are_strings() {
        let n = one("n: no\ny: yes\n");
        assert_eq!(n.get("n").and_then(Node::as_str), Some("no"));
        assert!(n.entry("y").is_some());
    }

    #[test]
    fn a_broken_document_does_not_hide_the_next() {
        let docs = parse("a: [1\n---\nkind: form\n", false);
        assert_eq!(docs.len(), 2);
        assert!(docs[0].result.is_err());
        assert!(docs[1].result.is_ok());
    }

    #[test]
    fn deep_nesting_and_alias_bombs_are_errors() {
        let deep = "[".repeat(20_000) + &"]".repeat(20_000);
        assert!(parse(&deep, true)[0].result.is_err());
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            bomb.push_str(&format!(
                "{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n",
                n = (b'a' + i) as char,
                p = (b'a' + i - 1) as char
            ));
        }
        assert!(parse(&bomb, false)[0].result.is_err());
    }

    #[test]
    fn json_is_read_with_spans() {
        let text = "{\"kind\": \"form\", \"id\": \"caf\\u00e9\"}";
        let n = match parse(text, true).remove(0).result {
            Ok(n) => n,
            Err(e) => panic!("{e:?}"),
        };
        assert_eq!(n.get("id").and_then(Node::as_str), Some("café"));
        assert_eq!(n.get("id").map(|v| v.span.start()), text.find("\"caf"));
    }
}
