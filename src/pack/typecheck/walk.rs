//! One walk over an expression: each node's type from its parts, and the
//! mistakes found on the way.

use super::{Mistake, Ty, Typing, arguments, join};
use crate::base::suggest::did_you_mean;
use crate::expr::ast::{
    CallExpr, ComprehensionExpr, EntryExpr, Expr, IdedExpr, Literal, operators,
};
use serde_json::Value as Json;

/// The type of `tree` where `names` have their types, and its mistakes.
pub(super) fn check<'s>(
    typing: &Typing<'s>,
    tree: &IdedExpr,
    names: &[(String, Ty<'s>)],
    external: &[String],
) -> (Ty<'s>, Vec<Mistake>) {
    let mut walk = Walk {
        typing,
        names,
        local: Vec::new(),
        external,
        mistakes: Vec::new(),
    };
    let ty = walk.visit(tree);
    let mut mistakes = walk.mistakes;
    mistakes.dedup();
    (ty, mistakes)
}

/// One walk over an expression: the names in force and the mistakes found.
struct Walk<'w, 't, 's> {
    typing: &'w Typing<'s>,
    names: &'w [(String, Ty<'s>)],
    /// Comprehension variables, innermost last.
    local: Vec<(&'t str, Ty<'s>)>,
    external: &'w [String],
    mistakes: Vec<Mistake>,
}

impl<'t, 's> Walk<'_, 't, 's> {
    fn visit(&mut self, expr: &'t IdedExpr) -> Ty<'s> {
        match &expr.expr {
            Expr::Ident(name) => self.lookup(name),
            Expr::Literal(literal) => match literal {
                Literal::Null => Ty::Null,
                Literal::Boolean(_) => Ty::Bool,
                Literal::Int(_) | Literal::UInt(_) => Ty::Int,
                Literal::Double(_) => Ty::Double,
                Literal::String(_) => Ty::Str,
                Literal::Bytes(_) => Ty::Dyn,
            },
            Expr::Select(select) => {
                let operand = self.visit(&select.operand);
                let near = vec![format!(".{}", select.field)];
                let field = self.field(&operand, &select.field, near);
                if select.test { Ty::Bool } else { field }
            }
            Expr::List(list) => {
                let items = list.elements.iter().map(|item| self.visit(item)).collect();
                Ty::List(Box::new(joined(items)))
            }
            Expr::Map(map) => self.map_literal(&map.entries),
            Expr::Struct(structure) => {
                for entry in &structure.entries {
                    if let EntryExpr::StructField(field) = &entry.expr {
                        self.visit(&field.value);
                    }
                }
                Ty::Dyn
            }
            Expr::Comprehension(comprehension) => self.comprehension(comprehension),
            Expr::Call(call) => self.call(call),
            Expr::Unspecified => Ty::Dyn,
        }
    }

    fn lookup(&self, name: &str) -> Ty<'s> {
        self.local
            .iter()
            .rev()
            .find(|(bound, _)| *bound == name)
            .map(|(_, ty)| ty.clone())
            .or_else(|| {
                self.names
                    .iter()
                    .rev()
                    .find(|(bound, _)| bound == name)
                    .map(|(_, ty)| ty.clone())
            })
            .unwrap_or(Ty::Dyn)
    }

    /// The field `name` of a value of type `of`; `near` is how the text reads it.
    fn field(&mut self, of: &Ty<'s>, name: &str, near: Vec<String>) -> Ty<'s> {
        if self.external.iter().any(|external| external == name) {
            return Ty::Dyn;
        }
        match of {
            Ty::Node(node) => match self.typing.field(node, name) {
                Some(ty) => ty,
                None => {
                    let fields: Vec<&str> = self
                        .typing
                        .properties(node)
                        .into_iter()
                        .map(|(field, _)| field)
                        .collect();
                    let what = if std::ptr::eq(*node, self.typing.root) {
                        "the document".to_owned()
                    } else {
                        node.get("title").and_then(Json::as_str).map_or_else(
                            || "this record".to_owned(),
                            |title| format!("a record of {title}"),
                        )
                    };
                    self.unknown_field(name, near, &what, &fields, true);
                    Ty::Dyn
                }
            },
            Ty::Record(fields) => match fields.iter().find(|(field, _)| field == name) {
                Some((_, ty)) => ty.clone(),
                None => {
                    let names: Vec<&str> = fields.iter().map(|(field, _)| field.as_str()).collect();
                    self.unknown_field(name, near, "this value", &names, false);
                    Ty::Dyn
                }
            },
            Ty::Map(values) => (**values).clone(),
            scalar if scalar.is_scalar() || matches!(scalar, Ty::List(_)) => {
                self.mistakes.push(Mistake {
                    message: format!(
                        "`{}` reads a field of {}, which has no fields (the records' schema fixes its type)",
                        near.first().map_or(name, String::as_str),
                        scalar.described()
                    ),
                    near,
                    help: None,
                });
                Ty::Dyn
            }
            _ => Ty::Dyn,
        }
    }

    /// A field `name` that `what` does not have; `described` says whether the
    /// records' schema describes it (else the rule's own expressions make it:
    /// its `params`, a map it writes).
    fn unknown_field(
        &mut self,
        name: &str,
        near: Vec<String>,
        what: &str,
        fields: &[&str],
        described: bool,
    ) {
        let close = did_you_mean(name, fields.iter().copied())
            .map_or_else(String::new, |close| format!("; did you mean `{close}`?"));
        let listed = if fields.is_empty() {
            "no fields".to_owned()
        } else {
            format!("`{}`", fields.join("`, `"))
        };
        let help = if described {
            format!(
                "the records' schema gives {what} {listed}; name a field it does not \
                 describe (optional data from elsewhere) in the rule's `external_fields`"
            )
        } else {
            format!("the rule gives {what} {listed}")
        };
        self.mistakes.push(Mistake {
            near,
            message: format!("{what} has no field `{name}`{close}"),
            help: Some(help),
        });
    }

    fn map_literal(&mut self, entries: &'t [crate::expr::ast::IdedEntryExpr]) -> Ty<'s> {
        let mut fields = Vec::new();
        let mut keyed = true;
        for entry in entries {
            match &entry.expr {
                EntryExpr::MapEntry(entry) => {
                    let value = self.visit(&entry.value);
                    self.visit(&entry.key);
                    match &entry.key.expr {
                        Expr::Literal(Literal::String(key)) if !entry.optional => {
                            fields.push((key.clone(), value));
                        }
                        _ => keyed = false,
                    }
                }
                EntryExpr::StructField(field) => {
                    self.visit(&field.value);
                    keyed = false;
                }
            }
        }
        if entries.is_empty() {
            Ty::Map(Box::new(Ty::Never))
        } else if keyed {
            Ty::Record(fields)
        } else {
            Ty::Map(Box::new(Ty::Dyn))
        }
    }

    fn comprehension(&mut self, comprehension: &'t ComprehensionExpr) -> Ty<'s> {
        let range = self.visit(&comprehension.iter_range);
        let init = self.visit(&comprehension.accu_init);
        let depth = self.local.len();
        let (first, second) = iteration(&range);
        match &comprehension.iter_var2 {
            Some(second_name) => {
                self.local.push((&comprehension.iter_var, first));
                self.local.push((second_name, second));
            }
            None => {
                let item = if matches!(range, Ty::List(_)) {
                    second
                } else {
                    first
                };
                self.local.push((&comprehension.iter_var, item));
            }
        }
        self.local.push((&comprehension.accu_var, init.clone()));
        self.visit(&comprehension.loop_cond);
        let step = self.visit(&comprehension.loop_step);
        self.local
            .truncate(depth + 1 + usize::from(comprehension.iter_var2.is_some()));
        self.local.push((&comprehension.accu_var, join(init, step)));
        let result = self.visit(&comprehension.result);
        self.local.truncate(depth);
        result
    }

    fn call(&mut self, call: &'t CallExpr) -> Ty<'s> {
        use operators::*;
        let name = call.func_name.as_str();
        if name == COLLECT {
            return self.collect(&call.args);
        }
        let parts: Vec<&'t IdedExpr> = call
            .target
            .iter()
            .map(|target| &**target)
            .chain(&call.args)
            .collect();
        let args: Vec<Ty<'s>> = parts.iter().map(|arg| self.visit(arg)).collect();
        self.mistakes
            .extend(arguments::misfits(self.typing, name, &parts, &args));
        // The second argument names a field: `get(record, 'field', …)`, `a['field']`.
        let literals: Vec<Option<String>> =
            parts.iter().map(|part| literal_key(Some(part))).collect();
        let key = || literals.get(1).cloned().flatten();
        match (name, args.as_slice()) {
            (LOGICAL_AND | LOGICAL_OR | LOGICAL_NOT | NOT_STRICTLY_FALSE | IN, _) => Ty::Bool,
            (EQUALS | NOT_EQUALS, [a, b]) => {
                self.equality(name, a, b);
                Ty::Bool
            }
            (LESS | LESS_EQUALS | GREATER | GREATER_EQUALS, [a, b]) => {
                self.ordering(name, a, b);
                Ty::Bool
            }
            (CONDITIONAL, [_, a, b]) => join(a.clone(), b.clone()),
            (ADD, [a, b]) => match (a, b) {
                (Ty::List(_), Ty::List(_)) => join(a.clone(), b.clone()),
                (a, b) if a == b && matches!(a, Ty::Int | Ty::Double | Ty::Str) => a.clone(),
                _ => Ty::Dyn,
            },
            (SUBTRACT | MULTIPLY | DIVIDE | MODULO, [a, b]) if a == b && a.is_number() => a.clone(),
            (NEGATE, [a]) if a.is_number() => a.clone(),
            (INDEX, [container, index]) => self.index(container, index, key()),
            (OPTIONAL_SELECT | OPTIONAL_INDEX, [container, _]) => {
                if let (Some(field), Ty::Node(_) | Ty::Record(_)) = (key(), container) {
                    self.field(container, &field, quoted(&field));
                }
                Ty::Dyn
            }
            _ => self.library(name, &args, &literals),
        }
    }

    /// `@collect(range, item, condition, transform)`: a `map` or a `filter`.
    fn collect(&mut self, args: &'t [IdedExpr]) -> Ty<'s> {
        let [range, item, condition, transform] = args else {
            return Ty::Dyn;
        };
        let range_ty = self.visit(range);
        let Expr::Ident(item) = &item.expr else {
            return Ty::Dyn;
        };
        let (key, value) = iteration(&range_ty);
        let item_ty = if matches!(range_ty, Ty::List(_)) {
            value
        } else {
            key
        };
        self.local.push((item, item_ty));
        self.visit(condition);
        let transformed = self.visit(transform);
        self.local.pop();
        Ty::List(Box::new(transformed))
    }

    fn index(&mut self, container: &Ty<'s>, index: &Ty<'s>, key: Option<String>) -> Ty<'s> {
        match (container, key) {
            (Ty::List(item), _) if matches!(index, Ty::Int | Ty::Dyn) => (**item).clone(),
            (Ty::Node(_) | Ty::Record(_), Some(field)) => {
                self.field(container, &field, quoted(&field))
            }
            (Ty::Map(values), _) => (**values).clone(),
            _ => Ty::Dyn,
        }
    }

    /// The result of a library function whose result follows from its
    /// arguments; any other function's result stays dynamic.
    fn library(&mut self, name: &str, args: &[Ty<'s>], literals: &[Option<String>]) -> Ty<'s> {
        let item = match args.first() {
            Some(Ty::List(item)) => Some((**item).clone()),
            _ => None,
        };
        let key = literals.get(1).cloned().flatten();
        // Fields of the list's items named by the arguments after the list
        // (`index_by(list, 'id')`, `by_year(list, 'start', 'end', last)`).
        let keyed = |walk: &mut Self| {
            if let Some(item @ (Ty::Node(_) | Ty::Record(_))) = &item {
                for field in literals.iter().skip(1).flatten() {
                    walk.field(item, field, quoted(field));
                }
            }
        };
        match (name, args) {
            ("get", [container, _, default]) => {
                let found = match (container, &key) {
                    (Ty::Node(_) | Ty::Record(_), Some(field)) => {
                        self.field(container, field, quoted(field))
                    }
                    (Ty::Map(values), _) => (**values).clone(),
                    _ => return Ty::Dyn,
                };
                join(found, default.clone())
            }
            ("sort_by", [list, _]) => {
                keyed(self);
                list.clone()
            }
            ("index_by", [_, _]) => {
                keyed(self);
                item.map_or(Ty::Dyn, |item| Ty::Map(Box::new(item)))
            }
            ("group_by", [list, _]) | ("by_year", [list, _, _, _]) => {
                keyed(self);
                Ty::Map(Box::new(list.clone()))
            }
            ("pairs", [_]) => item.map_or(Ty::Dyn, |item| {
                Ty::List(Box::new(Ty::Record(vec![
                    ("prev".to_owned(), item.clone()),
                    ("next".to_owned(), item),
                ])))
            }),
            ("first" | "last", [_]) => item.unwrap_or(Ty::Dyn),
            ("count_by", [_]) => Ty::Map(Box::new(Ty::Int)),
            ("first_day" | "add_years" | "add_months", _) => Ty::Date,
            ("size" | "int" | "year" | "date_cmp", _) => Ty::Int,
            ("string" | "pointer" | "span", _) => Ty::Str,
            ("double", _) => Ty::Double,
            (
                "is_date" | "before" | "after" | "same_date" | "on_or_after" | "on_or_before"
                | "maybe_before" | "maybe_after" | "may_contain" | "must_contain" | "overlaps"
                | "contains" | "startsWith" | "endsWith" | "matches",
                _,
            ) => Ty::Bool,
            _ => Ty::Dyn,
        }
    }

    /// `==` between values of two fixed kinds that are never equal.
    fn equality(&mut self, operator: &str, a: &Ty<'s>, b: &Ty<'s>) {
        let never_equal = a.is_scalar()
            && b.is_scalar()
            && a != b
            && !(a.is_number() && b.is_number())
            && !matches!(
                (a, b),
                (Ty::Date, Ty::Int | Ty::Str) | (Ty::Int | Ty::Str, Ty::Date)
            );
        if never_equal {
            let symbol = symbol(operator);
            self.mistakes.push(Mistake {
                near: vec![symbol.to_owned()],
                message: format!(
                    "`{symbol}` compares {} with {}, which are never equal",
                    a.described(),
                    b.described()
                ),
                help: Some(
                    "the records' schema fixes both types; convert one (`string(x)`, `int(x)`) or compare the right field"
                        .to_owned(),
                ),
            });
        }
    }

    /// `<` and its kin: never between dates, nor between values of two kinds.
    fn ordering(&mut self, operator: &str, a: &Ty<'s>, b: &Ty<'s>) {
        let symbol = symbol(operator);
        if matches!(a, Ty::Date) || matches!(b, Ty::Date) {
            let instead = match operator {
                operators::LESS => "`before(a, b)` (certainly earlier) or `maybe_before(a, b)`",
                operators::GREATER => "`after(a, b)` (certainly later) or `maybe_after(a, b)`",
                operators::LESS_EQUALS => "`on_or_before(a, b)`",
                _ => "`on_or_after(a, b)`",
            };
            self.mistakes.push(Mistake {
                near: vec![symbol.to_owned()],
                message: format!("dates are not compared with `{symbol}`; use {instead}"),
                help: Some(
                    "a date may be a year, a month or a day (`2015`, `2015-06`, `2015-06-01`): \
                     the date functions compare them at the coarser precision and say when \
                     the order cannot be decided"
                        .to_owned(),
                ),
            });
        } else if a.is_scalar() && b.is_scalar() && a != b && !(a.is_number() && b.is_number()) {
            self.mistakes.push(Mistake {
                near: vec![symbol.to_owned()],
                message: format!("cannot compare {} with {}", a.described(), b.described()),
                help: Some(
                    "the records' schema fixes both types; compare values of one type".to_owned(),
                ),
            });
        }
    }
}

/// What a comprehension over a value of type `range` binds: a list's index and
/// item, a mapping's key and value.
fn iteration<'s>(range: &Ty<'s>) -> (Ty<'s>, Ty<'s>) {
    match range {
        Ty::List(item) => (Ty::Int, (**item).clone()),
        Ty::Map(value) => (Ty::Str, (**value).clone()),
        Ty::Node(_) | Ty::Record(_) => (Ty::Str, Ty::Dyn),
        _ => (Ty::Dyn, Ty::Dyn),
    }
}

fn joined<'s>(items: Vec<Ty<'s>>) -> Ty<'s> {
    items.into_iter().fold(Ty::Never, join)
}

/// A string literal naming a field, if `arg` is one: a name, not the
/// engine's own keys.
fn literal_key(arg: Option<&IdedExpr>) -> Option<String> {
    match &arg?.expr {
        Expr::Literal(Literal::String(key))
            if key.starts_with(|c: char| c.is_ascii_alphabetic()) =>
        {
            Some(key.clone())
        }
        _ => None,
    }
}

/// How the text may name a field in a string literal.
fn quoted(field: &str) -> Vec<String> {
    vec![format!("'{field}'"), format!("\"{field}\"")]
}

/// How an operator is written: `_<=_` is `<=`.
fn symbol(operator: &str) -> &str {
    operator.trim_matches('_')
}
