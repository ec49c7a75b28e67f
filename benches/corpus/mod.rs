//! The benchmark's two corpora, written into a folder: `cargo bench --bench check` times
//! them and `tests/memory.rs` counts the bytes a check of them holds (one generator, so
//! the budget test measures what the benchmark measures).

use std::fmt::Write as _;
use std::path::Path;

/// `files` form files, like the ones a large product keeps.
pub fn generate_forms(root: &Path, files: usize) -> std::io::Result<()> {
    for n in 0..files {
        let dir = root.join(format!("area{:03}", n % 100));
        std::fs::create_dir_all(&dir)?;
        let mut form = format!(
            "# Form {n} of the benchmark corpus.\nkind: form\nid: form-{n}\npurpose: Create an account to order and track deliveries.\nfields:\n"
        );
        for f in 0..8 {
            let (label, ty) = [
                ("Your name", "text"),
                ("Email address", "email"),
                ("Phone number", "phone"),
                ("Date of birth", "date"),
                ("Favourite category", "select"),
                ("Postal code", "text"),
                ("How did you hear about us", "text"),
                ("Comments", "textarea"),
            ][f];
            let _ = write!(
                form,
                "  - id: field_{n}_{f}\n    label: {label}\n    type: {ty}\n"
            );
            if (n + f) % 3 != 0 {
                form.push_str("    purpose: So we can deliver your order and contact you about it.\n    retention: until account deletion\n");
            }
            if f % 4 == 0 {
                form.push_str("    required: true\n");
            }
        }
        form.push_str("  - id: device_fingerprint\n    type: hidden\n    label: Device\n");
        form.push_str("  - id: marketing_opt_in\n    type: checkbox\n    default: true\n    label: Send me offers\n");
        std::fs::write(dir.join(format!("form-{n}.yaml")), form)?;
    }
    Ok(())
}

/// One project "module": a form, a data file and a campaigns file that read each other.
pub fn generate_project(root: &Path, files: usize) -> std::io::Result<()> {
    for m in 0..files.div_ceil(3) {
        let dir = root.join(format!("team{:03}", m % 100));
        std::fs::create_dir_all(&dir)?;
        let mut form = format!(
            "kind: form\nid: signup-{m}\npurpose: Create an account to order and track deliveries.\nuses: [account]\nfields:\n"
        );
        for f in 0..12 {
            let _ = write!(
                form,
                "  - id: field_{m}_{f}\n    label: Your favourite category number {f}\n    type: select\n    options: [kitchen, garden, toys]\n    purpose: So we can show you the categories you picked first.\n    uses: [personalization]\n    retention: until account deletion\n"
            );
        }
        form.push_str(
            "  # creeplint: allow prechecked-consent -- reviewed by legal, ticket PRIV-12\n",
        );
        form.push_str("  - id: marketing_opt_in\n    type: checkbox\n    default: true\n    label: Send me offers\n");
        std::fs::write(dir.join(format!("form-{m}.yaml")), form)?;
        let mut data = String::from("kind: data\nitems:\n");
        for d in 0..8 {
            let source = ["observed", "inferred", "third-party", "device"][d % 4];
            let _ = write!(
                data,
                "  - id: item_{m}_{d}\n    source: {source}\n    description: Signal number {d} about what you did, used to order the home page\n    uses: [personalization, marketing]\n"
            );
            if d == 1 {
                data.push_str("    x-creeplint-allow:\n      - rule: inferred-data\n        reason: the model is explained on the privacy page\n");
            }
        }
        std::fs::write(dir.join(format!("data-{m}.yaml")), data)?;
        let mut camp = String::from("kind: personalization\npersonalizations:\n");
        for p in 0..6 {
            if p == 2 {
                camp.push_str(
                    "  # creeplint: allow aggressive-frequency -- capped by the sender\n",
                );
            }
            let _ = write!(
                camp,
                "  - id: camp-{m}-{p}\n    use: marketing\n    channel: {}\n    when:\n      - data: item_{m}_{}\n        gt: 0.5\n      - data: field_{m}_{p}\n        in: [kitchen, maternity]\n    message: \"We noticed you like {{{{field_{m}_{p}}}}}: new arrivals\"\n",
                ["email", "sms", "push", "web", "ad", "mail"][p],
                p % 8
            );
        }
        std::fs::write(dir.join(format!("campaigns-{m}.yaml")), camp)?;
    }
    Ok(())
}
