//! The JSON Schemas of the native formats: printed by `creeplint schema`, and every
//! document is validated against them, with each violation mapped back to the span
//! of the offending key or value.

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;

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

struct Compiled {
    json: serde_json::Value,
    validator: jsonschema::Validator,
}

fn compile(text: &str) -> Option<Compiled> {
    let json: serde_json::Value = serde_json::from_str(text).ok()?;
    let validator = jsonschema::validator_for(&json).ok()?;
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
    cell.get_or_init(|| compile(of(kind))).as_ref()
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
fn allowed_keys(root: &serde_json::Value, pointer: &str) -> Vec<String> {
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
        .map(|o| o.keys().filter(|k| !k.starts_with("x-")).cloned().collect())
        .unwrap_or_default()
}

/// Validate a document of a native kind; every violation becomes a problem at its span.
pub fn validate(kind: Kind, doc: &Node, file: FileId) -> Vec<Problem> {
    let Some(c) = compiled(kind) else {
        return vec![Problem::new(
            Loc {
                file,
                span: doc.head_span(),
            },
            format!("creeplint's own `{kind}` schema failed to load; please report this"),
        )];
    };
    let instance = doc.to_json();
    // Most documents are valid: a yes/no pass is cheaper than walking for errors.
    if c.validator.is_valid(&instance) {
        return Vec::new();
    }
    let mut problems = Vec::new();
    for err in c.validator.iter_errors(&instance) {
        // A condition's one test (`oneOf`) and `within` without `near`
        // (`dependentRequired`) are in the schema for editors; the reader reports them
        // in the condition's own words, once.
        if reader_reports(err.schema_path().as_str()) {
            continue;
        }
        let pointer = err.instance_path().as_str().to_string();
        let (node, key) = doc.pointer(&pointer);
        let at = |span| Loc { file, span };
        let problem = match err.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed = allowed_keys(&c.json, &pointer);
                for name in unexpected {
                    let span = node.entry(name).map_or(node.head_span(), |(k, _)| k.span);
                    let mut p = Problem::new(at(span), format!("unknown key `{name}`"));
                    p.help = Some(format!(
                        "{} (keys starting with `x-` are free for your own use)",
                        hint(
                            name,
                            allowed.iter().map(String::as_str),
                            "allowed keys here"
                        )
                    ));
                    problems.push(p);
                }
                continue;
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or("?");
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
            ValidationErrorKind::Enum { options } => {
                let choices: Vec<String> = options
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                let name = pointer.rsplit('/').next().unwrap_or_default();
                match node.as_seq() {
                    // `use: [marketing]` where one value is expected: say so, over the items.
                    Some(items) => {
                        let span = match (items.first(), items.last()) {
                            (Some(a), Some(b)) => {
                                Span::new(a.span.offset, b.span.end().saturating_sub(a.span.offset))
                            }
                            _ => node.span,
                        };
                        let mut p =
                            Problem::new(at(span), format!("`{name}` takes one value, not a list"));
                        let only = match items {
                            [one] => one.scalar_text().filter(|v| choices.contains(v)),
                            _ => None,
                        };
                        p.help = Some(match only {
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
                        p.help = Some(hint(&got, choices.iter().map(String::as_str), "use one of"));
                        p
                    }
                }
            }
            ValidationErrorKind::Type { kind } => {
                let expected = format!("{kind:?}").to_lowercase().replace(['{', '}'], "");
                Problem::new(
                    at(node.span),
                    format!(
                        "expected {}, found {}",
                        describe_type(&expected),
                        found(node)
                    ),
                )
            }
            ValidationErrorKind::Constant { .. }
                if pointer == "/version" && node.as_str().is_some_and(|v| v.trim() == "1") =>
            {
                Problem::new(
                    at(node.span),
                    "`version` is the number 1, not the string \"1\"",
                )
                .help("write `version: 1` without quotes, or leave it out")
            }
            ValidationErrorKind::Constant { .. } if pointer == "/version" => Problem::new(
                at(node.span),
                format!(
                    "unsupported version `{}`",
                    node.scalar_text().unwrap_or_default()
                ),
            )
            .help(
                "this creeplint reads version 1 of the format; write `version: 1` or leave it out",
            ),
            ValidationErrorKind::Constant { expected_value } => Problem::new(
                at(node.span),
                format!("expected `{expected_value}`, found {}", found(node)),
            ),
            ValidationErrorKind::MinItems { limit } => Problem::new(
                at(key.map_or(node.span, |k| k.span)),
                format!(
                    "needs at least {limit} item{}",
                    if *limit == 1 { "" } else { "s" }
                ),
            ),
            ValidationErrorKind::Pattern { .. } => {
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
            ValidationErrorKind::MinLength { .. } => {
                Problem::new(at(node.span), "this must not be empty".to_string())
            }
            _ => Problem::new(at(node.span), err.to_string()),
        };
        problems.push(problem);
    }
    problems
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
