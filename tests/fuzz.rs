//! A property test over the readers and every renderer: files made by mutating the
//! bundled examples and test fixtures of every reader (control characters, long runs, YAML anchors and markers,
//! placeholders, allow comments, byte-order marks, UTF-16, cut-offs) and random
//! bytes, checked and rendered in every format. Invariants: no panic, valid JSON and
//! SARIF, every span inside its file on character boundaries, no control character
//! in a text output, and output size bounded by a small multiple of the input.
//!
//! `cargo test --test fuzz` runs 48 cases in a few seconds. For a longer run:
//! `CREEPLINT_FUZZ_CASES=20000 cargo test --release --test fuzz`.
//!
//! The cases come from a random seed, written to standard error before the first case
//! (straight to it, not through the test's captured output, so that it is there even
//! when a case aborts the process, as a stack overflow does, before proptest can say
//! which case failed); `CREEPLINT_FUZZ_SEED=N` makes the same cases again.

use std::io::Write;
use std::path::PathBuf;

use creeplint::output;
use creeplint::pipeline::{Options, run};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

/// Output may be at most this many times the input, plus [`SLACK`].
const FACTOR: usize = 64;
/// Fixed parts: SARIF's rule descriptions, the report's stylesheet.
const SLACK: usize = 256 * 1024;

fn cases() -> u32 {
    std::env::var("CREEPLINT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

/// The seed of this run's cases: `CREEPLINT_FUZZ_SEED`, else a random one.
fn seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::env::var("CREEPLINT_FUZZ_SEED")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| {
            std::collections::hash_map::RandomState::new()
                .build_hasher()
                .finish()
        })
}

/// The bundled examples and the test fixtures of every reader (YAML, JSON, flag
/// files): realistic starting points for mutation, sorted so runs are reproducible.
fn seeds() -> Vec<Vec<u8>> {
    let mut paths = Vec::new();
    let mut folders: Vec<PathBuf> = vec!["examples".into(), "tests/fixtures".into()];
    while let Some(dir) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                folders.push(p);
            } else if p
                .extension()
                .is_some_and(|x| x == "yaml" || x == "yml" || x == "json" || x == "html")
                && e.metadata().is_ok_and(|m| m.len() < 64 * 1024)
            {
                paths.push(p);
            }
        }
    }
    paths.sort();
    let seeds: Vec<Vec<u8>> = paths.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    assert!(seeds.len() > 20, "example and fixture files not found");
    seeds
}

const TOKENS: &[&str] = &[
    "\u{1b}]0;owned\u{7}\u{1b}[2J",
    "\0",
    "\r",
    "\u{202e}",
    "\u{feff}",
    "{{a}} {{b}} {{a}}",
    "*a ",
    "&a ",
    "\n---\n",
    "\n...\n",
    "\n# creeplint: allow missing-purpose -- reviewed\n",
    "\n# creeplint: allow\n",
    "[",
    "{",
    "]",
    "\"",
    "'",
    ": ",
    "\n  - id: x\n",
    "kind: form\n",
    "kind: personalization\n",
    "kind: data\n",
    "kind: from\n",
    "é😀",
    "\\u0000",
    "\t",
    "javascript:",
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the byte at a position (modulo the length).
    Set(usize, u8),
    Insert(usize, usize),
    /// A run of one character, long enough to pass the clipping limits.
    Run(usize, u8, usize),
    Truncate(usize),
    /// Repeat a slice of the file.
    Repeat(usize, usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::Set(a, b)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(a, t)| Mutation::Insert(a, t)),
        (
            any::<usize>(),
            prop::sample::select(b"ax{` \n".to_vec()),
            200..3000usize
        )
            .prop_map(|(a, c, n)| Mutation::Run(a, c, n)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 1..200usize, 1..20usize).prop_map(|(a, l, n)| Mutation::Repeat(a, l, n)),
    ]
}

fn apply(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len().max(1);
        match *m {
            Mutation::Set(at, b) => {
                if let Some(x) = bytes.get_mut(at % len) {
                    *x = b;
                }
            }
            Mutation::Insert(at, t) => {
                let at = (at % len).min(bytes.len());
                let token = TOKENS.get(t).copied().unwrap_or("");
                bytes.splice(at..at, token.bytes());
            }
            Mutation::Run(at, c, n) => {
                let at = (at % len).min(bytes.len());
                bytes.splice(at..at, std::iter::repeat_n(c, n));
            }
            Mutation::Truncate(at) => bytes.truncate(at % len),
            Mutation::Repeat(at, l, n) => {
                let at = (at % len).min(bytes.len());
                let end = (at + l).min(bytes.len());
                let part = bytes.get(at..end).unwrap_or_default().to_vec();
                for _ in 0..n {
                    bytes.splice(end..end, part.iter().copied());
                }
            }
        }
    }
    bytes
}

#[derive(Debug, Clone, Copy)]
enum Encoding {
    Utf8,
    Utf16Bom,
    Utf16NoBom,
}

fn encode(bytes: Vec<u8>, encoding: Encoding) -> Vec<u8> {
    let text = String::from_utf8_lossy(&bytes);
    match encoding {
        Encoding::Utf8 => bytes,
        Encoding::Utf16Bom => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        Encoding::Utf16NoBom => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
    }
}

/// One case: a few files, each a mutated seed (in some encoding) or random bytes.
fn project(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    let count = seeds.len();
    let file = prop_oneof![
        8 => (
            0..count,
            prop::collection::vec(mutation(), 0..6),
            prop_oneof![
                6 => Just(Encoding::Utf8),
                1 => Just(Encoding::Utf16Bom),
                1 => Just(Encoding::Utf16NoBom),
            ],
        )
            .prop_map(move |(i, muts, enc)| {
                encode(apply(seeds.get(i).cloned().unwrap_or_default(), &muts), enc)
            }),
        1 => prop::collection::vec(any::<u8>(), 0..400),
    ];
    let name = prop::sample::select(vec![
        "a.yaml",
        "b.json",
        "c.yml",
        "nested/d.yaml",
        "g.html",
        "e\u{1b}[2J.yaml",
        "javascript:f.yaml",
    ]);
    prop::collection::vec((name.prop_map(String::from), file), 1..4)
}

fn no_controls(what: &str, text: &str) -> Result<(), TestCaseError> {
    if let Some(c) = text.chars().find(|c| {
        (c.is_control() && !matches!(c, '\n' | '\t')) || ('\u{202a}'..='\u{202e}').contains(c)
    }) {
        return Err(TestCaseError::fail(format!(
            "{what} holds the control character {:?}",
            c
        )));
    }
    Ok(())
}

fn bounded(what: &str, output: &str, input: usize) -> Result<(), TestCaseError> {
    let limit = FACTOR * input + SLACK;
    if output.len() > limit {
        return Err(TestCaseError::fail(format!(
            "{what} is {} bytes for {input} bytes of input (limit {limit})",
            output.len()
        )));
    }
    Ok(())
}

fn check_case(files: &[(String, Vec<u8>)]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
    let mut input = 0;
    for (name, bytes) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        std::fs::write(&path, bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        input += bytes.len();
    }
    let outcome = run(&[dir.path().to_path_buf()], &Options::default())
        .map_err(|e| TestCaseError::fail(format!("the run failed: {e}")))?;
    // Spans inside their files, on character boundaries.
    for f in outcome
        .findings
        .iter()
        .chain(outcome.suppressed.iter().map(|s| &s.finding))
    {
        for label in std::iter::once(&f.primary).chain(&f.secondary) {
            let file = outcome
                .sources
                .get(label.loc.file)
                .ok_or_else(|| TestCaseError::fail("a label in an unknown file"))?;
            prop_assert!(
                file.slice(label.loc.span).is_some(),
                "{} span {:?} outside {} ({} bytes) or off a character boundary",
                f.rule,
                label.loc.span,
                file.display,
                file.text.len()
            );
        }
    }
    let sources = &outcome.sources;
    let findings = &outcome.findings;
    let shown = Some(outcome.suppressed.as_slice());

    let json = output::json::render(sources, findings, shown, &outcome.summary);
    prop_assert!(
        serde_json::from_str::<serde_json::Value>(&json).is_ok(),
        "invalid JSON"
    );
    bounded("JSON", &json, input)?;
    let sarif = output::sarif::render(sources, findings, shown);
    let log: serde_json::Value = serde_json::from_str(&sarif)
        .map_err(|e| TestCaseError::fail(format!("invalid SARIF JSON: {e}")))?;
    prop_assert_eq!(&log["version"], "2.1.0");
    bounded("SARIF", &sarif, input)?;

    let mut human = output::human::render(sources, findings, false, 100);
    human.push_str(&output::suppressed_list(sources, &outcome.suppressed));
    no_controls("human output", &human)?;
    bounded("human output", &human, input)?;
    let github = output::github::render(sources, findings);
    no_controls("github output", &github)?;
    bounded("github output", &github, input)?;

    let report = output::report::build(&outcome);
    let markdown = output::report::markdown::render(&report);
    no_controls("Markdown report", &markdown)?;
    bounded("Markdown report", &markdown, input)?;
    let html = output::report::html::render(&report);
    bounded("HTML report", &html, input)?;
    Ok(())
}

#[test]
fn readers_and_renderers_hold_their_invariants() {
    // On a thread with a program's main-thread stack (8 MiB), as the binary reads: a
    // case's few files are read on the calling thread, and a document nested as deep as
    // the parse budget allows takes more than a test thread's 2 MiB in a debug build.
    let cases = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(|| {
            let seed = seed();
            // Straight to the process's standard error: the test harness captures
            // `eprintln!`, and loses what it captured when a case aborts the process.
            let _ = writeln!(
                std::io::stderr().lock(),
                "fuzz: cases from seed {seed} (CREEPLINT_FUZZ_SEED={seed} makes them again)"
            );
            let mut config = Config::with_cases(cases());
            config.failure_persistence = None;
            config.rng_seed = RngSeed::Fixed(seed);
            let mut runner = TestRunner::new(config);
            runner
                .run(&project(seeds()), |files| check_case(&files))
                .map_err(|e| e.to_string())
        })
        .map(|t| t.join());
    match cases {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(e))) => panic!("{e}"),
        Ok(Err(_)) => panic!("the property test panicked"),
        Err(e) => panic!("could not start the test's thread: {e}"),
    }
}

/// A seed makes the same cases again (what the seed written before a run is for), and
/// another seed other cases.
#[test]
fn a_seed_makes_the_same_cases_again() {
    use proptest::strategy::ValueTree;
    let first_case = |seed| {
        let mut config = Config::with_cases(1);
        config.rng_seed = RngSeed::Fixed(seed);
        let mut runner = TestRunner::new(config);
        project(seeds())
            .new_tree(&mut runner)
            .map(|tree| tree.current())
            .map_err(|e| e.to_string())
    };
    assert_eq!(first_case(7), first_case(7));
    assert_ne!(first_case(7), first_case(8));
}
