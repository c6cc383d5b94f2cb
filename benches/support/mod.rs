//! Code shared by the benchmark and the `generate` example.

pub mod synthetic;
