//! One file through the whole pipeline: read, parse, check structure, evaluate rules.

use crate::eval::{self, RuleFailure};
use crate::finding::{FileReport, Finding, Location, Severity};
use crate::load::{self, Document, FailureKind, Limits, Value};
use crate::pack::Pack;
use crate::schema::to_json;
use crate::source::{SourceFile, Span};
use std::path::Path;
use std::sync::Arc;

pub const SYNTAX_RULE: &str = "yaml-syntax";
pub const LIMIT_RULE: &str = "input-limit";

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Evaluate at this date instead of the one each file records.
    pub as_of: Option<String>,
    pub limits: Limits,
}

/// The result of checking one file.
#[derive(Debug)]
pub struct Checked {
    pub report: FileReport,
    pub failures: Vec<RuleFailure>,
}

/// Read a file as text within the size limit. Invalid UTF-8 is kept, lossily, so its
/// place can be shown; the caller reports it as a finding.
pub fn read(
    path: &Path,
    display_name: &str,
    limits: &Limits,
) -> Result<(Arc<SourceFile>, Option<usize>), String> {
    let metadata = std::fs::metadata(path)
        .map_err(|error| format!("cannot read `{display_name}`: {error}"))?;
    if usize::try_from(metadata.len()).map_or(true, |size| size > limits.max_file_bytes) {
        return Err(format!(
            "`{display_name}` is larger than {} bytes; raise `--max-file-bytes` if it is genuine",
            limits.max_file_bytes
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|error| format!("cannot read `{display_name}`: {error}"))?;
    Ok(decode(display_name, bytes))
}

/// Text from bytes, with the offset of the first invalid UTF-8 byte if any.
pub fn decode(name: &str, bytes: Vec<u8>) -> (Arc<SourceFile>, Option<usize>) {
    match String::from_utf8(bytes) {
        Ok(text) => (SourceFile::new(name, strip_bom(text)), None),
        Err(error) => {
            let bad = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            (SourceFile::new(name, text), Some(bad))
        }
    }
}

fn strip_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

/// Check one decoded file against the pack.
pub fn check(
    pack: &Pack,
    source: Arc<SourceFile>,
    invalid_utf8_at: Option<usize>,
    options: &Options,
) -> Checked {
    let alone = |finding: Finding| Checked {
        report: FileReport {
            source: Arc::clone(&source),
            findings: vec![finding],
        },
        failures: Vec::new(),
    };
    if let Some(offset) = invalid_utf8_at {
        return alone(input_finding(
            &source,
            SYNTAX_RULE,
            Span::new(offset, offset + 1),
            "the file is not UTF-8 text".to_owned(),
            Some("save the file as UTF-8; a binary file cannot be a snapshot".to_owned()),
        ));
    }
    let root = match load::parse(&source, &options.limits) {
        Ok(root) => root,
        Err(failure) => {
            let rule = match failure.kind {
                FailureKind::Syntax => SYNTAX_RULE,
                FailureKind::Limit => LIMIT_RULE,
            };
            return alone(input_finding(
                &source,
                rule,
                failure.span,
                failure.message,
                failure.help,
            ));
        }
    };
    let document = Document {
        source: Arc::clone(&source),
        root,
    };
    let structural = pack.structure.check(&document, &to_json(&document.root));
    if !structural.is_empty() {
        // Rules assume the structure the schema promises; judging broken records
        // would only add noise to the real problem.
        return Checked {
            report: FileReport {
                source,
                findings: structural,
            },
            failures: Vec::new(),
        };
    }
    let Some(as_of) = options
        .as_of
        .clone()
        .or_else(|| recorded_date(&document, &pack.as_of_pointer))
    else {
        return alone(input_finding(
            &source,
            crate::schema::SCHEMA_RULE,
            Span::default(),
            format!(
                "no evaluation date: the file has nothing at `{}`",
                pack.as_of_pointer
            ),
            Some("record the date the file describes, or pass `--as-of DATE`".to_owned()),
        ));
    };
    let outcome = eval::evaluate(pack, &document, &as_of);
    Checked {
        report: FileReport {
            source,
            findings: outcome.findings,
        },
        failures: outcome.failures,
    }
}

fn recorded_date(document: &Document, pointer: &str) -> Option<String> {
    let located = document.root.locate(pointer);
    if !located.exact {
        return None;
    }
    match &located.node.value {
        Value::Str(text) => Some(text.clone()),
        Value::Int(year) => Some(year.to_string()),
        _ => None,
    }
}

fn input_finding(
    source: &Arc<SourceFile>,
    rule: &str,
    span: Span,
    message: String,
    help: Option<String>,
) -> Finding {
    Finding {
        rule: Arc::from(rule),
        severity: Severity::Error,
        message,
        label: None,
        help,
        clause: None,
        location: Location {
            source: Arc::clone(source),
            span,
            pointer: String::new(),
        },
        related: Vec::new(),
        waived: None,
    }
}
