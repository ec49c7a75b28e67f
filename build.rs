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

#[path = "src/rules/params/written.rs"]
mod written;

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
    println!("cargo:rerun-if-changed=src/rules/params/written.rs");
    write(&out_dir.join("params.rs"), &params(&rules, &files));
    println!("cargo:rerun-if-changed=src/vocab/prepare.rs");
    write(&out_dir.join("vocab.rs"), &vocab(&rules, &files));
}

/// The `parameters:` of every rule doc (`rules/*.yaml`) as static values, so that a run
/// parses no rule doc for them; a doc that does not read is `None` (the run reads it,
/// and reports its errors, as before).
fn params(rules: &Path, files: &[PathBuf]) -> String {
    let mut code = String::from("static PREPARED: &[(&str, Option<Prepared>)] = &[\n");
    for f in files {
        if f.parent() != Some(rules) || f.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let Some(rule) = f.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let p = std::fs::read_to_string(f)
            .ok()
            .and_then(|text| serde_saphyr::from_str::<written::Doc>(&text).ok())
            .map(|doc| doc.parameters)
            // A number Rust cannot write as a literal is left to the run.
            .filter(|p| p.precise_radius_m.is_none_or(f64::is_finite));
        let Some(p) = p else {
            let _ = writeln!(code, "    ({rule:?}, None),");
            continue;
        };
        let _ = writeln!(
            code,
            "    ({rule:?}, Some(Prepared {{ precise_radius_m: {:?}, place_events: &{:?}, \
             geofence_words: &{:?}, contact_words: &{:?}, min_words: {:?}, default_limits: &{:?} }})),",
            p.precise_radius_m,
            p.place_events,
            p.geofence_words,
            p.contact_words,
            p.min_words,
            p.default_limits.iter().collect::<Vec<_>>(),
        );
    }
    code.push_str("];\n");
    code
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

/// The tables of `vocab.rs`, without pointers: strings are places in `text`, words,
/// terms and postings places in their tables (so the binary needs no relocation for
/// them). Code is the Rust text of each table's entries.
#[derive(Default)]
struct Tables {
    text: String,
    strings: BTreeMap<String, (usize, usize)>,
    words: Vec<String>,
    terms: Vec<String>,
    keys: Vec<String>,
    postings: Vec<String>,
    slots: Vec<u64>,
}

impl Tables {
    /// `p(at, len)`: a string, placed in the text once.
    fn str(&mut self, s: &str) -> String {
        let (at, len) = match self.strings.get(s) {
            Some(r) => *r,
            None => {
                let r = (self.text.len(), s.len());
                self.text.push_str(s);
                self.strings.insert(s.to_string(), r);
                r
            }
        };
        format!("p({at}, {len})")
    }

    /// The forms as terms; their place in `TERMS`.
    fn terms(&mut self, forms: &[(prepare::Form, String)]) -> String {
        let at = self.terms.len();
        for (f, lang) in forms {
            let w = self.words.len();
            for word in &f.words {
                let word = self.str(word);
                self.words.push(word);
            }
            let text = self.str(&f.text);
            let lang = self.str(lang);
            self.terms.push(format!(
                "t({text}, {lang}, ({w}, {}), {})",
                f.words.len(),
                f.prefix
            ));
        }
        format!("({at}, {})", forms.len())
    }

    /// The first-word table of the forms: the places of its words in `KEYS` and of
    /// their slots in `SLOTS`, and the place of its one-word prefixes in `POSTINGS`.
    fn index(&mut self, forms: &[(prepare::Form, String)]) -> (String, String) {
        let (by_first, anywhere) = first_index(forms);
        let k = self.keys.len();
        for (word, at) in &by_first {
            let postings = self.postings(at);
            let word = self.str(word);
            self.keys.push(format!("({word}, {postings})"));
        }
        let words: Vec<&str> = by_first.keys().copied().collect();
        let table = format!("(({k}, {}), {})", by_first.len(), self.slots(&words));
        (table, self.postings(&anywhere))
    }

    /// The open-addressing slots of a table of `keys`: their place in `SLOTS`.
    fn slots(&mut self, keys: &[&str]) -> String {
        let at = self.slots.len();
        let slots = slots(keys);
        self.slots.extend(&slots);
        format!("({at}, {})", slots.len())
    }

    fn postings(&mut self, at: &[usize]) -> String {
        let p = self.postings.len();
        self.postings.extend(at.iter().map(usize::to_string));
        format!("({p}, {})", at.len())
    }
}

/// The open-addressing slots of a first-word table of `keys`, as the run's
/// `Table::get` reads them: twice as many slots as keys (a power of two), each 0
/// (empty) or a key's place + 1 with the high half of its hash above it (compared
/// before the key), placed by `prepare::word_hash` and linear probing.
fn slots<S: AsRef<str>>(keys: &[S]) -> Vec<u64> {
    if keys.is_empty() {
        return Vec::new();
    }
    let n = (2 * keys.len()).next_power_of_two();
    let mut slots = vec![0u64; n];
    for (k, key) in keys.iter().enumerate() {
        let h = prepare::word_hash(key.as_ref());
        let mut i = h as usize & (n - 1);
        while slots.get(i).is_some_and(|s| *s != 0) {
            i = (i + 1) & (n - 1);
        }
        if let Some(s) = slots.get_mut(i) {
            *s = (h & 0xffff_ffff_0000_0000) | (k as u64 + 1);
        }
    }
    slots
}

fn table(code: &mut String, name: &str, ty: &str, rows: &[String]) {
    let _ = writeln!(
        code,
        "pub(super) static {name}: [{ty}; {}] = [{}];",
        rows.len(),
        rows.join(",\n")
    );
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
    let mut tables = Tables::default();
    let mut code = String::from("pub(super) static LISTS: &[Prepared] = &[\n");
    for l in &lists {
        let terms = tables.terms(&l.terms);
        let excludes = tables.terms(&l.excludes);
        let (by_first, anywhere) = tables.index(&l.terms);
        let (excludes_by_first, excludes_anywhere) = tables.index(&l.excludes);
        let _ = writeln!(
            code,
            "Prepared {{ path: {:?}, name: {:?}, description: {:?}, terms: {terms}, excludes: {excludes}, by_first: {by_first}, anywhere: {anywhere}, excludes_by_first: {excludes_by_first}, excludes_anywhere: {excludes_anywhere} }},",
            l.path, l.file.name, l.file.description
        );
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
                anywhere.push(format!("({}, {li}, {t})", tables.str(first)));
            }
        }
    }
    let mut keys = Vec::new();
    let mut postings = Vec::new();
    for (w, at) in &words {
        keys.push(format!(
            "({}, ({}, {}))",
            tables.str(w),
            postings.len(),
            at.len()
        ));
        postings.extend(at.iter().map(|(li, t)| format!("({li}, {t})")));
    }
    let names: Vec<&str> = sensitive.iter().map(|l| l.file.name.as_str()).collect();
    let slots = tables.slots(&words.keys().copied().collect::<Vec<_>>());
    let _ = writeln!(
        code,
        "pub(super) static SENSITIVE: PreparedCombined = PreparedCombined {{ lists: &{names:?}, keys: (0, {}), slots: {slots}, anywhere: (0, {}) }};",
        keys.len(),
        anywhere.len()
    );
    table(&mut code, "SENSITIVE_KEYS", "(Str, Range32)", &keys);
    table(&mut code, "SENSITIVE_POSTINGS", "(usize, usize)", &postings);
    table(
        &mut code,
        "SENSITIVE_ANYWHERE",
        "(Str, usize, usize)",
        &anywhere,
    );
    table(&mut code, "WORDS", "Str", &tables.words);
    table(&mut code, "TERMS", "Term", &tables.terms);
    table(&mut code, "KEYS", "(Str, Range32)", &tables.keys);
    table(&mut code, "POSTINGS", "usize", &tables.postings);
    let slots: Vec<String> = tables.slots.iter().map(u64::to_string).collect();
    table(&mut code, "SLOTS", "u64", &slots);
    let _ = writeln!(code, "pub(super) const TEXT: &str = {:?};", tables.text);
    code
}
