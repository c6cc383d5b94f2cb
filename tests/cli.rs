//! The command-line contract: exit codes, outputs and diagnostics, as a user sees them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{field, findings_of, govlint, stderr, stdout};

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

fn json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let output = govlint(&all);
    let value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", stdout(&output)));
    (output.status.code().unwrap(), value)
}

/// (rule, line) of every finding.
fn rules_and_lines(report: &Value) -> Vec<(String, u64)> {
    let line = |f: &Value| f["line"].as_u64().unwrap();
    findings_of(report)
        .iter()
        .map(|f| (field(f, "rule"), line(f)))
        .collect()
}

#[test]
fn bad_input_gives_one_clear_finding_at_its_line() {
    let cases = [
        ("malformed.yaml", "yaml-syntax", 3),
        ("wrong-type.yaml", "schema", 5),
        ("misspelt-category.yaml", "schema", 5),
        ("misspelt-field.yaml", "schema", 7),
        ("impossible-month.yaml", "invalid-date", 7),
        ("impossible-day.yaml", "invalid-date", 7),
        ("duplicate-key.yaml", "yaml-syntax", 3),
        ("empty.yaml", "yaml-syntax", 1),
        ("binary.yaml", "yaml-syntax", 4),
    ];
    for (file, rule, line) in cases {
        let (code, report) = json(&[&format!("tests/data/bad/{file}")]);
        assert_eq!(code, 1, "{file}");
        assert_eq!(
            rules_and_lines(&report),
            [(rule.to_owned(), line)],
            "{file}"
        );
    }
}

#[test]
fn a_file_of_comments_and_a_key_that_is_a_list_are_yaml_syntax_findings() {
    for (file, line) in [("only-comments.yaml", 1), ("list-key.yaml", 3)] {
        let (code, report) = json(&[&format!("tests/data/yaml-gaps/{file}")]);
        assert_eq!(code, 1, "{file}");
        assert_eq!(
            rules_and_lines(&report),
            [("yaml-syntax".to_owned(), line)],
            "{file}"
        );
    }
}

#[test]
fn misspellings_get_did_you_mean() {
    let (_, report) = json(&["tests/data/bad/misspelt-category.yaml"]);
    assert_eq!(
        report["findings"][0]["help"],
        "did you mean `member_state`?"
    );
    let (_, report) = json(&["tests/data/bad/misspelt-field.yaml"]);
    assert_eq!(report["findings"][0]["message"], "unknown field `holdr`");
    assert_eq!(report["findings"][0]["help"], "did you mean `holder`?");
}

#[test]
fn exit_codes_follow_the_contract() {
    let clean = govlint(&[
        "check",
        "fixtures/rules/presidency-term-length/pass.yaml",
        "--rules",
        "tests/data/one-rule-pack",
    ]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    let failing = govlint(&[
        "check",
        "fixtures/rules/presidency-term-length/fail.yaml",
        "--rules",
        "tests/data/one-rule-pack",
    ]);
    assert_eq!(failing.status.code(), Some(1));
    let missing = govlint(&["check", "no/such/file.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("cannot read `no/such/file.yaml`"),
        "{}",
        stderr(&missing)
    );
    let bad_date = govlint(&[
        "check",
        "--as-of",
        "2015-13",
        "fixtures/ilgsse-vade-mecum.yaml",
    ]);
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(stderr(&bad_date).contains("month `13` is out of range"));
    let bad_flag = govlint(&["check", "--format", "yaml"]);
    assert_eq!(bad_flag.status.code(), Some(2));
}

#[test]
fn a_missing_file_does_not_hide_the_findings_of_the_others() {
    let output = govlint(&[
        "check",
        "--format",
        "json",
        "tests/data/bad/malformed.yaml",
        "no/such/file.yaml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["errors"], 1);
}

#[test]
fn a_broken_rule_pack_is_reported_in_its_files_before_any_check() {
    let output = govlint(&[
        "check",
        "--rules",
        "tests/data/broken-pack",
        "tests/data/bad/malformed.yaml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let errors = stderr(&output);
    assert!(stdout(&output).is_empty(), "nothing was checked");
    assert!(
        errors.contains("unknown name `trem`; did you mean `term`?"),
        "{errors}"
    );
    assert!(errors.contains("broken-rule.yaml:10:13"), "{errors}");
    assert!(errors.contains("bad-syntax.yaml:7:13"), "{errors}");
    assert!(
        errors.contains("dates are not compared with `>`; use `after(a, b)`"),
        "{errors}"
    );
    assert!(
        errors.contains("the rule pack is invalid (3 problems)"),
        "{errors}"
    );
}

#[test]
fn standard_input_is_read_when_no_path_is_given() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_govlint"))
        .args([
            "check",
            "--format",
            "json",
            "--rules",
            "tests/data/one-rule-pack",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let text = std::fs::read("fixtures/rules/presidency-term-length/fail.yaml").unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["findings"][0]["file"], "<stdin>");
    assert_eq!(report["findings"][0]["path"], "/presidencies/1/end");
}

#[test]
fn folders_are_expanded_to_their_yaml_files_in_sorted_order() {
    let (_, report) = json(&["tests/data/bad"]);
    let files: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let mut sorted = files.clone();
    sorted.sort_unstable();
    assert_eq!(files, sorted);
    assert_eq!(files.len(), 9);
}

#[test]
fn as_of_on_the_command_line_overrides_the_file() {
    let (_, at_file_date) = json(&[
        "--rules",
        "tests/data/one-rule-pack",
        "fixtures/rules/presidency-term-length/fail.yaml",
    ]);
    let (_, overridden) = json(&[
        "--rules",
        "tests/data/one-rule-pack",
        "--as-of",
        "2016",
        "fixtures/rules/presidency-term-length/fail.yaml",
    ]);
    // The one-rule pack's rule reports the evaluation date in its message.
    assert!(
        at_file_date["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("as of 2020")
    );
    assert!(
        overridden["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("as of 2016")
    );
}

#[test]
fn human_output_is_pinned() {
    let output = govlint(&[
        "check",
        "--rules",
        "tests/data/one-rule-pack",
        "fixtures/rules/presidency-term-length/fail.yaml",
    ]);
    insta::assert_snapshot!("human_term_length", stdout(&output));
    let output = govlint(&[
        "check",
        "tests/data/bad/misspelt-field.yaml",
        "tests/data/bad/impossible-day.yaml",
    ]);
    insta::assert_snapshot!("human_bad_input", stdout(&output));
}

#[test]
fn json_output_is_pinned() {
    let output = govlint(&[
        "check",
        "--format",
        "json",
        "--rules",
        "tests/data/one-rule-pack",
        "fixtures/rules/presidency-term-length/fail.yaml",
    ]);
    let text = stdout(&output).replace(env!("CARGO_PKG_VERSION"), "[version]");
    insta::assert_snapshot!("json_term_length", text);
}

#[test]
fn rules_and_explain_describe_the_pack() {
    let listing = stdout(&govlint(&["rules"]));
    assert!(listing.contains("presidency-term-length"), "{listing}");
    let explained = govlint(&["explain", "presidency-term-length"]);
    assert_eq!(explained.status.code(), Some(0));
    assert!(stdout(&explained).contains("two-year rotating presidency"));
    let unknown = govlint(&["explain", "presidency-term-lenght"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("did you mean `presidency-term-length`?"));
}

#[test]
fn explain_says_when_each_built_in_rule_reports_what() {
    let listed = stdout(&govlint(&["rules"]));
    let ids: Vec<&str> = listed
        .lines()
        .filter(|line| !line.ends_with("(govlint)"))
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(ids.len() >= 20, "{listed}");
    for id in ids {
        let out = stdout(&govlint(&["explain", id]));
        for heading in [
            "What it reports\n  A contradiction (",
            "\n  \"Not recorded\" (warning)\n    ",
            "\n  Nothing\n    ",
        ] {
            assert!(out.contains(heading), "{id}: no `{heading}` in\n{out}");
        }
        assert!(
            out.lines().all(|line| line.chars().count() <= 80),
            "{id}: explain fits 80 columns\n{out}"
        );
    }
}

#[test]
fn the_built_in_pack_passes_its_own_fixtures() {
    let output = govlint(&["test"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains(" passed, 0 failed"));
}

#[test]
fn schemas_are_printed_for_editors() {
    for which in ["snapshot", "rules"] {
        let output = govlint(&["schema", which]);
        assert_eq!(output.status.code(), Some(0));
        let schema: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert!(schema["$schema"].as_str().unwrap().contains("draft-07"));
    }
}

#[test]
fn a_live_waiver_excuses_its_finding_which_stays_visible() {
    let (code, report) = json(&[
        "--rules",
        "tests/data/one-rule-pack",
        "tests/data/waivers/live.yaml",
    ]);
    assert_eq!(code, 0, "a waived finding never fails the run");
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "presidency-term-length");
    assert_eq!(
        finding["waived"],
        "term extended by a year by consensus, to host the 2020 summit"
    );
    assert_eq!(report["summary"]["waived"], 1);
    assert_eq!(report["summary"]["errors"], 0);
    let human = stdout(&govlint(&[
        "check",
        "--rules",
        "tests/data/one-rule-pack",
        "tests/data/waivers/live.yaml",
    ]));
    assert!(
        human.contains("(waived) the presidency of `LU` lasts 3 years"),
        "{human}"
    );
    assert!(human.contains("1 waived"), "{human}");
}

#[test]
fn a_waiver_on_a_member_excuses_what_the_rules_find_about_its_joining() {
    // member-application points inside the member's record, so the waiver a
    // secretariat writes on the member excuses it.
    let (code, report) = json(&["tests/data/waivers/member.yaml"]);
    let findings = report["findings"].as_array().unwrap();
    let application: Vec<&Value> = findings
        .iter()
        .filter(|f| f["rule"] == "member-application")
        .collect();
    assert_eq!(application.len(), 1, "{report:#}");
    assert_eq!(application[0]["path"], "/members/1/since");
    assert_eq!(
        application[0]["waived"],
        "Morocco joined on the presidency's invitation; its letter followed"
    );
    assert!(
        findings.iter().all(|f| f["rule"] != "waiver-unused"),
        "{report:#}"
    );
    assert_eq!(report["summary"]["errors"], 0, "{report:#}");
    assert_eq!(code, 0);
}

#[test]
fn stale_and_ill_aimed_waivers_are_reported_and_excuse_nothing() {
    let (code, report) = json(&[
        "--rules",
        "tests/data/one-rule-pack",
        "tests/data/waivers/stale.yaml",
    ]);
    assert_eq!(code, 1);
    let found: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("presidency-term-length", "/presidencies/1/end"),
            ("waiver-expired", "/waivers/0/expires"),
            ("waiver-unused", "/waivers/1/target"),
            ("waiver-target", "/waivers/2/rule"),
            ("waiver-target", "/waivers/3/target"),
        ]
    );
    assert!(
        report["findings"][0]["waived"].is_null(),
        "an expired waiver excuses nothing"
    );
    assert_eq!(
        report["findings"][3]["help"],
        "did you mean `presidency-term-length`?"
    );
}

#[test]
fn deny_warnings_makes_warnings_fail() {
    let args = [
        "check",
        "--rules",
        "tests/data/one-rule-pack",
        "tests/data/waivers/unused.yaml",
    ];
    assert_eq!(govlint(&args).status.code(), Some(0));
    let mut strict = args.to_vec();
    strict.push("--deny-warnings");
    assert_eq!(govlint(&strict).status.code(), Some(1));
}

#[test]
fn output_goes_to_the_named_file_and_never_to_the_input() {
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("report.json");
    let input = "fixtures/rules/presidency-term-length/fail.yaml";
    let before = std::fs::read(input).unwrap();
    let output = govlint(&[
        "check",
        "--rules",
        "tests/data/one-rule-pack",
        "--format",
        "json",
        "--output",
        target.to_str().unwrap(),
        input,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let report: Value = serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(report["summary"]["errors"], 1);
    assert_eq!(
        std::fs::read(input).unwrap(),
        before,
        "the checked file is untouched"
    );
    let leftovers = std::fs::read_dir(folder.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file is left behind");
}

#[test]
fn a_loop_of_extends_is_refused_with_a_clear_error() {
    let output = govlint(&["rules", "--rules", "tests/data/loop-pack"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("loop of `extends`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_real_snapshot_report_is_pinned() {
    let output = govlint(&["check", "fixtures/ilgsse-vade-mecum.yaml"]);
    // The text supports no error: what it does not record is only warned about.
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!("human_vade_mecum", stdout(&output));
}

#[test]
fn parallel_output_is_identical_to_a_serial_run() {
    let run = |threads: &str| {
        Command::new(env!("CARGO_BIN_EXE_govlint"))
            .args(["check", "--format", "json", "fixtures"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap()
    };
    let serial = run("1");
    let parallel = run("4");
    assert_eq!(serial.status.code(), parallel.status.code());
    assert_eq!(stdout(&serial), stdout(&parallel));
    let report: Value = serde_json::from_slice(&parallel.stdout).unwrap();
    assert!(
        report["files"].as_array().unwrap().len() > 50,
        "the whole fixtures folder"
    );
}
