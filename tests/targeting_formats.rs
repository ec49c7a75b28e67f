//! The targeting formats teams already ship, read as personalizations: OpenFeature
//! flagd flag sets and Firebase Remote Config templates. Recognition, cross-format
//! declarations, malformed input, and the real files of `../shared/corpus/`.

mod common;

use std::path::PathBuf;

use common::{count, lint, rows, with};
use creeplint::pipeline::{Options, run};
use creeplint::{Confidence, Severity};

fn file_of(o: &creeplint::Outcome, loc: creeplint::source::Loc) -> String {
    o.sources.display(loc.file).to_string()
}

fn text_at(o: &creeplint::Outcome, loc: creeplint::source::Loc) -> String {
    let file = o.sources.display(loc.file).to_string();
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    text.get(loc.span.start()..loc.span.end())
        .unwrap_or("")
        .to_string()
}

#[test]
fn look_alike_files_are_skipped_without_findings() {
    let o = lint(&["formats/lookalikes"], &[]);
    assert_eq!(o.findings.len(), 0, "{}", rows(&o));
    assert_eq!(o.summary.files, 6);
    assert_eq!(o.summary.skipped, 6);
}

#[test]
fn a_flag_on_declared_inferred_and_sensitive_data_fires_with_labels_in_both_files() {
    let o = lint(&["formats/flagd"], &[]);
    insta::assert_snapshot!(rows(&o));
    let inferred = with(&o, "inferred-data", "`fertility-offer`");
    assert_eq!(inferred.len(), 1, "{}", rows(&o));
    let f = inferred[0];
    assert_eq!(f.confidence, Confidence::High);
    assert!(file_of(&o, f.primary.loc).ends_with("offers.flagd.json"));
    // Read through `$ref` into the evaluator, where the `var` is written.
    assert_eq!(text_at(&o, f.primary.loc), "\"conception_score\"");
    assert!(
        f.secondary
            .iter()
            .any(|l| file_of(&o, l.loc).ends_with("data.yaml")
                && l.message.contains("source: inferred")),
        "{f:?}"
    );
    let sensitive = with(&o, "sensitive-targeting", "by health");
    assert_eq!(sensitive.len(), 1);
    assert_eq!(
        text_at(&o, sensitive[0].primary.loc),
        "\"health.condition\""
    );
    assert!(
        sensitive[0]
            .secondary
            .iter()
            .any(|l| file_of(&o, l.loc).ends_with("data.yaml")
                && &*l.message == "declared `sensitive: health` here")
    );
    // The variant's words are what the flag shows: one finding per flag (issue 12),
    // naming pregnancy, with the variant's question as a label.
    let pregnancy = with(&o, "sensitive-targeting", "pregnancy");
    assert_eq!(pregnancy.len(), 1);
    assert!(
        pregnancy[0].secondary.iter().any(|l| l
            .message
            .contains("`trying for a baby` is in the pregnancy list")),
        "{:?}",
        pregnancy[0]
    );
    // A rollout keyed on `targetingKey` reads nothing personal.
    assert!(o.findings.iter().all(|f| !f.message.contains("`rollout`")));
}

#[test]
fn a_remote_config_value_on_declared_inferred_and_sensitive_data_fires_in_both_files() {
    let o = lint(&["formats/remote-config"], &[]);
    insta::assert_snapshot!(rows(&o));
    let inferred = with(&o, "inferred-data", "`home_banner[predicted_spenders]`");
    assert_eq!(inferred.len(), 1);
    assert_eq!(
        text_at(&o, inferred[0].primary.loc),
        "'Predicted top spenders'"
    );
    assert!(
        inferred[0]
            .secondary
            .iter()
            .any(|l| file_of(&o, l.loc).ends_with("data.yaml"))
    );
    let religion = with(&o, "sensitive-targeting", "`home_banner[faith]`");
    assert!(!religion.is_empty());
    assert_eq!(
        text_at(&o, religion[0].primary.loc),
        "app.userProperty['religion']"
    );
    assert!(
        religion[0]
            .secondary
            .iter()
            .any(|l| &*l.message == "declared `sensitive: religion` here")
    );
    // Country is declared coarse: prices by country on the screen are not creepy.
    assert_eq!(count(&o, "location-trigger"), 0);
    assert_eq!(count(&o, "undeclared-data"), 0);
    // `version.updateUser` is the template's editor, never data about users.
    assert!(o.findings.iter().all(|f| !f.message.contains("editor")));
}

#[test]
fn undeclared_remote_config_data_is_guessed_from_its_name() {
    let o = lint(&["formats/remote-config/remoteconfig.template.json"], &[]);
    let undeclared = with(&o, "undeclared-data", "device.country");
    assert_eq!(undeclared.len(), 1, "{}", rows(&o));
    assert!(undeclared[0].primary.message.contains("looks device"));
    // An audience is guessed inferred, with less confidence than a declaration.
    let inferred = with(&o, "inferred-data", "Predicted top spenders");
    assert_eq!(inferred.len(), 1);
    assert_eq!(inferred[0].confidence, Confidence::Medium);
}

#[test]
fn openfeature_operator_resources_are_flag_sets() {
    let o = lint(&["formats/operator"], &[]);
    let undeclared = with(&o, "undeclared-data", "`loan-offer`");
    assert_eq!(undeclared.len(), 1, "{}", rows(&o));
    assert_eq!(text_at(&o, undeclared[0].primary.loc), "account.balance");
    assert_eq!(o.summary.skipped, 0);
}

#[test]
fn malformed_targeting_is_invalid_file_with_a_span_and_the_rest_is_checked() {
    let o = lint(&["formats/broken"], &[]);
    insta::assert_snapshot!(rows(&o));
    let invalid: Vec<String> = o
        .findings
        .iter()
        .filter(|f| f.rule == "invalid-file")
        .map(|f| format!("{} @ {}", f.message, text_at(&o, f.primary.loc)))
        .collect();
    assert_eq!(
        invalid,
        vec![
            "`defaultVariant` names `of`, which is not a variant of `promo`: did you mean `off`? @ \"of\"",
            "`$ref` to `vip`, which is not in `$evaluators` @ \"vip\"",
            "unknown JsonLogic operator `iff`: did you mean `if`? @ \"iff\"",
            "this Remote Config condition cannot be parsed: expected `]` or `,`, found the string 'es-MX' @ 'es-MX'",
            "JSON unclosed bracket '{' @ ",
        ]
    );
    assert!(
        o.findings
            .iter()
            .all(|f| f.severity != Severity::Error || f.rule == "invalid-file")
    );
    // The native file beside them is still read.
    assert_eq!(count(&o, "missing-retention"), 1);
}

/// The examples of the two formats fire what their READMEs say.
#[test]
fn examples_fire_what_they_say() {
    let run_on = |dir: &str| match run(&[PathBuf::from(dir)], &Options::default()) {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    let flags = run_on("examples/feature-flags");
    for (rule, needle) in [
        ("inferred-data", "`baby-club-banner`"),
        ("sensitive-targeting", "`baby-club-banner`"),
        ("observed-data", "`baby-club-banner`"),
        ("purpose-mismatch", "`baby-club-banner`"),
        ("aggressive-frequency", "`reorder-reminder`"),
        ("undeclared-data", "`reorder-reminder`"),
    ] {
        assert!(
            !with(&flags, rule, needle).is_empty(),
            "{rule} {needle}:\n{}",
            rows(&flags)
        );
    }
    for quiet in [
        "new-checkout",
        "winter-sale-banner",
        "prices-in-local-currency",
        "staff-preview",
    ] {
        assert!(
            flags
                .findings
                .iter()
                .all(|f| !f.message.contains(&format!("`{quiet}`"))),
            "{quiet}:\n{}",
            rows(&flags)
        );
    }
    let rc = run_on("examples/remote-config");
    for (rule, needle) in [
        ("inferred-data", "`win_back_offer[likely_churners]`"),
        ("sensitive-targeting", "`featured_plan[diabetic_members]`"),
        ("aggressive-frequency", "`win_back_offer[likely_churners]`"),
    ] {
        assert!(
            !with(&rc, rule, needle).is_empty(),
            "{rule} {needle}:\n{}",
            rows(&rc)
        );
    }
    for quiet in [
        "home_greeting[spanish_speakers]",
        "new_recipe_editor[beta_testers]",
        "new_recipe_editor[ios]",
    ] {
        assert!(
            rc.findings
                .iter()
                .all(|f| !f.message.contains(&format!("`{quiet}`"))),
            "{quiet}:\n{}",
            rows(&rc)
        );
    }
}

/// Every real file of the two corpus folders is read, one run per file as a team
/// would run it; what is found is what the README reports.
#[test]
fn corpus_files_are_read() {
    let root = PathBuf::from("../shared/corpus");
    if !root.is_dir() {
        eprintln!("skipped: ../shared/corpus is not here");
        return;
    }
    let mut table = String::new();
    for folder in ["flagd", "remote-config"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(folder))
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        assert!(!files.is_empty(), "{folder} is empty");
        for file in files {
            let o = match run(std::slice::from_ref(&file), &Options::default()) {
                Ok(o) => o,
                Err(e) => panic!("{}: {e}", file.display()),
            };
            // Every file is recognised as its format, never skipped.
            assert_eq!(o.summary.skipped, 0, "{}", file.display());
            let mut by_rule: std::collections::BTreeMap<&str, usize> = Default::default();
            for f in &o.findings {
                *by_rule.entry(f.rule.name()).or_default() += 1;
            }
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            table.push_str(&format!("{folder}/{name}: {by_rule:?}\n"));
        }
    }
    insta::assert_snapshot!(table);
}

/// flagd layers flag sets (a later one overrides a flag of the same key): the same key
/// in two files is not a duplicate. A YAML flag set takes `# creeplint: allow`
/// comments, and a native document beside it in the same file is still read.
#[test]
fn layered_flag_sets_comments_and_native_documents_in_one_file() {
    let o = lint(&["formats/layers"], &[]);
    assert_eq!(count(&o, "invalid-file"), 0, "{}", rows(&o));
    // Both layers are read: one unexplained `promo` in each file.
    let promo = with(&o, "unexplained-personalization", "`promo`");
    assert_eq!(promo.len(), 2, "{}", rows(&o));
    // The allow comment above the YAML flag covers it; the JSON layer has no comments.
    assert_eq!(o.summary.suppressed, 1);
    let undeclared = with(&o, "undeclared-data", "`promo`");
    assert_eq!(undeclared.len(), 1);
    assert!(file_of(&o, undeclared[0].primary.loc).ends_with("base.flagd.json"));
    // The `kind: data` document after `---` is read too.
    assert_eq!(with(&o, "unused-data", "loyalty.points").len(), 1);
}

#[test]
fn a_native_duplicate_personalization_id_is_still_reported() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let doc = "kind: personalization\npersonalizations:\n  - id: promo\n    channel: web\n";
    for name in ["a.yaml", "b.yaml"] {
        std::fs::write(dir.path().join(name), doc).unwrap_or_else(|e| panic!("{e}"));
    }
    let o = match run(&[dir.path().to_path_buf()], &Options::default()) {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(
        with(&o, "invalid-file", "duplicate personalization id `promo`").len(),
        1
    );
}

/// A flag set or template too large to parse is reported at the place that shows what
/// it is, not skipped.
#[test]
fn oversized_flag_sets_and_templates_are_reported() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let padding = " ".repeat(9 * 1024 * 1024);
    let flagd = format!(
        r#"{{"flags": {{"a": {{"state": "ENABLED", "variants": {{"on": true}}, "defaultVariant": "on"}}}}{padding}}}"#
    );
    let rc = format!(r#"{{"parameters": {{"a": {{"defaultValue": {{"value": "x"}}}}}}{padding}}}"#);
    std::fs::write(dir.path().join("big.flagd.json"), flagd).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("remoteconfig.template.json"), rc)
        .unwrap_or_else(|e| panic!("{e}"));
    let o = match run(&[dir.path().to_path_buf()], &Options::default()) {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    let big: Vec<String> = o
        .findings
        .iter()
        .filter(|f| f.rule == "invalid-file" && f.message.contains("budget"))
        .map(|f| text_at(&o, f.primary.loc))
        .collect();
    assert_eq!(big, vec!["\"flags\"", "\"parameters\""], "{}", rows(&o));
}
