//! A rule pack: its manifest, its rules and its structure schema, read and compiled
//! once. Every problem in a pack is reported at its place in the pack's files,
//! before any snapshot is read. Message templates (`template`) are compiled
//! here with the conditions.
//!
//! May import `base`, `load`, `document`, `schema` and `expr`.

mod compile;
mod definition;
mod files;
mod overlay;
mod overrides;
mod template;
mod typecheck;

pub use definition::View;
pub use files::{PackFile, PackFiles, Unsaved, lexically_normal};

use crate::base::date::PartialDate;
use crate::base::engine_rules::PACK_RULE;
use crate::base::finding::{Finding, Severity, Verdict};
use crate::base::source::{SourceFile, Span};
use crate::document::merge::Document;
use crate::expr::{Expression, Val};
use crate::load::{self, Limits};
use crate::pack::template::Template;
use crate::schema::StructureCheck;
use compile::{Compiler, RuleFile, compile_rule_file};
use definition::ManifestDef;
use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::Value as Json;
use std::sync::Arc;
use typecheck::{Ty, Typing};

/// Names every expression may read, whatever the rule.
const DOCUMENT_NAMES: [&str; 3] = ["doc", "as_of", "horizon"];
/// The name conditions and templates read a rule's parameters by.
const PARAMS_NAME: &str = "params";

pub const RULES_SCHEMA: &str = include_str!("../../schemas/rules.schema.json");
const MANIFEST_SCHEMA: &str = include_str!("../../schemas/pack.schema.json");

const DEFAULT_AS_OF: &str = "/as_of";
/// How many packs may stand behind one another through `extends`.
const MAX_EXTENDS: usize = 8;

/// One pack of a chain of `extends`: where its files are, and its manifest.
struct Layer {
    files: PackFiles,
    manifest_source: Arc<SourceFile>,
    manifest: ManifestDef,
}

/// The clause of the governing text a rule enforces.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    pub section: String,
    pub text: String,
}

impl Clause {
    pub fn cite(&self) -> String {
        format!("{}: \"{}\"", self.section, self.text)
    }
}

/// What a rule checks and why, with a passing and a failing example.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    pub checks: String,
    #[serde(default)]
    pub verdicts: Option<Verdicts>,
    #[serde(default)]
    pub pass: Option<String>,
    #[serde(default)]
    pub fail: Option<String>,
}

/// When a rule reports a contradiction, when missing evidence, and when nothing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verdicts {
    pub contradiction: String,
    pub not_recorded: String,
    pub nothing: String,
}

/// A fixture of the rule and the findings of this rule it must produce, exactly.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestCase {
    pub file: String,
    #[serde(default)]
    pub expect: Vec<Expected>,
    /// The pack the fixture is read from, when not the rule's own: an
    /// override's fixtures lie beside the override.
    #[serde(skip)]
    pub files: Option<PackFiles>,
    /// The pack that listed the fixture, when not the rule's own (an override's).
    #[serde(skip)]
    pub pack: Option<Arc<str>>,
}

/// One finding a fixture must produce.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    pub at: String,
    #[serde(default)]
    pub severity: Option<Severity>,
    /// The code of the finding when it is not the rule's own: an engine
    /// finding such as `schema` or `invalid-date`.
    #[serde(default)]
    pub rule: Option<String>,
    /// Text the finding's message must contain.
    #[serde(default)]
    pub message: Option<String>,
    /// Whether the finding is a contradiction or missing evidence.
    #[serde(default)]
    pub verdict: Option<Verdict>,
}

/// The parameters in force from each date: the base values, then each amendment on top.
#[derive(Debug)]
pub struct ParamVersions {
    base: IndexMap<String, Json>,
    /// Every amendment, by date (those of one date in the order the packs gave them).
    amendments: Vec<Amendment>,
    versions: Vec<ParamVersion>,
}

/// One dated change of some parameters, and the pack that made it.
#[derive(Debug, Clone)]
pub struct Amendment {
    pub from: PartialDate,
    pub note: Option<String>,
    pub changes: IndexMap<String, Json>,
    pub origin: Arc<str>,
}

#[derive(Debug)]
pub struct ParamVersion {
    pub from: Option<PartialDate>,
    pub note: Option<String>,
    pub values: IndexMap<String, Json>,
    /// The pack that set this version: the rule's own, or the one that amended it.
    pub origin: Arc<str>,
    value: Val<'static>,
}

impl ParamVersion {
    /// The parameters as a value, as conditions and templates read them.
    pub fn value(&self) -> &Val<'static> {
        &self.value
    }
}

impl ParamVersions {
    /// Whether an amendment changes the params at some date: only then does
    /// a record's date choose among versions.
    pub fn is_amended(&self) -> bool {
        self.versions.len() > 1
    }

    /// The versions of `base` under `amendments` (each may change only a parameter
    /// the base defines: the caller checks).
    fn new(base: IndexMap<String, Json>, origin: Arc<str>, amendments: Vec<Amendment>) -> Self {
        let mut params = Self {
            base,
            amendments: Vec::new(),
            versions: Vec::new(),
        };
        params.amend(origin, amendments);
        params
    }

    /// Add amendments and recompute the versions.
    fn amend(&mut self, origin: Arc<str>, more: Vec<Amendment>) {
        self.amendments.extend(more);
        self.amendments
            .sort_by_key(|amendment| amendment.from.sort_key());
        let base_origin = self
            .versions
            .first()
            .map_or(origin, |first| Arc::clone(&first.origin));
        let mut values = self.base.clone();
        let mut versions = vec![ParamVersion {
            from: None,
            note: None,
            value: params_value(&values),
            values: values.clone(),
            origin: base_origin,
        }];
        for amendment in &self.amendments {
            values.extend(amendment.changes.clone());
            versions.push(ParamVersion {
                from: Some(amendment.from),
                note: amendment.note.clone(),
                value: params_value(&values),
                values: values.clone(),
                origin: Arc::clone(&amendment.origin),
            });
        }
        self.versions = versions;
    }

    /// The parameters' names, as the rule defines them.
    pub fn names(&self) -> impl Iterator<Item = &String> + Clone {
        self.base.keys()
    }
}

fn params_value(values: &IndexMap<String, Json>) -> Val<'static> {
    Val::from_json(&Json::Object(
        values
            .iter()
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect(),
    ))
}

impl ParamVersions {
    pub fn versions(&self) -> &[ParamVersion] {
        &self.versions
    }

    /// The parameters in force at `date` (see `version_at`).
    pub fn at(&self, date: Option<&PartialDate>) -> &Val<'static> {
        self.version_at(date)
            .map_or(&NULL_PARAMS, |version| &version.value)
    }

    /// The version in force at `date`: the last whose start is not after it.
    pub fn version_at(&self, date: Option<&PartialDate>) -> Option<&ParamVersion> {
        self.versions
            .iter()
            .rev()
            .find(|version| match (&version.from, date) {
                (None, _) => true,
                (Some(from), Some(date)) => from.compare(date) != std::cmp::Ordering::Greater,
                (Some(_), None) => false,
            })
            .or_else(|| self.versions.first())
    }
}

impl ParamVersions {
    /// Every version that may be in force at `date`: one, unless the date is too
    /// coarse to place before or after an amendment (a record of `2021` against
    /// an amendment from 2021-06-15). An amendment applies from its first day.
    pub fn candidates(&self, date: Option<&PartialDate>) -> Vec<&Val<'static>> {
        let Some(date) = date else {
            return vec![self.at(None)];
        };
        let starts: Vec<Option<chrono::NaiveDate>> = self
            .versions
            .iter()
            .map(|version| version.from.as_ref().map(PartialDate::first_day))
            .collect();
        let (first, last) = (date.first_day(), date.last_day());
        let possible: Vec<&Val<'static>> = self
            .versions
            .iter()
            .enumerate()
            .filter(|(index, _)| {
                let begun = starts[*index].is_none_or(|start| last >= start);
                let ended = starts
                    .get(index + 1)
                    .copied()
                    .flatten()
                    .is_some_and(|next| first >= next);
                begun && !ended
            })
            .map(|(_, version)| &version.value)
            .collect();
        if possible.is_empty() {
            vec![self.at(Some(date))]
        } else {
            possible
        }
    }
}

static NULL_PARAMS: std::sync::LazyLock<Val<'static>> = std::sync::LazyLock::new(Val::null);

/// One check of a rule: where it can judge (`when`), what complies (`assert`),
/// and what a failure means (`verdict`).
#[derive(Debug)]
pub struct Check {
    /// Where false, the records cannot decide this check: no finding.
    pub when: Option<Expression>,
    pub assert: Expression,
    pub verdict: Verdict,
    /// For missing evidence: where true, the records claim to be complete, so
    /// the absence is a contradiction.
    pub complete: Option<Expression>,
    /// For missing evidence: the date it falls due (a CEL date). Before it, its
    /// absence is no finding but an obligation of the agenda.
    pub due: Option<Expression>,
    pub severity: Option<Severity>,
    pub message: Template,
    pub label: Option<Template>,
    pub help: Option<Template>,
    pub at: Option<Expression>,
    pub related: Vec<(Expression, Template)>,
    pub fix: Option<FixRule>,
    /// The condition as written, to show the check by number (`govlint explain`).
    pub assert_text: String,
    /// The due date as written, likewise.
    pub due_text: Option<String>,
    /// The pack that wrote this check: the rule's own, or one that replaced it.
    pub origin: Arc<str>,
}

/// How a check's finding is mended; `safe` when the records determine it.
#[derive(Debug)]
pub struct FixRule {
    pub edit: FixEdit,
    pub safe: bool,
}

#[derive(Debug)]
pub enum FixEdit {
    /// The node `node` (a record's field) takes the value `value`.
    Set { node: Expression, value: Expression },
    /// The list `list` gains the item `item`.
    Add { list: Expression, item: Expression },
}

/// The items a rule checks one by one, and what is computed for each.
#[derive(Debug)]
pub struct ForEach {
    pub items: Expression,
    pub name: String,
    /// The names of the item's position and of the item before it, if the rule reads them.
    pub index: Option<String>,
    pub previous: Option<String>,
    pub filter: Option<Expression>,
    pub version_date: Option<Expression>,
    pub lets: Vec<(String, Expression)>,
}

#[derive(Debug)]
pub struct Rule {
    pub id: Arc<str>,
    pub title: String,
    pub severity: Severity,
    pub clause: Clause,
    pub clause_text: Arc<str>,
    pub rationale: String,
    pub params: ParamVersions,
    pub docs: Docs,
    pub tests: Vec<TestCase>,
    /// The rule file, as shown in reports; fixtures are relative to its folder.
    pub file: String,
    /// The files of the pack that defines the rule (its fixtures are read there).
    pub files: PackFiles,
    /// Which pack folder the rule came from, so a pack that extends another can
    /// tell a redefinition from a duplicate.
    files_id: Arc<str>,
    /// Bindings computed once per document, before any item.
    pub lets: Vec<(String, Expression)>,
    pub for_each: Option<ForEach>,
    pub checks: Vec<Check>,
    /// A retired rule keeps its id (ids are never reused) and never runs.
    pub retired: bool,
    /// The pack whose file defines the rule.
    pub origin: Arc<str>,
    /// Why a pack that extends the rule's own switched it off, and which pack.
    pub disabled: Option<Disabled>,
    /// What packs that extend the rule's own changed in it, in order.
    pub changes: Vec<Change>,
    /// The names the rule's checks may read (what a replaced check is compiled with).
    check_names: Vec<String>,
    /// Fields the rule reads that the records' schema does not describe.
    external_fields: Vec<String>,
}

/// A rule switched off by a pack, and the reason it records.
#[derive(Debug, Clone)]
pub struct Disabled {
    pub reason: String,
    pub by: Arc<str>,
}

/// One change a pack made to an inherited rule.
#[derive(Debug, Clone)]
pub struct Change {
    pub by: Arc<str>,
    pub what: String,
}

impl Rule {
    /// Whether the rule runs: neither retired by its own pack nor disabled by another.
    pub fn runs(&self) -> bool {
        !self.retired && self.disabled.is_none()
    }

    /// Where the rule comes from: its pack, then each pack that changed it.
    pub fn provenance(&self) -> String {
        let mut changers: Vec<&str> = Vec::new();
        for change in &self.changes {
            if !changers.contains(&change.by.as_ref()) {
                changers.push(&change.by);
            }
        }
        if changers.is_empty() {
            format!("pack `{}`", self.origin)
        } else {
            format!(
                "pack `{}`, changed by `{}`",
                self.origin,
                changers.join("`, `")
            )
        }
    }

    /// The fixture a test case names, read from the pack that listed it.
    pub fn fixture(&self, case: &TestCase) -> Result<files::PackFile, String> {
        case.files.as_ref().unwrap_or(&self.files).read(&case.file)
    }

    /// The pack that listed a test case: an override's, or the rule's own.
    pub fn case_pack<'r>(&'r self, case: &'r TestCase) -> &'r str {
        case.pack.as_deref().unwrap_or(&self.origin)
    }

    /// A test case's fixture as its pack's folder names it.
    pub fn case_file(&self, case: &TestCase) -> String {
        case.files.as_ref().unwrap_or(&self.files).shown(&case.file)
    }
}

pub struct Pack {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub structure: StructureCheck,
    pub as_of_pointer: String,
    /// Where a document keeps its waivers, if the pack supports them.
    pub waivers_pointer: Option<String>,
    /// Where a document may claim its records are complete from a date.
    pub complete_from_pointer: Option<String>,
    /// The fields that date a record (the first present wins): a record is
    /// judged by the parameters in force at its date, and its evidence falls
    /// due on it unless a check says otherwise.
    pub dated_by: Vec<String>,
    pub bindings: Vec<(String, Expression)>,
    pub rules: Vec<Rule>,
    /// The lanes of the timeline report, as the most specific pack declares them.
    pub views: Vec<View>,
}

/// Why a pack could not be used.
#[derive(Debug)]
pub enum PackProblem {
    /// A file is missing or unreadable.
    Unreadable(String),
    /// The pack's files have errors, each at its place.
    Invalid(Vec<Finding>),
}

impl Pack {
    pub fn load(files: PackFiles) -> Result<Self, PackProblem> {
        crate::base::workers::install(|| Self::load_here(files))
    }

    fn load_here(files: PackFiles) -> Result<Self, PackProblem> {
        let mut problems = Vec::new();
        let layers = manifest_chain(files, &mut problems)?;
        let rules_check = rules_check(&layers)?;
        let setting = |pick: fn(&ManifestDef) -> Option<&String>| {
            layers
                .iter()
                .rev()
                .find_map(|layer| Some((layer, pick(&layer.manifest)?.clone())))
        };
        let Some(schema_depth) = layers
            .iter()
            .rposition(|layer| layer.manifest.schema.is_some())
        else {
            let top = layers.last().map(|layer| &layer.manifest_source);
            return Err(PackProblem::Invalid(vec![pack_finding(
                top.ok_or_else(|| PackProblem::Unreadable("an empty pack".to_owned()))?,
                Span::default(),
                "the pack names no `schema` for the records it checks".to_owned(),
            )]));
        };

        // The records' schema is merged first: the conditions are checked against it.
        let schema = merged_schema(&layers[schema_depth..])?;
        let typing = rules_check.is_some().then(|| Typing::new(&schema.0));
        let mut names: Vec<(String, Ty<'_>)> = typing
            .as_ref()
            .map(Typing::document_names)
            .unwrap_or_default();

        // Bindings from the most basic pack up; each may read those before it.
        let mut known: Vec<String> = DOCUMENT_NAMES
            .iter()
            .map(|name| (*name).to_owned())
            .collect();
        let mut bindings = Vec::new();
        for layer in &layers {
            let mut compiler = Compiler {
                source: Arc::clone(&layer.manifest_source),
                problems: &mut problems,
                defer_templates: false,
                typing: typing.as_ref(),
                names: std::mem::take(&mut names),
                external: Vec::new(),
            };
            bindings.extend(compiler.bindings(&layer.manifest.bindings, &mut known));
            names = compiler.names;
        }

        // Rule files are independent: read, check and compile them on every core,
        // beside the records' schema.
        let mut sources = Vec::new();
        for (depth, layer) in layers.iter().enumerate() {
            let named = [&layer.manifest.schema, &layer.manifest.schema_overlay]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect::<Vec<_>>();
            let names = layer
                .files
                .rule_files(&named)
                .map_err(PackProblem::Unreadable)?;
            let origin: Arc<str> = Arc::from(layer.manifest.name.as_str());
            sources.extend(
                names
                    .into_iter()
                    .map(|name| (depth, &layer.files, name, Arc::clone(&origin))),
            );
        }
        let types = typing.as_ref().map(|typing| (typing, names.as_slice()));
        let (structure, outcomes) = rayon::join(
            || structure_check(&schema),
            || {
                sources
                    .par_iter()
                    .map(|(depth, files, name, origin)| {
                        let check = rules_check.as_ref().filter(|_| files.needs_checking());
                        (
                            *depth,
                            compile_rule_file(files, name, check, &known, types, origin),
                        )
                    })
                    .collect::<Vec<_>>()
            },
        );
        let structure = structure?;
        let mut rules: Vec<Rule> = Vec::with_capacity(outcomes.len());
        // A pack's overrides apply once its own rules are in place, before the
        // next pack's: they change what the pack inherits.
        let mut pending = Vec::new();
        let mut outcomes = outcomes.into_iter().peekable();
        while let Some((depth, (compiled, found))) = outcomes.next() {
            problems.extend(found);
            match compiled {
                Some(RuleFile::Rule(rule)) => add_rule(&mut rules, *rule, &mut problems),
                Some(RuleFile::Override(file)) => pending.push(file),
                None => {}
            }
            if outcomes.peek().is_none_or(|(next, _)| *next != depth) {
                for file in pending.drain(..) {
                    overrides::apply(&mut rules, file, types, &mut problems);
                }
            }
        }
        if !problems.is_empty() {
            return Err(PackProblem::Invalid(problems));
        }
        let as_of_pointer = setting(|manifest| manifest.as_of.as_ref())
            .map_or_else(|| DEFAULT_AS_OF.to_owned(), |(_, pointer)| pointer);
        let waivers_pointer =
            setting(|manifest| manifest.waivers.as_ref()).map(|(_, pointer)| pointer);
        let complete_from_pointer =
            setting(|manifest| manifest.complete_from.as_ref()).map(|(_, pointer)| pointer);
        let dated_by = layers
            .iter()
            .rev()
            .find_map(|layer| layer.manifest.dated_by.clone())
            .unwrap_or_default();
        let views = merged_views(&layers)?;
        let top = layers
            .into_iter()
            .next_back()
            .ok_or_else(|| PackProblem::Unreadable("an empty pack".to_owned()))?;
        Ok(Self {
            name: top.manifest.name,
            title: top.manifest.title,
            description: top.manifest.description,
            structure,
            as_of_pointer,
            waivers_pointer,
            complete_from_pointer,
            dated_by,
            bindings,
            rules,
            views,
        })
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.id.as_ref() == id)
    }
}

/// The timeline's lanes: each pack's add to those it inherits; a lane of an
/// inherited lane's name replaces it in place, and one with `remove` removes it.
fn merged_views(layers: &[Layer]) -> Result<Vec<View>, PackProblem> {
    let mut views: Vec<View> = Vec::new();
    for layer in layers {
        for view in &layer.manifest.views {
            let found = views.iter().position(|lane| lane.lane == view.lane);
            match (found, view.remove) {
                (Some(index), true) => {
                    views.remove(index);
                }
                (Some(index), false) => views[index] = view.clone(),
                (None, false) => views.push(view.clone()),
                (None, true) => {
                    let lanes = views.iter().map(|lane| lane.lane.as_str());
                    let close = crate::base::suggest::did_you_mean(&view.lane, lanes)
                        .map_or_else(String::new, |close| format!("; did you mean `{close}`?"));
                    // The manifest is read without spans: the lane's name is found in its text.
                    let source = &layer.manifest_source;
                    let at = value_span(source.text(), "lane", &view.lane).unwrap_or_default();
                    return Err(PackProblem::Invalid(vec![pack_finding(
                        source,
                        at,
                        format!(
                            "`views` removes the lane `{}`, which no pack it extends draws{close}",
                            view.lane
                        ),
                    )]));
                }
            }
        }
    }
    Ok(views)
}

/// Add a rule: a pack that extends another replaces the rules it redefines; one
/// pack may not define an id twice.
fn add_rule(rules: &mut Vec<Rule>, rule: Rule, problems: &mut Vec<Finding>) {
    match rules.iter().position(|other| other.id == rule.id) {
        Some(index) if rules[index].files_id != rule.files_id => {
            rules[index] = rule;
        }
        Some(index) => problems.push(unreadable_finding(
            &rule.file,
            format!(
                "the rule id `{}` is taken: `{}` defines a rule of that id too; give one of \
                 them another id (ids are never reused, not even a retired rule's)",
                rule.id, rules[index].file
            ),
        )),
        None => rules.push(rule),
    }
}

/// The manifests of a pack and of every pack it extends, the most basic first.
fn manifest_chain(
    files: PackFiles,
    problems: &mut Vec<Finding>,
) -> Result<Vec<Layer>, PackProblem> {
    let mut manifest_check = None;
    let mut layers: Vec<Layer> = Vec::new();
    let mut next = Some(files);
    while let Some(files) = next.take() {
        let extended = layers.last().and_then(|layer| {
            let base = layer.manifest.extends.as_deref()?;
            Some((layer, base))
        });
        if let Some((layer, base)) = extended
            && layers.len() == MAX_EXTENDS
        {
            return Err(setting_problem(
                layer,
                ("extends", base),
                format!(
                    "more than {MAX_EXTENDS} packs extend one another: a chain of `extends` \
                     holds at most {MAX_EXTENDS} packs"
                ),
                "merge some of the packs of the chain into one",
            ));
        }
        let file = files
            .read(files::MANIFEST)
            .map_err(|message| match extended {
                Some((layer, base)) => setting_problem(
                    layer,
                    ("extends", base),
                    format!("`extends: {base}` names no pack: {message}"),
                    EXTENDS_HELP,
                ),
                None => PackProblem::Unreadable(format!(
                    "{message}; a rule pack is a folder with a pack.yaml"
                )),
            })?;
        let check = match (files.needs_checking(), &manifest_check) {
            (false, _) => None,
            (true, Some(check)) => Some(check),
            (true, None) => Some(&*manifest_check.insert(builtin_schema(MANIFEST_SCHEMA)?)),
        };
        let Some(manifest) = read_checked::<ManifestDef>(&file, check, problems) else {
            return Err(PackProblem::Invalid(std::mem::take(problems)));
        };
        next = manifest.extends.as_deref().map(|base| files.extended(base));
        layers.push(Layer {
            files,
            manifest_source: SourceFile::new(file.name, file.text),
            manifest,
        });
        if let (Some(next), Some(layer)) = (&next, layers.last())
            && let Some(base) = layer.manifest.extends.as_deref()
            && layers.iter().any(|layer| same_folder(&layer.files, next))
        {
            return Err(setting_problem(
                layer,
                ("extends", base),
                format!(
                    "`extends: {base}` makes a loop of `extends`: it leads back to a pack \
                     of this chain (`{}`)",
                    next.identity()
                ),
                "a pack extends `builtin` or another pack that does not extend it in turn: \
                 remove or change one `extends` of the loop",
            ));
        }
    }
    layers.reverse();
    Ok(layers)
}

/// What `extends` may name, for a pack it cannot read.
const EXTENDS_HELP: &str = "`extends` names `builtin` or the folder of another pack (a folder \
    with a pack.yaml), relative to this pack's folder";

/// Whether two pack folders are one (`a/.` and `a`, a link and its target).
fn same_folder(a: &PackFiles, b: &PackFiles) -> bool {
    match (a, b) {
        (PackFiles::Builtin, PackFiles::Builtin) => true,
        (PackFiles::Disk(a), PackFiles::Disk(b)) => {
            match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
                (Ok(a), Ok(b)) => a == b,
                _ => a == b,
            }
        }
        _ => false,
    }
}

/// A problem with a setting of a manifest (`key: value`), shown at its value.
fn setting_problem(
    layer: &Layer,
    (key, value): (&str, &str),
    message: String,
    help: &str,
) -> PackProblem {
    let source = &layer.manifest_source;
    let at = value_span(source.text(), key, value).unwrap_or_default();
    PackProblem::Invalid(vec![Finding::engine_error(
        source,
        PACK_RULE,
        at,
        message,
        Some(help.to_owned()),
    )])
}

/// Where a manifest, read without spans, writes `value` as the value of `key`
/// (`key: value`, in a block or a flow mapping, quoted or not).
fn value_span(text: &str, key: &str, value: &str) -> Option<Span> {
    text.match_indices(key).find_map(|(at, _)| {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-') {
            return None;
        }
        let rest = text[at + key.len()..].strip_prefix(':')?;
        let trimmed = rest.trim_start_matches([' ', '\t', '"', '\'']);
        let start = text.len() - trimmed.len();
        let after = trimmed.strip_prefix(value)?;
        let ends = after.chars().next().is_none_or(|c| {
            matches!(
                c,
                ',' | '}' | ']' | '"' | '\'' | ' ' | '\t' | '\r' | '\n' | '#'
            )
        });
        ends.then(|| Span::new(start, start + value.len()))
    })
}

/// The records' schema as JSON, and the file it came from (where its problems are shown).
struct MergedSchema(Json, PackFile);

/// The records' schema: the one the last pack to name a `schema` gives, with the
/// overlays of that pack and of the packs above it applied in order.
fn merged_schema(layers: &[Layer]) -> Result<MergedSchema, PackProblem> {
    let Some((first, above)) = layers.split_first() else {
        return Err(PackProblem::Unreadable("an empty pack".to_owned()));
    };
    let path = first.manifest.schema.as_deref().unwrap_or_default();
    let file = first.files.read(path).map_err(|message| {
        setting_problem(
            first,
            ("schema", path),
            format!("`schema: {path}`: {message}"),
            "`schema` names the JSON Schema of the records, relative to this pack's folder",
        )
    })?;
    let mut schema = serde_json::from_str::<Json>(&file.text).map_err(|error| {
        schema_problem(&file, format!("`{}` is not JSON: {error}", file.name), None)
    })?;
    for layer in std::iter::once(first).chain(above) {
        if let Some(path) = &layer.manifest.schema_overlay {
            let overlay = layer.files.read(path).map_err(|message| {
                setting_problem(
                    layer,
                    ("schema_overlay", path),
                    format!("`schema_overlay: {path}`: {message}"),
                    "`schema_overlay` names a file of changes to the inherited schema, \
                     relative to this pack's folder",
                )
            })?;
            overlay::apply(&mut schema, &overlay).map_err(PackProblem::Invalid)?;
        }
    }
    Ok(MergedSchema(schema, file))
}

/// The structure check of the merged schema.
fn structure_check(schema: &MergedSchema) -> Result<StructureCheck, PackProblem> {
    let MergedSchema(json, file) = schema;
    StructureCheck::compile(json.clone()).map_err(|message| {
        let help = reaches_out(&message).then(|| {
            "govlint fetches no schema; to add or narrow fields of the schema this pack \
             inherits, give a `schema_overlay` in pack.yaml instead of a `$ref` to it \
             (docs/rule-language.md, \"Adding fields\")"
                .to_owned()
        });
        let message = format!("`{}` is not a valid JSON Schema: {message}", file.name);
        schema_problem(file, message, help)
    })
}

fn schema_problem(file: &PackFile, message: String, help: Option<String>) -> PackProblem {
    let source = SourceFile::new(file.name.clone(), file.text.clone());
    PackProblem::Invalid(vec![Finding::engine_error(
        &source,
        PACK_RULE,
        Span::default(),
        message,
        help,
    )])
}

/// Whether the schema compiler failed on a `$ref` to another schema by URL.
fn reaches_out(message: &str) -> bool {
    message.contains("resolve-http") || message.contains("custom resolver")
}

fn builtin_schema(text: &str) -> Result<StructureCheck, PackProblem> {
    serde_json::from_str(text)
        .map_err(|error| error.to_string())
        .and_then(StructureCheck::compile)
        .map_err(|message| {
            PackProblem::Unreadable(format!("a built-in schema is broken: {message}"))
        })
}

/// The rule files' schema, compiled only if a layer of the pack is read from disk:
/// the built-in pack's files are checked by the test suite, not on every run.
fn rules_check(layers: &[Layer]) -> Result<Option<StructureCheck>, PackProblem> {
    layers
        .iter()
        .any(|layer| layer.files.needs_checking())
        .then(|| builtin_schema(RULES_SCHEMA))
        .transpose()
}

/// Parse a pack file, check it against its schema (if it has one to be checked
/// against), then read it into its definition.
fn read_checked<T: for<'de> Deserialize<'de>>(
    file: &files::PackFile,
    check: Option<&StructureCheck>,
    problems: &mut Vec<Finding>,
) -> Option<T> {
    let Some(check) = check else {
        return read_definition(file, problems);
    };
    let source = SourceFile::new(file.name.clone(), file.text.clone());
    let root = match load::parse(&source, &Limits::default()) {
        Ok(root) => root,
        Err(failure) => {
            let help = yaml_trap(&failure.message).then(|| YAML_TRAP_HELP.to_owned());
            problems.push(Finding::engine_error(
                &source,
                PACK_RULE,
                failure.span,
                failure.message,
                help,
            ));
            return None;
        }
    };
    let document = Document {
        source,
        root,
        overlay: None,
    };
    let structural = check.check(&document);
    if !structural.is_empty() {
        problems.extend(structural.into_iter().map(|mut finding| {
            finding.rule = Arc::from(PACK_RULE);
            finding
        }));
        return None;
    }
    read_definition(file, problems)
}

fn read_definition<T: for<'de> Deserialize<'de>>(
    file: &files::PackFile,
    problems: &mut Vec<Finding>,
) -> Option<T> {
    let read = match file.json {
        Some(json) => serde_json::from_str::<T>(json).map_err(|error| error.to_string()),
        None => serde_saphyr::from_str_with_options::<T>(
            &file.text,
            load::parser_options(&Limits::default()),
        )
        .map_err(|error| error.to_string()),
    };
    read.map_err(|message| {
        problems.push(pack_finding(
            &SourceFile::new(file.name.clone(), file.text.clone()),
            Span::default(),
            message,
        ));
    })
    .ok()
}

/// What to do when YAML reads a condition as YAML: a CEL map literal
/// (`{'year': y}`) written unquoted is a YAML mapping, and `a: b` inside a
/// plain scalar is a mapping value.
const YAML_TRAP_HELP: &str = "if this line holds a CEL condition, YAML read part of it \
    as YAML: a condition with `: ` (a map literal such as `{'year': y}`) or one that \
    starts with `{`, `[`, `!`, `'` or `\"` must be quoted (`assert: \"…\"`) or written \
    as a block scalar (`assert: >-` with the condition on the lines below)";

/// Whether a YAML parser's message is one a CEL condition written unquoted gives.
fn yaml_trap(message: &str) -> bool {
    [
        "mapping values are not allowed",
        "did not find expected key",
    ]
    .iter()
    .any(|phrase| message.contains(phrase))
}

/// A problem with a pack file as a whole, shown at its first line.
fn unreadable_finding(name: &str, message: String) -> Finding {
    pack_finding(&SourceFile::new(name, ""), Span::default(), message)
}

fn pack_finding(source: &Arc<SourceFile>, span: Span, message: String) -> Finding {
    Finding::engine_error(source, PACK_RULE, span, message, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a pack read from disk gets on every load (its files checked against
    /// their schemas, every template compiled and its names checked), and the
    /// built-in pack only here.
    #[test]
    fn built_in_files_pass_the_checks_a_pack_on_disk_gets() -> Result<(), String> {
        let rules_check = builtin_schema(RULES_SCHEMA).map_err(|error| format!("{error:?}"))?;
        let manifest_check =
            builtin_schema(MANIFEST_SCHEMA).map_err(|error| format!("{error:?}"))?;
        let files = PackFiles::Builtin;
        let mut problems = Vec::new();
        let manifest = files.read(files::MANIFEST)?;
        let read = read_checked::<ManifestDef>(&manifest, Some(&manifest_check), &mut problems);
        assert!(read.is_some(), "{problems:?}");
        let pack = Pack::load(PackFiles::Builtin).map_err(|error| format!("{error:?}"))?;
        let known: Vec<String> = DOCUMENT_NAMES
            .iter()
            .map(|name| (*name).to_owned())
            .chain(pack.bindings.iter().map(|(name, _)| name.clone()))
            .collect();
        // The conditions are checked against the records' schema, as on disk.
        let schema: Json = serde_json::from_str(include_str!("../../schemas/snapshot.schema.json"))
            .map_err(|error| error.to_string())?;
        let typing = Typing::new(&schema);
        let mut typed = typing.document_names();
        let mut compiler = Compiler {
            source: Arc::clone(&SourceFile::new(
                manifest.name.clone(),
                manifest.text.clone(),
            )),
            problems: &mut problems,
            defer_templates: false,
            typing: Some(&typing),
            names: std::mem::take(&mut typed),
            external: Vec::new(),
        };
        let definition = read_definition::<ManifestDef>(&manifest, compiler.problems)
            .ok_or("the manifest reads")?;
        compiler.bindings(
            &definition.bindings,
            &mut DOCUMENT_NAMES.map(String::from).to_vec(),
        );
        let typed = compiler.names;
        let names = files.rule_files(&[])?;
        assert!(names.len() >= 20, "{names:?}");
        for name in names {
            let origin = Arc::from("builtin");
            let types = Some((&typing, typed.as_slice()));
            let (rule, found) =
                compile_rule_file(&files, &name, Some(&rules_check), &known, types, &origin);
            assert!(
                matches!(rule, Some(RuleFile::Rule(_))) && found.is_empty(),
                "{name}: {found:?}"
            );
        }
        assert!(problems.is_empty(), "{problems:?}");
        Ok(())
    }
}
