//! Text for XML (the JUnit report, the HTML timeline page): markup escaped,
//! and characters XML cannot hold shown as escapes.

/// Whether XML 1.0 allows the character at all.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Text made safe for XML content and attribute values alike: markup escaped, line
/// breaks kept as character references, characters XML cannot hold shown as escapes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if xml_char(c) => out.push(c),
            c => out.push_str(&c.escape_unicode().to_string()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_characters_xml_cannot_hold() {
        assert_eq!(
            escape("a<b>&\"c'\n\u{1b}[0m\u{0}\u{fffe}é"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;\\u{1b}[0m\\u{0}\\u{fffe}é"
        );
    }
}
