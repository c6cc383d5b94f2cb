//! Arguments in, one library call per command, an exit code out.

mod cli;
mod commands;

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

/// Stack for the threads that compile and evaluate rules: deep (but bounded)
/// expressions recurse in the expression engine. Reserved, not committed, memory.
const WORKER_STACK_BYTES: usize = 64 * 1024 * 1024;

fn main() -> ExitCode {
    // Only fails if a pool already exists, which nothing here creates first.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK_BYTES)
        .build_global();
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
    ExitCode::from(commands::run(cli.command) as u8)
}
