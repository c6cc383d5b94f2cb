//! YAML text to a tree of nodes that each keep their byte span, within explicit budgets.
//!
//! The tree is built straight from the YAML parser's events (`tree`), under the
//! file's limits (`budget`); scalars mean what the YAML 1.2 core schema says
//! (`scalar`); every refusal says what, where and what to do (`failure`).
//!
//! May import `base` only.

mod budget;
mod failure;
mod scalar;
mod serde_options;
pub mod split;
mod tree;

pub use failure::{FailureKind, LoadFailure};
pub use serde_options::parser_options;

use crate::base::source::{MAX_TEXT_BYTES, SourceFile, Span};
use arcstr::ArcStr;
use serde_json::Value as Json;
use std::sync::Arc;
use thin_vec::ThinVec;

/// Resource limits for reading one file. Every limit names itself in the error it causes.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_file_bytes: usize,
    pub max_nodes: usize,
    pub max_depth: usize,
    pub max_aliases: usize,
    /// Nodes that expanding aliases may produce in all: what an alias bomb multiplies.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 256 * 1024 * 1024,
            max_nodes: 10_000_000,
            max_depth: 64,
            max_aliases: 10_000,
            max_alias_nodes: 100_000,
        }
    }
}

/// Every variant fits in one word, so a node is 24 bytes: a large file's tree
/// holds hundreds of thousands. Texts and collections are single allocations
/// with their length in the heap (`ArcStr`, `ThinVec`).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Short texts, which repeat across records, are shared (see `shared_text`).
    Str(ArcStr),
    Seq(ThinVec<Node>),
    /// Entries in file order.
    Map(ThinVec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

/// A mapping key: read as text, as JSON reads keys (`2023:` is the key `"2023"`),
/// and kept with its span so an error about the key can point at it.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub span: Span,
    pub text: ArcStr,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, value)| value)
    }

    /// The entry `key` of a mapping, its key included (for errors about the key itself).
    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(name, _)| *name.text == *key)
                .map(|(name, value)| (name, value)),
            _ => None,
        }
    }

    /// The node a JSON Pointer names, or the deepest existing ancestor and the
    /// pointer prefix that reached it, so a finding about a missing field still
    /// lands on the record that lacks it.
    pub fn locate<'a>(&'a self, pointer: &str) -> Located<'a> {
        let mut node = self;
        let mut reached = String::new();
        for token in pointer.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            let next = match &node.value {
                Value::Map(_) => node.get(&token),
                Value::Seq(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            match next {
                Some(child) => {
                    node = child;
                    push_token(&mut reached, &token);
                }
                None => {
                    return Located {
                        node,
                        pointer: reached,
                        exact: false,
                    };
                }
            }
        }
        Located {
            node,
            pointer: reached,
            exact: true,
        }
    }
}

pub struct Located<'a> {
    pub node: &'a Node,
    pub pointer: String,
    pub exact: bool,
}

pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Append `/token` to a JSON Pointer, escaping only when the token needs it.
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    if token.contains(['~', '/']) {
        pointer.push_str(&escape_token(token));
    } else {
        pointer.push_str(token);
    }
}

/// Parse one YAML document into a spanned tree.
pub fn parse(source: &Arc<SourceFile>, limits: &Limits) -> Result<Node, LoadFailure> {
    if source.text().len() > MAX_TEXT_BYTES {
        return Err(failure::too_large());
    }
    split::read(source, limits).map_or_else(|| tree::build(source, limits), Ok)
}

/// The tree as JSON: what a schema validator and a JSON patch read.
pub fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(flag) => Json::Bool(*flag),
        Value::Int(number) => Json::from(*number),
        Value::Float(number) => {
            serde_json::Number::from_f64(*number).map_or(Json::Null, Json::Number)
        }
        Value::Str(text) => Json::String(text.to_string()),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(key, value)| (key.text.to_string(), to_json(value)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests;
