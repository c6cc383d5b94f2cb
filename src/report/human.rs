//! The human report: one miette diagnostic per finding, then a summary line.

use crate::eval::RuleFailure;
use crate::finding::{FileReport, Finding, Severity, Verdict};
use crate::source::{Snippets, for_terminal};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use rayon::prelude::*;
use std::fmt::{self, Display};
use std::sync::Arc;

/// What a "not recorded" finding means, for a reader who is not a programmer.
const NOT_RECORDED: &str = "not recorded: the records do not show what the text requires; \
     this is missing evidence, not a breach";

/// How the terminal wants its text.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub unicode: bool,
    pub width: usize,
}

impl Style {
    /// Fixed, colourless, 80 columns: what tests pin and pipes get.
    pub fn plain() -> Self {
        Self {
            color: false,
            unicode: true,
            width: 80,
        }
    }
}

/// A finding seen through miette's eyes.
#[derive(Debug)]
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: Snippets,
    help: Option<String>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(finding: &'a Finding) -> Self {
        let mut help_lines: Vec<String> = finding.help.iter().cloned().collect();
        if finding.verdict == Verdict::NotRecorded {
            help_lines.push(NOT_RECORDED.to_owned());
        }
        if let Some(clause) = &finding.clause {
            help_lines.push(format!("clause: {clause}"));
        }
        if let Some(reason) = &finding.waived {
            help_lines.push(format!("waived: {reason}"));
        }
        Self {
            finding,
            source: finding.location.source.snippets(),
            help: (!help_lines.is_empty())
                .then(|| for_terminal(&help_lines.join("\n")).into_owned()),
        }
    }
}

impl Display for FindingDiagnostic<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.finding.waived.is_some() {
            write!(formatter, "(waived) ")?;
        }
        formatter.write_str(&for_terminal(&self.finding.message))
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn Display + 'b>> {
        Some(Box::new(self.finding.title()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(
            match (self.finding.waived.is_some(), self.finding.severity) {
                (true, _) => miette::Severity::Advice,
                (false, Severity::Error) => miette::Severity::Error,
                (false, Severity::Warning) => miette::Severity::Warning,
            },
        )
    }

    fn help<'b>(&'b self) -> Option<Box<dyn Display + 'b>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = LabeledSpan::new_primary_with_span(
            Some(
                self.finding
                    .label
                    .clone()
                    .unwrap_or_else(|| "here".to_owned()),
            ),
            self.finding.location.span,
        );
        let related =
            self.finding.related.iter().map(|related| {
                LabeledSpan::new_with_span(Some(related.label.clone()), related.span)
            });
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// A rule that could not run, shown as a diagnostic of its own.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("rule `{rule}` could not be evaluated on `{file}`{at}: {message}")]
#[diagnostic(
    code("rule-error"),
    help("the rule pack has a defect; the other rules ran. Fix the rule's condition")
)]
struct FailureDiagnostic {
    rule: Arc<str>,
    file: String,
    at: String,
    message: String,
}

fn handler(style: Style) -> GraphicalReportHandler {
    let theme = match (style.unicode, style.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, true) => GraphicalTheme::ascii(),
        (false, false) => GraphicalTheme::none(),
    };
    // Lines break at spaces only: finding text is prose, ids and dates, and
    // Unicode line-breaking analysis was most of what laying out a report cost.
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
}

/// Render the findings, then any rule failures, then the summary line.
pub fn render(reports: &[FileReport], failures: &[RuleFailure], style: Style) -> String {
    let handler = handler(style);
    let findings: Vec<&Finding> = reports.iter().flat_map(|report| &report.findings).collect();
    let mut out = rendered(&handler, &findings);
    for failure in failures {
        let diagnostic = FailureDiagnostic {
            rule: Arc::clone(&failure.rule),
            file: failure.file.clone(),
            at: if failure.pointer.is_empty() {
                String::new()
            } else {
                format!(" at `{}`", failure.pointer)
            },
            message: failure.message.clone(),
        };
        render_one(&handler, &diagnostic, &mut out);
    }
    for baseline in reports
        .iter()
        .filter_map(|report| report.baseline.as_ref())
        .filter(|baseline| baseline.already_present > 0)
    {
        let count = baseline.already_present;
        let verb = if count == 1 {
            "finding is"
        } else {
            "findings are"
        };
        out.push_str(&format!(
            "{count} {verb} already present in {}, not caused by this proposal\n",
            for_terminal(&baseline.file)
        ));
    }
    out.push_str(&summary(reports, failures));
    out.push('\n');
    out
}

/// Render diagnostics that stand alone (a broken rule pack), without a summary.
pub fn render_findings(findings: &[Finding], style: Style) -> String {
    let findings: Vec<&Finding> = findings.iter().collect();
    rendered(&handler(style), &findings)
}

/// The diagnostics of `findings`, in order, laid out on every core: the layout is
/// most of what a report costs.
fn rendered(handler: &GraphicalReportHandler, findings: &[&Finding]) -> String {
    findings
        .par_iter()
        .map(|finding| {
            let mut out = String::new();
            render_one(handler, &FindingDiagnostic::new(finding), &mut out);
            out
        })
        .collect()
}

fn render_one(handler: &GraphicalReportHandler, diagnostic: &dyn Diagnostic, out: &mut String) {
    if handler.render_report(out, diagnostic).is_err() {
        out.push_str(&diagnostic.to_string());
    }
    out.push('\n');
}

/// `1 error`, `2 errors`.
pub fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// `2 errors, 1 warning in 3 files` (and what was waived or could not run).
pub fn summary(reports: &[FileReport], failures: &[RuleFailure]) -> String {
    let live = || {
        reports
            .iter()
            .flat_map(|report| &report.findings)
            .filter(|f| f.waived.is_none())
    };
    let errors = live().filter(|f| f.severity == Severity::Error).count();
    let warnings = live().filter(|f| f.severity == Severity::Warning).count();
    let waived = reports
        .iter()
        .flat_map(|report| &report.findings)
        .filter(|f| f.waived.is_some())
        .count();
    let files = plural(reports.len(), "file");
    let counts = format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    // A proposal is judged by what adopting it would change, so say it that way.
    let proposal = match reports {
        [report] if report.baseline.is_some() => Some(for_terminal(report.source.name())),
        _ => None,
    };
    let mut line = match (proposal, errors + warnings) {
        (Some(name), 0) => format!("adopting {name} would introduce no problem"),
        (Some(name), _) => format!("adopting {name} would introduce {counts}"),
        (None, 0) => format!("no problems found in {files}"),
        (None, _) => format!("{counts} in {files}"),
    };
    if waived > 0 {
        line.push_str(&format!("; {waived} waived"));
    }
    if !failures.is_empty() {
        line.push_str(&format!(
            "; {} could not be evaluated",
            plural(failures.len(), "rule check")
        ));
    }
    line
}
