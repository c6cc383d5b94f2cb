//! CEL's optional values: `optional.of(x)`, `optional.none()`,
//! `optional.ofNonZeroValue(x)`, and on an optional value `hasValue()`,
//! `value()`, `or(other)` and `orValue(default)`. `a.?b` and `a[?k]` give an
//! entry as an optional value, and reading a field or an entry of an optional
//! value gives one too, so a chain of them is absent as soon as one step is.
//! (`optMap` and `optFlatMap` are macros, expanded by the parser.)

use super::value::{Key, Result, Value, no_overload};
use std::sync::Arc;

pub const NAMES: &[&str] = &[
    "optional.of",
    "optional.none",
    "optional.ofNonZeroValue",
    "hasValue",
    "value",
    "or",
    "orValue",
];

pub fn call<'a>(name: &str, args: &[Value<'a>]) -> Result<Value<'a>> {
    match (name, args) {
        ("optional.of", [value]) => Ok(of(value.clone())),
        ("optional.none", []) => Ok(Value::Optional(None)),
        ("optional.ofNonZeroValue", [value]) if is_zero(value) => Ok(Value::Optional(None)),
        ("optional.ofNonZeroValue", [value]) => Ok(of(value.clone())),
        ("hasValue", [Value::Optional(inner)]) => Ok(Value::Bool(inner.is_some())),
        ("value", [Value::Optional(inner)]) => inner
            .as_deref()
            .cloned()
            .ok_or_else(|| "value: the optional value is absent".to_owned()),
        ("or", [first @ Value::Optional(inner), other @ Value::Optional(_)]) => Ok(match inner {
            Some(_) => first.clone(),
            None => other.clone(),
        }),
        ("orValue", [Value::Optional(inner), default]) => {
            Ok(inner.as_deref().cloned().unwrap_or_else(|| default.clone()))
        }
        _ => Err(no_overload(name, args)),
    }
}

pub fn of(value: Value) -> Value {
    Value::Optional(Some(Arc::new(value)))
}

/// What `?x` keeps in a list or map literal: the value an optional value
/// holds, if it holds one.
pub fn present(value: Value) -> Result<Option<Value>> {
    match value {
        Value::Optional(inner) => Ok(inner.as_deref().cloned()),
        other => Err(format!(
            "`?` takes an optional value, not a {}",
            other.kind()
        )),
    }
}

/// The zero value of a type, which `optional.ofNonZeroValue` turns into absence.
fn is_zero(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(flag) => !flag,
        Value::Int(number) => *number == 0,
        Value::UInt(number) => *number == 0,
        Value::Float(number) => *number == 0.0,
        Value::Str(text) => text.is_empty(),
        Value::List(list) => list.len() == 0,
        Value::Map(map) => map.len() == 0,
        Value::Optional(inner) => inner.is_none(),
        Value::Type(_) => false,
    }
}

/// `container.?key` or `container[?key]`: the entry of a mapping (a field) or
/// of a list (a position) as an optional value, absent when there is none; an
/// optional container passes its absence on.
pub fn entry<'a>(container: &Value<'a>, key: &Value<'a>) -> Result<Value<'a>> {
    let found = match (container, key) {
        (Value::Optional(None), _) => None,
        (Value::Optional(Some(inner)), _) => return entry(inner, key),
        (Value::Map(map), _) => key.as_lookup_key().and_then(|key| map.get(&key)),
        (Value::List(list), _) => match key.as_lookup_key() {
            Some(Key::Int(at)) => usize::try_from(at).ok().and_then(|at| list.get(at)),
            Some(Key::UInt(at)) => usize::try_from(at).ok().and_then(|at| list.get(at)),
            _ => return Err(format!("cannot index a list with a {}", key.kind())),
        },
        (other, _) => {
            return Err(format!(
                "a {} has no entries (reading `{}`)",
                other.kind(),
                key.display()
            ));
        }
    };
    Ok(Value::Optional(found.map(Arc::new)))
}
