//! Code actions on a finding: the fix it carries (a safe one as the preferred
//! quick fix, an unsafe one marked as a choice to confirm), and a waiver of it
//! written into the records with a reason to fill in and an expiry.

use super::Server;
use super::text::{Lines, uri_of};
use crate::base::finding::{Finding, Fix};
use crate::base::source::{SourceFile, Span};
use crate::document::edit;
use crate::document::merge::Document;
use crate::load::{self, Limits, Value};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Range, TextEdit, Uri,
    WorkspaceEdit,
};
use serde_json::Value as Json;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// How long a waiver written from the editor lasts until someone renews it.
const WAIVER_DAYS: i64 = 365;

pub fn actions(server: &Server, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let uri = &params.text_document.uri;
    let Some(open) = server.documents.get(uri) else {
        return Vec::new();
    };
    let lines = Lines::new(&open.text);
    let mut actions = Vec::new();
    for finding in &open.findings {
        let span = finding.location.span;
        if !overlaps(lines.range(span.start(), span.end()), params.range) {
            continue;
        }
        if let Some(fix) = &finding.fix
            && let Some(action) = fix_action(uri, &open.text, &lines, finding, fix)
        {
            actions.push(CodeActionOrCommand::CodeAction(action));
        }
        if let Some(action) = waive_action(server, uri, &open.text, finding) {
            actions.push(CodeActionOrCommand::CodeAction(action));
        }
    }
    actions
}

/// Whether two ranges touch (an empty range at a finding's edge counts).
fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

fn fix_action(
    uri: &Uri,
    text: &str,
    lines: &Lines,
    finding: &Finding,
    fix: &Fix,
) -> Option<CodeAction> {
    // The edit lands in the file that holds the node: this document, or the
    // records a proposal merges into.
    let (target, range) = if fix.source.text() == text {
        (uri.clone(), lines.range(fix.span.start(), fix.span.end()))
    } else {
        let other = Lines::new(fix.source.text());
        (
            uri_of(Path::new(fix.source.name()))?,
            other.range(fix.span.start(), fix.span.end()),
        )
    };
    let title = if fix.safe {
        format!("Fix {}: {}", finding.rule, fix.description)
    } else {
        format!(
            "Fix {}: {} (unsafe: a choice to confirm)",
            finding.rule, fix.description
        )
    };
    Some(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        is_preferred: Some(fix.safe),
        edit: Some(edit_of(target, range, fix.replacement.clone())),
        ..CodeAction::default()
    })
}

/// "Waive this finding": a waiver added to the records' list, when the pack
/// keeps waivers, the finding names a node, and it is not waived already.
fn waive_action(server: &Server, uri: &Uri, text: &str, finding: &Finding) -> Option<CodeAction> {
    let pack = server.pack.as_ref().ok()?;
    let list = pack.waivers_pointer.as_deref()?;
    if finding.waived.is_some() || finding.document_pointer.is_empty() {
        return None;
    }
    let source = SourceFile::new(finding.location.source.name(), text);
    let root = load::parse(&source, &Limits::default()).ok()?;
    let document = Document {
        source: Arc::clone(&source),
        root,
        overlay: None,
    };
    let others = required_of_item(pack.structure.schema(), list);
    let item = waiver(&finding.rule, &finding.document_pointer, today()?, &others);
    let (span, replacement) = match edit::add(&document, list, &item) {
        Some(fix) => (fix.span, fix.replacement),
        None => new_list(&document, list, &item)?,
    };
    let lines = Lines::new(text);
    Some(CodeAction {
        title: format!("Waive {} here (fill in the reason)", finding.rule),
        kind: Some(CodeActionKind::QUICKFIX),
        is_preferred: Some(false),
        edit: Some(edit_of(
            uri.clone(),
            lines.range(span.start(), span.end()),
            replacement,
        )),
        ..CodeAction::default()
    })
}

/// A top-level list that the records lack, written at their end with its
/// first item.
fn new_list(document: &Document, pointer: &str, item: &str) -> Option<(Span, String)> {
    let key = pointer.strip_prefix('/').filter(|key| !key.contains('/'))?;
    if document.root.get(key).is_some() || !matches!(document.root.value, Value::Map(_)) {
        return None;
    }
    let text = document.source.text();
    let newline = if text.is_empty() || text.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    Some((
        Span::new(text.len(), text.len()),
        format!("{newline}{key}:\n  - {item}\n"),
    ))
}

/// Today's date (UTC), from the system clock.
fn today() -> Option<chrono::NaiveDate> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?
        .checked_add_days(chrono::Days::new(seconds / 86_400))
}

/// The fields the schema requires of an item of the list at `pointer` (a
/// top-level list), beyond those a waiver is written with.
fn required_of_item(schema: &Json, pointer: &str) -> Vec<String> {
    let resolve = |node: &'_ Json| -> Option<Json> {
        match node.get("$ref").and_then(Json::as_str) {
            Some(reference) => schema.pointer(reference.strip_prefix('#')?).cloned(),
            None => Some(node.clone()),
        }
    };
    let item = schema
        .get("properties")
        .and_then(|properties| properties.get(pointer.strip_prefix('/')?))
        .and_then(|list| list.get("items"))
        .and_then(resolve);
    let Some(required) = item
        .as_ref()
        .and_then(|item| item.get("required"))
        .and_then(Json::as_array)
    else {
        return Vec::new();
    };
    required
        .iter()
        .filter_map(Json::as_str)
        .filter(|field| !WAIVER_FIELDS.contains(field))
        .map(str::to_owned)
        .collect()
}

/// What the engine reads of a waiver (`check::waiver`), filled in here.
const WAIVER_FIELDS: [&str; 4] = ["rule", "target", "reason", "expires"];

/// A waiver entry in flow style, its strings quoted as JSON (which YAML
/// reads), with a placeholder for each other field the records require.
pub fn waiver(rule: &str, target: &str, today: chrono::NaiveDate, others: &[String]) -> String {
    let expires = today + chrono::Duration::days(WAIVER_DAYS);
    let quote = |text: &str| Json::from(text).to_string();
    let mut item = format!(
        "{{rule: {}, target: {}, reason: {}",
        quote(rule),
        quote(target),
        quote("TODO: the group's reason for accepting this"),
    );
    for field in others {
        item.push_str(&format!(", {field}: {}", quote("TODO")));
    }
    item.push_str(&format!(", expires: {}}}", expires.format("%Y-%m-%d")));
    item
}

fn edit_of(uri: Uri, range: Range, new_text: String) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri, vec![TextEdit { range, new_text }])])),
        ..WorkspaceEdit::default()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_waiver_names_rule_and_target_with_a_placeholder_and_an_expiry() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        assert_eq!(
            waiver("some-rule", "/records/1", today, &["decided_by".to_owned()]),
            r#"{rule: "some-rule", target: "/records/1", reason: "TODO: the group's reason for accepting this", decided_by: "TODO", expires: 2027-12-06}"#
        );
    }

    #[test]
    fn the_fields_a_waiver_lacks_are_read_from_the_schema() {
        let schema = serde_json::json!({
            "properties": {"waivers": {"items": {"$ref": "#/definitions/waiver"}}},
            "definitions": {"waiver": {"required": ["rule", "target", "decided_by"]}}
        });
        assert_eq!(
            required_of_item(&schema, "/waivers"),
            vec!["decided_by".to_owned()]
        );
        assert!(required_of_item(&schema, "/other").is_empty());
    }

    #[test]
    fn ranges_overlap_when_they_touch() {
        let range = |a, b, c, d| {
            Range::new(
                lsp_types::Position::new(a, b),
                lsp_types::Position::new(c, d),
            )
        };
        assert!(overlaps(range(1, 0, 1, 5), range(1, 5, 1, 5)));
        assert!(!overlaps(range(1, 0, 1, 5), range(2, 0, 2, 1)));
    }
}
