//! Arguments in, one library call per command, an exit code out.

mod cli;
mod commands;
mod new_rule;

use clap::Parser;

/// Parsing and evaluating allocate many small values; mimalloc serves them faster
/// than the system allocator (measured by `cargo bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

/// Exit codes of the contract: 0 clean, 1 findings, 2 could not check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Clean = 0,
    Findings = 1,
    Unable = 2,
}

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                Status::Unable as u8
            } else {
                0
            });
        }
    };
    // Every command runs on the workers, whose threads have a large stack; the
    // files of a check are spread over them.
    ExitCode::from(govlint::workers::install(|| commands::run(cli.command)) as u8)
}
