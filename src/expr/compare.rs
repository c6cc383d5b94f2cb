//! How values order and contain one another, as operators and functions alike
//! need it.

use super::budget::charge;
use super::value::{Number, Result, Value};
use std::cmp::Ordering;

/// The order of two numbers, two texts or two booleans.
pub fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Str(a), Value::Str(b)) => Some((**a).cmp(&**b)),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        _ => Number::of(a)?.partial_cmp(&Number::of(b)?),
    }
}

/// `item in container`: an item of a list, a key of a mapping.
pub fn contains(container: &Value, item: &Value) -> Result<bool> {
    match container {
        Value::List(list) => {
            charge(list.len())?;
            Ok(list.iter().any(|candidate| candidate == *item))
        }
        Value::Map(map) => Ok(item
            .as_lookup_key()
            .is_some_and(|key| map.get(&key).is_some())),
        other => Err(format!("cannot look for an item in a {}", other.kind())),
    }
}
