//! Shared helpers: run the library on fixture paths and describe findings compactly.
#![allow(dead_code)]

use std::path::PathBuf;

use creeplint::pipeline::{Options, Outcome, run};

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
