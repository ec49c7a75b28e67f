//! The command line application behind the `creeplint` binary: parse arguments, call
//! the library, write the output and map the result to an exit status (0 clean, 1
//! findings at or above `--fail-on`, 2 could not run). `main.rs` only calls [`main`].

// The application is where the program talks to the terminal.
#![allow(clippy::print_stderr)]

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use crate::cli::{
    Cli, ColorChoice, Command, FailOn, Format, MinConfidence, ReportFormat, RulesFormat,
    SchemaKind, Shell,
};
use crate::{Confidence, Severity, output, pipeline};
use clap::{CommandFactory, Parser};

/// Run the command line given to the process and return its exit status. For the
/// process's `main` only: a check leaves its memory to the process's exit.
pub fn main() -> ExitCode {
    // A bug must never show a backtrace: report it as "could not run" instead.
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "creeplint: internal error: {info}\nplease report this with the file that caused it"
        );
    }));
    match std::panic::catch_unwind(real_main) {
        // Output that could not be written makes the run a failure, whatever it found.
        Ok(_) if WRITE_FAILED.load(std::sync::atomic::Ordering::Relaxed) => ExitCode::from(2),
        Ok(code) => code,
        Err(_) => ExitCode::from(2),
    }
}

/// Set when standard output could not be written.
static WRITE_FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Write to standard output. A full disk or a closed file is exit 2 with a message, so
/// a CI job never uploads an empty report as a pass; a closed pipe
/// (`creeplint check | head`) is what the reader asked for and not an error.
fn emit(text: &str) {
    emit_with(|out| out.write_all(text.as_bytes()));
}

/// [`emit`] for output written as it is produced (findings one at a time), through a
/// buffer: a large project's output is never held whole.
fn emit_with(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if let Err(e) = write(&mut out).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
        && !WRITE_FAILED.swap(true, std::sync::atomic::Ordering::Relaxed)
    {
        fail(&format!("cannot write the output: {e}"));
    }
}

fn fail(message: &str) -> ExitCode {
    // Paths and values in messages may come from files: no terminal escapes.
    let message = output::escape::controls_but_lines(message);
    let _ = writeln!(std::io::stderr(), "creeplint: {message}");
    ExitCode::from(2)
}

/// A file this run reads, which `--write-baseline` or `report -o` must not overwrite;
/// `what` says why it was read.
fn refuse_overwrite(
    target: &std::path::Path,
    read: &[(std::path::PathBuf, &str)],
) -> Option<ExitCode> {
    let (_, what) = read.iter().find(|(p, _)| crate::io::same_file(target, p))?;
    Some(fail(&format!(
        "refusing to overwrite {}: this run reads it as {what}; write to another file",
        crate::source::display_path(target)
    )))
}

/// Every file a run read, with what it was read as.
fn read_files(
    outcome: &pipeline::Outcome,
    config: Option<&std::path::Path>,
) -> Vec<(std::path::PathBuf, &'static str)> {
    // The configuration first: a walk may also read it, as a file it skips.
    let mut read: Vec<(std::path::PathBuf, &str)> = config
        .map(|c| (c.to_path_buf(), "the configuration"))
        .into_iter()
        .collect();
    read.extend(
        outcome
            .sources
            .iter()
            .map(|(_, f)| (f.path.clone(), "a checked file")),
    );
    read
}

fn real_main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let color = cli.color;
    match cli.command {
        Command::Rules { format } => {
            emit(&match format {
                RulesFormat::Text => output::rules::list(),
                RulesFormat::Json => output::rules::json(),
            });
            ExitCode::SUCCESS
        }
        Command::Completions { shell } => {
            let shell = match shell {
                Shell::Bash => clap_complete::Shell::Bash,
                Shell::Zsh => clap_complete::Shell::Zsh,
                Shell::Fish => clap_complete::Shell::Fish,
                Shell::PowerShell => clap_complete::Shell::PowerShell,
            };
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "creeplint", &mut buf);
            emit(&String::from_utf8_lossy(&buf));
            ExitCode::SUCCESS
        }
        Command::Man => {
            let mut buf = Vec::new();
            if let Err(e) = clap_mangen::Man::new(Cli::command()).render(&mut buf) {
                return fail(&format!("cannot render the manual page: {e}"));
            }
            emit(&String::from_utf8_lossy(&buf));
            ExitCode::SUCCESS
        }
        Command::Init { dir } => init(&dir),
        Command::Explain { rule } => match output::rules::explain(&rule) {
            Some(text) => {
                emit(&text);
                ExitCode::SUCCESS
            }
            None => fail(&pipeline::check_rule_name(&rule).err().map_or_else(
                || format!("no documentation for `{rule}`"),
                |e| e.to_string(),
            )),
        },
        Command::Schema { kind } => {
            let name = match kind {
                SchemaKind::Form => "form",
                SchemaKind::Data => "data",
                SchemaKind::Personalization => "personalization",
                SchemaKind::Config => "config",
            };
            emit(crate::formats::schema::text(name).unwrap_or("{}"));
            ExitCode::SUCCESS
        }
        Command::Check(args) => check(&args, color),
        Command::Report(args) => report(&args, color),
    }
}

fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    crate::term::color(choice, is_terminal, &|name| {
        std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
    })
}

/// A stopping error with a place in a file, rendered like a finding.
fn fail_diagnostic(e: &dyn miette::Diagnostic, color: ColorChoice) -> ExitCode {
    let color = use_color(color, std::io::stderr().is_terminal());
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let mut text = String::new();
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(terminal_width())
        .with_links(false);
    if handler.render_report(&mut text, e).is_err() {
        text = e.to_string();
    }
    let text = output::escape::controls_but_lines(text.trim_end()).into_owned();
    let _ = writeln!(std::io::stderr(), "{text}");
    ExitCode::from(2)
}

/// An invalid configuration through the human output's view: long lines clipped
/// (miette panicked past column 65,535), control characters escaped.
fn fail_invalid_config(invalid: &crate::config::InvalidConfig, color: ColorChoice) -> ExitCode {
    let color = use_color(color, std::io::stderr().is_terminal());
    let file =
        crate::source::SourceFile::new(invalid.src.name().into(), invalid.src.inner().clone());
    let span = crate::source::Span::new(invalid.span.offset(), invalid.span.len());
    let text = output::human::render_problem(
        &file,
        span,
        &invalid.message,
        &invalid.label,
        invalid.help.as_deref(),
        "creeplint::config",
        color,
        terminal_width(),
    );
    let _ = writeln!(std::io::stderr(), "{}", text.trim_end());
    ExitCode::from(2)
}

/// Where a configuration error is: file, 1-based line and column (characters).
fn config_error_place(e: &crate::config::ConfigError) -> (String, Option<(usize, usize)>) {
    use crate::config::ConfigError;
    match e {
        ConfigError::Read { path, .. } => (path.clone(), None),
        ConfigError::Invalid(inv) => {
            let text = inv.src.inner();
            let mut offset = inv.span.offset().min(text.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            let before = text.get(..offset).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            let column = before
                .rsplit('\n')
                .next()
                .unwrap_or_default()
                .chars()
                .count()
                + 1;
            (inv.src.name().to_string(), Some((line, column)))
        }
    }
}

/// A configuration error in the output format the run asked for, so a CI job that
/// reads JSON or shows GitHub annotations still sees why creeplint stopped (exit 2).
fn fail_config(e: &crate::config::ConfigError, format: Format, color: ColorChoice) -> ExitCode {
    use miette::Diagnostic as _;
    let (file, place) = config_error_place(e);
    let help = e.help().map(|h| h.to_string());
    match format {
        Format::Human | Format::Sarif => match e {
            crate::config::ConfigError::Invalid(invalid) => fail_invalid_config(invalid, color),
            _ => fail_diagnostic(e, color),
        },
        Format::Json => {
            let mut error = serde_json::json!({
                "kind": "config",
                "message": e.to_string(),
                "file": file,
                "help": help,
            });
            if let Some((line, column)) = place {
                error["line"] = line.into();
                error["column"] = column.into();
            }
            let doc = serde_json::json!({"version": 1, "error": error});
            emit(&(serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"));
            ExitCode::from(2)
        }
        Format::Github => {
            use output::github::{escape_data, escape_property};
            let mut props = format!("file={}", escape_property(&file));
            if let Some((line, column)) = place {
                props.push_str(&format!(",line={line},col={column}"));
            }
            let mut message = e.to_string();
            if let Some(h) = help {
                message.push_str("\nhelp: ");
                message.push_str(&h);
            }
            emit(&format!(
                "::error {props},title=creeplint configuration::{}\n",
                escape_data(&message)
            ));
            eprintln!("creeplint: {e}");
            ExitCode::from(2)
        }
    }
}

/// `--select`: rule names and concern names, expanded to rule names.
fn expand_select(select: &[String]) -> Result<Vec<String>, String> {
    use output::report::Concern;
    let mut names = Vec::new();
    for s in select.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if crate::rules::find(s).is_some() {
            names.push(s.to_string());
            continue;
        }
        let concerns: Vec<&Concern> = Concern::ALL
            .iter()
            .filter(|c| **c != Concern::Other)
            .collect();
        if let Some(c) = concerns.iter().find(|c| c.slug() == s) {
            names.extend(
                crate::rules::names()
                    .filter(|r| Concern::of(r) == **c)
                    .map(String::from),
            );
            continue;
        }
        let candidates = crate::rules::names().chain(concerns.iter().map(|c| c.slug()));
        let hint = crate::suggest::did_you_mean(s, candidates)
            .map(|h| format!(": did you mean `{h}`?"))
            .unwrap_or_default();
        return Err(format!(
            "unknown rule or concern `{s}` in --select{hint} (concerns: {})",
            concerns
                .iter()
                .map(|c| c.slug())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(names)
}

/// The run's options: the command line's rules plus the configuration file, named with
/// `--config` or found upward from the current folder.
/// The configuration file a run reads: named with `--config` or found upward.
fn config_path(config: Option<&std::path::Path>) -> Option<std::path::PathBuf> {
    match config {
        Some(p) => Some(p.to_path_buf()),
        None => std::env::current_dir()
            .ok()
            .and_then(|d| crate::config::find(&d)),
    }
}

fn options(
    rules: &[String],
    config: Option<&std::path::Path>,
    format: Format,
    color: ColorChoice,
) -> Result<pipeline::Options, ExitCode> {
    let config_path = config_path(config);
    let mut options = pipeline::Options {
        only: rules.to_vec(),
        ..pipeline::Options::default()
    };
    if let Some(path) = &config_path {
        match crate::config::load(path) {
            Ok(config) => options.apply(&config),
            Err(e) => return Err(fail_config(&e, format, color)),
        }
    }
    Ok(options)
}

fn check(args: &crate::cli::CheckArgs, color: ColorChoice) -> ExitCode {
    let mut only = args.rules.clone();
    match expand_select(&args.select) {
        Ok(names) => only.extend(names),
        Err(message) => return fail(&message),
    }
    let mut options = match options(&only, args.config.as_deref(), args.format, color) {
        Ok(o) => o,
        Err(code) => return code,
    };
    // A baseline being written records every current finding, whatever an older one hides.
    if let (Some(path), None) = (&args.baseline, &args.write_baseline) {
        match crate::baseline::Baseline::load(path) {
            Ok(b) => {
                let config = config_path(args.config.as_deref());
                options.baseline = Some(b.with_config(config.as_deref()));
            }
            Err(e) => return fail(&e.to_string()),
        }
    }
    // `check -`: standard input is one more file, shown as `--stdin-filename`.
    let dash = std::path::Path::new("-");
    let paths: Vec<std::path::PathBuf> = args
        .paths
        .iter()
        .filter(|p| p.as_path() != dash)
        .cloned()
        .collect();
    if paths.len() != args.paths.len() {
        match read_stdin() {
            Ok(text) => {
                let name = args
                    .stdin_filename
                    .clone()
                    .unwrap_or_else(|| std::path::PathBuf::from("<stdin>"));
                options.stdin = Some((name, text));
            }
            Err(message) => return fail(&message),
        }
    } else if args.stdin_filename.is_some() {
        return fail(
            "--stdin-filename names standard input: add `-` to the paths (`creeplint check - --stdin-filename FILE`)",
        );
    }
    // No output of `check` reads the facts (the report does).
    options.drop_facts = true;
    // Nor, but in the human output, the files' lines: positions are all JSON, SARIF and
    // GitHub annotations write.
    options.drop_texts = args.format != Format::Human;
    // Nor the choices of a form in which no rule finds a word.
    options.drop_choices = true;
    // Suppressed findings are counted; only `--show-suppressed` lists them.
    options.drop_suppressed = !args.show_suppressed;
    options.min_confidence = args.min_confidence.map(|min| match min {
        MinConfidence::Low => Confidence::Low,
        MinConfidence::Medium => Confidence::Medium,
        MinConfidence::High => Confidence::High,
    });
    if let Some(path) = &args.write_baseline {
        return write_baseline(args, &paths, &options, path);
    }
    let mut ran = None;
    let mut mismatch = None;
    emit_with(|out| {
        let mut output = CheckOutput::new(out, args.format, color);
        let run = if let Some(baseline) = &options.baseline {
            // A baseline is compared with every finding at once, and most entries naming
            // files this run did not read are explained (in every format) first.
            pipeline::run(&paths, &options).inspect(|outcome| {
                mismatch = baseline.mismatch_warning(&outcome.sources, outcome.summary.fixed);
                if let Some(warning) = &mismatch {
                    eprintln!("creeplint: {}", output::escape::controls(warning));
                }
                output.findings(&outcome.sources, &outcome.findings);
            })
        } else {
            // The findings are written as the run finds them, a batch of files at a
            // time, never all held (issue 14).
            pipeline::run_streamed(&paths, &options, &mut |sources, findings| {
                output.findings(sources, findings)
            })
        };
        let mut outcome = match run {
            Ok(o) => o,
            Err(e) => {
                ran = Some(Err(e));
                return Ok(());
            }
        };
        // What the rules and the report needed is not needed to finish the output: it
        // reuses their memory instead of adding to the process's resident pages.
        drop(std::mem::take(&mut outcome.project));
        drop(std::mem::take(&mut outcome.facts));
        let shown = args
            .show_suppressed
            .then_some(outcome.suppressed.as_slice());
        let written = output
            .finish(&outcome.sources, shown, &outcome.summary)
            .and_then(|out| {
                if args.format == Format::Human
                    && let Some(s) = shown
                {
                    out.write_all(output::suppressed_list(&outcome.sources, s).as_bytes())?;
                }
                // The statistics and the summary after the findings, once they are
                // written.
                if matches!(args.format, Format::Human | Format::Github) {
                    if args.statistics {
                        out.write_all(
                            output::statistics::render_counts(&outcome.by_rule).as_bytes(),
                        )?;
                    }
                    if !args.quiet {
                        writeln!(out, "{}", output::summary_line(&outcome.summary))?;
                    }
                }
                Ok(())
            });
        ran = Some(Ok(outcome));
        written
    });
    let outcome = match ran {
        Some(Ok(o)) => o,
        Some(Err(e)) => return fail(&e.to_string()),
        None => return ExitCode::from(2),
    };
    after_output(args, &outcome, mismatch.is_some());
    let status = exit_status(args.fail_on, worst(&outcome.summary));
    // The process ends next, and the system takes its memory back whole: the sources
    // and the suppressed findings are not freed block by block (issue 14: 0.7-0.9% of
    // the instructions of a check).
    std::mem::forget(outcome);
    status
}

/// `check --write-baseline`: record every current finding (an older baseline does not
/// hide any), refusing to overwrite a file the run reads.
fn write_baseline(
    args: &crate::cli::CheckArgs,
    paths: &[std::path::PathBuf],
    options: &pipeline::Options,
    path: &std::path::Path,
) -> ExitCode {
    let outcome = match pipeline::run(paths, options) {
        Ok(o) => o,
        Err(e) => return fail(&e.to_string()),
    };
    // An older baseline in the walked folder is read (and skipped): rewriting it is
    // the point. Any other file the run reads is not to be overwritten.
    let old_baseline = crate::baseline::Baseline::load(path).is_ok();
    let config = config_path(args.config.as_deref());
    if !old_baseline
        && let Some(code) = refuse_overwrite(path, &read_files(&outcome, config.as_deref()))
    {
        return code;
    }
    let baseline = crate::baseline::Baseline::for_file(
        path,
        config.as_deref(),
        &outcome.sources,
        &outcome.findings,
    );
    if let Err(e) = baseline.write(path) {
        return fail(&e.to_string());
    }
    if !args.quiet {
        let _ = writeln!(
            std::io::stderr(),
            "creeplint: recorded {} findings in {}",
            baseline.findings.len(),
            output::escape::controls(&crate::source::display_path(path))
        );
    }
    ExitCode::SUCCESS
}

/// What `check` says on standard error after its output: baseline entries fixed and an
/// empty project (human output), and the statistics of machine output.
fn after_output(args: &crate::cli::CheckArgs, outcome: &pipeline::Outcome, mismatch: bool) {
    if args.format == Format::Human {
        // Entries for files this run did not read are not fixed: the warning says so.
        if outcome.summary.fixed > 0 && !mismatch {
            eprintln!(
                "{} fixed; run --write-baseline to drop {}",
                output::plural(
                    outcome.summary.fixed,
                    "baseline entry is",
                    "baseline entries are"
                ),
                if outcome.summary.fixed == 1 {
                    "it"
                } else {
                    "them"
                }
            );
        }
        if outcome.summary.files == outcome.summary.skipped && !args.quiet {
            eprintln!("{}", no_files_note(&args.paths, outcome.summary.skipped));
        }
    }
    if args.statistics && matches!(args.format, Format::Json | Format::Sarif) {
        // Machine output stays one document on standard output.
        eprint!("{}", output::statistics::render_counts(&outcome.by_rule));
    }
}

/// The most severe finding's severity, from the counts.
fn worst(s: &pipeline::Summary) -> Option<Severity> {
    [
        (s.errors, Severity::Error),
        (s.warnings, Severity::Warning),
        (s.infos, Severity::Info),
    ]
    .into_iter()
    .find_map(|(n, severity)| (n > 0).then_some(severity))
}

/// The `check` output: its format's writer, made when the first findings come or at
/// the end (a run that fails before its rules writes nothing), and the first error
/// writing it (the rest of the run writes nothing more).
struct CheckOutput<'w> {
    out: Option<&'w mut dyn Write>,
    writer: Option<output::Writer<'w>>,
    format: Format,
    color: ColorChoice,
    error: Option<std::io::Error>,
}

impl<'w> CheckOutput<'w> {
    fn new(out: &'w mut dyn Write, format: Format, color: ColorChoice) -> Self {
        CheckOutput {
            out: Some(out),
            writer: None,
            format,
            color,
            error: None,
        }
    }

    fn writer(&mut self) -> std::io::Result<&mut output::Writer<'w>> {
        if self.writer.is_none()
            && let Some(out) = self.out.take()
        {
            self.writer = Some(match self.format {
                Format::Json => output::Writer::Json(output::json::Writer::new(out)),
                Format::Sarif => output::Writer::Sarif(output::sarif::Writer::new(out)?),
                Format::Github => output::Writer::Github(out),
                Format::Human => output::Writer::Human(Box::new(output::human::Writer::new(
                    out,
                    use_color(self.color, std::io::stdout().is_terminal()),
                    terminal_width(),
                ))),
            });
        }
        self.writer
            .as_mut()
            .ok_or_else(|| std::io::Error::other("the output was not begun"))
    }

    fn findings(&mut self, sources: &crate::source::Sources, findings: &[crate::Finding]) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = self.writer().and_then(|w| w.findings(sources, findings)) {
            self.error = Some(e);
        }
    }

    fn finish(
        mut self,
        sources: &crate::source::Sources,
        suppressed: Option<&[pipeline::Suppressed]>,
        summary: &pipeline::Summary,
    ) -> std::io::Result<&'w mut dyn Write> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.writer()?;
        match self.writer.take() {
            Some(w) => w.finish(sources, suppressed, summary),
            None => Err(std::io::Error::other("the output was not begun")),
        }
    }
}

/// Standard input for `check -`, within the budget of a file.
fn read_stdin() -> Result<String, String> {
    use std::io::Read;
    let limit = crate::formats::MAX_FILE_BYTES;
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut bytes)
    {
        return Err(format!("cannot read standard input: {e}"));
    }
    if bytes.len() as u64 > limit {
        return Err(format!(
            "standard input is over the {} MiB budget for a creeplint file",
            limit / 1_048_576
        ));
    }
    String::from_utf8(bytes).map_err(|_| "standard input is not valid UTF-8".to_string())
}

/// What an empty project is told: nothing was checked, and how to start.
fn no_files_note(paths: &[std::path::PathBuf], skipped: usize) -> String {
    let shown: Vec<String> = paths
        .iter()
        .map(|p| crate::source::display_path(p))
        .collect();
    let skipped = match skipped {
        0 => String::from("no YAML or JSON file was found"),
        1 => String::from("1 YAML or JSON file was read, but it has no creeplint `kind:`"),
        n => format!("{n} YAML or JSON files were read, but none has a creeplint `kind:`"),
    };
    format!(
        "creeplint: no creeplint files found in {} ({skipped}).\n\
         To start, run `creeplint init`: it writes a commented creeplint.yaml and an example\n\
         form (forms/signup.yaml) to copy from. The file kinds are described in\n\
         {}/blob/main/docs/formats.md",
        shown.join(", "),
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// The starter configuration `creeplint init` writes.
const INIT_CONFIG: &str = include_str!("init/creeplint.yaml");
/// The example form `creeplint init` writes.
const INIT_FORM: &str = include_str!("init/signup.yaml");

/// `creeplint init`: write a starter configuration and an example form, never
/// replacing a file that exists.
fn init(dir: &std::path::Path) -> ExitCode {
    let files = [
        (dir.join("creeplint.yaml"), INIT_CONFIG),
        (dir.join("forms").join("signup.yaml"), INIT_FORM),
    ];
    for (path, _) in &files {
        if path.exists() {
            return fail(&format!(
                "{} exists; creeplint init never replaces a file (remove it or run init in another folder)",
                crate::source::display_path(path)
            ));
        }
    }
    for (path, text) in &files {
        if let Some(parent) = path.parent()
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            return fail(&format!("cannot create {}: {e}", parent.display()));
        }
        if let Err(e) = std::fs::write(path, text) {
            return fail(&format!("cannot write {}: {e}", path.display()));
        }
        eprintln!("creeplint: wrote {}", crate::source::display_path(path));
    }
    eprintln!(
        "creeplint: now run `creeplint check {}`, then describe your own forms, data and personalizations",
        crate::source::display_path(dir)
    );
    ExitCode::SUCCESS
}

fn report(args: &crate::cli::ReportArgs, color: ColorChoice) -> ExitCode {
    let options = match options(&args.rules, args.config.as_deref(), Format::Human, color) {
        Ok(o) => o,
        Err(code) => return code,
    };
    // The configuration again, for the report's name and repository (it loaded above).
    let config = config_path(args.config.as_deref()).and_then(|p| crate::config::load(&p).ok());
    let meta = match output::report::Meta::detect(
        &args.paths,
        config.as_ref(),
        std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
    ) {
        Ok(m) => m,
        Err(e) => return fail(&e),
    };
    let outcome = match pipeline::run(&args.paths, &options) {
        Ok(o) => o,
        Err(e) => return fail(&e.to_string()),
    };
    let mut report = output::report::build(&outcome);
    report.meta = meta;
    // Every finding is shown; the baseline marks which are new.
    let mut failing: Vec<crate::Finding> = outcome.findings.clone();
    if let Some(path) = &args.baseline {
        let baseline = match crate::baseline::Baseline::load(path) {
            Ok(b) => b.with_config(config_path(args.config.as_deref()).as_deref()),
            Err(e) => return fail(&e.to_string()),
        };
        report.compare(&baseline, &crate::source::display_path(path), &outcome);
        failing = report
            .findings
            .iter()
            .filter(|f| f.new == Some(true))
            .map(|f| f.finding.clone())
            .collect();
    }
    let text = match args.format {
        ReportFormat::Html => output::report::html::render(&report),
        ReportFormat::Markdown => output::report::markdown::render(&report),
    };
    let Some(path) = &args.output else {
        emit(&text);
        return exit_status(args.fail_on, failing.iter().map(|f| f.severity).max());
    };
    let config = config_path(args.config.as_deref());
    let mut read = read_files(&outcome, config.as_deref());
    read.extend(args.baseline.iter().map(|b| (b.clone(), "the baseline")));
    if let Some(code) = refuse_overwrite(path, &read) {
        return code;
    }
    let shown = crate::source::display_path(path);
    if let Err(e) = std::fs::write(path, &text) {
        return fail(&format!("cannot write {shown}: {e}"));
    }
    let what = match args.format {
        ReportFormat::Html => "the HTML report",
        ReportFormat::Markdown => "the Markdown report",
    };
    let _ = writeln!(
        std::io::stderr(),
        "creeplint: wrote {what} ({} bytes) to {}",
        text.len(),
        output::escape::controls(&shown)
    );
    exit_status(args.fail_on, failing.iter().map(|f| f.severity).max())
}

/// 1 when a finding is at or above `--fail-on`, else 0; the same for every command.
fn exit_status(fail_on: FailOn, worst: Option<Severity>) -> ExitCode {
    let threshold = match fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    if threshold.is_some_and(|t| worst.is_some_and(|w| w >= t)) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `COLUMNS`, else the real terminal's width, else 100.
fn terminal_width() -> usize {
    crate::term::width(
        std::env::var("COLUMNS").ok().as_deref(),
        crate::term::terminal_width(),
    )
}
