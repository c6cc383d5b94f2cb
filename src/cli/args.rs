//! The command line: commands, flags and formats (the contract in the README).

use crate::base::source::MAX_TEXT_BYTES;
use crate::load::Limits;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "govlint",
    version,
    about = "Check governance records against the rules that govern them"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check snapshots (files, or folders of *.yaml / *.yml) against a rule pack
    #[command(
        after_help = "Examples:\n  govlint check group.yaml\n  govlint check records/ --format json --as-of 2017-09\n  govlint check current.yaml --proposal handover.yaml\n  govlint check records/ --base origin/main\n  cat group.yaml | govlint check"
    )]
    Check(CheckArgs),
    /// Draw a snapshot's records along the years, findings marked, in one HTML page
    #[command(
        after_help = "Examples:\n  govlint report group.yaml -o group.html\n  govlint report current.yaml --proposal handover.yaml -o handover.html"
    )]
    Report(ReportArgs),
    /// List what falls due next under the rules, overdue first
    #[command(
        after_help = "Examples:\n  govlint agenda group.yaml\n  govlint agenda group.yaml --until 2030 --format ics > agenda.ics\n  govlint agenda current.yaml --proposal handover.yaml"
    )]
    Agenda(AgendaArgs),
    /// Apply the fixes the findings carry, changing only the edited values
    #[command(
        after_help = "Examples:\n  govlint fix records.yaml --diff\n  govlint fix current.yaml --proposal handover.yaml"
    )]
    Fix(FixArgs),
    /// Run a rule pack's own fixtures and expectations
    #[command(after_help = "Example:\n  govlint test --rules my-pack/")]
    Test(PackArgs),
    /// List the rules of a pack: id, severity, title
    #[command(after_help = "Example:\n  govlint rules")]
    Rules(PackArgs),
    /// Explain a rule: title, clause, rationale, parameters, examples
    #[command(
        after_help = "Examples:\n  govlint explain waiver-expired\n  govlint explain RULE_ID --at 2021 --rules DIR"
    )]
    Explain {
        /// The rule id
        rule: String,
        /// Show the parameters, and the messages, of the version in force on DATE
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        #[command(flatten)]
        pack: PackArgs,
    },
    /// Print a JSON Schema (for editors and other tools)
    #[command(after_help = "Example:\n  govlint schema snapshot > snapshot.schema.json")]
    Schema {
        #[arg(value_enum)]
        which: SchemaKind,
        #[command(flatten)]
        pack: PackArgs,
    },
    /// Start something new: a rule, with its fixtures, that passes `govlint test`
    #[command(
        after_help = "Example:\n  govlint new rule board-size --rules my-pack\n  govlint test --rules my-pack"
    )]
    New {
        #[command(subcommand)]
        what: NewKind,
    },
    /// Serve the editor: findings as records are typed (Language Server Protocol on stdio)
    #[command(
        after_help = "Settings come from the editor (initializationOptions) and from .govlint.json\nat the workspace root; see the README's \"In CI and editors\".\n\nExample:\n  govlint server"
    )]
    Server,
    /// Print a shell completion script, generated from these very flags
    #[command(
        after_help = "Examples:\n  govlint completions bash > ~/.local/share/bash-completion/completions/govlint\n  govlint completions zsh > ~/.zfunc/_govlint\n  govlint completions fish > ~/.config/fish/completions/govlint.fish\n  govlint completions powershell >> $PROFILE"
    )]
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff): govlint(1), or one command's page
    #[command(
        after_help = "Examples:\n  govlint man > /usr/local/share/man/man1/govlint.1\n  govlint man check > /usr/local/share/man/man1/govlint-check.1\n  govlint man | man -l -"
    )]
    Man {
        /// A command whose own page to print (govlint-COMMAND(1)); default: govlint(1)
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum NewKind {
    /// A rule file with a passing and a failing fixture, in the pack folder DIR
    /// (created, extending the built-in pack, if it has no pack.yaml)
    Rule {
        /// The new rule's id (lower-case words joined by hyphens)
        id: String,
        /// The pack folder; default: the current folder
        #[arg(long, value_name = "DIR", default_value = ".")]
        rules: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct PackArgs {
    /// A rule pack folder (holding pack.yaml); default: the built-in pack
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct FixArgs {
    /// Files or folders of records to fix
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub pack: PackArgs,
    /// Fix the proposal FILE checked against PATH (one snapshot); only FILE changes
    #[arg(long, value_name = "FILE")]
    pub proposal: Option<PathBuf>,
    /// Apply the fixes a person should confirm too, not only those the records determine
    #[arg(long = "unsafe")]
    pub unsafe_too: bool,
    /// Print the changes as a unified diff and write nothing
    #[arg(long)]
    pub diff: bool,
    /// Evaluate at DATE instead of each file's own date
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

/// One snapshot, with a proposal over it or not, at a date: what a page or an
/// agenda is made of.
#[derive(Debug, clap::Args)]
pub struct RecordsArgs {
    /// The snapshot
    pub path: PathBuf,
    #[command(flatten)]
    pub pack: PackArgs,
    /// PATH with a proposal FILE over it (a whole edited copy, or what it adds)
    #[arg(long, value_name = "FILE")]
    pub proposal: Option<PathBuf>,
    /// Evaluate at DATE instead of the snapshot's own date
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub records: RecordsArgs,
    /// Write the page to FILE (atomically) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct AgendaArgs {
    #[command(flatten)]
    pub records: RecordsArgs,
    /// List what falls due up to DATE (default: two years after the evaluation date)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = AgendaFormat::Human)]
    pub format: AgendaFormat,
    /// Write the agenda to FILE (atomically) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// How the agenda is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AgendaFormat {
    /// In words, overdue first
    Human,
    /// One JSON document (schemas/agenda.schema.json)
    Json,
    /// An iCalendar file to import into a calendar
    Ics,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check; with none, standard input is read
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub pack: PackArgs,
    /// Check PATH (one snapshot) against a proposal FILE: a whole edited copy of
    /// the records, or only what it adds. Reports only what FILE introduces
    #[arg(long, value_name = "FILE", conflicts_with = "base")]
    pub proposal: Option<PathBuf>,
    /// Compare each file with its content at git revision REV (HEAD~1, main,
    /// a tag), reporting only the findings introduced since
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// Report only findings not recorded in the baseline FILE (see --write-baseline)
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the fingerprints of every finding in FILE, to adopt them as they are
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Evaluate at DATE (YYYY, YYYY-MM or YYYY-MM-DD) instead of each file's own date
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Write the report to FILE (atomically) instead of standard output
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Warnings fail the run too
    #[arg(long)]
    pub deny_warnings: bool,
    /// Show every finding in full (human format); by default, past the first
    /// three of one rule in a file, the rest are listed one line each
    #[arg(long)]
    pub every_finding: bool,
    /// Print only how many findings each rule gave, and the summary (human
    /// and concise formats; the JSON report always carries them)
    #[arg(long)]
    pub statistics: bool,
    /// Largest file accepted, in bytes (at most 2 GiB)
    #[arg(
        long,
        value_name = "BYTES",
        default_value_t = Limits::default().max_file_bytes,
        value_parser = file_bytes
    )]
    pub max_file_bytes: usize,
    /// Most YAML nodes in one file (aliases count as expanded)
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_nodes)]
    pub max_nodes: usize,
    /// Deepest nesting of YAML collections
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_depth)]
    pub max_depth: usize,
    /// Most anchors or aliases in one file
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_aliases)]
    pub max_aliases: usize,
    /// Evaluation steps each rule may spend on one file before it is stopped
    #[arg(long, value_name = "N", default_value_t = crate::check::DEFAULT_MAX_EVAL_STEPS)]
    pub max_eval_steps: u64,
    /// Most nodes that expanding aliases may produce (what an alias bomb multiplies)
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_alias_nodes)]
    pub max_alias_nodes: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Diagnostics with the YAML underlined, for people
    Human,
    /// One line per finding: `file:line:col: severity rule: message`
    Concise,
    /// One versioned JSON object (see the README)
    Json,
    /// SARIF 2.1.0, for code-scanning pages
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// JUnit XML, one test case per rule per file
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// The structure of the records the pack checks
    Snapshot,
    /// The structure of a rule file
    Rules,
}

/// A file size limit a span can still point into.
fn file_bytes(text: &str) -> Result<usize, String> {
    let bytes: usize = text.parse().map_err(|error| format!("{error}"))?;
    if bytes > MAX_TEXT_BYTES {
        return Err(format!("at most {MAX_TEXT_BYTES} bytes"));
    }
    Ok(bytes)
}
