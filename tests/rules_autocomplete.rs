//! `autocomplete-mismatch` on HTML and JSON Schema forms that must fire and forms that
//! must stay quiet, with the findings checked in as reviewed snapshots.

mod common;

use common::{count, fires, quiet, rows, with};
use creeplint::Confidence;

#[test]
fn autocomplete_mismatch() {
    let o = fires("autocomplete-mismatch");
    insta::assert_snapshot!(rows(&o));
    assert_eq!(count(&o, "autocomplete-mismatch"), 8, "{}", rows(&o));
    let first = with(&o, "autocomplete-mismatch", "`first_name`");
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].confidence, Confidence::High);
    assert!(
        first[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("`given-name`"))
    );
    // Without a label, the field's name decides, with less confidence.
    let zip = with(&o, "autocomplete-mismatch", "`zip`");
    assert_eq!(zip.len(), 1);
    assert_eq!(zip[0].confidence, Confidence::Medium);
    // An identity number has no autofill token: the help says to turn autofill off.
    let id = with(&o, "autocomplete-mismatch", "`id_number`");
    assert!(id[0].help.as_deref().is_some_and(|h| h.contains("`off`")));
    // Prefixes are read: `section-work billing email` is an email.
    assert_eq!(
        with(&o, "autocomplete-mismatch", "`phone` as `email`").len(),
        1
    );
    // uiSchema tokens, both spellings.
    assert_eq!(with(&o, "autocomplete-mismatch", "`company`").len(), 1);
    assert_eq!(with(&o, "autocomplete-mismatch", "`website`").len(), 1);
}

#[test]
fn autocomplete_mismatch_quiet() {
    quiet("autocomplete-mismatch");
}
