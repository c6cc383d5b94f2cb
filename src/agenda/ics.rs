//! The agenda as an iCalendar file (RFC 5545) to import into a calendar: one
//! all-day event per entry, on the earliest day it may fall due, with what
//! must be recorded in its description. The output depends on the
//! records alone (no clock is read), so the same records give the same file.

use super::{Agenda, Entry, Status, when};
use crate::check::identity::Fnv;

/// RFC 5545 folds content lines longer than 75 octets.
const LINE_OCTETS: usize = 75;

pub fn render(agendas: &[Agenda]) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//govlint//agenda//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "X-WR-CALNAME:govlint agenda");
    for agenda in agendas {
        for entry in &agenda.entries {
            event(&mut out, agenda, entry);
        }
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn event(out: &mut String, agenda: &Agenda, entry: &Entry) {
    let finding = &entry.finding;
    let day = entry.due.first_day();
    let stamp = agenda_day(agenda).unwrap_or(day);
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{:016x}@govlint", uid(agenda, entry)));
    line(out, &format!("DTSTAMP:{}T000000Z", stamp.format("%Y%m%d")));
    line(out, &format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")));
    let next = day.succ_opt().unwrap_or(day);
    line(out, &format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")));
    let prefix = match entry.status {
        Status::Overdue => "Overdue: ",
        Status::Upcoming => "",
    };
    line(
        out,
        &format!(
            "SUMMARY:{}",
            escape(&format!("{prefix}{}", finding.message))
        ),
    );
    let mut description = format!("Due {} ({}).", when(&entry.due), finding.rule);
    if let Some(help) = &finding.help {
        description.push_str(&format!("\nTo do: {help}"));
    }
    if let Some(clause) = &finding.clause {
        description.push_str(&format!("\nThe rule: {clause}"));
    }
    let position = finding.location.source.position(finding.location.span);
    description.push_str(&format!(
        "\nRecord: {}:{}:{} ({})",
        finding.location.source.name(),
        position.line,
        position.column,
        finding.location.pointer
    ));
    line(out, &format!("DESCRIPTION:{}", escape(&description)));
    line(out, &format!("CATEGORIES:{}", escape(&finding.rule)));
    line(out, "TRANSP:TRANSPARENT");
    line(out, "END:VEVENT");
}

/// The first day of the evaluation date: a stamp that does not change between runs.
fn agenda_day(agenda: &Agenda) -> Option<chrono::NaiveDate> {
    crate::base::date::PartialDate::parse(&agenda.as_of)
        .ok()
        .map(|date| date.first_day())
}

/// The same obligation keeps its identifier across runs, so a calendar that
/// imports the file again updates the event instead of adding a copy.
fn uid(agenda: &Agenda, entry: &Entry) -> u64 {
    let finding = &entry.finding;
    let mut hash = Fnv::default();
    hash.part(agenda.file.as_bytes())
        .part(finding.rule.as_bytes())
        .part(finding.document_pointer.as_bytes())
        .part(finding.message.as_bytes())
        .part(entry.due.to_string().as_bytes());
    hash.finish()
}

/// Text values escape backslashes, semicolons, commas and new lines.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (never inside a character), ended by CRLF.
fn line(out: &mut String, content: &str) {
    let mut octets = 0;
    for c in content.chars() {
        if octets + c.len_utf8() > LINE_OCTETS {
            out.push_str("\r\n ");
            octets = 1;
        }
        out.push(c);
        octets += c.len_utf8();
    }
    out.push_str("\r\n");
}
