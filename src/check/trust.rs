//! Which of the fixes findings carry may be offered as they are. A fix whose
//! value is read from a node that another finding stands at, or that another
//! finding's fix changes, follows from that finding: it is offered as a
//! person's choice (unsafe) until that value is settled, so `govlint fix`
//! cannot copy a wrong value into a right one. A fix next to a date far from the as-of date is withdrawn: the date
//! looks mistyped, and a value computed from it would be as wrong.

use crate::base::date::PartialDate;
use crate::base::finding::{Finding, Verdict};
use crate::base::source::Span;

/// Dates further than this before the as-of date look mistyped.
const YEARS_BEFORE: i32 = 100;
/// Dates further than this after the as-of date look mistyped.
const YEARS_AFTER: i32 = 50;

/// Downgrade or withdraw the fixes of `findings` as the module says.
pub fn settle(findings: &mut [Finding], as_of: &str) {
    withdraw_implausible(findings, as_of);
    // The values in doubt, by the finding that doubts them: where a
    // contradiction stands (a whole record doubts every value in it; missing
    // evidence doubts no recorded value), and what a fix edits.
    let doubted: Vec<(usize, String, Span)> = findings
        .iter()
        .enumerate()
        .filter(|(_, finding)| finding.waived.is_none())
        .flat_map(|(index, finding)| {
            let place = (finding.verdict == Verdict::Contradiction).then(|| {
                (
                    index,
                    finding.location.source.name().to_owned(),
                    finding.location.span,
                )
            });
            let edit = finding
                .fix
                .as_deref()
                .map(|fix| (index, fix.source.name().to_owned(), fix.span));
            place.into_iter().chain(edit)
        })
        .collect();
    // The records a contradiction stands at as a whole, by pointer in their file.
    let records: Vec<(usize, String, String)> = findings
        .iter()
        .enumerate()
        .filter(|(_, finding)| {
            finding.waived.is_none() && finding.verdict == Verdict::Contradiction
        })
        .map(|(index, finding)| {
            (
                index,
                finding.location.source.name().to_owned(),
                finding.location.pointer.clone(),
            )
        })
        .collect();
    for (index, finding) in findings.iter_mut().enumerate() {
        let file = finding.location.source.name().to_owned();
        let Some(fix) = finding.fix.as_deref_mut() else {
            continue;
        };
        let follows = finding.related.iter().find(|related| {
            doubted.iter().any(|(by, name, span)| {
                *by != index
                    && *name == file
                    && span.start() <= related.span.start()
                    && related.span.end() <= span.end()
            })
        });
        let record = fix
            .pointer
            .rsplit_once('/')
            .map_or("", |(record, _)| record);
        let record_doubted = records.iter().any(|(by, name, pointer)| {
            *by != index && *name == fix.source.name() && pointer == record
        });
        let doubt = match (follows, record_doubted) {
            (Some(related), _) => format!(
                "this fix copies `{}` ({}), which another finding doubts",
                finding.location.source.text_at(related.span),
                related.label,
            ),
            (None, true) => format!("another finding doubts the record at {record}"),
            (None, false) => continue,
        };
        if fix.safe {
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
        let texts = std::iter::once(finding.location.span)
            .chain(finding.related.iter().map(|related| related.span))
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
