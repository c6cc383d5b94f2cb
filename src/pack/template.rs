//! Message templates: text with `${expression}` holes filled from the values involved.

use super::PARAMS_NAME;
use crate::expr::{Expression, Scope, Val};
use std::sync::OnceLock;

#[derive(Debug)]
enum Part {
    Text(String),
    /// A hole's expression, and its text as written.
    Hole(Expression, String),
}

#[derive(Debug)]
pub struct Template {
    text: String,
    /// The parts, or why the text is not a template; made on first use by a
    /// [deferred](Template::deferred) template.
    parts: OnceLock<Result<Vec<Part>, (usize, String)>>,
}

impl Template {
    /// Compile every hole now; the error names the hole's byte offset within the
    /// template.
    pub fn compile(text: &str) -> Result<Self, (usize, String)> {
        let parts = compile_parts(text)?;
        Ok(Self {
            text: text.to_owned(),
            parts: OnceLock::from(Ok(parts)),
        })
    }

    /// A template compiled when it is first rendered: most templates of a run
    /// are never rendered. Only for packs whose templates are known to compile
    /// (the built-in pack, which the test suite compiles).
    pub fn deferred(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            parts: OnceLock::new(),
        }
    }

    fn parts(&self) -> Result<&[Part], String> {
        self.parts
            .get_or_init(|| compile_parts(&self.text))
            .as_deref()
            .map_err(|(_, message)| message.clone())
    }

    pub fn expressions(&self) -> impl Iterator<Item = &Expression> {
        self.parts()
            .unwrap_or_default()
            .iter()
            .filter_map(|part| match part {
                Part::Hole(expression, _) => Some(expression),
                Part::Text(_) => None,
            })
    }

    pub fn render<'a>(&'a self, scope: &Scope<'_, 'a>) -> Result<String, String> {
        let mut out = String::new();
        for part in self.parts()? {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Hole(expression, _) => out.push_str(&scope.eval(expression)?.display()),
            }
        }
        Ok(out)
    }

    /// The text with each hole that reads only the rule's parameters filled
    /// in from `params`, and every other hole as written: a message as it
    /// reads under one version of the parameters, before any record is read.
    pub fn with_params(&self, params: &Val<'static>) -> String {
        let Ok(parts) = self.parts() else {
            return self.text.clone();
        };
        let mut scope = Scope::root();
        scope.bind(PARAMS_NAME, params.clone());
        let mut out = String::new();
        for part in parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Hole(expression, source) => {
                    let known = expression.free_variables().all(|name| name == PARAMS_NAME);
                    match known.then(|| scope.eval(expression)) {
                        Some(Ok(value)) => out.push_str(&value.display()),
                        _ => {
                            out.push_str("${");
                            out.push_str(source);
                            out.push('}');
                        }
                    }
                }
            }
        }
        out
    }

    /// Whether a hole reads the rule's parameters.
    pub fn reads_params(&self) -> bool {
        self.expressions()
            .any(|expression| expression.free_variables().any(|free| free == PARAMS_NAME))
    }
}

/// Text and holes, each hole compiled; the error names the hole's byte offset.
fn compile_parts(text: &str) -> Result<Vec<Part>, (usize, String)> {
    let mut parts = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(open) = rest.find("${") {
        let (before, after) = rest.split_at(open);
        if !before.is_empty() {
            parts.push(Part::Text(before.to_owned()));
        }
        let body = after.get(2..).unwrap_or_default();
        let close = body
            .find('}')
            .ok_or((offset + open, "`${` is never closed by `}`".to_owned()))?;
        let source = body.get(..close).unwrap_or_default();
        let expression = Expression::compile(source).map_err(|message| (offset + open, message))?;
        parts.push(Part::Hole(expression, source.to_owned()));
        let consumed = open + 2 + close + 1;
        offset += consumed;
        rest = rest.get(consumed..).unwrap_or_default();
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest.to_owned()));
    }
    Ok(parts)
}
