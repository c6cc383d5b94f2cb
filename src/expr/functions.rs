//! The general functions rule conditions may call: partial dates, intervals,
//! lookups, ordering, neighbours, year ranges and counting. None of them knows
//! what the records describe.

use super::budget::charge;
use super::compare::{contains, order};
use super::value::{Call, Entries, Key, List, Result, Table, Value};
use crate::base::date::PartialDate;
use chrono::Datelike;
use std::cmp::Ordering;
use std::sync::Arc;

/// The largest list `years` builds, so a hostile range cannot exhaust memory.
const MAX_YEARS: i64 = 10_000;

/// The functions implemented here, by name: the language's own (its macros are
/// known names, reached only with arguments that do not fit them), then
/// govlint's. Found once per call when an expression is built (see `library`).
const FUNCTIONS: &[(&str, Call)] = &[
    ("contains", text_test),
    ("size", |name, args| size(unary(name, args)?)),
    ("max", |name, args| extreme(name, args, Ordering::Greater)),
    ("min", |name, args| extreme(name, args, Ordering::Less)),
    ("startsWith", text_test),
    ("endsWith", text_test),
    ("string", |name, args| string(unary(name, args)?.clone())),
    ("double", |name, args| double(unary(name, args)?)),
    ("int", |name, args| int(unary(name, args)?)),
    ("uint", |name, args| uint(unary(name, args)?)),
    ("has", misfit),
    ("all", misfit),
    ("exists", misfit),
    ("exists_one", misfit),
    ("map", misfit),
    ("filter", misfit),
    ("is_date", |name, args| {
        Ok(Value::Bool(date_of(unary(name, args)?).is_some()))
    }),
    ("date_cmp", |name, args| binary(name, args, date_cmp)),
    ("before", |name, args| {
        dates(name, args, |a, b| ordering(a, b) == Some(Ordering::Less))
    }),
    ("after", |name, args| {
        dates(name, args, |a, b| ordering(a, b) == Some(Ordering::Greater))
    }),
    ("same_date", |name, args| {
        dates(name, args, |a, b| ordering(a, b) == Some(Ordering::Equal))
    }),
    // Certainly / possibly: every day `a` may be against every day `b` may be.
    ("on_or_after", |name, args| {
        dates(name, args, |a, b| {
            known(a, b, |a, b| a.certainly_on_or_after(b))
        })
    }),
    ("on_or_before", |name, args| {
        dates(name, args, |a, b| {
            known(a, b, |a, b| b.certainly_on_or_after(a))
        })
    }),
    ("maybe_before", |name, args| {
        dates(name, args, |a, b| {
            known(a, b, |a, b| !a.certainly_on_or_after(b))
        })
    }),
    ("maybe_after", |name, args| {
        dates(name, args, |a, b| {
            known(a, b, |a, b| !b.certainly_on_or_after(a))
        })
    }),
    ("first_day", |name, args| first_day(unary(name, args)?)),
    ("year", |name, args| year(unary(name, args)?)),
    ("add_years", |name, args| match args {
        [d, Value::Int(n)] => shift(d, |date| date.add_years(*n)),
        _ => misfit(name, args),
    }),
    ("add_months", |name, args| match args {
        [d, Value::Int(n)] => shift(d, |date| date.add_months(*n)),
        _ => misfit(name, args),
    }),
    ("months_between", |name, args| {
        binary(name, args, months_between)
    }),
    ("span", |name, args| binary(name, args, span)),
    ("may_contain", |name, args| match args {
        [start, end, date] => may_contain(start, end, date),
        _ => misfit(name, args),
    }),
    ("must_contain", |name, args| match args {
        [start, end, date] => must_contain(start, end, date),
        _ => misfit(name, args),
    }),
    ("overlaps", |name, args| match args {
        [s1, e1, s2, e2] => overlaps(s1, e1, s2, e2),
        _ => misfit(name, args),
    }),
    ("index_by", |name, args| by_field(name, args, index_by)),
    ("get", |name, args| match args {
        [container, key, default] => get(container, key, default),
        _ => misfit(name, args),
    }),
    ("sort_by", |name, args| by_field(name, args, sort_by)),
    ("pairs", |name, args| {
        pairs(list_arg(name, unary(name, args)?)?)
    }),
    ("years", |name, args| binary(name, args, years)),
    ("count_by", |name, args| {
        count_by(list_arg(name, unary(name, args)?)?)
    }),
    ("group_by", |name, args| by_field(name, args, group_by)),
    ("pointer", |_, args| pointer(args)),
    ("first", |name, args| {
        Ok(list_arg(name, unary(name, args)?)?
            .first()
            .unwrap_or(Value::Null))
    }),
    ("last", |name, args| {
        Ok(list_arg(name, unary(name, args)?)?
            .last()
            .unwrap_or(Value::Null))
    }),
    ("duplicates", |name, args| {
        duplicates(list_arg(name, unary(name, args)?)?)
    }),
    ("precision", |name, args| precision(unary(name, args)?)),
    ("flatten", |name, args| {
        flatten(list_arg(name, unary(name, args)?)?)
    }),
    ("indexed", |name, args| {
        indexed(list_arg(name, unary(name, args)?)?)
    }),
    ("by_year", |_, args| by_year(args)),
    ("closest", closest),
];

pub fn is_known(name: &str) -> bool {
    FUNCTIONS.iter().any(|(known, _)| *known == name)
}

pub fn known_names() -> impl Iterator<Item = &'static str> {
    FUNCTIONS.iter().map(|(name, _)| *name)
}

/// The function `name`, or one that reports it unknown.
pub fn find(name: &str) -> Call {
    FUNCTIONS
        .iter()
        .find(|(known, _)| *known == name)
        .map_or(unknown, |(_, function)| *function)
}

fn unknown<'a>(name: &str, _: &[Value<'a>]) -> Result<Value<'a>> {
    Err(format!("unknown function `{name}`"))
}

/// Arguments a known function does not take.
fn misfit<'a>(name: &str, args: &[Value<'a>]) -> Result<Value<'a>> {
    Err(format!(
        "{name}: these arguments do not fit ({}); see docs/rule-language.md",
        args.iter().map(Value::kind).collect::<Vec<_>>().join(", ")
    ))
}

fn unary<'v, 'a>(name: &str, args: &'v [Value<'a>]) -> Result<&'v Value<'a>> {
    match args {
        [value] => Ok(value),
        _ => Err(arity(name, 1)),
    }
}

fn binary<'a>(
    name: &str,
    args: &[Value<'a>],
    function: impl FnOnce(&Value<'a>, &Value<'a>) -> Result<Value<'a>>,
) -> Result<Value<'a>> {
    match args {
        [a, b] => function(a, b),
        _ => misfit(name, args),
    }
}

/// A test of two dates.
fn dates<'a>(
    name: &str,
    args: &[Value<'a>],
    test: impl FnOnce(&Value<'a>, &Value<'a>) -> bool,
) -> Result<Value<'a>> {
    binary(name, args, |a, b| Ok(Value::Bool(test(a, b))))
}

/// A function of a list and the name of its items' field.
fn by_field<'a>(
    name: &str,
    args: &[Value<'a>],
    function: fn(&List<'a>, &str) -> Result<Value<'a>>,
) -> Result<Value<'a>> {
    match args {
        [list, Value::Str(field)] => function(list_arg(name, list)?, field),
        _ => misfit(name, args),
    }
}

fn arity(function: &str, count: usize) -> String {
    format!("{function}: takes {count} argument(s)")
}

fn list_arg<'v, 'a>(function: &str, value: &'v Value<'a>) -> Result<&'v List<'a>> {
    match value {
        Value::List(list) => Ok(list),
        other => Err(fail(
            function,
            format!("needs a list, not {}", other.a_kind()),
        )),
    }
}

fn fail(function: &str, message: impl std::fmt::Display) -> String {
    format!("{function}: {message}")
}

/// The size of a text (in characters), a list or a mapping.
fn size<'a>(value: &Value<'a>) -> Result<Value<'a>> {
    let size = match value {
        Value::Str(text) => text.chars().count(),
        Value::List(list) => list.len(),
        Value::Map(map) => map.len(),
        other => return Err(fail("size", format!("{} has no size", other.a_kind()))),
    };
    Ok(Value::Int(i64::try_from(size).unwrap_or(i64::MAX)))
}

/// `text.contains(part)`, `text.startsWith(part)`, `text.endsWith(part)`; and
/// `list.contains(item)`, `mapping.contains(key)`.
fn text_test<'a>(name: &str, args: &[Value<'a>]) -> Result<Value<'a>> {
    let found = match (name, args) {
        ("contains", [Value::Str(text), Value::Str(part)]) => text.contains(&**part),
        ("startsWith", [Value::Str(text), Value::Str(part)]) => text.starts_with(&**part),
        ("endsWith", [Value::Str(text), Value::Str(part)]) => text.ends_with(&**part),
        ("contains", [container, item]) => contains(container, item)?,
        _ => return Err(fail(name, "takes a text and a text to look for")),
    };
    Ok(Value::Bool(found))
}

fn string(value: Value) -> Result<Value> {
    match value {
        text @ Value::Str(_) => Ok(text),
        Value::Int(_) | Value::UInt(_) | Value::Float(_) | Value::Bool(_) => {
            Ok(Value::text(value.display()))
        }
        other => Err(fail(
            "string",
            format!("cannot make text of {}", other.a_kind()),
        )),
    }
}

/// `value` as another type, or an error saying what it could not become.
fn convert<'a>(
    function: &str,
    what: &str,
    value: &Value<'a>,
    conversion: impl FnOnce(&Value<'a>) -> Option<Value<'a>>,
) -> Result<Value<'a>> {
    conversion(value).ok_or_else(|| {
        fail(
            function,
            format!("cannot make {what} of {}", value.display()),
        )
    })
}

/// Floats are truncated toward zero, within range.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
fn int<'a>(value: &Value<'a>) -> Result<Value<'a>> {
    convert("int", "an integer", value, |value| {
        match value {
            Value::Int(number) => Some(*number),
            Value::UInt(number) => i64::try_from(*number).ok(),
            Value::Float(number) if number.is_finite() && number.abs() < i64::MAX as f64 => {
                Some(number.trunc() as i64)
            }
            Value::Str(text) => text.parse().ok(),
            _ => None,
        }
        .map(Value::Int)
    })
}

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
fn uint<'a>(value: &Value<'a>) -> Result<Value<'a>> {
    convert("uint", "an unsigned integer", value, |value| {
        match value {
            Value::UInt(number) => Some(*number),
            Value::Int(number) => u64::try_from(*number).ok(),
            Value::Float(number)
                if number.is_finite() && *number >= 0.0 && *number < u64::MAX as f64 =>
            {
                Some(number.trunc() as u64)
            }
            Value::Str(text) => text.parse().ok(),
            _ => None,
        }
        .map(Value::UInt)
    })
}

#[allow(clippy::cast_precision_loss)]
fn double<'a>(value: &Value<'a>) -> Result<Value<'a>> {
    convert("double", "a number", value, |value| {
        match value {
            Value::Float(number) => Some(*number),
            Value::Int(number) => Some(*number as f64),
            Value::UInt(number) => Some(*number as f64),
            Value::Str(text) => text.parse().ok(),
            _ => None,
        }
        .map(Value::Float)
    })
}

/// The greatest (or least) of the arguments, or of the items of one list argument.
fn extreme<'a>(name: &str, args: &[Value<'a>], wanted: Ordering) -> Result<Value<'a>> {
    let candidates = match args {
        [Value::List(list)] => list.to_vec(),
        _ => args.to_vec(),
    };
    let mut best: Option<Value<'a>> = None;
    for candidate in candidates {
        best = Some(match best {
            None => candidate,
            Some(current) => match order(&candidate, &current) {
                Some(ordering) if ordering == wanted => candidate,
                Some(_) => current,
                None => {
                    return Err(fail(
                        name,
                        format!(
                            "cannot compare {} with {}",
                            candidate.a_kind(),
                            current.a_kind()
                        ),
                    ));
                }
            },
        });
    }
    best.ok_or_else(|| fail(name, "needs at least one value"))
}

/// A partial date from a string or an integer year; anything else is not a date.
fn date_of(value: &Value) -> Option<PartialDate> {
    match value {
        Value::Str(text) => PartialDate::parse_computed(text).ok(),
        Value::Int(year) => PartialDate::from_year(*year).ok(),
        _ => None,
    }
}

/// A date argument: null stays absent, a non-date is the rule author's error.
fn date_arg(function: &str, value: &Value) -> Result<Option<PartialDate>> {
    match value {
        Value::Null => Ok(None),
        other => date_of(other)
            .map(Some)
            .ok_or_else(|| fail(function, format!("`{}` is not a date", other.display()))),
    }
}

/// Comparison at the coarser precision; `None` when either side is absent or not a date.
fn ordering(a: &Value, b: &Value) -> Option<Ordering> {
    Some(date_of(a)?.compare(&date_of(b)?))
}

/// `test` of two dates; false when either is absent or not a date.
fn known(a: &Value, b: &Value, test: impl Fn(&PartialDate, &PartialDate) -> bool) -> bool {
    date_of(a)
        .zip(date_of(b))
        .is_some_and(|(a, b)| test(&a, &b))
}

/// The first day a date may be (`2018` → `2018-01-01`), so that a coarse date
/// can stand for "from the start of that period"; null stays null.
fn first_day<'a>(value: &Value) -> Result<Value<'a>> {
    Ok(date_arg("first_day", value)?.map_or(Value::Null, |date| {
        Value::text(date.first_day().format("%Y-%m-%d").to_string())
    }))
}

fn date_cmp<'a>(a: &Value, b: &Value) -> Result<Value<'a>> {
    let (Some(a), Some(b)) = (date_arg("date_cmp", a)?, date_arg("date_cmp", b)?) else {
        return Ok(Value::Null);
    };
    Ok(Value::Int(match a.compare(&b) {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }))
}

fn year<'a>(value: &Value) -> Result<Value<'a>> {
    // A computed range of days across a new year has no one year.
    Ok(date_arg("year", value)?
        .filter(|date| date.first_day().year() == date.last_day().year())
        .map_or(Value::Null, |date| Value::Int(i64::from(date.year()))))
}

fn shift<'a>(value: &Value, by: impl Fn(&PartialDate) -> Option<PartialDate>) -> Result<Value<'a>> {
    match date_arg("shift", value)? {
        None => Ok(Value::Null),
        Some(date) => by(&date)
            .map(|shifted| Value::text(shifted.to_string()))
            .ok_or_else(|| {
                fail(
                    "shift",
                    format!("`{date}` cannot be shifted that far at its precision"),
                )
            }),
    }
}

fn months_between<'a>(a: &Value, b: &Value) -> Result<Value<'a>> {
    let (Some(a), Some(b)) = (
        date_arg("months_between", a)?,
        date_arg("months_between", b)?,
    ) else {
        return Ok(Value::Null);
    };
    Ok(Value::Int(a.months_until(&b)))
}

fn span<'a>(a: &Value, b: &Value) -> Result<Value<'a>> {
    let (Some(a), Some(b)) = (date_arg("span", a)?, date_arg("span", b)?) else {
        return Ok(Value::text("an unknown time"));
    };
    Ok(Value::text(a.span_text(&b)))
}

/// `[start, end)` possibly holds `date`: nothing known rules it out. A null end is open.
fn may_contain<'a>(start: &Value, end: &Value, date: &Value) -> Result<Value<'a>> {
    let (Some(start), Some(date)) = (
        date_arg("may_contain", start)?,
        date_arg("may_contain", date)?,
    ) else {
        return Ok(Value::Bool(false));
    };
    let before_start = date.compare(&start) == Ordering::Less;
    let at_or_after_end = match date_arg("may_contain", end)? {
        Some(end) => date.certainly_on_or_after(&end),
        None => false,
    };
    Ok(Value::Bool(!before_start && !at_or_after_end))
}

/// `[start, end)` certainly holds `date` at the precision recorded.
fn must_contain<'a>(start: &Value, end: &Value, date: &Value) -> Result<Value<'a>> {
    let (Some(start), Some(date)) = (
        date_arg("must_contain", start)?,
        date_arg("must_contain", date)?,
    ) else {
        return Ok(Value::Bool(false));
    };
    let before_end = match date_arg("must_contain", end)? {
        Some(end) => date.compare(&end) == Ordering::Less,
        None => true,
    };
    Ok(Value::Bool(
        date.certainly_on_or_after(&start) && before_end,
    ))
}

/// Two half-open intervals certainly share some time. Null ends are open.
fn overlaps<'a>(
    start_a: &Value,
    end_a: &Value,
    start_b: &Value,
    end_b: &Value,
) -> Result<Value<'a>> {
    let starts_before = |start: &Value, end: &Value| -> Result<bool> {
        Ok(
            match (date_arg("overlaps", start)?, date_arg("overlaps", end)?) {
                (Some(start), Some(end)) => start.compare(&end) == Ordering::Less,
                (Some(_), None) => true,
                (None, _) => false,
            },
        )
    };
    Ok(Value::Bool(
        starts_before(start_b, end_a)? && starts_before(start_a, end_b)?,
    ))
}

fn key_of<'a>(function: &str, value: &Value<'a>) -> Result<Key<'a>> {
    value
        .as_key()
        .ok_or_else(|| fail(function, format!("{} cannot be a key", value.a_kind())))
}

/// A mapping from each item's `field` to the item; the first item wins on a repeated key.
fn index_by<'a>(list: &List<'a>, name: &str) -> Result<Value<'a>> {
    charge(list.len())?;
    let mut index = Entries::with_capacity_and_hasher(list.len(), Default::default());
    for item in list.iter() {
        if let Some(key) = item.field(name) {
            index.entry(key_of("index_by", &key)?).or_insert(item);
        }
    }
    Ok(Value::map(index))
}

/// `container[key]`, or `default` when there is no such entry (or index).
fn get<'a>(container: &Value<'a>, key: &Value<'a>, default: &Value<'a>) -> Result<Value<'a>> {
    let found = match (container, key) {
        (Value::Map(map), _) => map.get(&key_of("get", key)?),
        (Value::List(list), Value::Int(index)) => usize::try_from(*index)
            .ok()
            .and_then(|index| list.get(index)),
        (Value::Null, _) => None,
        (other, _) => {
            return Err(fail(
                "get",
                format!("cannot look up a key in {}", other.a_kind()),
            ));
        }
    };
    Ok(found.unwrap_or_else(|| default.clone()))
}

/// Natural order, with partial dates ordered as dates; incomparable values keep their order.
fn natural(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => match (date_of(a), date_of(b)) {
            (Some(a), Some(b)) => a.sort_key().cmp(&b.sort_key()),
            _ => order(a, b).unwrap_or(Ordering::Equal),
        },
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The list sorted by a field, stably; each field read once, not per comparison.
fn sort_by<'a>(list: &List<'a>, name: &str) -> Result<Value<'a>> {
    charge(list.len())?;
    let mut keyed: Vec<(Option<Value<'a>>, Value<'a>)> =
        list.iter().map(|item| (item.field(name), item)).collect();
    keyed.sort_by(|(a, _), (b, _)| natural(a.as_ref(), b.as_ref()));
    Ok(Value::list(
        keyed.into_iter().map(|(_, item)| item).collect(),
    ))
}

/// A computed record of named values.
fn record<'a, const N: usize>(fields: [(&'static str, Value<'a>); N]) -> Value<'a> {
    Value::map(
        fields
            .into_iter()
            .map(|(name, value)| (Key::Str(super::value::Text::Borrowed(name)), value))
            .collect(),
    )
}

/// Each item with its successor: `[{prev: a, next: b}, {prev: b, next: c}]`.
fn pairs<'a>(list: &List<'a>) -> Result<Value<'a>> {
    charge(list.len())?;
    let items = list.to_vec();
    let pairs = items
        .windows(2)
        .filter_map(|window| match window {
            [prev, next] => Some(record([("prev", prev.clone()), ("next", next.clone())])),
            _ => None,
        })
        .collect();
    Ok(Value::list(pairs))
}

/// The years `from..=to`, empty when `to < from`.
fn years<'a>(from: &Value, to: &Value) -> Result<Value<'a>> {
    let bound = |value: &Value| match value {
        Value::Int(year) => Ok(*year),
        other => date_arg("years", other)?
            .map(|date| i64::from(date.year()))
            .ok_or_else(|| fail("years", "a year range needs both ends")),
    };
    let (from, to) = (bound(from)?, bound(to)?);
    if to.saturating_sub(from) >= MAX_YEARS {
        return Err(fail(
            "years",
            format!("the range {from}..{to} is longer than {MAX_YEARS} years"),
        ));
    }
    charge(usize::try_from(to.saturating_sub(from)).unwrap_or(0))?;
    Ok(Value::list((from..=to).map(Value::Int).collect()))
}

/// How many times each key occurs in a list of keys.
fn count_by<'a>(keys: &List<'a>) -> Result<Value<'a>> {
    charge(keys.len())?;
    let mut counts = Entries::default();
    for key in keys.iter().filter(|key| !matches!(key, Value::Null)) {
        let count = counts
            .entry(key_of("count_by", &key)?)
            .or_insert(Value::Int(0));
        if let Value::Int(count) = count {
            *count += 1;
        }
    }
    Ok(Value::map(counts))
}

/// Items grouped under a key, each group in list order, built in place as the
/// mapping of lists it becomes.
#[derive(Default)]
struct Groups<'a>(Entries<'a>);

impl<'a> Groups<'a> {
    fn add(&mut self, key: Key<'a>, item: Value<'a>) {
        let group = self
            .0
            .entry(key)
            .or_insert_with(|| Value::list(Vec::with_capacity(1)));
        // Every value here is a list made just above, held nowhere else.
        if let Value::List(List::Computed(items)) = group {
            Arc::make_mut(items).push(item);
        }
    }

    fn into_value(mut self) -> Value<'a> {
        self.0.shrink_to_fit();
        Value::map(self.0)
    }
}

/// The items of a list grouped under their `field`, each group in list order.
fn group_by<'a>(list: &List<'a>, name: &str) -> Result<Value<'a>> {
    charge(list.len())?;
    let mut groups = Groups::default();
    for item in list.iter() {
        if let Some(key) = item.field(name) {
            groups.add(key_of("group_by", &key)?, item);
        }
    }
    Ok(groups.into_value())
}

/// `closest(text, names)`: the name a mistyped `text` most likely meant (a
/// close spelling, or a longer code of it: `LUX` for `LU`), or null.
fn closest<'a>(name: &str, args: &[Value<'a>]) -> Result<Value<'a>> {
    let [Value::Str(given), names] = args else {
        return misfit(name, args);
    };
    let names = list_arg(name, names)?;
    charge(names.len())?;
    let texts: Vec<String> = names
        .iter()
        .filter_map(|value| match value {
            Value::Str(text) => Some(text.to_string()),
            _ => None,
        })
        .collect();
    let lower = given.to_lowercase();
    // A longer code that starts with a name (an ISO alpha-3 code for its
    // alpha-2 one) is that name's; among several, the longest.
    let longer_code = texts
        .iter()
        .filter(|text| text.chars().count() >= 2 && lower.starts_with(&text.to_lowercase()))
        .max_by_key(|text| text.len());
    let found = longer_code
        .map(String::as_str)
        .or_else(|| crate::base::suggest::did_you_mean(given, texts.iter().map(String::as_str)));
    Ok(found.map_or(Value::Null, |text| Value::text(text.to_owned())))
}

/// The values that occur more than once, each once, in order of first occurrence.
fn duplicates<'a>(list: &List<'a>) -> Result<Value<'a>> {
    charge(list.len())?;
    let present = || list.iter().filter(|value| !matches!(value, Value::Null));
    let mut counts: Table<Key<'a>, usize> =
        Table::with_capacity_and_hasher(list.len(), Default::default());
    for value in present() {
        *counts.entry(key_of("duplicates", &value)?).or_insert(0) += 1;
    }
    let mut repeated = Vec::new();
    for value in present() {
        if let Some(count) = value
            .as_key()
            .and_then(|key| counts.get_mut(&key))
            .filter(|count| **count > 1)
        {
            *count = 0;
            repeated.push(value);
        }
    }
    Ok(Value::list(repeated))
}

/// `"year"`, `"month"` or `"day"`: how precisely a date is known.
fn precision<'a>(value: &Value) -> Result<Value<'a>> {
    Ok(date_arg("precision", value)?.map_or(Value::Null, |date| {
        Value::text(match date.precision() {
            crate::base::date::Precision::Year => "year",
            crate::base::date::Precision::Month => "month",
            crate::base::date::Precision::Day => "day",
        })
    }))
}

/// The items of a list of lists, in order (items that are not lists are kept as they are).
fn flatten<'a>(lists: &List<'a>) -> Result<Value<'a>> {
    charge(lists.len())?;
    let mut items = Vec::new();
    for value in lists.iter() {
        match value {
            Value::List(inner) => items.extend(inner.iter()),
            other => items.push(other),
        }
    }
    Ok(Value::list(items))
}

/// Each item with its position: `[{index: 0, value: a}, …]`, to point at list elements.
fn indexed<'a>(list: &List<'a>) -> Result<Value<'a>> {
    charge(list.len())?;
    let items = list
        .iter()
        .enumerate()
        .map(|(index, value)| {
            let index = i64::try_from(index).unwrap_or(i64::MAX);
            record([("index", Value::Int(index)), ("value", value)])
        })
        .collect();
    Ok(Value::list(items))
}

/// The most year entries `by_year` builds in all, so hostile intervals cannot exhaust memory.
const MAX_YEAR_ENTRIES: usize = 10_000_000;

/// An index of intervals by calendar year: each year an item's `[start, end]` touches
/// maps to the items, so "which items may hold this date" is a lookup, not a scan.
/// Items without an end run to `last_year`.
fn by_year<'a>(args: &[Value<'a>]) -> Result<Value<'a>> {
    let [Value::List(list), Value::Str(start), Value::Str(end), last] = args else {
        return Err(fail(
            "by_year",
            "takes a list, the start and end field names, and the last year",
        ));
    };
    let last_year = date_arg("by_year", last)?.map(|date| date.year());
    let mut index = Groups::default();
    let mut entries = 0usize;
    for item in list.iter() {
        let Some(from) = item.field(start).as_ref().and_then(date_of) else {
            continue;
        };
        let to = match item
            .field(end)
            .filter(|value| !matches!(value, Value::Null))
        {
            Some(value) => date_of(&value).map(|date| date.year()),
            None => last_year,
        }
        .unwrap_or(from.year())
        .max(from.year());
        for year in from.year()..=to {
            entries += 1;
            charge(1)?;
            if entries > MAX_YEAR_ENTRIES {
                return Err(fail(
                    "by_year",
                    format!("the intervals span more than {MAX_YEAR_ENTRIES} years in all"),
                ));
            }
            index.add(Key::Int(i64::from(year)), item.clone());
        }
    }
    Ok(index.into_value())
}

/// The JSON Pointer of a mapping, or of one of its fields, or of an element of a list field.
fn pointer<'a>(args: &[Value<'a>]) -> Result<Value<'a>> {
    let base = match args.first() {
        Some(record @ Value::Map(_)) => record.pointer(),
        Some(Value::Str(given)) => Some(given.to_string()),
        _ => None,
    };
    let Some(mut pointer) = base else {
        return Err(fail("pointer", "needs a record (a mapping) or a pointer"));
    };
    for part in args.iter().skip(1) {
        match part {
            Value::Str(name) => crate::load::push_token(&mut pointer, name),
            Value::Int(index) => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
            }
            other => {
                return Err(fail(
                    "pointer",
                    format!("{} cannot name a field", other.a_kind()),
                ));
            }
        }
    }
    Ok(Value::text(pointer))
}
