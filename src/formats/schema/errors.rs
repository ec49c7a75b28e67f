//! The violations `jsonschema` 0.61 reports for a native document, found by walking the
//! document along the schema's JSON, without building `jsonschema`'s validators (which
//! compiles the 2020-12 meta-schema validator and the schema: about 6M instructions,
//! most of a one-file check of an invalid document).
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
use serde_json::{Map, Value as J};

use super::super::tree::{Node, Value};

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

/// Every violation of `doc` against `schema` (the schema's root), in `jsonschema`'s
/// order, leaving out the two the native reader words itself (the condition's
/// `oneOf` and `dependentRequired`, see `reader_reports`); `None` when the walk cannot
/// decide.
pub(super) fn violations<'s>(schema: &'s J, doc: &'s Node) -> Option<Vec<Violation<'s>>> {
    let mut walk = Walk {
        root: schema,
        out: Vec::new(),
        pointer: String::new(),
    };
    walk.node(schema, "", doc)?;
    Some(walk.out)
}

struct Walk<'s> {
    root: &'s J,
    out: Vec<Violation<'s>>,
    /// The instance location of the node being walked.
    pointer: String,
}

impl<'s> Walk<'s> {
    fn push(&mut self, broken: Broken<'s>) {
        self.out.push(Violation {
            pointer: self.pointer.clone(),
            broken,
        });
    }

    /// Walk `node` against `schema`, whose own location is `at` (a `$defs` entry such
    /// as `/$defs/condition`, or "" anywhere else).
    fn node(&mut self, schema: &'s J, at: &str, node: &'s Node) -> Option<()> {
        let schema = match schema {
            J::Bool(true) => return Some(()),
            J::Object(o) => o,
            _ => return None,
        };
        // One pass over the schema object (its map hashes every lookup), then the
        // keywords in `jsonschema`'s order.
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
        let closed = matches!(k.additional_properties, Some(J::Bool(false)));
        let patterns = k.pattern_properties;
        let required = match k.required {
            Some(J::Array(names)) => names
                .iter()
                .map(J::as_str)
                .collect::<Option<Vec<&'s str>>>()?,
            Some(_) => return None,
            None => Vec::new(),
        };
        // `properties`, `additionalProperties: false` and a `required` of one name,
        // without `patternProperties`: one fused validator, the missing key last.
        let fused = closed && patterns.is_none() && required.len() == 1;

        if let Some(types) = k.type_ {
            self.type_(types, node)?;
        }
        if let Some(expected) = k.const_
            && !equal(node, expected)
        {
            self.push(Broken::Constant(expected));
        }
        if let Some(options) = k.enum_ {
            let J::Array(values) = options else {
                return None;
            };
            if !values.iter().any(|v| equal(node, v)) {
                self.push(Broken::Enum(options));
            }
        }
        if let Some(limit) = k.min_length {
            let limit = limit.as_u64()?;
            if let Value::Str(s) = &node.value
                && (s.chars().count() as u64) < limit
            {
                self.push(Broken::MinLength);
            }
        }
        if let Some(limit) = k.min_items {
            let limit = limit.as_u64()?;
            if let Value::Seq(items) = &node.value
                && (items.len() as u64) < limit
            {
                self.push(Broken::MinItems(limit));
            }
        }
        if !fused && let Some(entries) = node.as_map() {
            for name in &required {
                if !entries.iter().any(|(k, _)| k.text == *name) {
                    self.push(Broken::Required(name));
                }
            }
        }
        if k.dependent_required.is_some() && at != "/$defs/condition" {
            return None;
        }
        if let Some(pattern) = k.pattern
            && let Value::Str(s) = &node.value
            && !matches(pattern.as_str()?, s)?
        {
            self.push(Broken::Pattern);
        }
        if let Some(properties) = k.properties {
            let J::Object(properties) = properties else {
                return None;
            };
            if !closed {
                return None;
            }
            let patterns = match patterns {
                Some(J::Object(p)) => Some(p),
                Some(_) => return None,
                None => None,
            };
            self.members(properties, patterns, node)?;
            if fused
                && let Some(entries) = node.as_map()
                && let [name] = required[..]
                && !entries.iter().any(|(k, _)| k.text == name)
            {
                self.push(Broken::Required(name));
            }
        } else if patterns.is_some() || k.additional_properties.is_some() {
            return None;
        }
        if let Some(items) = k.items
            && let Value::Seq(elements) = &node.value
        {
            let len = self.pointer.len();
            for (i, element) in elements.iter().enumerate() {
                self.pointer.push('/');
                self.pointer.push_str(&i.to_string());
                self.node(items, "", element)?;
                self.pointer.truncate(len);
            }
        }
        if let Some(branches) = k.one_of {
            // The condition's one test is worded by the reader; elsewhere (an option)
            // exactly one branch must hold, or `jsonschema` words the error.
            if at != "/$defs/condition" {
                let J::Array(branches) = branches else {
                    return None;
                };
                let mut holding = 0;
                for branch in branches {
                    if self.holds(branch, node)? {
                        holding += 1;
                    }
                }
                if holding != 1 {
                    return None;
                }
            }
        }
        if let Some(reference) = k.reference {
            let path = reference.as_str()?.strip_prefix('#')?;
            let target = self.root.pointer(path)?;
            self.node(target, path, node)?;
        }
        Some(())
    }

    /// Whether `node` holds against `schema`, by a walk of its own.
    fn holds(&self, schema: &'s J, node: &'s Node) -> Option<bool> {
        let mut walk = Walk {
            root: self.root,
            out: Vec::new(),
            pointer: String::new(),
        };
        walk.node(schema, "", node)?;
        Some(walk.out.is_empty())
    }

    fn type_(&mut self, types: &'s J, node: &Node) -> Option<()> {
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
        let actual = json_type(node);
        let fits = |t: JsonType| match t {
            // No schema of ours says `integer`: leave its reading of floats to jsonschema.
            JsonType::Integer => None,
            t => Some(t == actual),
        };
        let ok = match &kind {
            TypeKind::Single(t) => fits(*t)?,
            TypeKind::Multiple(set) => {
                let mut any = false;
                for t in set.iter() {
                    any |= fits(t)?;
                }
                any
            }
        };
        if !ok {
            self.push(Broken::Type(format!("{kind:?}")));
        }
        Some(())
    }

    /// A mapping's members against `properties` (and `patternProperties`), with
    /// `additionalProperties: false`: each member's errors in document order, then the
    /// unknown keys in one error.
    fn members(
        &mut self,
        properties: &'s Map<String, J>,
        patterns: Option<&'s Map<String, J>>,
        node: &'s Node,
    ) -> Option<()> {
        let Some(entries) = node.as_map() else {
            return Some(());
        };
        let mut unexpected = Vec::new();
        let len = self.pointer.len();
        for (key, value) in entries {
            let name = key.text.as_str();
            push_segment(&mut self.pointer, name);
            let known = properties.get(name);
            if let Some(sub) = known {
                self.node(sub, "", value)?;
            }
            let mut matched = false;
            for (pattern, sub) in patterns.into_iter().flatten() {
                // The one pattern of the schemas: `^x-`.
                if pattern != "^x-" {
                    return None;
                }
                if name.starts_with("x-") {
                    matched = true;
                    self.node(sub, "", value)?;
                }
            }
            if known.is_none() && !matched {
                unexpected.push(name);
            }
            self.pointer.truncate(len);
        }
        if !unexpected.is_empty() {
            self.push(Broken::Additional(unexpected));
        }
        Some(())
    }
}

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

/// The JSON type of a node as `jsonschema` sees it through `tree_json` (a float
/// `serde_json` cannot hold is `null`).
fn json_type(node: &Node) -> JsonType {
    match node.value {
        Value::Null => JsonType::Null,
        Value::Bool(_) => JsonType::Boolean,
        Value::Int(_) => JsonType::Number,
        Value::Float(f) if f.is_finite() => JsonType::Number,
        Value::Float(_) => JsonType::Null,
        Value::Str(_) => JsonType::String,
        Value::Seq(_) => JsonType::Array,
        Value::Map(_) => JsonType::Object,
    }
}

/// `const` and `enum` equality, as `tree_json` answers it.
fn equal(node: &Node, expected: &J) -> bool {
    match (&node.value, expected) {
        (Value::Str(s), J::String(e)) => s == e,
        (Value::Str(_), _) => false,
        (Value::Bool(b), J::Bool(e)) => b == e,
        (Value::Bool(_), _) => false,
        _ => jsonschema::json::cmp::equal(&node.to_json(), expected),
    }
}

/// Whether `s` matches one of the schemas' three patterns; `None` for another pattern,
/// or where the readings of `\s` may differ (characters outside ASCII that are not
/// plainly something else).
fn matches(pattern: &str, s: &str) -> Option<bool> {
    match pattern {
        "\\S" => {
            if s.chars().any(|c| !c.is_whitespace() && c != '\u{feff}') {
                Some(true)
            } else if s.bytes().all(space) {
                Some(false)
            } else {
                None
            }
        }
        "^\\s*[0-9]{1,9}\\s*/\\s*(day|week|month)\\s*$" => s.is_ascii().then(|| frequency(s)),
        "^\\s*[0-9]+(\\.[0-9]+)?\\s*(m|km|ft|mi)\\s*$" => s.is_ascii().then(|| distance(s)),
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
