//! Renderers: each turns the checked files into one output format.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
