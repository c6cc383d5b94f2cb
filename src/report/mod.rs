//! Renderers: each turns the checked files into one output format, the
//! timeline page's records along the years (`timeline`) included, and a
//! rule explained in words (`explain`, for `govlint explain` and the editor).
//!
//! May import every stage but `cli`.

pub mod changes;
pub mod concise;
pub mod explain;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod statistics;
pub mod timeline;
pub mod xml;
