//! A pack's own fixtures, run against its rules: each case names the exact findings
//! of its rule that the fixture must produce.

use crate::base::finding::{Severity, Verdict};
use crate::base::source::SourceFile;
use crate::check::eval;
use crate::check::{self, Options};
use crate::document::merge::Document;
use crate::load::{self, Limits};

use crate::pack::{Expected, Pack, Rule, TestCase};
use rayon::prelude::*;

#[derive(Debug)]
pub struct CaseResult {
    pub rule: String,
    pub file: String,
    /// What went wrong, or `None` when the fixture produced exactly what it expects.
    pub problem: Option<String>,
}

/// Run every test case of every rule, flag rules that lack a passing or failing
/// case, then hold every rule to the properties on every fixture.
pub fn run(pack: &Pack) -> Vec<CaseResult> {
    let mut results = cases(pack);
    results.extend(properties(pack));
    results
}

/// Every fixture of the pack, once, checked against the properties: one
/// result per fixture that keeps them all, one per violation otherwise.
fn properties(pack: &Pack) -> Vec<CaseResult> {
    let mut seen = std::collections::HashSet::new();
    let mut fixtures = Vec::new();
    for rule in pack.rules.iter().filter(|rule| rule.runs()) {
        for case in &rule.tests {
            // Unreadable fixtures are reported by their own cases.
            if let Ok(fixture) = rule.fixture(case)
                && seen.insert(fixture.name.clone())
            {
                fixtures.push((shown(pack, rule, case), fixture));
            }
        }
    }
    fixtures
        .par_iter()
        .flat_map_iter(|(file, fixture)| {
            let violations =
                crate::check::properties::check_properties(pack, &fixture.name, &fixture.text);
            let kept = violations.is_empty().then(|| CaseResult {
                rule: "properties".to_owned(),
                file: file.clone(),
                problem: None,
            });
            let broken = violations.into_iter().map(|violation| CaseResult {
                rule: violation.rule.clone(),
                file: file.clone(),
                problem: Some(violation.describe()),
            });
            kept.into_iter().chain(broken).collect::<Vec<_>>()
        })
        .collect()
}

/// A test case's fixture as the author finds it: by its place in the folder
/// of the pack under test, or by its pack's name and place if inherited.
fn shown(pack: &Pack, rule: &Rule, case: &TestCase) -> String {
    let file = rule.case_file(case);
    let from = rule.case_pack(case);
    if from == pack.name {
        file
    } else {
        format!("{file} (pack `{from}`)")
    }
}

/// The test cases of a rule a pack disabled: those the disabling pack (or a
/// later one) gives, which hold it to silence; the inherited ones expect
/// what the rule found before it was switched off, so they are not run.
fn disabled_cases(pack: &Pack, rule: &Rule) -> Vec<CaseResult> {
    rule.tests
        .iter()
        .filter(|case| case.pack.is_some())
        .map(|case| CaseResult {
            rule: rule.id.to_string(),
            file: shown(pack, rule, case),
            problem: run_case(pack, rule, case).err(),
        })
        .collect()
}

/// The rules' own test cases and docs examples, without the properties.
pub fn cases(pack: &Pack) -> Vec<CaseResult> {
    let mut results = Vec::new();
    for rule in pack.rules.iter().filter(|rule| !rule.retired) {
        if !rule.runs() {
            results.extend(disabled_cases(pack, rule));
            continue;
        }
        for case in &rule.tests {
            results.push(CaseResult {
                rule: rule.id.to_string(),
                file: shown(pack, rule, case),
                problem: run_case(pack, rule, case).err(),
            });
        }
        let fails = rule
            .tests
            .iter()
            .filter(|case| !case.expect.is_empty())
            .count();
        if fails == 0 || fails == rule.tests.len() {
            results.push(CaseResult {
                rule: rule.id.to_string(),
                file: rule.file.clone(),
                problem: Some(
                    "the rule needs at least one passing and one failing fixture".to_owned(),
                ),
            });
        }
        results.extend(docs_examples(pack, rule));
    }
    results
}

/// A rule's `docs.pass` must give no finding of the rule, its `docs.fail` at
/// least one. The examples are fragments (no `format`, no `group`…), so they
/// are judged by the rules alone, without the structure check, at their own
/// `as_of` if they give one and otherwise at the latest date there is (every
/// term has begun, every deadline passed); only the rule's own findings count.
fn docs_examples(pack: &Pack, rule: &Rule) -> Vec<CaseResult> {
    [
        ("docs.pass", &rule.docs.pass, false),
        ("docs.fail", &rule.docs.fail, true),
    ]
    .into_iter()
    .filter_map(|(name, example, fails)| {
        let text = example.as_ref()?;
        let problem = run_example(pack, rule, name, text, fails).err();
        let inherited = if *rule.origin == *pack.name {
            String::new()
        } else {
            format!(" (pack `{}`)", rule.origin)
        };
        Some(CaseResult {
            rule: rule.id.to_string(),
            file: format!("{} {name}{inherited}", rule.file),
            problem,
        })
    })
    .collect()
}

/// The date a docs example is judged at when it gives none.
const LATEST_DATE: &str = "9999-12-31";

fn run_example(
    pack: &Pack,
    rule: &Rule,
    name: &str,
    text: &str,
    fails: bool,
) -> Result<(), String> {
    let source = SourceFile::new(format!("{} {name}", rule.file), text.to_owned());
    let root = load::parse(&source, &Limits::default())
        .map_err(|failure| format!("{name} is not YAML: {}", failure.message))?;
    let as_of =
        check::recorded_date(&root, &pack.as_of_pointer).unwrap_or_else(|| LATEST_DATE.to_owned());
    let document = Document {
        source,
        root,
        overlay: None,
    };
    let outcome = eval::evaluate(
        pack,
        &document,
        &eval::Moment::at(&as_of),
        check::DEFAULT_MAX_EVAL_STEPS,
    );
    if let Some(failure) = outcome.failures.iter().find(|f| f.rule == rule.id) {
        return Err(format!(
            "the rule could not run on {name}: {}",
            failure.message
        ));
    }
    let own = outcome
        .findings
        .iter()
        .find(|finding| finding.rule == rule.id);
    match (fails, own) {
        (true, None) => Err(format!(
            "{name} gives no finding of the rule; it should give one"
        )),
        (false, Some(finding)) => Err(format!(
            "{name} should pass, but gives: {} at `{}`",
            finding.message, finding.location.pointer
        )),
        _ => Ok(()),
    }
}

/// A finding as a test case compares it.
struct Found<'a> {
    rule: &'a str,
    at: &'a str,
    severity: Severity,
    verdict: Verdict,
    message: &'a str,
}

impl Found<'_> {
    fn meets(&self, expected: &Expected, rule: &Rule) -> bool {
        self.rule == expected.rule.as_deref().unwrap_or(&rule.id)
            && self.at == expected.at
            && expected.severity.is_none_or(|s| s == self.severity)
            && expected.verdict.is_none_or(|v| v == self.verdict)
            && expected
                .message
                .as_ref()
                .is_none_or(|text| self.message.contains(text.as_str()))
    }
}

fn run_case(pack: &Pack, rule: &Rule, case: &TestCase) -> Result<(), String> {
    let fixture = rule.fixture(case)?;
    let input = check::Input::new(check::decode(&fixture.name, fixture.text.into_bytes()));
    let checked = check::check(pack, input, &Options::default());
    // The rule under test's own failure first: another rule's says less about it.
    let failure = checked
        .failures
        .iter()
        .find(|failure| failure.rule == rule.id)
        .or_else(|| checked.failures.first());
    if let Some(failure) = failure {
        return Err(format!(
            "the rule {} could not run: {}",
            failure.rule, failure.message
        ));
    }
    // The rule's own findings, and the engine's (structure, dates, syntax: they
    // cite no clause), which mean a broken fixture unless expected.
    let found: Vec<Found> = checked
        .report
        .findings
        .iter()
        .filter(|finding| finding.rule == rule.id || finding.clause.is_none())
        .map(|finding| Found {
            rule: &finding.rule,
            at: &finding.location.pointer,
            severity: finding.severity,
            verdict: finding.verdict,
            message: &finding.message,
        })
        .collect();
    // Each expectation takes a finding it describes; none may be left over.
    let mut unmatched: Vec<&Found> = found.iter().collect();
    let mut missing: Vec<&Expected> = Vec::new();
    for expected in &case.expect {
        match unmatched
            .iter()
            .position(|found| found.meets(expected, rule))
        {
            Some(index) => {
                unmatched.remove(index);
            }
            None => missing.push(expected),
        }
    }
    if missing.is_empty() && unmatched.is_empty() {
        return Ok(());
    }
    let show = |list: Vec<String>| {
        if list.is_empty() {
            "nothing".to_owned()
        } else {
            list.join(", ")
        }
    };
    let wanted = case.expect.iter().map(|expected| {
        let message = expected
            .message
            .as_ref()
            .map_or_else(String::new, |text| format!(" saying \"{text}\""));
        let verdict = expected
            .verdict
            .map_or_else(String::new, |verdict| format!(" ({})", verdict.as_str()));
        format!(
            "{}{verdict} at `{}`{message}",
            expected.rule.as_deref().unwrap_or(&rule.id),
            expected.at
        )
    });
    // The verdicts found are shown when an expectation names one.
    let verdicts = case
        .expect
        .iter()
        .any(|expected| expected.verdict.is_some());
    let found = found.iter().map(|found| {
        let verdict = if verdicts {
            format!(" ({})", found.verdict.as_str())
        } else {
            String::new()
        };
        format!(
            "{} {}{verdict} at `{}` (\"{}\")",
            found.severity.as_str(),
            found.rule,
            found.at,
            found.message
        )
    });
    let silent = rule.disabled.as_ref().map_or_else(String::new, |disabled| {
        format!(
            " (`{}` is disabled by pack `{}`, so it reports nothing)",
            rule.id, disabled.by
        )
    });
    Err(format!(
        "expected {}; found {}{silent}",
        show(wanted.collect()),
        show(found.collect())
    ))
}
