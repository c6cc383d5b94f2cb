//! Expression text into tokens, by the lexer rules of CEL's grammar: the longest
//! match wins, names are ASCII, `//` starts a comment, and only `true`, `false`,
//! `null` and `in` are keywords (cel 0.12 reads CEL's other reserved words as names).

use super::Syntax;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Ident,
    /// A field name between backticks: `` a.`b-c` ``.
    EscapedIdent,
    Int,
    Uint,
    Float,
    String,
    Bytes,
    True,
    False,
    Null,
    In,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Dot,
    Comma,
    Colon,
    Question,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Not,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    And,
    Or,
    End,
}

/// A token: its kind and its byte range in the text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Reads tokens one at a time; cloning it looks ahead without consuming.
#[derive(Clone)]
pub(super) struct Lexer<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str) -> Self {
        Self { text, at: 0 }
    }

    pub fn next(&mut self) -> Result<Token, Syntax> {
        self.skip_blanks();
        let start = self.at;
        let kind = match self.byte(0) {
            None => Kind::End,
            Some(first) => self.token(first)?,
        };
        Ok(Token {
            kind,
            start,
            end: self.at,
        })
    }

    fn rest(&self) -> &'a [u8] {
        self.text.as_bytes().get(self.at..).unwrap_or_default()
    }

    fn byte(&self, ahead: usize) -> Option<u8> {
        self.rest().get(ahead).copied()
    }

    fn advance_while(&mut self, accept: fn(&u8) -> bool) -> usize {
        let count = self.rest().iter().take_while(|b| accept(b)).count();
        self.at += count;
        count
    }

    /// Whitespace and `//` comments.
    fn skip_blanks(&mut self) {
        loop {
            match (self.byte(0), self.byte(1)) {
                (Some(b' ' | b'\t' | b'\r' | b'\n' | b'\x0c'), _) => self.at += 1,
                (Some(b'/'), Some(b'/')) => {
                    self.advance_while(|&b| b != b'\n');
                }
                _ => return,
            }
        }
    }

    fn token(&mut self, first: u8) -> Result<Kind, Syntax> {
        let second = self.byte(1);
        let (kind, length) = match (first, second) {
            (b'=', Some(b'=')) => (Kind::Equal, 2),
            (b'!', Some(b'=')) => (Kind::NotEqual, 2),
            (b'<', Some(b'=')) => (Kind::LessEqual, 2),
            (b'>', Some(b'=')) => (Kind::GreaterEqual, 2),
            (b'&', Some(b'&')) => (Kind::And, 2),
            (b'|', Some(b'|')) => (Kind::Or, 2),
            (b'=' | b'&' | b'|', _) => {
                let single = char::from(first);
                return Err(self.error(format!(
                    "unexpected `{single}`; did you mean `{single}{single}`?"
                )));
            }
            (b'<', _) => (Kind::Less, 1),
            (b'>', _) => (Kind::Greater, 1),
            (b'!', _) => (Kind::Not, 1),
            (b'(', _) => (Kind::LParen, 1),
            (b')', _) => (Kind::RParen, 1),
            (b'[', _) => (Kind::LBracket, 1),
            (b']', _) => (Kind::RBracket, 1),
            (b'{', _) => (Kind::LBrace, 1),
            (b'}', _) => (Kind::RBrace, 1),
            (b',', _) => (Kind::Comma, 1),
            (b':', _) => (Kind::Colon, 1),
            (b'?', _) => (Kind::Question, 1),
            (b'+', _) => (Kind::Plus, 1),
            (b'-', _) => (Kind::Minus, 1),
            (b'*', _) => (Kind::Star, 1),
            (b'/', _) => (Kind::Slash, 1),
            (b'%', _) => (Kind::Percent, 1),
            (b'.', Some(b'0'..=b'9')) | (b'0'..=b'9', _) => return Ok(self.number()),
            (b'.', _) => (Kind::Dot, 1),
            (b'"' | b'\'', _) => return self.quoted(false).map(|()| Kind::String),
            (b'r' | b'R', Some(b'"' | b'\'')) => {
                self.at += 1;
                return self.quoted(true).map(|()| Kind::String);
            }
            (b'b' | b'B', _) if self.bytes_follow() => return self.bytes(),
            (b'`', _) => return self.escaped_ident(),
            (b'a'..=b'z' | b'A'..=b'Z' | b'_', _) => return Ok(self.name()),
            _ => return Err(self.unexpected_char()),
        };
        self.at += length;
        Ok(kind)
    }

    fn error(&self, message: String) -> Syntax {
        Syntax {
            at: self.at,
            message,
        }
    }

    fn unexpected_char(&self) -> Syntax {
        let c = self
            .text
            .get(self.at..)
            .and_then(|rest| rest.chars().next())
            .unwrap_or_default();
        self.error(if c.is_alphanumeric() {
            format!("unexpected `{c}`; names are ASCII letters, digits and `_`")
        } else if c.is_ascii_punctuation() {
            format!("unexpected `{c}`")
        } else {
            format!("unexpected character U+{:04X}", u32::from(c))
        })
    }

    /// `0x1F`, `12`, `12u`, `1.5`, `.5`, `1e-3`: the grammar's longest match, so
    /// `1.` is `1` then `.`, and `1e` is `1` then the name `e`.
    fn number(&mut self) -> Kind {
        if self.byte(0) == Some(b'0')
            && self.byte(1) == Some(b'x')
            && self.byte(2).is_some_and(|b| b.is_ascii_hexdigit())
        {
            self.at += 2;
            self.advance_while(u8::is_ascii_hexdigit);
            return self.unsigned_suffix();
        }
        self.advance_while(u8::is_ascii_digit);
        let mut float = false;
        if self.byte(0) == Some(b'.') && self.byte(1).is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
            self.advance_while(u8::is_ascii_digit);
            float = true;
        }
        if self.exponent() || float {
            Kind::Float
        } else {
            self.unsigned_suffix()
        }
    }

    /// An exponent, taken only when complete (`e`, then an optional sign, then digits).
    fn exponent(&mut self) -> bool {
        if !matches!(self.byte(0), Some(b'e' | b'E')) {
            return false;
        }
        let sign = usize::from(matches!(self.byte(1), Some(b'+' | b'-')));
        if !self.byte(1 + sign).is_some_and(|b| b.is_ascii_digit()) {
            return false;
        }
        self.at += 1 + sign;
        self.advance_while(u8::is_ascii_digit);
        true
    }

    fn unsigned_suffix(&mut self) -> Kind {
        if matches!(self.byte(0), Some(b'u' | b'U')) {
            self.at += 1;
            Kind::Uint
        } else {
            Kind::Int
        }
    }

    /// A name, or one of the four keywords.
    fn name(&mut self) -> Kind {
        let start = self.at;
        self.advance_while(|b| b.is_ascii_alphanumeric() || *b == b'_');
        match self.text.get(start..self.at).unwrap_or_default() {
            "true" => Kind::True,
            "false" => Kind::False,
            "null" => Kind::Null,
            "in" => Kind::In,
            _ => Kind::Ident,
        }
    }

    /// `b'…'`, `B"…"`, `br'…'`: a `b` directly followed by a string.
    fn bytes_follow(&self) -> bool {
        match self.byte(1) {
            Some(b'"' | b'\'') => true,
            Some(b'r' | b'R') => matches!(self.byte(2), Some(b'"' | b'\'')),
            _ => false,
        }
    }

    fn bytes(&mut self) -> Result<Kind, Syntax> {
        self.at += 1;
        let raw = matches!(self.byte(0), Some(b'r' | b'R'));
        self.at += usize::from(raw);
        self.quoted(raw).map(|()| Kind::Bytes)
    }

    /// A string from its opening quote: `'…'` or `"…"` on one line, `'''…'''` or
    /// `"""…"""` over several; a backslash escapes the next character unless `raw`.
    /// The escapes themselves are read when the literal is decoded.
    fn quoted(&mut self, raw: bool) -> Result<(), Syntax> {
        let opening = self.at;
        let quote = self.byte(0).unwrap_or(b'"');
        let triple = self.byte(1) == Some(quote) && self.byte(2) == Some(quote);
        let delimiter = if triple { 3 } else { 1 };
        self.at += delimiter;
        loop {
            match self.byte(0) {
                None => break,
                Some(b'\\') if !raw => self.at += 2,
                Some(b'\n' | b'\r') if !triple => break,
                Some(b) if b == quote && (!triple || self.closes_triple(quote)) => {
                    self.at += delimiter;
                    return Ok(());
                }
                Some(_) => self.at += 1,
            }
        }
        let quotes = char::from(quote).to_string().repeat(delimiter);
        let hint = if triple {
            ""
        } else {
            " on its line (use triple quotes for text over several lines)"
        };
        self.at = opening;
        Err(self.error(format!("this string is never closed by `{quotes}`{hint}")))
    }

    fn closes_triple(&self, quote: u8) -> bool {
        self.byte(1) == Some(quote) && self.byte(2) == Some(quote)
    }

    /// `` `name` ``: letters, digits, `_`, `.`, `-`, `/` and spaces between backticks.
    fn escaped_ident(&mut self) -> Result<Kind, Syntax> {
        let opening = self.at;
        self.at += 1;
        let length = self.advance_while(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'/' | b' ')
        });
        if length > 0 && self.byte(0) == Some(b'`') {
            self.at += 1;
            return Ok(Kind::EscapedIdent);
        }
        self.at = opening;
        Err(self.error(
            "a name between backticks is letters, digits, `_`, `.`, `-`, `/` and spaces, closed by a backtick"
                .to_owned(),
        ))
    }
}
