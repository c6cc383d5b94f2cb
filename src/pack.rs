//! A rule pack: its manifest, its rules and its structure schema, read and compiled
//! once. Every problem in a pack is reported at its place in the pack's files,
//! before any snapshot is read.

mod files;

pub use files::PackFiles;

use crate::date::PartialDate;
use crate::expr::{Expression, Val};
use crate::finding::{Finding, Severity};
use crate::load::{self, Document, Limits};
use crate::schema::StructureCheck;
use crate::source::{SourceFile, Span};
use crate::template::Template;
use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::Value as Json;
use serde_saphyr::Spanned;
use std::sync::Arc;

/// The code of every problem found in a rule pack.
pub const PACK_RULE: &str = "rule-pack";
/// Names every expression may read, whatever the rule.
const DOCUMENT_NAMES: [&str; 2] = ["doc", "as_of"];
const PARAMS_NAME: &str = "params";

pub const RULES_SCHEMA: &str = include_str!("../schemas/rules.schema.json");
const MANIFEST_SCHEMA: &str = include_str!("../schemas/pack.schema.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestDef {
    name: String,
    title: String,
    #[serde(default)]
    description: Option<String>,
    /// `builtin`, or the folder of another pack (relative to this one) whose
    /// settings, bindings and rules this pack starts from.
    #[serde(default)]
    extends: Option<String>,
    #[serde(default)]
    schema: Option<String>,
    #[serde(default)]
    as_of: Option<String>,
    #[serde(default)]
    waivers: Option<String>,
    #[serde(default, rename = "let")]
    bindings: IndexMap<String, Spanned<String>>,
}

const DEFAULT_AS_OF: &str = "/as_of";
/// How many packs may stand behind one another through `extends`.
const MAX_EXTENDS: usize = 8;

/// One pack of a chain of `extends`: where its files are, and its manifest.
struct Layer {
    files: PackFiles,
    manifest_source: Arc<SourceFile>,
    manifest: ManifestDef,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    id: String,
    title: String,
    severity: Severity,
    clause: Clause,
    rationale: String,
    #[serde(default)]
    params: IndexMap<String, Json>,
    #[serde(default)]
    amendments: Vec<AmendmentDef>,
    #[serde(default, rename = "let")]
    lets: IndexMap<String, Spanned<String>>,
    #[serde(default)]
    for_each: Option<ForEachDef>,
    checks: Vec<CheckDef>,
    docs: Docs,
    #[serde(default)]
    tests: Vec<TestCase>,
    #[serde(default)]
    retired: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ForEachDef {
    #[serde(rename = "in")]
    items: Spanned<String>,
    #[serde(default = "default_item", rename = "as")]
    name: String,
    #[serde(default, rename = "where")]
    filter: Option<Spanned<String>>,
    #[serde(default)]
    version_date: Option<Spanned<String>>,
    #[serde(default, rename = "let")]
    lets: IndexMap<String, Spanned<String>>,
}

fn default_item() -> String {
    "item".to_owned()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AmendmentDef {
    from: Spanned<Json>,
    params: IndexMap<String, Json>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckDef {
    assert: Spanned<String>,
    #[serde(default)]
    severity: Option<Severity>,
    message: Spanned<String>,
    #[serde(default)]
    label: Option<Spanned<String>>,
    #[serde(default)]
    help: Option<Spanned<String>>,
    #[serde(default)]
    at: Option<Spanned<String>>,
    #[serde(default)]
    related: Vec<RelatedDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelatedDef {
    at: Spanned<String>,
    label: Spanned<String>,
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
    pub pass: Option<String>,
    #[serde(default)]
    pub fail: Option<String>,
}

/// A fixture of the rule and the findings of this rule it must produce, exactly.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestCase {
    pub file: String,
    #[serde(default)]
    pub expect: Vec<Expected>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    pub at: String,
    #[serde(default)]
    pub severity: Option<Severity>,
}

/// The parameters in force from each date: the base values, then each amendment on top.
#[derive(Debug)]
pub struct ParamVersions {
    versions: Vec<ParamVersion>,
}

#[derive(Debug)]
pub struct ParamVersion {
    pub from: Option<PartialDate>,
    pub note: Option<String>,
    pub values: IndexMap<String, Json>,
    value: Val,
}

impl ParamVersions {
    pub fn versions(&self) -> &[ParamVersion] {
        &self.versions
    }

    /// The version in force at `date`: the last whose start is not after it.
    pub fn at(&self, date: Option<&PartialDate>) -> &Val {
        let chosen = self
            .versions
            .iter()
            .rev()
            .find(|version| match (&version.from, date) {
                (None, _) => true,
                (Some(from), Some(date)) => from.compare(date) != std::cmp::Ordering::Greater,
                (Some(_), None) => false,
            })
            .or_else(|| self.versions.first());
        chosen.map_or(&NULL_PARAMS, |version| &version.value)
    }
}

static NULL_PARAMS: std::sync::LazyLock<Val> = std::sync::LazyLock::new(Val::null);

#[derive(Debug)]
pub struct Check {
    pub assert: Expression,
    pub severity: Option<Severity>,
    pub message: Template,
    pub label: Option<Template>,
    pub help: Option<Template>,
    pub at: Option<Expression>,
    pub related: Vec<(Expression, Template)>,
}

/// The items a rule checks one by one, and what is computed for each.
#[derive(Debug)]
pub struct ForEach {
    pub items: Expression,
    pub name: String,
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
}

pub struct Pack {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub structure: StructureCheck,
    pub as_of_pointer: String,
    /// Where a document keeps its waivers, if the pack supports them.
    pub waivers_pointer: Option<String>,
    pub bindings: Vec<(String, Expression)>,
    pub rules: Vec<Rule>,
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
        let rules_check = builtin_schema(RULES_SCHEMA)?;
        let mut problems = Vec::new();
        let layers = manifest_chain(files, &mut problems)?;
        let setting = |pick: fn(&ManifestDef) -> Option<&String>| {
            layers
                .iter()
                .rev()
                .find_map(|layer| Some((layer, pick(&layer.manifest)?.clone())))
        };
        let Some((schema_layer, schema_path)) = setting(|manifest| manifest.schema.as_ref()) else {
            let top = layers.last().map(|layer| &layer.manifest_source);
            return Err(PackProblem::Invalid(vec![pack_finding(
                top.ok_or_else(|| PackProblem::Unreadable("an empty pack".to_owned()))?,
                Span::default(),
                "the pack names no `schema` for the records it checks".to_owned(),
            )]));
        };
        let structure = structure_check(&schema_layer.files, &schema_path)?;

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
            };
            bindings.extend(compiler.bindings(&layer.manifest.bindings, &mut known));
        }

        // Rule files are independent: read, check and compile them on every core.
        let mut sources = Vec::new();
        for layer in &layers {
            let names = layer.files.rule_files().map_err(PackProblem::Unreadable)?;
            sources.extend(names.into_iter().map(|name| (&layer.files, name)));
        }
        let outcomes: Vec<(Option<Rule>, Vec<Finding>)> = sources
            .par_iter()
            .map(|(files, name)| compile_rule_file(files, name, &rules_check, &known))
            .collect();
        let mut rules: Vec<Rule> = Vec::with_capacity(outcomes.len());
        for (rule, found) in outcomes {
            problems.extend(found);
            let Some(rule) = rule else { continue };
            match rules.iter().position(|other| other.id == rule.id) {
                // A pack that extends another replaces the rules it redefines.
                Some(index) if !Arc::ptr_eq(&rules[index].files_id, &rule.files_id) => {
                    rules[index] = rule
                }
                Some(_) => problems.push(unreadable_finding(
                    &rule.file,
                    format!("the rule id `{}` is used by another rule file too", rule.id),
                )),
                None => rules.push(rule),
            }
        }
        if !problems.is_empty() {
            return Err(PackProblem::Invalid(problems));
        }
        let as_of_pointer = setting(|manifest| manifest.as_of.as_ref())
            .map_or_else(|| DEFAULT_AS_OF.to_owned(), |(_, pointer)| pointer);
        let waivers_pointer =
            setting(|manifest| manifest.waivers.as_ref()).map(|(_, pointer)| pointer);
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
            bindings,
            rules,
        })
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.id.as_ref() == id)
    }
}

/// The manifests of a pack and of every pack it extends, the most basic first.
fn manifest_chain(
    files: PackFiles,
    problems: &mut Vec<Finding>,
) -> Result<Vec<Layer>, PackProblem> {
    let manifest_check = builtin_schema(MANIFEST_SCHEMA)?;
    let mut layers: Vec<Layer> = Vec::new();
    let mut next = Some(files);
    while let Some(files) = next.take() {
        if layers.len() == MAX_EXTENDS {
            return Err(PackProblem::Unreadable(format!(
                "more than {MAX_EXTENDS} packs extend one another (is there a loop of `extends`?)"
            )));
        }
        let file = files
            .read(files::MANIFEST)
            .map_err(PackProblem::Unreadable)?;
        let Some(manifest) = read_checked::<ManifestDef>(&file, &manifest_check, problems) else {
            return Err(PackProblem::Invalid(std::mem::take(problems)));
        };
        next = manifest.extends.as_deref().map(|base| files.extended(base));
        layers.push(Layer {
            files,
            manifest_source: SourceFile::new(file.name, file.text),
            manifest,
        });
    }
    layers.reverse();
    Ok(layers)
}

fn structure_check(files: &PackFiles, path: &str) -> Result<StructureCheck, PackProblem> {
    let file = files.read(path).map_err(PackProblem::Unreadable)?;
    serde_json::from_str::<Json>(&file.text)
        .map_err(|error| format!("`{}` is not JSON: {error}", file.name))
        .and_then(StructureCheck::compile)
        .map_err(|message| {
            PackProblem::Invalid(vec![pack_finding(
                &SourceFile::new(file.name.clone(), file.text.clone()),
                Span::default(),
                message,
            )])
        })
}

/// Read, check and compile one rule file, with the problems found in it.
fn compile_rule_file(
    files: &PackFiles,
    name: &str,
    check: &StructureCheck,
    known: &[String],
) -> (Option<Rule>, Vec<Finding>) {
    let mut problems = Vec::new();
    let rule = files
        .read(name)
        .map_err(|message| problems.push(unreadable_finding(name, message)))
        .ok()
        .and_then(|file| {
            let definition = read_checked::<RuleDef>(&file, check, &mut problems)?;
            let mut compiler = Compiler {
                source: SourceFile::new(file.name.clone(), file.text.clone()),
                problems: &mut problems,
            };
            compiler.rule(files.clone(), file.name, definition, known)
        });
    (rule, problems)
}

fn builtin_schema(text: &str) -> Result<StructureCheck, PackProblem> {
    serde_json::from_str(text)
        .map_err(|error| error.to_string())
        .and_then(StructureCheck::compile)
        .map_err(|message| {
            PackProblem::Unreadable(format!("a built-in schema is broken: {message}"))
        })
}

/// Parse a pack file, check it against its schema, then read it into its definition.
fn read_checked<T: for<'de> Deserialize<'de>>(
    file: &files::PackFile,
    check: &StructureCheck,
    problems: &mut Vec<Finding>,
) -> Option<T> {
    let source = SourceFile::new(file.name.clone(), file.text.clone());
    let root = match load::parse(&source, &Limits::default()) {
        Ok(root) => root,
        Err(failure) => {
            problems.push(pack_finding(&source, failure.span, failure.message));
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
    match serde_saphyr::from_str::<T>(&file.text) {
        Ok(definition) => Some(definition),
        Err(error) => {
            problems.push(pack_finding(
                &document.source,
                Span::default(),
                error.to_string(),
            ));
            None
        }
    }
}

/// A problem with a pack file as a whole, shown at its first line.
fn unreadable_finding(name: &str, message: String) -> Finding {
    pack_finding(&SourceFile::new(name, ""), Span::default(), message)
}

fn pack_finding(source: &Arc<SourceFile>, span: Span, message: String) -> Finding {
    Finding::engine_error(source, PACK_RULE, span, message, None)
}

/// Compiles the expressions of one pack file, collecting every problem at its place.
struct Compiler<'a> {
    source: Arc<SourceFile>,
    problems: &'a mut Vec<Finding>,
}

impl Compiler<'_> {
    fn report(&mut self, span: Span, message: String) {
        self.problems
            .push(pack_finding(&self.source, span, message));
    }

    fn span_of<T>(spanned: &Spanned<T>) -> Span {
        let span = spanned.referenced.span();
        let start = span
            .byte_offset()
            .and_then(|at| usize::try_from(at).ok())
            .unwrap_or(0);
        let len = span
            .byte_len()
            .and_then(|len| usize::try_from(len).ok())
            .unwrap_or(0);
        Span::new(start, start + len)
    }

    /// Compile an expression that may read only `known` names.
    fn expression(&mut self, text: &Spanned<String>, known: &[String]) -> Option<Expression> {
        let span = Self::span_of(text);
        match Expression::compile(&text.value) {
            Ok(expression) => {
                self.check_names(expression.free_variables(), known, span);
                Some(expression)
            }
            Err(message) => {
                self.report(span, message);
                None
            }
        }
    }

    fn template(&mut self, text: &Spanned<String>, known: &[String]) -> Option<Template> {
        let span = Self::span_of(text);
        match Template::compile(&text.value) {
            Ok(template) => {
                let names: Vec<&str> = template
                    .expressions()
                    .flat_map(Expression::free_variables)
                    .collect();
                self.check_names(names.into_iter(), known, span);
                Some(template)
            }
            Err((_, message)) => {
                self.report(span, message);
                None
            }
        }
    }

    fn check_names<'n>(
        &mut self,
        names: impl Iterator<Item = &'n str>,
        known: &[String],
        span: Span,
    ) {
        for name in names {
            if !known.iter().any(|known| known == name) {
                let help = crate::suggest::did_you_mean(name, known.iter().map(String::as_str))
                    .map_or_else(String::new, |close| format!("; did you mean `{close}`?"));
                self.report(span, format!("unknown name `{name}`{help}"));
            }
        }
    }

    /// Named bindings in order: each may read the names before it.
    fn bindings(
        &mut self,
        definitions: &IndexMap<String, Spanned<String>>,
        known: &mut Vec<String>,
    ) -> Vec<(String, Expression)> {
        let mut compiled = Vec::new();
        for (name, text) in definitions {
            if let Some(expression) = self.expression(text, known) {
                compiled.push((name.clone(), expression));
            }
            known.push(name.clone());
        }
        compiled
    }

    fn rule(
        &mut self,
        files: PackFiles,
        file: String,
        definition: RuleDef,
        pack_names: &[String],
    ) -> Option<Rule> {
        let params = self.params(&definition);
        let mut known = pack_names.to_vec();
        known.push(PARAMS_NAME.to_owned());
        let lets = self.bindings(&definition.lets, &mut known);
        let for_each = definition
            .for_each
            .as_ref()
            .map(|each| self.for_each(each, &mut known));
        let checks: Vec<Check> = definition
            .checks
            .iter()
            .filter_map(|check| self.check(check, &known))
            .collect();
        if checks.len() != definition.checks.len() || lets.len() != definition.lets.len() {
            return None;
        }
        Some(Rule {
            id: Arc::from(definition.id.as_str()),
            clause_text: Arc::from(definition.clause.cite()),
            title: definition.title,
            severity: definition.severity,
            clause: definition.clause,
            rationale: definition.rationale,
            params: params?,
            docs: definition.docs,
            tests: definition.tests,
            file,
            files_id: files.identity(),
            files,
            lets,
            for_each: for_each.transpose_none()?,
            checks,
            retired: definition.retired,
        })
    }

    /// The item's name, then its version date, then its bindings, then its filter:
    /// each may read what comes before it.
    fn for_each(&mut self, each: &ForEachDef, known: &mut Vec<String>) -> Option<ForEach> {
        let items = self.expression(&each.items, known);
        known.push(each.name.clone());
        let version_date = each
            .version_date
            .as_ref()
            .map(|text| self.expression(text, known));
        let lets = self.bindings(&each.lets, known);
        let filter = each
            .filter
            .as_ref()
            .map(|text| self.expression(text, known));
        if lets.len() != each.lets.len() {
            return None;
        }
        Some(ForEach {
            items: items?,
            name: each.name.clone(),
            filter: filter.transpose_none()?,
            version_date: version_date.transpose_none()?,
            lets,
        })
    }

    fn params(&mut self, definition: &RuleDef) -> Option<ParamVersions> {
        let mut values = definition.params.clone();
        let mut versions = vec![ParamVersion {
            from: None,
            note: None,
            value: params_value(&values),
            values: values.clone(),
        }];
        let mut amendments: Vec<(PartialDate, &AmendmentDef)> = Vec::new();
        for amendment in &definition.amendments {
            let date = match &amendment.from.value {
                Json::Number(year) => year
                    .as_i64()
                    .and_then(|year| PartialDate::from_year(year).ok()),
                Json::String(text) => PartialDate::parse(text).ok(),
                _ => None,
            };
            match date {
                Some(date) => amendments.push((date, amendment)),
                None => {
                    self.report(
                        Self::span_of(&amendment.from),
                        "an amendment's `from` must be a date".to_owned(),
                    );
                    return None;
                }
            }
        }
        amendments.sort_by_key(|(date, _)| date.sort_key());
        for (date, amendment) in amendments {
            for (name, value) in &amendment.params {
                if !values.contains_key(name) {
                    self.report(
                        Self::span_of(&amendment.from),
                        format!("the amendment changes `{name}`, which the rule's `params` do not define"),
                    );
                    return None;
                }
                values.insert(name.clone(), value.clone());
            }
            versions.push(ParamVersion {
                from: Some(date),
                note: amendment.note.clone(),
                value: params_value(&values),
                values: values.clone(),
            });
        }
        Some(ParamVersions { versions })
    }

    fn check(&mut self, check: &CheckDef, known: &[String]) -> Option<Check> {
        let assert = self.expression(&check.assert, known);
        let message = self.template(&check.message, known);
        let label = check.label.as_ref().map(|text| self.template(text, known));
        let help = check.help.as_ref().map(|text| self.template(text, known));
        let at = check.at.as_ref().map(|text| self.expression(text, known));
        let related: Vec<Option<(Expression, Template)>> = check
            .related
            .iter()
            .map(|related| {
                Some((
                    self.expression(&related.at, known)?,
                    self.template(&related.label, known)?,
                ))
            })
            .collect();
        Some(Check {
            assert: assert?,
            severity: check.severity,
            message: message?,
            label: label.transpose_none()?,
            help: help.transpose_none()?,
            at: at.transpose_none()?,
            related: related.into_iter().collect::<Option<Vec<_>>>()?,
        })
    }
}

/// `Some(None)` for an absent optional part, `None` when a present one failed.
trait TransposeNone<T> {
    fn transpose_none(self) -> Option<Option<T>>;
}

impl<T> TransposeNone<T> for Option<Option<T>> {
    fn transpose_none(self) -> Option<Option<T>> {
        match self {
            None => Some(None),
            Some(None) => None,
            Some(Some(value)) => Some(Some(value)),
        }
    }
}

fn params_value(values: &IndexMap<String, Json>) -> Val {
    Val::from_json(&Json::Object(
        values
            .iter()
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect(),
    ))
}
