//! The YAML tree as the JSON Schema validator reads it: the validator walks the
//! spanned nodes themselves, so no JSON copy of the document is ever built.

use crate::load::{Key, Node, Value};
use jsonschema::json::{Array, Json, JsonNumber, Node as JsonNode, NodeIdentity, Object};
use jsonschema::types::JsonType;
use std::borrow::Cow;

/// The representation: instances are `&load::Node`.
pub struct Yaml;

impl Json for Yaml {
    type Node<'a> = &'a Node;
    type PreparedKey = String;
    /// Holds the node a property name is validated as (`propertyNames`).
    type StringBuffer = Option<Node>;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>(
        buffer: &mut Option<Node>,
        string: &str,
        f: impl FnOnce(&Node) -> T,
    ) -> T {
        let node = buffer.insert(Node {
            span: crate::base::source::Span::default(),
            value: Value::Str(string.into()),
        });
        f(node)
    }
}

/// A YAML number: an integer or a float, as the parser read it.
#[derive(Debug, Clone, Copy)]
pub enum Number {
    Int(i64),
    Float(f64),
}

impl JsonNumber for Number {
    fn as_u64(&self) -> Option<u64> {
        match *self {
            Self::Int(number) => u64::try_from(number).ok(),
            Self::Float(_) => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match *self {
            Self::Int(number) => Some(number),
            Self::Float(_) => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match *self {
            // Precision loss above 2^53 is what JSON numbers have too: they are doubles.
            Self::Int(number) => Some(number as f64),
            Self::Float(number) => Some(number),
        }
    }

    fn as_str(&self) -> Cow<'_, str> {
        match *self {
            Self::Int(number) => Cow::Owned(number.to_string()),
            Self::Float(number) => Cow::Owned(number.to_string()),
        }
    }

    fn to_number(&self) -> Cow<'_, serde_json::Number> {
        Cow::Owned(match *self {
            Self::Int(number) => serde_json::Number::from(number),
            Self::Float(number) => {
                serde_json::Number::from_f64(number).unwrap_or_else(|| serde_json::Number::from(0))
            }
        })
    }

    fn is_integer(&self) -> bool {
        matches!(self, Self::Int(_)) || matches!(self, Self::Float(number) if number.fract() == 0.0)
    }

    fn is_written_as_integer(&self) -> bool {
        matches!(self, Self::Int(_))
    }
}

impl<'a> JsonNode<'a, Yaml> for &'a Node {
    type Object = &'a [(Key, Node)];
    type Array = &'a [Node];
    type Number = Number;

    fn as_object(&self) -> Option<&'a [(Key, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&'a [Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match &self.value {
            Value::Str(text) => Some(Cow::Borrowed(text)),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<Number> {
        match self.value {
            Value::Int(number) => Some(Number::Int(number)),
            Value::Float(number) => Some(Number::Float(number)),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self.value {
            Value::Bool(flag) => Some(flag),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    fn json_type(&self) -> JsonType {
        match self.value {
            Value::Null => JsonType::Null,
            Value::Bool(_) => JsonType::Boolean,
            Value::Int(_) | Value::Float(_) => JsonType::Number,
            Value::Str(_) => JsonType::String,
            Value::Seq(_) => JsonType::Array,
            Value::Map(_) => JsonType::Object,
        }
    }

    fn to_value(&self) -> Cow<'a, serde_json::Value> {
        Cow::Owned(crate::load::to_json(self))
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::new(std::ptr::from_ref::<Node>(self) as usize))
    }
}

type Member<'a> = (&'a str, &'a Node);

fn member((key, value): &(Key, Node)) -> Member<'_> {
    (&key.text, value)
}

impl<'a> Object<'a, Yaml> for &'a [(Key, Node)] {
    type Node = &'a Node;
    type MemberName = &'a str;
    type MembersIter =
        std::iter::Map<std::slice::Iter<'a, (Key, Node)>, fn(&'a (Key, Node)) -> Member<'a>>;

    fn len(&self) -> usize {
        <[(Key, Node)]>::len(self)
    }

    fn get(&self, key: &String) -> Option<&'a Node> {
        self.iter()
            .find(|(name, _)| *name.text == **key)
            .map(|(_, value)| value)
    }

    fn members(&self) -> Self::MembersIter {
        self.iter().map(member as fn(&'a (Key, Node)) -> Member<'a>)
    }
}

impl<'a> Array<'a, Yaml> for &'a [Node] {
    type Node = &'a Node;
    type ElementsIter = std::slice::Iter<'a, Node>;

    fn len(&self) -> usize {
        <[Node]>::len(self)
    }

    fn elements(&self) -> std::slice::Iter<'a, Node> {
        self.iter()
    }
}
