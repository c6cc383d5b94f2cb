//! Every function an expression can call, by name: CEL's standard library and
//! its extensions (strings, math, optional values), and govlint's own.

use super::value::{Result, Value};
use super::{functions, math, optional, standard, strings};

/// An extension's functions: those it names, called with their arguments
/// (a method's target first); `None` when the name is not one of them.
type Call = for<'a> fn(&str, &[Value<'a>]) -> Option<Result<Value<'a>>>;

const EXTENSIONS: &[(&[&str], Call)] = &[
    (standard::NAMES, standard::call),
    (strings::NAMES, strings::call),
    (math::NAMES, math::call),
    (optional::NAMES, optional::call),
];

pub fn is_known(name: &str) -> bool {
    functions::is_known(name) || EXTENSIONS.iter().any(|(names, _)| names.contains(&name))
}

pub fn known_names() -> impl Iterator<Item = &'static str> {
    functions::known_names().chain(
        EXTENSIONS
            .iter()
            .flat_map(|(names, _)| names.iter().copied()),
    )
}

/// Call the function `name`: govlint's own first, as rules call them most.
pub fn call<'a>(name: &str, args: Vec<Value<'a>>) -> Result<Value<'a>> {
    if functions::is_known(name) {
        return functions::call(name, args);
    }
    EXTENSIONS
        .iter()
        .find_map(|(_, call)| call(name, &args))
        .unwrap_or_else(|| Err(format!("unknown function `{name}`")))
}
