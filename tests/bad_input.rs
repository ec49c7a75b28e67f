//! Bad input is the normal case: every broken file becomes an `invalid-file` finding
//! with a span (or is skipped when it is not creeplint's), and the other files are
//! still checked. Inputs are generated in a temporary folder.

use std::path::{Path, PathBuf};

use creeplint::pipeline::{Options, Outcome, run};

const VALID: &str = "kind: form\nid: contact\nfields:\n  - id: phone\n    label: Phone\n";

fn project(files: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    };
    for (name, bytes) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        if let Err(e) = std::fs::write(&path, bytes) {
            panic!("write {name}: {e}");
        }
    }
    let root = dir.path().to_path_buf();
    (dir, root)
}

fn lint(root: &Path) -> Outcome {
    match run(&[root.to_path_buf()], &Options::default()) {
        Ok(o) => o,
        Err(e) => panic!("run failed: {e}"),
    }
}

/// The invalid-file messages, by file name, and proof that `valid.yaml` was checked.
fn invalid(o: &Outcome) -> Vec<(String, usize, String)> {
    assert!(
        o.findings.iter().any(|f| f.rule == "missing-purpose"
            && o.sources
                .display(f.primary.loc.file)
                .ends_with("valid.yaml")),
        "the valid file was not checked"
    );
    o.findings
        .iter()
        .filter(|f| f.rule == "invalid-file")
        .map(|f| {
            let name = o
                .sources
                .display(f.primary.loc.file)
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_string();
            (
                name,
                o.sources.line_col(f.primary.loc).line,
                f.message.to_string(),
            )
        })
        .collect()
}

#[test]
fn syntax_errors_point_at_the_line() {
    let (_d, root) = project(&[
        ("valid.yaml", VALID.as_bytes()),
        (
            "broken.yaml",
            b"kind: form\nid: x\nfields:\n  - id: a\n    label: [unclosed\n",
        ),
        (
            "broken.json",
            b"{\"kind\": \"data\", \"items\": [\n  {\"id\": \"a\",}\n",
        ),
    ]);
    let found = invalid(&lint(&root));
    assert_eq!(found.len(), 2, "{found:?}");
    // The unclosed bracket is where the JSON error is reported.
    assert!(
        found.iter().any(|(f, line, m)| f == "broken.json"
            && *line == 1
            && m == "JSON unclosed bracket '['")
    );
    assert!(
        found
            .iter()
            .any(|(f, line, m)| f == "broken.yaml" && *line >= 5 && m.starts_with("YAML"))
    );
}

#[test]
fn invalid_utf8_is_reported_at_the_bad_byte() {
    let (_d, root) = project(&[
        ("valid.yaml", VALID.as_bytes()),
        (
            "latin1.yaml",
            b"kind: form\nid: x\nfields:\n  - id: a\n    label: Espa\xf1a\n",
        ),
    ]);
    let o = lint(&root);
    let found = invalid(&o);
    assert_eq!(
        found,
        vec![(
            "latin1.yaml".to_string(),
            5,
            "this file is not valid UTF-8".to_string()
        )]
    );
}

#[test]
fn empty_and_binary_files_are_skipped() {
    let (_d, root) = project(&[
        ("valid.yaml", VALID.as_bytes()),
        ("empty.yaml", b""),
        ("comments.yaml", b"# nothing here\n---\n"),
        ("image.json", &[0x89, b'P', b'N', b'G', 0, 0, 0xff, 0xfe, 0]),
    ]);
    let o = lint(&root);
    assert!(invalid(&o).is_empty());
    assert_eq!(o.summary.files, 4);
    assert_eq!(o.summary.skipped, 3);
}

#[test]
fn alias_bombs_hit_the_budget() {
    let mut bomb = String::from(
        "kind: form\nid: bomb\nx-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    let names = ["b", "c", "d", "e", "f", "g", "h", "i", "j"];
    let mut prev = "a";
    for n in names {
        bomb.push_str(&format!("x-{n}: &{n} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        prev = n;
    }
    bomb.push_str("fields:\n  - id: a\n    purpose: ok\n");
    let (_d, root) = project(&[
        ("valid.yaml", VALID.as_bytes()),
        ("bomb.yaml", bomb.as_bytes()),
    ]);
    let found = invalid(&lint(&root));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "bomb.yaml");
}

#[test]
fn deep_nesting_hits_the_budget() {
    let deep_yaml = format!(
        "kind: form\nid: deep\nx-deep: {}{}\nfields: []\n",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    let mut block = String::from("kind: data\nitems:\n");
    for depth in 0..20_000 {
        block.push_str(&" ".repeat(depth.min(3000)));
        block.push_str("- \n");
    }
    let deep_json = format!(
        "{{\"kind\": \"data\", \"items\": {}{}}}",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    let (_d, root) = project(&[
        ("valid.yaml", VALID.as_bytes()),
        ("deep.yaml", deep_yaml.as_bytes()),
        ("deep.json", deep_json.as_bytes()),
        ("block.yaml", block.as_bytes()),
    ]);
    let found = invalid(&lint(&root));
    let names: Vec<&str> = found.iter().map(|(f, _, _)| f.as_str()).collect();
    assert!(
        names.contains(&"deep.yaml") && names.contains(&"deep.json"),
        "{found:?}"
    );
}

#[test]
fn huge_files_are_not_parsed() {
    let mut big = String::from("kind: data\nitems:\n");
    let line = "  - {id: item, source: observed, description: a line that repeats to make the file large}\n";
    while big.len() < 50 * 1024 * 1024 {
        big.push_str(line);
    }
    let mut other = String::from("{\"rows\": [");
    while other.len() < 12 * 1024 * 1024 {
        other.push_str("[1,2,3,4,5,6,7,8,9],");
    }
    other.push_str("[]]}");
    let (_d, root) = project(&[
        ("valid.yaml", VALID.as_bytes()),
        ("big.yaml", big.as_bytes()),
        ("not-ours.json", other.as_bytes()),
    ]);
    let o = lint(&root);
    let found = invalid(&o);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "big.yaml");
    assert!(
        found[0].2.contains("over the 8 MiB budget"),
        "{}",
        found[0].2
    );
    assert_eq!(o.summary.skipped, 1);
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_symlink_loops() {
    let (_d, root) = project(&[
        ("valid.yaml", VALID.as_bytes()),
        ("sub/ok.yaml", b"kind: nothing\n"),
    ]);
    // A loop of folder links is never followed when walking.
    let _ = std::os::unix::fs::symlink(&root, root.join("sub/loop"));
    let _ = std::os::unix::fs::symlink(root.join("missing.yaml"), root.join("dangling.yaml"));
    let o = lint(&root);
    assert!(invalid(&o).is_empty(), "walking must not follow links");
    // Named explicitly, a file that cannot be read is a finding, not a crash.
    let o = match run(
        &[root.clone(), root.join("dangling.yaml")],
        &Options::default(),
    ) {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    let found = invalid(&o);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].2.starts_with("cannot read this file"),
        "{}",
        found[0].2
    );
}
