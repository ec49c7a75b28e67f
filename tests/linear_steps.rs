//! Every step's work grows linearly with the project (issue 14): passes over the
//! project's lists of items and of files, did-you-mean questions and the matching of
//! findings to allows are counted
//! (`creeplint::work`), and four times the files must cost about four times the work
//! of each kind, not sixteen. Work is counted, not time, so the test is not flaky. One
//! test in this file: the counters are process-wide.
//!
//! The project has what makes a step depend on other files: references from one file
//! to another, references that no file declares (one per file, each asked whether it is
//! a typo of a declared id) and typos of declared ids, allows, and forms read from HTML
//! and flag files beside the native ones.

use std::path::Path;

#[path = "common/linear_module.rs"]
mod linear_module;

use creeplint::work::Kind;

/// `modules` modules of five files that refer to each other.
fn project(root: &Path, modules: usize) {
    for m in 0..modules {
        let dir = linear_module::module(root, m, |m, p| {
            format!(
                "  - id: camp-{m}-{p}\n    use: marketing\n    channel: email\n    when:\n      - data: score_{m}\n        gt: 0.5\n      - data: scroe_{m}\n        gt: 0.5\n      - data: clicks_on_home_{m}\n        gt: 3\n    message: \"New arrivals for you, {{{{first_name_{m}}}}}\"\n"
            )
        });
        let html = format!(
            "<!doctype html>\n<form id=\"newsletter-{m}\" data-purpose=\"To send you our weekly newsletter.\" data-uses=\"marketing\">\n  <label for=\"e\">Email</label>\n  <input id=\"e\" name=\"first_name_{m}\" type=\"email\">\n</form>\n"
        );
        std::fs::write(dir.join(format!("newsletter-{m}.html")), html).unwrap();
        let flags = format!(
            "{{\n  \"$schema\": \"https://flagd.dev/schema/v0/flags.json\",\n  \"flags\": {{\n    \"offer-{m}\": {{\n      \"state\": \"ENABLED\",\n      \"variants\": {{ \"none\": \"\", \"offer\": \"20% off today\" }},\n      \"defaultVariant\": \"none\",\n      \"metadata\": {{ \"purpose\": \"Show returning customers an offer\", \"use\": \"marketing\" }},\n      \"targeting\": {{ \"if\": [{{ \">=\": [{{ \"var\": \"visits_{m}\" }}, 3] }}, \"offer\", \"none\"] }}\n    }}\n  }}\n}}\n"
        );
        std::fs::write(dir.join(format!("offers-{m}.flagd.json")), flags).unwrap();
    }
}

/// The work of each kind counted by one run over `modules` modules (in `Kind::ALL`'s
/// order), and the findings it reported: a run that keeps every finding, or
/// (`streamed`) one that writes them a batch of files at a time, as `check` does.
fn work(modules: usize, streamed: bool) -> (Vec<u64>, usize) {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path(), modules);
    let paths = [dir.path().to_path_buf()];
    let options = creeplint::Options::default();
    let mut written = 0;
    let (outcome, counted) = creeplint::work::counted(|| {
        if streamed {
            creeplint::pipeline::run_streamed(&paths, &options, &mut |_, findings| {
                written += findings.len();
            })
            .unwrap()
        } else {
            let outcome = creeplint::run(&paths, &options).unwrap();
            written = outcome.findings.len();
            outcome
        }
    });
    assert_eq!(outcome.summary.files, modules * 5, "every file is read");
    (counted.to_vec(), written)
}

#[test]
fn every_step_grows_linearly() {
    for streamed in [false, true] {
        // 1,000 and 4,000 files.
        let (small, small_findings) = work(200, streamed);
        let (large, large_findings) = work(800, streamed);
        // Each module's findings are alike, so four times the modules give four times
        // the findings: the runs did the same thing at both sizes.
        assert_eq!(large_findings, 4 * small_findings, "streamed: {streamed}");
        for ((kind, s), l) in Kind::ALL.iter().zip(&small).zip(&large) {
            // A check walks no list of files (the baseline and the report do), and
            // without a configuration makes no path absolute to compare it.
            if matches!(kind, Kind::Files | Kind::Paths) && *s == 0 {
                assert_eq!(*l, 0, "no {} at 1,000 files, some at 4,000", kind.name());
                continue;
            }
            assert!(*s > 0, "no {} counted at 1,000 files", kind.name());
            let ratio = *l as f64 / *s as f64;
            // Shown with `--nocapture`.
            eprintln!(
                "{}: {s} -> {l} ({ratio:.2}x, streamed: {streamed})",
                kind.name()
            );
            assert!(
                (3.5..=5.0).contains(&ratio),
                "4x the files took {ratio:.1}x the {} ({s} -> {l}, streamed: {streamed}): \
                 a step became worse than O(n log n)",
                kind.name()
            );
        }
    }

    // The counters see a quadratic step: the question every undeclared id used to ask,
    // compared with every declared id, grows sixteenfold.
    let asked = |n: usize| {
        let declared: Vec<String> = (0..n).map(|m| format!("score_{m}")).collect();
        let before = creeplint::work::count(Kind::Suggestions);
        for m in 0..n {
            let typo = format!("scroe_{m}");
            let meant =
                creeplint::suggest::did_you_mean(&typo, declared.iter().map(String::as_str));
            assert_eq!(meant, Some(format!("score_{m}").as_str()));
        }
        creeplint::work::count(Kind::Suggestions) - before
    };
    let ratio = asked(800) as f64 / asked(200) as f64;
    assert!(
        ratio > 12.0,
        "a quadratic step counted {ratio:.1}x for 4x the ids"
    );
}
