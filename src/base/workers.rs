//! The threads that compile and evaluate rules. The expression engine recurses
//! once per level of an expression, with large frames (far larger in a debug
//! build), so this work runs on threads with a large stack, whoever calls the
//! library, and parallel work inside it shares them.

use std::sync::LazyLock;

/// Reserved, not committed, memory: a thread only touches what it uses.
const STACK_BYTES: usize = 64 * 1024 * 1024;

static POOL: LazyLock<Option<rayon::ThreadPool>> = LazyLock::new(|| {
    rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_BYTES)
        .build()
        .ok()
});

/// Run `work` on the pool (inline if already on it, or if no pool could be made).
pub fn install<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    match POOL.as_ref() {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// Free `value` on the pool, off the path to the report: the trees of a large file
/// take tens of milliseconds to free, and nothing waits for them.
pub fn drop_later<T: Send + 'static>(value: T) {
    match POOL.as_ref() {
        Some(pool) => pool.spawn(move || drop(value)),
        None => drop(value),
    }
}
