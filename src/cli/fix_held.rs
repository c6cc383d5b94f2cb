//! The fixes `govlint fix` held back: taken off the findings that offered
//! them (so no report says a command applies what it would not), and listed
//! with why.

use crate::base::finding::FileReport;
use crate::fix::Held;

/// Each finding whose fix was held back offers it no more; its help says why.
pub fn mark(reports: &mut [FileReport], held: &[Held]) {
    for finding in reports.iter_mut().flat_map(|report| &mut report.findings) {
        let Some(fix) = finding.fix.as_deref() else {
            continue;
        };
        let reason = held.iter().find(|held| {
            held.file == fix.source.name()
                && *held.rule == *finding.rule
                && held.pointer == finding.document_pointer
                && held.description == fix.description
        });
        if let Some(held) = reason {
            let note = format!("fix held back: {} ({})", held.description, held.reason);
            finding.fix = None;
            finding.help = Some(match finding.help.take() {
                Some(help) => format!("{help}\n{note}"),
                None => note,
            });
        }
    }
}

/// Every held-back fix, a line each, or nothing when none was.
pub fn list(held: &[Held]) -> String {
    if held.is_empty() {
        return String::new();
    }
    let count = match held.len() {
        1 => "1 fix".to_owned(),
        many => format!("{many} fixes"),
    };
    let mut out = format!(
        "held back {count} (a fix is applied only if it mends its finding and adds none):\n"
    );
    for held in held {
        out.push_str(&format!(
            "  {} {} at {}: {}: {}\n",
            held.file, held.rule, held.pointer, held.description, held.reason
        ));
    }
    out
}
