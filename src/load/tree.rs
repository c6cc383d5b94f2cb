//! The parser's events to a spanned tree, in one pass: each node is built once,
//! where the parser reports it, with no intermediate representation.

use super::budget::{Budget, Spent};
use super::failure::{self, LoadFailure};
use super::scalar::{self, Scalar};
use super::{Key, Limits, Node, Value};
use crate::base::source::{SourceFile, Span};
use arcstr::ArcStr;
use granit_parser::{Event, Parser, ScalarStyle};
use std::collections::HashSet;
use std::ops::Range;
use thin_vec::ThinVec;

type TextSet = HashSet<ArcStr, foldhash::fast::RandomState>;

/// Texts longer than this are rarely repeated; sharing them would only cost lookups.
const SHARED_TEXT_MAX: usize = 32;

/// Mappings up to this many entries look for a duplicate key by scanning them;
/// larger ones keep a set, so a mapping of a million keys stays linear.
const SCANNED_KEYS_MAX: usize = 16;

/// Read `source` as one YAML document.
pub fn build(source: &SourceFile, limits: &Limits) -> Result<Node, LoadFailure> {
    let whole = Part {
        bytes: 0..source.text().len(),
        depth: 0,
    };
    build_part(source, &whole, limits).map(|(root, _)| root)
}

/// A stretch of a file read as a document of its own: its node spans are still
/// offsets in the whole file, and its depth counts the collections around it.
pub struct Part {
    pub bytes: Range<usize>,
    /// How many collections of the whole document enclose the part's root.
    pub depth: usize,
}

/// Read `part` of `source` as one YAML document, and say what it used of the limits.
pub fn build_part(
    source: &SourceFile,
    part: &Part,
    limits: &Limits,
) -> Result<(Node, Spent), LoadFailure> {
    let text = source.text().get(part.bytes.clone()).unwrap_or_default();
    let mut builder = Builder::new(limits, part);
    let mut parser = Parser::new_from_str_with_options(text, parser_options(limits));
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|error| failure::scan(&error, source))?;
        builder.event(event, &span)?;
    }
    let root = builder.root.ok_or_else(failure::empty_file)?;
    Ok((root, builder.budget.spent()))
}

fn parser_options(limits: &Limits) -> granit_parser::Options {
    let mut options = granit_parser::Options::default();
    // The specification's indentation rules, not PyYAML's looser ones: a
    // continuation line less indented than its key is refused, not guessed at.
    options.strict_indentation = true;
    // The parser's own nesting limits only back up `--max-depth`, which speaks first.
    let nesting = limits
        .max_depth
        .saturating_add(1)
        .max(options.block_nesting_limit);
    options.block_nesting_limit = nesting;
    options.flow_nesting_limit = nesting;
    options
}

struct Builder<'a> {
    budget: Budget<'a>,
    /// Where the text being read starts in the file.
    offset: usize,
    /// Collections around the text being read (see `Part`).
    outer_depth: usize,
    documents: usize,
    root: Option<Node>,
    /// The collections being read, innermost last.
    open: Vec<Open>,
    /// The items, then the entries, of the open collections, innermost last. A
    /// complete collection takes its own off the top into an allocation of its
    /// exact size: no growing vector per collection, no slack left in the tree.
    items: Vec<Node>,
    entries: Vec<(Key, Node)>,
    /// Anchored values by the parser's anchor id; `None` while still being read.
    anchors: Vec<Option<Anchored>>,
    /// The short texts (keys, dates, ids, categories repeat across records): each
    /// is stored once and shared.
    texts: TextSet,
}

struct Open {
    /// Where the collection starts, and where its opening event ends.
    span: Span,
    anchor: usize,
    /// Where its children start in `items` (a list) or `entries` (a mapping).
    first: usize,
    kind: Kind,
}

enum Kind {
    List,
    Mapping {
        /// The key read, waiting for its value.
        key: Option<Key>,
        /// The keys so far, once there are too many to scan.
        seen: Option<TextSet>,
    },
}

struct Anchored {
    node: Node,
    nodes: usize,
    height: usize,
}

impl<'a> Builder<'a> {
    fn new(limits: &'a Limits, part: &Part) -> Self {
        Self {
            budget: Budget::new(limits),
            offset: part.bytes.start,
            outer_depth: part.depth,
            documents: 0,
            root: None,
            open: Vec::new(),
            items: Vec::new(),
            entries: Vec::new(),
            anchors: Vec::new(),
            texts: TextSet::default(),
        }
    }

    /// A span of the parser's, in the whole file.
    fn bytes(&self, span: &granit_parser::Span) -> Span {
        span.byte_range().map_or_else(Span::default, |range| {
            Span::new(self.offset + range.start, self.offset + range.end)
        })
    }

    /// How many collections are open in the whole document.
    fn depth(&self) -> usize {
        self.outer_depth + self.open.len()
    }

    fn event(&mut self, event: Event<'_>, parsed: &granit_parser::Span) -> Result<(), LoadFailure> {
        let span = self.bytes(parsed);
        if let Some(tag) = event.tag() {
            let at = parsed.tag_span().map_or(span, |tag| self.bytes(&tag));
            return Err(failure::tag(&tag.original(), at));
        }
        match event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(failure::several_documents(span));
                }
                Ok(())
            }
            Event::Scalar(text, style, anchor, _) => {
                self.budget.node(span)?;
                self.define(anchor, span)?;
                let value = self.scalar(&text, style, span)?;
                self.complete(Node { span, value }, anchor)
            }
            Event::SequenceStart(_, anchor, _) => self.open(anchor, span, Kind::List),
            Event::MappingStart(_, anchor, _) => {
                let kind = Kind::Mapping {
                    key: None,
                    seen: None,
                };
                self.open(anchor, span, kind)
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            Event::Alias(id) => self.alias(id, span),
            // Stream and document ends; events these parser options never emit.
            _ => Ok(()),
        }
    }

    fn scalar(&mut self, text: &str, style: ScalarStyle, span: Span) -> Result<Value, LoadFailure> {
        Ok(match scalar::resolve(text, style) {
            Ok(Scalar::Text) => Value::Str(self.text(text)),
            Ok(Scalar::Null) => Value::Null,
            Ok(Scalar::Bool(flag)) => Value::Bool(flag),
            Ok(Scalar::Int(number)) => Value::Int(number),
            Ok(Scalar::Float(number)) => Value::Float(number),
            Err(scalar::Refused::NotFinite) => return Err(failure::not_finite(text, span)),
        })
    }

    fn text(&mut self, text: &str) -> ArcStr {
        if text.len() > SHARED_TEXT_MAX {
            return ArcStr::from(text);
        }
        if let Some(shared) = self.texts.get(text) {
            return shared.clone();
        }
        let shared = ArcStr::from(text);
        self.texts.insert(shared.clone());
        shared
    }

    fn define(&mut self, anchor: usize, span: Span) -> Result<(), LoadFailure> {
        if anchor == 0 {
            return Ok(());
        }
        self.budget.anchor_or_alias(span)?;
        if self.anchors.len() <= anchor {
            self.anchors.resize_with(anchor + 1, || None);
        }
        Ok(())
    }

    fn open(&mut self, anchor: usize, span: Span, kind: Kind) -> Result<(), LoadFailure> {
        self.budget.node(span)?;
        self.budget.enter(self.depth() + 1, span)?;
        self.define(anchor, span)?;
        let first = match kind {
            Kind::List => self.items.len(),
            Kind::Mapping { .. } => self.entries.len(),
        };
        self.open.push(Open {
            span,
            anchor,
            first,
            kind,
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), LoadFailure> {
        let Some(open) = self.open.pop() else {
            return Ok(());
        };
        let value = match open.kind {
            Kind::List => Value::Seq(take_from(&mut self.items, open.first)),
            Kind::Mapping { .. } => Value::Map(take_from(&mut self.entries, open.first)),
        };
        // A collection's event marks its start; stretch it over its last child so a
        // label covers the whole record.
        let last_end = match &value {
            Value::Seq(items) => items.last().map(|last| last.span.end()),
            Value::Map(entries) => entries.last().map(|(_, last)| last.span.end()),
            _ => None,
        };
        let end = last_end.map_or(open.span.end(), |end| end.max(open.span.end()));
        let node = Node {
            span: Span::new(open.span.start(), end),
            value,
        };
        self.complete(node, open.anchor)
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<(), LoadFailure> {
        self.budget.anchor_or_alias(span)?;
        let Some(Some(anchored)) = self.anchors.get(id) else {
            return Err(failure::recursive_alias(span));
        };
        self.budget
            .expand(anchored.nodes, anchored.height, self.depth(), span)?;
        let node = Node {
            span,
            value: anchored.node.value.clone(),
        };
        self.attach(node)
    }

    /// A node read in full: kept if anchored, then placed in its parent.
    fn complete(&mut self, node: Node, anchor: usize) -> Result<(), LoadFailure> {
        if anchor != 0 {
            let (nodes, height) = extent(&node);
            self.budget.keep(nodes, node.span)?;
            if let Some(slot) = self.anchors.get_mut(anchor) {
                *slot = Some(Anchored {
                    node: node.clone(),
                    nodes,
                    height,
                });
            }
        }
        self.attach(node)
    }

    fn attach(&mut self, node: Node) -> Result<(), LoadFailure> {
        let Some(open) = self.open.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match &mut open.kind {
            Kind::List => self.items.push(node),
            Kind::Mapping { key, seen } => match key.take() {
                Some(key) => self.entries.push((key, node)),
                None => {
                    let new = key_of(node, &mut self.texts)?;
                    let earlier = self.entries.get(open.first..).unwrap_or_default();
                    if is_duplicate(&new, earlier, seen) {
                        return Err(failure::duplicate_key(&new.text, new.span));
                    }
                    *key = Some(new);
                }
            },
        }
        Ok(())
    }
}

/// A mapping key as text, as JSON reads keys (`2023:` is the key `"2023"`).
fn key_of(node: Node, texts: &mut TextSet) -> Result<Key, LoadFailure> {
    let spelt = |text: &str, texts: &mut TextSet| match texts.get(text) {
        Some(shared) => shared.clone(),
        None => ArcStr::from(text),
    };
    let text = match node.value {
        Value::Str(text) => text,
        Value::Null => spelt("null", texts),
        Value::Bool(flag) => spelt(if flag { "true" } else { "false" }, texts),
        Value::Int(number) => spelt(&number.to_string(), texts),
        Value::Float(number) => spelt(&number.to_string(), texts),
        Value::Seq(_) => return Err(failure::collection_key("list", node.span)),
        Value::Map(_) => return Err(failure::collection_key("mapping", node.span)),
    };
    Ok(Key {
        span: node.span,
        text,
    })
}

/// Whether `key` repeats one of `earlier`, the entries read so far.
fn is_duplicate(key: &Key, earlier: &[(Key, Node)], seen: &mut Option<TextSet>) -> bool {
    if let Some(seen) = seen {
        return !seen.insert(key.text.clone());
    }
    if earlier.iter().any(|(other, _)| other.text == key.text) {
        return true;
    }
    if earlier.len() >= SCANNED_KEYS_MAX {
        let mut set: TextSet = earlier
            .iter()
            .map(|(other, _)| other.text.clone())
            .collect();
        set.insert(key.text.clone());
        *seen = Some(set);
    }
    false
}

/// The children pushed onto `stack` since it was `start` long, as one collection.
fn take_from<T>(stack: &mut Vec<T>, start: usize) -> ThinVec<T> {
    let start = start.min(stack.len());
    let mut collection = ThinVec::with_capacity(stack.len() - start);
    collection.extend(stack.drain(start..));
    collection
}

/// How many nodes a tree holds, and how many levels of collections.
fn extent(node: &Node) -> (usize, usize) {
    let mut nodes = 1;
    let mut height = 0;
    let mut count = |child: &Node| {
        let (child_nodes, child_height) = extent(child);
        nodes += child_nodes;
        height = height.max(child_height);
    };
    match &node.value {
        Value::Seq(items) => items.iter().for_each(&mut count),
        Value::Map(entries) => entries.iter().for_each(|(_, value)| count(value)),
        _ => return (1, 0),
    }
    (nodes, height + 1)
}
