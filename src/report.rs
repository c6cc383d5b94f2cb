//! Renderers: each turns the checked files into one output format.

pub mod human;
pub mod json;
