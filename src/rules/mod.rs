//! The rule registry: one ordered list of every rule, and the context rules read.
//! A rule finds problems in the model; it never filters, counts or prints.

pub mod aggressive_frequency;
mod autocomplete_mismatch;
mod classify;
mod cross_context;
mod field_words;
mod hidden_collection;
mod inferred_data;
pub mod invalid_allow;
mod invalid_file;
pub mod location_trigger;
mod message_reveals_tracking;
mod missing_purpose;
mod missing_retention;
mod observed_data;
pub mod params;
mod person;
mod prechecked_consent;
mod purpose_mismatch;
mod required_without_need;
mod sensitive_data;
mod sensitive_targeting;
mod sensitive_use;
mod third_party_sharing;
pub mod tracking;
mod undeclared_data;
mod unexplained_personalization;
mod unused_data;
mod vague_purpose;

use std::collections::BTreeMap;

/// A map keyed by data id, with a fixed (deterministic) fast hash.
pub(crate) type IdMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

pub use classify::{Fact, Facts, LocationClass, Resolved, SensitiveHit};
pub use field_words::{FieldWords, NameHit};
pub use params::Params;
pub(crate) use sensitive_data::reads_choice;

use crate::finding::Finding;
pub use crate::identity::{Concern, RuleId, RuleMeta};
use crate::model::{DeclRef, Field, ItemInfo, Problem, Project};
use crate::source::Sources;
use crate::vocab::Vocab;

/// What every rule may read, built once per run: the model, the run's term lists and
/// options, the rules' parameters, and the facts of every data id ([`Facts`]).
pub struct Ctx<'a> {
    pub project: &'a Project,
    pub sources: &'a Sources,
    pub vocab: &'a Vocab,
    pub problems: &'a [Problem],
    pub options: &'a RuleOptions,
    /// Thresholds and word lists from `rules/<rule>.yaml`.
    pub params: &'static Params,
    /// Frequency caps by channel: the defaults, overridden by `options`.
    pub limits: aggressive_frequency::Limits,
    /// The declarations of every declared id, at the id's place in `facts` (the
    /// facts' map finds both: a second map of the same ids held 0.8 MiB at 2,000
    /// forms, issue 14): 8 bytes each ([`Packed`]), the merged view ([`ItemInfo`]) built
    /// when asked.
    items: Vec<Packed>,
    /// The merged views of the ids declared more than once (few: [`ItemRef::Merged`]),
    /// each with the place (in `field_words`) of the field its facts read, `u32::MAX`
    /// for none.
    merged: Vec<(ItemInfo<'a>, u32)>,
    /// What the term lists find in every form field's name and label, found once.
    field_words: FieldWords<'a>,
    /// Whether a personalization reads the id at each place of `facts`, a bit a place
    /// (every read id has a place: [`Ctx::compute_facts`] gives one to those no file
    /// declares). A set of the read ids held 4.5 MB at the 50,001-file project (issue
    /// 14).
    used: Vec<u64>,
    facts: Facts,
    /// The items the rules check now: every item, or the files of one batch
    /// ([`Ctx::set_batch`]). Everything else the context answers is about the whole
    /// project.
    batch: Batch,
    /// The files of the data items whose id is declared more than once, in order.
    linked: Vec<crate::source::FileId>,
    /// Every declared id, sorted for did-you-mean questions: made at the first question
    /// ([`Ctx::did_you_mean`]), which most runs never ask.
    nearest: std::sync::OnceLock<crate::suggest::Nearest<'a>>,
}

/// The items of some files, as places in the project's lists: what the rules check at
/// a time when `check` writes its findings a batch of files at a time (issue 14). A
/// file's items are consecutive in each list, so a batch is a few ranges.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    pub forms: Vec<std::ops::Range<u32>>,
    pub data: Vec<std::ops::Range<u32>>,
    pub personalizations: Vec<std::ops::Range<u32>>,
    pub problems: Vec<std::ops::Range<u32>>,
}

impl Batch {
    /// Every item of `project` and every problem.
    pub fn whole(project: &Project, problems: &[Problem]) -> Self {
        let all = |n: usize| std::iter::once(0..u32::try_from(n).unwrap_or(u32::MAX)).collect();
        Batch {
            forms: all(project.forms.len()),
            data: all(project.data.len()),
            personalizations: all(project.personalizations.len()),
            problems: all(problems.len()),
        }
    }

    /// Add `range` to `ranges`, joined with the last range when they touch.
    pub fn push(ranges: &mut Vec<std::ops::Range<u32>>, range: std::ops::Range<u32>) {
        if range.is_empty() {
            return;
        }
        match ranges.last_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => ranges.push(range),
        }
    }
}

/// The items of `all` at `ranges`, with their places.
fn picked<'s, 'a: 's, T>(
    all: &'a crate::model::Items<T>,
    ranges: &'s [std::ops::Range<u32>],
) -> impl Iterator<Item = (usize, &'a T)> + Clone + 's {
    ranges
        .iter()
        .flat_map(move |r| all.range(r.start as usize..r.end as usize))
}

/// [`picked`] of a slice (the files' problems).
fn picked_of<'s, 'a: 's, T>(
    all: &'a [T],
    ranges: &'s [std::ops::Range<u32>],
) -> impl Iterator<Item = (usize, &'a T)> + Clone + 's {
    ranges.iter().flat_map(move |r| {
        (r.start as usize..r.end as usize).filter_map(move |i| all.get(i).map(|x| (i, x)))
    })
}

/// Where a declared id is declared: its one declaration, or its merged view in
/// `Ctx::merged`. An [`ItemInfo`] per id (144 bytes and a list of uses) was the rules'
/// largest list but one, 2.3 MB at 2,000 forms (issue 14); most ids have one
/// declaration, whose view is a few reads away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ItemRef {
    Field { form: u32, field: u32 },
    Data(u32),
    Merged(u32),
}

/// An [`ItemRef`] in 8 bytes, as the context holds one for every declared id (400,000 at
/// 50,000 forms; 12 bytes with the enum's tag): the kind in the top two bits, a field's
/// place in its form (30 bits) above its form's (32 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Packed(u64);

impl Packed {
    const KIND: u32 = 62;
    const FIELD: u64 = 0;
    const DATA: u64 = 1;
    const MERGED: u64 = 2;

    /// `item` packed, when its numbers fit (a field's place in its form is below 2^30:
    /// a form of 8 MiB cannot have more fields).
    fn new(item: ItemRef) -> Option<Self> {
        let (kind, high, low) = match item {
            ItemRef::Field { form, field } => (Self::FIELD, field, form),
            ItemRef::Data(i) => (Self::DATA, 0, i),
            ItemRef::Merged(i) => (Self::MERGED, 0, i),
        };
        (high < 1 << 30)
            .then(|| Packed(kind << Self::KIND | u64::from(high) << 32 | u64::from(low)))
    }

    fn get(self) -> ItemRef {
        let low = (self.0 & u64::from(u32::MAX)) as u32;
        let high = ((self.0 >> 32) & ((1 << 30) - 1)) as u32;
        match self.0 >> Self::KIND {
            Self::FIELD => ItemRef::Field {
                form: low,
                field: high,
            },
            Self::DATA => ItemRef::Data(low),
            _ => ItemRef::Merged(low),
        }
    }
}

/// Options of rules that have any (set from the configuration).
#[derive(Debug, Clone, Default)]
pub struct RuleOptions {
    /// `aggressive-frequency` limits by channel name, overriding the defaults; a name
    /// that is no channel is ignored (the configuration rejects it).
    pub frequency_limits: BTreeMap<String, crate::model::Frequency>,
}

/// How many threads a step of `work` items of the context runs on: one for a small
/// step (a thread costs more than a few thousand items; and the system is not asked
/// for its cores), else `limit` or one per core.
pub(crate) fn threads_for(work: usize, limit: Option<std::num::NonZeroUsize>) -> usize {
    const FEW: usize = 4_000;
    if work < FEW {
        return 1;
    }
    limit
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, |n| n.get())
        .clamp(1, work / (FEW / 2))
}

impl<'a> Ctx<'a> {
    /// The context of a run, built on one thread per core (see [`Ctx::on`]).
    pub fn new(
        project: &'a Project,
        sources: &'a Sources,
        vocab: &'a Vocab,
        problems: &'a [Problem],
        options: &'a RuleOptions,
    ) -> Self {
        Self::on(project, sources, vocab, problems, options, None)
    }

    /// The context of a run; its independent steps (every field's words, every declared
    /// item's facts) run on at most `threads` threads (`None`: one per core), with the
    /// same result as on one.
    pub fn on(
        project: &'a Project,
        sources: &'a Sources,
        vocab: &'a Vocab,
        problems: &'a [Problem],
        options: &'a RuleOptions,
        threads: Option<std::num::NonZeroUsize>,
    ) -> Self {
        let field_words = FieldWords::on(project, vocab, threads);
        let Declarations {
            table: declarations,
            lists,
            bytes,
        } = hashed_declarations(project);
        // Exactly their number: the context's largest lists (issue 14).
        let mut items = Vec::with_capacity(declarations.len());
        let mut merged = Vec::new();
        let mut facts = Facts::with_capacity(declarations.len(), bytes);
        let mut linked = Vec::new();
        for decls in declarations {
            let Some(id) = decl_id(project, &lists, decls) else {
                continue;
            };
            let one;
            let decls: &[DeclRef] = match decls.held() {
                Some(held) => {
                    one = held;
                    std::slice::from_ref(&one)
                }
                None => decls.list(&lists).unwrap_or_default(),
            };
            if decls.len() > 1 {
                // A data item's findings read the id's merged view, which may point into
                // any of its declarations' files (a field's `sensitive:`).
                linked.extend(decls.iter().filter_map(|d| match *d {
                    DeclRef::Field { .. } => None,
                    DeclRef::Data(i) => project.data.get(i).map(|d| d.id.loc.file),
                }));
            }
            let item = match *decls {
                [DeclRef::Field { form, field }] => u32::try_from(form)
                    .ok()
                    .zip(u32::try_from(field).ok())
                    .map(|(form, field)| ItemRef::Field { form, field }),
                [DeclRef::Data(i)] => u32::try_from(i).ok().map(ItemRef::Data),
                _ => project.item_of(decls).and_then(|info| {
                    let place = u32::try_from(merged.len()).ok()?;
                    // Which of the declarations is the field `item_of` chose.
                    let field = info.field.and_then(|chosen| {
                        decls.iter().find_map(|d| match *d {
                            DeclRef::Field { form, field } => project
                                .field(form, field)
                                .is_some_and(|f| std::ptr::eq(f, chosen))
                                .then(|| field_words.place(form, field))
                                .flatten(),
                            DeclRef::Data(_) => None,
                        })
                    });
                    let field = field.and_then(|p| u32::try_from(p).ok());
                    merged.push((info, field.unwrap_or(u32::MAX)));
                    Some(ItemRef::Merged(place))
                }),
            };
            // Every declaration is one of the project's (grouped from its lists).
            let Some(item) = item.and_then(Packed::new) else {
                continue;
            };
            if facts.add(id).is_none() {
                break;
            }
            items.push(item);
        }
        items.shrink_to_fit();
        merged.shrink_to_fit();
        linked.sort_unstable();
        linked.dedup();
        linked.shrink_to_fit();
        let params = Params::builtin();
        let mut ctx = Self {
            project,
            sources,
            vocab,
            problems,
            options,
            params,
            limits: aggressive_frequency::Limits::with_overrides(
                &params.default_limits,
                &options.frequency_limits,
            ),
            items,
            merged,
            field_words,
            used: Vec::new(),
            facts,
            batch: Batch::whole(project, problems),
            linked,
            nearest: std::sync::OnceLock::new(),
        };
        ctx.compute_facts(threads);
        ctx
    }

    /// The files of the data items whose id is declared more than once: a rule that
    /// checks such an item may report in another declaration's file, through the id's
    /// merged view (`sensitive-data` at a `sensitive:` written on the form field that
    /// the item describes too).
    pub fn linked_files(&self) -> &[crate::source::FileId] {
        &self.linked
    }

    /// Check the items of `batch` from now on (see [`Batch`]).
    pub fn set_batch(&mut self, batch: Batch) {
        self.batch = batch;
    }

    /// The forms the rules check now (every form, or the batch's), with their places
    /// in the project's list.
    pub fn forms_at(&self) -> impl Iterator<Item = (usize, &'a crate::model::Form)> + Clone + '_ {
        picked(&self.project.forms, &self.batch.forms)
    }

    /// The forms the rules check now.
    pub fn forms(&self) -> impl Iterator<Item = &'a crate::model::Form> + Clone + '_ {
        self.forms_at().map(|(_, f)| f)
    }

    /// The data items the rules check now.
    pub fn data(&self) -> impl Iterator<Item = &'a crate::model::DataDecl> + Clone + '_ {
        picked(&self.project.data, &self.batch.data).map(|(_, d)| d)
    }

    /// The personalizations the rules check now.
    pub fn personalizations(
        &self,
    ) -> impl Iterator<Item = &'a crate::model::Personalization> + Clone + '_ {
        picked(&self.project.personalizations, &self.batch.personalizations).map(|(_, p)| p)
    }

    /// The files' problems the rules report now.
    pub fn problems(&self) -> impl Iterator<Item = &'a Problem> + Clone + '_ {
        picked_of(self.problems, &self.batch.problems).map(|(_, p)| p)
    }

    /// The facts of every data id, shared by the rules.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// The merged declaration of a data id, if it is declared (built now: see
    /// [`ItemRef`]).
    pub fn item(&self, id: &str) -> Option<ItemInfo<'a>> {
        self.item_at(self.facts.place_of(id)?)
    }

    /// The merged declaration of the declared id at `place`.
    fn item_at(&self, place: usize) -> Option<ItemInfo<'a>> {
        match self.items.get(place)?.get() {
            ItemRef::Field { form, field } => self.project.item_of_one(DeclRef::Field {
                form: form as usize,
                field: field as usize,
            }),
            ItemRef::Data(i) => self.project.item_of_one(DeclRef::Data(i as usize)),
            ItemRef::Merged(i) => self.merged.get(i as usize).map(|(info, _)| info.clone()),
        }
    }

    /// The id of the declared id at `place`, without building its view.
    fn id_at(&self, place: usize) -> Option<&'a str> {
        let project = self.project;
        match self.items.get(place)?.get() {
            ItemRef::Field { form, field } => project
                .field(form as usize, field as usize)
                .map(|f| f.id.as_str()),
            ItemRef::Data(i) => project.data.get(i as usize).map(|d| d.id.as_str()),
            ItemRef::Merged(i) => self.merged.get(i as usize).map(|(info, _)| info.id),
        }
    }

    /// What the term lists find in the name and label of field `field_index` of form
    /// `form` (`field` itself): found once per run, or now when the run keeps none.
    pub fn name_words(
        &self,
        form: usize,
        field_index: usize,
        field: &Field,
    ) -> (std::borrow::Cow<'_, [NameHit<'a>]>, bool) {
        match self
            .field_words
            .place(form, field_index)
            .and_then(|p| self.field_words.at(p))
        {
            Some((hits, relationship)) => (std::borrow::Cow::Borrowed(hits), relationship),
            None => {
                let words = field_words::NameWords::of(self.vocab, field);
                (std::borrow::Cow::Owned(words.hits), words.relationship)
            }
        }
    }

    /// The name-and-label hits of the field the facts of the declared id at `place`
    /// read, when the run has them.
    fn item_name_hits(&self, place: usize) -> Option<&[NameHit<'a>]> {
        let words = match self.items.get(place)?.get() {
            ItemRef::Field { form, field } => {
                self.field_words.place(form as usize, field as usize)?
            }
            ItemRef::Data(_) => return None,
            ItemRef::Merged(i) => self.merged.get(i as usize)?.1 as usize,
        };
        self.field_words.at(words).map(|(hits, _)| hits)
    }

    /// Every declared data id, in no particular order (for did-you-mean suggestions,
    /// which pick the closest and then the first in sorted order).
    pub fn declared_ids(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.items.len()).filter_map(|place| self.id_at(place))
    }

    /// The declared id closest to `id`, when one is close enough to be a typo of it
    /// (what [`crate::suggest::did_you_mean`] picks among [`Ctx::declared_ids`]).
    pub fn did_you_mean(&self, id: &str) -> Option<&'a str> {
        self.nearest
            .get_or_init(|| crate::suggest::Nearest::new(self.declared_ids()))
            .find(id)
    }

    /// Whether any personalization reads a data id.
    pub fn is_used(&self, id: &str) -> bool {
        self.facts
            .place_of(id)
            .is_some_and(|place| crate::bits::has(&self.used, place))
    }
}

/// [`Project::declarations`] grouped in a hash table: the same declarations per id in
/// the same order, without ordering the ids (an ordered map compared ids with long
/// shared prefixes byte by byte, issue 14). The table holds only each id's
/// declarations (8 bytes a slot, [`Decls`]), found again by the id of the first
/// ([`decl_id`]), and is made at its final size: a map of (id, declarations) was 32 bytes
/// a slot and doubled as it filled, so at 500,000 field ids its last two tables (52 MB)
/// were held at once while the rules' context was built, and stayed resident after
/// (issue 14). The ids declared more than once have their list in `lists`.
/// Also returns the bytes of the distinct ids, for the facts' room.
fn hashed_declarations(project: &Project) -> Declarations {
    use crate::model::DeclRef;
    let fields: usize = project.forms.iter().map(|f| f.fields.len()).sum();
    let mut out = Declarations {
        table: hashbrown::HashTable::with_capacity(project.data.len() + fields),
        lists: Vec::new(),
        bytes: 0,
    };
    let Declarations {
        table,
        lists,
        bytes,
    } = &mut out;
    let mut add = |id: &str, decl: DeclRef| {
        let hash = |d: &Decls| decl_id(project, lists, *d).map_or(0, crate::model::id_hash);
        match table.entry(
            crate::model::id_hash(id),
            |d| decl_id(project, lists, *d) == Some(id),
            hash,
        ) {
            hashbrown::hash_table::Entry::Occupied(mut e) => e.get_mut().push(decl, lists),
            hashbrown::hash_table::Entry::Vacant(e) => {
                *bytes += id.len();
                e.insert(Decls::one(decl, lists));
            }
        }
    };
    for (i, d) in project.data.iter().enumerate() {
        add(d.id.as_str(), DeclRef::Data(i));
    }
    for (fi, form) in project.forms.iter().enumerate() {
        for (i, f) in form.fields.iter().enumerate() {
            add(f.id.as_str(), DeclRef::Field { form: fi, field: i });
        }
    }
    out
}

/// The project's declarations grouped by id ([`hashed_declarations`]).
struct Declarations {
    table: hashbrown::HashTable<Decls>,
    /// The declarations of the ids declared more than once (or whose one declaration
    /// does not fit a slot), in the order met.
    lists: Vec<Vec<crate::model::DeclRef>>,
    /// The bytes of the distinct ids.
    bytes: usize,
}

/// The id declarations are grouped by: the first one's.
fn decl_id<'p>(
    project: &'p Project,
    lists: &[Vec<crate::model::DeclRef>],
    decls: Decls,
) -> Option<&'p str> {
    use crate::model::DeclRef;
    match decls.first(lists)? {
        DeclRef::Field { form, field } => project.field(form, field).map(|f| f.id.as_str()),
        DeclRef::Data(i) => project.data.get(i).map(|d| d.id.as_str()),
    }
}

/// One id's declarations, in the order met, in 8 bytes (one slot of the table that
/// groups them, made for every declared id: 500,000 at 50,000 forms). Most ids have one,
/// held in place: a field's form (32 bits) and its place in the form (31 bits), or a
/// data item's place with [`Decls::DATA`] as the field. An id declared more than once
/// (a field id such as `email` is declared by every form that asks for it) has a list
/// that grows as a list does, in [`Declarations::lists`], and the slot holds its place
/// there with [`Decls::MANY`] set. A slot of 16 bytes, with the list boxed in it, was
/// 17.8 MB of the 50,000 forms' peak (issue 14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Decls(u64);

impl Decls {
    /// Set when the slot holds the place of a list.
    const MANY: u64 = 1 << 63;
    /// The field part of a data item's slot.
    const DATA: u64 = (1 << 31) - 1;

    /// The slot of one declaration: in place when its numbers fit, else a list of one.
    fn one(decl: crate::model::DeclRef, lists: &mut Vec<Vec<crate::model::DeclRef>>) -> Self {
        use crate::model::DeclRef;
        let (a, b) = match decl {
            DeclRef::Field { form, field } => (form as u64, field as u64),
            DeclRef::Data(i) => (i as u64, Self::DATA),
        };
        // A field's place must stay below `DATA`, which marks a data item.
        let fits = a <= u64::from(u32::MAX) && (b < Self::DATA || matches!(decl, DeclRef::Data(_)));
        if fits {
            Decls(b << 32 | a)
        } else {
            Self::many(vec![decl], lists)
        }
    }

    /// The slot of a list, added to `lists`.
    fn many(list: Vec<crate::model::DeclRef>, lists: &mut Vec<Vec<crate::model::DeclRef>>) -> Self {
        lists.push(list);
        Decls(Self::MANY | (lists.len() - 1) as u64)
    }

    /// The declaration held in place, as the model names it (`None` for a list).
    fn held(self) -> Option<crate::model::DeclRef> {
        use crate::model::DeclRef;
        if self.0 & Self::MANY != 0 {
            return None;
        }
        let (a, b) = ((self.0 & u64::from(u32::MAX)) as usize, self.0 >> 32);
        Some(if b == Self::DATA {
            DeclRef::Data(a)
        } else {
            DeclRef::Field {
                form: a,
                field: b as usize,
            }
        })
    }

    /// Where the slot's list is in `lists` (`None` for a declaration held in place).
    fn list_at(self) -> Option<usize> {
        if self.0 & Self::MANY == 0 {
            return None;
        }
        usize::try_from(self.0 & !Self::MANY).ok()
    }

    /// The list of a slot that holds one (`None` for a declaration held in place).
    fn list(self, lists: &[Vec<crate::model::DeclRef>]) -> Option<&[crate::model::DeclRef]> {
        lists.get(self.list_at()?).map(Vec::as_slice)
    }

    fn first(self, lists: &[Vec<crate::model::DeclRef>]) -> Option<crate::model::DeclRef> {
        self.held()
            .or_else(|| self.list(lists).and_then(|l| l.first().copied()))
    }

    fn push(&mut self, decl: crate::model::DeclRef, lists: &mut Vec<Vec<crate::model::DeclRef>>) {
        match self.held() {
            Some(first) => *self = Self::many(vec![first, decl], lists),
            None => {
                if let Some(list) = self.list_at().and_then(|at| lists.get_mut(at)) {
                    list.push(decl);
                }
            }
        }
    }
}

pub type Check = fn(&Ctx<'_>, &mut Vec<Finding>);

/// A rule: its record ([`RuleMeta`]: name, default severity, concern, options) and its
/// check. Each rule file declares one `pub static RULE: Rule` and builds its findings
/// with `Finding::new(RULE.id(), ...)`; registering it is one line in [`RULES`].
///
/// ```ignore
/// pub static RULE: Rule = Rule {
///     meta: RuleMeta {
///         name: "my-rule",
///         severity: Severity::Warning,
///         concern: Concern::Purpose,
///         options: &[],
///     },
///     check,
/// };
/// ```
pub struct Rule {
    pub meta: RuleMeta,
    pub check: Check,
}

impl Rule {
    /// What findings of this rule carry.
    pub fn id(&'static self) -> RuleId {
        RuleId::new(&self.meta)
    }
}

impl std::ops::Deref for Rule {
    type Target = RuleMeta;
    fn deref(&self) -> &RuleMeta {
        &self.meta
    }
}

/// Every rule, in the order `creeplint rules` lists them.
pub static RULES: &[&Rule] = &[
    &missing_purpose::RULE,
    &inferred_data::RULE,
    &observed_data::RULE,
    &location_trigger::RULE,
    &sensitive_data::RULE,
    &sensitive_targeting::RULE,
    &sensitive_use::RULE,
    &undeclared_data::RULE,
    &invalid_file::RULE,
    &vague_purpose::RULE,
    &required_without_need::RULE,
    &prechecked_consent::RULE,
    &hidden_collection::RULE,
    &purpose_mismatch::RULE,
    &unused_data::RULE,
    &unexplained_personalization::RULE,
    &message_reveals_tracking::RULE,
    &aggressive_frequency::RULE,
    &cross_context::RULE,
    &third_party_sharing::RULE,
    &missing_retention::RULE,
    &autocomplete_mismatch::RULE,
    &invalid_allow::RULE,
];

pub fn find(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.name == name)
}

pub fn names() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.name)
}

/// A personalization's references grouped by data id, in order of first use: rules
/// report once per (personalization, data item), with the other uses as labels.
pub fn grouped_refs(
    p: &crate::model::Personalization,
) -> Vec<(&str, Vec<crate::model::DataRef<'_>>)> {
    let mut groups: Vec<(&str, Vec<crate::model::DataRef<'_>>)> = Vec::new();
    // Where each id's group is: a search of the groups per reference was quadratic on
    // many references, so past a few the groups are indexed; a personalization's few
    // references (most have two to four) are searched without making an index.
    const SEARCHED: usize = 8;
    let mut index: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for r in p.refs() {
        crate::work::step();
        let at = if groups.len() <= SEARCHED {
            groups.iter().position(|(id, _)| *id == r.id)
        } else {
            if index.is_empty() {
                index.extend(groups.iter().enumerate().map(|(i, (id, _))| (*id, i)));
            }
            index.get(r.id).copied()
        };
        match at.and_then(|i| groups.get_mut(i)) {
            Some((_, refs)) => refs.push(r),
            None => {
                if !index.is_empty() {
                    index.insert(r.id, groups.len());
                }
                groups.push((r.id, vec![r]));
            }
        }
    }
    groups
}

/// Labels for the second and later uses of a data item in one personalization.
pub fn also_used(refs: &[crate::model::DataRef<'_>]) -> Vec<crate::finding::Label> {
    refs.iter()
        .skip(1)
        .map(|r| crate::finding::Label::new(r.loc, "also used here"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An id's declarations come back in the order met, however many there are, and one
    /// declaration is held in place in 8 bytes (the table holds one per declared id).
    #[test]
    fn declarations_keep_their_order_and_one_is_held_in_place() {
        use crate::model::DeclRef;
        assert_eq!(size_of::<Decls>(), 8);
        let mut lists = Vec::new();
        let all = [
            DeclRef::Field { form: 3, field: 1 },
            DeclRef::Data(7),
            DeclRef::Field { form: 0, field: 0 },
            DeclRef::Data(usize::MAX),
        ];
        let mut decls = Decls::one(all[0], &mut lists);
        assert_eq!(decls.held(), Some(all[0]));
        assert!(lists.is_empty(), "held in place");
        for d in &all[1..] {
            decls.push(*d, &mut lists);
        }
        assert_eq!(decls.held(), None);
        assert_eq!(decls.list(&lists), Some(&all[..]));
        assert_eq!(decls.first(&lists), Some(all[0]));
        // A data item held in place, and a data item and a field too large to be.
        let data = Decls::one(DeclRef::Data(9), &mut lists);
        assert_eq!(data.held(), Some(DeclRef::Data(9)));
        for large in [
            DeclRef::Data(usize::MAX),
            DeclRef::Field {
                form: 1,
                field: (1 << 31) - 1,
            },
            DeclRef::Field {
                form: 1 << 32,
                field: 0,
            },
        ] {
            let decls = Decls::one(large, &mut lists);
            assert_eq!(decls.held(), None);
            assert_eq!(decls.list(&lists), Some(&[large][..]));
        }
        // The largest field held in place.
        let field = DeclRef::Field {
            form: u32::MAX as usize,
            field: (1 << 31) - 2,
        };
        assert_eq!(Decls::one(field, &mut lists).held(), Some(field));
    }

    #[test]
    fn every_rule_has_a_concern_and_valid_options() {
        for rule in RULES {
            assert_ne!(
                rule.concern,
                Concern::Other,
                "{}: give the rule a concern in its record",
                rule.name
            );
            assert_eq!(rule.id().name(), rule.name);
            assert_eq!(rule.id().concern(), rule.concern);
            for option in rule.options {
                assert_ne!(
                    *option, "severity",
                    "{}: `severity` is not an option",
                    rule.name
                );
            }
        }
        // Every concern but "other" groups at least one rule.
        for concern in Concern::ALL.iter().filter(|c| **c != Concern::Other) {
            assert!(
                RULES.iter().any(|r| r.concern == *concern),
                "no rule has the concern {concern:?}"
            );
        }
    }

    #[test]
    fn findings_carry_the_record_of_their_rule() {
        let f = Finding::new(
            location_trigger::RULE.id(),
            crate::finding::Label::new(
                crate::source::Loc {
                    file: crate::source::FileId(0),
                    span: crate::source::Span::default(),
                },
                "here",
            ),
            "m",
            crate::finding::Subject::data("x"),
        );
        assert_eq!(f.rule, "location-trigger");
        assert_eq!(f.severity, location_trigger::RULE.severity);
        assert_eq!(f.rule.concern(), Concern::Location);
        assert_eq!(find("location-trigger").map(|r| r.id()), Some(f.rule));
    }

    /// The context holds one of these per declared id (16,000 at 2,000 forms) for the
    /// whole of the rules' run (issue 14). The bounds are today's sizes on 64-bit
    /// targets.
    #[test]
    fn the_context_stays_small() {
        let sizes = [
            ("Packed", size_of::<Packed>(), 8),
            ("Fact", size_of::<Fact>(), 16),
        ];
        crate::model::tests::assert_sizes_within(&sizes);
    }

    /// Every kind of item reads back as packed, at the largest numbers that fit; a
    /// field's place past them does not pack.
    #[test]
    fn an_item_reads_back_as_packed() {
        let top = (1 << 30) - 1;
        for item in [
            ItemRef::Field { form: 0, field: 0 },
            ItemRef::Field {
                form: u32::MAX,
                field: top,
            },
            ItemRef::Data(0),
            ItemRef::Data(u32::MAX),
            ItemRef::Merged(7),
            ItemRef::Merged(u32::MAX),
        ] {
            assert_eq!(Packed::new(item).map(Packed::get), Some(item));
        }
        assert_eq!(
            Packed::new(ItemRef::Field {
                form: 1,
                field: top + 1
            }),
            None
        );
    }

    #[test]
    fn grouping_references_takes_linear_work() {
        let n = 40_000;
        let mut text = String::from(
            "kind: personalization\npersonalizations:\n  - id: p\n    channel: email\n    message: \"",
        );
        for i in 0..n {
            text.push_str(&format!("{{{{v{i}}}}} {{{{v{i}}}}} "));
        }
        text.push_str("\"\n");
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("p.yaml");
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
        let registry = crate::formats::Registry::builtin();
        let read = crate::formats::read_file(path, crate::source::FileId(0), &registry).read;
        let Some(p) = read.model.personalizations.first() else {
            panic!("no personalization: {:?}", read.problems);
        };
        assert_eq!(p.refs().count(), 2 * n);
        let (groups, steps) = crate::work::measure(|| grouped_refs(p));
        assert_eq!(groups.len(), n);
        assert!(groups.iter().all(|(_, refs)| refs.len() == 2));
        // One step per reference; searching the groups took 800 million comparisons.
        assert_eq!(steps, 2 * n as u64);
    }
}
