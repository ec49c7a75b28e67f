//! `cargo bench --bench check`: the performance benchmark of issue 14, runnable from a
//! clean clone. It generates two corpora in a temporary folder:
//!
//! - `forms`: N native form files (about 1.3 KiB each, some fields without a purpose,
//!   sensitive fields, hidden fields, prechecked consent);
//! - `project`: a cross-file project of N files, in modules of three (a form, a data
//!   file and a personalization file referring to each other's ids), with allow
//!   comments and `x-creeplint-allow` entries;
//!
//! then runs the release `creeplint check --format json` binary on each as a child
//! process and prints files per second, CPU seconds (user + system), peak memory
//! (`ru_maxrss` of the child from `wait4`) and the ratio to the floor. The floor is this
//! same bench binary re-run as a child in floor mode: a plain granit-parser loop (the
//! YAML parser under serde-saphyr, a fork of saphyr-parser) over the same files applying
//! one rule (`missing-purpose` on form fields). Two start-up figures are the median wall
//! and CPU time of `check` on one form file: the corpus's first form, made valid
//! (`type: tel`), and as generated (invalid: `type: phone`, an `invalid-file` finding).
//!
//! Each line also gives user and system CPU seconds apart and the minor page faults; with
//! two sizes or more, a `growth` line per corpus gives how CPU (and user, system), peak
//! memory per added file and, with `CREEPLINT_BENCH_INSTRUCTIONS=1` and valgrind
//! installed, instructions (callgrind; slow) grow from the smallest size to the largest:
//! the linear target's measure that the machine's noise does not move.
//!
//! Sizes: `CREEPLINT_BENCH_FILES` (comma-separated, default `2000`); set
//! `CREEPLINT_BENCH_LARGE=1` to add 50,000. `CREEPLINT_BENCH_RUNS` (default 3) runs of
//! each measurement at every size, the median (by CPU) is printed.
//! `CREEPLINT_BENCH_BIN=PATH` runs another build of creeplint wherever the bench runs
//! creeplint (the floor stays this bench's), to compare two builds side by side.
//! `CREEPLINT_BENCH_GUARD=MAX` only counts, with valgrind's callgrind, the instructions
//! of `check` and of the floor on both corpora (first size), and of `check` on both
//! corpora at a quarter of that size and on the readers' projects at the test's n and
//! 4n, and the instructions and page faults of the two one-file checks; it fails when a
//! ratio to the floor is over `MAX`, a growth over 4.6x for 4x, or a one-file check over
//! `STARTUP_INSTRUCTIONS` or `STARTUP_FAULTS`: `.ci/run` runs it with 2.0, the targets
//! "CPU within 2x of the floor", "linear" and "a one-file check under 5 ms" in the
//! measures that the machine's load does not move.
//! `CREEPLINT_BENCH_GENERATE=DIR` only writes the two corpora (first size) into
//! `DIR/forms` and `DIR/project` and exits. The output digest is a hash of the JSON
//! output (paths are relative), to check that a change keeps findings byte-identical.
//!
//! A third corpus, `undeclared references` (N files: data files and personalization
//! files whose references no file declares, each a typo of a declared id, one edit off,
//! or near none), is checked at each size too, with its `growth` line: every such reference
//! asks for the nearest declared id.
//!
//! Then the projects that make a reader's own work large
//! (`tests/common/reader_projects.rs`, shared with `tests/linear_readers.rs`): one large
//! flagd file and Remote Config template with misspelt names, Fides datasets and the
//! systems that name them, forms whose uiSchemas the configuration names, and data items
//! that describe HTML form fields, each at two sizes (4x apart), with its `growth` line.
//!
//! Then it times reading the same forms written as native YAML, as JSON Schema forms and
//! as HTML pages, in process (`CREEPLINT_BENCH_FORMS`, default 500, of 12 fields each).
//!
//! Last, when they are installed, it times two tools teams use on such files on the
//! forms corpus (first size), side by side with creeplint in the same run: ajv-cli
//! validating every form against creeplint's form JSON Schema (`creeplint schema
//! form`), and Spectral linting them with a one-rule ruleset (the floor's rule: every
//! field has a `purpose`). They are looked for in `CREEPLINT_BENCH_NODE_TOOLS` (a folder
//! where `npm install @stoplight/spectral-cli ajv-cli` was run), then on `PATH`; a tool
//! that is not found is named with how to install it, and skipped.

use std::fmt::Write as _;
use std::hash::Hasher as _;
use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// The corpora's generators, shared with the memory budget test (`tests/memory.rs`).
mod corpus;
#[path = "../tests/common/reader_projects.rs"]
mod reader_projects;
use corpus::{generate_forms, generate_project};

/// Writes a corpus of `n` files into a folder.
type Generate = fn(&Path, usize) -> std::io::Result<()>;

/// The two corpora the bench times, by name.
const CORPORA: [(&str, Generate); 2] = [("forms", generate_forms), ("project", generate_project)];

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The floor: parse every YAML file of `root` with granit-parser and report form fields
/// without a `purpose` (the `missing-purpose` rule on the native format). Prints the
/// number of findings.
fn floor(root: &Path) -> std::io::Result<()> {
    use granit_parser::{Event, Parser};
    let mut findings = 0usize;
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path())?;
        // depth 1: the document mapping; depth 3: a mapping inside `fields:`.
        let mut depth = 0usize;
        let mut is_form = false;
        let mut in_fields = false;
        let mut key: Option<String> = None;
        let mut expect_key = Vec::new();
        let mut field_has_purpose = false;
        for event in Parser::new_from_str(&text) {
            let Ok((event, _span)) = event else {
                break;
            };
            match event {
                Event::MappingStart(..) => {
                    if depth == 1 && key.as_deref() == Some("fields") {
                        in_fields = true;
                    }
                    depth += 1;
                    expect_key.push(true);
                    if depth == 3 && in_fields {
                        field_has_purpose = false;
                    }
                    key = None;
                }
                Event::MappingEnd => {
                    if depth == 3 && in_fields && is_form && !field_has_purpose {
                        findings += 1;
                    }
                    depth = depth.saturating_sub(1);
                    expect_key.pop();
                    flip(&mut expect_key);
                }
                Event::SequenceStart(..) => {
                    if depth == 1 && key.as_deref() == Some("fields") {
                        in_fields = true;
                    }
                    expect_key.push(false);
                }
                Event::SequenceEnd => {
                    expect_key.pop();
                    if depth == 1 {
                        in_fields = false;
                    }
                    flip(&mut expect_key);
                }
                Event::Scalar(value, ..) => {
                    if expect_key.last() == Some(&true) {
                        key = Some(value.to_string());
                        if depth == 3 && value == "purpose" {
                            field_has_purpose = true;
                        }
                    } else if depth == 1 && key.as_deref() == Some("kind") {
                        is_form = value == "form";
                    }
                    flip(&mut expect_key);
                }
                _ => {}
            }
        }
    }
    println!("{findings}");
    Ok(())
}

/// After a value in a mapping comes a key, and after a key a value.
fn flip(expect_key: &mut [bool]) {
    if let Some(k) = expect_key.last_mut() {
        *k = !*k;
    }
}

struct Run {
    wall: f64,
    cpu: f64,
    /// User and system CPU seconds apart: the system part (page faults of a large heap)
    /// is the noisier one on a shared VM.
    user: f64,
    sys: f64,
    /// Minor page faults (`ru_minflt`).
    faults: i64,
    peak_mib: f64,
    out_bytes: u64,
    digest: u64,
}

/// Run a child in `dir`, hash its standard output, and take its CPU time and peak
/// memory from `wait4`.
fn measure(mut cmd: Command, dir: &Path) -> std::io::Result<Run> {
    let start = Instant::now();
    let mut child = cmd
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut hasher = std::hash::DefaultHasher::new();
    let mut out_bytes = 0u64;
    if let Some(mut out) = child.stdout.take() {
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = out.read(&mut buf)?;
            if n == 0 {
                break;
            }
            out_bytes += n as u64;
            hasher.write(buf.get(..n).unwrap_or_default());
        }
    }
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting for a child we spawned and did not wait for yet.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if rc < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let wall = start.elapsed().as_secs_f64();
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Ok(Run {
        wall,
        cpu: secs(usage.ru_utime) + secs(usage.ru_stime),
        user: secs(usage.ru_utime),
        sys: secs(usage.ru_stime),
        faults: usage.ru_minflt,
        peak_mib: usage.ru_maxrss as f64 / 1024.0,
        out_bytes,
        digest: hasher.finish(),
    })
}

/// The median run (by CPU time) of `runs`.
fn median(cmd: impl Fn() -> Command, dir: &Path, runs: usize) -> std::io::Result<Run> {
    let mut all = Vec::new();
    for _ in 0..runs {
        all.push(measure(cmd(), dir)?);
    }
    all.sort_by(|a, b| a.cpu.total_cmp(&b.cpu));
    let mid = all.len() / 2;
    Ok(all.swap_remove(mid))
}

/// The same form (12 fields with label, purpose, uses, retention, options) in three formats.
fn generate_format_forms(root: &Path, forms: usize) -> std::io::Result<()> {
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
    generate_format_forms(dir.path(), forms)?;
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

/// The binary checked: this build's, or `CREEPLINT_BENCH_BIN` (another build, to compare
/// side by side in the same minutes).
fn creeplint() -> Command {
    let bin = std::env::var_os("CREEPLINT_BENCH_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_creeplint").into());
    let mut c = Command::new(bin);
    c.args(["check", ".", "--format", "json"]);
    c
}

fn floor_cmd() -> std::io::Result<Command> {
    let mut c = Command::new(std::env::current_exe()?);
    c.env("CREEPLINT_BENCH_FLOOR", ".");
    Ok(c)
}

fn files_in(root: &Path) -> usize {
    walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .count()
}

fn bytes_of(root: &Path) -> u64 {
    walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn main() -> std::io::Result<()> {
    if let Ok(dir) = std::env::var("CREEPLINT_BENCH_FLOOR") {
        return floor(Path::new(&dir));
    }
    if let Ok(dir) = std::env::var("CREEPLINT_BENCH_GENERATE") {
        // Only write the two corpora (first size) into `dir`, to compare outputs.
        let n = std::env::var("CREEPLINT_BENCH_FILES")
            .ok()
            .and_then(|s| s.split(',').next()?.trim().parse().ok())
            .unwrap_or(2000);
        let dir = Path::new(&dir);
        generate_forms(&dir.join("forms"), n)?;
        return generate_project(&dir.join("project"), n);
    }
    if let Ok(max) = std::env::var("CREEPLINT_BENCH_GUARD") {
        let max: f64 = max
            .trim()
            .parse()
            .map_err(|_| std::io::Error::other("CREEPLINT_BENCH_GUARD takes a ratio (2.0)"))?;
        let n = std::env::var("CREEPLINT_BENCH_FILES")
            .ok()
            .and_then(|s| s.split(',').next()?.trim().parse().ok())
            .unwrap_or(2000);
        return guard(max, n);
    }
    let mut sizes: Vec<usize> = std::env::var("CREEPLINT_BENCH_FILES")
        .unwrap_or_else(|_| "2000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    if std::env::var_os("CREEPLINT_BENCH_LARGE").is_some() {
        sizes.push(50_000);
    }
    let runs = env("CREEPLINT_BENCH_RUNS", 3).max(1);
    let count = std::env::var_os("CREEPLINT_BENCH_INSTRUCTIONS").is_some();
    println!(
        "corpus    files    MiB  files/s   CPU s  peak MiB  floor CPU s  floor MiB  ratio  output            digest   user s  sys s  faults{}",
        if count { "  instructions" } else { "" }
    );
    // (corpus, files, the median check, instructions) of every size, for the growth lines.
    let mut rows: Vec<(&str, usize, Run, Option<u64>)> = Vec::new();
    for &n in &sizes {
        for (name, generate) in CORPORA {
            let dir = tempfile::tempdir()?;
            generate(dir.path(), n)?;
            let files = files_in(dir.path());
            // Every size `runs` times: run once, the 50,000-file checks moved their CPU
            // growth by 4x of the 25x between two runs of near-identical builds (issue
            // 14); three take about half a minute more.
            let check = median(creeplint, dir.path(), runs)?;
            let base = median(
                || floor_cmd().unwrap_or_else(|_| Command::new("false")),
                dir.path(),
                runs,
            )?;
            let instructions = if count {
                instructions_of(dir.path())?
            } else {
                None
            };
            println!(
                "{name:<8} {files:>6} {:>6.1} {:>8.0} {:>7.2} {:>9.1} {:>12.3} {:>10.1} {:>6.1} {:>7.1}MiB  {:016x} {:>7.2} {:>6.2} {:>7}{}",
                bytes_of(dir.path()) as f64 / 1_048_576.0,
                files as f64 / check.wall.max(1e-9),
                check.cpu,
                check.peak_mib,
                base.cpu,
                base.peak_mib,
                check.cpu / base.cpu.max(1e-3),
                check.out_bytes as f64 / 1_048_576.0,
                check.digest,
                check.user,
                check.sys,
                check.faults,
                instructions.map_or(String::new(), |i| format!("  {i:>12}")),
            );
            rows.push((name, files, check, instructions));
        }
    }
    growth(&rows);
    undeclared(&sizes, runs)?;
    readers(runs)?;
    for (label, dir) in one_form_dirs()? {
        startup(label, dir.path())?;
    }
    reading(runs)?;
    others(sizes.first().copied().unwrap_or(2000), runs)
}

/// A project of N files in modules of two, a data file and a personalization file whose
/// references no file declares: a typo of a declared id (`Itme_4` for `item_4`), one
/// edit off in a placeholder (`{{item_4x}}`), and an id no file is near (`clicks_on_4`).
/// Each is asked whether it is a typo of a declared id.
fn generate_undeclared(root: &Path, files: usize) -> std::io::Result<()> {
    for m in 0..files.div_ceil(2) {
        let dir = root.join(format!("team{:03}", m % 100));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join(format!("data-{m}.yaml")),
            format!(
                "kind: data\nitems:\n  - id: item_{m}\n    source: observed\n    description: Signal about what you did, used to order the home page\n    uses: [personalization]\n"
            ),
        )?;
        std::fs::write(
            dir.join(format!("campaigns-{m}.yaml")),
            format!(
                "kind: personalization\npersonalizations:\n  - id: camp-{m}\n    use: personalization\n    channel: web\n    when:\n      - data: Itme_{m}\n        gt: 0.5\n      - data: clicks_on_{m}\n        gt: 3\n    message: \"New arrivals {{{{item_{m}x}}}}\"\n"
            ),
        )?;
    }
    Ok(())
}

/// `check` on the undeclared references' corpus at each size, and its `growth` line: each
/// reference asks for the declared id nearest to it (issue 14: compared with every
/// declared id, 16,000 files took 42 CPU seconds, 17 times 4,000).
fn undeclared(sizes: &[usize], runs: usize) -> std::io::Result<()> {
    println!("undeclared references: files   CPU s  peak MiB  output            digest");
    let mut rows = Vec::new();
    for &n in sizes {
        let dir = tempfile::tempdir()?;
        generate_undeclared(dir.path(), n)?;
        let files = files_in(dir.path());
        let check = median(creeplint, dir.path(), runs)?;
        println!("                      {files:>6} {}", columns(&check));
        rows.push(("undeclared references", files, check, None));
    }
    growth(&rows);
    Ok(())
}

/// A check's CPU seconds, peak memory, output size and digest, as the undeclared
/// references' and the readers' lines show them.
fn columns(check: &Run) -> String {
    format!(
        "{:>7.2} {:>9.1} {:>7.1}MiB  {:016x}",
        check.cpu,
        check.peak_mib,
        check.out_bytes as f64 / 1_048_576.0,
        check.digest,
    )
}

/// `check` on the projects that make a reader's own work large
/// (`tests/common/reader_projects.rs`), each at its benchmark size and four times it,
/// with the growth of each (issue 14: each was quadratic, two cubic, before the
/// eighteenth round).
fn readers(runs: usize) -> std::io::Result<()> {
    println!(
        "readers' own work:                         n  files   CPU s  peak MiB  output            digest"
    );
    for (what, build, _, n) in reader_projects::PROJECTS {
        let mut cpu = Vec::new();
        for n in [n, 4 * n] {
            let dir = tempfile::tempdir()?;
            build(dir.path(), n);
            let files = files_in(dir.path());
            let check = median(creeplint, dir.path(), runs)?;
            println!("  {what:<39} {n:>5} {files:>6} {}", columns(&check));
            cpu.push(check.cpu);
        }
        // Two of these projects are one file: growth by entries, not files.
        if let [small, large] = cpu.as_slice() {
            println!(
                "  growth {what}: 4x the entries, CPU {:.1}x",
                large / small.max(1e-3)
            );
        }
    }
    Ok(())
}

/// An executable named `name`: in `CREEPLINT_BENCH_NODE_TOOLS/node_modules/.bin`, else on
/// `PATH`.
fn tool(name: &str) -> Option<std::path::PathBuf> {
    let local = std::env::var_os("CREEPLINT_BENCH_NODE_TOOLS")
        .map(|d| Path::new(&d).join("node_modules/.bin").join(name));
    let on_path = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(name))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    local.into_iter().chain(on_path).find(|p| p.is_file())
}

/// ajv-cli and Spectral on `n` generated forms, side by side with creeplint (medians of
/// `runs`, in one run, so that the ratios hold on a noisy machine). They do less than
/// creeplint, which validates every file against the same schema *and* applies all its
/// rules: ajv-cli only validates, Spectral applies one rule.
fn others(n: usize, runs: usize) -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    generate_forms(dir.path(), n)?;
    let files = files_in(dir.path());
    // Outside the corpus, so that neither tool reads them as forms.
    let aside = tempfile::tempdir()?;
    let schema = aside.path().join("form.schema.json");
    let out = Command::new(env!("CARGO_BIN_EXE_creeplint"))
        .args(["schema", "form"])
        .output()?;
    std::fs::write(&schema, &out.stdout)?;
    let ruleset = aside.path().join("ruleset.yaml");
    std::fs::write(
        &ruleset,
        "rules:\n  missing-purpose:\n    description: A form field says why it is asked for.\n    given: \"$.fields[*]\"\n    severity: error\n    then:\n      field: purpose\n      function: truthy\n",
    )?;
    println!(
        "other tools, side by side on the same {files} forms (median of {runs}):\n\
         tool                                              files/s   CPU s  peak MiB  x creeplint CPU  output KiB"
    );
    let mine = median(creeplint, dir.path(), runs)?;
    let row = |label: &str, run: &Run| {
        println!(
            "{label:<48} {:>9.0} {:>7.2} {:>9.1} {:>16.1} {:>11.0}",
            files as f64 / run.wall.max(1e-9),
            run.cpu,
            run.peak_mib,
            run.cpu / mine.cpu.max(1e-3),
            run.out_bytes as f64 / 1024.0
        );
    };
    row("creeplint check --format json (all rules)", &mine);
    let install = "npm install @stoplight/spectral-cli ajv-cli, then set CREEPLINT_BENCH_NODE_TOOLS to that folder";
    match tool("ajv") {
        Some(ajv) => {
            let cmd = || {
                let mut c = Command::new(&ajv);
                c.arg("validate")
                    .args(["--spec=draft2020", "--strict=false", "--all-errors"])
                    .arg("--errors=json")
                    .arg("-s")
                    .arg(&schema)
                    .args(["-d", "**/*.yaml"]);
                c
            };
            row(
                "ajv-cli validate (the form JSON Schema)",
                &median(cmd, dir.path(), runs)?,
            );
        }
        None => println!("ajv-cli: not installed ({install})"),
    }
    match tool("spectral") {
        Some(spectral) => {
            let cmd = || {
                let mut c = Command::new(&spectral);
                c.args(["lint", "**/*.yaml", "--format", "json", "--quiet"])
                    .arg("--ruleset")
                    .arg(&ruleset);
                c
            };
            row(
                "spectral lint (one rule: fields have a purpose)",
                &median(cmd, dir.path(), runs)?,
            );
        }
        None => println!("spectral: not installed ({install})"),
    }
    Ok(())
}

/// How each corpus's cost grows from its smallest to its largest size: CPU (user + system),
/// user and system apart, instructions when counted, and the peak memory added per file
/// added. The targets of issue 14: at most 30x the CPU for 25x the files (2,000 to
/// 50,000), at most 4 KiB more peak memory per file. User time and instructions are the
/// steadier measures of the work on a shared machine; system time is mostly page faults.
fn growth(rows: &[(&str, usize, Run, Option<u64>)]) {
    let mut corpora: Vec<&str> = rows.iter().map(|r| r.0).collect();
    corpora.sort_unstable();
    corpora.dedup();
    for corpus in corpora {
        let mine: Vec<_> = rows.iter().filter(|r| r.0 == corpus).collect();
        let (Some(small), Some(large)) = (
            mine.iter().min_by_key(|r| r.1),
            mine.iter().max_by_key(|r| r.1),
        ) else {
            continue;
        };
        if large.1 <= small.1 {
            continue;
        }
        let x = |a: f64, b: f64| a / b.max(1e-9);
        let instructions = match (small.3, large.3) {
            (Some(a), Some(b)) => format!(", instructions {:.1}x", x(b as f64, a as f64)),
            _ => String::new(),
        };
        println!(
            "growth {corpus}: {} -> {} files ({:.1}x): CPU {:.1}x (user {:.1}x, system {:.1}x){instructions}, peak memory +{:.1} KiB per file",
            small.1,
            large.1,
            x(large.1 as f64, small.1 as f64),
            x(large.2.cpu, small.2.cpu),
            x(large.2.user, small.2.user),
            x(large.2.sys, small.2.sys),
            (large.2.peak_mib - small.2.peak_mib) * 1024.0 / (large.1 - small.1) as f64,
        );
    }
}

/// The instructions (valgrind's callgrind) of `check --format json` run in `dir`, as
/// the bench runs it (`CREEPLINT_BENCH_BIN`'s build when set); `None` when valgrind is
/// not installed.
fn instructions_of(dir: &Path) -> std::io::Result<Option<u64>> {
    instructions(creeplint(), dir)
}

/// The longest a counted run may take before the guard calls it a step grown faster
/// than linear.
const COUNTING_SECONDS: u64 = 300;

/// The instructions of `command` (valgrind's callgrind) run in `dir`; `None` when
/// valgrind is not installed; an error when it runs over [`COUNTING_SECONDS`].
fn instructions(command: Command, dir: &Path) -> std::io::Result<Option<u64>> {
    // valgrind's summary, written to a file rather than a pipe that must be read while
    // it runs.
    let said = tempfile::NamedTempFile::new()?;
    let mut counted = Command::new("valgrind");
    counted
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(command.get_program())
        .args(command.get_args())
        .envs(
            command
                .get_envs()
                .filter_map(|(k, v)| Some((k.to_os_string(), v?.to_os_string()))),
        )
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(said.reopen()?);
    let mut child = match counted.spawn() {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    // A step gone quadratic makes valgrind run for hours (the seventeenth round's
    // readers: 11 minutes at the guard's sizes); stop it and say so.
    let started = Instant::now();
    while child.try_wait()?.is_none() {
        if started.elapsed().as_secs() > COUNTING_SECONDS {
            child.kill()?;
            child.wait()?;
            return Err(std::io::Error::other(format!(
                "valgrind ran over {COUNTING_SECONDS} s counting it (the largest count takes \
                 about 30 s): a step grows faster than linear"
            )));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let text = std::fs::read_to_string(said.path())?;
    Ok(text.lines().find_map(|line| {
        let (_, n) = line.split_once("Collected :")?;
        n.trim().replace(',', "").parse().ok()
    }))
}

/// The most instructions a one-file check may take (the guard's start-up count): about
/// twice the twenty-first round's 1.85e6 (valid form) and 2.17e6 (invalid), the
/// bench's build with jemalloc. Raise it only for work a start must do, and say why.
const STARTUP_INSTRUCTIONS: u64 = 4_000_000;

/// The most minor page faults a one-file check may take (fewest of five runs): about
/// twice and a half the twenty-first round's 381-399.
const STARTUP_FAULTS: i64 = 1_000;

/// `CREEPLINT_BENCH_GUARD=MAX`: three of issue 14's targets as a check CI can run, in
/// instructions (callgrind) and page faults, which the machine's load does not move.
/// Within `MAX` times the floor: on both corpora at the first size, the instructions of
/// `check --format json` against the floor's on the same files. Start-up: a one-file
/// check within [`STARTUP_INSTRUCTIONS`] and [`STARTUP_FAULTS`]. Linear: both corpora at a quarter of
/// that size and at that size, and every project of `tests/common/reader_projects.rs`
/// at its test's n and 4n, grow by at most 4.6x (a quadratic step shows as 16x; the
/// readers' loops count no work that `tests/linear_readers.rs` could check, so their
/// instructions are what catches one). Fails when any is over; skips, saying so, when
/// valgrind is not installed.
fn guard(max: f64, n: usize) -> std::io::Result<()> {
    let mut over = Vec::new();
    for (name, generate) in CORPORA {
        let dir = tempfile::tempdir()?;
        generate(dir.path(), n)?;
        let named = |e: std::io::Error| std::io::Error::other(format!("{name} at {n} files: {e}"));
        let (Some(check), Some(base)) = (
            instructions_of(dir.path()).map_err(named)?,
            instructions(floor_cmd()?, dir.path()).map_err(named)?,
        ) else {
            println!("guard: skipped, valgrind is not installed (it counts the instructions)");
            return Ok(());
        };
        let ratio = check as f64 / base.max(1) as f64;
        println!(
            "guard {name}: {} files, creeplint {check} instructions, floor {base}, ratio {ratio:.3} (at most {max})",
            files_in(dir.path())
        );
        if ratio > max {
            over.push(format!("{name} {ratio:.3}"));
        }
    }
    // Start-up (a one-file check under 5 ms): its instructions and its page faults, the
    // two parts of its time that the machine's load does not move. Work done again at
    // every start (the term lists parsed, the patterns or schemas compiled: a third of
    // 14-23 ms before issue 14) shows in the first; memory mapped or touched at start
    // (an allocator's slabs: 0.4 ms in the twentieth round) in the second.
    for (label, dir) in one_form_dirs()? {
        let Some(counted) = instructions_of(dir.path())? else {
            println!("guard: skipped, valgrind is not installed (it counts the instructions)");
            return Ok(());
        };
        let mut faults = Vec::new();
        for _ in 0..5 {
            faults.push(measure(creeplint(), dir.path())?.faults);
        }
        let faults = faults.into_iter().min().unwrap_or_default();
        println!(
            "guard start-up, one {label}: {counted} instructions (at most \
             {STARTUP_INSTRUCTIONS}), {faults} page faults, fewest of 5 (at most {STARTUP_FAULTS})"
        );
        if counted > STARTUP_INSTRUCTIONS || faults > STARTUP_FAULTS {
            over.push(format!(
                "start-up of one {label}: {counted} instructions, {faults} page faults"
            ));
        }
    }
    // Linear: each reader project's instructions at 4x its entries, and both corpora's
    // at 4x the files, grow by at most `GROWTH` (a step of n log n shows as a little
    // over 4x; a quadratic one as 16x).
    const GROWTH: f64 = 4.6;
    type Build = Box<dyn Fn(&Path, usize) -> std::io::Result<()>>;
    let mut growths: Vec<(&str, Build, usize, &str)> = vec![
        ("forms", Box::new(generate_forms), n / 4, "files"),
        ("project", Box::new(generate_project), n / 4, "files"),
    ];
    // At the test's n (`tests/linear_readers.rs`), smaller than the bench's: a
    // quadratic step fails in seconds of valgrind rather than the hours the bench's n
    // would take it (the eighteenth round's Fides pairing took 126 s at 1,600 datasets).
    for (what, build, m, _) in reader_projects::PROJECTS {
        let generate = move |dir: &Path, k: usize| {
            build(dir, k);
            Ok(())
        };
        growths.push((what, Box::new(generate), m, "entries"));
    }
    for (what, build, m, unit) in &growths {
        let mut counts = Vec::new();
        for k in [*m, 4 * m] {
            let dir = tempfile::tempdir()?;
            build(dir.path(), k)?;
            counts.extend(
                instructions_of(dir.path())
                    .map_err(|e| std::io::Error::other(format!("{what} at {k} {unit}: {e}")))?,
            );
        }
        if let [small, large] = counts.as_slice() {
            let growth = *large as f64 / (*small).max(1) as f64;
            println!(
                "guard growth {what}: {m} -> {} {unit}, instructions {small} -> {large}, {growth:.2}x (at most {GROWTH}x)",
                4 * m
            );
            if growth > GROWTH {
                over.push(format!("{what} grows {growth:.2}x for 4x"));
            }
        }
    }
    if over.is_empty() {
        return Ok(());
    }
    Err(std::io::Error::other(format!(
        "over the guard's bounds (the floor's ratio {max}, growth {GROWTH}x for 4x): {}",
        over.join(", ")
    )))
}

/// Start-up: a folder of one form file each, with its label: the corpus's first form
/// made valid (`type: tel`), and as generated, invalid (`type: phone`: its
/// `invalid-file` problem is worded from the schema).
fn one_form_dirs() -> std::io::Result<[(&'static str, tempfile::TempDir); 2]> {
    let invalid = tempfile::tempdir()?;
    generate_forms(invalid.path(), 1)?;
    let valid = tempfile::tempdir()?;
    generate_forms(valid.path(), 1)?;
    let form = valid.path().join("area000/form-0.yaml");
    let text = std::fs::read_to_string(&form)?;
    std::fs::write(&form, text.replace("type: phone", "type: tel"))?;
    Ok([
        ("valid form (`type: tel`)", valid),
        ("invalid form (`type: phone`)", invalid),
    ])
}

/// The start-up line: median and fastest wall and CPU time of 21 checks of `dir`.
fn startup(label: &str, dir: &Path) -> std::io::Result<()> {
    let mut walls: Vec<f64> = Vec::new();
    let mut cpus: Vec<f64> = Vec::new();
    for _ in 0..21 {
        let run = measure(creeplint(), dir)?;
        walls.push(run.wall);
        cpus.push(run.cpu);
    }
    walls.sort_by(f64::total_cmp);
    cpus.sort_by(f64::total_cmp);
    let ms = |v: &[f64], at: usize| v.get(at).copied().unwrap_or(0.0) * 1000.0;
    println!(
        "start-up: one {label}, median {:.1} ms wall, {:.1} ms CPU (fastest {:.1} ms wall, {:.1} ms CPU) over {} runs",
        ms(&walls, walls.len() / 2),
        ms(&cpus, cpus.len() / 2),
        ms(&walls, 0),
        ms(&cpus, 0),
        walls.len()
    );
    Ok(())
}
