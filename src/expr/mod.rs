//! Rule conditions: CEL expressions, parsed and evaluated here, over the
//! document's own nodes.
//!
//! Everything else sees [`Expression`], [`Scope`] and [`Val`]. The evaluator reads
//! the YAML tree in place rather than a copy of it in an engine's values: a copy
//! of a large file would cost several times the file in memory.
//!
//! May import `base` and `load`.

pub mod ast;
mod budget;
mod compare;
mod format;
mod functions;
mod interpret;
mod library;
mod linear;
mod lookup;
mod math;
mod optional;
mod parse;
mod pattern;
mod standard;
mod strings;
mod value;

pub use budget::with_budget;
pub use value::POINTER_KEY;

use crate::load::Node;
use ast::{CallExpr, ComprehensionExpr, EntryExpr, Expr, IdedEntryExpr, IdedExpr, Literal};
use interpret::{Frame, Variables};
use value::Value;

/// A compiled condition or template fragment.
#[derive(Debug)]
pub struct Expression {
    /// The parsed expression, with list-building comprehensions rewritten (see `linear`).
    tree: IdedExpr,
    /// Sorted, without repeats.
    free: Vec<String>,
}

/// The longest expression accepted, and the most operators in one: the interpreter
/// and the walks over the tree recurse once per operator of a chain, so a hostile
/// rule file must not be able to exhaust the stack.
const MAX_EXPRESSION_BYTES: usize = 16 * 1024;
const MAX_OPERATORS: usize = 1000;
/// The parser, the interpreter and the walks over the tree recurse once per level.
const MAX_NESTING: usize = 64;

/// Refuse text the parser, the interpreter or the walks over the tree could not
/// take without exhausting the stack, before parsing it.
fn check_limits(text: &str) -> Result<(), String> {
    if text.len() > MAX_EXPRESSION_BYTES {
        return Err(format!(
            "the expression is longer than {MAX_EXPRESSION_BYTES} bytes; split it into `let` bindings"
        ));
    }
    // Every operator, bracket and `?` is a byte: text this short is within both limits.
    if text.len() <= MAX_NESTING.min(MAX_OPERATORS) {
        return Ok(());
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
    Ok(())
}

/// Operator tokens, and how deep the parser will nest, outside string literals:
/// brackets nest, and so does every conditional (`a ? b : c ? …`). An
/// over-estimate is harmless: it only refuses earlier. Read byte by byte: every
/// character that counts is ASCII, and no byte of a longer character is.
fn complexity(text: &str) -> (usize, usize) {
    let (mut operators, mut depth, mut deepest) = (0, 0usize, 0);
    let mut quote = None;
    let mut previous = b' ';
    for &byte in text.as_bytes() {
        match quote {
            Some(open) if byte == open && previous != b'\\' => quote = None,
            Some(_) => {}
            None if byte == b'\'' || byte == b'"' => quote = Some(byte),
            None if matches!(byte, b'(' | b'[' | b'{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            None if matches!(byte, b')' | b']' | b'}') => depth = depth.saturating_sub(1),
            None if is_operator(byte) && !continues_operator(previous) => operators += 1,
            None => {}
        }
        previous = byte;
    }
    let conditionals = text.bytes().filter(|&byte| byte == b'?').count();
    (operators, deepest + conditionals)
}

fn is_operator(byte: u8) -> bool {
    matches!(
        byte,
        b'+' | b'-' | b'*' | b'/' | b'%' | b'<' | b'>' | b'=' | b'!' | b'&' | b'|' | b'?'
    )
}

/// Whether an operator after `previous` is the second half of one (`<=`, `&&`, `!=`).
fn continues_operator(previous: u8) -> bool {
    matches!(previous, b'<' | b'>' | b'=' | b'!' | b'&' | b'|')
}

impl Expression {
    /// Parse, check and prepare an expression (on the large-stack workers: the walks
    /// over the tree recurse once per level, and a chain of operators is a level each).
    pub fn compile(text: &str) -> Result<Self, String> {
        crate::base::workers::install(|| Self::compile_here(text))
    }

    fn compile_here(text: &str) -> Result<Self, String> {
        check_limits(text)?;
        let mut tree =
            parse::parse(text).map_err(|error| format!("invalid expression: {error}"))?;
        let free = Survey::of(&tree).into_free_variables()?;
        linear::rewrite(&mut tree);
        Ok(Self { tree, free })
    }

    /// The parsed expression, as the interpreter runs it (`map` and `filter`
    /// rewritten to [`ast::operators::COLLECT`]): what a checker of the rule
    /// language walks.
    pub fn tree(&self) -> &ast::IdedExpr {
        &self.tree
    }

    /// Names the expression reads that no comprehension inside it binds.
    pub fn free_variables(&self) -> impl Iterator<Item = &str> {
        self.free.iter().map(String::as_str)
    }
}

/// The name of every function an expression may call (the docs must list each).
pub fn function_names() -> impl Iterator<Item = &'static str> {
    library::known_names()
}

/// Variables in force while evaluating: the document's, then a rule's, then an
/// item's. Values may borrow from the document and the pack (`'a`).
pub struct Scope<'p, 'a> {
    parent: Option<&'p Scope<'p, 'a>>,
    /// Names borrowed from the pack, so binding one allocates nothing.
    variables: Vec<(&'a str, Value<'a>)>,
}

impl<'p, 'a> Scope<'p, 'a> {
    pub fn root() -> Self {
        Self {
            parent: None,
            variables: Vec::new(),
        }
    }

    pub fn child(&self) -> Scope<'_, 'a> {
        Scope {
            parent: Some(self),
            variables: Vec::new(),
        }
    }

    pub fn bind(&mut self, name: &'a str, value: Val<'a>) {
        match self.variables.iter_mut().find(|(bound, _)| *bound == name) {
            Some((_, slot)) => *slot = value.0,
            None => self.variables.push((name, value.0)),
        }
    }

    pub fn eval(&self, expression: &'a Expression) -> Result<Val<'a>, String> {
        Frame::new(self).eval(&expression.tree).map(Val)
    }
}

impl<'a> Variables<'a> for Scope<'_, 'a> {
    fn lookup(&self, name: &str) -> Option<&Value<'a>> {
        self.variables
            .iter()
            .find(|(bound, _)| *bound == name)
            .map(|(_, value)| value)
            .or_else(|| self.parent?.lookup(name))
    }
}

/// A value computed by an expression, or given to one.
#[derive(Debug, Clone)]
pub struct Val<'a>(Value<'a>);

impl<'a> Val<'a> {
    pub fn null() -> Self {
        Self(Value::Null)
    }

    pub fn text(text: &str) -> Self {
        Self(Value::text(text))
    }

    pub fn int(number: i64) -> Self {
        Self(Value::Int(number))
    }

    /// The document whose root is `node`, read in place: every mapping gives its
    /// JSON Pointer under [`POINTER_KEY`].
    pub fn document(node: &'a Node) -> Self {
        Self(Value::document(node))
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.0 {
            Value::Bool(flag) => Some(flag),
            _ => None,
        }
    }

    /// The items of a list, read one at a time rather than copied.
    pub fn into_items(self) -> Option<impl Iterator<Item = Self>> {
        match self.0 {
            Value::List(list) => Some(list.into_items().map(Val)),
            _ => None,
        }
    }

    /// A JSON Pointer named by this value: a pointer string, or a node's own.
    pub fn pointer(&self) -> Option<String> {
        self.0.pointer()
    }

    /// The value as it reads in a message.
    /// A mapping's field, if this is a mapping that has it.
    pub fn field(&self, name: &str) -> Option<Self> {
        self.0.field(name).map(Val)
    }

    pub fn display(&self) -> String {
        self.0.display()
    }

    pub fn kind(&self) -> &'static str {
        self.0.kind()
    }

    /// The kind with its article: `an integer`, `a string`, `null`.
    pub fn a_kind(&self) -> &'static str {
        self.0.a_kind()
    }

    /// The entries of a mapping, their keys as text, in order.
    pub fn entries(&self) -> Option<Vec<(String, Self)>> {
        let Value::Map(map) = &self.0 else {
            return None;
        };
        map.keys()
            .into_iter()
            .map(|key| Some((key.display(), Val(map.get(&key.as_key()?)?))))
            .collect()
    }
}

impl Val<'static> {
    pub fn from_json(json: &serde_json::Value) -> Self {
        Self(value::from_json(json))
    }
}

/// What one walk over a parsed tree finds, its names borrowed from the tree: the
/// names it reads that no comprehension inside it binds, the first function it
/// calls that is not known, and the first part the engine does not evaluate.
#[derive(Default)]
struct Survey<'tree> {
    bound: Vec<&'tree str>,
    free: Vec<&'tree str>,
    unknown_function: Option<&'tree str>,
    unsupported: Option<String>,
}

impl<'tree> Survey<'tree> {
    fn of(tree: &'tree IdedExpr) -> Self {
        let mut survey = Self::default();
        survey.visit(tree);
        survey
    }

    /// The free variables, sorted and without repeats, or why the expression is
    /// refused: an unknown function first, then a part the engine does not evaluate.
    fn into_free_variables(mut self) -> Result<Vec<String>, String> {
        if let Some(name) = self.unknown_function {
            return Err(unknown_function(name));
        }
        if let Some(unsupported) = self.unsupported {
            return Err(unsupported);
        }
        self.free.sort_unstable();
        self.free.dedup();
        Ok(self.free.into_iter().map(str::to_owned).collect())
    }

    fn visit(&mut self, expr: &'tree IdedExpr) {
        match &expr.expr {
            Expr::Ident(name) => self.read(name),
            Expr::Call(call) => {
                self.call(&call.func_name);
                self.check_pattern(call);
                if let Some(target) = &call.target {
                    self.visit(target);
                }
                call.args.iter().for_each(|arg| self.visit(arg));
            }
            Expr::Select(select) => self.visit(&select.operand),
            Expr::List(list) => list.elements.iter().for_each(|item| self.visit(item)),
            Expr::Map(map) => self.visit_entries(&map.entries),
            Expr::Struct(structure) => {
                self.refuse(|| {
                    format!(
                        "message literals such as `{} {{…}}` are not supported; use a map literal",
                        structure.type_name
                    )
                });
                // Unknown functions inside are reported first, so look for them too.
                self.visit_entries(&structure.entries);
            }
            Expr::Comprehension(comprehension) => self.visit_comprehension(comprehension),
            Expr::Literal(literal) => {
                if !matches!(
                    literal,
                    Literal::Null
                        | Literal::Boolean(_)
                        | Literal::Int(_)
                        | Literal::UInt(_)
                        | Literal::Double(_)
                        | Literal::String(_)
                ) {
                    self.refuse(|| "bytes literals (`b'…'`) are not supported".to_owned());
                }
            }
            Expr::Unspecified => self.refuse(|| "an empty expression".to_owned()),
        }
    }

    fn visit_entries(&mut self, entries: &'tree [IdedEntryExpr]) {
        for entry in entries {
            match &entry.expr {
                EntryExpr::MapEntry(entry) => {
                    self.visit(&entry.key);
                    self.visit(&entry.value);
                }
                EntryExpr::StructField(field) => self.visit(&field.value),
            }
        }
    }

    /// The range and the start are read outside the comprehension's variables.
    fn visit_comprehension(&mut self, comprehension: &'tree ComprehensionExpr) {
        self.visit(&comprehension.iter_range);
        self.visit(&comprehension.accu_init);
        let depth = self.bound.len();
        self.bound.push(&comprehension.iter_var);
        self.bound.extend(comprehension.iter_var2.as_deref());
        self.bound.push(&comprehension.accu_var);
        self.visit(&comprehension.loop_cond);
        self.visit(&comprehension.loop_step);
        self.visit(&comprehension.result);
        self.bound.truncate(depth);
    }

    /// Names of types (`int`, `list`) are values, not variables the scope must give.
    fn read(&mut self, name: &'tree str) {
        if !self.bound.contains(&name) && !value::TYPE_NAMES.contains(&name) {
            self.free.push(name);
        }
    }

    /// Only names that start with a letter are checked: operators (`_+_`), the
    /// rewriter's functions (`@collect`) and names after a leading `.` do not.
    fn call(&mut self, function: &'tree str) {
        if self.unknown_function.is_none()
            && function.starts_with(|c: char| c.is_ascii_alphabetic())
            && !library::is_known(function)
        {
            self.unknown_function = Some(function);
        }
    }

    /// A literal pattern of `matches` is compiled now, once for the run, so a
    /// malformed one is reported when the pack loads rather than on every record.
    fn check_pattern(&mut self, call: &CallExpr) {
        if call.func_name != "matches" {
            return;
        }
        if let Some(Expr::Literal(Literal::String(pattern))) = call.args.last().map(|arg| &arg.expr)
            && let Err(error) = pattern::compiled(pattern)
        {
            self.refuse(|| error);
        }
    }

    /// Keep the first part found that the engine does not evaluate.
    fn refuse(&mut self, unsupported: impl FnOnce() -> String) {
        if self.unsupported.is_none() {
            self.unsupported = Some(unsupported());
        }
    }
}

fn unknown_function(name: &str) -> String {
    match crate::base::suggest::did_you_mean(name, library::known_names()) {
        Some(close) => format!("unknown function `{name}`; did you mean `{close}`?"),
        None => format!("unknown function `{name}`"),
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod conformance;
