//! The JUnit report: one test suite per file, one test case per rule, failed with the
//! rule's findings in that file that fail the run. A warning that does not fail
//! the run (no `--deny-warnings`) is told in the case's output, as a waived
//! finding is, so a run that exits 0 has no failed test case.

use crate::base::engine_rules::ENGINE_RULES;
use crate::base::finding::{FileReport, Finding, Severity, Verdict};
use crate::pack::{Pack, Rule};
use crate::report::xml::escape;
use std::io::Write;

/// Free text on one line: line breaks and tabs become spaces.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// `LINE:COL severity message (help)`, with the file first when it is not the
/// suite's, and `(not recorded)` after the severity for missing evidence.
fn line(finding: &Finding, suite_file: &str) -> String {
    let location = &finding.location;
    let position = location.source.position(location.span);
    let mut text = String::new();
    if location.source.name() != suite_file {
        text.push_str(location.source.name());
        text.push(':');
    }
    text += &format!(
        "{}:{} {}{} {}",
        position.line,
        position.column,
        finding.severity.as_str(),
        match finding.verdict {
            Verdict::Contradiction => String::new(),
            Verdict::NotRecorded => format!(" ({})", finding.verdict.words()),
        },
        finding.message
    );
    if let Some(help) = &finding.help {
        text += &format!(" ({help})");
    }
    if let Some(reason) = &finding.waived {
        text += &format!(" (waived: {reason})");
    }
    escape(&one_line(&text))
}

/// One rule's verdict on one file.
struct Case<'a> {
    rule: &'a str,
    /// Why the rule does not run (retired, or disabled by a pack), if it does not.
    skipped: Option<String>,
    failing: Vec<&'a Finding>,
    /// Findings that do not fail the run: waived, or warnings not denied.
    waived: Vec<&'a Finding>,
}

fn skip_reason(rule: &Rule) -> Option<String> {
    match (&rule.disabled, rule.retired) {
        (Some(disabled), _) => Some(format!("disabled by {}: {}", disabled.by, disabled.reason)),
        (None, true) => Some("retired rule".to_owned()),
        (None, false) => None,
    }
}

fn cases<'a>(
    report: &'a FileReport,
    pack: &'a Pack,
    engine: &[&'a str],
    deny_warnings: bool,
) -> Vec<Case<'a>> {
    let mut cases: Vec<Case<'a>> = pack
        .rules
        .iter()
        .map(|rule| Case {
            rule: &rule.id,
            skipped: skip_reason(rule),
            failing: Vec::new(),
            waived: Vec::new(),
        })
        .collect();
    let mut extra: Vec<&'a str> = Vec::new();
    for finding in &report.findings {
        let rule: &str = &finding.rule;
        if !cases.iter().any(|case| case.rule == rule) && !extra.contains(&rule) {
            extra.push(rule);
        }
    }
    // Engine codes in their fixed order, then anything else in order of appearance.
    extra.sort_by_key(|rule| {
        engine
            .iter()
            .position(|id| id == rule)
            .unwrap_or(usize::MAX)
    });
    cases.extend(extra.into_iter().map(|rule| Case {
        rule,
        skipped: None,
        failing: Vec::new(),
        waived: Vec::new(),
    }));
    for finding in &report.findings {
        if let Some(case) = cases
            .iter_mut()
            .find(|case| case.rule == finding.rule.as_ref())
        {
            if finding.fails(deny_warnings) {
                case.failing.push(finding);
            } else {
                case.waived.push(finding);
            }
        }
    }
    cases
}

fn suite(report: &FileReport, cases: &[Case<'_>], out: &mut dyn Write) -> std::io::Result<()> {
    let file = report.source.name();
    let failures = cases.iter().filter(|case| !case.failing.is_empty()).count();
    let skipped = cases
        .iter()
        .filter(|case| case.skipped.is_some() && case.failing.is_empty())
        .count();
    writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">",
        escape(file),
        cases.len(),
    )?;
    for case in cases {
        write!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\"",
            escape(case.rule),
            escape(file)
        )?;
        if case.failing.is_empty() && case.waived.is_empty() && case.skipped.is_none() {
            out.write_all(b"/>\n")?;
            continue;
        }
        out.write_all(b">\n")?;
        if !case.failing.is_empty() {
            let count = case.failing.len();
            let noun = if count == 1 { "finding" } else { "findings" };
            let kind = if case.failing.iter().any(|f| f.severity == Severity::Error) {
                "error"
            } else {
                "warning"
            };
            write!(
                out,
                "      <failure message=\"{count} {noun}\" type=\"{kind}\">"
            )?;
            lines(&case.failing, file, out)?;
            out.write_all(b"</failure>\n")?;
        } else if let Some(reason) = &case.skipped {
            writeln!(out, "      <skipped message=\"{}\"/>", escape(reason))?;
        }
        if !case.waived.is_empty() {
            out.write_all(b"      <system-out>")?;
            lines(&case.waived, file, out)?;
            out.write_all(b"</system-out>\n")?;
        }
        out.write_all(b"    </testcase>\n")?;
    }
    out.write_all(b"  </testsuite>\n")
}

/// Findings a line each, each made as it is written.
fn lines(findings: &[&Finding], suite_file: &str, out: &mut dyn Write) -> std::io::Result<()> {
    for (index, finding) in findings.iter().enumerate() {
        if index > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(line(finding, suite_file).as_bytes())?;
    }
    Ok(())
}

pub fn write(
    reports: &[FileReport],
    pack: &Pack,
    deny_warnings: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let engine: Vec<&str> = ENGINE_RULES.iter().map(|rule| rule.id).collect();
    let suites: Vec<(&FileReport, Vec<Case<'_>>)> = reports
        .iter()
        .map(|report| (report, cases(report, pack, &engine, deny_warnings)))
        .collect();
    let all = || suites.iter().flat_map(|(_, cases)| cases);
    let tests = all().count();
    let failures = all().filter(|case| !case.failing.is_empty()).count();
    let skipped = all()
        .filter(|case| case.skipped.is_some() && case.failing.is_empty())
        .count();
    let mut out = std::io::BufWriter::new(out);
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    writeln!(
        out,
        "<testsuites name=\"govlint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">"
    )?;
    for (report, cases) in &suites {
        suite(report, cases, &mut out)?;
    }
    out.write_all(b"</testsuites>\n")?;
    out.flush()
}
