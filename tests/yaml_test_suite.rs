//! The official YAML test suite (tests/data/yaml-test-suite) through govlint's
//! loader: valid cases load, and give the data of their `in.json`; invalid cases
//! are refused; nothing panics. Cases govlint refuses by design (README, Hostile
//! input) are skipped and counted by reason. Prints one line,
//! `yaml test suite: P/N cases pass (S skipped: reasons…)`, which CI shows.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

use govlint::base::source::SourceFile;
use govlint::load::{self, FailureKind, Limits, LoadFailure, Node};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

enum Outcome {
    Pass,
    Skip(&'static str),
    Fail(String),
}

/// The refusals govlint documents, by what its message says.
fn documented_refusal(failure: &LoadFailure) -> Option<&'static str> {
    let message = &failure.message;
    let reasons = [
        ("the tag ", "tags"),
        ("more than one YAML document", "several documents"),
        ("duplicate key", "duplicate keys"),
        ("a mapping key is a", "keys that are lists or mappings"),
        ("the file is empty", "no document"),
        ("not a finite number", "NaN and infinities"),
    ];
    if failure.kind == FailureKind::Limit {
        return Some("limits");
    }
    reasons
        .iter()
        .find(|(says, _)| message.contains(says))
        .map(|(_, reason)| *reason)
}

fn judge(folder: &Path) -> Outcome {
    let text = match std::fs::read_to_string(folder.join("in.yaml")) {
        Ok(text) => text,
        Err(error) => return Outcome::Fail(format!("unreadable: {error}")),
    };
    let invalid = folder.join("error").exists();
    let source = SourceFile::new(folder.display().to_string(), text);
    let loaded = std::panic::catch_unwind(|| load::parse(&source, &Limits::default()));
    let Ok(loaded) = loaded else {
        return Outcome::Fail("panicked".to_owned());
    };
    match (loaded, invalid) {
        (Err(_), true) => Outcome::Pass,
        (Ok(_), true) => Outcome::Fail("invalid YAML was loaded".to_owned()),
        (Err(failure), false) => match documented_refusal(&failure) {
            Some(reason) => Outcome::Skip(reason),
            None => Outcome::Fail(format!("refused: {}", failure.message)),
        },
        (Ok(root), false) => compare(&root, &folder.join("in.json")),
    }
}

fn compare(root: &Node, expected: &Path) -> Outcome {
    let Ok(json) = std::fs::read_to_string(expected) else {
        return Outcome::Pass;
    };
    let documents: Result<Vec<Json>, _> = serde_json::Deserializer::from_str(&json)
        .into_iter()
        .collect();
    let got = govlint::load::to_json(root);
    match documents.as_deref() {
        Ok([want]) if same(&got, want) => Outcome::Pass,
        Ok([want]) => Outcome::Fail(format!("loaded {got}, expected {want}")),
        Ok(other) => Outcome::Fail(format!("loaded one document, expected {}", other.len())),
        Err(error) => Outcome::Fail(format!("in.json: {error}")),
    }
}

/// JSON equality, with numbers compared by value (`1.0` in `in.json` is the
/// integer 1) and mappings compared whatever their order.
fn same(got: &Json, want: &Json) -> bool {
    match (got, want) {
        (Json::Number(a), Json::Number(b)) => a.as_f64() == b.as_f64(),
        (Json::Array(a), Json::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
        }
        (Json::Object(a), Json::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, va)| b.get(key).is_some_and(|vb| same(va, vb)))
        }
        _ => got == want,
    }
}

fn cases(folder: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    entries.sort();
    for entry in entries {
        if entry.join("in.yaml").exists() {
            found.push(entry);
        } else {
            cases(&entry, found);
        }
    }
}

#[test]
fn the_yaml_test_suite() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/yaml-test-suite");
    let mut folders = Vec::new();
    cases(&root, &mut folders);
    let (mut passed, mut skipped, mut failed) = (0, BTreeMap::new(), Vec::new());
    for folder in &folders {
        let case = folder.strip_prefix(&root).unwrap().display().to_string();
        match judge(folder) {
            Outcome::Pass => passed += 1,
            Outcome::Skip(reason) => *skipped.entry(reason).or_insert(0) += 1,
            Outcome::Fail(why) => failed.push(format!("{case}: {why}")),
        }
    }
    let skips: usize = skipped.values().sum();
    let reasons: Vec<String> = skipped
        .iter()
        .map(|(reason, count)| format!("{reason} {count}"))
        .collect();
    println!(
        "yaml test suite: {passed}/{} cases pass ({skips} skipped: {})",
        folders.len(),
        reasons.join(", ")
    );
    assert!(folders.len() > 300, "the suite's cases are missing");
    assert!(
        failed.is_empty(),
        "{} failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}
