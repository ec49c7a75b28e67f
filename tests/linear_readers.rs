//! The readers' own work grows linearly too (issue 14): inside one large file (a flagd
//! file's `$ref`s to its evaluators and a Remote Config template's conditional values
//! naming its conditions, with typos that ask for a did-you-mean; a Fides declaration's
//! categories and subjects; a JSON Schema's `$ref`s into its definitions) and across the
//! files a reader pairs (Fides systems and the datasets they name, schemas and the
//! uiSchemas a configuration gives them, data items that describe HTML form fields). The
//! projects are `tests/common/reader_projects.rs`'s, which the benchmark times. Each
//! counter of `creeplint::work` must grow at most 5x for 4x the entries; the findings,
//! exactly 4x. Work is counted, not time. One test in this file: the counters are
//! process-wide.
//!
//! Before the eighteenth round, these steps were quadratic (one cubic). Run on those
//! readers, the did-you-mean comparisons and the paths made absolute grew 16x here; the
//! other steps counted nothing then, so for them this test guards the indexes that
//! replaced them.

#[path = "common/reader_projects.rs"]
mod reader_projects;

use creeplint::work::Kind;
use reader_projects::{Build, PROJECTS};

/// The work of each kind (in `Kind::ALL`'s order) and the findings of one run over a
/// project `build` writes for `n`.
fn work(build: Build, n: usize) -> (Vec<u64>, usize) {
    let dir = tempfile::tempdir().unwrap();
    let options = build(dir.path(), n);
    let (outcome, counted) =
        creeplint::work::counted(|| creeplint::run(&[dir.path().to_path_buf()], &options).unwrap());
    (counted.to_vec(), outcome.findings.len())
}

#[test]
fn readers_grow_linearly_within_a_file_and_across_the_files_they_pair() {
    for (what, build, n, _) in PROJECTS {
        let (small, small_findings) = work(build, n);
        let (large, large_findings) = work(build, 4 * n);
        assert!(small_findings > 0, "{what}: no findings");
        assert_eq!(large_findings, 4 * small_findings, "{what}");
        for ((kind, s), l) in Kind::ALL.iter().zip(&small).zip(&large) {
            let ratio = *l as f64 / (*s).max(1) as f64;
            // Shown with `--nocapture`.
            eprintln!("{what}: {}: {s} -> {l} ({ratio:.2}x)", kind.name());
            assert!(
                ratio <= 5.0,
                "{what}: 4x the entries took {ratio:.1}x the {} ({s} -> {l}): \
                 a step became worse than O(n log n)",
                kind.name()
            );
        }
    }
}
