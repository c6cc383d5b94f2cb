//! Values as expressions see them: the document's own nodes, read in place where
//! they lie, and the values computed from them.
//!
//! Nothing is copied out of the document. A mapping or a list of the document is a
//! [`Place`]: the node and the document's root, from which its JSON Pointer is
//! found only when a finding asks for it, so reading a record costs nothing.

use crate::load::{Key as YamlKey, Node, Value as Yaml, push_token};
use indexmap::IndexMap;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// The reserved field under which every mapping of the document gives its JSON
/// Pointer, so an item reached through a sort, a lookup or a pair still knows
/// where it is in the file.
pub const POINTER_KEY: &str = "_path";

/// A value, or why it could not be computed.
pub type Result<T> = std::result::Result<T, String>;

/// A function of expressions, called with its name and its arguments (a
/// method's target first).
pub type Call = for<'a> fn(&str, &[Value<'a>]) -> Result<Value<'a>>;

/// Why `function` cannot take `args`: their kinds, as CEL's "no such overload".
pub fn no_overload(function: &str, args: &[Value]) -> String {
    let kinds: Vec<&str> = args.iter().map(Value::kind).collect();
    format!("{function}: no version takes ({})", kinds.join(", "))
}

#[derive(Debug, Clone)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(Text<'a>),
    List(List<'a>),
    Map(Map<'a>),
    /// A type, as `type(x)` gives it and names such as `int` spell it.
    Type(&'static str),
    /// A value that may be absent (CEL's optional values: `optional.of(x)`, `a.?b`).
    Optional(Option<Arc<Value<'a>>>),
}

/// The names of CEL's types that are values: `type(1) == int`.
pub const TYPE_NAMES: &[&str] = &[
    "bool",
    "bytes",
    "double",
    "int",
    "list",
    "map",
    "null_type",
    "optional_type",
    "string",
    "type",
    "uint",
];

/// Text borrowed from the document or an expression, or made while evaluating.
#[derive(Debug, Clone)]
pub enum Text<'a> {
    Borrowed(&'a str),
    Shared(Arc<str>),
}

#[derive(Debug, Clone)]
pub enum List<'a> {
    Node(Place<'a>),
    Computed(Arc<Vec<Value<'a>>>),
}

/// Computed mappings keep their keys in the order they were made, so whatever
/// iterates them reads the same order on every run. Keys are hashed with a
/// seeded fast hash: lookups are a good part of evaluating a large file.
pub type Table<K, V> = IndexMap<K, V, foldhash::fast::RandomState>;

pub type Entries<'a> = Table<Key<'a>, Value<'a>>;

#[derive(Debug, Clone)]
pub enum Map<'a> {
    Node(Place<'a>),
    Computed(Arc<Entries<'a>>),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key<'a> {
    Int(i64),
    UInt(u64),
    Bool(bool),
    Str(Text<'a>),
}

/// A collection node of the document, and the root of the document it is in.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    node: &'a Node,
    root: &'a Node,
}

impl<'a> Value<'a> {
    pub fn text(text: impl Into<Arc<str>>) -> Self {
        Self::Str(Text::Shared(text.into()))
    }

    pub fn list(items: Vec<Value<'a>>) -> Self {
        Self::List(List::Computed(Arc::new(items)))
    }

    pub fn map(entries: Entries<'a>) -> Self {
        Self::Map(Map::Computed(Arc::new(entries)))
    }

    /// The document whose root is `node`.
    pub fn document(node: &'a Node) -> Self {
        Place { node, root: node }.into_value()
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::List(_) => "list",
            Self::Map(_) => "mapping",
            Self::Int(_) | Self::UInt(_) => "integer",
            Self::Float(_) => "number",
            Self::Str(_) => "string",
            Self::Bool(_) => "boolean",
            Self::Null => "null",
            Self::Type(_) => "type",
            Self::Optional(_) => "optional value",
        }
    }

    /// The kind with its article, as a message reads it: `an integer`, `null`.
    pub fn a_kind(&self) -> &'static str {
        match self {
            Self::List(_) => "a list",
            Self::Map(_) => "a mapping",
            Self::Int(_) | Self::UInt(_) => "an integer",
            Self::Float(_) => "a number",
            Self::Str(_) => "a string",
            Self::Bool(_) => "a boolean",
            Self::Null => "null",
            Self::Type(_) => "a type",
            Self::Optional(_) => "an optional value",
        }
    }

    /// The type of this value: what `type(x)` gives.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Null => "null_type",
            Self::Bool(_) => "bool",
            Self::Int(_) => "int",
            Self::UInt(_) => "uint",
            Self::Float(_) => "double",
            Self::Str(_) => "string",
            Self::List(_) => "list",
            Self::Map(_) => "map",
            Self::Type(_) => "type",
            Self::Optional(_) => "optional_type",
        }
    }

    /// The value as it reads in a sentence.
    pub fn display(&self) -> String {
        match self {
            Self::Str(text) => text.to_string(),
            Self::Int(number) => number.to_string(),
            Self::UInt(number) => number.to_string(),
            Self::Float(number) => number.to_string(),
            Self::Bool(flag) => flag.to_string(),
            Self::Null => "nothing".to_owned(),
            Self::Type(name) => (*name).to_owned(),
            Self::Optional(value) => value
                .as_deref()
                .map_or_else(|| "nothing".to_owned(), Value::display),
            Self::List(list) => list
                .iter()
                .map(|item| item.display())
                .collect::<Vec<_>>()
                .join(", "),
            Self::Map(Map::Node(place)) => place.pointer(),
            // A computed map (`count_by`, `index_by`…) reads as its entries.
            Self::Map(Map::Computed(entries)) if entries.is_empty() => "no entries".to_owned(),
            Self::Map(Map::Computed(entries)) => entries
                .iter()
                .map(|(key, value)| {
                    format!(
                        "{}: {}",
                        key.clone().into_value().display(),
                        value.display()
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// The JSON Pointer this value names: a pointer string, or a node's own.
    pub fn pointer(&self) -> Option<String> {
        match self {
            Self::Str(text) if text.is_empty() || text.starts_with('/') => Some(text.to_string()),
            Self::Map(map) => map.pointer(),
            Self::List(List::Node(place)) => Some(place.pointer()),
            _ => None,
        }
    }

    pub fn as_key(&self) -> Option<Key<'a>> {
        match self {
            Self::Str(text) => Some(Key::Str(text.clone())),
            Self::Int(number) => Some(Key::Int(*number)),
            Self::UInt(number) => Some(Key::UInt(*number)),
            Self::Bool(flag) => Some(Key::Bool(*flag)),
            _ => None,
        }
    }

    /// The key that finds this value in a mapping: an integral double finds the
    /// integer key it equals (`{1: x}[1.0]`), as numbers compare across types.
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    pub fn as_lookup_key(&self) -> Option<Key<'a>> {
        match self {
            Self::Float(number) if number.fract() == 0.0 && number.abs() <= i64::MAX as f64 => {
                Some(Key::Int(*number as i64))
            }
            Self::Float(number) if number.fract() == 0.0 && *number <= u64::MAX as f64 => {
                Some(Key::UInt(*number as u64))
            }
            other => other.as_key(),
        }
    }

    /// The field `name` of a mapping; `None` for a missing field or a non-mapping.
    pub fn field(&self, name: &str) -> Option<Value<'a>> {
        match self {
            Self::Map(map) => map.field(name),
            _ => None,
        }
    }
}

/// CEL's equality: numbers across their types, lists item by item, mappings by
/// their entries; values of different kinds are unequal.
impl PartialEq for Value<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Null, Self::Null) => true,
            (Self::Bool(a), Self::Bool(b)) => a == b,
            (Self::Str(a), Self::Str(b)) => **a == **b,
            (Self::List(a), Self::List(b)) => a.len() == b.len() && a.iter().eq(b.iter()),
            (Self::Map(a), Self::Map(b)) => a.same_as(b),
            (Self::Type(a), Self::Type(b)) => a == b,
            (Self::Optional(a), Self::Optional(b)) => a == b,
            (a, b) => match (number(a), number(b)) {
                (Some(a), Some(b)) => a == b,
                _ => false,
            },
        }
    }
}

/// A number as a float only to compare across types: integers compare exactly.
fn number(value: &Value) -> Option<Number> {
    match value {
        Value::Int(n) => Some(Number::Int(*n)),
        Value::UInt(n) => Some(Number::UInt(*n)),
        Value::Float(n) => Some(Number::Float(*n)),
        _ => None,
    }
}

#[derive(Clone, Copy)]
pub enum Number {
    Int(i64),
    UInt(u64),
    Float(f64),
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        self.partial_cmp(other) == Some(std::cmp::Ordering::Equal)
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        use Number::{Int, UInt};
        match (*self, *other) {
            (Int(a), Int(b)) => Some(a.cmp(&b)),
            (UInt(a), UInt(b)) => Some(a.cmp(&b)),
            (Int(a), UInt(b)) => Some(i128::from(a).cmp(&i128::from(b))),
            (UInt(a), Int(b)) => Some(i128::from(a).cmp(&i128::from(b))),
            (a, b) => a.as_float().partial_cmp(&b.as_float()),
        }
    }
}

impl Number {
    pub fn of(value: &Value) -> Option<Self> {
        number(value)
    }

    #[allow(clippy::cast_precision_loss)]
    fn as_float(self) -> f64 {
        match self {
            Self::Int(n) => n as f64,
            Self::UInt(n) => n as f64,
            Self::Float(n) => n,
        }
    }
}

impl Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Self::Borrowed(text) => text,
            Self::Shared(text) => text,
        }
    }
}

impl PartialEq for Text<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Text<'_> {}

impl Hash for Text<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl<'a> Key<'a> {
    /// The same number as the other integer type, which equals it: `1` and `1u`
    /// find one another's entries.
    pub fn numeric_twin(&self) -> Option<Self> {
        match self {
            Self::Int(number) => u64::try_from(*number).ok().map(Self::UInt),
            Self::UInt(number) => i64::try_from(*number).ok().map(Self::Int),
            Self::Bool(_) | Self::Str(_) => None,
        }
    }

    pub fn into_value(self) -> Value<'a> {
        match self {
            Self::Int(number) => Value::Int(number),
            Self::UInt(number) => Value::UInt(number),
            Self::Bool(flag) => Value::Bool(flag),
            Self::Str(text) => Value::Str(text),
        }
    }
}

impl<'a> List<'a> {
    pub fn len(&self) -> usize {
        match self {
            Self::Node(place) => place.items().len(),
            Self::Computed(items) => items.len(),
        }
    }

    pub fn get(&self, index: usize) -> Option<Value<'a>> {
        match self {
            Self::Node(place) => place.items().get(index).map(|item| place.child(item)),
            Self::Computed(items) => items.get(index).cloned(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Value<'a>> + '_ {
        (0..self.len()).filter_map(|index| self.get(index))
    }

    pub fn into_items(self) -> impl Iterator<Item = Value<'a>> {
        (0..self.len()).filter_map(move |index| self.get(index))
    }

    pub fn first(&self) -> Option<Value<'a>> {
        self.get(0)
    }

    pub fn last(&self) -> Option<Value<'a>> {
        self.len().checked_sub(1).and_then(|index| self.get(index))
    }

    /// The items in a vector, to build a new list from.
    pub fn to_vec(&self) -> Vec<Value<'a>> {
        match self {
            Self::Node(_) => self.iter().collect(),
            Self::Computed(items) => items.as_ref().clone(),
        }
    }
}

impl<'a> Map<'a> {
    pub fn len(&self) -> usize {
        match self {
            Self::Node(place) => place.entries().len(),
            Self::Computed(entries) => entries.len(),
        }
    }

    pub fn field(&self, name: &str) -> Option<Value<'a>> {
        match self {
            Self::Node(place) if name == POINTER_KEY => Some(Value::text(place.pointer())),
            Self::Node(place) => place.field(name),
            Self::Computed(entries) => entries.get(&Key::Str(Text::Borrowed(name))).cloned(),
        }
    }

    pub fn get(&self, key: &Key) -> Option<Value<'a>> {
        match (self, key) {
            (Self::Node(_), Key::Str(name)) => self.field(name),
            // The document's keys are text: `2015:` is the key `"2015"`.
            (Self::Node(_), Key::Int(number)) => self.field(&number.to_string()),
            (Self::Node(_), Key::UInt(number)) => self.field(&number.to_string()),
            (Self::Node(_), Key::Bool(flag)) => self.field(&flag.to_string()),
            (Self::Computed(entries), key) => entries
                .get(key)
                .or_else(|| entries.get(&key.numeric_twin()?))
                .cloned(),
        }
    }

    /// The keys, in order: what a comprehension over a mapping runs over.
    pub fn keys(&self) -> Vec<Value<'a>> {
        match self {
            Self::Node(place) => place
                .entries()
                .iter()
                .map(|(key, _)| Value::Str(Text::Borrowed(&key.text)))
                .collect(),
            Self::Computed(entries) => entries.keys().cloned().map(Key::into_value).collect(),
        }
    }

    pub fn pointer(&self) -> Option<String> {
        match self {
            Self::Node(place) => Some(place.pointer()),
            Self::Computed(_) => None,
        }
    }

    /// Equal entries; a node is equal to itself without reading it.
    fn same_as(&self, other: &Self) -> bool {
        if let (Self::Node(a), Self::Node(b)) = (self, other)
            && std::ptr::eq(a.node, b.node)
        {
            return true;
        }
        self.len() == other.len()
            && self.keys().into_iter().all(|key| {
                let Some(key) = key.as_key() else {
                    return false;
                };
                match (self.get(&key), other.get(&key)) {
                    (Some(a), Some(b)) => a == b,
                    _ => false,
                }
            })
    }
}

impl<'a> Place<'a> {
    /// The node as a value: scalars are read out, collections stay in place.
    fn into_value(self) -> Value<'a> {
        match &self.node.value {
            Yaml::Seq(_) => Value::List(List::Node(self)),
            Yaml::Map(_) => Value::Map(Map::Node(self)),
            _ => scalar(self.node),
        }
    }

    /// The value of a child node: a collection stays in place.
    fn child(&self, node: &'a Node) -> Value<'a> {
        match &node.value {
            Yaml::Seq(_) | Yaml::Map(_) => Place {
                node,
                root: self.root,
            }
            .into_value(),
            _ => scalar(node),
        }
    }

    fn items(&self) -> &'a [Node] {
        match &self.node.value {
            Yaml::Seq(items) => items,
            _ => &[],
        }
    }

    fn entries(&self) -> &'a [(YamlKey, Node)] {
        match &self.node.value {
            Yaml::Map(entries) => entries,
            _ => &[],
        }
    }

    fn field(&self, name: &str) -> Option<Value<'a>> {
        super::lookup::entry(self.node, name).map(|(_, value)| self.child(value))
    }

    /// The node's JSON Pointer: found from the root by the spans that hold
    /// the node's (a parsed file's nodes lie within their parents', in
    /// order), else by a search of the whole tree (a merged proposal's nodes
    /// lie past the records' text).
    fn pointer(&self) -> String {
        let mut pointer = String::new();
        if !path_to(self.root, self.node, &mut pointer, true) {
            pointer.clear();
            path_to(self.root, self.node, &mut pointer, false);
        }
        pointer
    }
}

/// Append to `pointer` the steps from `from` down to `target`, and say whether
/// `target` is below `from`. `by_span`: look only in the child whose span
/// holds the target's, as in a parsed file.
fn path_to(from: &Node, target: &Node, pointer: &mut String, by_span: bool) -> bool {
    if std::ptr::eq(from, target) {
        return true;
    }
    let holds = |child: &Node| {
        child.span.start() <= target.span.start() && target.span.end() <= child.span.end()
    };
    let restore = pointer.len();
    let mut descend = |token: &dyn Fn(&mut String), child: &Node| {
        token(pointer);
        if path_to(child, target, pointer, by_span) {
            return true;
        }
        pointer.truncate(restore);
        false
    };
    match &from.value {
        Yaml::Seq(items) => {
            let index_of = |index: usize| {
                move |pointer: &mut String| {
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                }
            };
            if by_span {
                let at = items
                    .partition_point(|item| item.span.start() <= target.span.start())
                    .saturating_sub(1);
                items
                    .get(at)
                    .is_some_and(|item| holds(item) && descend(&index_of(at), item))
            } else {
                (items.iter().enumerate()).any(|(index, item)| descend(&index_of(index), item))
            }
        }
        Yaml::Map(entries) => {
            let key_of = |key: &YamlKey| {
                let text = key.text.clone();
                move |pointer: &mut String| push_token(pointer, &text)
            };
            if by_span {
                let at = entries
                    .partition_point(|(_, value)| value.span.start() <= target.span.start())
                    .saturating_sub(1);
                entries
                    .get(at)
                    .is_some_and(|(key, value)| holds(value) && descend(&key_of(key), value))
            } else {
                (entries.iter()).any(|(key, value)| descend(&key_of(key), value))
            }
        }
        _ => false,
    }
}

fn scalar(node: &Node) -> Value<'_> {
    match &node.value {
        Yaml::Null | Yaml::Seq(_) | Yaml::Map(_) => Value::Null,
        Yaml::Bool(flag) => Value::Bool(*flag),
        Yaml::Int(number) => Value::Int(*number),
        Yaml::Float(number) => Value::Float(*number),
        Yaml::Str(text) => Value::Str(Text::Borrowed(text)),
    }
}

/// A value read from JSON (a rule's parameters).
pub fn from_json(json: &serde_json::Value) -> Value<'static> {
    use serde_json::Value as J;
    match json {
        J::Null => Value::Null,
        J::Bool(flag) => Value::Bool(*flag),
        J::Number(number) => number
            .as_i64()
            .map(Value::Int)
            .or_else(|| number.as_u64().map(Value::UInt))
            .or_else(|| number.as_f64().map(Value::Float))
            .unwrap_or(Value::Null),
        J::String(text) => Value::text(text.as_str()),
        J::Array(items) => Value::list(items.iter().map(from_json).collect()),
        J::Object(entries) => Value::map(
            entries
                .iter()
                .map(|(key, value)| {
                    (
                        Key::Str(Text::Shared(key.as_str().into())),
                        from_json(value),
                    )
                })
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::base::source::SourceFile;
    use crate::load::{Limits, parse};

    /// Every collection under `node`, with its JSON Pointer as the walk spells it.
    fn collections<'n>(node: &'n Node, pointer: &mut String, out: &mut Vec<(&'n Node, String)>) {
        if matches!(node.value, Yaml::Seq(_) | Yaml::Map(_)) {
            out.push((node, pointer.clone()));
        }
        let restore = pointer.len();
        match &node.value {
            Yaml::Seq(items) => {
                for (index, item) in items.iter().enumerate() {
                    pointer.push_str(&format!("/{index}"));
                    collections(item, pointer, out);
                    pointer.truncate(restore);
                }
            }
            Yaml::Map(entries) => {
                for (key, value) in entries {
                    push_token(pointer, &key.text);
                    collections(value, pointer, out);
                    pointer.truncate(restore);
                }
            }
            _ => {}
        }
    }

    /// A place finds its own pointer from the root, in block and flow style,
    /// nested, with aliases, in every file of the YAML test suite and the
    /// fixtures that govlint reads as one tree.
    #[test]
    fn every_collection_finds_its_pointer_from_the_root() {
        let mut files: Vec<std::path::PathBuf> = Vec::new();
        let mut folders = vec![
            std::path::PathBuf::from("tests/data/yaml-test-suite"),
            "fixtures".into(),
        ];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path
                    .extension()
                    .is_some_and(|extension| extension == "yaml")
                {
                    files.push(path);
                }
            }
        }
        let mut checked = 0;
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let source = SourceFile::new(path.display().to_string(), text);
            let Ok(root) = parse(&source, &Limits::default()) else {
                continue;
            };
            let mut found = Vec::new();
            collections(&root, &mut String::new(), &mut found);
            for (node, pointer) in found {
                let place = Place { node, root: &root };
                // A node an alias repeats is found where it is first written.
                let expected = root.locate(&place.pointer());
                assert!(
                    std::ptr::eq(expected.node, node) || place.pointer() == pointer,
                    "{}: `{pointer}` is found at `{}`",
                    path.display(),
                    place.pointer()
                );
                checked += 1;
            }
        }
        assert!(checked > 500, "only {checked} collections");
    }
}
