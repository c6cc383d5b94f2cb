//! Partial dates: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
//!
//! Governance records often only know the year or month something happened
//! ("adopted in 2015"), so dates keep the precision they were written with.
//! Comparisons and arithmetic work at the coarser precision of the operands
//! and never invent a day or month that the record did not state.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};

const MIN_YEAR: i32 = 1;
const MAX_YEAR: i32 = 9999;

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A date known to the year, the month or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    inner: Inner,
}

// Day precision holds a `NaiveDate` so a stored day is always a real one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Inner {
    Year(i32),
    Month(i32, u32),
    Day(NaiveDate),
    /// Some day between two days, inclusive: what arithmetic gives where the
    /// calendar cannot say (six months after `2024`, two years after 29
    /// February). Written `FIRST/LAST`, as ISO 8601 writes an interval.
    Between(NaiveDate, NaiveDate),
}

/// Why a text or number is not a usable date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("`{text}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")]
    NotADate { text: String },
    #[error("year `{year}` is out of range {MIN_YEAR}-{MAX_YEAR}")]
    YearOutOfRange { year: String },
    #[error("month `{month}` is out of range 01-12 in `{text}`")]
    MonthOutOfRange { month: String, text: String },
    #[error("`{text}` is not a real day: {month_name} {year} has {days} days")]
    NoSuchDay {
        text: String,
        year: i32,
        month_name: &'static str,
        days: u8,
    },
}

impl PartialDate {
    /// Parses exactly `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; no trimming, no other forms.
    ///
    /// # Errors
    /// Any other shape, or a year, month or day that does not exist.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        if let Some(date) = Self::parse_well_formed(text) {
            return Ok(date);
        }
        let not_a_date = || DateError::NotADate {
            text: text.to_owned(),
        };
        let mut parts = text.split('-');
        let year_part = parts.next().ok_or_else(not_a_date)?;
        let month_part = parts.next();
        let day_part = parts.next();
        if parts.next().is_some() {
            return Err(not_a_date());
        }

        let year = digits(year_part, 4).ok_or_else(not_a_date)?;
        let month = month_part
            .map(|m| digits(m, 2).map(|value| (m, value)).ok_or_else(not_a_date))
            .transpose()?;
        let day = day_part
            .map(|d| digits(d, 2).ok_or_else(not_a_date))
            .transpose()?;

        let year = i32::try_from(year).map_err(|_| not_a_date())?;
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(DateError::YearOutOfRange {
                year: year_part.to_owned(),
            });
        }
        let Some((month_text, month)) = month else {
            return Ok(Self::of(Inner::Year(year)));
        };
        if !(1..=12).contains(&month) {
            return Err(DateError::MonthOutOfRange {
                month: month_text.to_owned(),
                text: text.to_owned(),
            });
        }
        let Some(day) = day else {
            return Ok(Self::of(Inner::Month(year, month)));
        };
        if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
            return Ok(Self::of(Inner::Day(date)));
        }
        let (month_name, days) = month_facts(year, month).ok_or_else(not_a_date)?;
        Err(DateError::NoSuchDay {
            text: text.to_owned(),
            year,
            month_name,
            days,
        })
    }

    /// The shapes records write, read by position: rules parse dates on every
    /// call, and splitting text is most of that. Anything else, every mistake
    /// included, is `None`, for [`Self::parse`] to say what is wrong.
    fn parse_well_formed(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        let dash_at = |at: usize| bytes.get(at).is_none_or(|&byte| byte == b'-');
        if !matches!(bytes.len(), 4 | 7 | 10) || !dash_at(4) || !dash_at(7) {
            return None;
        }
        let number = |from: usize, len: usize| digits(text.get(from..from + len)?, len);
        let year = i32::try_from(number(0, 4)?).ok()?;
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return None;
        }
        let inner = match bytes.len() {
            4 => Inner::Year(year),
            7 => Inner::Month(year, number(5, 2).filter(|month| (1..=12).contains(month))?),
            _ => Inner::Day(NaiveDate::from_ymd_opt(year, number(5, 2)?, number(8, 2)?)?),
        };
        Some(Self::of(inner))
    }

    /// Like [`Self::parse`], and also the `FIRST/LAST` form that date
    /// arithmetic gives where the calendar cannot name one day.
    ///
    /// # Errors
    /// As `parse`; both sides of `/` must be days, in order.
    pub fn parse_computed(text: &str) -> Result<Self, DateError> {
        if let Some(date) = Self::parse_well_formed(text) {
            return Ok(date);
        }
        let Some((first, last)) = text.split_once('/') else {
            return Self::parse(text);
        };
        match (Self::parse(first)?.inner, Self::parse(last)?.inner) {
            (Inner::Day(first), Inner::Day(last)) if first <= last => {
                Ok(Self::between(first, last))
            }
            _ => Err(DateError::NotADate {
                text: text.to_owned(),
            }),
        }
    }

    /// One day, or some day of a range of them.
    fn between(first: NaiveDate, last: NaiveDate) -> Self {
        Self::of(if first == last {
            Inner::Day(first)
        } else {
            Inner::Between(first, last)
        })
    }

    /// A year-precision date from a bare YAML integer.
    ///
    /// # Errors
    /// A year outside 1-9999.
    pub fn from_year(year: i64) -> Result<Self, DateError> {
        i32::try_from(year)
            .ok()
            .filter(|y| (MIN_YEAR..=MAX_YEAR).contains(y))
            .map(|y| Self::of(Inner::Year(y)))
            .ok_or_else(|| DateError::YearOutOfRange {
                year: year.to_string(),
            })
    }

    pub fn precision(&self) -> Precision {
        match self.inner {
            Inner::Year(_) => Precision::Year,
            Inner::Month(..) => Precision::Month,
            Inner::Day(_) | Inner::Between(..) => Precision::Day,
        }
    }

    pub fn year(&self) -> i32 {
        match self.inner {
            Inner::Year(y) | Inner::Month(y, _) => y,
            Inner::Day(d) | Inner::Between(d, _) => d.year(),
        }
    }

    pub fn month(&self) -> Option<u32> {
        match self.inner {
            Inner::Year(_) => None,
            Inner::Month(_, m) => Some(m),
            Inner::Day(d) | Inner::Between(d, _) => Some(d.month()),
        }
    }

    fn day(&self) -> Option<u32> {
        match self.inner {
            Inner::Day(d) | Inner::Between(d, _) => Some(d.day()),
            _ => None,
        }
    }

    /// Compare the days each may be, which for calendar dates is comparing at
    /// the coarser precision of the two. Equal = same or undecidable.
    pub fn compare(&self, other: &Self) -> Ordering {
        match (self.months(), other.months()) {
            (Some(months), Some(other_months)) => ranges_order(months, other_months),
            _ => ranges_order(
                (self.first_day(), self.last_day()),
                (other.first_day(), other.last_day()),
            ),
        }
    }

    /// The first and last month a date known only to the year or the month
    /// may be in (as [`month_index`]); `None` for a date known to the day.
    /// Months order as their days do, and cost no calendar to build.
    fn months(&self) -> Option<(i64, i64)> {
        match self.inner {
            Inner::Year(year) => Some((month_index(year, 1), month_index(year, 12))),
            Inner::Month(year, month) => Some((month_index(year, month), month_index(year, month))),
            Inner::Day(_) | Inner::Between(..) => None,
        }
    }

    /// As [`Self::add_months`]: 29 February plus a year is 28 February or 1
    /// March. None if out of year range.
    pub fn add_years(&self, years: i64) -> Option<Self> {
        self.add_months(years.checked_mul(12)?)
    }

    /// At the date's own precision where the calendar allows; otherwise the
    /// range of days it may be: six months after `2024` is some day from
    /// 2024-07-01 to 2025-07-01, and a day missing from the target month (31
    /// March plus a month) is its last day or the first of the next.
    pub fn add_months(&self, months: i64) -> Option<Self> {
        let shifted = match self.inner {
            Inner::Year(y) if months % 12 == 0 => {
                Inner::Year(i32::try_from(i64::from(y).checked_add(months / 12)?).ok()?)
            }
            Inner::Year(_) | Inner::Between(..) => {
                let (first, _) = shift_day(self.first_day(), months)?;
                let (_, last) = shift_day(self.last_day(), months)?;
                Self::between(first, last).inner
            }
            Inner::Month(y, m) => {
                let index = month_index(y, m).checked_add(months)?;
                let year = i32::try_from(index.div_euclid(12)).ok()?;
                let month = u32::try_from(index.rem_euclid(12) + 1).ok()?;
                // Its last day may fall past the target month (29 February
                // 2016 plus two years may be 1 March 2018).
                let (_, last) = shift_day(self.last_day(), months)?;
                if last.month() == month {
                    Inner::Month(year, month)
                } else {
                    Self::between(shift_day(self.first_day(), months)?.0, last).inner
                }
            }
            Inner::Day(d) => {
                let (first, last) = shift_day(d, months)?;
                Self::between(first, last).inner
            }
        };
        let shifted = Self::of(shifted);
        (MIN_YEAR..=MAX_YEAR)
            .contains(&shifted.year())
            .then_some(shifted)
    }

    /// Whole calendar months from self to other at the coarser precision
    /// (year precision: 12 * year difference; day precision: months, rounding toward zero
    /// when the day-of-month of `other` is before that of self). May be negative.
    pub fn months_until(&self, other: &Self) -> i64 {
        let precision = self.precision().min(other.precision());
        if precision == Precision::Year {
            return 12 * (i64::from(other.year()) - i64::from(self.year()));
        }
        let months = month_index(other.year(), other.month().unwrap_or(1))
            - month_index(self.year(), self.month().unwrap_or(1));
        if precision == Precision::Month {
            return months;
        }
        // A month is only complete once the same day-of-month is reached again.
        let (from_day, to_day) = (self.day().unwrap_or(1), other.day().unwrap_or(1));
        if months > 0 && to_day < from_day {
            months - 1
        } else if months < 0 && to_day > from_day {
            months + 1
        } else {
            months
        }
    }

    /// The span from self to other in words, at the coarser precision:
    /// "2 years", "1 year and 1 month", "0 months", "1 year, 2 months and 3 days".
    /// Days appear only when both dates are known to the day. Negative spans: "minus ...".
    pub fn span_text(&self, other: &Self) -> String {
        if self.compare(other) == Ordering::Greater {
            return format!("minus {}", other.span_text(self));
        }
        let months = self.months_until(other);
        let days = match (self.inner, other.inner) {
            (Inner::Day(from), Inner::Day(to)) => {
                shift_months(from, months).map_or(0, |anchor| (to - anchor).num_days())
            }
            _ => 0,
        };
        let parts: Vec<String> = [(months / 12, "year"), (months % 12, "month"), (days, "day")]
            .into_iter()
            .filter(|(n, _)| *n != 0)
            .map(|(n, unit)| plural(n, unit))
            .collect();
        match parts.as_slice() {
            [] => {
                let unit = match self.precision().min(other.precision()) {
                    Precision::Year => "year",
                    Precision::Month => "month",
                    Precision::Day => "day",
                };
                plural(0, unit)
            }
            [only] => only.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        }
    }

    /// The first day the date may be: `2018` is on or after 2018-01-01.
    pub fn first_day(&self) -> NaiveDate {
        let (year, month, day) = match self.inner {
            Inner::Day(date) | Inner::Between(date, _) => return date,
            Inner::Month(year, month) => (year, month, 1),
            Inner::Year(year) => (year, 1, 1),
        };
        NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
    }

    /// The last day the date may be: `2018-02` is on or before 2018-02-28.
    pub fn last_day(&self) -> NaiveDate {
        match self.inner {
            Inner::Day(date) | Inner::Between(_, date) => date,
            Inner::Month(year, month) => month_facts(year, month)
                .and_then(|(_, days)| NaiveDate::from_ymd_opt(year, month, u32::from(days)))
                .unwrap_or(NaiveDate::MAX),
            Inner::Year(year) => NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX),
        }
    }

    /// Whether every day the date may be is on or after every day `other` may be.
    pub fn certainly_on_or_after(&self, other: &Self) -> bool {
        match (self.months(), other.months()) {
            // A month's first day is before its own last day, after any earlier month's.
            (Some((first, _)), Some((_, other_last))) => first > other_last,
            _ => self.first_day() >= other.last_day(),
        }
    }

    /// A total order for sorting (year, then month or 0, then day or 0, then precision).
    pub fn sort_key(&self) -> (i32, u32, u32, Precision) {
        (
            self.year(),
            self.month().unwrap_or(0),
            self.day().unwrap_or(0),
            self.precision(),
        )
    }

    fn of(inner: Inner) -> Self {
        Self { inner }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.inner {
            Inner::Year(y) => write!(f, "{y:04}"),
            Inner::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            Inner::Day(d) => write_day(f, d),
            Inner::Between(first, last) => {
                write_day(f, first)?;
                f.write_str("/")?;
                write_day(f, last)
            }
        }
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

/// The value of exactly `len` ASCII digits (`str::parse` alone would accept a sign).
fn digits(text: &str, len: usize) -> Option<u32> {
    if text.len() != len {
        return None;
    }
    text.bytes().try_fold(0, |value: u32, byte| {
        let digit = byte.is_ascii_digit().then(|| u32::from(byte - b'0'))?;
        value.checked_mul(10)?.checked_add(digit)
    })
}

/// How two ranges lie: one wholly before the other, wholly after, or else
/// overlapping (equal).
fn ranges_order<T: Ord>((first, last): (T, T), (other_first, other_last): (T, T)) -> Ordering {
    if last < other_first {
        Ordering::Less
    } else if first > other_last {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

/// Months since year 0, so month arithmetic is plain integer arithmetic.
fn month_index(year: i32, month: u32) -> i64 {
    i64::from(year) * 12 + i64::from(month) - 1
}

/// Chrono's month shift, which clamps to the last day of a shorter month.
fn write_day(f: &mut fmt::Formatter<'_>, day: NaiveDate) -> fmt::Result {
    write!(f, "{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
}

/// A day shifted by whole months: one day, or, when the target month lacks
/// it, its last day and the first of the next (calendars count both ways).
fn shift_day(date: NaiveDate, months: i64) -> Option<(NaiveDate, NaiveDate)> {
    let shifted = shift_months(date, months)?;
    if shifted.day() == date.day() {
        Some((shifted, shifted))
    } else {
        Some((shifted, shifted.succ_opt()?))
    }
}

fn shift_months(date: NaiveDate, months: i64) -> Option<NaiveDate> {
    let step = Months::new(u32::try_from(months.unsigned_abs()).ok()?);
    if months >= 0 {
        date.checked_add_months(step)
    } else {
        date.checked_sub_months(step)
    }
}

/// English name and length of a month.
fn month_facts(year: i32, month: u32) -> Option<(&'static str, u8)> {
    let month = chrono::Month::try_from(u8::try_from(month).ok()?).ok()?;
    Some((month.name(), month.num_days(year)?))
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(text: &str) -> PartialDate {
        PartialDate::parse(text).unwrap()
    }

    fn err(text: &str) -> String {
        PartialDate::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn each_form_parses_and_round_trips() {
        for (text, precision) in [
            ("2015", Precision::Year),
            ("2015-09", Precision::Month),
            ("2015-09-28", Precision::Day),
            ("2024-02-29", Precision::Day),
            ("0001", Precision::Year),
        ] {
            let date = d(text);
            assert_eq!(date.precision(), precision);
            assert_eq!(date.to_string(), text);
            assert_eq!(text.parse::<PartialDate>().unwrap(), date);
        }
        assert_eq!(d("2015-09").year(), 2015);
        assert_eq!(d("2015-09").month(), Some(9));
        assert_eq!(d("2015").month(), None);
    }

    #[test]
    fn from_year_accepts_range_only() {
        assert_eq!(PartialDate::from_year(2015).unwrap(), d("2015"));
        assert_eq!(
            PartialDate::from_year(0).unwrap_err().to_string(),
            "year `0` is out of range 1-9999"
        );
        assert_eq!(
            PartialDate::from_year(10_000).unwrap_err().to_string(),
            "year `10000` is out of range 1-9999"
        );
        assert!(PartialDate::from_year(i64::MIN).is_err());
    }

    #[test]
    fn bad_inputs_are_rejected_with_clear_messages() {
        assert_eq!(
            err("2023-02-30"),
            "`2023-02-30` is not a real day: February 2023 has 28 days"
        );
        assert_eq!(
            err("2024-04-31"),
            "`2024-04-31` is not a real day: April 2024 has 30 days"
        );
        assert_eq!(
            err("2024-01-00"),
            "`2024-01-00` is not a real day: January 2024 has 31 days"
        );
        assert_eq!(
            err("2015-13"),
            "month `13` is out of range 01-12 in `2015-13`"
        );
        assert_eq!(
            err("2015-00"),
            "month `00` is out of range 01-12 in `2015-00`"
        );
        assert_eq!(err("0000"), "year `0000` is out of range 1-9999");
        for text in [
            "2015-9",
            "15",
            "2015-09-28T10:00",
            "abc",
            "",
            " 2015",
            "2015 ",
            "+201",
            "-2015",
            "2015-",
            "2015-09-28-01",
            "20150",
            "２０１５",
        ] {
            assert_eq!(
                err(text),
                format!("`{text}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
            );
        }
    }

    #[test]
    fn compare_uses_coarser_precision() {
        assert_eq!(d("2015").compare(&d("2015-09")), Ordering::Equal);
        assert_eq!(d("2015-09").compare(&d("2015-10")), Ordering::Less);
        assert_eq!(d("2017").compare(&d("2017-09-01")), Ordering::Equal);
        assert_eq!(d("2016-12").compare(&d("2017")), Ordering::Less);
        assert_eq!(d("2017-09-02").compare(&d("2017-09")), Ordering::Equal);
        assert_eq!(d("2017-09-02").compare(&d("2017-09-01")), Ordering::Greater);
    }

    /// A shifted date as text, `FIRST/LAST` for a range of days.
    fn shifted(text: &str, months: i64) -> String {
        d(text)
            .add_months(months)
            .map_or_else(|| "none".to_owned(), |date| date.to_string())
    }

    #[test]
    fn add_years_keeps_precision_and_leaves_feb_29_open() {
        assert_eq!(shifted("2024-02-29", 12), "2025-02-28/2025-03-01");
        let next = d("2024-02-29").add_years(1);
        assert_eq!(
            next.map(|date| date.compare(&d("2025-03-01"))),
            Some(Ordering::Equal)
        );
        assert_eq!(
            next.map(|date| date.compare(&d("2025-03-02"))),
            Some(Ordering::Less)
        );
        assert_eq!(d("2024-02-29").add_years(4), Some(d("2028-02-29")));
        assert_eq!(d("2015").add_years(2), Some(d("2017")));
        assert_eq!(d("2015-09").add_years(-1), Some(d("2014-09")));
        assert_eq!(d("9999").add_years(1), None);
        assert_eq!(d("0001-01-01").add_years(-1), None);
        assert_eq!(d("2015").add_years(i64::MAX), None);
    }

    #[test]
    fn add_months_by_precision() {
        assert_eq!(shifted("2015-10", 3), "2016-01");
        // Some day of November, plus three months: 30 November gives 29
        // February or 1 March.
        assert_eq!(shifted("2015-11", 3), "2016-02-01/2016-03-01");
        assert_eq!(shifted("2016-02", 24), "2018-02-01/2018-03-01");
        assert_eq!(shifted("2015-01", -1), "2014-12");
        assert_eq!(shifted("2015-01-31", 1), "2015-02-28/2015-03-01");
        assert_eq!(shifted("2015", 24), "2017");
        assert_eq!(shifted("2024", 6), "2024-07-01/2025-07-01");
        let half = d("2024").add_months(6);
        assert_eq!(
            half.and_then(|date| PartialDate::parse_computed(&date.to_string()).ok()),
            half
        );
        assert_eq!(
            half.map(|date| date.compare(&d("2024-06"))),
            Some(Ordering::Greater)
        );
        assert_eq!(
            half.map(|date| date.compare(&d("2025"))),
            Some(Ordering::Equal)
        );
        assert_eq!(d("9999-12").add_months(1), None);
        assert_eq!(d("2015-01-31").add_months(i64::MIN), None);
    }

    #[test]
    fn months_until_at_coarser_precision() {
        assert_eq!(d("2015").months_until(&d("2017")), 24);
        assert_eq!(d("2015-09").months_until(&d("2017-10")), 25);
        assert_eq!(d("2015").months_until(&d("2017-10")), 24);
        assert_eq!(d("2017-10").months_until(&d("2015-09")), -25);
        assert_eq!(d("2015-09-28").months_until(&d("2015-10-27")), 0);
        assert_eq!(d("2015-09-28").months_until(&d("2015-10-28")), 1);
        assert_eq!(d("2015-10-28").months_until(&d("2015-09-29")), 0);
        assert_eq!(d("2015-10-28").months_until(&d("2015-09-28")), -1);
        assert_eq!(d("2015-09-28").months_until(&d("2016-09")), 12);
    }

    #[test]
    fn span_text_in_words() {
        assert_eq!(d("2015").span_text(&d("2017")), "2 years");
        assert_eq!(d("2015-09").span_text(&d("2017-10")), "2 years and 1 month");
        assert_eq!(d("2015-09").span_text(&d("2016-09-30")), "1 year");
        assert_eq!(d("2015-09").span_text(&d("2015-12")), "3 months");
        assert_eq!(d("2015-09").span_text(&d("2015-09-30")), "0 months");
        assert_eq!(
            d("2015-09-28").span_text(&d("2016-11-30")),
            "1 year, 2 months and 2 days"
        );
        assert_eq!(
            d("2015-01-31").span_text(&d("2015-03-01")),
            "1 month and 1 day"
        );
        assert_eq!(d("2017").span_text(&d("2015")), "minus 2 years");
        assert_eq!(d("2015-09-28").span_text(&d("2015-09-28")), "0 days");
    }

    #[test]
    fn sort_key_orders_coarse_before_fine() {
        let mut dates = [
            d("2016"),
            d("2015-09-28"),
            d("2015-09"),
            d("2015"),
            d("2015-10"),
            d("2015-09-01"),
        ];
        dates.sort_by_key(PartialDate::sort_key);
        let texts: Vec<String> = dates.iter().map(ToString::to_string).collect();
        assert_eq!(
            texts,
            [
                "2015",
                "2015-09",
                "2015-09-01",
                "2015-09-28",
                "2015-10",
                "2016"
            ]
        );
    }
}
