//! YAML text → a tree of nodes that remember their byte spans.
//!
//! Two builders make the same [`Tree`]: `fast`, a line scanner for the canonical subset that
//! reports are written in (block mappings, one-line flow mappings, plain scalars, `|` prose),
//! and `events`, built straight from granit-parser's event stream, for everything else. The
//! fast path gives up (returns `None`) on anything outside its subset, and tests hold it to
//! agree with the reference builder. This is the only module that knows the YAML parser.

use std::borrow::Cow;

use crate::source::Span;

mod events;
mod fast;

pub use events::root_scalars;

/// Limits that keep a hostile file from exhausting the machine.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
    /// Most nodes, counting every node an alias repeats.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 32,
            max_nodes: 200_000,
        }
    }
}

pub type NodeId = usize;

/// A parsed YAML document: an arena of nodes.
#[derive(Debug)]
pub struct Tree<'a> {
    pub nodes: Vec<Node<'a>>,
    pub root: NodeId,
    /// Comments with their spans, in source order (for inline suppressions).
    pub comments: Vec<(Cow<'a, str>, Span)>,
}

#[derive(Debug)]
pub struct Node<'a> {
    pub span: Span,
    pub kind: NodeKind<'a>,
}

#[derive(Debug)]
pub enum NodeKind<'a> {
    Scalar { text: Cow<'a, str>, plain: bool },
    Map(Vec<Entry<'a>>),
    Seq(Vec<NodeId>),
}

#[derive(Debug)]
pub struct Entry<'a> {
    pub key: Cow<'a, str>,
    pub key_span: Span,
    pub value: NodeId,
}

/// Why a text is not a usable YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlError {
    Syntax {
        message: String,
        at: Span,
    },
    DuplicateKey {
        key: String,
        first: Span,
        second: Span,
    },
    ComplexKey {
        at: Span,
    },
    TooDeep {
        limit: usize,
        at: Span,
    },
    TooManyNodes {
        limit: usize,
        at: Span,
    },
    UnknownAlias {
        at: Span,
    },
    Empty,
    SeveralDocuments {
        at: Span,
    },
}

impl<'a> Tree<'a> {
    pub fn node(&self, id: NodeId) -> &Node<'a> {
        &self.nodes[id]
    }

    /// The entries of a mapping node, or `None` for other kinds.
    pub fn entries(&self, id: NodeId) -> Option<&[Entry<'a>]> {
        match &self.nodes[id].kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value under `key` in a mapping node.
    pub fn get(&self, id: NodeId, key: &str) -> Option<&Entry<'a>> {
        self.entries(id)?.iter().find(|e| e.key == key)
    }
}

/// Parse one YAML document: the fast path when the text is in its subset, else granit.
pub fn parse(text: &str, limits: Limits) -> Result<Tree<'_>, YamlError> {
    match fast::parse(text, limits) {
        Some(tree) => Ok(tree),
        None => events::parse(text, limits),
    }
}

/// The reference builder alone: for a text the fast builder gave up on, and for tests and
/// benchmarks that compare the two.
pub fn parse_with_granit(text: &str, limits: Limits) -> Result<Tree<'_>, YamlError> {
    events::parse(text, limits)
}

/// The fast builder alone: `None` when the text is outside its subset.
pub fn parse_fast(text: &str, limits: Limits) -> Option<Tree<'_>> {
    fast::parse(text, limits)
}
