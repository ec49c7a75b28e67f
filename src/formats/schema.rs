//! The JSON Schemas of the native formats: printed by `creeplint schema`, and every
//! document is validated against them, with each violation mapped back to the span
//! of the offending key or value.

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;

use self::errors::Broken;
use super::Problem;
use super::native::Kind;
use super::tree::Node;
use crate::source::{FileId, Loc, Span};
use crate::suggest::hint;

pub const FORM: &str = include_str!("schemas/form.json");
pub const DATA: &str = include_str!("schemas/data.json");
pub const PERSONALIZATION: &str = include_str!("schemas/personalization.json");
/// The schema of `creeplint.yaml`, for editors; the configuration itself is validated
/// by `config.rs` against the rules and term lists of the running build.
pub const CONFIG: &str = include_str!("schemas/config.json");

/// The stable `$id` of a schema `creeplint schema` prints (`form`, `data`,
/// `personalization`, `config`): `<repository>/schemas/<name>.json`, under Cargo.toml's
/// `repository`, the one place that names where creeplint lives (tested against the
/// `$id` written in each schema).
pub fn id(name: &str) -> String {
    format!(
        "{}/schemas/{name}.json",
        env!("CARGO_PKG_REPOSITORY").trim_end_matches('/')
    )
}

/// The schema of a native kind.
pub fn of(kind: Kind) -> &'static str {
    match kind {
        Kind::Form => FORM,
        Kind::Data => DATA,
        Kind::Personalization => PERSONALIZATION,
    }
}

/// The schema text of a native kind, or of `config`, by name (the `schema` command).
pub fn text(name: &str) -> Option<&'static str> {
    if name == "config" {
        return Some(CONFIG);
    }
    Kind::parse(name).map(of)
}

mod errors;

/// The parsed JSON of a native kind's schema (for the walk of [`errors`], the
/// did-you-mean keys and `jsonschema`), once per run.
fn schema_json(kind: Kind) -> Option<&'static serde_json::Value> {
    static FORM_J: OnceLock<Option<serde_json::Value>> = OnceLock::new();
    static DATA_J: OnceLock<Option<serde_json::Value>> = OnceLock::new();
    static PERS_J: OnceLock<Option<serde_json::Value>> = OnceLock::new();
    let cell = match kind {
        Kind::Form => &FORM_J,
        Kind::Data => &DATA_J,
        Kind::Personalization => &PERS_J,
    };
    cell.get_or_init(|| serde_json::from_str(of(kind)).ok())
        .as_ref()
}

/// The schema of a native kind compiled for the walk of [`errors`], once per run.
fn walk(
    kind: Kind,
) -> Option<(
    &'static serde_json::Value,
    &'static errors::Compiled<'static>,
)> {
    static FORM_W: OnceLock<Option<errors::Compiled<'static>>> = OnceLock::new();
    static DATA_W: OnceLock<Option<errors::Compiled<'static>>> = OnceLock::new();
    static PERS_W: OnceLock<Option<errors::Compiled<'static>>> = OnceLock::new();
    let cell = match kind {
        Kind::Form => &FORM_W,
        Kind::Data => &DATA_W,
        Kind::Personalization => &PERS_W,
    };
    let schema = schema_json(kind)?;
    let walk = cell
        .get_or_init(|| errors::Compiled::new(schema))
        .as_ref()?;
    Some((schema, walk))
}

struct Compiled {
    json: &'static serde_json::Value,
    /// Reads the spanned tree itself ([`tree_json::TreeJson`]): no `serde_json` copy.
    validator: jsonschema::Validator<tree_json::TreeJson>,
}

fn compile(kind: Kind) -> Option<Compiled> {
    let json = schema_json(kind)?;
    let validator = jsonschema::options_for::<tree_json::TreeJson>()
        .build(json)
        .ok()?;
    Some(Compiled { json, validator })
}

fn compiled(kind: Kind) -> Option<&'static Compiled> {
    static FORM_C: OnceLock<Option<Compiled>> = OnceLock::new();
    static DATA_C: OnceLock<Option<Compiled>> = OnceLock::new();
    static PERS_C: OnceLock<Option<Compiled>> = OnceLock::new();
    let cell = match kind {
        Kind::Form => &FORM_C,
        Kind::Data => &DATA_C,
        Kind::Personalization => &PERS_C,
    };
    cell.get_or_init(|| compile(kind)).as_ref()
}

/// Follow local `$ref`s (`#/$defs/x`) to the schema they name.
fn resolve<'a>(
    root: &'a serde_json::Value,
    mut node: &'a serde_json::Value,
) -> &'a serde_json::Value {
    for _ in 0..8 {
        let Some(target) = node
            .get("$ref")
            .and_then(|r| r.as_str())
            .and_then(|r| r.strip_prefix("#/"))
            .and_then(|path| path.split('/').try_fold(root, |acc, seg| acc.get(seg)))
        else {
            break;
        };
        node = target;
    }
    node
}

/// The property names the schema allows at a JSON pointer of the instance, for did-you-mean.
fn allowed_keys<'a>(root: &'a serde_json::Value, pointer: &str) -> Vec<&'a str> {
    let mut current = resolve(root, root);
    for seg in pointer.split('/').skip(1) {
        let next = if seg.parse::<usize>().is_ok() {
            current.get("items")
        } else {
            current.get("properties").and_then(|p| p.get(seg))
        };
        match next {
            Some(n) => current = resolve(root, n),
            None => return Vec::new(),
        }
    }
    current
        .get("properties")
        .and_then(|p| p.as_object())
        .map(|o| {
            o.keys()
                .map(String::as_str)
                .filter(|k| !k.starts_with("x-"))
                .collect()
        })
        .unwrap_or_default()
}

/// Validate a document of a native kind; every violation becomes a problem at its span.
///
/// Most documents are valid, and [`proves_valid`] says so from the tree alone, without
/// the `serde_json` copy or the compiled schema. A document it cannot prove valid is
/// walked along the schema's JSON for the violations `jsonschema` reports
/// ([`errors`]), without building `jsonschema`'s validators; only where that walk
/// cannot decide is the document validated by `jsonschema` (compiled once, on first
/// need), whose errors become the problems.
pub fn validate(kind: Kind, doc: &Node, file: FileId) -> Vec<Problem> {
    if proves_valid(kind, doc) {
        return Vec::new();
    }
    if let Some((schema, walk)) = walk(kind)
        && let Some(found) = walk.violations(doc)
    {
        let mut out = Vec::new();
        for v in found {
            problem(schema, &v.pointer, v.broken, doc, file, &mut out);
        }
        return out;
    }
    // Not proved is nearly always invalid: walk for the errors at once (a valid
    // document has none) rather than ask for a yes/no first.
    with_jsonschema(kind, doc, file, false)
}

/// [`validate`] without the proof nor the walk: every document through `jsonschema`.
#[doc(hidden)]
pub fn validate_with_jsonschema(kind: Kind, doc: &Node, file: FileId) -> Vec<Problem> {
    with_jsonschema(kind, doc, file, true)
}

fn with_jsonschema(kind: Kind, doc: &Node, file: FileId, yes_no_first: bool) -> Vec<Problem> {
    let Some(c) = compiled(kind) else {
        return vec![Problem::new(
            Loc {
                file,
                span: doc.head_span(),
            },
            format!("creeplint's own `{kind}` schema failed to load; please report this"),
        )];
    };
    // Most documents are valid: a yes/no pass is cheaper than walking for errors.
    if yes_no_first && c.validator.is_valid(doc) {
        return Vec::new();
    }
    problems(c.json, c.validator.iter_errors(doc), doc, file)
}

/// The problems of `jsonschema`'s errors on `doc`, each at its span.
fn problems<'i>(
    schema: &serde_json::Value,
    errors: impl Iterator<Item = jsonschema::ValidationError<'i>>,
    doc: &Node,
    file: FileId,
) -> Vec<Problem> {
    let mut out = Vec::new();
    for err in errors {
        // A condition's one test (`oneOf`) and `within` without `near`
        // (`dependentRequired`) are in the schema for editors; the reader reports them
        // in the condition's own words, once.
        if reader_reports(err.schema_path().as_str()) {
            continue;
        }
        let broken = match err.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                Broken::Additional(unexpected.iter().map(String::as_str).collect())
            }
            ValidationErrorKind::Required { property } => {
                Broken::Required(property.as_str().unwrap_or("?"))
            }
            ValidationErrorKind::Enum { options } => Broken::Enum(options),
            ValidationErrorKind::Type { kind } => Broken::Type(format!("{kind:?}")),
            ValidationErrorKind::Constant { expected_value } => Broken::Constant(expected_value),
            ValidationErrorKind::MinItems { limit } => Broken::MinItems(*limit),
            ValidationErrorKind::Pattern { .. } => Broken::Pattern,
            ValidationErrorKind::MinLength { .. } => Broken::MinLength,
            _ => Broken::Other(err.to_string()),
        };
        problem(
            schema,
            err.instance_path().as_str(),
            broken,
            doc,
            file,
            &mut out,
        );
    }
    out
}

/// The problem (or, for unknown keys, problems) of one violation at `pointer` of `doc`.
fn problem(
    schema: &serde_json::Value,
    pointer: &str,
    broken: Broken<'_>,
    doc: &Node,
    file: FileId,
    problems: &mut Vec<Problem>,
) {
    let (node, key) = doc.pointer(pointer);
    let at = |span| Loc { file, span };
    let problem = match broken {
        Broken::Additional(unexpected) => {
            let allowed = allowed_keys(schema, pointer);
            for name in unexpected {
                let span = node.entry(name).map_or(node.head_span(), |(k, _)| k.span);
                let mut p = Problem::new(at(span), format!("unknown key `{name}`"));
                p = p.help(format!(
                    "{} (keys starting with `x-` are free for your own use)",
                    hint(name, allowed.iter().copied(), "allowed keys here")
                ));
                problems.push(p);
            }
            return;
        }
        Broken::Required(name) => {
            let where_ = match key {
                Some(k)
                    if pointer
                        .rsplit('/')
                        .next()
                        .is_some_and(|s| s.parse::<usize>().is_err()) =>
                {
                    k.span
                }
                _ => node.head_span(),
            };
            Problem::new(at(where_), format!("missing required key `{name}`"))
        }
        Broken::Enum(options) => {
            // Borrowed from the schema: no copy of every choice for each problem.
            let choices: Vec<&str> = options
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            let name = pointer.rsplit('/').next().unwrap_or_default();
            match node.as_seq() {
                // `use: [marketing]` where one value is expected: say so, over the items.
                Some(items) => {
                    let span = match (items.first(), items.last()) {
                        (Some(a), Some(b)) => {
                            Span::new(a.span.start(), b.span.end().saturating_sub(a.span.start()))
                        }
                        _ => node.span,
                    };
                    let mut p =
                        Problem::new(at(span), format!("`{name}` takes one value, not a list"));
                    let only = match items {
                        [one] => one.scalar_text().filter(|v| choices.contains(&v.as_str())),
                        _ => None,
                    };
                    p = p.help(match only {
                        Some(v) => format!("write `{name}: {v}`, without the brackets"),
                        None => format!(
                            "write one of {}",
                            choices
                                .iter()
                                .map(|c| format!("`{c}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                    p
                }
                None => {
                    let got = node.scalar_text().unwrap_or_else(|| "this value".into());
                    let mut p = Problem::new(
                        at(node.span),
                        format!("`{got}` is not one of the allowed values"),
                    );
                    p = p.help(hint(&got, choices.iter().copied(), "use one of"));
                    p
                }
            }
        }
        Broken::Type(kind) => {
            let expected = kind.to_lowercase().replace(['{', '}'], "");
            Problem::new(
                at(node.span),
                format!(
                    "expected {}, found {}",
                    describe_type(&expected),
                    found(node)
                ),
            )
        }
        Broken::Constant(_)
            if pointer == "/version" && node.as_str().is_some_and(|v| v.trim() == "1") =>
        {
            Problem::new(
                at(node.span),
                "`version` is the number 1, not the string \"1\"",
            )
            .help("write `version: 1` without quotes, or leave it out")
        }
        Broken::Constant(_) if pointer == "/version" => Problem::new(
            at(node.span),
            format!(
                "unsupported version `{}`",
                node.scalar_text().unwrap_or_default()
            ),
        )
        .help("this creeplint reads version 1 of the format; write `version: 1` or leave it out"),
        Broken::Constant(expected_value) => Problem::new(
            at(node.span),
            format!("expected `{expected_value}`, found {}", found(node)),
        ),
        Broken::MinItems(limit) => Problem::new(
            at(key.map_or(node.span, |k| k.span)),
            format!(
                "needs at least {limit} item{}",
                if limit == 1 { "" } else { "s" }
            ),
        ),
        Broken::Pattern => {
            let last = pointer.rsplit('/').next().unwrap_or("");
            let shape = match last {
                "within" => "a distance: a number with `m`, `km`, `ft` or `mi`, like `200m`",
                "frequency" => "`N/day`, `N/week` or `N/month`, like `1/week`",
                _ => "a non-empty value",
            };
            Problem::new(
                at(node.span),
                format!(
                    "`{}` is not {shape}",
                    node.scalar_text().unwrap_or_default()
                ),
            )
        }
        Broken::MinLength => Problem::new(at(node.span), "this must not be empty".to_string()),
        Broken::Other(message) => Problem::new(at(node.span), message),
    };
    problems.push(problem);
}

/// Schema constraints whose violations the native reader reports itself.
fn reader_reports(schema_path: &str) -> bool {
    schema_path
        .strip_prefix("/$defs/condition/")
        .is_some_and(|k| k == "oneOf" || k.starts_with("dependentRequired"))
}

fn describe_type(expected: &str) -> String {
    // TypeKind's Debug is `Single(String)` or `Multiple(..)`; make it readable.
    expected
        .replace("single(", "")
        .replace("multiple(", "")
        .replace(')', "")
        .replace("integer", "a whole number")
        .replace("number", "a number")
        .replace("string", "a string")
        .replace("boolean", "`true` or `false`")
        .replace("array", "a list")
        .replace("object", "a mapping")
        .replace("null", "nothing")
}

fn found(node: &Node) -> &'static str {
    use super::tree::Value;
    match node.value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Int(_) | Value::Float(_) => "a number",
        Value::Str(_) => "a string",
        Value::Seq(_) => "a list",
        Value::Map(_) => "a mapping",
    }
}

/// The spanned tree as `jsonschema` reads an instance ([`jsonschema::json::Json`]), so
/// documents are validated in place. Every answer is the one `serde_json` gives for
/// [`Node::to_json`] of the same node: floats `serde_json` cannot hold (NaN, infinity)
/// read as `null`, mappings keep their order (as with `preserve_order`).
mod tree_json {
    use std::borrow::Cow;

    use jsonschema::JsonType;
    use jsonschema::json::{Array, Json, JsonNumber, Node as JsonNode, NodeIdentity, Object};
    use serde_json::Value as J;

    use super::super::tree::{Key, Node, Value};
    use crate::source::Span;

    pub struct TreeJson;

    impl Json for TreeJson {
        type Node<'a> = &'a Node;
        type PreparedKey = String;
        type StringBuffer = Option<Node>;
        // As for `serde_json` with `preserve_order`: small mappings are scanned.
        const KEYS_PER_LOOKUP: usize = 2;
        const ACYCLIC: bool = true;

        fn prepare_key(key: &str) -> String {
            key.to_owned()
        }

        fn with_string_node<T>(
            buffer: &mut Option<Node>,
            string: &str,
            f: impl FnOnce(&Node) -> T,
        ) -> T {
            f(buffer.insert(Node {
                span: Span::new(0, 0),
                value: Value::Str(string.into()),
            }))
        }
    }

    #[derive(Clone, Copy)]
    pub enum Number {
        Int(i64),
        Float(f64),
    }

    impl JsonNumber for Number {
        fn as_u64(&self) -> Option<u64> {
            match *self {
                Number::Int(i) => u64::try_from(i).ok(),
                Number::Float(_) => None,
            }
        }
        fn as_i64(&self) -> Option<i64> {
            match *self {
                Number::Int(i) => Some(i),
                Number::Float(_) => None,
            }
        }
        fn as_f64(&self) -> Option<f64> {
            Some(match *self {
                Number::Int(i) => i as f64,
                Number::Float(f) => f,
            })
        }
        fn as_str(&self) -> Cow<'_, str> {
            Cow::Owned(self.to_number().to_string())
        }
        fn to_number(&self) -> Cow<'_, serde_json::Number> {
            Cow::Owned(match *self {
                Number::Int(i) => serde_json::Number::from(i),
                // Only finite floats are numbers (see `number`).
                Number::Float(f) => {
                    serde_json::Number::from_f64(f).unwrap_or_else(|| serde_json::Number::from(0))
                }
            })
        }
    }

    fn number(node: &Node) -> Option<Number> {
        match node.value {
            Value::Int(i) => Some(Number::Int(i)),
            Value::Float(f) if f.is_finite() => Some(Number::Float(f)),
            _ => None,
        }
    }

    /// The JSON type of a node as `jsonschema` sees it through `TreeJson` (a float
    /// `serde_json` cannot hold is `null`); the error walk asks the same.
    pub(super) fn json_type(node: &Node) -> JsonType {
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

    /// `const` and `enum` equality as `TreeJson` answers it (strings and booleans
    /// without building a value); the error walk asks the same.
    pub(super) fn equal(node: &Node, expected: &J) -> bool {
        match (&node.value, expected) {
            (Value::Str(s), J::String(e)) => s == e,
            (Value::Str(_), _) => false,
            (Value::Bool(b), J::Bool(e)) => b == e,
            (Value::Bool(_), _) => false,
            _ => jsonschema::json::cmp::equal(&node.to_json(), expected),
        }
    }

    impl<'a> JsonNode<'a, TreeJson> for &'a Node {
        type Object = Members<'a>;
        type Array = &'a [Node];
        type Number = Number;

        fn as_object(&self) -> Option<Members<'a>> {
            match &self.value {
                Value::Map(m) => Some(Members(m)),
                _ => None,
            }
        }
        fn as_array(&self) -> Option<&'a [Node]> {
            match &self.value {
                Value::Seq(s) => Some(s),
                _ => None,
            }
        }
        fn as_string(&self) -> Option<Cow<'a, str>> {
            match &self.value {
                Value::Str(s) => Some(Cow::Borrowed(s)),
                _ => None,
            }
        }
        fn as_number(&self) -> Option<Number> {
            number(self)
        }
        fn as_boolean(&self) -> Option<bool> {
            match self.value {
                Value::Bool(b) => Some(b),
                _ => None,
            }
        }
        fn is_null(&self) -> bool {
            self.json_type() == JsonType::Null
        }
        fn json_type(&self) -> JsonType {
            json_type(self)
        }
        /// `const` and `enum` (strings and booleans without building a value).
        fn equals_value(&self, expected: &J) -> bool {
            equal(self, expected)
        }
        fn to_value(&self) -> Cow<'a, J> {
            Cow::Owned(self.to_json())
        }
        fn identity(&self) -> Option<NodeIdentity> {
            Some(NodeIdentity::new(std::ptr::from_ref::<Node>(*self) as usize))
        }
    }

    pub struct Members<'a>(&'a [(Key, Node)]);

    impl<'a> Object<'a, TreeJson> for Members<'a> {
        type Node = &'a Node;
        type MemberName = &'a str;
        type MembersIter = std::iter::Map<
            std::slice::Iter<'a, (Key, Node)>,
            fn(&'a (Key, Node)) -> (&'a str, &'a Node),
        >;

        fn len(&self) -> usize {
            self.0.len()
        }
        fn get(&self, key: &String) -> Option<&'a Node> {
            self.0.iter().find(|(k, _)| k.text == *key).map(|(_, v)| v)
        }
        fn members(&self) -> Self::MembersIter {
            self.0.iter().map(|(k, v)| (k.text.as_str(), v))
        }
    }

    impl<'a> Array<'a, TreeJson> for &'a [Node] {
        type Node = &'a Node;
        type ElementsIter = std::slice::Iter<'a, Node>;

        fn len(&self) -> usize {
            <[Node]>::len(self)
        }
        fn elements(&self) -> std::slice::Iter<'a, Node> {
            self.iter()
        }
    }
}

/// Whether `jsonschema` would find the document of `kind` valid, proved by a walk over
/// the tree that follows the three native schemas (`schemas/*.json`) keyword by
/// keyword: `true` only when every key, type, enum, `const`, `pattern`, `minLength`,
/// `minItems`, `oneOf` and `dependentRequired` holds. `false` means "not proved": the
/// document goes to `jsonschema`, which decides and words the errors. So the proof
/// may refuse a valid document (strings it does not read the way the schema's regular
/// expressions do, such as whitespace outside ASCII, are left to `jsonschema`), but
/// must never accept an invalid one: the differential test in this module checks it
/// against `jsonschema` on every native document of `tests/fixtures/` and `examples/`
/// and on mutations of them. A change to a schema must change this walk too (a new key
/// the walk does not know only sends documents that use it to `jsonschema`).
pub fn proves_valid(kind: Kind, doc: &Node) -> bool {
    proof::document(kind, doc)
}

mod proof {
    use super::super::native::{Kind, field_type};
    use super::super::tree::{Node, Value};
    use super::errors;
    use crate::model::{Category, Channel, Precision, Source, Use};

    // The schemas' enums are the model's vocabularies and the reader's type and test
    // names: one list each, in `model` and `native`.
    const TESTS: &[&str] = &crate::formats::native::CONDITION_TESTS;

    pub(super) fn document(kind: Kind, doc: &Node) -> bool {
        let (kind_name, list, item): (&str, &str, fn(&Node) -> bool) = match kind {
            Kind::Form => ("form", "fields", field),
            Kind::Data => ("data", "items", data_item),
            Kind::Personalization => ("personalization", "personalizations", personalization),
        };
        let Some(entries) = doc.as_map() else {
            return false;
        };
        let (mut has_kind, mut has_list, mut has_id) = (false, false, false);
        let valid = entries.iter().all(|(k, v)| match k.text.as_str() {
            "x-owner" => id_like(v),
            "kind" => {
                has_kind = true;
                v.as_str() == Some(kind_name)
            }
            // `const: 1`, which numbers equal by value (`1.0` too).
            "version" => match v.value {
                Value::Int(n) => n == 1,
                Value::Float(f) => f == 1.0,
                _ => false,
            },
            "x-creeplint-allow" => allows(v),
            "id" if kind == Kind::Form => {
                has_id = true;
                id_like(v)
            }
            "title" | "purpose" if kind == Kind::Form => string(v),
            "uses" if kind == Kind::Form => uses(v),
            key if key == list => {
                has_list = true;
                // A form needs at least one field (`minItems: 1`).
                v.as_seq().is_some_and(|items| {
                    (kind != Kind::Form || !items.is_empty()) && items.iter().all(item)
                })
            }
            key => extension(key),
        });
        valid && has_kind && has_list && (has_id || kind != Kind::Form)
    }

    fn field(node: &Node) -> bool {
        let Some(entries) = node.as_map() else {
            return false;
        };
        let mut has_id = false;
        let valid = entries.iter().all(|(k, v)| match k.text.as_str() {
            "x-owner" => id_like(v),
            "id" => {
                has_id = true;
                id_like(v)
            }
            "label" | "purpose" | "retention" | "help" => string(v),
            "type" => named(v, field_type),
            "required" => matches!(v.value, Value::Bool(_)),
            "uses" => uses(v),
            "default" => true,
            "options" => v.as_seq().is_some_and(|o| o.iter().all(option)),
            "sensitive" => named(v, Category::parse),
            "source" => named(v, Source::parse),
            "x-creeplint-allow" => allows(v),
            key => extension(key),
        });
        valid && has_id
    }

    /// An option: a string, number or boolean, or `{value, label}` (`oneOf`, whose two
    /// branches differ by type, so at most one holds).
    fn option(node: &Node) -> bool {
        if let Some(entries) = node.as_map() {
            let mut has_value = false;
            let valid = entries.iter().all(|(k, v)| match k.text.as_str() {
                "value" => {
                    has_value = true;
                    scalar(v) && !null(v)
                }
                "label" => string(v),
                key => extension(key),
            });
            return valid && has_value;
        }
        scalar(node) && !null(node)
    }

    fn data_item(node: &Node) -> bool {
        let Some(entries) = node.as_map() else {
            return false;
        };
        let (mut has_id, mut has_source) = (false, false);
        let valid = entries.iter().all(|(k, v)| match k.text.as_str() {
            "x-owner" => id_like(v),
            "id" => {
                has_id = true;
                id_like(v)
            }
            "source" => {
                has_source = true;
                named(v, Source::parse)
            }
            "description" | "retention" => string(v),
            "uses" => uses(v),
            "sensitive" => named(v, Category::parse),
            "location" => named(v, Precision::parse),
            "x-creeplint-allow" => allows(v),
            key => extension(key),
        });
        valid && has_id && has_source
    }

    fn personalization(node: &Node) -> bool {
        let Some(entries) = node.as_map() else {
            return false;
        };
        let (mut has_id, mut has_channel) = (false, false);
        let valid = entries.iter().all(|(k, v)| match k.text.as_str() {
            "x-owner" => id_like(v),
            "id" => {
                has_id = true;
                id_like(v)
            }
            "channel" => {
                has_channel = true;
                named(v, Channel::parse)
            }
            "description" | "message" | "explanation" => string(v),
            "use" => named(v, Use::parse),
            "when" => match &v.value {
                Value::Null => true,
                Value::Seq(conditions) => conditions.iter().all(condition),
                _ => null(v),
            },
            "frequency" => v.as_str().is_some_and(frequency),
            "x-creeplint-allow" => allows(v),
            key => extension(key),
        });
        valid && has_id && has_channel
    }

    fn condition(node: &Node) -> bool {
        let Some(entries) = node.as_map() else {
            return false;
        };
        let (mut has_data, mut tests, mut near, mut within) = (false, 0, false, false);
        let valid = entries.iter().all(|(k, v)| {
            let key = k.text.as_str();
            if TESTS.contains(&key) {
                tests += 1;
            }
            match key {
                "data" => {
                    has_data = true;
                    id_like(v)
                }
                "equals" | "not_equals" | "contains" => scalar(v),
                "in" | "not_in" => v.as_seq().is_some_and(|s| s.iter().all(scalar)),
                "matches" => string(v),
                "gt" | "lt" => number(v),
                "exists" => matches!(v.value, Value::Bool(_)),
                "near" => {
                    near = true;
                    v.as_str().is_some_and(|s| !s.is_empty())
                }
                "trigger" => v.as_str().is_some_and(|s| !s.is_empty()),
                "within" => {
                    within = true;
                    v.as_str().is_some_and(distance)
                }
                "x-creeplint-allow" => allows(v),
                key => extension(key),
            }
        });
        valid && has_data && tests == 1 && (near || !within)
    }

    /// `x-creeplint-allow`: a list of `{rule, reason}`; no `x-` keys here.
    fn allows(node: &Node) -> bool {
        node.as_seq().is_some_and(|entries| {
            entries.iter().all(|entry| {
                let Some(keys) = entry.as_map() else {
                    return false;
                };
                let mut has_rule = false;
                let valid = keys.iter().all(|(k, v)| match k.text.as_str() {
                    "rule" => {
                        has_rule = true;
                        v.as_str().is_some_and(|s| !s.is_empty())
                    }
                    "reason" => string(v),
                    _ => false,
                });
                valid && has_rule
            })
        })
    }

    /// Any other key: allowed only by `patternProperties: {"^x-": {}}`.
    fn extension(key: &str) -> bool {
        key.starts_with("x-")
    }

    fn uses(node: &Node) -> bool {
        node.as_seq()
            .is_some_and(|items| items.iter().all(|u| named(u, Use::parse)))
    }

    /// A string `parse` knows: one of a vocabulary's names.
    fn named<T>(node: &Node, parse: fn(&str) -> Option<T>) -> bool {
        node.as_str().and_then(parse).is_some()
    }

    fn string(node: &Node) -> bool {
        matches!(node.value, Value::Str(_))
    }

    /// What `serde_json` makes `null` of: a null, and a float it cannot hold (NaN,
    /// infinity), as `Node::to_json` does.
    fn null(node: &Node) -> bool {
        match node.value {
            Value::Null => true,
            Value::Float(f) => !f.is_finite(),
            _ => false,
        }
    }

    fn number(node: &Node) -> bool {
        match node.value {
            Value::Int(_) => true,
            Value::Float(f) => f.is_finite(),
            _ => false,
        }
    }

    /// `type: [string, number, boolean, null]`.
    fn scalar(node: &Node) -> bool {
        !matches!(node.value, Value::Seq(_) | Value::Map(_))
    }

    /// An id or owner: a string with `pattern: "\\S"` (and so `minLength: 1`), read as
    /// the error walk reads the schemas' patterns.
    fn id_like(node: &Node) -> bool {
        node.as_str().is_some_and(|s| pattern(errors::NOT_BLANK, s))
    }

    fn frequency(s: &str) -> bool {
        pattern(errors::FREQUENCY, s)
    }

    fn distance(s: &str) -> bool {
        pattern(errors::DISTANCE, s)
    }

    /// Proved to match: the error walk's reading of the pattern says so (where it cannot
    /// tell, `jsonschema` decides).
    fn pattern(pattern: &str, s: &str) -> bool {
        errors::matches(pattern, s) == Some(true)
    }
}

#[cfg(test)]
mod tests {
    //! The proof against `jsonschema`: on every native document of `tests/fixtures/`
    //! and `examples/`, and on mutations of them (wrong types, unknown and `x-` keys,
    //! missing required keys, values outside an enum, zero or two condition tests,
    //! `within` without `near`, ...), [`proves_valid`] accepts exactly when `jsonschema`
    //! does, `jsonschema` reading the tree in place agrees with `jsonschema` on the
    //! `serde_json` copy, and [`validate`] gives the problems the copy gave.

    use std::path::Path;

    use super::super::native::{Detected, detect};
    use super::super::tree::{self, Key, Value};
    use super::*;
    use crate::source::Span;

    fn documents() -> Vec<(Kind, Node)> {
        fn walk(dir: &Path, out: &mut Vec<(Kind, Node)>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for p in paths {
                if p.is_dir() {
                    walk(&p, out);
                    continue;
                }
                let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
                if !["yaml", "yml", "json"].contains(&ext) {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&p) else {
                    continue;
                };
                for doc in tree::parse(&text, ext == "json") {
                    if let Ok(node) = doc.result
                        && let Detected::Native(kind) = detect(&node)
                    {
                        out.push((kind, node));
                    }
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        walk(&root.join("tests/fixtures"), &mut out);
        walk(&root.join("examples"), &mut out);
        out
    }

    /// The reference: `jsonschema` on the `serde_json` copy of the document, as
    /// creeplint validated before the proof and the in-place reading.
    fn reference(kind: Kind, doc: &Node) -> (bool, Vec<Problem>) {
        static VALIDATORS: std::sync::LazyLock<Vec<(serde_json::Value, jsonschema::Validator)>> =
            std::sync::LazyLock::new(|| {
                [Kind::Form, Kind::Data, Kind::Personalization]
                    .into_iter()
                    .map(|kind| {
                        let json: serde_json::Value =
                            serde_json::from_str(of(kind)).unwrap_or_default();
                        let v = jsonschema::validator_for(&json)
                            .unwrap_or_else(|e| panic!("{kind}: {e}"));
                        (json, v)
                    })
                    .collect()
            });
        let (json, validator) = &VALIDATORS[kind as usize];
        let instance = doc.to_json();
        if validator.is_valid(&instance) {
            return (true, Vec::new());
        }
        let found = problems(json, validator.iter_errors(&instance), doc, FileId(0));
        (false, found)
    }

    /// `None` when the proof, `jsonschema` on the tree and `jsonschema` on the
    /// `serde_json` copy agree, else what differs.
    fn disagreement(kind: Kind, doc: &Node) -> Option<String> {
        let (valid, expected) = reference(kind, doc);
        let proved = proves_valid(kind, doc);
        let in_place = compiled(kind).is_some_and(|c| c.validator.is_valid(doc));
        if proved != valid || in_place != valid {
            return Some(format!(
                "{kind}: proved {proved}, valid in place {in_place}, jsonschema says valid {valid}: {}",
                doc.to_json()
            ));
        }
        // The walk's own answer, where it decides (`validate` falls back to
        // `jsonschema` where it does not).
        if let Some(found) = walked(kind, doc)
            && found != expected
        {
            return Some(format!(
                "{kind}: walked {found:?} != {expected:?}: {}",
                doc.to_json()
            ));
        }
        let (fast, slow) = (
            validate(kind, doc, FileId(0)),
            validate_with_jsonschema(kind, doc, FileId(0)),
        );
        (fast != expected || slow != expected).then(|| {
            format!(
                "{kind}: {fast:?}, {slow:?} != {expected:?}: {}",
                doc.to_json()
            )
        })
    }

    /// The problems of the walk of [`errors`], `None` where it leaves the document
    /// to `jsonschema`.
    fn walked(kind: Kind, doc: &Node) -> Option<Vec<Problem>> {
        let (schema, walk) = walk(kind)?;
        let found = walk.violations(doc)?;
        let mut out = Vec::new();
        for v in found {
            problem(schema, &v.pointer, v.broken, doc, FileId(0), &mut out);
        }
        Some(out)
    }

    fn node(value: Value) -> Node {
        Node {
            span: Span::new(0, 0),
            value,
        }
    }

    fn s(text: &str) -> Node {
        node(Value::Str(text.into()))
    }

    fn map(entries: &[(&str, Node)]) -> Node {
        node(Value::Map(
            entries
                .iter()
                .map(|(k, v)| {
                    (
                        Key {
                            span: Span::new(0, 0),
                            text: (*k).into(),
                        },
                        v.clone(),
                    )
                })
                .collect(),
        ))
    }

    /// Values put in place of any node: every type, enum words of each list, the
    /// shapes of the patterns, and strings `\S` and `minLength` tell apart.
    fn values() -> Vec<Node> {
        let mut out = vec![
            node(Value::Null),
            node(Value::Bool(true)),
            node(Value::Int(0)),
            node(Value::Int(1)),
            node(Value::Int(-3)),
            node(Value::Float(1.0)),
            node(Value::Float(2.5)),
            node(Value::Float(f64::NAN)),
            node(Value::Float(f64::INFINITY)),
            node(Value::Seq(Vec::new())),
            node(Value::Seq(vec![s("marketing")])),
            node(Value::Seq(vec![node(Value::Null)])),
            node(Value::Seq(vec![map(&[("rule", s("missing-purpose"))])])),
            node(Value::Seq(vec![map(&[("id", s("email"))])])),
            node(Value::Seq(vec![map(&[
                ("value", s("a")),
                ("label", s("A")),
            ])])),
            node(Value::Seq(vec![map(&[
                ("data", s("age")),
                ("gt", node(Value::Int(1))),
            ])])),
            node(Value::Seq(vec![map(&[("data", s("age"))])])),
            map(&[]),
            map(&[("value", node(Value::Int(1)))]),
            map(&[("x-note", s("x"))]),
        ];
        for text in [
            "",
            " ",
            "\t\n",
            "\u{a0}",
            "x",
            " x ",
            "é",
            "form",
            "data",
            "personalization",
            "marketing",
            "health",
            "web",
            "volunteered",
            "precise",
            "checkbox",
            "email",
            "1/week",
            " 2 / day ",
            "1234567890/day",
            "1/year",
            "200m",
            "1.5 km",
            " 3 mi ",
            "200",
            "1.m",
            "m",
            "1",
        ] {
            out.push(s(text));
        }
        out
    }

    /// Keys added to mappings: every property of the schemas, an `x-` key and an
    /// unknown one.
    const KEYS: &[&str] = &[
        "kind",
        "version",
        "id",
        "title",
        "purpose",
        "uses",
        "fields",
        "items",
        "personalizations",
        "x-owner",
        "x-creeplint-allow",
        "x-note",
        "label",
        "type",
        "required",
        "default",
        "options",
        "retention",
        "sensitive",
        "source",
        "help",
        "description",
        "location",
        "use",
        "when",
        "channel",
        "message",
        "explanation",
        "frequency",
        "data",
        "equals",
        "not_equals",
        "in",
        "not_in",
        "contains",
        "matches",
        "gt",
        "lt",
        "exists",
        "near",
        "within",
        "trigger",
        "value",
        "rule",
        "reason",
        "unknown",
    ];

    #[derive(Clone, Copy, Debug)]
    enum Step {
        Entry(usize),
        Item(usize),
    }

    fn paths(node: &Node, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        out.push(at.clone());
        match &node.value {
            Value::Map(m) => {
                for (i, (_, v)) in m.iter().enumerate() {
                    at.push(Step::Entry(i));
                    paths(v, at, out);
                    at.pop();
                }
            }
            Value::Seq(items) => {
                for (i, v) in items.iter().enumerate() {
                    at.push(Step::Item(i));
                    paths(v, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }

    fn at<'a>(node: &'a mut Node, path: &[Step]) -> Option<&'a mut Node> {
        let Some((first, rest)) = path.split_first() else {
            return Some(node);
        };
        let next = match (&mut node.value, first) {
            (Value::Map(m), Step::Entry(i)) => m.get_mut(*i).map(|(_, v)| v),
            (Value::Seq(s), Step::Item(i)) => s.get_mut(*i),
            _ => None,
        }?;
        at(next, rest)
    }

    /// Every one-step mutation of `doc` at `path`: the node replaced by each value; for
    /// a mapping each entry removed or renamed; for a list each item removed.
    fn mutations(doc: &Node, path: &[Step], values: &[Node]) -> Vec<Node> {
        let mut out = Vec::new();
        let mut edit = |f: &dyn Fn(&mut Node)| {
            let mut d = doc.clone();
            if let Some(n) = at(&mut d, path) {
                f(n);
                out.push(d);
            }
        };
        for v in values {
            edit(&|n| *n = v.clone());
        }
        let len = match &at(&mut doc.clone(), path).map(|n| n.value.clone()) {
            Some(Value::Map(m)) => m.len(),
            Some(Value::Seq(s)) => s.len(),
            _ => 0,
        };
        for i in 0..len {
            edit(&|n| match &mut n.value {
                Value::Map(m) => {
                    m.remove(i);
                }
                Value::Seq(s) => {
                    s.remove(i);
                }
                _ => {}
            });
            for name in ["x-renamed", "renamed"] {
                edit(&|n| {
                    if let Value::Map(m) = &mut n.value
                        && let Some((k, _)) = m.get_mut(i)
                    {
                        k.text = name.into();
                    }
                });
            }
        }
        out
    }

    #[test]
    fn the_proof_accepts_every_valid_fixture_and_agrees_on_the_rest() {
        let docs = documents();
        assert!(docs.len() > 100, "{} native documents", docs.len());
        let mut disagree: Vec<String> = docs
            .iter()
            .filter_map(|(kind, doc)| disagreement(*kind, doc))
            .collect();
        disagree.truncate(5);
        assert!(disagree.is_empty(), "{disagree:#?}");
        // The point of the proof: the valid documents do not need `jsonschema`.
        let valid = docs.iter().filter(|(k, d)| proves_valid(*k, d)).count();
        assert!(valid * 2 > docs.len(), "{valid} of {} proved", docs.len());
    }

    #[test]
    fn the_proof_agrees_with_jsonschema_on_every_one_step_mutation() {
        let values = values();
        let (mut checked, mut invalid, mut decided) = (0, 0, 0);
        let mut disagree = Vec::new();
        // Every third valid document (the others are alike; the random mutations
        // below start from all of them): about 50,000 mutations.
        for (kind, doc) in documents()
            .iter()
            .filter(|(k, d)| proves_valid(*k, d))
            .step_by(3)
        {
            let mut all = Vec::new();
            paths(doc, &mut Vec::new(), &mut all);
            for path in &all {
                for mutated in mutations(doc, path, &values) {
                    checked += 1;
                    if !proves_valid(*kind, &mutated) {
                        invalid += 1;
                        if walked(*kind, &mutated).is_some() {
                            decided += 1;
                        }
                    }
                    if let Some(d) = disagreement(*kind, &mutated) {
                        disagree.push(d);
                    }
                }
            }
            if disagree.len() > 5 {
                break;
            }
        }
        disagree.truncate(5);
        assert!(disagree.is_empty(), "{disagree:#?}");
        assert!(checked > 10_000, "{checked} mutations");
        // The point of the walk: nearly every invalid document is worded without
        // building `jsonschema`'s validators.
        eprintln!("{decided} of {invalid} invalid mutations worded by the walk");
        assert!(
            decided * 100 >= invalid * 95,
            "{decided} of {invalid} worded by the walk"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// Several mutations at once, keys added with any value included.
        #[test]
        fn the_proof_agrees_with_jsonschema_on_random_mutations(
            doc in 0usize..1000,
            steps in proptest::collection::vec((0usize..10_000, 0usize..KEYS.len(), 0usize..100, 0usize..3), 1..4),
        ) {
            static DOCS: std::sync::LazyLock<Vec<(Kind, Node)>> = std::sync::LazyLock::new(documents);
            let docs = &*DOCS;
            let values = values();
            let Some((kind, doc)) = docs.get(doc % docs.len()) else {
                return Ok(());
            };
            let mut doc = doc.clone();
            for (pick, key, value, how) in steps {
                let mut all = Vec::new();
                paths(&doc, &mut Vec::new(), &mut all);
                let Some(path) = all.get(pick % all.len()) else { continue };
                let value = values[value % values.len()].clone();
                let Some(n) = at(&mut doc, path) else { continue };
                match (&mut n.value, how) {
                    // A key twice is a parse error, never a tree: set it instead.
                    (Value::Map(m), 0 | 1) => match m.iter_mut().find(|(k, _)| k.text == KEYS[key]) {
                        Some((_, v)) => *v = value,
                        None => m.push((Key { span: Span::new(0, 0), text: KEYS[key].into() }, value)),
                    },
                    (Value::Seq(s), 0) => s.push(value),
                    _ => *n = value,
                }
            }
            let d = disagreement(*kind, &doc);
            proptest::prop_assert!(d.is_none(), "{d:?}");
        }
    }
}
