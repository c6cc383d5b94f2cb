//! The agenda in words the people who keep the records read: what is overdue,
//! then what falls due next, each with the rule, the clause and what must be
//! recorded.

use super::{Agenda, Entry, Status, when};

const WIDTH: usize = 80;
const INDENT: &str = "    ";

pub fn render(agenda: &Agenda) -> String {
    let mut out = format!(
        "Agenda of {}: as of {}, up to {}\n",
        agenda.file, agenda.as_of, agenda.until
    );
    if agenda.entries.is_empty() {
        out.push_str("\nNothing falls due: the records carry what the rules require until then.\n");
        return out;
    }
    for status in [Status::Overdue, Status::Upcoming] {
        let entries: Vec<&Entry> = agenda
            .entries
            .iter()
            .filter(|entry| entry.status == status)
            .collect();
        if entries.is_empty() {
            continue;
        }
        out.push_str(match status {
            Status::Overdue => "\nOverdue: fell due and is not recorded\n",
            Status::Upcoming => "\nFalls due next\n",
        });
        for entry in entries {
            out.push('\n');
            out.push_str(&render_entry(entry));
        }
    }
    out
}

fn render_entry(entry: &Entry) -> String {
    let finding = &entry.finding;
    let position = finding.location.source.position(finding.location.span);
    let mut out = format!(
        "  Due {} ({}, {}:{}:{})\n",
        when(&entry.due),
        finding.rule,
        finding.location.source.name(),
        position.line,
        position.column
    );
    out.push_str(&wrapped(&finding.message));
    if let Some(help) = &finding.help {
        for line in help.lines() {
            out.push_str(&wrapped(&format!("To do: {line}")));
        }
    }
    if let Some(clause) = &finding.clause {
        out.push_str(&wrapped(&format!("The rule: {clause}")));
    }
    out
}

fn wrapped(text: &str) -> String {
    let options = textwrap::Options::new(WIDTH)
        .initial_indent(INDENT)
        .subsequent_indent(INDENT)
        .word_separator(textwrap::WordSeparator::AsciiSpace);
    let mut out = textwrap::fill(text, options);
    out.push('\n');
    out
}
