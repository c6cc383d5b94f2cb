//! CEL text into the tree the interpreter runs ([`super::ast`]): a
//! recursive-descent parser that builds, node for node, what the `cel` crate's
//! (0.12) generated parser builds, at a small fraction of its cost; the tests
//! hold the two to the same trees. Same grammar and precedence, same literal values,
//! same macro expansions; where that parser departs from CEL's specification
//! (runs of `!` or `-`, escaped quotes, quoted field names, signed hexadecimal),
//! this one follows the specification, and the crate's other quirks are kept or
//! refused where noted. It reads the optional syntax (`a.?b`, `a[?b]`, `[?a]`,
//! `{?k: v}`), which cel 0.12 refuses by default, as cel-go builds it.
//!
//! Chains of prefix and infix operators are read in loops; only brackets and
//! conditionals recurse, and no deeper than [`MAX_DEPTH`].

mod lex;
mod literal;
mod macros;

use super::ast::Literal;
use super::ast::{
    CallExpr, EntryExpr, Expr, IdedEntryExpr, IdedExpr, ListExpr, MapEntryExpr, MapExpr,
    SelectExpr, StructExpr, StructFieldExpr, operators,
};
use lex::{Kind, Lexer, Token};
use macros::Comprehension;
use std::cell::Cell;
use std::fmt;

/// How deeply brackets and conditionals may nest, whoever calls the parser.
const MAX_DEPTH: usize = 100;

/// The prefixes of CEL's extension functions: `math.abs(x)` calls the function
/// `math.abs`, it is no method of a variable `math`.
const NAMESPACES: &[&str] = &["math", "strings", "optional", "cel"];

/// Why text is not an expression: where (1-based line, and column in characters),
/// and what was expected there.
#[derive(Debug)]
pub struct ParseError {
    line: usize,
    column: usize,
    message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

pub fn parse(text: &str) -> Result<IdedExpr, ParseError> {
    Parser::read(text).map_err(|syntax| {
        let (line, column) = position(text, syntax.at);
        ParseError {
            line,
            column,
            message: syntax.message,
        }
    })
}

/// A problem at a byte offset of the text.
struct Syntax {
    at: usize,
    message: String,
}

/// The 1-based line and column (in characters) of a byte offset.
fn position(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let line = 1 + before.matches('\n').count();
    let column = 1 + before.get(line_start..).unwrap_or_default().chars().count();
    (line, column)
}

/// Numbers the nodes of a tree in the order they are made (shared, so that a
/// node's parts can be made while making it).
#[derive(Default)]
struct Ids(Cell<u64>);

impl Ids {
    fn next(&self) -> u64 {
        self.0.set(self.0.get() + 1);
        self.0.get()
    }

    fn node(&self, expr: Expr) -> IdedExpr {
        IdedExpr {
            id: self.next(),
            expr,
        }
    }
}

/// The function a binary operator calls, by precedence level (tightest last).
fn relation_operator(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::Less => operators::LESS,
        Kind::LessEqual => operators::LESS_EQUALS,
        Kind::Greater => operators::GREATER,
        Kind::GreaterEqual => operators::GREATER_EQUALS,
        Kind::Equal => operators::EQUALS,
        Kind::NotEqual => operators::NOT_EQUALS,
        Kind::In => operators::IN,
        _ => return None,
    })
}

fn sum_operator(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Plus => Some(operators::ADD),
        Kind::Minus => Some(operators::SUBTRACT),
        _ => None,
    }
}

fn product_operator(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Star => Some(operators::MULTIPLY),
        Kind::Slash => Some(operators::DIVIDE),
        Kind::Percent => Some(operators::MODULO),
        _ => None,
    }
}

type Parsed<T = IdedExpr> = Result<T, Syntax>;

struct Parser<'a> {
    text: &'a str,
    lexer: Lexer<'a>,
    /// The next token, not yet consumed.
    token: Token,
    /// The token consumed last, if any.
    previous: Option<Token>,
    ids: Ids,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn read(text: &'a str) -> Parsed {
        let mut lexer = Lexer::new(text);
        let token = lexer.next()?;
        let mut parser = Self {
            text,
            lexer,
            token,
            previous: None,
            ids: Ids::default(),
            depth: 0,
        };
        if parser.at(Kind::End) {
            return parser.error(0, "the expression is empty".to_owned());
        }
        let tree = parser.expr()?;
        if !parser.at(Kind::End) {
            return parser.unexpected("an operator or the end of the expression");
        }
        Ok(tree)
    }

    // Tokens.

    fn at(&self, kind: Kind) -> bool {
        self.token.kind == kind
    }

    fn advance(&mut self) -> Parsed<Token> {
        let next = self.lexer.next()?;
        let consumed = std::mem::replace(&mut self.token, next);
        self.previous = Some(consumed);
        Ok(consumed)
    }

    fn eat(&mut self, kind: Kind) -> Parsed<bool> {
        let found = self.at(kind);
        if found {
            self.advance()?;
        }
        Ok(found)
    }

    /// The token after the next one, if it can be read.
    fn second(&self) -> Option<Kind> {
        self.lexer.clone().next().ok().map(|token| token.kind)
    }

    fn text_of(&self, token: Token) -> &'a str {
        self.text.get(token.start..token.end).unwrap_or_default()
    }

    // Errors.

    fn error<T>(&self, at: usize, message: String) -> Parsed<T> {
        Err(Syntax { at, message })
    }

    fn unexpected<T>(&self, expected: &str) -> Parsed<T> {
        let found = self.describe(self.token);
        self.error(
            self.token.start,
            format!("expected {expected}, found {found}"),
        )
    }

    fn describe(&self, token: Token) -> String {
        if token.kind == Kind::End {
            return "the end of the expression".to_owned();
        }
        let text = self.text_of(token);
        match text.char_indices().nth(24) {
            Some((cut, _)) => format!("`{}…`", text.get(..cut).unwrap_or_default()),
            None => format!("`{text}`"),
        }
    }

    fn place(&self, token: Token) -> String {
        let (line, column) = position(self.text, token.start);
        format!("{line}:{column}")
    }

    fn expect(&mut self, kind: Kind, expected: &str) -> Parsed<()> {
        if self.eat(kind)? {
            return Ok(());
        }
        self.unexpected(expected)
    }

    /// Consume `kind`, which ends what `opening` began: a bracket, or a conditional's `?`.
    fn close(&mut self, kind: Kind, opening: Token) -> Parsed<()> {
        if self.eat(kind)? {
            return Ok(());
        }
        let (closing, verb) = match kind {
            Kind::Colon => (":", "to complete"),
            Kind::RParen => (")", "to close"),
            Kind::RBracket => ("]", "to close"),
            _ => ("}", "to close"),
        };
        let expected = format!(
            "`{closing}` {verb} the `{}` at {}",
            self.text_of(opening),
            self.place(opening)
        );
        self.unexpected(&expected)
    }

    // Nodes.

    fn node(&self, expr: Expr) -> IdedExpr {
        self.ids.node(expr)
    }

    fn call(&self, function: &str, args: Vec<IdedExpr>) -> IdedExpr {
        self.node(Expr::Call(CallExpr::new(function, None, args)))
    }

    // The grammar, loosest first.

    /// `a ? b : c`; the branch taken when true cannot itself be a conditional
    /// without brackets, as in CEL's grammar.
    fn expr(&mut self) -> Parsed {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.error(
                self.token.start,
                format!("the expression nests more than {MAX_DEPTH} levels deep"),
            );
        }
        let condition = self.or()?;
        let tree = if self.at(Kind::Question) {
            let question = self.advance()?;
            let when_true = self.or()?;
            self.close(Kind::Colon, question)?;
            let when_false = self.expr()?;
            self.call(
                operators::CONDITIONAL,
                vec![condition, when_true, when_false],
            )
        } else {
            condition
        };
        self.depth -= 1;
        Ok(tree)
    }

    fn or(&mut self) -> Parsed {
        self.logical(Self::and, Kind::Or, operators::LOGICAL_OR)
    }

    fn and(&mut self) -> Parsed {
        self.logical(Self::relation, Kind::And, operators::LOGICAL_AND)
    }

    /// A chain of `&&` (or of `||`), joined as a balanced tree as cel 0.12 joins it.
    fn logical(&mut self, operand: fn(&mut Self) -> Parsed, kind: Kind, function: &str) -> Parsed {
        let first = operand(self)?;
        if !self.at(kind) {
            return Ok(first);
        }
        let mut terms = vec![first];
        while self.eat(kind)? {
            terms.push(operand(self)?);
        }
        Ok(self.balance(function, &mut terms))
    }

    /// `terms` joined by `function`: the first half on the left (the larger half,
    /// when odd), the rest on the right, each half joined the same way.
    fn balance(&self, function: &str, terms: &mut [IdedExpr]) -> IdedExpr {
        if terms.len() <= 1 {
            return terms.first_mut().map(std::mem::take).unwrap_or_default();
        }
        let (left, right) = terms.split_at_mut(terms.len().div_ceil(2));
        let left = self.balance(function, left);
        let right = self.balance(function, right);
        self.call(function, vec![left, right])
    }

    fn relation(&mut self) -> Parsed {
        self.left_chain(Self::sum, relation_operator)
    }

    fn sum(&mut self) -> Parsed {
        self.left_chain(Self::product, sum_operator)
    }

    fn product(&mut self) -> Parsed {
        self.left_chain(Self::unary, product_operator)
    }

    /// Operands joined left to right by the operators of one precedence level.
    fn left_chain(
        &mut self,
        operand: fn(&mut Self) -> Parsed,
        operator: fn(Kind) -> Option<&'static str>,
    ) -> Parsed {
        let mut tree = operand(self)?;
        while let Some(function) = operator(self.token.kind) {
            self.advance()?;
            let right = operand(self)?;
            tree = self.call(function, vec![tree, right]);
        }
        Ok(tree)
    }

    fn unary(&mut self) -> Parsed {
        match self.token.kind {
            Kind::Not => self.prefixed(Kind::Not, operators::LOGICAL_NOT),
            Kind::Minus if !self.negative_number_follows() => {
                self.prefixed(Kind::Minus, operators::NEGATE)
            }
            _ => self.member(),
        }
    }

    /// A `-` that is the sign of the number after it: a lone `-`, directly
    /// before a number, where an operand begins (`-1`, `1 - -1`, `!-1`).
    fn negative_number_follows(&self) -> bool {
        self.at(Kind::Minus) && matches!(self.second(), Some(Kind::Int | Kind::Float))
    }

    /// A run of `!` (or of `-`) before a member. The operators cancel in pairs, as
    /// the CEL specification has it: `!!a` is `a`, `!!!a` is `!a`. (cel 0.12's own
    /// parser applied a run once, so `!!a` meant `!a`.) A `-` directly before a
    /// number is that number's sign, not part of the run.
    fn prefixed(&mut self, operator: Kind, function: &str) -> Parsed {
        let mut count = 0usize;
        while !(operator == Kind::Minus && self.negative_number_follows()) && self.eat(operator)? {
            count += 1;
        }
        if matches!(self.token.kind, Kind::Not | Kind::Minus) && !self.negative_number_follows() {
            return self.error(
                self.token.start,
                "`!` and `-` cannot follow one another; put the inner one in brackets, as in `!(-a)`"
                    .to_owned(),
            );
        }
        let operand = self.member()?;
        Ok(if count.is_multiple_of(2) {
            operand
        } else {
            self.call(function, vec![operand])
        })
    }

    /// A primary followed by any `.field`, `.method(…)` and `[index]`.
    fn member(&mut self) -> Parsed {
        let mut tree = self.primary()?;
        loop {
            tree = match self.token.kind {
                Kind::Dot => {
                    self.advance()?;
                    if self.eat(Kind::Question)? {
                        self.optional_field(tree)?
                    } else {
                        self.field_or_method(tree)?
                    }
                }
                Kind::LBracket => {
                    let open = self.advance()?;
                    let optional = self.eat(Kind::Question)?;
                    let index = self.expr()?;
                    self.close(Kind::RBracket, open)?;
                    let function = match optional {
                        true => operators::OPTIONAL_INDEX,
                        false => operators::INDEX,
                    };
                    self.call(function, vec![tree, index])
                }
                _ => return Ok(tree),
            };
        }
    }

    /// `operand.?name`, after the `?`: the field as an optional value.
    fn optional_field(&mut self, operand: IdedExpr) -> Parsed {
        let name = self.token;
        if !matches!(name.kind, Kind::Ident | Kind::EscapedIdent) {
            return self.unexpected("a field name after `.?`");
        }
        self.advance()?;
        let field = self.text_of(name).trim_matches('`').to_owned();
        let field = self.node(Expr::Literal(Literal::String(field)));
        Ok(self.call(operators::OPTIONAL_SELECT, vec![operand, field]))
    }

    fn field_or_method(&mut self, operand: IdedExpr) -> Parsed {
        let name = self.token;
        if !matches!(name.kind, Kind::Ident | Kind::EscapedIdent) {
            return self.unexpected("a field name after `.`");
        }
        self.advance()?;
        let name_text = self.text_of(name);
        if name.kind == Kind::Ident && self.at(Kind::LParen) {
            let arguments = self.arguments()?;
            return self.method(operand, name_text, arguments);
        }
        // An escaped name is the text between its backticks, as CEL's
        // specification has it (cel 0.12 kept the backticks).
        let field = name_text.trim_matches('`');
        Ok(self.node(Expr::Select(SelectExpr {
            operand: Box::new(operand),
            field: field.to_owned(),
            test: false,
        })))
    }

    fn method(&mut self, target: IdedExpr, name: &str, arguments: Arguments) -> Parsed {
        if let Expr::Ident(namespace) = &target.expr
            && NAMESPACES.contains(&namespace.as_str())
        {
            let qualified = format!("{namespace}.{name}");
            return self.global(&qualified, arguments);
        }
        if matches!(name, "optMap" | "optFlatMap") {
            return macros::opt_map(&self.ids, name == "optFlatMap", target, arguments.values)
                .or_else(|message| self.error(arguments.first_at, message));
        }
        match Comprehension::named(name, arguments.values.len()) {
            Some(kind) => macros::comprehension(&self.ids, kind, name, target, arguments.values)
                .or_else(|message| self.error(arguments.first_at, message)),
            None => Ok(self.node(Expr::Call(CallExpr::new(
                name,
                Some(Box::new(target)),
                arguments.values,
            )))),
        }
    }

    /// `(a, b)`: no trailing comma here, unlike in literals.
    fn arguments(&mut self) -> Parsed<Arguments> {
        let open = self.advance()?;
        let first_at = self.token.start;
        let mut values = Vec::new();
        if !self.at(Kind::RParen) {
            loop {
                values.push(self.expr()?);
                if !self.eat(Kind::Comma)? {
                    break;
                }
            }
        }
        self.close(Kind::RParen, open)?;
        Ok(Arguments { values, first_at })
    }

    fn primary(&mut self) -> Parsed {
        match self.token.kind {
            Kind::Dot => {
                self.advance()?;
                if !self.at(Kind::Ident) {
                    return self.unexpected("a name after the leading `.`");
                }
                self.qualified(true)
            }
            Kind::Ident => self.qualified(false),
            Kind::LParen => {
                let open = self.advance()?;
                let inner = self.expr()?;
                self.close(Kind::RParen, open)?;
                Ok(inner)
            }
            Kind::LBracket => {
                let items = self.sequence(Kind::RBracket, |parser, _| parser.expr())?;
                let optional_indices = (0..items.len()).filter(|&at| items[at].0).collect();
                let elements = items.into_iter().map(|(_, item)| item).collect();
                Ok(self.node(Expr::List(ListExpr {
                    elements,
                    optional_indices,
                })))
            }
            Kind::LBrace => {
                let entries = self.sequence(Kind::RBrace, Self::map_entry)?;
                let entries = entries.into_iter().map(|(_, entry)| entry).collect();
                Ok(self.node(Expr::Map(MapExpr { entries })))
            }
            Kind::Minus if self.negative_number_follows() => {
                self.advance()?;
                self.literal(true)
            }
            Kind::Int
            | Kind::Uint
            | Kind::Float
            | Kind::String
            | Kind::Bytes
            | Kind::True
            | Kind::False
            | Kind::Null => self.literal(false),
            _ => match self.previous {
                Some(previous) => {
                    self.unexpected(&format!("an expression after `{}`", self.text_of(previous)))
                }
                None => self.unexpected("an expression"),
            },
        }
    }

    /// A name: a variable, a global call `f(…)` or the type of a message literal
    /// `a.b.C{…}`. cel 0.12 keeps a leading `.` on calls and types but drops it
    /// from a variable.
    fn qualified(&mut self, leading_dot: bool) -> Parsed {
        let name = self.advance()?;
        if self.at(Kind::LParen) {
            let arguments = self.arguments()?;
            let dot = if leading_dot { "." } else { "" };
            return self.global(&format!("{dot}{}", self.text_of(name)), arguments);
        }
        if self.message_follows() {
            return self.message(leading_dot, name);
        }
        Ok(self.node(Expr::Ident(self.text_of(name).to_owned())))
    }

    fn global(&mut self, name: &str, arguments: Arguments) -> Parsed {
        let mut values = arguments.values;
        if name == "cel.bind" {
            return macros::bind(&self.ids, values)
                .or_else(|message| self.error(arguments.first_at, message));
        }
        if name == operators::HAS && values.len() == 1 {
            let argument = values.pop().unwrap_or_default();
            return macros::has(&self.ids, argument)
                .or_else(|message| self.error(arguments.first_at, message));
        }
        Ok(self.node(Expr::Call(CallExpr::new(name, None, values))))
    }

    /// Whether the next tokens are `.name`s up to a `{`: the rest of a message type.
    fn message_follows(&self) -> bool {
        let mut lexer = self.lexer.clone();
        let mut token = self.token;
        loop {
            match token.kind {
                Kind::LBrace => return true,
                Kind::Dot if lexer.next().is_ok_and(|name| name.kind == Kind::Ident) => {}
                _ => return false,
            }
            match lexer.next() {
                Ok(next) => token = next,
                Err(_) => return false,
            }
        }
    }

    /// `a.b.C{field: value, …}`, from its first name (already consumed).
    fn message(&mut self, leading_dot: bool, first: Token) -> Parsed {
        let mut type_name = if leading_dot {
            ".".to_owned()
        } else {
            String::new()
        };
        type_name.push_str(self.text_of(first));
        while self.eat(Kind::Dot)? {
            let part = self.advance()?;
            type_name.push('.');
            type_name.push_str(self.text_of(part));
        }
        let entries = self.sequence(Kind::RBrace, Self::field_initializer)?;
        let entries = entries.into_iter().map(|(_, entry)| entry).collect();
        Ok(self.node(Expr::Struct(StructExpr { type_name, entries })))
    }

    /// The items of a list, map or message literal, from its opening bracket to
    /// `close`, each with whether it is optional (written after a `?`). One
    /// trailing comma is allowed, even alone (`[,]`).
    fn sequence<T>(
        &mut self,
        close: Kind,
        item: fn(&mut Self, bool) -> Parsed<T>,
    ) -> Parsed<Vec<(bool, T)>> {
        let open = self.advance()?;
        let mut items = Vec::new();
        if !self.eat(Kind::Comma)? {
            while !self.at(close) {
                let optional = self.eat(Kind::Question)?;
                items.push((optional, item(self, optional)?));
                if !self.eat(Kind::Comma)? {
                    break;
                }
            }
        }
        self.close(close, open)?;
        Ok(items)
    }

    fn map_entry(&mut self, optional: bool) -> Parsed<IdedEntryExpr> {
        let key = self.expr()?;
        self.expect(Kind::Colon, "`:` after the map key")?;
        let value = self.expr()?;
        Ok(IdedEntryExpr {
            id: self.ids.next(),
            expr: EntryExpr::MapEntry(MapEntryExpr {
                key,
                value,
                optional,
            }),
        })
    }

    /// A message field; messages are refused when compiled, optional or not.
    fn field_initializer(&mut self, _optional: bool) -> Parsed<IdedEntryExpr> {
        let name = self.token;
        if !matches!(name.kind, Kind::Ident | Kind::EscapedIdent) {
            return self.unexpected("a field name");
        }
        self.advance()?;
        self.expect(Kind::Colon, "`:` after the field name")?;
        let value = self.expr()?;
        Ok(IdedEntryExpr {
            id: self.ids.next(),
            expr: EntryExpr::StructField(StructFieldExpr {
                field: self.text_of(name).to_owned(),
                value,
            }),
        })
    }

    /// A literal token, `negative` when its sign was consumed before it.
    fn literal(&mut self, negative: bool) -> Parsed {
        let token = self.advance()?;
        let text = self.text_of(token);
        let value = match token.kind {
            Kind::Int => literal::int(text, negative).map(Literal::Int),
            Kind::Uint => literal::uint(text).map(Literal::UInt),
            Kind::Float => literal::double(text, negative).map(Literal::Double),
            Kind::String => literal::string(text).map(Literal::String),
            Kind::Bytes => literal::bytes(text).map(Literal::Bytes),
            Kind::True => Ok(Literal::Boolean(true)),
            Kind::False => Ok(Literal::Boolean(false)),
            // `null`: `primary` reads only literal tokens here.
            _ => Ok(Literal::Null),
        };
        match value {
            Ok(value) => Ok(self.node(Expr::Literal(value))),
            Err((offset, message)) => self.error(token.start + offset, message),
        }
    }
}

/// A call's arguments, and where the first begins (where a macro's complaint points).
struct Arguments {
    values: Vec<IdedExpr>,
    first_at: usize,
}

#[cfg(test)]
mod tests;
