//! Why a file could not become a tree, said so its author can fix it: what, where,
//! and what to do.

use super::Limits;
use crate::base::source::{MAX_TEXT_BYTES, SourceFile, Span};

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

const FIX_SYNTAX: &str = "fix the YAML syntax at the marked place";
const RAISE_LIMIT: &str = "this protects against hostile input; if the file is genuine, raise the limit with the flag named above";

fn syntax(message: String, help: &str, span: Span) -> LoadFailure {
    LoadFailure {
        kind: FailureKind::Syntax,
        message,
        help: Some(help.to_owned()),
        span: visible(span),
    }
}

fn limit(what: String, span: Span) -> LoadFailure {
    LoadFailure {
        kind: FailureKind::Limit,
        message: format!("the file exceeds a safety limit ({what})"),
        help: Some(RAISE_LIMIT.to_owned()),
        span: visible(span),
    }
}

/// At least one byte, so a report has something to underline where an implicit
/// event (a document start, an empty value) has no width.
fn visible(span: Span) -> Span {
    Span::new(span.start(), span.end().max(span.start() + 1))
}

/// No document at all: nothing, or only blank lines, comments and `...`.
pub fn empty_file() -> LoadFailure {
    LoadFailure {
        kind: FailureKind::Syntax,
        message: "the file is empty".to_owned(),
        help: Some(
            "it holds no YAML document (only blank lines, comments or `...`); a snapshot is a YAML mapping with at least `format`, `as_of` and `group`"
                .to_owned(),
        ),
        span: Span::default(),
    }
}

pub fn too_large() -> LoadFailure {
    LoadFailure {
        kind: FailureKind::Limit,
        message: format!("the file is larger than {MAX_TEXT_BYTES} bytes"),
        help: Some("split the records into several files".to_owned()),
        span: Span::default(),
    }
}

/// The parser's own complaint, placed where it stopped.
pub fn scan(error: &granit_parser::ScanError, source: &SourceFile) -> LoadFailure {
    let marker = error.marker();
    let start = marker
        .byte_offset()
        .unwrap_or_else(|| source.offset_of(marker.line(), marker.col() + 1));
    let info = error.info();
    let message = info.lines().next().unwrap_or("not valid YAML").to_owned();
    syntax(message, FIX_SYNTAX, Span::new(start, start))
}

pub fn several_documents(span: Span) -> LoadFailure {
    syntax(
        "the file holds more than one YAML document".to_owned(),
        "keep one document per file: remove the `---` separator or split the file",
        span,
    )
}

pub fn duplicate_key(key: &str, span: Span) -> LoadFailure {
    syntax(
        format!("duplicate key `{key}`"),
        "a key may appear once in a mapping: remove or rename one of them",
        span,
    )
}

/// A key that is a list or a mapping: keys are names, and two such keys would
/// otherwise read as the same one.
pub fn collection_key(what: &str, span: Span) -> LoadFailure {
    syntax(
        format!("a mapping key is a {what}: keys must be plain values such as text or numbers"),
        "write the key as text, or move the list or mapping into the value",
        span,
    )
}

pub fn tag(tag: &str, span: Span) -> LoadFailure {
    syntax(
        format!("the tag `{tag}` is refused: values are read as plain YAML data"),
        "remove the tag; write the value as text (quoted if needed), a number, true/false or null",
        span,
    )
}

pub fn not_finite(text: &str, span: Span) -> LoadFailure {
    syntax(
        format!("`{text}` is not a finite number: NaN and infinities are refused"),
        "write a number, or quote the value to keep it as text",
        span,
    )
}

pub fn recursive_alias(span: Span) -> LoadFailure {
    syntax(
        "this alias refers to an anchor on a collection that contains it".to_owned(),
        "an alias may only repeat a value that is complete where the alias stands",
        span,
    )
}

pub fn depth(limits: &Limits, span: Span) -> LoadFailure {
    limit(
        format!(
            "nesting deeper than {} levels; `--max-depth`",
            limits.max_depth
        ),
        span,
    )
}

pub fn nodes(limits: &Limits, span: Span) -> LoadFailure {
    limit(
        format!("more than {} nodes; `--max-nodes`", limits.max_nodes),
        span,
    )
}

pub fn aliases(limits: &Limits, span: Span) -> LoadFailure {
    limit(
        format!(
            "more than {} anchors or aliases; `--max-aliases`",
            limits.max_aliases
        ),
        span,
    )
}

/// Anchored values are kept to be repeated; what they hold counts against the
/// alias budget too, so anchors alone cannot multiply memory.
pub fn anchored_nodes(limits: &Limits, span: Span) -> LoadFailure {
    limit(
        format!(
            "aliases expand to more than {} nodes; `--max-alias-nodes`",
            limits.max_alias_nodes
        ),
        span,
    )
}

pub fn alias_expansion(limits: &Limits, span: Span) -> LoadFailure {
    LoadFailure {
        kind: FailureKind::Limit,
        message: format!(
            "aliases expand too far (more than {} nodes; `--max-alias-nodes`)",
            limits.max_alias_nodes
        ),
        help: Some(
            "this protects against alias bombs; if the file is genuine, raise the limit with the flag named above"
                .to_owned(),
        ),
        span: visible(span),
    }
}
