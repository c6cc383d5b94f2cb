//! The expression engine's copy of a YAML tree, made once per document, every
//! mapping stamped with its JSON Pointer. Texts are copied into the engine's
//! strings.

use super::POINTER_KEY;
use crate::load::{Key as YamlKey, Node, Value as Yaml, push_token};
use cel::Value;
use cel::objects::{Key, Map};
use rayon::prelude::*;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

/// The engine's value for `node`, the root of a document.
pub(super) fn tree(node: &Node) -> Value {
    Converter::new(&Arc::new(POINTER_KEY.to_owned())).convert(node)
}

/// Lists at least this long (a document's collections of records) convert on
/// every core.
const PARALLEL_ITEMS: usize = 512;

/// Converts a subtree, knowing the pointer of the node it is at.
struct Converter {
    pointer: String,
    pointer_key: Arc<String>,
}

impl Converter {
    fn new(pointer_key: &Arc<String>) -> Self {
        Self {
            pointer: String::new(),
            pointer_key: Arc::clone(pointer_key),
        }
    }

    fn convert(&mut self, node: &Node) -> Value {
        match &node.value {
            Yaml::Null => Value::Null,
            Yaml::Bool(flag) => Value::Bool(*flag),
            Yaml::Int(number) => Value::Int(*number),
            Yaml::Float(number) => Value::Float(*number),
            Yaml::Str(text) => Value::String(Arc::new(text.to_string())),
            Yaml::Seq(items) if items.len() >= PARALLEL_ITEMS => {
                let converted = items
                    .par_iter()
                    .with_min_len(PARALLEL_ITEMS)
                    .enumerate()
                    .map(|(index, item)| {
                        let mut converter = Converter::new(&self.pointer_key);
                        let _ = write!(converter.pointer, "{}/{index}", self.pointer);
                        converter.convert(item)
                    })
                    .collect();
                Value::List(Arc::new(converted))
            }
            Yaml::Seq(items) => {
                let mut converted = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    let restore = self.pointer.len();
                    let _ = write!(self.pointer, "/{index}");
                    converted.push(self.convert(item));
                    self.pointer.truncate(restore);
                }
                Value::List(Arc::new(converted))
            }
            Yaml::Map(entries) => {
                let mut map = HashMap::with_capacity(entries.len() + 1);
                for (key, value) in entries {
                    let (name, converted) = self.field(key, value);
                    map.insert(name, converted);
                }
                // Stamped with its pointer.
                map.insert(
                    Key::String(Arc::clone(&self.pointer_key)),
                    Value::String(Arc::new(self.pointer.clone())),
                );
                Value::Map(Map { map: Arc::new(map) })
            }
        }
    }

    /// One entry of the mapping at `self.pointer`.
    fn field(&mut self, key: &YamlKey, value: &Node) -> (Key, Value) {
        let name = Arc::new(key.text.to_string());
        let restore = self.pointer.len();
        push_token(&mut self.pointer, &name);
        let converted = self.convert(value);
        self.pointer.truncate(restore);
        (Key::String(name), converted)
    }
}
