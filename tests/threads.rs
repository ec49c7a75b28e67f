//! A check on several threads says what the same check on one thread says (issue 14):
//! the declared items' facts are found on the run's threads, each thread writing its
//! run of items into their places in one list, so a project with more items than one
//! thread takes (4,000) must give the same findings, in the same order, either way.

use std::num::NonZeroUsize;
use std::path::Path;

#[path = "../benches/corpus/mod.rs"]
mod corpus;

/// The JSON output of checking `dir` on `threads` threads, with the suppressed findings.
fn json_of(dir: &Path, threads: usize) -> String {
    let options = creeplint::Options {
        threads: NonZeroUsize::new(threads),
        ..creeplint::Options::default()
    };
    let outcome = match creeplint::run(&[dir.to_path_buf()], &options) {
        Ok(o) => o,
        Err(e) => panic!("the check of {} failed: {e}", dir.display()),
    };
    let mut out = Vec::new();
    let written = creeplint::output::json::write(
        &mut out,
        &outcome.sources,
        &outcome.findings,
        Some(&outcome.suppressed),
        &outcome.summary,
    );
    assert!(written.is_ok(), "writing the JSON output failed");
    String::from_utf8(out).unwrap_or_else(|e| panic!("the JSON output is not UTF-8: {e}"))
}

#[test]
fn facts_found_on_threads_give_the_findings_of_one_thread() {
    // 1,000 files of each bench corpus: the project's about 6,700 declared items and
    // the forms' fields, past the 4,000 that one thread takes.
    for generate in [corpus::generate_project, corpus::generate_forms] {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temporary folder: {e}"));
        generate(dir.path(), 1_000).unwrap_or_else(|e| panic!("writing the corpus failed: {e}"));
        let one = json_of(dir.path(), 1);
        assert!(one.contains("\"rule\""), "the corpus gives no findings");
        for threads in [2, 3] {
            assert!(
                one == json_of(dir.path(), threads),
                "{threads} threads say something else than one"
            );
        }
    }
}
