//! Embeds every file under `rules/` (rule docs, term lists, their schemas) into the
//! binary, so adding a term list or a language needs no Rust change.
//!
//! Each YAML file is also embedded as JSON, converted here once: a run reads the term
//! lists and patterns at start-up, and JSON parses about ten times faster than YAML
//! (3 ms of a one-file check went to parsing these YAML files). The YAML stays the
//! source of truth: a file that does not convert is embedded without JSON, and the run
//! reads (and reports) its YAML as before.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

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
    let out =
        PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("embedded.rs");
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
}
