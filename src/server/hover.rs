//! What the editor shows under the pointer: the explanation of a finding's
//! rule (as `govlint explain` prints it), the record an id names, and the
//! days a coarse date may be.

use super::Server;
use super::records;
use super::text::Lines;
use crate::base::date::PartialDate;
use crate::base::engine_rules::engine_rule;
use crate::load::{Node, Value};
use crate::pack::Pack;
use crate::report::explain::explain;
use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

pub fn hover(server: &Server, params: &HoverParams) -> Option<Hover> {
    let place = &params.text_document_position_params;
    let open = server.documents.get(&place.text_document.uri)?;
    let lines = Lines::new(&open.text);
    let offset = lines.offset(place.position);
    let mut parts: Vec<String> = Vec::new();
    let mut rules: Vec<&str> = Vec::new();
    for finding in &open.findings {
        let span = finding.location.span;
        let here = finding.location.source.name() == open.name
            && span.start() <= offset
            && offset <= span.end();
        if here && !rules.contains(&&*finding.rule) {
            rules.push(&finding.rule);
            parts.push(rule_text(server.pack.as_ref().ok(), &finding.rule));
        }
    }
    let mut range = None;
    if let Some(root) = super::navigate::tree(&open.text) {
        let here = records::at(&root, offset);
        if here.key.is_none() && !matches!(here.node.value, Value::Map(_) | Value::Seq(_)) {
            if let Value::Str(text) = &here.node.value
                && let Some(record) = records::record(&root, text)
            {
                parts.push(format!(
                    "**{text}**, the record at `{}`\n\n{}",
                    record.pointer,
                    record_text(record.node)
                ));
            }
            if let Some(words) = date_text(here.node) {
                parts.push(words);
            }
            if !parts.is_empty() {
                range = Some(lines.range(here.node.span.start(), here.node.span.end()));
            }
        }
    }
    (!parts.is_empty()).then(|| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range,
    })
}

/// A rule explained: the pack's own, or one of the engine's.
pub fn rule_text(pack: Option<&Pack>, id: &str) -> String {
    if let Some((pack, rule)) = pack.and_then(|pack| Some((pack, pack.rule(id)?))) {
        return format!(
            "```text\n{}\n```",
            explain(rule, &pack.dated_by, None).trim_end()
        );
    }
    match engine_rule(id) {
        Some(rule) => format!(
            "**{}** ({}): {}\n\n{}",
            rule.id,
            rule.severity.as_str(),
            rule.title,
            rule.checks
        ),
        None => format!("**{id}**"),
    }
}

/// A record's fields, one a line.
fn record_text(node: &Node) -> String {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .map(|(key, value)| format!("- {}: `{}`", key.text, records::brief(value)))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => records::brief(node),
    }
}

/// What a date may be, when the node is one: a year or a `YYYY-MM(-DD)` text.
pub fn date_text(node: &Node) -> Option<String> {
    let (written, date) = match &node.value {
        Value::Int(year) if (1000..=9999).contains(year) => {
            (year.to_string(), PartialDate::from_year(*year).ok()?)
        }
        Value::Str(text) if text.len() >= 7 && text.as_bytes().get(4) == Some(&b'-') => {
            (text.to_string(), PartialDate::parse(text).ok()?)
        }
        _ => return None,
    };
    let (first, last) = (date.first_day(), date.last_day());
    Some(if first == last {
        format!("`{written}`: the day {first}")
    } else {
        format!(
            "`{written}`: some day from {first} to {last}; the records do not say which, \
             so a rule decides only what every one of those days decides"
        )
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::base::source::Span;

    fn node(value: Value) -> Node {
        Node {
            span: Span::new(0, 0),
            value,
        }
    }

    #[test]
    fn a_coarse_date_says_its_range_and_a_day_says_itself() {
        let year = date_text(&node(Value::Int(2016))).unwrap();
        assert!(year.contains("from 2016-01-01 to 2016-12-31"), "{year}");
        let month = date_text(&node(Value::Str("2024-02".into()))).unwrap();
        assert!(month.contains("from 2024-02-01 to 2024-02-29"), "{month}");
        let day = date_text(&node(Value::Str("2015-09-20".into()))).unwrap();
        assert_eq!(day, "`2015-09-20`: the day 2015-09-20");
        assert!(date_text(&node(Value::Int(1))).is_none());
        assert!(date_text(&node(Value::Str("France".into()))).is_none());
    }

    #[test]
    fn a_rule_is_explained_as_govlint_explain_does() {
        let pack = Pack::load(crate::pack::PackFiles::Builtin).unwrap();
        let rule = &pack.rules[0];
        let text = rule_text(Some(&pack), &rule.id);
        assert!(text.contains(&explain(rule, &pack.dated_by, None).trim_end().to_owned()));
        assert!(rule_text(Some(&pack), "yaml-syntax").starts_with("**yaml-syntax** (error)"));
    }
}
