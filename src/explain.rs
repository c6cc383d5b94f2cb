//! A rule, explained in words: what `govlint explain` prints.

use crate::pack::Rule;
use std::fmt::Write;

pub fn explain(rule: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({})\n{}\n",
        rule.id,
        rule.severity.as_str(),
        rule.title
    );
    let _ = writeln!(
        out,
        "Clause\n  {}\n  \"{}\"\n",
        rule.clause.section, rule.clause.text
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
            let _ = writeln!(out, "  {heading}\n{}", indent(&indent(text)));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Why\n{}\n", indent(&rule.rationale));
    let versions = rule.params.versions();
    if versions.iter().any(|version| !version.values.is_empty()) {
        let _ = writeln!(out, "Parameters");
        for version in versions {
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
            let _ = writeln!(out, "  {from}: {}{note}", values.join(", "));
        }
        out.push('\n');
    }
    for (title, example) in [("Passes", &rule.docs.pass), ("Fails", &rule.docs.fail)] {
        if let Some(example) = example {
            let _ = writeln!(out, "{title}\n{}\n", indent(example));
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn indent(text: &str) -> String {
    text.trim_end()
        .lines()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}
