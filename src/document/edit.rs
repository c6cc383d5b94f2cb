//! Edits of a file's text that leave every other byte as written: a value
//! replaced in its own quotes, an item added to a list in the list's own
//! style, a list item removed with its line. Each lands in the file that holds
//! the node (a proposal's, or the records'), and each is `None` where the text
//! has no place for it.

use crate::base::finding::Fix;
use crate::base::source::{SourceFile, Span};
use crate::document::merge::Document;
use crate::load::{Node, Value};
use std::sync::Arc;

/// The scalar at `pointer` replaced by `text`, in the same quotes; or, when
/// only its last field is absent from a mapping, that field added to it.
pub fn set(document: &Document, pointer: &str, text: &str) -> Option<Fix> {
    let located = document.root.locate(pointer);
    if !located.exact {
        let (parent, field) = pointer.rsplit_once('/')?;
        return (parent == located.pointer).then(|| add_field(document, parent, field, text))?;
    }
    if matches!(located.node.value, Value::Seq(_) | Value::Map(_)) {
        return None;
    }
    let place = document.location_of(located.node.span, &located.pointer);
    let old = place
        .source
        .text()
        .get(place.span.start()..place.span.end())?;
    // A block scalar (`|`, `>`) has its own layout of lines and line breaks.
    let replacement = written_like(old, text);
    // A quoted text that runs over lines shows only its first here.
    let quote = old.chars().next().filter(|c| matches!(c, '\'' | '"'));
    let unclosed = quote.is_some_and(|quote| old.len() < 2 || !old.ends_with(quote));
    if old.contains('\n')
        || unclosed
        || in_block_scalar(place.source.text(), place.span.start())
        || replacement == old
    {
        return None;
    }
    let field = place.pointer.rsplit('/').next().unwrap_or_default();
    Some(Fix {
        safe: false,
        description: format!("{field}: {old} → {replacement}"),
        source: place.source,
        span: place.span,
        pointer: place.pointer,
        replacement,
    })
}

/// The field `key: text` added to the mapping at `pointer`: inside its braces,
/// or as one more line at the column of its keys, after its last entry.
fn add_field(document: &Document, pointer: &str, key: &str, text: &str) -> Option<Fix> {
    let located = document.root.locate(pointer);
    let Value::Map(entries) = &located.node.value else {
        return None;
    };
    let place = document.location_of(located.node.span, &located.pointer);
    let source = Arc::clone(&place.source);
    let file = source.text();
    let in_file = |offset: usize| {
        document
            .location_of(Span::new(offset, offset), &located.pointer)
            .span
            .start()
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    let field = format!("{}: {}", written_like("", &key), written_like("", text));
    let (offset, replacement) = if file.get(place.span.start()..)?.starts_with('{') {
        let near = in_file(located.node.span.end()).checked_sub(1)?;
        let close = near + file.get(near..)?.find('}')?;
        let separator = if entries.is_empty() { "" } else { ", " };
        (close, format!("{separator}{field}"))
    } else {
        let ((first, _), (_, last)) = (entries.first()?, entries.last()?);
        let first_key = in_file(first.span.start());
        let line_start = file.get(..first_key)?.rfind('\n').map_or(0, |at| at + 1);
        let column = file.get(line_start..first_key)?.chars().count();
        let last_end = in_file(last.span.end());
        // After a block scalar the line it ends on is not the place to add to.
        if in_block_scalar(file, in_file(last.span.start()))
            || file.get(line_start..first_key)?.contains(['{', '['])
        {
            return None;
        }
        let line_end = file
            .get(last_end..)?
            .find('\n')
            .map_or(file.len(), |at| last_end + at);
        (line_end, format!("\n{}{field}", " ".repeat(column)))
    };
    Some(Fix {
        safe: false,
        description: format!("add {field}"),
        source,
        span: Span::new(offset, offset),
        pointer: format!("{}/{key}", place.pointer),
        replacement,
    })
}

/// `item` (written in flow style) added at the end of the list at `pointer`:
/// inside its brackets, or as one more `- ` line at its indentation.
pub fn add(document: &Document, pointer: &str, item: &str) -> Option<Fix> {
    let list = List::at(document, pointer)?;
    let (offset, replacement) = if list.flow {
        let close = list.closing_bracket()?;
        let separator = if list.items.is_empty() { "" } else { ", " };
        (close, format!("{separator}{item}"))
    } else {
        // After the line of the last item, at the first's indentation.
        let (first, last) = (list.items.first()?, list.items.last()?);
        let dash = list.dash_column(first)?;
        let line_end = list.line_end(last.1.1)?;
        (line_end, format!("\n{}- {item}", " ".repeat(dash)))
    };
    let field = list.pointer.rsplit('/').next().unwrap_or_default();
    Some(Fix {
        safe: false,
        description: format!("add {item} to {field}"),
        source: list.source,
        span: Span::new(offset, offset),
        pointer: list.pointer,
        replacement,
    })
}

/// The item at `pointer` removed from its list, with its line (block style)
/// or its separator (flow style). The only item of a block list leaves `[]`,
/// so the key still holds a list.
pub fn remove(document: &Document, pointer: &str) -> Option<Fix> {
    let (list_pointer, index) = pointer.rsplit_once('/')?;
    let index: usize = index.parse().ok()?;
    let list = List::at(document, list_pointer)?;
    let position = list.items.iter().position(|(at, _)| *at == index)?;
    let (start, end) = list.items[position].1;
    let text = list.source.text();
    let span = if list.flow {
        match (list.items.get(position + 1), position.checked_sub(1)) {
            // The item and the separator after it.
            (Some((_, (next, _))), _) => Span::new(start, *next),
            // The last: the separator before it.
            (None, Some(before)) => Span::new(list.items[before].1.1, end),
            (None, None) => Span::new(start, end),
        }
    } else {
        let line_start = text.get(..start)?.rfind('\n').map_or(0, |at| at + 1);
        if list.items.len() == 1 {
            return Some(Fix {
                safe: false,
                description: format!("remove {}", text.get(start..end)?.trim()),
                source: Arc::clone(&list.source),
                span: Span::new(line_start.checked_sub(1)?, list.line_end(end)?),
                pointer: pointer.to_owned(),
                replacement: " []".to_owned(),
            });
        }
        let removed_to = match list.items.get(position + 1) {
            Some((_, (next, _))) => text.get(..*next)?.rfind('\n').map_or(0, |at| at + 1),
            None => (list.line_end(end)? + 1).min(text.len()),
        };
        Span::new(line_start, removed_to)
    };
    let removed = text.get(span.start()..span.end())?;
    Some(Fix {
        safe: false,
        description: format!("remove {}", removed.trim().trim_start_matches("- ")),
        source: Arc::clone(&list.source),
        span,
        pointer: pointer.to_owned(),
        replacement: String::new(),
    })
}

/// Whether the text at `offset` is the content of a block scalar: the first
/// thing on its line, after a line that ends with `|` or `>` (and its
/// chomping and indentation indicators).
fn in_block_scalar(text: &str, offset: usize) -> bool {
    let Some(before) = text.get(..offset) else {
        return false;
    };
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    if !before[line_start..].trim().is_empty() || line_start == 0 {
        return false;
    }
    let previous = before[..line_start - 1].lines().last().unwrap_or_default();
    let indicator = previous
        .trim_end()
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '+');
    indicator.ends_with('|') || indicator.ends_with('>')
}

/// A list as one file writes it: its items' places in that file.
struct List {
    source: Arc<SourceFile>,
    pointer: String,
    /// Whether it is written in brackets.
    flow: bool,
    /// Its start and end in the file.
    span: Span,
    /// Each item this file holds: its index in the list, and its start and end.
    items: Vec<(usize, (usize, usize))>,
}

impl List {
    fn at(document: &Document, pointer: &str) -> Option<Self> {
        let located = document.root.locate(pointer);
        let Value::Seq(nodes) = &located.node.value else {
            return None;
        };
        if !located.exact {
            return None;
        }
        let place = document.location_of(located.node.span, &located.pointer);
        let in_file = |node: &Node, index: usize| {
            let item_pointer = format!("{}/{index}", located.pointer);
            let start = document.location_of(
                Span::new(node.span.start(), node.span.start()),
                &item_pointer,
            );
            let end =
                document.location_of(Span::new(node.span.end(), node.span.end()), &item_pointer);
            Arc::ptr_eq(&start.source, &place.source)
                .then(|| (start.span.start(), end.span.start()))
        };
        let end = document
            .location_of(
                Span::new(located.node.span.end(), located.node.span.end()),
                &located.pointer,
            )
            .span
            .start();
        let flow = place
            .source
            .text()
            .get(place.span.start()..)
            .is_some_and(|rest| rest.starts_with('['));
        Some(Self {
            items: nodes
                .iter()
                .enumerate()
                .filter_map(|(index, node)| Some((index, in_file(node, index)?)))
                .collect(),
            span: Span::new(place.span.start(), end),
            source: place.source,
            pointer: place.pointer,
            flow,
        })
    }

    /// Where the closing bracket is: the list's span ends on it or just past.
    fn closing_bracket(&self) -> Option<usize> {
        let near = self.span.end().checked_sub(1)?;
        Some(near + self.source.text().get(near..)?.find(']')?)
    }

    /// The column of the `- ` before an item.
    fn dash_column(&self, (_, (start, _)): &(usize, (usize, usize))) -> Option<usize> {
        let text = self.source.text();
        let line_start = text.get(..*start)?.rfind('\n').map_or(0, |at| at + 1);
        text.get(line_start..*start)?.find('-')
    }

    /// The end of the line an offset is on (before its line break).
    fn line_end(&self, offset: usize) -> Option<usize> {
        let text = self.source.text();
        Some(
            text.get(offset..)?
                .find('\n')
                .map_or(text.len(), |at| offset + at),
        )
    }
}

/// `text` written as `old` is: in the same quotes, or plain where plain YAML
/// reads it back as the same text.
pub fn written_like(old: &str, text: &str) -> String {
    let plain_is_safe = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ' | '/'))
        && !text.starts_with(['-', ' '])
        && !text.ends_with(' ')
        && !matches!(text, "true" | "false" | "null" | "~");
    match old.chars().next() {
        Some('\'') => format!("'{}'", text.replace('\'', "''")),
        Some('"') => format!("{:?}", text),
        _ if plain_is_safe => text.to_owned(),
        _ => format!("{:?}", text),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::load::{Limits, parse};

    fn document(text: &str) -> Document {
        let source = SourceFile::new("a.yaml", text);
        let root = parse(&source, &Limits::default()).unwrap();
        Document {
            source,
            root,
            overlay: None,
        }
    }

    fn applied(text: &str, fix: Option<Fix>) -> String {
        let fix = fix.unwrap();
        let mut out = text.to_owned();
        out.replace_range(fix.span.start()..fix.span.end(), &fix.replacement);
        out
    }

    #[test]
    fn flow_lists_gain_and_lose_items_with_their_separators() {
        let text = "a: [x, y, z]  # note\nb: []\n";
        let doc = document(text);
        assert_eq!(
            applied(text, remove(&doc, "/a/1")),
            "a: [x, z]  # note\nb: []\n"
        );
        assert_eq!(
            applied(text, remove(&doc, "/a/2")),
            "a: [x, y]  # note\nb: []\n"
        );
        assert_eq!(
            applied(text, add(&doc, "/b", "w")),
            "a: [x, y, z]  # note\nb: [w]\n"
        );
        assert_eq!(
            applied(text, add(&doc, "/a", "w")),
            "a: [x, y, z, w]  # note\nb: []\n"
        );
    }

    #[test]
    fn block_lists_gain_and_lose_lines() {
        let text = "a:\n  - x  # one\n  - y\nc: 1\n";
        let doc = document(text);
        assert_eq!(applied(text, remove(&doc, "/a/0")), "a:\n  - y\nc: 1\n");
        assert_eq!(
            applied(text, remove(&doc, "/a/1")),
            "a:\n  - x  # one\nc: 1\n"
        );
        assert_eq!(
            applied(text, add(&doc, "/a", "z")),
            "a:\n  - x  # one\n  - y\n  - z\nc: 1\n"
        );
        let single = "a:\n  - x\nc: 1\n";
        assert_eq!(
            applied(single, remove(&document(single), "/a/0")),
            "a: []\nc: 1\n"
        );
    }

    #[test]
    fn an_absent_field_is_added_where_its_siblings_are() {
        let text =
            "terms:\n  - holder: LU\n    start: 2017  # begun\n  - {holder: MA, start: 2019}\n";
        let doc = document(text);
        assert_eq!(
            applied(text, set(&doc, "/terms/0/end", "2019")),
            "terms:\n  - holder: LU\n    start: 2017  # begun\n    end: 2019\n  - {holder: MA, start: 2019}\n"
        );
        assert_eq!(
            applied(text, set(&doc, "/terms/1/end", "2021")),
            "terms:\n  - holder: LU\n    start: 2017  # begun\n  - {holder: MA, start: 2019, end: 2021}\n"
        );
        assert!(
            set(&doc, "/terms/2/end", "2021").is_none(),
            "no record to add it to"
        );
    }

    #[test]
    fn values_keep_their_quotes() {
        let text = "a: 'x'\nb: \"y\"\nc: z\nd: |\n  long\n";
        let doc = document(text);
        assert_eq!(
            applied(text, set(&doc, "/a", "it's")),
            "a: 'it''s'\nb: \"y\"\nc: z\nd: |\n  long\n"
        );
        assert_eq!(
            applied(text, set(&doc, "/b", "w")),
            "a: 'x'\nb: \"w\"\nc: z\nd: |\n  long\n"
        );
        assert_eq!(
            applied(text, set(&doc, "/c", "a: b")),
            "a: 'x'\nb: \"y\"\nc: \"a: b\"\nd: |\n  long\n"
        );
        let block = set(&doc, "/d", "short");
        assert!(block.is_none(), "a block scalar is not guessed: {block:?}");
        assert!(set(&doc, "/e", "new").is_none(), "not after a block scalar");
    }
}
