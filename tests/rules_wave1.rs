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

/// A data item declaring `location: precise` holds precise-location data by its
/// declaration (issue 12, item 7): high confidence, one finding per item, the declared
/// category first, and a help that fits a GPS reading.
#[test]
fn sensitive_data_on_declared_precise_location() {
    let o = lint(&["sensitive-data/declared-location"], &["sensitive-data"]);
    insta::assert_snapshot!(rows(&o));
    let one = |id: &str| {
        let found = with(&o, "sensitive-data", &format!("`{id}`"));
        assert_eq!(found.len(), 1, "{id}:\n{}", rows(&o));
        found[0]
    };
    for id in [
        "bikeshare.dock_distance",
        "bikeshare.ride_trace",
        "bikeshare.gps",
        "bikeshare.crash_position",
    ] {
        let f = one(id);
        assert_eq!(
            &*f.message,
            format!("data item `{id}` holds precise-location data")
        );
        assert_eq!(f.severity, Severity::Warning, "{id}");
        assert_eq!(f.confidence, Confidence::High, "{id}");
        assert_eq!(&*f.primary.message, "declared `location: precise` here");
        let help = f.help.as_deref().unwrap_or_default();
        assert!(help.contains("in context"), "{help}");
        assert!(help.contains("coarse location"), "{help}");
        assert!(help.contains("decline"), "{help}");
        assert!(!help.contains("behaviour"), "{help}");
        // never the same category twice
        assert!(
            !f.secondary
                .iter()
                .any(|l| l.message.starts_with("also precise-location")),
            "{id}"
        );
    }
    // the guessed category that differs is a label
    let crash = one("bikeshare.crash_position");
    assert!(
        crash
            .secondary
            .iter()
            .any(|l| l.message.starts_with("also health:") && l.message.contains("`doctor`")),
        "{}",
        rows(&o)
    );
    // declared `sensitive:` with a description saying why: acknowledged
    let unlock = one("bikeshare.unlock_position");
    assert_eq!(unlock.severity, Severity::Info);
    assert_eq!(unlock.confidence, Confidence::High);
    // city level is not precise-location data
    assert!(with(&o, "sensitive-data", "`bikeshare.city`").is_empty());
    assert_eq!(count(&o, "sensitive-data"), 5);
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
