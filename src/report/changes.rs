//! What a proposal changes in the records, list by list: the items adopting
//! it adds, changes and removes. Items are compared by content; an item that
//! disappears and one that appears in the same list under the same name (its
//! first field's value, such as a term's holder or a member's id) are one
//! record changed (a term with refined dates); one that appears beside a
//! record of the same name the records keep is said to be a second copy.

use crate::check::identity::content;
use crate::load::{Node, Value};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Added,
    Changed,
    Removed,
}

impl Kind {
    pub fn words(self) -> &'static str {
        match self {
            Self::Added => "adds",
            Self::Changed => "changes",
            Self::Removed => "removes",
        }
    }
}

/// One record that adopting the proposal changes.
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: Kind,
    /// The top-level list it is in (`members`).
    pub list: String,
    /// The record as it reads after (before, for one removed).
    pub record: String,
    /// For a changed record, how it read before.
    pub before: Option<String>,
    /// For an added record that bears the name of one the records keep: that
    /// one, which the proposal does not replace but adds a second to.
    pub beside: Option<String>,
}

/// The changes from the records `base` to the records `after` (the proposal
/// merged in), in the order of `after`'s lists, removals last in each.
pub fn between(base: &Node, after: &Node) -> Vec<Change> {
    let Value::Map(lists) = &after.value else {
        return Vec::new();
    };
    let mut changes = Vec::new();
    for (key, node) in lists {
        let Value::Seq(now) = &node.value else {
            continue;
        };
        let was: &[Node] = match base.get(&key.text).map(|node| &node.value) {
            Some(Value::Seq(items)) => items,
            _ => &[],
        };
        changes.extend(in_list(&key.text, was, now));
    }
    changes
}

fn in_list(list: &str, was: &[Node], now: &[Node]) -> Vec<Change> {
    let mut remaining: HashMap<u64, usize> = HashMap::new();
    for item in was {
        *remaining.entry(content(item)).or_default() += 1;
    }
    let mut added: Vec<&Node> = Vec::new();
    for item in now {
        match remaining.get_mut(&content(item)) {
            Some(count) if *count > 0 => *count -= 1,
            _ => added.push(item),
        }
    }
    let mut removed: Vec<&Node> = Vec::new();
    for item in was {
        if let Some(count) = remaining.get_mut(&content(item))
            && *count > 0
        {
            *count -= 1;
            removed.push(item);
        }
    }
    let kept: HashMap<String, String> = was
        .iter()
        .filter(|item| !removed.iter().any(|gone| std::ptr::eq(*gone, *item)))
        .filter_map(|item| name(item).map(|name| (name, summary(item))))
        .collect();
    let mut changes = Vec::new();
    for item in added {
        let before = name(item).and_then(|name| {
            let index = removed
                .iter()
                .position(|old| self::name(old).as_deref() == Some(name.as_str()))?;
            Some(removed.remove(index))
        });
        changes.push(Change {
            kind: if before.is_some() {
                Kind::Changed
            } else {
                Kind::Added
            },
            list: list.to_owned(),
            record: summary(item),
            beside: match before {
                Some(_) => None,
                None => name(item).and_then(|name| kept.get(&name).cloned()),
            },
            before: before.map(|before| as_it_was(before, item)),
        });
    }
    changes.extend(removed.into_iter().map(|item| Change {
        kind: Kind::Removed,
        list: list.to_owned(),
        record: summary(item),
        before: None,
        beside: None,
    }));
    changes
}

/// A record's name: its first field's value, when that is a plain value.
fn name(item: &Node) -> Option<String> {
    match &item.value {
        Value::Map(entries) => entries
            .first()
            .and_then(|(key, value)| scalar(value).map(|value| format!("{}: {value}", key.text))),
        _ => scalar(item),
    }
}

fn scalar(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(text) => Some(text.to_string()),
        Value::Int(number) => Some(number.to_string()),
        Value::Float(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null | Value::Seq(_) | Value::Map(_) => None,
    }
}

/// How a changed record read before: its plain fields, or, where those are
/// the same, the fields whose details changed (`the same but for its roadmap`).
fn as_it_was(before: &Node, after: &Node) -> String {
    let old = summary(before);
    if old != summary(after) {
        return old;
    }
    let (Value::Map(old_fields), Value::Map(new_fields)) = (&before.value, &after.value) else {
        return old;
    };
    let differs = |key: &str| {
        let find = |fields: &[(crate::load::Key, Node)]| {
            fields
                .iter()
                .find(|(name, _)| &*name.text == key)
                .map(|(_, value)| content(value))
        };
        find(old_fields) != find(new_fields)
    };
    let mut keys: Vec<&str> = old_fields
        .iter()
        .chain(new_fields.iter())
        .map(|(key, _)| &*key.text)
        .filter(|key| differs(key))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    format!("the same but for its {}", keys.join(", "))
}

/// A record in one line: its plain fields, `holder: LU, start: 2017-09, …`.
fn summary(item: &Node) -> String {
    match &item.value {
        Value::Map(entries) => {
            let fields: Vec<String> = entries
                .iter()
                .filter_map(|(key, value)| {
                    scalar(value).map(|value| format!("{}: {value}", key.text))
                })
                .collect();
            if fields.is_empty() {
                "a record".to_owned()
            } else {
                fields.join(", ")
            }
        }
        _ => scalar(item).unwrap_or_else(|| "a list".to_owned()),
    }
}
