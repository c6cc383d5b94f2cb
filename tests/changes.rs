//! Reporting only what changed: `--base REV` against a git revision, and
//! `--baseline FILE` against accepted findings. Both rely on fingerprints,
//! which a finding keeps when only its lines move.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::stderr;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const RECORDS: &str = "fixtures/rules/presidency-term-length/fail.yaml";

/// `govlint ARGS…` run in `folder`.
fn govlint_in(folder: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_govlint"))
        .args(args)
        .current_dir(folder)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn json_in(folder: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let output = govlint_in(folder, &all);
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", stderr(&output)));
    (output.status.code(), report)
}

fn git(folder: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(folder)
        .env("GIT_AUTHOR_NAME", "test")
        .env("GIT_AUTHOR_EMAIL", "test@example.org")
        .env("GIT_COMMITTER_NAME", "test")
        .env("GIT_COMMITTER_EMAIL", "test@example.org")
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// The records with lines inserted above every finding, and one new term
/// that breaks the term length: what a commit might change.
fn edited(text: &str) -> String {
    text.replacen(
        "format: 1",
        "# Reviewed in 2020.\n# Nothing else changed.\nformat: 1",
        1,
    ) + "  - {holder: FR, start: 2020-09, end: 2023-09}\n"
}

fn rules_and_paths(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The new term's over-long end is reported, and nothing about the others.
fn assert_only_the_new_term(report: &Value) {
    let found = rules_and_paths(report);
    assert!(
        found.contains(&(
            "presidency-term-length".to_owned(),
            "/presidencies/2/end".to_owned()
        )),
        "{report:#}"
    );
    assert!(
        found
            .iter()
            .all(|(_, path)| path.starts_with("/presidencies/2")),
        "{report:#}"
    );
}

#[test]
fn a_revision_base_reports_only_what_the_last_commit_introduced() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path();
    let original =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(RECORDS)).unwrap();
    git(path, &["init", "--quiet"]);
    std::fs::write(path.join("records.yaml"), &original).unwrap();
    git(path, &["add", "records.yaml"]);
    git(path, &["commit", "--quiet", "--message", "records"]);
    std::fs::write(path.join("records.yaml"), edited(&original)).unwrap();
    git(
        path,
        &["commit", "--quiet", "--all", "--message", "a new term"],
    );

    let (_, alone) = json_in(path, &["records.yaml"]);
    let (code, since) = json_in(path, &["records.yaml", "--base", "HEAD~1"]);
    assert_eq!(code, Some(1), "{since:#}");
    // Luxembourg's over-long term only moved two lines down: not reported.
    // Only the new term's findings are.
    assert_only_the_new_term(&since);
    let total = alone["findings"].as_array().unwrap().len();
    let introduced = since["findings"].as_array().unwrap().len();
    assert_eq!(
        since["files"][0]["baseline"]["already_present"],
        total - introduced,
        "{since:#}"
    );
    assert_eq!(
        since["files"][0]["baseline"]["path"],
        "records.yaml at HEAD~1"
    );

    // Against the commit itself, nothing is new.
    let (code, same) = json_in(path, &["records.yaml", "--base", "HEAD"]);
    assert_eq!(code, Some(0), "{same:#}");
    assert!(same["findings"].as_array().unwrap().is_empty());

    // A file absent at the revision has an empty base: everything is new.
    std::fs::write(path.join("new.yaml"), &original).unwrap();
    let (_, fresh) = json_in(path, &["new.yaml", "--base", "HEAD"]);
    assert_eq!(
        fresh["findings"].as_array().unwrap().len(),
        total - introduced
    );
}

#[test]
fn an_unknown_revision_or_a_file_outside_git_is_a_clear_error() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path();
    std::fs::write(path.join("records.yaml"), "format: 1\n").unwrap();
    let outside = govlint_in(path, &["check", "records.yaml", "--base", "HEAD"]);
    assert_eq!(outside.status.code(), Some(2));
    assert!(
        stderr(&outside).contains("not in a git repository"),
        "{}",
        stderr(&outside)
    );

    git(path, &["init", "--quiet"]);
    git(path, &["add", "records.yaml"]);
    git(path, &["commit", "--quiet", "--message", "records"]);
    let unknown = govlint_in(path, &["check", "records.yaml", "--base", "no-such-branch"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("unknown revision `no-such-branch`"),
        "{}",
        stderr(&unknown)
    );
    let option = govlint_in(path, &["check", "records.yaml", "--base=--output=x"]);
    assert_eq!(option.status.code(), Some(2));
    assert!(!path.join("x").exists());
}

#[test]
fn a_baseline_adopts_the_findings_of_today_and_reports_only_new_ones() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path();
    let original =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(RECORDS)).unwrap();
    std::fs::write(path.join("records.yaml"), &original).unwrap();
    let (code, _) = json_in(path, &["records.yaml", "--write-baseline", "baseline.json"]);
    assert_eq!(
        code,
        Some(1),
        "writing the baseline does not hide anything yet"
    );
    let (code, adopted) = json_in(path, &["records.yaml", "--baseline", "baseline.json"]);
    assert_eq!(code, Some(0), "{adopted:#}");
    assert!(adopted["findings"].as_array().unwrap().is_empty());
    assert_eq!(adopted["files"][0]["baseline"]["path"], "baseline.json");

    std::fs::write(path.join("records.yaml"), edited(&original)).unwrap();
    let (code, later) = json_in(path, &["records.yaml", "--baseline", "baseline.json"]);
    assert_eq!(code, Some(1));
    assert_only_the_new_term(&later);
    let broken = govlint_in(
        path,
        &["check", "records.yaml", "--baseline", "records.yaml"],
    );
    assert_eq!(broken.status.code(), Some(2));
    assert!(
        stderr(&broken).contains("is not a baseline file"),
        "{}",
        stderr(&broken)
    );
}

#[test]
fn sarif_fingerprints_survive_lines_inserted_above() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path();
    let original =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(RECORDS)).unwrap();
    let fingerprints = |text: &str| -> Vec<(String, String)> {
        std::fs::write(path.join("records.yaml"), text).unwrap();
        let output = govlint_in(path, &["check", "--format", "sarif", "records.yaml"]);
        let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
        let mut found: Vec<(String, String)> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|result| {
                (
                    result["ruleId"].as_str().unwrap().to_owned(),
                    result["partialFingerprints"]["govlint/v2"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                )
            })
            .collect();
        found.sort();
        found
    };
    let before = fingerprints(&original);
    let moved =
        fingerprints(&original.replacen("format: 1", "# A note.\n\n# Another.\nformat: 1", 1));
    assert!(!before.is_empty());
    assert_eq!(before, moved);
}
