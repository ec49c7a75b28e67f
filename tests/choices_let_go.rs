//! `check` lets go of the forms' choices in which no rule can find anything as it reads
//! each file (`Options::drop_choices`, issue 14): only `sensitive-data` reads a choice,
//! for the sensitive words in its value and label. What a run reports must be the same,
//! byte for byte, as what a run that keeps every choice reports; and exactly the choices
//! without such words must be gone, whatever format wrote them.

use std::path::{Path, PathBuf};

use creeplint::model::FieldOption;
use creeplint::pipeline::{Options, Outcome};

mod common;

fn run(dir: &Path, drop_choices: bool) -> Outcome {
    let options = Options {
        drop_choices,
        ..Options::default()
    };
    common::run_dir(dir, &options)
}

/// Every field's choices, in order, as (value, label).
fn choices(o: &Outcome) -> Vec<Vec<(String, Option<String>)>> {
    let show = |c: &FieldOption| {
        (
            c.value.as_str().to_string(),
            c.label.as_ref().map(|l| l.as_str().to_string()),
        )
    };
    o.project
        .forms
        .iter()
        .flat_map(|f| f.fields.iter())
        .map(|f| f.options().iter().map(show).collect())
        .collect()
}

#[derive(Default)]
struct Tally {
    kept: usize,
    gone: usize,
    /// `sensitive-data` findings whose first label is on a kept choice.
    from_choices: usize,
}

/// Run `dir` both ways: same outputs, and the choices kept are exactly those in whose
/// value or label the sensitive lists find a word.
fn compare(dir: &Path, tally: &mut Tally) {
    let all = run(dir, false);
    let sifted = run(dir, true);
    let [json, sarif, github] = common::position_outputs(&all);
    let [json2, sarif2, github2] = common::position_outputs(&sifted);
    assert_eq!(json, json2, "{}: JSON", dir.display());
    assert_eq!(sarif, sarif2, "{}: SARIF", dir.display());
    assert_eq!(github, github2, "{}: GitHub", dir.display());
    let names = |text: &str| !all.vocab.sensitive_in(text).is_empty();
    for (every, kept) in choices(&all).into_iter().zip(choices(&sifted)) {
        let expected: Vec<_> = every
            .iter()
            .filter(|(value, label)| names(value) || label.as_deref().is_some_and(names))
            .cloned()
            .collect();
        assert_eq!(kept, expected, "{}", dir.display());
        tally.kept += kept.len();
        tally.gone += every.len() - kept.len();
    }
    let places: Vec<_> = sifted
        .project
        .forms
        .iter()
        .flat_map(|f| f.fields.iter())
        .flat_map(|f| f.options())
        .flat_map(|c| std::iter::once(&c.value).chain(c.label.as_deref()))
        .map(|t| t.loc)
        .collect();
    tally.from_choices += sifted
        .findings
        .iter()
        .filter(|f| f.rule.name() == "sensitive-data")
        .filter(|f| {
            places.iter().any(|p| {
                let (at, s) = (f.primary.loc.span, p.span);
                p.file == f.primary.loc.file
                    && s.offset <= at.offset
                    && at.offset + at.len <= s.offset + s.len
            })
        })
        .count();
}

fn folders(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    out.retain(|p| p.is_dir());
    out.sort();
    out
}

#[test]
fn reports_are_the_same_without_the_choices_no_rule_reads() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut tally = Tally::default();
    let dirs: Vec<PathBuf> = folders(&root.join("examples"))
        .into_iter()
        .chain(folders(&root.join("tests/fixtures")))
        .collect();
    assert!(dirs.len() > 30, "{} folders", dirs.len());
    for dir in &dirs {
        compare(dir, &mut tally);
    }
    // Choices of every kind went, and the ones a finding points at stayed.
    eprintln!(
        "{} choices let go of, {} kept, {} findings on them",
        tally.gone, tally.kept, tally.from_choices
    );
    assert!(tally.gone >= 30, "{} choices let go of", tally.gone);
    assert!(tally.kept >= 3, "{} choices kept", tally.kept);
    assert!(
        tally.from_choices >= 2,
        "{} findings on choices",
        tally.from_choices
    );
}

/// Choices named in each format's own way: a native select's labelled options, an HTML
/// `<select>` and radio group, a JSON Schema `oneOf` with titles paired with its
/// uiSchema (sifted once paired). The sensitive word is in the value of some and only
/// in the label of others.
#[test]
fn each_format_keeps_the_choices_that_name_a_category() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let write = |name: &str, text: &str| {
        std::fs::write(dir.path().join(name), text).expect("a fixture written");
    };
    write(
        "profile.yaml",
        "kind: form\nid: profile\nfields:\n  - id: plan\n    label: Plan\n    purpose: To bill you.\n    type: select\n    options:\n      - value: basic\n      - value: p2\n        label: Pregnancy care plan\n      - value: family\n        label: Family\n",
    );
    write(
        "signup.html",
        "<form id=\"signup\" action=\"/signup\">\n  <label for=\"topic\">Topic</label>\n  <select id=\"topic\" name=\"topic\">\n    <option value=\"garden\">Garden</option>\n    <option value=\"t2\">Diabetes support</option>\n  </select>\n  <label><input type=\"radio\" name=\"church\" value=\"catholic\"> A</label>\n  <label><input type=\"radio\" name=\"church\" value=\"none\"> B</label>\n</form>\n",
    );
    write(
        "survey.schema.json",
        r#"{"$schema": "http://json-schema.org/draft-07/schema#", "title": "Survey", "type": "object", "properties": {"mood": {"type": "string", "oneOf": [{"const": "a", "title": "Fine"}, {"const": "b", "title": "Depression"}]}}}"#,
    );
    write(
        "survey.uischema.json",
        r#"{"mood": {"ui:widget": "radio"}}"#,
    );
    let mut tally = Tally::default();
    compare(dir.path(), &mut tally);
    let sifted = run(dir.path(), true);
    let mut kept: Vec<String> = choices(&sifted)
        .into_iter()
        .flatten()
        .map(|(value, _)| value)
        .collect();
    kept.sort();
    assert_eq!(
        kept,
        ["b", "catholic", "p2", "t2"],
        "{:?}",
        choices(&sifted)
    );
    assert_eq!(tally.gone, 5);
    assert!(
        tally.from_choices >= 3,
        "{} findings on choices",
        tally.from_choices
    );
}

/// The real public forms of the shared corpus, when it is beside the checkout.
#[test]
fn the_shared_corpus_reports_the_same_without_them() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is absent (CI provides it)", corpus.display());
        return;
    }
    let mut tally = Tally::default();
    for dir in folders(&corpus) {
        compare(&dir, &mut tally);
    }
    eprintln!(
        "shared corpus: {} choices let go of, {} kept",
        tally.gone, tally.kept
    );
    assert!(tally.gone >= 100, "{} choices let go of", tally.gone);
}
