//! The syntax tree of a CEL expression: what the parser builds, the rewriter
//! reshapes and the interpreter walks.
//!
//! Its shape is the one cel-go and the `cel` crate give CEL's syntax: operators
//! are calls to functions with reserved names (`_+_`, `_[_]`), and the macros
//! (`all`, `exists`, `map`, …) are comprehensions. Keeping that shape lets the
//! tests hold the parser to the `cel` crate's tree, node for node.

use super::library;
use super::value::Call;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct IdedExpr {
    pub id: u64,
    pub expr: Expr,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub enum Expr {
    /// Never built from text; the placeholder of a part moved out of a tree.
    #[default]
    Unspecified,
    Call(CallExpr),
    Comprehension(Box<ComprehensionExpr>),
    Ident(String),
    List(ListExpr),
    Literal(Literal),
    Map(MapExpr),
    Select(SelectExpr),
    /// A message literal (`a.B{f: 1}`): read, so it can be refused by name.
    Struct(StructExpr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Null,
    Boolean(bool),
    Int(i64),
    UInt(u64),
    Double(f64),
    String(String),
    Bytes(Vec<u8>),
}

/// A function call, an operator or a method (`target.func_name(args)`).
#[derive(Clone, Debug)]
pub struct CallExpr {
    pub func_name: String,
    /// What `func_name` runs, found once here rather than by name at every call.
    pub function: Function,
    pub target: Option<Box<IdedExpr>>,
    pub args: Vec<IdedExpr>,
}

impl CallExpr {
    pub fn new(func_name: &str, target: Option<Box<IdedExpr>>, args: Vec<IdedExpr>) -> Self {
        Self {
            func_name: func_name.to_owned(),
            function: Function::named(func_name),
            target,
            args,
        }
    }
}

/// What a call runs follows from its name, so the name alone is compared.
impl PartialEq for CallExpr {
    fn eq(&self, other: &Self) -> bool {
        self.func_name == other.func_name && self.target == other.target && self.args == other.args
    }
}

/// What a call runs: a form that evaluates its own arguments, an operator, or
/// a library function.
#[derive(Clone, Copy, Debug)]
pub enum Function {
    And,
    Or,
    Conditional,
    NotStrictlyFalse,
    Collect,
    MapInsert,
    Not,
    Negate,
    Equals,
    NotEquals,
    Less,
    LessEquals,
    Greater,
    GreaterEquals,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    In,
    Index,
    /// `a[?k]` and `a.?b`.
    OptionalEntry,
    /// A function no library names is this too: it reports itself unknown when called.
    Library(Call),
}

impl Function {
    fn named(name: &str) -> Self {
        use operators::*;
        match name {
            LOGICAL_AND => Self::And,
            LOGICAL_OR => Self::Or,
            CONDITIONAL => Self::Conditional,
            NOT_STRICTLY_FALSE => Self::NotStrictlyFalse,
            COLLECT => Self::Collect,
            MAP_INSERT => Self::MapInsert,
            LOGICAL_NOT => Self::Not,
            NEGATE => Self::Negate,
            EQUALS => Self::Equals,
            NOT_EQUALS => Self::NotEquals,
            LESS => Self::Less,
            LESS_EQUALS => Self::LessEquals,
            GREATER => Self::Greater,
            GREATER_EQUALS => Self::GreaterEquals,
            ADD => Self::Add,
            SUBTRACT => Self::Subtract,
            MULTIPLY => Self::Multiply,
            DIVIDE => Self::Divide,
            MODULO => Self::Modulo,
            IN => Self::In,
            INDEX => Self::Index,
            OPTIONAL_INDEX | OPTIONAL_SELECT => Self::OptionalEntry,
            _ => Self::Library(library::find(name)),
        }
    }
}

/// `operand.field`, or `has(operand.field)` when `test` is set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SelectExpr {
    pub operand: Box<IdedExpr>,
    pub field: String,
    pub test: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListExpr {
    pub elements: Vec<IdedExpr>,
    /// The positions of elements written `?x`: an optional value, kept only
    /// when it has one.
    pub optional_indices: Vec<usize>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapExpr {
    pub entries: Vec<IdedEntryExpr>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StructExpr {
    pub type_name: String,
    pub entries: Vec<IdedEntryExpr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IdedEntryExpr {
    pub id: u64,
    pub expr: EntryExpr,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EntryExpr {
    StructField(StructFieldExpr),
    MapEntry(MapEntryExpr),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StructFieldExpr {
    pub field: String,
    pub value: IdedExpr,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapEntryExpr {
    pub key: IdedExpr,
    pub value: IdedExpr,
    /// Written `?key: value`: the value is optional, and the entry is made only
    /// when it has one.
    pub optional: bool,
}

/// A macro's loop: `accu_var` starts at `accu_init`; for each item of
/// `iter_range` (a list's items, a mapping's keys) bound to `iter_var`, while
/// `loop_cond` holds, it becomes `loop_step`; the value is `result`. With a
/// second variable, `iter_var` is a list's index or a mapping's key and
/// `iter_var2` the item or the value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ComprehensionExpr {
    pub iter_range: IdedExpr,
    pub iter_var: String,
    pub iter_var2: Option<String>,
    pub accu_var: String,
    pub accu_init: IdedExpr,
    pub loop_cond: IdedExpr,
    pub loop_step: IdedExpr,
    pub result: IdedExpr,
}

/// The reserved names of operators and of the macros' helpers.
pub mod operators {
    pub const CONDITIONAL: &str = "_?_:_";
    pub const LOGICAL_AND: &str = "_&&_";
    pub const LOGICAL_OR: &str = "_||_";
    pub const LOGICAL_NOT: &str = "!_";
    pub const SUBTRACT: &str = "_-_";
    pub const ADD: &str = "_+_";
    pub const MULTIPLY: &str = "_*_";
    pub const DIVIDE: &str = "_/_";
    pub const MODULO: &str = "_%_";
    pub const EQUALS: &str = "_==_";
    pub const NOT_EQUALS: &str = "_!=_";
    pub const GREATER_EQUALS: &str = "_>=_";
    pub const LESS_EQUALS: &str = "_<=_";
    pub const GREATER: &str = "_>_";
    pub const LESS: &str = "_<_";
    pub const NEGATE: &str = "-_";
    pub const INDEX: &str = "_[_]";
    pub const IN: &str = "@in";
    pub const HAS: &str = "has";
    pub const NOT_STRICTLY_FALSE: &str = "@not_strictly_false";
    /// `@map_insert(map, key, value)`: the map with one more entry (`transformMap`).
    pub const MAP_INSERT: &str = "@map_insert";
    /// `a.?b`: the field as an optional value, `_?._(a, 'b')`.
    pub const OPTIONAL_SELECT: &str = "_?._";
    /// `a[?k]`: the entry as an optional value.
    pub const OPTIONAL_INDEX: &str = "_[?_]";
    /// `@collect(range, item_name, condition, transform)`: a `map` or `filter`
    /// rewritten to run in linear time (see `linear`).
    pub const COLLECT: &str = "@collect";
}
