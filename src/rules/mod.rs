//! The rule registry: one ordered list of every rule, and the context rules read.
//! A rule finds problems in the model; it never filters, counts or prints.

mod aggressive_frequency;
mod classify;
mod cross_context;
mod hidden_collection;
mod inferred_data;
pub mod invalid_allow;
mod invalid_file;
pub mod location_trigger;
mod message_reveals_tracking;
mod missing_purpose;
mod missing_retention;
mod observed_data;
mod prechecked_consent;
mod purpose_mismatch;
mod required_without_need;
mod sensitive_data;
mod sensitive_targeting;
mod third_party_sharing;
mod undeclared_data;
mod unexplained_personalization;
mod unused_data;
mod vague_purpose;

use std::collections::BTreeMap;

pub use classify::{LocationClass, Resolved, SensitiveHit};

use crate::finding::{Finding, Severity};
use crate::model::{ItemInfo, Problem, Project};
use crate::source::Sources;
use crate::vocab::Vocab;

/// What every rule may read.
pub struct Ctx<'a> {
    pub project: &'a Project,
    pub sources: &'a Sources,
    pub vocab: &'a Vocab,
    pub problems: &'a [Problem],
    pub options: &'a RuleOptions,
    items: BTreeMap<&'a str, ItemInfo<'a>>,
    used: std::collections::BTreeSet<&'a str>,
    guesses: &'a classify::NameGuesses,
}

/// Options of rules that have any (set from the configuration).
#[derive(Debug, Clone, Default)]
pub struct RuleOptions {
    /// `aggressive-frequency` limits by channel name, overriding the defaults.
    pub frequency_limits: BTreeMap<String, crate::model::Frequency>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        project: &'a Project,
        sources: &'a Sources,
        vocab: &'a Vocab,
        problems: &'a [Problem],
        options: &'a RuleOptions,
    ) -> Self {
        let items = project
            .declarations()
            .into_iter()
            .filter_map(|(id, decls)| project.item_of(&decls).map(|info| (id, info)))
            .collect();
        let used = project
            .personalizations
            .iter()
            .flat_map(|p| p.refs.iter().map(|r| r.id.as_str()))
            .collect();
        Self {
            project,
            sources,
            vocab,
            problems,
            options,
            items,
            used,
            guesses: classify::NameGuesses::builtin(),
        }
    }

    /// The merged declaration of a data id, if it is declared.
    pub fn item(&self, id: &str) -> Option<&ItemInfo<'a>> {
        self.items.get(id)
    }

    /// Whether any personalization reads a data id.
    pub fn is_used(&self, id: &str) -> bool {
        self.used.contains(id)
    }
}

pub type Check = fn(&Ctx<'_>, &mut Vec<Finding>);

/// A rule: a stable kebab-case name (users write it in configs and allow comments),
/// a default severity, and its check.
pub struct Rule {
    pub name: &'static str,
    pub severity: Severity,
    pub check: Check,
}

/// Every rule, in the order `creeplint rules` lists them.
pub static RULES: &[Rule] = &[
    Rule {
        name: "missing-purpose",
        severity: Severity::Error,
        check: missing_purpose::check,
    },
    Rule {
        name: "inferred-data",
        severity: Severity::Error,
        check: inferred_data::check,
    },
    Rule {
        name: "observed-data",
        severity: Severity::Warning,
        check: observed_data::check,
    },
    Rule {
        name: "location-trigger",
        severity: Severity::Error,
        check: location_trigger::check,
    },
    Rule {
        name: "sensitive-data",
        severity: Severity::Warning,
        check: sensitive_data::check,
    },
    Rule {
        name: "sensitive-targeting",
        severity: Severity::Error,
        check: sensitive_targeting::check,
    },
    Rule {
        name: "undeclared-data",
        severity: Severity::Warning,
        check: undeclared_data::check,
    },
    Rule {
        name: "invalid-file",
        severity: Severity::Error,
        check: invalid_file::check,
    },
    Rule {
        name: "vague-purpose",
        severity: Severity::Warning,
        check: vague_purpose::check,
    },
    Rule {
        name: "required-without-need",
        severity: Severity::Warning,
        check: required_without_need::check,
    },
    Rule {
        name: "prechecked-consent",
        severity: Severity::Error,
        check: prechecked_consent::check,
    },
    Rule {
        name: "hidden-collection",
        severity: Severity::Error,
        check: hidden_collection::check,
    },
    Rule {
        name: "purpose-mismatch",
        severity: Severity::Error,
        check: purpose_mismatch::check,
    },
    Rule {
        name: "unused-data",
        severity: Severity::Info,
        check: unused_data::check,
    },
    Rule {
        name: "unexplained-personalization",
        severity: Severity::Warning,
        check: unexplained_personalization::check,
    },
    Rule {
        name: "message-reveals-tracking",
        severity: Severity::Error,
        check: message_reveals_tracking::check,
    },
    Rule {
        name: "aggressive-frequency",
        severity: Severity::Warning,
        check: aggressive_frequency::check,
    },
    Rule {
        name: "cross-context",
        severity: Severity::Error,
        check: cross_context::check,
    },
    Rule {
        name: "third-party-sharing",
        severity: Severity::Warning,
        check: third_party_sharing::check,
    },
    Rule {
        name: "missing-retention",
        severity: Severity::Info,
        check: missing_retention::check,
    },
    Rule {
        name: invalid_allow::NAME,
        severity: Severity::Warning,
        check: invalid_allow::check,
    },
];

pub fn find(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

pub fn names() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.name)
}

/// A personalization's references grouped by data id, in order of first use: rules
/// report once per (personalization, data item), with the other uses as labels.
pub fn grouped_refs(p: &crate::model::Personalization) -> Vec<(&str, Vec<&crate::model::DataRef>)> {
    let mut groups: Vec<(&str, Vec<&crate::model::DataRef>)> = Vec::new();
    for r in &p.refs {
        match groups.iter_mut().find(|(id, _)| *id == r.id) {
            Some((_, refs)) => refs.push(r),
            None => groups.push((r.id.as_str(), vec![r])),
        }
    }
    groups
}

/// Labels for the second and later uses of a data item in one personalization.
pub fn also_used(refs: &[&crate::model::DataRef]) -> Vec<crate::finding::Label> {
    refs.iter()
        .skip(1)
        .map(|r| crate::finding::Label::new(r.loc, "also used here"))
        .collect()
}
