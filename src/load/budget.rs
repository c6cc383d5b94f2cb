//! The limits of one file, counted as its tree is built.

use super::Limits;
use super::failure::{self, LoadFailure};
use crate::source::Span;

pub struct Budget<'a> {
    limits: &'a Limits,
    nodes: usize,
    /// Anchors defined and aliases used: both count against `--max-aliases`.
    anchors_and_aliases: usize,
    /// Nodes kept under anchors, and nodes that aliases copied.
    anchored_nodes: usize,
    expanded_nodes: usize,
}

impl<'a> Budget<'a> {
    pub fn new(limits: &'a Limits) -> Self {
        Self {
            limits,
            nodes: 0,
            anchors_and_aliases: 0,
            anchored_nodes: 0,
            expanded_nodes: 0,
        }
    }

    pub fn node(&mut self, span: Span) -> Result<(), LoadFailure> {
        self.add_nodes(1, span)
    }

    fn add_nodes(&mut self, count: usize, span: Span) -> Result<(), LoadFailure> {
        self.nodes = self.nodes.saturating_add(count);
        if self.nodes > self.limits.max_nodes {
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
        self.anchors_and_aliases += 1;
        if self.anchors_and_aliases > self.limits.max_aliases {
            return Err(failure::aliases(self.limits, span));
        }
        Ok(())
    }

    /// An anchored value of `nodes` nodes, kept so aliases can repeat it.
    pub fn keep(&mut self, nodes: usize, span: Span) -> Result<(), LoadFailure> {
        self.anchored_nodes = self.anchored_nodes.saturating_add(nodes);
        if self.anchored_nodes > self.limits.max_alias_nodes {
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
        self.expanded_nodes = self.expanded_nodes.saturating_add(nodes);
        if self.expanded_nodes > self.limits.max_alias_nodes {
            return Err(failure::alias_expansion(self.limits, span));
        }
        self.enter(depth + height, span)?;
        self.add_nodes(nodes, span)
    }
}
