//! Packs that add up: an extending pack's timeline lanes add to the inherited
//! ones, replace one by its name, or remove one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{EXTENDS_BUILTIN, flat, govlint, pack_folder, stderr, stdout};

const RECORDS: &str = "fixtures/ilgsse-vade-mecum.yaml";
const BUILT_IN_LANES: [&str; 4] = ["Presidencies", "Vice-presidencies", "Roadmaps", "Events"];

/// The pack's lanes `govlint report` draws for `RECORDS` with the pack in
/// `dir`, in order (not the agenda's, "Falls due next", which every page ends with).
fn lanes(dir: &str) -> Vec<String> {
    let output = govlint(&["report", "--rules", dir, RECORDS]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
        .split("<g class=\"lane ")
        .skip(1)
        .filter_map(|lane| {
            let (_, text) = lane.split_once("<text")?;
            let (_, name) = text.split_once('>')?;
            Some(name.split_once("</text>")?.0.to_owned())
        })
        .filter(|name| name != "Falls due next")
        .collect()
}

/// What `govlint ARGS` says when it refuses the pack, as one line.
fn refusal(args: &[&str]) -> String {
    let output = govlint(args);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    flat(&stderr(&output))
}

/// A pack extending the built-in one whose manifest ends with `views`.
fn pack_with_views(views: &str) -> tempfile::TempDir {
    pack_folder(&format!("{EXTENDS_BUILTIN}views:\n{views}"), &[])
}

#[test]
fn the_regional_example_adds_a_lane_and_keeps_the_inherited_ones() {
    assert_eq!(lanes("examples/regional-ilgsse"), {
        let mut expected = BUILT_IN_LANES.map(str::to_owned).to_vec();
        expected.push("Applications".to_owned());
        expected
    });
    let manifest = std::fs::read_to_string("examples/regional-ilgsse/pack.yaml").unwrap();
    assert_eq!(
        manifest.matches("lane:").count(),
        1,
        "no inherited lane is copied"
    );
}

#[test]
fn a_lane_of_an_inherited_name_replaces_it_in_place_and_remove_removes_it() {
    let pack = pack_with_views(
        "  - {lane: Roadmaps, items: /presidencies, start: [start], label: holder}\n\
         \x20 - {lane: Events, remove: true}\n",
    );
    assert_eq!(
        lanes(pack.path().to_str().unwrap()),
        ["Presidencies", "Vice-presidencies", "Roadmaps"]
    );
    let pack = pack_with_views("  - {lane: Event, remove: true}\n");
    let errors = refusal(&["report", "--rules", pack.path().to_str().unwrap(), RECORDS]);
    assert!(
        errors.contains(
            "`views` removes the lane `Event`, which no pack it extends draws; did you mean `Events`?"
        ),
        "{errors}"
    );
    assert!(
        errors.contains("pack.yaml:5:"),
        "at the lane's name: {errors}"
    );
}

const AMENDED: &str = "examples/amended-ilgsse";

#[test]
fn an_override_changes_what_a_rule_says_after_an_amendment() {
    let output = govlint(&["explain", "presidency-term-length", "--rules", AMENDED]);
    let out = stdout(&output);
    assert!(
        out.contains("Every presidency term lasts two years, or three if it starts from 2021"),
        "{out}"
    );
    assert!(
        !out.contains("Every presidency term lasts two years\n"),
        "{out}"
    );
    assert!(
        flat(&out).contains("of three years for terms starting from 2021"),
        "{out}"
    );
    assert!(out.contains("ilgsse-amended: title changed"), "{out}");
    // The built-in pack still says what it said.
    let output = govlint(&["explain", "presidency-term-length"]);
    assert!(stdout(&output).contains("Every presidency term lasts two years\n"));

    let fixture = "examples/amended-ilgsse/fixtures/presidency-term-length/fail-amended.yaml";
    let output = govlint(&["check", "--format", "json", "--rules", AMENDED, fixture]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let messages: Vec<&str> = common::findings_of(&report)
        .iter()
        .filter(|finding| finding["rule"] == "presidency-term-length")
        .filter_map(|finding| finding["message"].as_str())
        .collect();
    assert_eq!(messages.len(), 1, "{report}");
    assert!(
        messages[0].ends_with("not the 3 years in force when it began"),
        "{messages:?}"
    );
}

#[test]
fn an_override_of_the_messages_of_a_check_that_is_not_there_is_refused() {
    let temp = pack_folder(
        EXTENDS_BUILTIN,
        &[(
            "term.yaml",
            "overrides: presidency-term-length\nmessages:\n  3: {message: three}\n",
        )],
    );
    let errors = refusal(&["rules", "--rules", temp.path().to_str().unwrap()]);
    assert!(
        errors.contains(
            "there is no check 3: `presidency-term-length` has 2 checks, numbered from 1"
        ),
        "{errors}"
    );
    assert!(errors.contains("term.yaml:3:"), "{errors}");
}
