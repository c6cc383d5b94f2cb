//! A cost budget for evaluation: every comprehension step and every item a
//! collection function touches is charged, so a condition that would run for
//! hours (nested comprehensions over large lists) stops with an error instead.
//!
//! The budget lives in a thread-local, so the functions that charge it need no
//! handle on the evaluation; one rule evaluates on one thread.

use std::cell::Cell;

thread_local! {
    static REMAINING: Cell<Option<u64>> = const { Cell::new(None) };
}

/// Run `work` with `steps` to spend; nested budgets restore the outer one.
pub fn with_budget<T>(steps: u64, work: impl FnOnce() -> T) -> T {
    let outer = REMAINING.with(|remaining| remaining.replace(Some(steps)));
    let result = work();
    REMAINING.with(|remaining| remaining.set(outer));
    result
}

/// Spend `steps`; an error once the budget is exhausted (and for every call after).
pub fn charge(steps: usize) -> Result<(), String> {
    REMAINING.with(|remaining| match remaining.get() {
        None => Ok(()),
        Some(left) => {
            let cost = u64::try_from(steps).unwrap_or(u64::MAX);
            if cost > left {
                remaining.set(Some(0));
                Err("the evaluation budget is spent (`--max-eval-steps`): this condition does too much work for this file".to_owned())
            } else {
                remaining.set(Some(left - cost));
                Ok(())
            }
        }
    })
}
