//! A document's check, and its findings as the protocol's diagnostics: the
//! same pipeline as `govlint check` (or `--proposal`), guarded so that no
//! input, however broken, takes the server down.

use super::settings::{Settings, Waived};
use super::text::{Lines, uri_of};
use crate::base::engine_rules::LIMIT_RULE;
use crate::base::finding::{Finding, Severity, Verdict};
use crate::base::source::{SourceFile, Span};
use crate::check::{self, Input, Options};
use crate::load::Limits;
use crate::pack::Pack;
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Uri,
};
use std::path::Path;
use std::sync::Arc;

/// The code of a diagnostic that says a check could not run at all.
pub const SERVER_RULE: &str = "govlint-server";

/// The options a check runs with under these settings.
pub fn options(settings: &Settings) -> Options {
    Options {
        as_of: settings.as_of.clone(),
        limits: Limits {
            max_file_bytes: settings.max_file_bytes,
            ..Limits::default()
        },
        ..Options::default()
    }
}

/// The records a proposal is checked against: their name and text, or why
/// they could not be read.
pub type Base = Result<(String, String), String>;

/// Check `text`, named `name`, alone or (a proposal) against `base`. A text
/// over the size limit, or a check that fails outright, gives one finding that
/// says so.
pub fn check_text(
    pack: &Pack,
    settings: &Settings,
    name: &str,
    text: &str,
    base: Option<Base>,
) -> Vec<Finding> {
    let source = || SourceFile::new(name, String::new());
    if text.len() > settings.max_file_bytes {
        return vec![Finding::engine_error(
            &source(),
            LIMIT_RULE,
            Span::new(0, 0),
            format!(
                "the document is {} bytes, over the editor's limit of {}; it was not checked",
                text.len(),
                settings.max_file_bytes
            ),
            Some(
                "check it with `govlint check`, or raise `maxFileBytes` in the settings".to_owned(),
            ),
        )];
    }
    let options = options(settings);
    let input = || Input::new(check::decode(name, text.as_bytes().to_vec()));
    let run = || match base {
        Some(Ok((base_name, base_text))) => {
            let base = Input::new(check::decode(&base_name, base_text.into_bytes()));
            check::check_proposal(pack, base, input(), &options)
                .report
                .findings
        }
        Some(Err(why)) => {
            let mut findings = check::check(pack, input(), &options).report.findings;
            findings.push(Finding::engine_error(
                &source(),
                SERVER_RULE,
                Span::new(0, 0),
                format!(
                    "checked alone: the records this proposal is against could not be read ({why})"
                ),
                Some(
                    "open or create them, or name them under `proposals` in the settings"
                        .to_owned(),
                ),
            ));
            findings
        }
        None => check::check(pack, input(), &options).report.findings,
    };
    guarded(run).unwrap_or_else(|why| {
        vec![Finding::engine_error(
            &source(),
            SERVER_RULE,
            Span::new(0, 0),
            format!("the check failed on this document ({why}); the server keeps running"),
            Some("run `govlint check` on the file to see more, and report it as a bug".to_owned()),
        )]
    })
}

/// `work`'s result, or what it panicked with.
pub fn guarded<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "an internal error".to_owned())
    })
}

/// How findings of one document show: where, and at what severity.
pub struct Publishing<'a> {
    pub uri: &'a Uri,
    /// The document's own name (its findings are in it) and lines.
    pub name: &'a str,
    pub lines: &'a Lines<'a>,
    pub settings: &'a Settings,
    pub pack: Option<&'a Pack>,
}

impl Publishing<'_> {
    /// The finding as a diagnostic, or none when it is waived and waived
    /// findings are hidden.
    pub fn diagnostic(&self, finding: &Finding) -> Option<Diagnostic> {
        let severity = match (&finding.waived, finding.severity) {
            (Some(_), _) if self.settings.waived == Waived::Hidden => return None,
            (Some(_), _) => DiagnosticSeverity::HINT,
            (None, Severity::Error) => DiagnosticSeverity::ERROR,
            (None, Severity::Warning) if self.settings.deny_warnings => DiagnosticSeverity::ERROR,
            (None, Severity::Warning) => DiagnosticSeverity::WARNING,
        };
        let here = finding.location.source.name() == self.name;
        // A finding in another file (the records a proposal merges into) shows
        // at the top, pointing to its place.
        let span = if here {
            finding.location.span
        } else {
            Span::new(0, 0)
        };
        let mut related: Vec<DiagnosticRelatedInformation> = finding
            .related
            .iter()
            .filter_map(|related| {
                Some(DiagnosticRelatedInformation {
                    location: self.location(&finding.location.source, related.span)?,
                    message: related.label.clone(),
                })
            })
            .collect();
        if !here
            && let Some(location) = self.location(&finding.location.source, finding.location.span)
        {
            related.insert(
                0,
                DiagnosticRelatedInformation {
                    location,
                    message: "the finding's place".to_owned(),
                },
            );
        }
        Some(Diagnostic {
            range: self.lines.range(span.start(), span.end()),
            severity: Some(severity),
            code: Some(NumberOrString::String(finding.rule.to_string())),
            code_description: self.link(&finding.rule),
            source: Some("govlint".to_owned()),
            message: message(finding),
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: Some(serde_json::json!({ "fingerprint": finding.fingerprint.to_string() })),
        })
    }

    fn location(&self, source: &Arc<SourceFile>, span: Span) -> Option<Location> {
        if source.name() == self.name {
            return Some(Location::new(
                self.uri.clone(),
                self.lines.range(span.start(), span.end()),
            ));
        }
        let lines = Lines::new(source.text());
        Some(Location::new(
            uri_of(Path::new(source.name()))?,
            lines.range(span.start(), span.end()),
        ))
    }

    /// Where the rule is explained: its rule file, for a pack on disk.
    fn link(&self, rule: &str) -> Option<CodeDescription> {
        let rule = self.pack?.rule(rule)?;
        let folder = rule.files.folder()?;
        let file = Path::new(&rule.file);
        let path = if file.is_absolute() {
            file.to_path_buf()
        } else {
            folder.join(file.file_name()?)
        };
        Some(CodeDescription {
            href: uri_of(&path)?,
        })
    }
}

/// The message, the verdict in words, the clause and the help, one a line.
pub fn message(finding: &Finding) -> String {
    let mut text = finding.message.clone();
    if finding.verdict == Verdict::NotRecorded {
        text.push_str("\nverdict: not recorded (the evidence the text requires is missing)");
    } else if finding.clause.is_some() {
        text.push_str("\nverdict: contradiction (the records say what the text forbids)");
    }
    if let Some(clause) = &finding.clause {
        text.push_str(&format!("\nclause: {clause}"));
    }
    if let Some(help) = &finding.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    if let Some(reason) = &finding.waived {
        text.push_str(&format!("\nwaived: {reason}"));
    }
    text
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use crate::pack::PackFiles;

    #[test]
    fn a_panicking_check_becomes_an_error_message() {
        assert_eq!(guarded(|| 7), Ok(7));
        let caught = guarded(|| -> u8 { panic!("boom") });
        assert_eq!(caught, Err("boom".to_owned()));
    }

    #[test]
    fn a_waived_finding_is_a_hint_or_hidden_and_warnings_can_be_errors() {
        let source = SourceFile::new("r.yaml", "a: 1\n");
        let mut finding =
            Finding::engine_error(&source, "some-rule", Span::new(0, 1), "m".to_owned(), None);
        finding.severity = Severity::Warning;
        let uri: Uri = "file:///r.yaml".parse().unwrap();
        let lines = Lines::new(source.text());
        let severity = |settings: &Settings, finding: &Finding| {
            let publishing = Publishing {
                uri: &uri,
                name: "r.yaml",
                lines: &lines,
                settings,
                pack: None,
            };
            publishing.diagnostic(finding).map(|d| d.severity)
        };
        let plain = Settings::default();
        let strict = Settings {
            deny_warnings: true,
            ..Settings::default()
        };
        let hiding = Settings {
            waived: Waived::Hidden,
            ..Settings::default()
        };
        assert_eq!(
            severity(&plain, &finding),
            Some(Some(DiagnosticSeverity::WARNING))
        );
        assert_eq!(
            severity(&strict, &finding),
            Some(Some(DiagnosticSeverity::ERROR))
        );
        finding.waived = Some("accepted".to_owned());
        assert_eq!(
            severity(&strict, &finding),
            Some(Some(DiagnosticSeverity::HINT))
        );
        assert_eq!(severity(&hiding, &finding), None);
    }

    #[test]
    fn a_document_over_the_limit_gets_one_finding_and_no_check() {
        let pack = Pack::load(PackFiles::Builtin).unwrap();
        let settings = Settings {
            max_file_bytes: 10,
            ..Settings::default()
        };
        let findings = check_text(
            &pack,
            &settings,
            "big.yaml",
            "format: 1\nas_of: 2016\n",
            None,
        );
        assert_eq!(findings.len(), 1);
        assert_eq!(&*findings[0].rule, LIMIT_RULE);
        assert!(findings[0].message.contains("over the editor's limit"));
    }

    const INVALID_DATE: &str = "invalid-date";

    #[test]
    fn findings_carry_rule_verdict_clause_and_severity() {
        let pack = Pack::load(PackFiles::Builtin).unwrap();
        let settings = Settings::default();
        // The pack's first passing fixture that dates its records, its date made impossible.
        let text = (pack.rules.iter())
            .flat_map(|rule| {
                (rule.tests.iter())
                    .filter(|case| case.expect.is_empty())
                    .filter_map(|case| rule.fixture(case).ok())
            })
            .map(|file| file.text)
            .find(|text| text.lines().any(|line| line.starts_with("as_of: ")))
            .unwrap();
        let date = text
            .lines()
            .find(|line| line.starts_with("as_of: "))
            .unwrap();
        let broken = text.replacen(date, "as_of: 2016-13", 1);
        let findings = check_text(&pack, &settings, "r.yaml", &broken, None);
        let uri: Uri = "file:///r.yaml".parse().unwrap();
        let lines = Lines::new(&broken);
        let publishing = Publishing {
            uri: &uri,
            name: "r.yaml",
            lines: &lines,
            settings: &settings,
            pack: Some(&pack),
        };
        let diagnostics: Vec<Diagnostic> = findings
            .iter()
            .filter_map(|f| publishing.diagnostic(f))
            .collect();
        let invalid = diagnostics
            .iter()
            .find(|d| d.code == Some(NumberOrString::String(INVALID_DATE.to_owned())))
            .unwrap();
        assert_eq!(invalid.severity, Some(DiagnosticSeverity::ERROR));
        let line = broken.lines().position(|l| l == "as_of: 2016-13").unwrap();
        assert_eq!(invalid.range.start.line as usize, line);
        // The fixture as written has no such finding.
        let clean = check_text(&pack, &settings, "r.yaml", &text, None);
        assert!(clean.iter().all(|f| &*f.rule != INVALID_DATE), "{clean:?}");
    }
}
