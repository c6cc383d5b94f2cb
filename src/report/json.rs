//! The JSON report: one object, versioned, stable across releases.

use crate::base::finding::{FileReport, Finding, Severity};
use crate::check::eval::RuleFailure;
use crate::pack::{Pack, Rule};
use crate::report::statistics;
use serde_json::{Value, json};
use std::io::Write as _;

pub const FORMAT_VERSION: u32 = 1;

pub fn render(reports: &[FileReport], failures: &[RuleFailure]) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write(reports, failures, None, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The report, written as it is laid out: each finding becomes JSON only while
/// it is written, so a report of many findings costs no more memory than one.
/// With the pack, the rules that found something say where they come from.
pub fn write(
    reports: &[FileReport],
    failures: &[RuleFailure],
    pack: Option<&Pack>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let findings: Vec<&Finding> = reports.iter().flat_map(|report| &report.findings).collect();
    let count = |severity: Severity| {
        findings
            .iter()
            .filter(|finding| finding.waived.is_none() && finding.severity == severity)
            .count()
    };
    // The fields in the order the format has always had.
    #[derive(serde::Serialize)]
    struct Document<'a> {
        version: u32,
        tool: Value,
        files: Vec<Value>,
        findings: Findings<'a>,
        rule_errors: Vec<Value>,
        summary: Value,
        statistics: Vec<Value>,
        rules: Vec<Value>,
    }
    let document = Document {
        version: FORMAT_VERSION,
        tool: json!({"name": "govlint", "version": env!("CARGO_PKG_VERSION")}),
        files: reports
            .iter()
            .map(|report| {
                let mut file =
                    json!({"path": report.source.name(), "findings": report.findings.len()});
                if let Some(baseline) = &report.baseline {
                    file["baseline"] =
                        json!({"path": baseline.file, "already_present": baseline.already_present});
                }
                file
            })
            .collect(),
        findings: Findings(&findings),
        rule_errors: failures
            .iter()
            .map(|failure| {
                json!({
                    "rule": failure.rule.as_ref(),
                    "file": failure.file,
                    "path": failure.pointer,
                    "message": failure.message,
                })
            })
            .collect(),
        summary: json!({
            "errors": count(Severity::Error),
            "warnings": count(Severity::Warning),
            "waived": findings.iter().filter(|finding| finding.waived.is_some()).count(),
            "files": reports.len(),
        }),
        statistics: statistics::rows(reports)
            .into_iter()
            .map(|row| {
                json!({
                    "rule": row.rule,
                    "verdict": row.verdict.as_str(),
                    "severity": row.severity.as_str(),
                    "count": row.count,
                    "waived": row.waived,
                })
            })
            .collect(),
        rules: pack
            .into_iter()
            .flat_map(|pack| &pack.rules)
            .filter(|rule| findings.iter().any(|finding| finding.rule == rule.id))
            .map(|rule| {
                let mut described = json!({"id": rule.id.as_ref()});
                provenance(rule, &mut described);
                described
            })
            .collect(),
    };
    let mut out = std::io::BufWriter::new(out);
    serde::Serialize::serialize(&document, &mut serde_json::Serializer::pretty(&mut out))?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The findings, each turned into JSON as the serializer reaches it.
struct Findings<'a>(&'a [&'a Finding]);

impl serde::Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|finding| finding_json(finding)))
    }
}

fn finding_json(finding: &Finding) -> Value {
    let location = &finding.location;
    let position = location.source.position(location.span);
    let mut value = json!({
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
        "fingerprint": crate::check::identity::hex(finding.fingerprint),
    });
    if let Some(fix) = &finding.fix {
        let at = fix.source.position(fix.span);
        value["fix"] = json!({
            "safe": fix.safe,
            "file": fix.source.name(),
            "path": fix.pointer,
            "line": at.line, "column": at.column, "end_line": at.end_line, "end_column": at.end_column,
            "start_byte": fix.span.start(), "end_byte": fix.span.end(),
            "replacement": fix.replacement,
            "description": fix.description,
        });
    }
    value
}

/// Where a rule comes from: the pack that wrote it, the packs that changed
/// or disabled it, and which pack set each version of its parameters.
pub fn provenance(rule: &Rule, properties: &mut Value) {
    properties["pack"] = json!(rule.origin.as_ref());
    if !rule.changes.is_empty() {
        properties["changes"] = rule
            .changes
            .iter()
            .map(|change| json!({"pack": change.by.as_ref(), "change": change.what}))
            .collect();
    }
    if let Some(disabled) = &rule.disabled {
        properties["disabled"] = json!({"pack": disabled.by.as_ref(), "reason": disabled.reason});
    }
    let versions = rule.params.versions();
    if versions.len() > 1 {
        properties["params"] = versions
            .iter()
            .map(|version| {
                json!({
                    "from": version.from.map(|date| date.to_string()),
                    "values": version.values,
                    "pack": version.origin.as_ref(),
                })
            })
            .collect();
    }
}
