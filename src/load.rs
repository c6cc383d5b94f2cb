//! YAML text to a tree of nodes that each keep their byte span, within explicit budgets.

use crate::source::{MAX_TEXT_BYTES, SourceFile, Span};
use arcstr::ArcStr;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Spanned, budget::Budget, options::AliasLimits};
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;
use thin_vec::ThinVec;

/// Resource limits for reading one file. Every limit names itself in the error it causes.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_file_bytes: usize,
    pub max_nodes: usize,
    pub max_depth: usize,
    pub max_aliases: usize,
    /// Nodes that expanding aliases may produce in all: what an alias bomb multiplies.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 256 * 1024 * 1024,
            max_nodes: 10_000_000,
            max_depth: 64,
            max_aliases: 10_000,
            max_alias_nodes: 100_000,
        }
    }
}

/// Every variant fits in one word, so a node is 24 bytes: a large file's tree
/// holds hundreds of thousands. Texts and collections are single allocations
/// with their length in the heap (`ArcStr`, `ThinVec`).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Short texts, which repeat across records, are shared (see `shared_text`).
    Str(ArcStr),
    Seq(ThinVec<Node>),
    /// Entries in file order.
    Map(ThinVec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

/// A mapping key: read as text, as JSON reads keys (`2023:` is the key `"2023"`),
/// and kept with its span so an error about the key can point at it.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub span: Span,
    pub text: ArcStr,
}

/// A parsed file: its source and the root of its tree.
#[derive(Debug, Clone)]
pub struct Document {
    pub source: Arc<SourceFile>,
    pub root: Node,
    /// A proposal merged into the tree, if any (see `merge`).
    pub overlay: Option<crate::merge::Overlay>,
}

/// Why a file could not be turned into a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadFailure {
    pub kind: FailureKind,
    pub message: String,
    pub help: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The text is not YAML this tool accepts (syntax, duplicate keys, several documents).
    Syntax,
    /// A resource limit was reached.
    Limit,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, value)| value)
    }

    /// The entry `key` of a mapping, its key included (for errors about the key itself).
    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(name, _)| *name.text == *key)
                .map(|(name, value)| (name, value)),
            _ => None,
        }
    }

    /// The node a JSON Pointer names, or the deepest existing ancestor and the
    /// pointer prefix that reached it, so a finding about a missing field still
    /// lands on the record that lacks it.
    pub fn locate<'a>(&'a self, pointer: &str) -> Located<'a> {
        let mut node = self;
        let mut reached = String::new();
        for token in pointer.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            let next = match &node.value {
                Value::Map(_) => node.get(&token),
                Value::Seq(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            match next {
                Some(child) => {
                    node = child;
                    push_token(&mut reached, &token);
                }
                None => {
                    return Located {
                        node,
                        pointer: reached,
                        exact: false,
                    };
                }
            }
        }
        Located {
            node,
            pointer: reached,
            exact: true,
        }
    }
}

pub struct Located<'a> {
    pub node: &'a Node,
    pub pointer: String,
    pub exact: bool,
}

pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Append `/token` to a JSON Pointer, escaping only when the token needs it.
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    if token.contains(['~', '/']) {
        pointer.push_str(&escape_token(token));
    } else {
        pointer.push_str(token);
    }
}

/// Parse one YAML document into a spanned tree.
pub fn parse(source: &Arc<SourceFile>, limits: &Limits) -> Result<Node, LoadFailure> {
    let text = source.text();
    if text.trim().is_empty() {
        return Err(LoadFailure {
            kind: FailureKind::Syntax,
            message: "the file is empty".to_owned(),
            help: Some(
                "a snapshot is a YAML mapping with at least `format`, `as_of` and `group`"
                    .to_owned(),
            ),
            span: Span::default(),
        });
    }
    if text.len() > MAX_TEXT_BYTES {
        return Err(LoadFailure {
            kind: FailureKind::Limit,
            message: format!("the file is larger than {MAX_TEXT_BYTES} bytes"),
            help: Some("split the records into several files".to_owned()),
            span: Span::default(),
        });
    }
    PARSING.with_borrow_mut(|state| *state = Parsing::default());
    let parsed = serde_saphyr::from_str_with_options::<Node>(text, parser_options(limits));
    // Freed, not only emptied: a large file's tables would outlive it.
    PARSING.with_borrow_mut(|state| *state = Parsing::default());
    parsed.map_err(|error| failure_from(&error, source, limits))
}

/// Texts longer than this are rarely repeated; sharing them would only cost lookups.
const SHARED_TEXT_MAX: usize = 32;

thread_local! {
    /// The state of the file being parsed. Thread-local because serde visitors
    /// carry no state of ours; `parse` empties it before and after.
    static PARSING: RefCell<Parsing> = RefCell::default();
}

#[derive(Default)]
struct Parsing {
    /// The short texts (keys, dates, ids, categories repeat across records): each
    /// is stored once and shared.
    texts: HashSet<ArcStr>,
    /// The items, then the entries, of the collections being read, innermost last.
    /// A complete collection takes its own off the top into an allocation of its
    /// exact size: no growing vector per collection, no slack left in the tree.
    items: Vec<Node>,
    entries: Vec<(Key, Node)>,
}

fn shared_text(text: &str) -> ArcStr {
    if text.len() > SHARED_TEXT_MAX {
        return ArcStr::from(text);
    }
    PARSING.with_borrow_mut(|state| {
        if let Some(shared) = state.texts.get(text) {
            return shared.clone();
        }
        let shared = ArcStr::from(text);
        state.texts.insert(shared.clone());
        shared
    })
}

/// The children pushed onto `stack` since it was `start` long, as one collection.
fn take_from<T>(stack: &mut Vec<T>, start: usize) -> ThinVec<T> {
    let start = start.min(stack.len());
    let mut collection = ThinVec::with_capacity(stack.len() - start);
    collection.extend(stack.drain(start..));
    collection
}

/// The YAML parser's settings for these limits (public so a benchmark can parse
/// under the same budget).
pub fn parser_options(limits: &Limits) -> serde_saphyr::Options {
    let mut alias_limits = AliasLimits::default();
    alias_limits.max_total_replayed_events = limits.max_alias_nodes;
    alias_limits.max_replay_stack_depth = limits.max_depth;
    alias_limits.max_alias_expansions_per_anchor = limits.max_aliases;
    // YAML 1.2 booleans only: under YAML 1.1, `NO` (Norway's code) and `y` read
    // as booleans.
    serde_saphyr::options! {
        budget: Some(budget(limits)),
        alias_limits: alias_limits,
        with_snippet: false,
        strict_booleans: true,
    }
}

fn budget(limits: &Limits) -> Budget {
    let mut budget = Budget::default();
    budget.max_nodes = limits.max_nodes;
    budget.max_events = limits.max_nodes.saturating_mul(2);
    budget.max_depth = limits.max_depth;
    budget.max_aliases = limits.max_aliases;
    budget.max_anchors = limits.max_aliases;
    budget.max_documents = 1;
    budget.max_recorded_anchor_events = limits.max_alias_nodes;
    budget
}

fn failure_from(error: &serde_saphyr::Error, source: &SourceFile, limits: &Limits) -> LoadFailure {
    use serde_saphyr::Error as E;
    let span = error.location().map_or_else(Span::default, |at| {
        let start = at.span().byte_offset().map_or_else(
            || source.offset_of(to_usize(at.line()), to_usize(at.column())),
            to_usize,
        );
        Span::new(
            start,
            start + at.span().byte_len().map_or(1, to_usize).max(1),
        )
    });
    let syntax = |message: String, help: Option<&str>| LoadFailure {
        kind: FailureKind::Syntax,
        message,
        help: help.map(str::to_owned),
        span,
    };
    match innermost(error) {
        E::DuplicateMappingKey { key, .. } => syntax(
            match key {
                Some(key) => format!("duplicate key `{key}`"),
                None => "duplicate key".to_owned(),
            },
            Some("a key may appear once in a mapping: remove or rename one of them"),
        ),
        E::MultipleDocuments { .. }
        | E::Budget {
            breach: serde_saphyr::budget::BudgetBreach::Documents { .. },
            ..
        } => syntax(
            "the file holds more than one YAML document".to_owned(),
            Some("keep one document per file: remove the `---` separator or split the file"),
        ),
        E::Budget { breach, .. } => LoadFailure {
            kind: FailureKind::Limit,
            message: format!("the file exceeds a safety limit ({})", describe_breach(breach, limits)),
            help: Some(
                "this protects against hostile input; if the file is genuine, raise the limit with the flag named above"
                    .to_owned(),
            ),
            span,
        },
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => LoadFailure {
            kind: FailureKind::Limit,
            message: format!(
                "aliases expand too far (more than {} nodes; `--max-alias-nodes`)",
                limits.max_alias_nodes
            ),
            help: Some(
                "this protects against alias bombs; if the file is genuine, raise the limit with the flag named above"
                    .to_owned(),
            ),
            span,
        },
        other => syntax(plain_message(other), Some("fix the YAML syntax at the marked place")),
    }
}

/// The error an alias replay or a snippet wrapper carries inside.
fn innermost(error: &serde_saphyr::Error) -> &serde_saphyr::Error {
    match error {
        serde_saphyr::Error::AliasError { error, .. }
        | serde_saphyr::Error::WithSnippet { error, .. } => innermost(error),
        other => other,
    }
}

fn describe_breach(breach: &serde_saphyr::budget::BudgetBreach, limits: &Limits) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match breach {
        B::Depth { .. } => format!(
            "nesting deeper than {} levels; `--max-depth`",
            limits.max_depth
        ),
        B::Nodes { .. } | B::Events { .. } => {
            format!("more than {} nodes; `--max-nodes`", limits.max_nodes)
        }
        B::RecordedAnchorEvents { .. } | B::RecordedAnchorBytes { .. } => format!(
            "aliases expand to more than {} nodes; `--max-alias-nodes`",
            limits.max_alias_nodes
        ),
        B::Aliases { .. } | B::Anchors { .. } => {
            format!(
                "more than {} anchors or aliases; `--max-aliases`",
                limits.max_aliases
            )
        }
        B::Documents { .. } => "more than one document".to_owned(),
        other => format!("{other:?}"),
    }
}

/// The library's message without its `line L column C:` prefix (the report shows the place).
fn plain_message(error: &serde_saphyr::Error) -> String {
    let text = error.to_string();
    let first_line = text.lines().next().unwrap_or_default();
    let without_place = match first_line.split_once(": ") {
        Some((place, rest)) if place.starts_with("line ") => rest,
        _ => first_line,
    };
    let message = without_place.trim_start_matches("error: ");
    match message.rsplit_once(" at line ") {
        Some((message, place)) if place.contains(", column ") => message.to_owned(),
        _ => message.to_owned(),
    }
}

fn to_usize(value: u64) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(deserializer)?;
        let span = spanned.referenced.span();
        let start = span.byte_offset().map_or(0, to_usize);
        let end = start + span.byte_len().map_or(0, to_usize);
        // Collections are reported at their start; stretch them over their last child
        // so a label covers the whole record.
        let end = match &spanned.value {
            Value::Seq(items) => items.last().map_or(end, |last| last.span.end().max(end)),
            Value::Map(entries) => entries
                .last()
                .map_or(end, |(_, last)| last.span.end().max(end)),
            _ => end,
        };
        Ok(Node {
            span: Span::new(start, end),
            value: spanned.value,
        })
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let node = Node::deserialize(deserializer)?;
        let text = match node.value {
            Value::Str(text) => text,
            Value::Int(number) => shared_text(&number.to_string()),
            Value::Bool(flag) => shared_text(if flag { "true" } else { "false" }),
            Value::Float(number) => shared_text(&number.to_string()),
            Value::Null => shared_text("null"),
            // No JSON key is a collection: such a key reads as the empty text.
            Value::Seq(_) | Value::Map(_) => ArcStr::new(),
        };
        Ok(Key {
            span: node.span,
            text,
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }
    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Int(value))
    }
    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Value, E> {
        i64::try_from(value)
            .map(Value::Int)
            .map_err(|_| E::custom(format!("the number {value} is too large")))
    }
    fn visit_i128<E: serde::de::Error>(self, value: i128) -> Result<Value, E> {
        i64::try_from(value)
            .map(Value::Int)
            .map_err(|_| E::custom(format!("the number {value} is too large")))
    }
    fn visit_u128<E: serde::de::Error>(self, value: u128) -> Result<Value, E> {
        i64::try_from(value)
            .map(Value::Int)
            .map_err(|_| E::custom(format!("the number {value} is too large")))
    }
    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Value::Float(value))
    }
    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::Str(shared_text(value)))
    }
    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::Str(shared_text(&value)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let start = PARSING.with_borrow(|state| state.items.len());
        let read = (|| {
            while let Some(item) = access.next_element::<Node>()? {
                PARSING.with_borrow_mut(|state| state.items.push(item));
            }
            Ok(())
        })();
        // Taken on failure too, so the stack stays the enclosing collections' own.
        let items = PARSING.with_borrow_mut(|state| take_from(&mut state.items, start));
        read.map(|()| Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let start = PARSING.with_borrow(|state| state.entries.len());
        let read = (|| {
            while let Some(entry) = access.next_entry::<Key, Node>()? {
                PARSING.with_borrow_mut(|state| state.entries.push(entry));
            }
            Ok(())
        })();
        let entries = PARSING.with_borrow_mut(|state| take_from(&mut state.entries, start));
        read.map(|()| Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<Value> {
        let source = SourceFile::new("t.yaml", text);
        match parse(&source, &Limits::default()).map(|root| root.value) {
            Ok(Value::Seq(items)) => items.iter().map(|item| item.value.clone()).collect(),
            other => vec![Value::Str(ArcStr::from(format!("{other:?}")))],
        }
    }

    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_node_is_three_words() {
        assert_eq!(std::mem::size_of::<Node>(), 24);
        assert_eq!(std::mem::size_of::<(Key, Node)>(), 40);
    }

    #[test]
    fn keys_read_as_text() {
        let source = SourceFile::new("t.yaml", "{2023: a, true: b, ~: c, 1.5: d, [x]: e}");
        let root = parse(&source, &Limits::default());
        let Ok(Node {
            value: Value::Map(entries),
            ..
        }) = &root
        else {
            unreachable!("{root:?}")
        };
        let keys: Vec<&str> = entries.iter().map(|(key, _)| &*key.text).collect();
        assert_eq!(keys, ["2023", "true", "null", "1.5", ""]);
        assert_eq!(entries[0].0.span, Span::new(1, 5));
    }

    #[test]
    fn only_yaml_1_2_spellings_are_booleans() {
        let text = |word: &str| Value::Str(ArcStr::from(word));
        assert_eq!(
            values("[NO, no, y, Yes, off, ON, true, False]"),
            vec![
                text("NO"),
                text("no"),
                text("y"),
                text("Yes"),
                text("off"),
                text("ON"),
                Value::Bool(true),
                Value::Bool(false),
            ]
        );
    }
}
