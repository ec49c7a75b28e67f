//! Wave 1 rules on fixtures that must fire and fixtures that must stay quiet, with the
//! findings checked in as reviewed snapshots.

mod common;

use common::{count, fires, lint, quiet, rows, with};
use creeplint::{Confidence, Severity};

#[test]
fn missing_purpose() {
    let o = fires("missing-purpose");
    // absent, whitespace-only, on fields and on data items (JSON too)
    assert_eq!(count(&o, "missing-purpose"), 4);
    insta::assert_snapshot!(rows(&o));
    quiet("missing-purpose");
}

#[test]
fn inferred_data() {
    let o = fires("inferred-data");
    insta::assert_snapshot!(rows(&o));
    // condition + explanation placeholder on the same item: one finding, two places
    let baby = with(&o, "inferred-data", "baby-push");
    assert_eq!(baby.len(), 1);
    assert_eq!(baby[0].confidence, Confidence::High);
    // a name guess is not a declaration
    let guess = with(&o, "inferred-data", "segment.lookalike_score");
    assert_eq!(guess.len(), 1);
    assert_eq!(guess[0].confidence, Confidence::Medium);
    quiet("inferred-data");
}

#[test]
fn observed_data() {
    let o = fires("observed-data");
    assert_eq!(count(&o, "observed-data"), 3, "{}", rows(&o));
    insta::assert_snapshot!(rows(&o));
    // device location belongs to location-trigger, volunteered data to nobody
    quiet("observed-data");
}

#[test]
fn location_trigger_severity_by_precision_and_channel() {
    let o = fires("location-trigger");
    insta::assert_snapshot!(rows(&o));
    let sev = |id: &str| {
        with(&o, "location-trigger", &format!("`{id}`"))
            .first()
            .map(|f| f.severity)
    };
    assert_eq!(sev("near-store-sms"), Some(Severity::Error));
    assert_eq!(sev("geofence-push"), Some(Severity::Error));
    assert_eq!(sev("aisle-ad"), Some(Severity::Error));
    assert_eq!(sev("nearby-banner"), Some(Severity::Warning));
    assert_eq!(sev("city-email"), Some(Severity::Warning));
    assert_eq!(sev("lat-email"), Some(Severity::Error));
    // `near:` is precise whatever the radius
    assert_eq!(sev("wide-geofence-push"), Some(Severity::Error));
    quiet("location-trigger");
}

#[test]
fn sensitive_data() {
    let o = fires("sensitive-data");
    insta::assert_snapshot!(rows(&o));
    // declared, explained and optional: acknowledged at info
    let med = with(&o, "sensitive-data", "`medication`");
    assert_eq!(med.len(), 1);
    assert_eq!(med[0].severity, Severity::Info);
    // required, even when found by words: warning
    assert_eq!(
        with(&o, "sensitive-data", "`hiv_status`")[0].severity,
        Severity::Warning
    );
    quiet("sensitive-data");
}

#[test]
fn sensitive_targeting() {
    let o = fires("sensitive-targeting");
    insta::assert_snapshot!(rows(&o));
    assert!(!with(&o, "sensitive-targeting", "sensitive place").is_empty());
    quiet("sensitive-targeting");
}

#[test]
fn undeclared_data() {
    let o = fires("undeclared-data");
    assert_eq!(count(&o, "undeclared-data"), 2);
    insta::assert_snapshot!(rows(&o));
    // declared in another file of the project
    quiet("undeclared-data");
}

#[test]
fn invalid_file_reports_every_problem_and_checks_the_rest() {
    let o = fires("invalid-file");
    insta::assert_snapshot!(rows(&o));
    let o = lint(&["invalid-file/fires"], &[]);
    // the valid file beside the broken ones is still checked
    assert!(!with(&o, "missing-purpose", "favourite_colour").is_empty());
    quiet("invalid-file");
    let q = lint(&["invalid-file/quiet"], &[]);
    assert_eq!(q.summary.skipped, 4, "{:?}", q.summary);
    assert!(q.findings.is_empty(), "{}", rows(&q));
}
