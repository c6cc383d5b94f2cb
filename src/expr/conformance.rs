//! CEL's official conformance tests (`tests/data/cel-conformance/`, from
//! cel-spec), run through govlint's parser and interpreter. Every case either
//! passes, fails, or is skipped for a reason the specification's parts govlint
//! leaves out explain (docs/rule-language.md); each is counted.
//!
//! `.ci/run` prints the line this test writes.

#![allow(clippy::print_stdout)]

mod textproto;

use super::ast::{EntryExpr, Expr, IdedExpr, Literal, MapExpr, StructExpr};
use super::value::{Entries, Value};
use super::{Expression, Scope, Val};
use std::collections::BTreeMap;
use textproto::{Field, Message};

/// The files run, all of their cases.
const FILES: &[&str] = &[
    "basic",
    "bindings_ext",
    "comparisons",
    "conversions",
    "dynamic",
    "fields",
    "fp_math",
    "integer_math",
    "lists",
    "logic",
    "macros",
    "macros2",
    "math_ext",
    "optionals",
    "parse",
    "plumbing",
    "string",
    "string_ext",
    "type_deduction",
];

/// Every applicable case passes; fewer passing than this means cases moved
/// to the skipped, which is a regression too.
const PASSING_AT_LEAST: usize = 1396;

/// Names of the conformance suite's protobuf packages and messages.
const MESSAGE_NAMES: &[&str] = &[
    "TestAllTypes",
    "NestedTestAllTypes",
    "protobuf",
    "proto2",
    "proto3",
];

/// Why a case is not run: a part of CEL govlint leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Skip {
    Messages,
    Bytes,
    Time,
    TypeCheckOnly,
    UncheckedFunctions,
}

impl Skip {
    fn label(self) -> &'static str {
        match self {
            Self::Messages => "protobuf messages",
            Self::Bytes => "bytes",
            Self::Time => "timestamps and durations",
            Self::TypeCheckOnly => "type checking only",
            Self::UncheckedFunctions => "undeclared functions",
        }
    }
}

/// What a case expects: a value, or an error.
enum Expected {
    Value(Value<'static>),
    Error,
}

#[derive(Default)]
struct Tally {
    passed: usize,
    skipped: BTreeMap<Skip, usize>,
    /// By file: each failing case, what it expected and what came instead.
    failed: BTreeMap<&'static str, Vec<String>>,
}

impl Tally {
    fn total(&self) -> usize {
        self.passed
            + self.skipped.values().sum::<usize>()
            + self.failed.values().map(Vec::len).sum::<usize>()
    }

    fn line(&self) -> String {
        let skipped: usize = self.skipped.values().sum();
        let reasons = self
            .skipped
            .iter()
            .map(|(reason, count)| format!("{count} {}", reason.label()))
            .collect::<Vec<_>>()
            .join(", ");
        let applicable = self.total() - skipped;
        format!(
            "cel conformance: {}/{applicable} cases pass ({skipped} skipped: {reasons})",
            self.passed
        )
    }
}

#[test]
fn the_conformance_suite_passes() {
    let tally = crate::base::workers::install(run_all);
    for (file, failures) in &tally.failed {
        println!("{file}: {} failing", failures.len());
        for failure in failures {
            println!("  {failure}");
        }
    }
    println!("{}", tally.line());
    assert!(
        tally.failed.is_empty() && tally.passed >= PASSING_AT_LEAST,
        "fewer cases pass than before: {}",
        tally.line()
    );
}

fn run_all() -> Tally {
    let folder =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cel-conformance");
    let mut tally = Tally::default();
    for file in FILES {
        let path = folder.join(format!("{file}.textproto"));
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let parsed = textproto::parse(&text);
        assert!(parsed.is_ok(), "{file}: {parsed:?}");
        let Ok(suite) = parsed else { continue };
        for section in suite.all("section").filter_map(as_message) {
            for case in section.all("test").filter_map(as_message) {
                run(file, case, &mut tally);
            }
        }
    }
    tally
}

fn as_message(field: &Field) -> Option<&Message> {
    match field {
        Field::Message(message) => Some(message),
        _ => None,
    }
}

fn run(file: &'static str, case: &Message, tally: &mut Tally) {
    let name = case.text("name").unwrap_or_default();
    let source = case.text("expr").unwrap_or_default();
    let prepared = skip_reason(case, &source).map_or_else(|| prepare(case), Err);
    let (expected, bindings) = match prepared {
        Ok(prepared) => prepared,
        Err(reason) => {
            *tally.skipped.entry(reason).or_default() += 1;
            return;
        }
    };
    let outcome = super::with_budget(10_000_000, || evaluate(&source, &bindings));
    // With the checker off, a call of a function no one declares is a runtime
    // error CEL may absorb; govlint refuses the expression when the pack loads.
    if case.flag("disable_check")
        && matches!(&outcome, Err(error) if error.starts_with("unknown function"))
        && matches!(expected, Expected::Value(_))
    {
        *tally.skipped.entry(Skip::UncheckedFunctions).or_default() += 1;
        return;
    }
    let passed = match (&expected, &outcome) {
        (Expected::Value(want), Ok(got)) => same(want, got),
        (Expected::Error, Err(_)) => true,
        _ => false,
    };
    if passed {
        tally.passed += 1;
        return;
    }
    let want = match &expected {
        Expected::Value(value) => format!("{value:?}"),
        Expected::Error => "an error".to_owned(),
    };
    let got = match &outcome {
        Ok(value) => format!("{value:?}"),
        Err(error) => format!("error: {error}"),
    };
    let line = format!("{name}: `{source}` wants {want}, got {got}");
    tally.failed.entry(file).or_default().push(line);
}

fn evaluate(source: &str, bindings: &[(String, Value<'static>)]) -> Result<Value<'static>, String> {
    let expression = Expression::compile(source)?;
    let mut scope = Scope::root();
    for (name, value) in bindings {
        scope.bind(name, Val(value.clone()));
    }
    // The value outlives the expression it borrows text from: own it.
    scope.eval(&expression).map(|value| owned(&value.0))
}

/// A copy that borrows nothing.
fn owned(value: &Value) -> Value<'static> {
    match value {
        Value::Null => Value::Null,
        Value::Bool(flag) => Value::Bool(*flag),
        Value::Int(number) => Value::Int(*number),
        Value::UInt(number) => Value::UInt(*number),
        Value::Float(number) => Value::Float(*number),
        Value::Type(name) => Value::Type(name),
        Value::Optional(inner) => Value::Optional(
            inner
                .as_deref()
                .map(|inner| std::sync::Arc::new(owned(inner))),
        ),
        Value::Str(text) => Value::text(&**text),
        Value::List(list) => Value::list(list.iter().map(|item| owned(&item)).collect()),
        Value::Map(map) => Value::map(
            map.keys()
                .into_iter()
                .filter_map(|key| {
                    let entry = map.get(&key.as_key()?)?;
                    Some((owned(&key).as_key()?, owned(&entry)))
                })
                .collect(),
        ),
    }
}

/// Equal values of the same types, all the way down (NaN equals NaN here).
fn same(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Int(a), Value::Int(b)) => a == b,
        (Value::UInt(a), Value::UInt(b)) => a == b,
        (Value::Float(a), Value::Float(b)) => a == b || (a.is_nan() && b.is_nan()),
        (Value::Str(a), Value::Str(b)) => **a == **b,
        (Value::Type(a), Value::Type(b)) => a == b,
        (Value::Optional(a), Value::Optional(b)) => match (a, b) {
            (Some(a), Some(b)) => same(a, b),
            (a, b) => a.is_none() && b.is_none(),
        },
        (Value::List(a), Value::List(b)) => {
            a.len() == b.len() && a.iter().zip(b.iter()).all(|(a, b)| same(&a, &b))
        }
        (Value::Map(a), Value::Map(b)) => {
            a.len() == b.len()
                && a.keys().iter().all(|key| {
                    let Some(key) = key.as_key() else {
                        return false;
                    };
                    b.keys()
                        .iter()
                        .any(|other| same(&key.clone().into_value(), other))
                        && matches!((a.get(&key), b.get(&key)), (Some(x), Some(y)) if same(&x, &y))
                })
        }
        _ => false,
    }
}

/// Why a case cannot apply to govlint, if it cannot.
fn skip_reason(case: &Message, source: &str) -> Option<Skip> {
    if case.flag("check_only") {
        return Some(Skip::TypeCheckOnly);
    }
    // The cases in a protobuf package name its messages by their short names.
    if case
        .text("container")
        .is_some_and(|container| container.contains("proto"))
    {
        return Some(Skip::Messages);
    }
    // Read from the tree, so that text inside a string literal does not count.
    let tree = super::parse::parse(source).ok()?;
    let names_message = |name: &str| {
        MESSAGE_NAMES.contains(&name) || name.ends_with("Enum") || name.ends_with("Message")
    };
    if any_node(&tree, &|expr| match expr {
        Expr::Struct(_) => true,
        Expr::Ident(name) => names_message(name),
        Expr::Select(select) => names_message(&select.field),
        _ => false,
    }) {
        return Some(Skip::Messages);
    }
    let calls = |test: fn(&str) -> bool| {
        any_node(
            &tree,
            &|expr| matches!(expr, Expr::Call(call) if test(&call.func_name)),
        )
    };
    if calls(|name| {
        matches!(name, "timestamp" | "duration") || (name.starts_with("get") && name != "get")
    }) {
        return Some(Skip::Time);
    }
    if calls(|name| name == "bytes")
        || any_node(&tree, &|expr| {
            matches!(expr, Expr::Literal(Literal::Bytes(_)))
        })
    {
        return Some(Skip::Bytes);
    }
    None
}

/// Whether `test` holds for any node of `tree`.
fn any_node(tree: &IdedExpr, test: &dyn Fn(&Expr) -> bool) -> bool {
    test(&tree.expr)
        || children(&tree.expr)
            .into_iter()
            .any(|child| any_node(child, test))
}

fn children(expr: &Expr) -> Vec<&IdedExpr> {
    match expr {
        Expr::Call(call) => call
            .target
            .as_deref()
            .into_iter()
            .chain(&call.args)
            .collect(),
        Expr::Select(select) => vec![&select.operand],
        Expr::List(list) => list.elements.iter().collect(),
        Expr::Map(MapExpr { entries }) | Expr::Struct(StructExpr { entries, .. }) => entries
            .iter()
            .flat_map(|entry| match &entry.expr {
                EntryExpr::MapEntry(entry) => vec![&entry.key, &entry.value],
                EntryExpr::StructField(field) => vec![&field.value],
            })
            .collect(),
        Expr::Comprehension(c) => vec![
            &c.iter_range,
            &c.accu_init,
            &c.loop_cond,
            &c.loop_step,
            &c.result,
        ],
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => Vec::new(),
    }
}

type Prepared = (Expected, Vec<(String, Value<'static>)>);

/// The expected outcome and the bindings, or why they cannot be values here.
fn prepare(case: &Message) -> Result<Prepared, Skip> {
    let expected = if let Some(value) = case.message("value") {
        Expected::Value(value_of(value)?)
    } else if let Some(typed) = case.message("typed_result") {
        match typed.message("result") {
            Some(value) => Expected::Value(value_of(value)?),
            None => return Err(Skip::TypeCheckOnly),
        }
    } else if case.get("eval_error").is_some() || case.get("any_eval_errors").is_some() {
        Expected::Error
    } else {
        Expected::Value(Value::Bool(true))
    };
    let mut bindings = Vec::new();
    for binding in case.all("bindings").filter_map(as_message) {
        let name = binding.text("key").unwrap_or_default();
        let value = binding
            .message("value")
            .and_then(|value| value.message("value"))
            .map_or(Ok(Value::Null), value_of)?;
        bindings.push((name, value));
    }
    Ok((expected, bindings))
}

/// A `cel.expr.Value` as a value.
fn value_of(message: &Message) -> Result<Value<'static>, Skip> {
    let Some((kind, field)) = message.0.first() else {
        return Ok(Value::Null);
    };
    let word = || match field {
        Field::Word(word) => word.clone(),
        _ => String::new(),
    };
    Ok(match kind.as_str() {
        "null_value" => Value::Null,
        "bool_value" => Value::Bool(word() == "true"),
        "int64_value" => Value::Int(word().parse().unwrap_or_default()),
        "uint64_value" => Value::UInt(word().parse().unwrap_or_default()),
        "double_value" => Value::Float(double(&word())),
        "string_value" => Value::text(field.text().unwrap_or_default()),
        "list_value" => {
            let Field::Message(list) = field else {
                return Ok(Value::list(Vec::new()));
            };
            let items = list.all("values").filter_map(as_message).map(value_of);
            Value::list(items.collect::<Result<_, _>>()?)
        }
        "map_value" => {
            let mut entries = Entries::default();
            if let Field::Message(map) = field {
                for entry in map.all("entries").filter_map(as_message) {
                    let key = entry.message("key").map_or(Ok(Value::Null), value_of)?;
                    let value = entry.message("value").map_or(Ok(Value::Null), value_of)?;
                    if let Some(key) = key.as_key() {
                        entries.insert(key, value);
                    }
                }
            }
            Value::map(entries)
        }
        "bytes_value" => return Err(Skip::Bytes),
        "type_value" => match super::value::TYPE_NAMES
            .iter()
            .find(|name| Some(**name) == field.text().as_deref())
        {
            Some(name) => Value::Type(name),
            None => return Err(Skip::Messages),
        },
        _ => return Err(Skip::Messages),
    })
}

fn double(word: &str) -> f64 {
    match word.to_ascii_lowercase().as_str() {
        "inf" | "infinity" => f64::INFINITY,
        "-inf" | "-infinity" => f64::NEG_INFINITY,
        "nan" => f64::NAN,
        other => other.parse().unwrap_or_default(),
    }
}
