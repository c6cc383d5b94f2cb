//! Completion from the pack's schema: field names a mapping may still take,
//! the values an enum allows, and the ids of records where the schema wants a
//! reference. A reference is a `$ref` to a definition named `NAME_ref`, and it
//! names an item of the top-level list `NAMEs` (`member_ref`: `members`).
//! Text being typed seldom parses, so the line is first mended (the partial
//! word replaced, open brackets closed) to find where the cursor stands.

use super::records;
use super::text::Lines;
use crate::load::{Node, Value};
use lsp_types::{CompletionItem, CompletionItemKind, Position};
use serde_json::Value as Json;

/// What the cursor is completing, read from the line before it.
#[derive(Debug, PartialEq, Eq)]
enum Wanted {
    /// A field name of the mapping the cursor is in.
    Field,
    /// The value of field `key`.
    Value { key: String },
}

/// The word being typed, and what it is.
fn wanted(prefix: &str) -> Option<(Wanted, usize)> {
    let word_start = prefix
        .rfind(|c: char| !(c.is_alphanumeric() || "_-.".contains(c)))
        .map_or(0, |at| at + 1);
    let before = prefix[..word_start].trim_end();
    if before.ends_with(':') {
        let key_end = before.len() - 1;
        let key_start = before[..key_end]
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |at| at + 1);
        let key = &before[key_start..key_end];
        return (!key.is_empty()).then(|| {
            (
                Wanted::Value {
                    key: key.to_owned(),
                },
                word_start,
            )
        });
    }
    let field_place = before.is_empty() || before.ends_with(['{', ',', '-']);
    field_place.then_some((Wanted::Field, word_start))
}

/// The placeholder key the mended line holds, to find the cursor's mapping.
const PLACEHOLDER: &str = "govlint_completion_here";

pub fn complete(text: &str, position: Position, schema: &Json) -> Vec<CompletionItem> {
    let lines = Lines::new(text);
    let cursor = lines.offset(position);
    let line_start = lines.offset(Position::new(position.line, 0));
    let prefix = &text[line_start..cursor];
    let Some((wanted, word_start)) = wanted(prefix) else {
        return Vec::new();
    };
    // The line up to the word, a placeholder in the word's place, and the
    // brackets it opened closed.
    let head = &prefix[..word_start];
    let opened =
        head.matches(['{', '[']).count() as isize - head.matches(['}', ']']).count() as isize;
    let closers: String = head
        .chars()
        .rev()
        .filter(|c| "{[".contains(*c))
        .take(usize::try_from(opened).unwrap_or(0))
        .map(|c| if c == '{' { '}' } else { ']' })
        .collect();
    let filler = match wanted {
        Wanted::Field => format!("{PLACEHOLDER}: ~"),
        Wanted::Value { .. } => PLACEHOLDER.to_owned(),
    };
    let line_end = text[cursor..]
        .find('\n')
        .map_or(text.len(), |at| cursor + at);
    let mended = format!("{head}{filler}{closers}");
    let whole = format!("{}{mended}{}", &text[..line_start], &text[line_end..]);
    let Some(root) = super::navigate::tree(&whole) else {
        return Vec::new();
    };
    let here = records::at(&root, line_start + head.len());
    let mut tokens: Vec<String> = here
        .pointer
        .split('/')
        .skip(1)
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .collect();
    match wanted {
        Wanted::Field => {
            tokens.pop();
            let existing: Vec<String> = match here.parent.map(|parent| &parent.value) {
                Some(Value::Map(entries)) => entries
                    .iter()
                    .map(|(key, _)| key.text.to_string())
                    .collect(),
                _ => Vec::new(),
            };
            fields(schema, &tokens, &existing)
        }
        Wanted::Value { .. } => values(schema, &tokens, &root),
    }
}

/// The schema at a path of tokens, following `$ref`s, properties and items.
fn schema_at<'a>(schema: &'a Json, tokens: &[String]) -> Option<&'a Json> {
    let mut node = resolve(schema, schema)?;
    for token in tokens {
        let next = node
            .get("properties")
            .and_then(|properties| properties.get(token))
            .or_else(|| node.get("items").filter(|_| token.parse::<usize>().is_ok()))?;
        node = resolve(schema, next)?;
    }
    Some(node)
}

fn resolve<'a>(schema: &'a Json, node: &'a Json) -> Option<&'a Json> {
    match node.get("$ref").and_then(Json::as_str) {
        Some(reference) => schema.pointer(reference.strip_prefix('#')?),
        None => Some(node),
    }
}

/// The node and its `oneOf`/`anyOf` branches (a nullable value is one).
fn branches(node: &Json) -> Vec<&Json> {
    let mut all = vec![node];
    for key in ["oneOf", "anyOf"] {
        if let Some(Json::Array(options)) = node.get(key) {
            all.extend(options);
        }
    }
    all
}

fn fields(schema: &Json, tokens: &[String], existing: &[String]) -> Vec<CompletionItem> {
    let Some(Json::Object(properties)) =
        schema_at(schema, tokens).and_then(|node| node.get("properties"))
    else {
        return Vec::new();
    };
    properties
        .iter()
        .filter(|(name, _)| !existing.contains(name) && name.as_str() != PLACEHOLDER)
        .map(|(name, property)| CompletionItem {
            label: name.clone(),
            kind: Some(CompletionItemKind::FIELD),
            detail: property
                .get("description")
                .and_then(Json::as_str)
                .map(str::to_owned),
            insert_text: Some(format!("{name}: ")),
            ..CompletionItem::default()
        })
        .collect()
}

fn values(schema: &Json, tokens: &[String], root: &Node) -> Vec<CompletionItem> {
    let Some((key, parents)) = tokens.split_last() else {
        return Vec::new();
    };
    let Some(property) = schema_at(schema, parents)
        .and_then(|parent| parent.get("properties"))
        .and_then(|properties| properties.get(key))
    else {
        return Vec::new();
    };
    let mut items = Vec::new();
    for branch in branches(property) {
        if let Some(list) = branch
            .get("$ref")
            .and_then(Json::as_str)
            .and_then(|reference| reference.rsplit('/').next())
            .and_then(|name| name.strip_suffix("_ref"))
        {
            let list = format!("/{list}s/");
            for (id, record) in records::records(root) {
                if record.pointer.starts_with(&list) {
                    items.push(CompletionItem {
                        label: id.to_owned(),
                        kind: Some(CompletionItemKind::REFERENCE),
                        detail: Some(records::brief(record.node)),
                        ..CompletionItem::default()
                    });
                }
            }
        }
        let Some(branch) = resolve(schema, branch) else {
            continue;
        };
        for value in branch
            .get("enum")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(text) = value.as_str() {
                items.push(CompletionItem {
                    label: text.to_owned(),
                    kind: Some(CompletionItemKind::ENUM_MEMBER),
                    ..CompletionItem::default()
                });
            }
        }
    }
    items
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn schema() -> Json {
        serde_json::json!({
            "properties": {
                "members": {"type": "array", "items": {"$ref": "#/definitions/member"}},
                "terms": {"type": "array", "items": {"$ref": "#/definitions/term"}}
            },
            "definitions": {
                "member_ref": {"type": "string"},
                "member": {"properties": {
                    "id": {"description": "Its id."},
                    "name": {},
                    "category": {"enum": ["full", "guest"]}
                }},
                "term": {"properties": {
                    "holder": {"$ref": "#/definitions/member_ref"},
                    "deputy": {"oneOf": [{"type": "null"}, {"$ref": "#/definitions/member_ref"}]},
                    "start": {}
                }}
            }
        })
    }

    fn labels(text: &str, line: u32, character: u32) -> Vec<String> {
        complete(text, Position::new(line, character), &schema())
            .into_iter()
            .map(|item| item.label)
            .collect()
    }

    const MEMBERS: &str = "members:\n  - {id: FR, name: Ann, category: full}\n  - {id: LU, name: Bo, category: guest}\n";

    #[test]
    fn a_reference_completes_to_the_ids_of_its_list_even_half_typed() {
        let text = format!("{MEMBERS}terms:\n  - {{holder: ");
        let last = text.lines().count() as u32 - 1;
        assert_eq!(labels(&text, last, 14), ["FR", "LU"]);
        let block = format!("{MEMBERS}terms:\n  - start: 2015\n    deputy: L\n");
        assert_eq!(labels(&block, 5, 13), ["FR", "LU"]);
    }

    #[test]
    fn an_enum_completes_to_its_values() {
        let text = "members:\n  - {id: DE, name: Cy, category: }\n";
        let at = text.lines().nth(1).unwrap().find("category: ").unwrap() + "category: ".len();
        assert_eq!(labels(text, 1, at as u32), ["full", "guest"]);
    }

    #[test]
    fn a_field_completes_to_the_names_the_record_lacks() {
        let text = "members:\n  - id: DE\n    na\n";
        assert_eq!(labels(text, 2, 6), ["name", "category"]);
        let flow = "members:\n  - {id: DE, \n";
        assert_eq!(labels(flow, 1, 12), ["name", "category"]);
    }

    #[test]
    fn the_line_before_the_cursor_says_what_is_wanted() {
        assert_eq!(
            wanted("  - {holder: F"),
            Some((
                Wanted::Value {
                    key: "holder".into()
                },
                14 - 1
            ))
        );
        assert_eq!(wanted("    na"), Some((Wanted::Field, 4)));
        assert_eq!(wanted("  # a comment"), None);
    }
}
