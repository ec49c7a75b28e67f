//! The module both linearity tests (`tests/linear.rs`, `tests/linear_steps.rs`) build
//! their projects of: a form and a data file, each with an allow, and a personalization
//! file of two personalizations.

use std::path::Path;

/// Write module `m`'s form (a field with an allow comment), data file (an item with an
/// `x-creeplint-allow` entry) and personalization file (`personalization(m, p)` for
/// its two personalizations) into its folder under `root`, and return the folder.
pub fn module(
    root: &Path,
    m: usize,
    personalization: impl Fn(usize, usize) -> String,
) -> std::path::PathBuf {
    let dir = root.join(format!("team{:02}", m % 50));
    std::fs::create_dir_all(&dir).unwrap();
    let form = format!(
        "kind: form\nid: signup-{m}\npurpose: Create an account to order and track deliveries.\nfields:\n  - id: email_{m}\n    type: email\n    label: Email\n    purpose: To send your receipt.\n    retention: 1 year\n  # creeplint: allow prechecked-consent -- reviewed by legal, PRIV-12\n  - id: opt_in_{m}\n    type: checkbox\n    default: true\n    label: Send me offers\n"
    );
    std::fs::write(dir.join(format!("form-{m}.yaml")), form).unwrap();
    let data = format!(
        "kind: data\nitems:\n  - id: score_{m}\n    source: inferred\n    description: How likely you are to buy again\n    uses: [marketing]\n    x-creeplint-allow:\n      - rule: inferred-data\n        reason: explained on the privacy page\n"
    );
    std::fs::write(dir.join(format!("data-{m}.yaml")), data).unwrap();
    let mut camp = String::from("kind: personalization\npersonalizations:\n");
    for p in 0..2 {
        camp.push_str(&personalization(m, p));
    }
    std::fs::write(dir.join(format!("campaigns-{m}.yaml")), camp).unwrap();
    dir
}
