//! The GitHub report: one workflow command per finding, so Actions annotates the
//! offending line of the pull request.

use crate::base::finding::{FileReport, Finding, Severity};
use std::io::Write as _;

/// The command's data (the message): what the runner would otherwise read as the end
/// of the command.
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            _ => out.push(c),
        }
    }
    out
}

/// A property value: as data, and the separators of properties too.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(finding: &Finding) -> String {
    let kind = match (finding.waived.is_some(), finding.severity) {
        (true, _) => "notice",
        (false, Severity::Error) => "error",
        (false, Severity::Warning) => "warning",
    };
    let location = &finding.location;
    let position = location.source.position(location.span);
    let mut message = finding.message.clone();
    if let Some(reason) = &finding.waived {
        message.push_str(&format!(" (waived: {reason})"));
    }
    if let Some(help) = &finding.help {
        message.push('\n');
        message.push_str(help);
    }
    format!(
        "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        escape_property(location.source.name()),
        position.line,
        position.column,
        position.end_line,
        position.end_column,
        escape_property(&finding.title()),
        escape_data(&message),
    )
}

/// One workflow command a finding, each written as it is made.
pub fn write(reports: &[FileReport], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(out);
    for finding in reports.iter().flat_map(|report| &report.findings) {
        writeln!(out, "{}", command(finding))?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::base::finding::{Location, Verdict};
    use crate::base::source::{SourceFile, Span};
    use std::sync::Arc;

    fn render(reports: &[FileReport]) -> String {
        let mut out = Vec::new();
        write(reports, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn finding(
        file: &str,
        text: &str,
        message: &str,
        help: Option<&str>,
        waived: Option<&str>,
    ) -> FileReport {
        let source = SourceFile::new(file, text);
        let start = text.find("value").unwrap();
        FileReport {
            source: Arc::clone(&source),
            findings: vec![Finding {
                rule: Arc::from("some-rule"),
                severity: Severity::Warning,
                verdict: Verdict::Contradiction,
                message: message.to_owned(),
                label: None,
                help: help.map(str::to_owned),
                clause: None,
                location: Location {
                    source,
                    span: Span::new(start, start + "value".len()),
                    pointer: "/key".to_owned(),
                },
                document_pointer: "/key".to_owned(),
                related: Vec::new(),
                waived: waived.map(str::to_owned),
                fingerprint: 0,
                fix: None,
                due: None,
            }],
            baseline: None,
        }
    }

    #[test]
    fn escapes_data_and_properties() {
        let report = finding(
            "dir,with:odd%name.yaml",
            "a: 1\nkey: é value\n",
            "100% sure: a, b\r\nand more",
            Some("fix: this"),
            None,
        );
        assert_eq!(
            render(&[report]),
            "::warning file=dir%2Cwith%3Aodd%25name.yaml,line=2,col=8,endLine=2,endColumn=13,title=some-rule::\
             100%25 sure: a, b%0D%0Aand more%0Afix: this\n"
        );
    }

    #[test]
    fn waived_findings_are_notices_with_their_reason() {
        let report = finding(
            "a.yaml",
            "key: value\n",
            "too long",
            None,
            Some("agreed, 2020"),
        );
        assert_eq!(
            render(&[report]),
            "::notice file=a.yaml,line=1,col=6,endLine=1,endColumn=11,title=some-rule::too long (waived: agreed, 2020)\n"
        );
    }
}
