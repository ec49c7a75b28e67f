//! Term lists from `rules/vocab/`, normalised and compiled once, and the one word
//! matcher every word-based rule uses: case- and accent-insensitive, whole words,
//! identifier-aware (`sexualOrientation`, `hiv_status`), with exclusion phrases.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::OnceLock;

use foldhash::fast::FixedState;
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::model::Category;

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

/// One word of a text: its normalised form and its byte range in the original text.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub norm: String,
    pub range: Range<usize>,
}

/// Lower-case and strip accents: `EMBARAZÓ` → `embarazo`.
pub fn normalize(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    word.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Split text into words: on anything that is not a letter or digit, on camelCase
/// humps (`HIVStatus` → `hiv status`) and between letters and digits.
pub fn words(text: &str) -> Vec<Word> {
    split(text)
}

/// A word as the matchers read it: its normalised form and its byte range in the text.
pub trait Norm {
    fn norm(&self) -> &str;
    fn range(&self) -> &Range<usize>;
}

impl Norm for Word {
    fn norm(&self) -> &str {
        &self.norm
    }
    fn range(&self) -> &Range<usize> {
        &self.range
    }
}

/// A word of a text that borrows its normalised form from the text when the text
/// already writes it so (lower-case ASCII: most ids, and most words of labels and
/// descriptions), and copies it only otherwise. The same words as [`words`], with one
/// allocation fewer per word: texts split to be looked up in term lists and thrown
/// away use these (a `String` per word was a tenth of a run, issue 14).
#[derive(Debug, Clone, PartialEq)]
pub struct Token<'t> {
    pub norm: std::borrow::Cow<'t, str>,
    pub range: Range<usize>,
}

impl Norm for Token<'_> {
    fn norm(&self) -> &str {
        &self.norm
    }
    fn range(&self) -> &Range<usize> {
        &self.range
    }
}

/// [`words`] as [`Token`]s.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    split(text)
}

/// How a splitter makes a word from its text and range.
trait MakeWord<'t> {
    /// `w` is ASCII.
    fn ascii(w: &'t str, range: Range<usize>) -> Self;
    fn any(w: &'t str, range: Range<usize>) -> Self;
}

impl<'t> MakeWord<'t> for Word {
    fn ascii(w: &'t str, range: Range<usize>) -> Self {
        Word {
            norm: w.to_ascii_lowercase(),
            range,
        }
    }
    fn any(w: &'t str, range: Range<usize>) -> Self {
        Word {
            norm: normalize(w),
            range,
        }
    }
}

impl<'t> MakeWord<'t> for Token<'t> {
    fn ascii(w: &'t str, range: Range<usize>) -> Self {
        let norm = if w.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(w.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(w)
        };
        Token { norm, range }
    }
    fn any(w: &'t str, range: Range<usize>) -> Self {
        if w.is_ascii() {
            return Self::ascii(w, range);
        }
        Token {
            norm: std::borrow::Cow::Owned(normalize(w)),
            range,
        }
    }
}

fn split<'t, W: MakeWord<'t>>(text: &'t str) -> Vec<W> {
    if text.is_ascii() {
        split_ascii(text)
    } else {
        split_unicode(text)
    }
}

/// Room for the words of most texts at once (a word and its separator are rarely
/// under five bytes): growing the list was a sixth of splitting (issue 14).
fn room_for_words(text: &str) -> usize {
    text.len() / 5 + 1
}

#[cfg(test)]
fn unicode_words(text: &str) -> Vec<Word> {
    split_unicode(text)
}

#[cfg(test)]
fn ascii_words(text: &str) -> Vec<Word> {
    split_ascii(text)
}

fn split_unicode<'t, W: MakeWord<'t>>(text: &'t str) -> Vec<W> {
    let mut out = Vec::with_capacity(room_for_words(text));
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut start: Option<usize> = None;
    let flush = |out: &mut Vec<W>, from: usize, to: usize| {
        if let Some(w) = text.get(from..to) {
            out.push(W::any(w, from..to));
        }
    };
    for (i, &(at, c)) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if let Some(s) = start.take() {
                flush(&mut out, s, at);
            }
            continue;
        }
        if let Some(s) = start {
            let prev = chars.get(i.wrapping_sub(1)).map(|p| p.1);
            let next = chars.get(i + 1).map(|n| n.1);
            let hump = prev.is_some_and(|p| {
                (p.is_lowercase() && c.is_uppercase())
                    || (p.is_uppercase()
                        && c.is_uppercase()
                        && next.is_some_and(char::is_lowercase))
                    || (p.is_alphabetic() != c.is_alphabetic())
            });
            if hump {
                flush(&mut out, s, at);
                start = Some(at);
            }
        } else {
            start = Some(at);
        }
    }
    if let Some(s) = start {
        flush(&mut out, s, text.len());
    }
    out
}

/// [`words`] for ASCII text (most labels, ids and descriptions): the same splits,
/// byte by byte, without decoding characters first.
fn split_ascii<'t, W: MakeWord<'t>>(text: &'t str) -> Vec<W> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(room_for_words(text));
    let mut start: Option<usize> = None;
    let flush = |out: &mut Vec<W>, from: usize, to: usize| {
        if let Some(w) = text.get(from..to) {
            out.push(W::ascii(w, from..to));
        }
    };
    for (at, &c) in bytes.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if let Some(s) = start.take() {
                flush(&mut out, s, at);
            }
            continue;
        }
        if let Some(s) = start {
            let prev = bytes.get(at.wrapping_sub(1)).copied();
            let next = bytes.get(at + 1).copied();
            let hump = prev.is_some_and(|p| {
                (p.is_ascii_lowercase() && c.is_ascii_uppercase())
                    || (p.is_ascii_uppercase()
                        && c.is_ascii_uppercase()
                        && next.is_some_and(|n| n.is_ascii_lowercase()))
                    || (p.is_ascii_alphabetic() != c.is_ascii_alphabetic())
            });
            if hump {
                flush(&mut out, s, at);
                start = Some(at);
            }
        } else {
            start = Some(at);
        }
    }
    if let Some(s) = start {
        flush(&mut out, s, text.len());
    }
    out
}

#[derive(Debug, Clone)]
pub struct Term {
    /// The term as written in the list.
    pub text: String,
    pub lang: String,
    words: Vec<String>,
    /// `diabet*`: the last word matches as a prefix.
    prefix: bool,
}

/// Small joining words an identifier often leaves out: `número de cliente` is
/// written `numero_cliente`, `date of birth` `dateBirth`. A multi-word term also
/// matches without the ones between its first and last word.
pub const JOINING_WORDS: [&str; 5] = ["of", "the", "de", "del", "la"];

impl Term {
    fn new(text: &str, lang: &str) -> Option<Self> {
        let prefix = text.trim_end().ends_with('*');
        let words: Vec<String> = words(text).into_iter().map(|w| w.norm).collect();
        (!words.is_empty()).then(|| Self {
            text: text.trim().to_string(),
            lang: lang.to_string(),
            words,
            prefix,
        })
    }

    /// The same term without the joining words between its first and last word, when
    /// it has any.
    fn without_joining_words(&self) -> Option<Self> {
        let n = self.words.len();
        // Most terms have none: no copy of their words to find out (start-up builds 3,800).
        let inner = self.words.get(1..n.saturating_sub(1)).unwrap_or_default();
        if !inner.iter().any(|w| JOINING_WORDS.contains(&w.as_str())) {
            return None;
        }
        let kept: Vec<String> = self
            .words
            .iter()
            .enumerate()
            .filter(|(i, w)| *i == 0 || *i + 1 == n || !JOINING_WORDS.contains(&w.as_str()))
            .map(|(_, w)| w.clone())
            .collect();
        (kept.len() < n).then(|| Self {
            words: kept,
            ..self.clone()
        })
    }

    /// How many words the term has.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether the term was added by the configuration's `terms:`.
    pub fn from_config(&self) -> bool {
        self.lang == "config"
    }

    fn matches_at<W: Norm>(&self, text: &[W], at: usize) -> bool {
        let n = self.words.len();
        let Some(window) = text.get(at..at + n) else {
            return false;
        };
        window
            .iter()
            .zip(&self.words)
            .enumerate()
            .all(|(i, (w, t))| {
                if self.prefix && i + 1 == n {
                    w.norm().starts_with(t.as_str())
                } else {
                    w.norm() == t
                }
            })
    }
}

/// A compiled term list.
#[derive(Debug, Clone, Default)]
pub struct TermList {
    pub name: String,
    pub description: String,
    terms: Vec<Term>,
    excludes: Vec<Term>,
    /// Terms by their first word, and prefix terms whose first word is the prefix:
    /// only these can start a match at a word.
    by_first: HashMap<String, Vec<usize>, FixedState>,
    prefix_first: Vec<usize>,
    /// The same index for the exclusions, so that a text is checked against the
    /// exclusions that can start at each of its words, not against all of them.
    excludes_by_first: HashMap<String, Vec<usize>, FixedState>,
    excludes_prefix_first: Vec<usize>,
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
        written(text, self.range.clone()).unwrap_or_else(|| self.term.text.clone())
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

    pub fn add(&mut self, text: &str, lang: &str) {
        if let Some(t) = Term::new(text, lang) {
            let short = t.without_joining_words();
            self.push(t);
            if let Some(s) = short {
                self.push(s);
            }
        }
    }

    fn push(&mut self, t: Term) {
        index(
            &mut self.by_first,
            &mut self.prefix_first,
            &t,
            self.terms.len(),
        );
        self.terms.push(t);
    }

    fn push_exclusion(&mut self, t: Term) {
        index(
            &mut self.excludes_by_first,
            &mut self.excludes_prefix_first,
            &t,
            self.excludes.len(),
        );
        self.excludes.push(t);
    }

    /// The longest term that starts at word `at` (exclusions are not applied).
    pub fn term_at<W: Norm>(&self, ws: &[W], at: usize) -> Option<&Term> {
        let word = ws.get(at)?.norm();
        self.candidates(word)
            .filter(|t| t.matches_at(ws, at))
            .max_by_key(|t| t.words.len())
    }

    /// The terms that may match at a word.
    fn candidates<'a>(&'a self, word: &str) -> impl Iterator<Item = &'a Term> + 'a {
        self.by_first
            .get(word)
            .into_iter()
            .flatten()
            .chain(self.prefix_first.iter())
            .filter_map(|&i| self.terms.get(i))
    }

    /// The exclusions that may match at a word.
    fn exclusion_candidates<'a>(&'a self, word: &str) -> impl Iterator<Item = &'a Term> + 'a {
        self.excludes_by_first
            .get(word)
            .into_iter()
            .flatten()
            .chain(self.excludes_prefix_first.iter())
            .filter_map(|&i| self.excludes.get(i))
    }

    /// The word ranges that an exclusion phrase covers.
    fn exclusions<W: Norm>(&self, ws: &[W]) -> Vec<Range<usize>> {
        let mut excluded = Vec::new();
        for (at, w) in ws.iter().enumerate() {
            for e in self
                .exclusion_candidates(w.norm())
                .filter(|e| e.matches_at(ws, at))
            {
                excluded.push(at..at + e.words.len());
            }
        }
        excluded
    }

    pub fn add_exclusion(&mut self, text: &str, lang: &str) {
        if let Some(t) = Term::new(text, lang) {
            if let Some(s) = t.without_joining_words() {
                self.push_exclusion(s);
            }
            self.push_exclusion(t);
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
        // Exclusions are looked for only once a term matches: most texts match none.
        let mut excluded: Option<Vec<Range<usize>>> = None;
        let mut out = Vec::new();
        let mut at = 0;
        while at < ws.len() {
            let word = ws.get(at).map_or("", |w| w.norm());
            // The longest term that matches here and no exclusion covers (the last of
            // equally long ones, as `max_by_key` chose).
            let mut best: Option<&Term> = None;
            for t in self.candidates(word) {
                if !t.matches_at(ws, at) {
                    continue;
                }
                let r = at..at + t.words.len();
                let excluded = excluded.get_or_insert_with(|| self.exclusions(ws));
                if excluded
                    .iter()
                    .any(|e| e.start <= r.start && r.end <= e.end)
                {
                    continue;
                }
                if best.is_none_or(|b| t.words.len() >= b.words.len()) {
                    best = Some(t);
                }
            }
            match best {
                Some(term) => {
                    let last = at + term.words.len() - 1;
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
            self.candidates(word).any(|t| t.matches_at(&ws, at))
        })
    }

    /// The terms as written in the list (not the forms without joining words).
    pub fn terms(&self) -> Vec<&Term> {
        let mut out: Vec<&Term> = Vec::new();
        for t in &self.terms {
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

/// Index term `i` by its first word, or, for a one-word prefix (`diabet*`), among the
/// terms tried at every word.
fn index(
    by_first: &mut HashMap<String, Vec<usize>, FixedState>,
    prefix_first: &mut Vec<usize>,
    t: &Term,
    i: usize,
) {
    if t.prefix && t.words.len() == 1 {
        prefix_first.push(i);
    } else if let Some(first) = t.words.first() {
        // The first word is copied only when it is new (start-up indexes 3,800 terms).
        match by_first.get_mut(first) {
            Some(at) => at.push(i),
            None => {
                by_first.insert(first.clone(), vec![i]);
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    name: String,
    #[serde(default)]
    description: String,
    terms: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    exclude: BTreeMap<String, Vec<String>>,
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
}

/// The first-word index of several lists at once: for each first word, the terms (as
/// their list's position in `lists` and their index in that list) that can start a
/// match there. It holds no copies of the terms, so it is cheap to build.
#[derive(Debug, Clone, Default)]
struct CombinedIndex {
    /// The lists, in the order of [`Vocab::categories`].
    lists: Vec<(Category, String)>,
    by_first: HashMap<String, Vec<(usize, usize)>, FixedState>,
    /// One-word prefix terms (`diabet*`) with their prefix, tried at every word.
    prefix_first: Vec<(String, usize, usize)>,
}

impl CombinedIndex {
    fn new(v: &Vocab) -> Self {
        let mut out = CombinedIndex::default();
        for c in &v.categories {
            let li = out.lists.len();
            out.lists.push((*c, c.as_str().to_string()));
            let Some(list) = v.lists.get(c.as_str()) else {
                continue;
            };
            for (word, terms) in &list.by_first {
                let entry = out.by_first.entry(word.clone()).or_default();
                entry.extend(terms.iter().map(|&t| (li, t)));
            }
            for &t in &list.prefix_first {
                if let Some(first) = list.terms.get(t).and_then(|t| t.words.first()) {
                    out.prefix_first.push((first.clone(), li, t));
                }
            }
        }
        out
    }

    /// Which of the lists have a term that matches somewhere in `ws` (exclusions not
    /// applied), as bits by position: only these can return a match from
    /// [`TermList::find_in_words`]. A list past the 64th (there is one per
    /// [`Category`]) always counts as matching: scanning it finds what it finds.
    fn lists_in<W: Norm>(&self, v: &Vocab, ws: &[W]) -> u64 {
        let mut hit = 0u64;
        for (at, w) in ws.iter().enumerate() {
            let prefixed = self
                .prefix_first
                .iter()
                .filter(|(p, _, _)| w.norm().starts_with(p.as_str()))
                .map(|(_, li, ti)| (*li, *ti));
            for (li, ti) in self
                .by_first
                .get(w.norm())
                .into_iter()
                .flatten()
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
                let Some(list) = self.lists.get(li).and_then(|(_, name)| v.lists.get(name)) else {
                    continue;
                };
                if list.terms.get(ti).is_some_and(|t| t.matches_at(ws, at)) {
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
        let hit = self.lists_in(v, ws);
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
        let mut v = Vocab::default();
        for (path, _) in crate::embedded::FILES {
            let Some(rest) = path.strip_prefix("vocab/") else {
                continue;
            };
            if !rest.ends_with(".yaml") {
                continue;
            }
            match crate::embedded::parse::<ListFile>(path) {
                Ok(file) => {
                    let mut list = TermList {
                        name: file.name.clone(),
                        description: file.description,
                        ..TermList::default()
                    };
                    // Sized once: the lists hold 3,800 terms, built on every run.
                    let n: usize = file.terms.values().map(Vec::len).sum();
                    list.terms.reserve(n);
                    list.by_first.reserve(n);
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
                    if rest.starts_with("sensitive/") {
                        match Category::parse(&file.name) {
                            Some(c) => v.categories.push(c),
                            None => v.errors.push(format!(
                                "rules/{path}: `{}` is not a sensitive category",
                                file.name
                            )),
                        }
                    }
                    v.lists.insert(file.name, list);
                }
                Err(e) => v.errors.push(e),
            }
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
            .map(|(c, m)| (*c, m.term.text.clone(), m.range.clone()))
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
                for t in l.terms.iter().chain(&l.excludes) {
                    out.extend(t.words.iter().cloned());
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
