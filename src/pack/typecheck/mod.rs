//! The rule conditions checked against the records' schema before they run.
//!
//! CEL's own checker declares each variable's type and gives every node of an
//! expression one; here the declarations come from the pack's merged snapshot
//! schema (`doc` is its root, each binding the type of its expression), and
//! each node's type follows from its parts. A field the schema does not give
//! is refused with "did you mean", and an ordering of dates with the function
//! to use. What the schema does not fix (a function whose result this module
//! does not know, a mapping's entries, a value of several types) is `Dyn` and
//! stays dynamic: it is checked when the rule runs, as before.
//!
//! `schema` reads the types the schema gives, `walk` gives each node of an
//! expression its type, and `arguments` knows what library functions take.

mod arguments;
mod schema;
mod walk;

use crate::base::date::PartialDate;
use crate::expr::ast::IdedExpr;
use crate::pack::ParamVersion;
use serde_json::Value as Json;

/// The type of a value, as far as the schema and the expression fix it.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Ty<'s> {
    /// Not fixed: checked when the rule runs.
    Dyn,
    /// The items of an empty list: joins with any type.
    Never,
    Null,
    Bool,
    Int,
    Double,
    Str,
    Date,
    List(Box<Ty<'s>>),
    /// A mapping whose keys are data (`index_by`, `group_by`), its values of one type.
    Map(Box<Ty<'s>>),
    /// A record the schema describes: an object node of the schema.
    Node(&'s Json),
    /// A mapping the expression builds with fixed keys (a map literal, `pairs`).
    Record(Vec<(String, Ty<'s>)>),
}

impl Ty<'_> {
    /// The type, as a message names it.
    fn described(&self) -> &'static str {
        match self {
            Self::Dyn | Self::Never => "a value",
            Self::Null => "null",
            Self::Bool => "a boolean",
            Self::Int => "an integer",
            Self::Double => "a number",
            Self::Str => "a string",
            Self::Date => "a date",
            Self::List(_) => "a list",
            Self::Map(_) | Self::Node(_) | Self::Record(_) => "a mapping",
        }
    }

    /// The type of an item of a list of this type.
    pub(super) fn item(self) -> Self {
        match self {
            Self::List(item) => *item,
            _ => Self::Dyn,
        }
    }

    fn is_number(&self) -> bool {
        matches!(self, Self::Int | Self::Double)
    }

    /// A value of one fixed kind (what a comparison can judge statically).
    fn is_scalar(&self) -> bool {
        matches!(
            self,
            Self::Bool | Self::Int | Self::Double | Self::Str | Self::Date
        )
    }
}

/// The type of a value that is either `a` or `b`.
fn join<'s>(a: Ty<'s>, b: Ty<'s>) -> Ty<'s> {
    match (a, b) {
        (a, b) if a == b => a,
        (Ty::Never | Ty::Null, other) | (other, Ty::Never | Ty::Null) => other,
        // An empty mapping (`get(members, id, {})`) joins with any mapping.
        (Ty::Map(empty), other @ (Ty::Node(_) | Ty::Record(_) | Ty::Map(_)))
        | (other @ (Ty::Node(_) | Ty::Record(_) | Ty::Map(_)), Ty::Map(empty))
            if *empty == Ty::Never =>
        {
            other
        }
        (Ty::List(a), Ty::List(b)) => Ty::List(Box::new(join(*a, *b))),
        (Ty::Map(a), Ty::Map(b)) => Ty::Map(Box::new(join(*a, *b))),
        _ => Ty::Dyn,
    }
}

/// The type of a rule's `params`: each parameter's, as its values in every
/// version give it (a text that is a date is a date).
pub(super) fn params_type<'s>(versions: &[ParamVersion]) -> Ty<'s> {
    let Some(first) = versions.first() else {
        return Ty::Record(Vec::new());
    };
    let value_type = |value: &Json| match value {
        Json::String(text) if PartialDate::parse(text).is_ok() => Ty::Date,
        other => schema::of_value(other),
    };
    let fields = (first.values.keys())
        .map(|name| {
            let ty = versions
                .iter()
                .filter_map(|version| version.values.get(name))
                .map(value_type)
                .reduce(|a, b| if a == b { a } else { Ty::Dyn })
                .unwrap_or(Ty::Dyn);
            (name.clone(), ty)
        })
        .collect();
    Ty::Record(fields)
}

/// One mistake found in an expression, and the text it is about.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Mistake {
    /// The text of the expression to point at: `.field`, `'field'`, an operator.
    pub(super) near: Vec<String>,
    pub(super) message: String,
    pub(super) help: Option<String>,
}

/// The records' schema, as the checker reads it.
pub(super) struct Typing<'s> {
    root: &'s Json,
}

impl<'s> Typing<'s> {
    pub(super) fn new(root: &'s Json) -> Self {
        Self { root }
    }

    /// The names every expression may read: the document and its date.
    pub(super) fn document_names(&self) -> Vec<(String, Ty<'s>)> {
        vec![
            ("doc".to_owned(), self.resolve(self.root)),
            ("as_of".to_owned(), Ty::Date),
        ]
    }

    /// The type of `tree` where `names` have their types, and its mistakes.
    /// `external` are fields the rule declares as data from elsewhere.
    pub(super) fn check(
        &self,
        tree: &IdedExpr,
        names: &[(String, Ty<'s>)],
        external: &[String],
    ) -> (Ty<'s>, Vec<Mistake>) {
        walk::check(self, tree, names, external)
    }
}
