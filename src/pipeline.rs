//! One run: discover, read, check, then the single place where findings are filtered
//! (rule selection, configured severities, suppressions, the baseline), sorted and
//! counted.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::baseline::Baseline;
use crate::discover::{DiscoverError, discover};
use crate::finding::{Finding, Severity};
use crate::formats;
use crate::glob::Glob;
use crate::rules::{self, Ctx, RuleOptions};
use crate::source::{Loc, Sources};
use crate::suppress;
use crate::vocab::Vocab;

pub use crate::config::Level;

/// Everything that shapes a run, from the command line and the configuration.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Run only these rules (`--rule`); empty means all.
    pub only: Vec<String>,
    /// Per-rule levels from the configuration.
    pub levels: BTreeMap<String, Level>,
    pub rule_options: RuleOptions,
    pub excludes: Vec<Glob>,
    /// Rule levels for the files a glob matches (configuration `per-path`); a later
    /// entry wins over an earlier one, and both over `levels`.
    pub per_path: Vec<(Glob, BTreeMap<String, Level>)>,
    /// Extra terms by list name (configuration `terms:`).
    pub extra_terms: BTreeMap<String, Vec<String>>,
    /// Findings recorded here are not reported (`--baseline`).
    pub baseline: Option<Baseline>,
    /// The readers of the run: the built-in ones unless an embedder or a test adds more.
    pub readers: formats::Registry,
    /// Standard input's text for `check -`, with the path it is shown as
    /// (`--stdin-filename`); a discovered file with that path is replaced by it.
    pub stdin: Option<(PathBuf, String)>,
    /// What the configuration tells readers (`forms:`, `ui-schemas:`), handed to them
    /// through the registry.
    pub reader_settings: formats::ReaderSettings,
    /// At most this many threads for reading and for the rules (`None`: one per core).
    /// One thread makes a run's allocations the same from run to run, for the memory
    /// budget test (`tests/memory.rs`).
    pub threads: Option<std::num::NonZeroUsize>,
    /// Free what the run established about every data id with the rules' context,
    /// leaving [`Outcome::facts`] empty, when no output of the run reads it (`check`
    /// writes findings; the report reads the facts): 1.4 MB at the heap's peak of the
    /// 2,001-file project, which comes after the rules (issue 14).
    pub drop_facts: bool,
    /// Let go of the files' texts once they are read, keeping their line starts and the
    /// few values the rules quote ([`crate::source::Sources::let_go_of_texts`]), when
    /// no output of the run shows a line of a file (JSON, SARIF and GitHub write
    /// positions only; the human output and the report show snippets): 1.4 KB of each
    /// form file, held to the end of the run (issue 14).
    pub drop_texts: bool,
    /// Let go, as each file is read, of the forms' choices (a select's options, an
    /// `enum`) in whose value and label the sensitive lists find no word: all any rule
    /// reads of a choice (`sensitive-data`), and no output shows them. Leaves
    /// [`Outcome::project`]'s fields with only those choices. 1.5 KB of each module of
    /// the benchmark's project, 25 MB at 50,001 files (issue 14).
    pub drop_choices: bool,
    /// Report only findings at least this sure (`--min-confidence`); the summary counts
    /// what is reported.
    pub min_confidence: Option<crate::finding::Confidence>,
    /// Count the findings allows accept without keeping them, leaving
    /// [`Outcome::suppressed`] empty, when no output of the run lists them (`check`
    /// without `--show-suppressed`).
    pub drop_suppressed: bool,
    /// How many files' items the rules check at a time in [`run_streamed`] (`None`:
    /// [`BATCH_FILES`]); tests set a few, to cross many batches' edges.
    pub batch_files: Option<std::num::NonZeroUsize>,
}

impl Options {
    /// Put a configuration into the options of a run.
    pub fn apply(&mut self, config: &crate::config::Config) {
        self.levels.extend(config.levels.clone());
        self.rule_options.frequency_limits.extend(
            config
                .frequency_limits
                .iter()
                .map(|(channel, limit)| (channel.as_str().to_string(), limit.clone())),
        );
        // `exclude` globs are relative to the configuration file's folder.
        let folder = config.path.as_deref().and_then(|p| p.parent()).map(|p| {
            if p.as_os_str().is_empty() {
                std::path::Path::new(".")
            } else {
                p
            }
        });
        self.excludes
            .extend(config.excludes.iter().map(|g| match folder {
                Some(f) => g.clone().relative_to(f),
                None => g.clone(),
            }));
        self.per_path.extend(config.per_path.iter().cloned());
        self.reader_settings = formats::ReaderSettings::from_config(config);
        for (list, terms) in &config.terms {
            self.extra_terms
                .entry(list.clone())
                .or_default()
                .extend(terms.iter().cloned());
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub skipped: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings hidden by an allow comment or `x-creeplint-allow`.
    pub suppressed: usize,
    /// Findings hidden by the baseline.
    pub baselined: usize,
    /// Baseline entries that matched no finding: fixed since the baseline was written.
    pub fixed: usize,
}

/// A finding an allow accepted, with the allow's reason.
#[derive(Debug, Clone)]
pub struct Suppressed {
    pub finding: Finding,
    pub reason: String,
    /// Where the allow is written.
    pub by: Loc,
}

/// The result of a run: every source (for rendering) and the sorted findings.
#[derive(Debug)]
pub struct Outcome {
    pub sources: Sources,
    pub project: crate::model::Project,
    pub findings: Vec<Finding>,
    /// Findings accepted by allows, sorted like `findings`.
    pub suppressed: Vec<Suppressed>,
    pub summary: Summary,
    /// The term lists the run used (built-in plus the configuration's `terms`), for
    /// outputs that describe the data, like the report's inventory.
    pub vocab: std::borrow::Cow<'static, Vocab>,
    /// What the run established about every data id (source, location, sensitivity,
    /// with evidence), for outputs that describe the data, like the report; empty when
    /// `Options::drop_facts`.
    pub facts: rules::Facts,
    /// How many findings each rule reported (`--statistics`), counted as they were
    /// written when [`run_streamed`] wrote them.
    pub by_rule: RuleCounts,
}

/// How many findings each rule reported, with the most severe of them, by rule name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleCounts(Vec<(&'static str, usize, Severity)>);

impl RuleCounts {
    pub fn add(&mut self, f: &Finding) {
        let name = f.rule.name();
        // A few dozen rules at most: a look along the list (the same static name is
        // the same pointer) costs less than a map's per finding.
        let at = self
            .0
            .iter()
            .position(|(n, ..)| std::ptr::eq(*n, name) || *n == name);
        match at.and_then(|i| self.0.get_mut(i)) {
            Some(e) => {
                e.1 += 1;
                e.2 = e.2.max(f.severity);
            }
            None => {
                let i = self.0.partition_point(|(n, ..)| *n < name);
                self.0.insert(i, (name, 1, f.severity));
            }
        }
    }

    pub fn of<'f>(findings: impl IntoIterator<Item = &'f Finding>) -> Self {
        let mut counts = RuleCounts::default();
        for f in findings {
            counts.add(f);
        }
        counts
    }

    /// Each rule that reported: its name, how many findings and the most severe, by
    /// name.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, usize, Severity)> + '_ {
        self.0.iter().copied()
    }
}

/// Where [`run_streamed`] hands the findings: the run's sources and a run of sorted
/// findings, every file's findings in one run, the runs in order.
pub type Sink<'s> = &'s mut dyn FnMut(&Sources, &[Finding]);

/// How many files' items the rules check at a time when the findings are written as
/// they are found ([`run_streamed`]): enough that a batch's threads and sorting cost
/// little, few enough that a batch's findings are a small part of the run's memory.
pub const BATCH_FILES: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error(transparent)]
    ReaderPanic(#[from] formats::ReaderPanic),
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
        v.add_terms(list, terms, "config");
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

/// A run whose findings are all in [`Outcome::findings`], sorted.
pub fn run(paths: &[PathBuf], options: &Options) -> Result<Outcome, RunError> {
    run_into(paths, options, None)
}

/// A run that hands its findings to `sink` as they are found, sorted, a batch of files
/// at a time, and keeps none of them ([`Outcome::findings`] is empty; the summary,
/// [`Outcome::by_rule`] and the suppressed findings are as [`run`] gives them): the
/// findings of a large project are never all held (issue 14). The rules check
/// [`BATCH_FILES`] files' items at a time, in path order, the items of files whose
/// format links files ([`formats::Reader::links_files`]) first; the findings of a file
/// are handed over once every item that may report in it has been checked. With a
/// baseline, which is compared with every finding at once, the findings are handed over
/// in one run at the end.
pub fn run_streamed(
    paths: &[PathBuf],
    options: &Options,
    sink: Sink<'_>,
) -> Result<Outcome, RunError> {
    run_into(paths, options, Some(sink))
}

fn run_into(
    paths: &[PathBuf],
    options: &Options,
    sink: Option<Sink<'_>>,
) -> Result<Outcome, RunError> {
    for name in &options.only {
        check_rule_name(name)?;
    }
    let readers = options
        .readers
        .clone()
        .with_settings(options.reader_settings.clone())
        .letting_go_of_texts(options.drop_texts);
    let mut files = discover(paths, &options.excludes, &readers)?;
    if let Some((name, _)) = &options.stdin {
        let shown = crate::source::display_path(name);
        files.retain(|f| crate::source::display_path(f) != shown);
    }
    let vocab = vocab_for(options);
    let keep_choice = |text: &str| rules::reads_choice(&vocab, text);
    let mut loaded = formats::load_with_text(
        files,
        options.stdin.clone(),
        &readers,
        options.threads,
        options
            .drop_choices
            .then_some(&keep_choice as formats::ChoiceFilter<'_>),
    )?;
    if options.drop_texts {
        // The files read apart let go of their texts as they were read; the ones paired
        // with others (a JSON Schema and its uiSchema), which still hold theirs, now.
        let (project, sources) = (&loaded.project, &loaded.sources);
        let quoted = crate::model::quoted_declarations(&project.forms, &project.data, |loc| {
            sources
                .get(loc.file)
                .filter(|f| f.holds_text())
                .and_then(|f| f.slice(loc.span))
        });
        loaded.sources.let_go_of_texts(quoted);
    }
    let mut ctx = Ctx::on(
        &loaded.project,
        &loaded.sources,
        &vocab,
        &loaded.problems,
        &options.rule_options,
        options.threads,
    );
    let selected = |name: &str| {
        (options.only.is_empty() || options.only.iter().any(|n| n == name))
            && options.levels.get(name) != Some(&Level::Off)
    };
    let chosen: Vec<&rules::Rule> = rules::RULES
        .iter()
        .copied()
        .filter(|r| selected(r.name))
        .collect();
    // A baseline is compared with every finding at once: the findings are handed over
    // whole at the end.
    let (streaming, sink) = match sink {
        Some(sink) if options.baseline.is_none() => (Some(sink), None),
        other => (None, other),
    };
    if let Some(sink) = streaming {
        let streamed = stream(&mut ctx, &loaded, &chosen, options, &selected, sink);
        let facts = if options.drop_facts {
            drop(ctx);
            rules::Facts::default()
        } else {
            ctx.into_facts()
        };
        let summary = Summary {
            files: loaded.sources.len(),
            skipped: loaded.skipped,
            ..streamed.summary
        };
        return Ok(Outcome {
            sources: loaded.sources,
            project: loaded.project,
            findings: Vec::new(),
            suppressed: streamed.suppressed,
            summary,
            vocab,
            facts,
            by_rule: streamed.by_rule,
        });
    }
    let blocks = check_all(&ctx, &chosen, options.threads);
    // The rules' context is freed before their findings are joined into one list, so the
    // run never holds the context and a second copy of the findings at once (issue 14).
    let facts = if options.drop_facts {
        drop(ctx);
        rules::Facts::default()
    } else {
        ctx.into_facts()
    };
    let findings = join(blocks);
    let ranks = FileRanks::new(&loaded.sources);
    let (findings, mut suppressed) = settle(findings, &loaded.allows, options, &selected, &ranks);
    let (mut findings, baselined, fixed) = match &options.baseline {
        Some(b) => b.filter(&loaded.sources, findings),
        None => (findings, 0, 0),
    };
    if let Some(min) = options.min_confidence {
        findings.retain(|f| f.confidence >= min);
    }
    let mut by_rule = RuleCounts::default();
    let mut summary = Summary {
        files: loaded.sources.len(),
        skipped: loaded.skipped,
        suppressed: suppressed.len(),
        baselined,
        fixed,
        ..Summary::default()
    };
    tally(&findings, &mut summary, &mut by_rule);
    if let Some(sink) = sink {
        sink(&loaded.sources, &findings);
        findings = Vec::new();
    }
    if options.drop_suppressed {
        suppressed = Vec::new();
    }
    Ok(Outcome {
        sources: loaded.sources,
        project: loaded.project,
        findings,
        suppressed,
        summary,
        vocab,
        facts,
        by_rule,
    })
}

/// What every finding goes through after the rules, in one list or a batch of files'
/// at a time: the allows (and the `invalid-allow` findings they give), the configured
/// levels and per-path levels, the order every output uses, and duplicates. Returns the
/// kept findings and the suppressed ones, each sorted.
fn settle<A: std::borrow::Borrow<suppress::Allow>>(
    findings: Vec<Finding>,
    allows: &[A],
    options: &Options,
    selected: &dyn Fn(&str) -> bool,
    ranks: &FileRanks<'_>,
) -> (Vec<Finding>, Vec<Suppressed>) {
    let (mut findings, mut suppressed, allow_findings) = apply_allows(allows, findings, selected);
    if selected(rules::invalid_allow::RULE.name) {
        // Exactly: growing by doubling would hold room for twice the findings.
        findings.reserve_exact(allow_findings.len());
        findings.extend(allow_findings);
    }
    for f in &mut findings {
        if let Some(Level::On(severity)) = options.levels.get(f.rule.name()) {
            f.severity = *severity;
        }
    }
    if !options.per_path.is_empty() {
        findings = apply_per_path(&options.per_path, findings, ranks.sources);
    }
    sort_in_place(&mut findings, |a, b| ranks.compare(a, b));
    findings.dedup();
    sort_in_place(&mut suppressed, |a, b| {
        ranks.compare(&a.finding, &b.finding)
    });
    (findings, suppressed)
}

/// What [`stream`] counted and kept.
struct Streamed {
    summary: Summary,
    suppressed: Vec<Suppressed>,
    by_rule: RuleCounts,
}

/// The rules over the project a batch of files at a time, each file's findings
/// settled ([`settle`]) and handed to `sink` as soon as no batch still to check can
/// report in it (see [`run_streamed`]).
fn stream(
    ctx: &mut Ctx<'_>,
    loaded: &formats::Loaded,
    chosen: &[&rules::Rule],
    options: &Options,
    selected: &dyn Fn(&str) -> bool,
    sink: Sink<'_>,
) -> Streamed {
    let sources = &loaded.sources;
    let ranks = FileRanks::new(sources);
    let rank = |file: crate::source::FileId| ranks.rank.get(file.index()).copied();
    let at = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    // Files in path order.
    let mut order: Vec<usize> = (0..loaded.parts.len()).collect();
    order.sort_by_key(|&i| (ranks.rank.get(i).copied(), i));
    // Problems by file, and allows by rank, each in their list's order. A problem
    // placed in no file the run read (none is, today) goes with the last file.
    let last = order.last().copied().unwrap_or(0);
    let mut problems: Vec<(usize, u32)> = loaded
        .problems
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let file = p.loc.file.index();
            (if file < order.len() { file } else { last }, at(i))
        })
        .collect();
    problems.sort_unstable();
    let mut allows: Vec<(u32, usize)> = loaded
        .allows
        .iter()
        .enumerate()
        .map(|(i, a)| (rank(a.at.file).unwrap_or(u32::MAX), i))
        .collect();
    allows.sort_unstable();
    let add = |batch: &mut rules::Batch, file: usize| {
        if let Some(p) = loaded.parts.get(file) {
            rules::Batch::push(&mut batch.forms, p.forms.clone());
            rules::Batch::push(&mut batch.data, p.data.clone());
            rules::Batch::push(&mut batch.personalizations, p.personalizations.clone());
        }
        let first = problems.partition_point(|&(f, _)| f < file);
        let theirs = problems.get(first..).unwrap_or_default();
        for &(_, i) in theirs.iter().take_while(|&&(f, _)| f == file) {
            rules::Batch::push(&mut batch.problems, i..i.saturating_add(1));
        }
    };
    // Files whose items may report in other files: their format links files, or they
    // declare a data item whose id is declared elsewhere too.
    let mut linked: Vec<bool> = loaded.parts.iter().map(|p| p.linked).collect();
    for file in ctx.linked_files() {
        if let Some(l) = linked.get_mut(file.index()) {
            *l = true;
        }
    }
    let linked = |file: usize| linked.get(file).copied().unwrap_or(false);
    let mut out = Streamed {
        summary: Summary::default(),
        suppressed: Vec::new(),
        by_rule: RuleCounts::default(),
    };
    // Findings not yet handed over, by their file's rank.
    let mut waiting: BTreeMap<u32, Vec<Finding>> = BTreeMap::new();
    let mut next_allow = 0;
    // The rank below which every file's findings are written.
    let mut written: Option<u32> = None;
    let size = options.batch_files.map_or(BATCH_FILES, |n| n.get());
    let chunks: Vec<&[usize]> = order.chunks(size).collect();
    for (k, chunk) in chunks.iter().enumerate() {
        let mut batch = rules::Batch::default();
        if k == 0 {
            // Items that may report in any file: checked before anything is written.
            for &file in order.iter().filter(|&&f| linked(f)) {
                add(&mut batch, file);
            }
        }
        for &file in chunk.iter().filter(|&&f| !linked(f)) {
            add(&mut batch, file);
        }
        ctx.set_batch(batch);
        let mut found = join(check_all(ctx, chosen, options.threads));
        // Every file before the next batch's first is complete: no batch left reports
        // in it.
        let bound = chunks
            .get(k + 1)
            .and_then(|c| c.first())
            .and_then(|&f| ranks.rank.get(f).copied());
        let rank_of = |f: &Finding| rank(f.primary.loc.file).unwrap_or(u32::MAX);
        // A file already written gets no more findings: every item that may report
        // outside its own file was checked first.
        debug_assert!(
            found
                .iter()
                .all(|f| written.is_none_or(|w| rank_of(f) >= w)),
            "a finding in a file already written"
        );
        // Findings in later files (a linked item's) wait for their files' turn; the
        // ones that waited for this turn join the batch's.
        if let Some(b) = bound {
            for f in found.extract_if(.., |f| rank_of(f) >= b) {
                waiting.entry(rank_of(&f)).or_default().push(f);
            }
        }
        let ready = match bound {
            Some(b) => {
                let later = waiting.split_off(&b);
                std::mem::replace(&mut waiting, later)
            }
            None => std::mem::take(&mut waiting),
        };
        found.extend(ready.into_values().flatten());
        written = bound;
        let end = bound.map_or(allows.len(), |b| allows.partition_point(|&(r, _)| r < b));
        let their_allows: Vec<&suppress::Allow> = allows
            .get(next_allow..end)
            .unwrap_or_default()
            .iter()
            .filter_map(|&(_, i)| loaded.allows.get(i))
            .collect();
        next_allow = end.max(next_allow);
        let (mut kept, suppressed) = settle(found, &their_allows, options, selected, &ranks);
        if let Some(min) = options.min_confidence {
            kept.retain(|f| f.confidence >= min);
        }
        tally(&kept, &mut out.summary, &mut out.by_rule);
        out.summary.suppressed += suppressed.len();
        if !options.drop_suppressed {
            out.suppressed.extend(suppressed);
        }
        if !kept.is_empty() {
            sink(sources, &kept);
        }
    }
    out.suppressed.shrink_to_fit();
    out
}

/// Run `chosen` rules over the project, on as many threads as there are cores (up to
/// one per rule, at most `limit`): the rules only read the context. Returns each rule's
/// findings, in rule order, as if run one after the other.
///
/// Each rule's list is shrunk to its length as soon as the rule is done (issue 14): the
/// rules' lists grew by doubling, and one list that every rule added to held up to twice
/// the findings while the context was still alive. [`join`] makes them one list once the
/// context is freed.
fn check_all(
    ctx: &Ctx<'_>,
    chosen: &[&rules::Rule],
    limit: Option<std::num::NonZeroUsize>,
) -> Vec<Vec<Finding>> {
    // A small project is checked on this thread, without asking the system for its
    // cores (cgroup files read on every call).
    let small = ctx.project.forms.len() + ctx.project.personalizations.len() < 64;
    let threads = if small {
        1
    } else {
        limit
            .or_else(|| std::thread::available_parallelism().ok())
            .map_or(1, |n| n.get())
            .min(chosen.len())
    };
    let run = |rule: &rules::Rule| {
        let mut found = Vec::new();
        (rule.check)(ctx, &mut found);
        share_helps(&mut found);
        found.shrink_to_fit();
        found
    };
    if threads <= 1 {
        return chosen.iter().map(|rule| run(rule)).collect();
    }
    // Rule i runs in share i % threads; each rule's list goes back to its place in
    // rule order.
    let shares = crate::parallel::each_part(0..threads, |t| {
        chosen
            .iter()
            .enumerate()
            .skip(t)
            .step_by(threads)
            .map(|(i, rule)| (i, run(rule)))
            .collect::<Vec<_>>()
    });
    let mut blocks: Vec<Vec<Finding>> = chosen.iter().map(|_| Vec::new()).collect();
    for share in shares {
        // A rule that panics is a bug: let it fail the run as it would on one thread.
        let share = share.unwrap_or_else(|payload| std::panic::resume_unwind(payload));
        for (i, found) in share {
            if let Some(slot) = blocks.get_mut(i) {
                *slot = found;
            }
        }
    }
    blocks
}

/// The rules' findings as one list of exactly their number, each rule's in its order.
///
/// The findings are never held twice (issue 14: a new list of all of them, filled while
/// the rules' lists were alive, was a second copy at the run's peak): the largest list
/// is kept and grown by each other list's length just before that list is moved into it
/// and freed, so the lists and the joined list together never hold more than the
/// findings and one list's room. The order of the rules' blocks does not matter: the
/// findings are sorted next, and findings of different rules never compare equal.
fn join(mut blocks: Vec<Vec<Finding>>) -> Vec<Finding> {
    let largest = blocks
        .iter()
        .enumerate()
        .max_by_key(|(i, b)| (b.len(), std::cmp::Reverse(*i)))
        .map(|(i, _)| i);
    let mut all = match largest {
        Some(i) => blocks.swap_remove(i),
        None => return Vec::new(),
    };
    for mut block in blocks {
        all.reserve_exact(block.len());
        all.append(&mut block);
    }
    all
}

/// One copy of each help text among `findings`: a rule gives the same advice to
/// thousands of findings (issue 14: 1.8 MB of 4 distinct texts at 2,000 forms).
fn share_helps(findings: &mut [Finding]) {
    let mut seen: std::collections::HashSet<crate::finding::Help, foldhash::fast::FixedState> =
        std::collections::HashSet::default();
    // A rule mostly gives the same text to consecutive findings: compare with the last
    // one before hashing.
    let mut last: Option<crate::finding::Help> = None;
    for f in findings {
        if let Some(help) = &mut f.help {
            if let Some(l) = last.as_ref().filter(|l| ***l == **help) {
                *help = l.clone();
                continue;
            }
            match seen.get(help) {
                Some(first) => *help = first.clone(),
                None => {
                    seen.insert(help.clone());
                }
            }
            last = Some(help.clone());
        }
    }
}

/// Hide the findings allows cover, and judge the allows: one without a reason or
/// naming an unknown rule suppresses nothing; one naming a rule that ran and hid no
/// finding is stale. Returns the kept findings, the suppressed ones and the
/// `invalid-allow` findings.
fn apply_allows<A: std::borrow::Borrow<suppress::Allow>>(
    allows: &[A],
    findings: Vec<Finding>,
    ran: &dyn Fn(&str) -> bool,
) -> (Vec<Finding>, Vec<Suppressed>, Vec<Finding>) {
    use rules::invalid_allow;
    let mut problems = Vec::new();
    // For each allow, the rule names that may suppress, and whether each one did.
    let mut usable: Vec<Vec<(&crate::model::Text, bool)>> = Vec::new();
    for a in allows {
        let a = a.borrow();
        if a.rules.is_empty() {
            problems.push(invalid_allow::no_rule(a.at));
        }
        for name in &a.rules {
            if rules::find(&name.value).is_none() {
                let hint = crate::suggest::did_you_mean(&name.value, rules::names());
                problems.push(invalid_allow::unknown_rule(name, hint));
            }
        }
        let known: Vec<&crate::model::Text> = a
            .rules
            .iter()
            .filter(|n| rules::find(&n.value).is_some())
            .collect();
        if a.reason.is_none() && !a.rules.is_empty() {
            problems.push(invalid_allow::no_reason(a.at, &a.rules));
            usable.push(Vec::new());
        } else {
            usable.push(known.into_iter().map(|n| (n, false)).collect());
        }
    }
    let names: Vec<Vec<&str>> = usable
        .iter()
        .map(|names| names.iter().map(|(n, _)| n.as_str()).collect())
        .collect();
    let matched = suppress::first_covering(allows, &names, &findings);
    // The accepted findings leave the list in place: a second list of the kept ones
    // held every finding twice (issue 14).
    let mut kept = findings;
    let mut hits = matched.into_iter();
    let mut by = Vec::new();
    let accepted: Vec<Finding> = kept
        .extract_if(.., |_| {
            let allow = hits.next().flatten().and_then(|(i, j)| {
                let slot = usable.get_mut(i)?.get_mut(j)?;
                slot.1 = true;
                allows.get(i).map(|a| a.borrow())
            });
            by.extend(allow);
            allow.is_some()
        })
        .collect();
    let suppressed = accepted
        .into_iter()
        .zip(by)
        .map(|(f, a)| Suppressed {
            finding: f,
            reason: a.reason.as_deref().unwrap_or_default().to_string(),
            by: a.at,
        })
        .collect();
    for names in &usable {
        for (name, used) in names {
            if !used && ran(&name.value) && name.as_str() != invalid_allow::RULE.name {
                problems.push(invalid_allow::unused(name));
            }
        }
    }
    (kept, suppressed, problems)
}

/// `per-path`: the level the last matching entry gives a finding's rule, for the
/// file the finding is in; `off` drops it.
fn apply_per_path(
    per_path: &[(Glob, BTreeMap<String, Level>)],
    findings: Vec<Finding>,
    sources: &Sources,
) -> Vec<Finding> {
    findings
        .into_iter()
        .filter_map(|mut f| {
            let path = sources.display(f.primary.loc.file);
            let level = per_path
                .iter()
                .rev()
                .filter(|(glob, _)| glob.matches(path))
                .find_map(|(_, levels)| levels.get(f.rule.name()));
            match level {
                Some(Level::Off) => None,
                Some(Level::On(severity)) => {
                    f.severity = *severity;
                    Some(f)
                }
                None => Some(f),
            }
        })
        .collect()
}

/// Count reported findings: by severity in the summary, and by rule.
fn tally(findings: &[Finding], summary: &mut Summary, by_rule: &mut RuleCounts) {
    for f in findings {
        by_rule.add(f);
        match f.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Info => summary.infos += 1,
        }
    }
}

/// File, line, column, rule, message: the order every output uses.
pub fn sort(findings: &mut [Finding], sources: &Sources) {
    let ranks = FileRanks::new(sources);
    sort_in_place(findings, |a, b| ranks.compare(a, b));
}

/// A stable sort that moves each item once: it sorts indices, then applies the
/// permutation by swaps (as `sort_by_cached_key` does), instead of moving the large
/// findings at every merge step.
fn sort_in_place<T>(items: &mut [T], compare: impl Fn(&T, &T) -> std::cmp::Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| match (items.get(a), items.get(b)) {
        (Some(x), Some(y)) => compare(x, y),
        _ => a.cmp(&b),
    });
    permute(items, order);
}

/// Put `items[order[i]]` at place i for every i, by swaps: each item moves once.
/// `order` must be a permutation of the places.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for i in 0..order.len() {
        // The item meant for place i started at order[i]; if that place was already
        // filled, the item was swapped away to where the earlier place's item came from.
        let mut from = order.get(i).copied().unwrap_or(i);
        while from < i {
            from = order.get(from).copied().unwrap_or(i);
        }
        if let Some(slot) = order.get_mut(i) {
            *slot = from;
        }
        items.swap(i, from);
    }
}

/// Each file's place in the order of shown paths, computed once per sort: findings
/// compare by rank instead of by path, and borrow their messages instead of copying
/// them into a key (at 50,000 files the copies and path comparisons were a fifth of the
/// run, issue 14). Ranks follow the paths' order, equal paths have equal ranks, so the
/// order is the one of comparing paths.
struct FileRanks<'s> {
    sources: &'s Sources,
    rank: Vec<u32>,
}

impl<'s> FileRanks<'s> {
    fn new(sources: &'s Sources) -> Self {
        let shown = |i: usize| sources.display(crate::source::FileId::new(i));
        let mut order: Vec<usize> = (0..sources.len()).collect();
        order.sort_by(|a, b| shown(*a).cmp(shown(*b)));
        let mut rank = vec![0u32; sources.len()];
        let mut current = 0u32;
        for (n, pair) in order.iter().enumerate() {
            if n > 0
                && order
                    .get(n - 1)
                    .is_some_and(|prev| shown(*prev) != shown(*pair))
            {
                current += 1;
            }
            if let Some(r) = rank.get_mut(*pair) {
                *r = current;
            }
        }
        FileRanks { sources, rank }
    }

    fn compare(&self, a: &Finding, b: &Finding) -> std::cmp::Ordering {
        let (fa, fb) = (a.primary.loc.file, b.primary.loc.file);
        let files = match (self.rank.get(fa.index()), self.rank.get(fb.index())) {
            (Some(ra), Some(rb)) => ra.cmp(rb),
            // A file the run does not know shows as `<unknown>`: compare what is shown.
            _ => self.sources.display(fa).cmp(self.sources.display(fb)),
        };
        files
            .then(a.primary.loc.span.start().cmp(&b.primary.loc.span.start()))
            .then_with(|| a.rule.name().cmp(b.rule.name()))
            .then_with(|| a.message.cmp(&b.message))
            .then(a.primary.loc.span.len.cmp(&b.primary.loc.span.len))
    }
}

#[cfg(test)]
mod tests {
    use super::{permute, sort_in_place};

    #[test]
    fn permuting_puts_each_item_where_the_order_says() {
        // Blocks of rules 2, 0, 1 as they were joined, put back in rule order.
        let mut items = vec!["c1", "a1", "a2", "b1", "b2", "b3"];
        permute(&mut items, vec![1, 2, 3, 4, 5, 0]);
        assert_eq!(items, ["a1", "a2", "b1", "b2", "b3", "c1"]);
        let mut reversed: Vec<u32> = (0..7).collect();
        permute(&mut reversed, (0..7).rev().collect());
        assert_eq!(reversed, [6, 5, 4, 3, 2, 1, 0]);
    }

    #[test]
    fn sorting_by_index_is_stable_and_matches_a_plain_sort() {
        // (key, original place): many equal keys, in a scrambled order.
        let items: Vec<(u32, usize)> = (0..500).map(|i| ((i * 7919 % 13) as u32, i)).collect();
        let mut expected = items.clone();
        expected.sort_by_key(|a| a.0);
        let mut sorted = items;
        sort_in_place(&mut sorted, |a, b| a.0.cmp(&b.0));
        assert_eq!(sorted, expected);
        // Equal keys keep their original order.
        assert!(
            sorted
                .windows(2)
                .all(|w| w[0].0 < w[1].0 || w[0].1 < w[1].1)
        );
    }
}
