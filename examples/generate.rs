//! Write a synthetic snapshot for the built-in pack:
//! `cargo run --release --example generate -- small|medium|large [VIOLATIONS] > snapshot.yaml`
//! or `… -- MEMBERS YEARS EVENTS_PER_YEAR [VIOLATIONS]`. The expected findings of the
//! injected violations go to standard error, one `rule pointer` a line.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let named = match args.first().map(String::as_str) {
        Some("small") => Some(synthetic::SMALL),
        Some("medium") => Some(synthetic::MEDIUM),
        Some("large") => Some(synthetic::LARGE),
        _ => None,
    };
    let numbers: Vec<usize> = args.iter().filter_map(|arg| arg.parse().ok()).collect();
    let size = match (named, numbers.as_slice()) {
        (Some(size), rest) => synthetic::Size {
            violations: rest.first().copied().unwrap_or(0),
            ..size
        },
        (None, [members, years, events_per_year, rest @ ..]) => synthetic::Size {
            members: *members,
            years: *years,
            events_per_year: *events_per_year,
            violations: rest.first().copied().unwrap_or(0),
        },
        _ => {
            eprintln!(
                "usage: generate small|medium|large [VIOLATIONS]\n       generate MEMBERS YEARS EVENTS_PER_YEAR [VIOLATIONS]"
            );
            return ExitCode::from(2);
        }
    };
    let (text, expected) = synthetic::snapshot(size);
    print!("{text}");
    for (rule, pointer) in expected {
        eprintln!("{rule} {pointer}");
    }
    ExitCode::SUCCESS
}
