//! The values of literal tokens, as CEL's specification reads them. A lone quote
//! inside triple quotes is text, as the specification has it (cel 0.12 dropped
//! it). Where the crate's reading of a literal mangles it otherwise (a raw string
//! ending in a backslash, triple-quoted or raw bytes), the literal is refused.

use std::str::CharIndices;

/// A problem in a literal: its byte offset within the token, and what is wrong.
pub(super) type Problem = (usize, String);

fn whole(message: &str) -> Problem {
    (0, message.to_owned())
}

/// An int token, negated when a `-` directly precedes it (cel 0.12 folds that
/// sign into the literal, which is how `-9223372036854775808` fits). A
/// hexadecimal literal takes a sign too, as CEL's specification has it (cel 0.12
/// refused `-0x10`).
pub(super) fn int(text: &str, negative: bool) -> Result<i64, Problem> {
    let magnitude = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse::<u64>().ok(),
    };
    let value = magnitude.and_then(|magnitude| {
        if negative {
            0_i64.checked_sub_unsigned(magnitude)
        } else {
            i64::try_from(magnitude).ok()
        }
    });
    value.ok_or_else(|| whole("the integer does not fit in 64 bits"))
}

/// A uint token: digits or `0x` digits, then `u` or `U`.
pub(super) fn uint(text: &str) -> Result<u64, Problem> {
    let digits = text.get(..text.len().saturating_sub(1)).unwrap_or_default();
    match digits.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => digits.parse(),
    }
    .map_err(|_| whole("the unsigned integer does not fit in 64 bits"))
}

pub(super) fn double(text: &str, negative: bool) -> Result<f64, Problem> {
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(if negative { -value } else { value }),
        _ => Err(whole("the number is too large for a double")),
    }
}

/// The parts of a string token: whether it is raw, whether its quote is tripled,
/// its body and the body's offset in the token.
struct Quoted<'a> {
    raw: bool,
    triple: bool,
    body: &'a str,
    offset: usize,
}

impl<'a> Quoted<'a> {
    /// `text` is a whole token the lexer accepted, without any `b` prefix.
    fn split(text: &'a str) -> Self {
        let raw = text.starts_with(['r', 'R']);
        let quoted = text.get(usize::from(raw)..).unwrap_or_default();
        let quote = if quoted.starts_with('\'') { '\'' } else { '"' };
        let triple = quoted
            .get(..3)
            .is_some_and(|start| start.chars().all(|c| c == quote));
        let delimiter = if triple { 3 } else { 1 };
        let body = quoted
            .get(delimiter..quoted.len().saturating_sub(delimiter))
            .unwrap_or_default();
        Self {
            raw,
            triple,
            body,
            offset: usize::from(raw) + delimiter,
        }
    }

    fn shift(&self, (at, message): Problem) -> Problem {
        (self.offset + at, message)
    }
}

pub(super) fn string(text: &str) -> Result<String, Problem> {
    let quoted = Quoted::split(text);
    if quoted.raw {
        raw_text(&quoted).map(str::to_owned)
    } else {
        unescape(quoted.body)
    }
    .map_err(|problem| quoted.shift(problem))
}

/// A bytes token (`b` then a string): its characters' UTF-8 and the escapes `\xHH`
/// and `\ooo`, the only ones cel 0.12 decodes in bytes.
pub(super) fn bytes(text: &str) -> Result<Vec<u8>, Problem> {
    let quoted = Quoted::split(text.get(1..).unwrap_or_default());
    if quoted.raw || quoted.triple {
        return Err(whole(
            "raw and triple-quoted bytes literals are not supported; write `b'…'`",
        ));
    }
    byte_escapes(quoted.body).map_err(|problem| {
        let (at, message) = quoted.shift(problem);
        (1 + at, message)
    })
}

/// A raw string's text, as written. cel 0.12 turns a final lone backslash into
/// the closing quote, so that is refused.
fn raw_text<'a>(quoted: &Quoted<'a>) -> Result<&'a str, Problem> {
    let body = quoted.body;
    let backslashes = body.len() - body.trim_end_matches('\\').len();
    if backslashes % 2 == 1 {
        return Err((
            body.len() - 1,
            "a raw string cannot end with a lone `\\`".to_owned(),
        ));
    }
    Ok(body)
}

/// A quoted string's body with its escapes decoded.
fn unescape(body: &str) -> Result<String, Problem> {
    let mut text = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => escape(&mut chars, &mut text).map_err(|message| (at, message))?,
            c => text.push(c),
        }
    }
    Ok(text)
}

fn escape(chars: &mut CharIndices<'_>, text: &mut String) -> Result<(), String> {
    let Some((_, code)) = chars.next() else {
        return Err("a string cannot end with a lone `\\`".to_owned());
    };
    let decoded = match code {
        'a' => '\u{7}',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'v' => '\u{b}',
        // Either quote may be escaped in either kind of string, as the CEL
        // specification has it (cel 0.12's own parser kept the backslash of the
        // quote that is not the delimiter).
        '\\' | '?' | '`' | '"' | '\'' => code,
        'x' | 'X' => code_point(chars, 16, 2, 0)?,
        'u' => code_point(chars, 16, 4, 0)?,
        'U' => code_point(chars, 16, 8, 0)?,
        '0'..='3' => code_point(chars, 8, 2, code.to_digit(8).unwrap_or_default())?,
        other => return Err(format!("unknown escape `\\{}`", other.escape_debug())),
    };
    text.push(decoded);
    Ok(())
}

/// `count` more digits in `radix` after `start`, as a character.
fn code_point(
    chars: &mut CharIndices<'_>,
    radix: u32,
    count: usize,
    start: u32,
) -> Result<char, String> {
    let value = digits(chars, radix, count, start)
        .ok_or_else(|| "an escape is missing some of its digits".to_owned())?;
    char::from_u32(value)
        .ok_or_else(|| format!("the escape names U+{value:X}, which is not a character"))
}

fn digits(chars: &mut CharIndices<'_>, radix: u32, count: usize, start: u32) -> Option<u32> {
    (0..count).try_fold(start, |value, _| {
        let digit = chars.next()?.1.to_digit(radix)?;
        Some(value * radix + digit)
    })
}

fn byte_escapes(body: &str) -> Result<Vec<u8>, Problem> {
    let mut bytes = Vec::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            let mut buffer = [0; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
            continue;
        }
        let value = match chars.next() {
            Some((_, 'x')) => digits(&mut chars, 16, 2, 0),
            Some((_, first @ '0'..='3')) => {
                digits(&mut chars, 8, 2, first.to_digit(8).unwrap_or_default())
            }
            _ => None,
        };
        let byte = value
            .and_then(|value| u8::try_from(value).ok())
            .ok_or_else(|| {
                (
                    at,
                    "bytes literals take only `\\xHH` and octal `\\ooo` escapes".to_owned(),
                )
            })?;
        bytes.push(byte);
    }
    Ok(bytes)
}
