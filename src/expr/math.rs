//! CEL's math extension: `math.greatest`, `math.least`, rounding, signs, the
//! tests of doubles and the bitwise operations.

use super::budget::charge;
use super::value::{Number, Result, Value, no_overload};
use std::cmp::Ordering;

pub const NAMES: &[&str] = &[
    "math.greatest",
    "math.least",
    "math.ceil",
    "math.floor",
    "math.round",
    "math.trunc",
    "math.abs",
    "math.sign",
    "math.isNaN",
    "math.isInf",
    "math.isFinite",
    "math.bitAnd",
    "math.bitOr",
    "math.bitXor",
    "math.bitNot",
    "math.bitShiftLeft",
    "math.bitShiftRight",
];

pub fn call<'a>(name: &str, args: &[Value<'a>]) -> Result<Value<'a>> {
    match (name, args) {
        ("math.greatest", _) => extreme(name, args, Ordering::Greater),
        ("math.least", _) => extreme(name, args, Ordering::Less),
        ("math.ceil", [Value::Float(x)]) => Ok(Value::Float(x.ceil())),
        ("math.floor", [Value::Float(x)]) => Ok(Value::Float(x.floor())),
        // Halves round away from zero.
        ("math.round", [Value::Float(x)]) => Ok(Value::Float(x.round())),
        ("math.trunc", [Value::Float(x)]) => Ok(Value::Float(x.trunc())),
        ("math.abs", [value]) => abs(value),
        ("math.sign", [value]) => sign(value),
        ("math.isNaN", [Value::Float(x)]) => Ok(Value::Bool(x.is_nan())),
        ("math.isInf", [Value::Float(x)]) => Ok(Value::Bool(x.is_infinite())),
        ("math.isFinite", [Value::Float(x)]) => Ok(Value::Bool(x.is_finite())),
        ("math.bitAnd", [a, b]) => bitwise(name, a, b, |x, y| x & y),
        ("math.bitOr", [a, b]) => bitwise(name, a, b, |x, y| x | y),
        ("math.bitXor", [a, b]) => bitwise(name, a, b, |x, y| x ^ y),
        ("math.bitNot", [Value::Int(x)]) => Ok(Value::Int(!x)),
        ("math.bitNot", [Value::UInt(x)]) => Ok(Value::UInt(!x)),
        ("math.bitShiftLeft", [value, Value::Int(by)]) => shift(name, value, *by, u64::checked_shl),
        ("math.bitShiftRight", [value, Value::Int(by)]) => {
            shift(name, value, *by, u64::checked_shr)
        }
        _ => Err(no_overload(name, args)),
    }
}

/// The greatest (or least) of numbers of any of the three types, given as
/// arguments or as one list; the winner keeps its type.
fn extreme<'a>(name: &str, args: &[Value<'a>], wanted: Ordering) -> Result<Value<'a>> {
    let candidates = match args {
        [Value::List(items)] => {
            charge(items.len())?;
            items.to_vec()
        }
        _ => args.to_vec(),
    };
    let mut best: Option<(Number, Value<'a>)> = None;
    for candidate in candidates {
        let number = Number::of(&candidate)
            .ok_or_else(|| format!("{name}: takes numbers, not a {}", candidate.kind()))?;
        match &best {
            Some((current, _)) if number.partial_cmp(current) != Some(wanted) => {}
            _ => best = Some((number, candidate)),
        }
    }
    best.map(|(_, value)| value)
        .ok_or_else(|| format!("{name}: needs at least one number"))
}

fn abs<'a>(value: &Value<'a>) -> Result<Value<'a>> {
    match value {
        Value::Int(x) => x
            .checked_abs()
            .map(Value::Int)
            .ok_or_else(|| "math.abs: the integer overflows".to_owned()),
        Value::UInt(_) => Ok(value.clone()),
        Value::Float(x) => Ok(Value::Float(x.abs())),
        other => Err(no_overload("math.abs", std::slice::from_ref(other))),
    }
}

/// -1, 0 or 1 in the number's own type; NaN for NaN.
fn sign<'a>(value: &Value<'a>) -> Result<Value<'a>> {
    match value {
        Value::Int(x) => Ok(Value::Int(x.signum())),
        Value::UInt(x) => Ok(Value::UInt(u64::from(*x != 0))),
        Value::Float(x) if *x == 0.0 => Ok(Value::Float(0.0)),
        Value::Float(x) => Ok(Value::Float(x.signum())),
        other => Err(no_overload("math.sign", std::slice::from_ref(other))),
    }
}

/// A bitwise operation on two integers of one type, on their bits.
#[allow(clippy::cast_sign_loss, clippy::cast_possible_wrap)]
fn bitwise<'a>(
    name: &str,
    a: &Value,
    b: &Value,
    operation: fn(u64, u64) -> u64,
) -> Result<Value<'a>> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Ok(Value::Int(operation(*x as u64, *y as u64) as i64)),
        (Value::UInt(x), Value::UInt(y)) => Ok(Value::UInt(operation(*x, *y))),
        _ => Err(no_overload(name, &[a.clone(), b.clone()])),
    }
}

/// A shift of the bits (logical, for signed integers too); 64 places or more
/// leave none.
#[allow(clippy::cast_sign_loss, clippy::cast_possible_wrap)]
fn shift<'a>(
    name: &str,
    value: &Value,
    by: i64,
    operation: fn(u64, u32) -> Option<u64>,
) -> Result<Value<'a>> {
    if by < 0 {
        return Err(format!("{name}: a negative offset"));
    }
    let by = u32::try_from(by).unwrap_or(u32::MAX);
    let shifted = |bits: u64| operation(bits, by).unwrap_or(0);
    match value {
        Value::Int(x) => Ok(Value::Int(shifted(*x as u64) as i64)),
        Value::UInt(x) => Ok(Value::UInt(shifted(*x))),
        other => Err(no_overload(name, std::slice::from_ref(other))),
    }
}
