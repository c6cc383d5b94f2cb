//! A proposal merged into a document: its list items appended (an item the
//! list already holds, with the same content, is not appended twice), its
//! mappings merged, its scalars replacing. Every node keeps the file it came
//! from, so findings about what the proposal adds point into the proposal.

use crate::base::finding::Location;
use crate::base::source::{SourceFile, Span};
use crate::load::{Node, Value, push_token};
use std::collections::HashMap;
use std::sync::Arc;

/// A parsed file: its source and the root of its tree.
#[derive(Debug, Clone)]
pub struct Document {
    pub source: Arc<SourceFile>,
    pub root: Node,
    /// A proposal merged into the tree, if any.
    pub overlay: Option<Overlay>,
}

/// The proposal's part of a merged document.
#[derive(Debug, Clone)]
pub struct Overlay {
    pub source: Arc<SourceFile>,
    /// Spans of proposal nodes are shifted by this much, past the end of the base text.
    offset: usize,
    /// For each list that received items, by pointer: its length before, and
    /// the proposal's index of each item appended.
    appended: HashMap<String, (usize, Vec<usize>)>,
    /// The spans of the proposal's own nodes reached through mappings alone
    /// (`/items`, `/owner`): a finding about the merged node is shown at the
    /// proposal's part.
    shared: HashMap<String, Span>,
}

/// Merge `proposal` into `base`. Both roots must be mappings (checked by the caller's schema).
pub fn merge(base: Document, proposal_source: Arc<SourceFile>, mut proposal: Node) -> Document {
    let offset = base.source.text().len() + 1;
    shift(&mut proposal, offset);
    let mut shared = HashMap::new();
    collect_mapped(&proposal, &mut String::new(), &mut shared);
    let mut appended = HashMap::new();
    let mut root = base.root;
    let mut pointer = String::new();
    merge_into(&mut root, proposal, &mut pointer, &mut appended);
    Document {
        source: base.source,
        root,
        overlay: Some(Overlay {
            source: proposal_source,
            offset,
            appended,
            shared,
        }),
    }
}

/// The span of every node reachable from the root through mapping keys only, by pointer.
fn collect_mapped(node: &Node, pointer: &mut String, out: &mut HashMap<String, Span>) {
    if let Value::Map(entries) = &node.value {
        for (key, value) in entries {
            let restore = pointer.len();
            push_token(pointer, &key.text);
            out.insert(pointer.clone(), value.span);
            collect_mapped(value, pointer, out);
            pointer.truncate(restore);
        }
    }
}

fn shift(node: &mut Node, offset: usize) {
    node.span = shifted(node.span, offset);
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|item| shift(item, offset)),
        Value::Map(entries) => entries.iter_mut().for_each(|(key, value)| {
            key.span = shifted(key.span, offset);
            shift(value, offset);
        }),
        _ => {}
    }
}

fn shifted(span: Span, offset: usize) -> Span {
    Span::new(span.start() + offset, span.end() + offset)
}

fn merge_into(
    base: &mut Node,
    addition: Node,
    pointer: &mut String,
    appended: &mut HashMap<String, (usize, Vec<usize>)>,
) {
    match (&mut base.value, addition.value) {
        (Value::Map(entries), Value::Map(added)) => {
            for (key, value) in added {
                match entries
                    .iter_mut()
                    .find(|(existing, _)| existing.text == key.text)
                {
                    Some((_, existing)) => {
                        let restore = pointer.len();
                        push_token(pointer, &key.text);
                        merge_into(existing, value, pointer, appended);
                        pointer.truncate(restore);
                    }
                    None => entries.push((key, value)),
                }
            }
        }
        (Value::Seq(items), Value::Seq(added)) => {
            let (_, from_proposal) = appended
                .entry(pointer.clone())
                .or_insert_with(|| (items.len(), Vec::new()));
            let new: Vec<(usize, Node)> = added
                .into_iter()
                .enumerate()
                .filter(|(_, item)| !items.iter().any(|kept| same_content(kept, item)))
                .collect();
            // Exactly: growing would double a long list's allocation.
            items.reserve_exact(new.len());
            for (index, item) in new {
                from_proposal.push(index);
                items.push(item);
            }
        }
        (_, replacement) => {
            *base = Node {
                span: addition.span,
                value: replacement,
            };
        }
    }
}

impl Document {
    /// Where a node of this document really is: its file, its span there, and its
    /// JSON Pointer in that file (which differs from `pointer` for appended items).
    pub fn location(&self, node: &Node, pointer: &str) -> Location {
        self.location_of(node.span, pointer)
    }

    /// Where the text at `span` (a node's or a key's) really is; see [`Self::location`].
    pub fn location_of(&self, span: Span, pointer: &str) -> Location {
        // A merged mapping or list that the proposal also writes is shown in the
        // proposal: that is where the change under review is.
        let span = match &self.overlay {
            Some(overlay) if span.start() < overlay.offset => {
                overlay.shared.get(pointer).copied().unwrap_or(span)
            }
            _ => span,
        };
        let span = headline_span(span, self.text_of(span));
        match &self.overlay {
            Some(overlay) if span.start() >= overlay.offset => Location {
                source: Arc::clone(&overlay.source),
                span: Span::new(span.start() - overlay.offset, span.end() - overlay.offset),
                pointer: overlay.pointer_in_proposal(pointer),
            },
            _ => Location {
                source: Arc::clone(&self.source),
                span,
                pointer: pointer.to_owned(),
            },
        }
    }

    /// The text a span points into, as the span counts (proposal text sits past the base).
    fn text_of(&self, span: Span) -> (&str, usize) {
        match &self.overlay {
            Some(overlay) if span.start() >= overlay.offset => {
                (overlay.source.text(), overlay.offset)
            }
            _ => (self.source.text(), 0),
        }
    }

    /// Whether the node at `span` was written by the proposal.
    pub fn is_proposed(&self, span: Span) -> bool {
        self.overlay
            .as_ref()
            .is_some_and(|overlay| span.start() >= overlay.offset)
    }

    /// Whether any node came from a proposal.
    pub fn is_merged(&self) -> bool {
        self.overlay.is_some()
    }
}

/// Whether two nodes hold the same values, wherever they are written.
fn same_content(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Seq(left), Value::Seq(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .zip(right.iter())
                    .all(|(l, r)| same_content(l, r))
        }
        (Value::Map(left), Value::Map(right)) => {
            left.len() == right.len()
                && left.iter().all(|(key, value)| {
                    right
                        .iter()
                        .any(|(other, found)| other.text == key.text && same_content(value, found))
                })
        }
        (left, right) => left == right,
    }
}

impl Overlay {
    fn pointer_in_proposal(&self, merged: &str) -> String {
        let mut at = String::new();
        let mut out = String::new();
        for token in merged.split('/').skip(1) {
            let local = match (self.appended.get(&at), token.parse::<usize>()) {
                (Some((length, from_proposal)), Ok(index)) if index >= *length => from_proposal
                    .get(index - length)
                    .map_or_else(|| token.to_owned(), ToString::to_string),
                _ => token.to_owned(),
            };
            at.push('/');
            at.push_str(token);
            out.push('/');
            out.push_str(&local);
        }
        out
    }
}

/// The first line of a node's span: underlining a whole multi-line record hides the point.
/// `text` is the file the span counts in, starting at `offset` in span coordinates.
fn headline_span(span: Span, (text, offset): (&str, usize)) -> Span {
    let start = span.start().saturating_sub(offset);
    let end = span.end().saturating_sub(offset);
    let body = text.get(start..end).unwrap_or_default();
    let first_line = body.find('\n').unwrap_or(body.len());
    let width = body
        .get(..first_line)
        .map_or(first_line, |line| line.trim_end().len());
    Span::new(span.start(), span.start() + width)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::load::{Limits, parse};

    fn document(name: &str, text: &str) -> (Arc<SourceFile>, Node) {
        let source = SourceFile::new(name, text);
        let root = parse(&source, &Limits::default()).unwrap();
        (source, root)
    }

    #[test]
    fn lists_append_mappings_merge_scalars_replace() {
        let (source, root) = document(
            "base.yaml",
            "as_of: 2016\nterms:\n  - {holder: FR}\ngroup: {id: g}\n",
        );
        let (proposal_source, proposal) = document(
            "p.yaml",
            "as_of: 2017\nterms:\n  - {holder: LU}\ngroup: {name: G}\n",
        );
        let base = Document {
            source,
            root,
            overlay: None,
        };
        let merged = merge(base, proposal_source, proposal);
        let json = crate::load::to_json(&merged.root);
        assert_eq!(
            json,
            serde_json::json!({"as_of": 2017, "terms": [{"holder": "FR"}, {"holder": "LU"}], "group": {"id": "g", "name": "G"}})
        );
        let appended = merged.root.locate("/terms/1/holder");
        let location = merged.location(appended.node, &appended.pointer);
        assert_eq!(location.source.name(), "p.yaml");
        assert_eq!(location.pointer, "/terms/0/holder");
        assert_eq!(
            location
                .source
                .text()
                .get(location.span.start()..location.span.end()),
            Some("LU")
        );
        let kept = merged.root.locate("/terms/0");
        assert_eq!(
            merged.location(kept.node, &kept.pointer).source.name(),
            "base.yaml"
        );
    }
}
