//! A proposal merged into a document: its list items appended (an item the
//! list already holds, with the same content, is not appended twice; one that
//! restates a record, see [`restated`], refines it), its mappings merged, its
//! scalars replacing. Every node keeps the file it came from, so findings
//! about what the proposal adds point into the proposal.

use crate::base::date::PartialDate;
use crate::base::finding::Location;
use crate::base::source::{SourceFile, Span};
use crate::load::{Node, Value, push_token};
use std::collections::HashMap;
use std::sync::Arc;
use thin_vec::ThinVec;

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
    /// For each list the proposal writes, by pointer: its length before, and
    /// the proposal's index of each item appended.
    appended: HashMap<String, (usize, Vec<usize>)>,
    /// For each list whose records the proposal refines, by pointer: the
    /// proposal's index of each refined record, by the record's own index.
    refined: HashMap<String, HashMap<usize, usize>>,
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
    let mut overlay = Overlay {
        source: proposal_source,
        offset,
        appended: HashMap::new(),
        refined: HashMap::new(),
        shared,
    };
    let mut root = base.root;
    overlay.merge_into(&mut root, proposal, &mut String::new());
    Document {
        source: base.source,
        root,
        overlay: Some(overlay),
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

impl Overlay {
    fn merge_into(&mut self, base: &mut Node, addition: Node, pointer: &mut String) {
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
                            self.merge_into(existing, value, pointer);
                            pointer.truncate(restore);
                        }
                        None => entries.push((key, value)),
                    }
                }
            }
            (Value::Seq(items), Value::Seq(added)) => self.merge_list(items, added, pointer),
            (_, replacement) => {
                *base = Node {
                    span: addition.span,
                    value: replacement,
                };
            }
        }
    }

    /// The proposal's items of the list at `pointer`: each the list holds
    /// already is skipped, each that restates one of its records refines it,
    /// and the others are appended.
    fn merge_list(
        &mut self,
        items: &mut ThinVec<Node>,
        added: ThinVec<Node>,
        pointer: &mut String,
    ) {
        let length = items.len();
        let mut new = Vec::new();
        for (index, item) in added.into_iter().enumerate() {
            if items.iter().any(|kept| same_content(kept, &item)) {
                continue;
            }
            match restated(&items[..length], &item) {
                Some(at) => {
                    let restore = pointer.len();
                    push_token(pointer, &at.to_string());
                    // The record is shown where the proposal restates it.
                    self.shared.insert(pointer.clone(), item.span);
                    collect_mapped(&item, pointer, &mut self.shared);
                    self.merge_into(&mut items[at], item, pointer);
                    pointer.truncate(restore);
                    (self.refined.entry(pointer.clone()).or_default()).insert(at, index);
                }
                None => new.push((index, item)),
            }
        }
        let (_, from_proposal) = self
            .appended
            .entry(pointer.clone())
            .or_insert_with(|| (length, Vec::new()));
        // Exactly: growing would double a long list's allocation.
        items.reserve_exact(new.len());
        for (index, item) in new {
            from_proposal.push(index);
            items.push(item);
        }
    }
}

/// A record of a whole edited copy that restates one of the records.
pub struct Restating {
    /// Its JSON Pointer in the copy, and that of the record it restates.
    pub pointer: String,
    pub was: String,
    /// Its content (see `check::identity`'s), as the copy writes it.
    pub content: u64,
}

/// The items of `copy` (a whole edited copy of `base`) that restate a record
/// of `base` in the list at the same place (see `restated`) without being
/// the same: records the copy refines rather than adds.
pub fn restating(base: &Node, copy: &Node, content: fn(&Node) -> u64) -> Vec<Restating> {
    let mut found = Vec::new();
    restating_under(base, copy, content, &mut String::new(), &mut found);
    found
}

fn restating_under(
    base: &Node,
    copy: &Node,
    content: fn(&Node) -> u64,
    pointer: &mut String,
    found: &mut Vec<Restating>,
) {
    match (&base.value, &copy.value) {
        (Value::Map(known), Value::Map(entries)) => {
            for (key, value) in entries {
                if let Some((_, was)) = known.iter().find(|(other, _)| other.text == key.text) {
                    let restore = pointer.len();
                    push_token(pointer, &key.text);
                    restating_under(was, value, content, pointer, found);
                    pointer.truncate(restore);
                }
            }
        }
        (Value::Seq(records), Value::Seq(items)) => {
            for (index, item) in items.iter().enumerate() {
                if records.iter().any(|record| same_content(record, item)) {
                    continue;
                }
                if let Some(at) = restated(records, item) {
                    found.push(Restating {
                        pointer: format!("{pointer}/{index}"),
                        was: format!("{pointer}/{at}"),
                        content: content(item),
                    });
                }
            }
        }
        _ => {}
    }
}

/// The one record of `records` that `item` restates, if any: a mapping that
/// shares a scalar field with it, agrees with it on every scalar field they
/// share (see `refines`), and so names it (a term's holder and dates, a
/// member's id), adding or detailing the rest. Where two records could be
/// meant, none is: the item is another record.
fn restated(records: &[Node], item: &Node) -> Option<usize> {
    let Value::Map(fields) = &item.value else {
        return None;
    };
    let agrees = |record: &Node| {
        let Value::Map(known) = &record.value else {
            return false;
        };
        let mut shared = 0;
        for (key, value) in fields.iter().filter(|(_, value)| is_scalar(value)) {
            match known.iter().find(|(other, _)| other.text == key.text) {
                Some((_, other)) if is_scalar(other) => {
                    if !refines(value, other) {
                        return false;
                    }
                    shared += 1;
                }
                _ => {}
            }
        }
        shared > 0
    };
    let mut candidates = records
        .iter()
        .enumerate()
        .filter(|(_, record)| agrees(record));
    match (candidates.next(), candidates.next()) {
        (Some((at, _)), None) => Some(at),
        _ => None,
    }
}

/// Whether the value `proposed` agrees with the value `known`: the same, or
/// the same date known more finely (`2015-09` for `2015`).
fn refines(proposed: &Node, known: &Node) -> bool {
    if proposed.value == known.value {
        return true;
    }
    let text = |node: &Node| match &node.value {
        Value::Str(text) => Some(text.to_string()),
        Value::Int(year) => Some(year.to_string()),
        _ => None,
    };
    let (Some(proposed), Some(known)) = (text(proposed), text(known)) else {
        return false;
    };
    let is_date = |text: &str| PartialDate::parse(text).is_ok();
    is_date(&proposed)
        && is_date(&known)
        && proposed
            .strip_prefix(known.as_str())
            .is_some_and(|finer| finer.starts_with('-'))
}

fn is_scalar(node: &Node) -> bool {
    !matches!(node.value, Value::Map(_) | Value::Seq(_))
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

    /// Whether `pointer` is in a record the proposal restates and refines
    /// (which keeps its place in its list).
    pub fn is_refined(&self, pointer: &str) -> bool {
        let Some(overlay) = &self.overlay else {
            return false;
        };
        overlay.refined.iter().any(|(list, records)| {
            pointer
                .strip_prefix(list.as_str())
                .and_then(|rest| rest.strip_prefix('/'))
                .and_then(|rest| rest.split('/').next()?.parse::<usize>().ok())
                .is_some_and(|index| records.contains_key(&index))
        })
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
            let index = token.parse::<usize>().ok();
            let appended =
                self.appended
                    .get(&at)
                    .zip(index)
                    .and_then(|((length, from_proposal), index)| {
                        from_proposal.get(index.checked_sub(*length)?)
                    });
            let refined = (self.refined.get(&at))
                .zip(index)
                .and_then(|(refined, index)| refined.get(&index));
            let local = appended
                .or(refined)
                .map_or_else(|| token.to_owned(), ToString::to_string);
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

    /// The `terms` after merging `proposal` into records of `terms`.
    fn merged_terms(terms: &str, proposal: &str) -> serde_json::Value {
        let (source, root) = document("base.yaml", &format!("terms: {terms}\n"));
        let (proposal_source, proposal) = document("p.yaml", &format!("terms: {proposal}\n"));
        let base = Document {
            source,
            root,
            overlay: None,
        };
        crate::load::to_json(&merge(base, proposal_source, proposal).root)["terms"].clone()
    }

    #[test]
    fn a_restated_record_is_refined_in_place_and_only_when_it_is_the_one_meant() {
        let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
        // Same name and dates, known more finely, with a detail added.
        assert_eq!(
            merged_terms(
                "[{holder: FR, start: 2015, end: 2017}, {holder: LU, start: 2017}]",
                "[{holder: FR, start: 2015-09, end: 2017, roadmap: {by: [FR]}}]"
            ),
            json(
                r#"[{"holder": "FR", "start": "2015-09", "end": 2017, "roadmap": {"by": ["FR"]}},
                    {"holder": "LU", "start": 2017}]"#
            )
        );
        // Another date: another record.
        assert_eq!(
            merged_terms("[{holder: FR, start: 2015}]", "[{holder: FR, start: 2019}]"),
            json(r#"[{"holder": "FR", "start": 2015}, {"holder": "FR", "start": 2019}]"#)
        );
        // A coarser date is no refinement of a finer one.
        assert_eq!(
            merged_terms(
                "[{holder: FR, start: 2015-09}]",
                "[{holder: FR, start: 2015}]"
            ),
            json(r#"[{"holder": "FR", "start": "2015-09"}, {"holder": "FR", "start": 2015}]"#)
        );
        // Two records it could mean: neither is refined.
        assert_eq!(
            merged_terms(
                "[{holder: FR, start: 2015}, {holder: FR, start: 2019}]",
                "[{holder: FR, note: n}]"
            )
            .as_array()
            .map(Vec::len),
            Some(3)
        );
        // A record that shares no plain field with any is another record.
        assert_eq!(
            merged_terms("[{holder: FR}]", "[{roadmap: {by: [FR]}}]")
                .as_array()
                .map(Vec::len),
            Some(2)
        );
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
