//! Cost grows linearly with the project: matching findings to allows counts its steps
//! (`creeplint::suppress::steps`), and four times the files must take about four times
//! the steps, not sixteen. Work is counted, not time, so the test is not flaky. One test
//! in this file: the counter is process-wide.

use std::fmt::Write as _;
use std::path::Path;

/// `modules` modules of three files that refer to each other, each with allow comments
/// and `x-creeplint-allow` entries that suppress findings, like a large real project.
fn project(root: &Path, modules: usize) {
    for m in 0..modules {
        let dir = root.join(format!("team{:02}", m % 50));
        std::fs::create_dir_all(&dir).unwrap();
        let form = format!(
            "kind: form\nid: signup-{m}\npurpose: Create an account to order and track deliveries.\nfields:\n  - id: email_{m}\n    type: email\n    label: Email\n    purpose: To send your receipt.\n    retention: 1 year\n  # creeplint: allow prechecked-consent -- reviewed by legal, PRIV-12\n  - id: opt_in_{m}\n    type: checkbox\n    default: true\n    label: Send me offers\n"
        );
        std::fs::write(dir.join(format!("form-{m}.yaml")), form).unwrap();
        let data = format!(
            "kind: data\nitems:\n  - id: score_{m}\n    source: inferred\n    description: How likely you are to buy again\n    uses: [marketing]\n    x-creeplint-allow:\n      - rule: inferred-data\n        reason: explained on the privacy page\n"
        );
        std::fs::write(dir.join(format!("data-{m}.yaml")), data).unwrap();
        let mut camp = String::from("kind: personalization\npersonalizations:\n");
        for p in 0..2 {
            let _ = write!(
                camp,
                "  # creeplint: allow aggressive-frequency -- capped by the sender\n  - id: camp-{m}-{p}\n    use: marketing\n    channel: sms\n    frequency: 5/day\n    when:\n      - data: score_{m}\n        gt: 0.5\n    message: \"New arrivals for you\"\n"
            );
        }
        std::fs::write(dir.join(format!("campaigns-{m}.yaml")), camp).unwrap();
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
