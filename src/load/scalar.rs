//! What a scalar means under the YAML 1.2 core schema: `null`, `true`, `12`,
//! `0x1f`, `1.5e3` are typed; everything else, and anything quoted, is text.

use granit_parser::ScalarStyle;

/// A scalar's meaning; texts stay with the caller, which decides how to store them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar {
    Text,
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
}

/// Why a scalar that looks like a number cannot be one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// NaN or an infinity (`.nan`, `-.inf`, `1e999`): JSON and the rules have no such numbers.
    NotFinite,
}

pub fn resolve(text: &str, style: ScalarStyle) -> Result<Scalar, Refused> {
    if style != ScalarStyle::Plain {
        return Ok(Scalar::Text);
    }
    Ok(match text {
        "" | "~" | "null" | "Null" | "NULL" => Scalar::Null,
        "true" | "True" | "TRUE" => Scalar::Bool(true),
        "false" | "False" | "FALSE" => Scalar::Bool(false),
        ".nan" | ".NaN" | ".NAN" => return Err(Refused::NotFinite),
        _ => number(text)?,
    })
}

/// The core schema's numbers; any other spelling (`1_000`, `0b1`, `-.nan`) is text.
fn number(text: &str) -> Result<Scalar, Refused> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    // Most scalars are words: one byte tells them from numbers.
    if !unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Ok(Scalar::Text);
    }
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return Err(Refused::NotFinite);
    }
    if unsigned.len() == text.len() {
        let radix = |prefix, radix| {
            text.strip_prefix(prefix)
                .filter(|digits| !digits.is_empty())
                .map(|digits| (digits, radix))
        };
        if let Some((digits, radix)) = radix("0x", 16).or_else(|| radix("0o", 8)) {
            return Ok(match u64::from_str_radix(digits, radix) {
                Ok(value) => i64::try_from(value).map_or(Scalar::Float(value as f64), Scalar::Int),
                Err(_) if digits.chars().all(|c| c.is_digit(radix)) => {
                    finite(u128::from_str_radix(digits, radix).map_or(f64::INFINITY, |v| v as f64))?
                }
                Err(_) => Scalar::Text,
            });
        }
    }
    if unsigned.bytes().all(|b| b.is_ascii_digit()) {
        // Beyond 64 bits an integer reads as the nearest float, as JSON readers do.
        return match text.parse::<i64>() {
            Ok(value) => Ok(Scalar::Int(value)),
            Err(_) => finite(text.parse::<f64>().unwrap_or(f64::INFINITY)),
        };
    }
    if is_float(unsigned) {
        return finite(text.parse::<f64>().unwrap_or(f64::INFINITY));
    }
    Ok(Scalar::Text)
}

fn finite(value: f64) -> Result<Scalar, Refused> {
    if value.is_finite() {
        Ok(Scalar::Float(value))
    } else {
        Err(Refused::NotFinite)
    }
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, the core schema's float without its sign.
fn is_float(text: &str) -> bool {
    let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let whole = digits(text);
    let rest = &text[whole..];
    let (fraction, rest) = match rest.strip_prefix('.') {
        Some(after) => {
            let count = digits(after);
            (count, &after[count..])
        }
        None => (0, rest),
    };
    let mantissa = if text[whole..].starts_with('.') {
        whole > 0 || fraction > 0
    } else {
        whole > 0
    };
    let exponent_ok = match rest.strip_prefix(['e', 'E']) {
        Some(exponent) => {
            let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            !exponent.is_empty() && digits(exponent) == exponent.len()
        }
        None => rest.is_empty(),
    };
    mantissa && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Result<Scalar, Refused> {
        resolve(text, ScalarStyle::Plain)
    }

    #[test]
    fn the_core_schema_types_plain_scalars() {
        use Scalar::*;
        let cases = [
            ("", Null),
            ("~", Null),
            ("NULL", Null),
            ("True", Bool(true)),
            ("FALSE", Bool(false)),
            ("12", Int(12)),
            ("-12", Int(-12)),
            ("+12", Int(12)),
            ("0127", Int(127)),
            ("0x1f", Int(31)),
            ("0o17", Int(15)),
            ("1.5", Float(1.5)),
            ("-.5", Float(-0.5)),
            ("1.", Float(1.0)),
            ("1e3", Float(1000.0)),
            ("2.5E-1", Float(0.25)),
            ("99999999999999999999", Float(1e20)),
        ];
        for (text, meaning) in cases {
            assert_eq!(plain(text), Ok(meaning), "{text}");
        }
    }

    #[test]
    fn other_spellings_are_text() {
        let texts = [
            "yes", "NO", "y", "nULL", "1_000", "0b101", "0X1F", "0x", "0xg", "-0x1", "1e", "1e+",
            ".", "+", "-", "1.2.3", "2016-01", "12:30", "-.nan", "+.nan", "inf", "nan", ".Nan",
            "1 2", "12abc",
        ];
        for text in texts {
            assert_eq!(plain(text), Ok(Scalar::Text), "{text}");
        }
        assert_eq!(resolve("12", ScalarStyle::DoubleQuoted), Ok(Scalar::Text));
        assert_eq!(resolve("null", ScalarStyle::SingleQuoted), Ok(Scalar::Text));
    }

    #[test]
    fn nan_and_infinities_are_refused() {
        for text in [".nan", ".NaN", ".inf", "-.inf", "+.INF", "1e999", "-1e999"] {
            assert_eq!(plain(text), Err(Refused::NotFinite), "{text}");
        }
    }
}
