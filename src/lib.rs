//! govlint: check records against the written rules that govern them.
//!
//! The engine is generic: it reads YAML with a span for every node, checks its
//! structure against a JSON Schema, and evaluates a rule pack whose conditions
//! are CEL expressions. What the records mean lives in the pack, as data.

pub mod baseline;
pub mod check;
pub mod date;
pub mod edit;
pub mod engine_rules;
pub mod eval;
pub mod explain;
pub mod expr;
pub mod finding;
pub mod fix;
pub mod identity;
pub mod load;
pub mod merge;
pub mod pack;
pub mod properties;
pub mod report;
pub mod revision;
pub mod scaffold;
pub mod schema;
pub mod selftest;
pub mod source;
pub mod suggest;
pub mod template;
pub mod timeline;
pub mod waiver;
pub mod workers;
