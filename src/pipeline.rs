//! One run: discover, read, check, then the single place where findings are filtered
//! (rule selection, configured severities), sorted and counted.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::discover::{DiscoverError, discover};
use crate::finding::{Finding, Severity};
use crate::formats;
use crate::glob::Glob;
use crate::rules::{self, Ctx, RuleOptions};
use crate::source::Sources;
use crate::vocab::Vocab;

/// A rule's configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

/// Everything that shapes a run, from the command line and the configuration.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Run only these rules (`--rule`); empty means all.
    pub only: Vec<String>,
    /// Per-rule levels from the configuration.
    pub levels: BTreeMap<String, Level>,
    pub rule_options: RuleOptions,
    pub excludes: Vec<Glob>,
    /// Extra terms by list name (configuration `terms:`).
    pub extra_terms: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub skipped: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// The result of a run: every source (for rendering) and the sorted findings.
#[derive(Debug)]
pub struct Outcome {
    pub sources: Sources,
    pub project: crate::model::Project,
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error("unknown rule `{name}`{}", suggestion.as_ref().map(|s| format!(": did you mean `{s}`?")).unwrap_or_default())]
    UnknownRule {
        name: String,
        suggestion: Option<String>,
    },
}

/// The vocabulary for a run: the built-in lists plus the configuration's terms.
fn vocab_for(options: &Options) -> std::borrow::Cow<'static, Vocab> {
    let builtin = Vocab::builtin();
    if options.extra_terms.is_empty() {
        return std::borrow::Cow::Borrowed(builtin);
    }
    let mut v = builtin.clone();
    for (list, terms) in &options.extra_terms {
        let l = v.list_mut(list);
        for t in terms {
            l.add(t, "config");
        }
    }
    std::borrow::Cow::Owned(v)
}

pub fn check_rule_name(name: &str) -> Result<(), RunError> {
    if rules::find(name).is_some() {
        return Ok(());
    }
    Err(RunError::UnknownRule {
        name: name.to_string(),
        suggestion: crate::suggest::did_you_mean(name, rules::names()).map(String::from),
    })
}

pub fn run(paths: &[PathBuf], options: &Options) -> Result<Outcome, RunError> {
    for name in &options.only {
        check_rule_name(name)?;
    }
    let files = discover(paths, &options.excludes)?;
    let loaded = formats::load(files);
    let vocab = vocab_for(options);
    let ctx = Ctx::new(
        &loaded.project,
        &loaded.sources,
        &vocab,
        &loaded.problems,
        &options.rule_options,
    );
    let mut findings = Vec::new();
    for rule in rules::RULES {
        if !options.only.is_empty() && !options.only.iter().any(|n| n == rule.name) {
            continue;
        }
        let level = options.levels.get(rule.name).copied();
        if level == Some(Level::Off) {
            continue;
        }
        let mut found = Vec::new();
        (rule.check)(&ctx, &mut found);
        if let Some(Level::On(severity)) = level {
            for f in &mut found {
                f.severity = severity;
            }
        }
        findings.extend(found);
    }
    drop(ctx);
    sort(&mut findings, &loaded.sources);
    findings.dedup();
    let summary = Summary {
        files: loaded.sources.len(),
        skipped: loaded.project.skipped,
        errors: count(&findings, Severity::Error),
        warnings: count(&findings, Severity::Warning),
        infos: count(&findings, Severity::Info),
    };
    Ok(Outcome {
        sources: loaded.sources,
        project: loaded.project,
        findings,
        summary,
    })
}

fn count(findings: &[Finding], s: Severity) -> usize {
    findings.iter().filter(|f| f.severity == s).count()
}

/// File, line, column, rule, message: the order every output uses.
pub fn sort(findings: &mut [Finding], sources: &Sources) {
    findings.sort_by_cached_key(|f| {
        (
            sources.display(f.primary.loc.file).to_string(),
            f.primary.loc.span.offset,
            f.rule.clone(),
            f.message.clone(),
            f.primary.loc.span.len,
        )
    });
}
