//! How many findings each rule gave, by verdict and severity: the overview a
//! long report opens with, `--statistics`, the JSON report's counts, and the
//! summary line every text report ends with.

use crate::base::finding::{Compared, FileReport, Severity, Verdict};
use crate::base::source::for_terminal;
use crate::check::eval::RuleFailure;
use std::collections::BTreeMap;

/// The findings of one rule with one verdict and severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub rule: String,
    pub verdict: Verdict,
    pub severity: Severity,
    /// Findings not waived.
    pub count: usize,
    pub waived: usize,
}

/// One row per rule, verdict and severity, the most frequent first.
pub fn rows(reports: &[FileReport]) -> Vec<Row> {
    let mut counts: BTreeMap<(&str, Verdict, Severity), (usize, usize)> = BTreeMap::new();
    for finding in reports.iter().flat_map(|report| &report.findings) {
        let entry = counts
            .entry((&finding.rule, finding.verdict, finding.severity))
            .or_default();
        if finding.waived.is_some() {
            entry.1 += 1;
        } else {
            entry.0 += 1;
        }
    }
    let mut rows: Vec<Row> = counts
        .into_iter()
        .map(|((rule, verdict, severity), (count, waived))| Row {
            rule: rule.to_owned(),
            verdict,
            severity,
            count,
            waived,
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.severity, b.count + b.waived, &a.rule).cmp(&(a.severity, a.count + a.waived, &b.rule))
    });
    rows
}

/// The rows as an aligned table, one line each:
/// `  17  warning  member-declaration-signed (not recorded)`.
pub fn table(rows: &[Row]) -> String {
    let width = rows
        .iter()
        .map(|row| (row.count + row.waived).to_string().len())
        .max()
        .unwrap_or(1);
    rows.iter()
        .map(|row| {
            let verdict = match row.verdict {
                Verdict::Contradiction => String::new(),
                Verdict::NotRecorded => format!(" ({})", row.verdict.words()),
            };
            let waived = if row.waived > 0 {
                format!(", {} waived", row.waived)
            } else {
                String::new()
            };
            format!(
                "  {:>width$}  {:<7}  {}{verdict}{waived}\n",
                row.count + row.waived,
                row.severity.as_str(),
                row.rule
            )
        })
        .collect()
}

pub fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// `2 errors, 1 warning in 3 files` (and what was waived or could not run).
pub fn summary(reports: &[FileReport], failures: &[RuleFailure]) -> String {
    let live = || {
        reports
            .iter()
            .flat_map(|report| &report.findings)
            .filter(|f| f.waived.is_none())
    };
    let errors = live().filter(|f| f.severity == Severity::Error).count();
    let warnings = live().filter(|f| f.severity == Severity::Warning).count();
    let waived = reports
        .iter()
        .flat_map(|report| &report.findings)
        .filter(|f| f.waived.is_some())
        .count();
    let files = plural(reports.len(), "file");
    let counts = format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    // A proposal is judged by what adopting it would change, so say it that way.
    let proposal = match reports {
        [report]
            if report
                .baseline
                .as_ref()
                .is_some_and(|baseline| baseline.against == Compared::Proposal) =>
        {
            Some(for_terminal(report.source.name()))
        }
        _ => None,
    };
    let mut line = match (proposal, errors + warnings) {
        (Some(name), 0) => format!("adopting {name} would introduce no problem"),
        (Some(name), _) => format!("adopting {name} would introduce {counts}"),
        (None, 0) => format!("no problems found in {files}"),
        (None, _) => format!("{counts} in {files}"),
    };
    if waived > 0 {
        line.push_str(&format!("; {waived} waived"));
    }
    if !failures.is_empty() {
        line.push_str(&format!(
            "; {} could not be evaluated",
            plural(failures.len(), "rule check")
        ));
    }
    line
}
