//! `text.format(values)`, from CEL's strings extension: `%s`, `%d`, `%f`, `%e`,
//! `%x`, `%X`, `%o`, `%b` (with a precision for `%f` and `%e`) and `%%`. The
//! budget is charged for every value formatted and every byte written.

use super::budget::charge;
use super::value::{List, Result, Value};
use std::fmt::Write as _;

/// The precision of `%f` and `%e` when the clause gives none.
const DEFAULT_PRECISION: usize = 6;

pub fn format(template: &str, values: &List) -> Result<String> {
    charge(template.len() + values.len())?;
    let mut out = String::with_capacity(template.len());
    let mut values = values.iter();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let mut precision = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut digits = String::new();
            while let Some(digit) = chars.next_if(char::is_ascii_digit) {
                digits.push(digit);
            }
            precision = Some(
                digits
                    .parse()
                    .map_err(|_| "format: a precision needs digits".to_owned())?,
            );
        }
        let clause = chars
            .next()
            .ok_or_else(|| "format: the text ends inside a clause".to_owned())?;
        let value = values
            .next()
            .ok_or_else(|| format!("format: too few values for the clause `%{clause}`"))?;
        let before = out.len();
        clause_text(clause, precision, &value, &mut out)?;
        charge(out.len() - before)?;
    }
    Ok(out)
}

fn clause_text(
    clause: char,
    precision: Option<usize>,
    value: &Value,
    out: &mut String,
) -> Result<()> {
    let precision = precision.unwrap_or(DEFAULT_PRECISION);
    let refused = |what: &str| {
        Err(format!(
            "format: `%{clause}` takes {what}, not a {}",
            value.kind()
        ))
    };
    let start = out.len();
    match (clause, value) {
        ('s', value) => string(value, out)?,
        ('d', Value::Int(n)) => push(out, format_args!("{n}")),
        ('d', Value::UInt(n)) => push(out, format_args!("{n}")),
        ('d' | 'f' | 'e', Value::Float(x)) if !x.is_finite() => out.push_str(special(*x)),
        ('f' | 'e', value) => {
            let Some(x) = as_double(value) else {
                return refused("numbers");
            };
            if clause == 'f' {
                push(out, format_args!("{x:.precision$}"));
            } else {
                scientific(x, precision, out);
            }
        }
        ('x' | 'X', Value::Int(n)) if *n < 0 => push(out, format_args!("-{:x}", n.unsigned_abs())),
        ('x' | 'X', Value::Int(n)) => push(out, format_args!("{n:x}")),
        ('x' | 'X', Value::UInt(n)) => push(out, format_args!("{n:x}")),
        ('x' | 'X', Value::Str(text)) => text
            .bytes()
            .for_each(|byte| push(out, format_args!("{byte:02x}"))),
        ('o', Value::Int(n)) => push(out, format_args!("{n:o}")),
        ('o', Value::UInt(n)) => push(out, format_args!("{n:o}")),
        ('b', Value::Int(n)) => push(out, format_args!("{n:b}")),
        ('b', Value::UInt(n)) => push(out, format_args!("{n:b}")),
        ('b', Value::Bool(flag)) => out.push(if *flag { '1' } else { '0' }),
        ('d' | 'o', _) => return refused("integers"),
        ('x' | 'X', _) => return refused("integers and texts"),
        ('b', _) => return refused("integers and booleans"),
        (other, _) => return Err(format!("format: `%{other}` is not a clause")),
    }
    if clause == 'X' {
        let written = out.split_off(start);
        out.push_str(&written.to_ascii_uppercase());
    }
    Ok(())
}

fn push(out: &mut String, arguments: std::fmt::Arguments) {
    // Writing to a String cannot fail.
    let _ = out.write_fmt(arguments);
}

fn special(x: f64) -> &'static str {
    if x.is_nan() {
        "NaN"
    } else if x > 0.0 {
        "Infinity"
    } else {
        "-Infinity"
    }
}

#[allow(clippy::cast_precision_loss)]
fn as_double(value: &Value) -> Option<f64> {
    match value {
        Value::Float(x) => Some(*x),
        Value::Int(n) => Some(*n as f64),
        Value::UInt(n) => Some(*n as f64),
        _ => None,
    }
}

/// `1.052033e+03`: a signed exponent of at least two digits, as C prints it.
fn scientific(x: f64, precision: usize, out: &mut String) {
    let written = format!("{x:.precision$e}");
    let (mantissa, exponent) = written.split_once('e').unwrap_or((&written, "0"));
    let (sign, digits) = match exponent.strip_prefix('-') {
        Some(digits) => ('-', digits),
        None => ('+', exponent),
    };
    push(out, format_args!("{mantissa}e{sign}{digits:0>2}"));
}

/// `%s`: text as it is, numbers as CEL writes them, lists and maps (sorted by
/// key) with their items so written.
fn string(value: &Value, out: &mut String) -> Result<()> {
    match value {
        Value::Str(text) => out.push_str(text),
        Value::Float(x) if !x.is_finite() => out.push_str(special(*x)),
        Value::Null => out.push_str("null"),
        Value::List(list) => {
            charge(list.len())?;
            out.push('[');
            for (index, item) in list.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                string(&item, out)?;
            }
            out.push(']');
        }
        Value::Map(map) => {
            charge(map.len())?;
            let mut entries = Vec::with_capacity(map.len());
            for key in map.keys() {
                let mut key_text = String::new();
                string(&key, &mut key_text)?;
                let mut value_text = String::new();
                if let Some(value) = key.as_key().and_then(|key| map.get(&key)) {
                    string(&value, &mut value_text)?;
                }
                entries.push((key_text, value_text));
            }
            entries.sort();
            out.push('{');
            for (index, (key, value)) in entries.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                push(out, format_args!("{key}: {value}"));
            }
            out.push('}');
        }
        other => out.push_str(&other.display()),
    }
    Ok(())
}
