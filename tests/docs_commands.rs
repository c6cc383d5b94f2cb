//! The `govlint` commands of the README and the book run as written, where
//! that is cheap: those that read only the repository's own files and write
//! nothing. Each must be a call govlint accepts (exit status 0 or 1: findings
//! are what some examples show), never 2.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{govlint, stderr};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The lines of the `sh` blocks of a Markdown text, continuation lines joined
/// and trailing comments dropped.
fn shell_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for block in text.split("```sh\n").skip(1) {
        let block = block.split("```").next().unwrap();
        let mut pending = String::new();
        for line in block.lines() {
            if let Some(head) = line.strip_suffix('\\') {
                pending.push_str(head);
                continue;
            }
            pending.push_str(line);
            let command = match pending.find("  #") {
                Some(at) => pending[..at].trim().to_owned(),
                None => pending.trim().to_owned(),
            };
            lines.push(command);
            pending.clear();
        }
    }
    lines
}

/// The arguments of a command that can run here as written, or None: it writes
/// something, pipes, expands variables, or names a file the repository lacks.
fn runnable(command: &str) -> Option<Vec<String>> {
    let rest = command.strip_prefix("govlint ")?;
    if [
        "|",
        ">",
        "$",
        "*",
        "--output",
        "-o ",
        "--write-baseline",
        "--base ",
    ]
    .iter()
    .any(|mark| command.contains(mark))
    {
        return None;
    }
    let args: Vec<String> = rest.split_whitespace().map(str::to_owned).collect();
    match args.first().map(String::as_str) {
        // `govlint test` runs a pack's properties (slow, and tests/packs.rs runs
        // the documented ones); the others print or write files.
        Some("new" | "test" | "completions" | "man") | None => return None,
        Some("fix") if !args.iter().any(|arg| arg == "--diff") => return None,
        _ => {}
    }
    let looks_like_path =
        |arg: &str| !arg.starts_with('-') && (arg.contains('/') || arg.ends_with(".yaml"));
    let takes_path = |flag: &str| ["--rules", "--proposal", "--baseline"].contains(&flag);
    let missing = args.iter().enumerate().any(|(at, arg)| {
        let is_path = looks_like_path(arg) || (at > 0 && takes_path(&args[at - 1]));
        is_path && !Path::new(&root().join(arg)).exists()
    });
    if missing {
        return None;
    }
    Some(args)
}

#[test]
fn the_documented_commands_run() {
    let mut documents = vec![root().join("README.md")];
    for entry in std::fs::read_dir(root().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "md") {
            documents.push(path);
        }
    }
    documents.sort();
    let mut ran = Vec::new();
    for document in &documents {
        let text = std::fs::read_to_string(document).unwrap();
        for command in shell_lines(&text) {
            let Some(args) = runnable(&command) else {
                continue;
            };
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let output = govlint(&args);
            assert!(
                matches!(output.status.code(), Some(0 | 1)),
                "{}: `{command}` exited {:?}: {}",
                document.display(),
                output.status.code(),
                stderr(&output)
            );
            ran.push(command);
        }
    }
    ran.sort();
    ran.dedup();
    assert!(
        ran.len() >= 8,
        "only {} documented commands ran: {ran:#?}",
        ran.len()
    );
    // The handover example of the book, as the binary runs it.
    assert!(
        ran.iter().any(|command| command == "govlint check fixtures/handover/current.yaml --proposal fixtures/handover/handover-fr-lu.yaml"),
        "{ran:#?}"
    );
}
