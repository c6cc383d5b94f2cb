//! Evaluates a parsed expression over [`Value`]s, reading the document in place.
//!
//! CEL's semantics, as the specification gives them: `&&` and `||` are decided by
//! whichever side decides them, even when the other side fails; values of
//! different kinds are unequal; integer arithmetic fails on overflow rather than
//! wrapping.

use super::ast::{
    CallExpr, ComprehensionExpr, EntryExpr, Expr, Function, IdedEntryExpr, IdedExpr, ListExpr,
    Literal, SelectExpr,
};
use super::budget::{charge, spent};
use super::compare::{contains, order};
use super::library;
use super::optional;
use super::value::{Entries, Key, List, Result, TYPE_NAMES, Text, Value};
use std::cmp::Ordering;

/// The variables an expression can read: a frame's own (comprehension
/// variables), then those of the scope it runs in.
pub trait Variables<'a> {
    fn lookup(&self, name: &str) -> Option<&Value<'a>>;
}

/// One evaluation: the scope's variables and the comprehension variables in force.
/// A comprehension's accumulator may hold an error, which a later step can
/// absorb as `&&` and `||` absorb it (`[0, 1].all(x, 1 / x > 1)` is false).
pub struct Frame<'s, 'a> {
    scope: &'s dyn Variables<'a>,
    locals: Vec<(&'a str, Result<Value<'a>>)>,
}

impl<'s, 'a> Frame<'s, 'a> {
    pub fn new(scope: &'s dyn Variables<'a>) -> Self {
        Self {
            scope,
            locals: Vec::new(),
        }
    }

    pub fn eval(&mut self, expr: &'a IdedExpr) -> Result<Value<'a>> {
        match &expr.expr {
            Expr::Literal(literal) => literal_value(literal),
            Expr::Ident(name) => self.variable(name),
            Expr::Select(select) => self.select(select, true),
            Expr::Call(call) => self.call(call),
            Expr::List(list) => self.list_literal(list),
            Expr::Map(map) => self.map_literal(&map.entries),
            Expr::Comprehension(comprehension) => {
                let depth = self.locals.len();
                let result = self.comprehension(comprehension);
                // Restored even on failure: `||` may go on after one side failed.
                self.locals.truncate(depth);
                result
            }
            Expr::Struct(_) | Expr::Unspecified => {
                Err("this part of the expression cannot be evaluated".to_owned())
            }
        }
    }

    fn variable(&self, name: &str) -> Result<Value<'a>> {
        match self.bound(name) {
            Some(value) => value.cloned().map_err(Clone::clone),
            None => type_named(name).ok_or_else(|| format!("`{name}` is not defined")),
        }
    }

    /// The variable `name` where it is held: a comprehension's own, then the scope's.
    fn bound(&self, name: &str) -> Option<std::result::Result<&Value<'a>, &String>> {
        if let Some((_, value)) = self.locals.iter().rev().find(|(local, _)| *local == name) {
            return Some(value.as_ref());
        }
        self.scope.lookup(name).map(Ok)
    }

    /// `operand.field`. When the operand cannot be read and `qualified` holds
    /// (the outermost of a chain), `a.b.c` may name a variable with dots in
    /// its name: the longest such name bound is read, then the fields after it.
    fn select(&mut self, select: &'a SelectExpr, qualified: bool) -> Result<Value<'a>> {
        // A variable's field is read where the variable is held, without a copy of it.
        if let Expr::Ident(name) = &select.operand.expr
            && let Some(Ok(operand)) = self.bound(name)
        {
            return self.field_of(operand, select);
        }
        let operand = match &select.operand.expr {
            Expr::Select(inner) => self.select(inner, false),
            _ => self.eval(&select.operand),
        };
        let operand = match operand {
            Ok(operand) => operand,
            Err(error) if qualified => return self.qualified(select).ok_or(error)?,
            Err(error) => return Err(error),
        };
        self.field_of(&operand, select)
    }

    /// The field `select` names of `operand`, or whether it has it (`has`).
    fn field_of(&self, operand: &Value<'a>, select: &SelectExpr) -> Result<Value<'a>> {
        if let Value::Optional(inner) = operand {
            return match (inner, select.test) {
                (None, true) => Ok(Value::Bool(false)),
                (Some(inner), true) => self.field_of(inner, select),
                (_, false) => optional::entry(operand, &Value::text(select.field.as_str())),
            };
        }
        let Value::Map(map) = operand else {
            return Err(format!(
                "{} has no fields (reading `.{}`)",
                operand.a_kind(),
                select.field
            ));
        };
        let field = map.field(&select.field);
        if select.test {
            return Ok(Value::Bool(field.is_some()));
        }
        field.ok_or_else(|| {
            format!(
                "no field `{}` here (guard it with `has(...)`)",
                select.field
            )
        })
    }

    /// `a.b.c` read as the variable `a.b.c`, or `a.b` then its field `c`.
    fn qualified(&self, select: &'a SelectExpr) -> Option<Result<Value<'a>>> {
        let mut fields = vec![select];
        let mut operand = &select.operand.expr;
        while let Expr::Select(inner) = operand {
            fields.push(inner);
            operand = &inner.operand.expr;
        }
        let Expr::Ident(root) = operand else {
            return None;
        };
        fields.reverse();
        // The dotted names `a.b`, `a.b.c`, …, each with the fields after it.
        let mut name = root.clone();
        let mut candidates = Vec::with_capacity(fields.len());
        for (at, field) in fields.iter().enumerate() {
            name = format!("{name}.{}", field.field);
            candidates.push((name.clone(), &fields[at + 1..]));
        }
        let (value, rest) = candidates
            .iter()
            .rev()
            .find_map(|(name, rest)| Some((self.scope.lookup(name)?.clone(), *rest)))?;
        Some(
            rest.iter()
                .try_fold(value, |value, field| self.field_of(&value, field)),
        )
    }

    /// A list literal; an element written `?x` is kept only when it has a value.
    fn list_literal(&mut self, list: &'a ListExpr) -> Result<Value<'a>> {
        let mut items = Vec::with_capacity(list.elements.len());
        for (at, element) in list.elements.iter().enumerate() {
            let item = self.eval(element)?;
            if list.optional_indices.contains(&at) {
                items.extend(optional::present(item)?);
            } else {
                items.push(item);
            }
        }
        Ok(Value::list(items))
    }

    fn map_literal(&mut self, entries: &'a [IdedEntryExpr]) -> Result<Value<'a>> {
        let mut map = Entries::with_capacity_and_hasher(entries.len(), Default::default());
        for entry in entries {
            let EntryExpr::MapEntry(entry) = &entry.expr else {
                return Err("message fields cannot be evaluated".to_owned());
            };
            let key = self.eval(&entry.key)?;
            let key = key
                .as_key()
                .ok_or_else(|| format!("{} cannot be a key", key.a_kind()))?;
            if map.contains_key(&key)
                || key
                    .numeric_twin()
                    .is_some_and(|twin| map.contains_key(&twin))
            {
                let key = key.into_value().display();
                return Err(format!("the key `{key}` is given twice in a map"));
            }
            let value = self.eval(&entry.value)?;
            let value = match entry.optional {
                true => optional::present(value)?,
                false => Some(value),
            };
            if let Some(value) = value {
                map.insert(key, value);
            }
        }
        Ok(Value::map(map))
    }

    fn call(&mut self, call: &'a CallExpr) -> Result<Value<'a>> {
        match (call.function, call.args.as_slice()) {
            (Function::And, [left, right]) => self.logical(left, right, false),
            (Function::Or, [left, right]) => self.logical(left, right, true),
            (Function::Conditional, [condition, then, otherwise]) => match self.eval(condition)? {
                Value::Bool(true) => self.eval(then),
                Value::Bool(false) => self.eval(otherwise),
                other => Err(format!(
                    "a condition must be true or false, not {}",
                    other.a_kind()
                )),
            },
            // Whatever is not `false` keeps a loop going, failures included
            // (a later step reports them), but not a spent budget.
            (Function::NotStrictlyFalse, [value]) => match self.eval(value) {
                Err(error) if spent() => Err(error),
                value => Ok(Value::Bool(!matches!(value, Ok(Value::Bool(false))))),
            },
            (Function::Collect, [range, item, condition, transform]) => {
                self.collect(range, item, condition, transform)
            }
            (Function::MapInsert, [map, key, value]) => {
                insert(self.eval(map)?, &self.eval(key)?, self.eval(value)?)
            }
            _ => self.function(call),
        }
    }

    /// A call of an operator or a function: up to three arguments (nearly all
    /// calls) are held on the stack, not in a vector allocated per call.
    fn function(&mut self, call: &'a CallExpr) -> Result<Value<'a>> {
        match (call.target.as_deref(), call.args.as_slice()) {
            (None, []) => apply(call, &[]),
            (None, [a]) | (Some(a), []) => apply(call, &self.values([a])?),
            (None, [a, b]) | (Some(a), [b]) => apply(call, &self.values([a, b])?),
            (None, [a, b, c]) | (Some(a), [b, c]) => apply(call, &self.values([a, b, c])?),
            (target, args) => {
                let args = target.into_iter().chain(args);
                let args = args.map(|arg| self.eval(arg)).collect::<Result<Vec<_>>>()?;
                apply(call, &args)
            }
        }
    }

    /// The values of `exprs`, in order.
    fn values<const N: usize>(&mut self, exprs: [&'a IdedExpr; N]) -> Result<[Value<'a>; N]> {
        let mut values = [const { Value::Null }; N];
        for (value, expr) in values.iter_mut().zip(exprs) {
            *value = self.eval(expr)?;
        }
        Ok(values)
    }

    /// `left && right` (or `||` when `decided_by` is true): a side equal to
    /// `decided_by` decides, whatever the other gives, unless the other ran out
    /// of evaluation budget.
    fn logical(
        &mut self,
        left: &'a IdedExpr,
        right: &'a IdedExpr,
        decided_by: bool,
    ) -> Result<Value<'a>> {
        let left = truth(self.eval(left));
        if left == Ok(decided_by) {
            return Ok(Value::Bool(decided_by));
        }
        let right = truth(self.eval(right));
        if right == Ok(decided_by) && !spent() {
            return Ok(Value::Bool(decided_by));
        }
        left.and(right).map(Value::Bool)
    }

    /// A comprehension: the accumulator starts at `accu_init` and each item
    /// (a list's item, a mapping's key) steps it while `loop_cond` holds.
    fn comprehension(&mut self, c: &'a ComprehensionExpr) -> Result<Value<'a>> {
        let range = self.eval(&c.iter_range)?;
        let items = Items::of(&range)?;
        charge(items.len())?;
        let start = self.eval(&c.accu_init)?;
        let accumulator = self.locals.len();
        self.locals.push((&c.accu_var, Ok(start)));
        let item = self.locals.len();
        self.locals.push((&c.iter_var, Ok(Value::Null)));
        if let Some(second) = &c.iter_var2 {
            self.locals.push((second, Ok(Value::Null)));
        }
        for (position, value) in items.iter().enumerate() {
            if c.iter_var2.is_some() {
                let (first, second) = pair(&range, position, value)?;
                self.locals[item].1 = Ok(first);
                self.locals[item + 1].1 = Ok(second);
            } else {
                self.locals[item].1 = Ok(value);
            }
            match self.eval(&c.loop_cond)? {
                Value::Bool(true) => {}
                Value::Bool(false) => break,
                other => {
                    return Err(format!(
                        "a loop condition must be true or false, not {}",
                        other.a_kind()
                    ));
                }
            }
            let step = self.eval(&c.loop_step);
            if step.is_err() && spent() {
                return step;
            }
            self.locals[accumulator].1 = step;
        }
        self.locals.truncate(item);
        self.eval(&c.result)
    }

    /// `range.map(item, transform)` and `range.filter(item, condition)`, built
    /// into one list rather than by a copy per step (see `linear`).
    fn collect(
        &mut self,
        range: &'a IdedExpr,
        item: &'a IdedExpr,
        condition: &'a IdedExpr,
        transform: &'a IdedExpr,
    ) -> Result<Value<'a>> {
        let Expr::Ident(name) = &item.expr else {
            return Err("malformed comprehension".to_owned());
        };
        let range = self.eval(range)?;
        let items = Items::of(&range)?;
        charge(items.len())?;
        let slot = self.locals.len();
        self.locals.push((name, Ok(Value::Null)));
        let collected = self.collect_items(&items, slot, condition, transform);
        self.locals.truncate(slot);
        Ok(Value::list(collected?))
    }

    fn collect_items(
        &mut self,
        items: &Items<'_, 'a>,
        slot: usize,
        condition: &'a IdedExpr,
        transform: &'a IdedExpr,
    ) -> Result<Vec<Value<'a>>> {
        // A `map` keeps every item; a `filter`'s result is trimmed once known, as
        // it may be held for the rest of the file's evaluation.
        let keeps_all = matches!(condition.expr, Expr::Literal(Literal::Boolean(true)));
        let mut collected = Vec::with_capacity(if keeps_all { items.len() } else { 0 });
        for value in items.iter() {
            self.locals[slot].1 = Ok(value);
            match self.eval(condition)? {
                Value::Bool(true) => collected.push(self.eval(transform)?),
                Value::Bool(false) => {}
                other => {
                    return Err(format!(
                        "a filter must be true or false, not {}",
                        other.a_kind()
                    ));
                }
            }
        }
        collected.shrink_to_fit();
        Ok(collected)
    }
}

/// The type a name such as `int` spells, when no variable has that name.
fn type_named<'a>(name: &str) -> Option<Value<'a>> {
    TYPE_NAMES
        .iter()
        .find(|type_name| **type_name == name)
        .map(|type_name| Value::Type(type_name))
}

/// `map` with `key` set to `value`, for `transformMap`; a step per entry copied.
fn insert<'a>(map: Value<'a>, key: &Value<'a>, value: Value<'a>) -> Result<Value<'a>> {
    let Value::Map(map) = map else {
        return Err(format!("cannot add an entry to {}", map.a_kind()));
    };
    let key = key
        .as_key()
        .ok_or_else(|| format!("{} cannot be a key", key.a_kind()))?;
    charge(map.len())?;
    let mut entries = Entries::with_capacity_and_hasher(map.len() + 1, Default::default());
    for existing in map.keys() {
        if let Some(existing) = existing.as_key()
            && let Some(current) = map.get(&existing)
        {
            entries.insert(existing, current);
        }
    }
    entries.insert(key, value);
    Ok(Value::map(entries))
}

/// The two variables of a step over `range`: a list's index and item, or a
/// mapping's key and value.
fn pair<'a>(range: &Value<'a>, position: usize, item: Value<'a>) -> Result<(Value<'a>, Value<'a>)> {
    match range {
        Value::Map(map) => {
            let value = item.as_key().and_then(|key| map.get(&key));
            Ok((item, value.unwrap_or(Value::Null)))
        }
        _ => Ok((
            Value::Int(i64::try_from(position).map_err(|_| "the list is too long".to_owned())?),
            item,
        )),
    }
}

fn truth(value: Result<Value>) -> Result<bool> {
    match value? {
        Value::Bool(flag) => Ok(flag),
        other => Err(format!(
            "`&&` and `||` take true or false, not {}",
            other.a_kind()
        )),
    }
}

/// What a comprehension runs over: a list's items, or a mapping's keys.
enum Items<'r, 'a> {
    List(&'r List<'a>),
    Keys(Vec<Value<'a>>),
}

impl<'r, 'a> Items<'r, 'a> {
    fn of(range: &'r Value<'a>) -> Result<Self> {
        match range {
            Value::List(list) => Ok(Self::List(list)),
            Value::Map(map) => Ok(Self::Keys(map.keys())),
            other => Err(format!("cannot iterate over {}", other.a_kind())),
        }
    }

    fn len(&self) -> usize {
        match self {
            Self::List(list) => list.len(),
            Self::Keys(keys) => keys.len(),
        }
    }

    /// A list's item, or a mapping's key.
    fn get(&self, position: usize) -> Option<Value<'a>> {
        match self {
            Self::List(list) => list.get(position),
            Self::Keys(keys) => keys.get(position).cloned(),
        }
    }

    fn iter(&self) -> impl Iterator<Item = Value<'a>> + '_ {
        (0..self.len()).filter_map(|position| self.get(position))
    }
}

fn literal_value<'a>(literal: &'a Literal) -> Result<Value<'a>> {
    Ok(match literal {
        Literal::Null => Value::Null,
        Literal::Boolean(flag) => Value::Bool(*flag),
        Literal::Int(number) => Value::Int(*number),
        Literal::UInt(number) => Value::UInt(*number),
        Literal::Double(number) => Value::Float(*number),
        Literal::String(text) => Value::Str(Text::Borrowed(text)),
        _ => return Err("this kind of literal is not supported".to_owned()),
    })
}

/// An operator or a function, its arguments evaluated (a method's target first).
fn apply<'a>(call: &CallExpr, args: &[Value<'a>]) -> Result<Value<'a>> {
    match (call.function, args) {
        (Function::Not, [Value::Bool(flag)]) => Ok(Value::Bool(!flag)),
        (Function::Negate, [value]) => negate(value),
        (Function::Equals, [a, b]) => equal(a, b).map(Value::Bool),
        (Function::NotEquals, [a, b]) => equal(a, b).map(|equal| Value::Bool(!equal)),
        (Function::Less, [a, b]) => compare(a, b, Ordering::is_lt),
        (Function::LessEquals, [a, b]) => compare(a, b, Ordering::is_le),
        (Function::Greater, [a, b]) => compare(a, b, Ordering::is_gt),
        (Function::GreaterEquals, [a, b]) => compare(a, b, Ordering::is_ge),
        (Function::Add, [a, b]) => add(a, b),
        (Function::Subtract, [a, b]) => {
            arithmetic("-", a, b, i64::checked_sub, u64::checked_sub, |x, y| x - y)
        }
        (Function::Multiply, [a, b]) => {
            arithmetic("*", a, b, i64::checked_mul, u64::checked_mul, |x, y| x * y)
        }
        (Function::Divide, [a, b]) => {
            arithmetic("/", a, b, i64::checked_div, u64::checked_div, |x, y| x / y)
        }
        (Function::Modulo, [Value::Float(_), Value::Float(_)]) => {
            Err("`%` takes integers, not doubles".to_owned())
        }
        (Function::Modulo, [a, b]) => {
            arithmetic("%", a, b, i64::checked_rem, u64::checked_rem, |x, y| x % y)
        }
        (Function::In, [item, container]) => contains(container, item).map(Value::Bool),
        (Function::Index, [container @ Value::Optional(_), key])
        | (Function::OptionalEntry, [container, key]) => optional::entry(container, key),
        (Function::Index, [container, key]) => index(container, key),
        (Function::Library(function), _) => function(&call.func_name, args),
        // An operator given arguments it does not take: the library reports it.
        _ => library::call(&call.func_name, args),
    }
}

fn negate<'a>(value: &Value) -> Result<Value<'a>> {
    match value {
        Value::Int(number) => number
            .checked_neg()
            .map(Value::Int)
            .ok_or_else(|| "the integer overflows".to_owned()),
        Value::Float(number) => Ok(Value::Float(-number)),
        other => Err(format!("cannot negate {}", other.a_kind())),
    }
}

fn compare<'a>(a: &Value, b: &Value, holds: fn(Ordering) -> bool) -> Result<Value<'a>> {
    order(a, b)
        .map(|ordering| Value::Bool(holds(ordering)))
        .ok_or_else(|| {
            let dates = matches!(
                (a, b),
                (Value::Str(_), Value::Int(_)) | (Value::Int(_), Value::Str(_))
            );
            // A year written as a number against a month or a day is the usual cause.
            let hint = if dates {
                "; dates (`2015`, `'2015-06'`) are compared with `before`, `after`, \
                 `on_or_before` or `on_or_after`"
            } else {
                ""
            };
            format!("cannot compare {} with {}{hint}", a.a_kind(), b.a_kind())
        })
}

/// Comparing collections costs their size: a comparison of whole lists inside a
/// comprehension is charged like the nested loop it is.
fn equal(a: &Value, b: &Value) -> Result<bool> {
    let size = |value: &Value| match value {
        Value::List(list) => list.len(),
        Value::Map(map) => map.len(),
        _ => 0,
    };
    charge(size(a).min(size(b)))?;
    Ok(a == b)
}

/// Joining texts costs a step per byte and lists one per item, so bindings that
/// each double a value cannot exhaust memory.
fn add<'a>(a: &Value<'a>, b: &Value<'a>) -> Result<Value<'a>> {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => {
            charge(x.len() + y.len())?;
            Ok(Value::text(format!("{}{}", &**x, &**y)))
        }
        (Value::List(x), Value::List(y)) => {
            charge(x.len() + y.len())?;
            let mut items = x.to_vec();
            items.extend(y.iter());
            Ok(Value::list(items))
        }
        _ => arithmetic("+", a, b, i64::checked_add, u64::checked_add, |x, y| x + y),
    }
}

/// An operator on two numbers of the same type; integers fail rather than overflow
/// or divide by zero.
fn arithmetic<'a>(
    symbol: &str,
    a: &Value,
    b: &Value,
    int: fn(i64, i64) -> Option<i64>,
    uint: fn(u64, u64) -> Option<u64>,
    float: fn(f64, f64) -> f64,
) -> Result<Value<'a>> {
    let overflow = || format!("`{symbol}` overflows or divides by zero");
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => int(*x, *y).map(Value::Int).ok_or_else(overflow),
        (Value::UInt(x), Value::UInt(y)) => uint(*x, *y).map(Value::UInt).ok_or_else(overflow),
        (Value::Float(x), Value::Float(y)) => Ok(Value::Float(float(*x, *y))),
        _ => Err(format!(
            "cannot apply `{symbol}` to {} and {}",
            a.a_kind(),
            b.a_kind()
        )),
    }
}

/// `container[key]`: a list's item by position, a mapping's value by key.
fn index<'a>(container: &Value<'a>, key: &Value) -> Result<Value<'a>> {
    match (container, key) {
        (Value::List(list), Value::Int(_) | Value::UInt(_) | Value::Float(_)) => position(key)
            .and_then(|position| list.get(position))
            .ok_or_else(|| format!("no item {} in a list of {}", key.display(), list.len())),
        (Value::Map(map), _) => key
            .as_lookup_key()
            .and_then(|key| map.get(&key))
            .ok_or_else(|| format!("no key `{}` here (guard it with `in`)", key.display())),
        (other, _) => Err(format!(
            "cannot index {} with {}",
            other.a_kind(),
            key.a_kind()
        )),
    }
}

/// A list position: an integer, or a double that equals one (`[7][0.0]`).
fn position(key: &Value) -> Option<usize> {
    match key.as_lookup_key()? {
        Key::Int(number) => usize::try_from(number).ok(),
        Key::UInt(number) => usize::try_from(number).ok(),
        Key::Bool(_) | Key::Str(_) => None,
    }
}
