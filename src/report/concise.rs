//! One line per finding, as compilers and ruff print them:
//! `file:line:col: severity rule: message`, then the summary line.

use crate::base::finding::{FileReport, Finding};
use crate::base::source::for_terminal;
use crate::check::eval::RuleFailure;
use crate::report::statistics::summary;
use std::io::Write;

/// The finding on one line; help and clause are left to the human report.
pub fn line(finding: &Finding) -> String {
    let severity = if finding.waived.is_some() {
        "waived"
    } else {
        finding.severity.as_str()
    };
    place_and(
        finding,
        &format!("{severity} {}: {}", finding.title(), finding.message),
    )
}

/// `file:line:col: TEXT`, safe for a terminal and on one line (a value quoted
/// in a message may hold a line break).
pub fn place_and(finding: &Finding, text: &str) -> String {
    let location = &finding.location;
    let position = location.source.position(location.span);
    let line = format!(
        "{}:{}:{}: {text}",
        location.source.name(),
        position.line,
        position.column,
    );
    for_terminal(&line.replace('\n', " ")).into_owned()
}

pub fn write(
    reports: &[FileReport],
    failures: &[RuleFailure],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(out);
    for finding in reports.iter().flat_map(|report| &report.findings) {
        writeln!(out, "{}", line(finding))?;
    }
    for failure in failures {
        writeln!(
            out,
            "{}: rule-error {}: {}",
            for_terminal(&failure.file),
            failure.rule,
            for_terminal(&failure.message)
        )?;
    }
    writeln!(out, "{}", summary(reports, failures))?;
    out.flush()
}
