//! CEL's strings extension: positions and slices counted in characters, case,
//! replacing, splitting, joining, trimming, quoting and `format`. Each function
//! charges the budget for the text it reads or builds.

use super::budget::charge;
use super::format;
use super::value::{Result, Value, no_overload};

pub const NAMES: &[&str] = &[
    "charAt",
    "indexOf",
    "lastIndexOf",
    "lowerAscii",
    "upperAscii",
    "replace",
    "split",
    "substring",
    "trim",
    "join",
    "reverse",
    "format",
    "strings.quote",
];

pub fn call<'a>(name: &str, args: &[Value<'a>]) -> Result<Value<'a>> {
    match args {
        [Value::List(list), rest @ ..] if name == "join" => match rest {
            [] => join(list, ""),
            [Value::Str(separator)] => join(list, separator),
            _ => Err(no_overload(name, args)),
        },
        [Value::Str(text), Value::List(values)] if name == "format" => {
            format::format(text, values).map(Value::text)
        }
        [Value::Str(text), rest @ ..] => charge(text.len()).and_then(|()| {
            on_text(name, text, rest).unwrap_or_else(|| Err(no_overload(name, args)))
        }),
        _ => Err(no_overload(name, args)),
    }
}

/// The functions of a text, given what follows it; `None` when they do not fit.
fn on_text<'a>(name: &str, text: &str, rest: &[Value]) -> Option<Result<Value<'a>>> {
    Some(match (name, rest) {
        ("charAt", [Value::Int(at)]) => char_at(text, *at),
        ("indexOf", [Value::Str(part)]) => index_of(text, part, 0),
        ("indexOf", [Value::Str(part), Value::Int(from)]) => index_of(text, part, *from),
        ("lastIndexOf", [Value::Str(part)]) => last_index_of(text, part, None),
        ("lastIndexOf", [Value::Str(part), Value::Int(from)]) => {
            last_index_of(text, part, Some(*from))
        }
        ("lowerAscii", []) => Ok(Value::text(text.to_ascii_lowercase())),
        ("upperAscii", []) => Ok(Value::text(text.to_ascii_uppercase())),
        ("replace", [Value::Str(old), Value::Str(new)]) => replace(text, old, new, -1),
        ("replace", [Value::Str(old), Value::Str(new), Value::Int(count)]) => {
            replace(text, old, new, *count)
        }
        ("split", [Value::Str(separator)]) => Ok(split(text, separator, -1)),
        ("split", [Value::Str(separator), Value::Int(count)]) => Ok(split(text, separator, *count)),
        ("substring", [Value::Int(start)]) => substring(text, *start, None),
        ("substring", [Value::Int(start), Value::Int(end)]) => substring(text, *start, Some(*end)),
        ("trim", []) => Ok(Value::text(text.trim())),
        ("reverse", []) => Ok(Value::text(text.chars().rev().collect::<String>())),
        ("strings.quote", []) => Ok(Value::text(quote(text))),
        _ => return None,
    })
}

/// The byte where the character at `index` starts (the end, for one past the
/// last), if the text has that many characters.
fn byte_at(text: &str, index: i64) -> Option<usize> {
    let index = usize::try_from(index).ok()?;
    text.char_indices()
        .map(|(at, _)| at)
        .chain([text.len()])
        .nth(index)
}

fn characters(text: &str) -> i64 {
    i64::try_from(text.chars().count()).unwrap_or(i64::MAX)
}

fn out_of_range(function: &str, index: i64, text: &str) -> String {
    format!(
        "{function}: {index} is outside a text of {} characters",
        characters(text)
    )
}

fn char_at<'a>(text: &str, at: i64) -> Result<Value<'a>> {
    let start = byte_at(text, at).ok_or_else(|| out_of_range("charAt", at, text))?;
    let rest = text.get(start..).unwrap_or_default();
    Ok(Value::text(
        rest.chars().next().map(String::from).unwrap_or_default(),
    ))
}

fn index_of<'a>(text: &str, part: &str, from: i64) -> Result<Value<'a>> {
    let start = byte_at(text, from).ok_or_else(|| out_of_range("indexOf", from, text))?;
    let found = text
        .get(start..)
        .and_then(|rest| rest.find(part))
        .map(|at| characters(text.get(..start + at).unwrap_or_default()));
    Ok(Value::Int(found.unwrap_or(-1)))
}

/// The last occurrence of `part` that starts at or before the character `from`.
fn last_index_of<'a>(text: &str, part: &str, from: Option<i64>) -> Result<Value<'a>> {
    let end = match from {
        None => text.len(),
        Some(from) => {
            let start =
                byte_at(text, from).ok_or_else(|| out_of_range("lastIndexOf", from, text))?;
            let mut end = (start + part.len()).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            end
        }
    };
    let found = text
        .get(..end)
        .and_then(|head| head.rfind(part))
        .map(|at| characters(text.get(..at).unwrap_or_default()));
    Ok(Value::Int(found.unwrap_or(-1)))
}

/// `count` occurrences replaced, from the left; all of them when negative.
fn replace<'a>(text: &str, old: &str, new: &str, count: i64) -> Result<Value<'a>> {
    let replaced = match usize::try_from(count) {
        Ok(count) => text.replacen(old, new, count),
        Err(_) => text.replace(old, new),
    };
    charge(replaced.len())?;
    Ok(Value::text(replaced))
}

/// At most `count` parts (all when negative, none when zero); an empty
/// separator splits between characters.
fn split<'a>(text: &str, separator: &str, count: i64) -> Value<'a> {
    let limit = usize::try_from(count).unwrap_or(usize::MAX);
    let parts: Vec<Value<'a>> = if separator.is_empty() {
        let mut chars = text.chars();
        let mut parts: Vec<Value<'a>> = chars
            .by_ref()
            .take(limit.saturating_sub(1))
            .map(|c| Value::text(c.to_string()))
            .collect();
        let rest: String = chars.collect();
        if !rest.is_empty() && limit > 0 {
            parts.push(Value::text(rest));
        }
        parts
    } else {
        text.splitn(limit, separator).map(Value::text).collect()
    };
    Value::list(parts)
}

fn substring<'a>(text: &str, start: i64, end: Option<i64>) -> Result<Value<'a>> {
    let from = byte_at(text, start).ok_or_else(|| out_of_range("substring", start, text))?;
    let to = match end {
        None => text.len(),
        Some(end) if end < start => {
            return Err(format!(
                "substring: the end {end} is before the start {start}"
            ));
        }
        Some(end) => byte_at(text, end).ok_or_else(|| out_of_range("substring", end, text))?,
    };
    Ok(Value::text(text.get(from..to).unwrap_or_default()))
}

fn join<'a>(list: &super::value::List<'a>, separator: &str) -> Result<Value<'a>> {
    charge(list.len())?;
    let mut joined = String::new();
    for (index, item) in list.iter().enumerate() {
        let Value::Str(part) = item else {
            return Err(format!(
                "join: takes a list of texts, not of {}s",
                item.kind()
            ));
        };
        if index > 0 {
            joined.push_str(separator);
        }
        joined.push_str(&part);
    }
    charge(joined.len())?;
    Ok(Value::text(joined))
}

/// The text as a double-quoted CEL string literal.
fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '\u{7}' => quoted.push_str("\\a"),
            '\u{8}' => quoted.push_str("\\b"),
            '\u{c}' => quoted.push_str("\\f"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            '\u{b}' => quoted.push_str("\\v"),
            '\\' => quoted.push_str("\\\\"),
            '"' => quoted.push_str("\\\""),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}
