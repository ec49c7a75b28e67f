//! What identifies a rule wherever its findings travel: its record (name, default
//! severity, concern, options), written once in the rule's own file, and the
//! [`RuleId`] every finding carries instead of a free string.

use std::fmt;

use serde::Serialize;

use crate::finding::Severity;

/// What a finding is about, in the words of the people who read the report: every
/// rule names its concern in its record, so the report groups findings without a
/// catalogue of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Concern {
    Purpose,
    NotVolunteered,
    Location,
    Sensitive,
    Engagement,
    FileProblems,
    /// Only for names no registered rule has; a rule's record never uses it (tested).
    Other,
}

impl Concern {
    pub const ALL: &'static [Concern] = &[
        Concern::Purpose,
        Concern::NotVolunteered,
        Concern::Location,
        Concern::Sensitive,
        Concern::Engagement,
        Concern::FileProblems,
        Concern::Other,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Concern::Purpose => "Purpose",
            Concern::NotVolunteered => "Data people did not give",
            Concern::Location => "Location",
            Concern::Sensitive => "Sensitive topics",
            Concern::Engagement => "Engagement and transparency",
            Concern::FileProblems => "File problems",
            Concern::Other => "Other",
        }
    }

    /// A plain-words phrase for the verdict sentence.
    pub fn plain(self) -> &'static str {
        match self {
            Concern::Purpose => "asking for or keeping data without saying why",
            Concern::NotVolunteered => {
                "personalizing with data people did not knowingly give (tracked, inferred or bought)"
            }
            Concern::Location => "reaching people based on where they are",
            Concern::Sensitive => {
                "sensitive topics such as health, pregnancy, religion or sexuality"
            }
            Concern::Engagement => "how often and how openly people are contacted",
            Concern::FileProblems => "files that could not be checked",
            Concern::Other => "other findings",
        }
    }

    /// A stable id for anchors and CSS.
    pub fn slug(self) -> &'static str {
        match self {
            Concern::Purpose => "purpose",
            Concern::NotVolunteered => "not-volunteered",
            Concern::Location => "location",
            Concern::Sensitive => "sensitive",
            Concern::Engagement => "engagement",
            Concern::FileProblems => "file-problems",
            Concern::Other => "other",
        }
    }
}

/// A rule's record: everything about a rule except its check, written once.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case name: users write it in configurations and allow comments.
    pub name: &'static str,
    /// The default severity; a finding may say otherwise (e.g. by precision).
    pub severity: Severity,
    /// Where the report groups its findings.
    pub concern: Concern,
    /// The keys this rule takes under `rules.<name>` in `creeplint.yaml`, besides
    /// `severity`.
    pub options: &'static [&'static str],
}

/// The rule of a finding: a reference to its record. Compares, orders and hashes by
/// name; prints and serializes as the name, so outputs are unchanged.
#[derive(Clone, Copy)]
pub struct RuleId(&'static RuleMeta);

impl RuleId {
    pub const fn new(meta: &'static RuleMeta) -> Self {
        Self(meta)
    }
    pub fn name(self) -> &'static str {
        self.0.name
    }
    pub fn meta(self) -> &'static RuleMeta {
        self.0
    }
    pub fn severity(self) -> Severity {
        self.0.severity
    }
    pub fn concern(self) -> Concern {
        self.0.concern
    }
}

impl fmt::Debug for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0.name, f)
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

impl PartialEq for RuleId {
    fn eq(&self, other: &Self) -> bool {
        self.0.name == other.0.name
    }
}

impl Eq for RuleId {}

impl PartialOrd for RuleId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for RuleId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.name.cmp(other.0.name)
    }
}

impl std::hash::Hash for RuleId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.0.name == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.0.name == *other
    }
}

impl PartialEq<String> for RuleId {
    fn eq(&self, other: &String) -> bool {
        self.0.name == other.as_str()
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.name)
    }
}
