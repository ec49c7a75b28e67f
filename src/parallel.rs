//! Work split into parts that run at once: one place for how creeplint uses threads.

/// Run `work` on every part at once, the first on this thread and each other on a
/// thread of its own; returns each part's result in the parts' order, `Err` holding
/// the panic of a part that panicked (as [`std::thread::JoinHandle::join`] does).
///
/// This thread takes the first part rather than wait for the others (issue 14): glibc
/// gives every thread that allocates an arena of its own, and memory an arena frees
/// only that arena uses again, so every spawned thread's arena kept its own freed
/// working memory resident besides the others'. With a thread fewer in each parallel
/// step (reading, the fields' words, the facts, the rules), 2,000 forms peaked at
/// 27.3 MiB resident instead of 30.5 on two cores, for the same CPU.
///
/// Each other thread gets [`STACK`]; a thread the system refuses to start is that
/// part's error, as a panic would be.
pub(crate) fn each_part<T: Send, R: Send>(
    parts: impl IntoIterator<Item = T>,
    work: impl Fn(T) -> R + Sync,
) -> Vec<std::thread::Result<R>> {
    let mut parts = parts.into_iter();
    let Some(first) = parts.next() else {
        return Vec::new();
    };
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .map(|part| {
                std::thread::Builder::new()
                    .stack_size(STACK)
                    .spawn_scoped(scope, move || work(part))
            })
            .collect();
        // Caught like the spawned parts' panics, so a caller sees every part alike.
        let first = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(first)));
        std::iter::once(first)
            .chain(handles.into_iter().map(|h| match h {
                Ok(h) => h.join(),
                Err(e) => Err(Box::new(format!("could not start a thread: {e}"))
                    as Box<dyn std::any::Any + Send>),
            }))
            .collect()
    })
}

/// The stack of each thread [`each_part`] starts: what a program's main thread has on
/// Linux, instead of the 2 MiB Rust gives a thread. Reading a document nested as deep
/// as the parse budget lets through (64 levels) through serde-saphyr takes about
/// 0.5 MiB of stack in a release build and more than 2 MiB in a debug build, where a
/// spawned reading thread overflowed on it (found by `tests/fuzz.rs`). Only the pages
/// a thread touches are memory.
const STACK: usize = 8 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_parts_order_with_each_panic_in_its_place() {
        let results = each_part([1, 2, 3, 4], |n| {
            assert_ne!(n, 3, "part three fails");
            n * 10
        });
        let got: Vec<Option<i32>> = results.into_iter().map(Result::ok).collect();
        assert_eq!(got, [Some(10), Some(20), None, Some(40)]);
        assert!(each_part(Vec::<i32>::new(), |n| n).is_empty());
        let first_fails = each_part([0, 1], |n| 1 / n);
        assert!(first_fails.first().is_some_and(Result::is_err));
        assert_eq!(first_fails.get(1).map(|r| r.as_ref().ok()), Some(Some(&1)));
    }
}
