//! A text's value, and the pool that lets files share the long values they repeat.
//!
//! Every value of a checked file the model keeps is held for the whole run (issue 14).
//! One up to 15 bytes long (most ids, short labels, types) is held in place; a longer
//! one (a purpose, a description, a help text) needs a block of its own. Forms and data
//! files repeat their long texts: one purpose for several fields, the same retention
//! period in every field, the same description in every team's copy of a data file.
//! While files are read, each reading thread keeps a small pool ([`pooled`]): a long
//! value met a second time becomes one block shared by every text that holds it,
//! instead of a block for each.

use std::cell::RefCell;
use std::fmt;

use compact_str::CompactString;
use ecow::EcoString;

/// A text's value: in place when short, or in a reference-counted block (shared, when a
/// reading thread's pool met it before). 16 bytes either way. Reads as a `&str`
/// (`Deref`), and compares, hashes and prints as one.
///
/// Two texts share a block when their values are at the same address
/// (`a.as_ptr() == b.as_ptr()` on values longer than [`TextValue::INLINE`]).
///
/// Equality and hashing are the `EcoString`'s, which are the `&str`'s.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct TextValue(EcoString);

impl TextValue {
    /// The longest value held in place, without a block.
    pub const INLINE: usize = EcoString::INLINE_LIMIT;

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The value as a `String`.
    pub fn into_string(self) -> String {
        self.0.into()
    }

    /// The value as a `CompactString` (a copy).
    pub fn into_compact(self) -> CompactString {
        CompactString::from(self.0.as_str())
    }

    /// The value of `s` as the model holds it: shared with the texts met before on this
    /// thread when `pooled` is running and the value is long and met before, else a
    /// copy of its own.
    pub fn pooled(s: &str) -> Self {
        if s.len() <= Self::INLINE {
            return Self::from(s);
        }
        POOL.with(|pool| pool.borrow_mut().as_mut().and_then(|p| p.get(s)))
            .map_or_else(|| Self::from(s), TextValue)
    }
}

impl std::ops::Deref for TextValue {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for TextValue {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for TextValue {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for TextValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for TextValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for TextValue {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for TextValue {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<&str> for TextValue {
    fn from(s: &str) -> Self {
        TextValue(EcoString::from(s))
    }
}

impl From<&String> for TextValue {
    fn from(s: &String) -> Self {
        Self::from(s.as_str())
    }
}

impl From<String> for TextValue {
    fn from(s: String) -> Self {
        TextValue(EcoString::from(s.as_str()))
    }
}

impl From<CompactString> for TextValue {
    fn from(s: CompactString) -> Self {
        TextValue(EcoString::from(s.as_str()))
    }
}

impl From<std::borrow::Cow<'_, str>> for TextValue {
    fn from(s: std::borrow::Cow<'_, str>) -> Self {
        TextValue(EcoString::from(&*s))
    }
}

/// The most values a pool notes: when it has noted this many, it starts again empty, so
/// a thread's pool never holds more than this many entries (32 bytes each) and the
/// blocks of the values it shares.
const LIMIT: usize = 4096;

/// A reading thread's long values, by hash. A value is shared from the second time it
/// is met: the first time, the pool notes its hash only, so a value met once (most
/// messages, most descriptions) costs its hash and an entry. The table starts empty
/// and grows with the values met: a one-file check pays for the few it has, not for a
/// table of every entry the pool may hold.
struct Pool {
    /// The hash of each value met, with its shared block from its second time on.
    seen: hashbrown::HashTable<(u64, Option<EcoString>)>,
}

impl Pool {
    fn new() -> Self {
        Pool {
            seen: hashbrown::HashTable::new(),
        }
    }

    /// The shared block of `s`, when it was met before.
    fn get(&mut self, s: &str) -> Option<EcoString> {
        use hashbrown::hash_table::Entry;
        use std::hash::BuildHasher;
        let hash = foldhash::fast::FixedState::default().hash_one(s);
        if self.seen.len() >= LIMIT && self.seen.find(hash, |e| e.0 == hash).is_none() {
            self.seen.clear();
        }
        match self.seen.entry(hash, |e| e.0 == hash, |e| e.0) {
            Entry::Occupied(mut entry) => match &mut entry.get_mut().1 {
                Some(shared) => (shared.as_str() == s).then(|| shared.clone()),
                empty @ None => {
                    let shared = EcoString::from(s);
                    *empty = Some(shared.clone());
                    Some(shared)
                }
            },
            Entry::Vacant(entry) => {
                entry.insert((hash, None));
                None
            }
        }
    }
}

thread_local! {
    static POOL: RefCell<Option<Pool>> = const { RefCell::new(None) };
}

/// Run `f` with a pool of long values on this thread ([`TextValue::pooled`] shares
/// from it), and let the pool go after: the values it shared stay with the texts that
/// hold them. A pool already running (a nested call) is used as it is.
pub(crate) fn pooled<R>(f: impl FnOnce() -> R) -> R {
    struct Guard(bool);
    impl Drop for Guard {
        fn drop(&mut self) {
            if self.0 {
                POOL.with(|pool| pool.borrow_mut().take());
            }
        }
    }
    let started = POOL.with(|pool| {
        let mut pool = pool.borrow_mut();
        let start = pool.is_none();
        if start {
            *pool = Some(Pool::new());
        }
        start
    });
    let _guard = Guard(started);
    f()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: &str = "So we can deliver your order and contact you about it.";

    /// Whether two values are one block.
    fn same_block(a: &TextValue, b: &TextValue) -> bool {
        !a.0.is_inline() && a.as_ptr() == b.as_ptr()
    }

    #[test]
    fn a_value_is_16_bytes_and_reads_as_its_text() {
        assert_eq!(std::mem::size_of::<TextValue>(), 16);
        let short = TextValue::from("email");
        assert_eq!(short.as_str(), "email");
        assert_eq!(format!("{short:?} {short}"), "\"email\" email");
        assert_eq!(short, "email");
        assert_eq!(&*short, "email");
        assert!(short.0.is_inline());
        let longest = "a".repeat(TextValue::INLINE);
        assert!(TextValue::from(longest.as_str()).0.is_inline());
        let long = TextValue::from(LONG);
        assert!(!long.0.is_inline());
        assert_eq!(long.as_str(), LONG);
        assert_eq!(TextValue::from(String::from(LONG)).into_string(), LONG);
        assert_eq!(long.into_compact(), LONG);
    }

    #[test]
    fn outside_a_pool_every_value_is_its_own() {
        let a = TextValue::pooled(LONG);
        let b = TextValue::pooled(LONG);
        assert!(!same_block(&a, &b));
        assert_eq!(a, b);
    }

    #[test]
    fn a_long_value_is_shared_from_the_second_time_it_is_met() {
        let (first, second, third, short, other) = pooled(|| {
            (
                TextValue::pooled(LONG),
                TextValue::pooled(LONG),
                TextValue::pooled(LONG),
                TextValue::pooled("Email address"),
                TextValue::pooled("Signal number 1 about what you did, once"),
            )
        });
        assert!(!same_block(&first, &second), "met once: a copy of its own");
        assert!(same_block(&second, &third), "one block for both");
        assert!(short.0.is_inline(), "a short value is held in place");
        assert!(!same_block(&other, &second) && !same_block(&other, &first));
        for v in [&first, &second, &third] {
            assert_eq!(v.as_str(), LONG);
        }
        // The pool is gone with the call: nothing is shared after it.
        let (a, b) = (TextValue::pooled(LONG), TextValue::pooled(LONG));
        assert!(!same_block(&a, &b) && !same_block(&a, &second));
    }

    #[test]
    fn past_the_limit_every_value_stays_its_own_value() {
        // Far more distinct values than the pool notes: every value reads back as
        // written, whether the pool shared it or had started again.
        let values: Vec<String> = (0..3 * LIMIT)
            .map(|i| format!("a purpose written for field number {i}"))
            .collect();
        let (read, again) = pooled(|| {
            let read = values
                .iter()
                .chain(values.iter())
                .map(|v| TextValue::pooled(v))
                .collect::<Vec<_>>();
            // The pool still shares after starting again.
            let again = [
                TextValue::pooled(LONG),
                TextValue::pooled(LONG),
                TextValue::pooled(LONG),
            ];
            (read, again)
        });
        for (v, s) in read.iter().zip(values.iter().chain(values.iter())) {
            assert_eq!(v.as_str(), s);
        }
        // Each value met twice, 12,288 distinct values apart: the pool had started again
        // in between, so the two copies are two blocks.
        let (first, second) = read.split_at(values.len());
        assert!(first.iter().zip(second).all(|(a, b)| !same_block(a, b)));
        assert!(!same_block(&again[0], &again[1]) && same_block(&again[1], &again[2]));
    }
}
