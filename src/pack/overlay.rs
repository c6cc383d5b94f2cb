//! A schema overlay: an extending pack adds or narrows fields of the schema it
//! inherits without copying it. The overlay is a JSON Merge Patch (RFC 7386) of
//! that schema, written in YAML or JSON: a mapping merges into the mapping at
//! the same place, `null` removes what is there, anything else replaces it.
//! The result is one draft-07 schema, compiled once like any other, so records
//! are checked as fast, and their errors are located the same way.
//!
//! A patch cannot tell a typo from an addition, so one rule catches misplaced
//! keys: a key the inherited schema does not have must be either a name (of a
//! field under `properties`, a definition under `definitions`…) or a JSON
//! Schema keyword. `definitions: {membr: …}` adds a definition; `member:
//! {region: …}` (without `properties`) is refused at its place in the file.

use super::{PackFile, pack_finding};
use crate::base::finding::Finding;
use crate::base::source::SourceFile;
use crate::load::to_json;
use crate::load::{self, Limits, Node, Value as Yaml};
use serde_json::Value as Json;
use std::sync::Arc;

/// Keys of a draft-07 schema whose value maps names to schemas (or to lists of
/// names): any key is welcome inside them.
const NAME_MAPS: [&str; 4] = [
    "properties",
    "definitions",
    "patternProperties",
    "dependencies",
];

/// The draft-07 keywords a subschema may hold.
const KEYWORDS: &[&str] = &[
    "$id",
    "$schema",
    "$ref",
    "$comment",
    "title",
    "description",
    "default",
    "readOnly",
    "writeOnly",
    "examples",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "additionalItems",
    "items",
    "maxItems",
    "minItems",
    "uniqueItems",
    "contains",
    "maxProperties",
    "minProperties",
    "required",
    "additionalProperties",
    "propertyNames",
    "const",
    "enum",
    "type",
    "format",
    "if",
    "then",
    "else",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "contentMediaType",
    "contentEncoding",
    "definitions",
    "properties",
    "patternProperties",
    "dependencies",
];

/// Apply the overlay in `file` to `schema`, or say where it does not fit.
pub(super) fn apply(schema: &mut Json, file: &PackFile) -> Result<(), Vec<Finding>> {
    let source = SourceFile::new(file.name.clone(), file.text.clone());
    let root = load::parse(&source, &Limits::default())
        .map_err(|failure| vec![pack_finding(&source, failure.span, failure.message)])?;
    if !matches!(root.value, Yaml::Map(_)) {
        return Err(vec![pack_finding(
            &source,
            root.span,
            "a schema overlay is a mapping: the parts of the inherited schema it changes"
                .to_owned(),
        )]);
    }
    let mut problems = Vec::new();
    merge(schema, &root, false, &source, &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Merge `patch` into `target`; `names` when `target` maps names to schemas.
fn merge(
    target: &mut Json,
    patch: &Node,
    names: bool,
    source: &Arc<SourceFile>,
    problems: &mut Vec<Finding>,
) {
    let Yaml::Map(entries) = &patch.value else {
        *target = to_json(patch);
        return;
    };
    let Json::Object(object) = target else {
        *target = to_json(patch);
        return;
    };
    for (key, value) in entries {
        let name = key.text.as_str();
        let inner_names = NAME_MAPS.contains(&name);
        match (object.get_mut(name), &value.value) {
            (None, Yaml::Null) => problems.push(pack_finding(
                source,
                key.span,
                format!("the inherited schema has no `{name}` here to remove"),
            )),
            (Some(_), Yaml::Null) => {
                object.remove(name);
            }
            (Some(existing), _) => merge(existing, value, inner_names, source, problems),
            (None, _) if names || KEYWORDS.contains(&name) => {
                let mut added = Json::Object(serde_json::Map::new());
                merge(&mut added, value, inner_names, source, problems);
                object.insert(name.to_owned(), added);
            }
            (None, _) => {
                let here = object.keys().map(String::as_str);
                let close = crate::base::suggest::did_you_mean(name, here)
                    .map_or_else(String::new, |close| format!("; did you mean `{close}`?"));
                problems.push(pack_finding(
                    source,
                    key.span,
                    format!(
                        "`{name}` is neither in the inherited schema here nor a JSON Schema \
                         keyword{close} (a new field goes under `properties`)"
                    ),
                ));
            }
        }
    }
}
