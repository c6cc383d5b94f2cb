//! Changing an inherited rule in a few lines instead of copying its file: more
//! dated amendments, another severity, a check replaced, or the rule switched
//! off with the reason recorded.

use super::compile::{Compiler, Override};
use super::typecheck::{Ty, Typing};
use super::{Change, Disabled, Finding, Rule};
use crate::base::source::Span;
use std::sync::Arc;

/// Apply one override file to the rule it names, reporting every problem at its
/// place in the file.
/// `types` are the records' schema and the pack's typed names, when the
/// override's conditions are checked against them.
pub(super) fn apply(
    rules: &mut [Rule],
    file: Box<Override>,
    types: Option<(&Typing<'_>, &[(String, Ty<'_>)])>,
    problems: &mut Vec<Finding>,
) {
    let Override {
        definition,
        source,
        files,
        origin,
    } = *file;
    let mut compiler = Compiler {
        source,
        problems,
        defer_templates: false,
        typing: types.map(|(typing, _)| typing),
        names: types.map(|(_, names)| names.to_vec()).unwrap_or_default(),
        external: Vec::new(),
    };
    let id = &definition.overrides.value;
    let id_span = Compiler::span_of(&definition.overrides);
    let Some(index) = rules.iter().position(|rule| rule.id.as_ref() == id) else {
        let known = rules.iter().map(|rule| rule.id.as_ref());
        let help = crate::base::suggest::did_you_mean(id, known).map_or_else(
            || "`govlint rules` lists the rules a pack inherits".to_owned(),
            |close| format!("did you mean `{close}`?"),
        );
        compiler.report(
            id_span,
            format!("no inherited rule `{id}` to override; {help}"),
        );
        return;
    };
    let rule = &mut rules[index];
    compiler.enter(rule);
    if rule.files_id == files.identity() {
        compiler.report(
            id_span,
            format!(
                "this pack defines `{id}` itself (in `{}`): change that file instead of overriding it",
                rule.file
            ),
        );
        return;
    }
    let change = |what: String| Change {
        by: Arc::clone(&origin),
        what,
    };

    if let Some(severity) = &definition.severity {
        let (old, new) = (rule.severity, severity.value);
        rule.severity = new;
        // The rule's severity is the pack's judgement: every check follows it.
        for check in &mut rule.checks {
            check.severity = None;
        }
        rule.changes.push(change(format!(
            "severity {} → {}",
            old.as_str(),
            new.as_str()
        )));
    }

    if let Some(amendments) =
        compiler.amendments(&definition.amendments, &origin, rule.params.names())
    {
        for amendment in &amendments {
            rule.changes.push(change(format!(
                "parameters amended from {}",
                amendment.from
            )));
        }
        rule.params.amend(Arc::clone(&origin), amendments);
    }

    let count = rule.checks.len();
    for (number, check) in &definition.replace_checks {
        let span = Compiler::span_of(&check.assert);
        let Some(index) = check_index(&mut compiler, *number, count, id, span) else {
            continue;
        };
        if let Some(compiled) = compiler.check(check, &rule.check_names, &origin) {
            rule.checks[index] = compiled;
            rule.changes
                .push(change(format!("check {number} replaced")));
        }
    }

    for (number, messages) in &definition.messages {
        let given = [&messages.message, &messages.label, &messages.help];
        let span = given
            .into_iter()
            .flatten()
            .next()
            .map_or_else(Span::default, Compiler::span_of);
        let Some(index) = check_index(&mut compiler, *number, count, id, span) else {
            continue;
        };
        let names = &rule.check_names;
        let check = &mut rule.checks[index];
        if let Some(text) = &messages.message
            && let Some(template) = compiler.template(text, names)
        {
            check.message = template;
        }
        for (text, slot) in [
            (&messages.label, &mut check.label),
            (&messages.help, &mut check.help),
        ] {
            if let Some(text) = text {
                *slot = compiler.template(text, names).or(slot.take());
            }
        }
        rule.changes
            .push(change(format!("messages of check {number} changed")));
    }

    let texts = [
        ("title", definition.title.is_some()),
        ("clause", definition.clause.is_some()),
        ("rationale", definition.rationale.is_some()),
        ("docs", definition.docs.is_some()),
    ];
    if let Some(title) = definition.title {
        rule.title = title;
    }
    if let Some(clause) = definition.clause {
        rule.clause_text = Arc::from(clause.cite());
        rule.clause = clause;
    }
    if let Some(rationale) = definition.rationale {
        rule.rationale = rationale;
    }
    if let Some(docs) = definition.docs {
        rule.docs = docs;
    }
    for (what, _) in texts.iter().filter(|(_, changed)| *changed) {
        rule.changes.push(change(format!("{what} changed")));
    }

    if let Some(reason) = &definition.disabled {
        if reason.value.trim().is_empty() {
            compiler.report(
                Compiler::span_of(reason),
                "say why the rule is disabled: `disabled: REASON`".to_owned(),
            );
        }
        rule.disabled = Some(Disabled {
            reason: reason.value.trim().to_owned(),
            by: Arc::clone(&origin),
        });
        rule.changes
            .push(change(format!("disabled: {}", reason.value.trim())));
    }

    if !definition.inherit_tests {
        rule.tests.clear();
    }
    rule.tests
        .extend(definition.tests.into_iter().map(|mut case| {
            case.files = Some(files.clone());
            case.pack = Some(Arc::clone(&origin));
            case
        }));
}

/// The index of check `number` (from 1) of a rule of `count` checks, or a
/// problem reported at `span` that says how they are numbered.
fn check_index(
    compiler: &mut Compiler<'_, '_>,
    number: usize,
    count: usize,
    id: &str,
    span: Span,
) -> Option<usize> {
    let index = number.checked_sub(1).filter(|index| *index < count);
    if index.is_none() {
        compiler.report(
            span,
            format!(
                "there is no check {number}: `{id}` has {count} check{}, numbered from 1 \
                 (`govlint explain {id}` shows them)",
                if count == 1 { "" } else { "s" }
            ),
        );
    }
    index
}
