//! The `creeplint` binary: parse arguments, call the library, map the result to an
//! exit status (0 clean, 1 findings at or above `--fail-on`, 2 could not run).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use creeplint::cli::{Cli, Command, FailOn, Format, ReportFormat, SchemaKind};
use creeplint::{Severity, output, pipeline};

fn main() -> ExitCode {
    // A bug must never show a backtrace: report it as "could not run" instead.
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "creeplint: internal error: {info}\nplease report this with the file that caused it"
        );
    }));
    match std::panic::catch_unwind(real_main) {
        Ok(code) => code,
        Err(_) => ExitCode::from(2),
    }
}

fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`creeplint check | head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

fn fail(message: &str) -> ExitCode {
    eprintln!("creeplint: {message}");
    ExitCode::from(2)
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
    match cli.command {
        Command::Rules => {
            emit(&output::rules::list());
            ExitCode::SUCCESS
        }
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
            emit(creeplint::formats::schema::text(name).unwrap_or("{}"));
            ExitCode::SUCCESS
        }
        Command::Check(args) => check(&args),
        Command::Report(args) => report(&args),
    }
}

fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A stopping error with a place in a file, rendered like a finding.
fn fail_diagnostic(e: &dyn miette::Diagnostic) -> ExitCode {
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
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
    eprintln!("{}", text.trim_end());
    ExitCode::from(2)
}

/// The run's options: the command line's rules plus the configuration file, named with
/// `--config` or found upward from the current folder.
fn options(
    rules: &[String],
    config: Option<&std::path::Path>,
) -> Result<pipeline::Options, ExitCode> {
    let config_path = match config {
        Some(p) => Some(p.to_path_buf()),
        None => std::env::current_dir()
            .ok()
            .and_then(|d| creeplint::config::find(&d)),
    };
    let mut options = pipeline::Options {
        only: rules.to_vec(),
        ..pipeline::Options::default()
    };
    if let Some(path) = &config_path {
        match creeplint::config::load(path) {
            Ok(config) => options.apply(&config),
            Err(e) => return Err(fail_diagnostic(&e)),
        }
    }
    Ok(options)
}

fn check(args: &creeplint::cli::CheckArgs) -> ExitCode {
    let mut options = match options(&args.rules, args.config.as_deref()) {
        Ok(o) => o,
        Err(code) => return code,
    };
    // A baseline being written records every current finding, whatever an older one hides.
    if let (Some(path), None) = (&args.baseline, &args.write_baseline) {
        match creeplint::baseline::Baseline::load(path) {
            Ok(b) => options.baseline = Some(b),
            Err(e) => return fail(&e.to_string()),
        }
    }
    let outcome = match pipeline::run(&args.paths, &options) {
        Ok(o) => o,
        Err(e) => return fail(&e.to_string()),
    };
    if let Some(path) = &args.write_baseline {
        let baseline =
            creeplint::baseline::Baseline::from_findings(&outcome.sources, &outcome.findings);
        if let Err(e) = baseline.write(path) {
            return fail(&e.to_string());
        }
        if !args.quiet {
            eprintln!(
                "creeplint: recorded {} findings in {}",
                baseline.findings.len(),
                creeplint::source::display_path(path)
            );
        }
        return ExitCode::SUCCESS;
    }
    let shown = args
        .show_suppressed
        .then_some(outcome.suppressed.as_slice());
    match args.format {
        Format::Json => emit(&output::json::render(
            &outcome.sources,
            &outcome.findings,
            shown,
            &outcome.summary,
        )),
        Format::Sarif => emit(&output::sarif::render(
            &outcome.sources,
            &outcome.findings,
            shown,
        )),
        Format::Github => {
            let mut text = output::github::render(&outcome.sources, &outcome.findings);
            if !args.quiet {
                text.push_str(&output::summary_line(&outcome.summary));
                text.push('\n');
            }
            emit(&text);
        }
        Format::Human => {
            let mut text = output::human::render(
                &outcome.sources,
                &outcome.findings,
                use_color(),
                terminal_width(),
            );
            if let Some(s) = shown {
                text.push_str(&output::suppressed_list(&outcome.sources, s));
            }
            if !args.quiet {
                text.push_str(&output::summary_line(&outcome.summary));
                text.push('\n');
            }
            emit(&text);
            if outcome.summary.fixed > 0 {
                eprintln!(
                    "{} baseline entries are fixed; run --write-baseline to drop them",
                    outcome.summary.fixed
                );
            }
        }
    }
    exit_status(args.fail_on, &outcome.findings)
}

fn report(args: &creeplint::cli::ReportArgs) -> ExitCode {
    let options = match options(&args.rules, args.config.as_deref()) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let outcome = match pipeline::run(&args.paths, &options) {
        Ok(o) => o,
        Err(e) => return fail(&e.to_string()),
    };
    let report = output::report::build(&outcome);
    let text = match args.format {
        ReportFormat::Html => output::report::html::render(&report),
        ReportFormat::Markdown => output::report::markdown::render(&report),
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                return fail(&format!("cannot write {}: {e}", path.display()));
            }
        }
        None => emit(&text),
    }
    exit_status(args.fail_on, &outcome.findings)
}

/// 1 when a finding is at or above `--fail-on`, else 0; the same for every command.
fn exit_status(fail_on: FailOn, findings: &[creeplint::Finding]) -> ExitCode {
    let threshold = match fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    if threshold.is_some_and(|t| findings.iter().any(|f| f.severity >= t)) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w: &usize| *w >= 40)
        .unwrap_or(100)
}
