//! Running the built binary the way a user does, for every test file.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output, Stdio};

/// `govlint ARGS…` from the repository root, without colour or standard input.
pub fn govlint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_govlint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("govlint runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The findings of a `--format json` report.
pub fn findings_of(report: &serde_json::Value) -> &[serde_json::Value] {
    report["findings"].as_array().map_or(&[], Vec::as_slice)
}

/// A field of a finding as text; numbers are written out.
pub fn field(finding: &serde_json::Value, key: &str) -> String {
    match &finding[key] {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Every fixture of the repository (`fixtures/`, every folder down), by path.
pub fn fixtures() -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![std::path::Path::new("fixtures").to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "yaml") {
                found.push(path.to_str().unwrap().to_owned());
            }
        }
    }
    found.sort();
    found
}

/// Text as one line: the terminal's wrapping and margins taken out.
pub fn flat(text: &str) -> String {
    text.replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The manifest of a pack that extends the built-in one.
pub const EXTENDS_BUILTIN: &str = "name: t\ntitle: T\nextends: builtin\n";

/// A pack folder: `manifest` as its pack.yaml, and `files` (paths within it).
pub fn pack_folder(manifest: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("pack.yaml"), manifest).unwrap();
    for (name, text) in files {
        let path = temp.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    temp
}

/// A file of the repository, as text.
pub fn read(path: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A YAML file of the repository, as JSON values.
pub fn yaml(path: &str) -> serde_json::Value {
    serde_saphyr::from_str::<serde_json::Value>(&read(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}
