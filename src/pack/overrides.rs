//! Changing an inherited rule in a few lines instead of copying its file: more
//! dated amendments, another severity, a check replaced, or the rule switched
//! off with the reason recorded.

use super::compile::{Compiler, Override};
use super::{Change, Disabled, Finding, Rule};
use std::sync::Arc;

/// Apply one override file to the rule it names, reporting every problem at its
/// place in the file.
pub(super) fn apply(rules: &mut [Rule], file: Box<Override>, problems: &mut Vec<Finding>) {
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
        typing: None,
        names: Vec::new(),
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

    if let Some(amendments) = compiler.amendments(&definition.amendments, &origin, |name| {
        rule.params.defines(name)
    }) {
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
        let Some(index) = number.checked_sub(1).filter(|index| *index < count) else {
            compiler.report(
                Compiler::span_of(&check.assert),
                format!(
                    "there is no check {number}: `{id}` has {count} check{}, numbered from 1 \
                     (`govlint explain {id}` shows them)",
                    if count == 1 { "" } else { "s" }
                ),
            );
            continue;
        };
        if let Some(compiled) = compiler.check(check, &rule.check_names, &origin) {
            rule.checks[index] = compiled;
            rule.changes
                .push(change(format!("check {number} replaced")));
        }
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
