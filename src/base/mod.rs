//! What every stage shares: source files and spans, partial dates, findings
//! and their fixes, "did you mean", the worker threads, and the codes the
//! engine reports on its own account.
//!
//! Imports no other stage: everything above may import it.

pub mod date;
pub mod engine_rules;
pub mod finding;
pub mod source;
pub mod suggest;
pub mod workers;
