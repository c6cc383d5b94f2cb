//! The example packs in `examples/`: an amendment is a data change, another body's
//! bylaws need no Rust, and a pack's own tests catch a broken rule.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{field, findings_of, flat, govlint, stderr, stdout};

use serde_json::Value;
use std::path::Path;

const AMENDED: &str = "examples/amended-ilgsse";
const COOP: &str = "examples/coop-board";
const REGIONAL: &str = "examples/regional-ilgsse";
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
    for dir in [AMENDED, COOP, REGIONAL] {
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
        "the presidency of `MA` lasts 2 years, not the 3 years in force when it began"
    );
    // Its fix would leave a gap before the next term: `check` says it is held back.
    assert_eq!(
        report["findings"][0]["help"],
        "end this term at 2024-09, 3 years after it starts\nfix held back: end: 2023-09 → 2024-09 \
         (it would add a finding: `presidency-continuity` at /presidencies/2/start)"
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
    assert!(
        out.contains("from 2021, by `ilgsse-amended`: term_years = 3 ("),
        "{out}"
    );

    let builtin = stdout(&govlint(&["explain", "presidency-term-length"]));
    assert!(
        builtin.contains("from the start: term_years = 2\n"),
        "{builtin}"
    );
    assert!(!builtin.contains("from 2021"), "{builtin}");
}

#[test]
fn explain_shows_each_message_as_it_reads_under_each_version_or_at_a_date() {
    let explain = |extra: &[&str]| {
        let mut args = vec!["explain", "presidency-term-length", "--rules", AMENDED];
        args.extend_from_slice(extra);
        let output = govlint(&args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        flat(&stdout(&output))
    };
    let says = |years: u8| {
        format!(
            "the presidency of `${{term.holder}}` lasts ${{span(term.start, term.end)}}, not the {years} years in force when it began"
        )
    };
    let every = explain(&[]);
    assert!(
        every.contains(&format!("says, from the start: {}", says(2))),
        "{every}"
    );
    assert!(
        every.contains(&format!("says, from 2021: {}", says(3))),
        "{every}"
    );
    let at = explain(&["--at", "2022-03"]);
    assert!(
        at.contains("in force on 2022-03: from 2021, by `ilgsse-amended`: term_years = 3"),
        "{at}"
    );
    assert!(at.contains(&format!("says: {}", says(3))), "{at}");
    assert!(!at.contains("term_years = 2"), "{at}");
    let before = explain(&["--at", "2020"]);
    assert!(before.contains(&format!("says: {}", says(2))), "{before}");
    assert!(!before.contains(&says(3)), "{before}");
    let wrong = govlint(&["explain", "presidency-term-length", "--at", "2020-13"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains("--at: "), "{}", stderr(&wrong));
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

/// The rules (with their pointers and severities) `check --format json` reports
/// for `file`, under the pack in `rules` or the built-in one.
fn reported(rules: Option<&str>, file: &str, rule: &str) -> Vec<(String, String)> {
    let (_, report) = json(rules, file);
    findings_of(&report)
        .iter()
        .filter(|f| field(f, "rule") == rule)
        .map(|f| (field(f, "path"), field(f, "severity")))
        .collect()
}

fn at(path: &str, severity: &str) -> (String, String) {
    (path.to_owned(), severity.to_owned())
}

#[test]
fn extending_packs_copy_no_rule_file() {
    for dir in [AMENDED, REGIONAL] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            if Path::new("rules").join(&name).exists() && name != "pack.yaml" {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(text.contains("\noverrides: "), "{}", path.display());
                assert!(!text.contains("\nchecks:"), "{}", path.display());
            }
        }
    }
}

#[test]
fn a_schema_overlay_adds_a_member_field_without_copying_the_schema() {
    let file = "examples/regional-ilgsse/fixtures/member-state-region/pass.yaml";
    assert_eq!(
        reported(None, file, "schema"),
        [
            at("/members/0/region", "error"),
            at("/members/1/region", "error")
        ]
    );
    assert_eq!(reported(Some(REGIONAL), file, "schema"), []);
    // The inherited `additionalProperties: false` and the new field's enum hold.
    let temp = tempfile::tempdir().unwrap();
    let wrong = temp.path().join("wrong.yaml");
    let text = std::fs::read_to_string(file).unwrap();
    std::fs::write(
        &wrong,
        text.replace("region: europe", "region: mars")
            .replace("region: africa", "regoin: africa"),
    )
    .unwrap();
    assert_eq!(
        reported(Some(REGIONAL), wrong.to_str().unwrap(), "schema"),
        [
            at("/members/0/region", "error"),
            at("/members/1/regoin", "error")
        ]
    );
    let schema = stdout(&govlint(&["schema", "snapshot", "--rules", REGIONAL]));
    let schema: Value = serde_json::from_str(&schema).unwrap();
    let member = &schema["definitions"]["member"];
    assert_eq!(member["properties"]["region"]["enum"][0], "africa");
    assert_eq!(member["additionalProperties"], false);
    assert!(member["properties"]["category"].is_object());
}

#[test]
fn an_override_amends_an_inherited_parameter_from_a_date() {
    let file = "examples/regional-ilgsse/fixtures/annual-high-level-event/fail-one-in-2023.yaml";
    assert_eq!(
        reported(Some(REGIONAL), file, "annual-high-level-event"),
        [at("/events", "warning")]
    );
    assert_eq!(reported(None, file, "annual-high-level-event"), []);
    let out = stdout(&govlint(&[
        "explain",
        "annual-high-level-event",
        "--rules",
        REGIONAL,
    ]));
    assert!(
        out.contains("from the start: kind = \"high_level_event\", min = 1\n"),
        "{out}"
    );
    assert!(
        out.contains("from 2022, by `ilgsse-regional`: kind = \"high_level_event\", min = 2\n"),
        "{out}"
    );
    assert!(
        out.contains("pack `ilgsse`, changed by `ilgsse-regional`"),
        "{out}"
    );
}

#[test]
fn an_override_disables_an_inherited_rule_with_its_reason() {
    let file = "fixtures/rules/secretariat-run-by/fail.yaml";
    assert_ne!(reported(None, file, "secretariat-run-by"), []);
    assert_eq!(reported(Some(REGIONAL), file, "secretariat-run-by"), []);
    let listed = stdout(&govlint(&["rules", "--rules", REGIONAL]));
    let line = listed
        .lines()
        .find(|line| line.starts_with("secretariat-run-by "))
        .unwrap();
    assert!(line.contains("(disabled by `ilgsse-regional`: the regional group's secretariat is held by each presidency in turn"), "{line}");
    let out = stdout(&govlint(&[
        "explain",
        "secretariat-run-by",
        "--rules",
        REGIONAL,
    ]));
    assert!(out.contains("Disabled by `ilgsse-regional`\n"), "{out}");
    let junit = stdout(&govlint(&[
        "check", "--format", "junit", "--rules", REGIONAL, file,
    ]));
    assert!(
        junit.contains("<skipped message=\"disabled by ilgsse-regional: the regional group&apos;s"),
        "{junit}"
    );
}

#[test]
fn an_override_replaces_one_check_and_keeps_the_others() {
    let file =
        "examples/regional-ilgsse/fixtures/presidency-holder-member-state/pass-organization.yaml";
    let rule = "presidency-holder-member-state";
    assert_eq!(
        reported(None, file, rule),
        [at("/presidencies/1/holder", "error")]
    );
    assert_eq!(reported(Some(REGIONAL), file, rule), []);
    // The inherited checks 2 and 3 still report a holder that was not yet a member.
    let membership = "fixtures/rules/presidency-holder-member-state/fail-membership.yaml";
    assert_eq!(
        reported(Some(REGIONAL), membership, rule),
        reported(None, membership, rule)
    );
    let out = stdout(&govlint(&["explain", rule, "--rules", REGIONAL]));
    assert!(
        out.contains("1. (by `ilgsse-regional`) member.category in"),
        "{out}"
    );
    assert!(
        out.contains("2. !after(get(member, 'since', null), term.start)\n"),
        "{out}"
    );
}

#[test]
fn an_override_changes_a_rules_severity() {
    let file = "fixtures/rules/event-organized-by-presidency/fail.yaml";
    let rule = "event-organized-by-presidency";
    assert_eq!(
        reported(None, file, rule)[0],
        at("/events/0/organized_by", "warning")
    );
    assert_eq!(
        reported(Some(REGIONAL), file, rule)[0],
        at("/events/0/organized_by", "error")
    );
}

#[test]
fn sarif_says_where_each_rule_comes_from() {
    let file = "examples/regional-ilgsse/fixtures/member-state-region/pass.yaml";
    let output = govlint(&["check", "--format", "sarif", "--rules", REGIONAL, file]);
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let rule = |id: &str| rules.iter().find(|rule| rule["id"] == id).unwrap()["properties"].clone();
    assert_eq!(rule("member-state-region")["pack"], "ilgsse-regional");
    assert_eq!(
        rule("secretariat-run-by")["disabled"]["pack"],
        "ilgsse-regional"
    );
    assert_eq!(
        rule("annual-high-level-event")["params"][1]["pack"],
        "ilgsse-regional"
    );
    assert_eq!(rule("annual-high-level-event")["params"][1]["from"], "2022");
    assert_eq!(
        rule("presidency-holder-member-state")["changes"][0]["change"],
        "check 1 replaced"
    );
    assert_eq!(rule("presidency-rotates")["pack"], "ilgsse");
}

/// A pack extending the built-in one, with `files` beside its manifest.
fn pack_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(
        temp.path().join("pack.yaml"),
        "name: t\ntitle: T\nextends: builtin\nschema_overlay: overlay.yaml\n",
    )
    .unwrap();
    std::fs::write(temp.path().join("overlay.yaml"), "definitions: {}\n").unwrap();
    for (name, text) in files {
        std::fs::write(temp.path().join(name), text).unwrap();
    }
    temp
}

/// The problems `govlint rules` reports for a broken pack.
fn pack_errors(files: &[(&str, &str)]) -> String {
    let temp = pack_with(files);
    let output = govlint(&["rules", "--rules", temp.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    stderr(&output).replace(temp.path().to_str().unwrap(), "PACK")
}

#[test]
fn broken_overrides_are_reported_at_their_place() {
    let errors = pack_errors(&[(
        "a.yaml",
        "overrides: presidency-term-lenght\nseverity: warning\n",
    )]);
    assert!(
        errors.contains("no inherited rule `presidency-term-lenght` to override; did you mean"),
        "{errors}"
    );
    assert!(errors.contains("PACK/a.yaml:1:12"), "{errors}");

    let errors = pack_errors(&[(
        "a.yaml",
        "overrides: presidency-rotates\nreplace_checks:\n  3:\n    assert: 'true'\n    message: x\n",
    )]);
    assert!(
        errors.contains("there is no check 3: `presidency-rotates` has 1 check"),
        "{errors}"
    );
    assert!(errors.contains("PACK/a.yaml:4:13"), "{errors}");

    let errors = pack_errors(&[(
        "a.yaml",
        "overrides: presidency-rotates\nreplace_checks:\n  1:\n    assert: pear.next.holder != ''\n    message: x\n",
    )]);
    assert!(
        errors.contains("unknown name") || errors.contains("nxt"),
        "{errors}"
    );

    let errors = pack_errors(&[(
        "a.yaml",
        "overrides: presidency-term-length\namendments:\n  - from: 2021\n    params: {term_yaers: 3}\n",
    )]);
    assert!(
        errors.contains("the amendment changes `term_yaers`, which the rule's `params`"),
        "{errors}"
    );
    // At the parameter's name, not at `from`.
    assert!(errors.contains("PACK/a.yaml:4:14"), "{errors}");

    let errors = pack_errors(&[
        (
            "mine.yaml",
            &std::fs::read_to_string("examples/coop-board/meeting-quorum.yaml").unwrap(),
        ),
        ("a.yaml", "overrides: meeting-quorum\nseverity: warning\n"),
    ]);
    assert!(
        errors.contains("this pack defines `meeting-quorum` itself"),
        "{errors}"
    );
}

#[test]
fn a_misplaced_overlay_key_is_reported_at_its_place() {
    let temp = pack_with(&[]);
    std::fs::write(
        temp.path().join("overlay.yaml"),
        "definitions:\n  member:\n    region: {type: string}\n",
    )
    .unwrap();
    let output = govlint(&["rules", "--rules", temp.path().to_str().unwrap()]);
    let errors = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{errors}");
    assert!(
        errors
            .contains("`region` is neither in the inherited schema here nor a JSON Schema keyword"),
        "{errors}"
    );
    assert!(errors.contains("overlay.yaml:3:5"), "{errors}");
}

#[test]
fn a_yaml_file_that_is_no_rule_says_what_a_pack_folder_holds() {
    let errors = pack_errors(&[("notes.yaml", "format: 1\nas_of: 2020\n")]);
    assert!(
        errors.contains("neither a rule (it has no `id`) nor an override"),
        "{errors}"
    );
    assert!(errors.contains("such as `fixtures/`"), "{errors}");
    assert!(!errors.contains("did you mean"), "{errors}");
}

#[test]
fn the_readme_rule_pack_commands_work() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let section = readme.split("\n## Rule packs\n").nth(1).unwrap();
    let section = section.split("\n## ").next().unwrap();
    let commands: Vec<&str> = section
        .split("```sh\n")
        .skip(1)
        .flat_map(|block| block.split("```").next().unwrap().lines())
        .filter(|line| line.starts_with("govlint "))
        // Commands that write files run in a folder of their own below.
        .filter(|line| !line.starts_with("govlint new ") && !line.contains("my-pack"))
        .collect();
    assert!(commands.len() >= 4, "{commands:?}");
    for command in commands {
        let args: Vec<&str> = command.split_whitespace().skip(1).collect();
        let output = govlint(&args);
        // 0: clean, 1: findings (the breaches a fixture shows); 2 would be an error.
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{command}: {}",
            stderr(&output)
        );
    }
}

/// `govlint test` on a copy of the pack in `dir` with `edit` applied to `file`.
fn self_test_edited(dir: &str, file: &str, edit: impl Fn(&str) -> String) -> (i32, String) {
    let temp = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(dir),
        temp.path(),
    );
    let path = temp.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changes {file}");
    std::fs::write(&path, edited).unwrap();
    self_test(temp.path().to_str().unwrap())
}

#[test]
fn docs_examples_are_checked_for_their_outcome_and_their_yaml() {
    let (code, out) = self_test_edited(COOP, "meeting-quorum.yaml", |text| {
        text.replace("[ana, zoe]}   # zoe is not on the board", "[ana, cho]}")
    });
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAIL  meeting-quorum  ")
            && out.contains("docs.fail gives no finding of the rule; it should give one"),
        "{out}"
    );

    let (code, out) = self_test_edited(COOP, "meeting-quorum.yaml", |text| {
        text.replace("attendees: [ana, cho]}", "attendees: [ana, cho}")
    });
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("docs.pass is not YAML"), "{out}");

    let (code, out) = self_test_edited(COOP, "meeting-quorum.yaml", |text| {
        text.replace("[ana, cho]}\n  fail", "[zoe]}\n  fail")
    });
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("docs.pass should pass, but gives: "), "{out}");
}

#[test]
fn fixtures_expect_engine_findings_by_code_and_message() {
    let fixture = "member-state-region.yaml";
    let (code, out) = self_test_edited(REGIONAL, fixture, |text| {
        text.replace("is not an allowed value\"", "is not a region\"")
    });
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("expected schema at `/members/0/region` saying \"`eurasia` is not a region\"; found error schema at `/members/0/region`"),
        "{out}"
    );
    // Unexpected, the engine's finding fails the case: the fixture is broken.
    let (code, out) = self_test_edited(REGIONAL, fixture, |text| {
        let expectation = "    expect:\n      - rule: schema\n        at: /members/0/region\n        \
                           message: \"`eurasia` is not an allowed value\"\n";
        text.replace(expectation, "")
    });
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("expected nothing; found error schema at `/members/0/region`"),
        "{out}"
    );
}

#[test]
fn a_new_rule_passes_its_tests_before_any_edit_and_its_fixtures_guard_it() {
    let temp = tempfile::tempdir().unwrap();
    let pack = temp.path().join("my-pack");
    let pack = pack.to_str().unwrap();
    let output = govlint(&["new", "rule", "board-size", "--rules", pack]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let (code, out) = self_test(pack);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("ok    board-size  fixtures/board-size/fail.yaml"),
        "{out}"
    );
    assert!(out.contains("board-size.yaml docs.fail"), "{out}");
    // The failing fixture fails for the new rule, and the passing one does not.
    let fail = format!("{pack}/fixtures/board-size/fail.yaml");
    assert_eq!(
        reported(Some(pack), &fail, "board-size"),
        [at("/as_of", "error")]
    );
    let pass = format!("{pack}/fixtures/board-size/pass.yaml");
    assert_eq!(reported(Some(pack), &pass, "board-size"), []);
    // Negated, the rule fails its own tests.
    let file = format!("{pack}/board-size.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("\"!before(", "\"before(")).unwrap();
    let (code, out) = self_test(pack);
    assert_eq!(code, 1, "{out}");
    // A second time, the id is taken; an inherited id is for an override.
    let again = govlint(&["new", "rule", "board-size", "--rules", pack]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("the pack has a rule `board-size` already"),
        "{}",
        stderr(&again)
    );
    let inherited = govlint(&["new", "rule", "presidency-rotates", "--rules", pack]);
    assert!(
        stderr(&inherited).contains("`overrides: presidency-rotates`"),
        "{}",
        stderr(&inherited)
    );
}

#[test]
fn for_each_names_the_items_position_and_the_item_before_it() {
    let rule = r#"id: holders-alternate
title: T
severity: error
clause: {section: S, text: T}
rationale: R
for_each:
  in: terms
  as: term
  index: i
  previous: before
  let:
    counts: count_by(terms.map(t, t.holder))
checks:
  - assert: before == null || before.holder != term.holder
    at: pointer(term, 'holder')
    message: "term ${i} (`${term.holder}`) follows `${before.holder}`; terms per holder: ${counts}"
docs: {checks: C}
"#;
    let temp = pack_with(&[("holders-alternate.yaml", rule)]);
    let records = tempfile::tempdir().unwrap();
    let file = records.path().join("twice.yaml");
    std::fs::write(
        &file,
        "format: 1\nas_of: 2020\ngroup: {id: g, name: A group, established: 2014}\n\
         members:\n  - {id: FR, name: France, category: member_state}\n\
         presidencies:\n  - {holder: FR, start: 2015, end: 2017}\n  - {holder: FR, start: 2017, end: 2019}\n",
    )
    .unwrap();
    let (_, report) = json(Some(temp.path().to_str().unwrap()), file.to_str().unwrap());
    let messages: Vec<String> = findings_of(&report)
        .iter()
        .filter(|f| field(f, "rule") == "holders-alternate")
        .map(|f| field(f, "message"))
        .collect();
    assert_eq!(
        messages,
        ["term 1 (`FR`) follows `FR`; terms per holder: FR: 2"]
    );
}

#[test]
fn a_ref_to_the_inherited_schema_by_url_gets_advice_not_an_engine_detail() {
    let temp = pack_with(&[(
        "s.json",
        r#"{"allOf": [{"$ref": "https://govlint.dev/schemas/snapshot.schema.json"}]}"#,
    )]);
    std::fs::write(
        temp.path().join("pack.yaml"),
        "name: t\ntitle: T\nextends: builtin\nschema: s.json\n",
    )
    .unwrap();
    std::fs::remove_file(temp.path().join("overlay.yaml")).unwrap();
    let output = govlint(&["rules", "--rules", temp.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let errors = stderr(&output);
    assert!(
        errors.contains("help: govlint fetches no schema"),
        "{errors}"
    );
    assert!(errors.contains("`schema_overlay`"), "{errors}");
}

#[test]
fn json_says_where_each_rule_that_found_something_comes_from() {
    let (_, report) = json(Some(AMENDED), TWO_YEAR_TERM_FROM_2021);
    let rules = report["rules"].as_array().unwrap();
    let term = rules
        .iter()
        .find(|rule| rule["id"] == "presidency-term-length")
        .unwrap();
    assert_eq!(term["pack"], "ilgsse");
    assert_eq!(term["changes"][0]["pack"], "ilgsse-amended");
    assert_eq!(term["params"][1]["from"], "2021");
    assert_eq!(term["params"][1]["pack"], "ilgsse-amended");
}

#[test]
fn a_record_is_judged_by_the_version_in_force_at_its_own_date() {
    // From 2020, applications are also addressed to the plenary. The 2016
    // application of the records was addressed under the old version: no
    // amendment changes its verdict, whatever the evaluation date.
    let pack = pack_with(&[(
        "application-addressed.yaml",
        "overrides: application-addressed\namendments:\n  - from: 2020\n    params: {addressees: [presidency, secretariat, plenary]}\n",
    )]);
    let folder = tempfile::tempdir().unwrap();
    let records = folder.path().join("records.yaml");
    let text = std::fs::read_to_string("fixtures/handover/current.yaml").unwrap();
    let with_new = text.replace(
        "    outcome: accepted\n",
        "    outcome: accepted\n  - applicant: EC\n    form: letter\n    date: 2021-03\n    addressed_to: [presidency, secretariat]\n    outcome: declined\n",
    );
    std::fs::write(&records, with_new).unwrap();
    let rules = pack.path().to_str().unwrap();
    for as_of in ["2019", "2022"] {
        let output = govlint(&[
            "check",
            records.to_str().unwrap(),
            "--rules",
            rules,
            "--as-of",
            as_of,
            "--format",
            "json",
        ]);
        let report: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", common::stderr(&output)));
        let addressed: Vec<&str> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "application-addressed")
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        assert_eq!(addressed, ["/applications/1/addressed_to"], "as of {as_of}");
    }
}
