//! Projects that make a reader's own work large, for `tests/linear_readers.rs` (which
//! counts the work at n and 4n) and the benchmark (which times it): one large flagd file
//! and Remote Config template with misspelt names, Fides datasets and the systems that
//! name them, one Fides declaration of many categories and subjects, forms whose
//! uiSchemas a configuration names, data items that describe HTML form fields
//! (`FORM_ID.FIELD_ID`), and one JSON Schema form whose properties each `$ref` their own
//! definition. Each writes its project under `root` and
//! returns the options to check it with in process (the binary reads the same settings
//! from the project's `creeplint.yaml`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Writes a project of `n` entries under a folder, and gives the options to check it.
pub type Build = fn(&Path, usize) -> creeplint::Options;

/// Every project: its name, how to build it, the n of the test and the n of the
/// benchmark (each checks n and 4n; 4n flagd files of 8,000 flags would be past the
/// 200,000 values a document may hold).
pub const PROJECTS: [(&str, Build, usize, usize); 7] = [
    ("one flagd file", flagd, 500, 1000),
    ("one Remote Config template", remote_config, 500, 2000),
    ("Fides datasets and systems", fides, 100, 400),
    ("one Fides declaration", fides_declaration, 250, 1000),
    ("configured uiSchemas", ui_schemas, 250, 1000),
    (
        "data items describing HTML form fields",
        overlays,
        250,
        1000,
    ),
    ("one JSON Schema's $refs", schema_refs, 250, 1000),
];

pub fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Entry `i`'s name, `{name}_{i}`, misspelt (`{typo}_{i}`) for every other entry.
fn every_other_misspelt(i: usize, name: &str, typo: &str) -> String {
    format!("{}_{i}", if i.is_multiple_of(2) { name } else { typo })
}

/// One flagd file of `n` flags, each targeting through a `$ref` to its own evaluator;
/// every other `$ref` misspells the evaluator's name.
pub fn flagd(root: &Path, n: usize) -> creeplint::Options {
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
pub fn remote_config(root: &Path, n: usize) -> creeplint::Options {
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
pub fn fides(root: &Path, n: usize) -> creeplint::Options {
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
pub fn ui_schemas(root: &Path, n: usize) -> creeplint::Options {
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
    // The same pairs for the binary, which reads them from the configuration.
    let config: String = pairs
        .iter()
        .map(|(schema, ui)| format!("  {}: {}\n", schema.display(), ui.display()))
        .collect();
    write(
        &root.join("creeplint.yaml"),
        &format!("ui-schemas:\n{config}"),
    );
    creeplint::Options {
        reader_settings: creeplint::formats::ReaderSettings::new(
            root.to_path_buf(),
            Vec::new(),
            pairs,
        ),
        ..Default::default()
    }
}

/// `n` HTML forms, each with an email field, and `n` data files of five items, the
/// first of which describes its form's field (`newsletter-{i}.email`).
pub fn overlays(root: &Path, n: usize) -> creeplint::Options {
    for i in 0..n {
        write(
            &root.join(format!("pages/newsletter-{i}.html")),
            &format!(
                "<!doctype html>\n<form id=\"newsletter-{i}\" data-uses=\"marketing\">\n  <label for=\"e\">Email</label>\n  <input id=\"e\" name=\"email\" type=\"email\">\n  <label for=\"b\">Birthday</label>\n  <input id=\"b\" name=\"birthday\" type=\"date\">\n</form>\n"
            ),
        );
        let items: String = std::iter::once(format!(
            "  - id: newsletter-{i}.email\n    source: volunteered\n    description: To send you the weekly newsletter.\n"
        ))
        .chain((0..4).map(|k| {
            format!(
                "  - id: answer_{i}_{k}\n    source: volunteered\n    description: Your answer to question {k}, to recommend a plan\n    uses: [personalization]\n"
            )
        }))
        .collect();
        write(
            &root.join(format!("data/privacy-{i}.yaml")),
            &format!("kind: data\nitems:\n{items}"),
        );
    }
    creeplint::Options::default()
}

/// One Fides system whose one declaration names `n` categories and `n` data subjects:
/// an item for each category, each given every subject.
pub fn fides_declaration(root: &Path, n: usize) -> creeplint::Options {
    let categories: Vec<String> = (0..n).map(|i| format!("user.contact.email.c{i}")).collect();
    let subjects: Vec<String> = (0..n).map(|i| format!("member_group_{i}")).collect();
    write(
        &root.join("systems/crm.yml"),
        &format!(
            "system:\n  - fides_key: crm\n    system_type: Service\n    privacy_declarations:\n      - name: Newsletter\n        data_categories: [{}]\n        data_use: marketing.communications.email\n        data_subjects: [{}]\n",
            categories.join(", "),
            subjects.join(", ")
        ),
    );
    creeplint::Options::default()
}

/// One JSON Schema form of `n` properties, each a `$ref` to its own definition.
pub fn schema_refs(root: &Path, n: usize) -> creeplint::Options {
    let properties: Vec<String> = (0..n)
        .map(|i| format!(r##""answer_{i}": {{"$ref": "#/definitions/answer_{i}"}}"##))
        .collect();
    let definitions: Vec<String> = (0..n)
        .map(|i| format!(r#""answer_{i}": {{"type": "string", "title": "Answer {i}"}}"#))
        .collect();
    write(
        &root.join("forms/survey.json"),
        &format!(
            r#"{{"$schema": "http://json-schema.org/draft-07/schema#", "title": "Survey", "type": "object", "x-purpose": "To recommend a plan.", "properties": {{{}}}, "definitions": {{{}}}}}"#,
            properties.join(", "),
            definitions.join(", ")
        ),
    );
    creeplint::Options::default()
}
