//! A pack's own fixtures, run against its rules: each case names the exact findings
//! of its rule that the fixture must produce.

use crate::check::{self, Options};
use crate::finding::Severity;
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
                fixtures.push((case.file.clone(), fixture));
            }
        }
    }
    fixtures
        .par_iter()
        .flat_map_iter(|(file, fixture)| {
            let violations =
                crate::properties::check_properties(pack, &fixture.name, &fixture.text);
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

/// The rules' own test cases, without the properties.
pub fn cases(pack: &Pack) -> Vec<CaseResult> {
    let mut results = Vec::new();
    for rule in pack.rules.iter().filter(|rule| rule.runs()) {
        for case in &rule.tests {
            results.push(CaseResult {
                rule: rule.id.to_string(),
                file: case.file.clone(),
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
    }
    results
}

fn run_case(pack: &Pack, rule: &Rule, case: &TestCase) -> Result<(), String> {
    let expected = &case.expect;
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
    // Structure and syntax findings (which cite no clause) mean the fixture itself is broken.
    let mut found: Vec<(&str, &str, Severity)> = checked
        .report
        .findings
        .iter()
        .filter(|finding| finding.rule == rule.id || finding.clause.is_none())
        .map(|finding| {
            (
                finding.rule.as_ref(),
                finding.location.pointer.as_str(),
                finding.severity,
            )
        })
        .collect();
    let mut wanted: Vec<&Expected> = expected.iter().collect();
    found.sort();
    wanted.sort();
    let matches = found.len() == wanted.len()
        && found
            .iter()
            .zip(&wanted)
            .all(|((id, at, severity), expectation)| {
                *id == rule.id.as_ref()
                    && *at == expectation.at
                    && expectation.severity.is_none_or(|s| s == *severity)
            });
    if matches {
        return Ok(());
    }
    let found: Vec<String> = found
        .iter()
        .map(|(id, at, severity)| format!("{} {id} at `{at}`", severity.as_str()))
        .collect();
    let wanted: Vec<String> = wanted
        .iter()
        .map(|e| format!("{} at `{}`", rule.id, e.at))
        .collect();
    let show = |list: &[String]| {
        if list.is_empty() {
            "nothing".to_owned()
        } else {
            list.join(", ")
        }
    };
    Err(format!(
        "expected {}; found {}",
        show(&wanted),
        show(&found)
    ))
}
