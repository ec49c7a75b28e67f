//! The real binary: exit statuses, output formats, commands.

use assert_cmd::Command;

fn creeplint() -> Command {
    match Command::cargo_bin("creeplint") {
        Ok(mut c) => {
            c.env("NO_COLOR", "1").env("COLUMNS", "100");
            c
        }
        Err(e) => panic!("binary not built: {e}"),
    }
}

fn stdout(cmd: &mut Command) -> (i32, String, String) {
    let out = match cmd.output() {
        Ok(o) => o,
        Err(e) => panic!("could not run: {e}"),
    };
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn exit_status_follows_fail_on() {
    let quiet = "tests/fixtures/inferred-data/quiet";
    let warn = "tests/fixtures/observed-data/fires";
    assert_eq!(stdout(creeplint().args(["check", quiet])).0, 0);
    // only warnings: 0 by default, 1 with --fail-on warning
    assert_eq!(
        stdout(creeplint().args(["check", warn, "--rule", "observed-data"])).0,
        0
    );
    assert_eq!(
        stdout(creeplint().args([
            "check",
            warn,
            "--rule",
            "observed-data",
            "--fail-on",
            "warning"
        ]))
        .0,
        1
    );
    let err = "tests/fixtures/missing-purpose/fires";
    assert_eq!(stdout(creeplint().args(["check", err])).0, 1);
    assert_eq!(
        stdout(creeplint().args(["check", err, "--fail-on", "never"])).0,
        0
    );
    // an invalid file is a finding
    assert_eq!(
        stdout(creeplint().args(["check", "tests/fixtures/invalid-file/fires/from.yaml"])).0,
        1
    );
}

#[test]
fn could_not_run_is_exit_2() {
    let (code, out, err) = stdout(creeplint().args(["check", "no/such/folder"]));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("no such file or folder: no/such/folder"),
        "{err}"
    );
    let (code, _, err) =
        stdout(creeplint().args(["check", "tests/fixtures", "--rule", "locaton-trigger"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown rule `locaton-trigger`: did you mean `location-trigger`?"),
        "{err}"
    );
    let (code, _, err) = stdout(creeplint().args(["explain", "no-such-rule"]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown rule"), "{err}");
    assert_eq!(stdout(creeplint().args(["check", "--format", "xml"])).0, 2);
    // the command is always named
    assert_eq!(stdout(creeplint().args(["tests/fixtures"])).0, 2);
}

#[test]
fn help_and_version() {
    let (code, out, _) = stdout(creeplint().arg("--help"));
    assert_eq!(code, 0);
    for cmd in ["check", "rules", "explain", "schema"] {
        assert!(out.contains(cmd), "--help does not list {cmd}");
    }
    let (code, out, _) = stdout(creeplint().args(["check", "--help"]));
    assert_eq!(code, 0);
    for flag in ["--format", "--fail-on", "--rule", "--quiet"] {
        assert!(out.contains(flag), "check --help does not list {flag}");
    }
    assert_eq!(stdout(creeplint().arg("--version")).0, 0);
}

#[test]
fn json_output_has_the_documented_shape() {
    let (code, out, _) = stdout(creeplint().args([
        "check",
        "tests/fixtures/location-trigger/fires",
        "--format",
        "json",
        "--rule",
        "location-trigger",
    ]));
    assert_eq!(code, 1);
    let v: serde_json::Value = match serde_json::from_str(&out) {
        Ok(v) => v,
        Err(e) => panic!("stdout is not one JSON object: {e}\n{out}"),
    };
    assert_eq!(v["version"], 1);
    let f = &v["findings"][0];
    for key in [
        "rule",
        "severity",
        "confidence",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "help",
        "labels",
    ] {
        assert!(f.get(key).is_some(), "finding lacks `{key}`: {f}");
    }
    assert_eq!(f["rule"], "location-trigger");
    assert_eq!(
        f["file"],
        "tests/fixtures/location-trigger/fires/campaigns.yaml"
    );
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(7), Some(9))
    );
    let label = &f["labels"][1];
    assert_eq!(
        label["file"],
        "tests/fixtures/location-trigger/fires/data.yaml"
    );
    assert_eq!(label["message"], "declared `location: precise` here");
    let s = &v["summary"];
    assert_eq!(s["files"], 2);
    assert_eq!(s["skipped"], 0);
    assert!(s["errors"].as_u64() > Some(0));
    for key in ["warnings", "infos"] {
        assert!(s.get(key).is_some());
    }
}

#[test]
fn output_is_identical_from_run_to_run() {
    let run = || stdout(creeplint().args(["check", "tests/fixtures", "--format", "json"])).1;
    let first = run();
    assert!(first.len() > 1000);
    for _ in 0..3 {
        assert_eq!(run(), first);
    }
}

#[test]
fn human_output_snapshot() {
    let (code, out, _) = stdout(creeplint().args([
        "check",
        "tests/fixtures/location-trigger/fires",
        "--rule",
        "location-trigger",
    ]));
    assert_eq!(code, 1);
    assert!(!out.contains('\u{1b}'), "NO_COLOR output has escape codes");
    insta::assert_snapshot!(out);
}

#[test]
fn human_output_summary_and_quiet() {
    let (_, out, _) = stdout(creeplint().args(["check", "tests/fixtures/invalid-file/quiet"]));
    assert_eq!(
        out.trim_end(),
        "0 errors, 0 warnings, 0 infos in 5 files (4 skipped)"
    );
    let (_, out, _) =
        stdout(creeplint().args(["check", "tests/fixtures/invalid-file/quiet", "-q"]));
    assert_eq!(out, "");
}

#[test]
fn rules_lists_every_rule() {
    let (code, out, _) = stdout(creeplint().arg("rules"));
    assert_eq!(code, 0);
    for rule in creeplint::rules::RULES {
        let line = out.lines().find(|l| l.starts_with(rule.name));
        let line = line.unwrap_or_else(|| panic!("`rules` does not list {}", rule.name));
        assert!(line.contains(rule.severity.as_str()), "{line}");
    }
}

#[test]
fn explain_prints_the_whole_entry() {
    let (code, out, _) = stdout(creeplint().args(["explain", "location-trigger"]));
    assert_eq!(code, 0);
    for part in [
        "location-trigger (error)",
        "Why it matters",
        "What to do instead",
        "Fires:",
        "Does not fire:",
    ] {
        assert!(out.contains(part), "explain lacks {part}:\n{out}");
    }
}

#[test]
fn schema_prints_valid_json_schemas() {
    for kind in ["form", "data", "personalization"] {
        let (code, out, _) = stdout(creeplint().args(["schema", kind]));
        assert_eq!(code, 0);
        let v: serde_json::Value = match serde_json::from_str(&out) {
            Ok(v) => v,
            Err(e) => panic!("schema {kind} is not JSON: {e}"),
        };
        assert!(
            jsonschema::meta::is_valid(&v),
            "schema {kind} is not a valid JSON Schema"
        );
        assert_eq!(v["properties"]["kind"]["const"], kind);
    }
    assert_eq!(stdout(creeplint().args(["schema", "nope"])).0, 2);
}

#[test]
fn named_files_are_read_whatever_their_extension() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let path = dir.path().join("signup.form");
    let _ = std::fs::write(&path, "kind: form\nid: s\nfields:\n  - id: phone\n");
    let (code, out, _) = stdout(creeplint().args(["check", "--format", "json"]).arg(&path));
    assert_eq!(code, 1);
    assert!(out.contains("missing-purpose"));
    // walking a folder reads only .yaml, .yml and .json
    let (code, _, _) = stdout(creeplint().arg("check").arg(dir.path()));
    assert_eq!(code, 0);
}
