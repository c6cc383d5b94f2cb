//! The fixes `govlint fix` held back: taken off the findings that offered
//! them (so no report says a command applies what it would not), and listed
//! with why. `check` tries the fixes of a file the same way before it offers
//! them.

use crate::base::finding::FileReport;
use crate::base::source::SourceFile;
use crate::check::Options;
use crate::fix::{self, Held, Target, Text};
use crate::pack::Pack;

/// A file offering more fixes than this, or larger than `MAX_TRIED_BYTES`,
/// is not tried (each fix tried costs a check of the file): its report offers
/// the fixes as the rules do, and `govlint fix` says what it holds back.
const MAX_TRIED: usize = 20;
const MAX_TRIED_BYTES: usize = 256 * 1024;

/// Each report's fixes that `govlint fix --unsafe` would hold back, taken off
/// its findings with why; `base` is the records a proposal was checked on.
pub fn try_offered(
    pack: &Pack,
    reports: &mut [FileReport],
    base: Option<&SourceFile>,
    options: &Options,
) {
    let text = |source: &SourceFile| Text {
        name: source.name().to_owned(),
        text: source.text().to_owned(),
    };
    for report in reports.iter_mut() {
        let offered = report
            .findings
            .iter()
            .filter(|finding| finding.waived.is_none() && finding.fix.is_some())
            .count();
        if offered == 0 || offered > MAX_TRIED || report.source.text().len() > MAX_TRIED_BYTES {
            continue;
        }
        let target = match base {
            Some(base) => Target::Proposal {
                base: text(base),
                proposal: text(&report.source),
            },
            None => Target::Files(vec![text(&report.source)]),
        };
        let held = fix::fix(pack, target, options, true).held;
        mark(std::slice::from_mut(report), &held);
    }
}

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
