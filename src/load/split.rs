//! A large file read in pieces, one per thread, into the tree one pass builds.
//!
//! Records are a mapping of a few keys whose values are long block lists. A
//! piece starts at a line where one pass over the file is in a state the line
//! alone shows: a key of the top-level mapping at column 0, or an item of a
//! top-level block list at that list's column. Each piece is read as a document
//! of its own and the trees are joined. The join checks that every piece has the
//! shape its first line promised, and gives up on anything else: a quoted text
//! or flow collection running across a cut, an alias to an anchor in an earlier
//! piece, a key repeated in two pieces, a second document, limits exceeded
//! together. The file is then read in one pass, which reports the first error
//! at its place.

use super::budget::Spent;
use super::tree::{self, Part};
use super::{Limits, Node, Value};
use crate::base::source::{SourceFile, Span};
use arcstr::ArcStr;
use rayon::prelude::*;
use std::collections::HashSet;

/// Below this size per piece, a second thread costs more than it saves.
const MIN_PIECE_BYTES: usize = 1 << 20;

/// How a piece starts, so how its tree joins the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// At the start of the file, or at a key of the top-level mapping: more of that mapping.
    Mapping,
    /// At an item of the list that the last key before it holds, its dash at `column`.
    Item { column: usize },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub start: usize,
    pub kind: Start,
}

/// The tree of `source`, read in pieces on the current thread pool, or `None`
/// when the file is too small to gain from it or its pieces do not join.
pub fn read(source: &SourceFile, limits: &Limits) -> Option<Node> {
    let text = source.text();
    let pieces = (text.len() / MIN_PIECE_BYTES).min(rayon::current_num_threads());
    if pieces < 2 {
        return None;
    }
    read_pieces(source, limits, &plan(text, pieces))
}

/// The tree of `source` cut where `pieces` start, or `None` if they do not join.
pub fn read_pieces(source: &SourceFile, limits: &Limits, pieces: &[Piece]) -> Option<Node> {
    let text = source.text();
    let parts: Vec<Part> = pieces
        .iter()
        .enumerate()
        .map(|(index, piece)| Part {
            bytes: piece.start..pieces.get(index + 1).map_or(text.len(), |next| next.start),
            // An item sits in the list, in the top-level mapping.
            depth: match piece.kind {
                Start::Mapping => 0,
                Start::Item { .. } => 1,
            },
        })
        .collect();
    let trees: Vec<(Node, Spent)> = parts
        .par_iter()
        .map(|part| tree::build_part(source, part, limits).ok())
        .collect::<Option<_>>()?;
    // Every piece past the first opens again the collection it continues.
    let first = trees.first().map(|(_, spent)| *spent).unwrap_or_default();
    let spent = trees
        .iter()
        .skip(1)
        .fold(first, |total, (_, spent)| total.plus(spent.continuing()));
    if !spent.is_within(limits) {
        return None;
    }
    join(text, pieces, trees.into_iter().map(|(tree, _)| tree))
}

/// Where `text` may be cut into `count` pieces of about equal size: the first
/// line that can start a piece at or after each equal share. A list cut into
/// pieces also ends one at the next top-level key, so that every piece holds
/// either items of one list or entries of the top-level mapping. No pieces (one
/// for the whole file) when a line marks the start or end of a document past
/// the first line.
pub fn plan(text: &str, count: usize) -> Vec<Piece> {
    let whole = vec![Piece {
        start: 0,
        kind: Start::Mapping,
    }];
    let share = text.len() / count.max(1);
    let mut pieces = whole.clone();
    // Equal shares with a piece started, the first included.
    let mut placed = 1;
    let mut list_column: Option<usize> = None;
    let mut awaiting_value = false;
    for start in line_starts(text) {
        let line = line_at(text, start);
        let due = placed < count && start >= share * placed;
        if start > 0 && (line.starts_with("---") || line.starts_with("...")) {
            return whole;
        }
        if is_top_level_key(line) {
            let ends_list = matches!(
                pieces.last(),
                Some(Piece {
                    kind: Start::Item { .. },
                    ..
                })
            );
            if due || ends_list {
                pieces.push(Piece {
                    start,
                    kind: Start::Mapping,
                });
                placed += usize::from(due);
            }
            awaiting_value = true;
            list_column = None;
            continue;
        }
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') || content == "\r" {
            continue;
        }
        let item = item_column(line);
        if awaiting_value {
            // The first item stays with its key: a piece of a list continues one.
            awaiting_value = false;
            list_column = item;
        } else if due && item.is_some() && item == list_column {
            pieces.push(Piece {
                start,
                kind: Start::Item {
                    column: line.len() - content.len(),
                },
            });
            placed += 1;
        }
    }
    pieces
}

fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1))
}

/// The line that starts at `start`, without its line break.
fn line_at(text: &str, start: usize) -> &str {
    let rest = text.get(start..).unwrap_or_default();
    memchr::memchr(b'\n', rest.as_bytes()).map_or(rest, |end| rest.get(..end).unwrap_or_default())
}

/// The column of the dash, if `line` starts an item of a block list.
fn item_column(line: &str) -> Option<usize> {
    let content = line.trim_start_matches(' ');
    let after_dash = content.strip_prefix('-')?;
    matches!(after_dash.bytes().next(), None | Some(b' ' | b'\r'))
        .then(|| line.len() - content.len())
}

/// A line that can only be a key of a block mapping at column 0 (anything that
/// merely looks like one fails the join).
fn is_top_level_key(line: &str) -> bool {
    line.starts_with(|first: char| first.is_ascii_alphanumeric() || first == '_')
        && line.contains(':')
}

/// The pieces' trees as one, if each has the shape its start promised.
fn join(text: &str, pieces: &[Piece], trees: impl IntoIterator<Item = Node>) -> Option<Node> {
    let mut trees = trees.into_iter();
    let mut root = trees.next()?;
    if !is_top_level_mapping(text, root.span.start()) {
        return None;
    }
    let mut last_leaf = leaf_span(&root);
    let Value::Map(entries) = &mut root.value else {
        return None;
    };
    let mut keys: HashSet<ArcStr> = entries.iter().map(|(key, _)| key.text.clone()).collect();
    for (piece, tree) in pieces.iter().skip(1).zip(trees) {
        if !ends_before(text, last_leaf, piece.start) {
            return None;
        }
        last_leaf = leaf_span(&tree);
        let end = tree.span.end();
        let line = line_at(text, piece.start);
        match (piece.kind, tree.value) {
            (Start::Mapping, Value::Map(more))
                if tree.span.start() == piece.start && is_top_level_key(line) =>
            {
                for (key, value) in more {
                    if !keys.insert(key.text.clone()) {
                        return None;
                    }
                    entries.push((key, value));
                }
            }
            (Start::Item { column }, Value::Seq(more))
                if tree.span.start() == piece.start + column
                    && item_column(line) == Some(column) =>
            {
                let (_, list) = entries.last_mut()?;
                let Value::Seq(items) = &mut list.value else {
                    return None;
                };
                // A block list, with its dashes at the piece's column. (A list at
                // its key's column starts at its first item's content, after the dash.)
                if item_column(line_around(text, list.span.start())) != Some(column) {
                    return None;
                }
                items.extend(more);
                list.span = stretched(list.span, end);
            }
            _ => return None,
        }
        root.span = stretched(root.span, end);
    }
    Some(root)
}

/// The span of the last scalar or alias in `node`.
fn leaf_span(node: &Node) -> Span {
    let last = match &node.value {
        Value::Seq(items) => items.last(),
        Value::Map(entries) => entries.last().map(|(_, value)| value),
        _ => None,
    };
    last.map_or(node.span, leaf_span)
}

/// Whether a piece's last scalar, at `leaf`, is one whose span one pass would
/// give it too: where the parser reads up to the next token to end a scalar (an
/// empty value, a block scalar and the blank lines it may keep), the span can
/// differ, so those pieces do not join.
fn ends_before(text: &str, leaf: Span, cut: usize) -> bool {
    !leaf.is_empty()
        && !matches!(text.as_bytes().get(leaf.start()), Some(b'|' | b'>'))
        && leaf.end() < cut
}

/// A collection's span over a child that ends at `end`, as one pass stretches it.
fn stretched(span: Span, end: usize) -> Span {
    Span::new(span.start(), span.end().max(end))
}

/// The line that holds `offset`.
fn line_around(text: &str, offset: usize) -> &str {
    let before = text.get(..offset).unwrap_or_default();
    line_at(
        text,
        memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |newline| newline + 1),
    )
}

/// Whether the top-level mapping starts at `offset`: a block mapping at column 0.
fn is_top_level_mapping(text: &str, offset: usize) -> bool {
    let line = line_around(text, offset);
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    line.len() - line_at(text, offset).len() == 0 && is_top_level_key(line)
}

#[cfg(test)]
mod tests;
