//! Every output format and both report formats render findings of HTML and JSON Schema
//! forms, pointing into the pages, schemas and uiSchemas.

use assert_cmd::Command;

fn run(args: &[&str]) -> (i32, String) {
    let mut cmd = match Command::cargo_bin("creeplint") {
        Ok(c) => c,
        Err(e) => panic!("binary not built: {e}"),
    };
    cmd.env("NO_COLOR", "1").env("COLUMNS", "100").args(args);
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("could not run: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn check_formats_on_html_and_jsonschema_forms() {
    for format in ["human", "json", "sarif", "github"] {
        let (code, out) = run(&["check", "examples/html-forms", "--format", format]);
        assert_eq!(code, 1, "{format}: errors found\n{out}");
        assert!(out.contains("signup.html"), "{format}:\n{out}");
        assert!(out.contains("prechecked-consent"), "{format}:\n{out}");
        let (code, out) = run(&["check", "examples/jsonschema-forms", "--format", format]);
        assert_eq!(code, 1, "{format}\n{out}");
        assert!(out.contains("apply.uischema.json"), "{format}:\n{out}");
        assert!(out.contains("autocomplete-mismatch"), "{format}:\n{out}");
    }
}

#[test]
fn reports_show_where_each_field_came_from() {
    let (code, md) = run(&[
        "report",
        "examples/jsonschema-forms",
        "--format",
        "markdown",
    ]);
    assert_eq!(code, 1, "errors found\n{md}");
    assert!(
        md.contains("| `applicant.address.city` | City | form `apply`"),
        "{md}"
    );
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let page = dir.path().join("report.html");
    let path = page.to_string_lossy().into_owned();
    let (code, _) = run(&["report", "examples/html-forms", "-o", &path]);
    assert_eq!(code, 1, "errors found");
    let html = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        html.contains("examples/html-forms/checkout.html"),
        "no checkout.html in the report"
    );
    assert!(html.contains("card_number"));
}
