//! A finding's identity across versions of its file: the rule, the record it
//! is about (by content, not by line or position in its list), where in that
//! record, and what it says. A finding that only moved keeps its fingerprint,
//! so a proposal, a revision or a baseline can tell it from a new one.

use crate::base::finding::Finding;
use crate::load::{Node, Value};

/// FNV-1a, 64 bits: stable across releases and platforms, unlike std's hasher.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    /// Add a part; parts are separated, so `("ab", "c")` differs from `("a", "bc")`.
    pub fn part(&mut self, bytes: &[u8]) -> &mut Self {
        for byte in bytes.iter().copied().chain(std::iter::once(0xff)) {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        self
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// The fingerprint of `finding` in the document whose tree is `root` (none
/// when the file did not parse: then its rule and message say what it is).
pub fn fingerprint(root: Option<&Node>, finding: &Finding) -> u64 {
    let mut hash = Fnv::default();
    hash.part(finding.rule.as_bytes());
    hash.part(finding.message.as_bytes());
    let Some(root) = root else {
        return hash.finish();
    };
    // The innermost list item on the way holds the record; below it, the path
    // is by keys, which moving the record does not change.
    let pointer = &finding.document_pointer;
    let mut node = root;
    let mut record: Option<(&Node, usize)> = None;
    for (at, token) in tokens(pointer) {
        let next = match &node.value {
            Value::Map(_) => node.get(&token),
            Value::Seq(items) => {
                let item = token
                    .parse::<usize>()
                    .ok()
                    .and_then(|index| items.get(index));
                if let Some(item) = item {
                    record = Some((item, at + 1 + token_len(pointer, at)));
                }
                item
            }
            _ => None,
        };
        match next {
            Some(child) => node = child,
            None => break,
        }
    }
    match record {
        Some((item, below)) => {
            hash_content(item, &mut hash);
            hash.part(pointer.get(below..).unwrap_or_default().as_bytes());
        }
        None => {
            hash.part(pointer.as_bytes());
        }
    }
    hash.finish()
}

/// The content of a node, whatever its layout (see [`hash_content`]).
pub fn content(node: &Node) -> u64 {
    let mut hash = Fnv::default();
    hash_content(node, &mut hash);
    hash.finish()
}

/// The content of every item of every list in a tree.
pub fn list_items(root: &Node) -> std::collections::HashSet<u64> {
    let mut found = std::collections::HashSet::new();
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        match &node.value {
            Value::Seq(items) => {
                found.extend(items.iter().map(content));
                pending.extend(items.iter());
            }
            Value::Map(entries) => pending.extend(entries.iter().map(|(_, value)| value)),
            _ => {}
        }
    }
    found
}

/// The fingerprint as SARIF and JSON carry it.
pub fn hex(fingerprint: u64) -> String {
    format!("{fingerprint:016x}")
}

/// Each unescaped token of a JSON Pointer, with the byte offset of its `/`.
fn tokens(pointer: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    pointer.match_indices('/').map(move |(at, _)| {
        let rest = &pointer[at + 1..];
        let token = rest.split('/').next().unwrap_or_default();
        (at, token.replace("~1", "/").replace("~0", "~"))
    })
}

/// The length of the raw token after the `/` at `at`.
fn token_len(pointer: &str, at: usize) -> usize {
    pointer
        .get(at + 1..)
        .map_or(0, |rest| rest.find('/').unwrap_or(rest.len()))
}

/// The values of a node, whatever their layout: a mapping's entries by key
/// order, so reordering a record's fields does not change it.
fn hash_content(node: &Node, hash: &mut Fnv) {
    match &node.value {
        Value::Null => {
            hash.part(b"~");
        }
        Value::Bool(flag) => {
            hash.part(if *flag { b"t" } else { b"f" });
        }
        Value::Int(number) => {
            hash.part(number.to_string().as_bytes());
        }
        Value::Float(number) => {
            hash.part(number.to_string().as_bytes());
        }
        Value::Str(text) => {
            hash.part(text.as_bytes());
        }
        Value::Seq(items) => {
            hash.part(b"[");
            items.iter().for_each(|item| hash_content(item, hash));
            hash.part(b"]");
        }
        Value::Map(entries) => {
            let mut sorted: Vec<_> = entries.iter().collect();
            sorted.sort_by(|(a, _), (b, _)| a.text.cmp(&b.text));
            hash.part(b"{");
            for (key, value) in sorted {
                hash.part(key.text.as_bytes());
                hash_content(value, hash);
            }
            hash.part(b"}");
        }
    }
}
