//! `creeplint report`: the view model shared by the HTML and Markdown reports, for
//! people who do not read terminals: a verdict by concern, the data inventory, the
//! personalizations and every finding in plain language.

pub mod html;
pub mod markdown;
pub mod meta;

use std::collections::BTreeMap;

use crate::finding::{Finding, Severity};
use crate::model::{DeclRef, Project, Source};
use crate::pipeline::{Outcome, Summary};
use crate::rules::{Fact, Facts};
use crate::source::{Loc, Sources};

pub use crate::identity::Concern;

impl Concern {
    /// The concern of a rule by name, from the rule's record; names that no
    /// registered rule has are "other".
    pub fn of(rule: &str) -> Concern {
        crate::rules::find(rule).map_or(Concern::Other, |r| r.concern)
    }
}

/// Findings counted by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    fn add(&mut self, s: Severity) {
        match s {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }
}

/// A place in a checked file, as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: usize,
    /// The file as it was opened, for links to it ([`Meta::link`]).
    pub path: std::path::PathBuf,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

fn place(sources: &Sources, loc: Loc) -> Place {
    Place {
        file: sources.display(loc.file).to_string(),
        line: sources.line_col(loc).line,
        path: sources
            .get(loc.file)
            .map(|f| f.path.clone())
            .unwrap_or_default(),
    }
}

/// Where a data item is collected or declared.
#[derive(Debug, Clone)]
pub struct Origin {
    /// "form `signup`", "data file", or "read by `x`" for undeclared data.
    pub what: String,
    pub place: Place,
}

/// A data source as shown: declared, guessed from the name, or unknown.
#[derive(Debug, Clone)]
pub struct SourceView {
    pub source: Option<Source>,
    pub guessed: bool,
}

impl SourceView {
    pub fn text(&self) -> String {
        match (self.source, self.guessed) {
            (Some(s), false) => s.as_str().to_string(),
            (Some(s), true) => format!("{s} (guessed from the name)"),
            (None, _) => "unknown".to_string(),
        }
    }
    /// A short class for styling: the source name or `unknown`.
    pub fn class(&self) -> &'static str {
        self.source.map_or("unknown", |s| s.as_str())
    }
}

/// One row of the data inventory.
#[derive(Debug, Clone)]
pub struct ItemRow {
    pub id: String,
    pub undeclared: bool,
    pub label: Option<String>,
    pub origins: Vec<Origin>,
    pub source: SourceView,
    pub purpose: Option<String>,
    pub uses: Vec<String>,
    /// Categories, each with how it is known ("declared", or the matched word).
    pub sensitive: Vec<String>,
    pub location: Option<String>,
    pub retention: Option<String>,
    pub used_by: Vec<String>,
}

/// A data id a personalization reads, with its source.
#[derive(Debug, Clone)]
pub struct Read {
    pub id: String,
    pub source: SourceView,
}

/// One row of the personalizations table.
#[derive(Debug, Clone)]
pub struct PersonalizationRow {
    pub id: String,
    pub place: Place,
    pub channel: String,
    pub reads: Vec<Read>,
    pub explanation: Option<String>,
    pub frequency: Option<String>,
    pub counts: Counts,
    pub rules: Vec<String>,
}

/// What one owner (`x-owner`) answers for, or what nobody does (`owner: None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerRow {
    pub owner: Option<String>,
    /// Form ids.
    pub forms: Vec<String>,
    /// Data ids: form fields and data items.
    pub items: Vec<String>,
    pub personalizations: Vec<String>,
    /// The findings inside these, each counted for the owner of the innermost item
    /// that holds it.
    pub counts: Counts,
}

/// One line of a file excerpt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnippetLine {
    pub number: usize,
    pub text: String,
    /// The part of a primary line the finding points at, as a character range.
    pub mark: Option<(usize, usize)>,
    pub primary: bool,
}

/// A finding with everything a reader needs to act on it. What its rule is about (why
/// it matters, what to do in general) is said once per rule, in [`Report::rules`].
#[derive(Debug, Clone)]
pub struct FindingView<'a> {
    pub finding: &'a Finding,
    pub concern: Concern,
    pub place: Place,
    pub snippet: Vec<SnippetLine>,
    /// With `--baseline`: whether the finding is new (not in the baseline).
    pub new: Option<bool>,
}

/// The comparison with a baseline (`report --baseline`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaselineView {
    /// The baseline file, as shown.
    pub path: String,
    pub new: usize,
    pub unchanged: usize,
    /// Baseline entries no finding matched: fixed since (or moved to another file).
    pub fixed: Vec<crate::baseline::Entry>,
}

/// What a rule's documentation says to people, shown once per rule in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleView {
    /// Why people find what the rule catches creepy.
    pub why: String,
    /// What to do instead, in general (each finding adds its own help).
    pub instead: String,
}

pub use meta::Meta;

/// Everything both report formats show.
#[derive(Debug)]
pub struct Report<'a> {
    /// The project, date and commit at the top; empty unless the caller fills it in
    /// ([`Meta::detect`]), so the library's report depends only on the files.
    pub meta: Meta,
    pub summary: &'a Summary,
    /// The files checked, as shown.
    pub files: Vec<String>,
    pub by_concern: Vec<(Concern, Counts)>,
    pub total: Counts,
    pub verdict: String,
    pub items: Vec<ItemRow>,
    pub personalizations: Vec<PersonalizationRow>,
    pub findings: Vec<FindingView<'a>>,
    /// The comparison with a baseline, when one was given ([`Report::compare`]).
    pub baseline: Option<BaselineView>,
    /// Who answers for what, by owner name, then a row for what has no owner; empty
    /// when no file names an owner.
    pub owners: Vec<OwnerRow>,
    /// The documentation of every rule with a finding, by rule name.
    pub rules: BTreeMap<String, RuleView>,
}

impl Report<'_> {
    /// Mark each finding new or unchanged against `baseline` (read from `path`), and
    /// list the baseline's entries that are fixed. `outcome` is the run the report
    /// was built from.
    pub fn compare(&mut self, baseline: &crate::baseline::Baseline, path: &str, outcome: &Outcome) {
        let c = baseline.compare(&outcome.sources, &outcome.findings);
        for (view, known) in self.findings.iter_mut().zip(&c.known) {
            view.new = Some(!known);
        }
        let unchanged = c.known.iter().filter(|k| **k).count();
        self.baseline = Some(BaselineView {
            path: path.to_string(),
            new: c.known.len() - unchanged,
            unchanged,
            fixed: c.fixed,
        });
    }

    /// Findings grouped by concern, in the concerns' order, skipping empty ones; within
    /// a concern the errors first, then warnings, then infos, each severity by rule
    /// name, then in file order (so a rule's findings follow its explanation).
    pub fn findings_by_concern(&self) -> Vec<(Concern, Vec<&FindingView<'_>>)> {
        Concern::ALL
            .iter()
            .map(|c| {
                let mut fs: Vec<&FindingView<'_>> =
                    self.findings.iter().filter(|f| f.concern == *c).collect();
                // A stable sort: findings of one severity and rule stay in file order.
                fs.sort_by(|a, b| {
                    b.finding
                        .severity
                        .cmp(&a.finding.severity)
                        .then_with(|| a.finding.rule.name().cmp(b.finding.rule.name()))
                });
                (*c, fs)
            })
            .filter(|(_, fs)| !fs.is_empty())
            .collect()
    }
}

/// The one sentence that says what matters most.
fn verdict(by_concern: &[(Concern, Counts)], total: &Counts) -> String {
    if total.total() == 0 {
        return "No findings: nothing in these files looks creepy to creeplint.".to_string();
    }
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    for (key, word) in [(Severity::Error, "error"), (Severity::Warning, "warning")] {
        let of = |n: &Counts| match key {
            Severity::Error => n.errors,
            _ => n.warnings,
        };
        // Ties go to the concern with more findings, then to the one listed first.
        let Some((best, counts)) = by_concern
            .iter()
            .filter(|(_, n)| of(n) > 0)
            .max_by_key(|(c, n)| (of(n), n.total(), std::cmp::Reverse(*c)))
        else {
            continue;
        };
        let n = of(counts);
        let tied: Vec<&str> = by_concern
            .iter()
            .filter(|(c, other)| c != best && of(other) == n)
            .map(|(c, _)| c.title())
            .collect();
        let lead = if key == Severity::Error {
            "What matters most is"
        } else {
            "No errors. What deserves a look first is"
        };
        let end = if key == Severity::Error {
            " Fix the errors before shipping."
        } else {
            ""
        };
        let rest = if counts.total() > n {
            format!(" of {} findings", counts.total())
        } else {
            String::new()
        };
        return if tied.is_empty() {
            format!(
                "{lead} {}: {}{rest}, more than any other concern.{end}",
                best.plain(),
                plural(n, word)
            )
        } else {
            format!(
                "{}The {word}s are spread over {} concerns, {n} each; start with {}, which has the most findings ({}).{end}",
                if key == Severity::Error {
                    ""
                } else {
                    "No errors. "
                },
                tied.len() + 1,
                best.plain(),
                counts.total()
            )
        };
    }
    "No errors or warnings, only notes worth a look.".to_string()
}

fn snippet(sources: &Sources, loc: Loc) -> Vec<SnippetLine> {
    let Some(file) = sources.get(loc.file) else {
        return Vec::new();
    };
    let start = file.line_col(loc.span.start());
    let end = file.line_col(loc.span.end());
    // A span that ends at the start of a line does not cover that line.
    let last = if end.line > start.line && end.column == 1 {
        end.line - 1
    } else {
        end.line
    }
    .min(start.line + 4);
    let from = start.line.saturating_sub(2).max(1);
    let to = (last + 2).min(file.line_count());
    (from..=to)
        .filter_map(|n| {
            let span = file.line_span(n)?;
            let text = file.slice(span)?.to_string();
            let primary = (start.line..=last).contains(&n);
            let chars = text.chars().count();
            let mark = primary.then(|| {
                let a = if n == start.line { start.column - 1 } else { 0 };
                let b = if n == end.line { end.column - 1 } else { chars };
                (a.min(chars), b.clamp(a.min(chars), chars))
            });
            let (text, mark) = clip_line(text, chars, mark);
            Some(SnippetLine {
                number: n,
                text,
                mark: mark.filter(|(a, b)| a < b),
                primary,
            })
        })
        .collect()
}

/// A line over [`crate::output::snippet::MAX_LINE_CHARS`] characters (minified JSON)
/// cut to a window around its mark, with ellipses, so each finding shows a few hundred
/// characters, not the whole line again.
fn clip_line(
    text: String,
    chars: usize,
    mark: Option<(usize, usize)>,
) -> (String, Option<(usize, usize)>) {
    use crate::output::snippet::{CLIP_CONTEXT, MAX_LINE_CHARS};
    if chars <= MAX_LINE_CHARS {
        return (text, mark);
    }
    let (a, b) = mark.unwrap_or((0, 0));
    let from = a.saturating_sub(CLIP_CONTEXT);
    let to = (b.min(a + 2 * CLIP_CONTEXT) + CLIP_CONTEXT).min(chars);
    let lead = usize::from(from > 0);
    let mut out: String = if from > 0 {
        "…".into()
    } else {
        String::new()
    };
    out.extend(text.chars().skip(from).take(to - from));
    if to < chars {
        out.push('…');
    }
    let mark = mark.map(|(a, b)| (a - from + lead, b.min(to) - from + lead));
    (out, mark)
}

fn finding_view<'a>(sources: &Sources, f: &'a Finding) -> FindingView<'a> {
    FindingView {
        finding: f,
        concern: f.rule.concern(),
        place: place(sources, f.primary.loc),
        snippet: snippet(sources, f.primary.loc),
        new: None,
    }
}

/// The documentation of each rule that has a finding.
fn rule_views(findings: &[Finding]) -> BTreeMap<String, RuleView> {
    let mut out = BTreeMap::new();
    for f in findings {
        let name = f.rule.name();
        if out.contains_key(name) {
            continue;
        }
        if let Ok(doc) = crate::docs::get(name) {
            out.insert(
                name.to_string(),
                RuleView {
                    why: doc.why.trim().to_string(),
                    instead: doc.instead.trim().to_string(),
                },
            );
        }
    }
    out
}

fn inside(outer: Loc, inner: Loc) -> bool {
    outer.file == inner.file
        && outer.span.start() <= inner.span.start()
        && inner.span.end() <= outer.span.end()
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

fn inventory(project: &Project, sources: &Sources, facts: &Facts) -> Vec<ItemRow> {
    let decls = project.declarations();
    let mut readers: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut first_read: BTreeMap<&str, (String, Loc)> = BTreeMap::new();
    for p in &project.personalizations {
        for r in p.refs() {
            push_unique(readers.entry(r.id).or_default(), &p.id.value);
            first_read
                .entry(r.id)
                .or_insert_with(|| (p.id.as_str().to_owned(), r.loc));
        }
    }
    let mut ids: Vec<&str> = decls.keys().copied().collect();
    ids.extend(readers.keys().copied().filter(|id| !decls.contains_key(id)));
    ids.sort_unstable();
    ids.into_iter()
        .map(|id| {
            let unknown = Fact::unknown();
            let resolved = facts.get(id).unwrap_or(&unknown);
            let declared = decls.get(id);
            let mut row = ItemRow {
                id: id.to_string(),
                undeclared: declared.is_none(),
                label: None,
                origins: Vec::new(),
                source: SourceView {
                    source: resolved.source,
                    guessed: !resolved.declared,
                },
                purpose: None,
                uses: Vec::new(),
                sensitive: Vec::new(),
                location: resolved.location().map(|l| {
                    if l.loc.is_some() {
                        l.precision.as_str().to_string()
                    } else {
                        format!("{} (guessed from the name)", l.precision)
                    }
                }),
                retention: None,
                used_by: readers.get(id).cloned().unwrap_or_default(),
            };
            for d in declared.into_iter().flatten() {
                match *d {
                    DeclRef::Field { form, field } => {
                        let (Some(fm), Some(f)) =
                            (project.forms.get(form), project.field(form, field))
                        else {
                            continue;
                        };
                        row.origins.push(Origin {
                            what: crate::clip::text(format!("form `{}`", fm.id.value)),
                            place: place(sources, f.id.loc),
                        });
                        row.label = row
                            .label
                            .or_else(|| f.label.as_ref().map(|t| t.as_str().to_owned()));
                        row.purpose = row.purpose.or_else(|| {
                            f.purpose
                                .text()
                                .filter(|t| !t.is_blank())
                                .map(|t| t.as_str().to_owned())
                        });
                        row.retention = row
                            .retention
                            .or_else(|| f.retention.as_ref().map(|t| t.as_str().to_owned()));
                    }
                    DeclRef::Data(i) => {
                        let Some(dd) = project.data.get(i) else {
                            continue;
                        };
                        // Declarations in other tools' formats say which format.
                        let what = match sources.get(dd.id.loc.file).and_then(|s| s.reader) {
                            Some("fides") => "Fides manifest",
                            Some("apple-privacy") => "Apple privacy manifest",
                            Some("event-schema") => "event schema",
                            _ => "data file",
                        };
                        // Whose data and on what legal basis, where the declaration says.
                        let mut about = Vec::new();
                        for (name, texts) in [
                            ("data subjects", dd.subjects()),
                            ("legal basis", dd.legal_basis()),
                        ] {
                            if !texts.is_empty() {
                                let values: Vec<&str> = texts.iter().map(|t| t.as_str()).collect();
                                about.push(format!("{name}: {}", values.join(", ")));
                            }
                        }
                        let what = if about.is_empty() {
                            what.to_string()
                        } else {
                            crate::clip::text(format!("{what} ({})", about.join("; ")))
                        };
                        row.origins.push(Origin {
                            what,
                            place: place(sources, dd.id.loc),
                        });
                        row.purpose = row.purpose.or_else(|| {
                            dd.description
                                .as_ref()
                                .filter(|t| !t.is_blank())
                                .map(|t| t.as_str().to_owned())
                        });
                        row.retention = row
                            .retention
                            .or_else(|| dd.retention.as_ref().map(|t| t.as_str().to_owned()));
                    }
                }
            }
            // What the declarations say, merged as the rules merged them.
            let info = declared.and_then(|d| project.item_of(d));
            if let Some(info) = &info {
                row.uses = info.uses.iter().map(|u| u.as_str().to_string()).collect();
            }
            if row.undeclared
                && let Some((by, loc)) = first_read.get(id)
            {
                row.origins.push(Origin {
                    what: crate::clip::text(format!("not declared; read by `{by}`")),
                    place: place(sources, *loc),
                });
            }
            let at = info.map(|i| i.decl).or(first_read.get(id).map(|(_, l)| *l));
            if let Some(at) = at {
                for hit in resolved.sensitive(at) {
                    let how = match hit.term {
                        Some(t) => format!("{} (the word `{t}`)", hit.category),
                        None => hit.category.to_string(),
                    };
                    push_unique(&mut row.sensitive, &how);
                }
            }
            row
        })
        .collect()
}

fn personalizations(
    project: &Project,
    sources: &Sources,
    facts: &Facts,
    findings: &[Finding],
) -> Vec<PersonalizationRow> {
    project
        .personalizations
        .iter()
        .map(|p| {
            let mut reads: Vec<Read> = Vec::new();
            for r in p.refs() {
                if reads.iter().any(|x| x.id == r.id) {
                    continue;
                }
                let resolved = facts.get(r.id);
                reads.push(Read {
                    id: r.id.to_string(),
                    source: SourceView {
                        source: resolved.and_then(|f| f.source),
                        guessed: !resolved.is_some_and(|f| f.declared),
                    },
                });
            }
            let mut counts = Counts::default();
            let mut rules = Vec::new();
            for f in findings.iter().filter(|f| inside(p.item, f.primary.loc)) {
                counts.add(f.severity);
                push_unique(&mut rules, f.rule.name());
            }
            rules.sort();
            PersonalizationRow {
                id: p.id.as_str().to_owned(),
                place: place(sources, p.id.loc),
                channel: p
                    .channel
                    .as_ref()
                    .map_or("unknown", |c| c.value.as_str())
                    .to_string(),
                reads,
                explanation: p
                    .explanation
                    .as_ref()
                    .filter(|t| !t.is_blank())
                    .map(|t| t.as_str().to_owned()),
                frequency: p.frequency.as_ref().map(|f| f.value.to_string()),
                counts,
                rules,
            }
        })
        .collect()
}

/// Group forms, data and personalizations by owner, with their findings.
fn owners(project: &Project, findings: &[Finding]) -> Vec<OwnerRow> {
    if project.owners.is_empty() {
        return Vec::new();
    }
    let of: BTreeMap<Loc, &str> = project
        .owners
        .iter()
        .map(|o| (o.item, o.name.as_str()))
        .collect();
    let mut rows: BTreeMap<Option<String>, OwnerRow> = BTreeMap::new();
    fn row<'m>(
        rows: &'m mut BTreeMap<Option<String>, OwnerRow>,
        owner: Option<&str>,
    ) -> &'m mut OwnerRow {
        let owner = owner.map(str::to_string);
        rows.entry(owner.clone()).or_insert_with(|| OwnerRow {
            owner,
            forms: Vec::new(),
            items: Vec::new(),
            personalizations: Vec::new(),
            counts: Counts::default(),
        })
    }
    // Every item with its owner, for attributing findings to the innermost one.
    let mut spans: Vec<(Loc, Option<&str>)> = Vec::new();
    for form in &project.forms {
        let owner = of.get(&form.item).copied();
        push_unique(&mut row(&mut rows, owner).forms, &form.id.value);
        spans.push((form.item, owner));
        for f in &form.fields {
            let owner = of.get(&f.item).copied();
            push_unique(&mut row(&mut rows, owner).items, &f.id.value);
            spans.push((f.item, owner));
        }
    }
    for d in &project.data {
        let owner = of.get(&d.item).copied();
        push_unique(&mut row(&mut rows, owner).items, &d.id.value);
        spans.push((d.item, owner));
    }
    for p in &project.personalizations {
        let owner = of.get(&p.item).copied();
        push_unique(&mut row(&mut rows, owner).personalizations, &p.id.value);
        spans.push((p.item, owner));
    }
    for f in findings {
        let owner = spans
            .iter()
            .filter(|(item, _)| inside(*item, f.primary.loc))
            .min_by_key(|(item, _)| item.span.len)
            .and_then(|(_, owner)| *owner);
        row(&mut rows, owner).counts.add(f.severity);
    }
    // Owners by name, then what nobody owns (`None` sorts first in the map).
    let mut out: Vec<OwnerRow> = rows.into_values().collect();
    let unowned_first = out.first().is_some_and(|r| r.owner.is_none());
    out.rotate_left(usize::from(unowned_first));
    for r in &mut out {
        r.items.sort();
    }
    out
}

/// Build the report's view of one run.
pub fn build(outcome: &Outcome) -> Report<'_> {
    let sources = &outcome.sources;
    let project = &outcome.project;
    let mut by: BTreeMap<Concern, Counts> = BTreeMap::new();
    let mut total = Counts::default();
    for f in &outcome.findings {
        by.entry(f.rule.concern()).or_default().add(f.severity);
        total.add(f.severity);
    }
    let by_concern: Vec<(Concern, Counts)> = Concern::ALL
        .iter()
        .filter(|c| **c != Concern::Other || by.contains_key(c))
        .map(|c| (*c, by.get(c).copied().unwrap_or_default()))
        .collect();
    Report {
        meta: Meta::default(),
        summary: &outcome.summary,
        files: sources.iter().map(|(_, f)| f.display.clone()).collect(),
        verdict: verdict(&by_concern, &total),
        by_concern,
        total,
        items: inventory(project, sources, &outcome.facts),
        personalizations: personalizations(project, sources, &outcome.facts, &outcome.findings),
        findings: outcome
            .findings
            .iter()
            .map(|f| finding_view(sources, f))
            .collect(),
        baseline: None,
        owners: owners(project, &outcome.findings),
        rules: rule_views(&outcome.findings),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_rules_are_other() {
        assert_eq!(Concern::of("location-trigger"), Concern::Location);
        assert_eq!(Concern::of("invalid-allow"), Concern::FileProblems);
        assert_eq!(Concern::of("something-new"), Concern::Other);
    }

    #[test]
    fn verdict_names_the_concern_with_most_errors() {
        let c = |errors, warnings| Counts {
            errors,
            warnings,
            infos: 0,
        };
        let by = vec![(Concern::Purpose, c(1, 5)), (Concern::Location, c(3, 0))];
        let v = verdict(&by, &c(4, 5));
        assert!(
            v.contains("where they are: 3 errors, more than any other"),
            "{v}"
        );
        let by = vec![(Concern::Purpose, c(1, 0)), (Concern::Location, c(1, 1))];
        let v = verdict(&by, &c(2, 1));
        assert!(
            v.contains("errors are spread over 2 concerns, 1 each; start with reaching people"),
            "{v}"
        );
        let v = verdict(&[(Concern::Purpose, c(0, 1))], &c(0, 1));
        assert!(
            v.contains("without saying why: 1 warning, more than"),
            "{v}"
        );
    }
}
