//! The example packs in `examples/`: an amendment is a data change, another body's
//! bylaws need no Rust, and a pack's own tests catch a broken rule.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{field, findings_of, govlint, stdout};

use serde_json::Value;
use std::path::Path;

const AMENDED: &str = "examples/amended-ilgsse";
const COOP: &str = "examples/coop-board";
const THREE_YEAR_TERM: &str =
    "examples/amended-ilgsse/fixtures/presidency-term-length/pass-amended.yaml";
const TWO_YEAR_TERM_FROM_2021: &str =
    "examples/amended-ilgsse/fixtures/presidency-term-length/fail-amended.yaml";
const COOP_RULES: [&str; 4] = [
    "board-term-length",
    "chair-not-treasurer",
    "meeting-quorum",
    "meetings-per-year",
];

/// `govlint check --format json`, with `--rules DIR` when a pack is given.
fn json(rules: Option<&str>, file: &str) -> (i32, Value) {
    let mut args = vec!["check", "--format", "json"];
    if let Some(dir) = rules {
        args.extend_from_slice(&["--rules", dir]);
    }
    args.push(file);
    let output = govlint(&args);
    let value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", stdout(&output)));
    (output.status.code().unwrap(), value)
}

/// (rule, path, line) of every finding.
fn findings(report: &Value) -> Vec<(String, String, u64)> {
    let line = |f: &Value| f["line"].as_u64().unwrap();
    findings_of(report)
        .iter()
        .map(|f| (field(f, "rule"), field(f, "path"), line(f)))
        .collect()
}

fn finding(rule: &str, path: &str, line: u64) -> (String, String, u64) {
    (rule.to_owned(), path.to_owned(), line)
}

/// `govlint test --rules DIR`: exit code and output.
fn self_test(dir: &str) -> (i32, String) {
    let output = govlint(&["test", "--rules", dir]);
    (output.status.code().unwrap(), stdout(&output))
}

#[test]
fn example_packs_pass_their_own_tests() {
    for dir in [AMENDED, COOP] {
        let (code, out) = self_test(dir);
        assert_eq!(code, 0, "{dir}:\n{out}");
        assert!(out.contains(" passed, 0 failed\n"), "{dir}:\n{out}");
        assert!(!out.contains("FAIL"), "{dir}:\n{out}");
    }
}

#[test]
fn a_record_too_coarse_to_place_against_an_amendment_breaks_the_rule_only_under_every_version() {
    // Terms from `2021` against an amendment from 2021-06-15: two years fits
    // the first version, three the second, four neither.
    let (code, out) = self_test("tests/data/midyear-amendment/pack");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(" passed, 0 failed"), "{out}");
    assert!(!out.contains("FAIL"), "{out}");
}

#[test]
fn a_three_year_term_from_2021_passes_only_the_amended_pack() {
    // The fixture keeps every other rule, so the term is the only finding.
    let (code, report) = json(Some(AMENDED), THREE_YEAR_TERM);
    assert_eq!((code, findings(&report)), (0, vec![]));

    let (code, report) = json(None, THREE_YEAR_TERM);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        [finding("presidency-term-length", "/presidencies/1/end", 29)]
    );
    assert_eq!(
        report["findings"][0]["message"],
        "the presidency of `MA` lasts 3 years, not 2 years"
    );
}

#[test]
fn a_two_year_term_from_2021_fails_only_the_amended_pack() {
    let (code, report) = json(Some(AMENDED), TWO_YEAR_TERM_FROM_2021);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        [finding("presidency-term-length", "/presidencies/1/end", 29)]
    );
    assert_eq!(
        report["findings"][0]["message"],
        "the presidency of `MA` lasts 2 years, not 3 years"
    );
    assert_eq!(
        report["findings"][0]["help"],
        "end this term at 2024-09, 3 years after it starts"
    );

    let (code, report) = json(None, TWO_YEAR_TERM_FROM_2021);
    assert_eq!((code, findings(&report)), (0, vec![]));
}

#[test]
fn terms_before_the_amendment_keep_two_years() {
    // The built-in fixture's terms all start before 2021: same verdict in both packs.
    let file = "fixtures/rules/presidency-term-length/fail.yaml";
    let term_length = |report: &Value| {
        findings(report)
            .into_iter()
            .filter(|(rule, _, _)| rule == "presidency-term-length")
            .collect::<Vec<_>>()
    };
    let (_, builtin) = json(None, file);
    let (_, amended) = json(Some(AMENDED), file);
    assert_eq!(findings(&builtin), findings(&amended));
    assert_eq!(
        term_length(&amended),
        [finding("presidency-term-length", "/presidencies/1/end", 10)]
    );
}

#[test]
fn explain_shows_both_parameter_versions() {
    let output = govlint(&["explain", "presidency-term-length", "--rules", AMENDED]);
    assert_eq!(output.status.code(), Some(0));
    let out = stdout(&output);
    assert!(out.contains("from the start: term_years = 2\n"), "{out}");
    assert!(out.contains("from 2021: term_years = 3 ("), "{out}");

    let builtin = stdout(&govlint(&["explain", "presidency-term-length"]));
    assert!(
        builtin.contains("from the start: term_years = 2\n"),
        "{builtin}"
    );
    assert!(!builtin.contains("from 2021"), "{builtin}");
}

#[test]
fn coop_pack_lists_its_rules() {
    let out = stdout(&govlint(&["rules", "--rules", COOP]));
    let ids: Vec<&str> = out
        .lines()
        .filter(|line| !line.ends_with("(govlint)"))
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert_eq!(ids, COOP_RULES);
    assert!(
        out.contains("waiver-unused"),
        "the engine's own codes are listed too: {out}"
    );
}

#[test]
fn coop_failing_fixture_reports_each_rule_at_its_line() {
    let (code, report) = json(
        Some(COOP),
        "examples/coop-board/fixtures/several-breaches.yaml",
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        [
            finding("board-term-length", "/members/2/term_ends", 11),
            finding("chair-not-treasurer", "/members/5/role", 14),
            finding("meetings-per-year", "/meetings", 19),
            finding("meeting-quorum", "/meetings/1/attendees", 21),
        ]
    );
    let quorum = &report["findings"][3];
    assert_eq!(
        quorum["message"],
        "the meeting of 2024-06-13 is not quorate: 2 of the 5 board members attend"
    );
    assert_eq!(
        quorum["clause"],
        "Article 5.2, Meetings of the board: \"A meeting is quorate when a majority of the board attends. The board decides only at quorate meetings.\""
    );
    assert_eq!(report["summary"]["errors"], 4);

    let (code, report) = json(Some(COOP), "examples/coop-board/fixtures/board.yaml");
    assert_eq!((code, findings(&report)), (0, vec![]));
}

#[test]
fn coop_records_are_checked_against_the_coop_schema() {
    // The built-in pack's schema does not describe a cooperative's board.
    let (code, report) = json(None, "examples/coop-board/fixtures/board.yaml");
    assert_eq!(code, 1);
    assert!(
        findings(&report)
            .iter()
            .all(|(rule, _, _)| rule == "schema"),
        "{report}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn negating_a_rule_makes_its_own_tests_fail() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(COOP);
    for rule in COOP_RULES {
        let temp = tempfile::tempdir().unwrap();
        copy_dir(&source, temp.path());
        let file = temp.path().join(format!("{rule}.yaml"));
        let text = std::fs::read_to_string(&file).unwrap();
        let (before, rest) = text.split_once("  - assert: ").unwrap();
        let (condition, after) = rest.split_once('\n').unwrap();
        assert!(!condition.contains('"'), "{rule}: {condition}");
        std::fs::write(
            &file,
            format!("{before}  - assert: \"!({condition})\"\n{after}"),
        )
        .unwrap();

        let (code, out) = self_test(temp.path().to_str().unwrap());
        assert_eq!(code, 1, "{rule}:\n{out}");
        assert!(out.contains(&format!("FAIL  {rule}  ")), "{rule}:\n{out}");
        assert!(!out.contains(" 0 failed"), "{rule}:\n{out}");
    }
}
