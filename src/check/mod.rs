//! One file through the whole pipeline: read, parse, check structure, evaluate rules.
//! The stage owns rule evaluation (`eval`), waivers, a finding's identity
//! across versions of its file (`identity`), baselines, and the properties
//! every pack's verdicts must keep (`properties`).
//!
//! May import `base`, `load`, `document`, `schema`, `expr` and `pack`.

pub mod baseline;
pub mod eval;
pub mod identity;
pub mod properties;
pub mod trust;
pub mod waiver;

use crate::base::date::PartialDate;
use crate::base::engine_rules::{DATE_RULE, LIMIT_RULE, SCHEMA_RULE, SYNTAX_RULE};
use crate::base::finding::{Baseline, Compared, FileReport, Finding, Obligation};
use crate::base::source::{SourceFile, Span};
use crate::document::merge::{self, Document};
use crate::load::{self, FailureKind, Limits, Node, Value};
use crate::pack::Pack;
use eval::RuleFailure;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Options {
    /// Evaluate at this date instead of the one each file records.
    pub as_of: Option<String>,
    pub limits: Limits,
    /// Evaluation steps each rule may spend on one file (see `expr::with_budget`).
    pub max_eval_steps: u64,
    /// Gather the obligations that fall due up to a horizon (`govlint agenda`).
    pub horizon: Option<Horizon>,
}

/// How far ahead an agenda looks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Horizon {
    /// Up to this date.
    Until(PartialDate),
    /// This many years after the evaluation date, whichever it is.
    YearsAfter(i64),
}

impl Horizon {
    /// The last date looked to, from the evaluation date `as_of`.
    pub fn from(&self, as_of: &str) -> Option<PartialDate> {
        match self {
            Self::Until(date) => Some(*date),
            Self::YearsAfter(years) => PartialDate::parse(as_of).ok()?.add_years(*years),
        }
    }
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
            horizon: None,
        }
    }
}

/// The result of checking one file.
#[derive(Debug)]
pub struct Checked {
    pub report: FileReport,
    pub failures: Vec<RuleFailure>,
    /// Evidence not yet due, when `Options::horizon` asks for it.
    pub obligations: Vec<Obligation>,
}

/// Read a file as text within the size limit. Invalid UTF-8 is kept, lossily, so its
/// place can be shown; the caller reports it as a finding.
pub fn read(
    path: &Path,
    display_name: &str,
    limits: &Limits,
) -> Result<(Arc<SourceFile>, Option<usize>), String> {
    let bytes = crate::base::source::read_regular_file(
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

/// A checked file with the records it was checked on, for reports that draw
/// them.
pub struct Reviewed {
    pub checked: Checked,
    /// The records as checked (a proposal merged in, or in their place); none
    /// when they did not parse.
    pub document: Option<Document>,
    /// The content of every list item of the records a proposal was checked
    /// against (see `identity::content`): an item not among them is proposed.
    pub base_items: HashSet<u64>,
    /// The date they were judged at.
    pub as_of: Option<String>,
}

impl Reviewed {
    /// The check alone; the records are freed off the path to the report.
    fn into_checked(self) -> Checked {
        if let Some(document) = self.document {
            crate::base::workers::drop_later(document);
        }
        self.checked
    }
}

/// Check one file against the pack.
pub fn check(pack: &Pack, input: Input, options: &Options) -> Checked {
    crate::base::workers::install(|| review_here(pack, input, options).into_checked())
}

/// Check one file against the pack, keeping its records.
pub fn review(pack: &Pack, input: Input, options: &Options) -> Reviewed {
    crate::base::workers::install(|| review_here(pack, input, options))
}

fn review_here(pack: &Pack, input: Input, options: &Options) -> Reviewed {
    let source = Arc::clone(&input.source);
    let (evaluated, document, as_of) = match parse(input, &options.limits) {
        Ok(root) => {
            let document = document(source.clone(), root);
            let as_of = options
                .as_of
                .clone()
                .or_else(|| recorded_date(&document.root, &pack.as_of_pointer));
            let evaluated = evaluate(pack, &document, as_of.as_deref(), options, None);
            (evaluated, Some(document), as_of)
        }
        Err(finding) => (Evaluated::alone(*finding), None, None),
    };
    Reviewed {
        checked: Checked {
            report: FileReport {
                source,
                findings: evaluated.findings,
                baseline: None,
            },
            failures: evaluated.failures,
            obligations: evaluated.obligations,
        },
        document,
        base_items: HashSet::new(),
        as_of,
    }
}

/// Check `proposal` against `base`, reporting only the findings it introduces.
/// A proposal that holds every field the pack's schema requires is a whole
/// snapshot and replaces the base; any other is a fragment, merged into it.
pub fn check_proposal(pack: &Pack, base: Input, proposal: Input, options: &Options) -> Checked {
    compare(
        pack,
        Some(base),
        proposal,
        options,
        Compared::Proposal,
        false,
    )
    .into_checked()
}

/// Check `proposal` against `base`, keeping the proposed records and the
/// content of the base's items, to draw what the proposal adds.
pub fn review_proposal(pack: &Pack, base: Input, proposal: Input, options: &Options) -> Reviewed {
    compare(
        pack,
        Some(base),
        proposal,
        options,
        Compared::Proposal,
        true,
    )
}

/// Check `current` against an earlier version of it (`None`: it did not exist
/// then), reporting only the findings the current version introduces.
pub fn check_changes(
    pack: &Pack,
    earlier: Option<Input>,
    current: Input,
    options: &Options,
) -> Checked {
    compare(pack, earlier, current, options, Compared::Revision, false).into_checked()
}

fn compare(
    pack: &Pack,
    base: Option<Input>,
    proposal: Input,
    options: &Options,
    against: Compared,
    keep_items: bool,
) -> Reviewed {
    crate::base::workers::install(|| {
        compare_here(pack, base, proposal, options, against, keep_items)
    })
}

fn compare_here(
    pack: &Pack,
    base: Option<Input>,
    proposal: Input,
    options: &Options,
    against: Compared,
    keep_items: bool,
) -> Reviewed {
    let proposal_source = Arc::clone(&proposal.source);
    let alone = |finding: Finding| Reviewed {
        checked: Checked {
            report: FileReport {
                source: Arc::clone(&proposal_source),
                findings: vec![finding],
                baseline: None,
            },
            failures: Vec::new(),
            obligations: Vec::new(),
        },
        document: None,
        base_items: HashSet::new(),
        as_of: None,
    };
    let base_source = base.as_ref().map(|base| Arc::clone(&base.source));
    // Empty when there was no earlier version: nothing can be already present.
    let base_name = base_source
        .as_ref()
        .map_or_else(String::new, |source| source.name().to_owned());
    let base_root = match base.map(|base| parse(base, &options.limits)).transpose() {
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
                "a proposal is a mapping: the whole records, or what it adds to them".to_owned(),
                Some(
                    "write the proposal in the shape of the records: a whole edited copy, or only the new parts"
                        .to_owned(),
                ),
            ));
        }
        Err(finding) => return alone(*finding),
    };
    // Judge both at the same date, so the difference is the proposal's alone:
    // the date the proposed records would give (the proposal's, else the base's).
    let as_of = options
        .as_of
        .clone()
        .or_else(|| recorded_date(&added, &pack.as_of_pointer))
        .or_else(|| {
            base_root
                .as_ref()
                .and_then(|root| recorded_date(root, &pack.as_of_pointer))
        });
    let whole = is_whole(pack, &added);
    // A whole copy's record that restates one of the records, with details
    // added, is that record refined, not a proposed one.
    let restating: Vec<merge::Restating> = match &base_root {
        Some(root) if whole => merge::restating(root, &added, identity::content),
        _ => Vec::new(),
    };
    let base_items = match &base_root {
        Some(root) if keep_items || whole => identity::list_items(root),
        _ => HashSet::new(),
    };
    // What a whole copy holds that is not proposed: the records, and those it refines.
    let kept_items = (!restating.is_empty()).then(|| {
        let mut kept = base_items.clone();
        kept.extend(restating.iter().map(|restating| restating.content));
        kept
    });
    // What a proposal adds is held complete; a revision's new records are records.
    let proposed_items = (against == Compared::Proposal && whole)
        .then_some(kept_items.as_ref().unwrap_or(&base_items));
    // The base is judged first and then merged into, so only one tree of the
    // records is ever held.
    let (before, proposed) = match (base_source.zip(base_root), whole) {
        (Some((source, root)), false) => {
            let base = document(source, root);
            let before = evaluate(pack, &base, as_of.as_deref(), options, None).findings;
            (
                before,
                merge::merge(base, Arc::clone(&proposal_source), added),
            )
        }
        (Some((source, root)), true) => {
            let base = document(source, root);
            let before = evaluate(pack, &base, as_of.as_deref(), options, None).findings;
            crate::base::workers::drop_later(base);
            (before, document(Arc::clone(&proposal_source), added))
        }
        (None, _) => (Vec::new(), document(Arc::clone(&proposal_source), added)),
    };
    let after = evaluate(pack, &proposed, as_of.as_deref(), options, proposed_items);
    // Where a finding about a restated record was in the records: the same
    // place for a fragment's (refined in place), the record's for a copy's.
    let was = |pointer: &str| -> Option<String> {
        if proposed.is_refined(pointer) {
            return Some(pointer.to_owned());
        }
        restating.iter().find_map(|restating| {
            let rest = pointer.strip_prefix(restating.pointer.as_str())?;
            (rest.is_empty() || rest.starts_with('/')).then(|| format!("{}{rest}", restating.was))
        })
    };
    let (restated, after_findings) = restated_findings(&before, after.findings, was);
    let (introduced, already_present) = introduced(
        before.iter().map(|finding| finding.fingerprint),
        after_findings,
    );
    let already_present = already_present + restated;
    Reviewed {
        checked: Checked {
            report: FileReport {
                source: proposal_source,
                findings: introduced,
                baseline: Some(Baseline {
                    file: base_name,
                    already_present,
                    against,
                }),
            },
            failures: after.failures,
            obligations: after.obligations,
        },
        document: Some(proposed),
        base_items,
        as_of,
    }
}

/// How many findings about records the proposal restates the records already
/// had, and the other findings. `was` gives, for a finding in a restated
/// record, where it would have been in the records. Restating changes a
/// record's content, and perhaps its message (a date known more finely), so
/// its fingerprint: a finding of the same rule and verdict at the same place
/// is the one it had.
fn restated_findings(
    before: &[Finding],
    after: Vec<Finding>,
    was: impl Fn(&str) -> Option<String>,
) -> (usize, Vec<Finding>) {
    let place =
        |finding: &Finding, pointer: String| (Arc::clone(&finding.rule), finding.verdict, pointer);
    let had = before
        .iter()
        .map(|finding| place(finding, finding.document_pointer.clone()));
    let (others, restated) = not_among(had, after, |finding| {
        was(&finding.document_pointer).map(|pointer| place(finding, pointer))
    });
    (restated, others)
}

/// Whether a proposal holds every field the schema requires of records.
fn is_whole(pack: &Pack, proposal: &Node) -> bool {
    let mut required = pack.structure.required_fields().peekable();
    required.peek().is_some() && required.all(|field| proposal.get(field).is_some())
}

/// The findings of `after` whose fingerprints are not among `before` (as many
/// times as it holds each), and how many are.
pub fn introduced(
    before: impl IntoIterator<Item = u64>,
    after: Vec<Finding>,
) -> (Vec<Finding>, usize) {
    not_among(before, after, |finding| Some(finding.fingerprint))
}

/// The findings of `after` whose key is not among `known` (as many times as
/// it holds each; a finding without a key never is), and how many are.
fn not_among<K: std::hash::Hash + Eq>(
    known: impl IntoIterator<Item = K>,
    after: Vec<Finding>,
    key: impl Fn(&Finding) -> Option<K>,
) -> (Vec<Finding>, usize) {
    let mut counts: HashMap<K, usize> = HashMap::new();
    for known in known {
        *counts.entry(known).or_default() += 1;
    }
    let mut present = 0;
    let others = after
        .into_iter()
        .filter(
            |finding| match key(finding).and_then(|key| counts.get_mut(&key)) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    present += 1;
                    false
                }
                _ => true,
            },
        )
        .collect();
    (others, present)
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
/// What evaluating one document found.
#[derive(Debug, Default)]
struct Evaluated {
    findings: Vec<Finding>,
    failures: Vec<RuleFailure>,
    obligations: Vec<Obligation>,
}

impl Evaluated {
    fn alone(finding: Finding) -> Self {
        Self {
            findings: vec![finding],
            ..Self::default()
        }
    }
}

/// The structure and the rules of `document` at `as_of` (else the date it
/// records), with waivers applied; `proposed_items`: see `eval::Moment`.
fn evaluate(
    pack: &Pack,
    document: &Document,
    as_of: Option<&str>,
    options: &Options,
    proposed_items: Option<&HashSet<u64>>,
) -> Evaluated {
    let as_of = as_of
        .map(str::to_owned)
        .or_else(|| recorded_date(&document.root, &pack.as_of_pointer));
    // The rules run while the structure is checked, and the schema's few
    // milliseconds fill what the rules leave of the threads.
    let horizon = match (&options.horizon, &as_of) {
        (Some(horizon), Some(as_of)) => horizon.from(as_of).map(|date| date.to_string()),
        _ => None,
    };
    let (mut structural, outcome) = rayon::join(
        || pack.structure.check(document),
        || {
            as_of.as_deref().map(|as_of| {
                let moment = eval::Moment {
                    as_of,
                    horizon: horizon.as_deref(),
                    base_items: proposed_items,
                };
                eval::evaluate(pack, document, &moment, options.max_eval_steps)
            })
        },
    );
    if !structural.is_empty() {
        // Rules assume the structure the schema promises; judging broken records
        // would only add noise to the real problem.
        identify(&mut structural, Some(&document.root));
        return Evaluated {
            findings: structural,
            ..Evaluated::default()
        };
    }
    let (Some(as_of), Some(mut outcome)) = (as_of, outcome) else {
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
        return Evaluated::alone(finding);
    };
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
        if let (Some(as_of), Some(_)) = (&date, &options.horizon) {
            outcome
                .obligations
                .extend(waiver::expiring(document, pointer, as_of));
        }
        outcome
            .findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    trust::settle(&mut outcome.findings, &as_of);
    identify(&mut outcome.findings, Some(&document.root));
    Evaluated {
        findings: outcome.findings,
        failures: outcome.failures,
        obligations: outcome.obligations,
    }
}

/// Whether a finding says the file is not valid records at all: not YAML,
/// over a limit, not of the schema's structure, or holding an impossible date.
pub fn is_structural(finding: &Finding) -> bool {
    [SCHEMA_RULE, DATE_RULE, SYNTAX_RULE, LIMIT_RULE].contains(&finding.rule.as_ref())
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
