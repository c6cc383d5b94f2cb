//! Rules × selected items → findings. One conversion of the document per run,
//! bindings computed once per document, each condition compiled at pack load.

use super::identity;
use crate::base::date::PartialDate;
use crate::base::finding::{Finding, Fix, Obligation, Related, Severity, Verdict};
use crate::base::source::Span;
use crate::document::edit;
use crate::document::merge::Document;
use crate::expr::{Scope, Val, with_budget};
use crate::load::{Located, Node, Value};
use crate::pack::{Check, FixEdit, FixRule, ForEach, Pack, Rule};
use rayon::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;

/// Why missing evidence was judged a contradiction, in the finding's help.
const COMPLETE_RECORDS: &str =
    "the records claim to be complete here, so what they do not show did not happen";

/// Why missing evidence in a proposed record was judged a contradiction.
const PROPOSED_RECORDS: &str = "a proposal states what will be adopted, so what it adds must carry what the text requires of it by the time it takes effect";

/// Whether missing evidence was judged a contradiction because a proposal wrote the record.
pub fn is_held_complete(finding: &Finding) -> bool {
    finding
        .help
        .as_deref()
        .is_some_and(|help| help.ends_with(PROPOSED_RECORDS))
}

/// Whether a contradiction was judged from absence: missing evidence where
/// the records claim to be complete, or in a record a proposal writes.
pub fn is_absence_contradiction(finding: &Finding) -> bool {
    finding.verdict == Verdict::Contradiction
        && finding.help.as_deref().is_some_and(|help| {
            help.ends_with(COMPLETE_RECORDS) || help.ends_with(PROPOSED_RECORDS)
        })
}

/// When, and against what, a document is judged.
#[derive(Debug, Clone, Copy)]
pub struct Moment<'a> {
    pub as_of: &'a str,
    /// The last date the agenda looks to; `None`: no agenda is gathered, and
    /// rules that look ahead look no further than `as_of`.
    pub horizon: Option<&'a str>,
    /// For a proposal that is a whole copy of the records: the content of
    /// every record the records already held (see `identity::list_items`),
    /// so that the others are known as proposed. A merged fragment's own
    /// nodes are known by the document itself.
    pub base_items: Option<&'a HashSet<u64>>,
}

impl<'a> Moment<'a> {
    /// At `as_of`, with no agenda and no proposal.
    pub fn at(as_of: &'a str) -> Self {
        Self {
            as_of,
            horizon: None,
            base_items: None,
        }
    }
}

/// A rule that could not be evaluated on a document: the pack's fault, not the records'.
#[derive(Debug, Clone)]
pub struct RuleFailure {
    pub rule: Arc<str>,
    pub file: String,
    pub pointer: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub failures: Vec<RuleFailure>,
    /// Evidence not yet due, gathered when the moment has a horizon.
    pub obligations: Vec<Obligation>,
}

/// Evaluate every live rule of `pack` on `document` at `moment`, each rule (and
/// the pack's bindings) within `max_steps` evaluation steps. Rules run in
/// parallel, each in its own scope over the values they share.
pub fn evaluate(pack: &Pack, document: &Document, moment: &Moment, max_steps: u64) -> Outcome {
    let mut outcome = Outcome::default();
    let whole = Val::document(&document.root);
    let shared = shared_values(pack, document, &whole, moment, max_steps, &mut outcome);
    let as_of_date = PartialDate::parse(moment.as_of).ok();
    let per_rule: Vec<Outcome> = pack
        .rules
        .par_iter()
        .filter(|rule| rule.runs())
        // One root scope per batch of rules, not per rule: registering the
        // functions is a good part of evaluating a small file.
        .map_init(
            || scope_of(&shared),
            |root, rule| {
                let mut rule_outcome = Outcome::default();
                let mut run = RuleRun {
                    rule,
                    pack,
                    document,
                    whole: &whole,
                    as_of: as_of_date.as_ref(),
                    moment,
                    outcome: &mut rule_outcome,
                };
                with_budget(max_steps, || run.evaluate(root));
                rule_outcome
            },
        )
        .collect();
    for rule_outcome in per_rule {
        outcome.findings.extend(rule_outcome.findings);
        outcome.failures.extend(rule_outcome.failures);
        outcome.obligations.extend(rule_outcome.obligations);
    }
    outcome
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    outcome
}

/// What every rule sees: the document, the date and the horizon (the last date
/// a rule looks ahead to: the agenda's, else the date itself), then the pack's
/// bindings, each computed once and in order (a binding may use the ones
/// before it).
fn shared_values<'a>(
    pack: &'a Pack,
    document: &'a Document,
    whole: &Val<'a>,
    moment: &Moment,
    max_steps: u64,
    outcome: &mut Outcome,
) -> Vec<(&'a str, Val<'a>)> {
    let mut shared = vec![
        ("doc", whole.clone()),
        ("as_of", Val::text(moment.as_of)),
        ("horizon", Val::text(moment.horizon.unwrap_or(moment.as_of))),
    ];
    let mut scope = scope_of(&shared);
    for (name, expression) in &pack.bindings {
        let value = with_budget(max_steps, || scope.eval(expression)).unwrap_or_else(|message| {
            outcome.failures.push(RuleFailure {
                rule: Arc::from(format!("let {name}")),
                file: document.source.name().to_owned(),
                pointer: String::new(),
                message,
            });
            Val::null()
        });
        scope.bind(name, value.clone());
        shared.push((name, value));
    }
    shared
}

fn scope_of<'a>(values: &[(&'a str, Val<'a>)]) -> Scope<'a, 'a> {
    let mut scope = Scope::root();
    for (name, value) in values {
        scope.bind(name, value.clone());
    }
    scope
}

/// What the checks of one item found, and what they ask for that is not yet due.
#[derive(Debug, Default)]
struct Judged {
    found: Vec<(usize, Finding)>,
    upcoming: Vec<Obligation>,
}

struct RuleRun<'a> {
    rule: &'a Rule,
    pack: &'a Pack,
    document: &'a Document,
    /// The document as the expressions see it.
    whole: &'a Val<'a>,
    as_of: Option<&'a PartialDate>,
    moment: &'a Moment<'a>,
    outcome: &'a mut Outcome,
}

/// Whether evidence due on a date is due at the evaluation date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Timing {
    /// Every day the due date may be is on or before every day the evaluation date may be.
    Due,
    /// Every day it may be is after: a plan, not yet due.
    NotYet,
    /// The dates overlap: whether it is due cannot be told.
    Undecided,
}

fn timing(due: &PartialDate, as_of: &PartialDate) -> Timing {
    if due.last_day() <= as_of.first_day() {
        Timing::Due
    } else if due.first_day() > as_of.last_day() {
        Timing::NotYet
    } else {
        Timing::Undecided
    }
}

impl<'a> RuleRun<'a> {
    fn fail(&mut self, pointer: String, message: String) {
        self.outcome.failures.push(RuleFailure {
            rule: Arc::clone(&self.rule.id),
            file: self.document.source.name().to_owned(),
            pointer,
            message,
        });
    }

    fn evaluate(&mut self, root: &Scope<'_, 'a>) {
        let rule = self.rule;
        let mut scope = root.child();
        scope.bind("params", rule.params.at(self.as_of).clone());
        for (name, expression) in &rule.lets {
            match scope.eval(expression) {
                Ok(value) => scope.bind(name, value),
                Err(message) => {
                    return self.fail(String::new(), format!("in `let {name}`: {message}"));
                }
            }
        }
        let Some(each) = &rule.for_each else {
            match self.judge(&scope, self.whole) {
                Ok(judged) => self.keep(judged),
                Err(message) => self.fail(String::new(), message),
            }
            return;
        };
        let items = match scope.eval(&each.items).map(Val::into_items) {
            Ok(Some(items)) => items,
            Ok(None) => {
                return self.fail(String::new(), "`for_each.in` must give a list".to_owned());
            }
            Err(message) => {
                return self.fail(String::new(), format!("in `for_each.in`: {message}"));
            }
        };
        let mut previous = Val::null();
        for (position, item) in items.enumerate() {
            let mut item_scope = scope.child();
            if let Some(name) = &each.index {
                item_scope.bind(name, Val::int(i64::try_from(position).unwrap_or(i64::MAX)));
            }
            if let Some(name) = &each.previous {
                item_scope.bind(name, previous);
            }
            if let Err(message) = self.evaluate_item(&item_scope, each, &item) {
                self.fail(item.pointer().unwrap_or_default(), message);
            }
            previous = item;
        }
    }

    fn evaluate_item(
        &mut self,
        rule_scope: &Scope<'_, 'a>,
        each: &'a ForEach,
        item: &Val<'a>,
    ) -> Result<(), String> {
        let mut scope = rule_scope.child();
        scope.bind(&each.name, item.clone());
        // A record is judged by the version in force at its own date: the
        // rule's `version_date`, else the record's date; else at `as_of`.
        let date = match &each.version_date {
            Some(expression) => {
                let date = scope
                    .eval(expression)
                    .map_err(|m| format!("in `version_date`: {m}"))?;
                PartialDate::parse_computed(&date.display()).ok()
            }
            None if self.rule.params.is_amended() => self.record_date(item),
            None => None,
        };
        let Some(date) = date else {
            let judged = self.judge_item(&scope, each, item)?;
            self.keep(judged);
            return Ok(());
        };
        // Where the date cannot tell which version is in force, a check fails
        // only if it fails under every version that may be; the latest speaks.
        let mut agreed: Option<Judged> = None;
        for params in self.rule.params.candidates(Some(&date)) {
            let mut versioned = scope.child();
            versioned.bind("params", params.clone());
            let judged = self.judge_item(&versioned, each, item)?;
            agreed = Some(match agreed {
                None => judged,
                Some(before) => Judged {
                    found: judged
                        .found
                        .into_iter()
                        .filter(|(check, _)| {
                            before.found.iter().any(|(earlier, _)| earlier == check)
                        })
                        .collect(),
                    upcoming: judged.upcoming,
                },
            });
        }
        if let Some(judged) = agreed {
            self.keep(judged);
        }
        Ok(())
    }

    fn keep(&mut self, judged: Judged) {
        self.outcome
            .findings
            .extend(judged.found.into_iter().map(|(_, finding)| finding));
        self.outcome.obligations.extend(judged.upcoming);
    }

    /// The date of a record: the first of the pack's `dated_by` fields it has.
    fn record_date(&self, item: &Val<'a>) -> Option<PartialDate> {
        self.pack
            .dated_by
            .iter()
            .find_map(|field| item.field(field))
            .and_then(|date| PartialDate::parse_computed(&date.display()).ok())
    }

    /// Whether the proposal under review wrote this record; for an item a
    /// rule computes (a pair of neighbours), whether it wrote one of its parts.
    fn is_proposed(&self, item: &Val<'a>) -> bool {
        let Some(pointer) = item.pointer() else {
            return item.entries().is_some_and(|entries| {
                entries
                    .iter()
                    .any(|(_, part)| part.pointer().is_some() && self.is_proposed(part))
            });
        };
        let node = self.document.root.locate(&pointer).node;
        match self.moment.base_items {
            Some(base_items) => !base_items.contains(&identity::content(node)),
            None => self.document.is_proposed(node.span),
        }
    }

    /// Whether evidence due on `due` must already be in a record: a record the
    /// proposal writes carries what falls due by the time it takes effect (its
    /// own date); what falls due later is judged by the date, as any record's.
    fn held_complete(&self, item: &Val<'a>, due: Option<&PartialDate>) -> bool {
        if !self.is_proposed(item) {
            return false;
        }
        match (due, self.record_date(item)) {
            (Some(due), Some(takes_effect)) => due.first_day() <= takes_effect.last_day(),
            _ => true,
        }
    }

    /// An item's bindings, filter and checks under the params in scope.
    fn judge_item(
        &self,
        item_scope: &Scope<'_, 'a>,
        each: &'a ForEach,
        item: &Val<'a>,
    ) -> Result<Judged, String> {
        let mut scope = item_scope.child();
        for (name, expression) in &each.lets {
            let value = scope
                .eval(expression)
                .map_err(|m| format!("in `let {name}`: {m}"))?;
            scope.bind(name, value);
        }
        if let Some(filter) = &each.filter
            && !truth(&scope, filter, "where")?
        {
            return Ok(Judged::default());
        }
        self.judge(&scope, item)
    }

    /// The checks in order, each finding with the index of the check that
    /// found it: every failing contradiction is a finding; failing missing
    /// evidence is a finding if it is due (an obligation of the agenda if not
    /// yet) and ends the checks, so a record lacking evidence is not also
    /// called contradictory. What a proposal adds is held complete.
    fn judge(&self, scope: &Scope<'_, 'a>, item: &Val<'a>) -> Result<Judged, String> {
        let mut judged = Judged::default();
        for (index, check) in self.rule.checks.iter().enumerate() {
            if let Some(when) = &check.when
                && !truth(scope, when, "when")?
            {
                continue;
            }
            if truth(scope, &check.assert, "assert")? {
                continue;
            }
            if check.verdict == Verdict::Contradiction {
                let finding = self.finding(scope, check, item, Verdict::Contradiction)?;
                judged.found.push((index, finding));
                continue;
            }
            let due = self.due(scope, check, item)?;
            let (verdict, because) = if self.held_complete(item, due.as_ref()) {
                (Verdict::Contradiction, Some(PROPOSED_RECORDS))
            } else {
                match (&due, self.as_of) {
                    (Some(due), Some(as_of)) if timing(due, as_of) != Timing::Due => {
                        if self.moment.horizon.is_some() {
                            let finding = self.finding(scope, check, item, Verdict::NotRecorded)?;
                            judged.upcoming.push(Obligation {
                                due: Arc::from(due.to_string()),
                                finding,
                            });
                        }
                        break;
                    }
                    _ => match &check.complete {
                        Some(complete) if truth(scope, complete, "complete")? => {
                            (Verdict::Contradiction, Some(COMPLETE_RECORDS))
                        }
                        _ => (Verdict::NotRecorded, None),
                    },
                }
            };
            let mut finding = self.finding(scope, check, item, verdict)?;
            finding.due = due.map(|due| Arc::from(due.to_string()));
            if let Some(because) = because {
                let help = finding.help.get_or_insert_with(String::new);
                if !help.is_empty() {
                    help.push('\n');
                }
                help.push_str(because);
            }
            judged.found.push((index, finding));
            break;
        }
        Ok(judged)
    }

    /// When the evidence a check asks for falls due: the check's `due`, else
    /// the date of the record it is about; `None`: due at once.
    fn due(
        &self,
        scope: &Scope<'_, 'a>,
        check: &'a Check,
        item: &Val<'a>,
    ) -> Result<Option<PartialDate>, String> {
        let Some(due) = &check.due else {
            return Ok(self.record_date(item));
        };
        let value = scope
            .eval(due)
            .map_err(|message| format!("in `due`: {message}"))?;
        Ok(PartialDate::parse_computed(&value.display()).ok())
    }

    /// The edit a check's fix names, written as the file writes its values.
    /// None where there is nothing to edit (the value or the list is absent),
    /// or the new value is nothing the records could hold.
    fn fix(&self, scope: &Scope<'_, 'a>, rule: &'a FixRule) -> Result<Option<Fix>, String> {
        let fix = match &rule.edit {
            FixEdit::Set { node, value } => {
                let Some(pointer) = scope.eval(node)?.pointer() else {
                    return Ok(None);
                };
                record_text(&scope.eval(value)?)
                    .and_then(|text| edit::set(self.document, &pointer, &text))
            }
            FixEdit::Add { list, item } => {
                let Some(pointer) = scope.eval(list)?.pointer() else {
                    return Ok(None);
                };
                flow(&scope.eval(item)?).and_then(|item| edit::add(self.document, &pointer, &item))
            }
        };
        Ok(fix.map(|mut fix| {
            fix.safe = rule.safe;
            fix
        }))
    }

    fn finding(
        &self,
        scope: &Scope<'_, 'a>,
        check: &'a Check,
        item: &Val<'a>,
        verdict: Verdict,
    ) -> Result<Finding, String> {
        let pointer = match &check.at {
            Some(at) => scope.eval(at)?.pointer(),
            None => None,
        }
        .or_else(|| item.pointer())
        .unwrap_or_default();
        let located = self.document.root.locate(&pointer);
        let location = self
            .document
            .location_of(underlined(&self.document.root, &located), &located.pointer);
        let mut related = Vec::new();
        for (at, label) in &check.related {
            if let Some(pointer) = scope.eval(at)?.pointer() {
                let node = self.document.root.locate(&pointer);
                let place = self
                    .document
                    .location_of(underlined(&self.document.root, &node), &node.pointer);
                // A label can only be drawn in the snippet of the file it points into.
                if Arc::ptr_eq(&place.source, &location.source) {
                    related.push(Related {
                        span: place.span,
                        label: label.render(scope)?,
                    });
                }
            }
        }
        Ok(Finding {
            rule: Arc::clone(&self.rule.id),
            // Missing evidence is a warning; only a contradiction takes the rule's severity.
            severity: match verdict {
                Verdict::Contradiction => check.severity.unwrap_or(self.rule.severity),
                Verdict::NotRecorded => Severity::Warning,
            },
            verdict,
            message: check.message.render(scope)?,
            label: check
                .label
                .as_ref()
                .map(|label| label.render(scope))
                .transpose()?,
            help: check
                .help
                .as_ref()
                .map(|help| help.render(scope))
                .transpose()?,
            clause: Some(Arc::clone(&self.rule.clause_text)),
            location,
            document_pointer: located.pointer,
            related,
            waived: None,
            fingerprint: 0,
            fix: match &check.fix {
                Some(rule) => self.fix(scope, rule)?.map(Box::new),
                None => None,
            },
            due: None,
        })
    }
}

/// A value as the records would write it: text, a number or a flag.
fn scalar_text(value: &Val<'_>) -> Option<String> {
    matches!(value.kind(), "string" | "integer" | "number" | "boolean").then(|| value.display())
}

/// A value as a record holds it: text, a number or a flag; a range of days
/// that date arithmetic gives where the calendar cannot name one is none.
fn record_text(value: &Val<'_>) -> Option<String> {
    let text = scalar_text(value)?;
    let computed_range =
        PartialDate::parse_computed(&text).is_ok() && PartialDate::parse(&text).is_err();
    (!computed_range).then_some(text)
}

/// A value written in YAML's flow style, on one line: `{holder: FR, start: 2017-09}`.
fn flow(value: &Val<'_>) -> Option<String> {
    if let Some(items) = value.clone().into_items() {
        let written: Option<Vec<String>> = items.map(|item| flow(&item)).collect();
        return Some(format!("[{}]", written?.join(", ")));
    }
    if let Some(entries) = value.entries() {
        let written: Option<Vec<String>> = entries
            .iter()
            .map(|(key, item)| Some(format!("{}: {}", edit::written_like("", key), flow(item)?)))
            .collect();
        return Some(format!("{{{}}}", written?.join(", ")));
    }
    Some(edit::written_like("", &record_text(value)?))
}

/// The span to underline for a node: a list or mapping that a key names is
/// underlined at its key (its first line would be its first item, which the
/// finding is not about); anything else at itself.
fn underlined(root: &Node, located: &Located<'_>) -> Span {
    let node = located.node;
    let names_a_collection = located.exact
        && match &node.value {
            Value::Seq(items) => !items.is_empty(),
            Value::Map(entries) => !entries.is_empty(),
            _ => false,
        };
    let key = names_a_collection
        .then(|| located.pointer.rsplit_once('/'))
        .flatten()
        .and_then(|(parent, token)| {
            let token = token.replace("~1", "/").replace("~0", "~");
            root.locate(parent)
                .node
                .entry(&token)
                .map(|(key, _)| key.span)
        });
    key.unwrap_or(node.span)
}

fn truth<'a>(
    scope: &Scope<'_, 'a>,
    expression: &'a crate::expr::Expression,
    part: &str,
) -> Result<bool, String> {
    let value = scope
        .eval(expression)
        .map_err(|message| format!("in `{part}`: {message}"))?;
    value
        .as_bool()
        .ok_or_else(|| format!("`{part}` must be true or false, not {}", value.a_kind()))
}
