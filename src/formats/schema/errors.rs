//! The violations `jsonschema` 0.61 reports for a native document, found by walking the
//! document along the schema's JSON, without building `jsonschema`'s validators (which
//! compiles the 2020-12 meta-schema validator and the schema: about 6M instructions,
//! most of a one-file check of an invalid document).
//!
//! The schema is compiled for the walk once per run ([`Compiled`]: each schema object's
//! keywords read, `$ref`s resolved, ~50 objects), so that walking a document costs
//! about what `jsonschema`'s own error walk costs (on 2,000 invalid forms, 33M
//! instructions against about 50M), and a one-file check pays no meta-schema.
//!
//! The walk interprets the keywords the native schemas use (`type`, `const`, `enum`,
//! `minLength`, `minItems`, `required`, `pattern` for the three patterns of the
//! schemas, `properties` with `patternProperties: {"^x-": {}}` and
//! `additionalProperties: false`, `items`, `oneOf`, `dependentRequired`, local `$ref`)
//! and reports what `jsonschema` reports, in its order: in each schema object the
//! keywords run in `jsonschema`'s priority order (`type`, `const`, `enum`, `minLength`,
//! `minItems`, `required`, `pattern`, the properties, `items`, `oneOf`, `$ref`), a
//! mapping's members in document order with its unknown keys in one error after them,
//! and, where `jsonschema` fuses `properties`, `additionalProperties: false` and a
//! `required` of one name (no `patternProperties`), the missing key after the unknown
//! ones. Anything else (another keyword or pattern, a string the patterns may read
//! differently outside ASCII, an option matching neither or both branches of its
//! `oneOf`) answers `None`: the caller then asks `jsonschema`. The differential tests
//! of `schema.rs` hold this walk to `jsonschema` on every native fixture and example,
//! their one-step mutations and random several-step mutations.

use std::str::FromStr;

use jsonschema::error::TypeKind;
use jsonschema::{JsonType, JsonTypeSet};
use serde_json::Value as J;

use super::super::tree::{Node, Value};
use super::tree_json::{equal, json_type};

/// What a violation is, as [`super::problems`] words it.
pub(super) enum Broken<'s> {
    Additional(Vec<&'s str>),
    Required(&'s str),
    Enum(&'s J),
    /// The `Debug` text of `jsonschema`'s `TypeKind`.
    Type(String),
    Constant(&'s J),
    MinItems(u64),
    Pattern,
    MinLength,
    /// Any other error, by `jsonschema`'s `Display`.
    Other(String),
}

/// A violation at an instance location (a JSON pointer, as `jsonschema` writes it).
pub(super) struct Violation<'s> {
    pub pointer: String,
    pub broken: Broken<'s>,
}

/// The schema of a native kind compiled for the walk: each schema object once, its
/// keywords read and its `$ref`s resolved (as `jsonschema` compiles a validator, but
/// only for these keywords and without checking the schema against the meta-schema).
/// `None` when the schema uses anything the walk does not read.
pub(super) struct Compiled<'s> {
    nodes: Vec<Schema<'s>>,
}

/// One schema object: what its keywords require, in `jsonschema`'s order of checking.
#[derive(Default)]
struct Schema<'s> {
    /// `true` schemas (and `{}`) check nothing.
    type_: Option<(TypeKind, String)>,
    const_: Option<&'s J>,
    enum_: Option<(&'s J, &'s [J])>,
    min_length: Option<u64>,
    min_items: Option<u64>,
    required: Vec<&'s str>,
    /// `properties`, `additionalProperties: false` and a `required` of one name,
    /// without `patternProperties`: one fused validator, the missing key last.
    fused: bool,
    pattern: Option<&'s str>,
    /// `properties` (with `additionalProperties: false`): each name and its schema.
    properties: Option<Vec<(&'s str, usize)>>,
    /// The schema of `patternProperties: {"^x-": ...}`.
    extensions: Option<usize>,
    items: Option<usize>,
    /// The branches of a `oneOf` that must hold exactly once (the condition's is the
    /// reader's to word, and is left out).
    one_of: Vec<usize>,
    reference: Option<usize>,
}

impl<'s> Compiled<'s> {
    pub(super) fn new(root: &'s J) -> Option<Compiled<'s>> {
        let mut c = Compiled { nodes: Vec::new() };
        let mut refs = Vec::new();
        c.compile(root, root, "", &mut refs)?;
        Some(c)
    }

    /// Compile `schema` (at `at`, a `$defs` location or "") into a new node.
    fn compile(
        &mut self,
        root: &'s J,
        schema: &'s J,
        at: &str,
        refs: &mut Vec<(&'s str, usize)>,
    ) -> Option<usize> {
        let index = self.nodes.len();
        self.nodes.push(Schema::default());
        let schema = match schema {
            J::Bool(true) => return Some(index),
            J::Object(o) => o,
            _ => return None,
        };
        let mut k = Keywords::default();
        for (key, value) in schema {
            let slot = match key.as_str() {
                "type" => &mut k.type_,
                "const" => &mut k.const_,
                "enum" => &mut k.enum_,
                "minLength" => &mut k.min_length,
                "minItems" => &mut k.min_items,
                "required" => &mut k.required,
                "dependentRequired" => &mut k.dependent_required,
                "pattern" => &mut k.pattern,
                "properties" => &mut k.properties,
                "patternProperties" => &mut k.pattern_properties,
                "additionalProperties" => &mut k.additional_properties,
                "items" => &mut k.items,
                "oneOf" => &mut k.one_of,
                "$ref" => &mut k.reference,
                key if ANNOTATIONS.contains(&key) => continue,
                _ => return None,
            };
            *slot = Some(value);
        }
        let condition = at == "/$defs/condition";
        let mut s = Schema::default();
        if let Some(types) = k.type_ {
            let kind = match types {
                J::String(name) => TypeKind::Single(JsonType::from_str(name).ok()?),
                J::Array(names) => {
                    let mut set = JsonTypeSet::empty();
                    for name in names {
                        set = set.insert(JsonType::from_str(name.as_str()?).ok()?);
                    }
                    TypeKind::Multiple(set)
                }
                _ => return None,
            };
            // No schema of ours says `integer`: leave its reading of floats to jsonschema.
            let integer = match &kind {
                TypeKind::Single(t) => *t == JsonType::Integer,
                TypeKind::Multiple(set) => set.contains(JsonType::Integer),
            };
            if integer {
                return None;
            }
            let text = format!("{kind:?}");
            s.type_ = Some((kind, text));
        }
        s.const_ = k.const_;
        if let Some(options) = k.enum_ {
            s.enum_ = Some((options, options.as_array()?.as_slice()));
        }
        if let Some(limit) = k.min_length {
            s.min_length = Some(limit.as_u64()?);
        }
        if let Some(limit) = k.min_items {
            s.min_items = Some(limit.as_u64()?);
        }
        let closed = matches!(k.additional_properties, Some(J::Bool(false)));
        s.required = match k.required {
            Some(J::Array(names)) => names.iter().map(J::as_str).collect::<Option<_>>()?,
            Some(_) => return None,
            None => Vec::new(),
        };
        s.fused = closed && k.pattern_properties.is_none() && s.required.len() == 1;
        if k.dependent_required.is_some() && !condition {
            return None;
        }
        if let Some(pattern) = k.pattern {
            let pattern = pattern.as_str()?;
            if !PATTERNS.contains(&pattern) {
                return None;
            }
            s.pattern = Some(pattern);
        }
        if let Some(properties) = k.properties {
            let J::Object(properties) = properties else {
                return None;
            };
            if !closed {
                return None;
            }
            let mut compiled = Vec::with_capacity(properties.len());
            for (name, sub) in properties {
                compiled.push((name.as_str(), self.compile(root, sub, "", refs)?));
            }
            s.properties = Some(compiled);
            match k.pattern_properties {
                None => {}
                Some(J::Object(patterns)) => {
                    for (pattern, sub) in patterns {
                        // The one pattern of the schemas: `^x-`.
                        if pattern != "^x-" || s.extensions.is_some() {
                            return None;
                        }
                        s.extensions = Some(self.compile(root, sub, "", refs)?);
                    }
                }
                Some(_) => return None,
            }
        } else if k.pattern_properties.is_some() || k.additional_properties.is_some() {
            return None;
        }
        if let Some(items) = k.items {
            s.items = Some(self.compile(root, items, "", refs)?);
        }
        if let Some(branches) = k.one_of
            && !condition
        {
            for branch in branches.as_array()? {
                let b = self.compile(root, branch, "", refs)?;
                s.one_of.push(b);
            }
        }
        if let Some(reference) = k.reference {
            let path = reference.as_str()?;
            s.reference = Some(match refs.iter().find(|(r, _)| *r == path) {
                Some((_, i)) => *i,
                None => {
                    let at = path.strip_prefix('#')?;
                    let target = root.pointer(at)?;
                    // Known before it is compiled, so that a schema referring to
                    // itself refers to this node.
                    refs.push((path, self.nodes.len()));
                    self.compile(root, target, at, refs)?
                }
            });
        }
        *self.nodes.get_mut(index)? = s;
        Some(index)
    }

    /// Every violation of `doc`, in `jsonschema`'s order, leaving out the two the
    /// native reader words itself (the condition's `oneOf` and `dependentRequired`,
    /// see `reader_reports`); `None` when the walk cannot decide.
    pub(super) fn violations<'d>(&'s self, doc: &'d Node) -> Option<Vec<Violation<'d>>>
    where
        's: 'd,
    {
        let mut walk = Walk {
            schema: self,
            out: Vec::new(),
            path: Vec::new(),
        };
        walk.node(0, doc)?;
        Some(walk.out)
    }
}

/// A step of the instance location: a mapping key or a list index.
#[derive(Clone, Copy)]
enum Step<'d> {
    Key(&'d str),
    Index(usize),
}

struct Walk<'s, 'd> {
    schema: &'s Compiled<'s>,
    out: Vec<Violation<'d>>,
    /// The instance location of the node being walked, written out only for a
    /// violation.
    path: Vec<Step<'d>>,
}

impl<'s: 'd, 'd> Walk<'s, 'd> {
    fn push(&mut self, broken: Broken<'d>) {
        let mut pointer = String::new();
        for step in &self.path {
            match step {
                Step::Key(name) => push_segment(&mut pointer, name),
                Step::Index(i) => {
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                }
            }
        }
        self.out.push(Violation { pointer, broken });
    }

    fn node(&mut self, at: usize, node: &'d Node) -> Option<()> {
        let schema = self.schema;
        let s = schema.nodes.get(at)?;
        if let Some((kind, text)) = &s.type_ {
            let actual = json_type(node);
            let ok = match kind {
                TypeKind::Single(t) => *t == actual,
                TypeKind::Multiple(set) => set.contains(actual),
            };
            if !ok {
                self.push(Broken::Type(text.clone()));
            }
        }
        if let Some(expected) = s.const_
            && !equal(node, expected)
        {
            self.push(Broken::Constant(expected));
        }
        if let Some((options, values)) = s.enum_
            && !values.iter().any(|v| equal(node, v))
        {
            self.push(Broken::Enum(options));
        }
        if let Some(limit) = s.min_length
            && let Value::Str(text) = &node.value
            && (text.chars().count() as u64) < limit
        {
            self.push(Broken::MinLength);
        }
        if let Some(limit) = s.min_items
            && let Value::Seq(items) = &node.value
            && (items.len() as u64) < limit
        {
            self.push(Broken::MinItems(limit));
        }
        let entries = node.as_map();
        if !s.fused
            && let Some(entries) = entries
        {
            for name in &s.required {
                if !entries.iter().any(|(k, _)| k.text == *name) {
                    self.push(Broken::Required(name));
                }
            }
        }
        if let Some(pattern) = s.pattern
            && let Value::Str(text) = &node.value
            && !matches(pattern, text)?
        {
            self.push(Broken::Pattern);
        }
        if let Some(properties) = &s.properties
            && let Some(entries) = entries
        {
            let mut unexpected = Vec::new();
            for (key, value) in entries {
                let name = key.text.as_str();
                self.path.push(Step::Key(name));
                let known = properties.iter().find(|(n, _)| *n == name);
                if let Some((_, sub)) = known {
                    self.node(*sub, value)?;
                }
                let extension = s.extensions.filter(|_| name.starts_with("x-"));
                if let Some(sub) = extension {
                    self.node(sub, value)?;
                }
                if known.is_none() && extension.is_none() {
                    unexpected.push(name);
                }
                self.path.pop();
            }
            if !unexpected.is_empty() {
                self.push(Broken::Additional(unexpected));
            }
            if s.fused
                && let [name] = s.required[..]
                && !entries.iter().any(|(k, _)| k.text == name)
            {
                self.push(Broken::Required(name));
            }
        }
        if let Some(items) = s.items
            && let Value::Seq(elements) = &node.value
        {
            for (i, element) in elements.iter().enumerate() {
                self.path.push(Step::Index(i));
                self.node(items, element)?;
                self.path.pop();
            }
        }
        if !s.one_of.is_empty() {
            // Exactly one branch must hold, or `jsonschema` words the error.
            let mut holding = 0;
            for &branch in &s.one_of {
                let mut alone = Walk {
                    schema,
                    out: Vec::new(),
                    path: Vec::new(),
                };
                alone.node(branch, node)?;
                holding += usize::from(alone.out.is_empty());
            }
            if holding != 1 {
                return None;
            }
        }
        if let Some(target) = s.reference {
            self.node(target, node)?;
        }
        Some(())
    }
}

/// An id's or owner's pattern: not blank.
pub(super) const NOT_BLANK: &str = "\\S";
/// A frequency cap's pattern: `N/day`, `N/week`, `N/month`.
pub(super) const FREQUENCY: &str = "^\\s*[0-9]{1,9}\\s*/\\s*(day|week|month)\\s*$";
/// A radius's pattern: a number with `m`, `km`, `ft` or `mi`.
pub(super) const DISTANCE: &str = "^\\s*[0-9]+(\\.[0-9]+)?\\s*(m|km|ft|mi)\\s*$";

/// The patterns of the schemas, which [`matches`] reads.
const PATTERNS: &[&str] = &[NOT_BLANK, FREQUENCY, DISTANCE];

/// The keywords the walk reads, found in one pass over a schema object.
#[derive(Default)]
struct Keywords<'s> {
    type_: Option<&'s J>,
    const_: Option<&'s J>,
    enum_: Option<&'s J>,
    min_length: Option<&'s J>,
    min_items: Option<&'s J>,
    required: Option<&'s J>,
    dependent_required: Option<&'s J>,
    pattern: Option<&'s J>,
    properties: Option<&'s J>,
    pattern_properties: Option<&'s J>,
    additional_properties: Option<&'s J>,
    items: Option<&'s J>,
    one_of: Option<&'s J>,
    reference: Option<&'s J>,
}

/// The keywords the walk passes over: annotations and the schema's own bookkeeping.
const ANNOTATIONS: &[&str] = &["$schema", "$id", "$defs", "title", "description", "default"];

/// A JSON pointer segment, escaped as `jsonschema` writes it.
fn push_segment(pointer: &mut String, name: &str) {
    pointer.push('/');
    for c in name.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Whether `s` matches one of the schemas' three patterns; `None` for another pattern,
/// or where the readings of `\s` may differ (characters outside ASCII that are not
/// plainly something else).
pub(super) fn matches(pattern: &str, s: &str) -> Option<bool> {
    match pattern {
        NOT_BLANK => {
            if s.chars().any(|c| !c.is_whitespace() && c != '\u{feff}') {
                Some(true)
            } else if s.bytes().all(space) {
                Some(false)
            } else {
                None
            }
        }
        FREQUENCY => s.is_ascii().then(|| frequency(s)),
        DISTANCE => s.is_ascii().then(|| distance(s)),
        _ => None,
    }
}

/// `\s` on ASCII, in both readings (Unicode's `White_Space`, ECMA 262's WhiteSpace and
/// LineTerminator): space, tab, line feed, vertical tab, form feed, carriage return.
fn space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_ascii() && space(c as u8))
}

/// Leading ASCII digits of `s` and the rest.
fn digits(s: &str) -> (&str, &str) {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    s.split_at(n)
}

/// `^\s*[0-9]{1,9}\s*/\s*(day|week|month)\s*$` on an ASCII string: digits, `/` and
/// spaces are disjoint, so reading greedily is exact.
fn frequency(s: &str) -> bool {
    let (count, rest) = digits(trim(s));
    let Some(unit) = trim(rest).strip_prefix('/') else {
        return false;
    };
    (1..=9).contains(&count.len()) && matches!(trim(unit), "day" | "week" | "month")
}

/// `^\s*[0-9]+(\.[0-9]+)?\s*(m|km|ft|mi)\s*$` on an ASCII string.
fn distance(s: &str) -> bool {
    let (whole, mut rest) = digits(trim(s));
    if whole.is_empty() {
        return false;
    }
    if let Some(after) = rest.strip_prefix('.') {
        let (fraction, after) = digits(after);
        if fraction.is_empty() {
            return false;
        }
        rest = after;
    }
    matches!(trim(rest), "m" | "km" | "ft" | "mi")
}
