//! Comprehensions in linear time.
//!
//! CEL's macros build `map` and `filter` results by `@result + [item]` at each
//! step, copying the list every time: quadratic in the list's length. Those shapes
//! are rewritten into a call to [`operators::COLLECT`], which the interpreter evaluates as the
//! same condition and transform per item into one growing list.

use super::ast::{CallExpr, ComprehensionExpr, EntryExpr, Expr, IdedExpr, Literal, operators};
use std::mem::take;

const ACCUMULATOR: &str = "@result";

/// Rewrite every comprehension in `expr` (see the module comment), in place.
pub fn rewrite(expr: &mut IdedExpr) {
    match &mut expr.expr {
        Expr::Comprehension(comprehension) => match as_collect(comprehension, expr.id) {
            Some(collect) => expr.expr = collect,
            None => {
                for part in [
                    &mut comprehension.iter_range,
                    &mut comprehension.accu_init,
                    &mut comprehension.loop_cond,
                    &mut comprehension.loop_step,
                    &mut comprehension.result,
                ] {
                    rewrite(part);
                }
            }
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

/// `c` as a call to [`operators::COLLECT`] if it is a `map` or `filter`, its parts moved out.
fn as_collect(c: &mut ComprehensionExpr, id: u64) -> Option<Expr> {
    let (condition, transform) = take_collect_parts(c)?;
    let item = IdedExpr {
        id,
        expr: Expr::Ident(take(&mut c.iter_var)),
    };
    let mut args = vec![take(&mut c.iter_range), item, condition, transform];
    args.iter_mut().for_each(rewrite);
    Some(Expr::Call(CallExpr::new(operators::COLLECT, None, args)))
}

fn is_accumulator(e: &IdedExpr) -> bool {
    matches!(&e.expr, Expr::Ident(name) if name == ACCUMULATOR)
}

/// `(condition, transform)`, moved out of `c`, if `c` is a `map` or `filter`: an
/// empty list accumulated by `@result + [transform]`, maybe under
/// `condition ? … : @result`, giving `@result`. Otherwise `c` is left as it was.
fn take_collect_parts(c: &mut ComprehensionExpr) -> Option<(IdedExpr, IdedExpr)> {
    let empty_start = matches!(&c.accu_init.expr, Expr::List(list) if list.elements.is_empty());
    let one_variable = c.iter_var2.is_none();
    if c.accu_var != ACCUMULATOR || !one_variable || !empty_start || !is_accumulator(&c.result) {
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
                expr: Expr::Literal(Literal::Boolean(true)),
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
