//! Cost grows linearly with the project: matching findings to allows counts its steps
//! (`creeplint::suppress::steps`), and four times the files must take about four times
//! the steps, not sixteen. Work is counted, not time, so the test is not flaky. One test
//! in this file: the counter is process-wide.

use std::path::Path;

#[path = "common/linear_module.rs"]
mod linear_module;

/// `modules` modules of three files that refer to each other, each with allow comments
/// and `x-creeplint-allow` entries that suppress findings, like a large real project.
fn project(root: &Path, modules: usize) {
    for m in 0..modules {
        linear_module::module(root, m, |m, p| {
            format!(
                "  # creeplint: allow aggressive-frequency -- capped by the sender\n  - id: camp-{m}-{p}\n    use: marketing\n    channel: sms\n    frequency: 5/day\n    when:\n      - data: score_{m}\n        gt: 0.5\n    message: \"New arrivals for you\"\n"
            )
        });
    }
}

/// The matching steps and suppressed findings of one run over `modules` modules: a run
/// that keeps every finding, or (`streamed`) one that writes them a batch of files at a
/// time, as `check` does.
fn steps(modules: usize, streamed: bool) -> (u64, usize) {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path(), modules);
    let before = creeplint::suppress::steps();
    let paths = [dir.path().to_path_buf()];
    let options = creeplint::Options::default();
    let outcome = if streamed {
        creeplint::pipeline::run_streamed(&paths, &options, &mut |_, _| {}).unwrap()
    } else {
        creeplint::run(&paths, &options).unwrap()
    };
    (
        creeplint::suppress::steps() - before,
        outcome.summary.suppressed,
    )
}

#[test]
fn allow_matching_grows_linearly() {
    for streamed in [false, true] {
        // 1,000 and 4,000 files.
        let (small, small_suppressed) = steps(334, streamed);
        let (large, large_suppressed) = steps(1334, streamed);
        // The allows really suppress: every module's three comments (the entry on the
        // data item covers the item, while the inferred-data finding is on the reference
        // to it).
        assert_eq!(small_suppressed, 334 * 3, "suppressed at 1,000 files");
        assert_eq!(large_suppressed, 1334 * 3, "suppressed at 4,000 files");
        let ratio = large as f64 / small as f64;
        assert!(
            (3.5..=5.0).contains(&ratio),
            "4x the files took {ratio:.1}x the allow-matching steps ({small} -> {large}, \
             streamed: {streamed}): a step became worse than O(n log n)"
        );
    }
}
