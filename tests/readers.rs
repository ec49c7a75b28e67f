//! The reader registry: readers added by an embedder (here, the test suite) are walked
//! for their extensions, read their files, name their language, pair sibling files, and
//! a reader that panics stops the run with an error naming the file instead of
//! silently dropping files and shifting the ids of the others.

use std::path::{Path, PathBuf};

use creeplint::formats::{FileRead, ReadFile, Reader, Registry};
use creeplint::model::Problem;
use creeplint::pipeline::{Options, RunError, run};
use creeplint::source::{FileId, Language, Loc, SourceFile};

const VALID: &str = "kind: form\nid: contact\nfields:\n  - id: phone\n    label: Phone\n";

fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    };
    for (name, text) in files {
        if let Err(e) = std::fs::write(dir.path().join(name), text) {
            panic!("write {name}: {e}");
        }
    }
    let root = dir.path().to_path_buf();
    (dir, root)
}

/// Panics on every `.boom` file: a stand-in for a reader bug.
struct Boom;

impl Reader for Boom {
    fn name(&self) -> &'static str {
        "boom"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["boom"]
    }
    fn sniff(&self, _path: &Path, _text: &str) -> bool {
        true
    }
    fn read(&self, _file: &SourceFile, _id: FileId) -> FileRead {
        panic!("the boom reader always fails")
    }
}

static BOOM: Boom = Boom;

/// Reports one problem per `.note` file at its first line, and pairs `x.note` with a
/// sibling `x.note-extra`: the extra file's text moves into the note's problem, and the
/// extra file is then not counted as checked.
struct Note;

impl Reader for Note {
    fn name(&self) -> &'static str {
        "note"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["note", "note-extra"]
    }
    fn sniff(&self, _path: &Path, text: &str) -> bool {
        text.starts_with("note:")
    }
    fn read(&self, file: &SourceFile, id: FileId) -> FileRead {
        let extra = file.path.extension().is_some_and(|e| e == "note-extra");
        let mut out = FileRead {
            language: Language::Other("note"),
            documents: 1,
            ..FileRead::default()
        };
        let line = file.line_span(1).unwrap_or_default();
        let text = file.slice(line).unwrap_or("").to_string();
        if extra {
            out.pending = Some(Box::new(text));
        } else {
            out.problems.push(Problem::new(
                Loc {
                    file: id,
                    span: line,
                },
                text,
            ));
        }
        out
    }
    fn pair(&self, files: &mut [ReadFile]) {
        for i in 0..files.len() {
            let Some(extra) = files
                .get_mut(i)
                .filter(|f| f.reader == Some("note"))
                .and_then(|f| {
                    let text = f.read.pending.take()?.downcast::<String>().ok()?;
                    f.read.documents = 0;
                    Some((f.source.path.with_extension("note"), *text))
                })
            else {
                continue;
            };
            let (path, text) = extra;
            if let Some(problem) = files
                .iter_mut()
                .find(|f| f.source.path == path)
                .and_then(|f| f.read.problems.first_mut())
            {
                problem.message = format!("{} + {}", problem.message, text);
            }
        }
    }
}

static NOTE: Note = Note;

fn with(reader: &'static dyn Reader) -> Options {
    Options {
        readers: Registry::builtin().with(reader),
        ..Options::default()
    }
}

#[test]
fn builtin_registry_lists_the_native_reader() {
    let names: Vec<&str> = Registry::builtin().names().collect();
    // Readers of other YAML/JSON dialects go before the native one (issues 9, 10, 11).
    assert_eq!(
        names,
        [
            "apple-privacy",
            "fides",
            "event-schema",
            "remote-config",
            "flagd",
            "jsonschema-form",
            "html-form",
            "native"
        ]
    );
    let r = Registry::builtin();
    assert!(r.wants(Path::new("a/form.yaml")));
    assert!(r.wants(Path::new("a/form.YML")));
    assert!(r.wants(Path::new("a/form.json")));
    assert!(!r.wants(Path::new("a/form.note")));
    assert!(r.wants(Path::new("site/signup.html")));
    assert!(r.wants(Path::new("site/signup.HTM")));
    assert!(r.wants(Path::new("App/PrivacyInfo.xcprivacy")));
    assert!(
        Registry::builtin()
            .with(&NOTE)
            .wants(Path::new("a/form.note"))
    );
}

#[test]
fn a_panicking_reader_stops_the_run_and_names_the_file() {
    for count in [1, 40] {
        // Few files are read on one thread, many in parallel: both must report.
        let mut files: Vec<(String, &str)> = (0..count)
            .map(|i| (format!("f{i:02}.yaml"), VALID))
            .collect();
        files.push(("m-crash.boom".to_string(), "anything"));
        let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), *t)).collect();
        let (_dir, root) = project(&refs);
        match run(&[root], &with(&BOOM)) {
            Err(RunError::ReaderPanic(p)) => {
                assert!(p.path.ends_with("m-crash.boom"), "{}", p.path);
                assert_eq!(p.message, "the boom reader always fails");
                let shown = RunError::ReaderPanic(p).to_string();
                assert!(
                    shown.starts_with("creeplint crashed while reading ")
                        && shown.ends_with(
                            "m-crash.boom: the boom reader always fails; please report this bug with the file"
                        ),
                    "{shown}"
                );
            }
            Err(e) => panic!("unexpected error: {e}"),
            Ok(o) => panic!("the panic was hidden: {} findings", o.findings.len()),
        }
    }
}

#[test]
fn ids_follow_paths_with_many_files_and_an_extra_reader() {
    // Enough files to read in parallel; every finding must point into its own file.
    let mut files: Vec<(String, String)> = (0..40)
        .map(|i| {
            (
                format!("f{i:02}.yaml"),
                format!("kind: form\nid: form-{i}\nfields:\n  - id: phone_{i}\n    label: Phone\n"),
            )
        })
        .collect();
    files.push(("g.note".to_string(), "note: hello\n".to_string()));
    files.push(("g.note-extra".to_string(), "note: world\n".to_string()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let (_dir, root) = project(&refs);
    let o = match run(&[root], &with(&NOTE)) {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    for f in o.findings.iter().filter(|f| f.rule == "missing-purpose") {
        let file = o.sources.display(f.primary.loc.file);
        let n = f
            .message
            .split('-')
            .nth(1)
            .and_then(|s| s.split('`').next());
        assert!(
            n.is_some_and(
                |n| file.ends_with(&format!("f{:02}.yaml", n.parse::<usize>().unwrap_or(99)))
            ),
            "{file}: {}",
            f.message
        );
    }
    assert_eq!(
        o.findings
            .iter()
            .filter(|f| f.rule == "missing-purpose")
            .count(),
        40
    );
    // The note reader read its file, named its language, and paired the sibling in.
    let notes: Vec<(&str, &str)> = o
        .findings
        .iter()
        .filter(|f| f.rule == "invalid-file")
        .map(|f| (o.sources.display(f.primary.loc.file), &*f.message))
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].0.ends_with("g.note"));
    assert_eq!(notes[0].1, "note: hello + note: world");
    let languages: Vec<Language> = o
        .sources
        .iter()
        .filter(|(_, f)| f.display.contains("g.note") || f.display.ends_with("f00.yaml"))
        .map(|(_, f)| f.language)
        .collect();
    assert_eq!(
        languages,
        [
            Language::Yaml,
            Language::Other("note"),
            Language::Other("note")
        ]
    );
    // 40 forms and the note are checked; the paired extra file is not counted.
    assert_eq!(o.summary.files, 42);
    assert_eq!(o.summary.skipped, 1);
}
