//! The human report: one miette diagnostic per finding, then a summary line.

use crate::base::finding::{Compared, FileReport, Finding, Severity, Verdict};
use crate::base::source::{Snippets, for_terminal};
use crate::check::eval::RuleFailure;
use crate::report::{concise, statistics};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use rayon::prelude::*;
use std::collections::HashMap;
use std::fmt::{self, Display};
use std::io::Write;
use std::sync::Arc;

/// What a "not recorded" finding means, for a reader who is not a programmer.
const NOT_RECORDED: &str = "not recorded: the records do not show what the text requires; \
     this is missing evidence, not a breach";

/// How the terminal wants its text, and how much of it.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub unicode: bool,
    pub width: usize,
    /// Every finding in full, not only the first few of each rule in a file.
    pub every_finding: bool,
    /// The counts per rule and the summary, without the findings.
    pub statistics_only: bool,
}

/// Of one rule's findings in a file, how many are shown in full; the rest
/// are listed one line each.
const IN_FULL_PER_RULE: usize = 3;
/// From how many findings a report opens with its counts per rule.
const OVERVIEW_FROM: usize = 10;

impl Style {
    /// Fixed, colourless, 80 columns: what tests pin and pipes get.
    pub fn plain() -> Self {
        Self {
            color: false,
            unicode: true,
            width: 80,
            every_finding: false,
            statistics_only: false,
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
        if let Some(fix) = &finding.fix {
            let how = if fix.safe {
                "govlint fix"
            } else {
                "govlint fix --unsafe"
            };
            help_lines.push(format!("fix: {} (`{how}` applies it)", fix.description));
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
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write(reports, failures, style, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`render`], written as it is laid out, so a report of many findings never
/// sits whole in memory.
pub fn write(
    reports: &[FileReport],
    failures: &[RuleFailure],
    style: Style,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let handler = handler(style);
    let total: usize = reports.iter().map(|report| report.findings.len()).sum();
    if style.statistics_only || total >= OVERVIEW_FROM {
        let rows = statistics::rows(reports);
        writeln!(
            out,
            "{} by rule:\n{}",
            statistics::plural(total, "finding"),
            statistics::table(&rows)
        )?;
    }
    if !style.statistics_only {
        for report in reports {
            let (full, listed) = split(&report.findings, style.every_finding);
            write_rendered(&handler, &full, out)?;
            write_listed(&listed, out)?;
        }
    }
    let mut out = std::io::BufWriter::new(out);
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
        let mut text = String::new();
        render_one(&handler, &diagnostic, &mut text);
        out.write_all(text.as_bytes())?;
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
        let file = for_terminal(&baseline.file);
        let whose = match baseline.against {
            Compared::Proposal => format!("in {file}, not caused by this proposal"),
            Compared::Revision => format!("in {file}, not introduced since"),
            Compared::Accepted => format!("in the baseline {file}, and not reported"),
        };
        writeln!(out, "{count} {verb} already present {whose}")?;
    }
    writeln!(out, "{}", statistics::summary(reports, failures))?;
    out.flush()
}

/// The findings to show in full, in order, and the rest of each rule's, to
/// list one line each after them.
fn split(findings: &[Finding], every_finding: bool) -> (Vec<&Finding>, Vec<&Finding>) {
    if every_finding {
        return (findings.iter().collect(), Vec::new());
    }
    let mut seen: HashMap<(&str, Verdict), usize> = HashMap::new();
    findings.iter().partition(|finding| {
        let count = seen.entry((&finding.rule, finding.verdict)).or_default();
        *count += 1;
        *count <= IN_FULL_PER_RULE
    })
}

/// The findings not shown in full, grouped by rule, one line each.
fn write_listed(listed: &[&Finding], out: &mut dyn Write) -> std::io::Result<()> {
    let mut groups: Vec<(String, Vec<&Finding>)> = Vec::new();
    for finding in listed {
        let title = finding.title().into_owned();
        match groups.iter_mut().find(|(known, _)| *known == title) {
            Some((_, members)) => members.push(finding),
            None => groups.push((title, vec![finding])),
        }
    }
    for (title, members) in groups {
        writeln!(
            out,
            "{title}: {} more like the above (--every-finding shows them in full)",
            members.len()
        )?;
        for finding in members {
            writeln!(out, "  {}", concise::place_and(finding, &finding.message))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Render diagnostics that stand alone (a broken rule pack), without a summary.
pub fn render_findings(findings: &[Finding], style: Style) -> String {
    let findings: Vec<&Finding> = findings.iter().collect();
    let mut out = Vec::new();
    let _ = write_rendered(&handler(style), &findings, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Findings laid out at once on every core, then written: enough to keep the
/// cores busy, few enough that their text stays small.
const FINDINGS_PER_BATCH: usize = 512;

/// The diagnostics of `findings`, in order, laid out on every core (the layout is
/// most of what a report costs) a batch at a time.
fn write_rendered(
    handler: &GraphicalReportHandler,
    findings: &[&Finding],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for batch in findings.chunks(FINDINGS_PER_BATCH) {
        let text: String = batch
            .par_iter()
            .map(|finding| {
                let mut out = String::new();
                render_one(handler, &FindingDiagnostic::new(finding), &mut out);
                out
            })
            .collect();
        out.write_all(text.as_bytes())?;
    }
    Ok(())
}

fn render_one(handler: &GraphicalReportHandler, diagnostic: &dyn Diagnostic, out: &mut String) {
    if handler.render_report(out, diagnostic).is_err() {
        out.push_str(&diagnostic.to_string());
    }
    out.push('\n');
}
