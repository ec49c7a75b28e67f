//! `check` writes its findings a batch of files at a time (issue 14): the rules check a
//! few files' items, and each file's findings are settled (allows, levels, order) and
//! handed over once no batch still to check can report in it. What it hands over, run
//! after run, must be exactly the findings of a run that holds them all; every file's
//! findings must come in one run (SARIF's fingerprints count per file); and the runs
//! must come in path order. Batches of one, two and three files cross every edge:
//! paired files (a JSON Schema and its uiSchema, Fides datasets), purposes that data
//! files give HTML and JSON Schema fields, data items sharing a form field's id, allows.

use std::collections::BTreeSet;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use creeplint::Finding;
use creeplint::pipeline::{self, Options, Outcome};

fn options(batch: Option<usize>, min_confidence: Option<creeplint::Confidence>) -> Options {
    Options {
        batch_files: batch.and_then(NonZeroUsize::new),
        min_confidence,
        ..Options::default()
    }
}

/// The findings a streamed run hands over, one list per run of them, with the run's
/// outcome.
fn streamed(root: &Path, options: &Options) -> (Outcome, Vec<Vec<Finding>>) {
    let mut runs = Vec::new();
    let outcome = pipeline::run_streamed(&[root.to_path_buf()], options, &mut |_, found| {
        runs.push(found.to_vec())
    });
    match outcome {
        Ok(o) => (o, runs),
        Err(e) => panic!("{}: {e}", root.display()),
    }
}

fn roots() -> Vec<PathBuf> {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut roots = vec![
        here.join("tests/fixtures"),
        here.join("tests/eval"),
        here.join("examples"),
    ];
    let shared = here.join("../shared/corpus");
    if shared.is_dir() {
        roots.push(shared);
    } else {
        eprintln!("../shared/corpus is absent: the real public files are not streamed here");
    }
    roots
}

fn compare(root: &Path, batch: usize, min_confidence: Option<creeplint::Confidence>) {
    let whole = match pipeline::run(&[root.to_path_buf()], &options(None, min_confidence)) {
        Ok(o) => o,
        Err(e) => panic!("{}: {e}", root.display()),
    };
    let (out, runs) = streamed(root, &options(Some(batch), min_confidence));
    let what = format!("{} in batches of {batch}", root.display());
    assert!(
        out.findings.is_empty(),
        "{what}: a streamed run keeps no finding"
    );
    let handed: Vec<Finding> = runs.iter().flatten().cloned().collect();
    assert_eq!(handed.len(), whole.findings.len(), "{what}: how many");
    for (i, (a, b)) in handed.iter().zip(&whole.findings).enumerate() {
        assert_eq!(a, b, "{what}: finding {i}");
    }
    assert_eq!(out.summary, whole.summary, "{what}: summary");
    assert_eq!(out.by_rule, whole.by_rule, "{what}: counts by rule");
    let reasons = |o: &Outcome| -> Vec<(Finding, String)> {
        o.suppressed
            .iter()
            .map(|s| (s.finding.clone(), s.reason.clone()))
            .collect()
    };
    assert_eq!(reasons(&out), reasons(&whole), "{what}: suppressed");
    // Each file in one run; the runs in path order.
    let mut seen = BTreeSet::new();
    let mut last: Option<String> = None;
    for run in &runs {
        assert!(!run.is_empty(), "{what}: an empty run");
        let files: BTreeSet<&str> = run
            .iter()
            .map(|f| out.sources.display(f.primary.loc.file))
            .collect();
        for file in &files {
            assert!(seen.insert(file.to_string()), "{what}: {file} in two runs");
        }
        let first = files.first().map(|f| f.to_string());
        assert!(last <= first, "{what}: {first:?} after {last:?}");
        last = files.last().map(|f| f.to_string());
    }
}

#[test]
fn streamed_runs_hand_over_the_findings_of_a_whole_run() {
    for root in roots() {
        for batch in [1, 2, 3] {
            compare(&root, batch, None);
        }
    }
}

#[test]
fn streamed_runs_count_only_what_they_report() {
    // `--min-confidence` drops findings before they are counted, as in a whole run.
    for root in roots() {
        compare(&root, 2, Some(creeplint::Confidence::High));
    }
}

#[test]
fn a_streamed_project_is_checked_in_batches_and_says_what_a_whole_one_says() {
    // More files than one batch holds: the generated project of the benchmark (forms,
    // data files and personalizations referring to each other across files, allows).
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    for m in 0..40 {
        let data = format!(
            "kind: data\nitems:\n  - id: item_{m}\n    source: inferred\n    description: Signal {m} about what you did, to order the home page\n    uses: [personalization]\n"
        );
        let form = format!(
            "kind: form\nid: signup-{m}\npurpose: Create an account.\nuses: [account]\nfields:\n  - id: field_{m}\n    label: Your date of birth\n    type: date\n    uses: [personalization]\n"
        );
        let campaign = format!(
            "kind: personalization\npersonalizations:\n  # creeplint: allow inferred-data -- explained on the privacy page\n  - id: camp-{m}\n    use: marketing\n    channel: email\n    when:\n      - data: item_{m}\n        gt: 0.5\n      - data: field_{m}\n        eq: 1990-01-01\n    message: \"Because of {{{{field_{m}}}}}\"\n"
        );
        for (name, text) in [("data", data), ("form", form), ("campaign", campaign)] {
            let path = root.join(format!("m{m:02}-{name}.yaml"));
            std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let (out, runs) = streamed(root, &options(Some(16), None));
    assert!(runs.len() > 5, "{} runs", runs.len());
    assert!(out.summary.suppressed > 0 && out.summary.warnings > 0);
    compare(root, 16, None);
    compare(root, 1, None);
    // Without `--show-suppressed`, the accepted findings are counted, not kept.
    let counted = Options {
        drop_suppressed: true,
        ..options(Some(16), None)
    };
    let (o, _) = streamed(root, &counted);
    assert!(o.suppressed.is_empty());
    assert_eq!(o.summary, out.summary);
}
