//! The same limits for files read through serde-saphyr into typed structures
//! (rule pack files), which need no spanned tree.

use super::Limits;
use serde_saphyr::{budget::Budget, options::AliasLimits};

/// serde-saphyr's settings for these limits (public so a benchmark can parse
/// under the same budget).
pub fn parser_options(limits: &Limits) -> serde_saphyr::Options {
    let mut alias_limits = AliasLimits::default();
    alias_limits.max_total_replayed_events = limits.max_alias_nodes;
    alias_limits.max_replay_stack_depth = limits.max_depth;
    alias_limits.max_alias_expansions_per_anchor = limits.max_aliases;
    // YAML 1.2 booleans only: under YAML 1.1, `NO` (Norway's code) and `y` read
    // as booleans.
    serde_saphyr::options! {
        budget: Some(budget(limits)),
        alias_limits: alias_limits,
        with_snippet: false,
        strict_booleans: true,
    }
}

fn budget(limits: &Limits) -> Budget {
    let mut budget = Budget::default();
    budget.max_nodes = limits.max_nodes;
    budget.max_events = limits.max_nodes.saturating_mul(2);
    budget.max_depth = limits.max_depth;
    budget.max_aliases = limits.max_aliases;
    budget.max_anchors = limits.max_aliases;
    budget.max_documents = 1;
    budget.max_recorded_anchor_events = limits.max_alias_nodes;
    budget
}
