//! `govlint new rule`: a rule file in the house style with a passing and a
//! failing fixture, which passes `govlint test` before it is edited. The
//! fixtures start from a passing fixture the pack already has (so they satisfy
//! its schema); the rule checks the evaluation date against a parameter, the
//! one thing every pack's records have, and the failing fixture moves that
//! date a year earlier.

use crate::base::date::PartialDate;
use crate::base::source::SourceFile;
use crate::check;
use crate::load::{self, Limits};
use crate::pack::{Pack, PackFile};

/// A file to write, relative to the pack folder, and its text.
pub struct NewFile {
    pub path: String,
    pub text: String,
}

/// The files of a new rule `id` in `pack`, or why there can be none.
pub fn new_rule(pack: &Pack, id: &str) -> Result<Vec<NewFile>, String> {
    if !is_rule_id(id) {
        return Err(format!(
            "`{id}` is not a rule id: lower-case words joined by hyphens, such as `board-size`"
        ));
    }
    if let Some(rule) = pack.rule(id) {
        return Err(if rule.origin.as_ref() == pack.name {
            format!("the pack has a rule `{id}` already, in `{}`", rule.file)
        } else {
            format!(
                "the pack inherits a rule `{id}` from `{}`; to change it, write a file with \
                 `overrides: {id}` (docs/rule-language.md)",
                rule.origin
            )
        });
    }
    let (start, year) = starting_fixture(pack)?;
    let key = pack
        .as_of_pointer
        .strip_prefix('/')
        .filter(|key| !key.is_empty() && !key.contains('/'));
    let pass = format!(
        "# A snapshot `{id}` accepts: a copy of `{}`.\n# Edit it to show what the rule allows.\n{}",
        start.name, start.text
    );
    let fail = format!(
        "# A snapshot `{id}` rejects: the passing one, dated a year before\n\
         # `params.earliest`. Edit it to show what the rule forbids.\n{}",
        with_date(&start, &pack.as_of_pointer, &(year - 1).to_string())?
    );
    Ok(vec![
        NewFile {
            path: format!("{id}.yaml"),
            text: rule_text(id, year, key),
        },
        NewFile {
            path: format!("fixtures/{id}/pass.yaml"),
            text: pass,
        },
        NewFile {
            path: format!("fixtures/{id}/fail.yaml"),
            text: fail,
        },
    ])
}

fn is_rule_id(id: &str) -> bool {
    id.split('-').all(|word| {
        !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    }) && id.starts_with(|c: char| c.is_ascii_lowercase())
}

/// A passing fixture of the pack with its evaluation date's year: of those,
/// the one the whole pack finds least in, so the new rule's passing fixture
/// shows as little as the pack allows of other rules' findings.
fn starting_fixture(pack: &Pack) -> Result<(PackFile, i32), String> {
    pack.rules
        .iter()
        .filter(|rule| rule.runs())
        .flat_map(|rule| {
            rule.tests
                .iter()
                .filter(|case| case.expect.is_empty())
                .map(move |case| rule.fixture(case))
        })
        .filter_map(Result::ok)
        .filter_map(|file| {
            let root = load::parse(
                &SourceFile::new(file.name.clone(), file.text.clone()),
                &Limits::default(),
            )
            .ok()?;
            let date = check::recorded_date(&root, &pack.as_of_pointer)?;
            let year = PartialDate::parse(&date).ok()?.year();
            let input =
                check::Input::new(check::decode(&file.name, file.text.clone().into_bytes()));
            let checked = check::check(pack, input, &check::Options::default());
            let found = checked.report.findings.len() + checked.failures.len();
            Some((found, file, year))
        })
        .min_by_key(|(found, _, _)| *found)
        .map(|(_, file, year)| (file, year))
        .ok_or_else(|| {
            format!(
                "the pack has no passing fixture with a date at `{}` to start the new rule's \
                 fixtures from; add one to a rule's `tests`, or extend a pack that has one",
                pack.as_of_pointer
            )
        })
}

/// The fixture's text with the value at `pointer` replaced by `date`.
fn with_date(file: &PackFile, pointer: &str, date: &str) -> Result<String, String> {
    let source = SourceFile::new(file.name.clone(), file.text.clone());
    let root = load::parse(&source, &Limits::default()).map_err(|failure| failure.message)?;
    let span = root.locate(pointer).node.span;
    let mut text = file.text.clone();
    text.replace_range(span.start()..span.end(), date);
    Ok(text)
}

/// The rule file, in the built-in pack's style; `key` is where the date is
/// kept when it is a top-level field, for the docs examples and the pointer.
fn rule_text(id: &str, year: i32, key: Option<&str>) -> String {
    let (at, expect_at) = match key {
        Some(key) => (
            format!("    at: pointer(doc, '{key}')\n"),
            format!("/{key}"),
        ),
        None => (String::new(), String::new()),
    };
    let examples = key.map_or_else(String::new, |key| {
        format!(
            "  pass: |\n    {key}: {year}\n  fail: |\n    {key}: {}   # before `earliest`\n",
            year - 1
        )
    });
    format!(
        r#"# A new rule, from `govlint new rule {id}`. It passes `govlint test` as it is:
# replace each part with your requirement, then its fixtures, and run
# `govlint test --rules DIR` after each change. docs/rule-language.md has the
# language and every function. For completion in an editor: `govlint schema
# rules > rules.schema.json`, then `# yaml-language-server: $schema=...` here.
id: {id}
title: "Say here, in one sentence, what the records must show (for now: dated from {year} on)"
severity: error
clause:
  section: The section of your governing text
  text: The sentence of the text this rule enforces.
rationale: >-
  Why the rule reads the clause this way, and what it leaves to people.
# Numbers and names live here, never in a condition; dated `amendments`
# change them from a date.
params:
  earliest: {year}
# To check each item of a list, add `for_each: {{in: ..., as: item}}`.
checks:
  - assert: "!before(as_of, params.earliest)"
{at}    message: the records are dated ${{as_of}}, before ${{params.earliest}}
    label: dated ${{as_of}}
    help: date the records ${{params.earliest}} or later
docs:
  checks: >-
    The records' date is not before the year `earliest`.
  verdicts:
    contradiction: >-
      The records' date is certainly before `earliest`.
    not_recorded: >-
      Never.
    nothing: >-
      Never: `earliest` is a year, which every date can be placed against.
{examples}tests:
  - file: fixtures/{id}/pass.yaml
  - file: fixtures/{id}/fail.yaml
    expect:
      - at: "{expect_at}"
        severity: error
"#
    )
}
