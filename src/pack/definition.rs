//! The shapes of a pack's files, as read: the manifest and the rule files. Their
//! JSON Schemas (`schemas/pack.schema.json`, `schemas/rules.schema.json`) check
//! the same shapes first, with messages a rule author can act on.

use super::{Clause, Docs, TestCase};
use crate::base::finding::{Severity, Verdict};
use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value as Json;
use serde_saphyr::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ManifestDef {
    pub(super) name: String,
    pub(super) title: String,
    #[serde(default)]
    pub(super) description: Option<String>,
    /// `builtin`, or the folder of another pack (relative to this one) whose
    /// settings, bindings and rules this pack starts from.
    #[serde(default)]
    pub(super) extends: Option<String>,
    #[serde(default)]
    pub(super) schema: Option<String>,
    /// A merge patch of the inherited schema (see `overlay`), relative to this pack.
    #[serde(default)]
    pub(super) schema_overlay: Option<String>,
    #[serde(default)]
    pub(super) as_of: Option<String>,
    #[serde(default)]
    pub(super) complete_from: Option<String>,
    /// The fields that date a record, the first present wins.
    #[serde(default)]
    pub(super) dated_by: Option<Vec<String>>,
    #[serde(default)]
    pub(super) waivers: Option<String>,
    #[serde(default, rename = "let")]
    pub(super) bindings: IndexMap<String, Spanned<String>>,
    #[serde(default)]
    pub(super) views: Vec<View>,
}

/// A lane of the timeline report: the records of one list, drawn along the
/// years from their start to their end (or at their date).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct View {
    /// The lane's name, as a reader calls these records.
    pub lane: String,
    /// JSON Pointer of the list of records (empty in a lane that removes one).
    #[serde(default)]
    pub items: String,
    /// Where a record that is a point in time keeps its date: paths within the
    /// record, the first present wins.
    #[serde(default)]
    pub at: Vec<String>,
    /// Where a period keeps its start, likewise.
    #[serde(default)]
    pub start: Vec<String>,
    /// Where a period keeps its end (half-open); none present: open-ended.
    #[serde(default)]
    pub end: Vec<String>,
    /// The path of the field that names the record on the timeline.
    #[serde(default)]
    pub label: Option<String>,
    /// How the lane is coloured: `primary`, `secondary`, `plan`, `event` or `other`.
    #[serde(default = "default_class")]
    pub class: String,
    /// In an extending pack: the inherited lane of this name is removed.
    #[serde(default)]
    pub remove: bool,
}

fn default_class() -> String {
    "other".to_owned()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleDef {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) severity: Severity,
    pub(super) clause: Clause,
    pub(super) rationale: String,
    #[serde(default)]
    pub(super) params: IndexMap<String, Json>,
    #[serde(default)]
    pub(super) amendments: Vec<AmendmentDef>,
    #[serde(default, rename = "let")]
    pub(super) lets: IndexMap<String, Spanned<String>>,
    #[serde(default)]
    pub(super) for_each: Option<ForEachDef>,
    pub(super) checks: Vec<CheckDef>,
    pub(super) docs: Docs,
    #[serde(default)]
    pub(super) tests: Vec<TestCase>,
    #[serde(default)]
    pub(super) retired: bool,
    /// Fields the rule reads that the records' schema does not describe:
    /// optional data from elsewhere, never checked against the schema.
    #[serde(default)]
    pub(super) external_fields: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ForEachDef {
    #[serde(rename = "in")]
    pub(super) items: Spanned<String>,
    #[serde(default = "default_item", rename = "as")]
    pub(super) name: String,
    /// A name for the item's position, from 0.
    #[serde(default)]
    pub(super) index: Option<String>,
    /// A name for the item before this one (null for the first).
    #[serde(default)]
    pub(super) previous: Option<String>,
    #[serde(default, rename = "where")]
    pub(super) filter: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) version_date: Option<Spanned<String>>,
    #[serde(default, rename = "let")]
    pub(super) lets: IndexMap<String, Spanned<String>>,
}

fn default_item() -> String {
    "item".to_owned()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AmendmentDef {
    pub(super) from: Spanned<Json>,
    pub(super) params: IndexMap<String, Json>,
    #[serde(default)]
    pub(super) note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CheckDef {
    #[serde(default)]
    pub(super) when: Option<Spanned<String>>,
    pub(super) assert: Spanned<String>,
    #[serde(default)]
    pub(super) verdict: Option<Verdict>,
    #[serde(default)]
    pub(super) complete: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) due: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) severity: Option<Severity>,
    pub(super) message: Spanned<String>,
    #[serde(default)]
    pub(super) label: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) help: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) at: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) related: Vec<RelatedDef>,
    #[serde(default)]
    pub(super) fix: Option<FixDef>,
}

/// An edit that would satisfy the check: a value of the records set to
/// another (`set`, `to`), or an item added to a list (`add`, `item`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FixDef {
    #[serde(default)]
    pub(super) set: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) to: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) add: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) item: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) safe: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RelatedDef {
    pub(super) at: Spanned<String>,
    pub(super) label: Spanned<String>,
}

/// A file that changes an inherited rule in a few lines instead of copying it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OverrideDef {
    /// The id of the inherited rule this file changes.
    pub(super) overrides: Spanned<String>,
    #[serde(default)]
    pub(super) severity: Option<Spanned<Severity>>,
    /// Switch the rule off; the text is the reason, shown wherever the rule is listed.
    #[serde(default)]
    pub(super) disabled: Option<Spanned<String>>,
    /// More dated amendments of the rule's `params`.
    #[serde(default)]
    pub(super) amendments: Vec<AmendmentDef>,
    /// Checks that replace the rule's, by number (from 1, as `govlint explain` shows).
    #[serde(default)]
    pub(super) replace_checks: IndexMap<usize, CheckDef>,
    /// More fixtures, relative to this file's folder.
    #[serde(default)]
    pub(super) tests: Vec<TestCase>,
    /// Whether the inherited rule's own fixtures still apply (they may not, once
    /// a check is replaced).
    #[serde(default = "keep")]
    pub(super) inherit_tests: bool,
    /// What the rule says, as an amendment changes it.
    #[serde(default)]
    pub(super) title: Option<String>,
    #[serde(default)]
    pub(super) clause: Option<Clause>,
    #[serde(default)]
    pub(super) rationale: Option<String>,
    #[serde(default)]
    pub(super) docs: Option<Docs>,
    /// New message templates of checks, by number (from 1).
    #[serde(default)]
    pub(super) messages: IndexMap<usize, MessagesDef>,
}

/// The templates an override gives a check in place of its own.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MessagesDef {
    #[serde(default)]
    pub(super) message: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) label: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) help: Option<Spanned<String>>,
}

fn keep() -> bool {
    true
}
