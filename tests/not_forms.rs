//! A repository's ordinary JSON, YAML and HTML files (package manifests, API and
//! configuration schemas, OpenAPI, Kubernetes objects, documentation pages, workflows)
//! are not forms: creeplint reads them, reports nothing and counts them as skipped.

use std::path::PathBuf;

use creeplint::pipeline::{Options, run};

#[test]
fn typical_non_form_files_give_no_findings() {
    let o = run(
        &[PathBuf::from("tests/fixtures/not-forms")],
        &Options::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let rows: Vec<String> = o
        .findings
        .iter()
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect();
    assert!(rows.is_empty(), "{rows:#?}");
    assert!(o.project.forms.is_empty());
    assert_eq!(o.summary.files, o.summary.skipped);
    assert!(o.summary.files >= 10, "{}", o.summary.files);
}
