//! Every function an expression can call, by name: CEL's standard library and
//! its extensions (strings, math, optional values), and govlint's own.

use super::value::{Call, Result, Value};
use super::{functions, math, optional, standard, strings};
use std::collections::HashMap;
use std::sync::LazyLock;

/// Each extension: the functions it names, and how to call them.
const EXTENSIONS: &[(&[&str], Call)] = &[
    (standard::NAMES, standard::call),
    (strings::NAMES, strings::call),
    (math::NAMES, math::call),
    (optional::NAMES, optional::call),
];

/// The extensions' functions by name: one lookup per name, however many there are.
static EXTENDED: LazyLock<HashMap<&'static str, Call, foldhash::fast::RandomState>> =
    LazyLock::new(|| {
        EXTENSIONS
            .iter()
            .flat_map(|&(names, call)| names.iter().map(move |&name| (name, call)))
            .collect()
    });

pub fn is_known(name: &str) -> bool {
    functions::is_known(name) || EXTENDED.contains_key(name)
}

pub fn known_names() -> impl Iterator<Item = &'static str> {
    functions::known_names().chain(
        EXTENSIONS
            .iter()
            .flat_map(|(names, _)| names.iter().copied()),
    )
}

/// Call the function `name`.
pub fn call<'a>(name: &str, args: &[Value<'a>]) -> Result<Value<'a>> {
    find(name)(name, args)
}

/// How to call the function `name`; what no extension names is govlint's own.
pub fn find(name: &str) -> Call {
    EXTENDED
        .get(name)
        .copied()
        .unwrap_or_else(|| functions::find(name))
}
