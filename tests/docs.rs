//! The docs are tested: every rule has a doc and every doc a rule, the rule data
//! validates against its JSON Schemas, and every documented example does what it says.

use std::collections::BTreeSet;

use creeplint::pipeline::{Options, run};
use creeplint::rules::RULES;

fn schema(path: &str) -> jsonschema::Validator {
    let text =
        creeplint::embedded::file(path).unwrap_or_else(|| panic!("rules/{path} is not embedded"));
    let json: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{path}: {e}"));
    jsonschema::validator_for(&json).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn yaml(path: &str, text: &str) -> serde_json::Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("rules/{path}: {e}"))
}

fn assert_valid(validator: &jsonschema::Validator, path: &str, value: &serde_json::Value) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "rules/{path} does not match its schema:\n{}",
        errors.join("\n")
    );
}

#[test]
fn every_rule_has_a_doc_and_every_doc_a_rule() {
    let registered: BTreeSet<&str> = RULES.iter().map(|r| r.name).collect();
    let documented: BTreeSet<&str> = creeplint::docs::all_files()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(registered, documented);
    for rule in RULES {
        let doc = creeplint::docs::get(rule.name).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.name, rule.name);
        assert_eq!(
            doc.severity,
            rule.severity.as_str(),
            "{}: default severity differs",
            rule.name
        );
    }
}

#[test]
fn rule_names_are_unique_kebab_case() {
    let mut seen = BTreeSet::new();
    for rule in RULES {
        assert!(seen.insert(rule.name), "{} registered twice", rule.name);
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-')
                && !rule.name.starts_with('-'),
            "{} is not kebab-case",
            rule.name
        );
    }
}

#[test]
fn rule_data_matches_its_schemas() {
    let docs = schema("rule.schema.json");
    let vocab = schema("vocab.schema.json");
    let names = schema("patterns/names.schema.json");
    let autocomplete = schema("patterns/autocomplete.schema.json");
    let tracking = schema("patterns/tracking.schema.json");
    let mut counted = (0, 0);
    for (path, text) in creeplint::embedded::FILES {
        if !path.ends_with(".yaml") {
            continue;
        }
        let value = yaml(path, text);
        if path.starts_with("vocab/") {
            assert_valid(&vocab, path, &value);
            let stem = path
                .rsplit('/')
                .next()
                .unwrap_or("")
                .trim_end_matches(".yaml");
            assert_eq!(
                value["name"], stem,
                "rules/{path}: name differs from the file name"
            );
            counted.1 += 1;
        } else if *path == "patterns/names.yaml" {
            assert_valid(&names, path, &value);
        } else if *path == "patterns/autocomplete.yaml" {
            assert_valid(&autocomplete, path, &value);
        } else if *path == "patterns/tracking.yaml" {
            assert_valid(&tracking, path, &value);
        } else {
            assert_valid(&docs, path, &value);
            counted.0 += 1;
        }
    }
    assert_eq!(counted.0, RULES.len());
    assert!(counted.1 >= 20, "only {} term lists", counted.1);
    assert!(
        creeplint::vocab::Vocab::builtin().errors.is_empty(),
        "{:?}",
        creeplint::vocab::Vocab::builtin().errors
    );
}

#[test]
fn every_sensitive_category_has_a_list_in_english_and_spanish() {
    let v = creeplint::vocab::Vocab::builtin();
    for c in creeplint::model::Category::ALL {
        let list = v
            .list(c.as_str())
            .unwrap_or_else(|| panic!("no term list for {c}"));
        let langs = creeplint::vocab::terms_by_lang(list);
        assert!(
            langs.contains_key("en") && langs.contains_key("es"),
            "{c}: {:?}",
            langs.keys()
        );
    }
}

#[test]
fn documented_examples_do_what_they_say() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for rule in RULES {
        let doc = creeplint::docs::get(rule.name).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !doc.examples.fires.is_empty() && !doc.examples.quiet.is_empty(),
            "{}: needs both kinds of example",
            rule.name
        );
        let cases = doc
            .examples
            .fires
            .iter()
            .map(|e| (true, e))
            .chain(doc.examples.quiet.iter().map(|e| (false, e)));
        for (should_fire, example) in cases {
            let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            for (name, text) in &example.files {
                std::fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"));
            }
            let outcome = run(&[dir.path().to_path_buf()], &Options::default())
                .unwrap_or_else(|e| panic!("{e}"));
            let fired = outcome
                .findings
                .iter()
                .filter(|f| f.rule == rule.name)
                .count();
            ran += 1;
            if should_fire != (fired > 0) {
                failures.push(format!(
                    "{}: example `{}` {}",
                    rule.name,
                    example.title,
                    if should_fire {
                        "does not fire"
                    } else {
                        "fires"
                    }
                ));
            }
            // A documented example must itself be a valid project.
            if rule.name != "invalid-file" {
                let invalid: Vec<&str> = outcome
                    .findings
                    .iter()
                    .filter(|f| f.rule == "invalid-file")
                    .map(|f| &*f.message)
                    .collect();
                if !invalid.is_empty() {
                    failures.push(format!(
                        "{}: example `{}` is not valid: {invalid:?}",
                        rule.name, example.title
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} examples are wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn tracking_patterns_are_parallel_in_english_and_spanish() {
    let text = creeplint::embedded::file("patterns/tracking.yaml").expect("tracking.yaml");
    let file: creeplint::rules::tracking::TrackingFile =
        serde_saphyr::from_str(text).expect("tracking.yaml parses");
    let t = creeplint::rules::tracking::Tracking::builtin();
    assert!(t.error.is_none(), "{:?}", t.error);
    for (group, rows) in file.groups() {
        assert!(!rows.is_empty(), "{group}: no rows");
        let mut concepts = std::collections::BTreeSet::new();
        for row in rows {
            assert!(
                concepts.insert(row.concept.as_str()),
                "{group}: `{}` twice",
                row.concept
            );
            // every concept is said in both languages, with no empty word
            assert!(
                !row.en.is_empty() && !row.es.is_empty(),
                "{group}/{}: one language is missing",
                row.concept
            );
            for w in row.en.iter().chain(&row.es) {
                assert!(
                    !creeplint::vocab::words(w).is_empty(),
                    "{group}/{}: `{w}` has no word",
                    row.concept
                );
            }
        }
    }
}

/// Every multi-word term of every list matches the identifier forms of itself:
/// snake_case, kebab-case and camelCase, with and without the joining words.
#[test]
fn multi_word_terms_match_their_identifier_forms() {
    use creeplint::vocab::{JOINING_WORDS, words};
    let v = creeplint::vocab::Vocab::builtin();
    let mut checked = 0;
    let mut failures = Vec::new();
    for list in v.lists() {
        for term in list.terms() {
            if term.text.ends_with('*') {
                continue;
            }
            let ws: Vec<String> = words(&term.text).into_iter().map(|w| w.norm).collect();
            if ws.len() < 2 {
                continue;
            }
            let n = ws.len();
            let short: Vec<String> = ws
                .iter()
                .enumerate()
                .filter(|(i, w)| *i == 0 || *i + 1 == n || !JOINING_WORDS.contains(&w.as_str()))
                .map(|(_, w)| w.clone())
                .collect();
            for form in [&ws, &short] {
                let camel: String = form
                    .iter()
                    .enumerate()
                    .map(|(i, w)| {
                        let mut c = w.chars();
                        match (i, c.next()) {
                            (0, _) | (_, None) => w.clone(),
                            (_, Some(f)) => f.to_uppercase().chain(c).collect(),
                        }
                    })
                    .collect();
                for id in [form.join("_"), form.join("-"), camel] {
                    checked += 1;
                    if !list.mentions(&id) {
                        failures.push(format!("{}: `{}` misses `{id}`", list.name, term.text));
                    }
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} forms");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
