//! Baselines: the findings a project accepted on the day it adopted creeplint, so only
//! new ones are reported. A finding is identified by its rule, its file's display path
//! and its position-free `subject`, plus an occurrence index among identical ones, never
//! by line numbers, so a baseline survives lines moving and items being added.
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

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::source::Sources;

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
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let occurrence = self.occurrence.to_string();
        for part in [&self.rule, &self.file, &self.subject, &occurrence] {
            for b in part.bytes().chain(std::iter::once(0)) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("{h:016x}")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
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
/// occurrence indexes follow the file).
pub fn entries(sources: &Sources, findings: &[Finding]) -> Vec<Entry> {
    let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    findings
        .iter()
        .map(|f| {
            let key = (
                f.rule.name().to_string(),
                sources.display(f.primary.loc.file).to_string(),
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

impl Baseline {
    pub fn from_findings(sources: &Sources, findings: &[Finding]) -> Self {
        let mut findings = entries(sources, findings);
        findings.sort();
        Self {
            version: VERSION,
            findings,
        }
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
        Self::parse(&shown, &text)
    }

    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        std::fs::write(path, self.to_json()).map_err(|e| BaselineError::Write {
            path: crate::source::display_path(path),
            reason: e.to_string(),
        })
    }

    /// Split sorted findings into the new ones (kept) and a count of those the baseline
    /// hides; also returns how many entries matched nothing (fixed since).
    pub fn filter(
        &self,
        sources: &Sources,
        findings: Vec<Finding>,
    ) -> (Vec<Finding>, usize, usize) {
        let mut remaining: BTreeMap<&Entry, usize> = BTreeMap::new();
        for e in &self.findings {
            *remaining.entry(e).or_insert(0) += 1;
        }
        let keys = entries(sources, &findings);
        let mut kept = Vec::new();
        let mut hidden = 0;
        for (f, key) in findings.into_iter().zip(keys) {
            match remaining.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    hidden += 1;
                }
                _ => kept.push(f),
            }
        }
        let fixed = remaining.values().sum();
        (kept, hidden, fixed)
    }
}
