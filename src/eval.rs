//! Rules × selected items → findings. One conversion of the document per run,
//! bindings computed once per document, each condition compiled at pack load.

use crate::date::PartialDate;
use crate::expr::{Scope, Val};
use crate::finding::{Finding, Location, Related};
use crate::load::Document;
use crate::pack::{Check, Pack, Rule};
use crate::schema::headline;
use std::sync::Arc;

/// A rule that could not be evaluated on a document: the pack's fault, not the records'.
#[derive(Debug, Clone)]
pub struct RuleFailure {
    pub rule: Arc<str>,
    pub file: String,
    pub pointer: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub failures: Vec<RuleFailure>,
}

/// Evaluate every live rule of `pack` on `document` at `as_of`.
pub fn evaluate(pack: &Pack, document: &Document, as_of: &str) -> Outcome {
    let mut outcome = Outcome::default();
    let mut root = Scope::root();
    root.bind("doc", Val::from_node(&document.root));
    root.bind("as_of", Val::text(as_of));
    for (name, expression) in &pack.bindings {
        let value = root.eval(expression).unwrap_or_else(|message| {
            outcome.failures.push(RuleFailure {
                rule: Arc::from(format!("let {name}")),
                file: document.source.name().to_owned(),
                pointer: String::new(),
                message,
            });
            Val::null()
        });
        root.bind(name, value);
    }
    let as_of_date = PartialDate::parse(as_of).ok();
    for rule in pack.rules.iter().filter(|rule| !rule.retired) {
        let mut run = RuleRun {
            rule,
            document,
            as_of: as_of_date.as_ref(),
            outcome: &mut outcome,
        };
        run.evaluate(&root);
    }
    outcome
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    outcome
}

struct RuleRun<'a> {
    rule: &'a Rule,
    document: &'a Document,
    as_of: Option<&'a PartialDate>,
    outcome: &'a mut Outcome,
}

impl RuleRun<'_> {
    fn fail(&mut self, pointer: String, message: String) {
        self.outcome.failures.push(RuleFailure {
            rule: Arc::clone(&self.rule.id),
            file: self.document.source.name().to_owned(),
            pointer,
            message,
        });
    }

    fn evaluate(&mut self, root: &Scope<'_>) {
        let items = match &self.rule.for_each {
            None => vec![Val::from_node(&self.document.root)],
            Some(expression) => match root.eval(expression).map(Val::into_list) {
                Ok(Some(items)) => items,
                Ok(None) => {
                    return self.fail(String::new(), "`for_each` must give a list".to_owned());
                }
                Err(message) => {
                    return self.fail(String::new(), format!("in `for_each`: {message}"));
                }
            },
        };
        for item in items {
            if let Err(message) = self.evaluate_item(root, &item) {
                self.fail(item.pointer().unwrap_or_default(), message);
            }
        }
    }

    fn evaluate_item(&mut self, root: &Scope<'_>, item: &Val) -> Result<(), String> {
        let rule = self.rule;
        let mut scope = root.child();
        scope.bind(&rule.item, item.clone());
        let version_date = match &rule.version_date {
            Some(expression) => {
                let date = scope
                    .eval(expression)
                    .map_err(|m| format!("in `version_date`: {m}"))?;
                PartialDate::parse(&date.display()).ok()
            }
            None => self.as_of.copied(),
        };
        scope.bind("params", rule.params.at(version_date.as_ref()).clone());
        for (name, expression) in &rule.lets {
            let value = scope
                .eval(expression)
                .map_err(|m| format!("in `let {name}`: {m}"))?;
            scope.bind(name, value);
        }
        if let Some(filter) = &rule.filter
            && !truth(&scope, filter, "where")?
        {
            return Ok(());
        }
        for check in &rule.checks {
            if !truth(&scope, &check.assert, "assert")? {
                let finding = self.finding(&scope, check, item)?;
                self.outcome.findings.push(finding);
                break;
            }
        }
        Ok(())
    }

    fn finding(&self, scope: &Scope<'_>, check: &Check, item: &Val) -> Result<Finding, String> {
        let pointer = match &check.at {
            Some(at) => scope.eval(at)?.pointer(),
            None => None,
        }
        .or_else(|| item.pointer())
        .unwrap_or_default();
        let located = self.document.root.locate(&pointer);
        let mut related = Vec::new();
        for (at, label) in &check.related {
            if let Some(pointer) = scope.eval(at)?.pointer() {
                let node = self.document.root.locate(&pointer).node;
                related.push(Related {
                    span: headline(node, &self.document.source),
                    label: label.render(scope)?,
                });
            }
        }
        Ok(Finding {
            rule: Arc::clone(&self.rule.id),
            severity: check.severity.unwrap_or(self.rule.severity),
            message: check.message.render(scope)?,
            label: check
                .label
                .as_ref()
                .map(|label| label.render(scope))
                .transpose()?,
            help: check
                .help
                .as_ref()
                .map(|help| help.render(scope))
                .transpose()?,
            clause: Some(Arc::clone(&self.rule.clause_text)),
            location: Location {
                source: Arc::clone(&self.document.source),
                span: headline(located.node, &self.document.source),
                pointer: located.pointer,
            },
            related,
            waived: None,
        })
    }
}

fn truth(
    scope: &Scope<'_>,
    expression: &crate::expr::Expression,
    part: &str,
) -> Result<bool, String> {
    let value = scope
        .eval(expression)
        .map_err(|message| format!("in `{part}`: {message}"))?;
    value
        .as_bool()
        .ok_or_else(|| format!("`{part}` must be true or false, not a {}", value.kind()))
}
