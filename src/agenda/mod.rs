//! The agenda: what the rules require next, as dated entries. Evidence that
//! fell due and is not recorded comes first (overdue), then every obligation
//! that falls due after the evaluation date up to a horizon, and the waivers
//! that expire in it, in date order. Rendered for people (`human`), machines
//! (`json`) and calendars (`ics`).
//!
//! May import `base`, `load`, `document`, `pack` and `check`.

pub mod human;
pub mod ics;
pub mod json;

use crate::base::date::{PartialDate, Precision};
use crate::base::finding::Finding;
use crate::check::Checked;

/// Whether an entry's date has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Due on or before the evaluation date, and not recorded.
    Overdue,
    /// Due after the evaluation date (or on a date it cannot place).
    Upcoming,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Self::Overdue => "overdue",
            Self::Upcoming => "upcoming",
        }
    }
}

/// One obligation of the records, with the finding it is (overdue) or will be.
#[derive(Debug, Clone)]
pub struct Entry {
    pub due: PartialDate,
    pub status: Status,
    pub finding: Finding,
}

/// The agenda of one file.
#[derive(Debug, Clone)]
pub struct Agenda {
    pub file: String,
    pub as_of: String,
    pub until: PartialDate,
    pub entries: Vec<Entry>,
}

/// How many years after the evaluation date an agenda looks by default.
pub const DEFAULT_YEARS: i64 = 2;

impl Agenda {
    /// The agenda of a checked file: its findings of missing evidence that
    /// carry a due date and no waiver, then the obligations due up to `until`.
    pub fn of(checked: &Checked, as_of: &str, until: PartialDate) -> Self {
        let overdue = checked
            .report
            .findings
            .iter()
            .filter(|finding| finding.waived.is_none())
            .filter_map(|finding| {
                let due = PartialDate::parse_computed(finding.due.as_deref()?).ok()?;
                Some(Entry {
                    due,
                    status: Status::Overdue,
                    finding: finding.clone(),
                })
            });
        let upcoming = checked.obligations.iter().filter_map(|obligation| {
            let due = PartialDate::parse_computed(&obligation.due).ok()?;
            (due.first_day() <= until.last_day()).then(|| Entry {
                due,
                status: Status::Upcoming,
                finding: obligation.finding.clone(),
            })
        });
        let mut entries: Vec<Entry> = overdue.chain(upcoming).collect();
        entries.sort_by(|a, b| {
            a.status
                .cmp(&b.status)
                .then_with(|| a.due.first_day().cmp(&b.due.first_day()))
                .then_with(|| a.due.last_day().cmp(&b.due.last_day()))
                .then_with(|| a.finding.sort_key().cmp(&b.finding.sort_key()))
        });
        entries.dedup_by(|a, b| {
            a.status == b.status
                && a.due == b.due
                && a.finding.rule == b.finding.rule
                && a.finding.document_pointer == b.finding.document_pointer
                && a.finding.message == b.finding.message
        });
        Self {
            file: checked.report.source.name().to_owned(),
            as_of: as_of.to_owned(),
            until,
            entries,
        }
    }
}

/// "on 2017-09-01", "in 2017-09", "in 2017"; a range of days "between A and B".
pub fn when(due: &PartialDate) -> String {
    if due.to_string().contains('/') {
        return format!("between {} and {}", due.first_day(), due.last_day());
    }
    match due.precision() {
        Precision::Day => format!("on {due}"),
        Precision::Month | Precision::Year => format!("in {due}"),
    }
}
