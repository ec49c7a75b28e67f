//! Robustness: thousands of broken variants of the example files (truncated, with
//! bytes flipped, with YAML syntax inserted) must each give findings whose spans lie
//! inside the file, with the other files of the project still checked.

use std::path::PathBuf;

use creeplint::pipeline::{Options, run};

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % (n.max(1) as u64)) as usize
    }
}

const INSERTS: [&[u8]; 12] = [
    b"{", b"[", b": ", b"- ", b"\t", b"&a ", b"*a", b"\"", b"'", b"\n  ", b"\xff", b"---\n",
];

fn mutate(rng: &mut Lcg, bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..=rng.below(3) {
        let at = rng.below(out.len() + 1);
        match rng.below(3) {
            0 => out.truncate(at),
            1 => {
                if let Some(b) = out.get_mut(at) {
                    *b = (rng.next() & 0xff) as u8;
                }
            }
            _ => {
                let ins = INSERTS[rng.below(INSERTS.len())];
                out.splice(at..at, ins.iter().copied());
            }
        }
    }
    out
}

#[test]
fn broken_variants_of_the_examples_give_spanned_findings() {
    let examples: Vec<PathBuf> = ["examples/creepy-shop", "examples/respectful-shop"]
        .iter()
        .flat_map(|d| {
            std::fs::read_dir(d)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
        })
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    assert!(examples.len() >= 10);
    let mut rng = Lcg(0x5eed);
    let mut invalid = 0;
    for round in 0..60 {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        for (i, path) in examples.iter().enumerate() {
            let bytes = std::fs::read(path).unwrap_or_default();
            let name = format!(
                "{i:02}-{}",
                path.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            );
            let content = if rng.below(2) == 0 {
                mutate(&mut rng, &bytes)
            } else {
                bytes
            };
            std::fs::write(dir.path().join(&name), content).unwrap_or_else(|e| panic!("{e}"));
        }
        let o = run(&[dir.path().to_path_buf()], &Options::default())
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert_eq!(o.summary.files, examples.len(), "round {round}");
        for f in &o.findings {
            for loc in std::iter::once(&f.primary.loc).chain(f.secondary.iter().map(|l| &l.loc)) {
                let file = o
                    .sources
                    .get(loc.file)
                    .unwrap_or_else(|| panic!("round {round}: bad file id"));
                assert!(
                    loc.span.end() <= file.text.len(),
                    "round {round}: {} span {:?} past the end of {}",
                    f.rule,
                    loc.span,
                    file.display
                );
                let lc = o.sources.line_col(*loc);
                assert!(
                    lc.line >= 1 && lc.line <= file.line_count(),
                    "round {round}: line {}",
                    lc.line
                );
            }
            assert!(
                !f.message.is_empty() && f.help.is_some(),
                "round {round}: {f:?}"
            );
        }
        invalid += o
            .findings
            .iter()
            .filter(|f| f.rule == "invalid-file")
            .count();
    }
    // The mutations do break files, and each break is reported.
    assert!(invalid > 30, "only {invalid} invalid-file findings");
}
