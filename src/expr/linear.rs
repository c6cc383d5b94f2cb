//! Comprehensions in linear time, and never on a value they cannot iterate.
//!
//! The interpreter builds `map` and `filter` results by `@result + [item]` at each
//! step, copying the list every time: quadratic in the list's length. Those shapes
//! are rewritten into a call to [`COLLECT`], which evaluates the same condition and
//! transform per item into one growing list. Every other comprehension gets its range
//! checked by [`ITERABLE`] first, because the interpreter cannot iterate a scalar.

use cel::common::ast::{CallExpr, ComprehensionExpr, EntryExpr, Expr, IdedExpr};
use cel::{Context, ExecutionError, FunctionContext, Value};
use std::mem::take;
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

/// Rewrite every comprehension in `expr` (see the module comment), in place.
pub fn rewrite(expr: &mut IdedExpr) {
    match &mut expr.expr {
        Expr::Comprehension(comprehension) => match as_collect(comprehension, expr.id) {
            Some(collect) => expr.expr = collect,
            None => guard_range(comprehension, expr.id),
        },
        Expr::Call(call) => {
            if let Some(target) = &mut call.target {
                rewrite(target);
            }
            call.args.iter_mut().for_each(rewrite);
        }
        Expr::Select(select) => rewrite(&mut select.operand),
        Expr::List(list) => list.elements.iter_mut().for_each(rewrite),
        Expr::Map(map) => {
            for entry in &mut map.entries {
                if let EntryExpr::MapEntry(entry) = &mut entry.expr {
                    rewrite(&mut entry.key);
                    rewrite(&mut entry.value);
                }
            }
        }
        _ => {}
    }
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

/// `c` as a call to [`COLLECT`] if it is a `map` or `filter`, its parts moved out.
fn as_collect(c: &mut ComprehensionExpr, id: u64) -> Option<Expr> {
    let (condition, transform) = take_collect_parts(c)?;
    let item = IdedExpr {
        id,
        expr: Expr::Ident(take(&mut c.iter_var)),
    };
    let mut args = vec![take(&mut c.iter_range), item, condition, transform];
    args.iter_mut().for_each(rewrite);
    Some(Expr::Call(CallExpr {
        func_name: COLLECT.to_owned(),
        target: None,
        args,
    }))
}

/// Rewrite the parts of `c`, and have [`ITERABLE`] check its range.
fn guard_range(c: &mut ComprehensionExpr, id: u64) {
    let mut range = take(&mut c.iter_range);
    rewrite(&mut range);
    c.iter_range = call(id, ITERABLE, vec![range]);
    for part in [
        &mut c.accu_init,
        &mut c.loop_cond,
        &mut c.loop_step,
        &mut c.result,
    ] {
        rewrite(part);
    }
}

fn is_accumulator(e: &IdedExpr) -> bool {
    matches!(&e.expr, Expr::Ident(name) if name == ACCUMULATOR)
}

/// `(condition, transform)`, moved out of `c`, if `c` is a `map` or `filter`: an
/// empty list accumulated by `@result + [transform]`, maybe under
/// `condition ? … : @result`, giving `@result`. Otherwise `c` is left as it was.
fn take_collect_parts(c: &mut ComprehensionExpr) -> Option<(IdedExpr, IdedExpr)> {
    let empty_start = matches!(&c.accu_init.expr, Expr::List(list) if list.elements.is_empty());
    if c.accu_var != ACCUMULATOR
        || !empty_start
        || !is_accumulator(&c.result)
        || c.iter_var2.is_some()
    {
        return None;
    }
    let step_id = c.loop_step.id;
    match &mut c.loop_step.expr {
        Expr::Call(call) if call.func_name == "_?_:_" => match call.args.as_mut_slice() {
            [condition, step, otherwise] if is_accumulator(otherwise) => {
                let transform = take(appended_item(step)?);
                Some((take(condition), transform))
            }
            _ => None,
        },
        _ => {
            let transform = take(appended_item(&mut c.loop_step)?);
            let always = IdedExpr {
                id: step_id,
                expr: Expr::Literal(cel::common::value::CelVal::Boolean(true)),
            };
            Some((always, transform))
        }
    }
}

/// `item` in `@result + [item]`.
fn appended_item(e: &mut IdedExpr) -> Option<&mut IdedExpr> {
    let Expr::Call(call) = &mut e.expr else {
        return None;
    };
    if call.func_name != "_+_" || call.target.is_some() {
        return None;
    }
    match call.args.as_mut_slice() {
        [
            accumulator,
            IdedExpr {
                expr: Expr::List(list),
                ..
            },
        ] if is_accumulator(accumulator) => match list.elements.as_mut_slice() {
            [item] => Some(item),
            _ => None,
        },
        _ => None,
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
