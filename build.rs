//! Embeds every file under `rules/` (rule docs, term lists, their schemas) into the
//! binary, so adding a term list or a language needs no Rust change.
//!
//! Each YAML file is also embedded as JSON, converted here once: a run reads the term
//! lists and patterns at start-up, and JSON parses about ten times faster than YAML
//! (3 ms of a one-file check went to parsing these YAML files). The YAML stays the
//! source of truth: a file that does not convert is embedded without JSON, and the run
//! reads (and reports) its YAML as before.
//!
//! The term lists of `rules/vocab/` are also prepared here, into `vocab.rs`: every
//! term's forms, normalised words and the first-word indexes (of each list and of the
//! sensitive lists together) as static tables, with the code the run uses for a list
//! it reads itself (`src/vocab/prepare.rs`). A run then builds no term at start-up
//! (building the 3,800 terms was most of a one-file check). A list that does not
//! parse is left out, and the run reads it, and reports its errors, as before.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/vocab/prepare.rs"]
mod prepare;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "json")
        ) {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&rules, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Every file under `rules/`, by its path relative to `rules/`.\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f
            .strip_prefix(&rules)
            .unwrap_or(f)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let _ = writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            f.display().to_string()
        );
    }
    code.push_str("];\n");
    code.push_str(
        "/// The JSON form of each YAML file of `FILES` (same order), when it converts.\npub static JSON: &[Option<&str>] = &[\n",
    );
    for f in &files {
        let json = (f.extension().and_then(|e| e.to_str()) == Some("yaml"))
            .then(|| std::fs::read_to_string(f).ok())
            .flatten()
            .and_then(|text| serde_saphyr::from_str::<serde_json::Value>(&text).ok())
            .and_then(|value| serde_json::to_string(&value).ok());
        let _ = writeln!(code, "    {json:?},");
    }
    code.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    write(&out_dir.join("embedded.rs"), &code);
    println!("cargo:rerun-if-changed=src/vocab/prepare.rs");
    write(&out_dir.join("vocab.rs"), &vocab(&rules, &files));
}

fn write(path: &Path, code: &str) {
    if let Err(e) = std::fs::write(path, code) {
        println!("cargo:warning=cannot write {}: {e}", path.display());
    }
}

/// A list of `rules/vocab/` with its terms' forms, as the run's `TermList` holds them.
struct List {
    path: String,
    file: prepare::ListFile,
    terms: Vec<(prepare::Form, String)>,
    excludes: Vec<(prepare::Form, String)>,
}

/// The forms of a list's terms or exclusions, in the order `TermList::add` and
/// `TermList::add_exclusion` push them.
fn forms(terms: &BTreeMap<String, Vec<String>>, exclusion: bool) -> Vec<(prepare::Form, String)> {
    let mut out = Vec::new();
    for (lang, terms) in terms {
        for t in terms {
            out.extend(
                prepare::forms(t, exclusion)
                    .into_iter()
                    .map(|f| (f, lang.clone())),
            );
        }
    }
    out
}

/// The first-word index of forms, as the run's `index` builds it: each first word
/// with the forms that start with it (in order), and the one-word prefixes.
fn first_index(forms: &[(prepare::Form, String)]) -> (BTreeMap<&str, Vec<usize>>, Vec<usize>) {
    let mut by_first: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut anywhere = Vec::new();
    for (i, (f, _)) in forms.iter().enumerate() {
        if f.starts_anywhere() {
            anywhere.push(i);
        } else if let Some(first) = f.words.first() {
            by_first.entry(first).or_default().push(i);
        }
    }
    (by_first, anywhere)
}

fn term_literal(code: &mut String, (f, lang): &(prepare::Form, String)) {
    let words: Vec<String> = f
        .words
        .iter()
        .map(|w| format!("Cow::Borrowed({w:?})"))
        .collect();
    let _ = writeln!(
        code,
        "        Term {{ text: Cow::Borrowed({:?}), lang: Cow::Borrowed({lang:?}), words: Cow::Borrowed(&[{}]), prefix: {} }},",
        f.text,
        words.join(", "),
        f.prefix
    );
}

fn index_literal(code: &mut String, forms: &[(prepare::Form, String)]) {
    let (by_first, anywhere) = first_index(forms);
    code.push_str("PreparedIndex { words: &[");
    for (w, at) in &by_first {
        let _ = write!(code, "({w:?}, &{at:?}), ");
    }
    let _ = write!(code, "], anywhere: &{anywhere:?} }}");
}

/// `vocab.rs`: the lists of `rules/vocab/` that parse, as static tables.
fn vocab(rules: &Path, files: &[PathBuf]) -> String {
    let mut lists = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(rules)
            .unwrap_or(f)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if !rel.starts_with("vocab/") || !rel.ends_with(".yaml") {
            continue;
        }
        let Some(file) = std::fs::read_to_string(f)
            .ok()
            .and_then(|text| serde_saphyr::from_str::<prepare::ListFile>(&text).ok())
        else {
            continue;
        };
        lists.push(List {
            path: rel,
            terms: forms(&file.terms, false),
            excludes: forms(&file.exclude, true),
            file,
        });
    }
    let mut code = String::from("pub(super) static LISTS: &[Prepared] = &[\n");
    for l in &lists {
        let _ = writeln!(
            code,
            "Prepared {{ path: {:?}, name: {:?}, description: {:?},",
            l.path, l.file.name, l.file.description
        );
        code.push_str("    terms: &[\n");
        for t in &l.terms {
            term_literal(&mut code, t);
        }
        code.push_str("    ],\n    excludes: &[\n");
        for t in &l.excludes {
            term_literal(&mut code, t);
        }
        code.push_str("    ],\n    by_first: ");
        index_literal(&mut code, &l.terms);
        code.push_str(",\n    excludes_by_first: ");
        index_literal(&mut code, &l.excludes);
        code.push_str(",\n},\n");
    }
    code.push_str("];\n");
    // The sensitive lists' combined index, in the order of their names (the run's
    // categories), as `CombinedIndex::new` builds it.
    let mut sensitive: Vec<&List> = lists
        .iter()
        .filter(|l| l.path.starts_with("vocab/sensitive/"))
        .collect();
    sensitive.sort_by(|a, b| a.file.name.cmp(&b.file.name));
    let mut words: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    let mut anywhere = Vec::new();
    for (li, l) in sensitive.iter().enumerate() {
        let (by_first, prefixes) = first_index(&l.terms);
        for (w, at) in by_first {
            words
                .entry(w)
                .or_default()
                .extend(at.into_iter().map(|t| (li, t)));
        }
        for t in prefixes {
            if let Some(first) = l.terms.get(t).and_then(|(f, _)| f.words.first()) {
                anywhere.push(format!("(Cow::Borrowed({first:?}), {li}, {t})"));
            }
        }
    }
    let names: Vec<&str> = sensitive.iter().map(|l| l.file.name.as_str()).collect();
    let _ = write!(
        code,
        "pub(super) static SENSITIVE: PreparedCombined = PreparedCombined {{\n    lists: &{names:?},\n    words: &["
    );
    for (w, at) in &words {
        let _ = write!(code, "({w:?}, &{at:?}), ");
    }
    let _ = writeln!(code, "],\n    anywhere: &[{}],\n}};", anywhere.join(", "));
    code
}
