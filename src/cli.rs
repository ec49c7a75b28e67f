//! The command line, as clap definitions only.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "creeplint",
    version,
    about = "Catch creepy data practices in forms and personalization rules before they ship",
    propagate_version = true
)]
pub struct Cli {
    /// When to colour the output: `auto` (on a terminal, unless NO_COLOR is set;
    /// FORCE_COLOR or CLICOLOR_FORCE turn it on), `always` or `never`
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// One line per rule
    Text,
    /// A JSON array: name, severity, concern, summary, doc_url
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    #[value(name = "powershell")]
    PowerShell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum MinConfidence {
    Low,
    Medium,
    High,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files and folders (default: the current folder)
    Check(CheckArgs),
    /// Write a report for people who do not read terminals: HTML (default) or Markdown
    Report(ReportArgs),
    /// List every rule: name, default severity, summary
    Rules {
        /// Output format
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Print the full entry of one rule, with examples
    Explain {
        /// The rule name, e.g. `location-trigger`
        rule: String,
    },
    /// Print the JSON Schema of a file kind
    Schema {
        #[arg(value_enum)]
        kind: SchemaKind,
    },
    /// Write a commented starter creeplint.yaml and an example form to start from
    Init {
        /// The folder to write them in
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell)
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the manual page (roff), e.g. `creeplint man > creeplint.1`
    Man,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    Form,
    Data,
    Personalization,
    Config,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files and folders to check
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The lowest severity that makes the exit status 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Run only this rule (repeatable)
    #[arg(long = "rule", value_name = "NAME")]
    pub rules: Vec<String>,
    /// Run only these rules or concerns (comma-separated or repeated): a rule name or
    /// purpose, not-volunteered, location, sensitive, engagement, file-problems
    #[arg(long, value_name = "RULE|CONCERN", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Report only findings at least this sure (high: from declarations; medium and
    /// low: from word lists and name guesses)
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub min_confidence: Option<MinConfidence>,
    /// After the findings, print how many each rule reported
    #[arg(long)]
    pub statistics: bool,
    /// The path to show for standard input (`check -`), e.g. the file an editor is editing
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// No summary line
    #[arg(short, long)]
    pub quiet: bool,
    /// The configuration file (default: the nearest creeplint.yaml or .creeplint.yaml
    /// in the current folder or above)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not report the findings recorded in this baseline
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file and exit 0
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Also list the findings that allow comments suppressed, with their reasons
    #[arg(long)]
    pub show_suppressed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML page
    Html,
    /// GitHub-flavoured Markdown, sized for a pull-request comment
    Markdown,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Files and folders to check
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Report format
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// Write the report to this file instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The lowest severity that makes the exit status 1 (the report is written anyway)
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Run only this rule (repeatable)
    #[arg(long = "rule", value_name = "NAME")]
    pub rules: Vec<String>,
    /// Configuration file (default: the nearest creeplint.yaml or .creeplint.yaml upward)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Compare with this baseline: mark findings new or unchanged and list the fixed
    /// ones; only new findings count for --fail-on
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}
