//! The agenda as JSON, in the shape `schemas/agenda.schema.json` describes.

use super::{Agenda, Entry};
use serde_json::{Value, json};

/// The agendas of the files checked, as one JSON document.
pub fn render(agendas: &[Agenda]) -> String {
    let files: Vec<Value> = agendas.iter().map(file).collect();
    let mut out = serde_json::to_string_pretty(&json!({
        "version": 1,
        "files": files,
    }))
    .unwrap_or_default();
    out.push('\n');
    out
}

fn file(agenda: &Agenda) -> Value {
    json!({
        "file": agenda.file,
        "as_of": agenda.as_of,
        "until": agenda.until.to_string(),
        "entries": agenda.entries.iter().map(entry).collect::<Vec<_>>(),
    })
}

fn entry(entry: &Entry) -> Value {
    let finding = &entry.finding;
    let position = finding.location.source.position(finding.location.span);
    json!({
        "due": entry.due.to_string(),
        "earliest": entry.due.first_day().to_string(),
        "latest": entry.due.last_day().to_string(),
        "status": entry.status.name(),
        "rule": finding.rule.as_ref(),
        "verdict": finding.verdict.as_str(),
        "message": finding.message,
        "help": finding.help,
        "clause": finding.clause.as_deref(),
        "file": finding.location.source.name(),
        "line": position.line,
        "column": position.column,
        "pointer": finding.location.pointer,
    })
}
