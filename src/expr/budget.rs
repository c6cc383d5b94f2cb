//! A cost budget for evaluation: every comprehension step and every item a
//! collection function touches is charged, so a condition that would run for
//! hours (nested comprehensions over large lists) stops with an error instead.
//!
//! The budget lives in a thread-local, so the functions that charge it need no
//! handle on the evaluation; one rule evaluates on one thread.

use std::cell::Cell;

#[derive(Clone, Copy)]
enum Budget {
    Unlimited,
    Left(u64),
    /// Ran out: every charge after fails too, and `&&` or `||` never absorb the
    /// failure as they would a value's (see [`spent`]).
    Spent,
}

thread_local! {
    static BUDGET: Cell<Budget> = const { Cell::new(Budget::Unlimited) };
}

/// One evaluation: run `work` with `steps` to spend, and indexes of the large
/// mappings it reads (see `lookup`); nested budgets restore the outer one.
pub fn with_budget<T>(steps: u64, work: impl FnOnce() -> T) -> T {
    let outer = BUDGET.with(|budget| budget.replace(Budget::Left(steps)));
    let result = super::lookup::with_indexes(work);
    BUDGET.with(|budget| budget.set(outer));
    result
}

/// Spend `steps`; an error once the budget is exhausted (and for every call after).
pub fn charge(steps: usize) -> Result<(), String> {
    BUDGET.with(|budget| {
        let cost = u64::try_from(steps).unwrap_or(u64::MAX);
        match budget.get() {
            Budget::Unlimited => return Ok(()),
            Budget::Left(left) if cost <= left => {
                budget.set(Budget::Left(left - cost));
                return Ok(());
            }
            Budget::Left(_) | Budget::Spent => budget.set(Budget::Spent),
        }
        Err("the evaluation budget is spent (`--max-eval-steps`): this condition does too much work for this file".to_owned())
    })
}

/// Whether the budget has run out.
pub fn spent() -> bool {
    BUDGET.with(|budget| matches!(budget.get(), Budget::Spent))
}
