//! Histories as precise as the records they come from give the findings a careful
//! reader would give, no more: coarse dates never make a rule fire on their own.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{field, findings_of, govlint};
use serde_json::Value;

fn findings(file: &str) -> Vec<(String, String)> {
    let output = govlint(&[
        "check",
        "--format",
        "json",
        &format!("fixtures/histories/{file}"),
    ]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    findings_of(&report)
        .iter()
        .map(|f| (field(f, "rule"), field(f, "path")))
        .collect()
}

#[test]
fn a_history_known_to_the_year_is_compliant() {
    // Terms 2015-2017-2019-2021: each end equals the next start at year precision,
    // and events in 2017 could fall in either term, so nothing is judged on them.
    assert_eq!(findings("year-precision.yaml"), []);
}

#[test]
fn a_history_known_to_the_month_is_compliant_and_the_current_year_is_not_judged() {
    // No event is recorded in 2021, which has not elapsed at 2021-06.
    assert_eq!(findings("month-precision.yaml"), []);
}

#[test]
fn a_term_a_month_too_long_gives_exactly_what_a_reader_would_see() {
    let expected = [
        ("presidency-term-length", "/presidencies/1/end"),
        ("presidency-roadmap", "/presidencies/1/roadmap/covers/end"),
        ("presidency-continuity", "/presidencies/2/start"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(r, p)| ((*r).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(findings("month-precision-late-end.yaml"), expected);
}
