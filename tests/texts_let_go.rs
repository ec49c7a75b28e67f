//! A run whose output writes positions only (JSON, SARIF, GitHub annotations) lets go
//! of the files' texts as it reads them, keeping their line starts and the terms the
//! rules quote (issue 14). What it writes must be the same, byte for byte, as what a
//! run that keeps every text writes; and the texts must really be gone.

use std::path::{Path, PathBuf};

use creeplint::pipeline::{Options, Outcome};

mod common;

fn run(dir: &Path, drop_texts: bool) -> Outcome {
    let options = Options {
        drop_texts,
        ..Options::default()
    };
    common::run_dir(dir, &options)
}

#[test]
fn outputs_without_the_texts_are_the_same() {
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut quoted = 0;
    let mut let_go = 0;
    for name in [
        // Mapped terms quoted in messages: Fides (paired after reading), Snowplow
        // event schemas (paired), an Apple privacy manifest (let go as read).
        "fides-pharmacy",
        "event-tracking",
        "ios-fitness-app",
        // A JSON Schema paired with its uiSchema, HTML pages, native files, invalid ones.
        "jsonschema-forms",
        "html-forms",
        "creepy-shop",
        "broken",
        "feature-flags",
        "remote-config",
    ] {
        let dir = examples.join(name);
        let kept = run(&dir, false);
        let gone = run(&dir, true);
        let [json, sarif, github] = common::position_outputs(&kept);
        let [json2, sarif2, github2] = common::position_outputs(&gone);
        assert_eq!(json, json2, "{name}: JSON");
        assert_eq!(sarif, sarif2, "{name}: SARIF");
        assert_eq!(github, github2, "{name}: GitHub");
        assert!(!kept.findings.is_empty(), "{name}: no findings to compare");
        quoted += json.matches("here means").count();
        for ((_, a), (_, b)) in kept.sources.iter().zip(gone.sources.iter()) {
            assert_eq!(a.len(), b.len(), "{}", a.display);
            if a.text.is_ascii() && !a.text.is_empty() {
                assert!(b.text.is_empty(), "{}: text kept", b.display);
                let_go += 1;
            } else {
                assert_eq!(a.text, b.text, "{}", a.display);
            }
        }
    }
    // The terms the rules quote survived letting go (`... here means source: observed`).
    assert!(quoted >= 5, "{quoted} quoted terms");
    assert!(let_go >= 20, "{let_go} texts let go");
}

#[test]
fn the_human_output_keeps_the_texts_it_shows() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/creepy-shop");
    let o = run(&dir, false);
    assert!(o.sources.iter().all(|(_, f)| f.text.len() == f.len()));
    let human = creeplint::output::human::render(&o.sources, &o.findings, false, 100);
    assert!(human.contains(" │ "), "no source lines shown:\n{human}");
}
