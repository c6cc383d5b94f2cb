//! The loader's guarantees, each on the smallest text that shows it.

use super::*;

fn values(text: &str) -> Vec<Value> {
    let source = SourceFile::new("t.yaml", text);
    match parse(&source, &Limits::default()).map(|root| root.value) {
        Ok(Value::Seq(items)) => items.iter().map(|item| item.value.clone()).collect(),
        other => vec![Value::Str(ArcStr::from(format!("{other:?}")))],
    }
}

#[test]
#[cfg(target_pointer_width = "64")]
fn a_node_is_three_words() {
    assert_eq!(std::mem::size_of::<Node>(), 24);
    assert_eq!(std::mem::size_of::<(Key, Node)>(), 40);
}

#[test]
fn keys_read_as_text() {
    let source = SourceFile::new("t.yaml", "{2023: a, true: b, ~: c, 1.5: d, 0x10: e}");
    let root = parse(&source, &Limits::default());
    let Ok(Node {
        value: Value::Map(entries),
        ..
    }) = &root
    else {
        unreachable!("{root:?}")
    };
    let keys: Vec<&str> = entries.iter().map(|(key, _)| &*key.text).collect();
    assert_eq!(keys, ["2023", "true", "null", "1.5", "16"]);
    assert_eq!(entries[0].0.span, Span::new(1, 5));
}

#[test]
fn only_yaml_1_2_spellings_are_booleans() {
    let text = |word: &str| Value::Str(ArcStr::from(word));
    assert_eq!(
        values("[NO, no, y, Yes, off, ON, true, False]"),
        vec![
            text("NO"),
            text("no"),
            text("y"),
            text("Yes"),
            text("off"),
            text("ON"),
            Value::Bool(true),
            Value::Bool(false),
        ]
    );
}

fn load(text: &str) -> Result<Node, LoadFailure> {
    parse(&SourceFile::new("t.yaml", text), &Limits::default())
}

fn refusal(text: &str, limits: &Limits) -> LoadFailure {
    match parse(&SourceFile::new("t.yaml", text), limits) {
        Err(failure) => failure,
        Ok(root) => unreachable!("{text:?} loaded: {root:?}"),
    }
}

/// The text a refusal points at.
fn marked<'a>(text: &'a str, failure: &LoadFailure) -> &'a str {
    text.get(failure.span.start()..failure.span.end())
        .unwrap_or_default()
}

#[test]
fn keys_and_values_keep_their_byte_spans() {
    let text = "a: 1\nname: Québec\nlist:\n  - {x: y}\n";
    let Ok(root) = load(text) else { unreachable!() };
    let at = |span: Span| &text[span.start()..span.end()];
    let Some((key, value)) = root.entry("name") else {
        unreachable!()
    };
    assert_eq!((at(key.span), at(value.span)), ("name", "Québec"));
    let Some(list) = root.get("list") else {
        unreachable!()
    };
    assert_eq!(at(list.span), "- {x: y");
    assert_eq!(at(root.span), text.trim_end().trim_end_matches('}'));
}

#[test]
fn a_key_that_is_a_list_or_a_mapping_is_refused_at_the_key() {
    for (text, what, key) in [
        ("? [a]\n: 1\n? [b]\n: 2\n", "list", "[a"),
        ("{? {a: 1} : x}\n", "mapping", "{a: 1"),
        ("[a]: 1\n", "list", "[a"),
    ] {
        let failure = refusal(text, &Limits::default());
        assert_eq!(failure.kind, FailureKind::Syntax, "{text:?}");
        assert!(failure.message.contains(what), "{}", failure.message);
        assert_eq!(marked(text, &failure), key, "{text:?}");
    }
}

#[test]
fn a_file_without_a_document_is_refused_whatever_it_holds() {
    let empty = refusal("", &Limits::default());
    assert_eq!(empty.kind, FailureKind::Syntax);
    for text in ["  \n\n", "# only a comment\n", "...\n", "# a\n...\n# b\n"] {
        assert_eq!(refusal(text, &Limits::default()), empty, "{text:?}");
    }
    // An explicit document that holds nothing is a document: it reads as null.
    assert_eq!(load("---\n").map(|root| root.value), Ok(Value::Null));
}

#[test]
fn duplicate_keys_are_refused_at_the_second_in_small_and_large_mappings() {
    let small = "a: 1\nb: 2\na: 3\n";
    let failure = refusal(small, &Limits::default());
    assert_eq!(failure.message, "duplicate key `a`");
    assert_eq!(failure.span.start(), 10);
    let mut large: String = (0..100).map(|n| format!("k{n}: {n}\n")).collect();
    let at = large.len();
    large.push_str("k42: again\n");
    let failure = refusal(&large, &Limits::default());
    assert_eq!(failure.message, "duplicate key `k42`");
    assert_eq!(failure.span.start(), at);
    // Keys compare as text: `1` and `"1"` are the same key.
    assert_eq!(
        refusal("1: a\n\"1\": b\n", &Limits::default()).kind,
        FailureKind::Syntax
    );
}

#[test]
fn tags_are_refused_at_the_tag() {
    for (text, tag) in [
        (
            "a: !!python/object:os.system [echo]\n",
            "!!python/object:os.system",
        ),
        ("a: !!str 12\n", "!!str"),
        ("- !local {x: 1}\n", "!local"),
    ] {
        let failure = refusal(text, &Limits::default());
        assert_eq!(failure.kind, FailureKind::Syntax);
        assert!(failure.message.contains(tag), "{}", failure.message);
        assert_eq!(marked(text, &failure), tag);
    }
}

#[test]
fn aliases_repeat_their_anchor_where_they_stand() {
    let text = "a: &x [1, {b: 2}]\nc: *x\n";
    let Ok(root) = load(text) else { unreachable!() };
    let (Some(a), Some(c)) = (root.get("a"), root.get("c")) else {
        unreachable!()
    };
    assert_eq!(a.value, c.value);
    assert_eq!(&text[c.span.start()..c.span.end()], "*x");
    let failure = refusal("&a [1, *a]\n", &Limits::default());
    assert_eq!(failure.kind, FailureKind::Syntax, "{}", failure.message);
}

#[test]
fn every_limit_names_its_flag() {
    let limits = Limits {
        max_nodes: 50,
        max_depth: 4,
        max_aliases: 4,
        max_alias_nodes: 30,
        ..Limits::default()
    };
    let bomb = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [*a, *a, *a]\n";
    let cases = [
        ("[[[[[1]]]]]\n".to_owned(), "--max-depth"),
        ("a: &a [[[1]]]\nb: [[*a]]\n".to_owned(), "--max-depth"),
        ("[".to_owned() + &"1, ".repeat(60) + "]", "--max-nodes"),
        (
            "[&a 1, &b 2, &c 3, &d 4, &e 5]\n".to_owned(),
            "--max-aliases",
        ),
        ("a: &a 1\nb: [*a, *a, *a, *a]\n".to_owned(), "--max-aliases"),
        (bomb.to_owned(), "--max-alias-nodes"),
        (
            format!("a: &a [{}]\n", "1, ".repeat(40)),
            "--max-alias-nodes",
        ),
    ];
    for (text, flag) in cases {
        let failure = refusal(&text, &limits);
        assert_eq!(
            failure.kind,
            FailureKind::Limit,
            "{text:?}: {}",
            failure.message
        );
        assert!(
            failure.message.contains(flag),
            "{text:?}: {}",
            failure.message
        );
    }
}

#[test]
fn several_documents_are_refused_at_the_second() {
    let text = "a: 1\n---\nb: 2\n";
    let failure = refusal(text, &Limits::default());
    assert!(failure.message.contains("more than one YAML document"));
    assert_eq!(marked(text, &failure), "---");
}

#[test]
fn nan_is_refused_and_large_integers_read_as_floats() {
    let failure = refusal("a: .nan\n", &Limits::default());
    assert_eq!(
        (failure.kind, marked("a: .nan\n", &failure)),
        (FailureKind::Syntax, ".nan")
    );
    assert_eq!(
        values("[99999999999999999999999999, -0x1, 0o17]"),
        vec![
            Value::Float(1e26),
            Value::Str(ArcStr::from("-0x1")),
            Value::Int(15)
        ]
    );
}

#[test]
fn a_syntax_error_points_at_its_byte_after_wide_characters() {
    let text = "é: ü\nb: [1\n";
    let failure = refusal(text, &Limits::default());
    assert_eq!(failure.kind, FailureKind::Syntax);
    assert!(failure.span.start() >= text.find('[').unwrap_or_default());
    assert!(text.is_char_boundary(failure.span.start().min(text.len())));
}
