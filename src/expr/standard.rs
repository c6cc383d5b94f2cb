//! The rest of CEL's standard library: `dyn`, `bool`, `type` and `matches` (the
//! conversions to numbers and text, `size` and the text tests are in
//! `functions`).

use super::pattern;
use super::value::{Result, Value, no_overload};

pub const NAMES: &[&str] = &["dyn", "bool", "type", "matches"];

pub fn call<'a>(name: &str, args: &[Value<'a>]) -> Result<Value<'a>> {
    match (name, args) {
        // Values carry their types as they run: `dyn` only tells a checker to wait.
        ("dyn", [value]) => Ok(value.clone()),
        ("bool", [value]) => boolean(value),
        ("type", [value]) => Ok(Value::Type(value.type_name())),
        ("matches", [Value::Str(text), Value::Str(pattern)]) => {
            pattern::matches(text, pattern).map(Value::Bool)
        }
        _ => Err(no_overload(name, args)),
    }
}

/// `bool(x)`: a boolean, or the spellings CEL reads as one.
fn boolean<'a>(value: &Value<'a>) -> Result<Value<'a>> {
    match value {
        Value::Bool(flag) => Ok(Value::Bool(*flag)),
        Value::Str(text) => match &**text {
            "1" | "t" | "true" | "TRUE" | "True" => Ok(Value::Bool(true)),
            "0" | "f" | "false" | "FALSE" | "False" => Ok(Value::Bool(false)),
            other => Err(format!("bool: cannot read `{other}` as true or false")),
        },
        other => Err(no_overload("bool", std::slice::from_ref(other))),
    }
}
