//! The codes the engine reports on its own account, beside a pack's rules: input,
//! structure, the pack itself, and waivers. One table, read by every report and by
//! `govlint rules` / `govlint explain`.

use crate::base::finding::Severity;

pub const SYNTAX_RULE: &str = "yaml-syntax";
pub const LIMIT_RULE: &str = "input-limit";
pub const SCHEMA_RULE: &str = "schema";
pub const DATE_RULE: &str = "invalid-date";
/// The code of every problem found in a rule pack.
pub const PACK_RULE: &str = "rule-pack";
pub const WAIVER_EXPIRED: &str = "waiver-expired";
pub const WAIVER_UNUSED: &str = "waiver-unused";
pub const WAIVER_TARGET: &str = "waiver-target";

/// A rule the engine enforces itself.
#[derive(Debug, Clone, Copy)]
pub struct EngineRule {
    pub id: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    /// What it checks, in a sentence or two.
    pub checks: &'static str,
}

pub const ENGINE_RULES: [EngineRule; 8] = [
    EngineRule {
        id: SYNTAX_RULE,
        severity: Severity::Error,
        title: "The file is well-formed YAML",
        checks: "The file is UTF-8 text that parses as one YAML document of plain data: not empty (nor only comments), no syntax error, no duplicate key, no key that is a list or a mapping, no tag, no NaN or infinity.",
    },
    EngineRule {
        id: LIMIT_RULE,
        severity: Severity::Error,
        title: "The file stays within the input limits",
        checks: "The file stays within the size, node-count, nesting-depth and alias limits of the check (`--max-*`).",
    },
    EngineRule {
        id: SCHEMA_RULE,
        severity: Severity::Error,
        title: "The records follow the pack's structure schema",
        checks: "The records have the structure the pack's schema requires: known fields, the right types, \
                 allowed values, and a recorded evaluation date.",
    },
    EngineRule {
        id: DATE_RULE,
        severity: Severity::Error,
        title: "Every date is a real date",
        checks: "Every date is a year, a year-month or a year-month-day that exists in the calendar.",
    },
    EngineRule {
        id: PACK_RULE,
        severity: Severity::Error,
        title: "The rule pack is valid",
        checks: "The rule pack's manifest, rule files and schema parse, follow their schemas and compile.",
    },
    EngineRule {
        id: WAIVER_EXPIRED,
        severity: Severity::Warning,
        title: "An expired waiver excuses nothing and is reported",
        checks: "A waiver whose expiry date is before the evaluation date excuses nothing: renew it or fix the record.",
    },
    EngineRule {
        id: WAIVER_UNUSED,
        severity: Severity::Warning,
        title: "A waiver that excuses no finding is reported",
        checks: "A waiver whose target no longer breaks the rule it names excuses nothing: remove it.",
    },
    EngineRule {
        id: WAIVER_TARGET,
        severity: Severity::Error,
        title: "A waiver names a rule that exists and a record that exists",
        checks: "A waiver names a rule of the pack and a record that exists at its target.",
    },
];

pub fn engine_rule(id: &str) -> Option<&'static EngineRule> {
    ENGINE_RULES.iter().find(|rule| rule.id == id)
}
