//! What a secretariat types: a member's name, another code for it, or a
//! misspelt id, each answered with the member id it likely meant; and a badly
//! written date, reported once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{govlint, stdout};

/// The findings of `proposal` (its text) over the handover records.
fn findings_of(proposal: &str) -> Vec<serde_json::Value> {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("proposal.yaml");
    std::fs::write(&path, proposal).unwrap();
    let output = govlint(&[
        "check",
        "fixtures/handover/current.yaml",
        "--proposal",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    report["findings"].as_array().unwrap().clone()
}

/// The findings of a proposal of one term, by `holder` from `start`.
fn findings_for(holder: &str, start: &str) -> Vec<serde_json::Value> {
    findings_of(&format!(
        "as_of: 2017-09\npresidencies:\n  - holder: {holder}\n    start: {start}\n    end: 2019-09\n"
    ))
}

/// The help of `reference-known-member` among `findings`.
fn member_help(findings: &[serde_json::Value]) -> String {
    findings
        .iter()
        .find(|finding| finding["rule"] == "reference-known-member")
        .map(|finding| finding["help"].as_str().unwrap().to_owned())
        .unwrap()
}

/// The help of `reference-known-member` for a proposal naming `holder`.
fn help_for(holder: &str) -> String {
    member_help(&findings_for(holder, "2017-09"))
}

#[test]
fn a_name_or_another_code_of_a_member_gets_did_you_mean() {
    for typed in ["LUX", "Luxembourg", "luxembourg"] {
        let help = help_for(typed);
        assert!(help.starts_with("did you mean `LU`?"), "{typed}: {help}");
    }
    // A stranger is no member's: no guess.
    let help = help_for("ZZ");
    assert!(!help.contains("did you mean"), "{help}");
}

#[test]
fn a_badly_written_date_is_reported_once() {
    for typed in ["2017-9", "Sept 2017", "2017/09", "2017-13"] {
        let findings = findings_for("LU", typed);
        let rules: Vec<&str> = findings
            .iter()
            .map(|finding| finding["rule"].as_str().unwrap())
            .collect();
        assert_eq!(rules, ["invalid-date"], "{typed}");
    }
}

#[test]
fn a_name_is_judged_the_same_wherever_a_member_must_stand() {
    // The vice-president typed by its name, in a handover otherwise right.
    let right = std::fs::read_to_string("fixtures/handover/handover-fr-lu.yaml").unwrap();
    let help = member_help(&findings_of(&right.replacen(
        "  - holder: FR",
        "  - holder: France",
        1,
    )));
    assert!(help.starts_with("did you mean `FR`?"), "{help}");
}
