//! Source files and byte spans, with the line/column arithmetic every report needs.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

/// A half-open byte range into a [`SourceFile`]'s text. Offsets are stored in 32
/// bits, since every node of a tree carries one: files are limited to
/// [`MAX_TEXT_BYTES`], and a proposal merged after its base still fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    start: u32,
    end: u32,
}

/// The largest file a span can point into.
pub const MAX_TEXT_BYTES: usize = (u32::MAX / 2) as usize;

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        let clamp = |offset: usize| u32::try_from(offset).unwrap_or(u32::MAX);
        Self {
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    pub fn start(&self) -> usize {
        self.start as usize
    }

    pub fn end(&self) -> usize {
        self.end as usize
    }

    pub fn len(&self) -> usize {
        self.end() - self.start()
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        (span.start(), span.len()).into()
    }
}

/// A 1-based line and column range, columns counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// One file's name and text, shared by every finding that points into it.
#[derive(Debug)]
pub struct SourceFile {
    name: Arc<str>,
    /// Kept as read: a file can be large, and converting it would copy it.
    text: String,
    /// Where each line starts, found on first use: a clean file never needs it.
    line_starts: OnceLock<Vec<usize>>,
    /// A copy safe for a terminal, made on first use and only for a text holding a
    /// hazard (see [`for_display`]).
    display: OnceLock<Option<String>>,
}

impl SourceFile {
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<String>) -> Arc<Self> {
        Arc::new(Self {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
            display: OnceLock::new(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text of a span, or nothing for a span outside the text.
    pub fn text_at(&self, span: Span) -> &str {
        self.text.get(span.start()..span.end()).unwrap_or_default()
    }

    /// The source in the form miette renders snippets from.
    pub fn snippets(self: &Arc<Self>) -> Snippets {
        Snippets {
            file: Arc::clone(self),
            name: for_terminal(&self.name).into_owned(),
        }
    }

    /// The text as a terminal may show it: the text itself unless it holds a hazard.
    fn display_text(&self) -> &str {
        self.display
            .get_or_init(|| {
                self.text
                    .chars()
                    .any(is_hazard)
                    .then(|| for_display(&self.text))
            })
            .as_deref()
            .unwrap_or(&self.text)
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(at, _)| at + 1))
                .collect()
        })
    }

    /// The 0-based line holding byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts()
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    pub fn position(&self, span: Span) -> Position {
        let (line, column) = self.line_column(span.start());
        let (end_line, end_column) = self.line_column(span.end());
        Position {
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// The byte offset of a 1-based line and character column, clamped to the text.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&line_start) = self.line_starts().get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = self.text.get(line_start..).unwrap_or_default();
        let within = rest
            .char_indices()
            .take_while(|(_, c)| *c != '\n')
            .nth(column.saturating_sub(1))
            .map_or_else(|| rest.find('\n').unwrap_or(rest.len()), |(at, _)| at);
        line_start + within
    }

    fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_index = self.line_index(offset);
        let line_start = self.line_starts().get(line_index).copied().unwrap_or(0);
        let column = self
            .text
            .get(line_start..offset)
            .map_or(offset - line_start, |prefix| prefix.chars().count());
        (line_index + 1, column + 1)
    }
}

/// A file as miette reads snippets from it. Miette's own reader scans the text from
/// its start for every snippet; this one hands it only the lines around the span,
/// found through the line index, so a report costs the same on any size of file.
#[derive(Debug)]
pub struct Snippets {
    file: Arc<SourceFile>,
    name: String,
}

impl miette::SourceCode for Snippets {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let file = &self.file;
        let text = file.display_text();
        let end = span.offset() + span.len();
        let first_line = file
            .line_index(span.offset())
            .saturating_sub(context_lines_before);
        let after_line = file.line_index(end) + context_lines_after + 1;
        let window_start = file.line_starts().get(first_line).copied().unwrap_or(0);
        let window_end = file
            .line_starts()
            .get(after_line)
            .copied()
            .unwrap_or(text.len());
        let window = text
            .get(window_start..window_end)
            .ok_or(miette::MietteError::OutOfBounds)?;
        let within = miette::SourceSpan::from((span.offset() - window_start, span.len()));
        let contents = window.read_span(&within, context_lines_before, context_lines_after)?;
        Ok(Box::new(
            miette::MietteSpanContents::new_named(
                self.name.clone(),
                contents.data(),
                (
                    contents.span().offset() + window_start,
                    contents.span().len(),
                )
                    .into(),
                contents.line() + first_line,
                contents.column(),
                contents.line_count(),
            )
            .with_language("yaml"),
        ))
    }
}

/// The bytes of a regular file of at most `max_bytes`. Anything else (a FIFO, a
/// device such as `/dev/zero`, a folder) is refused before it is opened, since
/// reading it could block or never end.
pub fn read_regular_file(
    path: &std::path::Path,
    max_bytes: usize,
    limit_flag: &str,
) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let name = path.display();
    let metadata =
        std::fs::metadata(path).map_err(|error| format!("cannot read `{name}`: {error}"))?;
    if !metadata.is_file() {
        return Err(format!("`{name}` is not a regular file"));
    }
    let too_large = || format!("`{name}` is larger than {max_bytes} bytes; {limit_flag}");
    if usize::try_from(metadata.len()).map_or(true, |size| size > max_bytes) {
        return Err(too_large());
    }
    let file =
        std::fs::File::open(path).map_err(|error| format!("cannot read `{name}`: {error}"))?;
    // The file may have grown since its size was read: never take more than the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    let limit = u64::try_from(max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read `{name}`: {error}"))?;
    if bytes.len() > max_bytes {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Characters a terminal would obey instead of show: control characters and the
/// bidirectional overrides that can make text read differently from what it is.
fn is_hazard(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// The text with every hazard replaced by characters of the same UTF-8 length, so
/// byte spans into the original still fall on the same characters. The `\r` of
/// a Windows line ending is part of the ending, not of the line: a blank.
fn for_display(text: &str) -> String {
    let mut chars = text.chars().peekable();
    let mut out = String::with_capacity(text.len());
    while let Some(c) = chars.next() {
        // Hazards are one (C0), two (C1) or three (bidi) bytes long.
        out.push(match (is_hazard(c), c.len_utf8()) {
            (false, _) => c,
            (true, 1) if c == '\r' && chars.peek() == Some(&'\n') => ' ',
            (true, 1) => '?',
            (true, 2) => '\u{bf}',
            (true, _) => '\u{fffd}',
        });
    }
    out
}

/// User text made safe to print: each hazard written as a visible escape.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hazard) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if is_hazard(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let file = SourceFile::new("a.yaml", "a: 1\nname: Québec\nz: 2\n");
        let start = file.text().find("Québec").unwrap_or(0);
        let span = Span::new(start, start + "Québec".len());
        let position = file.position(span);
        assert_eq!((position.line, position.column), (2, 7));
        assert_eq!((position.end_line, position.end_column), (2, 13));
    }

    #[test]
    fn hazards_are_neutralised_without_moving_spans() {
        let text = "id: \u{1b}[31mred\u{202e}x\u{85}y\n";
        let shown = for_display(text);
        assert_eq!(shown.len(), text.len());
        assert!(!shown.chars().any(is_hazard), "{shown:?}");
        assert_eq!(for_terminal("a\u{1b}b"), "a\\u{1b}b");
        assert_eq!(for_terminal("plain"), "plain");
    }

    #[test]
    fn windows_line_endings_show_no_mark() -> Result<(), miette::MietteError> {
        use miette::SourceCode;
        let file = SourceFile::new("a.yaml", "a: 1\r\nb: 2\r\nc: 3\r\n");
        let span = miette::SourceSpan::from((6, 4));
        let snippets = file.snippets();
        let shown = snippets.read_span(&span, 1, 1)?;
        let text = String::from_utf8_lossy(shown.data()).into_owned();
        assert!(!text.contains('?') && !text.contains('\r'), "{text:?}");
        assert!(text.contains("b: 2"), "{text:?}");
        // A lone carriage return is still a hazard, shown as one.
        assert_eq!(for_display("a\rb"), "a?b");
        Ok(())
    }

    #[test]
    fn snippets_read_the_same_lines_as_the_whole_text() -> Result<(), miette::MietteError> {
        use miette::SourceCode;
        let text: String = (0..40).map(|n| format!("k{n}: [v{n}, é{n}]\n")).collect();
        let file = SourceFile::new("a.yaml", text.clone());
        let snippets = file.snippets();
        let spans = [(0, 2), (5, 3), (200, 17), (text.len() - 6, 5), (31, 90)];
        for (offset, len) in spans {
            for context in [0, 1, 3] {
                let span = miette::SourceSpan::from((offset, len));
                let whole = text.read_span(&span, context, context)?;
                let part = snippets.read_span(&span, context, context)?;
                assert_eq!(part.data(), whole.data(), "{offset}+{len} ±{context}");
                assert_eq!(part.span(), whole.span());
                assert_eq!((part.line(), part.column()), (whole.line(), whole.column()));
                assert_eq!(part.name(), Some("a.yaml"));
            }
        }
        Ok(())
    }

    #[test]
    fn offset_of_inverts_position() {
        let file = SourceFile::new("a.yaml", "a: 1\nname: Québec\nz: 2\n");
        let offset = file.offset_of(3, 4);
        assert_eq!(file.text().get(offset..offset + 1), Some("2"));
        assert_eq!(file.offset_of(99, 1), file.text().len());
    }
}
