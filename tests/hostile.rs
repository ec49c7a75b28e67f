//! Hostile input and broken environments, through the real binary: files written to
//! hurt the linter (long lines, huge values, terminal escapes, odd encodings, budget
//! bombs), devices and FIFOs named as files, full disks and files that must not be
//! overwritten. Every input is generated in a temporary folder.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_creeplint"));
    c.env("NO_COLOR", "1").env("COLUMNS", "100");
    c.stdin(Stdio::null());
    c
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let out: Output = cmd
        .output()
        .unwrap_or_else(|e| panic!("could not run: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn folder(files: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    for (name, bytes) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {name}: {e}"));
    }
    let root = dir.path().to_path_buf();
    (dir, root)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:.300}"))
}

/// Characters a terminal would act on; tabs and line breaks are fine.
fn control(text: &str) -> Option<char> {
    text.chars().find(|c| {
        (c.is_control() && *c != '\n' && *c != '\t') || ('\u{202a}'..='\u{202e}').contains(c)
    })
}

/// A minified JSON form on one line whose last field sits past column `past`.
fn minified_form(past: usize) -> String {
    let mut text = String::from(r#"{"kind":"form","id":"signup","fields":["#);
    let mut i = 0;
    while text.len() < past {
        text.push_str(&format!(
            r#"{{"id":"field{i}","label":"Field {i}","purpose":"So we can reply to you."}},"#
        ));
        i += 1;
    }
    text.push_str(r#"{"id":"last","label":"Last"}]}"#);
    text
}

/// Documents nested as deep as the parse budget lets through (63 levels of mappings in
/// sequences, which the fast reader hands to serde-saphyr), in enough files to be read
/// on several threads: each is checked, none overflows a thread's stack (a spawned
/// reading thread had 2 MiB, which a debug build's serde-saphyr frames outgrew).
#[test]
fn the_deepest_nesting_allowed_is_read_on_every_thread() {
    let mut deep = String::new();
    for level in 0..63 {
        deep.push_str(if level % 2 == 0 { "{a: " } else { "[" });
    }
    deep.push('1');
    for level in (0..63).rev() {
        deep.push(if level % 2 == 0 { '}' } else { ']' });
    }
    let texts: Vec<(String, String)> = (0..20)
        .map(|i| {
            (
                format!("deep-{i:02}.yaml"),
                format!("kind: form\nid: deep-{i}\nx-deep: {deep}\nfields: []\n"),
            )
        })
        .collect();
    let files: Vec<(&str, &[u8])> = texts
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_bytes()))
        .collect();
    let (_d, root) = folder(&files);
    let (code, stdout, stderr) = run(bin().arg("check").arg(&root).args(["--format", "json"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains("overflow"), "{stderr}");
    let out = json(&stdout);
    assert_eq!(out["summary"]["files"], 20, "{stdout}");
    // Each form is read: its empty field list is what it is told about.
    let told: std::collections::BTreeSet<&str> = out["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert_eq!(told.len(), 20, "{stdout}");
}

// 1. miette panicked on a column past 65,535.
#[test]
fn findings_on_very_long_lines_render_clipped() {
    let text = minified_form(115_000);
    let column = text.find(r#""last""#).unwrap_or(0) + 1;
    let (_d, root) = folder(&[("signup.json", text.as_bytes())]);
    let (code, out, err) = run(bin().arg("check").arg(root.join("signup.json")));
    assert_eq!(code, 1, "{err}");
    assert!(err.is_empty(), "{err}");
    assert!(
        out.contains("× form `signup` asks for `last` without saying why"),
        "{out:.2000}"
    );
    assert!(
        out.contains(&format!("signup.json:1:{column}]")),
        "{out:.2000}"
    );
    // The line is shown around the field, not whole.
    let widest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest < 200, "a {widest}-character line");
    assert!(out.contains(r#"…"Field"#) || out.contains("…"), "{out}");
    assert!(out.contains(r#"{"id":"last","label":"Last"}]}"#), "{out}");
    assert!(out.len() < 3_000, "{} bytes", out.len());
}

#[test]
fn configuration_errors_on_very_long_lines_render_clipped() {
    let mut config = String::from("{exclude: [");
    for i in 0..10_000 {
        config.push_str(&format!("\"old-{i}/**\", "));
    }
    config.push_str("\"x\"], bogus: 1}\n");
    let (_d, root) = folder(&[("creeplint.yaml", config.as_bytes()), ("a.yaml", b"a: 1\n")]);
    let (code, out, err) = run(bin().current_dir(&root).args(["check", "."]));
    assert_eq!(code, 2, "{out}");
    assert!(!err.contains("internal error"), "{err:.2000}");
    assert!(err.contains("unknown key `bogus`"), "{err:.3000}");
    let widest = err.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest < 200, "a {widest}-character line");
}

// 2. Devices and FIFOs are never read.
#[cfg(unix)]
#[test]
fn devices_and_fifos_are_refused_at_once() {
    let (code, _, err) = run(bin().args(["check", "/dev/zero"]));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "creeplint: /dev/zero is a character device, not a regular file: creeplint reads only regular files and folders\n"
    );
    let (code, _, err) =
        run(bin()
            .env("COLUMNS", "300")
            .args(["check", "--config", "/dev/zero", "."]));
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read the configuration /dev/zero: it is a character device, not a regular file; creeplint reads only regular files"),
        "{err}"
    );
    let (code, _, err) = run(bin().args([
        "check",
        "--baseline",
        "/dev/zero",
        "tests/fixtures/missing-purpose/quiet",
    ]));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "creeplint: cannot read the baseline /dev/zero: it is a character device, not a regular file; creeplint reads only regular files\n"
    );

    let (_d, root) = folder(&[("form.yaml", b"kind: form\nid: f\nfields: []\n")]);
    let fifo = root.join("pipe.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped the FIFO part: mkfifo is not available");
        return;
    }
    // Named: refused without opening it (opening waits for a writer forever).
    let (code, _, err) = run(bin().arg("check").arg(&fifo));
    assert_eq!(code, 2);
    assert!(err.ends_with("pipe.yaml is a FIFO (named pipe), not a regular file: creeplint reads only regular files and folders\n"), "{err}");
    // In a folder: not a file to read.
    let (code, out, _) = run(bin()
        .args(["check", "--format", "json", "--fail-on", "never"])
        .arg(&root));
    assert_eq!(code, 0);
    assert_eq!(json(&out)["summary"]["files"], 1);
}

#[test]
fn the_file_budget_holds_for_files_that_lie_about_their_size() {
    // A regular file over the budget is reported from its head, never parsed.
    let mut big = String::from("kind: form\nid: big\nfields:\n");
    while big.len() <= 8 * 1024 * 1024 {
        big.push_str("  - {id: a, label: A, purpose: To reply to you.}\n");
    }
    let (_d, root) = folder(&[("big.yaml", big.as_bytes())]);
    let (code, out, _) = run(bin().args(["check", "--format", "json"]).arg(&root));
    assert_eq!(code, 1);
    let v = json(&out);
    assert_eq!(
        v["findings"][0]["message"],
        "this file is 8.0 MiB, over the 8 MiB budget for a creeplint file"
    );
}

// 3. Exclude globs match in linear time.
#[test]
fn exclude_globs_do_not_backtrack() {
    let name = format!("{}.yaml", "a".repeat(40));
    let form = b"kind: form\nid: f\nfields:\n  - id: a\n    label: A\n";
    let (_d, root) = folder(&[
        (
            "creeplint.yaml",
            b"exclude: [\"*a*a*a*a*a*a*a*a*a*a*b\", \"*a*a*a*a*a*a*a*a*a*a*.yaml\"]\n",
        ),
        (&name, form),
        ("keep/x.yaml", form),
    ]);
    let (code, out, err) = run(bin()
        .current_dir(&root)
        .args(["check", "--format", "json", "."]));
    assert_eq!(code, 1, "{err}");
    let v = json(&out);
    assert_eq!(v["summary"]["files"], 2, "{out}");
    assert_eq!(v["findings"][0]["file"], "keep/x.yaml");
}

// 5. A huge value is shortened in every finding that quotes it.
#[test]
fn huge_values_are_shortened_in_messages() {
    let id = format!("f{}", "x".repeat(2_000_000));
    let mut form = format!("kind: form\nid: {id}\nfields:\n");
    for i in 0..200 {
        form.push_str(&format!("  - id: field{i}\n    label: Field {i}\n"));
    }
    let (_d, root) = folder(&[("form.yaml", form.as_bytes())]);
    let (code, out, _) = run(bin().args(["check", "--format", "json"]).arg(&root));
    assert_eq!(code, 1);
    assert!(out.len() < form.len() / 4, "{} bytes of JSON", out.len());
    let v = json(&out);
    let first = &v["findings"][0];
    let short = format!("f{}…{}", "x".repeat(59), "x".repeat(19));
    assert_eq!(
        first["message"],
        format!("form `{short}` asks for `field0` without saying why")
    );
    // The span is still the exact place.
    assert_eq!(first["line"], 4);
    let (code, human, _) = run(bin().arg("check").arg(&root));
    assert_eq!(code, 1);
    assert!(
        human.len() < 400_000,
        "{} bytes of human output",
        human.len()
    );
    // The report's inventory names the form once per field: shortened there too.
    let (code, html, _) = run(bin().arg("report").arg(&root));
    assert_eq!(code, 1);
    assert!(html.len() < form.len() / 2, "{} bytes of HTML", html.len());
}

// 6. Terminal escapes in checked files are shown, not obeyed.
#[test]
fn control_characters_never_reach_the_terminal() {
    let evil = "\u{1b}]0;owned\u{7}\u{1b}[2J";
    let form = format!(
        "kind: form\nid: \"{}\"\nfields:\n  - id: \"ph\\u001b[2Jone\\0\"\n    label: Phone\n",
        "sign\\e]0;owned\\a\\e[2Jup"
    );
    let name = "f\u{1b}[31m.yaml";
    let (_d, root) = folder(&[(name, form.as_bytes())]);
    for format in ["human", "github"] {
        let (code, out, err) = run(bin().args(["check", "--format", format]).arg(&root));
        assert_eq!(code, 1, "{err}");
        assert_eq!(control(&out), None, "{format}: {out:?}");
        assert!(out.contains("\\u{1b}[2J"), "{format}: {out}");
        assert!(out.contains("f\\u{1b}[31m.yaml"), "{format}: {out}");
    }
    let (_, out, _) = run(bin().args(["check", "--format", "github"]).arg(&root));
    assert!(out.contains("\\u{0}"), "{out}");
    let (_, md, _) = run(bin().args(["report", "--format", "markdown"]).arg(&root));
    assert_eq!(control(&md), None, "{md:?}");
    // JSON keeps the exact value, escaped by JSON's rules.
    let (_, out, _) = run(bin().args(["check", "--format", "json"]).arg(&root));
    assert!(
        json(&out)["findings"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains(evil) || m.contains('\u{1b}'))
    );
}

// 7, 12. Paths outside the current folder and names with a colon.
#[test]
fn absolute_paths_and_colons_are_written_right() {
    let form = b"kind: form\nid: f\nfields:\n  - id: a\n    label: A\n";
    let (_d, root) = folder(&[
        ("app/forms/f.yaml", form),
        ("javascript:alert(1).yaml", form),
    ]);
    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = root.join("app/forms/f.yaml");
    let shown = file.display().to_string();
    let (code, out, _) = run(bin()
        .current_dir(elsewhere.path())
        .args(["check", "--format", "json"])
        .arg(&file));
    assert_eq!(code, 1);
    assert_eq!(json(&out)["findings"][0]["file"], shown.as_str());
    let (_, out, _) = run(bin()
        .current_dir(elsewhere.path())
        .args(["check", "--format", "sarif"])
        .arg(&file));
    let uri = &json(&out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, format!("file://{shown}").as_str());
    let (_, out, _) = run(bin()
        .current_dir(elsewhere.path())
        .args(["check", "--format", "github"])
        .arg(&file));
    assert!(
        out.starts_with(&format!("::error file={},", shown)),
        "{out}"
    );
    let (_, out, _) = run(bin().current_dir(elsewhere.path()).arg("check").arg(&file));
    assert!(out.contains(&format!("[{shown}:4:9]")), "{out}");
    let baseline = elsewhere.path().join("b.json");
    let (code, _, _) = run(bin()
        .current_dir(elsewhere.path())
        .arg("check")
        .arg(&file)
        .arg("--write-baseline")
        .arg(&baseline));
    assert_eq!(code, 0);
    let b = json(&std::fs::read_to_string(&baseline).unwrap_or_default());
    assert_eq!(b["findings"][0]["file"], shown.as_str());

    let (_, out, _) = run(bin().current_dir(&root).args([
        "check",
        "--format",
        "sarif",
        "javascript:alert(1).yaml",
    ]));
    let uri = &json(&out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "./javascript:alert(1).yaml");
}

// 8. UTF-16 and UTF-32 files.
#[test]
fn utf16_and_utf32_files_are_read_or_reported() {
    let form = |id: &str| format!("kind: form\nid: {id}\nfields:\n  - id: año\n    label: Año\n");
    let mut le16 = vec![0xFF, 0xFE];
    for u in form("le16").encode_utf16() {
        le16.extend(u.to_le_bytes());
    }
    let mut be16 = vec![0xFE, 0xFF];
    for u in form("be16").encode_utf16() {
        be16.extend(u.to_be_bytes());
    }
    let mut le32 = vec![0xFF, 0xFE, 0, 0];
    for c in form("le32").chars() {
        le32.extend(u32::from(c).to_le_bytes());
    }
    let mut broken = vec![0xFF, 0xFE];
    for u in form("broken").encode_utf16() {
        broken.extend(u.to_le_bytes());
    }
    broken.extend(0xDC00u16.to_le_bytes());
    let no_bom: Vec<u8> = form("nobom")
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let (_d, root) = folder(&[
        ("le16.yaml", &le16),
        ("be16.yaml", &be16),
        ("le32.yaml", &le32),
        ("broken.yaml", &broken),
        ("nobom.yaml", &no_bom),
    ]);
    let (code, out, _) = run(bin()
        .args([
            "check",
            "--format",
            "json",
            "--rule",
            "missing-purpose",
            "--rule",
            "invalid-file",
        ])
        .arg(&root));
    assert_eq!(code, 1);
    let v = json(&out);
    assert_eq!(v["summary"]["skipped"], 0, "{out}");
    let rows: Vec<String> = v["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    let file = f["file"].as_str().unwrap_or("");
                    let file = file.rsplit('/').next().unwrap_or("");
                    format!(
                        "{file}:{}:{} {}",
                        f["line"],
                        f["column"],
                        f["message"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        rows,
        [
            "be16.yaml:4:9 form `be16` asks for `año` without saying why",
            "broken.yaml:6:1 this file is not valid UTF-16 (little-endian)",
            "le16.yaml:4:9 form `le16` asks for `año` without saying why",
            "le32.yaml:4:9 form `le32` asks for `año` without saying why",
            "nobom.yaml:1:7 this file holds NUL characters: it looks like UTF-16 without a byte-order mark",
        ]
    );
}

// 9. One folder named twice is read once.
#[test]
fn the_same_folder_named_twice_is_read_once() {
    let form =
        b"kind: form\nid: f\nfields:\n  - id: a\n    label: A\n    purpose: To reply to you.\n";
    let (_d, root) = folder(&[("shop/form.yaml", form)]);
    let shop = root.join("shop");
    let (code, out, _) = run(bin().current_dir(&shop).args([
        "check",
        "--format",
        "json",
        ".",
        "../shop",
        "form.yaml",
    ]));
    assert_eq!(code, 0, "{out}");
    let v = json(&out);
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(0));
}

// 10. A failed write is a failed run.
#[cfg(target_os = "linux")]
#[test]
fn write_errors_exit_2() {
    let Ok(full) = std::fs::File::create("/dev/full") else {
        eprintln!("skipped: no /dev/full");
        return;
    };
    let (code, out, err) = run(bin()
        .args([
            "check",
            "--format",
            "sarif",
            "tests/fixtures/missing-purpose/quiet",
        ])
        .stdout(full));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(
        err,
        "creeplint: cannot write the output: No space left on device (os error 28)\n"
    );
}

// 11. Outputs never overwrite what the run reads.
#[test]
fn outputs_refuse_to_overwrite_the_files_they_read() {
    let form = b"kind: form\nid: f\nfields:\n  - id: a\n    label: A\n";
    let (_d, root) = folder(&[("form.yaml", form), ("creeplint.yaml", b"rules: {}\n")]);
    let (code, _, err) =
        run(bin()
            .current_dir(&root)
            .args(["check", ".", "--write-baseline", "form.yaml"]));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "creeplint: refusing to overwrite form.yaml: this run reads it as a checked file; write to another file\n"
    );
    let (code, _, err) =
        run(bin()
            .current_dir(&root)
            .args(["report", ".", "-o", "creeplint.yaml"]));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "creeplint: refusing to overwrite creeplint.yaml: this run reads it as the configuration; write to another file\n"
    );
    assert_eq!(
        std::fs::read(root.join("form.yaml")).ok().as_deref(),
        Some(&form[..])
    );
    assert_eq!(
        std::fs::read_to_string(root.join("creeplint.yaml"))
            .ok()
            .as_deref(),
        Some("rules: {}\n")
    );

    // Rewriting a baseline that the walk reads (as a skipped file) is the point.
    for _ in 0..2 {
        let (code, _, err) =
            run(bin()
                .current_dir(&root)
                .args(["check", ".", "--write-baseline", "baseline.json"]));
        assert_eq!(code, 0, "{err}");
        assert_eq!(err, "creeplint: recorded 1 findings in baseline.json\n");
    }
    let (code, _, err) = run(bin()
        .current_dir(&root)
        .args(["report", ".", "-o", "report.html"]));
    assert_eq!(code, 1);
    let size = std::fs::metadata(root.join("report.html"))
        .map(|m| m.len())
        .unwrap_or(0);
    assert_eq!(
        err,
        format!("creeplint: wrote the HTML report ({size} bytes) to report.html\n")
    );
}

// 13. Budget messages are sentences.
#[test]
fn budget_breaches_read_as_sentences() {
    let mut nodes = String::from("kind: form\nid: f\nx-many: [");
    for _ in 0..200_001 {
        nodes.push_str("1,");
    }
    nodes.push_str("1]\nfields: []\n");
    let deep = format!(
        "kind: form\nid: d\nx-deep: {}{}\nfields: []\n",
        "[".repeat(100),
        "]".repeat(100)
    );
    let (_d, root) = folder(&[
        ("nodes.yaml", nodes.as_bytes()),
        ("deep.yaml", deep.as_bytes()),
    ]);
    let (code, out, _) = run(bin().args(["check", "--format", "json"]).arg(&root));
    assert_eq!(code, 1);
    let v = json(&out);
    let found: Vec<(String, String)> = v["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["message"].as_str().unwrap_or("").to_string(),
                        f["help"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        found,
        [
            (
                "YAML document nests more levels than creeplint reads in one document (64)"
                    .to_string(),
                "flatten it: a creeplint document needs about 8 levels".to_string()
            ),
            (
                "YAML document holds more values than creeplint reads in one document (200,000)"
                    .to_string(),
                "split it into smaller files; creeplint reads every file of a folder".to_string()
            ),
        ]
    );
}
