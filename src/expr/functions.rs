//! The general functions rule conditions may call: partial dates, intervals,
//! lookups, ordering, neighbours, year ranges and counting. None of them knows
//! what the records describe.

use super::POINTER_KEY;
use crate::date::PartialDate;
use cel::extractors::Arguments;
use cel::objects::{Key, Map};
use cel::{Context, ExecutionError, Value};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

type Result<T> = std::result::Result<T, ExecutionError>;

/// The largest list `years` builds, so a hostile range cannot exhaust memory.
const MAX_YEARS: i64 = 10_000;

/// Functions of the language itself (cel's standard library and macros).
const STANDARD: &[&str] = &[
    "contains",
    "size",
    "max",
    "min",
    "startsWith",
    "endsWith",
    "string",
    "bytes",
    "double",
    "int",
    "uint",
    "has",
    "all",
    "exists",
    "exists_one",
    "map",
    "filter",
    "value",
    "hasValue",
    "or",
    "orValue",
    "optional.none",
    "optional.of",
    "optional.ofNonZeroValue",
];

const OURS: &[&str] = &[
    "is_date",
    "date_cmp",
    "before",
    "after",
    "same_date",
    "year",
    "add_years",
    "add_months",
    "months_between",
    "span",
    "may_contain",
    "must_contain",
    "overlaps",
    "index_by",
    "get",
    "sort_by",
    "pairs",
    "years",
    "count_by",
    "group_by",
    "pointer",
    "first",
    "last",
    "duplicates",
    "precision",
    "flatten",
    "indexed",
    "by_year",
];

pub fn is_known(name: &str) -> bool {
    STANDARD.contains(&name) || OURS.contains(&name)
}

pub fn known_names() -> impl Iterator<Item = &'static str> {
    STANDARD.iter().chain(OURS).copied()
}

pub fn register(context: &mut Context) {
    super::linear::register(context);
    context.add_function("is_date", |v: Value| date_of(&v).is_some());
    context.add_function("date_cmp", date_cmp);
    context.add_function("before", |a: Value, b: Value| {
        ordering(&a, &b) == Some(Ordering::Less)
    });
    context.add_function("after", |a: Value, b: Value| {
        ordering(&a, &b) == Some(Ordering::Greater)
    });
    context.add_function("same_date", |a: Value, b: Value| {
        ordering(&a, &b) == Some(Ordering::Equal)
    });
    context.add_function("year", year);
    context.add_function("add_years", |d: Value, n: i64| {
        shift(&d, |date| date.add_years(n))
    });
    context.add_function("add_months", |d: Value, n: i64| {
        shift(&d, |date| date.add_months(n))
    });
    context.add_function("months_between", months_between);
    context.add_function("span", span);
    context.add_function("may_contain", may_contain);
    context.add_function("must_contain", must_contain);
    context.add_function("overlaps", overlaps);
    context.add_function("index_by", index_by);
    context.add_function("get", get);
    context.add_function("sort_by", sort_by);
    context.add_function("pairs", pairs);
    context.add_function("years", years);
    context.add_function("count_by", count_by);
    context.add_function("group_by", group_by);
    context.add_function("pointer", pointer);
    context.add_function("first", |list: Arc<Vec<Value>>| -> Result<Value> {
        Ok(list.first().cloned().unwrap_or(Value::Null))
    });
    context.add_function("last", |list: Arc<Vec<Value>>| -> Result<Value> {
        Ok(list.last().cloned().unwrap_or(Value::Null))
    });
    context.add_function("duplicates", duplicates);
    context.add_function("precision", precision);
    context.add_function("flatten", flatten);
    context.add_function("indexed", indexed);
    context.add_function("by_year", by_year);
}

fn fail(function: &str, message: impl ToString) -> ExecutionError {
    ExecutionError::function_error(function, message)
}

/// A partial date from a string or an integer year; anything else is not a date.
fn date_of(value: &Value) -> Option<PartialDate> {
    match value {
        Value::String(text) => PartialDate::parse(text).ok(),
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
            .ok_or_else(|| fail(function, format!("`{}` is not a date", display(other)))),
    }
}

/// Comparison at the coarser precision; `None` when either side is absent or not a date.
fn ordering(a: &Value, b: &Value) -> Option<Ordering> {
    Some(date_of(a)?.compare(&date_of(b)?))
}

fn date_cmp(a: Value, b: Value) -> Result<Value> {
    let (Some(a), Some(b)) = (date_arg("date_cmp", &a)?, date_arg("date_cmp", &b)?) else {
        return Ok(Value::Null);
    };
    Ok(Value::Int(match a.compare(&b) {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }))
}

fn year(value: Value) -> Result<Value> {
    Ok(date_arg("year", &value)?.map_or(Value::Null, |date| Value::Int(i64::from(date.year()))))
}

fn shift(value: &Value, by: impl Fn(&PartialDate) -> Option<PartialDate>) -> Result<Value> {
    match date_arg("shift", value)? {
        None => Ok(Value::Null),
        Some(date) => by(&date)
            .map(|shifted| text(shifted.to_string()))
            .ok_or_else(|| {
                fail(
                    "shift",
                    format!("`{date}` cannot be shifted that far at its precision"),
                )
            }),
    }
}

fn months_between(a: Value, b: Value) -> Result<Value> {
    let (Some(a), Some(b)) = (
        date_arg("months_between", &a)?,
        date_arg("months_between", &b)?,
    ) else {
        return Ok(Value::Null);
    };
    Ok(Value::Int(a.months_until(&b)))
}

fn span(a: Value, b: Value) -> Result<Value> {
    let (Some(a), Some(b)) = (date_arg("span", &a)?, date_arg("span", &b)?) else {
        return Ok(text("an unknown time".to_owned()));
    };
    Ok(text(a.span_text(&b)))
}

/// Whether `date` is definitely at or after `start`: equal at a coarse precision is undecided.
fn definitely_not_before(date: &PartialDate, start: &PartialDate) -> bool {
    match date.compare(start) {
        Ordering::Greater => true,
        Ordering::Equal => date == start && date.precision() == crate::date::Precision::Day,
        Ordering::Less => false,
    }
}

/// `[start, end)` possibly holds `date`: nothing known rules it out. A null end is open.
fn may_contain(start: Value, end: Value, date: Value) -> Result<bool> {
    let (Some(start), Some(date)) = (
        date_arg("may_contain", &start)?,
        date_arg("may_contain", &date)?,
    ) else {
        return Ok(false);
    };
    let before_start = date.compare(&start) == Ordering::Less;
    let at_or_after_end = match date_arg("may_contain", &end)? {
        Some(end) => definitely_not_before(&date, &end),
        None => false,
    };
    Ok(!before_start && !at_or_after_end)
}

/// `[start, end)` certainly holds `date` at the precision recorded.
fn must_contain(start: Value, end: Value, date: Value) -> Result<bool> {
    let (Some(start), Some(date)) = (
        date_arg("must_contain", &start)?,
        date_arg("must_contain", &date)?,
    ) else {
        return Ok(false);
    };
    let before_end = match date_arg("must_contain", &end)? {
        Some(end) => date.compare(&end) == Ordering::Less,
        None => true,
    };
    Ok(definitely_not_before(&date, &start) && before_end)
}

/// Two half-open intervals certainly share some time. Null ends are open.
fn overlaps(start_a: Value, end_a: Value, start_b: Value, end_b: Value) -> Result<bool> {
    let starts_before = |start: &Value, end: &Value| -> Result<bool> {
        Ok(
            match (date_arg("overlaps", start)?, date_arg("overlaps", end)?) {
                (Some(start), Some(end)) => start.compare(&end) == Ordering::Less,
                (Some(_), None) => true,
                (None, _) => false,
            },
        )
    };
    Ok(starts_before(&start_b, &end_a)? && starts_before(&start_a, &end_b)?)
}

fn field<'a>(item: &'a Value, name: &Key) -> Option<&'a Value> {
    match item {
        Value::Map(map) => map.map.get(name),
        _ => None,
    }
}

/// A field name as a key, made once for a whole list rather than per item.
fn name_key(name: &Arc<String>) -> Key {
    Key::String(Arc::clone(name))
}

fn pointer_key() -> Key {
    Key::String(Arc::new(POINTER_KEY.to_owned()))
}

fn key_of(function: &str, value: &Value) -> Result<Key> {
    match value {
        Value::String(text) => Ok(Key::String(Arc::clone(text))),
        Value::Int(number) => Ok(Key::Int(*number)),
        Value::UInt(number) => Ok(Key::Uint(*number)),
        Value::Bool(flag) => Ok(Key::Bool(*flag)),
        other => Err(fail(function, format!("a {} cannot be a key", kind(other)))),
    }
}

fn map_value(map: HashMap<Key, Value>) -> Value {
    Value::Map(Map { map: Arc::new(map) })
}

/// A mapping from each item's `field` to the item; the first item wins on a repeated key.
fn index_by(list: Arc<Vec<Value>>, name: Arc<String>) -> Result<Value> {
    super::budget::charge(list.len())?;
    let mut index = HashMap::with_capacity(list.len());
    let name = name_key(&name);
    for item in list.iter() {
        if let Some(key) = field(item, &name) {
            index
                .entry(key_of("index_by", key)?)
                .or_insert_with(|| item.clone());
        }
    }
    Ok(map_value(index))
}

/// `container[key]`, or `default` when there is no such entry (or index).
fn get(container: Value, key: Value, default: Value) -> Result<Value> {
    Ok(match (&container, &key) {
        (Value::Map(map), _) => map
            .map
            .get(&key_of("get", &key)?)
            .cloned()
            .unwrap_or(default),
        (Value::List(items), Value::Int(index)) => usize::try_from(*index)
            .ok()
            .and_then(|index| items.get(index))
            .cloned()
            .unwrap_or(default),
        (Value::Null, _) => default,
        (other, _) => {
            return Err(fail(
                "get",
                format!("cannot look up a key in a {}", kind(other)),
            ));
        }
    })
}

/// Natural order, with partial dates ordered as dates; incomparable values keep their order.
fn natural(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => match (date_of(a), date_of(b)) {
            (Some(a), Some(b)) => a.sort_key().cmp(&b.sort_key()),
            _ => match (a, b) {
                (Value::String(a), Value::String(b)) => a.cmp(b),
                (Value::Int(a), Value::Int(b)) => a.cmp(b),
                (Value::Float(a), Value::Float(b)) => a.total_cmp(b),
                _ => Ordering::Equal,
            },
        },
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn sort_by(list: Arc<Vec<Value>>, name: Arc<String>) -> Result<Value> {
    super::budget::charge(list.len())?;
    let mut sorted = list.as_ref().clone();
    let name = name_key(&name);
    sorted.sort_by(|a, b| natural(field(a, &name), field(b, &name)));
    Ok(Value::List(Arc::new(sorted)))
}

/// Each item with its successor: `[{prev: a, next: b}, {prev: b, next: c}]`.
fn pairs(list: Arc<Vec<Value>>) -> Result<Value> {
    super::budget::charge(list.len())?;
    let pairs = list
        .windows(2)
        .filter_map(|window| match window {
            [prev, next] => Some(map_value(HashMap::from([
                (Key::from("prev"), prev.clone()),
                (Key::from("next"), next.clone()),
            ]))),
            _ => None,
        })
        .collect();
    Ok(Value::List(Arc::new(pairs)))
}

/// The years `from..=to`, empty when `to < from`.
fn years(from: Value, to: Value) -> Result<Value> {
    let bound = |value: &Value| match value {
        Value::Int(year) => Ok(*year),
        other => date_arg("years", other)?
            .map(|date| i64::from(date.year()))
            .ok_or_else(|| fail("years", "a year range needs both ends")),
    };
    let (from, to) = (bound(&from)?, bound(&to)?);
    if to.saturating_sub(from) >= MAX_YEARS {
        return Err(fail(
            "years",
            format!("the range {from}..{to} is longer than {MAX_YEARS} years"),
        ));
    }
    super::budget::charge(usize::try_from(to.saturating_sub(from)).unwrap_or(0))?;
    Ok(Value::List(Arc::new((from..=to).map(Value::Int).collect())))
}

/// How many times each key occurs in a list of keys.
fn count_by(keys: Arc<Vec<Value>>) -> Result<Value> {
    super::budget::charge(keys.len())?;
    let mut counts: HashMap<Key, i64> = HashMap::new();
    for key in keys.iter().filter(|key| !matches!(key, Value::Null)) {
        *counts.entry(key_of("count_by", key)?).or_insert(0) += 1;
    }
    Ok(map_value(
        counts
            .into_iter()
            .map(|(key, count)| (key, Value::Int(count)))
            .collect(),
    ))
}

/// The items of a list grouped under their `field`, each group in list order.
fn group_by(list: Arc<Vec<Value>>, name: Arc<String>) -> Result<Value> {
    super::budget::charge(list.len())?;
    let mut groups: HashMap<Key, Vec<Value>> = HashMap::new();
    let name = name_key(&name);
    for item in list.iter() {
        if let Some(key) = field(item, &name) {
            groups
                .entry(key_of("group_by", key)?)
                .or_default()
                .push(item.clone());
        }
    }
    Ok(groups_value(groups))
}

/// A map of lists, as the expression engine holds it.
fn groups_value(groups: HashMap<Key, Vec<Value>>) -> Value {
    map_value(
        groups
            .into_iter()
            .map(|(key, items)| (key, Value::List(Arc::new(items))))
            .collect(),
    )
}

/// The values that occur more than once, each once, in order of first occurrence.
fn duplicates(list: Arc<Vec<Value>>) -> Result<Value> {
    super::budget::charge(list.len())?;
    let present: Vec<(Key, &Value)> = list
        .iter()
        .filter(|value| !matches!(value, Value::Null))
        .map(|value| Ok((key_of("duplicates", value)?, value)))
        .collect::<Result<_>>()?;
    let mut counts: HashMap<&Key, usize> = HashMap::new();
    for (key, _) in &present {
        *counts.entry(key).or_insert(0) += 1;
    }
    let mut repeated = Vec::new();
    for (key, value) in &present {
        if let Some(count) = counts.get_mut(key).filter(|count| **count > 1) {
            *count = 0;
            repeated.push((*value).clone());
        }
    }
    Ok(Value::List(Arc::new(repeated)))
}

/// `"year"`, `"month"` or `"day"`: how precisely a date is known.
fn precision(value: Value) -> Result<Value> {
    Ok(date_arg("precision", &value)?.map_or(Value::Null, |date| {
        text(
            match date.precision() {
                crate::date::Precision::Year => "year",
                crate::date::Precision::Month => "month",
                crate::date::Precision::Day => "day",
            }
            .to_owned(),
        )
    }))
}

/// The items of a list of lists, in order (items that are not lists are kept as they are).
fn flatten(lists: Arc<Vec<Value>>) -> Result<Value> {
    super::budget::charge(lists.len())?;
    let mut items = Vec::new();
    for value in lists.iter() {
        match value {
            Value::List(inner) => items.extend(inner.iter().cloned()),
            other => items.push(other.clone()),
        }
    }
    Ok(Value::List(Arc::new(items)))
}

/// Each item with its position: `[{index: 0, value: a}, …]`, to point at list elements.
fn indexed(list: Arc<Vec<Value>>) -> Result<Value> {
    super::budget::charge(list.len())?;
    let items = list
        .iter()
        .enumerate()
        .map(|(index, value)| {
            let index = i64::try_from(index).unwrap_or(i64::MAX);
            map_value(HashMap::from([
                (Key::from("index"), Value::Int(index)),
                (Key::from("value"), value.clone()),
            ]))
        })
        .collect();
    Ok(Value::List(Arc::new(items)))
}

/// The most year entries `by_year` builds in all, so hostile intervals cannot exhaust memory.
const MAX_YEAR_ENTRIES: usize = 10_000_000;

/// An index of intervals by calendar year: each year an item's `[start, end]` touches
/// maps to the items, so "which items may hold this date" is a lookup, not a scan.
/// Items without an end run to `last_year`.
fn by_year(Arguments(args): Arguments) -> Result<Value> {
    let [
        Value::List(list),
        Value::String(start),
        Value::String(end),
        last,
    ] = args.as_slice()
    else {
        return Err(fail(
            "by_year",
            "takes a list, the start and end field names, and the last year",
        ));
    };
    let last_year = date_arg("by_year", last)?.map(|date| date.year());
    let (start, end) = (name_key(start), name_key(end));
    let mut index: HashMap<Key, Vec<Value>> = HashMap::new();
    let mut entries = 0usize;
    for item in list.iter() {
        let Some(from) = field(item, &start).and_then(date_of) else {
            continue;
        };
        let to = match field(item, &end).filter(|value| !matches!(value, Value::Null)) {
            Some(value) => date_of(value).map(|date| date.year()),
            None => last_year,
        }
        .unwrap_or(from.year())
        .max(from.year());
        for year in from.year()..=to {
            entries += 1;
            super::budget::charge(1)?;
            if entries > MAX_YEAR_ENTRIES {
                return Err(fail(
                    "by_year",
                    format!("the intervals span more than {MAX_YEAR_ENTRIES} years in all"),
                ));
            }
            index
                .entry(Key::Int(i64::from(year)))
                .or_default()
                .push(item.clone());
        }
    }
    Ok(groups_value(index))
}

/// The JSON Pointer of a mapping, or of one of its fields, or of an element of a list field.
fn pointer(Arguments(args): Arguments) -> Result<Value> {
    let base = match args.first() {
        Some(record @ Value::Map(_)) => field(record, &pointer_key()),
        Some(given @ Value::String(_)) => Some(given),
        _ => None,
    };
    let Some(Value::String(base)) = base else {
        return Err(fail("pointer", "needs a record (a mapping) or a pointer"));
    };
    let mut pointer = base.to_string();
    for part in args.iter().skip(1) {
        match part {
            Value::String(name) => {
                crate::load::push_token(&mut pointer, name.as_str());
            }
            Value::Int(index) => pointer.push_str(&format!("/{index}")),
            other => {
                return Err(fail(
                    "pointer",
                    format!("a {} cannot name a field", kind(other)),
                ));
            }
        }
    }
    Ok(text(pointer))
}

fn text(value: String) -> Value {
    Value::String(Arc::new(value))
}

pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::List(_) => "list",
        Value::Map(_) => "mapping",
        Value::Int(_) | Value::UInt(_) => "integer",
        Value::Float(_) => "number",
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Null => "null",
        _ => "value",
    }
}

/// A value as it reads in a sentence.
pub fn display(value: &Value) -> String {
    match value {
        Value::String(text) => text.to_string(),
        Value::Int(number) => number.to_string(),
        Value::UInt(number) => number.to_string(),
        Value::Float(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        Value::Null => "nothing".to_owned(),
        Value::List(items) => items.iter().map(display).collect::<Vec<_>>().join(", "),
        Value::Map(_) => {
            field(value, &pointer_key()).map_or_else(|| "a record".to_owned(), display)
        }
        other => format!("{other:?}"),
    }
}
