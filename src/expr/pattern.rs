//! `matches`: regular expressions in RE2's syntax, as CEL's specification has
//! them, by the `regex` crate, which matches in time linear in the text. A
//! pattern's compiled program is size-limited, and each pattern is compiled
//! once per thread and kept, so a literal pattern costs one compilation however
//! many records a rule reads.

use super::budget::charge;
use super::value::Result;
use regex::{Regex, RegexBuilder};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The largest compiled program (and lazy DFA) a pattern may take.
const MAX_PROGRAM_BYTES: usize = 1 << 20;
/// Patterns kept per thread; past it the cache starts again, so computed
/// patterns cannot grow it without end.
const MAX_KEPT: usize = 256;

thread_local! {
    static COMPILED: RefCell<HashMap<String, Rc<Regex>>> = RefCell::new(HashMap::new());
}

/// The pattern compiled, or why it is not one.
pub fn compile(pattern: &str) -> Result<Regex> {
    RegexBuilder::new(pattern)
        .size_limit(MAX_PROGRAM_BYTES)
        .dfa_size_limit(MAX_PROGRAM_BYTES)
        .build()
        .map_err(|error| format!("matches: `{pattern}` is not a regular expression: {error}"))
}

/// Whether `pattern` matches anywhere in `text`; a step per byte of the text.
pub fn matches(text: &str, pattern: &str) -> Result<bool> {
    charge(text.len())?;
    Ok(compiled(pattern)?.is_match(text))
}

fn compiled(pattern: &str) -> Result<Rc<Regex>> {
    if let Some(regex) = COMPILED.with_borrow(|kept| kept.get(pattern).cloned()) {
        return Ok(regex);
    }
    let regex = Rc::new(compile(pattern)?);
    COMPILED.with_borrow_mut(|kept| {
        if kept.len() >= MAX_KEPT {
            kept.clear();
        }
        kept.insert(pattern.to_owned(), Rc::clone(&regex));
    });
    Ok(regex)
}
