//! The command line: arguments in, one pipeline call per command, an exit code
//! out. It owns the flags and their contract (`args`), what every command
//! shares (`console`), each command (`commands`, `new_rule`), and the commands'
//! own work that is no stage of a check: scaffolding a rule,
//! running a pack's own tests, reading a file at a git revision.
//!
//! May import every stage below it; nothing imports it.

mod agenda;
mod args;
mod commands;
mod console;
// `explain` lives with the renderers, where the editor's server finds it too.
pub use crate::report::explain;
mod fix_held;
mod new_rule;
pub mod revision;
pub mod scaffold;
pub mod selftest;

use clap::Parser;
use console::Status;
use std::process::ExitCode;

/// The whole program, as `main` runs it.
pub fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
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
    ExitCode::from(crate::base::workers::install(|| commands::run(cli.command)) as u8)
}
