//! Properties every rule of every pack must keep, checked by changing a
//! fixture in ways that can only take evidence away and re-checking it:
//!
//! 1. coarsening a date (day → month → year) never creates an error;
//! 2. where the records claim no completeness, removing an optional field
//!    never creates an error (only "not recorded", or nothing);
//! 3. claiming completeness from after every date of the records changes
//!    nothing;
//! 4. a proposal reports only what the records lack without it: a fixture
//!    split into a base and a proposal reports exactly what the whole fixture
//!    adds to the base;
//! 5. no evidence is reported missing before it falls due, and a record that
//!    begins after the evaluation date (a plan) makes no finding about
//!    another record: removing it removes none;
//! 6. where the records claim no completeness, removing a whole record from
//!    between two others never creates an error (but about what named it);
//! 7. moving the evaluation date earlier never turns absence into a
//!    contradiction.
//!
//! The engine knows no field: dates are the texts that read as dates,
//! optional fields are the ones whose removal leaves the records valid
//! against the pack's schema, and the completeness claim is where the pack's
//! manifest says (`complete_from`) and its conditions read it.

use crate::base::date::{PartialDate, Precision};
use crate::base::finding::{Finding, Severity, Verdict};
use crate::check::{self, Checked, Input, Options, eval, is_structural};
use crate::load::escape_token;
use crate::pack::Pack;
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::collections::HashSet;

const NEW_ERROR: &str = "report an error";
const CHANGED: &str = "change what it reports";

/// A change that broke a property: which, the finding it created, and the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub property: &'static str,
    /// What the change did: `report an error`, or `change what it reports`.
    pub effect: &'static str,
    pub rule: String,
    /// The record the unexpected finding is about.
    pub pointer: String,
    pub change: String,
}

impl Violation {
    pub fn describe(&self) -> String {
        format!(
            "{}: {} made `{}` {} at `{}`",
            self.property, self.change, self.rule, self.effect, self.pointer
        )
    }
}

/// Check every property on one file of records (its name, for messages, and
/// its text). A file that is not a valid snapshot has nothing to check.
pub fn check_properties(pack: &Pack, name: &str, text: &str) -> Vec<Violation> {
    let Some(records) = records(pack, name, text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    found.extend(coarsening(pack, name, &records));
    found.extend(removal(pack, name, &records));
    found.extend(late_completeness(pack, name, &records));
    found.extend(proposal(pack, name, &records));
    found.extend(plans(pack, name, &records));
    found.extend(removed_between(pack, name, &records));
    found.extend(earlier(pack, name, &records));
    found
}

/// The file's records as JSON (which YAML reads as it is), if the pack finds
/// them valid: only valid records say anything about the rules.
fn records(pack: &Pack, name: &str, text: &str) -> Option<Value> {
    let input = Input::new(check::decode(name, text.as_bytes().to_vec()));
    let checked = check::check(pack, input, &Options::default());
    if !checked.failures.is_empty() || checked.report.findings.iter().any(is_structural) {
        return None;
    }
    let source = crate::base::source::SourceFile::new(name, text);
    let root = crate::load::parse(&source, &Options::default().limits).ok()?;
    Some(crate::load::to_json(&root))
}

fn check_value(pack: &Pack, name: &str, records: &Value) -> Checked {
    let text = serde_json::to_string(records).unwrap_or_default();
    check::check(
        pack,
        Input::new(check::decode(name, text.into_bytes())),
        &Options::default(),
    )
}

/// The errors of the pack's rules, by rule and record; `None` when the
/// records are not valid (a change made them so) or a rule could not run.
fn errors(checked: &Checked) -> Option<HashSet<(String, String)>> {
    let findings = &checked.report.findings;
    if !checked.failures.is_empty() || findings.iter().any(is_structural) {
        return None;
    }
    Some(
        findings
            .iter()
            .filter(|finding| finding.severity == Severity::Error)
            .map(|finding| (finding.rule.to_string(), finding.document_pointer.clone()))
            .collect(),
    )
}

/// Findings of `changed` that are errors and were not errors of `before`.
fn new_errors(
    property: &'static str,
    before: &HashSet<(String, String)>,
    changed: &Checked,
    change: &str,
) -> Vec<Violation> {
    let Some(after) = errors(changed) else {
        return Vec::new();
    };
    violations(
        property,
        NEW_ERROR,
        change,
        after.difference(before).map(|(r, p)| (r, p)),
    )
}

/// One violation per rule and record among `differing`, in order.
fn violations<'a>(
    property: &'static str,
    effect: &'static str,
    change: &str,
    differing: impl Iterator<Item = (&'a String, &'a String)>,
) -> Vec<Violation> {
    let mut found: Vec<Violation> = differing
        .map(|(rule, pointer)| Violation {
            property,
            effect,
            rule: rule.clone(),
            pointer: pointer.clone(),
            change: change.to_owned(),
        })
        .collect();
    found.sort_by(|a, b| (&a.rule, &a.pointer).cmp(&(&b.rule, &b.pointer)));
    found.dedup();
    found
}

/// Each of `changes`, checked against the errors of `base`.
fn each_change(
    pack: &Pack,
    name: &str,
    property: &'static str,
    base: &Value,
    changes: Vec<(String, Value)>,
) -> Vec<Violation> {
    let Some(before) = errors(&check_value(pack, name, base)) else {
        return Vec::new();
    };
    changes
        .par_iter()
        .flat_map_iter(|(change, changed)| {
            new_errors(property, &before, &check_value(pack, name, changed), change)
        })
        .collect()
}

/// Property 1: every date one step coarser, one at a time.
fn coarsening(pack: &Pack, name: &str, records: &Value) -> Vec<Violation> {
    let mut changes = Vec::new();
    let claim = pack.complete_from_pointer.as_deref();
    each_leaf(records, String::new(), &mut |pointer, value| {
        // A coarser completeness claim claims more (it counts from its first
        // day): it adds to the records, it takes nothing away.
        if Some(pointer.as_str()) == claim {
            return;
        }
        let Some(coarser) = value.as_str().and_then(coarser_date) else {
            return;
        };
        let mut changed = records.clone();
        if let Some(slot) = changed.pointer_mut(&pointer) {
            let change = format!("coarsening `{pointer}` from {value} to \"{coarser}\"");
            *slot = Value::String(coarser);
            changes.push((change, changed));
        }
    });
    each_change(pack, name, "coarsening a date", records, changes)
}

/// The date one precision coarser: `2015-09-28` → `2015-09` → `2015`.
fn coarser_date(text: &str) -> Option<String> {
    let date = PartialDate::parse(text).ok()?;
    match date.precision() {
        Precision::Year => None,
        Precision::Month => Some(format!("{:04}", date.year())),
        Precision::Day => Some(format!("{:04}-{:02}", date.year(), date.month()?)),
    }
}

/// Property 2: every field removed, one at a time, from records that claim no
/// completeness. A removal that leaves the records invalid was of a required
/// field and says nothing.
fn removal(pack: &Pack, name: &str, records: &Value) -> Vec<Violation> {
    let base = claiming(pack, records, None);
    let mut changes = Vec::new();
    each_field(&base, String::new(), &mut |pointer, parent, key| {
        let mut changed = base.clone();
        if let Some(Value::Object(map)) = changed.pointer_mut(parent) {
            map.remove(key);
            changes.push((format!("removing `{pointer}`"), changed));
        }
    });
    each_change(pack, name, "removing a field", &base, changes)
}

/// Property 3: completeness claimed from the year after every date of the
/// records gives exactly the findings of records that claim none.
fn late_completeness(pack: &Pack, name: &str, records: &Value) -> Vec<Violation> {
    let mut latest = None;
    each_leaf(records, String::new(), &mut |_, value| {
        let year = match value {
            Value::String(text) => PartialDate::parse(text).ok().map(|date| date.year()),
            Value::Number(number) => number
                .as_i64()
                .and_then(|year| PartialDate::from_year(year).ok())
                .map(|date| date.year()),
            _ => None,
        };
        latest = latest.max(year);
    });
    let (Some(latest), Some(claim)) = (latest, &pack.complete_from_pointer) else {
        return Vec::new();
    };
    let late = format!("{:04}", latest.saturating_add(1));
    let without = claiming(pack, records, None);
    let with = claiming(pack, records, Some(Value::String(late.clone())));
    let findings = |records: &Value| -> Option<HashSet<(String, String, Severity)>> {
        let checked = check_value(pack, name, records);
        errors(&checked)?;
        Some(
            checked
                .report
                .findings
                .iter()
                .map(|f| (f.rule.to_string(), f.document_pointer.clone(), f.severity))
                .collect(),
        )
    };
    let (Some(plain), Some(claimed)) = (findings(&without), findings(&with)) else {
        return Vec::new();
    };
    violations(
        "claiming completeness after every record",
        CHANGED,
        &format!("claiming `{claim}` from {late}"),
        claimed.symmetric_difference(&plain).map(|(r, p, _)| (r, p)),
    )
}

/// Property 4: the last item of each top-level list moved into a proposal.
/// What the proposal reports is what the whole records report beyond the
/// base, and besides that only the evidence its own records lack (a proposal
/// is held complete).
fn proposal(pack: &Pack, name: &str, records: &Value) -> Vec<Violation> {
    let Some(top) = records.as_object() else {
        return Vec::new();
    };
    let mut base = top.clone();
    let mut added = Map::new();
    for (key, value) in top {
        if let Value::Array(items) = value
            && let Some(last) = items.last()
        {
            added.insert(key.clone(), Value::Array(vec![last.clone()]));
            if let Some(Value::Array(kept)) = base.get_mut(key) {
                kept.pop();
            }
        }
    }
    if added.is_empty() {
        return Vec::new();
    }
    let base = Value::Object(base);
    let identity = |finding: &Finding| {
        (
            finding.rule.to_string(),
            finding.document_pointer.clone(),
            finding.message.clone(),
        )
    };
    let whole = check_value(pack, name, records);
    let alone = check_value(pack, name, &base);
    if errors(&whole).is_none() || errors(&alone).is_none() {
        return Vec::new();
    }
    let before: HashSet<_> = alone.report.findings.iter().map(identity).collect();
    let expected: HashSet<_> = whole
        .report
        .findings
        .iter()
        .map(identity)
        .filter(|finding| !before.contains(finding))
        .collect();
    let text = |value: &Value| serde_json::to_string(value).unwrap_or_default();
    let proposed = check::check_proposal(
        pack,
        Input::new(check::decode(name, text(&base).into_bytes())),
        Input::new(check::decode(
            "proposal",
            text(&Value::Object(added)).into_bytes(),
        )),
        &Options::default(),
    );
    let reported: HashSet<_> = proposed.report.findings.iter().map(identity).collect();
    let held_complete: HashSet<_> = proposed
        .report
        .findings
        .iter()
        .filter(|finding| eval::is_held_complete(finding))
        .map(identity)
        .collect();
    let unexpected = reported
        .difference(&expected)
        .filter(|finding| !held_complete.contains(*finding));
    violations(
        "a proposal reports what it adds",
        CHANGED,
        "moving the last item of each list into a proposal",
        unexpected
            .chain(expected.difference(&reported))
            .map(|(r, p, _)| (r, p)),
    )
}

/// Property 5: nothing is reported missing before it falls due; and each
/// record all of whose dates are certainly after the evaluation date, removed,
/// takes away no finding about another record.
fn plans(pack: &Pack, name: &str, records: &Value) -> Vec<Violation> {
    let whole = check_value(pack, name, records);
    let Some(as_of) = as_of(pack, records) else {
        return Vec::new();
    };
    let early: Vec<(String, String)> = whole
        .report
        .findings
        .iter()
        .filter(|finding| finding.verdict == Verdict::NotRecorded)
        .filter(|finding| {
            finding
                .due
                .as_deref()
                .and_then(|due| PartialDate::parse_computed(due).ok())
                .is_some_and(|due| due.first_day() > as_of.last_day())
        })
        .map(|finding| (finding.rule.to_string(), finding.document_pointer.clone()))
        .collect();
    let mut found = violations(
        "nothing is missing before it falls due",
        "report missing evidence not yet due",
        &format!("checking as of {as_of}"),
        early.iter().map(|(rule, at)| (rule, at)),
    );
    let identity = |finding: &Finding| (finding.rule.to_string(), finding.message.clone());
    for (pointer, without) in list_items_removed(records, |_, _, item| is_plan(item, &as_of)) {
        let reduced = check_value(pack, name, &without);
        if errors(&reduced).is_none() {
            continue;
        }
        let kept: HashSet<_> = reduced.report.findings.iter().map(identity).collect();
        let lost: Vec<(String, String)> = whole
            .report
            .findings
            .iter()
            .filter(|finding| !within(&finding.document_pointer, &pointer))
            .filter(|finding| !kept.contains(&identity(finding)))
            .map(|finding| (finding.rule.to_string(), finding.document_pointer.clone()))
            .collect();
        found.extend(violations(
            "a plan makes no finding about another record",
            CHANGED,
            &format!("removing the plan `{pointer}`"),
            lost.iter().map(|(rule, at)| (rule, at)),
        ));
    }
    found
}

/// Property 6: each item between two others in a list, removed from records
/// that claim no completeness. Errors at a node that names a value the removed
/// record holds (a reference to it, now to nothing) are not the removal's to
/// answer for.
fn removed_between(pack: &Pack, name: &str, records: &Value) -> Vec<Violation> {
    let base = claiming(pack, records, None);
    let Some(before) = errors(&check_value(pack, name, &base)) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (pointer, without) in
        list_items_removed(&base, |index, len, _| index > 0 && index + 1 < len)
    {
        let Some(item) = base.pointer(&pointer) else {
            continue;
        };
        let mut held = HashSet::new();
        each_leaf(item, String::new(), &mut |_, value| {
            if let Some(text) = value.as_str() {
                held.insert(text.to_owned());
            }
        });
        let Some(after) = errors(&check_value(pack, name, &without)) else {
            continue;
        };
        // The errors of before, where they are once the item is gone.
        let moved: HashSet<(String, String)> = before
            .iter()
            .filter_map(|(rule, at)| Some((rule.clone(), renumbered(at, &pointer)?)))
            .collect();
        let new: Vec<&(String, String)> = after
            .difference(&moved)
            .filter(|(_, at)| !names_any(without.pointer(at), &held))
            .collect();
        found.extend(violations(
            "removing a record from between two others",
            NEW_ERROR,
            &format!("removing `{pointer}`"),
            new.into_iter().map(|(rule, at)| (rule, at)),
        ));
    }
    found
}

/// Where `pointer` is once the list item at `removed` is gone: the items after
/// it one place earlier; `None` for what lay inside it.
fn renumbered(pointer: &str, removed: &str) -> Option<String> {
    if within(pointer, removed) {
        return None;
    }
    let Some((list, index)) = removed.rsplit_once('/') else {
        return Some(pointer.to_owned());
    };
    let Ok(index) = index.parse::<usize>() else {
        return Some(pointer.to_owned());
    };
    let Some(rest) = pointer.strip_prefix(&format!("{list}/")) else {
        return Some(pointer.to_owned());
    };
    let (position, below) = rest.split_once('/').map_or((rest, ""), |(p, b)| (p, b));
    match position.parse::<usize>() {
        Ok(at) if at > index => {
            let below = if below.is_empty() {
                String::new()
            } else {
                format!("/{below}")
            };
            Some(format!("{list}/{}{below}", at - 1))
        }
        _ => Some(pointer.to_owned()),
    }
}

/// Whether a node of the records holds (or is) one of the `held` texts: a
/// reference to the record they came from.
fn names_any(node: Option<&Value>, held: &HashSet<String>) -> bool {
    let mut found = false;
    if let Some(node) = node {
        each_leaf(node, String::new(), &mut |_, value| {
            found |= value.as_str().is_some_and(|text| held.contains(text));
        });
    }
    found
}

/// Property 7: the evaluation date a year earlier, at its own precision.
fn earlier(pack: &Pack, name: &str, records: &Value) -> Vec<Violation> {
    let Some(as_of) = as_of(pack, records) else {
        return Vec::new();
    };
    let Some(year_before) = as_of.add_years(-1) else {
        return Vec::new();
    };
    let text = serde_json::to_string(records).unwrap_or_default();
    let at = |date: &PartialDate| {
        check::check(
            pack,
            Input::new(check::decode(name, text.clone().into_bytes())),
            &Options {
                as_of: Some(date.to_string()),
                ..Options::default()
            },
        )
    };
    let absences = |checked: &Checked| -> HashSet<(String, String)> {
        checked
            .report
            .findings
            .iter()
            .filter(|finding| eval::is_absence_contradiction(finding))
            .map(|finding| (finding.rule.to_string(), finding.document_pointer.clone()))
            .collect()
    };
    let now = absences(&at(&as_of));
    let then = absences(&at(&year_before));
    violations(
        "moving the evaluation date earlier",
        "turn absence into a contradiction",
        &format!("checking as of {year_before} instead of {as_of}"),
        then.difference(&now).map(|(rule, at)| (rule, at)),
    )
}

/// The evaluation date the records give.
fn as_of(pack: &Pack, records: &Value) -> Option<PartialDate> {
    match records.pointer(&pack.as_of_pointer)? {
        Value::String(text) => PartialDate::parse(text).ok(),
        Value::Number(year) => PartialDate::from_year(year.as_i64()?).ok(),
        _ => None,
    }
}

/// Whether every date a record holds is certainly after `as_of` (it has one).
fn is_plan(item: &Value, as_of: &PartialDate) -> bool {
    let mut dates = 0;
    let mut later = true;
    each_leaf(item, String::new(), &mut |_, value| {
        if let Some(date) = value
            .as_str()
            .and_then(|text| PartialDate::parse(text).ok())
        {
            dates += 1;
            later &= date.first_day() > as_of.last_day();
        }
    });
    dates > 0 && later
}

/// Each item of each top-level list that `select` picks (by its index, the
/// list's length and itself), with the records without it.
fn list_items_removed(
    records: &Value,
    select: impl Fn(usize, usize, &Value) -> bool,
) -> Vec<(String, Value)> {
    let Some(top) = records.as_object() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (key, value) in top {
        let Value::Array(items) = value else {
            continue;
        };
        for (index, item) in items.iter().enumerate() {
            if !select(index, items.len(), item) {
                continue;
            }
            let mut without = records.clone();
            if let Some(Value::Array(kept)) = without.get_mut(key) {
                kept.remove(index);
            }
            found.push((format!("/{}/{index}", escape_token(key)), without));
        }
    }
    found
}

/// Whether `pointer` is `record` or lies inside it.
fn within(pointer: &str, record: &str) -> bool {
    pointer == record
        || pointer
            .strip_prefix(record)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The records with their completeness claim set to `claim`, or removed.
fn claiming(pack: &Pack, records: &Value, claim: Option<Value>) -> Value {
    let mut changed = records.clone();
    let Some((parent, token)) = pack
        .complete_from_pointer
        .as_deref()
        .and_then(|pointer| pointer.rsplit_once('/'))
    else {
        return changed;
    };
    let key = token.replace("~1", "/").replace("~0", "~");
    if let Some(Value::Object(map)) = changed.pointer_mut(parent) {
        match claim {
            Some(value) => map.insert(key, value),
            None => map.remove(&key),
        };
    }
    changed
}

/// Every scalar of the records, with its pointer.
fn each_leaf(value: &Value, pointer: String, visit: &mut impl FnMut(String, &Value)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                each_leaf(child, format!("{pointer}/{}", escape_token(key)), visit);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                each_leaf(child, format!("{pointer}/{index}"), visit);
            }
        }
        scalar => visit(pointer, scalar),
    }
}

/// Every field of every mapping: its pointer, its mapping's pointer and its key.
fn each_field(value: &Value, pointer: String, visit: &mut impl FnMut(&str, &str, &str)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let field = format!("{pointer}/{}", escape_token(key));
                visit(&field, &pointer, key);
                each_field(child, field, visit);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                each_field(child, format!("{pointer}/{index}"), visit);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_coarsen_one_step_at_a_time() {
        assert_eq!(coarser_date("2015-09-28").as_deref(), Some("2015-09"));
        assert_eq!(coarser_date("2015-09").as_deref(), Some("2015"));
        assert_eq!(coarser_date("2015"), None);
        assert_eq!(coarser_date("FR"), None);
    }
}
