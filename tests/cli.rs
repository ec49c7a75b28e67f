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

// ---- issue 15: what users of ruff and zizmor expect ----

#[test]
fn completions_for_every_shell_come_from_the_clap_definitions() {
    for (shell, marker) in [
        ("bash", "_creeplint()"),
        ("zsh", "#compdef creeplint"),
        ("fish", "complete -c creeplint"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (code, out, err) = stdout(creeplint().args(["completions", shell]));
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(marker), "{shell} completion lacks `{marker}`");
        // Generated from clap: subcommands and check's options are there.
        for word in ["check", "explain", "min-confidence"] {
            assert!(out.contains(word), "{shell} completion lacks `{word}`");
        }
    }
    assert_eq!(stdout(creeplint().args(["completions", "tcsh"])).0, 2);
}

#[test]
fn man_page_is_roff_from_the_clap_definitions() {
    let (code, out, _) = stdout(creeplint().arg("man"));
    assert_eq!(code, 0);
    assert!(out.contains(".TH creeplint 1"), "{out}");
    assert!(out.contains(".SH NAME"));
    assert!(
        out.contains("creeplint\\-check"),
        "subcommands are listed:\n{out}"
    );
    assert!(out.contains("\\-\\-color"));
}

#[test]
fn color_flag_and_environment() {
    let err = "tests/fixtures/missing-purpose/fires";
    let esc = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = creeplint();
        c.env_remove("NO_COLOR");
        for (k, v) in env {
            c.env(k, v);
        }
        let (_, out, _) = stdout(c.args(args));
        out.contains('\u{1b}')
    };
    // Piped output has no colour by default...
    assert!(!esc(&["check", err], &[]));
    // ...unless asked for, by flag or by FORCE_COLOR / CLICOLOR_FORCE.
    assert!(esc(&["--color", "always", "check", err], &[]));
    assert!(esc(
        &["check", err, "--color", "always"],
        &[("NO_COLOR", "1")]
    ));
    assert!(esc(&["check", err], &[("FORCE_COLOR", "1")]));
    assert!(esc(&["check", err], &[("CLICOLOR_FORCE", "1")]));
    assert!(!esc(&["check", err], &[("FORCE_COLOR", "0")]));
    assert!(!esc(
        &["--color", "never", "check", err],
        &[("FORCE_COLOR", "1")]
    ));
}

#[test]
fn width_defaults_to_100_when_piped_and_columns_is_unset() {
    let err = "tests/fixtures/missing-purpose/fires";
    let mut c = creeplint();
    c.env_remove("COLUMNS");
    let (_, unset, _) = stdout(c.args(["check", err]));
    let (_, hundred, _) = stdout(creeplint().env("COLUMNS", "100").args(["check", err]));
    assert_eq!(
        unset, hundred,
        "piped output wraps at 100 when COLUMNS is unset"
    );
    let (_, narrow, _) = stdout(creeplint().env("COLUMNS", "60").args(["check", err]));
    assert!(
        narrow.contains("does not say what it is or\n  │ why it is kept"),
        "COLUMNS=60 wraps messages:\n{narrow}"
    );
    assert!(hundred.contains("does not say what it is or why it is kept"));
}

#[test]
fn statistics_count_findings_per_rule() {
    let (code, out, _) = stdout(creeplint().args([
        "check",
        "examples/creepy-shop",
        "--statistics",
        "--rule",
        "location-trigger",
        "--rule",
        "missing-purpose",
        "-q",
    ]));
    assert_eq!(code, 1);
    let stats = &out[out.find("Findings by rule:").expect("a statistics block")..];
    assert_eq!(
        stats,
        "Findings by rule:\n  4  missing-purpose   error\n  3  location-trigger  error\n\n"
    );
    // JSON stays one document on stdout; the statistics go to stderr.
    let (_, out, err) = stdout(creeplint().args([
        "check",
        "examples/creepy-shop",
        "--statistics",
        "--format",
        "json",
        "--rule",
        "location-trigger",
    ]));
    assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok());
    assert!(err.contains("  3  location-trigger  error"), "{err}");
}

#[test]
fn rules_as_json_with_concern_and_doc_url() {
    let (code, out, _) = stdout(creeplint().args(["rules", "--format", "json"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let rules = v.as_array().expect("an array");
    assert_eq!(rules.len(), creeplint::rules::RULES.len());
    let lt = rules
        .iter()
        .find(|r| r["name"] == "location-trigger")
        .expect("location-trigger");
    assert_eq!(lt["severity"], "error");
    assert_eq!(lt["concern"], "location");
    assert_eq!(
        lt["doc_url"],
        "https://github.com/creeplint/creeplint/blob/main/rules/location-trigger.yaml"
    );
    assert!(lt["summary"].as_str().is_some_and(|s| !s.is_empty()));
}

#[test]
fn select_by_concern_or_rule_and_min_confidence() {
    let json = |extra: &[&str]| {
        let mut args = vec!["check", "examples/creepy-shop", "--format", "json"];
        args.extend_from_slice(extra);
        let (_, out, err) = stdout(creeplint().args(&args));
        let v: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
        v
    };
    let rules = |v: &serde_json::Value| {
        let mut r: Vec<String> = v["findings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|f| f["rule"].as_str())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        r.sort();
        r.dedup();
        r
    };
    assert_eq!(
        rules(&json(&["--select", "location"])),
        ["location-trigger"]
    );
    assert_eq!(
        rules(&json(&["--select", "sensitive,missing-purpose"])),
        [
            "missing-purpose",
            "sensitive-data",
            "sensitive-targeting",
            "sensitive-use"
        ]
    );
    let all = json(&[]);
    let high = json(&["--min-confidence", "high"]);
    let n = |v: &serde_json::Value| v["findings"].as_array().map_or(0, Vec::len);
    assert!(n(&high) < n(&all));
    assert!(
        high["findings"]
            .as_array()
            .is_some_and(|a| a.iter().all(|f| f["confidence"] == "high"))
    );
    // The summary counts what is reported.
    let s = &high["summary"];
    assert_eq!(
        s["errors"].as_u64().unwrap_or(0)
            + s["warnings"].as_u64().unwrap_or(0)
            + s["infos"].as_u64().unwrap_or(0),
        n(&high) as u64
    );
    let (code, _, err) = stdout(creeplint().args(["check", ".", "--select", "locaton"]));
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `location`?"), "{err}");
}

#[test]
fn findings_link_to_their_rule_docs() {
    let url = "https://github.com/creeplint/creeplint/blob/main/rules/location-trigger.yaml";
    let dir = "examples/creepy-shop";
    let (_, out, _) = stdout(creeplint().args([
        "check",
        dir,
        "--format",
        "json",
        "--rule",
        "location-trigger",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["findings"][0]["doc_url"], url);
    let (_, out, _) = stdout(creeplint().args(["check", dir, "--format", "sarif"]));
    let v: serde_json::Value = serde_json::from_str(&out).expect("SARIF");
    let rules = v["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let lt = rules
        .iter()
        .find(|r| r["id"] == "location-trigger")
        .expect("rule");
    assert_eq!(lt["helpUri"], url);
    assert_eq!(lt["properties"]["security-severity"], "7.5");
    let info = rules
        .iter()
        .find(|r| r["id"] == "unused-data")
        .expect("rule");
    assert_eq!(info["properties"]["security-severity"], "2.0");
    let (_, out, _) = stdout(creeplint().args(["check", dir, "--rule", "location-trigger"]));
    assert!(out.contains(&format!("docs: {url}")), "{out}");
}

#[test]
fn summary_line_uses_singular_for_one() {
    let (_, out, _) = stdout(creeplint().args([
        "check",
        "tests/fixtures/observed-data/fires",
        "--rule",
        "observed-data",
    ]));
    let last = out.lines().last().unwrap_or_default().to_string();
    assert!(
        !last.contains("1 warnings") && !last.contains("1 files"),
        "{last}"
    );
    let (_, out, _) = stdout(creeplint().args(["check", "examples/respectful-shop/checkout.yaml"]));
    assert_eq!(out, "0 errors, 0 warnings, 0 infos in 1 file (0 skipped)\n");
    let (_, out, _) = stdout(creeplint().args(["check", "examples/respectful-shop/data.yaml"]));
    assert!(
        out.ends_with("0 errors, 0 warnings, 1 info in 1 file (0 skipped)\n"),
        "{out}"
    );
}

#[test]
fn empty_project_says_how_to_start_and_init_writes_a_clean_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, out, err) = stdout(creeplint().current_dir(dir.path()).arg("check"));
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "0 errors, 0 warnings, 0 infos in 0 files (0 skipped)\n"
    );
    assert!(err.contains("no creeplint files found in ."), "{err}");
    assert!(err.contains("creeplint init"), "{err}");
    let (code, _, err) = stdout(creeplint().current_dir(dir.path()).arg("init"));
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("creeplint.yaml").is_file());
    assert!(dir.path().join("forms/signup.yaml").is_file());
    // The starter is valid and clean: no finding, no note.
    let (code, out, err) = stdout(creeplint().current_dir(dir.path()).arg("check"));
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "0 errors, 0 warnings, 0 infos in 2 files (1 skipped)\n"
    );
    // init never replaces a file.
    std::fs::write(dir.path().join("creeplint.yaml"), "rules: {}\n").expect("write");
    let (code, _, err) = stdout(creeplint().current_dir(dir.path()).arg("init"));
    assert_eq!(code, 2);
    assert!(err.contains("creeplint.yaml exists"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("creeplint.yaml")).unwrap_or_default(),
        "rules: {}\n"
    );
}

#[test]
fn check_dash_reads_standard_input_with_stdin_filename() {
    let text = std::fs::read_to_string("examples/creepy-shop/campaigns.yaml").unwrap_or_default();
    let name = "examples/creepy-shop/campaigns.yaml";
    // Alone: the buffer is checked and shown under the editor's path.
    let (code, out, _) = stdout(
        creeplint()
            .args(["check", "-", "--stdin-filename", name])
            .args(["--rule", "location-trigger", "--format", "json"])
            .write_stdin(text.clone()),
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["findings"][0]["file"], name);
    assert_eq!(v["summary"]["files"], 1);
    // With its project: the buffer replaces the file on disk, so an edit that is not
    // saved yet is what is checked, with the declarations of the other files.
    let (_, out, _) = stdout(
        creeplint()
            .args([
                "check",
                "-",
                "examples/creepy-shop",
                "--stdin-filename",
                name,
            ])
            .args(["--format", "json"])
            .write_stdin("kind: personalization\npersonalizations: []\n"),
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        v["summary"]["files"], 9,
        "the file on disk is not read twice"
    );
    let from_buffer: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .map(|a| a.iter().filter(|f| f["file"] == name).collect())
        .unwrap_or_default();
    assert!(
        from_buffer.is_empty(),
        "the emptied buffer has no finding: {from_buffer:?}"
    );
    let location = v["findings"].as_array().map_or(0, |a| {
        a.iter().filter(|f| f["rule"] == "location-trigger").count()
    });
    assert!(location < 3, "the campaigns on disk are not checked");
    // Without a name, `<stdin>`; a bad buffer is an invalid-file finding like a file.
    let (code, out, _) = stdout(creeplint().args(["check", "-"]).write_stdin("kind: form\n"));
    assert_eq!(code, 1);
    assert!(out.contains("[<stdin>:1:1]"), "{out}");
    let (code, _, err) = stdout(creeplint().args(["check", "--stdin-filename", "a.yaml"]));
    assert_eq!(code, 2);
    assert!(err.contains("add `-` to the paths"), "{err}");
}

/// The human header counts columns in characters on a line with accents, as JSON does.
#[test]
fn human_header_columns_count_characters() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("campañas.yaml"),
        "kind: personalization\npersonalizations:\n  - id: bebé\n    channel: push\n    frequency: 1/week\n    explanation: Porque lo pediste.\n    message: \"¡Qué ilusión! Felicidades por tu embarazo\"\n",
    )
    .expect("write");
    let path = dir.path().join("campañas.yaml");
    let path = path.to_string_lossy();
    let (_, json, _) = stdout(creeplint().args([
        "check",
        &path,
        "--rule",
        "sensitive-targeting",
        "--format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let f = &v["findings"][0];
    let (line, column) = (f["line"].as_u64(), f["column"].as_u64());
    assert_eq!((line, column), (Some(7), Some(48)), "{json}");
    let (_, human, _) = stdout(creeplint().args(["check", &path, "--rule", "sensitive-targeting"]));
    assert!(human.contains("campañas.yaml:7:48]"), "{human}");
}
