//! One file through the whole pipeline: read, parse, check structure, evaluate rules.

use crate::date::PartialDate;
use crate::eval::{self, RuleFailure};
use crate::finding::{Baseline, FileReport, Finding};
use crate::identity;
use crate::load::{self, Document, FailureKind, Limits, Node, Value};
use crate::merge;
use crate::pack::Pack;
use crate::schema::SCHEMA_RULE;
use crate::source::{SourceFile, Span};
use crate::waiver;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

pub const SYNTAX_RULE: &str = "yaml-syntax";
pub const LIMIT_RULE: &str = "input-limit";

#[derive(Debug, Clone)]
pub struct Options {
    /// Evaluate at this date instead of the one each file records.
    pub as_of: Option<String>,
    pub limits: Limits,
    /// Evaluation steps each rule may spend on one file (see `expr::with_budget`).
    pub max_eval_steps: u64,
}

/// Enough for every rule of the built-in pack on records of 20,000 members and 2,000
/// years; a condition that needs more is almost certainly quadratic.
pub const DEFAULT_MAX_EVAL_STEPS: u64 = 10_000_000;

impl Default for Options {
    fn default() -> Self {
        Self {
            as_of: None,
            limits: Limits::default(),
            max_eval_steps: DEFAULT_MAX_EVAL_STEPS,
        }
    }
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
    let bytes = crate::source::read_regular_file(
        path,
        limits.max_file_bytes,
        "raise `--max-file-bytes` if it is genuine",
    )?;
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

fn strip_bom(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    text
}

/// A file to check: its decoded text and where its UTF-8 broke, if it did.
pub struct Input {
    pub source: Arc<SourceFile>,
    pub invalid_utf8_at: Option<usize>,
    /// Its tree, when parsed ahead of the check (see [`Input::parse_now`]).
    parsed: Option<Result<Node, Box<Finding>>>,
}

impl Input {
    pub fn new((source, invalid_utf8_at): (Arc<SourceFile>, Option<usize>)) -> Self {
        Self {
            source,
            invalid_utf8_at,
            parsed: None,
        }
    }

    /// Parse the file now rather than when it is checked, so that it can parse
    /// while something else runs (the pack compiling).
    pub fn parse_now(&mut self, limits: &Limits) {
        if self.parsed.is_none() {
            self.parsed = Some(parse_source(&self.source, self.invalid_utf8_at, limits));
        }
    }
}

/// Check one file against the pack.
pub fn check(pack: &Pack, input: Input, options: &Options) -> Checked {
    crate::workers::install(|| check_here(pack, input, options))
}

fn check_here(pack: &Pack, input: Input, options: &Options) -> Checked {
    let source = Arc::clone(&input.source);
    let (findings, failures) = match parse(input, &options.limits) {
        Ok(root) => {
            let document = document(source.clone(), root);
            let outcome = evaluate(
                pack,
                &document,
                options.as_of.as_deref(),
                options.max_eval_steps,
            );
            crate::workers::drop_later(document);
            outcome
        }
        Err(finding) => (vec![*finding], Vec::new()),
    };
    Checked {
        report: FileReport {
            source,
            findings,
            baseline: None,
        },
        failures,
    }
}

/// Check `proposal` merged into `base`, reporting only the findings it introduces.
pub fn check_proposal(pack: &Pack, base: Input, proposal: Input, options: &Options) -> Checked {
    crate::workers::install(|| check_proposal_here(pack, base, proposal, options))
}

fn check_proposal_here(pack: &Pack, base: Input, proposal: Input, options: &Options) -> Checked {
    let proposal_source = Arc::clone(&proposal.source);
    let alone = |finding: Finding| Checked {
        report: FileReport {
            source: Arc::clone(&proposal_source),
            findings: vec![finding],
            baseline: None,
        },
        failures: Vec::new(),
    };
    let base_source = Arc::clone(&base.source);
    let base_root = match parse(base, &options.limits) {
        Ok(root) => root,
        Err(finding) => return alone(*finding),
    };
    let added = match parse(proposal, &options.limits) {
        Ok(root) if matches!(root.value, Value::Map(_)) => root,
        Ok(root) => {
            return alone(Finding::engine_error(
                &proposal_source,
                SCHEMA_RULE,
                root.span,
                "a proposal is a mapping of what it adds to the records".to_owned(),
                Some(
                    "write the proposal in the shape of the records, holding only the new parts"
                        .to_owned(),
                ),
            ));
        }
        Err(finding) => return alone(*finding),
    };
    // Judge both at the same date, so the difference is the proposal's alone:
    // the date the merged records would give (the proposal's, else the base's).
    let as_of = options
        .as_of
        .clone()
        .or_else(|| recorded_date(&added, &pack.as_of_pointer))
        .or_else(|| recorded_date(&base_root, &pack.as_of_pointer));
    let steps = options.max_eval_steps;
    // The base is judged first and then merged into, so only one tree of the
    // records is ever held.
    let base = document(Arc::clone(&base_source), base_root);
    let (before, _) = evaluate(pack, &base, as_of.as_deref(), steps);
    let merged = merge::merge(base, Arc::clone(&proposal_source), added);
    let (after, failures) = evaluate(pack, &merged, as_of.as_deref(), steps);
    // The same rule saying the same thing about the same record was there before.
    let key = |finding: &Finding| {
        (
            finding.rule.to_string(),
            finding.document_pointer.clone(),
            finding.message.clone(),
        )
    };
    let known: HashSet<(String, String, String)> = before.iter().map(key).collect();
    let (present, introduced): (Vec<Finding>, Vec<Finding>) = after
        .into_iter()
        .partition(|finding| known.contains(&key(finding)));
    Checked {
        report: FileReport {
            source: proposal_source,
            findings: introduced,
            baseline: Some(Baseline {
                file: base_source.name().to_owned(),
                already_present: present.len(),
            }),
        },
        failures,
    }
}

fn document(source: Arc<SourceFile>, root: Node) -> Document {
    Document {
        source,
        root,
        overlay: None,
    }
}

/// The text as a tree, or the one finding that says why it is not one.
fn parse(input: Input, limits: &Limits) -> Result<Node, Box<Finding>> {
    match input.parsed {
        Some(parsed) => parsed,
        None => parse_source(&input.source, input.invalid_utf8_at, limits),
    }
}

fn parse_source(
    source: &Arc<SourceFile>,
    invalid_utf8_at: Option<usize>,
    limits: &Limits,
) -> Result<Node, Box<Finding>> {
    if let Some(offset) = invalid_utf8_at {
        return Err(Box::new(Finding::engine_error(
            source,
            SYNTAX_RULE,
            Span::new(offset, offset + 1),
            "the file is not UTF-8 text".to_owned(),
            Some("save the file as UTF-8; a binary file cannot be a snapshot".to_owned()),
        )));
    }
    load::parse(source, limits).map_err(|failure| {
        let rule = match failure.kind {
            FailureKind::Syntax => SYNTAX_RULE,
            FailureKind::Limit => LIMIT_RULE,
        };
        Box::new(Finding::engine_error(
            source,
            rule,
            failure.span,
            failure.message,
            failure.help,
        ))
    })
}

/// Structure, then rules, then waivers.
fn evaluate(
    pack: &Pack,
    document: &Document,
    as_of: Option<&str>,
    max_steps: u64,
) -> (Vec<Finding>, Vec<RuleFailure>) {
    let mut structural = pack.structure.check(document);
    if !structural.is_empty() {
        // Rules assume the structure the schema promises; judging broken records
        // would only add noise to the real problem.
        identify(&mut structural, Some(&document.root));
        return (structural, Vec::new());
    }
    let Some(as_of) = as_of
        .map(str::to_owned)
        .or_else(|| recorded_date(&document.root, &pack.as_of_pointer))
    else {
        let finding = Finding::engine_error(
            &document.source,
            SCHEMA_RULE,
            Span::default(),
            format!(
                "no evaluation date: the file has nothing at `{}`",
                pack.as_of_pointer
            ),
            Some("record the date the file describes, or pass `--as-of DATE`".to_owned()),
        );
        return (vec![finding], Vec::new());
    };
    let mut outcome = eval::evaluate(pack, document, &as_of, max_steps);
    if let Some(pointer) = &pack.waivers_pointer {
        let known: Vec<&str> = pack.rules.iter().map(|rule| rule.id.as_ref()).collect();
        let date = PartialDate::parse(&as_of).ok();
        let stale = waiver::apply(
            document,
            pointer,
            &known,
            date.as_ref(),
            &mut outcome.findings,
        );
        outcome.findings.extend(stale);
        outcome
            .findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    identify(&mut outcome.findings, Some(&document.root));
    (outcome.findings, outcome.failures)
}

/// Give each finding its fingerprint in the document it was found in.
fn identify(findings: &mut [Finding], root: Option<&Node>) {
    for finding in findings {
        finding.fingerprint = identity::fingerprint(root, finding);
    }
}

pub fn recorded_date(root: &Node, pointer: &str) -> Option<String> {
    let located = root.locate(pointer);
    if !located.exact {
        return None;
    }
    match &located.node.value {
        Value::Str(text) => Some(text.to_string()),
        Value::Int(year) => Some(year.to_string()),
        _ => None,
    }
}
