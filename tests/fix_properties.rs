//! `govlint fix` never moves a value no finding named: over every fixture of
//! the repository (alone, and every handover fixture as a proposal over the
//! records), and over proposals with one mistaken value, a fixed file differs
//! from its original only on lines a finding's place or fix named; and a
//! mistaken proposal is only ever moved back towards the right one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::fixtures;

use govlint::check::Options;
use govlint::fix::{self, Target, Text};
use govlint::pack::{Pack, PackFiles};
use std::collections::BTreeSet;

const RECORDS: &str = "fixtures/handover/current.yaml";
const RIGHT: &str = "fixtures/handover/handover-fr-lu.yaml";

fn text(path: &str) -> Text {
    Text {
        name: path.to_owned(),
        text: std::fs::read_to_string(path).unwrap(),
    }
}

/// The line of each byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|byte| **byte == b'\n')
        .count()
}

/// The lines of `file` that a finding's place or fix names.
fn named_lines(pack: &Pack, base: Option<&Text>, file: &Text) -> BTreeSet<usize> {
    let checked = fix::run(pack, base, file, &Options::default());
    let mut lines = BTreeSet::new();
    for finding in &checked.report.findings {
        let spans = std::iter::once((finding.location.source.name(), finding.location.span))
            .chain(finding.fix.iter().map(|fix| (fix.source.name(), fix.span)));
        for (name, span) in spans {
            if name == file.name {
                lines.extend(line_of(&file.text, span.start())..=line_of(&file.text, span.end()));
            }
        }
    }
    lines
}

/// Fixed, with and without `--unsafe`: the fixed text, if any changed.
fn fixed(pack: &Pack, base: Option<&Text>, file: &Text, unsafe_too: bool) -> Option<String> {
    let target = match base {
        Some(base) => Target::Proposal {
            base: base.clone(),
            proposal: file.clone(),
        },
        None => Target::Files(vec![file.clone()]),
    };
    fix::fix(pack, target, &Options::default(), unsafe_too)
        .fixed
        .into_iter()
        .next()
        .map(|done| done.after)
}

/// The lines of `before` that `after` changes or removes (added lines aside:
/// a record a fix adds names no line of the original).
fn changed_lines(before: &str, after: &str) -> BTreeSet<usize> {
    let diff = similar::TextDiff::from_lines(before, after);
    diff.ops()
        .iter()
        .filter(|op| !matches!(op.tag(), similar::DiffTag::Equal | similar::DiffTag::Insert))
        .flat_map(|op| op.old_range())
        .collect()
}

fn assert_only_named_lines_change(pack: &Pack, base: Option<&Text>, file: &Text) {
    let named = named_lines(pack, base, file);
    for unsafe_too in [false, true] {
        if let Some(after) = fixed(pack, base, file, unsafe_too) {
            let stray: Vec<usize> = changed_lines(&file.text, &after)
                .difference(&named)
                .map(|line| line + 1)
                .collect();
            assert!(
                stray.is_empty(),
                "{} (unsafe: {unsafe_too}): lines {stray:?} changed though no finding named them:\n{after}",
                file.name
            );
        }
    }
}

#[test]
fn every_fixture_alone_changes_only_the_lines_its_findings_name() {
    let pack = Pack::load(PackFiles::Builtin).unwrap();
    for path in fixtures() {
        assert_only_named_lines_change(&pack, None, &text(&path));
    }
}

#[test]
fn every_handover_proposal_changes_only_the_lines_its_findings_name() {
    let pack = Pack::load(PackFiles::Builtin).unwrap();
    let records = text(RECORDS);
    for path in fixtures() {
        if path.starts_with("fixtures/handover/") && path != RECORDS {
            assert_only_named_lines_change(&pack, Some(&records), &text(&path));
        }
    }
}

/// The right proposal with one value mistyped: every year of every line moved
/// by one year either way, and by ninety.
fn mistakes(right: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = right.lines().collect();
    let mut out = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        for year in ["2017", "2018", "2019"] {
            if !line.contains(year) {
                continue;
            }
            let value: i32 = year.parse().unwrap();
            for moved in [value - 1, value + 1, value + 90] {
                let mut changed = lines.clone();
                let wrong = line.replacen(year, &moved.to_string(), 1);
                changed[index] = &wrong;
                out.push((index, changed.join("\n") + "\n"));
            }
        }
    }
    out
}

#[test]
fn a_mistaken_proposal_only_moves_back_towards_the_right_one() {
    let pack = Pack::load(PackFiles::Builtin).unwrap();
    let records = text(RECORDS);
    let right = std::fs::read_to_string(RIGHT).unwrap();
    let cases = mistakes(&right);
    assert!(cases.len() > 20, "{} mistaken proposals", cases.len());
    for (index, wrong) in cases {
        let file = Text {
            name: RIGHT.to_owned(),
            text: wrong.clone(),
        };
        assert_only_named_lines_change(&pack, Some(&records), &file);
        // Safe fixes: every line is as typed or as it should be, never a
        // third value computed from the mistake.
        if let Some(after) = fixed(&pack, Some(&records), &file, false) {
            for ((now, typed), good) in after.lines().zip(wrong.lines()).zip(right.lines()) {
                assert!(
                    now == typed || now == good,
                    "line {} mistyped as `{}`: `{typed}` became `{now}`, not `{good}`",
                    index + 1,
                    wrong.lines().nth(index).unwrap()
                );
            }
        }
    }
}

#[test]
fn a_right_roadmap_is_not_moved_to_match_a_wrong_term() {
    let pack = Pack::load(PackFiles::Builtin).unwrap();
    let records = text(RECORDS);
    // A three-year term with a roadmap for the right two years.
    let right = std::fs::read_to_string(RIGHT).unwrap();
    let wrong = right.replacen("    end: 2019-09", "    end: 2020-09", 1);
    assert_ne!(wrong, right);
    let file = Text {
        name: RIGHT.to_owned(),
        text: wrong,
    };
    for unsafe_too in [false, true] {
        assert_eq!(
            fixed(&pack, Some(&records), &file, unsafe_too).as_deref(),
            Some(right.as_str()),
            "unsafe: {unsafe_too}"
        );
    }
}

#[test]
fn no_fix_is_offered_from_a_year_a_century_away() {
    let pack = Pack::load(PackFiles::Builtin).unwrap();
    let records = text(RECORDS);
    let right = std::fs::read_to_string(RIGHT).unwrap();
    let file = Text {
        name: RIGHT.to_owned(),
        text: right.replacen("    start: 2017-09", "    start: 2107-09", 1),
    };
    for unsafe_too in [false, true] {
        let after = fixed(&pack, Some(&records), &file, unsafe_too);
        assert!(
            after.as_deref().is_none_or(|after| !after.contains("210")),
            "unsafe: {unsafe_too}: {after:?}"
        );
    }
    let checked = fix::run(&pack, Some(&records), &file, &Options::default());
    let mistyped = checked
        .report
        .findings
        .iter()
        .filter(|finding| {
            finding
                .help
                .as_deref()
                .is_some_and(|help| help.contains("2107 looks mistyped"))
        })
        .count();
    assert!(mistyped > 0, "the findings say the year looks mistyped");
    assert!(
        checked
            .report
            .findings
            .iter()
            .all(|finding| finding.fix.is_none()),
        "no fix from the mistyped year"
    );
}
