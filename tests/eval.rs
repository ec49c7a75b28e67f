//! The evaluation corpus (`tests/eval/`): realistic purposes, messages,
//! explanations and hidden fields from several industries, in English and Spanish,
//! each marked honest or creepy, plus whole small projects. Every case says which
//! rules must fire on it and which must not; this test computes the recall and the
//! false positives of every rule, prints a table, and fails below the bar: recall of
//! at least 95% per rule and no finding at all on a case marked must-not.
//!
//! Shorthand cases are laid out as one small project each: the shared files of
//! `tests/eval/base/` (a sign-up form and the data a shop, a gym or a clinic
//! declares) plus the case's own form or personalization, written as JSON.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use creeplint::pipeline::{Options, Outcome};
use serde::Deserialize;
use serde_json::{Value, json};

mod common;

const EVAL: &str = "tests/eval";
const MIN_RECALL: f64 = 0.95;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CorpusFile {
    /// `purpose`, `message`, `explanation` or `hidden`: how a case is laid out.
    kind: String,
    /// Rules an honest case must not trigger.
    quiet: Vec<String>,
    /// Rules a creepy case must trigger unless it says otherwise.
    fires: Vec<String>,
    #[serde(default)]
    honest: BTreeMap<String, Vec<Case>>,
    #[serde(default)]
    creepy: BTreeMap<String, Vec<Case>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Case {
    Text(String),
    Full(Box<FullCase>),
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct FullCase {
    text: String,
    #[serde(default)]
    when: Option<Value>,
    #[serde(default)]
    channel: Option<String>,
    #[serde(rename = "use", default)]
    use_: Option<String>,
    /// For purposes: the field's uses.
    #[serde(default)]
    uses: Option<Vec<String>>,
    /// For hidden fields: a label.
    #[serde(default)]
    label: Option<String>,
    /// For purposes: the field's id and type.
    #[serde(default)]
    field: Option<String>,
    #[serde(rename = "type", default)]
    field_type: Option<String>,
    /// The message of an explanation case, or the explanation of a message case.
    #[serde(default)]
    other: Option<String>,
    /// Data items only this case declares.
    #[serde(default)]
    data: Vec<Value>,
    /// Replace the file's rules: what must fire and what must not.
    #[serde(default)]
    fires: Option<Vec<String>>,
    #[serde(default)]
    quiet: Option<Vec<String>>,
    /// Rules that must fire exactly once on the case.
    #[serde(default)]
    once: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectExpect {
    lang: String,
    #[allow(dead_code)]
    about: String,
    #[serde(default)]
    fires: Vec<String>,
    #[serde(default)]
    quiet: Vec<String>,
    #[serde(default)]
    once: Vec<String>,
}

/// One expectation: `rule`, `rule:severity`, optionally `@token token` naming the item
/// (tokens of the finding's subject, like `personalization:push-bebe`).
#[derive(Debug, Clone)]
struct Expect {
    rule: String,
    severity: Option<String>,
    target: Vec<String>,
}

fn parse_expect(s: &str, default_target: &[String]) -> Expect {
    let (head, target) = match s.split_once('@') {
        Some((h, t)) => (h, t.split_whitespace().map(String::from).collect()),
        None => (s, default_target.to_vec()),
    };
    let (rule, severity) = match head.split_once(':') {
        Some((r, sev)) => (r.trim().to_string(), Some(sev.trim().to_string())),
        None => (head.trim().to_string(), None),
    };
    Expect {
        rule,
        severity,
        target,
    }
}

fn matching<'a>(o: &'a Outcome, e: &Expect) -> Vec<&'a creeplint::Finding> {
    o.findings
        .iter()
        .filter(|f| f.rule == e.rule)
        .filter(|f| {
            e.severity
                .as_deref()
                .is_none_or(|s| f.severity.as_str() == s)
        })
        .filter(|f| {
            let subject = f.subject.to_string();
            let tokens: Vec<&str> = subject.split_whitespace().collect();
            e.target.iter().all(|t| tokens.contains(&t.as_str()))
        })
        .collect()
}

#[derive(Default)]
struct Tally {
    expected: usize,
    found: usize,
    must_not: usize,
    false_positives: usize,
    missed: Vec<String>,
    wrong: Vec<String>,
}

#[derive(Default)]
struct Counts {
    /// (kind, honest/creepy, lang) -> cases
    cases: BTreeMap<(String, &'static str, String), usize>,
}

/// A run as `check` makes it: the choices no rule reads let go of as each file is read
/// (`Options::drop_choices`), so the figures are what users get.
fn lint_dir(dir: &Path) -> Outcome {
    let options = Options {
        drop_choices: true,
        ..Options::default()
    };
    common::run_dir(dir, &options)
}

/// The findings on the items a case is about.
fn describe(o: &Outcome, about: &[&Expect]) -> String {
    o.findings
        .iter()
        .filter(|f| {
            let subject = f.subject.to_string();
            let tokens: Vec<&str> = subject.split_whitespace().collect();
            about
                .iter()
                .any(|e| e.target.iter().all(|t| tokens.contains(&t.as_str())))
        })
        .map(|f| {
            format!(
                "    {} {} [{}]: {}",
                f.rule, f.severity, f.subject, f.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn judge(
    tallies: &mut BTreeMap<String, Tally>,
    o: &Outcome,
    name: &str,
    fires: &[Expect],
    quiet: &[Expect],
    once: &[Expect],
) {
    let about: Vec<&Expect> = fires.iter().chain(quiet).chain(once).collect();
    let describe = |o: &Outcome| describe(o, &about);
    for e in fires.iter().chain(once) {
        let t = tallies.entry(e.rule.clone()).or_default();
        t.expected += 1;
        if matching(o, e).is_empty() {
            t.missed.push(format!("{name}\n{}", describe(o)));
        } else {
            t.found += 1;
        }
    }
    for e in once {
        let t = tallies.entry(e.rule.clone()).or_default();
        t.must_not += 1;
        let n = matching(o, e).len();
        if n > 1 {
            t.false_positives += 1;
            t.wrong.push(format!(
                "{name}: {n} findings, one expected\n{}",
                describe(o)
            ));
        }
    }
    for e in quiet {
        let t = tallies.entry(e.rule.clone()).or_default();
        t.must_not += 1;
        if !matching(o, e).is_empty() {
            t.false_positives += 1;
            t.wrong.push(format!("{name}\n{}", describe(o)));
        }
    }
}

fn default_other(kind: &str, lang: &str) -> &'static str {
    match (kind, lang) {
        ("message", "es") => "Lo recibes porque activaste estos avisos en tu cuenta.",
        ("message", _) => "You get this because you turned these updates on in your account.",
        (_, "es") => "Novedades de esta semana",
        _ => "What is new this week",
    }
}

/// The case's own document, as JSON (a YAML reader reads JSON too).
fn case_docs(kind: &str, id: &str, lang: &str, c: &FullCase) -> Vec<Value> {
    let mut docs = Vec::new();
    match kind {
        "purpose" => docs.push(json!({
            "kind": "form",
            "id": id,
            "fields": [{
                "id": c.field.clone().unwrap_or_else(|| "answer".into()),
                "type": c.field_type.clone().unwrap_or_else(|| "text".into()),
                "purpose": c.text,
                "uses": c.uses.clone().unwrap_or_else(|| vec!["personalization".into()]),
            }],
        })),
        "hidden" => {
            let mut field = json!({"id": c.text, "type": "hidden"});
            if let (Some(l), Some(map)) = (&c.label, field.as_object_mut()) {
                map.insert("label".into(), json!(l));
            }
            docs.push(json!({"kind": "form", "id": id, "fields": [field]}));
        }
        "message" | "explanation" => {
            let other = c
                .other
                .clone()
                .unwrap_or_else(|| default_other(kind, lang).to_string());
            let (message, explanation) = if kind == "message" {
                (c.text.clone(), other)
            } else {
                (other, c.text.clone())
            };
            let mut p = json!({
                "id": id,
                "use": c.use_.clone().unwrap_or_else(|| "personalization".into()),
                "channel": c.channel.clone().unwrap_or_else(|| "push".into()),
                "frequency": "1/week",
                "message": message,
                "explanation": explanation,
            });
            if let (Some(w), Some(map)) = (&c.when, p.as_object_mut()) {
                map.insert("when".into(), w.clone());
            }
            docs.push(json!({"kind": "personalization", "personalizations": [p]}));
        }
        other => panic!("unknown corpus kind `{other}`"),
    }
    if !c.data.is_empty() {
        docs.push(json!({"kind": "data", "items": c.data}));
    }
    docs
}

fn copy_base(to: &Path) {
    let base = Path::new(EVAL).join("base");
    for entry in std::fs::read_dir(&base).expect("tests/eval/base") {
        let p = entry.expect("base entry").path();
        if let Some(name) = p.file_name() {
            std::fs::copy(&p, to.join(name)).expect("copy base file");
        }
    }
}

fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(EVAL)
        .expect("tests/eval")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

fn run_corpus(tallies: &mut BTreeMap<String, Tally>, counts: &mut Counts) {
    for path in corpus_files() {
        let text = std::fs::read_to_string(&path).expect("corpus file");
        let file: CorpusFile = match serde_saphyr::from_str(&text) {
            Ok(f) => f,
            Err(e) => panic!("{}: {e}", path.display()),
        };
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("case")
            .to_string();
        for (honest, groups) in [(true, &file.honest), (false, &file.creepy)] {
            for (lang, cases) in groups {
                for (i, case) in cases.iter().enumerate() {
                    let c = match case {
                        Case::Text(t) => FullCase {
                            text: t.clone(),
                            ..FullCase::default()
                        },
                        Case::Full(c) => (**c).clone(),
                    };
                    let id = format!(
                        "{stem}-{}-{lang}-{}",
                        if honest { "honest" } else { "creepy" },
                        i + 1
                    );
                    *counts
                        .cases
                        .entry((
                            file.kind.clone(),
                            if honest { "honest" } else { "creepy" },
                            lang.clone(),
                        ))
                        .or_default() += 1;
                    let dir = tempfile::tempdir().expect("temp dir");
                    copy_base(dir.path());
                    for (n, doc) in case_docs(&file.kind, &id, lang, &c).iter().enumerate() {
                        let body = serde_json::to_string_pretty(doc).expect("json");
                        std::fs::write(dir.path().join(format!("case-{n}.json")), body)
                            .expect("write case");
                    }
                    let o = lint_dir(dir.path());
                    let target = vec![match file.kind.as_str() {
                        "purpose" | "hidden" => format!("form:{id}"),
                        _ => format!("personalization:{id}"),
                    }];
                    let default_fires = if honest { &[][..] } else { &file.fires[..] };
                    let default_quiet = if honest { &file.quiet[..] } else { &[][..] };
                    let fires: Vec<Expect> = c
                        .fires
                        .as_deref()
                        .unwrap_or(default_fires)
                        .iter()
                        .map(|s| parse_expect(s, &target))
                        .collect();
                    let quiet: Vec<Expect> = c
                        .quiet
                        .as_deref()
                        .unwrap_or(default_quiet)
                        .iter()
                        .map(|s| parse_expect(s, &target))
                        .collect();
                    let once: Vec<Expect> =
                        c.once.iter().map(|s| parse_expect(s, &target)).collect();
                    let name = format!("{} `{}` ({id})", path.display(), c.text);
                    judge(tallies, &o, &name, &fires, &quiet, &once);
                }
            }
        }
    }
}

fn run_projects(tallies: &mut BTreeMap<String, Tally>, counts: &mut Counts) {
    let root = Path::new(EVAL).join("projects");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/eval/projects")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let text = std::fs::read_to_string(dir.join("expect.yaml")).expect("expect.yaml");
        let expect: ProjectExpect = match serde_saphyr::from_str(&text) {
            Ok(e) => e,
            Err(e) => panic!("{}: {e}", dir.display()),
        };
        *counts
            .cases
            .entry(("project".into(), "mixed", expect.lang.clone()))
            .or_default() += 1;
        let o = lint_dir(&dir);
        let parse =
            |v: &[String]| -> Vec<Expect> { v.iter().map(|s| parse_expect(s, &[])).collect() };
        judge(
            tallies,
            &o,
            &dir.display().to_string(),
            &parse(&expect.fires),
            &parse(&expect.quiet),
            &parse(&expect.once),
        );
    }
}

#[test]
fn evaluation_corpus_meets_the_bar() {
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut counts = Counts::default();
    run_corpus(&mut tallies, &mut counts);
    run_projects(&mut tallies, &mut counts);

    println!(
        "{:<30} {:>8} {:>8} {:>8} {:>9}",
        "rule", "recall", "cases", "must-not", "false pos"
    );
    for (rule, t) in &tallies {
        let recall = if t.expected == 0 {
            "-".to_string()
        } else {
            format!("{:.1}%", 100.0 * t.found as f64 / t.expected as f64)
        };
        println!(
            "{rule:<30} {recall:>8} {:>8} {:>8} {:>9}",
            format!("{}/{}", t.found, t.expected),
            t.must_not,
            t.false_positives
        );
    }
    for (rule, t) in &tallies {
        for m in &t.missed {
            println!("missed by {rule}: {}", m.lines().next().unwrap_or(""));
        }
    }
    let mut by: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for ((_, kind, lang), n) in &counts.cases {
        *by.entry((kind, lang.as_str())).or_default() += n;
    }
    println!("cases by kind and language: {by:?}");

    // The corpus is as large and as bilingual as the issue asks.
    let texts = |honest: &str, lang: Option<&str>| -> usize {
        counts
            .cases
            .iter()
            .filter(|((kind, h, l), _)| {
                ["purpose", "message", "explanation"].contains(&kind.as_str())
                    && *h == honest
                    && lang.is_none_or(|x| x == l)
            })
            .map(|(_, n)| n)
            .sum()
    };
    assert!(texts("honest", None) >= 150, "at least 150 honest texts");
    assert!(texts("creepy", None) >= 100, "at least 100 creepy texts");
    for h in ["honest", "creepy"] {
        let es = texts(h, Some("es"));
        let en = texts(h, Some("en"));
        assert!(
            es * 100 >= (en + es) * 45,
            "{h}: {es} Spanish of {} is not half",
            en + es
        );
    }
    let projects: usize = counts
        .cases
        .iter()
        .filter(|((k, _, _), _)| k == "project")
        .map(|(_, n)| n)
        .sum();
    assert!(projects >= 4, "a few whole projects");

    let mut failures = Vec::new();
    for (rule, t) in &tallies {
        if t.expected > 0 && (t.found as f64) < MIN_RECALL * t.expected as f64 {
            failures.push(format!(
                "{rule}: recall {}/{} below 95%; missed:\n  {}",
                t.found,
                t.expected,
                t.missed.join("\n  ")
            ));
        }
        if t.false_positives > 0 {
            failures.push(format!(
                "{rule}: {} finding(s) on must-not cases:\n  {}",
                t.false_positives,
                t.wrong.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
