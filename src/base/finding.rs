//! What a check found: a rule broken at a place, with everything a report needs.

use crate::base::source::{SourceFile, Span};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// What a finding says of the records: that they contradict the text, or that
/// the evidence the text requires is missing from them. (What the records cannot
/// decide is no finding at all.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The records say something the text forbids.
    Contradiction,
    /// What the text requires is absent from the records.
    NotRecorded,
}

impl Verdict {
    /// The verdict as machine outputs carry it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Contradiction => "contradiction",
            Self::NotRecorded => "not-recorded",
        }
    }

    /// The verdict in a reader's words.
    pub fn words(self) -> &'static str {
        match self {
            Self::Contradiction => "contradiction",
            Self::NotRecorded => "not recorded",
        }
    }
}

/// A place in a file: the node's span and its JSON Pointer in that file.
#[derive(Debug, Clone)]
pub struct Location {
    pub source: Arc<SourceFile>,
    pub span: Span,
    pub pointer: String,
}

/// An edit that would mend a finding: text of a file replaced.
#[derive(Debug, Clone)]
pub struct Fix {
    /// Whether the records determine the new value (applied by `govlint fix`),
    /// or it is a choice a person confirms (`--unsafe`).
    pub safe: bool,
    pub source: Arc<SourceFile>,
    /// The bytes replaced, and their JSON Pointer in that file.
    pub span: Span,
    pub pointer: String,
    pub replacement: String,
    /// What it does, for people: `end: 2020-09 → 2019-09`.
    pub description: String,
}

/// A secondary place shown beside the main one (the previous term, the member record).
#[derive(Debug, Clone)]
pub struct Related {
    pub span: Span,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: Arc<str>,
    pub severity: Severity,
    pub verdict: Verdict,
    pub message: String,
    /// Text under the main underline; defaults to the message's gist in reports.
    pub label: Option<String>,
    pub help: Option<String>,
    pub clause: Option<Arc<str>>,
    pub location: Location,
    /// The pointer of the offending node in the checked document (merged with any
    /// proposal); waivers target it.
    pub document_pointer: String,
    pub related: Vec<Related>,
    /// The reason of the waiver that excuses this finding, if one does.
    pub waived: Option<String>,
    /// Its identity across versions of the file (see `identity`), set once the
    /// checked document's findings are complete.
    pub fingerprint: u64,
    /// An edit that would mend it, if its rule knows one.
    pub fix: Option<Box<Fix>>,
    /// For missing evidence: the date it fell due, at its own precision.
    pub due: Option<Arc<str>>,
}

/// Evidence a rule asks for that falls due after the evaluation date (or on a
/// date the evaluation date cannot place): no finding yet, an entry of the
/// agenda. `finding` is what will be reported if it is still missing then.
#[derive(Debug, Clone)]
pub struct Obligation {
    pub due: Arc<str>,
    pub finding: Finding,
}

impl Finding {
    /// An error of the engine's own (input, structure, pack) at a place with no pointer.
    pub fn engine_error(
        source: &Arc<SourceFile>,
        rule: &str,
        span: Span,
        message: String,
        help: Option<String>,
    ) -> Self {
        Self {
            rule: Arc::from(rule),
            severity: Severity::Error,
            verdict: Verdict::Contradiction,
            message,
            label: None,
            help,
            clause: None,
            location: Location {
                source: Arc::clone(source),
                span,
                pointer: String::new(),
            },
            document_pointer: String::new(),
            related: Vec::new(),
            waived: None,
            fingerprint: 0,
            fix: None,
            due: None,
        }
    }

    /// The rule id, with the verdict beside it when the evidence is missing:
    /// `member-declaration-signed (not recorded)`.
    pub fn title(&self) -> std::borrow::Cow<'_, str> {
        match self.verdict {
            Verdict::Contradiction => std::borrow::Cow::Borrowed(&self.rule),
            Verdict::NotRecorded => {
                std::borrow::Cow::Owned(format!("{} ({})", self.rule, self.verdict.words()))
            }
        }
    }

    /// Whether this finding fails the run.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.waived.is_none() && (self.severity == Severity::Error || deny_warnings)
    }

    /// Report order: by file position, then rule id.
    pub fn sort_key(&self) -> (usize, usize, &str) {
        (
            self.location.span.start(),
            self.location.span.end(),
            &self.rule,
        )
    }
}

/// Every finding of one checked file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub source: Arc<SourceFile>,
    pub findings: Vec<Finding>,
    /// For a proposal: the records it was checked against, and how many of their
    /// findings it leaves as they were (not reported, as not its doing).
    pub baseline: Option<Baseline>,
}

#[derive(Debug, Clone)]
pub struct Baseline {
    pub file: String,
    pub already_present: usize,
    pub against: Compared,
}

/// What a file's findings were compared with, to report only new ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compared {
    /// The records a proposal would change.
    Proposal,
    /// The file at an earlier revision.
    Revision,
    /// A baseline file of accepted findings.
    Accepted,
}
