//! Waivers: recorded decisions to accept a known departure from a rule. A live waiver
//! excuses exactly the findings it names, which stay visible, marked; a stale one is
//! itself reported, so waivers cannot silently outlive their reason.

use crate::base::date::PartialDate;
use crate::base::engine_rules::{WAIVER_EXPIRED, WAIVER_TARGET, WAIVER_UNUSED};
use crate::base::finding::{Finding, Obligation, Severity, Verdict};
use crate::base::suggest::did_you_mean;
use crate::document::merge::Document;
use crate::load::{Node, Value};
use std::cmp::Ordering;
use std::sync::Arc;

struct Waiver<'a> {
    pointer: String,
    node: &'a Node,
    rule: &'a str,
    target: &'a str,
    reason: &'a str,
    expires: Option<PartialDate>,
}

fn text<'a>(record: &'a Node, field: &str) -> Option<&'a str> {
    match &record.get(field)?.value {
        Value::Str(text) => Some(text),
        _ => None,
    }
}

fn date(record: &Node, field: &str) -> Option<PartialDate> {
    match &record.get(field)?.value {
        Value::Str(text) => PartialDate::parse(text).ok(),
        Value::Int(year) => PartialDate::from_year(*year).ok(),
        _ => None,
    }
}

/// The waivers a document lists at `list_pointer`, each with a rule and a target.
fn listed<'a>(document: &'a Document, list_pointer: &str) -> Vec<Waiver<'a>> {
    let located = document.root.locate(list_pointer);
    let Value::Seq(records) = &located.node.value else {
        return Vec::new();
    };
    if !located.exact {
        return Vec::new();
    }
    records
        .iter()
        .enumerate()
        .filter_map(|(index, node)| {
            Some(Waiver {
                pointer: format!("{list_pointer}/{index}"),
                node,
                rule: text(node, "rule")?,
                target: text(node, "target")?,
                reason: text(node, "reason").unwrap_or_default(),
                expires: date(node, "expires"),
            })
        })
        .collect()
}

/// The waivers still live at `as_of` that expire later: entries of the agenda,
/// due when they expire.
pub fn expiring(document: &Document, list_pointer: &str, as_of: &PartialDate) -> Vec<Obligation> {
    listed(document, list_pointer)
        .into_iter()
        .filter_map(|waiver| {
            let expires = waiver.expires?;
            (expires.compare(as_of) != Ordering::Less).then(|| Obligation {
                due: Arc::from(expires.to_string()),
                finding: report(
                    document,
                    &waiver,
                    "expires",
                    WAIVER_EXPIRED,
                    format!(
                        "the waiver of `{}` at `{}` expires in {expires}",
                        waiver.rule, waiver.target
                    ),
                    format!(
                        "decide again: renew it with a new reason and expiry date, or mend the record ({})",
                        waiver.reason
                    ),
                ),
            })
        })
        .collect()
}

/// Mark the findings live waivers excuse, and return findings about the waivers themselves.
pub fn apply(
    document: &Document,
    list_pointer: &str,
    rule_ids: &[&str],
    as_of: Option<&PartialDate>,
    findings: &mut [Finding],
) -> Vec<Finding> {
    let waivers = listed(document, list_pointer);
    let mut reports = Vec::new();
    for waiver in waivers {
        if !rule_ids.contains(&waiver.rule) {
            let help = did_you_mean(waiver.rule, rule_ids.iter().copied()).map_or_else(
                || "`govlint rules` lists the rule ids".to_owned(),
                |close| format!("did you mean `{close}`?"),
            );
            reports.push(report(
                document,
                &waiver,
                "rule",
                WAIVER_TARGET,
                format!("the waiver names no rule `{}`", waiver.rule),
                help,
            ));
            continue;
        }
        if !document.root.locate(waiver.target).exact {
            reports.push(report(
                document,
                &waiver,
                "target",
                WAIVER_TARGET,
                format!("the waiver's target `{}` names nothing in this file", waiver.target),
                "point `target` at the record the waiver excuses, as a JSON Pointer such as `/members/0`".to_owned(),
            ));
            continue;
        }
        let lapsed = match (&waiver.expires, as_of) {
            (Some(expires), Some(as_of)) if expires.compare(as_of) == Ordering::Less => {
                Some((expires, as_of))
            }
            _ => None,
        };
        if let Some((expires, as_of)) = lapsed {
            reports.push(report(
                document,
                &waiver,
                "expires",
                WAIVER_EXPIRED,
                format!(
                    "the waiver of `{}` at `{}` expired in {expires}, before {as_of}",
                    waiver.rule, waiver.target
                ),
                "renew it with a new decision and expiry date, or remove it and fix the record"
                    .to_owned(),
            ));
            continue;
        }
        let mut used = false;
        for finding in findings
            .iter_mut()
            .filter(|finding| excuses(&waiver, finding))
        {
            finding.waived = Some(waiver.reason.to_owned());
            used = true;
        }
        if !used {
            let mut unused = report(
                document,
                &waiver,
                "target",
                WAIVER_UNUSED,
                format!(
                    "the waiver of `{}` at `{}` excuses nothing",
                    waiver.rule, waiver.target
                ),
                "the record now complies: remove the waiver".to_owned(),
            );
            // A decision of the group is removed only by a person who confirms it.
            unused.fix = crate::document::edit::remove(document, &waiver.pointer).map(Box::new);
            reports.push(unused);
        }
    }
    reports
}

/// The rule matches and the target is the finding's node or one of its ancestors.
fn excuses(waiver: &Waiver<'_>, finding: &Finding) -> bool {
    let at = finding.document_pointer.as_str();
    finding.rule.as_ref() == waiver.rule
        && (at == waiver.target
            || at
                .strip_prefix(waiver.target)
                .is_some_and(|rest| rest.starts_with('/')))
}

fn report(
    document: &Document,
    waiver: &Waiver<'_>,
    field: &str,
    rule: &str,
    message: String,
    help: String,
) -> Finding {
    let (node, pointer) = match waiver.node.get(field) {
        Some(node) => (node, format!("{}/{field}", waiver.pointer)),
        None => (waiver.node, waiver.pointer.clone()),
    };
    let severity = crate::base::engine_rules::engine_rule(rule)
        .map_or(Severity::Error, |known| known.severity);
    Finding {
        rule: Arc::from(rule),
        severity,
        verdict: Verdict::Contradiction,
        message,
        label: None,
        help: Some(help),
        clause: None,
        location: document.location(node, &pointer),
        document_pointer: pointer,
        related: Vec::new(),
        waived: None,
        fingerprint: 0,
        fix: None,
        due: None,
    }
}
