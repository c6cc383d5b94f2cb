//! A rule, explained in words: what `govlint explain` prints.

use crate::base::date::PartialDate;
use crate::base::finding::Verdict;
use crate::pack::{Check, ParamVersion, Rule};
use std::fmt::Write;

/// `dated_by`: the fields that date a record in the rule's pack (see `Pack`);
/// `at`: the date whose version of the parameters to show, every one if none.
pub fn explain(rule: &Rule, dated_by: &[String], at: Option<&PartialDate>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({})\n{}\n",
        rule.id,
        rule.severity.as_str(),
        indent_by(&rule.title, 0)
    );
    let _ = writeln!(out, "From\n  {} ({})", rule.provenance(), rule.file);
    for change in &rule.changes {
        let _ = writeln!(
            out,
            "{}",
            indent(&format!("{}: {}", change.by, change.what))
        );
    }
    out.push('\n');
    if let Some(disabled) = &rule.disabled {
        let _ = writeln!(
            out,
            "Disabled by `{}`\n{}\n",
            disabled.by,
            indent(&disabled.reason)
        );
    }
    let _ = writeln!(
        out,
        "Clause\n  {}\n{}\n",
        rule.clause.section,
        indent(&format!("\"{}\"", rule.clause.text))
    );
    let _ = writeln!(out, "What it checks\n{}\n", indent(&rule.docs.checks));
    if let Some(verdicts) = &rule.docs.verdicts {
        let _ = writeln!(out, "What it reports");
        for (heading, text) in [
            (
                format!("A contradiction ({})", rule.severity.as_str()),
                &verdicts.contradiction,
            ),
            (
                "\"Not recorded\" (warning)".to_owned(),
                &verdicts.not_recorded,
            ),
            ("Nothing".to_owned(), &verdicts.nothing),
        ] {
            let _ = writeln!(out, "  {heading}\n{}", indent_by(text, 4));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Why\n{}\n", indent(&rule.rationale));
    let versions = shown_versions(rule, at);
    if versions.iter().any(|version| !version.values.is_empty()) {
        let _ = writeln!(out, "Parameters");
        if let Some(at) = at {
            let _ = writeln!(out, "{}", indent(&format!("in force on {at}:")));
        }
        for version in &versions {
            let from = version.from.map_or_else(
                || "from the start".to_owned(),
                |date| format!("from {date}"),
            );
            let values: Vec<String> = version
                .values
                .iter()
                .map(|(name, value)| format!("{name} = {value}"))
                .collect();
            let note = version
                .note
                .as_ref()
                .map_or_else(String::new, |note| format!(" ({note})"));
            let by = other_pack(rule, &version.origin)
                .map_or_else(String::new, |pack| format!(", by `{pack}`"));
            let line = format!("{from}{by}: {}{note}", values.join(", "));
            let _ = writeln!(out, "{}", indent(&line));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Checks (numbered for `replace_checks`)");
    for (number, check) in rule.checks.iter().enumerate() {
        let by = other_pack(rule, &check.origin)
            .map_or_else(String::new, |pack| format!("(by `{pack}`) "));
        let line = format!("{}. {by}{}", number + 1, check.assert_text.trim());
        let _ = writeln!(out, "{}", indent(&line));
        if check.verdict == Verdict::NotRecorded {
            let _ = writeln!(out, "{}", indent_by(&falls_due(rule, check, dated_by), 5));
        }
        for line in says(check, &versions) {
            let _ = writeln!(
                out,
                "{}",
                indent_by(&holes_whole(&line), 5).replace(UNBROKEN, " ")
            );
        }
    }
    out.push('\n');
    for (title, example) in [("Passes", &rule.docs.pass), ("Fails", &rule.docs.fail)] {
        if let Some(example) = example {
            let _ = writeln!(out, "{title}\n{}\n", indent(example));
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The versions of the rule's parameters to show: the one in force at `at`,
/// or every one.
fn shown_versions<'r>(rule: &'r Rule, at: Option<&PartialDate>) -> Vec<&'r ParamVersion> {
    match at {
        Some(at) => rule.params.version_at(Some(at)).into_iter().collect(),
        None => rule.params.versions().iter().collect(),
    }
}

/// What a check says when it fails, its parameters filled in: one line per
/// version where the message reads a parameter an amendment changes.
fn says(check: &Check, versions: &[&ParamVersion]) -> Vec<String> {
    let message = &check.message;
    let render = |version: &ParamVersion| message.with_params(version.value());
    match versions {
        [_, _, ..] if message.reads_params() => versions
            .iter()
            .map(|version| {
                let from = version.from.map_or_else(
                    || "from the start".to_owned(),
                    |date| format!("from {date}"),
                );
                format!("says, {from}: {}", render(version))
            })
            .collect(),
        [only] => vec![format!("says: {}", render(only))],
        _ => Vec::new(),
    }
}

/// A space that wrapping does not break at (see `holes_whole`).
const UNBROKEN: char = '\u{a0}';

/// The text with the spaces inside `${…}` holes made unbreakable, so a hole
/// is never wrapped across lines.
fn holes_whole(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0_usize;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("${") {
            depth += 1;
        } else if c == '}' {
            depth = depth.saturating_sub(1);
        }
        out.push(if c == ' ' && depth > 0 { UNBROKEN } else { c });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// When the evidence a check asks for falls due, in words.
fn falls_due(rule: &Rule, check: &Check, dated_by: &[String]) -> String {
    match &check.due_text {
        Some(due) => format!("missing evidence, due on `{}`", due.trim()),
        None if rule.for_each.is_some() && !dated_by.is_empty() => format!(
            "missing evidence, due on the record's date (its `{}`)",
            dated_by.join("`, else `")
        ),
        None => "missing evidence, due at once".to_owned(),
    }
}

/// The pack that wrote a part of the rule, when it is not the rule's own.
fn other_pack<'a>(rule: &Rule, origin: &'a str) -> Option<&'a str> {
    (origin != rule.origin.as_ref()).then_some(origin)
}

fn indent(text: &str) -> String {
    indent_by(text, 2)
}

/// Prose indented by `spaces` and wrapped to 80 columns; the lines of
/// examples (YAML) keep their own indentation.
fn indent_by(text: &str, spaces: usize) -> String {
    text.trim_end()
        .lines()
        .flat_map(|line| {
            let depth = line.len() - line.trim_start().len() + spaces;
            let prefix = " ".repeat(depth);
            let options = textwrap::Options::new(WIDTH.saturating_sub(depth).max(20))
                .word_separator(textwrap::WordSeparator::AsciiSpace);
            textwrap::wrap(line.trim_start(), options)
                .into_iter()
                .map(move |piece| format!("{prefix}{piece}"))
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const WIDTH: usize = 80;
