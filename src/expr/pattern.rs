//! `matches`: regular expressions in RE2's syntax, as CEL's specification has
//! them, by the `regex` crate, which matches in time linear in the text. A
//! pattern's compiled program is size-limited. Compiled patterns are kept for
//! the whole run and shared by every thread: a literal pattern is compiled once,
//! when the expression that holds it is (see `Survey`), however many records
//! the rule reads.

use super::budget::charge;
use super::value::Result;
use regex::{Regex, RegexBuilder};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

/// The largest compiled program (and lazy DFA) a pattern may take.
const MAX_PROGRAM_BYTES: usize = 1 << 20;
/// Patterns kept at once; past it the table starts again, so computed patterns
/// cannot grow it without end.
const MAX_KEPT: usize = 1024;

static COMPILED: LazyLock<Mutex<HashMap<String, Arc<Regex>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The pattern compiled (or found compiled), or why it is not a pattern.
pub fn compiled(pattern: &str) -> Result<Arc<Regex>> {
    // A panic elsewhere cannot leave the table half-written: reading on is safe.
    let kept = || COMPILED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(regex) = kept().get(pattern) {
        return Ok(Arc::clone(regex));
    }
    let regex = RegexBuilder::new(pattern)
        .size_limit(MAX_PROGRAM_BYTES)
        .dfa_size_limit(MAX_PROGRAM_BYTES)
        .build()
        .map(Arc::new)
        .map_err(|error| format!("matches: `{pattern}` is not a regular expression: {error}"))?;
    let mut kept = kept();
    if kept.len() >= MAX_KEPT {
        kept.clear();
    }
    kept.insert(pattern.to_owned(), Arc::clone(&regex));
    Ok(regex)
}

/// Whether `pattern` matches anywhere in `text`; a step per byte of the text.
pub fn matches(text: &str, pattern: &str) -> Result<bool> {
    charge(text.len())?;
    Ok(compiled(pattern)?.is_match(text))
}
