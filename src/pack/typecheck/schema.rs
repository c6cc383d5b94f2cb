//! What the records' schema says of a value: the type of a node, its `$ref`s
//! followed, and the fields of a record.

use super::{Ty, Typing};
use serde_json::Value as Json;

/// How many `$ref`s in a row are followed before a node is taken as unknown.
const MAX_REFS: usize = 16;
/// The format the schema gives a date (a year, a month or a day).
const DATE_FORMAT: &str = "partial-date";

impl<'s> Typing<'s> {
    /// The type a schema node gives, its `$ref`s followed.
    pub(super) fn resolve(&self, node: &'s Json) -> Ty<'s> {
        let node = self.follow(node);
        if self.is_date(node) {
            return Ty::Date;
        }
        if let Some(value) = node.get("const") {
            return of_value(value);
        }
        if let Some(Json::Array(values)) = node.get("enum") {
            return values
                .iter()
                .map(of_value)
                .reduce(|a, b| if a == b { a } else { Ty::Dyn })
                .unwrap_or(Ty::Dyn);
        }
        match node.get("type").and_then(Json::as_str) {
            Some("object") => Ty::Node(node),
            Some("array") => Ty::List(Box::new(
                node.get("items")
                    .map_or(Ty::Dyn, |items| self.resolve(items)),
            )),
            Some("string") => Ty::Str,
            Some("integer") => Ty::Int,
            Some("number") => Ty::Double,
            Some("boolean") => Ty::Bool,
            Some("null") => Ty::Null,
            None if node.get("properties").is_some() => Ty::Node(node),
            _ => Ty::Dyn,
        }
    }

    /// The node a chain of local `$ref`s leads to (an unresolvable one stays).
    pub(super) fn follow(&self, mut node: &'s Json) -> &'s Json {
        for _ in 0..MAX_REFS {
            let Some(target) = node
                .get("$ref")
                .and_then(Json::as_str)
                .and_then(|reference| reference.strip_prefix('#'))
                .and_then(|pointer| self.root.pointer(pointer))
            else {
                break;
            };
            node = target;
        }
        node
    }

    /// A date: the format says so, or one of the node's alternatives does.
    pub(super) fn is_date(&self, node: &'s Json) -> bool {
        let dated = |node: &Json| node.get("format").and_then(Json::as_str) == Some(DATE_FORMAT);
        dated(node)
            || ["anyOf", "oneOf"].iter().any(|key| {
                node.get(key)
                    .and_then(Json::as_array)
                    .is_some_and(|branches| branches.iter().any(|b| dated(self.follow(b))))
            })
    }

    /// The properties an object node names, its alternatives' included.
    pub(super) fn properties(&self, node: &'s Json) -> Vec<(&'s str, &'s Json)> {
        let own = std::iter::once(node);
        let branches = ["allOf", "anyOf", "oneOf"]
            .iter()
            .filter_map(|key| node.get(key).and_then(Json::as_array))
            .flatten()
            .map(|branch| self.follow(branch));
        own.chain(branches)
            .filter_map(|node| node.get("properties").and_then(Json::as_object))
            .flatten()
            .map(|(name, schema)| (name.as_str(), schema))
            .collect()
    }

    /// The type of the field `name` of an object node, or `None` if the
    /// schema does not allow it.
    pub(super) fn field(&self, node: &'s Json, name: &str) -> Option<Ty<'s>> {
        let properties = self.properties(node);
        if let Some((_, schema)) = properties.iter().find(|(field, _)| *field == name) {
            return Some(self.resolve(schema));
        }
        if node.get("patternProperties").is_some() {
            return Some(Ty::Dyn);
        }
        match node.get("additionalProperties") {
            Some(Json::Bool(false)) => None,
            Some(schema @ Json::Object(_)) => Some(self.resolve(schema)),
            // An object that names no field is a free mapping.
            _ if properties.is_empty() => Some(Ty::Dyn),
            _ => None,
        }
    }
}

/// The type of a value the schema writes (a `const`, an `enum`'s).
pub(super) fn of_value<'s>(value: &Json) -> Ty<'s> {
    match value {
        Json::Null => Ty::Null,
        Json::Bool(_) => Ty::Bool,
        Json::Number(number) if number.is_i64() || number.is_u64() => Ty::Int,
        Json::Number(_) => Ty::Double,
        Json::String(_) => Ty::Str,
        Json::Array(_) => Ty::List(Box::new(Ty::Dyn)),
        Json::Object(_) => Ty::Map(Box::new(Ty::Dyn)),
    }
}
