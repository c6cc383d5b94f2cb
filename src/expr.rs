//! The one module that speaks to the expression engine (CEL, through the `cel` crate).
//!
//! Everything else sees [`Expression`], [`Scope`] and [`Val`]. The crate's API moves
//! between releases; keeping it here keeps such a move to one file.

mod budget;
mod functions;
mod linear;
mod parse;

pub use budget::with_budget;

use crate::load::{Node, Value as Yaml, push_token};
use cel::common::ast::{EntryExpr, Expr, IdedExpr};
use cel::objects::{Key, Map};
use cel::{Context, ExecutionError, Value};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;

/// The reserved key under which every mapping carries its JSON Pointer, so an item
/// reached through a sort, a lookup or a pair still knows where it is in the file.
pub const POINTER_KEY: &str = "_path";

/// A compiled condition or template fragment.
#[derive(Debug)]
pub struct Expression {
    /// The parsed expression, with list-building comprehensions rewritten (see `linear`).
    tree: IdedExpr,
    free: BTreeSet<String>,
}

/// The longest expression accepted, and the most operators in one: the interpreter
/// and the walks over the tree recurse once per operator of a chain, so a hostile
/// rule file must not be able to exhaust the stack.
const MAX_EXPRESSION_BYTES: usize = 16 * 1024;
const MAX_OPERATORS: usize = 1000;
/// The parser, the interpreter and the walks over the tree recurse once per level.
const MAX_NESTING: usize = 64;

/// Operator tokens, and how deep the parser will nest, outside string literals:
/// brackets nest, and so does every conditional (`a ? b : c ? …`). An
/// over-estimate is harmless: it only refuses earlier.
fn complexity(text: &str) -> (usize, usize) {
    let (mut operators, mut depth, mut deepest) = (0, 0usize, 0);
    let mut quote = None;
    let mut previous = ' ';
    for c in text.chars() {
        match quote {
            Some(open) if c == open && previous != '\\' => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if "([{".contains(c) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            None if ")]}".contains(c) => depth = depth.saturating_sub(1),
            None if "+-*/%<>=!&|?".contains(c) && !"<>=!&|".contains(previous) => operators += 1,
            None => {}
        }
        previous = c;
    }
    let conditionals = text.matches('?').count();
    (operators, deepest + conditionals)
}

impl Expression {
    /// Parse, check and prepare an expression (on the large-stack workers: the walks
    /// over the tree recurse once per level, and a chain of operators is a level each).
    pub fn compile(text: &str) -> Result<Self, String> {
        crate::workers::install(|| Self::compile_here(text))
    }

    fn compile_here(text: &str) -> Result<Self, String> {
        if text.len() > MAX_EXPRESSION_BYTES {
            return Err(format!(
                "the expression is longer than {MAX_EXPRESSION_BYTES} bytes; split it into `let` bindings"
            ));
        }
        let (operators, nesting) = complexity(text);
        if operators > MAX_OPERATORS {
            return Err(format!(
                "the expression has {operators} operators, more than {MAX_OPERATORS}; split it into `let` bindings"
            ));
        }
        if nesting > MAX_NESTING {
            return Err(format!(
                "the expression nests brackets {nesting} deep, more than {MAX_NESTING}; split it into `let` bindings"
            ));
        }
        let tree = parse::parse(text).map_err(|error| format!("invalid expression: {error}"))?;
        let mut free = BTreeSet::new();
        free_variables(&tree, &mut Vec::new(), &mut free);
        let unknown: Vec<String> = tree
            .references()
            .functions()
            .into_iter()
            .filter(|name| name.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter(|name| !functions::is_known(name))
            .map(str::to_owned)
            .collect();
        if let Some(name) = unknown.first() {
            let close = crate::suggest::did_you_mean(name, functions::known_names());
            return Err(match close {
                Some(close) => format!("unknown function `{name}`; did you mean `{close}`?"),
                None => format!("unknown function `{name}`"),
            });
        }
        if let Some(unsupported) = unsupported(&tree) {
            return Err(unsupported);
        }
        Ok(Self {
            tree: linear::rewrite(tree),
            free,
        })
    }

    /// Names the expression reads that no comprehension inside it binds.
    pub fn free_variables(&self) -> impl Iterator<Item = &str> {
        self.free.iter().map(String::as_str)
    }
}

/// Variables in force while evaluating: the document's, then an item's.
pub struct Scope<'parent> {
    context: Context<'parent>,
}

impl Scope<'static> {
    pub fn root() -> Self {
        let mut context = Context::default();
        functions::register(&mut context);
        Self { context }
    }
}

impl<'parent> Scope<'parent> {
    pub fn child(&self) -> Scope<'_> {
        Scope {
            context: self.context.new_inner_scope(),
        }
    }

    pub fn bind(&mut self, name: &str, value: Val) {
        self.context.add_variable_from_value(name, value.0);
    }

    pub fn eval(&self, expression: &Expression) -> Result<Val, String> {
        self.context
            .resolve(&expression.tree)
            .map(Val)
            .map_err(|error| describe(&error))
    }
}

/// A value computed by an expression.
#[derive(Debug, Clone)]
pub struct Val(Value);

impl Val {
    pub fn null() -> Self {
        Self(Value::Null)
    }

    pub fn text(text: &str) -> Self {
        Self(Value::String(Arc::new(text.to_owned())))
    }

    /// A YAML tree, every mapping stamped with its JSON Pointer under [`POINTER_KEY`].
    /// The top-level entries (the document's collections) convert in parallel.
    pub fn from_node(node: &Node) -> Self {
        let pointer_key = Arc::new(POINTER_KEY.to_owned());
        let Yaml::Map(entries) = &node.value else {
            return Self(Converter::new(&pointer_key).convert(node));
        };
        let fields = entries
            .par_iter()
            .map(|(key, value)| Converter::new(&pointer_key).field(key, value))
            .collect::<Vec<_>>();
        Self(Converter::new(&pointer_key).mapping(fields))
    }

    pub fn from_json(json: &serde_json::Value) -> Self {
        Self(convert_json(json))
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.0 {
            Value::Bool(flag) => Some(flag),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.0, Value::Null)
    }

    pub fn into_list(self) -> Option<Vec<Val>> {
        match self.0 {
            Value::List(items) => Some(items.iter().cloned().map(Val).collect()),
            _ => None,
        }
    }

    /// A JSON Pointer named by this value: a pointer string, or a mapping's own pointer.
    pub fn pointer(&self) -> Option<String> {
        match &self.0 {
            Value::String(text) if text.is_empty() || text.starts_with('/') => {
                Some(text.to_string())
            }
            Value::Map(map) => match map.map.get(&Key::String(Arc::new(POINTER_KEY.to_owned()))) {
                Some(Value::String(pointer)) => Some(pointer.to_string()),
                _ => None,
            },
            _ => None,
        }
    }

    /// The value as it reads in a message.
    pub fn display(&self) -> String {
        functions::display(&self.0)
    }

    pub fn kind(&self) -> &'static str {
        functions::kind(&self.0)
    }
}

/// Builds the expression engine's copy of a tree, once per document. Texts are not
/// copied: the engine's values share the tree's reference-counted strings.
struct Converter {
    pointer: String,
    pointer_key: Arc<String>,
}

impl Converter {
    fn new(pointer_key: &Arc<String>) -> Self {
        Self {
            pointer: String::new(),
            pointer_key: Arc::clone(pointer_key),
        }
    }

    fn convert(&mut self, node: &Node) -> Value {
        match &node.value {
            Yaml::Null => Value::Null,
            Yaml::Bool(flag) => Value::Bool(*flag),
            Yaml::Int(number) => Value::Int(*number),
            Yaml::Float(number) => Value::Float(*number),
            Yaml::Str(text) => Value::String(Arc::clone(text)),
            Yaml::Seq(items) => {
                let mut converted = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    let restore = self.pointer.len();
                    let _ = write!(self.pointer, "/{index}");
                    converted.push(self.convert(item));
                    self.pointer.truncate(restore);
                }
                Value::List(Arc::new(converted))
            }
            Yaml::Map(entries) => {
                let fields = entries
                    .iter()
                    .map(|(key, value)| self.field(key, value))
                    .collect();
                self.mapping(fields)
            }
        }
    }

    /// One entry of the mapping at `self.pointer`.
    fn field(&mut self, key: &Node, value: &Node) -> (Key, Value) {
        let name = match &key.value {
            Yaml::Str(text) => Arc::clone(text),
            _ => Arc::new(key.as_key().unwrap_or_default()),
        };
        let restore = self.pointer.len();
        push_token(&mut self.pointer, &name);
        let converted = self.convert(value);
        self.pointer.truncate(restore);
        (Key::String(name), converted)
    }

    /// The mapping at `self.pointer`, stamped with that pointer.
    fn mapping(&self, fields: Vec<(Key, Value)>) -> Value {
        let mut map = HashMap::with_capacity(fields.len() + 1);
        map.extend(fields);
        map.insert(
            Key::String(Arc::clone(&self.pointer_key)),
            Value::String(Arc::new(self.pointer.clone())),
        );
        Value::Map(Map { map: Arc::new(map) })
    }
}

fn convert_json(json: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match json {
        J::Null => Value::Null,
        J::Bool(flag) => Value::Bool(*flag),
        J::Number(number) => number
            .as_i64()
            .map(Value::Int)
            .or_else(|| number.as_f64().map(Value::Float))
            .unwrap_or(Value::Null),
        J::String(text) => Value::String(Arc::new(text.clone())),
        J::Array(items) => Value::List(Arc::new(items.iter().map(convert_json).collect())),
        J::Object(entries) => Value::Map(Map {
            map: Arc::new(
                entries
                    .iter()
                    .map(|(key, value)| (Key::String(Arc::new(key.clone())), convert_json(value)))
                    .collect(),
            ),
        }),
    }
}

/// Identifiers read by `expr` that no enclosing comprehension binds.
fn free_variables(expr: &IdedExpr, bound: &mut Vec<String>, free: &mut BTreeSet<String>) {
    match &expr.expr {
        Expr::Ident(name) => {
            if !bound.contains(name) {
                free.insert(name.clone());
            }
        }
        Expr::Call(call) => {
            if let Some(target) = &call.target {
                free_variables(target, bound, free);
            }
            call.args
                .iter()
                .for_each(|arg| free_variables(arg, bound, free));
        }
        Expr::Select(select) => free_variables(&select.operand, bound, free),
        Expr::List(list) => list
            .elements
            .iter()
            .for_each(|item| free_variables(item, bound, free)),
        Expr::Map(map) => map.entries.iter().for_each(|entry| match &entry.expr {
            EntryExpr::MapEntry(entry) => {
                free_variables(&entry.key, bound, free);
                free_variables(&entry.value, bound, free);
            }
            EntryExpr::StructField(field) => free_variables(&field.value, bound, free),
        }),
        Expr::Struct(structure) => structure.entries.iter().for_each(|entry| {
            if let EntryExpr::StructField(field) = &entry.expr {
                free_variables(&field.value, bound, free);
            }
        }),
        Expr::Comprehension(comprehension) => {
            free_variables(&comprehension.iter_range, bound, free);
            free_variables(&comprehension.accu_init, bound, free);
            let depth = bound.len();
            bound.push(comprehension.iter_var.clone());
            bound.extend(comprehension.iter_var2.clone());
            bound.push(comprehension.accu_var.clone());
            free_variables(&comprehension.loop_cond, bound, free);
            free_variables(&comprehension.loop_step, bound, free);
            free_variables(&comprehension.result, bound, free);
            bound.truncate(depth);
        }
        Expr::Literal(_) | Expr::Unspecified => {}
    }
}

/// Parts of CEL the engine does not evaluate (message literals), found before they run.
fn unsupported(expr: &IdedExpr) -> Option<String> {
    let children: Vec<&IdedExpr> = match &expr.expr {
        Expr::Struct(structure) => {
            return Some(format!(
                "message literals such as `{} {{…}}` are not supported; use a map literal",
                structure.type_name
            ));
        }
        Expr::Call(call) => call
            .target
            .iter()
            .map(AsRef::as_ref)
            .chain(&call.args)
            .collect(),
        Expr::Select(select) => vec![&select.operand],
        Expr::List(list) => list.elements.iter().collect(),
        Expr::Map(map) => map
            .entries
            .iter()
            .flat_map(|entry| match &entry.expr {
                EntryExpr::MapEntry(entry) => vec![&entry.key, &entry.value],
                EntryExpr::StructField(field) => vec![&field.value],
            })
            .collect(),
        Expr::Comprehension(c) => vec![
            &c.iter_range,
            &c.accu_init,
            &c.loop_cond,
            &c.loop_step,
            &c.result,
        ],
        Expr::Ident(_) | Expr::Literal(_) => Vec::new(),
        Expr::Unspecified => return Some("an empty expression".to_owned()),
    };
    children.into_iter().find_map(unsupported)
}

fn describe(error: &ExecutionError) -> String {
    match error {
        ExecutionError::NoSuchKey(key) => {
            format!("no field `{key}` here (guard it with `has(...)`)")
        }
        ExecutionError::UndeclaredReference(name) => format!("`{name}` is not defined"),
        ExecutionError::FunctionError { function, message } => format!("{function}: {message}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
