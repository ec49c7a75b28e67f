//! Counting units of work, so tests can bound the time of a loop on hostile input
//! (40,000 allow comments, 40,000 placeholders) without a wall clock: a quadratic loop
//! shows up as a count, whatever the machine. [`step`] counts only in this crate's unit
//! tests (elsewhere it compiles to nothing); [`add`] counts the work of a run's steps
//! over the whole project in every build, a few times per pass rather than per item, so
//! that tests/linear.rs and tests/linear_steps.rs can check that four times the files
//! cost about four times the work of each kind (issue 14).

use std::sync::atomic::{AtomicU64, Ordering};

/// What [`add`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Items walked by a pass over one of the project's lists of forms, data items or
    /// personalizations ([`crate::model::Items`]), counted when the pass starts.
    Items,
    /// Files walked by a pass over the run's files ([`crate::source::Sources::iter`]).
    Files,
    /// Rows of edit distances a did-you-mean question computed, or candidates it
    /// compared ([`crate::suggest`]).
    Suggestions,
    /// Steps of matching findings to allows: intervals indexed, findings looked up and
    /// heap operations ([`crate::suppress::steps`]).
    Allows,
    /// Paths made absolute ([`crate::io::absolute`]), to compare them with configured
    /// ones: each one a call for the current folder.
    Paths,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Items,
        Kind::Files,
        Kind::Suggestions,
        Kind::Allows,
        Kind::Paths,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Items => "items walked",
            Kind::Files => "files walked",
            Kind::Suggestions => "did-you-mean comparisons",
            Kind::Allows => "allow-matching steps",
            Kind::Paths => "paths made absolute",
        }
    }
}

static COUNTS: [AtomicU64; Kind::ALL.len()] = [const { AtomicU64::new(0) }; Kind::ALL.len()];

/// Count `n` units of `kind` (process-wide).
#[inline]
pub fn add(kind: Kind, n: u64) {
    if let Some(c) = COUNTS.get(kind as usize) {
        c.fetch_add(n, Ordering::Relaxed);
    }
}

/// The units of `kind` counted so far in this process.
pub fn count(kind: Kind) -> u64 {
    COUNTS
        .get(kind as usize)
        .map_or(0, |c| c.load(Ordering::Relaxed))
}

/// Run `f`, and the units of each kind (in [`Kind::ALL`]'s order) counted while it ran,
/// by any thread of the process: a test that compares them runs alone in its process.
pub fn counted<R>(f: impl FnOnce() -> R) -> (R, [u64; Kind::ALL.len()]) {
    let before = Kind::ALL.map(count);
    let r = f();
    let mut after = Kind::ALL.map(count);
    for (a, b) in after.iter_mut().zip(before) {
        *a = a.saturating_sub(b);
    }
    (r, after)
}

#[cfg(test)]
thread_local! {
    static STEPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// One unit of work: one line looked at, one reference grouped.
#[inline]
pub(crate) fn step() {
    #[cfg(test)]
    STEPS.with(|s| s.set(s.get() + 1));
}

/// Run `f` and count its steps (on this thread).
#[cfg(test)]
pub(crate) fn measure<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let before = STEPS.with(std::cell::Cell::get);
    let r = f();
    (r, STEPS.with(std::cell::Cell::get) - before)
}
