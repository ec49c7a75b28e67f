//! What the run and `build.rs` share to turn a term list into terms: splitting a text
//! into normalised words, the forms a term is matched in, and the list file's shape.
//! `build.rs` includes this file (`#[path]`) to prepare the built-in lists at build
//! time with exactly the code the run uses for a list it reads itself (configuration
//! `terms:`, a list that did not prepare), so the two cannot disagree. It uses no
//! other part of the crate.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

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
    /// `w` is ASCII, and has a capital letter if `upper` says so.
    fn ascii_known(w: &'t str, range: Range<usize>, upper: bool) -> Self
    where
        Self: Sized,
    {
        let _ = upper;
        Self::ascii(w, range)
    }
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
        Self::ascii_known(w, range, w.bytes().any(|b| b.is_ascii_uppercase()))
    }
    fn ascii_known(w: &'t str, range: Range<usize>, upper: bool) -> Self {
        let norm = if upper {
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

#[cfg(test)]
pub(crate) fn unicode_words(text: &str) -> Vec<Word> {
    split_unicode(text)
}

#[cfg(test)]
pub(crate) fn ascii_words(text: &str) -> Vec<Word> {
    split_ascii(text)
}

/// Room for the words of most texts at once (a word and its separator are rarely
/// under five bytes): growing the list was a sixth of splitting (issue 14).
fn room_for_words(text: &str) -> usize {
    text.len() / 5 + 1
}

/// The letter classes the split of Unicode text reads ([`split_ascii`] has its own
/// table of ASCII bytes).
trait Letter: Copy {
    fn lower(self) -> bool;
    fn upper(self) -> bool;
    fn alphabetic(self) -> bool;
}

impl Letter for char {
    fn lower(self) -> bool {
        self.is_lowercase()
    }
    fn upper(self) -> bool {
        self.is_uppercase()
    }
    fn alphabetic(self) -> bool {
        self.is_alphabetic()
    }
}

/// Whether a new word starts at `c`, after `prev` and before `next` inside a run of
/// letters and digits: a capital after a lower-case letter (`dateBirth`), the last
/// capital of a run before a lower-case letter (`HTMLForm`), a digit next to a letter.
fn hump<L: Letter>(prev: L, c: L, next: Option<L>) -> bool {
    (prev.lower() && c.upper())
        || (prev.upper() && c.upper() && next.is_some_and(L::lower))
        || (prev.alphabetic() != c.alphabetic())
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
            if prev.is_some_and(|p| hump(p, c, next)) {
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
    // The word being read: where it starts, and whether it has a capital yet.
    let mut start: Option<usize> = None;
    let mut upper = false;
    let flush = |out: &mut Vec<W>, from: usize, to: usize, upper: bool| {
        if let Some(w) = text.get(from..to) {
            out.push(W::ascii_known(w, from..to, upper));
        }
    };
    // Each byte's class from a table, and the previous byte's kept: the splits of
    // `hump`, in a few instructions a byte (issue 14).
    let mut prev = SEPARATOR;
    let mut at = 0;
    while let Some(&c) = bytes.get(at) {
        let class = ascii_class(c);
        if class == SEPARATOR {
            if let Some(s) = start.take() {
                flush(&mut out, s, at, upper);
            }
            prev = SEPARATOR;
            at += 1;
            continue;
        }
        match start {
            None => {
                start = Some(at);
                upper = false;
            }
            Some(s) => {
                // Inside a word, the previous byte is a letter or a digit.
                let split = match (prev, class) {
                    (LOWER, UPPER) => true,
                    (UPPER, UPPER) => bytes.get(at + 1).is_some_and(u8::is_ascii_lowercase),
                    (LOWER | UPPER, DIGIT) | (DIGIT, LOWER | UPPER) => true,
                    _ => false,
                };
                if split {
                    flush(&mut out, s, at, upper);
                    start = Some(at);
                    upper = false;
                }
            }
        }
        upper |= class == UPPER;
        prev = class;
        at += 1;
        // Lower-case letters after a lower-case letter start no word and change nothing:
        // the rest of such a run is passed over at once (most of a text's bytes).
        if class == LOWER {
            while bytes.get(at).is_some_and(u8::is_ascii_lowercase) {
                at += 1;
            }
        }
    }
    if let Some(s) = start {
        flush(&mut out, s, text.len(), upper);
    }
    out
}

/// The classes of ASCII bytes [`split_ascii`] reads.
const SEPARATOR: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const DIGIT: u8 = 3;

/// The class of an ASCII byte: a separator (anything but a letter or a digit), a
/// lower-case letter, a capital or a digit.
fn ascii_class(c: u8) -> u8 {
    const CLASSES: [u8; 256] = {
        let mut t = [SEPARATOR; 256];
        let mut i = 0;
        while i < 256 {
            let c = i as u8;
            t[i] = if c.is_ascii_lowercase() {
                LOWER
            } else if c.is_ascii_uppercase() {
                UPPER
            } else if c.is_ascii_digit() {
                DIGIT
            } else {
                SEPARATOR
            };
            i += 1;
        }
        t
    };
    CLASSES.get(usize::from(c)).copied().unwrap_or(SEPARATOR)
}

/// Small joining words an identifier often leaves out: `número de cliente` is
/// written `numero_cliente`, `date of birth` `dateBirth`. A multi-word term also
/// matches without the ones between its first and last word.
pub const JOINING_WORDS: [&str; 5] = ["of", "the", "de", "del", "la"];

/// One form of a term as a list holds it: the term as written (trimmed), its
/// normalised words, and whether its last word matches as a prefix (`diabet*`).
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub text: String,
    pub words: Vec<String>,
    pub prefix: bool,
}

impl Form {
    /// A one-word prefix (`diabet*`): tried at every word, not looked up by its first.
    pub fn starts_anywhere(&self) -> bool {
        self.prefix && self.words.len() == 1
    }
}

/// The forms a list holds for one of its terms, in the list's order: the term, then
/// the term without the joining words between its first and last word when it has
/// any (an exclusion holds that form first). None when the term has no words.
pub fn forms(text: &str, exclusion: bool) -> Vec<Form> {
    let words: Vec<String> = words(text).into_iter().map(|w| w.norm).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let prefix = text.trim_end().ends_with('*');
    let short = without_joining_words(&words);
    let full = Form {
        text: text.trim().to_string(),
        words,
        prefix,
    };
    let short = short.map(|words| Form {
        words,
        ..full.clone()
    });
    match (short, exclusion) {
        (None, _) => vec![full],
        (Some(s), false) => vec![full, s],
        (Some(s), true) => vec![s, full],
    }
}

/// `words` without the joining words between the first and the last, when it has any.
pub fn without_joining_words<S: AsRef<str>>(words: &[S]) -> Option<Vec<String>> {
    let n = words.len();
    // Most terms have none: no copy of their words to find out.
    let inner = words.get(1..n.saturating_sub(1)).unwrap_or_default();
    if !inner.iter().any(|w| JOINING_WORDS.contains(&w.as_ref())) {
        return None;
    }
    let kept: Vec<String> = words
        .iter()
        .enumerate()
        .filter(|(i, w)| *i == 0 || *i + 1 == n || !JOINING_WORDS.contains(&w.as_ref()))
        .map(|(_, w)| w.as_ref().to_string())
        .collect();
    (kept.len() < n).then_some(kept)
}

/// The hash that places a word in a first-word table `build.rs` prepares: the
/// same at build time and at run time, on every platform. A table has twice as many
/// slots as words (a power of two), each 0 (empty) or a word's place + 1, placed by
/// this hash and linear probing.
pub fn word_hash(word: &str) -> u64 {
    // Words are short: up to 16 bytes are read as two (overlapping) little-endian
    // numbers, not byte by byte; longer ones 8 bytes at a time.
    let b = word.as_bytes();
    let n = b.len();
    let u64_at = |i: usize| {
        b.get(i..i + 8)
            .and_then(|s| <[u8; 8]>::try_from(s).ok())
            .map_or(0, u64::from_le_bytes)
    };
    let u32_at = |i: usize| {
        b.get(i..i + 4)
            .and_then(|s| <[u8; 4]>::try_from(s).ok())
            .map_or(0, |a| u64::from(u32::from_le_bytes(a)))
    };
    let byte = |i: usize| u64::from(b.get(i).copied().unwrap_or(0));
    let (mut h, x, y) = if n > 16 {
        let mut h = 0;
        let mut i = 0;
        while i + 16 < n {
            h = mix(h ^ u64_at(i), u64_at(i + 8));
            i += 16;
        }
        (h, u64_at(n - 16), u64_at(n - 8))
    } else if n >= 8 {
        (0, u64_at(0), u64_at(n - 8))
    } else if n >= 4 {
        (0, u32_at(0), u32_at(n - 4))
    } else if n > 0 {
        (0, byte(0) << 16 | byte(n / 2) << 8 | byte(n - 1), 0)
    } else {
        (0, 0, 0)
    };
    h = mix(h ^ x ^ 0x243f_6a88_85a3_08d3, y ^ 0x1319_8a2e_0370_7344);
    mix(h, n as u64 ^ 0xa409_3822_299f_31d0)
}

/// Multiply and fold (the same on every platform: `u128` arithmetic).
fn mix(a: u64, b: u64) -> u64 {
    let m = u128::from(a) * u128::from(b ^ 0x9e37_79b9_7f4a_7c15);
    (m as u64) ^ ((m >> 64) as u64)
}

/// A file of `rules/vocab/`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListFile {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub terms: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub exclude: BTreeMap<String, Vec<String>>,
}
