//! `cargo bench --bench check`: generate a project of many realistic files and time a
//! whole `check` over it (discover, read, model, rules, sort). Prints files per second.
//! Then time reading the same forms written as native YAML, as JSON Schema forms and as
//! HTML pages (`CREEPLINT_BENCH_FORMS`, default 500, of 12 fields each).
//! Sizes: `CREEPLINT_BENCH_FILES` (default 2000), `CREEPLINT_BENCH_RUNS` (default 5).

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One project "module": a form, a data file and a campaigns file that read each other.
fn generate(root: &Path, modules: usize) -> std::io::Result<usize> {
    let mut files = 0;
    for m in 0..modules {
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
        form.push_str("  - id: marketing_opt_in\n    type: checkbox\n    default: true\n    label: Send me offers\n");
        std::fs::write(dir.join(format!("form-{m}.yaml")), form)?;
        let mut data = String::from("kind: data\nitems:\n");
        for d in 0..8 {
            let source = ["observed", "inferred", "third-party", "device"][d % 4];
            let _ = write!(
                data,
                "  - id: item_{m}_{d}\n    source: {source}\n    description: Signal number {d} about what you did, used to order the home page\n    uses: [personalization, marketing]\n"
            );
        }
        std::fs::write(dir.join(format!("data-{m}.yaml")), data)?;
        let mut camp = String::from("kind: personalization\npersonalizations:\n");
        for p in 0..6 {
            let _ = write!(
                camp,
                "  - id: camp-{m}-{p}\n    use: marketing\n    channel: {}\n    when:\n      - data: item_{m}_{}\n        gt: 0.5\n      - data: field_{m}_{p}\n        in: [kitchen, maternity]\n    message: \"We noticed you like {{{{field_{m}_{p}}}}}: new arrivals\"\n",
                ["email", "sms", "push", "web", "ad", "mail"][p],
                p % 8
            );
        }
        std::fs::write(dir.join(format!("campaigns-{m}.yaml")), camp)?;
        files += 3;
    }
    Ok(files)
}

/// The same form (12 fields with label, purpose, uses, retention, options) in three formats.
fn generate_forms(root: &Path, forms: usize) -> std::io::Result<()> {
    for sub in ["yaml", "jsonschema/forms", "html"] {
        std::fs::create_dir_all(root.join(sub))?;
    }
    for m in 0..forms {
        let mut yaml = format!("kind: form\nid: signup-{m}\nuses: [account]\nfields:\n");
        let mut props = Vec::new();
        let mut html = format!(
            "<!doctype html>\n<html><body>\n<form id=\"signup-{m}\" data-uses=\"account\">\n"
        );
        for f in 0..12 {
            let _ = write!(
                yaml,
                "  - id: field_{f}\n    label: Your favourite category number {f}\n    type: select\n    options: [kitchen, garden, toys]\n    purpose: So we can show you the categories you picked first.\n    uses: [personalization]\n    retention: until account deletion\n"
            );
            props.push(format!(
                "    \"field_{f}\": {{\n      \"type\": \"string\",\n      \"title\": \"Your favourite category number {f}\",\n      \"enum\": [\"kitchen\", \"garden\", \"toys\"],\n      \"x-purpose\": \"So we can show you the categories you picked first.\",\n      \"x-uses\": [\"personalization\"],\n      \"x-retention\": \"until account deletion\"\n    }}"
            ));
            let _ = write!(
                html,
                "  <label for=\"f{f}\">Your favourite category number {f}</label>\n  <select id=\"f{f}\" name=\"field_{f}\" data-purpose=\"So we can show you the categories you picked first.\" data-uses=\"personalization\" data-retention=\"until account deletion\">\n    <option value=\"kitchen\">kitchen</option><option value=\"garden\">garden</option><option value=\"toys\">toys</option>\n  </select>\n"
            );
        }
        let schema = format!(
            "{{\n  \"title\": \"Sign up\",\n  \"x-uses\": [\"account\"],\n  \"type\": \"object\",\n  \"properties\": {{\n{}\n  }}\n}}\n",
            props.join(",\n")
        );
        html.push_str("  <button>Send</button>\n</form>\n</body></html>\n");
        std::fs::write(root.join(format!("yaml/signup-{m}.yaml")), yaml)?;
        std::fs::write(
            root.join(format!("jsonschema/forms/signup-{m}.schema.json")),
            schema,
        )?;
        std::fs::write(root.join(format!("html/signup-{m}.html")), html)?;
    }
    Ok(())
}

/// Median time to discover and read (no rules) a folder, and the fields read.
fn time_reading(dir: &Path, runs: usize) -> std::io::Result<(f64, usize)> {
    let mut times = Vec::new();
    let mut fields = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let readers = creeplint::formats::Registry::builtin();
        let files = creeplint::discover::discover(&[dir.to_path_buf()], &[], &readers)
            .map_err(std::io::Error::other)?;
        let loaded = creeplint::formats::load(files, &readers).map_err(std::io::Error::other)?;
        times.push(start.elapsed().as_secs_f64());
        fields = loaded.project.forms.iter().map(|f| f.fields.len()).sum();
    }
    times.sort_by(f64::total_cmp);
    Ok((times.get(times.len() / 2).copied().unwrap_or(0.0), fields))
}

fn reading(runs: usize) -> std::io::Result<()> {
    let forms = env("CREEPLINT_BENCH_FORMS", 500);
    let dir = tempfile::tempdir()?;
    generate_forms(dir.path(), forms)?;
    let (yaml, yaml_fields) = time_reading(&dir.path().join("yaml"), runs)?;
    for (name, sub) in [("JSON Schema", "jsonschema"), ("HTML", "html")] {
        let (t, fields) = time_reading(&dir.path().join(sub), runs)?;
        println!(
            "read {forms} forms, {fields} fields as {name}: median {t:.3} s, {:.2}x native YAML ({yaml:.3} s, {yaml_fields} fields)",
            t / yaml.max(1e-9)
        );
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let target_files = env("CREEPLINT_BENCH_FILES", 2000);
    let runs = env("CREEPLINT_BENCH_RUNS", 5).max(1);
    let dir = tempfile::tempdir()?;
    let files = generate(dir.path(), target_files.div_ceil(3))?;
    let bytes: u64 = walkdir::WalkDir::new(dir.path())
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    let mut times = Vec::new();
    let mut findings = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let outcome =
            creeplint::pipeline::run(&[dir.path().to_path_buf()], &creeplint::Options::default())
                .map_err(std::io::Error::other)?;
        times.push(start.elapsed().as_secs_f64());
        findings = outcome.findings.len();
    }
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
    let best = times.first().copied().unwrap_or(0.0);
    println!(
        "check: {files} files, {:.1} MiB, {findings} findings; median {:.3} s, best {:.3} s over {runs} runs; {:.0} files/s",
        bytes as f64 / 1_048_576.0,
        median,
        best,
        files as f64 / median.max(1e-9)
    );
    reading(runs)
}
