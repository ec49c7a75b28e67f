//! Counting units of work, so tests can bound the time of a loop on hostile input
//! (40,000 allow comments, 40,000 placeholders) without a wall clock: a quadratic loop
//! shows up as a count, whatever the machine. Counts only in this crate's unit tests;
//! elsewhere `step` compiles to nothing.

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
