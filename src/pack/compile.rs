//! Compiling a pack file's expressions, with every problem reported at its place
//! in the file and the names each expression may read checked before any runs.

use super::definition::{AmendmentDef, CheckDef, ForEachDef, OverrideDef, RuleDef};
use super::files::PackFile;
use super::{
    Amendment, Check, FixEdit, FixRule, ForEach, PARAMS_NAME, PackFiles, ParamVersions, Rule,
    pack_finding, read_checked, unreadable_finding,
};
use crate::base::date::PartialDate;
use crate::base::finding::{Finding, Verdict};
use crate::base::source::{SourceFile, Span};
use crate::expr::Expression;
use crate::load::{self, Limits};
use crate::pack::template::Template;
use crate::pack::typecheck::{Mistake, Ty, Typing, params_type};
use crate::schema::StructureCheck;
use indexmap::IndexMap;
use serde_json::Value as Json;
use serde_saphyr::Spanned;
use std::sync::Arc;

/// What a file of a pack folder holds: a rule, or changes to an inherited one.
pub(super) enum RuleFile {
    Rule(Box<Rule>),
    /// Read but not yet compiled: it compiles against the rule it changes.
    Override(Box<Override>),
}

/// An override file, read and checked against its schema.
pub(super) struct Override {
    pub(super) definition: OverrideDef,
    pub(super) source: Arc<SourceFile>,
    pub(super) files: PackFiles,
    pub(super) origin: Arc<str>,
}

/// Read, check and compile one file of a pack folder, with the problems found in it.
pub(super) fn compile_rule_file(
    files: &PackFiles,
    name: &str,
    check: Option<&StructureCheck>,
    known: &[String],
    types: Option<(&Typing<'_>, &[(String, Ty<'_>)])>,
    origin: &Arc<str>,
) -> (Option<RuleFile>, Vec<Finding>) {
    let mut problems = Vec::new();
    let compiled = files
        .read(name)
        .map_err(|message| problems.push(unreadable_finding(&files.name_of(name), message)))
        .ok()
        .and_then(|file| {
            match kind_of(&file) {
                FileKind::Rule => {}
                FileKind::Override => {
                    let definition = read_checked::<OverrideDef>(&file, check, &mut problems)?;
                    return Some(RuleFile::Override(Box::new(Override {
                        definition,
                        source: SourceFile::new(file.name, file.text),
                        files: files.clone(),
                        origin: Arc::clone(origin),
                    })));
                }
                FileKind::Neither => {
                    problems.push(unreadable_finding(&file.name, NOT_A_RULE.to_owned()));
                    return None;
                }
            }
            let definition = read_checked::<RuleDef>(&file, check, &mut problems)?;
            let mut compiler = Compiler {
                source: SourceFile::new(file.name.clone(), file.text.clone()),
                problems: &mut problems,
                defer_templates: check.is_none(),
                typing: types.map(|(typing, _)| typing),
                names: types.map(|(_, names)| names.to_vec()).unwrap_or_default(),
                external: definition.external_fields.clone(),
            };
            compiler
                .rule(files.clone(), file.name, definition, known, origin)
                .map(|rule| RuleFile::Rule(Box::new(rule)))
        });
    (compiled, problems)
}

/// What a pack folder may hold, for a YAML file there that is no rule.
const NOT_A_RULE: &str = "this file is neither a rule (it has no `id`) nor an override of an \
    inherited rule (no `overrides`); a pack folder holds pack.yaml, one YAML file per rule \
    or override, the files pack.yaml names (`schema`, `schema_overlay`), and folders \
    (such as `fixtures/`), which are never read as rules: move the file into one";

enum FileKind {
    Rule,
    Override,
    Neither,
}

/// Whether a file defines a rule, changes an inherited one (it names it in
/// `overrides`), or is neither. A file that does not parse as a mapping is read
/// as a rule, whose reading reports the error.
fn kind_of(file: &PackFile) -> FileKind {
    #[derive(serde::Deserialize)]
    struct Probe {
        id: Option<serde::de::IgnoredAny>,
        overrides: Option<serde::de::IgnoredAny>,
    }
    if file.json.is_some() {
        return FileKind::Rule;
    }
    // The same limits as every pack file's reading: a probe is no way around them.
    let options = load::parser_options(&Limits::default());
    match serde_saphyr::from_str_with_options::<Probe>(&file.text, options) {
        Ok(Probe {
            overrides: Some(_), ..
        }) => FileKind::Override,
        Ok(Probe { id: None, .. }) => FileKind::Neither,
        _ => FileKind::Rule,
    }
}

/// Compiles the expressions of one pack file, collecting every problem at its place.
pub(super) struct Compiler<'a, 's> {
    pub(super) source: Arc<SourceFile>,
    pub(super) problems: &'a mut Vec<Finding>,
    /// Whether templates wait to compile until first rendered: only in a file
    /// trusted without checking (the built-in pack's, compiled by the test suite).
    pub(super) defer_templates: bool,
    /// The records' schema, when the conditions are checked against it.
    pub(super) typing: Option<&'s Typing<'s>>,
    /// The type of every name an expression may read, in order.
    pub(super) names: Vec<(String, Ty<'s>)>,
    /// Fields the rule reads that the schema does not describe.
    pub(super) external: Vec<String>,
}

impl<'s> Compiler<'_, 's> {
    pub(super) fn report(&mut self, span: Span, message: String) {
        self.problems
            .push(pack_finding(&self.source, span, message));
    }

    pub(super) fn span_of<T>(spanned: &Spanned<T>) -> Span {
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
        self.typed_expression(text, known)
            .map(|(expression, _)| expression)
    }

    /// Compile an expression, and give the type of its value.
    fn typed_expression(
        &mut self,
        text: &Spanned<String>,
        known: &[String],
    ) -> Option<(Expression, Ty<'s>)> {
        let span = Self::span_of(text);
        match Expression::compile(&text.value) {
            Ok(expression) => {
                self.check_names(expression.free_variables(), known, span);
                let ty = self.check_types(&expression, span);
                Some((expression, ty))
            }
            Err(message) => {
                self.report(span, message);
                None
            }
        }
    }

    /// Check an expression against the records' schema (see `typecheck`),
    /// each mistake reported where the text names it.
    fn check_types(&mut self, expression: &Expression, span: Span) -> Ty<'s> {
        let Some(typing) = self.typing else {
            return Ty::Dyn;
        };
        let (ty, mistakes) = typing.check(expression.tree(), &self.names, &self.external);
        for mistake in mistakes {
            let at = self.near(span, &mistake);
            self.problems.push(Finding::engine_error(
                &self.source,
                crate::base::engine_rules::PACK_RULE,
                at,
                mistake.message,
                mistake.help,
            ));
        }
        ty
    }

    /// Where the file writes `name` as a key (`name:`), for a part read without spans.
    fn key_span(&self, name: &str) -> Option<Span> {
        let text = self.source.text();
        text.match_indices(name)
            .find(|(at, _)| {
                let before = text[..*at].chars().next_back();
                let after = text[at + name.len()..].trim_start_matches([' ', '\t']);
                before.is_none_or(|c| !c.is_alphanumeric() && c != '_') && after.starts_with(':')
            })
            .map(|(at, _)| Span::new(at, at + name.len()))
    }

    /// Where in `span` the text names what a mistake is about: the first
    /// occurrence that is not part of a longer name; all of `span` if none.
    fn near(&self, span: Span, mistake: &Mistake) -> Span {
        let text = self.source.text();
        let Some(within) = text.get(span.start()..span.end()) else {
            return span;
        };
        let is_name = |c: char| c.is_alphanumeric() || c == '_';
        let whole = |at: usize, near: &str| {
            let joined_before =
                near.starts_with(is_name) && within[..at].chars().next_back().is_some_and(is_name);
            let joined_after =
                near.ends_with(is_name) && within[at + near.len()..].starts_with(is_name);
            !joined_before && !joined_after
        };
        mistake
            .near
            .iter()
            .find_map(|near| {
                within
                    .match_indices(near.as_str())
                    .find(|(at, _)| whole(*at, near))
                    .map(|(at, _)| Span::new(span.start() + at, span.start() + at + near.len()))
            })
            .unwrap_or(span)
    }

    pub(super) fn template(
        &mut self,
        text: &Spanned<String>,
        known: &[String],
    ) -> Option<Template> {
        if self.defer_templates {
            return Some(Template::deferred(&text.value));
        }
        let span = Self::span_of(text);
        match Template::compile(&text.value) {
            Ok(template) => {
                let names: Vec<&str> = template
                    .expressions()
                    .flat_map(Expression::free_variables)
                    .collect();
                self.check_names(names.into_iter(), known, span);
                for expression in template.expressions() {
                    self.check_types(expression, span);
                }
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
                let help =
                    crate::base::suggest::did_you_mean(name, known.iter().map(String::as_str))
                        .map_or_else(String::new, |close| format!("; did you mean `{close}`?"));
                self.report(span, format!("unknown name `{name}`{help}"));
            }
        }
    }

    /// Named bindings in order: each may read the names before it.
    pub(super) fn bindings(
        &mut self,
        definitions: &IndexMap<String, Spanned<String>>,
        known: &mut Vec<String>,
    ) -> Vec<(String, Expression)> {
        let mut compiled = Vec::new();
        for (name, text) in definitions {
            let ty = match self.typed_expression(text, known) {
                Some((expression, ty)) => {
                    compiled.push((name.clone(), expression));
                    ty
                }
                None => Ty::Dyn,
            };
            known.push(name.clone());
            self.names.push((name.clone(), ty));
        }
        compiled
    }

    fn rule(
        &mut self,
        files: PackFiles,
        file: String,
        definition: RuleDef,
        pack_names: &[String],
        origin: &Arc<str>,
    ) -> Option<Rule> {
        let params = self.params(&definition, origin);
        let mut known = pack_names.to_vec();
        known.push(PARAMS_NAME.to_owned());
        let params_type = params
            .as_ref()
            .map_or(Ty::Dyn, |params| params_type(params.versions()));
        self.names.push((PARAMS_NAME.to_owned(), params_type));
        let lets = self.bindings(&definition.lets, &mut known);
        let for_each = definition
            .for_each
            .as_ref()
            .map(|each| self.for_each(each, &mut known));
        let checks: Vec<Check> = definition
            .checks
            .iter()
            .filter_map(|check| self.check(check, &known, origin))
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
            origin: Arc::clone(origin),
            disabled: None,
            changes: Vec::new(),
            check_names: known,
            external_fields: std::mem::take(&mut self.external),
        })
    }

    /// The item's name, then its version date, then its bindings, then its filter:
    /// each may read what comes before it.
    fn for_each(&mut self, each: &ForEachDef, known: &mut Vec<String>) -> Option<ForEach> {
        let (items, item) = match self.typed_expression(&each.items, known) {
            Some((items, ty)) => (Some(items), ty.item()),
            None => (None, Ty::Dyn),
        };
        known.push(each.name.clone());
        known.extend(each.index.iter().chain(&each.previous).cloned());
        self.bind_item(
            &each.name,
            each.index.as_ref(),
            each.previous.as_ref(),
            item,
        );
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
            index: each.index.clone(),
            previous: each.previous.clone(),
            filter: filter.transpose_none()?,
            version_date: version_date.transpose_none()?,
            lets,
        })
    }

    /// A `for_each` item's name, and those of its position and of the item before it.
    fn bind_item(
        &mut self,
        name: &str,
        index: Option<&String>,
        previous: Option<&String>,
        item: Ty<'s>,
    ) {
        self.names.push((name.to_owned(), item.clone()));
        self.names
            .extend(index.map(|index| (index.clone(), Ty::Int)));
        self.names
            .extend(previous.map(|previous| (previous.clone(), item)));
    }

    /// The names a compiled rule's checks read, with the types `rule` gave
    /// them: what an override's checks and messages are checked against.
    pub(super) fn enter(&mut self, rule: &Rule) {
        let Some(typing) = self.typing else {
            return;
        };
        self.external.clone_from(&rule.external_fields);
        self.names
            .push((PARAMS_NAME.to_owned(), params_type(rule.params.versions())));
        let typed = |compiler: &Self, expression: &Expression| {
            typing
                .check(expression.tree(), &compiler.names, &compiler.external)
                .0
        };
        for (name, expression) in &rule.lets {
            let ty = typed(self, expression);
            self.names.push((name.clone(), ty));
        }
        if let Some(each) = &rule.for_each {
            let item = typed(self, &each.items).item();
            self.bind_item(
                &each.name,
                each.index.as_ref(),
                each.previous.as_ref(),
                item,
            );
            for (name, expression) in &each.lets {
                let ty = typed(self, expression);
                self.names.push((name.clone(), ty));
            }
        }
    }

    fn params(&mut self, definition: &RuleDef, origin: &Arc<str>) -> Option<ParamVersions> {
        let amendments =
            self.amendments(&definition.amendments, origin, definition.params.keys())?;
        Some(ParamVersions::new(
            definition.params.clone(),
            Arc::clone(origin),
            amendments,
        ))
    }

    /// Read dated amendments, each of which may change only the parameters
    /// `defined`.
    pub(super) fn amendments<'n>(
        &mut self,
        definitions: &[AmendmentDef],
        origin: &Arc<str>,
        defined: impl Iterator<Item = &'n String> + Clone,
    ) -> Option<Vec<Amendment>> {
        let mut amendments = Vec::new();
        for amendment in definitions {
            let date = match &amendment.from.value {
                Json::Number(year) => year
                    .as_i64()
                    .and_then(|year| PartialDate::from_year(year).ok()),
                Json::String(text) => PartialDate::parse(text).ok(),
                _ => None,
            };
            let span = Self::span_of(&amendment.from);
            let Some(date) = date else {
                self.report(
                    span,
                    "an amendment's `from` must be a real date: a year, a month or a day \
                     (`2021`, `2021-06`, `2021-06-15`)"
                        .to_owned(),
                );
                return None;
            };
            let is_defined = |name: &String| defined.clone().any(|known| known == name);
            if let Some(name) = amendment.params.keys().find(|name| !is_defined(name)) {
                let span = self.key_span(name).unwrap_or(span);
                let close =
                    crate::base::suggest::did_you_mean(name, defined.clone().map(String::as_str))
                        .map_or_else(String::new, |close| format!("; did you mean `{close}`?"));
                self.report(
                    span,
                    format!(
                        "the amendment changes `{name}`, which the rule's `params` do not define{close}"
                    ),
                );
                return None;
            }
            amendments.push(Amendment {
                from: date,
                note: amendment.note.clone(),
                changes: amendment.params.clone(),
                origin: Arc::clone(origin),
            });
        }
        Some(amendments)
    }

    pub(super) fn check(
        &mut self,
        check: &CheckDef,
        known: &[String],
        origin: &Arc<str>,
    ) -> Option<Check> {
        let when = check.when.as_ref().map(|text| self.expression(text, known));
        let assert = self.expression(&check.assert, known);
        let verdict = check.verdict.unwrap_or(Verdict::Contradiction);
        let complete = check.complete.as_ref().map(|text| {
            if verdict != Verdict::NotRecorded {
                self.report(
                    Self::span_of(text),
                    "`complete` says when missing evidence becomes a contradiction; \
                     it belongs to a check with `verdict: not-recorded`"
                        .to_owned(),
                );
            }
            self.expression(text, known)
        });
        let due = check.due.as_ref().map(|text| {
            if verdict != Verdict::NotRecorded {
                self.report(
                    Self::span_of(text),
                    "`due` says when missing evidence falls due; \
                     it belongs to a check with `verdict: not-recorded`"
                        .to_owned(),
                );
            }
            self.expression(text, known)
        });
        let message = self.template(&check.message, known);
        let label = check.label.as_ref().map(|text| self.template(text, known));
        let help = check.help.as_ref().map(|text| self.template(text, known));
        let at = check.at.as_ref().map(|text| self.expression(text, known));
        let fix = check.fix.as_ref().map(|fix| {
            let edit = match (&fix.set, &fix.to, &fix.add, &fix.item) {
                (Some(node), Some(value), None, None) => FixEdit::Set {
                    node: self.expression(node, known)?,
                    value: self.expression(value, known)?,
                },
                (None, None, Some(list), Some(item)) => FixEdit::Add {
                    list: self.expression(list, known)?,
                    item: self.expression(item, known)?,
                },
                _ => {
                    let span = [&fix.set, &fix.to, &fix.add, &fix.item]
                        .into_iter()
                        .flatten()
                        .next()
                        .map_or_else(Span::default, Self::span_of);
                    self.report(
                        span,
                        "a fix either sets a value (`set` and `to`) or adds an item to a list (`add` and `item`)"
                            .to_owned(),
                    );
                    return None;
                }
            };
            Some(FixRule {
                edit,
                safe: fix.safe,
            })
        });
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
        if (complete.is_some() || due.is_some()) && verdict != Verdict::NotRecorded {
            return None;
        }
        Some(Check {
            when: when.transpose_none()?,
            assert: assert?,
            verdict,
            complete: complete.transpose_none()?,
            due: due.transpose_none()?,
            severity: check.severity,
            message: message?,
            label: label.transpose_none()?,
            help: help.transpose_none()?,
            at: at.transpose_none()?,
            related: related.into_iter().collect::<Option<Vec<_>>>()?,
            fix: fix.transpose_none()?,
            assert_text: check.assert.value.clone(),
            due_text: check.due.as_ref().map(|due| due.value.clone()),
            origin: Arc::clone(origin),
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
