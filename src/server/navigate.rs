//! Moving through the records: from an id to its record (definition), to
//! every place that names it (references), and the records as an outline.

use super::records;
use super::text::Lines;
use crate::base::source::SourceFile;
use crate::load::{self, Limits, Node, Value};
use lsp_types::{DocumentSymbol, Location, SymbolKind, Uri};

/// The text as a tree, if it parses now.
pub fn tree(text: &str) -> Option<Node> {
    load::parse(&SourceFile::new("", text), &Limits::default()).ok()
}

/// The id under the cursor, if a record has it.
fn id_at(root: &Node, offset: usize) -> Option<String> {
    let here = records::at(root, offset);
    match &here.node.value {
        Value::Str(text) if here.key.is_none() => {
            records::record(root, text).map(|_| text.to_string())
        }
        _ => None,
    }
}

/// The record the id under the cursor names.
pub fn definition(uri: &Uri, text: &str, offset: usize) -> Option<Location> {
    let root = tree(text)?;
    let id = id_at(&root, offset)?;
    let record = records::record(&root, &id)?;
    let lines = Lines::new(text);
    let span = record.node.span;
    Some(Location::new(
        uri.clone(),
        lines.range(span.start(), span.end()),
    ))
}

/// Every place that names the id under the cursor; its record's own `id`
/// among them when `declaration` is asked for.
pub fn references(uri: &Uri, text: &str, offset: usize, declaration: bool) -> Vec<Location> {
    let Some(root) = tree(text) else {
        return Vec::new();
    };
    let Some(id) = id_at(&root, offset) else {
        return Vec::new();
    };
    let own =
        records::record(&root, &id).and_then(|record| record.node.get("id").map(|node| node.span));
    let lines = Lines::new(text);
    records::uses(&root, &id)
        .into_iter()
        .filter(|span| declaration || Some(*span) != own)
        .map(|span| Location::new(uri.clone(), lines.range(span.start(), span.end())))
        .collect()
}

/// The records as an outline: each top-level field, and under a list each
/// item by its id, or by its first text and its dates (`FR 2015–2017`).
#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written.
pub fn symbols(text: &str) -> Vec<DocumentSymbol> {
    let Some(root) = tree(text) else {
        return Vec::new();
    };
    let Value::Map(entries) = &root.value else {
        return Vec::new();
    };
    let lines = Lines::new(text);
    let symbol =
        |name: String, kind: SymbolKind, node: &Node, key: &Node, children| DocumentSymbol {
            name,
            detail: None,
            kind,
            tags: None,
            deprecated: None,
            range: lines.range(key.span.start().min(node.span.start()), node.span.end()),
            selection_range: lines.range(key.span.start(), key.span.end()),
            children,
        };
    entries
        .iter()
        .map(|(key, value)| {
            let key_node = Node {
                span: key.span,
                value: Value::Null,
            };
            let children = match &value.value {
                Value::Seq(items) => Some(
                    items
                        .iter()
                        .enumerate()
                        .map(|(index, item)| {
                            symbol(item_name(item, index), SymbolKind::OBJECT, item, item, None)
                        })
                        .collect(),
                ),
                _ => None,
            };
            let kind = match value.value {
                Value::Seq(_) => SymbolKind::ARRAY,
                Value::Map(_) => SymbolKind::OBJECT,
                _ => SymbolKind::PROPERTY,
            };
            symbol(key.text.to_string(), kind, value, &key_node, children)
        })
        .collect()
}

/// An item's name in the outline.
fn item_name(item: &Node, index: usize) -> String {
    let text = |field: &str| item.get(field).map(records::brief);
    let Value::Map(entries) = &item.value else {
        return records::brief(item);
    };
    let first = text("id").or_else(|| {
        entries.iter().find_map(|(_, value)| match &value.value {
            Value::Str(text) => Some(text.to_string()),
            _ => None,
        })
    });
    let dates = match (text("start"), text("end")) {
        (Some(start), Some(end)) => Some(format!("{start}–{end}")),
        (Some(start), None) => Some(format!("{start}–")),
        _ => text("date"),
    };
    match (first, dates) {
        (Some(first), Some(dates)) if text("id").is_none() => format!("{first} {dates}"),
        (Some(first), _) => first,
        (None, Some(dates)) => dates,
        (None, None) => format!("#{index}"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const TEXT: &str = "members:\n  - {id: FR, name: France}\nterms:\n  - {holder: FR, start: 2015, end: 2017}\nevents:\n  - {id: e1, date: 2016}\n";

    fn uri() -> Uri {
        "file:///r.yaml".parse().unwrap()
    }

    #[test]
    fn an_id_leads_to_its_record_and_to_its_uses() {
        let holder = TEXT.rfind("FR").unwrap();
        let record = definition(&uri(), TEXT, holder).unwrap();
        assert_eq!(record.range.start.line, 1);
        assert_eq!(references(&uri(), TEXT, holder, true).len(), 2);
        let others = references(&uri(), TEXT, holder, false);
        assert_eq!(others.len(), 1);
        assert_eq!(others[0].range.start.line, 3);
        // A name no record has leads nowhere.
        assert!(definition(&uri(), TEXT, TEXT.find("France").unwrap()).is_none());
    }

    #[test]
    fn the_outline_names_items_by_id_or_by_text_and_dates() {
        let outline = symbols(TEXT);
        let names: Vec<&str> = outline.iter().map(|symbol| symbol.name.as_str()).collect();
        assert_eq!(names, ["members", "terms", "events"]);
        let child = |at: usize| outline[at].children.as_ref().unwrap()[0].name.clone();
        assert_eq!(child(0), "FR");
        assert_eq!(child(1), "FR 2015–2017");
        assert_eq!(child(2), "e1");
        assert!(symbols("a: [").is_empty());
    }
}
