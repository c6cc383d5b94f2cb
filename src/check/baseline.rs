//! A baseline file: the findings of records adopted as they are, by file and
//! fingerprint, so that a check reports only new ones. Waivers excuse one
//! finding with a reason; a baseline lets old records adopt the linter without
//! a wall of findings on day one.

use crate::base::finding::{Baseline, Compared, FileReport};
use crate::check::identity;
use crate::check::introduced;
use serde_json::{Value, json};
use std::collections::HashMap;

const VERSION: u64 = 1;

/// Accepted findings: for each file, the fingerprints of its findings.
#[derive(Debug, Default)]
pub struct Accepted {
    by_file: HashMap<String, Vec<u64>>,
}

impl Accepted {
    /// Every finding of `reports`, as a baseline file's text.
    pub fn write(reports: &[FileReport]) -> String {
        let findings: Vec<Value> = reports
            .iter()
            .flat_map(|report| {
                report.findings.iter().map(|finding| {
                    json!({
                        "file": report.source.name(),
                        "rule": finding.rule.as_ref(),
                        "fingerprint": identity::hex(finding.fingerprint),
                    })
                })
            })
            .collect();
        let mut text = serde_json::to_string_pretty(&json!({
            "version": VERSION,
            "tool": "govlint",
            "findings": findings,
        }))
        .unwrap_or_default();
        text.push('\n');
        text
    }

    /// A baseline file's findings.
    ///
    /// # Errors
    /// The text is not a baseline file of this version; the message says where.
    pub fn read(name: &str, text: &str) -> Result<Self, String> {
        let value: Value = serde_json::from_str(text)
            .map_err(|error| format!("`{name}` is not a baseline file: {error}"))?;
        if value.get("version").and_then(Value::as_u64) != Some(VERSION) {
            return Err(format!(
                "`{name}` is not a baseline file of version {VERSION}: write it again with --write-baseline"
            ));
        }
        let mut by_file: HashMap<String, Vec<u64>> = HashMap::new();
        let entries = value
            .get("findings")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("`{name}` has no `findings` list"))?;
        for (index, entry) in entries.iter().enumerate() {
            let field = |key: &str| entry.get(key).and_then(Value::as_str);
            let (Some(file), Some(fingerprint)) = (field("file"), field("fingerprint")) else {
                return Err(format!(
                    "`{name}`: finding {index} needs a `file` and a `fingerprint`"
                ));
            };
            let fingerprint = u64::from_str_radix(fingerprint, 16).map_err(|_| {
                format!("`{name}`: finding {index} has a fingerprint that is not 16 hex digits")
            })?;
            by_file
                .entry(file.to_owned())
                .or_default()
                .push(fingerprint);
        }
        Ok(Self { by_file })
    }

    /// Drop from each report the findings the baseline holds, counting them.
    pub fn apply(&self, name: &str, reports: &mut [FileReport]) {
        for report in reports {
            let known = self
                .by_file
                .get(report.source.name())
                .into_iter()
                .flatten()
                .copied();
            let (new, present) = introduced(known, std::mem::take(&mut report.findings));
            report.findings = new;
            if present > 0 {
                report.baseline = Some(Baseline {
                    file: name.to_owned(),
                    already_present: present,
                    against: Compared::Accepted,
                });
            }
        }
    }
}
