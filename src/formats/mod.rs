//! Readers: turn files into the model. Each file is read, parsed into a spanned tree,
//! and each document recognised as creeplint's is validated and converted. Problems
//! with a file become `Problem`s with spans; nothing here knows about rules.

pub mod native;
pub mod schema;
pub mod tree;

use std::path::PathBuf;
use std::sync::OnceLock;

use regex::Regex;

use crate::finding::Label;
use crate::model::{DataDecl, Form, ItemAllow, Personalization, Project};
use crate::source::{FileId, Loc, SourceFile, Sources, Span};

/// Files larger than this are not parsed: no form or rule file is anywhere near it.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A problem with a file, at a place in it: becomes an `invalid-file` finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub loc: Loc,
    pub message: String,
    pub help: Option<String>,
    pub labels: Vec<Label>,
}

impl Problem {
    pub fn new(loc: Loc, message: impl Into<String>) -> Self {
        Self {
            loc,
            message: message.into(),
            help: None,
            labels: Vec::new(),
        }
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn label(mut self, loc: Loc, message: impl Into<String>) -> Self {
        self.labels.push(Label::new(loc, message));
        self
    }
}

/// What one file contributes to the project.
#[derive(Debug, Default)]
pub struct FileModel {
    pub forms: Vec<Form>,
    pub data: Vec<DataDecl>,
    pub personalizations: Vec<Personalization>,
    pub allows: Vec<ItemAllow>,
}

/// The outcome of reading one file.
#[derive(Debug)]
pub struct ReadFile {
    pub source: SourceFile,
    pub model: FileModel,
    pub problems: Vec<Problem>,
    /// Documents that are creeplint's (read or reported).
    pub documents: usize,
}

/// Everything read in one run.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Sources,
    pub project: Project,
    pub problems: Vec<Problem>,
}

/// A `kind:` line naming a native kind or a near miss, found in raw text: used to decide
/// whether a file that cannot be parsed is creeplint's (report it) or not (skip it).
fn kind_line(text: &str) -> Option<Span> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let re = RE
        .get_or_init(|| {
            Regex::new(r#"(?m)(?:^|[\s{,])["']?kind["']?[ \t]*:[ \t]*["']?([A-Za-z_-]+)"#).ok()
        })
        .as_ref()?;
    re.captures_iter(text).find_map(|c| {
        let m = c.get(1)?;
        native::classify_kind(m.as_str()).map(|_| Span::new(m.start(), m.len()))
    })
}

pub(crate) fn is_json(path: &std::path::Path, text: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{')
}

/// Read, parse and convert one file. Never fails: problems are returned as data.
pub fn read_file(path: PathBuf, file: FileId) -> ReadFile {
    let at = |span| Loc { file, span };
    let mut out = ReadFile {
        source: SourceFile::new(path.clone(), String::new()),
        model: FileModel::default(),
        problems: Vec::new(),
        documents: 0,
    };
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES {
        // Look only at the head to tell whether it is ours; never parse it.
        let head = read_head(&path, 64 * 1024);
        if let Some(kind) = kind_line(&head) {
            out.source = SourceFile::new(path, head);
            out.documents = 1;
            out.problems.push(
                Problem::new(
                    at(kind),
                    format!(
                        "this file is {:.1} MiB, over the {} MiB budget for a creeplint file",
                        size as f64 / 1_048_576.0,
                        MAX_FILE_BYTES / 1_048_576
                    ),
                )
                .help("split it into several files; creeplint reads every file of a folder"),
            );
        }
        return out;
    }
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            out.documents = 1;
            out.problems.push(
                Problem::new(at(Span::default()), format!("cannot read this file: {e}"))
                    .help("check that the file exists and that you may read it"),
            );
            return out;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            if kind_line(&lossy).is_some() {
                out.source = SourceFile::new(path, lossy);
                out.documents = 1;
                out.problems.push(
                    Problem::new(
                        at(Span::new(bad, '\u{fffd}'.len_utf8())),
                        "this file is not valid UTF-8",
                    )
                    .help("save the file as UTF-8"),
                );
            }
            return out;
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    out.source = SourceFile::new(path, text);
    let json = is_json(&out.source.path, &out.source.text);
    for doc in tree::parse(&out.source.text, json) {
        let node = match doc.result {
            Ok(node) => node,
            Err(e) => {
                let doc_text = out.source.slice(doc.span).unwrap_or("");
                if kind_line(doc_text).is_some() {
                    out.documents += 1;
                    out.problems.push(
                        Problem::new(
                            at(e.span),
                            format!("{} {}", if json { "JSON" } else { "YAML" }, e.message),
                        )
                        .help("fix the syntax; the other files are still checked"),
                    );
                }
                continue;
            }
        };
        match native::detect(&node) {
            native::Detected::NotOurs => {}
            native::Detected::NearMiss { got, meant, span } => {
                out.documents += 1;
                out.problems.push(
                    Problem::new(at(span), format!("unknown kind `{got}`: did you mean `{meant}`?"))
                        .help(format!(
                            "creeplint reads `kind: form`, `kind: data` and `kind: personalization`; write `kind: {meant}` so this file is checked"
                        )),
                );
            }
            native::Detected::Native(kind) => {
                out.documents += 1;
                out.problems.extend(schema::validate(kind, &node, file));
                let mut reader = native::Reader {
                    file,
                    text: &out.source.text,
                    problems: Vec::new(),
                    allows: Vec::new(),
                };
                reader.read(kind, &node, &mut out.model);
                out.problems.extend(reader.problems);
                out.model.allows.extend(reader.allows);
            }
        }
    }
    out
}

fn read_head(path: &std::path::Path, limit: usize) -> String {
    use std::io::Read;
    let mut buf = Vec::new();
    if let Ok(f) = std::fs::File::open(path) {
        let _ = f.take(limit as u64).read_to_end(&mut buf);
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// Read every file (in parallel), then merge in path order into one project.
pub fn load(paths: Vec<PathBuf>) -> Loaded {
    let results = read_all(paths);
    let mut loaded = Loaded::default();
    for r in results {
        let id = loaded.sources.add(r.source);
        if r.documents == 0 {
            loaded.project.skipped += 1;
        } else {
            loaded.project.files_checked.push(id);
        }
        loaded.project.forms.extend(r.model.forms);
        loaded.project.data.extend(r.model.data);
        loaded
            .project
            .personalizations
            .extend(r.model.personalizations);
        loaded.project.allows.extend(r.model.allows);
        loaded.problems.extend(r.problems);
    }
    loaded.problems.extend(duplicate_ids(&loaded.project));
    loaded
}

fn read_all(paths: Vec<PathBuf>) -> Vec<ReadFile> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads <= 1 || paths.len() < 16 {
        return paths
            .into_iter()
            .enumerate()
            .map(|(i, p)| read_file(p, FileId(i)))
            .collect();
    }
    let indexed: Vec<(usize, PathBuf)> = paths.into_iter().enumerate().collect();
    let chunk = indexed.len().div_ceil(threads);
    let mut results: Vec<(usize, ReadFile)> = std::thread::scope(|scope| {
        let handles: Vec<_> = indexed
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(i, p)| (*i, read_file(p.clone(), FileId(*i))))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Ids that must be unique: forms and personalizations across the project, fields
/// within a form, data items across data files.
fn duplicate_ids(project: &Project) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut check = |what: &str, ids: Vec<&crate::model::Text>| {
        let mut seen: std::collections::BTreeMap<&str, Loc> = std::collections::BTreeMap::new();
        for id in ids {
            match seen.get(id.value.as_str()) {
                Some(first) => problems.push(
                    Problem::new(id.loc, format!("duplicate {what} id `{}`", id.value))
                        .label(*first, "first declared here")
                        .help(format!("give each {what} its own id")),
                ),
                None => {
                    seen.insert(&id.value, id.loc);
                }
            }
        }
    };
    check("form", project.forms.iter().map(|f| &f.id).collect());
    check("data item", project.data.iter().map(|d| &d.id).collect());
    check(
        "personalization",
        project.personalizations.iter().map(|p| &p.id).collect(),
    );
    for form in &project.forms {
        check("field", form.fields.iter().map(|f| &f.id).collect());
    }
    problems
}
