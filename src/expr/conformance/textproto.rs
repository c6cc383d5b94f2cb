//! Protocol buffers' text format, as far as the conformance files use it:
//! fields with scalar values or nested messages, `#` comments, quoted strings
//! with C escapes (adjacent ones joined), and `[extension.names]`.

/// A message: its fields in order, a repeated field once per value.
#[derive(Debug, Default)]
pub struct Message(pub Vec<(String, Field)>);

#[derive(Debug)]
pub enum Field {
    /// A quoted string's bytes, after its escapes.
    Text(Vec<u8>),
    /// A number or a name (`true`, `NULL_VALUE`, `-inf`), as written.
    Word(String),
    Message(Message),
}

impl Message {
    pub fn get(&self, name: &str) -> Option<&Field> {
        self.all(name).next()
    }

    pub fn all<'m, 'n>(&'m self, name: &'n str) -> impl Iterator<Item = &'m Field> + use<'m, 'n> {
        self.0
            .iter()
            .filter(move |(field, _)| field == name)
            .map(|(_, value)| value)
    }

    pub fn message(&self, name: &str) -> Option<&Message> {
        match self.get(name)? {
            Field::Message(message) => Some(message),
            _ => None,
        }
    }

    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name)?.text()
    }

    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some(Field::Word(word)) if word == "true")
    }
}

impl Field {
    pub fn text(&self) -> Option<String> {
        match self {
            Self::Text(bytes) => String::from_utf8(bytes.clone()).ok(),
            _ => None,
        }
    }
}

pub fn parse(text: &str) -> Result<Message, String> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        at: 0,
    };
    let message = reader.fields(None)?;
    Ok(message)
}

struct Reader<'t> {
    bytes: &'t [u8],
    at: usize,
}

impl Reader<'_> {
    fn peek(&mut self) -> Option<u8> {
        loop {
            match self.bytes.get(self.at).copied() {
                Some(b' ' | b'\t' | b'\r' | b'\n' | b',' | b';') => self.at += 1,
                Some(b'#') => {
                    while self.bytes.get(self.at).is_some_and(|&b| b != b'\n') {
                        self.at += 1;
                    }
                }
                other => return other,
            }
        }
    }

    fn error<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at byte {}", self.at))
    }

    /// Fields up to `close` (or the end of the text).
    fn fields(&mut self, close: Option<u8>) -> Result<Message, String> {
        let mut fields = Vec::new();
        loop {
            match self.peek() {
                None if close.is_none() => return Ok(Message(fields)),
                Some(b) if Some(b) == close => {
                    self.at += 1;
                    return Ok(Message(fields));
                }
                None => return self.error("unclosed message"),
                Some(_) => {
                    let name = self.name()?;
                    if self.peek() == Some(b':') {
                        self.at += 1;
                    }
                    fields.push((name, self.value()?));
                }
            }
        }
    }

    fn name(&mut self) -> Result<String, String> {
        let start = self.at;
        if self.bytes.get(self.at) == Some(&b'[') {
            while self.bytes.get(self.at).is_some_and(|&b| b != b']') {
                self.at += 1;
            }
            self.at += 1;
        } else {
            self.word_bytes();
        }
        if self.at == start {
            return self.error("expected a field name");
        }
        Ok(
            String::from_utf8_lossy(self.bytes.get(start..self.at).unwrap_or_default())
                .into_owned(),
        )
    }

    fn word_bytes(&mut self) {
        while self
            .bytes
            .get(self.at)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'+'))
        {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Result<Field, String> {
        match self.peek() {
            Some(b'{') => {
                self.at += 1;
                self.fields(Some(b'}')).map(Field::Message)
            }
            Some(b'<') => {
                self.at += 1;
                self.fields(Some(b'>')).map(Field::Message)
            }
            Some(b'"' | b'\'') => {
                let mut text = Vec::new();
                while let Some(quote @ (b'"' | b'\'')) = self.peek() {
                    self.string(quote, &mut text)?;
                }
                Ok(Field::Text(text))
            }
            _ => {
                let start = self.at;
                self.word_bytes();
                if self.at == start {
                    return self.error("expected a value");
                }
                let word = self.bytes.get(start..self.at).unwrap_or_default();
                Ok(Field::Word(String::from_utf8_lossy(word).into_owned()))
            }
        }
    }

    fn next_byte(&mut self) -> Result<u8, String> {
        let byte = self.bytes.get(self.at).copied();
        self.at += 1;
        byte.map_or_else(|| self.error("unclosed string"), Ok)
    }

    fn string(&mut self, quote: u8, text: &mut Vec<u8>) -> Result<(), String> {
        self.at += 1;
        loop {
            match self.next_byte()? {
                b if b == quote => return Ok(()),
                b'\\' => self.escape(text)?,
                b => text.push(b),
            }
        }
    }

    fn escape(&mut self, text: &mut Vec<u8>) -> Result<(), String> {
        let code = self.next_byte()?;
        let byte = match code {
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'a' => 7,
            b'b' => 8,
            b'f' => 12,
            b'v' => 11,
            b'x' => self.digits(16, 2, 0)?,
            b'0'..=b'7' => self.digits(8, 2, u32::from(code - b'0'))?,
            b'u' | b'U' => {
                let count = if code == b'u' { 4 } else { 8 };
                let value = self.number(16, count, 0)?;
                let c = char::from_u32(value).map_or_else(|| self.error("bad \\u escape"), Ok)?;
                text.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                return Ok(());
            }
            other => other,
        };
        text.push(byte);
        Ok(())
    }

    /// Up to `count` more digits of `radix` after `start`, as one byte.
    fn digits(&mut self, radix: u32, count: usize, start: u32) -> Result<u8, String> {
        let value = self.number(radix, count, start)?;
        u8::try_from(value).map_or_else(|_| self.error("escape out of range"), Ok)
    }

    fn number(&mut self, radix: u32, count: usize, start: u32) -> Result<u32, String> {
        let mut value = start;
        for _ in 0..count {
            match self
                .bytes
                .get(self.at)
                .and_then(|&b| char::from(b).to_digit(radix))
            {
                Some(digit) => {
                    value = value * radix + digit;
                    self.at += 1;
                }
                None => break,
            }
        }
        Ok(value)
    }
}
