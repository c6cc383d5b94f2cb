//! The records as the editor sees them, in the engine's generic terms: the
//! node under the cursor with its pointer, a record by its `id` in a top-level
//! list, and every scalar that names that id. No field but `id` is known here;
//! what a record is comes from the pack's records themselves.

use crate::base::source::Span;
use crate::load::{Key, Node, Value, push_token};

/// The innermost node at a byte offset.
pub struct At<'a> {
    pub node: &'a Node,
    pub pointer: String,
    /// The key, when the offset is on one (the node is then its value).
    pub key: Option<&'a Key>,
    /// The mapping or list that holds the node, if any.
    pub parent: Option<&'a Node>,
}

fn contains(span: Span, offset: usize) -> bool {
    span.start() <= offset && offset <= span.end()
}

pub fn at(root: &Node, offset: usize) -> At<'_> {
    let mut here = At {
        node: root,
        pointer: String::new(),
        key: None,
        parent: None,
    };
    loop {
        let next = match &here.node.value {
            Value::Map(entries) => entries.iter().find_map(|(key, value)| {
                if contains(key.span, offset) {
                    Some((key.text.to_string(), value, Some(key)))
                } else {
                    contains(value.span, offset).then(|| (key.text.to_string(), value, None))
                }
            }),
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .find(|(_, item)| contains(item.span, offset))
                .map(|(index, item)| (index.to_string(), item, None)),
            _ => None,
        };
        let Some((token, child, key)) = next else {
            return here;
        };
        push_token(&mut here.pointer, &token);
        here.parent = Some(here.node);
        here.node = child;
        if key.is_some() {
            here.key = key;
            return here;
        }
    }
}

/// A record with an `id`, an item of a top-level list.
pub struct Record<'a> {
    pub pointer: String,
    pub node: &'a Node,
}

/// Every record with an `id`, in file order.
pub fn records(root: &Node) -> Vec<(&str, Record<'_>)> {
    let Value::Map(entries) = &root.value else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (key, list) in entries {
        let Value::Seq(items) = &list.value else {
            continue;
        };
        for (index, item) in items.iter().enumerate() {
            if let Some(Value::Str(id)) = item.get("id").map(|node| &node.value) {
                let mut pointer = String::new();
                push_token(&mut pointer, &key.text);
                push_token(&mut pointer, &index.to_string());
                found.push((
                    id.as_str(),
                    Record {
                        pointer,
                        node: item,
                    },
                ));
            }
        }
    }
    found
}

/// The record whose `id` is `id`.
pub fn record<'a>(root: &'a Node, id: &str) -> Option<Record<'a>> {
    records(root)
        .into_iter()
        .find_map(|(found, record)| (found == id).then_some(record))
}

/// Every text scalar that is `id` (the record's own `id` among them).
pub fn uses(root: &Node, id: &str) -> Vec<Span> {
    let mut found = Vec::new();
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        match &node.value {
            Value::Str(text) if text.as_str() == id => found.push(node.span),
            Value::Seq(items) => pending.extend(items.iter().rev()),
            Value::Map(entries) => pending.extend(entries.iter().rev().map(|(_, value)| value)),
            _ => {}
        }
    }
    found.sort_by_key(|span| span.start());
    found
}

/// A node in one line, as a person reads it: `{id: a1, name: Ann, role: chair}`.
pub fn brief(node: &Node) -> String {
    match &node.value {
        Value::Null => "~".to_owned(),
        Value::Bool(value) => value.to_string(),
        Value::Int(value) => value.to_string(),
        Value::Float(value) => value.to_string(),
        Value::Str(text) => text.to_string(),
        Value::Seq(items) if items.len() > 4 => format!("[{} items]", items.len()),
        Value::Seq(items) => format!(
            "[{}]",
            items.iter().map(brief).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(key, value)| format!("{}: {}", key.text, brief(value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::base::source::SourceFile;
    use crate::load::{Limits, parse};

    const TEXT: &str = "members:\n  - {id: FR, name: France}\n  - {id: LU, name: Luxembourg}\nterms:\n  - {holder: FR, start: 2015}\n";

    fn tree() -> Node {
        parse(&SourceFile::new("t.yaml", TEXT), &Limits::default()).unwrap()
    }

    #[test]
    fn the_node_at_an_offset_has_its_pointer_and_knows_a_key() {
        let root = tree();
        let holder = TEXT.rfind("FR").unwrap();
        let here = at(&root, holder + 1);
        assert_eq!(here.pointer, "/terms/0/holder");
        assert!(here.key.is_none());
        let key = at(&root, TEXT.find("start").unwrap());
        assert_eq!(key.pointer, "/terms/0/start");
        assert!(key.key.is_some());
    }

    #[test]
    fn a_record_is_found_by_id_and_every_use_of_it() {
        let root = tree();
        let france = record(&root, "FR").unwrap();
        assert_eq!(france.pointer, "/members/0");
        assert_eq!(brief(france.node), "{id: FR, name: France}");
        let spans = uses(&root, "FR");
        assert_eq!(spans.len(), 2);
        assert_eq!(spans[1].start(), TEXT.rfind("FR").unwrap());
        assert!(record(&root, "DE").is_none());
    }
}
