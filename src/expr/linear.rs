//! Comprehensions in linear time, and never on a value they cannot iterate.
//!
//! The interpreter builds `map` and `filter` results by `@result + [item]` at each
//! step, copying the list every time: quadratic in the list's length. Those shapes
//! are rewritten into a call to [`COLLECT`], which evaluates the same condition and
//! transform per item into one growing list. Every other comprehension gets its range
//! checked by [`ITERABLE`] first, because the interpreter cannot iterate a scalar.

use cel::common::ast::{CallExpr, ComprehensionExpr, EntryExpr, Expr, IdedExpr};
use cel::{Context, ExecutionError, FunctionContext, Value};
use std::sync::Arc;

/// `@collect(range, item_name, condition, transform)`.
const COLLECT: &str = "@collect";
/// `@iterable(range)`: the range itself, or an error if it is not a list or a map.
const ITERABLE: &str = "@iterable";
const ACCUMULATOR: &str = "@result";

pub fn register(context: &mut Context) {
    context.add_function(COLLECT, collect);
    context.add_function(ITERABLE, iterable);
}

/// Rewrite every comprehension in `expr` (see the module comment).
pub fn rewrite(mut expr: IdedExpr) -> IdedExpr {
    expr.expr = match expr.expr {
        Expr::Comprehension(comprehension) => rewrite_comprehension(*comprehension, expr.id),
        Expr::Call(mut call) => {
            call.target = call.target.map(|target| Box::new(rewrite(*target)));
            call.args = call.args.into_iter().map(rewrite).collect();
            Expr::Call(call)
        }
        Expr::Select(mut select) => {
            select.operand = Box::new(rewrite(*select.operand));
            Expr::Select(select)
        }
        Expr::List(mut list) => {
            list.elements = list.elements.into_iter().map(rewrite).collect();
            Expr::List(list)
        }
        Expr::Map(mut map) => {
            for entry in &mut map.entries {
                if let EntryExpr::MapEntry(entry) = &mut entry.expr {
                    entry.key = rewrite(std::mem::take(&mut entry.key));
                    entry.value = rewrite(std::mem::take(&mut entry.value));
                }
            }
            Expr::Map(map)
        }
        other => other,
    };
    expr
}

fn call(id: u64, name: &str, args: Vec<IdedExpr>) -> IdedExpr {
    IdedExpr {
        id,
        expr: Expr::Call(CallExpr {
            func_name: name.to_owned(),
            target: None,
            args,
        }),
    }
}

fn rewrite_comprehension(mut c: ComprehensionExpr, id: u64) -> Expr {
    let range = rewrite(std::mem::take(&mut c.iter_range));
    if let Some((condition, transform)) = collect_shape(&c) {
        let item = IdedExpr {
            id,
            expr: Expr::Ident(c.iter_var.clone()),
        };
        return Expr::Call(CallExpr {
            func_name: COLLECT.to_owned(),
            target: None,
            args: vec![range, item, rewrite(condition), rewrite(transform)],
        });
    }
    c.iter_range = call(id, ITERABLE, vec![range]);
    c.accu_init = rewrite(c.accu_init);
    c.loop_cond = rewrite(c.loop_cond);
    c.loop_step = rewrite(c.loop_step);
    c.result = rewrite(c.result);
    Expr::Comprehension(Box::new(c))
}

/// `(condition, transform)` if `c` is a `map` or `filter`: an empty list accumulated by
/// `@result + [transform]`, maybe under `condition ? … : @result`, giving `@result`.
fn collect_shape(c: &ComprehensionExpr) -> Option<(IdedExpr, IdedExpr)> {
    let is_accumulator = |e: &IdedExpr| matches!(&e.expr, Expr::Ident(name) if name == ACCUMULATOR);
    let empty_start = matches!(&c.accu_init.expr, Expr::List(list) if list.elements.is_empty());
    if c.accu_var != ACCUMULATOR
        || !empty_start
        || !is_accumulator(&c.result)
        || c.iter_var2.is_some()
    {
        return None;
    }
    let append = |e: &IdedExpr| match &e.expr {
        Expr::Call(call) if call.func_name == "_+_" && call.target.is_none() => {
            match call.args.as_slice() {
                [
                    accumulator,
                    IdedExpr {
                        expr: Expr::List(list),
                        ..
                    },
                ] if is_accumulator(accumulator) => match list.elements.as_slice() {
                    [transform] => Some(transform.clone()),
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    };
    let always = IdedExpr {
        id: c.loop_step.id,
        expr: Expr::Literal(cel::common::value::CelVal::Boolean(true)),
    };
    match &c.loop_step.expr {
        Expr::Call(call) if call.func_name == "_?_:_" => match call.args.as_slice() {
            [condition, step, otherwise] if is_accumulator(otherwise) => {
                Some((condition.clone(), append(step)?))
            }
            _ => None,
        },
        _ => Some((always, append(&c.loop_step)?)),
    }
}

fn not_iterable(function: &str, value: &Value) -> ExecutionError {
    ExecutionError::function_error(
        function,
        format!("cannot iterate over a {}", super::functions::kind(value)),
    )
}

/// The items a comprehension runs over: a list's items or a map's keys.
fn items(function: &str, value: Value) -> Result<Arc<Vec<Value>>, ExecutionError> {
    match value {
        Value::List(items) => Ok(items),
        Value::Map(map) => Ok(Arc::new(map.map.keys().map(Value::from).collect())),
        other => Err(not_iterable(function, &other)),
    }
}

fn iterable(value: Value) -> Result<Value, ExecutionError> {
    match &value {
        Value::List(items) => super::budget::charge(items.len())?,
        Value::Map(map) => super::budget::charge(map.map.len())?,
        other => return Err(not_iterable("a comprehension", other)),
    }
    Ok(value)
}

fn collect(ftx: &FunctionContext) -> Result<Value, ExecutionError> {
    let [range, item, condition, transform] = ftx.args else {
        return Err(ftx.error("malformed comprehension"));
    };
    let Expr::Ident(name) = &item.expr else {
        return Err(ftx.error("malformed comprehension"));
    };
    let items = items("map/filter", ftx.ptx.resolve(range)?)?;
    super::budget::charge(items.len())?;
    let mut collected = Vec::new();
    for value in items.iter() {
        let mut scope = ftx.ptx.new_inner_scope();
        scope.add_variable_from_value(name.as_str(), value.clone());
        match scope.resolve(condition)? {
            Value::Bool(true) => collected.push(scope.resolve(transform)?),
            Value::Bool(false) => {}
            other => {
                return Err(ftx.error(format!(
                    "a filter must be true or false, not a {}",
                    super::functions::kind(&other)
                )));
            }
        }
    }
    Ok(Value::List(Arc::new(collected)))
}
