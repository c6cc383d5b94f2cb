//! Field lookups in the document's large mappings, by hash rather than by scan.
//!
//! A record has a handful of fields, found fastest by scanning. A mapping keyed
//! by ids (`members: {FR: …, LU: …}`) may have thousands, and a rule that looks
//! one up per item would scan it per item: quadratic. Such a mapping is indexed
//! on its first lookup, once per evaluation ([`with_indexes`]), in a table of the
//! evaluating thread; the tree stays as it was parsed.

use crate::load::{Key, Node, Value};
use arcstr::ArcStr;
use std::cell::RefCell;
use std::collections::HashMap;

/// Mappings with at least this many entries are indexed.
const INDEXED_FROM: usize = 32;

type Hasher = foldhash::fast::RandomState;

/// A mapping's positions by key, for each mapping indexed, by the address of
/// its entries.
type Indexes = HashMap<usize, HashMap<ArcStr, u32, Hasher>, Hasher>;

thread_local! {
    static INDEXES: RefCell<Option<Indexes>> = const { RefCell::new(None) };
}

/// Run `work` with indexes of its own, freed when it ends: they name mappings by
/// address, so they must not outlive the document evaluated during `work`.
/// Outside, lookups scan.
pub fn with_indexes<T>(work: impl FnOnce() -> T) -> T {
    let outer = INDEXES.with(|indexes| indexes.replace(Some(Indexes::default())));
    let result = work();
    INDEXES.with(|indexes| indexes.replace(outer));
    result
}

/// The entry `name` of the mapping `node`, its key included.
pub fn entry<'n>(node: &'n Node, name: &str) -> Option<(&'n Key, &'n Node)> {
    let Value::Map(entries) = &node.value else {
        return None;
    };
    if entries.len() < INDEXED_FROM {
        return node.entry(name);
    }
    let position = INDEXES.with_borrow_mut(|indexes| {
        let index = indexes
            .as_mut()?
            .entry(entries.as_ptr() as usize)
            .or_insert_with(|| {
                let mut index = HashMap::with_capacity_and_hasher(entries.len(), Hasher::default());
                for (position, (key, _)) in (0u32..).zip(entries.iter()) {
                    // The first of equal keys, as a scan finds it.
                    index.entry(key.text.clone()).or_insert(position);
                }
                index
            });
        Some(index.get(name).copied())
    });
    match position {
        Some(position) => entries
            .get(usize::try_from(position?).ok()?)
            .map(|(key, value)| (key, value)),
        None => node.entry(name),
    }
}
