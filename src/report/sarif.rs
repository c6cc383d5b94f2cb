//! The SARIF report: SARIF 2.1.0, one run, for code-scanning pages that underline
//! the offending line.

use crate::base::engine_rules::{ENGINE_RULES, EngineRule};
use crate::base::finding::{FileReport, Finding};
use crate::pack::{Pack, Rule};
use crate::report::json;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const SARIF_VERSION: &str = "2.1.0";

/// `term-length` → `TermLength`.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .into_iter()
                .flat_map(char::to_uppercase)
                .chain(chars)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn pack_rule(rule: &Rule) -> Value {
    let clause = &rule.clause;
    let mut markdown = format!(
        "{}\n\n**{}**: \"{}\"\n\n{}",
        rule.docs.checks, clause.section, clause.text, rule.rationale
    );
    for (heading, example) in [("Passes", &rule.docs.pass), ("Fails", &rule.docs.fail)] {
        if let Some(example) = example {
            let _ = write!(
                markdown,
                "\n\n{heading}:\n\n```yaml\n{}\n```",
                example.trim_end()
            );
        }
    }
    let mut descriptor = json!({
        "id": rule.id.as_ref(),
        "name": pascal_case(&rule.id),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.docs.checks},
        "help": {
            "text": format!("{}\n\nClause: {}", rule.docs.checks, rule.clause_text),
            "markdown": markdown,
        },
        "defaultConfiguration": {"level": rule.severity.as_str()},
        "properties": {"clause": rule.clause_text.as_ref()},
    });
    if rule.retired {
        descriptor["properties"]["retired"] = json!(true);
    }
    json::provenance(rule, &mut descriptor["properties"]);
    descriptor
}

fn engine_rule(rule: &EngineRule) -> Value {
    json!({
        "id": rule.id,
        "name": pascal_case(rule.id),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.checks},
        "help": {"text": rule.checks},
        "defaultConfiguration": {"level": rule.severity.as_str()},
    })
}

/// A rule id no descriptor knows (should not happen): described by its id alone.
fn unknown_rule(finding: &Finding) -> Value {
    json!({
        "id": finding.rule.as_ref(),
        "name": pascal_case(&finding.rule),
        "shortDescription": {"text": finding.rule.as_ref()},
        "defaultConfiguration": {"level": finding.severity.as_str()},
    })
}

/// A file path as a URI reference: relative paths stay relative, absolute ones
/// become `file://` URIs; anything a URI cannot hold is percent-encoded.
pub fn uri(path: &str) -> String {
    let path = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_owned()
    };
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 3
        && bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.get(1) == Some(&b':')
        && bytes.get(2) == Some(&b'/');
    let (mut out, rest) = if drive {
        (format!("file:///{}:", char::from(bytes[0])), &bytes[2..])
    } else if path.starts_with('/') {
        ("file://".to_owned(), bytes)
    } else {
        (String::new(), bytes)
    };
    for &byte in rest {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn result(finding: &Finding, rule_index: usize) -> Value {
    let location = &finding.location;
    let source = &location.source;
    let position = source.position(location.span);
    let region = |start_line, start_column, end_line, end_column| {
        json!({
            "startLine": start_line,
            "startColumn": start_column,
            "endLine": end_line,
            "endColumn": end_column,
        })
    };
    let artifact = json!({"uri": uri(source.name())});
    let mut text = finding.message.clone();
    if let Some(help) = &finding.help {
        text.push('\n');
        text.push_str(help);
    }
    let mut result = json!({
        "ruleId": finding.rule.as_ref(),
        "ruleIndex": rule_index,
        "level": finding.severity.as_str(),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact,
                "region": region(position.line, position.column, position.end_line, position.end_column),
            },
        }],
        // The rule, the record by content and what is said: the same finding in
        // another version of the file, lines moved, keeps it.
        "partialFingerprints": {
            "govlint/v2": crate::check::identity::hex(finding.fingerprint),
        },
    });
    if !finding.related.is_empty() {
        result["relatedLocations"] = finding
            .related
            .iter()
            .enumerate()
            .map(|(id, related)| {
                let at = source.position(related.span);
                json!({
                    "id": id,
                    "physicalLocation": {
                        "artifactLocation": artifact,
                        "region": region(at.line, at.column, at.end_line, at.end_column),
                    },
                    "message": {"text": related.label},
                })
            })
            .collect();
    }
    if let Some(fix) = &finding.fix {
        let at = fix.source.position(fix.span);
        result["fixes"] = json!([{
            "description": {"text": fix.description},
            "artifactChanges": [{
                "artifactLocation": {"uri": uri(fix.source.name())},
                "replacements": [{
                    "deletedRegion": region(at.line, at.column, at.end_line, at.end_column),
                    "insertedContent": {"text": fix.replacement},
                }],
            }],
        }]);
    }
    if let Some(reason) = &finding.waived {
        result["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": reason,
        }]);
    }
    let mut properties = json!({"path": location.pointer, "verdict": finding.verdict.as_str()});
    if let Some(clause) = &finding.clause {
        properties["clause"] = json!(clause.as_ref());
    }
    if let Some(fix) = &finding.fix {
        // SARIF has no word for it: whether the records determine the edit.
        properties["fixSafe"] = json!(fix.safe);
    }
    result["properties"] = properties;
    result
}

/// The log, written as it is laid out: the rules first (with any the findings
/// name that the pack does not), then each result, made only while it is written.
pub fn write(
    reports: &[FileReport],
    pack: &Pack,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut ids: Vec<&str> = Vec::new();
    let mut rules: Vec<Value> = Vec::new();
    for rule in &pack.rules {
        ids.push(&rule.id);
        rules.push(pack_rule(rule));
    }
    for rule in &ENGINE_RULES {
        if !ids.contains(&rule.id) {
            ids.push(rule.id);
            rules.push(engine_rule(rule));
        }
    }
    let findings: Vec<&Finding> = reports.iter().flat_map(|report| &report.findings).collect();
    for finding in &findings {
        if !ids.contains(&finding.rule.as_ref()) {
            ids.push(&finding.rule);
            rules.push(unknown_rule(finding));
        }
    }
    let index: HashMap<&str, usize> = ids.iter().enumerate().map(|(at, id)| (*id, at)).collect();
    // The members in the order SARIF viewers show them.
    #[derive(serde::Serialize)]
    struct Log<'a> {
        #[serde(rename = "$schema")]
        schema: &'static str,
        version: &'static str,
        runs: [Run<'a>; 1],
    }
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Run<'a> {
        tool: Value,
        column_kind: &'static str,
        results: Results<'a>,
    }
    let log = Log {
        schema: SCHEMA_URI,
        version: SARIF_VERSION,
        runs: [Run {
            tool: json!({
                "driver": {
                    "name": "govlint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                },
            }),
            column_kind: "unicodeCodePoints",
            results: Results {
                findings: &findings,
                index: &index,
            },
        }],
    };
    let mut out = std::io::BufWriter::new(out);
    serde::Serialize::serialize(&log, &mut serde_json::Serializer::pretty(&mut out))?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The results, each turned into JSON as the serializer reaches it.
struct Results<'a> {
    findings: &'a [&'a Finding],
    index: &'a HashMap<&'a str, usize>,
}

impl serde::Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.findings.iter().map(|finding| {
            let index = self
                .index
                .get(finding.rule.as_ref())
                .copied()
                .unwrap_or_default();
            result(finding, index)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_pascal_case() {
        assert_eq!(pascal_case("waiver-unused"), "WaiverUnused");
        assert_eq!(pascal_case("schema"), "Schema");
    }

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("tests/data/a b.yaml"), "tests/data/a%20b.yaml");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri("a:b%.yaml"), "a%3Ab%25.yaml");
        assert_eq!(uri("/abs/Québec.yaml"), "file:///abs/Qu%C3%A9bec.yaml");
    }
}
