//! The limits of one file, counted as its tree is built.

use super::Limits;
use super::failure::{self, LoadFailure};
use crate::base::source::Span;

pub struct Budget<'a> {
    limits: &'a Limits,
    spent: Spent,
}

/// What a file, or a piece of one, has used of each limit.
#[derive(Debug, Clone, Copy, Default)]
pub struct Spent {
    nodes: usize,
    /// Anchors defined and aliases used: both count against `--max-aliases`.
    anchors_and_aliases: usize,
    /// Nodes kept under anchors, and nodes that aliases copied.
    anchored_nodes: usize,
    expanded_nodes: usize,
}

impl Spent {
    /// What two pieces of one file have used together.
    pub fn plus(self, other: Self) -> Self {
        Self {
            nodes: self.nodes.saturating_add(other.nodes),
            anchors_and_aliases: self
                .anchors_and_aliases
                .saturating_add(other.anchors_and_aliases),
            anchored_nodes: self.anchored_nodes.saturating_add(other.anchored_nodes),
            expanded_nodes: self.expanded_nodes.saturating_add(other.expanded_nodes),
        }
    }

    /// Less the root of a piece that continues a collection another piece opened.
    pub fn continuing(self) -> Self {
        Self {
            nodes: self.nodes.saturating_sub(1),
            ..self
        }
    }

    pub fn is_within(&self, limits: &Limits) -> bool {
        self.nodes <= limits.max_nodes
            && self.anchors_and_aliases <= limits.max_aliases
            && self.anchored_nodes <= limits.max_alias_nodes
            && self.expanded_nodes <= limits.max_alias_nodes
    }
}

impl<'a> Budget<'a> {
    pub fn new(limits: &'a Limits) -> Self {
        Self {
            limits,
            spent: Spent::default(),
        }
    }

    pub fn spent(&self) -> Spent {
        self.spent
    }

    pub fn node(&mut self, span: Span) -> Result<(), LoadFailure> {
        self.add_nodes(1, span)
    }

    fn add_nodes(&mut self, count: usize, span: Span) -> Result<(), LoadFailure> {
        self.spent.nodes = self.spent.nodes.saturating_add(count);
        if self.spent.nodes > self.limits.max_nodes {
            return Err(failure::nodes(self.limits, span));
        }
        Ok(())
    }

    /// A collection opened with `depth` collections open, itself included.
    pub fn enter(&self, depth: usize, span: Span) -> Result<(), LoadFailure> {
        if depth > self.limits.max_depth {
            return Err(failure::depth(self.limits, span));
        }
        Ok(())
    }

    pub fn anchor_or_alias(&mut self, span: Span) -> Result<(), LoadFailure> {
        self.spent.anchors_and_aliases += 1;
        if self.spent.anchors_and_aliases > self.limits.max_aliases {
            return Err(failure::aliases(self.limits, span));
        }
        Ok(())
    }

    /// An anchored value of `nodes` nodes, kept so aliases can repeat it.
    pub fn keep(&mut self, nodes: usize, span: Span) -> Result<(), LoadFailure> {
        self.spent.anchored_nodes = self.spent.anchored_nodes.saturating_add(nodes);
        if self.spent.anchored_nodes > self.limits.max_alias_nodes {
            return Err(failure::anchored_nodes(self.limits, span));
        }
        Ok(())
    }

    /// An alias repeating `nodes` nodes `height` levels deep, where `depth`
    /// collections are open.
    pub fn expand(
        &mut self,
        nodes: usize,
        height: usize,
        depth: usize,
        span: Span,
    ) -> Result<(), LoadFailure> {
        self.spent.expanded_nodes = self.spent.expanded_nodes.saturating_add(nodes);
        if self.spent.expanded_nodes > self.limits.max_alias_nodes {
            return Err(failure::alias_expansion(self.limits, span));
        }
        self.enter(depth + height, span)?;
        self.add_nodes(nodes, span)
    }
}
