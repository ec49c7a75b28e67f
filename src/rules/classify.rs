//! What the rules need to know of a data reference: where the data comes from,
//! whether it places the person, and which sensitive categories it touches, each
//! with how sure we are and the evidence to show.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::{Regex, RegexSet};
use serde::Deserialize;

use super::Ctx;
use crate::finding::Confidence;
use crate::model::{Category, ItemInfo, Precision, Source};
use crate::source::Loc;
use crate::vocab::ListName;

/// What the run knows of one data id, computed once per run ([`Facts`]) and shared
/// by the rules and the report: where the data comes from, whether it places the
/// person, and its sensitive categories, each with how sure that is and why.
///
/// One per declared or read id, held through the rules (16,000 at 2,000 forms): 16
/// bytes, from 160 (issue 14). What only some ids have is in one box ([`Rare`]),
/// sensitive categories included (4% of the ids of the shared corpus, none of the
/// benchmark's 400,000 at 50,000 forms); the fixed texts of `source_why` are a byte.
/// What the declaration itself says (where it is, its uses) is not copied here: the
/// rules read it from the model ([`Resolved::info`]), and so does the report (a copy
/// of both made every fact 32 bytes: 5.3 MB at the 50,001-file project).
#[derive(Debug, Clone)]
pub struct Fact {
    /// Whether a form or data file declares it.
    pub declared: bool,
    /// `None` when undeclared and no name pattern recognises it.
    pub source: Option<Source>,
    pub source_confidence: Confidence,
    /// Which text says where it comes from ([`Fact::source_why`]).
    why: Why,
    /// What few ids have; `None` when it has none of it.
    rare: Option<Box<Rare>>,
}

/// The parts of a [`Fact`] few ids have: a text written for where it comes from, a
/// location, sensitive categories. Most ids are visible form fields or data items, with
/// none of it. Where a source is declared (a data item's `source:`) is read from the
/// model when a label shows it ([`Resolved::source_label`]): held here, it was a box
/// for every data item (8.5 MB resident at the 50,001-file project, issue 14).
#[derive(Debug, Clone, Default)]
struct Rare {
    /// The text of a [`Why::Written`].
    why_text: Option<Box<str>>,
    /// Boxed: fewer ids still place the person.
    location: Option<Box<LocationClass>>,
    /// Sensitive categories, first evidence each; `loc` is `None` for what the name of
    /// an undeclared id says, shown at each reference.
    sensitive: Box<[Evidence]>,
}

impl Rare {
    fn boxed(self) -> Option<Box<Self>> {
        (self.why_text.is_some() || self.location.is_some() || !self.sensitive.is_empty())
            .then(|| Box::new(self))
    }
}

/// The texts of [`Fact::source_why`]: most are one of a few fixed ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    Asked,
    HiddenField,
    NotDeclared,
    /// "declared `source: VALUE` here", VALUE the fact's source, as a native data file
    /// writes it: one fixed text a source, not one a data item ([`declared_source`]).
    DeclaredSource,
    /// Written for this id: `Fact::why_text`.
    Written,
}

/// What a label says of a value written as another term: "`term` here means `key:
/// value`".
fn term_means(term: &str, key: &str, value: &str) -> String {
    format!("`{term}` here means `{key}: {value}`")
}

/// What a data item's label says of a source declared by its own name:
/// `format!("declared `source: {source}` here")`, held once.
fn declared_source(source: Option<Source>) -> &'static str {
    match source {
        Some(Source::Volunteered) => "declared `source: volunteered` here",
        Some(Source::Observed) => "declared `source: observed` here",
        Some(Source::Inferred) => "declared `source: inferred` here",
        Some(Source::ThirdParty) => "declared `source: third-party` here",
        Some(Source::Device) => "declared `source: device` here",
        None => "",
    }
}

#[derive(Debug, Clone)]
struct Evidence {
    category: Category,
    confidence: Confidence,
    loc: Option<Loc>,
    why: String,
    term: Option<String>,
}

/// The facts of every data id a run declares or reads, by id.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    // Hashed: looked up for every field and reference, never iterated (issue 14). The
    // table holds only places (4 bytes each, in `facts` and `ends`), hashed by their
    // ids: a map of (id, place) held a 24-byte entry per slot and a copy of every id
    // in a block of its own (1 MB at 2,000 forms, 16,000 ids).
    by_id: hashbrown::HashTable<u32>,
    /// Every id, one after the other, in place order; id `i` ends at `ends[i]`.
    ids: String,
    ends: Vec<u32>,
    facts: Vec<Fact>,
}

impl Facts {
    pub fn get(&self, id: &str) -> Option<&Fact> {
        self.facts.get(self.place_of(id)?)
    }

    /// Room for `n` ids of `bytes` bytes in all.
    pub(super) fn with_capacity(n: usize, bytes: usize) -> Self {
        Facts {
            by_id: hashbrown::HashTable::with_capacity(n),
            ids: String::with_capacity(bytes),
            ends: Vec::with_capacity(n),
            facts: Vec::new(),
        }
    }

    /// The id at `place`.
    fn id_at<'i>(ids: &'i str, ends: &[u32], place: usize) -> Option<&'i str> {
        let start = match place.checked_sub(1) {
            Some(before) => *ends.get(before)? as usize,
            None => 0,
        };
        ids.get(start..*ends.get(place)? as usize)
    }

    /// Where an id's fact is (or will be); the declared ids come first, at their
    /// places in the context's items.
    pub(super) fn place_of(&self, id: &str) -> Option<usize> {
        self.by_id
            .find(crate::model::id_hash(id), |&p| {
                Self::id_at(&self.ids, &self.ends, p as usize) == Some(id)
            })
            .map(|&p| p as usize)
    }

    /// Give an id that has none the next place, and return it; `None` when there are
    /// too many ids (or bytes of ids) to count in 32 bits.
    pub(super) fn add(&mut self, id: &str) -> Option<usize> {
        let place = u32::try_from(self.ends.len()).ok()?;
        let end = u32::try_from(self.ids.len() + id.len()).ok()?;
        self.ids.push_str(id);
        self.ends.push(end);
        let Facts {
            by_id, ids, ends, ..
        } = self;
        by_id.insert_unique(crate::model::id_hash(id), place, |&p| {
            crate::model::id_hash(Self::id_at(ids, ends, p as usize).unwrap_or_default())
        });
        Some(place as usize)
    }

    /// Drop the spare room of the ids (read ids are added one by one).
    fn shrink_to_fit(&mut self) {
        self.ids.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.facts.shrink_to_fit();
    }

    /// Sensitive categories of a data id; evidence without a place of its own points at
    /// the reference `at`.
    pub fn sensitive_of(&self, id: &str, at: Loc) -> Vec<SensitiveHit> {
        self.get(id).map_or_else(Vec::new, |f| f.sensitive(at))
    }
}

impl Fact {
    /// What is known of an id that nothing declares and no name pattern recognises.
    pub fn unknown() -> Self {
        Fact {
            declared: false,
            source: None,
            source_confidence: Confidence::Medium,
            why: Why::NotDeclared,
            rare: None,
        }
    }

    /// Whether it places the person, and how precisely.
    pub fn location(&self) -> Option<&LocationClass> {
        self.rare.as_ref().and_then(|r| r.location.as_deref())
    }

    /// The declaration, or the name guess, that says where it comes from.
    /// Borrowed: labels compare it with their recent texts before copying it.
    pub fn source_why(&self) -> &str {
        let text = self.rare.as_ref().and_then(|r| r.why_text.as_ref());
        match (self.why, text) {
            (Why::Asked, _) => "asked for in a form",
            (Why::HiddenField, _) => "a hidden field: filled in without the person knowing",
            (Why::NotDeclared, _) => "not declared, and its name does not say",
            (Why::DeclaredSource, _) => declared_source(self.source),
            (Why::Written, text) => text.map_or("", |t| &**t),
        }
    }

    /// Its sensitive categories; evidence without a place of its own points at `at`.
    pub fn sensitive(&self, at: Loc) -> Vec<SensitiveHit> {
        let evidence = self.rare.as_ref().map_or(&[][..], |r| &r.sensitive[..]);
        Self::sensitive_from_ref(evidence, at)
    }

    fn sensitive_from_ref(evidence: &[Evidence], at: Loc) -> Vec<SensitiveHit> {
        evidence
            .iter()
            .map(|e| SensitiveHit {
                category: e.category,
                confidence: e.confidence,
                loc: e.loc.unwrap_or(at),
                why: e.why.clone(),
                term: e.term.clone(),
            })
            .collect()
    }
}

/// A data id resolved against the project: its [`Fact`] (fields read through
/// `Deref`) and its merged declaration.
#[derive(Clone)]
pub struct Resolved<'c, 'a> {
    pub id: &'c str,
    fact: Cow<'c, Fact>,
    /// Where the id is declared, for [`Resolved::info`].
    place: Option<usize>,
    ctx: &'c Ctx<'a>,
}

impl std::fmt::Debug for Resolved<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolved")
            .field("id", &self.id)
            .field("fact", &self.fact)
            .field("place", &self.place)
            .finish_non_exhaustive()
    }
}

impl<'a> Resolved<'_, 'a> {
    /// The merged declaration, when a file declares the id: made when asked (most
    /// callers want the facts alone, and it was made for each of about 58,000 lookups
    /// at the 2,001-file project; issue 14).
    pub fn info(&self) -> Option<ItemInfo<'a>> {
        self.place.and_then(|p| self.ctx.item_at(p))
    }

    /// Where the declaration says where the id comes from: a data item's `source:`, a
    /// field's type or `source:` (`None` when no file declares it: such an id has no
    /// declaration to read).
    pub fn source_loc(&self) -> Option<Loc> {
        self.info().map(|info| info.source_loc)
    }

    /// The label that shows where the declaration says where the id comes from, and
    /// why.
    pub fn source_label(&self) -> Option<crate::finding::Label> {
        self.source_loc()
            .map(|loc| crate::finding::Label::new(loc, self.source_why()))
    }
}

impl std::ops::Deref for Resolved<'_, '_> {
    type Target = Fact;
    fn deref(&self) -> &Fact {
        &self.fact
    }
}

#[derive(Debug, Clone)]
pub struct LocationClass {
    pub precision: Precision,
    pub confidence: Confidence,
    pub loc: Option<Loc>,
    pub why: String,
}

#[derive(Debug, Clone)]
pub struct SensitiveHit {
    pub category: Category,
    pub confidence: Confidence,
    pub loc: Loc,
    /// "declared `sensitive: health`" or "`medication` is in the health list".
    pub why: String,
    /// The matched term, when from a word list.
    pub term: Option<String>,
}

#[derive(Deserialize)]
struct GuessFile {
    #[allow(dead_code)]
    name: String,
    #[serde(default)]
    #[allow(dead_code)]
    description: String,
    guesses: Vec<GuessEntry>,
}

#[derive(Deserialize)]
struct GuessEntry {
    pattern: String,
    source: String,
    #[serde(default)]
    location: Option<String>,
    why: String,
}

pub struct Guess {
    pub source: Source,
    pub location: Option<Precision>,
    pub why: String,
}

/// Name patterns from `rules/patterns/names.yaml`.
pub struct NameGuesses {
    pub guesses: Vec<Guess>,
    /// The guesses' patterns, compiled as one set: ten case-insensitive Unicode
    /// patterns compiled one by one took about 2 ms of every run's start.
    set: Option<RegexSet>,
    pub errors: Vec<String>,
}

impl NameGuesses {
    pub fn builtin() -> &'static NameGuesses {
        static G: OnceLock<NameGuesses> = OnceLock::new();
        G.get_or_init(|| {
            let mut out = NameGuesses {
                guesses: Vec::new(),
                set: None,
                errors: Vec::new(),
            };
            let mut patterns = Vec::new();
            let mut whole = None;
            match crate::embedded::parse::<GuessFile>("patterns/names.yaml") {
                Ok(file) => {
                    let all: Vec<String> = file
                        .guesses
                        .iter()
                        .map(|g| format!("(?i){}", g.pattern))
                        .collect();
                    // One by one only when the set does not compile, to name the bad ones.
                    whole = RegexSet::new(&all).ok().map(|set| (set, all.len()));
                    let all_valid = whole.is_some();
                    for (g, pattern) in file.guesses.into_iter().zip(all) {
                        let valid = all_valid || Regex::new(&pattern).is_ok();
                        match (valid, Source::parse(&g.source)) {
                            (true, Some(source)) => {
                                patterns.push(pattern);
                                out.guesses.push(Guess {
                                    source,
                                    location: g.location.as_deref().and_then(Precision::parse),
                                    why: g.why,
                                });
                            }
                            _ => out
                                .errors
                                .push(format!("bad guess pattern `{}`", g.pattern)),
                        }
                    }
                }
                Err(e) => out.errors.push(e),
            }
            out.set = match whole {
                Some((set, n)) if n == patterns.len() => Some(set),
                _ => RegexSet::new(&patterns).ok(),
            };
            out
        })
    }

    pub fn guess(&self, id: &str) -> Option<&Guess> {
        let first = self.set.as_ref()?.matches(id).into_iter().next()?;
        self.guesses.get(first)
    }
}

impl<'a> Ctx<'a> {
    /// The facts of every declared or read data id, computed once: the declared ids'
    /// at their places (given by `Ctx::new`), then those only read.
    /// The declared ids' facts are found on up to `threads` threads, each a run of
    /// the items in order (the same list as on one thread).
    pub(super) fn compute_facts(&mut self, threads: Option<std::num::NonZeroUsize>) {
        let threads = super::threads_for(self.items.len(), threads);
        let mut facts = Vec::with_capacity(self.items.len());
        if threads <= 1 {
            facts.extend((0..self.items.len()).map(|place| self.declared_fact(place)));
        } else {
            // Each thread writes its run's facts straight into their places in the one
            // list (placeholders that allocate nothing until then), rather than into a
            // list of its own copied over and freed: freeing such a list (tens of MB at
            // 50,000 files, a block of its own from the system) raised the allocator's
            // threshold for such blocks, so every large list of the rules that followed
            // stayed in the heap after it was freed: +100 MB resident at 50,000 files
            // (issue 14).
            facts.resize_with(self.items.len(), Fact::unknown);
            let this = &*self;
            let per = this.items.len().div_ceil(threads).max(1);
            let filled = crate::parallel::each_part(
                facts.chunks_mut(per).enumerate(),
                |(run, places): (usize, &mut [Fact])| {
                    for (i, place) in places.iter_mut().enumerate() {
                        *place = this.declared_fact(run * per + i);
                    }
                },
            );
            for run in filled {
                run.unwrap_or_else(|p| std::panic::resume_unwind(p));
            }
        }
        // Each id once, without sorting them: the facts are looked up by hash. The
        // references begin with every condition's data.
        let read = self
            .project
            .personalizations
            .iter()
            .flat_map(|p| p.refs().map(|r| r.id));
        let mut used: Vec<u64> = Vec::new();
        for id in read {
            let place = match self.facts.place_of(id) {
                Some(place) => place,
                None => {
                    let fact = self.fact(id);
                    let Some(place) = self.facts.add(id) else {
                        // Over four billion ids: the rest are computed when asked for.
                        break;
                    };
                    facts.push(fact);
                    place
                }
            };
            crate::bits::put_growing(&mut used, place);
        }
        used.shrink_to_fit();
        self.used = used;
        self.facts.facts = facts;
        self.facts.shrink_to_fit();
    }

    /// The facts of the run, moved out of the context once the rules have run.
    pub fn into_facts(self) -> Facts {
        self.facts
    }

    /// What the run knows of a data id.
    pub fn resolve<'c>(&'c self, id: &'c str) -> Resolved<'c, 'a> {
        // The id looked up once, for its fact and its declaration.
        let place = self.facts.place_of(id);
        let fact = match place.and_then(|p| self.facts.facts.get(p)) {
            Some(f) => Cow::Borrowed(f),
            None => Cow::Owned(self.fact(id)),
        };
        Resolved {
            id,
            fact,
            place,
            ctx: self,
        }
    }

    /// The facts of the declared id at `place` (every place below the items' number).
    fn declared_fact(&self, place: usize) -> Fact {
        match self.item_at(place) {
            Some(info) => self.fact_of_declared(&info, place),
            None => Fact::unknown(),
        }
    }

    fn fact_of_declared(&self, info: &ItemInfo<'a>, place: usize) -> Fact {
        let (why, why_text) = match (&info.data, &info.field) {
            (Some(_), _) => match self.term_at(info.source_loc, info.source.as_str()) {
                Some(term) => (
                    Why::Written,
                    Some(term_means(term, "source", info.source.as_str())),
                ),
                None => (Why::DeclaredSource, None),
            },
            (None, Some(f)) if f.is_hidden() && f.source().is_none() => (Why::HiddenField, None),
            (None, Some(f)) if f.is_hidden() => (
                Why::Written,
                Some(format!("a hidden field with `source: {}`", info.source)),
            ),
            _ => (Why::Asked, None),
        };
        Fact {
            declared: true,
            source: Some(info.source),
            source_confidence: Confidence::High,
            why,
            rare: Rare {
                why_text: why_text.map(String::into_boxed_str),
                location: self.location_of_declared(info).map(Box::new),
                sensitive: self
                    .sensitive_evidence(info, self.item_name_hits(place))
                    .into_boxed_slice(),
            }
            .boxed(),
        }
    }

    fn fact(&self, id: &str) -> Fact {
        let place = self.facts.place_of(id);
        match place.and_then(|p| Some((self.item_at(p)?, p))) {
            Some((info, place)) => self.fact_of_declared(&info, place),
            None => {
                // Compiled on the first id no file declares: a run that declares
                // every id it reads never compiles the name patterns.
                let guess = NameGuesses::builtin().guess(id);
                let location = guess.and_then(|g| {
                    g.location.map(|precision| LocationClass {
                        precision,
                        confidence: Confidence::Medium,
                        loc: None,
                        why: g.why.clone(),
                    })
                });
                let location = location.or_else(|| self.location_name(id, None));
                Fact {
                    declared: false,
                    source: guess.map(|g| g.source),
                    source_confidence: Confidence::Medium,
                    why: guess.map_or(Why::NotDeclared, |_| Why::Written),
                    rare: Rare {
                        why_text: guess
                            .map(|g| format!("not declared; {}", g.why).into_boxed_str()),
                        location: location.map(Box::new),
                        sensitive: self
                            .vocab
                            .sensitive_in(id)
                            .into_iter()
                            .map(|(category, m)| Evidence {
                                category,
                                confidence: Confidence::Medium,
                                loc: None,
                                why: m.describe(id),
                                term: Some(m.written(id)),
                            })
                            .collect::<Vec<_>>()
                            .into_boxed_slice(),
                    }
                    .boxed(),
                }
            }
        }
    }

    /// A location-looking id (`location-names` list), for data the person did not type in.
    fn location_name(&self, id: &str, loc: Option<Loc>) -> Option<LocationClass> {
        let m = self.vocab.find(ListName::LocationNames, id)?;
        Some(LocationClass {
            precision: Precision::Precise,
            confidence: Confidence::Medium,
            loc,
            why: format!("`{}` looks like a location: {}", id, m.describe(id)),
        })
    }

    fn location_of_declared(&self, info: &ItemInfo<'a>) -> Option<LocationClass> {
        if let Some(l) = &info.location {
            return Some(LocationClass {
                precision: l.value,
                confidence: Confidence::High,
                loc: Some(l.loc),
                why: self.declared("location", l.value.as_str(), l.loc),
            });
        }
        if let Some(s) = info
            .sensitive
            .as_ref()
            .filter(|s| s.value == Category::PreciseLocation)
        {
            return Some(LocationClass {
                precision: Precision::Precise,
                confidence: Confidence::High,
                loc: Some(s.loc),
                why: self.declared("sensitive", "precise-location", s.loc),
            });
        }
        // An address a person types to get a delivery is not a tracked position.
        if info.source == Source::Volunteered {
            return None;
        }
        self.location_name(info.id, Some(info.decl))
    }

    /// Why a declared value holds, in the words of the file: "declared `source:
    /// observed` here" where the file writes the value itself (the native format), and
    /// "`user.behavior.browsing_history` here means `source: observed`" where another
    /// format's term was mapped onto it.
    fn declared(&self, key: &str, value: &str, loc: Loc) -> String {
        match self.term_at(loc, value) {
            Some(term) => term_means(term, key, value),
            None => format!("declared `{key}: {value}` here"),
        }
    }

    /// The term written at `loc` for `value`, when it is another word than the value's
    /// own name ([`crate::model::term_written`]).
    fn term_at(&self, loc: Loc, value: &str) -> Option<&'a str> {
        let written = self.sources.get(loc.file).and_then(|f| f.slice(loc.span))?;
        crate::model::term_written(written, value)
    }

    /// Sensitive categories of a declared item: its declaration, then its words.
    pub fn sensitive_of_item(&self, info: &ItemInfo<'_>) -> Vec<SensitiveHit> {
        // The id looked up once, for its fact or, before the facts are in, its field.
        let place = self.facts.place_of(info.id);
        match place.and_then(|p| self.facts.facts.get(p)) {
            Some(f) => f.sensitive(info.decl),
            None => {
                let hits = place.and_then(|p| self.item_name_hits(p));
                Fact::sensitive_from_ref(&self.sensitive_evidence(info, hits), info.decl)
            }
        }
    }

    /// Sensitive categories of any data id: a declared item's, or, for an undeclared
    /// one, what its name says (pointing at the reference `at`).
    pub fn sensitive_of(&self, id: &str, at: Loc) -> Vec<SensitiveHit> {
        self.resolve(id).sensitive(at)
    }

    fn sensitive_evidence(
        &self,
        info: &ItemInfo<'_>,
        name_hits: Option<&[super::NameHit<'_>]>,
    ) -> Vec<Evidence> {
        let mut hits: Vec<Evidence> = Vec::new();
        if let Some(s) = &info.sensitive {
            hits.push(Evidence {
                category: s.value,
                confidence: Confidence::High,
                loc: Some(s.loc),
                why: self.declared("sensitive", s.value.as_str(), s.loc),
                term: None,
            });
        }
        // `location: precise` (GPS, beacons, Wi-Fi positioning) is the declaration of
        // precise-location data, whatever its words say; a declared `sensitive:`
        // category still leads.
        if let Some(l) = info
            .location
            .as_ref()
            .filter(|l| l.value == Precision::Precise)
            && !hits.iter().any(|h| h.category == Category::PreciseLocation)
        {
            hits.push(Evidence {
                category: Category::PreciseLocation,
                confidence: Confidence::High,
                loc: Some(l.loc),
                why: self.declared("location", l.value.as_str(), l.loc),
                term: None,
            });
        }
        // A form field is read by its own name (`city`, not `children.address.city`).
        let mut add =
            |category: Category, confidence, loc, m: &crate::vocab::Match<'_>, text: &str| {
                if !hits.iter().any(|h| h.category == category) {
                    hits.push(Evidence {
                        category,
                        confidence,
                        loc: Some(loc),
                        why: m.describe(text),
                        term: Some(m.written(text)),
                    });
                }
            };
        match info.field {
            Some(f) => {
                let name = f.name();
                // The field's name and label were looked up once for the run; a field
                // the run has not (or a run of too many fields) is looked up now.
                let found;
                let name_hits = match name_hits {
                    Some(h) => h,
                    None => {
                        found = super::field_words::NameWords::of(self.vocab, f).hits;
                        found.as_slice()
                    }
                };
                for h in name_hits {
                    let (text, loc) = match (h.in_label, &f.label) {
                        (true, Some(label)) => (&label.value, label.loc),
                        (true, None) => continue,
                        (false, _) => (&name.value, info.decl),
                    };
                    add(h.category, Confidence::Medium, loc, &h.found, text);
                }
            }
            None => {
                for (category, m) in self.vocab.sensitive_in(info.id) {
                    add(category, Confidence::Medium, info.decl, &m, info.id);
                }
            }
        }
        if let Some(d) = info.data.and_then(|d| d.description.as_ref()) {
            for (category, m) in self.vocab.sensitive_in(&d.value) {
                add(category, Confidence::Low, d.loc, &m, &d.value);
            }
        }
        hits
    }

    /// Whether a data id records what the person knowingly did in the product (their
    /// orders, purchases, cart, bookings, saved items: the `own-records` list in its id
    /// or description) rather than behaviour watched without their knowing (the
    /// `watched-behaviour` list wins when both are named). Only observed data can be one.
    pub fn is_own_record(&self, id: &str) -> bool {
        if self.resolve(id).source != Some(Source::Observed) {
            return false;
        }
        // Each text split once for both lists.
        let mut texts = vec![crate::vocab::tokens(id)];
        if let Some(d) = self.item(id).and_then(|i| i.description) {
            texts.push(crate::vocab::tokens(&d.value));
        }
        let named = |list: ListName| {
            texts
                .iter()
                .any(|ws| self.vocab.find_in_words(list, ws).is_some())
        };
        named(ListName::OwnRecords) && !named(ListName::WatchedBehaviour)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source declared by its own name reads as it did when each data item had the
    /// text made for it.
    #[test]
    fn a_declared_source_reads_as_written_for_it() {
        for source in Source::ALL {
            assert_eq!(
                declared_source(Some(*source)),
                format!("declared `source: {source}` here")
            );
        }
        assert_eq!(declared_source(None), "");
    }
}
