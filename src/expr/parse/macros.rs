//! The macros CEL expands while parsing, into the trees cel 0.12 builds for them:
//! `has(a.b)` becomes a presence test, and `all`, `exists`, `exists_one` (or
//! `existsOne`), `map` and `filter` become comprehensions folding into `@result`.
//! The forms with two variables (`all(i, v, …)`, `transformList`,
//! `transformMap`), `cel.bind`, `optMap` and `optFlatMap` are CEL's later
//! additions, built as cel-go builds them.

use super::Ids;
use crate::expr::ast::{
    CallExpr, ComprehensionExpr, Expr, IdedExpr, ListExpr, Literal, MapExpr, SelectExpr, operators,
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

/// `cel.bind(name, value, body)`: `body` with `name` bound to `value`, as a
/// comprehension over nothing whose accumulator is the name.
pub(super) fn bind(ids: &Ids, args: Vec<IdedExpr>) -> Result<IdedExpr, String> {
    let [variable, value, body]: [IdedExpr; 3] = args
        .try_into()
        .map_err(|_| "`cel.bind` takes a name, a value and an expression".to_owned())?;
    let Expr::Ident(name) = variable.expr else {
        return Err("the first argument of `cel.bind` must be a simple name".to_owned());
    };
    Ok(ids.node(Expr::Comprehension(Box::new(ComprehensionExpr {
        iter_range: empty_list(ids),
        iter_var: "#unused".to_owned(),
        iter_var2: None,
        accu_var: name.clone(),
        accu_init: value,
        loop_cond: literal(ids, Literal::Boolean(false)),
        loop_step: ids.node(Expr::Ident(name)),
        result: body,
    }))))
}

/// `opt.optMap(x, e)`: `opt.hasValue() ? optional.of(cel.bind(x, opt.value(), e))
/// : optional.none()`, as cel-go expands it; `optFlatMap` leaves out the
/// `optional.of`, its `e` giving an optional value itself.
pub(super) fn opt_map(
    ids: &Ids,
    flat: bool,
    target: IdedExpr,
    args: Vec<IdedExpr>,
) -> Result<IdedExpr, String> {
    let [variable, body]: [IdedExpr; 2] = args
        .try_into()
        .map_err(|_| "`optMap` and `optFlatMap` take a name and an expression".to_owned())?;
    let has_value = method(ids, "hasValue", target.clone());
    let value = method(ids, "value", target);
    let bound = bind(ids, vec![variable, value, body])?;
    let present = match flat {
        true => bound,
        false => call(ids, "optional.of", vec![bound]),
    };
    let absent = call(ids, "optional.none", Vec::new());
    Ok(call(
        ids,
        operators::CONDITIONAL,
        vec![has_value, present, absent],
    ))
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Comprehension {
    All,
    Exists,
    ExistsOne,
    Map,
    Filter,
    /// `transformMap`: a mapping from each key to a new value.
    MapValues,
}

/// A comprehension macro and whether it binds two variables.
#[derive(Debug, Clone, Copy)]
pub(super) struct Macro {
    kind: Comprehension,
    two_variables: bool,
}

impl Comprehension {
    /// The macro that `range.name(…)` with `arity` arguments is, if any.
    pub(super) fn named(name: &str, arity: usize) -> Option<Macro> {
        let (kind, two_variables) = match (name, arity) {
            ("all", 2 | 3) => (Self::All, arity == 3),
            ("exists", 2 | 3) => (Self::Exists, arity == 3),
            ("exists_one" | "existsOne", 2 | 3) => (Self::ExistsOne, arity == 3),
            ("map", 2 | 3) => (Self::Map, false),
            ("filter", 2) => (Self::Filter, false),
            ("transformList", 3 | 4) => (Self::Map, true),
            ("transformMap", 3 | 4) => (Self::MapValues, true),
            _ => return None,
        };
        Some(Macro {
            kind,
            two_variables,
        })
    }
}

fn variable_name(name: &str, variable: &IdedExpr) -> Result<String, String> {
    match &variable.expr {
        Expr::Ident(iter_var) => Ok(iter_var.clone()),
        _ => Err(format!(
            "the variables of `{name}` must be simple names, such as `{name}(x, …)`"
        )),
    }
}

/// `range.name(x, …)` as a comprehension over `range` binding `x` (and a
/// second variable for the two-variable forms). `args` has the arity
/// [`Comprehension::named`] accepted.
pub(super) fn comprehension(
    ids: &Ids,
    found: Macro,
    name: &str,
    range: IdedExpr,
    args: Vec<IdedExpr>,
) -> Result<IdedExpr, String> {
    let mut args = args.into_iter();
    let variable = args.next().unwrap_or_default();
    let iter_var = variable_name(name, &variable)?;
    let iter_var2 = match found.two_variables {
        true => Some(variable_name(name, &args.next().unwrap_or_default())?),
        false => None,
    };
    let body = args.next_back().unwrap_or_default();
    let filter = args.next();
    let (accu_init, loop_cond, loop_step, result) = match found.kind {
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
            let step = filtered(ids, filter, append(ids, body));
            (empty_list(ids), always(ids), step, accumulator(ids))
        }
        Comprehension::Filter => {
            let step = filtered(ids, Some(body), append(ids, variable));
            (empty_list(ids), always(ids), step, accumulator(ids))
        }
        Comprehension::MapValues => {
            let key = ids.node(Expr::Ident(iter_var.clone()));
            let inserted = call(
                ids,
                operators::MAP_INSERT,
                vec![accumulator(ids), key, body],
            );
            let step = filtered(ids, filter, inserted);
            let empty = ids.node(Expr::Map(MapExpr::default()));
            (empty, always(ids), step, accumulator(ids))
        }
    };
    Ok(ids.node(Expr::Comprehension(Box::new(ComprehensionExpr {
        iter_range: range,
        iter_var,
        iter_var2,
        accu_var: ACCUMULATOR.to_owned(),
        accu_init,
        loop_cond,
        loop_step,
        result,
    }))))
}

/// `step`, or `filter ? step : @result` when there is a filter.
fn filtered(ids: &Ids, filter: Option<IdedExpr>, step: IdedExpr) -> IdedExpr {
    match filter {
        Some(filter) => call(
            ids,
            operators::CONDITIONAL,
            vec![filter, step, accumulator(ids)],
        ),
        None => step,
    }
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
        optional_indices: Vec::new(),
    }));
    call(ids, operators::ADD, vec![accumulator(ids), single])
}

/// `target.function()`.
fn method(ids: &Ids, function: &str, target: IdedExpr) -> IdedExpr {
    ids.node(Expr::Call(CallExpr::new(
        function,
        Some(Box::new(target)),
        Vec::new(),
    )))
}

fn call(ids: &Ids, function: &str, args: Vec<IdedExpr>) -> IdedExpr {
    ids.node(Expr::Call(CallExpr::new(function, None, args)))
}
