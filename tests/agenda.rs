//! `govlint agenda`: what the rules require next, run as a user runs it, on
//! the real snapshot, an example, and a proposal; its JSON held to its schema
//! and its iCalendar file read back by an iCalendar parser.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{govlint, stderr, stdout};
use serde_json::Value;

const REAL: &str = "fixtures/ilgsse-vade-mecum.yaml";
const CURRENT: &str = "fixtures/handover/current.yaml";

fn agenda_json(args: &[&str]) -> Value {
    let mut all = vec!["agenda"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let output = govlint(&all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn entries(agenda: &Value) -> Vec<(String, String, String)> {
    agenda["files"][0]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["status"].as_str().unwrap().to_owned(),
                entry["due"].as_str().unwrap().to_owned(),
                entry["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_real_snapshot_says_what_is_overdue_then_what_falls_due_next() {
    let output = govlint(&["agenda", REAL]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let overdue = text.find("Overdue: fell due and is not recorded").unwrap();
    let next = text.find("Falls due next").unwrap();
    assert!(overdue < next, "{text}");
    // France's designation and roadmap fell due when its term began.
    let designation = text
        .find("no designation is recorded for the presidency of `FR` from 2015")
        .unwrap();
    assert!(designation < next, "{text}");
    // What falls due next: this year's events, then the handover of 2017.
    let events = text
        .find("Due on 2016-12-31 (annual-working-session")
        .unwrap();
    let handover = text
        .find("no presidency is recorded to take over from `FR` when its term ends in 2017")
        .unwrap();
    assert!(next < events && events < handover, "{text}");
    assert!(text.contains("To do: designate by consensus"), "{text}");
    // Two years on from 2016 by default: nothing of 2019.
    assert!(text.contains("as of 2016, up to 2018"), "{text}");
    assert!(!text.contains("2019-12-31"), "{text}");
}

#[test]
fn entries_come_in_date_order_within_the_horizon() {
    let agenda = agenda_json(&[REAL, "--until", "2020"]);
    let found = entries(&agenda);
    let overdue: Vec<_> = found.iter().filter(|(s, _, _)| s == "overdue").collect();
    let upcoming: Vec<_> = found.iter().filter(|(s, _, _)| s == "upcoming").collect();
    // The 17 missing signatures and France's designation and roadmap: the
    // real snapshot's 19 warnings, each with the date it fell due.
    assert_eq!(overdue.len(), 19, "{found:?}");
    assert!(found.iter().position(|(s, _, _)| s == "upcoming").unwrap() == overdue.len());
    let days: Vec<&str> = agenda["files"][0]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["status"] == "upcoming")
        .map(|entry| entry["earliest"].as_str().unwrap())
        .collect();
    let mut sorted = days.clone();
    sorted.sort_unstable();
    assert_eq!(days, sorted);
    assert!(upcoming.iter().any(|(_, due, _)| due == "2020-12-31"));
    assert!(!upcoming.iter().any(|(_, due, _)| due.starts_with("2021")));
}

#[test]
fn the_json_follows_its_schema() {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string("schemas/agenda.schema.json").unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for args in [
        vec![REAL],
        vec![CURRENT, "--until", "2030"],
        vec![
            "examples/coop-board/fixtures/board.yaml",
            "--rules",
            "examples/coop-board",
        ],
        vec![
            CURRENT,
            "--proposal",
            "fixtures/handover/handover-fr-lu.yaml",
        ],
    ] {
        let agenda = agenda_json(&args);
        let errors: Vec<String> = validator
            .iter_errors(&agenda)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:?}");
    }
}

#[test]
fn a_proposal_adds_the_obligations_of_what_it_proposes() {
    let before = entries(&agenda_json(&[
        CURRENT, "--as-of", "2017-09", "--until", "2020",
    ]));
    let after = entries(&agenda_json(&[
        CURRENT,
        "--proposal",
        "fixtures/handover/handover-fr-lu.yaml",
        "--until",
        "2020",
    ]));
    // Without the handover, the next presidency falls due in 2017-09; with
    // it, Luxembourg's term is recorded and its successor falls due in 2019-09.
    let succession = |found: &[(String, String, String)]| -> Vec<String> {
        found
            .iter()
            .filter(|(_, _, rule)| rule == "presidency-succession")
            .map(|(_, due, _)| due.clone())
            .collect()
    };
    assert_eq!(succession(&before), ["2017-09"], "{before:?}");
    assert_eq!(succession(&after), ["2019-09"], "{after:?}");
}

#[test]
fn a_waiver_that_expires_in_the_horizon_is_an_entry() {
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("records.yaml");
    let text = std::fs::read_to_string(CURRENT).unwrap().replace(
        "waivers: []",
        "waivers:\n  - {rule: presidency-roadmap, target: /presidencies/0, reason: adopted orally, decided_by: plenary of 2017-05, expires: 2018-03}",
    );
    std::fs::write(&records, text).unwrap();
    let found = entries(&agenda_json(&[records.to_str().unwrap()]));
    assert!(
        found.contains(&("upcoming".into(), "2018-03".into(), "waiver-expired".into())),
        "{found:?}"
    );
}

#[test]
fn the_calendar_file_reads_back_as_the_same_events() {
    let output = govlint(&["agenda", REAL, "--format", "ics"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.lines().all(|line| line.len() <= 76),
        "lines are folded"
    );
    let calendar: icalendar::Calendar = text.parse().unwrap();
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|component| match component {
            icalendar::CalendarComponent::Event(event) => Some(event),
            _ => None,
        })
        .collect();
    let json = agenda_json(&[REAL]);
    let listed = json["files"][0]["entries"].as_array().unwrap();
    assert_eq!(events.len(), listed.len());
    use icalendar::{Component, DatePerhapsTime};
    for (event, entry) in events.iter().zip(listed) {
        let Some(DatePerhapsTime::Date(day)) = event.get_start() else {
            panic!("an all-day event: {event:?}");
        };
        assert_eq!(day.to_string(), entry["earliest"].as_str().unwrap());
        let summary = event.get_summary().unwrap();
        assert!(
            summary.ends_with(entry["message"].as_str().unwrap()),
            "{summary}"
        );
        let description = event.get_description().unwrap();
        assert!(
            description.contains(entry["rule"].as_str().unwrap()),
            "{description}"
        );
        assert!(event.get_uid().is_some_and(|uid| uid.ends_with("@govlint")));
    }
    // The same records give the same file: a calendar that imports it again
    // updates its events instead of adding copies.
    assert_eq!(text, stdout(&govlint(&["agenda", REAL, "--format", "ics"])));
}

#[test]
fn another_groups_pack_has_its_agenda_too() {
    let agenda = agenda_json(&[
        "examples/coop-board/fixtures/board.yaml",
        "--rules",
        "examples/coop-board",
    ]);
    let found = entries(&agenda);
    // As of 2025-01-20, the meetings of 2025 and 2026 fall due at each year's end.
    for year in ["2025-12-31", "2026-12-31"] {
        assert!(
            found.contains(&("upcoming".into(), year.into(), "meetings-per-year".into())),
            "{found:?}"
        );
    }
}

#[test]
fn bad_dates_are_refused_with_the_flag_named() {
    let output = govlint(&["agenda", REAL, "--until", "2019-13"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--until"), "{}", stderr(&output));
}
