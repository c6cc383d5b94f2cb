//! Structure checks: the pack's JSON Schema, compiled once, with each error turned
//! into a finding at the node its instance path names.
//!
//! May import `base`, `load` and `document`.

use crate::base::date::PartialDate;
use crate::base::engine_rules::{DATE_RULE, SCHEMA_RULE};
use crate::base::finding::{Finding, Severity, Verdict};
use crate::base::suggest::did_you_mean;
use crate::document::merge::Document;
use crate::load::escape_token;
use jsonschema::error::{TypeKind, ValidationErrorKind as Kind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value as Json;
use std::sync::Arc;

/// The format name the engine gives to dates of year, month or day precision.
pub const PARTIAL_DATE_FORMAT: &str = "partial-date";

mod instance;

pub struct StructureCheck {
    validator: Validator<instance::Yaml>,
    schema: Json,
}

impl StructureCheck {
    pub fn compile(schema: Json) -> Result<Self, String> {
        let validator = jsonschema::options_for::<instance::Yaml>()
            .should_validate_formats(true)
            .with_format(PARTIAL_DATE_FORMAT, |text| PartialDate::parse(text).is_ok())
            .build(&schema)
            .map_err(|error| error.to_string())?;
        Ok(Self { validator, schema })
    }

    pub fn schema(&self) -> &Json {
        &self.schema
    }

    /// The fields the schema requires at the top of a document.
    pub fn required_fields(&self) -> impl Iterator<Item = &str> {
        self.schema
            .get("required")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
    }

    /// Every structural problem of the document, in file order.
    pub fn check(&self, document: &Document) -> Vec<Finding> {
        // The common case, valid records, without collecting error details.
        if self.validator.is_valid(&document.root) {
            return Vec::new();
        }
        let mut findings = Vec::new();
        for error in self.validator.iter_errors(&document.root) {
            self.explain(&error, document, &mut findings);
        }
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        findings
            .dedup_by(|a, b| a.location.pointer == b.location.pointer && a.message == b.message);
        drop_missing_explained_by_typo(&mut findings);
        drop_form_explained_by_date(&mut findings);
        findings
    }

    fn explain(&self, error: &ValidationError<'_>, document: &Document, out: &mut Vec<Finding>) {
        let pointer = error.instance_path().as_str().to_owned();
        let instance = error.instance();
        let described = self.description(error.schema_path().as_str());
        match error.kind() {
            Kind::AnyOf { context } | Kind::OneOfNotValid { context } => {
                // The branch whose type matched says what is really wrong.
                match closest_branch(context, &pointer) {
                    Some(branch) => branch
                        .iter()
                        .for_each(|inner| self.explain(inner, document, out)),
                    None => out.push(finding_at(
                        document,
                        &pointer,
                        format!(
                            "expected {}, found {}",
                            expected_types(context),
                            kind_of(instance)
                        ),
                        described,
                    )),
                }
            }
            Kind::AdditionalProperties { unexpected }
            | Kind::UnevaluatedProperties { unexpected } => {
                let allowed = self.sibling_properties(error.schema_path().as_str());
                for name in unexpected {
                    let key_pointer = format!("{pointer}/{}", escape_token(name));
                    let mut finding = finding_at(
                        document,
                        &key_pointer,
                        format!("unknown field `{name}`"),
                        None,
                    );
                    if let Some((key, _)) = document.root.locate(&pointer).node.entry(name) {
                        finding.location = document.location_of(key.span, &key_pointer);
                        finding.document_pointer = key_pointer.clone();
                    }
                    finding.help = Some(
                        match did_you_mean(name, allowed.iter().map(String::as_str)) {
                            Some(close) => format!("did you mean `{close}`?"),
                            None => format!("the fields allowed here are {}", list(&allowed)),
                        },
                    );
                    out.push(finding);
                }
            }
            Kind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                out.push(finding_at(
                    document,
                    &pointer,
                    format!("missing required field `{name}`"),
                    Some(format!("add `{name}` to this record")),
                ));
            }
            Kind::Enum { options } => {
                let choices: Vec<String> = options
                    .as_array()
                    .map(|values| values.iter().map(plain).collect())
                    .unwrap_or_default();
                let given = plain(instance);
                let help = match did_you_mean(&given, choices.iter().map(String::as_str)) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("use one of {}", list(&choices)),
                };
                out.push(finding_at(
                    document,
                    &pointer,
                    format!("`{given}` is not an allowed value"),
                    Some(help),
                ));
            }
            Kind::Format { format } if format == PARTIAL_DATE_FORMAT => {
                let text = instance.as_str().unwrap_or_default();
                let message = PartialDate::parse(text)
                    .err()
                    .map_or_else(|| format!("`{text}` is not a date"), |e| e.to_string());
                let mut finding = finding_at(
                    document,
                    &pointer,
                    message,
                    Some("write a real date as YYYY, YYYY-MM or YYYY-MM-DD".to_owned()),
                );
                finding.rule = Arc::from(DATE_RULE);
                out.push(finding);
            }
            Kind::Type { kind } => out.push(finding_at(
                document,
                &pointer,
                format!("expected {}, found {}", type_names(kind), kind_of(instance)),
                described,
            )),
            Kind::Pattern { .. } => out.push(finding_at(
                document,
                &pointer,
                format!("`{}` is not in the expected form", plain(instance)),
                described,
            )),
            Kind::Constant { expected_value } => out.push(finding_at(
                document,
                &pointer,
                format!(
                    "expected `{}`, found `{}`",
                    plain(expected_value),
                    plain(instance)
                ),
                described,
            )),
            Kind::MinLength { limit } => out.push(finding_at(
                document,
                &pointer,
                if *limit == 1 {
                    "this text is empty".to_owned()
                } else {
                    format!(
                        "`{}` is shorter than {}",
                        plain(instance),
                        counted(*limit, "character")
                    )
                },
                described,
            )),
            Kind::MinItems { limit } => out.push(finding_at(
                document,
                &pointer,
                format!("this list needs at least {}", counted(*limit, "item")),
                described,
            )),
            Kind::MinProperties { limit } => out.push(finding_at(
                document,
                &pointer,
                format!("this mapping needs at least {}", counted(*limit, "entry")),
                described,
            )),
            Kind::PropertyNames { error: name } => out.push(finding_at(
                document,
                &pointer,
                format!("`{}` is not an allowed name here", plain(name.instance())),
                self.description(name.schema_path().as_str()).or(described),
            )),
            _ => out.push(finding_at(
                document,
                &pointer,
                lowercase_first(&error.to_string()),
                described,
            )),
        }
    }

    /// The `description` of the schema that holds the failing keyword, as help.
    fn description(&self, schema_path: &str) -> Option<String> {
        let parent = schema_path
            .rsplit_once('/')
            .map_or("", |(parent, _)| parent);
        self.schema
            .pointer(parent)
            .and_then(|schema| schema.get("description"))
            .and_then(Json::as_str)
            .map(|description| format!("expected here: {description}"))
    }

    fn sibling_properties(&self, schema_path: &str) -> Vec<String> {
        let parent = schema_path
            .rsplit_once('/')
            .map_or("", |(parent, _)| parent);
        self.schema
            .pointer(&format!("{parent}/properties"))
            .and_then(Json::as_object)
            .map(|properties| properties.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// `missing required field holder` beside `unknown field holdr` (did you mean `holder`?)
/// is one mistake, not two: keep the finding that names the typo.
fn drop_missing_explained_by_typo(findings: &mut Vec<Finding>) {
    let typos: Vec<(String, String)> = findings
        .iter()
        .filter_map(|finding| {
            let help = finding.help.as_deref()?;
            let suggested = help.strip_prefix("did you mean `")?.strip_suffix("`?")?;
            let record = finding.location.pointer.rsplit_once('/')?.0;
            Some((
                record.to_owned(),
                format!("missing required field `{suggested}`"),
            ))
        })
        .collect();
    findings.retain(|finding| {
        !typos.iter().any(|(record, message)| {
            finding.location.pointer == *record && finding.message == *message
        })
    });
}

/// The alternative whose type matched the value (its errors say what is wrong), if any.
fn closest_branch<'a>(
    branches: &'a [Vec<ValidationError<'static>>],
    pointer: &str,
) -> Option<&'a Vec<ValidationError<'static>>> {
    let mismatched = |error: &ValidationError<'_>| {
        matches!(error.kind(), Kind::Type { .. } | Kind::Constant { .. })
            && error.instance_path().as_str() == pointer
    };
    branches
        .iter()
        .filter(|errors| !errors.is_empty() && !errors.iter().any(mismatched))
        .min_by_key(|errors| errors.len())
}

fn expected_types(branches: &[Vec<ValidationError<'static>>]) -> String {
    let names: Vec<String> = branches
        .iter()
        .flatten()
        .filter_map(|error| match error.kind() {
            Kind::Type { kind } => Some(type_names(kind)),
            Kind::Constant { expected_value } => Some(format!("`{}`", plain(expected_value))),
            _ => None,
        })
        .collect();
    if names.is_empty() {
        "a different value".to_owned()
    } else {
        names.join(" or ")
    }
}

fn type_names(kind: &TypeKind) -> String {
    let names: Vec<String> = match kind {
        TypeKind::Single(single) => vec![article(&single.to_string())],
        TypeKind::Multiple(set) => set
            .iter()
            .map(|single| article(&single.to_string()))
            .collect(),
    };
    names.join(" or ")
}

fn article(type_name: &str) -> String {
    match type_name {
        "object" => "a mapping".to_owned(),
        "array" => "a list".to_owned(),
        "null" => "nothing (null)".to_owned(),
        "integer" => "an integer".to_owned(),
        other => format!("a {other}"),
    }
}

fn kind_of(value: &Json) -> String {
    match value {
        Json::Null => "nothing (null)".to_owned(),
        Json::Bool(flag) => format!("`{flag}`"),
        Json::Number(number) => format!("the number `{number}`"),
        Json::String(text) => format!("the text `{text}`"),
        Json::Array(_) => "a list".to_owned(),
        Json::Object(_) => "a mapping".to_owned(),
    }
}

/// A value as a person would write it in YAML (strings without quotes).
fn plain(value: &Json) -> String {
    match value {
        Json::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn list(names: &[String]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `1 item`, `2 items`; `entry` as `entries`.
fn counted(count: u64, word: &str) -> String {
    match (count, word.strip_suffix('y')) {
        (1, _) => format!("1 {word}"),
        (_, Some(stem)) => format!("{count} {stem}ies"),
        _ => format!("{count} {word}s"),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

fn finding_at(
    document: &Document,
    pointer: &str,
    message: String,
    help: Option<String>,
) -> Finding {
    let located = document.root.locate(pointer);
    Finding {
        rule: Arc::from(SCHEMA_RULE),
        severity: Severity::Error,
        verdict: Verdict::Contradiction,
        message,
        label: None,
        help,
        clause: None,
        location: document.location(located.node, &located.pointer),
        document_pointer: located.pointer,
        related: Vec::new(),
        waived: None,
        fingerprint: 0,
        fix: None,
        due: None,
    }
}

/// A value that is not a date breaks both the date format and the pattern
/// that spells it: the date finding says what is wrong, so the pattern's is
/// dropped and the value reported once.
fn drop_form_explained_by_date(findings: &mut Vec<Finding>) {
    let dates: Vec<String> = findings
        .iter()
        .filter(|finding| finding.rule.as_ref() == DATE_RULE)
        .map(|finding| finding.document_pointer.clone())
        .collect();
    findings.retain(|finding| {
        finding.rule.as_ref() == DATE_RULE || !dates.contains(&finding.document_pointer)
    });
}
