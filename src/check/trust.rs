//! Which of the fixes findings carry may be offered as they are. A fix whose
//! value is read from a node that another finding stands at, or that another
//! finding's fix changes, follows from that finding: it is offered as a
//! person's choice (unsafe) until that value is settled, so `govlint fix`
//! cannot copy a wrong value into a right one. A fix next to a date far from
//! the as-of date is withdrawn: the date looks mistyped, and a value computed
//! from it would be as wrong.

use crate::base::date::PartialDate;
use crate::base::finding::{Finding, Verdict};
use crate::base::source::Span;
use std::collections::HashMap;

/// Dates further than this before the as-of date look mistyped.
const YEARS_BEFORE: i32 = 100;
/// Dates further than this after the as-of date look mistyped.
const YEARS_AFTER: i32 = 50;
/// The longest place whose years are read (a record on a line or a few).
const MAX_SPAN: usize = 400;

/// Downgrade or withdraw the fixes of `findings` as the module says.
pub fn settle(findings: &mut [Finding], as_of: &str) {
    withdraw_implausible(findings, as_of);
    // What each finding puts in doubt: the value a contradiction stands at
    // (missing evidence doubts no recorded value), and the value a fix edits;
    // and the record a contradiction stands at as a whole. Counted, so a
    // finding's own share can be told from the others' in one look-up each
    // (records can hold many thousands of findings).
    let mut values: HashMap<(&str, Span), usize> = HashMap::new();
    let mut records: HashMap<(&str, &str), usize> = HashMap::new();
    for finding in findings.iter().filter(|finding| finding.waived.is_none()) {
        for value in doubts(finding) {
            *values.entry(value).or_default() += 1;
        }
        if let Some(record) = record_doubted_by(finding) {
            *records.entry(record).or_default() += 1;
        }
    }
    let notes: Vec<Option<String>> = findings
        .iter()
        .map(|finding| {
            let fix = finding.fix.as_deref().filter(|fix| fix.safe)?;
            let file = finding.location.source.name();
            let own = doubts(finding);
            let by_others = |value: (&str, Span)| {
                let mine = usize::from(finding.waived.is_none())
                    * own.iter().filter(|o| **o == value).count();
                values.get(&value).is_some_and(|count| *count > mine)
            };
            if let Some(related) = finding
                .related
                .iter()
                .find(|related| by_others((file, related.span)))
            {
                return Some(format!(
                    "this fix copies `{}` ({}), which another finding doubts",
                    finding.location.source.text_at(related.span),
                    related.label,
                ));
            }
            let record = fix
                .pointer
                .rsplit_once('/')
                .map_or("", |(record, _)| record);
            let key = (fix.source.name(), record);
            let mine =
                usize::from(finding.waived.is_none() && record_doubted_by(finding) == Some(key));
            records
                .get(&key)
                .is_some_and(|count| *count > mine)
                .then(|| format!("another finding doubts the record at {record}"))
        })
        .collect();
    for (finding, note) in findings.iter_mut().zip(notes) {
        let (Some(doubt), Some(fix)) = (note, finding.fix.as_deref_mut()) else {
            continue;
        };
        fix.safe = false;
        let note = format!(
            "{doubt}: the fix waits until that one is settled, or for a person (`--unsafe`)"
        );
        finding.help = Some(match finding.help.take() {
            Some(help) => format!("{help}\n{note}"),
            None => note,
        });
    }
}

/// The values a finding doubts, by file and span.
fn doubts(finding: &Finding) -> Vec<(&str, Span)> {
    let place = (finding.verdict == Verdict::Contradiction)
        .then(|| (finding.location.source.name(), finding.location.span));
    let edit = finding
        .fix
        .as_deref()
        .map(|fix| (fix.source.name(), fix.span));
    place.into_iter().chain(edit).collect()
}

/// The record a contradiction stands at, by file and pointer in that file.
fn record_doubted_by(finding: &Finding) -> Option<(&str, &str)> {
    (finding.verdict == Verdict::Contradiction).then(|| {
        (
            finding.location.source.name(),
            finding.location.pointer.as_str(),
        )
    })
}

/// Remove the fix of every finding whose value, related values or fix hold a
/// year far from the as-of date, and say the value looks mistyped.
fn withdraw_implausible(findings: &mut [Finding], as_of: &str) {
    let Ok(as_of) = PartialDate::parse(as_of) else {
        return;
    };
    let now = as_of.year();
    let plausible = |year: i32| (now - YEARS_BEFORE..=now + YEARS_AFTER).contains(&year);
    for finding in findings.iter_mut() {
        let Some(fix) = finding.fix.as_deref() else {
            continue;
        };
        let source = &finding.location.source;
        // Values and records, not whole lists or files: those hold every
        // year of the records, and reading them per finding would cost a
        // large file dear.
        let texts = std::iter::once(finding.location.span)
            .chain(finding.related.iter().map(|related| related.span))
            .filter(|span| span.len() <= MAX_SPAN)
            .map(|span| source.text_at(span))
            .chain(std::iter::once(fix.replacement.as_str()));
        let odd = texts.flat_map(years).find(|year| !plausible(*year));
        if let Some(year) = odd {
            finding.fix = None;
            let note = format!(
                "the year {year} looks mistyped ({} years from {as_of}): no fix is offered from it; correct it by hand",
                (year - now).abs()
            );
            finding.help = Some(match finding.help.take() {
                Some(help) => format!("{help}\n{note}"),
                None => note,
            });
        }
    }
}

/// The four-digit numbers of a text (years, alone or starting a date).
fn years(text: &str) -> Vec<i32> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let end = bytes[start..]
            .iter()
            .position(|byte| !byte.is_ascii_digit())
            .map_or(bytes.len(), |length| start + length);
        if end - start == 4
            && let Some(year) = text.get(start..end).and_then(|digits| digits.parse().ok())
        {
            found.push(year);
        }
        start = end.max(start + 1);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::years;

    #[test]
    fn years_are_the_four_digit_numbers() {
        assert_eq!(years("{start: 2107-09, end: 2019}"), [2107, 2019]);
        assert_eq!(years("id: 12345, day: 2019-09-01"), [2019]);
        assert!(years("FR").is_empty());
    }
}
