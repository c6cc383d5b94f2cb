//! Checking a proposed handover end to end: `govlint check BASE --proposal FILE`
//! reports only what the proposal introduces, located in the proposal file, and
//! counts the rest in one line. The fixtures are in `fixtures/handover/`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{govlint, stderr, stdout};

use serde_json::Value;

const CURRENT: &str = "fixtures/handover/current.yaml";
const PASSING: &str = "fixtures/handover/handover-fr-lu.yaml";
const WITH_GAPS: &str = "fixtures/handover/current-with-gap-in-records.yaml";

/// `govlint check BASE --proposal PROPOSAL --format json EXTRA...`: exit code and report.
fn propose(base: &str, proposal: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", base, "--proposal", proposal, "--format", "json"];
    args.extend_from_slice(extra);
    let output = govlint(&args);
    let value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&output), stderr(&output)));
    (output.status.code().unwrap(), value)
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().unwrap()
}

/// (rule, FIELD) of every finding, sorted.
fn rules_and(field: &str, report: &Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = findings(report)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f[field].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

/// (rule, path) of every finding, sorted.
fn rules_and_paths(report: &Value) -> Vec<(String, String)> {
    rules_and("path", report)
}

#[test]
fn the_passing_handover_introduces_nothing() {
    let (code, report) = propose(CURRENT, PASSING, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert!(findings(&report).is_empty(), "{report:#}");
    let file = &report["files"][0];
    assert_eq!(file["path"], PASSING);
    assert_eq!(file["baseline"]["path"], CURRENT);
    assert_eq!(file["baseline"]["already_present"], 0);

    let human = stdout(&govlint(&["check", CURRENT, "--proposal", PASSING]));
    assert!(
        !human.contains("already present"),
        "nothing to say when nothing was there: {human}"
    );
    assert!(
        human.contains("adopting fixtures/handover/handover-fr-lu.yaml would introduce no problem"),
        "{human}"
    );
}

#[test]
fn the_records_the_proposals_are_checked_against_are_clean() {
    let output = govlint(&["check", CURRENT]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("no problems found"),
        "{}",
        stdout(&output)
    );
}

/// A finding a variant must introduce: its rule, its JSON Pointer in the
/// proposal, and text of the line it points at.
type Expected = (&'static str, &'static str, &'static str);

/// Each failing variant, by file name, with every finding it must introduce.
const VARIANTS: &[(&str, &[Expected])] = &[
    (
        "wrong-vice-president",
        // Luxembourg's vice-presidency and term both start in 2017-09: which
        // began first is undecided, so within-presidency stays silent.
        &[(
            "vice-presidency-outgoing-holder",
            "/vice_presidencies/0/holder",
            "- holder: LU",
        )],
    ),
    (
        "wrong-term-length",
        &[(
            "presidency-term-length",
            "/presidencies/0/end",
            "end: 2020-09",
        )],
    ),
    (
        "gap",
        &[(
            "presidency-continuity",
            "/presidencies/0/start",
            "start: 2018-01",
        )],
    ),
    (
        "overlap",
        &[(
            "presidency-continuity",
            "/presidencies/0/start",
            "start: 2017-03",
        )],
    ),
    (
        "not-member-state",
        &[(
            "presidency-holder-member-state",
            "/presidencies/0/holder",
            "- holder: QC",
        )],
    ),
    (
        "not-candidate",
        &[(
            "presidency-designated-by-consensus",
            "/presidencies/0/designation/candidates",
            "candidates: [EC]",
        )],
    ),
    (
        // Absent evidence in what a proposal adds is a contradiction.
        "no-designation",
        &[(
            "presidency-designated-by-consensus",
            "/presidencies/0",
            "- holder: LU",
        )],
    ),
    (
        "late-designation",
        &[(
            "presidency-designated-by-consensus",
            "/presidencies/0/designation/date",
            "designation: {method: consensus, candidates: [LU], date: 2017-11}",
        )],
    ),
    (
        "no-consensus",
        &[(
            "presidency-designated-by-consensus",
            "/presidencies/0/designation/method",
            "method: vote",
        )],
    ),
    (
        "roadmap-short",
        &[(
            "presidency-roadmap",
            "/presidencies/0/roadmap/covers/end",
            "covers: {start: 2017-09, end: 2018-09}",
        )],
    ),
];

#[test]
fn each_failing_variant_introduces_exactly_its_findings_located_in_the_proposal() {
    for (variant, expected) in VARIANTS {
        let proposal = format!("fixtures/handover/{variant}.yaml");
        let text = std::fs::read_to_string(&proposal).unwrap();
        let tree: Value = serde_saphyr::from_str(&text).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("# Wrong: "),
            "{variant}: the first line says what is wrong"
        );

        let (code, report) = propose(CURRENT, &proposal, &[]);
        assert_eq!(code, 1, "{variant}: {report:#}");
        let mut want: Vec<(String, String)> = expected
            .iter()
            .map(|(rule, path, _)| ((*rule).to_owned(), (*path).to_owned()))
            .collect();
        want.sort();
        assert_eq!(rules_and_paths(&report), want, "{variant}: {report:#}");
        assert_eq!(report["files"][0]["path"], proposal.as_str(), "{variant}");
        assert_eq!(
            report["files"][0]["baseline"]["already_present"], 0,
            "{variant}: the records themselves are clean"
        );

        for finding in findings(&report) {
            let rule = finding["rule"].as_str().unwrap();
            let path = finding["path"].as_str().unwrap();
            assert_eq!(finding["file"], proposal.as_str(), "{variant} {rule}");
            assert_eq!(finding["severity"], "error", "{variant} {rule}");
            assert!(
                tree.pointer(path).is_some(),
                "{variant} {rule}: `{path}` is not a pointer into the proposal"
            );
            let (_, _, line_text) = expected
                .iter()
                .find(|(r, p, _)| *r == rule && *p == path)
                .unwrap();
            let line = usize::try_from(finding["line"].as_u64().unwrap()).unwrap();
            assert!(
                lines[line - 1].contains(line_text),
                "{variant} {rule}: line {line} of the proposal is `{}`, expected `{line_text}`",
                lines[line - 1]
            );
        }
    }
}

#[test]
fn findings_already_in_the_records_are_counted_not_reported() {
    // The records lack France's roadmap and a 2016 working session (both not
    // recorded: warnings); checked alone, they report both.
    let output = govlint(&["check", "--format", "json", WITH_GAPS]);
    assert_eq!(output.status.code(), Some(0));
    let alone: Value = serde_json::from_slice(&output.stdout).unwrap();
    let gaps = vec![
        ("annual-working-session".to_owned(), "/events".to_owned()),
        (
            "presidency-roadmap".to_owned(),
            "/presidencies/0".to_owned(),
        ),
    ];
    assert_eq!(rules_and_paths(&alone), gaps);

    // The passing handover is not blamed for them: it still passes.
    let (code, report) = propose(WITH_GAPS, PASSING, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert!(findings(&report).is_empty(), "{report:#}");
    assert_eq!(report["files"][0]["baseline"]["path"], WITH_GAPS);
    assert_eq!(report["files"][0]["baseline"]["already_present"], 2);

    // A failing handover reports its own finding only, even one of the same rule.
    let (code, report) = propose(WITH_GAPS, "fixtures/handover/roadmap-short.yaml", &[]);
    assert_eq!(code, 1);
    assert_eq!(
        rules_and_paths(&report),
        [(
            "presidency-roadmap".to_owned(),
            "/presidencies/0/roadmap/covers/end".to_owned()
        )]
    );
    assert_eq!(
        findings(&report)[0]["file"],
        "fixtures/handover/roadmap-short.yaml"
    );
    assert_eq!(report["files"][0]["baseline"]["already_present"], 2);

    let human = stdout(&govlint(&["check", WITH_GAPS, "--proposal", PASSING]));
    assert!(
        human.contains(
            "2 findings are already present in \
             fixtures/handover/current-with-gap-in-records.yaml, not caused by this proposal"
        ),
        "{human}"
    );
    assert!(!human.contains("no roadmap is recorded"), "{human}");
    assert!(!human.contains("no working session"), "{human}");
}

#[test]
fn human_output_of_a_failing_handover_reads_well() {
    let output = govlint(&[
        "check",
        CURRENT,
        "--proposal",
        "fixtures/handover/not-member-state.yaml",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let human = stdout(&output);
    insta::assert_snapshot!("human_not_member_state", human);
    // Read as a person does, across the wrapped lines and their margin.
    let words = human
        .split_whitespace()
        .filter(|word| *word != "│")
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        words.contains(
            "clause: Presidency of the Leading Group: \"The presidency is held by a Member State"
        ),
        "the clause is quoted: {human}"
    );
    assert!(
        words.contains("help: the presidency must go to a member of category `member_state`"),
        "{human}"
    );
    assert!(
        words.contains("held by `QC` (Quebec), which is not a Member State"),
        "{human}"
    );
    assert!(
        human.contains("fixtures/handover/not-member-state.yaml:7:"),
        "{human}"
    );
}

#[test]
fn as_of_on_the_command_line_overrides_the_proposal() {
    // The one-rule pack's message names the evaluation date.
    let variant = "fixtures/handover/wrong-term-length.yaml";
    let (_, at_proposal_date) = propose(CURRENT, variant, &["--rules", "tests/data/one-rule-pack"]);
    let (_, overridden) = propose(
        CURRENT,
        variant,
        &["--rules", "tests/data/one-rule-pack", "--as-of", "2018"],
    );
    let message = |report: &Value| findings(report)[0]["message"].as_str().unwrap().to_owned();
    assert!(
        message(&at_proposal_date).ends_with("(as of 2017-09)"),
        "{}",
        message(&at_proposal_date)
    );
    assert!(
        message(&overridden).ends_with("(as of 2018)"),
        "{}",
        message(&overridden)
    );

    // With the built-in pack, both sides are judged at the command line's date:
    // at 2019-01 the records hold no event in 2018, before and after the
    // handover alike, so the two findings are counted, not blamed on it.
    let (code, report) = propose(CURRENT, PASSING, &["--as-of", "2019-01"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(findings(&report).is_empty(), "{report:#}");
    assert_eq!(report["files"][0]["baseline"]["already_present"], 2);
}

#[test]
fn a_proposal_that_is_not_a_mapping_is_a_clear_finding() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("list.yaml");
    std::fs::write(&path, "- holder: LU\n  start: 2017-09\n  end: 2019-09\n").unwrap();
    let (code, report) = propose(CURRENT, path.to_str().unwrap(), &[]);
    assert_eq!(code, 1);
    let all = findings(&report);
    assert_eq!(all.len(), 1, "{report:#}");
    assert_eq!(all[0]["file"], path.to_str().unwrap());
    assert_eq!(all[0]["line"], 1);
    assert_eq!(
        all[0]["message"],
        "a proposal is a mapping: the whole records, or what it adds to them"
    );
    assert!(
        all[0]["help"]
            .as_str()
            .unwrap()
            .contains("in the shape of the records"),
        "{report:#}"
    );
}

#[test]
fn a_missing_proposal_file_is_a_usage_error() {
    let output = govlint(&[
        "check",
        CURRENT,
        "--proposal",
        "fixtures/handover/no-such-proposal.yaml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot read `fixtures/handover/no-such-proposal.yaml`"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).is_empty(), "{}", stdout(&output));
}

#[test]
fn a_finding_about_a_list_the_proposal_extends_points_into_the_proposal() {
    // At 2017-06 France's term and the overlapping one both cover the date: the
    // `presidency-current` finding is about the whole list, which both files write.
    let (code, report) = propose(
        CURRENT,
        "fixtures/handover/overlap.yaml",
        &["--as-of", "2017-06"],
    );
    assert_eq!(code, 1);
    let current: Vec<&Value> = findings(&report)
        .iter()
        .filter(|f| f["rule"] == "presidency-current")
        .collect();
    assert_eq!(current.len(), 1, "{report:#}");
    assert_eq!(current[0]["file"], "fixtures/handover/overlap.yaml");
    assert_eq!(current[0]["path"], "/presidencies");
}

/// `base` with `fragment` merged in as a proposal merges it: lists appended,
/// mappings merged, scalars replaced.
fn merged(base: &Value, fragment: &Value) -> Value {
    match (base, fragment) {
        (Value::Object(base), Value::Object(fragment)) => {
            let mut out = base.clone();
            for (key, value) in fragment {
                let entry = match base.get(key) {
                    Some(existing) => merged(existing, value),
                    None => value.clone(),
                };
                out.insert(key.clone(), entry);
            }
            Value::Object(out)
        }
        (Value::Array(base), Value::Array(added)) => {
            Value::Array(base.iter().chain(added).cloned().collect())
        }
        (_, replacement) => replacement.clone(),
    }
}

/// (rule, message) of every finding, sorted: what a reader is told.
fn rules_and_messages(report: &Value) -> Vec<(String, String)> {
    rules_and("message", report)
}

#[test]
fn a_whole_edited_copy_introduces_what_the_same_fragment_introduces() {
    let folder = tempfile::tempdir().unwrap();
    let base: Value = serde_saphyr::from_str(&std::fs::read_to_string(CURRENT).unwrap()).unwrap();
    let variants = VARIANTS.iter().map(|(variant, _)| *variant);
    for variant in std::iter::once("handover-fr-lu").chain(variants) {
        let fragment = format!("fixtures/handover/{variant}.yaml");
        let added: Value =
            serde_saphyr::from_str(&std::fs::read_to_string(&fragment).unwrap()).unwrap();
        // The copy a secretariat would edit: JSON is YAML too.
        let whole = folder.path().join(format!("{variant}.yaml"));
        std::fs::write(&whole, merged(&base, &added).to_string()).unwrap();
        let (fragment_code, as_fragment) = propose(CURRENT, &fragment, &[]);
        let (whole_code, as_whole) = propose(CURRENT, whole.to_str().unwrap(), &[]);
        assert_eq!(fragment_code, whole_code, "{variant}");
        assert_eq!(
            rules_and_messages(&as_whole),
            rules_and_messages(&as_fragment),
            "{variant}: {as_whole:#}"
        );
        assert!(
            findings(&as_whole)
                .iter()
                .all(|f| f["file"] == whole.to_str().unwrap()),
            "{variant}: located in the whole proposal {as_whole:#}"
        );
    }
}

#[test]
fn the_edited_copy_of_the_records_in_the_fixtures_introduces_nothing() {
    let (code, report) = propose(CURRENT, "fixtures/handover/proposed-fr-lu.yaml", &[]);
    assert_eq!(code, 0, "{report:#}");
    assert!(findings(&report).is_empty(), "{report:#}");
    assert_eq!(report["files"][0]["baseline"]["already_present"], 0);
}

#[test]
fn an_item_the_records_already_hold_is_not_appended_twice() {
    // A fragment that repeats France's term and adds Luxembourg's: France's
    // term is not doubled (which would make it overlap itself).
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("repeat.yaml");
    let passing = std::fs::read_to_string(PASSING).unwrap();
    let repeated = passing.replacen(
        "presidencies:\n",
        "presidencies:\n  - holder: FR\n    start: 2015-09\n    end: 2017-09\n    \
         designation: {method: consensus, candidates: [FR], date: 2015-06}\n    roadmap:\n      \
         adopted: 2015-09\n      covers: {start: 2015-09, end: 2017-09}\n      \
         drafted_with: [SSE-IF, FR]\n",
        1,
    );
    std::fs::write(&path, repeated).unwrap();
    let (code, report) = propose(CURRENT, path.to_str().unwrap(), &[]);
    assert_eq!(code, 0, "{report:#}");
    assert!(findings(&report).is_empty(), "{report:#}");
}

#[test]
fn absent_evidence_in_a_proposed_record_is_a_contradiction_that_says_why() {
    let (code, report) = propose(CURRENT, "fixtures/handover/no-designation.yaml", &[]);
    assert_eq!(code, 1, "{report:#}");
    let finding = &findings(&report)[0];
    assert_eq!(finding["verdict"], "contradiction", "{finding:#}");
    assert_eq!(finding["severity"], "error", "{finding:#}");
    let help = finding["help"].as_str().unwrap();
    assert!(
        help.contains("a proposal states what will be adopted"),
        "{help}"
    );
    // The same term in the records themselves is only missing evidence, once
    // due (the proposal's date); before, a plan with nothing due.
    let text = std::fs::read_to_string("fixtures/handover/no-designation.yaml").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("records.yaml");
    let current = std::fs::read_to_string(CURRENT).unwrap();
    let term = text.split("presidencies:\n").nth(1).unwrap();
    let (term, _) = term.split_once("vice_").unwrap();
    let merged = current.replacen("presidencies:\n", &format!("presidencies:\n{term}"), 1);
    std::fs::write(&records, merged).unwrap();
    let designations = |as_of: &str| {
        let output = govlint(&[
            "check",
            records.to_str().unwrap(),
            "--format",
            "json",
            "--as-of",
            as_of,
        ]);
        let alone: Value = serde_json::from_slice(&output.stdout).unwrap();
        findings(&alone)
            .iter()
            .filter(|f| f["rule"] == "presidency-designated-by-consensus")
            .map(|f| f["verdict"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(designations("2017-10"), ["not-recorded"]);
    assert!(designations("2017-06").is_empty());
}

#[test]
fn a_fragment_that_restates_a_record_refines_it_instead_of_adding_a_second() {
    let folder = tempfile::tempdir().unwrap();
    let fragment = folder.path().join("restated.yaml");
    let propose_term = |france: &str| {
        // After Luxembourg's term: the proposal's second term, the records' first.
        let text = std::fs::read_to_string(PASSING).unwrap().replace(
            "\nvice_presidencies:\n",
            &format!("\n  - {france}\nvice_presidencies:\n"),
        );
        std::fs::write(&fragment, text).unwrap();
        propose(CURRENT, fragment.to_str().unwrap(), &[])
    };
    // France's term restated, with the handover's new partner among its
    // roadmap's drafters: one term, refined; nothing overlaps.
    let (code, report) = propose_term(
        "{holder: FR, start: 2015-09, end: 2017-09, roadmap: {drafted_with: [SSE-IF, FR, LU]}}",
    );
    assert_eq!(code, 0, "{report:#}");
    assert!(findings(&report).is_empty(), "{report:#}");
    // A detail that breaks a rule is shown where the proposal restates it.
    let (code, report) =
        propose_term("{holder: FR, start: 2015-09, end: 2017-09, designation: {method: vote}}");
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        rules_and_paths(&report),
        [(
            "presidency-designated-by-consensus".to_owned(),
            "/presidencies/1/designation/method".to_owned()
        )]
    );
    assert_eq!(findings(&report)[0]["file"], fragment.to_str().unwrap());
    // Other dates make it another term, which overlaps France's.
    let (code, report) = propose_term("{holder: FR, start: 2015-09, end: 2018-09}");
    assert_eq!(code, 1, "{report:#}");
    assert!(
        rules_and_paths(&report)
            .iter()
            .any(|(rule, _)| rule == "presidency-continuity"),
        "{report:#}"
    );
}

#[test]
fn a_copy_that_details_a_record_refines_it_and_brings_back_none_of_its_findings() {
    const REAL: &str = "fixtures/ilgsse-vade-mecum.yaml";
    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("copy.yaml");
    let records = std::fs::read_to_string(REAL).unwrap();
    // France's term, which the records leave without a designation, gets a
    // roadmap drafted with France.
    let detailed = records.replacen(
        "    end: 2017\n",
        "    end: 2017\n    roadmap: {drafted_with: [FR]}\n",
        1,
    );
    assert_ne!(detailed, records);
    std::fs::write(&copy, detailed).unwrap();
    let (code, report) = propose(REAL, copy.to_str().unwrap(), &[]);
    // Not held complete as a new term would be: no error; the missing
    // designation it already had is not said again; only the roadmap's
    // missing period is new.
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        rules_and_paths(&report),
        [(
            "presidency-roadmap".to_owned(),
            "/presidencies/0/roadmap".to_owned()
        )]
    );
    assert_eq!(findings(&report)[0]["verdict"], "not-recorded");
}
