//! The real public forms of `../shared/corpus/` (JSON Schema forms of six US government
//! applications and two JSON Forms examples; five HTML pages): every file is read, no
//! file is a problem, and the findings per rule stay what the README reports. Skips with
//! a message when `../shared` is absent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use creeplint::pipeline::{Options, Outcome, run};

fn corpus(folder: &str) -> Option<PathBuf> {
    let p = Path::new("../shared/corpus").join(folder);
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: {} is absent", p.display());
        None
    }
}

fn per_rule(o: &Outcome) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &o.findings {
        *counts.entry(f.rule.name()).or_default() += 1;
    }
    counts.iter().map(|(r, n)| format!("{r}: {n}\n")).collect()
}

#[test]
fn jsonschema_forms_corpus() {
    let Some(src) = corpus("jsonschema-forms") else {
        return;
    };
    // The corpus keeps files flat; a project keeps its form schemas under `forms/`.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let forms = dir.path().join("forms");
    std::fs::create_dir(&forms).unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(&src)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        std::fs::copy(entry.path(), forms.join(entry.file_name()))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let o = run(&[dir.path().to_path_buf()], &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.summary.files, 12);
    assert_eq!(o.summary.skipped, 0, "every schema and uiSchema is read");
    assert_eq!(o.project.forms.len(), 9);
    insta::assert_snapshot!(per_rule(&o));
}

#[test]
fn html_forms_corpus() {
    let Some(src) = corpus("html-forms") else {
        return;
    };
    let o = run(&[src], &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.summary.files, 5);
    assert_eq!(o.summary.skipped, 0);
    let fields: usize = o.project.forms.iter().map(|f| f.fields.len()).sum();
    assert_eq!((o.project.forms.len(), fields), (5, 32));
    insta::assert_snapshot!(per_rule(&o));
}
