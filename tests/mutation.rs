//! Every check of the built-in pack is guarded by its fixtures: negate any one
//! assert and `govlint test` must go red for that rule. A check no fixture can
//! tell from its negation would be a check nobody tests.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use govlint::pack::{Pack, PackFiles};
use serde_json::Value;
use std::path::{Path, PathBuf};

const RULES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");

/// A rule file as JSON (which is YAML too), with relative paths made absolute.
fn rule_as_json(path: &Path) -> Value {
    let mut rule: Value = serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for case in rule["tests"].as_array_mut().into_iter().flatten() {
        let file = case["file"].as_str().unwrap();
        case["file"] = Value::from(format!("{RULES}/{file}"));
    }
    rule
}

fn copy_pack(to: &Path) {
    let manifest = std::fs::read_to_string(format!("{RULES}/pack.yaml")).unwrap();
    std::fs::write(
        to.join("pack.yaml"),
        manifest.replace("schema: ../", &format!("schema: {RULES}/../")),
    )
    .unwrap();
}

fn rule_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(RULES)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "yaml") && !path.ends_with("pack.yaml")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn negating_any_assert_makes_the_rules_own_tests_fail() {
    let folder = tempfile::tempdir().unwrap();
    copy_pack(folder.path());
    let files = rule_files();
    assert!(files.len() >= 20);
    for file in &files {
        std::fs::write(
            folder.path().join(file.file_name().unwrap()),
            rule_as_json(file).to_string(),
        )
        .unwrap();
    }
    let mut unguarded = Vec::new();
    for file in &files {
        let original = rule_as_json(file);
        let id = original["id"].as_str().unwrap();
        let target = folder.path().join(file.file_name().unwrap());
        for index in 0..original["checks"].as_array().unwrap().len() {
            let mut mutant = original.clone();
            let assert = mutant["checks"][index]["assert"]
                .as_str()
                .unwrap()
                .to_owned();
            mutant["checks"][index]["assert"] = Value::from(format!("!({assert})"));
            std::fs::write(&target, mutant.to_string()).unwrap();
            let pack = Pack::load(PackFiles::Disk(folder.path().to_path_buf()))
                .unwrap_or_else(|problem| panic!("{id}: the mutant pack loads: {problem:?}"));
            let caught = govlint::cli::selftest::cases(&pack)
                .iter()
                .any(|result| result.rule == id && result.problem.is_some());
            if !caught {
                unguarded.push(format!("{id}, check {}: `{assert}`", index + 1));
            }
        }
        std::fs::write(&target, original.to_string()).unwrap();
    }
    assert!(
        unguarded.is_empty(),
        "checks whose negation no fixture notices:\n{}",
        unguarded.join("\n")
    );
}
