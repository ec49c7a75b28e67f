//! Reader settings from `creeplint.yaml`, end to end through the binary: `forms:` globs
//! make JSON Schemas forms, and `ui-schemas:` pairs a schema with a uiSchema of any name.
//! Without the configuration the same files are skipped.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// A sign-up schema a generator wrote: no `x-` keys, not under `forms/`, no uiSchema
/// with a conventional name beside it.
const SIGNUP: &str = r#"{
  "type": "object",
  "required": ["email"],
  "properties": {
    "email": {"type": "string", "format": "email", "title": "Email address"},
    "device_id": {"type": "string"}
  }
}"#;

/// Its uiSchema, kept in another folder under another name.
const SIGNUP_UI: &str = r#"{
  "device_id": {"ui:widget": "hidden"}
}"#;

/// An API schema the `forms:` glob does not name.
const ORDER_API: &str = r#"{
  "type": "object",
  "properties": {"order_id": {"type": "string"}, "email": {"type": "string"}}
}"#;

const CONFIG: &str = "forms:
  - schemas/*.json
ui-schemas:
  schemas/signup.json: layout/signup-layout.json
";

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir: {e}"));
        }
        std::fs::write(path, text).unwrap_or_else(|e| panic!("write {name}: {e}"));
    }
    dir
}

fn check(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("creeplint")
        .unwrap_or_else(|e| panic!("binary: {e}"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .arg("check")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (_, out, err) = check(dir, &all);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\nstdout: {out}\nstderr: {err}"))
}

/// `rule file:line message` for every finding.
fn rows(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    format!(
                        "{} {}:{} {}",
                        f["rule"].as_str().unwrap_or(""),
                        f["file"].as_str().unwrap_or(""),
                        f["line"],
                        f["message"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("schemas/signup.json", SIGNUP),
        ("layout/signup-layout.json", SIGNUP_UI),
        ("api/order.json", ORDER_API),
    ]
}

#[test]
fn without_configuration_the_generated_schema_is_skipped() {
    let dir = project(&files());
    let v = json(dir.path(), &[]);
    assert_eq!(rows(&v), Vec::<String>::new());
    assert_eq!(v["summary"]["skipped"], 3, "{v}");
}

#[test]
fn forms_globs_and_a_configured_ui_schema_make_a_form() {
    let mut all = files();
    all.push(("creeplint.yaml", CONFIG));
    let dir = project(&all);
    let v = json(
        dir.path(),
        &["--rule", "hidden-collection", "--rule", "missing-purpose"],
    );
    assert_eq!(
        rows(&v),
        [
            "hidden-collection layout/signup-layout.json:2 form `signup` collects `device_id` in a hidden field",
            "missing-purpose schemas/signup.json:5 form `signup` asks for `email` without saying why",
            "missing-purpose schemas/signup.json:6 form `signup` asks for `device_id` without saying why",
        ],
        "{v}"
    );
    // the API schema and the configuration are not forms; the uiSchema is read with its schema
    assert_eq!(v["summary"]["files"], 4, "{v}");
    assert_eq!(v["summary"]["skipped"], 2, "{v}");
}

#[test]
fn the_configuration_folder_anchors_the_paths() {
    // Run from a subfolder: the configuration above it is found, and its paths still
    // start at its own folder.
    let mut all = files();
    all.push(("creeplint.yaml", CONFIG));
    let dir = project(&all);
    let v = json(
        &dir.path().join("schemas"),
        &["--rule", "hidden-collection", "."],
    );
    // the uiSchema is outside the checked folder: the schema is still a form (`forms:`)
    // but without its hints, so no hidden field
    assert_eq!(rows(&v), Vec::<String>::new());
    assert_eq!(v["summary"]["skipped"], 0, "{v}");
    let v = json(
        &dir.path().join("schemas"),
        &["--rule", "hidden-collection", ".", "../layout"],
    );
    assert_eq!(
        rows(&v),
        [
            "hidden-collection ../layout/signup-layout.json:2 form `signup` collects `device_id` in a hidden field"
        ],
        "{v}"
    );
}

#[test]
fn a_ui_schema_that_is_not_a_file_is_a_configuration_error() {
    let mut all = files();
    all.push((
        "creeplint.yaml",
        "ui-schemas:\n  schemas/signup.json: layout/signup.json\n",
    ));
    let dir = project(&all);
    let (code, _, err) = check(dir.path(), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("`ui-schemas` names `layout/signup.json`, which is not a file"),
        "{err}"
    );
    assert!(
        err.contains("relative to the folder of this configuration file"),
        "{err}"
    );
}

#[test]
fn forms_must_be_globs() {
    let mut all = files();
    all.push(("creeplint.yaml", "forms:\n  schemas: yes\n"));
    let dir = project(&all);
    let (code, _, err) = check(dir.path(), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`forms` must be a list of strings"), "{err}");
}
