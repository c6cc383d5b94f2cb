//! `govlint test` says everything a rule author wants held: the verdict of
//! each expected finding, the silence of a rule a pack switched off, and where
//! each fixture is (in the author's folder, or in the pack it comes from).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{govlint, pack_folder, stdout};

/// A pack of one rule, small enough that its self-test is quick.
const ONE_RULE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/one-rule-pack");

/// A pack extending the pack of one rule, with `files` beside its manifest.
fn pack_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    pack_folder(
        &format!("name: mine\ntitle: Mine\nextends: {ONE_RULE}\n"),
        files,
    )
}

/// `govlint test --rules DIR`: exit code and the lines about `rule`.
fn self_test(dir: &tempfile::TempDir, rule: &str) -> (Option<i32>, String) {
    let output = govlint(&["test", "--rules", dir.path().to_str().unwrap()]);
    let mut lines = stdout(&output)
        .lines()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    // A failure's reason is on the lines below it.
    let mut keep = false;
    lines.retain(|line| {
        if !line.starts_with(' ') {
            keep = line.contains(&format!("  {rule}  "));
        }
        keep
    });
    (output.status.code(), lines.join("\n"))
}

const TERM_FAILS: &str = "fixtures/rules/presidency-term-length/fail.yaml";

/// Fixtures beside the override: a copy of a built-in one.
fn fixture(name: &str) -> (String, String) {
    (
        format!("fixtures/{name}"),
        std::fs::read_to_string(name).unwrap(),
    )
}

#[test]
fn an_expectation_names_the_verdict_and_fails_on_the_other() {
    let (name, text) = fixture(TERM_FAILS);
    let override_with = |verdict: &str| {
        format!(
            "overrides: presidency-term-length\ntests:\n  - file: {name}\n    expect:\n      \
             - {{at: /presidencies/1/end, verdict: {verdict}}}\n"
        )
    };
    let right = pack_with(&[
        ("term.yaml", &override_with("contradiction")),
        (&name, &text),
    ]);
    let (_, out) = self_test(&right, "presidency-term-length");
    assert!(
        out.contains(&format!("ok    presidency-term-length  {name}\n")),
        "{out}"
    );
    let wrong = pack_with(&[
        ("term.yaml", &override_with("not-recorded")),
        (&name, &text),
    ]);
    let (code, out) = self_test(&wrong, "presidency-term-length");
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&format!("FAIL  presidency-term-length  {name}")),
        "{out}"
    );
    assert!(
        out.contains("expected presidency-term-length (not-recorded) at `/presidencies/1/end`"),
        "{out}"
    );
    assert!(
        out.contains("error presidency-term-length (contradiction)"),
        "{out}"
    );
}

#[test]
fn a_disabled_rule_is_held_to_silence_by_the_tests_its_override_gives() {
    let (name, text) = fixture(TERM_FAILS);
    let disabled = |expect: &str| {
        format!(
            "overrides: presidency-term-length\ndisabled: terms are not fixed here\n\
             tests:\n  - file: {name}\n{expect}"
        )
    };
    let silent = pack_with(&[("term.yaml", &disabled("")), (&name, &text)]);
    let (_, out) = self_test(&silent, "presidency-term-length");
    assert_eq!(
        out,
        format!("ok    presidency-term-length  {name}"),
        "the override's case runs, and only it"
    );
    let expecting = pack_with(&[
        (
            "term.yaml",
            &disabled("    expect:\n      - at: /presidencies/1/end\n"),
        ),
        (&name, &text),
    ]);
    let (code, out) = self_test(&expecting, "presidency-term-length");
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(
            "(`presidency-term-length` is disabled by pack `mine`, so it reports nothing)"
        ),
        "{out}"
    );
}

#[test]
fn fixtures_are_named_where_the_author_finds_them() {
    let (name, text) = fixture(TERM_FAILS);
    let adding = format!(
        "overrides: presidency-term-length\ntests:\n  - file: {name}\n    expect:\n      \
         - {{at: /presidencies/1/end}}\n"
    );
    let pack = pack_with(&[("term.yaml", &adding), (&name, &text)]);
    let (_, out) = self_test(&pack, "presidency-term-length");
    // Its own, by their place in its folder.
    assert!(
        out.contains(&format!("ok    presidency-term-length  {name}\n")),
        "{out}"
    );
    // Inherited, by their pack and their place there.
    assert!(
        out.contains(
            "ok    presidency-term-length  ../../../fixtures/rules/presidency-term-length/pass.yaml (pack `one-rule`)\n"
        ),
        "{out}"
    );
    assert!(out.contains("docs.pass (pack `one-rule`)"), "{out}");
}

/// How many findings every rule of the pack at `rules` reports in `path`.
fn findings_in(rules: &str, path: &str) -> usize {
    let output = govlint(&["check", "--format", "json", "--rules", rules, path]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    common::findings_of(&report).len()
}

#[test]
fn a_new_rule_starts_a_pack_named_after_its_folder_with_a_fixture_nothing_fires_on() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("board-rules");
    let pack = folder.to_str().unwrap();
    let output = govlint(&["new", "rule", "board-size", "--rules", pack]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let manifest = std::fs::read_to_string(folder.join("pack.yaml")).unwrap();
    assert!(manifest.contains("name: board-rules\n"), "{manifest}");
    let rule = std::fs::read_to_string(folder.join("board-size.yaml")).unwrap();
    assert!(
        rule.contains("title: \"Say here, in one sentence, what the records must show"),
        "{rule}"
    );
    // Its passing fixture shows no finding from any rule, its own or inherited.
    let pass = folder.join("fixtures/board-size/pass.yaml");
    assert_eq!(findings_in(pack, pass.to_str().unwrap()), 0);
}
