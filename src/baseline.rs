//! Baselines: the findings a project accepted on the day it adopted creeplint, so only
//! new ones are reported. A finding is identified by its rule, its file's display path
//! and its position-free `subject`, plus an occurrence index among identical ones, never
//! by line numbers, so a baseline survives lines moving and items being added.
//!
//! A baseline file names the files under its own folder relative to that folder (and
//! other files under the configuration's folder relative to that one), so it matches
//! whichever folder creeplint is run from; written from the project root with the
//! baseline at the root, they are the paths the output shows, as in every baseline
//! written before. A file under neither is named as the output shows it.
//!
//! The file is JSON, sorted, one entry per finding:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {"rule": "location-trigger", "file": "campaigns.yaml", "subject": "near-store-sms geo.position", "occurrence": 0}
//!   ]
//! }
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use foldhash::fast::FixedState;
use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::io::absolute;
use crate::source::{FileId, Sources};

pub const VERSION: u32 = 1;

/// What identifies a finding across edits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    pub file: String,
    pub subject: String,
    /// Among findings with the same rule, file and subject, in file order.
    #[serde(default)]
    pub occurrence: usize,
}

impl Entry {
    /// A short stable hash of the entry (FNV-1a, 64 bits), for SARIF `partialFingerprints`.
    pub fn fingerprint(&self) -> String {
        let h = fingerprint(&self.rule, &self.file, &self.subject, self.occurrence);
        format!("{h:016x}")
    }
}

/// FNV-1a (64 bits) of the rule, file, subject and occurrence (in decimal), each
/// followed by a zero byte.
fn fingerprint(rule: &str, file: &str, subject: &str, occurrence: usize) -> u64 {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut n = occurrence;
    for d in digits.iter_mut().rev() {
        // `n % 10` is below 10.
        *d = b'0' + (n % 10) as u8;
        n /= 10;
        start -= 1;
        if n == 0 {
            break;
        }
    }
    let occurrence = digits.get(start..).unwrap_or_default();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [
        rule.as_bytes(),
        file.as_bytes(),
        subject.as_bytes(),
        occurrence,
    ] {
        for &b in part.iter().chain(std::iter::once(&0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The fingerprint of each of `findings`, as [`Entry::fingerprint`] of [`entries`] gives
/// it (a number here), without building the entries: the rule and the path are borrowed
/// and only the subject is made per finding, for the SARIF output (issue 14).
pub fn fingerprints<'f>(
    sources: &Sources,
    findings: impl Iterator<Item = &'f Finding>,
) -> Vec<u64> {
    // With no bases, a finding's path in `entries` is its file's display path. The
    // subjects are counted per rule and file, looked up by `&str`.
    type Counts = HashMap<String, usize, FixedState>;
    let mut seen: HashMap<(&'static str, &str), Counts, FixedState> = HashMap::default();
    findings
        .map(|f| {
            let rule = f.rule.name();
            let file = sources.display(f.primary.loc.file);
            let subject = crate::clip::subject(f.subject.to_string());
            let counts = seen.entry((rule, file)).or_default();
            match counts.get_mut(subject.as_str()) {
                Some(n) => {
                    *n += 1;
                    fingerprint(rule, file, &subject, *n)
                }
                None => {
                    let first = fingerprint(rule, file, &subject, 0);
                    counts.insert(subject, 0);
                    first
                }
            }
        })
        .collect()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
    /// The folders the entries' paths are relative to, in order: the baseline file's
    /// own (set by [`Baseline::load`]), then the configuration's. A file under none is
    /// named as the output shows it (relative to the current folder).
    #[serde(skip)]
    pub bases: Vec<PathBuf>,
}

/// Findings compared with a baseline ([`Baseline::compare`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Per finding, in order: true when the baseline records it (unchanged), false when
    /// it is new.
    pub known: Vec<bool>,
    /// The entries no finding matched, sorted: fixed since the baseline was written.
    pub fixed: Vec<Entry>,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read the baseline {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("the baseline {path} is not a creeplint baseline: {reason}")]
    Invalid { path: String, reason: String },
    #[error("cannot write the baseline {path}: {reason}")]
    Write { path: String, reason: String },
}

/// The entry of each finding, in the order given (which must be the sorted order, so
/// occurrence indexes follow the file), with paths as the output shows them (SARIF
/// fingerprints).
pub fn entries(sources: &Sources, findings: &[Finding]) -> Vec<Entry> {
    entries_from(sources, findings, &[])
}

/// [`entries`] with paths relative to the first of `bases` a file is under.
fn entries_from(sources: &Sources, findings: &[Finding], bases: &[PathBuf]) -> Vec<Entry> {
    let mut paths: BTreeMap<FileId, String> = BTreeMap::new();
    let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    findings
        .iter()
        .map(|f| {
            let file = f.primary.loc.file;
            let path = paths
                .entry(file)
                .or_insert_with(|| path_from(sources, file, bases))
                .clone();
            let key = (
                f.rule.name().to_string(),
                path,
                // A 2 MB id must not make a 2 MB baseline entry per finding.
                crate::clip::subject(f.subject.to_string()),
            );
            let n = seen.entry(key.clone()).or_insert(0);
            let occurrence = *n;
            *n += 1;
            Entry {
                rule: key.0,
                file: key.1,
                subject: key.2,
                occurrence,
            }
        })
        .collect()
}

/// A file's path relative to the first of `bases` it is under, or as the output shows it.
fn path_from(sources: &Sources, file: FileId, bases: &[PathBuf]) -> String {
    let Some(f) = sources.get(file) else {
        return sources.display(file).to_string();
    };
    let path = absolute(&f.path);
    bases
        .iter()
        .find_map(|base| under(&path, base))
        .unwrap_or_else(|| f.display.clone())
}

/// `path` relative to the folder `base` when it lies under it, `/`-separated.
fn under(path: &Path, base: &Path) -> Option<String> {
    let rest = path.strip_prefix(base).ok()?;
    let parts: Vec<String> = rest
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The folder of a baseline file.
fn folder_of(path: &Path) -> PathBuf {
    absolute(path)
        .parent()
        .map_or_else(|| PathBuf::from("/"), Path::to_path_buf)
}

impl Baseline {
    /// The baseline of these findings with paths as the output shows them.
    pub fn from_findings(sources: &Sources, findings: &[Finding]) -> Self {
        Self::from_entries(entries(sources, findings), Vec::new())
    }

    /// The baseline to be written at `path`, with the configuration file in use:
    /// paths relative to the baseline's folder, else to the configuration's.
    pub fn for_file(
        path: &Path,
        config: Option<&Path>,
        sources: &Sources,
        findings: &[Finding],
    ) -> Self {
        let mut b = Self::from_entries(Vec::new(), Vec::new())
            .based_at(path)
            .with_config(config);
        b.findings = entries_from(sources, findings, &b.bases);
        b.findings.sort();
        b
    }

    fn from_entries(mut findings: Vec<Entry>, bases: Vec<PathBuf>) -> Self {
        findings.sort();
        Self {
            version: VERSION,
            findings,
            bases,
        }
    }

    fn based_at(mut self, path: &Path) -> Self {
        self.bases.insert(0, folder_of(path));
        self
    }

    /// Files outside the baseline's folder are named relative to the folder of this
    /// configuration file, when they are under it.
    pub fn with_config(mut self, config: Option<&Path>) -> Self {
        if let Some(c) = config {
            let folder = folder_of(c);
            if !self.bases.contains(&folder) {
                self.bases.push(folder);
            }
        }
        self
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    pub fn parse(path: &str, text: &str) -> Result<Self, BaselineError> {
        let b: Baseline = serde_json::from_str(text).map_err(|e| BaselineError::Invalid {
            path: path.to_string(),
            reason: e.to_string(),
        })?;
        if b.version != VERSION {
            return Err(BaselineError::Invalid {
                path: path.to_string(),
                reason: format!(
                    "version {} is not supported (this creeplint writes version {VERSION})",
                    b.version
                ),
            });
        }
        Ok(b)
    }

    pub fn load(path: &Path) -> Result<Self, BaselineError> {
        let shown = crate::source::display_path(path);
        let text = crate::io::read_regular_text(path, crate::io::MAX_FILE_BYTES).map_err(|e| {
            BaselineError::Read {
                path: shown.clone(),
                reason: e.to_string(),
            }
        })?;
        Ok(Self::parse(&shown, &text)?.based_at(path))
    }

    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        std::fs::write(path, self.to_json()).map_err(|e| BaselineError::Write {
            path: crate::source::display_path(path),
            reason: e.to_string(),
        })
    }

    /// Compare sorted findings with the baseline without hiding any (the report's
    /// comparison): which findings it records, and which of its entries matched none.
    pub fn compare(&self, sources: &Sources, findings: &[Finding]) -> Comparison {
        let mut remaining: BTreeMap<&Entry, usize> = BTreeMap::new();
        for e in &self.findings {
            *remaining.entry(e).or_insert(0) += 1;
        }
        let keys = entries_from(sources, findings, &self.bases);
        // Baselines written before paths were relative to their folder hold the paths
        // the output showed; from the folder they were written in, those still match.
        let shown = match self.bases.is_empty() {
            false => entries(sources, findings),
            true => Vec::new(),
        };
        let known = keys
            .iter()
            .enumerate()
            .map(|(i, key)| {
                let matched = [Some(key), shown.get(i)]
                    .into_iter()
                    .flatten()
                    .find(|k| remaining.get(*k).is_some_and(|n| *n > 0));
                match matched.and_then(|k| remaining.get_mut(k)) {
                    Some(n) => {
                        *n -= 1;
                        true
                    }
                    None => false,
                }
            })
            .collect();
        let fixed = remaining
            .into_iter()
            .flat_map(|(e, n)| std::iter::repeat_n(e.clone(), n))
            .collect();
        Comparison { known, fixed }
    }

    /// Split sorted findings into the new ones (kept) and a count of those the baseline
    /// hides; also returns how many entries matched nothing (fixed since).
    pub fn filter(
        &self,
        sources: &Sources,
        findings: Vec<Finding>,
    ) -> (Vec<Finding>, usize, usize) {
        let c = self.compare(sources, &findings);
        let hidden = c.known.iter().filter(|k| **k).count();
        let kept = findings
            .into_iter()
            .zip(&c.known)
            .filter(|(_, known)| !**known)
            .map(|(f, _)| f)
            .collect();
        (kept, hidden, c.fixed.len())
    }

    /// How many entries name a file this run did not read (under either reading of
    /// their paths): when most do, the baseline was written for other paths.
    pub fn unread(&self, sources: &Sources) -> usize {
        let mut read: BTreeSet<String> = BTreeSet::new();
        for (id, f) in sources.iter() {
            read.insert(f.display.clone());
            read.insert(path_from(sources, id, &self.bases));
        }
        self.findings
            .iter()
            .filter(|e| !read.contains(&e.file))
            .count()
    }

    /// The warning for a run in which most entries name files it did not read: the
    /// baseline was probably written from another folder, or before files moved.
    pub fn mismatch_warning(&self, sources: &Sources, fixed: usize) -> Option<String> {
        let unread = self.unread(sources).min(fixed);
        let total = self.findings.len();
        if unread < 3 || unread * 2 <= total {
            return None;
        }
        let folder = self
            .bases
            .first()
            .map_or_else(|| ".".to_string(), |b| crate::source::display_path(b));
        Some(format!(
            "warning: {unread} of {total} baseline entries name files this run did not read; \
             the baseline was probably written for other paths (from another folder, or \
             before files moved). Its paths are relative to its folder `{folder}`: check the \
             same files, or rewrite it with --write-baseline"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_a_folder() {
        let rel = |p: &str, b: &str| under(&absolute(Path::new(p)), &absolute(Path::new(b)));
        assert_eq!(
            rel("campaigns.yaml", ".").as_deref(),
            Some("campaigns.yaml")
        );
        assert_eq!(rel("./forms/a.yaml", "").as_deref(), Some("forms/a.yaml"));
        assert_eq!(
            rel("app/forms/a.yaml", "app").as_deref(),
            Some("forms/a.yaml")
        );
        assert_eq!(rel("app/x.yaml", "app/ci/..").as_deref(), Some("x.yaml"));
        assert_eq!(
            rel("/srv/app/x.yaml", "/srv/app").as_deref(),
            Some("x.yaml")
        );
        assert_eq!(rel("campaigns.yaml", "ci"), None);
        assert_eq!(rel("/srv/x.yaml", "/srv/app"), None);
        assert_eq!(rel("/srv/app", "/srv/app"), None);
    }
}
