//! What the editor asks of the server: the rule pack, the date to judge at,
//! whether warnings fail, how waived findings show, and which proposal is
//! checked against which records. Read from the client's
//! `initializationOptions`, over a project file `.govlint.json` at the
//! workspace root where one exists.

use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// How a waived finding shows in the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Waived {
    /// As a hint: visible, faint, never an error.
    #[default]
    Hint,
    /// Not at all.
    Hidden,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Settings {
    /// A rule pack folder; none: the built-in pack (as `--rules`).
    pub rules: Option<PathBuf>,
    /// Judge every snapshot at this date (as `--as-of`).
    pub as_of: Option<String>,
    /// Warnings show as errors, since they fail the run (as `--deny-warnings`).
    pub deny_warnings: bool,
    pub waived: Waived,
    /// A proposal's path to the records it is checked against (as `--proposal`).
    /// Without an entry, `NAME.proposal.yaml` is checked against `NAME.yaml`
    /// beside it.
    pub proposals: HashMap<PathBuf, PathBuf>,
    /// How long typing must pause before a document is checked again.
    pub debounce_ms: u64,
    /// A larger document gets one diagnostic instead of a check.
    pub max_file_bytes: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            rules: None,
            as_of: None,
            deny_warnings: false,
            waived: Waived::Hint,
            proposals: HashMap::new(),
            debounce_ms: 15,
            // Records typed by hand are far smaller; a larger file is a mistake
            // the editor should hear of at once, not after a long check.
            max_file_bytes: 16 * 1024 * 1024,
        }
    }
}

/// The project file read from the workspace root.
pub const PROJECT_FILE: &str = ".govlint.json";

impl Settings {
    /// The project file's settings, then the client's over them, with paths
    /// made absolute from `root`. A problem in either is returned beside the
    /// settings that could be read, for the editor to show.
    pub fn resolve(root: Option<&Path>, client: Option<serde_json::Value>) -> (Self, Vec<String>) {
        let mut problems = Vec::new();
        let mut merged = serde_json::Map::new();
        if let Some(root) = root {
            let path = root.join(PROJECT_FILE);
            if let Ok(text) = std::fs::read_to_string(&path) {
                match serde_json::from_str::<serde_json::Value>(&text) {
                    Ok(serde_json::Value::Object(fields)) => merged.extend(fields),
                    Ok(_) => problems.push(format!("{}: expected a JSON object", path.display())),
                    Err(error) => problems.push(format!("{}: {error}", path.display())),
                }
            }
        }
        match client {
            Some(serde_json::Value::Object(fields)) => merged.extend(fields),
            Some(serde_json::Value::Null) | None => {}
            Some(_) => problems.push("initializationOptions: expected an object".to_owned()),
        }
        let mut settings = match serde_json::from_value::<Self>(serde_json::Value::Object(merged)) {
            Ok(settings) => settings,
            Err(error) => {
                problems.push(format!(
                        "govlint settings: {error}; using the defaults (see the README's \"In CI and editors\")"
                    ));
                Self::default()
            }
        };
        if let Some(root) = root {
            let absolute = |path: &PathBuf| root.join(path);
            settings.rules = settings.rules.as_ref().map(absolute);
            settings.proposals = settings
                .proposals
                .iter()
                .map(|(proposal, base)| (absolute(proposal), absolute(base)))
                .collect();
        }
        (settings, problems)
    }

    /// The records a proposal at `path` is checked against, if it is one.
    pub fn base_of(&self, path: &Path) -> Option<PathBuf> {
        if let Some(base) = self.proposals.get(path) {
            return Some(base.clone());
        }
        let name = path.file_name()?.to_str()?;
        let stem = name
            .strip_suffix(".proposal.yaml")
            .or_else(|| name.strip_suffix(".proposal.yml"))?;
        Some(path.with_file_name(format!("{stem}.yaml")))
    }

    /// Whether `path` is a file of the configured rule pack: a YAML file in
    /// its folder (its fixtures, in folders below, are records).
    pub fn is_pack_file(&self, path: &Path) -> bool {
        self.rules
            .as_ref()
            .is_some_and(|rules| path.parent() == Some(rules.as_path()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn client_settings_override_the_project_file_and_paths_become_absolute() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(
            root.path().join(PROJECT_FILE),
            r#"{"rules": "pack", "asOf": "2016", "denyWarnings": true}"#,
        )
        .unwrap();
        let client = serde_json::json!({"asOf": "2020", "proposals": {"p.yaml": "b.yaml"}});
        let (settings, problems) = Settings::resolve(Some(root.path()), Some(client));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(settings.rules, Some(root.path().join("pack")));
        assert_eq!(settings.as_of.as_deref(), Some("2020"));
        assert!(settings.deny_warnings);
        assert_eq!(
            settings.base_of(&root.path().join("p.yaml")),
            Some(root.path().join("b.yaml"))
        );
        assert!(settings.is_pack_file(&root.path().join("pack/rule.yaml")));
        assert!(!settings.is_pack_file(&root.path().join("records.yaml")));
        assert!(!settings.is_pack_file(&root.path().join("pack/fixtures/r/pass.yaml")));
    }

    #[test]
    fn a_proposal_by_its_name_is_checked_against_the_records_beside_it() {
        let settings = Settings::default();
        assert_eq!(
            settings.base_of(Path::new("/w/records.proposal.yaml")),
            Some(PathBuf::from("/w/records.yaml"))
        );
        assert_eq!(settings.base_of(Path::new("/w/records.yaml")), None);
    }

    #[test]
    fn an_unknown_setting_is_reported_and_the_defaults_kept() {
        let (settings, problems) = Settings::resolve(None, Some(serde_json::json!({"rulez": "x"})));
        assert_eq!(settings.debounce_ms, Settings::default().debounce_ms);
        assert!(problems[0].contains("rulez"), "{problems:?}");
    }
}
