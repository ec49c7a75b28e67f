//! Memory budget (issue 14): the heap a check holds at its peak must grow by no more than
//! a budget per file. The test counts bytes with its own allocator (live and peak bytes of
//! this process), not time or resident pages, so it is the same from run to run: the
//! check runs on one thread (`Options::threads`), over the benchmark's own corpora
//! (`benches/corpus`: native forms, and a cross-file project with allows) at two sizes,
//! and the growth per file is the difference of the two peaks over the difference of the
//! files. The budgets are today's figures plus a small margin: lower them when the model
//! or the findings shrink, never raise them to let a change through.

use std::alloc::{GlobalAlloc, Layout, System};
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

#[path = "../benches/corpus/mod.rs"]
mod corpus;

/// `System`, counting the bytes it has handed out and not taken back, and the most it
/// has ever had out at once.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Blocks handed out and not taken back, and how many were out at the peak: each costs
/// the system allocator a header and rounding beyond its bytes (printed, not asserted).
static BLOCKS: AtomicUsize = AtomicUsize::new(0);
static BLOCKS_AT_PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    if PEAK.fetch_max(live, Ordering::Relaxed) < live {
        BLOCKS_AT_PEAK.store(BLOCKS.load(Ordering::Relaxed), Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to `System` with the same arguments; the counters only
// observe the sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc`, passed on.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            BLOCKS.fetch_add(1, Ordering::Relaxed);
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc_zeroed`, passed on.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            BLOCKS.fetch_add(1, Ordering::Relaxed);
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc`, passed on.
        unsafe { System.dealloc(ptr, layout) };
        BLOCKS.fetch_sub(1, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc`, passed on.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A check of `dir` as `creeplint check DIR --format json` does it (the run, writing
/// its findings to nowhere as it finds them, then the rest of the JSON output, then
/// everything dropped), on one thread. Returns the
/// peak heap above what was live before, the files checked and the findings.
fn peak_of_check(dir: &Path) -> Check {
    // What `check --format json` asks for: no facts kept for a report, and each file's
    // text let go of once read (the JSON output writes positions only).
    let options = creeplint::Options {
        threads: NonZeroUsize::new(1),
        drop_facts: true,
        drop_texts: true,
        drop_choices: true,
        ..creeplint::Options::default()
    };
    let before = LIVE.load(Ordering::Relaxed);
    let blocks_before = BLOCKS.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let (files, findings) = {
        // The findings written as they are found, a batch of files at a time.
        let mut sink = std::io::sink();
        let mut writer = creeplint::output::json::Writer::new(&mut sink);
        let mut handed = 0;
        let mut written = Ok(());
        let run = creeplint::pipeline::run_streamed(
            &[dir.to_path_buf()],
            &options,
            &mut |sources, found| {
                handed += found.len();
                if written.is_ok() {
                    written = writer.findings(sources, found);
                }
            },
        );
        let outcome = match run {
            Ok(o) => o,
            Err(e) => panic!("the check of {} failed: {e}", dir.display()),
        };
        let finished = written.and_then(|()| {
            writer
                .finish(
                    &outcome.sources,
                    Some(&outcome.suppressed),
                    &outcome.summary,
                )
                .map(|_| ())
        });
        assert!(finished.is_ok(), "writing the JSON output failed");
        (outcome.summary.files, handed + outcome.suppressed.len())
    };
    Check {
        peak: PEAK.load(Ordering::Relaxed) - before,
        blocks: BLOCKS_AT_PEAK.load(Ordering::Relaxed) - blocks_before,
        files,
        findings,
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Check {
    /// Bytes.
    peak: usize,
    /// Allocations live at the peak.
    blocks: usize,
    files: usize,
    findings: usize,
}

/// The heap growth per file (bytes) of checking `small` and then `large` files of a
/// corpus, with both checks.
fn growth(
    generate: fn(&Path, usize) -> std::io::Result<()>,
    small: usize,
    large: usize,
) -> (usize, [Check; 2]) {
    let mut peaks = [Check::default(); 2];
    for (slot, files) in peaks.iter_mut().zip([small, large]) {
        let dir = match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => panic!("no temporary folder: {e}"),
        };
        if let Err(e) = generate(dir.path(), files) {
            panic!("writing the corpus failed: {e}");
        }
        *slot = peak_of_check(dir.path());
    }
    let [a, b] = peaks;
    assert!(b.files > a.files, "{peaks:?}");
    let per_file = b.peak.saturating_sub(a.peak) / (b.files - a.files);
    (per_file, peaks)
}

/// Measured on 2026-12-01: on main at `6a995e4` the forms grew by 17,292 bytes per file
/// and the project by 27,070; after the findings' changes of issue 14o (rules' lists
/// joined after the context is freed, exact secondary labels, `Box<str>` subject names)
/// by 16,961 and 23,511; with 32-bit spans and file ids as well (main at `ce8dc49`) by
/// 14,371 and 20,904 (peaks of 3.6 / 14.4 MB at 250 / 1,000 forms, 5.2 / 20.9 MB at
/// 252 / 1,002 project files); with the smaller `Text` and fields of issue 14c and
/// the rules' context of issue 14f (main at `176c9ab`) by 12,112 and 19,040 (peaks of
/// 3.0 / 12.1 MB at 250 / 1,000 forms, 4.8 / 19.1 MB at 252 / 1,002 project files);
/// with the findings held once while joined, missing-purpose's exact list and shared
/// help texts of issue 14q (2026-12-02, on main at `d7e671e`) by 11,836 and 17,447
/// (peaks of 3.0 / 11.8 MB and 4.4 / 17.5 MB); with those and the fourth round's
/// reading, word matching and model changes (main at `5c7cb68`) by 10,593 and 17,304
/// (peaks of 2.6 / 10.6 MB and 4.3 / 17.3 MB); with the model's fields keeping `uses`
/// and `options` inline as boxed slices and the data items' rare parts boxed (issue
/// 14t, on main at `3411d5f`) by 11,009 and 16,520 (peaks of 2.7 / 11.0 MB and
/// 4.1 / 16.5 MB); with the fifth round of issue 14 (2026-12-02, from `c854d42`): the
/// rules' context holding a 12-byte reference per declared id instead of its merged
/// view, facts of 48 bytes, 96-byte findings with a 16-byte subject key and shared
/// one-word label and help texts, fields' uses and options in one box made when there
/// are any, and `CompactString` texts, by 7,615 and 13,492 (peaks of 1.9 / 7.6 MB and
/// 3.4 / 13.5 MB). With the sixth round (2026-12-02, from `98c45b4`), measured as
/// `check --format json` runs (no facts kept for a report, each file's text let go of
/// once it is read): 6,241 and 11,131 (peaks of 1.6 / 6.2 MB and 2.8 / 11.1 MB); the
/// texts alone were 1,341 and 2,023 bytes of each file (7,582 and 13,154 without the
/// facts but with the texts). With the seventh round (2026-12-02, from `4076a83`), the
/// findings written a batch of files at a time as the run finds them, never all held:
/// 5,505 and 7,373 (peaks of 1.7 / 5.8 MB and 3.0 / 8.6 MB). With the eighth round
/// (2026-12-02, from `93fea30`): the project's lists filled one kind at a time, each
/// file's lists without spare room, one id's declaration held in place, short
/// references, compared values and choices without blocks of their own: 4,795 and 6,806
/// (peaks of 1.7 / 5.3 MB and 2.9 / 8.0 MB); with one id's declaration held in place
/// in 16 bytes, 4,695 for the forms. With the eleventh round (2026-12-03, from
/// `9240aef`), the project's items held as the files' lists (a list's header and number
/// per file and kind, and each item's list): 4,728 and 6,855. That round's gains were
/// in what glibc keeps resident after it is let go of (59 MiB at the 50,001-file
/// project), which a count of live blocks does not see; the bench's resident figures do.
/// With the twelfth round (2026-12-03, from `a6ca330`): line starts in 16 bits, a
/// condition's reference read from the condition, the `near` test boxed, the native
/// format's "all conditions" held without a list: 4,628 and 6,199; a fact in 32 bytes
/// (sensitive categories with what few ids have) and a declared source's text held once
/// a source: 4,500 and 6,049. With the thirteenth round (2026-12-03, from `234353b`),
/// a long text that a reading thread meets again shared with the texts before it
/// (`model::TextValue`): 4,132 and 5,533; a purpose's key in 8 bytes and the read ids
/// as marks on the facts' places: 4,044 and 5,358. With the fourteenth round
/// (2026-12-03, from `f61ec5e`), a text in 32 bytes (its value in 16, `ecow`): 3,684
/// and 5,028; a problem's help shared, the declarations grouped in 8-byte slots, facts
/// without a data item's source place, items packed in 8 bytes, the spans a file keeps
/// without a box: 3,460 and 4,820. With the fifteenth round (2026-12-04, from
/// `ff4a49b`), one use of a field held in place, an allow's lists boxed and its reason
/// shared, and the files read straight into their places: 3,460 and 4,740. With the
/// sixteenth round (2026-12-04, from `c760b4b`), line starts as a byte a line when the
/// lines are short: 3,410 and 4,676. With the nineteenth round (2026-12-04, from
/// `e753fa2`), the choices in which no rule finds a word let go of as each file is read
/// (`Options::drop_choices`): 3,410 and 4,196. With the twenty-first round (2026-12-04,
/// from `899637c`), fields, data items, personalizations, conditions, placeholders and
/// the rules' facts in fewer bytes, and the sources' list made in the files' list:
/// 3,202 and 3,852.
/// The budgets leave about 5% for changes that are not about memory.
const FORMS_BUDGET: usize = 3_360;
const PROJECT_BUDGET: usize = 4_040;

#[test]
fn peak_heap_per_file_stays_within_budget() {
    // A first small check builds what a process prepares once (compiled schemas, the
    // prepared term lists' tables), so that neither size below pays for it.
    for generate in [corpus::generate_forms, corpus::generate_project] {
        let _ = growth(generate, 20, 40);
    }
    let (forms, forms_peaks) = growth(corpus::generate_forms, 250, 1000);
    let (project, project_peaks) = growth(corpus::generate_project, 250, 1000);
    eprintln!(
        "peak heap growth per file: forms {forms} bytes (peaks {forms_peaks:?}), \
         project {project} bytes (peaks {project_peaks:?})"
    );
    for c in forms_peaks.iter().chain(&project_peaks) {
        eprintln!(
            "{} files: {} allocations live at the peak",
            c.files, c.blocks
        );
    }
    // The checks really found things: every generated form has findings.
    for c in forms_peaks.iter().chain(&project_peaks) {
        assert!(c.findings >= c.files, "{c:?}");
    }
    assert!(
        forms <= FORMS_BUDGET,
        "the peak heap of checking native forms grows by {forms} bytes per file, over \
         the budget of {FORMS_BUDGET}: something a run holds per file got larger"
    );
    assert!(
        project <= PROJECT_BUDGET,
        "the peak heap of checking a cross-file project grows by {project} bytes per \
         file, over the budget of {PROJECT_BUDGET}: something a run holds per file got \
         larger"
    );
}
