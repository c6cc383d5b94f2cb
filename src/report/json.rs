//! The JSON report: one object, versioned, stable across releases.

use crate::eval::RuleFailure;
use crate::finding::{FileReport, Finding, Severity};
use serde_json::{Value, json};

pub const FORMAT_VERSION: u32 = 1;

pub fn render(reports: &[FileReport], failures: &[RuleFailure]) -> String {
    let findings: Vec<&Finding> = reports.iter().flat_map(|report| &report.findings).collect();
    let count = |severity: Severity| {
        findings
            .iter()
            .filter(|finding| finding.waived.is_none() && finding.severity == severity)
            .count()
    };
    let document = json!({
        "version": FORMAT_VERSION,
        "tool": {"name": "govlint", "version": env!("CARGO_PKG_VERSION")},
        "files": reports
            .iter()
            .map(|report| {
                let mut file = json!({"path": report.source.name(), "findings": report.findings.len()});
                if let Some(baseline) = &report.baseline {
                    file["baseline"] = json!({"path": baseline.file, "already_present": baseline.already_present});
                }
                file
            })
            .collect::<Vec<_>>(),
        "findings": findings.iter().map(|finding| finding_json(finding)).collect::<Vec<_>>(),
        "rule_errors": failures
            .iter()
            .map(|failure| json!({
                "rule": failure.rule.as_ref(),
                "file": failure.file,
                "path": failure.pointer,
                "message": failure.message,
            }))
            .collect::<Vec<_>>(),
        "summary": {
            "errors": count(Severity::Error),
            "warnings": count(Severity::Warning),
            "waived": findings.iter().filter(|finding| finding.waived.is_some()).count(),
            "files": reports.len(),
        },
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn finding_json(finding: &Finding) -> Value {
    let location = &finding.location;
    let position = location.source.position(location.span);
    json!({
        "rule": finding.rule.as_ref(),
        "severity": finding.severity.as_str(),
        "verdict": finding.verdict.as_str(),
        "message": finding.message,
        "file": location.source.name(),
        "path": location.pointer,
        "line": position.line,
        "column": position.column,
        "end_line": position.end_line,
        "end_column": position.end_column,
        "help": finding.help,
        "clause": finding.clause.as_deref(),
        "waived": finding.waived,
        "fingerprint": crate::identity::hex(finding.fingerprint),
    })
}
