//! The macros CEL expands while parsing, into the trees cel 0.12 builds for them:
//! `has(a.b)` becomes a presence test, and `all`, `exists`, `exists_one` (or
//! `existsOne`), `map` and `filter` become comprehensions folding into `@result`.

use super::Ids;
use crate::expr::ast::{
    CallExpr, ComprehensionExpr, Expr, IdedExpr, ListExpr, Literal, SelectExpr, operators,
};

/// The accumulator every comprehension folds into.
const ACCUMULATOR: &str = "@result";

/// `has(a.b)`: the selection, marked as a test of the field's presence.
pub(super) fn has(ids: &Ids, argument: IdedExpr) -> Result<IdedExpr, String> {
    match argument.expr {
        Expr::Select(select) => Ok(ids.node(Expr::Select(SelectExpr {
            test: true,
            ..select
        }))),
        _ => Err("`has` takes a field selection, such as `has(a.b)`".to_owned()),
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Comprehension {
    All,
    Exists,
    ExistsOne,
    Map,
    Filter,
}

impl Comprehension {
    /// The macro that `range.name(…)` with `arity` arguments is, if any.
    pub(super) fn named(name: &str, arity: usize) -> Option<Self> {
        match (name, arity) {
            ("all", 2) => Some(Self::All),
            ("exists", 2) => Some(Self::Exists),
            ("exists_one" | "existsOne", 2) => Some(Self::ExistsOne),
            ("map", 2 | 3) => Some(Self::Map),
            ("filter", 2) => Some(Self::Filter),
            _ => None,
        }
    }
}

/// `range.name(x, …)` as a comprehension over `range` binding `x`. `args` has the
/// arity [`Comprehension::named`] accepted.
pub(super) fn comprehension(
    ids: &Ids,
    kind: Comprehension,
    name: &str,
    range: IdedExpr,
    args: Vec<IdedExpr>,
) -> Result<IdedExpr, String> {
    let mut args = args.into_iter();
    let variable = args.next().unwrap_or_default();
    let body = args.next_back().unwrap_or_default();
    let filter = args.next();
    let Expr::Ident(iter_var) = &variable.expr else {
        return Err(format!(
            "the first argument of `{name}` must be a simple name, such as `{name}(x, …)`"
        ));
    };
    let iter_var = iter_var.clone();
    let (accu_init, loop_cond, loop_step, result) = match kind {
        Comprehension::All => {
            let condition = call(ids, operators::NOT_STRICTLY_FALSE, vec![accumulator(ids)]);
            let step = call(ids, operators::LOGICAL_AND, vec![accumulator(ids), body]);
            (
                literal(ids, Literal::Boolean(true)),
                condition,
                step,
                accumulator(ids),
            )
        }
        Comprehension::Exists => {
            let not = call(ids, operators::LOGICAL_NOT, vec![accumulator(ids)]);
            let condition = call(ids, operators::NOT_STRICTLY_FALSE, vec![not]);
            let step = call(ids, operators::LOGICAL_OR, vec![accumulator(ids), body]);
            (
                literal(ids, Literal::Boolean(false)),
                condition,
                step,
                accumulator(ids),
            )
        }
        Comprehension::ExistsOne => {
            let one = literal(ids, Literal::Int(1));
            let count = call(ids, operators::ADD, vec![accumulator(ids), one]);
            let step = call(
                ids,
                operators::CONDITIONAL,
                vec![body, count, accumulator(ids)],
            );
            let one = literal(ids, Literal::Int(1));
            let result = call(ids, operators::EQUALS, vec![accumulator(ids), one]);
            (literal(ids, Literal::Int(0)), always(ids), step, result)
        }
        Comprehension::Map => {
            let appended = append(ids, body);
            let step = match filter {
                Some(filter) => call(
                    ids,
                    operators::CONDITIONAL,
                    vec![filter, appended, accumulator(ids)],
                ),
                None => appended,
            };
            (empty_list(ids), always(ids), step, accumulator(ids))
        }
        Comprehension::Filter => {
            let appended = append(ids, variable);
            let step = call(
                ids,
                operators::CONDITIONAL,
                vec![body, appended, accumulator(ids)],
            );
            (empty_list(ids), always(ids), step, accumulator(ids))
        }
    };
    Ok(ids.node(Expr::Comprehension(Box::new(ComprehensionExpr {
        iter_range: range,
        iter_var,
        accu_var: ACCUMULATOR.to_owned(),
        accu_init,
        loop_cond,
        loop_step,
        result,
    }))))
}

fn accumulator(ids: &Ids) -> IdedExpr {
    ids.node(Expr::Ident(ACCUMULATOR.to_owned()))
}

fn always(ids: &Ids) -> IdedExpr {
    literal(ids, Literal::Boolean(true))
}

fn literal(ids: &Ids, value: Literal) -> IdedExpr {
    ids.node(Expr::Literal(value))
}

fn empty_list(ids: &Ids) -> IdedExpr {
    ids.node(Expr::List(ListExpr::default()))
}

/// `@result + [item]`.
fn append(ids: &Ids, item: IdedExpr) -> IdedExpr {
    let single = ids.node(Expr::List(ListExpr {
        elements: vec![item],
    }));
    call(ids, operators::ADD, vec![accumulator(ids), single])
}

fn call(ids: &Ids, function: &str, args: Vec<IdedExpr>) -> IdedExpr {
    ids.node(Expr::Call(CallExpr {
        func_name: function.to_owned(),
        target: None,
        args,
    }))
}
