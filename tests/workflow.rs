//! Team workflow, end to end through the real binary: configuration, suppressions,
//! baselines, SARIF and GitHub output. Each test builds its project in a temp folder and
//! runs `creeplint check` there (paths in output are relative to it).

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

// The store campaigns read a city-level position (IP geolocation, `location: coarse`):
// their `within: 200m` makes them precise location all the same, which is what the
// suppression, baseline and output tests below are about. A declared `location:
// precise` item would add its own `sensitive-data` finding (precise-location data),
// tested in tests/rules_wave1.rs and tests/eval/.
const DATA: &str = "kind: data
items:
  - id: store.proximity
    source: device
    location: coarse
    description: The city your connection comes from, to find your nearest store
    uses: [marketing]
    retention: 24 hours
  - id: plan
    source: volunteered
    description: The plan you chose, to run your account
    uses: [account]
    retention: while your account exists
";

/// A personalization no rule objects to.
const QUIET: &str = "  - id: pro-tips
    use: account
    when:
      - data: plan
        equals: pro
    channel: in-app
    message: Tips for pro users
    explanation: You chose the pro plan.
";

const CAMPAIGNS: &str = "kind: personalization
personalizations:
  - id: near-store-sms
    use: marketing
    when:
      - data: store.proximity
        near: stores
        within: 200m
    channel: sms
    frequency: 1/week
    message: Our store around the corner has 20% off today
    explanation: You are near our store.
";

const FORM: &str = "kind: form
id: checkup
title: Checkup
purpose: To plan your care.
uses: [transactional]
fields:
  - id: glucose_level
    label: Your latest reading
    type: number
    purpose: To adjust your plan.
    uses: [transactional]
    retention: until your plan ends
";

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    for (name, text) in files {
        write(dir.path(), name, text);
    }
    dir
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir: {e}"));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {name}: {e}"));
}

fn creeplint(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("creeplint")
        .unwrap_or_else(|e| panic!("binary: {e}"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `check --format json` plus extra arguments: exit status and the parsed document.
fn json(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = creeplint(dir, &args);
    let v =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\nstdout: {out}\nstderr: {err}"));
    (code, v)
}

fn rules_of(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["rule"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn base() -> tempfile::TempDir {
    project(&[("data.yaml", DATA), ("campaigns.yaml", CAMPAIGNS)])
}

// ---- configuration ----

#[test]
fn config_unknown_key_is_exit_2_with_did_you_mean_and_span() {
    let dir = base();
    write(
        dir.path(),
        "creeplint.yaml",
        "exclude: []\nrulez:\n  observed-data: off\n",
    );
    let (code, out, err) = creeplint(dir.path(), &["check"]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    insta::assert_snapshot!("config_unknown_key", err);
}

#[test]
fn config_unknown_rule_is_exit_2() {
    let dir = base();
    write(
        dir.path(),
        ".creeplint.yaml",
        "rules:\n  location-triger: warning\n",
    );
    let (code, _, err) = creeplint(dir.path(), &["check"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown rule `location-triger`"), "{err}");
    assert!(err.contains("did you mean `location-trigger`?"), "{err}");
    assert!(err.contains(".creeplint.yaml:2:3"), "{err}");
}

#[test]
fn config_is_found_upward_and_given_explicitly() {
    let dir = base();
    write(
        dir.path(),
        "creeplint.yaml",
        "rules:\n  location-trigger: off\n",
    );
    write(dir.path(), "sub/x.txt", "");
    let (code, v) = json(&dir.path().join("sub"), &[".."]);
    assert_eq!((code, rules_of(&v)), (0, vec![]));
    write(
        dir.path(),
        "other.yaml",
        "rules: {location-trigger: info}\n",
    );
    let (_, v) = json(dir.path(), &["--config", "other.yaml"]);
    assert_eq!(v["findings"][0]["severity"], "info");
    let (code, _, err) = creeplint(dir.path(), &["check", "--config", "missing.yaml"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn config_bad_level_and_broken_yaml_are_exit_2() {
    let dir = base();
    write(
        dir.path(),
        "creeplint.yaml",
        "rules:\n  location-trigger: of\n",
    );
    let (code, _, err) = creeplint(dir.path(), &["check"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `off`?"), "{err}");
    write(dir.path(), "creeplint.yaml", "rules: [\n");
    let (code, _, _) = creeplint(dir.path(), &["check"]);
    assert_eq!(code, 2);
}

#[test]
fn config_severity_override_and_off() {
    let dir = base();
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(v["findings"][0]["severity"], "error");
    write(
        dir.path(),
        "creeplint.yaml",
        "rules:\n  location-trigger: {severity: warning}\n",
    );
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(v["findings"][0]["severity"], "warning");
    assert_eq!(v["summary"]["warnings"], 1);
    write(
        dir.path(),
        "creeplint.yaml",
        "rules:\n  location-trigger: off\n  unused-data: off\n",
    );
    let (code, v) = json(dir.path(), &[]);
    assert_eq!((code, rules_of(&v)), (0, vec![]));
}

#[test]
fn config_exclude_glob() {
    let dir = project(&[
        ("data.yaml", DATA),
        ("legacy/old/campaigns.yaml", CAMPAIGNS),
    ]);
    let (_, v) = json(dir.path(), &[]);
    assert_eq!(rules_of(&v), ["location-trigger"]);
    // Without its campaign, the location item is unused: not what this test is about.
    write(
        dir.path(),
        "creeplint.yaml",
        "exclude: [\"legacy/**\"]\nrules:\n  unused-data: off\n",
    );
    let (code, v) = json(dir.path(), &[]);
    assert_eq!((code, rules_of(&v)), (0, vec![]));
    assert_eq!(v["summary"]["files"], 2, "data.yaml and creeplint.yaml");
}

/// `exclude` globs are relative to the configuration file's folder, wherever the
/// check is run from.
#[test]
fn config_exclude_glob_is_relative_to_the_config_folder() {
    let dir = project(&[
        ("shop/data.yaml", DATA),
        ("shop/legacy/old/campaigns.yaml", CAMPAIGNS),
        (
            "shop/creeplint.yaml",
            "exclude: [\"legacy/**\"]\nrules:\n  unused-data: off\n",
        ),
    ]);
    // from the project's parent, naming the configuration
    let (code, v) = json(dir.path(), &["shop", "--config", "shop/creeplint.yaml"]);
    assert_eq!((code, rules_of(&v)), (0, vec![]), "{v}");
    // from a folder below the project, finding the configuration upward
    write(dir.path(), "shop/sub/form.yaml", FORM);
    let (code, v) = json(&dir.path().join("shop/sub"), &[".."]);
    assert_eq!((code, rules_of(&v)), (0, vec![]), "{v}");
}

#[test]
fn config_terms_make_a_new_word_fire() {
    let dir = project(&[("form.yaml", FORM)]);
    let (_, v) = json(dir.path(), &[]);
    assert_eq!(rules_of(&v), Vec::<String>::new());
    write(
        dir.path(),
        "creeplint.yaml",
        "terms:\n  health: [glucose]\n",
    );
    let (_, v) = json(dir.path(), &[]);
    assert_eq!(rules_of(&v), ["sensitive-data"]);
    assert_eq!(v["findings"][0]["line"], 7);
    // the finding says the word came from the configuration
    let (_, human, _) = creeplint(dir.path(), &["check"]);
    assert!(
        human.contains("`glucose` is in the health list (added in creeplint.yaml)"),
        "{human}"
    );
    write(dir.path(), "creeplint.yaml", "terms:\n  helth: [glucose]\n");
    let (code, _, err) = creeplint(dir.path(), &["check"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `health`?"), "{err}");
}

#[test]
fn schema_config_is_json() {
    let dir = base();
    let (code, out, _) = creeplint(dir.path(), &["schema", "config"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    assert!(v["properties"]["rules"].is_object());
}

// ---- suppressions ----

fn with_line_before(text: &str, before: &str, line: &str) -> String {
    text.replacen(before, &format!("{line}\n{before}"), 1)
}

#[test]
fn allow_with_reason_on_the_line_before_suppresses_and_is_counted() {
    let campaigns = with_line_before(
        CAMPAIGNS,
        "        near: stores",
        "        # creeplint: allow location-trigger -- customers opt in to store alerts",
    );
    let dir = project(&[("data.yaml", DATA), ("campaigns.yaml", &campaigns)]);
    let (code, v) = json(dir.path(), &[]);
    assert_eq!((code, rules_of(&v)), (0, vec![]));
    assert_eq!(v["summary"]["suppressed"], 1);
    assert!(v.get("suppressed").is_none());
    let (_, v) = json(dir.path(), &["--show-suppressed"]);
    assert_eq!(v["suppressed"][0]["rule"], "location-trigger");
    assert_eq!(
        v["suppressed"][0]["reason"],
        "customers opt in to store alerts"
    );
    let (_, out, _) = creeplint(dir.path(), &["check", "--show-suppressed"]);
    insta::assert_snapshot!("show_suppressed_human", out);
}

#[test]
fn allow_on_an_item_covers_the_whole_personalization() {
    let campaigns = with_line_before(
        CAMPAIGNS,
        "  - id: near-store-sms",
        "  # creeplint: allow location-trigger -- reviewed by the DPO, see PRIV-12",
    );
    let dir = project(&[("data.yaml", DATA), ("campaigns.yaml", &campaigns)]);
    // The finding is on `near:`, four lines below the comment.
    let (code, v) = json(dir.path(), &[]);
    assert_eq!((code, rules_of(&v)), (0, vec![]));
    assert_eq!(v["summary"]["suppressed"], 1);
    // An allow does not reach past the item it starts.
    let two = format!(
        "{campaigns}  - id: near-store-sms-2\n    use: marketing\n    when:\n      - data: store.proximity\n        near: stores\n    channel: sms\n    frequency: 1/week\n    message: Hi\n    explanation: You are near.\n"
    );
    write(dir.path(), "campaigns.yaml", &two);
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(
        (code, rules_of(&v)),
        (1, vec!["location-trigger".to_string()])
    );
    assert_eq!(v["findings"][0]["line"], 18);
}

#[test]
fn allow_without_reason_is_invalid_and_suppresses_nothing() {
    let campaigns = with_line_before(
        CAMPAIGNS,
        "  - id: near-store-sms",
        "  # creeplint: allow location-trigger",
    );
    let dir = project(&[("data.yaml", DATA), ("campaigns.yaml", &campaigns)]);
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&v), ["invalid-allow", "location-trigger"]);
    assert_eq!(v["findings"][0]["severity"], "warning");
    assert_eq!(v["findings"][0]["line"], 3);
    assert_eq!(v["summary"]["suppressed"], 0);
}

#[test]
fn allow_naming_an_unknown_rule() {
    let campaigns = with_line_before(
        CAMPAIGNS,
        "  - id: near-store-sms",
        "  # creeplint: allow location-triger -- opted in",
    );
    let dir = project(&[("data.yaml", DATA), ("campaigns.yaml", &campaigns)]);
    let (_, v) = json(dir.path(), &[]);
    assert_eq!(rules_of(&v), ["invalid-allow", "location-trigger"]);
    let f = &v["findings"][0];
    assert_eq!(
        f["message"],
        "the allow names an unknown rule `location-triger`"
    );
    assert_eq!(f["help"], "did you mean `location-trigger`?");
    assert_eq!(
        (f["line"].clone(), f["column"].clone()),
        (3.into(), 22.into())
    );
}

#[test]
fn allow_suppressing_nothing() {
    let campaigns = with_line_before(
        CAMPAIGNS,
        "  - id: near-store-sms",
        "  # creeplint: allow location-trigger, sensitive-data -- opted in",
    );
    let dir = project(&[("data.yaml", DATA), ("campaigns.yaml", &campaigns)]);
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 0, "the location-trigger error is suppressed");
    assert_eq!(rules_of(&v), ["invalid-allow"]);
    assert_eq!(
        v["findings"][0]["message"],
        "the allow of `sensitive-data` suppresses nothing"
    );
    // A rule that did not run cannot be judged: no stale-allow finding for it.
    let (_, v) = json(dir.path(), &["--rule", "location-trigger"]);
    assert_eq!(rules_of(&v), Vec::<String>::new());
    // Turned off in the configuration, `invalid-allow` reports nothing.
    write(
        dir.path(),
        "creeplint.yaml",
        "rules:\n  invalid-allow: off\n",
    );
    let (_, v) = json(dir.path(), &[]);
    assert_eq!(rules_of(&v), Vec::<String>::new());
}

#[test]
fn allow_comments_in_files_that_are_not_creeplint_files_are_ignored() {
    let dir = base();
    write(
        dir.path(),
        "ci.yaml",
        "# creeplint: allow location-trigger\non: push\n",
    );
    let (_, v) = json(dir.path(), &[]);
    assert_eq!(rules_of(&v), ["location-trigger"]);
}

#[test]
fn json_x_creeplint_allow() {
    let campaigns = serde_json::json!({
        "kind": "personalization",
        "personalizations": [{
            "id": "near-store-sms",
            "use": "marketing",
            "when": [{"data": "store.proximity", "near": "stores", "within": "200m"}],
            "channel": "sms",
            "frequency": "1/week",
            "message": "Our store around the corner has 20% off today",
            "explanation": "You are near our store.",
            "x-creeplint-allow": [{"rule": "location-trigger", "reason": "customers opt in in the app"}]
        }]
    });
    let text = serde_json::to_string_pretty(&campaigns).unwrap_or_default();
    let dir = project(&[("data.yaml", DATA), ("campaigns.json", &text)]);
    let (code, v) = json(dir.path(), &[]);
    assert_eq!((code, rules_of(&v)), (0, vec![]));
    assert_eq!(v["summary"]["suppressed"], 1);
    // Without a reason, it is reported where the entry is.
    let text = text
        .replace(", \"reason\": \"customers opt in in the app\"", "")
        .replace(
            ",\n          \"reason\": \"customers opt in in the app\"",
            "",
        );
    assert!(!text.contains("reason"));
    write(dir.path(), "campaigns.json", &text);
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&v), ["location-trigger", "invalid-allow"]);
    assert_eq!(v["findings"][1]["file"], "campaigns.json");
    assert_eq!(v["findings"][1]["line"], 20);
}

#[test]
fn invalid_allow_is_a_registered_rule() {
    let dir = base();
    let (code, out, _) = creeplint(dir.path(), &["rules"]);
    assert_eq!(code, 0);
    assert!(out.contains("invalid-allow"));
    let (code, out, _) = creeplint(dir.path(), &["explain", "invalid-allow"]);
    assert_eq!(code, 0, "{out}");
}

// ---- baselines ----

#[test]
fn baseline_survives_inserted_lines_and_reports_new_findings() {
    let dir = base();
    let (code, out, err) = creeplint(dir.path(), &["check", "--write-baseline", "baseline.json"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(
        err.contains("recorded 1 findings in baseline.json"),
        "{err}"
    );
    let text = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap_or_default();
    insta::assert_snapshot!("baseline_file", text);

    // Lines move: a comment block and a quiet personalization before the baselined one.
    let moved = CAMPAIGNS.replacen(
        "personalizations:\n",
        &format!("# Campaigns\n# owned by growth\npersonalizations:\n{QUIET}"),
        1,
    );
    write(dir.path(), "campaigns.yaml", &moved);
    let (_, v) = json(dir.path(), &[]);
    assert_eq!(
        rules_of(&v)[..],
        ["location-trigger"],
        "it still fires, elsewhere"
    );
    let (code, v) = json(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!((code, rules_of(&v)), (0, vec![]));
    assert_eq!(v["summary"]["baselined"], 1);
    assert_eq!(v["summary"]["fixed"], 0);

    // A new creepy personalization is reported through the baseline.
    let new = format!(
        "{moved}  - id: near-gym-push\n    use: marketing\n    when:\n      - data: store.proximity\n        near: gyms\n    channel: push\n    frequency: 1/week\n    message: Time to work out\n    explanation: You are near a gym.\n"
    );
    write(dir.path(), "campaigns.yaml", &new);
    let (code, v) = json(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&v), ["location-trigger"]);
    assert!(
        v["findings"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("near-gym-push"),
        "{v}"
    );
    assert_eq!(v["summary"]["baselined"], 1);
}

#[test]
fn baseline_counts_fixed_entries() {
    let dir = base();
    // Without its campaign, the location item is unused: not what this test is about.
    write(dir.path(), "creeplint.yaml", "rules:\n  unused-data: off\n");
    let (code, _, _) = creeplint(dir.path(), &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(code, 0);
    write(
        dir.path(),
        "campaigns.yaml",
        &format!("kind: personalization\npersonalizations:\n{QUIET}"),
    );
    let (code, v) = json(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!((code, rules_of(&v)), (0, vec![]));
    assert_eq!(v["summary"]["fixed"], 1);
    assert_eq!(v["summary"]["baselined"], 0);
    let (_, out, err) = creeplint(dir.path(), &["check", "--baseline", "baseline.json"]);
    assert_eq!(
        err,
        "1 baseline entry is fixed; run --write-baseline to drop it\n"
    );
    assert!(
        out.ends_with("0 errors, 0 warnings, 0 infos in 4 files (2 skipped)\n"),
        "{out}"
    );
}

#[test]
fn baseline_that_is_missing_or_not_a_baseline_is_exit_2() {
    let dir = base();
    let (code, _, err) = creeplint(dir.path(), &["check", "--baseline", "nope.json"]);
    assert_eq!(code, 2, "{err}");
    write(dir.path(), "b.json", "{\"version\": 9, \"findings\": []}");
    let (code, _, err) = creeplint(dir.path(), &["check", "--baseline", "b.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("version 9"), "{err}");
}

/// A project in `app/` of a temporary folder, with three baselined-to-be findings.
fn nested_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let mut campaigns = CAMPAIGNS.to_string();
    for place in ["gyms", "cafes"] {
        campaigns.push_str(&format!(
            "  - id: near-{place}-push\n    use: marketing\n    when:\n      - data: store.proximity\n        near: {place}\n    channel: push\n    frequency: 1/week\n    message: Something near you\n    explanation: You are near one of our partners.\n"
        ));
    }
    write(dir.path(), "app/data.yaml", DATA);
    write(dir.path(), "app/campaigns.yaml", &campaigns);
    dir
}

/// [`nested_project`] with `app/creeplint-baseline.json` written from inside `app`;
/// returns the project and its `app` folder.
fn nested_project_with_baseline() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = nested_project();
    let app = dir.path().join("app");
    let (code, _, err) = creeplint(
        &app,
        &["check", "--write-baseline", "creeplint-baseline.json"],
    );
    assert_eq!(code, 0, "{err}");
    (dir, app)
}

#[test]
fn baseline_matches_from_the_project_root_and_from_a_parent_folder() {
    let (dir, app) = nested_project_with_baseline();
    let (code, v) = json(&app, &[]);
    assert_eq!(
        (code, rules_of(&v)),
        (1, vec!["location-trigger".to_string(); 3])
    );

    // From the root and from the parent folder: the same result.
    let from_root = creeplint(&app, &["check", "--baseline", "creeplint-baseline.json"]);
    let from_parent = creeplint(
        dir.path(),
        &["check", "app", "--baseline", "app/creeplint-baseline.json"],
    );
    assert_eq!(from_root.0, 0, "{}", from_root.2);
    assert_eq!(from_root, from_parent);
    assert!(
        from_root.1.ends_with(", 3 in the baseline\n"),
        "{}",
        from_root.1
    );
    let (code, v) = json(
        dir.path(),
        &["app", "--baseline", "app/creeplint-baseline.json"],
    );
    assert_eq!((code, rules_of(&v)), (0, vec![]));
    assert_eq!(
        (
            v["summary"]["baselined"].as_u64(),
            v["summary"]["fixed"].as_u64()
        ),
        (Some(3), Some(0))
    );

    // Written from the parent folder, the file is the same: its paths are relative to it.
    let (code, _, err) = creeplint(
        dir.path(),
        &["check", "app", "--write-baseline", "app/from-parent.json"],
    );
    assert_eq!(code, 0, "{err}");
    let read = |name: &str| std::fs::read_to_string(app.join(name)).unwrap_or_default();
    assert_eq!(read("from-parent.json"), read("creeplint-baseline.json"));
    assert!(read("creeplint-baseline.json").contains("\"file\": \"campaigns.yaml\""));

    // A baseline in a subfolder names files outside it relative to the configuration's
    // folder, and matches wherever the configuration is found (or named).
    write(&app, "creeplint.yaml", "exclude: []\n");
    std::fs::create_dir_all(app.join("ci")).unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = creeplint(&app, &["check", "--write-baseline", "ci/baseline.json"]);
    assert_eq!(code, 0, "{err}");
    assert!(read("ci/baseline.json").contains("\"file\": \"campaigns.yaml\""));
    let runs: [(&Path, &[&str]); 3] = [
        (&app, &["check", ".", "--baseline", "ci/baseline.json"]),
        (
            &app.join("ci"),
            &["check", "..", "--baseline", "baseline.json"],
        ),
        (
            dir.path(),
            &[
                "check",
                "app",
                "--config",
                "app/creeplint.yaml",
                "--baseline",
                "app/ci/baseline.json",
            ],
        ),
    ];
    for (cwd, args) in runs {
        let (code, out, err) = creeplint(cwd, args);
        assert_eq!((code, err.as_str()), (0, ""), "{args:?}");
        assert!(out.ends_with(", 3 in the baseline\n"), "{args:?}: {out}");
    }
}

#[test]
fn baseline_from_before_paths_were_relative_to_it_still_matches_where_it_was_written() {
    // Written by an older creeplint from the project root into a subfolder: its paths
    // are relative to the root, as the output showed them.
    let (_dir, app) = nested_project_with_baseline();
    let old = std::fs::read_to_string(app.join("creeplint-baseline.json")).unwrap_or_default();
    write(&app, "ci/old-baseline.json", &old);
    let (code, out, err) = creeplint(&app, &["check", "--baseline", "ci/old-baseline.json"]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(out.ends_with(", 3 in the baseline\n"), "{out}");
}

#[test]
fn baseline_written_for_other_paths_says_why() {
    let (dir, app) = nested_project_with_baseline();
    // The files move into a folder: every entry names a file the run does not read.
    for name in ["data.yaml", "campaigns.yaml"] {
        std::fs::rename(app.join(name), app.join(format!("privacy-{name}")))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let (code, out, err) = creeplint(&app, &["check", "--baseline", "creeplint-baseline.json"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        err,
        "creeplint: warning: 3 of 3 baseline entries name files this run did not read; the baseline was probably written for other paths (from another folder, or before files moved). Its paths are relative to its folder `.`: check the same files, or rewrite it with --write-baseline\n",
        "and not \"3 baseline entries are fixed\""
    );
    // Machine formats keep standard output one document, and say it on standard error.
    let (code, _, err) = creeplint(
        dir.path(),
        &[
            "check",
            "app",
            "--format",
            "json",
            "--baseline",
            "app/creeplint-baseline.json",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("3 of 3 baseline entries") && err.contains("folder `app`"),
        "{err}"
    );
}

// ---- SARIF and GitHub ----

fn sarif_schema() -> Option<Value> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/schemas/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path).ok()?;
    serde_json::from_str(&text).ok()
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let campaigns = with_line_before(
        CAMPAIGNS,
        "  - id: near-store-sms",
        "  # creeplint: allow location-trigger",
    );
    let dir = project(&[
        ("data.yaml", DATA),
        ("campaigns.yaml", &campaigns),
        ("form.yaml", FORM),
        ("creeplint.yaml", "terms: {health: [glucose]}\n"),
    ]);
    let (code, out, err) = creeplint(
        dir.path(),
        &["check", "--format", "sarif", "--show-suppressed"],
    );
    assert_eq!(code, 1, "{err}");
    let log: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let run = &log["runs"][0];
    let results = run["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(results.len(), 3, "{out}");
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for r in &results {
        let i = r["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
        assert_eq!(rules.get(i).map(|x| &x["id"]), Some(&r["ruleId"]));
        assert!(r["partialFingerprints"]["creeplint/v1"].is_string());
        assert!(r["locations"][0]["physicalLocation"]["region"]["startLine"].is_u64());
    }
    let trigger = results
        .iter()
        .find(|r| r["ruleId"] == "location-trigger")
        .cloned()
        .unwrap_or_default();
    let related = trigger["relatedLocations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        related
            .iter()
            .any(|l| l["physicalLocation"]["artifactLocation"]["uri"] == "data.yaml"),
        "{trigger}"
    );
    assert_eq!(trigger["level"], "error");
    assert!(rules.iter().any(|r| r["id"] == "invalid-allow"));

    let Some(schema) = sarif_schema() else {
        // Written to the real stderr (not captured), so `cargo test` shows the skip.
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"SKIPPED sarif_is_valid_against_the_official_schema (schema part): ../shared/schemas/sarif-schema-2.1.0.json is absent\n",
        );
        return;
    };
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("schema: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator is not vacuous: a wrong level is caught.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_marks_suppressed_results() {
    let campaigns = with_line_before(
        CAMPAIGNS,
        "  - id: near-store-sms",
        "  # creeplint: allow location-trigger -- opted in",
    );
    let dir = project(&[("data.yaml", DATA), ("campaigns.yaml", &campaigns)]);
    let (code, out, _) = creeplint(
        dir.path(),
        &["check", "--format", "sarif", "--show-suppressed"],
    );
    assert_eq!(code, 0);
    let log: Value = serde_json::from_str(&out).unwrap_or_default();
    let r = &log["runs"][0]["results"][0];
    assert_eq!(r["suppressions"][0]["justification"], "opted in");
    let (_, out, _) = creeplint(dir.path(), &["check", "--format", "sarif"]);
    let log: Value = serde_json::from_str(&out).unwrap_or_default();
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(0));
}

#[test]
fn github_format_escapes_properties_and_messages() {
    let dir = project(&[
        ("data.yaml", DATA),
        ("camp,aigns:100%.yaml", CAMPAIGNS),
        ("form.yaml", FORM),
    ]);
    write(dir.path(), "creeplint.yaml", "terms: {health: [glucose]}\n");
    let (code, out, _) = creeplint(dir.path(), &["check", "--format", "github", "-q"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("github", out);
}

#[test]
fn pre_commit_hook_checks_the_whole_project() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap_or_default();
    for line in [
        "id: creeplint",
        "language: python",
        "entry: creeplint check",
        "pass_filenames: false",
        r"files: \.(ya?ml|json)$",
    ] {
        assert!(text.contains(line), "missing `{line}`");
    }
}

#[test]
fn config_error_is_reported_in_the_requested_format() {
    let dir = base();
    write(
        dir.path(),
        "creeplint.yaml",
        "rules:\n  observd-data: off\n",
    );
    let (code, out, _) = creeplint(dir.path(), &["check", "--format", "json"]);
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(&out).expect("JSON on stdout");
    assert_eq!(v["version"], 1);
    assert_eq!(v["error"]["kind"], "config");
    assert_eq!(v["error"]["file"], "creeplint.yaml");
    assert_eq!(
        (v["error"]["line"].clone(), v["error"]["column"].clone()),
        (2.into(), 3.into())
    );
    assert_eq!(v["error"]["help"], "did you mean `observed-data`?");
    let (code, out, _) = creeplint(dir.path(), &["check", "--format", "github"]);
    assert_eq!(code, 2);
    assert_eq!(
        out,
        "::error file=creeplint.yaml,line=2,col=3,title=creeplint configuration::creeplint.yaml: unknown rule `observd-data`%0Ahelp: did you mean `observed-data`?\n"
    );
}

#[test]
fn per_path_rule_levels() {
    let survey = "kind: form
id: survey
title: Survey
purpose: To plan your visit.
uses: [transactional]
fields:
  - id: religion
    label: Your religion
    purpose: To plan your visit.
    uses: [transactional]
";
    let dir = project(&[
        ("data.yaml", DATA),
        ("campaigns.yaml", CAMPAIGNS),
        ("form.yaml", survey),
        (
            "legacy/form.yaml",
            &survey.replace("id: survey", "id: old-survey"),
        ),
    ]);
    let rows = |v: &Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| {
                        format!(
                            "{} {} {}",
                            f["rule"].as_str().unwrap_or_default(),
                            f["file"].as_str().unwrap_or_default(),
                            f["severity"].as_str().unwrap_or_default()
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let (_, v) = json(dir.path(), &[]);
    assert_eq!(
        rows(&v),
        [
            "location-trigger campaigns.yaml error",
            "missing-retention form.yaml info",
            "sensitive-data form.yaml warning",
            "missing-retention legacy/form.yaml info",
            "sensitive-data legacy/form.yaml warning",
        ]
    );
    write(
        dir.path(),
        "creeplint.yaml",
        "rules:\n  missing-retention: warning\nper-path:\n  \"legacy/**\":\n    sensitive-data: off\n    missing-retention: error\n  \"campaigns.yaml\":\n    location-trigger: info\n",
    );
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(
        rows(&v),
        [
            "location-trigger campaigns.yaml info",
            "missing-retention form.yaml warning",
            "sensitive-data form.yaml warning",
            "missing-retention legacy/form.yaml error",
        ]
    );
    assert_eq!(code, 1, "the per-path error fails the run");
    assert_eq!(v["summary"]["errors"], 1);
    // An unknown rule under per-path is a configuration error with a did-you-mean.
    write(
        dir.path(),
        "creeplint.yaml",
        "per-path:\n  \"legacy/**\":\n    sensitve-data: off\n",
    );
    let (code, _, err) = creeplint(dir.path(), &["check"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `sensitive-data`?"), "{err}");
}

#[test]
fn misspelled_data_reference_says_did_you_mean() {
    let data = "kind: data
items:
  - id: orders.last_category
    source: volunteered
    description: The department of the shopper's last order, to show related items
    uses: [personalization]
    retention: 12 months
";
    let campaigns = "kind: personalization
personalizations:
  - id: related-items
    use: personalization
    when:
      - data: orders.last_categroy
        equals: garden
    channel: web
    message: New in your favourite department
    explanation: You ordered from this department before.
";
    let dir = project(&[("data.yaml", data), ("campaigns.yaml", campaigns)]);
    let (_, v) = json(dir.path(), &["--rule", "undeclared-data"]);
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "undeclared-data");
    assert_eq!(
        f["message"],
        "`related-items` reads `orders.last_categroy`, which no form or data file declares: did you mean `orders.last_category`?"
    );
    assert_eq!(
        f["help"],
        "fix the typo: write `orders.last_category`, the id the data is declared with"
    );
    assert_eq!(f["labels"][0]["file"], "data.yaml");
    assert_eq!(f["labels"][0]["line"], 3);
    // A reference with no close declared id keeps the old message.
    let far = campaigns.replace("orders.last_categroy", "loyalty.points");
    write(dir.path(), "campaigns.yaml", &far);
    let (_, v) = json(dir.path(), &["--rule", "undeclared-data"]);
    assert_eq!(
        v["findings"][0]["message"],
        "`related-items` reads `loyalty.points`, which no form or data file declares"
    );
}

#[test]
fn invalid_regex_in_matches_is_an_invalid_file_inside_the_string() {
    let campaigns = "kind: personalization
personalizations:
  - id: pro-tips
    use: account
    when:
      - data: plan
        matches: \"pro(+\"
    channel: in-app
    message: Tips for pro users
    explanation: You chose the pro plan.
";
    let dir = project(&[("data.yaml", DATA), ("campaigns.yaml", campaigns)]);
    let (code, v) = json(dir.path(), &["--rule", "invalid-file"]);
    assert_eq!(code, 1);
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "invalid-file");
    assert_eq!(
        f["message"],
        "`pro(+` is not a valid regular expression: repetition operator missing expression"
    );
    // The span is the pattern inside its quotes: line 7, columns 19 to 24.
    assert_eq!(
        (
            f["line"].clone(),
            f["column"].clone(),
            f["end_column"].clone()
        ),
        (7.into(), 19.into(), 24.into())
    );
    // A valid pattern is accepted.
    write(
        dir.path(),
        "campaigns.yaml",
        &campaigns.replace("pro(+", "^pro"),
    );
    let (code, v) = json(dir.path(), &["--rule", "invalid-file"]);
    assert_eq!((code, rules_of(&v)), (0, vec![]));
}

#[test]
fn schema_messages_for_a_list_where_one_value_goes_and_a_quoted_version() {
    let campaigns = "kind: personalization
version: \"1\"
personalizations:
  - id: pro-tips
    use: [account]
    when:
      - data: plan
        equals: pro
    channel: in-app
    message: Tips for pro users
    explanation: You chose the pro plan.
";
    let dir = project(&[("data.yaml", DATA), ("campaigns.yaml", campaigns)]);
    let (_, v) = json(dir.path(), &["--rule", "invalid-file"]);
    let rows: Vec<(String, String, u64, u64, u64)> = v["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["message"].as_str().unwrap_or_default().to_string(),
                        f["help"].as_str().unwrap_or_default().to_string(),
                        f["line"].as_u64().unwrap_or(0),
                        f["column"].as_u64().unwrap_or(0),
                        f["end_column"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        rows,
        [
            (
                "`version` is the number 1, not the string \"1\"".to_string(),
                "write `version: 1` without quotes, or leave it out".to_string(),
                2,
                10,
                13
            ),
            (
                "`use` takes one value, not a list".to_string(),
                "write `use: account`, without the brackets".to_string(),
                5,
                11,
                18
            ),
        ]
    );
}
