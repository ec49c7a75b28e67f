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
            };
            emit(creeplint::formats::schema::text(name).unwrap_or("{}"));
            ExitCode::SUCCESS
        }
        Command::Check(args) => {
            let options = pipeline::Options {
                only: args.rules.clone(),
                ..pipeline::Options::default()
            };
            let outcome = match pipeline::run(&args.paths, &options) {
                Ok(o) => o,
                Err(e) => return fail(&e.to_string()),
            };
            match args.format {
                Format::Json => emit(&output::json::render(
                    &outcome.sources,
                    &outcome.findings,
                    &outcome.summary,
                )),
                Format::Human => {
                    let color = std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
                    let width = terminal_width();
                    let mut text =
                        output::human::render(&outcome.sources, &outcome.findings, color, width);
                    if !args.quiet {
                        text.push_str(&output::summary_line(&outcome.summary));
                        text.push('\n');
                    }
                    emit(&text);
                }
            }
            exit_status(args.fail_on, &outcome.findings)
        }
        Command::Report(args) => {
            let options = pipeline::Options {
                only: args.rules.clone(),
                ..pipeline::Options::default()
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
    }
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
