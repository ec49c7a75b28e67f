//! Shared helpers: run the library on fixture paths and describe findings compactly.
#![allow(dead_code)]

use std::path::PathBuf;

use creeplint::pipeline::{Options, Outcome, run};
use creeplint::source::Loc;

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from("tests/fixtures").join(rel)
}

/// Lint paths under `tests/fixtures`, running only `only` when non-empty.
pub fn lint(paths: &[&str], only: &[&str]) -> Outcome {
    let options = Options {
        only: only.iter().map(|s| s.to_string()).collect(),
        ..Options::default()
    };
    let paths: Vec<PathBuf> = paths.iter().map(|p| fixture(p)).collect();
    match run(&paths, &options) {
        Ok(o) => o,
        Err(e) => panic!("run failed: {e}"),
    }
}

/// Run `dir` with `options` (a folder of the repository's, or a temporary one).
pub fn run_dir(dir: &std::path::Path, options: &Options) -> Outcome {
    match run(&[dir.to_path_buf()], options) {
        Ok(o) => o,
        Err(e) => panic!("{}: {e}", dir.display()),
    }
}

/// The outputs a run's findings make without a file's text: JSON (with the suppressed
/// findings), SARIF and GitHub annotations.
pub fn position_outputs(o: &Outcome) -> [String; 3] {
    use creeplint::output::{github, json, sarif};
    let shown = Some(o.suppressed.as_slice());
    [
        json::render(&o.sources, &o.findings, shown, &o.summary),
        sarif::render(&o.sources, &o.findings, shown),
        github::render(&o.sources, &o.findings),
    ]
}

/// One line per finding: `severity confidence file:line:col rule: message [label; label]`.
pub fn rows(o: &Outcome) -> String {
    let mut out = String::new();
    for f in &o.findings {
        let at = o.sources.line_col(f.primary.loc);
        let file = o.sources.display(f.primary.loc.file);
        let file = file.strip_prefix("tests/fixtures/").unwrap_or(file);
        let labels: Vec<String> = f
            .secondary
            .iter()
            .map(|l| {
                let lc = o.sources.line_col(l.loc);
                format!("{}:{}: {}", lc.line, lc.column, l.message)
            })
            .collect();
        out.push_str(&format!(
            "{} {} {}:{}:{} {}: {} -- {} [{}]\n",
            f.severity,
            f.confidence.as_str(),
            file,
            at.line,
            at.column,
            f.rule,
            f.message,
            f.primary.message,
            labels.join("; ")
        ));
    }
    out
}

pub fn count(o: &Outcome, rule: &str) -> usize {
    o.findings.iter().filter(|f| f.rule == rule).count()
}

/// The findings of `rule` whose message mentions `needle`.
pub fn with<'a>(o: &'a Outcome, rule: &str, needle: &str) -> Vec<&'a creeplint::Finding> {
    o.findings
        .iter()
        .filter(|f| f.rule == rule && f.message.contains(needle))
        .collect()
}

/// A rule's `quiet/` fixture: the rule must not fire (the others may).
pub fn quiet(rule: &str) {
    let o = lint(&[&format!("{rule}/quiet")], &[]);
    assert_eq!(
        count(&o, rule),
        0,
        "{rule} fired on its quiet fixture:\n{}",
        rows(&o)
    );
}

/// A rule's `fires/` fixture, run with that rule only: it must fire.
pub fn fires(rule: &str) -> Outcome {
    let o = lint(&[&format!("{rule}/fires")], &[rule]);
    assert!(count(&o, rule) > 0, "{rule} did not fire");
    o
}

/// Check one path (a file or a folder) with the default options.
pub fn check(path: &str) -> Outcome {
    run(&[PathBuf::from(path)], &Options::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// Write `files` (name, text) into a new folder and check it; the folder lives as long
/// as the returned guard.
pub fn check_files(files: &[(&str, &str)]) -> (tempfile::TempDir, Outcome) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    }
    let o = run(&[dir.path().to_path_buf()], &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    (dir, o)
}

/// The source text a location underlines.
pub fn text(o: &Outcome, loc: Loc) -> &str {
    o.sources
        .get(loc.file)
        .and_then(|f| f.slice(loc.span))
        .expect("location inside its file")
}

/// `line:column` of a location.
pub fn at(o: &Outcome, loc: Loc) -> String {
    let lc = o.sources.line_col(loc);
    format!("{}:{}", lc.line, lc.column)
}

/// The displayed path of a location's file.
pub fn file_of(o: &Outcome, loc: Loc) -> &str {
    o.sources.display(loc.file)
}
