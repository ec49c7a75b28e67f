//! Term lists from `rules/vocab/`, normalised and compiled once, and the one word
//! matcher every word-based rule uses: case- and accent-insensitive, whole words,
//! identifier-aware (`sexualOrientation`, `hiv_status`), with exclusion phrases.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::OnceLock;

use foldhash::fast::FixedState;

use crate::model::Category;

mod prepare;
use prepare::{Form, ListFile};
pub use prepare::{JOINING_WORDS, Norm, Token, Word, normalize, tokens, words};

/// The built-in lists as `build.rs` prepared them from `rules/vocab/` (with
/// [`prepare`]): terms, words and first-word indexes as static tables, so that a run
/// builds no term at start-up. The tables hold no pointers (strings are places in one
/// text, lists are places in the tables), so that loading the binary relocates none
/// of them: a pointer per term and word was 28,000 relocations and 280 page faults.
mod prepared {
    use super::{Prepared, PreparedCombined, Range32, Str, Term, p, t};
    include!(concat!(env!("OUT_DIR"), "/vocab.rs"));
}

/// A first-word table `build.rs` prepared: its words, each with a place in
/// `postings`, and their open-addressing slots (see [`prepare::slots`]), so that a
/// run looks words up without building a map.
#[derive(Debug)]
struct Table<T: 'static> {
    keys: &'static [(Str, Range32)],
    slots: &'static [u64],
    postings: &'static [T],
}

impl<T> Clone for Table<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Table<T> {}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            keys: &[],
            slots: &[],
            postings: &[],
        }
    }
}

impl<T> Table<T> {
    /// What `word` starts (nothing when the table does not hold it).
    fn get(&self, word: &str) -> &'static [T] {
        let n = self.slots.len();
        if n == 0 {
            return &[];
        }
        let h = prepare::word_hash(word);
        let mut i = h as usize & (n - 1);
        // At most every slot once; at least half of them are empty. A slot holds the
        // high half of its key's hash above the key's place + 1: most words that are
        // not in the table are told apart by it, without comparing the words.
        for _ in 0..n {
            let slot = match self.slots.get(i) {
                Some(0) | None => return &[],
                Some(s) => *s,
            };
            if slot >> 32 == h >> 32
                && let Some((k, at)) = self.keys.get((slot & 0xffff_ffff) as usize - 1)
                && k.bytes() == word.as_bytes()
            {
                return slice(self.postings, *at);
            }
            i = (i + 1) & (n - 1);
        }
        &[]
    }

    /// Every word of the table with what it starts, in the table's order.
    fn entries(&self) -> impl Iterator<Item = (&'static str, &'static [T])> + use<T> {
        let postings = self.postings;
        self.keys
            .iter()
            .map(move |(k, at)| (k.as_str(), slice(postings, *at)))
    }
}

/// A place in one of the prepared tables (start and length), without a pointer.
type Range32 = (u32, u32);

/// The part of a prepared table at `r`.
fn slice<T>(table: &'static [T], (at, len): Range32) -> &'static [T] {
    table
        .get(at as usize..at as usize + len as usize)
        .unwrap_or_default()
}

/// A string of a term list: the text of a prepared list (a place in the text `build.rs`
/// prepared), or one a run added (configuration `terms:`). It reads as a `str`.
#[derive(Clone)]
pub struct Str(Repr);

#[derive(Clone)]
enum Repr {
    Prepared(Range32),
    Owned(Box<str>),
}

/// A prepared string (for the tables `build.rs` writes).
const fn p(at: u32, len: u32) -> Str {
    Str(Repr::Prepared((at, len)))
}

impl Str {
    fn owned(s: String) -> Self {
        Str(Repr::Owned(s.into_boxed_str()))
    }

    /// The bytes of the string: a prepared one without checking character boundaries
    /// (for comparing words).
    fn bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Prepared((at, len)) => prepared::TEXT
                .as_bytes()
                .get(*at as usize..*at as usize + *len as usize)
                .unwrap_or_default(),
            Repr::Owned(s) => s.as_bytes(),
        }
    }

    /// The length in bytes, without finding the bytes.
    fn byte_len(&self) -> usize {
        match &self.0 {
            Repr::Prepared((_, len)) => *len as usize,
            Repr::Owned(s) => s.len(),
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Prepared((at, len)) => prepared::TEXT
                .get(*at as usize..*at as usize + *len as usize)
                .unwrap_or_default(),
            Repr::Owned(s) => s,
        }
    }
}

impl std::ops::Deref for Str {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Str {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Str {}

impl PartialEq<str> for Str {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Str {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Self {
        Str::owned(s.to_string())
    }
}

impl From<String> for Str {
    fn from(s: String) -> Self {
        Str::owned(s)
    }
}

impl std::fmt::Display for Str {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Str {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// The term lists the rules read by name (the files `rules/vocab/<name>.yaml`; the
/// sensitive lists are named by [`Category`]). A test checks this set against the
/// files, so renaming a list fails the build's tests instead of matching nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ListName {
    Benefit,
    Consent,
    Identifiers,
    LocationNames,
    SensitivePlaces,
    SocialSources,
    VaguePurpose,
    WatchingPhrases,
    BrowsingContext,
    OwnRecords,
    TopicChoice,
    WatchedBehaviour,
}

impl ListName {
    pub const ALL: &'static [ListName] = &[
        ListName::Benefit,
        ListName::Consent,
        ListName::Identifiers,
        ListName::LocationNames,
        ListName::SensitivePlaces,
        ListName::SocialSources,
        ListName::VaguePurpose,
        ListName::WatchingPhrases,
        ListName::BrowsingContext,
        ListName::OwnRecords,
        ListName::TopicChoice,
        ListName::WatchedBehaviour,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ListName::Benefit => "benefit",
            ListName::Consent => "consent",
            ListName::Identifiers => "identifiers",
            ListName::LocationNames => "location-names",
            ListName::SensitivePlaces => "sensitive-places",
            ListName::SocialSources => "social-sources",
            ListName::VaguePurpose => "vague-purpose",
            ListName::WatchingPhrases => "watching-phrases",
            ListName::BrowsingContext => "browsing-context",
            ListName::OwnRecords => "own-records",
            ListName::TopicChoice => "topic-choice",
            ListName::WatchedBehaviour => "watched-behaviour",
        }
    }
}

impl std::fmt::Display for ListName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A term of a list (or one of its forms: without joining words). The built-in lists'
/// terms are static tables prepared by `build.rs`; terms a run adds own their text.
#[derive(Debug, Clone)]
pub struct Term {
    /// The term as written in the list.
    pub text: Str,
    pub lang: Str,
    words: Words,
    /// `diabet*`: the last word matches as a prefix.
    prefix: bool,
}

/// A term's normalised words: a place in the prepared words, or its own.
#[derive(Debug, Clone)]
enum Words {
    Prepared(Range32),
    Owned(Box<[Str]>),
}

/// A prepared term (for the tables `build.rs` writes): text, language, words, prefix.
const fn t(text: Str, lang: Str, words: Range32, prefix: bool) -> Term {
    Term {
        text,
        lang,
        words: Words::Prepared(words),
        prefix,
    }
}

impl Term {
    fn from_form(f: Form, lang: &str) -> Self {
        Self {
            text: Str::owned(f.text),
            lang: Str::owned(lang.to_string()),
            words: Words::Owned(f.words.into_iter().map(Str::owned).collect()),
            prefix: f.prefix,
        }
    }

    /// The term's normalised words.
    fn words(&self) -> &[Str] {
        match &self.words {
            Words::Prepared(r) => slice(&prepared::WORDS, *r),
            Words::Owned(w) => w,
        }
    }

    /// How many words the term has.
    pub fn len(&self) -> usize {
        self.words().len()
    }

    pub fn is_empty(&self) -> bool {
        self.words().is_empty()
    }

    /// Whether the term was added by the configuration's `terms:`.
    pub fn from_config(&self) -> bool {
        self.lang == "config"
    }

    fn matches_at<W: Norm>(&self, text: &[W], at: usize) -> bool {
        self.matches_from(text, at, 0)
    }

    /// [`Term::matches_at`], comparing the term's words from its word `from` on: a term
    /// found by its first word (`from` 1) is not compared with that word again.
    fn matches_from<W: Norm>(&self, text: &[W], at: usize, from: usize) -> bool {
        let words = self.words();
        let n = words.len();
        let Some(window) = text.get(at..at + n) else {
            return false;
        };
        window
            .iter()
            .zip(words)
            .enumerate()
            .skip(from)
            .all(|(i, (w, t))| {
                if self.prefix && i + 1 == n {
                    w.norm().as_bytes().starts_with(t.bytes())
                } else {
                    // Most words a term is compared with differ in length: told apart
                    // before the term's bytes are found.
                    let w = w.norm().as_bytes();
                    w.len() == t.byte_len() && w == t.bytes()
                }
            })
    }
}

/// Term indexes by first word. The built-in lists' keys and postings are borrowed from
/// the static tables; a term a run adds copies them once.
type FirstIndex<T = usize> = HashMap<Cow<'static, str>, Cow<'static, [T]>, FixedState>;

/// A compiled term list.
#[derive(Debug, Clone, Default)]
pub struct TermList {
    pub name: String,
    pub description: String,
    terms: Cow<'static, [Term]>,
    excludes: Cow<'static, [Term]>,
    /// Terms by their first word, and prefix terms whose first word is the prefix:
    /// only these can start a match at a word. A prepared list's terms are in
    /// `prepared_by_first`, terms added to it after in `by_first`.
    prepared_by_first: Table<usize>,
    by_first: FirstIndex,
    prefix_first: Cow<'static, [usize]>,
    /// The same index for the exclusions, so that a text is checked against the
    /// exclusions that can start at each of its words, not against all of them.
    prepared_excludes_by_first: Table<usize>,
    excludes_by_first: FirstIndex,
    excludes_prefix_first: Cow<'static, [usize]>,
    /// For each term, a key of its second word ([`second_key`]), or 0 when it has none
    /// compared whole: made on first use, and again when a term is added. A term whose
    /// key is not the next word's cannot match, and is passed over without comparing
    /// its words (a first word such as `you` or `we` starts dozens of terms: issue 14).
    seconds: std::sync::OnceLock<Box<[u64]>>,
}

/// The key [`TermList::seconds`] holds for a word: its hash, never 0.
fn second_key(word: &str) -> u64 {
    prepare::word_hash(word) | 1
}

/// A term's [`TermList::seconds`] key: its second word's, unless it has one word or its
/// second word is a prefix (`blood press*`).
fn second_key_of(t: &Term) -> u64 {
    let words = t.words();
    match words.get(1) {
        Some(w) if !(t.prefix && words.len() == 2) => second_key(w.as_str()),
        _ => 0,
    }
}

/// A list of `rules/vocab/` as `build.rs` prepared it (see [`prepare`]): its terms
/// and exclusions are places in `prepared::TERMS`, its first-word tables places in
/// `prepared::KEYS` (each word with a place in `prepared::POSTINGS`) and
/// `prepared::SLOTS`, and its one-word prefixes places in `prepared::POSTINGS`.
#[derive(Debug)]
struct Prepared {
    /// The file, relative to `rules/`.
    path: &'static str,
    name: &'static str,
    description: &'static str,
    terms: Range32,
    excludes: Range32,
    by_first: (Range32, Range32),
    anywhere: Range32,
    excludes_by_first: (Range32, Range32),
    excludes_anywhere: Range32,
}

/// A list's first-word table from its places (keys, slots) in the prepared tables.
fn prepared_table((keys, slots): (Range32, Range32)) -> Table<usize> {
    Table {
        keys: slice(&prepared::KEYS, keys),
        slots: slice(&prepared::SLOTS, slots),
        postings: &prepared::POSTINGS,
    }
}

/// Where a term matched: the term and the byte range in the text it was found in.
#[derive(Debug, Clone)]
pub struct Match<'a> {
    pub list: &'a str,
    pub term: &'a Term,
    pub range: Range<usize>,
}

/// The words of `text` in `range` as written there (original case, accents and
/// punctuation: `you're near`, `Religion`), each run of white space as one space;
/// `None` when the range is not in the text.
pub fn written(text: &str, range: Range<usize>) -> Option<String> {
    let raw = text.get(range)?;
    let words: Vec<&str> = raw.split_whitespace().collect();
    (!words.is_empty()).then(|| words.join(" "))
}

impl<'a> Match<'a> {
    /// The matched words as written in `text`, the text the match was found in
    /// (the list's term if the range is not in it).
    pub fn written(&self, text: &str) -> String {
        written(text, self.range.clone()).unwrap_or_else(|| self.term.text.to_string())
    }

    /// "`Medication` is in the health list": the words as written in `text` (the
    /// text the match was found in), saying when the term came from the
    /// configuration.
    pub fn describe(&self, text: &str) -> String {
        format!(
            "`{}` is in the {} list{}",
            self.written(text),
            self.list,
            if self.term.from_config() {
                " (added in creeplint.yaml)"
            } else {
                ""
            }
        )
    }
}

impl TermList {
    /// An empty list.
    pub fn named(name: &str) -> Self {
        Self {
            name: name.to_string(),
            ..Self::default()
        }
    }

    /// A list read from its file at run time (one `build.rs` could not prepare).
    fn from_file(file: &ListFile) -> Self {
        let mut list = TermList::named(&file.name);
        list.description = file.description.clone();
        for (lang, terms) in &file.terms {
            for t in terms {
                list.add(t, lang);
            }
        }
        for (lang, terms) in &file.exclude {
            for t in terms {
                list.add_exclusion(t, lang);
            }
        }
        list
    }

    /// A list as `build.rs` prepared it: nothing is copied but the name and description.
    fn prepared(p: &Prepared) -> Self {
        Self {
            name: p.name.to_string(),
            description: p.description.to_string(),
            terms: Cow::Borrowed(slice(&prepared::TERMS, p.terms)),
            excludes: Cow::Borrowed(slice(&prepared::TERMS, p.excludes)),
            prepared_by_first: prepared_table(p.by_first),
            by_first: FirstIndex::default(),
            prefix_first: Cow::Borrowed(slice(&prepared::POSTINGS, p.anywhere)),
            prepared_excludes_by_first: prepared_table(p.excludes_by_first),
            excludes_by_first: FirstIndex::default(),
            excludes_prefix_first: Cow::Borrowed(slice(&prepared::POSTINGS, p.excludes_anywhere)),
            seconds: std::sync::OnceLock::new(),
        }
    }

    pub fn add(&mut self, text: &str, lang: &str) {
        for f in prepare::forms(text, false) {
            self.push(f, lang);
        }
    }

    fn push(&mut self, f: Form, lang: &str) {
        index(
            &mut self.by_first,
            self.prefix_first.to_mut(),
            &f,
            self.terms.len(),
        );
        self.terms.to_mut().push(Term::from_form(f, lang));
        self.seconds = std::sync::OnceLock::new();
    }

    /// [`TermList::seconds`], made now if it is not yet.
    fn seconds(&self) -> &[u64] {
        self.seconds
            .get_or_init(|| self.terms.iter().map(second_key_of).collect())
    }

    /// Whether candidate `i` may match where the next word has the key `next` (0 when
    /// there is no next word): told from [`TermList::seconds`] alone.
    fn viable(
        &self,
        seconds: &[u64],
        i: usize,
        next: &mut Option<u64>,
        after: Option<&str>,
    ) -> bool {
        match seconds.get(i) {
            Some(&0) | None => true,
            Some(&key) => key == *next.get_or_insert_with(|| after.map_or(0, second_key)),
        }
    }

    fn push_exclusion(&mut self, f: Form, lang: &str) {
        index(
            &mut self.excludes_by_first,
            self.excludes_prefix_first.to_mut(),
            &f,
            self.excludes.len(),
        );
        self.excludes.to_mut().push(Term::from_form(f, lang));
    }

    /// The longest term that starts at word `at` (exclusions are not applied).
    pub fn term_at<W: Norm>(&self, ws: &[W], at: usize) -> Option<&Term> {
        let word = ws.get(at)?.norm();
        let seconds = self.seconds();
        let after = ws.get(at + 1).map(|w| w.norm());
        let mut next = None;
        self.candidates(word)
            .filter(|&(i, _, _)| self.viable(seconds, i, &mut next, after))
            .filter(|&(_, t, from)| t.matches_from(ws, at, from))
            .map(|(_, t, _)| t)
            .max_by_key(|t| t.words().len())
    }

    /// The terms that may match at a word, each with the first of its words left to
    /// compare ([`Term::matches_from`]): 1 for a term found by its first word, which is
    /// the word; 0 for a prefix tried at every word.
    fn candidates<'a>(&'a self, word: &str) -> impl Iterator<Item = (usize, &'a Term, usize)> + 'a {
        let by_first = self
            .prepared_by_first
            .get(word)
            .iter()
            .chain(added(&self.by_first, word))
            .filter_map(|&i| Some((i, self.terms.get(i)?, 1)));
        let anywhere = self
            .prefix_first
            .iter()
            .filter_map(|&i| Some((i, self.terms.get(i)?, 0)));
        by_first.chain(anywhere)
    }

    /// The exclusions that may match at a word.
    fn exclusion_candidates<'a>(&'a self, word: &str) -> impl Iterator<Item = &'a Term> + 'a {
        self.prepared_excludes_by_first
            .get(word)
            .iter()
            .chain(added(&self.excludes_by_first, word))
            .chain(self.excludes_prefix_first.iter())
            .filter_map(|&i| self.excludes.get(i))
    }

    /// Every first word of the terms with the terms it starts (prepared, then added).
    fn first_words<'a>(&'a self) -> impl Iterator<Item = (&'a str, &'a [usize])> + 'a {
        let prepared = self
            .prepared_by_first
            .entries()
            .map(|(w, at)| -> (&'a str, &'a [usize]) { (w, at) });
        prepared.chain(
            self.by_first
                .iter()
                .map(|(w, at)| (w.as_ref(), at.as_ref())),
        )
    }

    /// The first words of the list's terms (a match can start only at one of them), and
    /// whether a term can start at any word (a one-word prefix such as `diabet*`): for a
    /// caller that looks a text up in many lists to tell at once which can match it.
    pub fn starts(&self) -> (Vec<&str>, bool) {
        (
            self.first_words().map(|(w, _)| w).collect(),
            !self.prefix_first.is_empty(),
        )
    }

    /// The word ranges that an exclusion phrase covers.
    fn exclusions<W: Norm>(&self, ws: &[W]) -> Vec<Range<usize>> {
        let mut excluded = Vec::new();
        for (at, w) in ws.iter().enumerate() {
            for e in self
                .exclusion_candidates(w.norm())
                .filter(|e| e.matches_at(ws, at))
            {
                excluded.push(at..at + e.words().len());
            }
        }
        excluded
    }

    pub fn add_exclusion(&mut self, text: &str, lang: &str) {
        for f in prepare::forms(text, true) {
            self.push_exclusion(f, lang);
        }
    }

    /// The first match in `text` (longest term first at the same place), if any.
    pub fn find<'a>(&'a self, text: &str) -> Option<Match<'a>> {
        self.scan(&tokens(text), true).into_iter().next()
    }

    pub fn find_all<'a>(&'a self, text: &str) -> Vec<Match<'a>> {
        self.find_in_words(&tokens(text))
    }

    /// Matches in an already split text (split once, look up many lists).
    pub fn find_in_words<'a, W: Norm>(&'a self, ws: &[W]) -> Vec<Match<'a>> {
        self.scan(ws, false)
    }

    /// The first match in an already split text.
    pub fn first_in_words<'a, W: Norm>(&'a self, ws: &[W]) -> Option<Match<'a>> {
        self.scan(ws, true).into_iter().next()
    }

    /// The matches from left to right, longest first, none overlapping; only the first
    /// when `first` is set (the same as the first of all of them).
    fn scan<'a, W: Norm>(&'a self, ws: &[W], first: bool) -> Vec<Match<'a>> {
        self.scan_where(ws, first, |_| true)
    }

    /// [`TermList::find_in_words`] for a caller that knows at which words no term of
    /// the list starts (`may_start` false): those are not looked up.
    pub fn find_in_words_where<'a, W: Norm>(
        &'a self,
        ws: &[W],
        may_start: impl Fn(usize) -> bool,
    ) -> Vec<Match<'a>> {
        self.scan_where(ws, false, may_start)
    }

    fn scan_where<'a, W: Norm>(
        &'a self,
        ws: &[W],
        first: bool,
        may_start: impl Fn(usize) -> bool,
    ) -> Vec<Match<'a>> {
        // Exclusions are looked for only once a term matches: most texts match none.
        let mut excluded: Option<Vec<Range<usize>>> = None;
        let mut out = Vec::new();
        let mut at = 0;
        let seconds = self.seconds();
        while at < ws.len() {
            if !may_start(at) {
                at += 1;
                continue;
            }
            let word = ws.get(at).map_or("", |w| w.norm());
            let after = ws.get(at + 1).map(|w| w.norm());
            let mut next = None;
            // The longest term that matches here and no exclusion covers (the last of
            // equally long ones, as `max_by_key` chose).
            let mut best: Option<&Term> = None;
            for (i, t, from) in self.candidates(word) {
                if !self.viable(seconds, i, &mut next, after) || !t.matches_from(ws, at, from) {
                    continue;
                }
                let r = at..at + t.words().len();
                let excluded = excluded.get_or_insert_with(|| self.exclusions(ws));
                if excluded
                    .iter()
                    .any(|e| e.start <= r.start && r.end <= e.end)
                {
                    continue;
                }
                if best.is_none_or(|b| t.words().len() >= b.words().len()) {
                    best = Some(t);
                }
            }
            match best {
                Some(term) => {
                    let last = at + term.words().len() - 1;
                    let start = ws.get(at).map_or(0, |w| w.range().start);
                    let end = ws.get(last).map_or(start, |w| w.range().end);
                    out.push(Match {
                        list: &self.name,
                        term,
                        range: start..end,
                    });
                    if first {
                        break;
                    }
                    at = last + 1;
                }
                None => at += 1,
            }
        }
        out
    }

    /// Whether any term occurs in `text`, exclusions or not: with [`TermList::find`],
    /// tells a refusal ("do not share my data with partners") from silence.
    pub fn mentions(&self, text: &str) -> bool {
        let ws = tokens(text);
        (0..ws.len()).any(|at| {
            let word = ws.get(at).map_or("", |w| w.norm());
            self.candidates(word)
                .any(|(_, t, from)| t.matches_from(&ws, at, from))
        })
    }

    /// The terms as written in the list (not the forms without joining words).
    pub fn terms(&self) -> Vec<&Term> {
        let mut out: Vec<&Term> = Vec::new();
        for t in self.terms.iter() {
            // a form without joining words follows its term
            if !out
                .last()
                .is_some_and(|p| p.text == t.text && p.lang == t.lang)
            {
                out.push(t);
            }
        }
        out
    }
}

/// What `word` starts among the terms a run added (most lists have none).
fn added<'a, T>(by_first: &'a FirstIndex<T>, word: &str) -> &'a [T]
where
    [T]: ToOwned,
{
    if by_first.is_empty() {
        return &[];
    }
    by_first.get(word).map_or(&[], |at| at.as_ref())
}

/// Index term `i` by its first word, or, for a one-word prefix (`diabet*`), among the
/// terms tried at every word (`build.rs` indexes the built-in lists the same way).
fn index(by_first: &mut FirstIndex, prefix_first: &mut Vec<usize>, f: &Form, i: usize) {
    if f.starts_anywhere() {
        prefix_first.push(i);
    } else if let Some(first) = f.words.first() {
        // The first word is copied only when it is new.
        match by_first.get_mut(first.as_str()) {
            Some(at) => at.to_mut().push(i),
            None => {
                by_first.insert(Cow::Owned(first.clone()), Cow::Owned(vec![i]));
            }
        }
    }
}

/// Every term list, by name. Sensitive categories are the lists under `vocab/sensitive/`.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    lists: BTreeMap<String, TermList>,
    /// The categories that have a list, sorted by name.
    categories: Vec<Category>,
    /// Embedded files that failed to load; a test keeps this empty.
    pub errors: Vec<String>,
    /// One index over the terms of every sensitive list, built on first use and dropped
    /// when a list changes: a text is split once and each word looked up once to tell
    /// which lists can match it at all (most texts match none).
    sensitive_index: OnceLock<CombinedIndex>,
    /// Whether the lists are the built-in ones as `build.rs` prepared them (no list
    /// added or changed since): the sensitive index is then prepared too.
    prepared: bool,
}

/// The first-word index of several lists at once: for each first word, the terms (as
/// their list's position in `lists` and their index in that list) that can start a
/// match there. It holds no copies of the terms, so it is cheap to build.
#[derive(Debug, Clone, Default)]
struct CombinedIndex {
    /// The lists, in the order of [`Vocab::categories`].
    lists: Vec<(Category, String)>,
    /// The prepared index of the built-in lists, or the one built from the lists.
    prepared_by_first: Table<(usize, usize)>,
    by_first: FirstIndex<(usize, usize)>,
    /// One-word prefix terms (`diabet*`) with their prefix, tried at every word.
    prefix_first: Cow<'static, [(Str, usize, usize)]>,
    /// Each list's terms, by the list's position in `lists`: what a posting names,
    /// without looking the list up by name (the built-in lists' are borrowed; the index
    /// is made again when a list changes).
    terms: Vec<Cow<'static, [Term]>>,
    /// The first two bytes of the prefixes, as bits (`b0 * 256 + b1`): a word that
    /// starts with none of them is not compared with every prefix (issue 14). `None`
    /// when a prefix is shorter than two bytes.
    prefix_starts: Option<Box<[u64]>>,
}

/// [`CombinedIndex::prefix_starts`] of these prefixes.
fn prefix_starts<'p>(prefixes: impl Iterator<Item = &'p [u8]>) -> Option<Box<[u64]>> {
    let mut bits = vec![0u64; 65536 / 64].into_boxed_slice();
    for p in prefixes {
        let (&a, &b) = (p.first()?, p.get(1)?);
        let at = usize::from(a) << 8 | usize::from(b);
        crate::bits::put(&mut bits, at)?;
    }
    Some(bits)
}

/// The sensitive lists' [`CombinedIndex`] as `build.rs` prepared it, for the built-in
/// lists: `lists` are their names, in the order of [`Vocab::categories`].
/// `keys` are places in `prepared::SENSITIVE_KEYS` (each word with a place in
/// `prepared::SENSITIVE_POSTINGS`), `slots` in `prepared::SLOTS`, `anywhere` in
/// `prepared::SENSITIVE_ANYWHERE`.
#[derive(Debug)]
struct PreparedCombined {
    lists: &'static [&'static str],
    keys: Range32,
    slots: Range32,
    anywhere: Range32,
}

impl CombinedIndex {
    /// Whether a prefix can start `word`.
    fn may_have_prefix(&self, word: &[u8]) -> bool {
        let Some(bits) = &self.prefix_starts else {
            return true;
        };
        let (Some(&a), Some(&b)) = (word.first(), word.get(1)) else {
            return false;
        };
        let at = usize::from(a) << 8 | usize::from(b);
        crate::bits::has(bits, at)
    }

    /// Each list's terms, and the prefixes' first bytes, for an index of `lists`.
    fn with_terms(mut self, v: &Vocab) -> Self {
        self.terms = self
            .lists
            .iter()
            .map(|(_, name)| {
                v.lists
                    .get(name)
                    .map_or(Cow::Borrowed(&[][..]), |l| l.terms.clone())
            })
            .collect();
        self.prefix_starts = prefix_starts(self.prefix_first.iter().map(|(p, _, _)| p.bytes()));
        self
    }

    fn new(v: &Vocab) -> Self {
        let p = &prepared::SENSITIVE;
        if v.prepared
            && v.categories
                .iter()
                .map(|c| c.as_str())
                .eq(p.lists.iter().copied())
        {
            return Self::prepared(v, p).with_terms(v);
        }
        let mut out = CombinedIndex::default();
        for c in &v.categories {
            let li = out.lists.len();
            out.lists.push((*c, c.as_str().to_string()));
            let Some(list) = v.lists.get(c.as_str()) else {
                continue;
            };
            for (word, terms) in list.first_words() {
                let entry = match out.by_first.get_mut(word) {
                    Some(e) => e,
                    None => out
                        .by_first
                        .entry(Cow::Owned(word.to_string()))
                        .or_default(),
                };
                entry.to_mut().extend(terms.iter().map(|&t| (li, t)));
            }
            for &t in list.prefix_first.iter() {
                if let Some(first) = list.terms.get(t).and_then(|t| t.words().first()) {
                    out.prefix_first.to_mut().push((first.clone(), li, t));
                }
            }
        }
        out.with_terms(v)
    }

    /// The index `build.rs` prepared for the built-in sensitive lists.
    fn prepared(v: &Vocab, p: &PreparedCombined) -> Self {
        Self {
            lists: v
                .categories
                .iter()
                .map(|c| (*c, c.as_str().to_string()))
                .collect(),
            prepared_by_first: Table {
                keys: slice(&prepared::SENSITIVE_KEYS, p.keys),
                slots: slice(&prepared::SLOTS, p.slots),
                postings: &prepared::SENSITIVE_POSTINGS,
            },
            by_first: FirstIndex::default(),
            prefix_first: Cow::Borrowed(slice(&prepared::SENSITIVE_ANYWHERE, p.anywhere)),
            terms: Vec::new(),
            prefix_starts: None,
        }
    }

    /// Which of the lists have a term that matches somewhere in `ws` (exclusions not
    /// applied), as bits by position: only these can return a match from
    /// [`TermList::find_in_words`]. A list past the 64th (there is one per
    /// [`Category`]) always counts as matching: scanning it finds what it finds.
    fn lists_in<W: Norm>(&self, ws: &[W]) -> u64 {
        let mut hit = 0u64;
        for (at, w) in ws.iter().enumerate() {
            let bytes = w.norm().as_bytes();
            let prefixes = if self.may_have_prefix(bytes) {
                &*self.prefix_first
            } else {
                &[]
            };
            let prefixed = prefixes
                .iter()
                .filter(|(p, _, _)| bytes.starts_with(p.bytes()))
                .map(|(_, li, ti)| (*li, *ti));
            let word = w.norm();
            for (li, ti) in self
                .prepared_by_first
                .get(word)
                .iter()
                .chain(added(&self.by_first, word))
                .copied()
                .chain(prefixed)
            {
                let bit = u32::try_from(li)
                    .ok()
                    .and_then(|li| 1u64.checked_shl(li))
                    .unwrap_or(0);
                if hit & bit != 0 || bit == 0 {
                    continue;
                }
                if self
                    .terms
                    .get(li)
                    .and_then(|terms| terms.get(ti))
                    .is_some_and(|t| t.matches_at(ws, at))
                {
                    hit |= bit;
                }
            }
        }
        hit
    }

    /// The lists that match somewhere in `ws`, in category order.
    fn matching<'a, W: Norm>(
        &'a self,
        v: &'a Vocab,
        ws: &[W],
    ) -> impl Iterator<Item = (Category, &'a TermList)> + 'a {
        let hit = self.lists_in(ws);
        self.lists
            .iter()
            .enumerate()
            .filter(move |(li, _)| {
                u32::try_from(*li)
                    .ok()
                    .and_then(|li| 1u64.checked_shl(li))
                    .is_none_or(|bit| hit & bit != 0)
            })
            .filter_map(|(_, (c, name))| Some((*c, v.lists.get(name)?)))
    }
}

impl Vocab {
    /// The built-in lists, compiled once per process.
    pub fn builtin() -> &'static Vocab {
        static V: OnceLock<Vocab> = OnceLock::new();
        V.get_or_init(Self::load_embedded)
    }

    fn load_embedded() -> Self {
        let mut v = Vocab {
            prepared: true,
            ..Vocab::default()
        };
        for (path, _) in crate::embedded::FILES {
            let Some(rest) = path.strip_prefix("vocab/") else {
                continue;
            };
            if !rest.ends_with(".yaml") {
                continue;
            }
            // As `build.rs` prepared it; else (it did not parse there) read and built
            // here, which reports its errors.
            let (name, list) = match prepared::LISTS.iter().find(|p| p.path == *path) {
                Some(p) => (p.name.to_string(), TermList::prepared(p)),
                None => {
                    v.prepared = false;
                    match crate::embedded::parse::<ListFile>(path) {
                        Ok(file) => {
                            let list = TermList::from_file(&file);
                            (file.name, list)
                        }
                        Err(e) => {
                            v.errors.push(e);
                            continue;
                        }
                    }
                }
            };
            if rest.starts_with("sensitive/") {
                match Category::parse(&name) {
                    Some(c) => v.categories.push(c),
                    None => v.errors.push(format!(
                        "rules/{path}: `{name}` is not a sensitive category"
                    )),
                }
            }
            v.lists.insert(name, list);
        }
        v.categories.sort_by_key(|c| c.as_str());
        v
    }

    /// A list by its file's name (configuration `terms:` keys, sensitive categories).
    pub fn list(&self, name: &str) -> Option<&TermList> {
        self.lists.get(name)
    }

    /// A list the rules read.
    pub fn get(&self, list: ListName) -> Option<&TermList> {
        self.lists.get(list.as_str())
    }

    pub fn list_mut(&mut self, name: &str) -> &mut TermList {
        self.sensitive_index = OnceLock::new();
        self.prepared = false;
        self.lists
            .entry(name.to_string())
            .or_insert_with(|| TermList {
                name: name.to_string(),
                ..TermList::default()
            })
    }

    pub fn lists(&self) -> impl Iterator<Item = &TermList> {
        self.lists.values()
    }

    /// The sensitive categories that have a term list, sorted by name.
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// The first match of `list` in `text`.
    pub fn find<'a>(&'a self, list: ListName, text: &str) -> Option<Match<'a>> {
        self.get(list)?.find(text)
    }

    /// [`Vocab::find`] in an already split text (split once, look up several lists).
    pub fn find_in_words<'a, W: Norm>(&'a self, list: ListName, ws: &[W]) -> Option<Match<'a>> {
        self.get(list)?.first_in_words(ws)
    }

    fn sensitive_index(&self) -> &CombinedIndex {
        self.sensitive_index
            .get_or_init(|| CombinedIndex::new(self))
    }

    /// Every sensitive category named in `text`, first match each, in text order.
    pub fn sensitive_in<'a>(&'a self, text: &str) -> Vec<(Category, Match<'a>)> {
        self.sensitive_in_words(&tokens(text))
    }

    /// [`Vocab::sensitive_in`] in an already split text.
    pub fn sensitive_in_words<'a, W: Norm>(&'a self, ws: &[W]) -> Vec<(Category, Match<'a>)> {
        let mut found: Vec<(Category, Match<'a>)> = self
            .sensitive_index()
            .matching(self, ws)
            .filter_map(|(c, l)| Some((c, l.first_in_words(ws)?)))
            .collect();
        found.sort_by(|(_, a), (_, b)| (a.range.start, a.list).cmp(&(b.range.start, b.list)));
        found
    }

    /// Every match of every sensitive category in already split words, in text order.
    pub fn sensitive_all<'a, W: Norm>(&'a self, ws: &[W]) -> Vec<(Category, Match<'a>)> {
        let mut found: Vec<(Category, Match<'a>)> = self
            .sensitive_index()
            .matching(self, ws)
            .flat_map(|(c, l)| l.find_in_words(ws).into_iter().map(move |m| (c, m)))
            .collect();
        found.sort_by(|(_, a), (_, b)| (a.range.start, a.list).cmp(&(b.range.start, b.list)));
        found
    }

    /// Add words to a list (configuration `terms:`); a list named after a sensitive
    /// category is searched as one even when no built-in list exists for it yet.
    pub fn add_terms(&mut self, list: &str, terms: &[String], lang: &str) {
        let l = self.list_mut(list);
        for t in terms {
            l.add(t, lang);
        }
        if let Some(c) = Category::parse(list)
            && !self.categories.contains(&c)
        {
            self.categories.push(c);
            self.categories.sort_by_key(|c| c.as_str());
        }
        self.sensitive_index = OnceLock::new();
    }
}

/// Group words by list, for a stable "which words" listing.
pub fn terms_by_lang(list: &TermList) -> BTreeMap<&str, Vec<&str>> {
    let mut by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for t in list.terms() {
        by.entry(t.lang.as_str()).or_default().push(t.text.as_str());
    }
    by
}

#[cfg(test)]
mod tests {
    use super::prepare::{ascii_words, unicode_words};
    use super::*;

    fn list(terms: &[&str], excludes: &[&str]) -> TermList {
        let mut l = TermList {
            name: "t".into(),
            ..TermList::default()
        };
        for t in terms {
            l.add(t, "en");
        }
        for e in excludes {
            l.add_exclusion(e, "en");
        }
        l
    }

    proptest::proptest! {
        /// The ASCII splitter is the general one, byte for byte.
        #[test]
        fn ascii_words_are_unicode_words(text in "[a-zA-Z0-9 _.\\-/:]{0,40}") {
            proptest::prop_assert_eq!(ascii_words(&text), unicode_words(&text));
        }

        /// Tokens are the words, borrowed or not (ASCII, accents, upper case, digits).
        #[test]
        fn tokens_are_words(text in "[a-zA-Z0-9 _.\\-/:ÁÉáéñÑßİ]{0,40}") {
            let ws: Vec<(String, Range<usize>)> =
                words(&text).into_iter().map(|w| (w.norm, w.range)).collect();
            let ts: Vec<(String, Range<usize>)> = tokens(&text)
                .into_iter()
                .map(|t| (t.norm.into_owned(), t.range))
                .collect();
            proptest::prop_assert_eq!(ts, ws);
        }
    }

    #[test]
    fn splits_identifier_styles() {
        let w: Vec<String> =
            words("sexualOrientation hiv_status religious-affiliation HIVStatus geo.position")
                .into_iter()
                .map(|w| w.norm)
                .collect();
        assert_eq!(
            w,
            [
                "sexual",
                "orientation",
                "hiv",
                "status",
                "religious",
                "affiliation",
                "hiv",
                "status",
                "geo",
                "position"
            ]
        );
    }

    #[test]
    fn case_accent_and_whole_word() {
        let l = list(&["embarazo", "pregnant", "sexual orientation"], &[]);
        assert!(l.find("EMBARAZÓ").is_some());
        assert!(l.find("embarazo").is_some());
        assert!(l.find("embarazoso").is_none());
        assert!(l.find("impregnable").is_none());
        assert_eq!(
            l.find("our sexualOrientation field").map(|m| m.range),
            Some(4..21)
        );
    }

    #[test]
    fn exclusions_and_prefixes() {
        let l = list(&["race", "diabet*"], &["race distance"]);
        assert!(l.find("race distance").is_none());
        assert!(l.find("race").is_some());
        assert_eq!(
            l.find("Diabetic supplies").map(|m| m.term.text.clone()),
            Some("diabet*".into())
        );
    }
}

#[cfg(test)]
mod combined_index_tests {
    use super::*;

    /// `sensitive_all` as it was before the combined index: every list on its own.
    fn one_by_one<'a>(v: &'a Vocab, ws: &[Word]) -> Vec<(Category, Match<'a>)> {
        let mut found: Vec<(Category, Match<'a>)> = v
            .categories()
            .iter()
            .filter_map(|c| Some((*c, v.list(c.as_str())?)))
            .flat_map(|(c, l)| l.find_in_words(ws).into_iter().map(move |m| (c, m)))
            .collect();
        found.sort_by(|(_, a), (_, b)| (a.range.start, a.list).cmp(&(b.range.start, b.list)));
        found
    }

    fn key(found: &[(Category, Match<'_>)]) -> Vec<(Category, String, Range<usize>)> {
        found
            .iter()
            .map(|(c, m)| (*c, m.term.text.to_string(), m.range.clone()))
            .collect()
    }

    /// Words of the sensitive lists' terms and exclusions, and a few others.
    fn pool() -> Vec<String> {
        let v = Vocab::builtin();
        let mut out: Vec<String> = ["the", "my", "of", "race", "distance", "Diabetic", "x"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for c in v.categories() {
            if let Some(l) = v.list(c.as_str()) {
                for t in l.terms.iter().chain(l.excludes.iter()) {
                    out.extend(t.words().iter().map(|w| w.to_string()));
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    proptest::proptest! {
        /// The combined index finds what the lists find one by one, in the same order,
        /// on texts made of the lists' own words (so that terms, overlaps and
        /// exclusions meet).
        #[test]
        fn combined_index_is_list_by_list(picks in proptest::collection::vec(0usize..100_000, 0..12)) {
            let pool = pool();
            let text: Vec<&str> = picks
                .iter()
                .filter_map(|i| pool.get(i % pool.len().max(1)).map(String::as_str))
                .collect();
            let text = text.join(" ");
            let v = Vocab::builtin();
            let ws = words(&text);
            proptest::prop_assert_eq!(key(&v.sensitive_all(&ws)), key(&one_by_one(v, &ws)));
            let first: Vec<(Category, String, Range<usize>)> = {
                let mut seen = Vec::new();
                let mut all = one_by_one(v, &ws);
                all.retain(|(c, _)| {
                    let new = !seen.contains(c);
                    seen.push(*c);
                    new
                });
                key(&all)
            };
            proptest::prop_assert_eq!(key(&v.sensitive_in(&text)), first);
        }
    }

    #[test]
    fn configured_terms_reach_the_combined_index() {
        let mut v = Vocab::builtin().clone();
        assert!(v.sensitive_in("loyalty tier").is_empty());
        v.add_terms(
            "financial-hardship",
            &["loyalty tier".to_string()],
            "config",
        );
        let found = v.sensitive_in("Your loyalty tier");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found.first().map(|(c, m)| (*c, m.range.clone())),
            Some((Category::FinancialHardship, 5..17))
        );
    }
}

#[cfg(test)]
mod prepared_tests {
    use super::*;

    type TermKey = (String, String, Vec<String>, bool);

    fn terms(ts: &[Term]) -> Vec<TermKey> {
        ts.iter()
            .map(|t| {
                let words = t.words().iter().map(|w| w.to_string()).collect();
                (t.text.to_string(), t.lang.to_string(), words, t.prefix)
            })
            .collect()
    }

    /// A first-word index as a map: the prepared table's words and the added ones.
    fn index<T: Clone>(t: &Table<T>, added: &FirstIndex<T>) -> BTreeMap<String, Vec<T>>
    where
        [T]: ToOwned,
    {
        let mut out: BTreeMap<String, Vec<T>> = BTreeMap::new();
        for (w, at) in t.entries() {
            // The table finds each of its words, and what it starts.
            assert_eq!(t.get(w).len(), at.len(), "{w}");
            out.entry(w.to_string()).or_default().extend_from_slice(at);
        }
        for (w, at) in added {
            out.entry(w.to_string())
                .or_default()
                .extend_from_slice(at.as_ref());
        }
        out
    }

    /// Everything a list holds, for comparing a prepared list with one built here.
    fn key(l: &TermList) -> impl PartialEq + std::fmt::Debug {
        (
            (l.name.clone(), l.description.clone()),
            (terms(&l.terms), terms(&l.excludes)),
            (
                index(&l.prepared_by_first, &l.by_first),
                l.prefix_first.to_vec(),
            ),
            (
                index(&l.prepared_excludes_by_first, &l.excludes_by_first),
                l.excludes_prefix_first.to_vec(),
            ),
        )
    }

    /// Every list of `rules/vocab/` was prepared by `build.rs`, and holds exactly what
    /// reading its YAML and adding its terms one by one (as before) builds.
    #[test]
    fn prepared_lists_are_the_lists_built_from_the_yaml() {
        let files: Vec<&str> = crate::embedded::FILES
            .iter()
            .map(|(p, _)| *p)
            .filter(|p| p.starts_with("vocab/") && p.ends_with(".yaml"))
            .collect();
        let prepared: Vec<&str> = prepared::LISTS.iter().map(|p| p.path).collect();
        assert_eq!(prepared, files, "a list of rules/vocab/ was not prepared");
        for p in prepared::LISTS {
            let text = crate::embedded::file(p.path).unwrap_or_default();
            let file: ListFile = match serde_saphyr::from_str(text) {
                Ok(f) => f,
                Err(e) => panic!("{}: {e}", p.path),
            };
            let built = TermList::from_file(&file);
            assert_eq!(key(&TermList::prepared(p)), key(&built), "{}", p.path);
        }
        let v = Vocab::builtin();
        assert!(v.prepared && v.errors.is_empty(), "{:?}", v.errors);
    }

    /// A term added to a prepared list is found with the prepared ones: the longest
    /// wins whichever table its first word is in.
    #[test]
    fn terms_added_to_a_prepared_list_are_found() {
        let mut v = Vocab::builtin().clone();
        v.add_terms("health", &["blood pressure cuff".to_string()], "config");
        let found = v.sensitive_in("my blood pressure cuff");
        let got: Vec<(Category, String, bool, Range<usize>)> = found
            .iter()
            .map(|(c, m)| {
                (
                    *c,
                    m.term.text.to_string(),
                    m.term.from_config(),
                    m.range.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [(
                Category::Health,
                "blood pressure cuff".to_string(),
                true,
                3..22
            )]
        );
        let found = v.sensitive_in("my blood pressure");
        assert_eq!(
            found
                .first()
                .map(|(_, m)| (m.term.text.as_str(), m.term.from_config())),
            Some(("blood pressure", false))
        );
    }

    /// The prepared sensitive index is the one built from the lists.
    #[test]
    fn prepared_sensitive_index_is_the_built_one() {
        let v = Vocab::builtin();
        let prepared = CombinedIndex::new(v);
        assert!(
            matches!(prepared.prefix_first, Cow::Borrowed(_)),
            "not prepared"
        );
        let mut unprepared = v.clone();
        unprepared.prepared = false;
        let built = CombinedIndex::new(&unprepared);
        assert!(matches!(built.prefix_first, Cow::Owned(_)));
        let key = |c: &CombinedIndex| {
            let by_first = index(&c.prepared_by_first, &c.by_first);
            (c.lists.clone(), by_first, c.prefix_first.to_vec())
        };
        assert_eq!(key(&prepared), key(&built));
    }
}

#[cfg(test)]
mod list_name_tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The names of `rules/vocab/*.yaml` (top level) and `rules/vocab/sensitive/*.yaml`.
    fn files(under: &str) -> BTreeSet<&'static str> {
        crate::embedded::FILES
            .iter()
            .filter_map(|(p, _)| p.strip_prefix(under)?.strip_suffix(".yaml"))
            .filter(|n| !n.contains('/'))
            .collect()
    }

    #[test]
    fn list_names_are_the_files_in_rules_vocab() {
        let named: BTreeSet<&str> = ListName::ALL.iter().map(|l| l.as_str()).collect();
        assert_eq!(named, files("vocab/"), "ListName and rules/vocab/ differ");
        let categories: BTreeSet<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            categories,
            files("vocab/sensitive/"),
            "Category and rules/vocab/sensitive/ differ"
        );
        let v = Vocab::builtin();
        for l in ListName::ALL {
            assert!(
                v.get(*l).is_some_and(|list| !list.terms().is_empty()),
                "{l}: no terms"
            );
        }
        assert_eq!(v.categories().len(), Category::ALL.len());
    }
}
