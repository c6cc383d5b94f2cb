//! The records as one document: a proposal's tree merged into the records'
//! (`merge`), and edits of the files' text at a node, as fixes carry them
//! (`edit`).
//!
//! May import `base` and `load`.

pub mod edit;
pub mod merge;
