//! Rule conditions checked against the records' schema when a pack loads: a
//! misspelt field, a field of the wrong record, a date ordered with `<`, a
//! comparison of two types. Each mistake is refused at its line and column,
//! and the same rule written right loads.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{EXTENDS_BUILTIN, flat, govlint, pack_folder, stderr, stdout};

const MISTAKES: &str = "tests/data/mistaken-pack";

/// The problems `govlint rules` reports for a pack, with its exit code.
fn loading(dir: &str) -> (Option<i32>, String) {
    let output = govlint(&["rules", "--rules", dir]);
    (output.status.code(), stderr(&output) + &stdout(&output))
}

#[test]
fn each_typical_mistake_is_refused_at_its_place_with_what_to_do() {
    let (code, errors) = loading(MISTAKES);
    assert_eq!(code, Some(2), "{errors}");
    for (place, message) in [
        (
            "misspelt-field.yaml:10:22",
            "a record of Event has no field `titel`; did you mean `title`?",
        ),
        (
            "pack.yaml:9:22",
            "the document has no field `event`; did you mean `events`?",
        ),
        (
            "date-ordering.yaml:11:24",
            "dates are not compared with `<`; use `before(a, b)`",
        ),
        (
            "date-ordering.yaml:13:25",
            "cannot compare a string with an integer",
        ),
        (
            "wrong-types.yaml:10:30",
            "`!=` compares a string with an integer, which are never equal",
        ),
        (
            "wrong-types.yaml:12:34",
            "`.name` reads a field of a string, which has no fields",
        ),
        (
            "wrong-types.yaml:13:39",
            "a record of Presidency term has no field `strat`; did you mean `start`?",
        ),
        (
            "wrong-arguments.yaml:10:15",
            "`before` takes a date as its first argument, not a mapping (`term`)\n",
        ),
        (
            "wrong-arguments.yaml:12:15",
            "`after` takes a date as its first argument, not a string (`.holder`)",
        ),
        (
            "wrong-arguments.yaml:14:18",
            "`pairs` takes a list as its first argument, not a mapping (`term`)",
        ),
    ] {
        let shown = errors
            .split("rule-pack")
            .find(|problem| problem.contains(message))
            .unwrap_or_else(|| panic!("no `{message}` in {errors}"));
        assert!(shown.contains(place), "`{message}` not at {place}: {shown}");
    }
    assert!(
        errors.contains("in the rule's `external_fields`"),
        "the help says how to read data the schema lacks: {errors}"
    );
    for help in [
        "did you mean one of its dates: `start`, `end`?",
        "a date is a year, a month or a day (`2015`, `2015-06`, `2015-06-01`), or a field the records' schema gives as a date",
        "a single record is no list: pass the list it belongs to",
    ] {
        assert!(flat(&errors).contains(help), "no help `{help}` in {errors}");
    }
    assert!(
        errors.contains("the rule pack is invalid (10 problems)"),
        "the rule that declares its external field is not refused: {errors}"
    );
}

/// A pack extending the built-in one with one rule whose check asserts
/// `assert` over each presidency term `term`.
fn pack_asserting(assert: &str, extra: &str) -> tempfile::TempDir {
    let rule = format!(
        "id: one\ntitle: One\nseverity: error\nclause: {{section: S, text: T}}\n\
         rationale: R\n{extra}for_each: {{in: terms, as: term}}\n\
         checks:\n  - assert: \"{assert}\"\n    message: m ${{term.holder}}\n\
         docs: {{checks: C}}\n"
    );
    pack_folder(EXTENDS_BUILTIN, &[("one.yaml", &rule)])
}

#[test]
fn the_mistakes_written_right_load() {
    for (wrong, right, message) in [
        (
            "has(term.edn)",
            "has(term.end)",
            "has no field `edn`; did you mean `end`?",
        ),
        (
            "term.start < as_of",
            "before(term.start, as_of)",
            "dates are not compared with `<`",
        ),
        (
            "term.start >= as_of",
            "on_or_after(term.start, as_of)",
            "use `on_or_after(a, b)`",
        ),
        (
            "get(members, term.holder, {}).categroy != ''",
            "get(members, term.holder, {}).category != ''",
            "did you mean `category`?",
        ),
        (
            "pairs(terms).all(p, p.prev.holdr != '')",
            "pairs(terms).all(p, p.prev.holder != '')",
            "did you mean `holder`?",
        ),
        (
            "terms.map(t, t.stat).size() > 0",
            "terms.map(t, t.start).size() > 0",
            "did you mean `start`?",
        ),
        (
            "size(by_year(terms, 'strat', 'end', as_of)) > 0",
            "size(by_year(terms, 'start', 'end', as_of)) > 0",
            "did you mean `start`?",
        ),
        (
            "!before(term, '2015')",
            "!before(term.start, '2015')",
            "`before` takes a date as its first argument, not a mapping",
        ),
        (
            "!after(term.holder, string(year(as_of)) + '-12-31')",
            "!after(term.end, string(year(as_of)) + '-12-31')",
            "`after` takes a date as its first argument, not a string (`.holder`)",
        ),
        (
            "size(sort_by(term, 'start')) > 0",
            "size(sort_by(terms, 'start')) > 0",
            "`sort_by` takes a list as its first argument, not a mapping (`term`)",
        ),
        (
            "add_years(term.start, '2') != ''",
            "add_years(term.start, 2) != ''",
            "`add_years` takes an integer as its second argument, not a string",
        ),
        (
            "size(term.holder) > '2'",
            "size(term.holder) > 2",
            "cannot compare an integer with a string",
        ),
    ] {
        let temp = pack_asserting(wrong, "");
        let (code, errors) = loading(temp.path().to_str().unwrap());
        assert_eq!(code, Some(2), "`{wrong}` loads: {errors}");
        assert!(errors.contains(message), "`{wrong}`: {errors}");
        let temp = pack_asserting(right, "");
        let (code, errors) = loading(temp.path().to_str().unwrap());
        assert_eq!(code, Some(0), "`{right}` is refused: {errors}");
    }
}

#[test]
fn a_field_from_elsewhere_loads_only_when_the_rule_names_it() {
    let reads = "has(term.budget_line)";
    let temp = pack_asserting(reads, "");
    let (code, errors) = loading(temp.path().to_str().unwrap());
    assert_eq!(code, Some(2), "{errors}");
    assert!(errors.contains("has no field `budget_line`"), "{errors}");
    let temp = pack_asserting(reads, "external_fields: [budget_line]\n");
    let (code, errors) = loading(temp.path().to_str().unwrap());
    assert_eq!(code, Some(0), "{errors}");
}

#[test]
fn a_field_an_overlay_adds_is_known_and_one_it_removes_is_not() {
    let temp = pack_asserting("has(term.region)", "");
    let manifest = temp.path().join("pack.yaml");
    let with_overlay = |overlay: &str| {
        std::fs::write(
            &manifest,
            "name: t\ntitle: T\nextends: builtin\nschema_overlay: overlay.yaml\n",
        )
        .unwrap();
        std::fs::write(temp.path().join("overlay.yaml"), overlay).unwrap();
        loading(temp.path().to_str().unwrap())
    };
    let (code, errors) =
        with_overlay("definitions: {presidency: {properties: {region: {type: string}}}}\n");
    assert_eq!(code, Some(0), "{errors}");
    // An inherited rule that reads a field the overlay removes is refused too.
    let (code, errors) = with_overlay(
        "definitions: {presidency: {properties: {region: {type: string}, end: null}}}\n",
    );
    assert_eq!(code, Some(2), "{errors}");
    assert!(errors.contains("has no field `end`"), "{errors}");
}

/// `govlint rules` on a pack extending the built-in one with `one.yaml`.
fn loading_rule(rule: &str) -> (Option<i32>, String) {
    loading_rule_file("one.yaml", rule)
}

/// `govlint rules` on a pack extending the built-in one with the file `name`.
fn loading_rule_file(name: &str, text: &str) -> (Option<i32>, String) {
    let temp = pack_folder(EXTENDS_BUILTIN, &[(name, text)]);
    loading(temp.path().to_str().unwrap())
}

const RULE_HEAD: &str =
    "id: one\ntitle: One\nseverity: error\nclause: {section: S, text: T}\nrationale: R\n";

#[test]
fn a_map_literal_left_unquoted_in_yaml_gets_told_to_quote_it() {
    let quoting = "must be quoted (`assert: \"…\"`) or written as a block scalar";
    for (condition, yaml_says) in [
        (
            "  - assert: size(terms.map(t, {'h': t.holder})) > 0\n",
            "mapping values are not allowed in this context",
        ),
        ("  - assert: {'a': 1}.a == 1\n", "did not find expected key"),
    ] {
        let rule = format!("{RULE_HEAD}checks:\n{condition}    message: m\ndocs: {{checks: C}}\n");
        let (code, errors) = loading_rule(&rule);
        assert_eq!(code, Some(2), "{errors}");
        assert!(errors.contains(yaml_says), "{errors}");
        assert!(flat(&errors).contains(quoting), "{errors}");
        // Quoted, the same condition loads.
        let quoted = condition
            .replacen("assert: ", "assert: \"", 1)
            .replacen('\n', "\"\n", 1);
        let rule = format!("{RULE_HEAD}checks:\n{quoted}    message: m\ndocs: {{checks: C}}\n");
        let (code, errors) = loading_rule(&rule);
        assert_eq!(code, Some(0), "{errors}");
    }
}

#[test]
fn a_comparison_the_schema_cannot_type_says_how_dates_compare_when_it_runs() {
    // `get` with a number for default: a date or a number, so left to run.
    let rule = format!(
        "{RULE_HEAD}checks:\n  - assert: get(doc, 'as_of', 0) < 2030\n    message: m\ndocs: {{checks: C}}\n"
    );
    let temp = pack_folder(EXTENDS_BUILTIN, &[("one.yaml", &rule)]);
    let check = |records: &str| {
        let output = govlint(&["check", "--rules", temp.path().to_str().unwrap(), records]);
        flat(&(stderr(&output) + &stdout(&output)))
    };
    // Records dated by a day.
    let errors = check("fixtures/handover/current-with-gap-in-records.yaml");
    assert!(
        errors.contains("cannot compare a string with an integer; dates (`2015`, `'2015-06'`) are compared with `before`"),
        "{errors}"
    );
    // Records dated by a year, which compares with a year.
    let errors = check("fixtures/rules/presidency-term-length/pass.yaml");
    assert!(!errors.contains("cannot compare"), "{errors}");
}

/// `govlint rules` on a pack extending the built-in one with an override of
/// `presidency-term-length` (whose items are `term`, with `expected_end`).
fn loading_override(change: &str) -> (Option<i32>, String) {
    let file = format!("overrides: presidency-term-length\n{change}");
    loading_rule_file("override.yaml", &file)
}

#[test]
fn an_override_is_checked_against_the_schema_and_the_rule_it_changes() {
    for (wrong, right, message) in [
        (
            "replace_checks:\n  1:\n    assert: same_date(term.edn, expected_end)\n    message: m\n",
            "replace_checks:\n  1:\n    assert: same_date(term.end, expected_end)\n    message: m\n",
            "a record of Presidency term has no field `edn`; did you mean `end`?",
        ),
        (
            "replace_checks:\n  1:\n    assert: term.end < expected_end\n    message: m\n",
            "replace_checks:\n  1:\n    assert: before(term.end, expected_end)\n    message: m\n",
            "dates are not compared with `<`",
        ),
        (
            "messages:\n  1:\n    message: the term of ${term.holdr} is long\n",
            "messages:\n  1:\n    message: the term of ${term.holder} is long\n",
            "did you mean `holder`?",
        ),
        (
            "messages:\n  1:\n    help: end it on ${add_years(term, params.term_years)}\n",
            "messages:\n  1:\n    help: end it on ${add_years(term.start, params.term_years)}\n",
            "`add_years` takes a date as its first argument, not a mapping (`term`)",
        ),
    ] {
        let (code, errors) = loading_override(wrong);
        assert_eq!(code, Some(2), "`{wrong}` loads: {errors}");
        assert!(errors.contains(message), "`{wrong}`: {errors}");
        assert!(errors.contains("override.yaml:"), "`{wrong}`: {errors}");
        let (code, errors) = loading_override(right);
        assert_eq!(code, Some(0), "`{right}` is refused: {errors}");
    }
}

#[test]
fn parameters_have_the_types_of_their_values() {
    let params = "params: {title: chair, adopted: '2015-09', years: 2}\n";
    for (assert, refused) in [
        (
            "before(term.start, params.title)",
            Some("`before` takes a date as its second argument, not a string (`.title`)"),
        ),
        (
            "params.years < term.start",
            Some("dates are not compared with `<`"),
        ),
        (
            "params.title == 2",
            Some("`==` compares a string with an integer, which are never equal"),
        ),
        ("before(term.start, params.adopted)", None),
        (
            "before(term.start, add_years(params.adopted, params.years))",
            None,
        ),
        ("params.years >= size(terms)", None),
    ] {
        let temp = pack_asserting(assert, params);
        let (code, errors) = loading(temp.path().to_str().unwrap());
        match refused {
            Some(message) => {
                assert_eq!(code, Some(2), "`{assert}` loads: {errors}");
                assert!(errors.contains(message), "`{assert}`: {errors}");
            }
            None => assert_eq!(code, Some(0), "`{assert}` is refused: {errors}"),
        }
    }
}
