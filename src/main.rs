//! Arguments in, one library call per command, an exit code out.

use std::process::ExitCode;

/// Parsing and evaluating allocate many small values; mimalloc serves them faster
/// than the system allocator (measured by `cargo bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    govlint::cli::main()
}
