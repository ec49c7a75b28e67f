//! The readers' own work grows linearly too (issue 14): inside one large file (a flagd
//! file's `$ref`s to its evaluators, a Remote Config template's conditional values
//! naming its conditions, with typos that ask for a did-you-mean) and across the files
//! a reader pairs (Fides systems and the datasets they name, schemas and the uiSchemas a
//! configuration gives them). Each counter of `creeplint::work` must grow at most 5x
//! for 4x the entries; the findings, exactly 4x. Work is counted, not time. One test in
//! this file: the counters are process-wide.
//!
//! Before this test, each of these steps was quadratic: 4x the entries cost 16x the
//! did-you-mean comparisons or path resolutions (2,000 `$ref` typos among 4,000
//! evaluators took 2.7 s; 4,000 configured uiSchemas took 60 s; 800 Fides datasets
//! named by 80 systems took 21 s).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use creeplint::work::Kind;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Entry `i`'s name, `{name}_{i}`, misspelt (`{typo}_{i}`) for every other entry.
fn every_other_misspelt(i: usize, name: &str, typo: &str) -> String {
    format!("{}_{i}", if i.is_multiple_of(2) { name } else { typo })
}

/// One flagd file of `n` flags, each targeting through a `$ref` to its own evaluator;
/// every other `$ref` misspells the evaluator's name.
fn flagd(root: &Path, n: usize) -> creeplint::Options {
    let evaluators: Vec<String> = (0..n)
        .map(|i| format!(r#""returning_buyers_{i}": {{">=": [{{"var": "orders_{i}"}}, 3]}}"#))
        .collect();
    let flags: Vec<String> = (0..n)
        .map(|i| {
            let name = every_other_misspelt(i, "returning_buyers", "returnign_buyers");
            format!(
                r#""offer-{i}": {{"state": "ENABLED", "variants": {{"on": true, "off": false}}, "defaultVariant": "off", "metadata": {{"purpose": "Show returning customers an offer", "use": "marketing"}}, "targeting": {{"if": [{{"$ref": "{name}"}}, "on", "off"]}}}}"#
            )
        })
        .collect();
    write(
        &root.join("flags.flagd.json"),
        &format!(
            "{{\"$schema\": \"https://flagd.dev/schema/v0/flags.json\",\n\"flags\": {{\n{}\n}},\n\"$evaluators\": {{\n{}\n}}}}\n",
            flags.join(",\n"),
            evaluators.join(",\n")
        ),
    );
    creeplint::Options::default()
}

/// One Remote Config template of `n` conditions and `n` parameters, each with a
/// conditional value; every other one misspells its condition's name.
fn remote_config(root: &Path, n: usize) -> creeplint::Options {
    let conditions: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"name": "loyal_members_{i}", "expression": "app.userProperty['visits_{i}'] > 3"}}"#
            )
        })
        .collect();
    let parameters: Vec<String> = (0..n)
        .map(|i| {
            let name = every_other_misspelt(i, "loyal_members", "loyal_memebrs");
            format!(
                r#""banner_{i}": {{"defaultValue": {{"value": ""}}, "conditionalValues": {{"{name}": {{"value": "Welcome back"}}}}}}"#
            )
        })
        .collect();
    write(
        &root.join("remoteconfig.template.json"),
        &format!(
            "{{\"conditions\": [\n{}\n],\n\"parameters\": {{\n{}\n}}}}\n",
            conditions.join(",\n"),
            parameters.join(",\n")
        ),
    );
    creeplint::Options::default()
}

/// `n` Fides dataset files of ten fields, and a system file for every ten datasets
/// whose declarations name one dataset each.
fn fides(root: &Path, n: usize) -> creeplint::Options {
    for i in 0..n {
        let fields: String = (0..10)
            .map(|j| {
                format!(
                    "          - name: field_{j}\n            data_categories: [user.contact.email]\n"
                )
            })
            .collect();
        write(
            &root.join(format!("datasets/shop_{i}.yml")),
            &format!(
                "dataset:\n  - fides_key: shop_{i}\n    collections:\n      - name: customers\n        fields:\n{fields}"
            ),
        );
    }
    for s in 0..n / 10 {
        let declarations: String = (0..10)
            .map(|k| {
                format!(
                    "      - name: Newsletter {k}\n        data_categories: [user.contact]\n        data_use: marketing.communications.email\n        data_subjects: [customer]\n        dataset_references: [shop_{}]\n",
                    s * 10 + k
                )
            })
            .collect();
        write(
            &root.join(format!("systems/crm_{s}.yml")),
            &format!(
                "system:\n  - fides_key: crm_{s}\n    system_type: Service\n    privacy_declarations:\n{declarations}"
            ),
        );
    }
    creeplint::Options::default()
}

/// `n` JSON Schema forms, each with a uiSchema the configuration names.
fn ui_schemas(root: &Path, n: usize) -> creeplint::Options {
    let mut pairs = BTreeMap::new();
    for i in 0..n {
        write(
            &root.join(format!("forms/signup_{i}.json")),
            &format!(
                r#"{{"$schema": "http://json-schema.org/draft-07/schema#", "title": "Signup {i}", "type": "object", "x-purpose": "To create your account.", "properties": {{"email": {{"type": "string", "format": "email", "title": "Email"}}}}}}"#
            ),
        );
        write(
            &root.join(format!("layout/signup_{i}-layout.json")),
            r#"{"email": {"ui:help": "We send your receipt here."}}"#,
        );
        pairs.insert(
            PathBuf::from(format!("forms/signup_{i}.json")),
            PathBuf::from(format!("layout/signup_{i}-layout.json")),
        );
    }
    creeplint::Options {
        reader_settings: creeplint::formats::ReaderSettings::new(
            root.to_path_buf(),
            Vec::new(),
            pairs,
        ),
        ..Default::default()
    }
}

/// Writes a project of `n` entries under a folder, and gives the options to check it.
type Build = fn(&Path, usize) -> creeplint::Options;

/// The work of each kind (in `Kind::ALL`'s order) and the findings of one run over a
/// project `build` writes for `n`.
fn work(build: Build, n: usize) -> (Vec<u64>, usize) {
    let dir = tempfile::tempdir().unwrap();
    let options = build(dir.path(), n);
    let before: Vec<u64> = Kind::ALL
        .iter()
        .map(|k| creeplint::work::count(*k))
        .collect();
    let outcome = creeplint::run(&[dir.path().to_path_buf()], &options).unwrap();
    let after = Kind::ALL.iter().map(|k| creeplint::work::count(*k));
    let counted = after.zip(before).map(|(a, b)| a - b).collect();
    (counted, outcome.findings.len())
}

#[test]
fn readers_grow_linearly_within_a_file_and_across_the_files_they_pair() {
    let projects: [(&str, Build, usize); 4] = [
        ("one flagd file", flagd, 500),
        ("one Remote Config template", remote_config, 500),
        ("Fides datasets and systems", fides, 100),
        ("configured uiSchemas", ui_schemas, 250),
    ];
    for (what, build, n) in projects {
        let (small, small_findings) = work(build, n);
        let (large, large_findings) = work(build, 4 * n);
        assert!(small_findings > 0, "{what}: no findings");
        assert_eq!(large_findings, 4 * small_findings, "{what}");
        for ((kind, s), l) in Kind::ALL.iter().zip(&small).zip(&large) {
            let ratio = *l as f64 / (*s).max(1) as f64;
            // Shown with `--nocapture`.
            eprintln!("{what}: {}: {s} -> {l} ({ratio:.2}x)", kind.name());
            assert!(
                ratio <= 5.0,
                "{what}: 4x the entries took {ratio:.1}x the {} ({s} -> {l}): \
                 a step became worse than O(n log n)",
                kind.name()
            );
        }
    }
}
