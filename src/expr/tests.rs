#![allow(clippy::unwrap_used)]

use super::*;
use crate::base::source::SourceFile;

/// `source` evaluated with `doc` bound to `doc` (if given), then `read`.
fn evaluated<T>(
    source: &str,
    doc: Option<&Node>,
    read: impl FnOnce(&Val) -> T,
) -> Result<T, String> {
    let expression = Expression::compile(source)?;
    let mut scope = Scope::root();
    if let Some(doc) = doc {
        scope.bind("doc", Val::document(doc));
    }
    scope.eval(&expression).map(|value| read(&value))
}

fn eval(source: &str) -> String {
    evaluated(source, None, |value| value.display())
        .unwrap_or_else(|error| format!("error: {error}"))
}

/// `source` evaluated with `doc` bound, as it reads in a message.
fn on(doc: &Node, source: &str) -> String {
    evaluated(source, Some(doc), |value| value.display()).unwrap()
}

fn pointer_on(doc: &Node, source: &str) -> Option<String> {
    evaluated(source, Some(doc), |value| value.pointer()).unwrap()
}

fn document(text: &str) -> Node {
    let source = SourceFile::new("t.yaml", text);
    crate::load::parse(&source, &crate::load::Limits::default()).unwrap()
}

#[test]
fn dates_compare_at_the_coarser_precision() {
    assert_eq!(eval("before('2015', '2016-01')"), "true");
    assert_eq!(eval("before('2015', '2015-09')"), "false");
    assert_eq!(eval("after('2015', '2015-09')"), "false");
    assert_eq!(eval("same_date(2017, '2017-09')"), "true");
    assert_eq!(eval("date_cmp('2015-09', '2015-10')"), "-1");
    assert_eq!(eval("before(null, '2015')"), "false");
    assert_eq!(eval("add_years('2016-02-29', 1)"), "2017-02-28/2017-03-01");
    assert_eq!(
        eval("same_date(add_years('2016-02-29', 2), '2018-03-01')"),
        "true"
    );
    assert_eq!(eval("before(add_months(2024, 6), '2024-07-01')"), "false");
    assert_eq!(eval("before(add_months(2024, 6), '2024-06')"), "false");
    assert_eq!(eval("after(add_months(2024, 6), '2024-06')"), "true");
    assert_eq!(eval("year(add_months(2024, 6))"), "nothing");
    assert_eq!(eval("on_or_after('2018-01-01', 2018)"), "false");
    assert_eq!(eval("on_or_after(2018, first_day(2018))"), "true");
    assert_eq!(eval("on_or_after(2019, '2018-12')"), "true");
    assert_eq!(eval("on_or_before('2018-06', 2018)"), "false");
    assert_eq!(eval("maybe_before(2018, '2018-06')"), "true");
    assert_eq!(eval("maybe_after(2018, '2018-06')"), "true");
    assert_eq!(eval("maybe_after('2018-05', '2018-06')"), "false");
    assert_eq!(eval("on_or_after(null, 2018)"), "false");
    assert_eq!(eval("add_years(2015, 2)"), "2017");
    assert_eq!(eval("span('2015-09', '2017-10')"), "2 years and 1 month");
    assert_eq!(eval("year('2015-09-28')"), "2015");
    assert!(eval("before('2015-13', '2016')").contains("false"));
    assert!(eval("year('soon')").starts_with("error:"));
}

#[test]
fn intervals_are_half_open_and_decide_only_what_the_dates_decide() {
    assert_eq!(eval("may_contain(2015, 2017, '2016-06')"), "true");
    assert_eq!(eval("must_contain(2015, 2017, '2016-06')"), "true");
    assert_eq!(eval("may_contain(2015, 2017, 2017)"), "true");
    assert_eq!(eval("must_contain(2015, 2017, 2017)"), "false");
    assert_eq!(eval("may_contain(2015, 2017, '2018')"), "false");
    assert_eq!(eval("may_contain(2015, null, '2030')"), "true");
    assert_eq!(eval("overlaps(2015, 2018, 2017, 2019)"), "true");
    assert_eq!(eval("overlaps(2015, 2017, 2017, 2019)"), "false");
}

#[test]
fn collections_index_sort_pair_and_count() {
    let doc = document(
        "items:\n  - {id: b, at: 2017}\n  - {id: a, at: '2015-09'}\n  - {id: c, at: 2016}\n",
    );
    let with_doc = |source: &str| on(&doc, source);
    assert_eq!(with_doc("index_by(doc.items, 'id')['a'].at"), "2015-09");
    assert_eq!(with_doc("sort_by(doc.items, 'at').map(i, i.id)"), "a, c, b");
    assert_eq!(
        with_doc("pairs(sort_by(doc.items, 'at')).map(p, p.prev.id + p.next.id)"),
        "ac, cb"
    );
    assert_eq!(
        with_doc("get(count_by(doc.items.map(i, year(i.at))), 2016, 0)"),
        "1"
    );
    assert_eq!(
        with_doc("get(count_by(doc.items.map(i, year(i.at))), 2014, 0)"),
        "0"
    );
    assert_eq!(with_doc("size(group_by(doc.items, 'id'))"), "3");
    assert_eq!(eval("duplicates(['a', 'b', 'a', 'c', 'b', 'a'])"), "a, b");
    assert_eq!(eval("years(2015, 2018)"), "2015, 2016, 2017, 2018");
    assert_eq!(eval("flatten([[1, 2], [], [3]])"), "1, 2, 3");
    let terms = "[{'h': 'a', 's': 2015, 'e': 2017}, {'h': 'b', 's': '2017-09', 'e': null}]";
    assert_eq!(
        eval(&format!(
            "get(by_year({terms}, 's', 'e', 2019), 2016, []).map(t, t.h)"
        )),
        "a"
    );
    assert_eq!(
        eval(&format!(
            "get(by_year({terms}, 's', 'e', 2019), 2017, []).map(t, t.h)"
        )),
        "a, b"
    );
    assert_eq!(
        eval(&format!(
            "get(by_year({terms}, 's', 'e', 2019), 2019, []).map(t, t.h)"
        )),
        "b"
    );
    assert_eq!(
        eval(&format!(
            "size(get(by_year({terms}, 's', 'e', 2019), 2020, []))"
        )),
        "0"
    );
    assert_eq!(
        eval("indexed(['a', 'b']).map(e, string(e.index) + e.value)"),
        "0a, 1b"
    );
    assert_eq!(
        eval("[2015, '2015-09', '2015-09-28'].map(d, precision(d))"),
        "year, month, day"
    );
    assert!(eval("years(1, 999999)").contains("longer than"));
}

#[test]
fn every_mapping_knows_its_pointer() {
    let doc = document("a:\n  - {x: 1}\n  - {'y/z': 2}\n");
    let with_doc = |source: &str| pointer_on(&doc, source);
    assert_eq!(with_doc("doc.a[1]").as_deref(), Some("/a/1"));
    assert_eq!(
        with_doc("pointer(doc.a[0], 'x')").as_deref(),
        Some("/a/0/x")
    );
    assert_eq!(with_doc("doc").as_deref(), Some(""));
    assert_eq!(
        with_doc("pointer(doc, 'a', 1, 'y/z')").as_deref(),
        Some("/a/1/y~1z")
    );
}

#[test]
fn compile_rejects_unknown_functions_with_a_suggestion() {
    let error = Expression::compile("sortby(doc.items, 'at')").unwrap_err();
    assert!(error.contains("unknown function `sortby`"), "{error}");
    assert!(error.contains("sort_by"), "{error}");
    let first = Expression::compile("size(frist(a)) + lats(a)").unwrap_err();
    assert!(first.contains("unknown function `frist`"), "{first}");
    assert!(
        Expression::compile("1 +")
            .unwrap_err()
            .starts_with("invalid expression")
    );
}

#[test]
fn compile_refuses_message_literals_after_unknown_functions() {
    let error = Expression::compile("[a.B{x: 1}]").unwrap_err();
    assert_eq!(
        error,
        "message literals such as `a.B {…}` are not supported; use a map literal"
    );
    let inside = Expression::compile("a.B{x: sortby(y)}").unwrap_err();
    assert!(inside.contains("unknown function `sortby`"), "{inside}");
}

#[test]
fn free_variables_exclude_comprehension_variables() {
    let expression = Expression::compile("doc.items.filter(i, i.x > limit).all(j, j.y)").unwrap();
    let free: Vec<&str> = expression.free_variables().collect();
    assert_eq!(free, ["doc", "limit"]);
    let repeated = Expression::compile("b.x + a + b.y + [1].map(a, a)[0]").unwrap();
    let free: Vec<&str> = repeated.free_variables().collect();
    assert_eq!(free, ["a", "b"]);
}

#[test]
fn overly_long_or_deep_expressions_are_refused_before_parsing() {
    let chain = format!("1{}", "+1".repeat(5000));
    let error = Expression::compile(&chain).unwrap_err();
    assert!(error.contains("5000 operators"), "{error}");
    let long = format!("'{}'", "x".repeat(20_000));
    assert!(
        Expression::compile(&long)
            .unwrap_err()
            .contains("longer than")
    );
    let nested = format!("{}1{}", "(".repeat(90), ")".repeat(90));
    assert!(
        Expression::compile(&nested)
            .unwrap_err()
            .contains("90 deep")
    );
    // Operators inside strings are text, not operators.
    let quoted = Expression::compile(&format!("'{}' != ''", "+".repeat(2000)));
    assert!(quoted.is_ok(), "{quoted:?}");
}

#[test]
fn long_lists_convert_in_order_with_their_pointers() {
    let items: String = (0..1500)
        .map(|n| format!("  - {{k: {n}, tags: [t{n}]}}\n"))
        .collect();
    let doc = document(&format!("items:\n{items}"));
    let read = |source: &str| on(&doc, source);
    assert_eq!(read("size(doc.items)"), "1500");
    assert_eq!(read("doc.items.all(i, doc.items[i.k].k == i.k)"), "true");
    assert_eq!(read("doc.items[1234].tags[0]"), "t1234");
    assert_eq!(
        pointer_on(&doc, "doc.items[1234]").as_deref(),
        Some("/items/1234")
    );
}

/// A value of cel 0.12's interpreter as govlint's values read in a message.
fn cel_display(value: &cel::Value) -> String {
    match value {
        cel::Value::String(text) => text.to_string(),
        cel::Value::Int(number) => number.to_string(),
        cel::Value::UInt(number) => number.to_string(),
        cel::Value::Float(number) => number.to_string(),
        cel::Value::Bool(flag) => flag.to_string(),
        cel::Value::Null => "nothing".to_owned(),
        cel::Value::List(items) => items.iter().map(cel_display).collect::<Vec<_>>().join(", "),
        cel::Value::Map(_) => "a record".to_owned(),
        other => format!("{other:?}"),
    }
}

/// What cel 0.12's own interpreter makes of `text`: its value, or `error`.
fn cels_value(text: &str) -> String {
    let mut context = cel::Context::default();
    context.add_function("max", cel::functions::max);
    cel::Program::compile(text)
        .map_err(|error| error.to_string())
        .and_then(|program| program.execute(&context).map_err(|error| error.to_string()))
        .map_or_else(|_| "error".to_owned(), |value| cel_display(&value))
}

fn ours_value(text: &str) -> String {
    evaluated(text, None, |value| value.display()).unwrap_or_else(|_| "error".to_owned())
}

#[test]
fn operators_and_macros_agree_with_cels_interpreter() {
    let texts = [
        "1 + 2",
        "7 / 2",
        "7 % 3",
        "-7 / 2",
        "-7 % 3",
        "2.5 * 2.0",
        "1.0 / 4.0",
        "5u + 3u",
        "9223372036854775807 + 1",
        "1 / 0",
        "1 % 0",
        "1 < 2",
        "1 < 2.5",
        "2u > 1",
        "'a' < 'b'",
        "true > false",
        "1 == 1.0",
        "1 == 1u",
        "'1' == 1",
        "null == null",
        "null == 0",
        "[1, 2] == [1, 2]",
        "[1, 2] == [2, 1]",
        "{'a': 1} == {'a': 1}",
        "{'a': 1} == {'a': 2}",
        "1 < 'a'",
        "[1] < [2]",
        "'ab' + 'cd'",
        "size('hello')",
        "'hello'.contains('ell')",
        "'hello'.startsWith('he')",
        "'hello'.endsWith('lo')",
        "'hello'.endsWith('x')",
        "size([1, 2, 3])",
        "size({'a': 1})",
        "[1, 2] + [3]",
        "2 in [1, 2]",
        "3 in [1, 2]",
        "'a' in {'a': 1}",
        "'b' in {'a': 1}",
        "[1, 2, 3][1]",
        "[1][5]",
        "{'a': 1}['a']",
        "{'a': 1}['b']",
        "{'a': 1}.a",
        "{'a': 1}.b",
        "has({'a': 1}.a)",
        "has({'a': 1}.b)",
        "{1: 'x'}[1]",
        "[[1, 2], [3]][1][0]",
        "[1, 2, 3].all(x, x > 0)",
        "[1, 2, 3].all(x, x > 1)",
        "[1, 2, 3].exists(x, x > 2)",
        "[1, 2, 3].exists(x, x > 3)",
        "[1, 2, 3].exists_one(x, x > 1)",
        "[1, 2, 3].exists_one(x, x > 2)",
        "[1, 2, 3].map(x, x * 2)",
        "[1, 2, 3].filter(x, x % 2 == 1)",
        "[1, 2, 3].map(x, x > 1, x * 10)",
        "{'a': 1, 'b': 2}.all(k, k != 'c')",
        "{'a': 1}.map(k, k + '!')",
        "[].all(x, false)",
        "[].exists(x, true)",
        "[1, 2].map(x, [x, x]).map(l, size(l))",
        "true && false",
        "false || true",
        "!true",
        "1 < 2 ? 'y' : 'n'",
        "1 > 2 ? 'y' : 'n'",
        "false && (1 / 0 == 1)",
        "true || (1 / 0 == 1)",
        "string(12)",
        "string('x')",
        "int('42')",
        "int(3.9)",
        "int(-3.9)",
        "int('x')",
        "double(2)",
        "double('2.5')",
        "uint(3)",
        "max(1, 5, 3)",
        "max('a', 'b')",
        "[1, 2].map(x, y)",
        "undefined_name",
        "1 ? 2 : 3",
        "!1",
        "-'a'",
        "'a' + 1",
        "[1, 2, 3].filter(x, x)",
        "{'k': [1, 2]}.k.map(x, x + 1)",
        "[1, 2][-1]",
    ];
    let disagreements: Vec<String> = texts
        .iter()
        .filter_map(|text| {
            let (ours, cels) = (ours_value(text), cels_value(text));
            (ours != cels).then(|| format!("{text}: govlint {ours}, cel {cels}"))
        })
        .collect();
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}

#[test]
fn where_cels_interpreter_departs_from_the_specification_govlint_follows_it() {
    // A text's size is its code points, not its bytes.
    assert_eq!(ours_value("size('héllo')"), "5");
    assert_eq!(cels_value("size('héllo')"), "6");
    // Booleans convert to text.
    assert_eq!(ours_value("string(true)"), "true");
    // `&&` and `||` are decided by whichever side decides them.
    assert_eq!(ours_value("(1 / 0 == 1) && false"), "false");
    assert_eq!(ours_value("(1 / 0 == 1) || true"), "true");
    assert_eq!(ours_value("(1 / 0 == 1) && true"), "error");
    // A map literal names each key once.
    assert_eq!(ours_value("{'a': 1, 'a': 2}"), "error");
    // cel 0.12 panics on these; they are errors.
    assert_eq!(ours_value("-(-9223372036854775807 - 1)"), "error");
    assert_eq!(ours_value("5.all(x, true)"), "error");
}

#[test]
fn mappings_of_the_document_are_read_in_place() {
    let doc = document("a: {x: 1, y: [2, 3]}\nb: {x: 1, y: [2, 3]}\n'7': seven\n");
    let read = |source: &str| on(&doc, source);
    // Equal content, different places: equal, as CEL compares mappings.
    assert_eq!(read("doc.a == doc.b"), "true");
    assert_eq!(read("doc.a == {'x': 1, 'y': [2, 3]}"), "true");
    // The pointer is a field to read, not a key to iterate or count.
    assert_eq!(read("doc.a._path"), "/a");
    assert_eq!(read("has(doc.a._path)"), "true");
    assert_eq!(read("doc.a.map(k, k)"), "x, y");
    assert_eq!(read("size(doc.a)"), "2");
    // The document's keys are text, whatever the lookup's type.
    assert_eq!(read("doc[7]"), "seven");
    assert_eq!(read("'x' in doc.a"), "true");
    assert_eq!(pointer_on(&doc, "doc.a.y").as_deref(), Some("/a/y"));
    assert!(
        evaluated("doc.a.z", Some(&doc), |value| value.display())
            .unwrap_err()
            .contains("no field `z`")
    );
}

#[test]
fn joining_and_comparing_collections_is_charged() {
    let within = |steps, source: &str| with_budget(steps, || ours_value(source));
    assert_eq!(within(4, "'ab' + 'cd'"), "abcd");
    assert_eq!(within(3, "'ab' + 'cd'"), "error");
    assert_eq!(within(3, "[1, 2] + [3]"), "1, 2, 3");
    assert_eq!(within(2, "[1, 2] + [3]"), "error");
    assert_eq!(within(3, "[1, 2, 3] == [1, 2, 3]"), "true");
    assert_eq!(within(2, "[1, 2, 3] == [1, 2, 3]"), "error");
    // A spent budget is not a failure `&&` or `||` may absorb.
    assert_eq!(within(100, "(1 / 0 == 1) && false"), "false");
    assert_eq!(within(2, "([1, 2, 3] == [1, 2, 3]) && false"), "error");
    assert_eq!(within(2, "[1].all(x, [1, 2, 3] == [1, 2, 3])"), "error");
}

#[test]
fn large_mappings_give_the_same_entries_by_index_as_by_scan() {
    let keys: String = (0..500).map(|n| format!("  k{n}: {n}\n")).collect();
    let doc = document(&format!("m:\n{keys}"));
    let lookups = "[doc.m.k0, doc.m.k499, doc.m['k250'], has(doc.m.k500), 'k42' in doc.m, \
                   get(doc.m, 'k3', -1), get(doc.m, 'k3x', -1)]";
    let expected = "0, 499, 250, false, true, 3, -1";
    // Outside an evaluation's budget, lookups scan; inside, the mapping is indexed.
    assert_eq!(on(&doc, lookups), expected);
    assert_eq!(with_budget(1000, || on(&doc, lookups)), expected);
    assert_eq!(
        with_budget(10_000, || on(
            &doc,
            "doc.m.map(k, doc.m[k]).filter(v, v % 100 == 0)"
        )),
        "0, 100, 200, 300, 400"
    );
}

#[test]
fn bindings_that_double_a_value_stop_at_the_budget() {
    let double = Expression::compile("x + x").unwrap();
    let outcome = with_budget(100_000, || {
        let mut scope = Scope::root();
        scope.bind("x", Val::text("ab"));
        for _ in 0..64 {
            let doubled = scope.eval(&double)?;
            scope.bind("x", doubled);
        }
        Ok::<_, String>(())
    });
    assert!(outcome.unwrap_err().contains("budget"));
}

#[test]
fn a_chain_of_filters_and_maps_keeps_each_variable_to_its_own_step() {
    assert_eq!(
        ours_value("[1, 2, 3, 4, 5, 6].filter(x, x > 1).filter(x, x < 6).map(x, x * 10)"),
        "20, 30, 40, 50"
    );
    // The filter's variable is out of sight of the map, whatever it is named.
    let expression = Expression::compile("[1, 2].filter(x, x > 1).map(y, x)").unwrap();
    let mut scope = Scope::root();
    scope.bind("x", Val::text("outer"));
    assert_eq!(scope.eval(&expression).unwrap().display(), "outer");
    // Steps: the 3 items filtered, then the 2 kept.
    let within = |steps, source: &str| with_budget(steps, || ours_value(source));
    assert_eq!(within(5, "[1, 2, 3].filter(x, x > 1).map(x, x)"), "2, 3");
    assert_eq!(within(4, "[1, 2, 3].filter(x, x > 1).map(x, x)"), "error");
}

#[test]
fn extremes_and_conversions_at_their_edges() {
    assert_eq!(ours_value("min([4, 2, 8])"), "2");
    assert_eq!(ours_value("min(3, 1.5)"), "1.5");
    assert_eq!(ours_value("max([])"), "error");
    assert_eq!(ours_value("max(1, 'a')"), "error");
    assert_eq!(ours_value("uint(-1)"), "error");
    assert_eq!(ours_value("uint('7')"), "7");
    assert_eq!(ours_value("double('x')"), "error");
    assert_eq!(ours_value("int(1e300)"), "error");
}

#[test]
fn text_functions_charge_for_the_text_they_read_and_write() {
    let within = |steps, source: &str| with_budget(steps, || ours_value(source));
    let text = format!("'{}'", "a,".repeat(2000));
    for call in [
        "split(',')",
        "replace('a', 'b')",
        "matches('b')",
        "indexOf('b')",
        "upperAscii()",
    ] {
        let source = format!("{text}.{call} != null");
        assert_eq!(within(100_000, &source), "true", "{call}");
        assert_eq!(within(1000, &source), "error", "{call}");
    }
    let many = format!(
        "'{}'.format([{}]) != ''",
        "%s".repeat(500),
        "'x', ".repeat(500)
    );
    assert_eq!(within(100_000, &many), "true");
    assert_eq!(within(600, &many), "error");
    let long_items = format!("['{}', 'b'].join('-').size()", "a".repeat(3000));
    assert_eq!(within(100_000, &long_items), "3002");
    assert_eq!(within(1000, &long_items), "error");
}

#[test]
fn a_malformed_literal_pattern_is_refused_when_compiled() {
    let error = Expression::compile("doc.name.matches('(')").unwrap_err();
    assert!(error.contains("not a regular expression"), "{error}");
    // A computed pattern is compiled when it is known.
    let computed = Expression::compile("doc.name.matches(doc.pattern)");
    assert!(computed.is_ok(), "{computed:?}");
    assert!(eval("'a'.matches('(' + '')").starts_with("error:"));
}

#[test]
fn bound_names_and_type_names_are_not_free_variables() {
    let expression = Expression::compile(
        "cel.bind(n, size(doc), [1].all(i, v, i < n && v > 0)) && type(limit) == int && \
         doc.m.transformMap(k, v, v + k).exists(k, k == key)",
    )
    .unwrap();
    let free: Vec<&str> = expression.free_variables().collect();
    assert_eq!(free, ["doc", "key", "limit"]);
}
