//! The verdict properties (`src/properties.rs`) hold for every rule of the
//! built-in pack and of the example packs, and `govlint test` catches a rule
//! that breaks any of them, naming the rule, the record and the change.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{govlint, stdout};

/// `govlint test` of a pack: the exit code and the report.
fn self_test(rules: Option<&str>) -> (Option<i32>, String) {
    let mut args = vec!["test"];
    args.extend(rules.iter().flat_map(|dir| ["--rules", dir]));
    let output = govlint(&args);
    (output.status.code(), stdout(&output))
}

#[test]
fn every_rule_of_the_built_in_pack_keeps_the_properties() {
    // The example packs are held to them by `example_packs_pass_their_own_tests`.
    let (code, out) = self_test(None);
    assert_eq!(code, Some(0), "{out}");
    // One line per fixture that keeps every property: they did run.
    let kept = out
        .lines()
        .filter(|line| line.starts_with("ok    properties"))
        .count();
    assert!(kept >= 50, "{kept} fixtures held to the properties\n{out}");
}

#[test]
fn a_rule_that_breaks_a_property_is_caught_by_name_record_and_change() {
    let (code, out) = self_test(Some("tests/data/careless-pack/pack"));
    assert_eq!(code, Some(1), "{out}");
    for expected in [
        "FAIL  term-has-end  ../terms.yaml\n      removing a field: removing `/presidencies/0/end` \
         made `term-has-end` report an error at `/presidencies/0`",
        "FAIL  start-not-june  ../terms.yaml\n      coarsening a date: coarsening \
         `/presidencies/0/start` from \"2015-09\" to \"2015\" made `start-not-june` report an \
         error at `/presidencies/0`",
        "FAIL  never-complete  ../terms.yaml\n      claiming completeness after every record: \
         claiming `/records_complete_from` from 2019 made `never-complete` change what it reports at ``",
    ] {
        assert!(out.contains(expected), "missing:\n{expected}\nin:\n{out}");
    }
    // The rules' own cases pass: only the properties fail.
    assert!(
        !out.contains("FAIL  term-has-end  ../open-term.yaml\n      expected"),
        "{out}"
    );
}

// The benchmark's generator; its preset sizes are the benchmark's business.
#[allow(dead_code)]
#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use govlint::pack::{Pack, PackFiles};
use proptest::prelude::*;

proptest! {
    // Each case checks a generated snapshot hundreds of times (once per date and
    // per field). Two years at least: the generator's lists are then never empty.
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

    #[test]
    fn generated_snapshots_keep_the_properties(
        members in 2usize..9,
        years in 2usize..6,
        events_per_year in 0usize..3,
        violations in 0usize..3,
    ) {
        let pack = Pack::load(PackFiles::Builtin).unwrap();
        let (text, _) = synthetic::snapshot(synthetic::Size {
            members,
            years,
            events_per_year,
            violations,
        });
        let broken = govlint::check::properties::check_properties(&pack, "generated.yaml", &text);
        // Not vacuous: the same snapshot exposes a careless rule.
        let careless = Pack::load(PackFiles::Disk("tests/data/careless-pack/pack".into())).unwrap();
        prop_assert!(!govlint::check::properties::check_properties(&careless, "generated.yaml", &text).is_empty());
        prop_assert!(
            broken.is_empty(),
            "{}",
            broken.iter().map(|violation| violation.describe()).collect::<Vec<_>>().join("\n")
        );
    }
}
