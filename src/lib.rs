//! govlint: check records against the written rules that govern them.
//!
//! The engine is generic: it reads YAML with a span for every node, checks its
//! structure against a JSON Schema, and evaluates a rule pack whose conditions
//! are CEL expressions. What the records mean lives in the pack, as data.
//!
//! Each folder is a stage, and a stage imports only the stages listed before
//! it here (`tests/architecture.rs` holds the code to this order, and
//! `docs/architecture.md` draws it):
//! text and tree (`load`), one document of records and proposal (`document`),
//! structure (`schema`), conditions (`expr`), the rule pack (`pack`), one
//! file's check (`check`), fixes (`fix`), what falls due next (`agenda`),
//! renderers (`report`), the editor's language server (`server`), and the
//! command line (`cli`); `base` holds the types every stage shares.

pub mod agenda;
pub mod base;
pub mod check;
pub mod cli;
pub mod document;
pub mod expr;
pub mod fix;
pub mod load;
pub mod pack;
pub mod report;
pub mod schema;
pub mod server;
