//! One bad value gives one finding: a native document with a schema violation is still
//! read into the model (the bad value left out or defaulted), so the data it reads is
//! not then reported as unused or undeclared. Each case copies the valid project in
//! `tests/fixtures/partial-documents/`, breaks one value, and compares the findings.

use std::collections::BTreeSet;
use std::path::Path;

use creeplint::pipeline::{Options, Outcome, run};

const PROJECT: &str = "tests/fixtures/partial-documents";

/// A finding, independent of the folder it was found in.
type Row = (String, String, usize, usize, String);

fn lint(dir: &Path) -> (Outcome, BTreeSet<Row>) {
    let o = run(&[dir.to_path_buf()], &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let rows = o
        .findings
        .iter()
        .map(|f| {
            let at = o.sources.line_col(f.primary.loc);
            let file = o.sources.display(f.primary.loc.file);
            let name = Path::new(file)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (
                f.rule.to_string(),
                name,
                at.line,
                at.column,
                f.message.to_string(),
            )
        })
        .collect();
    (o, rows)
}

/// The project with `from` replaced by `to` in `file` (exactly once).
fn broken(file: &str, from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(PROJECT).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let mut text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        if name == file {
            assert_eq!(text.matches(from).count(), 1, "`{from}` once in {file}");
            text = text.replacen(from, to, 1);
        }
        std::fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

fn invalid(rows: &BTreeSet<Row>) -> Vec<&Row> {
    rows.iter().filter(|r| r.0 == "invalid-file").collect()
}

/// The valid project's own findings: what every broken copy still gives.
fn baseline() -> BTreeSet<Row> {
    let (_, rows) = lint(Path::new(PROJECT));
    assert!(invalid(&rows).is_empty(), "{rows:#?}");
    assert_eq!(
        rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        ["missing-purpose"],
        "the valid project gives one finding of its own"
    );
    rows
}

/// Break one value; the run gives exactly one invalid-file finding, at `line`, with
/// `message`, and otherwise exactly what the valid project gives.
fn one_error_one_finding(file: &str, from: &str, to: &str, line: usize, message: &str) {
    let good = baseline();
    let dir = broken(file, from, to);
    let (_, rows) = lint(dir.path());
    let errors = invalid(&rows);
    assert_eq!(errors.len(), 1, "`{to}`: {rows:#?}");
    let Some(error) = errors.first() else { return };
    assert_eq!(
        (error.1.as_str(), error.2, error.4.as_str()),
        (file, line, message),
        "`{to}`"
    );
    let rest: BTreeSet<Row> = rows
        .iter()
        .filter(|r| r.0 != "invalid-file")
        .cloned()
        .collect();
    assert_eq!(
        rest, good,
        "`{to}`: the rest of the project gives what it gave"
    );
}

#[test]
fn an_unknown_use_gives_one_finding() {
    one_error_one_finding(
        "personalization.yaml",
        "use: personalization",
        "use: personalisation",
        5,
        "`personalisation` is not one of the allowed values",
    );
}

#[test]
fn a_bad_channel_gives_one_finding() {
    one_error_one_finding(
        "personalization.yaml",
        "channel: email",
        "channel: emial",
        11,
        "`emial` is not one of the allowed values",
    );
}

#[test]
fn a_missing_channel_gives_one_finding() {
    one_error_one_finding(
        "personalization.yaml",
        "channel: email",
        "x-chanel: email",
        3,
        "missing required key `channel`",
    );
}

#[test]
fn a_bad_frequency_gives_one_finding() {
    // Not also "no frequency cap" on an email: a cap is written, it cannot be read.
    one_error_one_finding(
        "personalization.yaml",
        "frequency: 1/week",
        "frequency: 1/wake",
        12,
        "`1/wake` is not `N/day`, `N/week` or `N/month`, like `1/week`",
    );
}

#[test]
fn a_bad_condition_operator_gives_one_finding() {
    // Not also "the condition has no test", and the data it reads is still read.
    one_error_one_finding(
        "personalization.yaml",
        "gt: 500",
        "gte: 500",
        8,
        "unknown key `gte`",
    );
}

#[test]
fn a_bad_condition_value_gives_one_finding() {
    one_error_one_finding(
        "personalization.yaml",
        "exists: true",
        "exists: \"yes\"",
        10,
        "expected `true` or `false`, found a string",
    );
}

#[test]
fn a_bad_source_gives_one_finding() {
    one_error_one_finding(
        "data.yaml",
        "source: observed",
        "source: observd",
        4,
        "`observd` is not one of the allowed values",
    );
}

#[test]
fn bad_form_values_give_one_finding() {
    for (from, to, line, message) in [
        (
            "type: email",
            "type: emial",
            9,
            "`emial` is not one of the allowed values",
        ),
        (
            "uses: [account, personalization]",
            "uses: [account, personalisation]",
            12,
            "`personalisation` is not one of the allowed values",
        ),
        (
            "required: true",
            "required: yes!",
            10,
            "expected `true` or `false`, found a string",
        ),
    ] {
        one_error_one_finding("signup.yaml", from, to, line, message);
    }
}

#[test]
fn a_condition_with_no_test_still_reads_its_data() {
    let good = baseline();
    let dir = broken("personalization.yaml", "        exists: true\n", "");
    let (o, rows) = lint(dir.path());
    let errors = invalid(&rows);
    assert_eq!(errors.len(), 1, "{rows:#?}");
    assert_eq!(
        errors.first().map(|e| e.4.as_str()),
        Some("the condition on `loyalty.points_balance` has no test")
    );
    let rest: BTreeSet<Row> = rows
        .iter()
        .filter(|r| r.0 != "invalid-file")
        .cloned()
        .collect();
    assert_eq!(rest, good);
    // Both conditions are in the model, the one without a test as `exists: true`.
    let p = o.project.personalizations.first();
    assert_eq!(p.map(|p| p.when.len()), Some(2));
}
