//! The JSON Schemas `creeplint schema KIND` prints agree with the linter: on every
//! native document under `tests/fixtures/` and `examples/`, the schema accepts a file
//! exactly when `creeplint check` reports no `invalid-file` for it, except for the
//! problems JSON Schema cannot express, listed here. So an editor using the schemas
//! and CI running creeplint say the same thing.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use creeplint::formats::native::classify_kind;
use creeplint::pipeline::{Options, run};

/// Files the linter rejects for what no JSON Schema can say, and why.
const BEYOND_JSON_SCHEMA: &[(&str, &str)] = &[
    (
        "tests/fixtures/beyond-json-schema/bad-regex.yaml",
        "a `matches:` pattern that is no regular expression: `format: regex` only annotates, and ECMA 262 is not Rust's syntax",
    ),
    (
        "tests/fixtures/invalid-file/fires/duplicates.yaml",
        "a field id twice in one form, a form id in two documents: uniqueness across items",
    ),
];

const KINDS: [&str; 3] = ["form", "data", "personalization"];

fn schema_text(kind: &str) -> String {
    let out = Command::cargo_bin("creeplint")
        .unwrap_or_else(|e| panic!("{e}"))
        .args(["schema", kind])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success(), "creeplint schema {kind} failed");
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("{e}"))
}

fn validators() -> Vec<(&'static str, jsonschema::Validator)> {
    KINDS
        .into_iter()
        .map(|kind| {
            let json: serde_json::Value = serde_json::from_str(&schema_text(kind))
                .unwrap_or_else(|e| panic!("schema {kind}: {e}"));
            let v = jsonschema::validator_for(&json).unwrap_or_else(|e| panic!("{kind}: {e}"));
            (kind, v)
        })
        .collect()
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            files(&p, out);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(p);
        }
    }
}

/// The file's documents as an editor's YAML or JSON parser sees them; `None` when the
/// file does not parse.
fn documents(path: &Path, text: &str) -> Option<Vec<serde_json::Value>> {
    if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(text).ok().map(|v| vec![v])
    } else {
        serde_saphyr::from_multiple::<serde_json::Value>(text).ok()
    }
}

/// What the schemas say of a file: `Some(true)` every creeplint document in it is
/// valid, `Some(false)` one is not (or the file does not parse, and `ours` says a
/// `kind:` line makes it creeplint's), `None` no document in it is creeplint's (or
/// nearly: a near-miss `kind` is checked against the kind it nearly names, whose
/// `kind` it fails).
fn schemas_accept(
    validators: &[(&str, jsonschema::Validator)],
    path: &Path,
    text: &str,
    ours: bool,
) -> Option<bool> {
    let Some(docs) = documents(path, text) else {
        return ours.then_some(false);
    };
    let mut ours = false;
    for doc in &docs {
        let Some((kind, _)) = doc
            .get("kind")
            .and_then(|k| k.as_str())
            .and_then(classify_kind)
        else {
            continue;
        };
        ours = true;
        let v = validators
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("no schema for {kind}"));
        if !v.is_valid(doc) {
            return Some(false);
        }
    }
    ours.then_some(true)
}

#[test]
fn schemas_accept_a_file_exactly_when_the_linter_does() {
    let validators = validators();
    let mut all = Vec::new();
    for dir in ["tests/fixtures", "examples"] {
        files(Path::new(dir), &mut all);
    }
    let mut checked = 0;
    let (mut accepted, mut rejected) = (0, 0);
    let mut disagree = Vec::new();
    for path in &all {
        let o = run(std::slice::from_ref(path), &Options::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let native = o.sources.iter().any(|(_, f)| f.reader == Some("native"));
        let text = std::fs::read_to_string(path).unwrap_or_default();
        // Not skipped: the linter found a creeplint document, or a `kind:` line in a
        // file that does not parse.
        let ours = o.summary.skipped == 0;
        let Some(schema_ok) = schemas_accept(&validators, path, &text, ours).filter(|_| native)
        else {
            continue;
        };
        checked += 1;
        let invalid: Vec<String> = o
            .findings
            .iter()
            .filter(|f| f.rule == "invalid-file")
            .map(|f| f.message.to_string())
            .collect();
        let name = path.to_string_lossy().replace('\\', "/");
        let beyond = BEYOND_JSON_SCHEMA.iter().any(|(p, _)| *p == name);
        if beyond {
            assert!(
                schema_ok && !invalid.is_empty(),
                "{name} is listed as beyond JSON Schema: the schema should accept it and the linter reject it"
            );
            continue;
        }
        if schema_ok {
            accepted += 1;
        } else {
            rejected += 1;
        }
        if schema_ok != invalid.is_empty() {
            disagree.push(format!(
                "{name}: schema {}, linter {invalid:?}",
                if schema_ok { "accepts" } else { "rejects" }
            ));
        }
    }
    assert!(
        disagree.is_empty(),
        "the schemas and the linter disagree:\n{}",
        disagree.join("\n")
    );
    eprintln!("{checked} native files: {accepted} accepted by both, {rejected} rejected by both");
    // Enough of both to mean something.
    assert!(checked >= 60, "only {checked} native files checked");
    assert!(
        accepted >= 50 && rejected >= 5,
        "{accepted} accepted, {rejected} rejected"
    );
}

/// The problems the schemas used to let through: each is now a schema error, and the
/// linter reports it once, in its own words.
#[test]
fn conditions_the_schema_rejects() {
    let validators = validators();
    let Some((_, personalization)) = validators.iter().find(|(k, _)| *k == "personalization")
    else {
        panic!("no personalization schema");
    };
    let doc = |condition: serde_json::Value| {
        serde_json::json!({
            "kind": "personalization",
            "personalizations": [{"id": "p", "channel": "web", "when": [condition]}]
        })
    };
    for (condition, ok) in [
        (serde_json::json!({"data": "a", "equals": 1}), true),
        (
            serde_json::json!({"data": "a", "near": "stores", "within": "200m"}),
            true,
        ),
        (
            serde_json::json!({"data": "a", "equals": 1, "in": [2]}),
            false,
        ),
        (serde_json::json!({"data": "a"}), false),
        (
            serde_json::json!({"data": "a", "equals": 1, "within": "2km"}),
            false,
        ),
        (
            serde_json::json!({"data": "a", "x-note": "only x- keys"}),
            false,
        ),
    ] {
        assert_eq!(
            personalization.is_valid(&doc(condition.clone())),
            ok,
            "{condition}"
        );
    }
    let freq = serde_json::json!({
        "kind": "personalization",
        "personalizations": [{"id": "p", "channel": "sms", "frequency": "99999999999/day"}]
    });
    assert!(!personalization.is_valid(&freq), "a count beyond any cap");
}

/// Every schema `creeplint schema` prints has a `$id` under the repository named in
/// Cargo.toml (the one place that says where creeplint lives), stable per kind.
#[test]
fn schema_ids_are_under_the_repository() {
    let repo = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    for kind in KINDS.into_iter().chain(["config"]) {
        let json: serde_json::Value =
            serde_json::from_str(&schema_text(kind)).unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(
            json["$id"],
            format!("{repo}/schemas/{kind}.json"),
            "schema {kind}"
        );
        assert_eq!(
            creeplint::formats::schema::id(kind),
            format!("{repo}/schemas/{kind}.json")
        );
    }
}
