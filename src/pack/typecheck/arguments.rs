//! The arguments a library function never takes: a record or a name where a
//! date is wanted, a record where a list is.

use super::{Mistake, Ty, Typing};
use crate::expr::ast::{Expr, IdedExpr};

/// What a library function takes, where an argument's type is fixed.
#[derive(Clone, Copy)]
enum Param {
    /// A date: a year, a month or a day, or null for an open end.
    Date,
    Int,
    List,
    Text,
    /// Anything the function judges when the rule runs.
    Any,
}

/// The functions whose arguments are checked, and what each argument is.
const SIGNATURES: &[(&[&str], &[Param])] = {
    use Param::{Any, Date, Int, List, Text};
    &[
        (
            &[
                "before",
                "after",
                "same_date",
                "on_or_after",
                "on_or_before",
                "maybe_before",
                "maybe_after",
                "date_cmp",
                "months_between",
                "span",
                "years",
            ],
            &[Date, Date],
        ),
        (&["first_day", "year", "precision"], &[Date]),
        (&["add_years", "add_months"], &[Date, Int]),
        (&["may_contain", "must_contain"], &[Date, Date, Date]),
        (&["overlaps"], &[Date, Date, Date, Date]),
        (&["index_by", "sort_by", "group_by"], &[List, Text]),
        (&["by_year"], &[List, Text, Text, Any]),
        (
            &[
                "pairs",
                "count_by",
                "first",
                "last",
                "duplicates",
                "flatten",
                "indexed",
            ],
            &[List],
        ),
        (&["startsWith", "endsWith"], &[Text, Text]),
    ]
};

/// The mistakes of a call of `name`: arguments (`parts`, of types `args`)
/// of a type the function never takes, where the schema fixes it.
pub(super) fn misfits<'s>(
    typing: &Typing<'s>,
    name: &str,
    parts: &[&IdedExpr],
    args: &[Ty<'s>],
) -> Vec<Mistake> {
    let Some((_, params)) = SIGNATURES
        .iter()
        .find(|(names, params)| names.contains(&name) && params.len() == args.len())
    else {
        return Vec::new();
    };
    let mut mistakes = Vec::new();
    for (position, ((param, ty), part)) in params.iter().zip(args).zip(parts).enumerate() {
        // A string the schema gives a field is no date; one the rule writes may be.
        let a_field = matches!(&part.expr, Expr::Select(_));
        let fits = match (param, ty) {
            (_, Ty::Dyn | Ty::Never) | (Param::Any, _) => true,
            (Param::Date, Ty::Str) => !a_field,
            (Param::Date, found) => matches!(found, Ty::Date | Ty::Int | Ty::Null),
            (Param::Int, found) => matches!(found, Ty::Int),
            (Param::List, found) => matches!(found, Ty::List(_)),
            (Param::Text, found) => matches!(found, Ty::Str),
        };
        if !fits {
            mistakes.push(misfit(typing, name, position, *param, ty, part));
        }
    }
    mistakes
}

fn misfit<'s>(
    typing: &Typing<'s>,
    name: &str,
    position: usize,
    param: Param,
    ty: &Ty<'s>,
    part: &IdedExpr,
) -> Mistake {
    let wanted = match param {
        Param::Date => "a date",
        Param::Int => "an integer",
        Param::List => "a list",
        Param::Text => "a string",
        Param::Any => "a value",
    };
    let named = match &part.expr {
        Expr::Select(select) => format!(" (`.{}`)", select.field),
        Expr::Ident(ident) => format!(" (`{ident}`)"),
        _ => String::new(),
    };
    let help = match (param, ty) {
        (Param::Date, Ty::Node(node)) => {
            let dates: Vec<&str> = typing
                .properties(node)
                .into_iter()
                .filter(|(_, schema)| typing.resolve(schema) == Ty::Date)
                .map(|(field, _)| field)
                .collect();
            (!dates.is_empty())
                .then(|| format!("did you mean one of its dates: `{}`?", dates.join("`, `")))
        }
        (Param::Date, _) => Some(
            "a date is a year, a month or a day (`2015`, `2015-06`, `2015-06-01`), \
             or a field the records' schema gives as a date"
                .to_owned(),
        ),
        (Param::List, Ty::Node(_) | Ty::Record(_)) => {
            Some("a single record is no list: pass the list it belongs to".to_owned())
        }
        _ => None,
    };
    Mistake {
        near: vec![name.to_owned()],
        message: format!(
            "`{name}` takes {wanted} as its {} argument, not {}{named}",
            ordinal(position),
            ty.described()
        ),
        help,
    }
}

/// How a message names an argument's place: `first`, `second`, ….
fn ordinal(position: usize) -> &'static str {
    ["first", "second", "third", "fourth"]
        .get(position)
        .copied()
        .unwrap_or("next")
}
