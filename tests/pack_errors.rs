//! Every message loading a rule pack can end with, as a rule author sees it:
//! its text, its place (file:line:column), its help, and exit code 2. Each
//! case is a minimal pack in a temporary folder. A guard at the end requires
//! each message written in `src/pack` to be shown by a test of a pack.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{EXTENDS_BUILTIN, flat, govlint, stderr, stdout};
use std::path::Path;

/// One problem as `govlint` prints it: its message, where, and its help.
#[derive(Debug, PartialEq)]
struct Shown {
    message: String,
    at: Option<String>,
    help: Option<String>,
}

/// Lines wrapped by the terminal layout, as one: a word the layout broke
/// after a hyphen (`2015-06-` / `01`) is joined back.
fn unwrapped(lines: &[&str]) -> String {
    let mut text = String::new();
    for line in lines {
        let line = flat(line);
        let broken_word = text.ends_with('-') && !text.ends_with(" -");
        if !text.is_empty() && !broken_word {
            text.push(' ');
        }
        text.push_str(&line);
    }
    text
}

/// The problems of a refused pack, read back from `govlint`'s error output
/// (`pack` written as `PACK`): each one's message, place and help, or the
/// single `error:` line of a pack that could not be read at all.
fn problems(output: &str) -> Vec<Shown> {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let lines: Vec<&str> = output.lines().collect();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        if let Some(first) = line.strip_prefix("  × ") {
            let mut message = vec![first];
            let mut at = None;
            let mut help = Vec::new();
            index += 1;
            while let Some(more) = lines.get(index).and_then(|l| l.strip_prefix("  │ ")) {
                message.push(more);
                index += 1;
            }
            while let Some(line) = lines.get(index).filter(|line| !line.is_empty()) {
                if let Some((_, place)) = line.split_once("╭─[") {
                    at = place.rsplit_once(']').map(|(place, _)| place.to_owned());
                } else if let Some(first) = line.strip_prefix("  help: ") {
                    help.push(first);
                } else if !help.is_empty() {
                    help.push(line);
                }
                index += 1;
            }
            found.push(Shown {
                message: unwrapped(&message),
                at,
                help: (!help.is_empty()).then(|| unwrapped(&help)),
            });
        } else if let Some(error) = line.strip_prefix("error: ") {
            errors.push(error.to_owned());
        }
        index += 1;
    }
    if found.is_empty() {
        found.extend(errors.iter().map(|message| Shown {
            message: message.clone(),
            at: None,
            help: None,
        }));
    } else {
        let summary = format!(
            "the rule pack is invalid ({} problem{}); nothing was checked",
            found.len(),
            if found.len() == 1 { "" } else { "s" }
        );
        assert_eq!(errors, [summary], "{output}");
    }
    found
}

/// A pack written to a temporary folder: its files by path (pack.yaml among them).
fn written(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = temp.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        if name.ends_with('/') {
            std::fs::create_dir_all(path).unwrap();
        } else {
            std::fs::write(path, bytes).unwrap();
        }
    }
    temp
}

/// `govlint ARGS` with the pack in `dir` as `--rules`: exit code and error
/// output, the folder written as `PACK`.
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let folder = dir.to_str().unwrap();
    let mut all = args.to_vec();
    all.extend(["--rules", folder]);
    let output = govlint(&all);
    (
        output.status.code(),
        stderr(&output).replace(folder, "PACK"),
        stdout(&output),
    )
}

/// One pack that fails to load, and the one problem it must be refused with.
struct Case {
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    message: &'static str,
    at: Option<&'static str>,
    help: Option<&'static str>,
}

/// A case of the pack whose manifest is `manifest` and whose other files are `files`.
fn case(name: &'static str, manifest: &str, files: &[(&'static str, &str)]) -> Case {
    let mut all = vec![("pack.yaml", manifest.as_bytes().to_vec())];
    all.extend(
        files
            .iter()
            .map(|(path, text)| (*path, text.as_bytes().to_vec())),
    );
    Case {
        name,
        files: all,
        message: "",
        at: None,
        help: None,
    }
}

/// A case of a pack extending the built-in one with the rule file `one.yaml`.
fn rule_case(name: &'static str, rule: &str) -> Case {
    case(name, EXTENDS_BUILTIN, &[("one.yaml", rule)])
}

impl Case {
    fn says(mut self, message: &'static str, at: &'static str) -> Self {
        self.message = message;
        self.at = Some(at);
        self
    }

    /// A pack that cannot be read at all: an error with no place.
    fn fails(mut self, message: &'static str) -> Self {
        self.message = message;
        self
    }

    fn help(mut self, help: &'static str) -> Self {
        self.help = Some(help);
        self
    }

    /// What is wrong with what `govlint rules` shows, if anything.
    fn mismatch(&self) -> Option<String> {
        let temp = written(&self.files);
        let (code, errors, _) = run(temp.path(), &["rules"]);
        let expected = Shown {
            message: self.message.to_owned(),
            at: self.at.map(str::to_owned),
            help: self.help.map(str::to_owned),
        };
        let shown = problems(&errors);
        (code != Some(2) || shown != [expected]).then(|| {
            format!(
                "case `{}`: exit {code:?}\nexpected: {:?}\nshown:    {shown:?}\n{errors}",
                self.name,
                (self.message, self.at, self.help)
            )
        })
    }
}

const RULE_HEAD: &str =
    "id: one\ntitle: One\nseverity: error\nclause: {section: S, text: T}\nrationale: R\n";

/// A check that holds everywhere.
const TRUE_CHECK: &str = "  - assert: \"true\"\n    message: m\n";

/// A rule file: `extra` lines after the head, then `checks` (by default one
/// that holds everywhere).
fn rule(extra: &str, checks: &str) -> String {
    let checks = if checks.is_empty() {
        TRUE_CHECK
    } else {
        checks
    };
    format!("{RULE_HEAD}{extra}checks:\n{checks}docs: {{checks: C}}\n")
}

/// A rule whose only check asserts `assert` (line 7, column 13).
fn asserting(assert: &str) -> String {
    rule("", &format!("  - assert: \"{assert}\"\n    message: m\n"))
}

/// A rule whose only check holds `lines` (from line 9) after its `assert` and `message`.
fn checking(lines: &str) -> String {
    rule(
        "",
        &format!("  - assert: \"true\"\n    message: m\n{lines}"),
    )
}

/// A manifest extending the built-in pack, with `more` settings (from line 4).
fn extending(more: &str) -> String {
    format!("{EXTENDS_BUILTIN}{more}")
}

/// The manifests of a chain of packs, each extending the next.
const CHAIN: [&str; 9] = [
    "p0/pack.yaml",
    "p1/pack.yaml",
    "p2/pack.yaml",
    "p3/pack.yaml",
    "p4/pack.yaml",
    "p5/pack.yaml",
    "p6/pack.yaml",
    "p7/pack.yaml",
    "p8/pack.yaml",
];

/// The manifests and folders of the packs, and what is wrong with them.
fn manifest_cases() -> Vec<Case> {
    let mut deep = case(
        "a chain of eleven packs",
        "name: t\ntitle: T\nextends: p0\n",
        &[],
    );
    for (depth, path) in CHAIN.iter().enumerate() {
        let manifest = format!("name: p{depth}\ntitle: P\nextends: ../p{}\n", depth + 1);
        deep.files.push((path, manifest.into_bytes()));
    }
    deep.files
        .push(("p9/pack.yaml", EXTENDS_BUILTIN.as_bytes().to_vec()));
    let deep = deep
        .says(
            "more than 8 packs extend one another: a chain of `extends` holds at most 8 packs",
            "PACK/p0/../p1/../p2/../p3/../p4/../p5/../p6/pack.yaml:3:10",
        )
        .help("merge some of the packs of the chain into one");
    let mut missing = case("a folder without pack.yaml", "", &[]);
    missing.files.clear();
    vec![
        missing.fails(
            "cannot read `PACK/pack.yaml`: No such file or directory (os error 2); \
             a rule pack is a folder with a pack.yaml",
        ),
        case("an empty manifest", "", &[]).says("the file is empty", "PACK/pack.yaml:1:1"),
        case("a manifest that is no YAML", "name: t\ntitle: [\n", &[])
            .says("unclosed bracket '['", "PACK/pack.yaml:2:8"),
        case("a misspelt setting", &extending("shema: x.json\n"), &[])
            .says("unknown field `shema`", "PACK/pack.yaml:4:1")
            .help("did you mean `schema`?"),
        case("a manifest without title", "name: t\nextends: builtin\n", &[])
            .says("missing required field `title`", "PACK/pack.yaml:1:1")
            .help("add `title` to this record"),
        case("a pack name with a space", "name: a b\ntitle: T\nextends: builtin\n", &[])
            .says("`a b` is not in the expected form", "PACK/pack.yaml:1:7")
            .help(
                "expected here: Machine name of the pack: lower-case letters, digits and \
                 hyphens, starting with a letter or digit. Used to refer to the pack on the \
                 command line and in output.",
            ),
        case(
            "a lane of an unknown colour",
            &extending("views:\n  - {lane: X, items: /events, at: [date], class: blue}\n"),
            &[],
        )
        .says("`blue` is not an allowed value", "PACK/pack.yaml:5:50")
        .help("use one of `primary`, `secondary`, `plan`, `event`, `other`"),
        // The lane's name is found where `lane:` gives it, not in the title.
        case(
            "the removal of a lane no pack draws",
            "name: t\ntitle: Event log\nextends: builtin\nviews:\n  - {lane: Event, remove: true}\n",
            &[],
        )
        .says(
            "`views` removes the lane `Event`, which no pack it extends draws; did you mean `Events`?",
            "PACK/pack.yaml:5:12",
        ),
        case(
            "the removal of a lane like none",
            &extending("views:\n  - {lane: Zzz, remove: true}\n"),
            &[],
        )
        .says(
            "`views` removes the lane `Zzz`, which no pack it extends draws",
            "PACK/pack.yaml:5:12",
        ),
        case("a binding of an unknown name", &extending("let:\n  x: nope + 1\n"), &[])
            .says("unknown name `nope`", "PACK/pack.yaml:5:6"),
        case("a binding named by a number", &extending("let:\n  1x: \"1\"\n"), &[])
            .says("`1x` is not an allowed name here", "PACK/pack.yaml:5:3")
            .help(
                "expected here: Binding name: an identifier (letters, digits, underscores; \
                 not starting with a digit).",
            ),
        case("`extends` a folder that is not there", "name: t\ntitle: T\nextends: ../nope\n", &[])
            .says(
                "`extends: ../nope` names no pack: cannot read `PACK/../nope/pack.yaml`: \
                 No such file or directory (os error 2)",
                "PACK/pack.yaml:3:10",
            )
            .help(
                "`extends` names `builtin` or the folder of another pack (a folder with a \
                 pack.yaml), relative to this pack's folder",
            ),
        case("a pack that extends itself", "name: t\ntitle: T\nextends: .\n", &[])
            .says(
                "`extends: .` makes a loop of `extends`: it leads back to a pack of this \
                 chain (`PACK/.`)",
                "PACK/pack.yaml:3:10",
            )
            .help(
                "a pack extends `builtin` or another pack that does not extend it in turn: \
                 remove or change one `extends` of the loop",
            ),
        case(
            "two packs that extend each other",
            "name: t\ntitle: T\nextends: b\n",
            &[("b/pack.yaml", "name: b\ntitle: B\nextends: ..\n")],
        )
        .says(
            "`extends: ..` makes a loop of `extends`: it leads back to a pack of this \
             chain (`PACK/b/..`)",
            "PACK/b/pack.yaml:3:10",
        )
        .help(
            "a pack extends `builtin` or another pack that does not extend it in turn: \
             remove or change one `extends` of the loop",
        ),
        deep,
        case("a schema that is not there", "name: t\ntitle: T\nschema: s.json\n", &[])
            .says(
                "`schema: s.json`: cannot read `PACK/s.json`: No such file or directory (os error 2)",
                "PACK/pack.yaml:3:9",
            )
            .help("`schema` names the JSON Schema of the records, relative to this pack's folder"),
        case(
            "a schema that is not JSON",
            "name: t\ntitle: T\nschema: s.json\n",
            &[("s.json", "{oops")],
        )
        .says(
            "`PACK/s.json` is not JSON: key must be a string at line 1 column 2",
            "PACK/s.json:1:1",
        ),
        case(
            "a schema that is no JSON Schema",
            "name: t\ntitle: T\nschema: s.json\n",
            &[("s.json", "{\"type\": 5}")],
        )
        .says(
            "`PACK/s.json` is not a valid JSON Schema: 5 is not valid under any of the \
             schemas listed in the 'anyOf' keyword",
            "PACK/s.json:1:1",
        ),
        case("an overlay that is not there", &extending("schema_overlay: o.yaml\n"), &[])
            .says(
                "`schema_overlay: o.yaml`: cannot read `PACK/o.yaml`: No such file or \
                 directory (os error 2)",
                "PACK/pack.yaml:4:17",
            )
            .help(
                "`schema_overlay` names a file of changes to the inherited schema, relative \
                 to this pack's folder",
            ),
        case(
            "an overlay that is a list",
            &extending("schema_overlay: o.yaml\n"),
            &[("o.yaml", "- a\n")],
        )
        .says(
            "a schema overlay is a mapping: the parts of the inherited schema it changes",
            "PACK/o.yaml:1:1",
        ),
        case(
            "an overlay with a key twice",
            &extending("schema_overlay: o.yaml\n"),
            &[("o.yaml", "definitions: {}\ndefinitions: {}\n")],
        )
        .says("duplicate key `definitions`", "PACK/o.yaml:2:1"),
        case(
            "an overlay removing what is not there",
            &extending("schema_overlay: o.yaml\n"),
            &[("o.yaml", "definitions:\n  nothing: null\n")],
        )
        .says(
            "the inherited schema has no `nothing` here to remove",
            "PACK/o.yaml:2:3",
        ),
        case(
            "an overlay with a misspelt keyword",
            &extending("schema_overlay: o.yaml\n"),
            &[(
                "o.yaml",
                "definitions:\n  member:\n    propertis: {region: {type: string}}\n",
            )],
        )
        .says(
            "`propertis` is neither in the inherited schema here nor a JSON Schema keyword; \
             did you mean `properties`? (a new field goes under `properties`)",
            "PACK/o.yaml:3:5",
        ),
    ]
}

/// What a pack folder may hold, as the message of a file that is neither rule nor override says.
const NOT_A_RULE: &str = "this file is neither a rule (it has no `id`) nor an override of an \
    inherited rule (no `overrides`); a pack folder holds pack.yaml, one YAML file per rule or \
    override, the files pack.yaml names (`schema`, `schema_overlay`), and folders (such as \
    `fixtures/`), which are never read as rules: move the file into one";

/// The files of a pack folder, and what is wrong with them.
fn file_cases() -> Vec<Case> {
    let mut not_utf8 = rule_case("a rule file that is not UTF-8", "");
    not_utf8.files[1].1 = b"id: \xff\n".to_vec();
    vec![
        case(
            "notes beside the rules",
            EXTENDS_BUILTIN,
            &[("notes.yaml", "format: 1\n")],
        )
        .says(NOT_A_RULE, "PACK/notes.yaml:1:1"),
        not_utf8.says(
            "`PACK/one.yaml` is not UTF-8 text: save it as UTF-8",
            "PACK/one.yaml:1:1",
        ),
        case(
            "two rules of one id",
            EXTENDS_BUILTIN,
            &[
                ("a.yaml", &asserting("true")),
                ("b.yaml", &asserting("true")),
            ],
        )
        .says(
            "the rule id `one` is taken: `PACK/a.yaml` defines a rule of that id too; give \
             one of them another id (ids are never reused, not even a retired rule's)",
            "PACK/b.yaml:1:1",
        ),
        rule_case("a key twice", &rule("title: Two\n", ""))
            .says("duplicate key `title`", "PACK/one.yaml:6:1"),
        rule_case("a YAML tag", &rule("params: {n: !!binary x}\n", "")).says(
            "the tag `!!binary` is refused: values are read as plain YAML data",
            "PACK/one.yaml:6:13",
        ),
        rule_case(
            "two YAML documents",
            &format!("{}---\nid: two\n", asserting("true")),
        )
        .says(
            "the file holds more than one YAML document",
            "PACK/one.yaml:10:1",
        ),
        rule_case(
            "a parameter that is not a number",
            &rule("params: {n: .nan}\n", ""),
        )
        .says(
            "`.nan` is not a finite number: NaN and infinities are refused",
            "PACK/one.yaml:6:13",
        ),
        rule_case(
            "a condition YAML reads as a mapping",
            &rule("", "  - assert: {'a': 1}.a == 1\n    message: m\n"),
        )
        .says(
            "while parsing a block mapping, did not find expected key",
            "PACK/one.yaml:7:21",
        )
        .help(
            "if this line holds a CEL condition, YAML read part of it as YAML: a condition \
             with `: ` (a map literal such as `{'year': y}`) or one that starts with `{`, `[`, \
             `!`, `'` or `\"` must be quoted (`assert: \"…\"`) or written as a block scalar \
             (`assert: >-` with the condition on the lines below)",
        ),
        rule_case("an unknown key of a check", &checking("    zzz: 1\n"))
            .says("unknown field `zzz`", "PACK/one.yaml:9:5")
            .help(
                "the fields allowed here are `when`, `assert`, `verdict`, `complete`, `due`, \
                 `severity`, `message`, `label`, `help`, `at`, `related`, `fix`",
            ),
        rule_case(
            "a misspelt severity",
            &asserting("true").replace("severity: error", "severity: eror"),
        )
        .says("`eror` is not an allowed value", "PACK/one.yaml:3:11")
        .help("did you mean `error`?"),
        rule_case("parameters that are a number", &rule("params: 3\n", ""))
            .says(
                "expected a mapping, found the number `3`",
                "PACK/one.yaml:6:9",
            )
            .help(
                "expected here: Parameters by name; values may be any JSON value (number, \
                 string, boolean, list or mapping).",
            ),
        rule_case(
            "no checks",
            &format!("{RULE_HEAD}checks: []\ndocs: {{checks: C}}\n"),
        )
        .says("this list needs at least 1 item", "PACK/one.yaml:6:9")
        .help(
            "expected here: The checks made on each item, in order. Every contradiction \
                 check whose `assert` is false gives a finding; a failing `not-recorded` check \
                 gives its finding and ends the item's checks.",
        ),
        rule_case("an empty condition", &asserting(""))
            .says("this text is empty", "PACK/one.yaml:7:13")
            .help("expected here: A CEL expression."),
        rule_case(
            "an amendment from no date",
            &rule(
                "params: {n: 1}\namendments:\n  - from: June 2021\n    params: {n: 2}\n",
                "",
            ),
        )
        .says(
            "`June 2021` is not in the expected form",
            "PACK/one.yaml:8:11",
        )
        .help(
            "expected here: A date as text: a year, a month or a day, written YYYY, YYYY-MM \
             or YYYY-MM-DD (`2021`, `2021-06`, `2021-06-15`).",
        ),
        rule_case(
            "an amendment from a month that is not",
            &rule(
                "params: {n: 1}\namendments:\n  - from: 2021-13\n    params: {n: 2}\n",
                "",
            ),
        )
        .says(
            "an amendment's `from` must be a real date: a year, a month or a day (`2021`, \
             `2021-06`, `2021-06-15`)",
            "PACK/one.yaml:8:11",
        ),
        rule_case(
            "`complete` on a contradiction",
            &checking("    complete: \"true\"\n"),
        )
        .says(
            "`complete` says when missing evidence becomes a contradiction; it belongs to \
                 a check with `verdict: not-recorded`",
            "PACK/one.yaml:9:15",
        ),
        rule_case("`due` on a contradiction", &checking("    due: as_of\n")).says(
            "`due` says when missing evidence falls due; it belongs to a check with \
                 `verdict: not-recorded`",
            "PACK/one.yaml:9:10",
        ),
        rule_case(
            "a fix that sets and adds",
            &checking("    fix: {set: \"'/as_of'\", to: \"1\", add: \"x\"}\n"),
        )
        .says(
            "a fix either sets a value (`set` and `to`) or adds an item to a list (`add` and \
             `item`)",
            "PACK/one.yaml:9:16",
        ),
    ]
}

/// Conditions and templates, and what is wrong with them.
fn expression_cases() -> Vec<Case> {
    // Conditions, each refused where it is written (line 7, column 13).
    let conditions: [(&'static str, String, &'static str); 12] = [
        (
            "an unknown function",
            "sise(doc.members) > 0".to_owned(),
            "unknown function `sise`; did you mean `size`?",
        ),
        (
            "an empty condition of spaces",
            " ".to_owned(),
            "invalid expression: 1:1: the expression is empty",
        ),
        (
            "a letter a name cannot hold",
            "doc.é == 1".to_owned(),
            "invalid expression: 1:5: unexpected `é`; names are ASCII letters, digits and `_`",
        ),
        (
            "a string never closed",
            "doc.group.id == 'x".to_owned(),
            "invalid expression: 1:17: this string is never closed by `'` on its line (use \
                 triple quotes for text over several lines)",
        ),
        (
            "an unknown escape",
            "doc.group.id == '\\\\q'".to_owned(),
            "invalid expression: 1:18: unknown escape `\\q`",
        ),
        (
            "`has` of a name",
            "has(doc)".to_owned(),
            "invalid expression: 1:5: `has` takes a field selection, such as `has(a.b)`",
        ),
        (
            "a message literal",
            "Foo{a: 1} == 1".to_owned(),
            "message literals such as `Foo {…}` are not supported; use a map literal",
        ),
        (
            "a bytes literal",
            "b'x' == b'x'".to_owned(),
            "bytes literals (`b'…'`) are not supported",
        ),
        (
            "a pattern that is none",
            "doc.group.id.matches('[')".to_owned(),
            "matches: `[` is not a regular expression: regex parse error: [ ^ error: \
                 unclosed character class",
        ),
        (
            "too many operators",
            format!("{} > 0", vec!["1"; 1100].join("+")),
            "the expression has 1100 operators, more than 1000; split it into `let` bindings",
        ),
        (
            "brackets too deep",
            format!("{}1{} > 0", "(".repeat(70), ")".repeat(70)),
            "the expression nests brackets 70 deep, more than 64; split it into `let` bindings",
        ),
        (
            "too long a condition",
            format!("'{}' != ''", "x".repeat(17_000)),
            "the expression is longer than 16384 bytes; split it into `let` bindings",
        ),
    ];
    let mut cases: Vec<Case> = conditions
        .into_iter()
        .map(|(name, condition, message)| {
            rule_case(name, &asserting(&condition)).says(message, "PACK/one.yaml:7:13")
        })
        .collect();
    cases.extend([
        rule_case(
            "a template never closed",
            &checking("").replace("message: m", "message: \"m ${doc.as_of\""),
        )
        .says("`${` is never closed by `}`", "PACK/one.yaml:8:14"),
        rule_case(
            "a template that is no expression",
            &checking("").replace("message: m", "message: \"m ${doc.}\""),
        )
        .says(
            "invalid expression: 1:5: expected a field name after `.`, found the end of \
                 the expression",
            "PACK/one.yaml:8:14",
        ),
        rule_case(
            "a template of a misspelt name",
            &checking("").replace("message: m", "message: \"m ${dox.as_of}\""),
        )
        .says(
            "unknown name `dox`; did you mean `doc`?",
            "PACK/one.yaml:8:14",
        ),
    ]);
    cases
}

/// A rule whose only check asserts `assert` of each presidency term `term`
/// (line 8, column 13).
fn of_each_term(assert: &str) -> String {
    rule(
        "for_each: {in: terms, as: term}\n",
        &format!("  - assert: \"{assert}\"\n    message: m\n"),
    )
}

/// Conditions that read the records against their schema, and what is wrong with them.
fn typing_cases() -> Vec<Case> {
    const DATES: &str = "a date may be a year, a month or a day (`2015`, `2015-06`, `2015-06-01`): \
        the date functions compare them at the coarser precision and say when the order \
        cannot be decided";
    vec![
        rule_case("a misspelt field", &of_each_term("has(term.edn)"))
            .says(
                "a record of Presidency term has no field `edn`; did you mean `end`?",
                "PACK/one.yaml:8:22",
            )
            .help(
                "the records' schema gives a record of Presidency term `holder`, `start`, \
                 `end`, `designation`, `roadmap`; name a field it does not describe (optional \
                 data from elsewhere) in the rule's `external_fields`",
            ),
        rule_case(
            "a field of a string",
            &of_each_term("term.holder.name == ''"),
        )
        .says(
            "`.name` reads a field of a string, which has no fields (the records' schema \
             fixes its type)",
            "PACK/one.yaml:8:25",
        ),
        rule_case(
            "a string equal to a number",
            &of_each_term("term.holder == 1"),
        )
        .says(
            "`==` compares a string with an integer, which are never equal",
            "PACK/one.yaml:8:26",
        )
        .help(
            "the records' schema fixes both types; convert one (`string(x)`, `int(x)`) \
                 or compare the right field",
        ),
        rule_case(
            "a string less than a number",
            &of_each_term("term.holder < 1"),
        )
        .says(
            "cannot compare a string with an integer",
            "PACK/one.yaml:8:26",
        )
        .help("the records' schema fixes both types; compare values of one type"),
        rule_case("dates ordered by <", &of_each_term("term.start < as_of"))
            .says(
                "dates are not compared with `<`; use `before(a, b)` (certainly earlier) or \
                 `maybe_before(a, b)`",
                "PACK/one.yaml:8:25",
            )
            .help(DATES),
        rule_case("dates ordered by >", &of_each_term("term.start > as_of"))
            .says(
                "dates are not compared with `>`; use `after(a, b)` (certainly later) or \
                 `maybe_after(a, b)`",
                "PACK/one.yaml:8:25",
            )
            .help(DATES),
        rule_case("dates ordered by <=", &of_each_term("term.start <= as_of"))
            .says(
                "dates are not compared with `<=`; use `on_or_before(a, b)`",
                "PACK/one.yaml:8:25",
            )
            .help(DATES),
        rule_case("dates ordered by >=", &of_each_term("term.start >= as_of"))
            .says(
                "dates are not compared with `>=`; use `on_or_after(a, b)`",
                "PACK/one.yaml:8:25",
            )
            .help(DATES),
        rule_case(
            "an amendment of a parameter the rule lacks",
            &rule(
                "params: {years: 1}\namendments:\n  - from: 2021\n    params: {m: 2}\n",
                "",
            ),
        )
        .says(
            "the amendment changes `m`, which the rule's `params` do not define",
            "PACK/one.yaml:9:14",
        ),
        rule_case(
            "an amendment of a misspelt parameter",
            &rule(
                "params: {years: 1}\namendments:\n  - from: 2021\n    params: {yeras: 2}\n",
                "",
            ),
        )
        .says(
            "the amendment changes `yeras`, which the rule's `params` do not define; did you mean `years`?",
            "PACK/one.yaml:9:14",
        ),
        rule_case(
            "a misspelt parameter",
            &rule(
                "params: {years: 1}\n",
                "  - assert: params.yeras > 0\n    message: m\n",
            ),
        )
        .says(
            "this value has no field `yeras`; did you mean `years`?",
            "PACK/one.yaml:8:19",
        )
        .help("the rule gives this value `years`"),
    ]
}

/// Overrides of inherited rules, and what is wrong with them.
fn override_cases() -> Vec<Case> {
    let overriding = |name, text: &str| case(name, EXTENDS_BUILTIN, &[("a.yaml", text)]);
    vec![
        overriding(
            "an override of no rule like any",
            "overrides: zzzzzz\nseverity: warning\n",
        )
        .says(
            "no inherited rule `zzzzzz` to override; `govlint rules` lists the rules a \
                 pack inherits",
            "PACK/a.yaml:1:12",
        ),
        overriding(
            "an override of a misspelt rule",
            "overrides: presidency-rotate\nseverity: warning\n",
        )
        .says(
            "no inherited rule `presidency-rotate` to override; did you mean \
                 `presidency-rotates`?",
            "PACK/a.yaml:1:12",
        ),
        case(
            "an override of the pack's own rule",
            EXTENDS_BUILTIN,
            &[
                ("a.yaml", &asserting("true")),
                ("b.yaml", "overrides: one\nseverity: warning\n"),
            ],
        )
        .says(
            "this pack defines `one` itself (in `PACK/a.yaml`): change that file instead of \
             overriding it",
            "PACK/b.yaml:1:12",
        ),
        overriding(
            "a rule disabled for no reason",
            "overrides: presidency-rotates\ndisabled: \"  \"\n",
        )
        .says(
            "say why the rule is disabled: `disabled: REASON`",
            "PACK/a.yaml:2:11",
        ),
        overriding(
            "a replaced check 0",
            "overrides: presidency-rotates\nreplace_checks:\n  0: {assert: \"true\", message: m}\n",
        )
        .says("`0` is not an allowed name here", "PACK/a.yaml:3:3")
        .help(
            "expected here: The number of the check replaced: 1 for the rule's first check, as \
             `govlint explain` lists them.",
        ),
        overriding(
            "a replaced check past the last",
            "overrides: presidency-rotates\nreplace_checks:\n  2: {assert: \"true\", message: m}\n",
        )
        .says(
            "there is no check 2: `presidency-rotates` has 1 check, numbered from 1 (`govlint \
             explain presidency-rotates` shows them)",
            "PACK/a.yaml:3:15",
        ),
        overriding(
            "messages of a check with none",
            "overrides: presidency-rotates\nmessages:\n  1: {}\n",
        )
        .says("this mapping needs at least 1 entry", "PACK/a.yaml:3:6")
        .help(
            "expected here: The templates that replace the check's own: one or more of \
                 `message`, `label` and `help`.",
        ),
    ]
}

#[test]
fn each_problem_of_a_pack_is_shown_with_its_text_place_and_help() {
    let cases: Vec<Case> = [
        manifest_cases(),
        file_cases(),
        expression_cases(),
        typing_cases(),
        override_cases(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let names: std::collections::HashSet<&str> = cases.iter().map(|case| case.name).collect();
    assert_eq!(names.len(), cases.len(), "every case has its own name");
    let failures: Vec<String> = cases.iter().filter_map(Case::mismatch).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn rules_check_and_test_refuse_a_broken_pack_alike() {
    let temp = written(&rule_case("", &asserting("sise(doc.members) > 0")).files);
    let expected = [Shown {
        message: "unknown function `sise`; did you mean `size`?".to_owned(),
        at: Some("PACK/one.yaml:7:13".to_owned()),
        help: None,
    }];
    for args in [
        &["rules"][..],
        &["check", "fixtures/ilgsse-vade-mecum.yaml"],
        &["test"],
    ] {
        let (code, errors, out) = run(temp.path(), args);
        assert_eq!(code, Some(2), "{args:?}: {errors}");
        assert_eq!(problems(&errors), expected, "{args:?}: {errors}");
        assert!(out.is_empty(), "{args:?}: nothing was checked: {out}");
    }
}

#[test]
fn a_folder_named_like_a_rule_file_is_not_read() {
    let temp = written(&[
        ("pack.yaml", EXTENDS_BUILTIN.as_bytes().to_vec()),
        ("old.yaml/", Vec::new()),
    ]);
    let (code, errors, out) = run(temp.path(), &["rules"]);
    assert_eq!(code, Some(0), "{errors}");
    assert!(out.contains("presidency-rotates"), "{out}");
}

// The guard: each message `src/pack` writes is shown by a test.

/// The test files that show the messages of pack loading.
const PACK_TESTS: [&str; 5] = [
    "tests/pack_errors.rs",
    "tests/packs.rs",
    "tests/pack_layers.rs",
    "tests/rule_check.rs",
    "tests/cli.rs",
];

/// Text in `src/pack` no test shows, and why none can.
const UNSHOWN: &[(&str, &str)] = &[
    (
        "an empty pack",
        "a chain of packs always holds the pack asked for",
    ),
    (
        "the pack names no `schema` for the records it checks",
        "pack.schema.json requires `schema` of a pack that extends none, and the built-in pack names one",
    ),
    (
        "a built-in schema is broken",
        "the built-in schemas are compiled by the unit test `built_in_files_pass_the_checks_a_pack_on_disk_gets`",
    ),
    (
        "the built-in pack has no file",
        "the built-in pack's files are fixed when govlint is built",
    ),
    (
        "cannot read the rule folder",
        "a folder whose pack.yaml was read but which cannot be listed needs permissions the tests' user (root) ignores",
    ),
    (
        "a pack file holds one rule, schema or fixture: split it",
        "a file over 16 MiB; the limit's message is tested for records in tests/hostile.rs",
    ),
    // What a rule's provenance says (`govlint explain`, `govlint rules`), no problem.
    (
        "parameters amended from",
        "a change an override made, not a problem",
    ),
    (
        "messages of check",
        "a change an override made, not a problem",
    ),
    (
        "custom resolver",
        "words of the schema compiler's error that `reaches_out` looks for, not a message",
    ),
    (
        "govlint fetches no schema; to add or narrow fields of the schema this pack inherits, give a `schema_overlay` in pack.yaml instead of a `$ref` to it (docs/rule-language.md, \"Adding fields\")",
        "shown in part by tests/packs.rs (`a_ref_to_the_inherited_schema_by_url…`); the rest is an engine detail of the schema compiler",
    ),
];

/// The string literals of Rust source, escapes read, continuation lines joined;
/// code after `#[cfg(test)]` is left out.
fn literals(source: &str) -> Vec<String> {
    let source = source.split("#[cfg(test)]").next().unwrap_or_default();
    let chars: Vec<char> = source.chars().collect();
    let mut found = Vec::new();
    let mut index = 0;
    while index < chars.len() {
        match chars[index] {
            '/' if chars.get(index + 1) == Some(&'/') => {
                while index < chars.len() && chars[index] != '\n' {
                    index += 1;
                }
            }
            // A character literal (`'"'`, `'\''`), not a lifetime.
            '\'' if chars.get(index + 1) == Some(&'\\') => index += 3,
            '\'' if chars.get(index + 2) == Some(&'\'') => index += 2,
            'r' if matches!(chars.get(index + 1), Some('#' | '"'))
                && !chars
                    .get(index.wrapping_sub(1))
                    .is_some_and(|c| c.is_alphanumeric() || *c == '_') =>
            {
                let hashes = chars[index + 1..].iter().take_while(|c| **c == '#').count();
                let start = index + 1 + hashes + 1;
                let close: String = std::iter::once('"')
                    .chain("#".repeat(hashes).chars())
                    .collect();
                let rest: String = chars[start.min(chars.len())..].iter().collect();
                let end = rest.find(&close).unwrap_or(rest.len());
                found.push(rest[..end].to_owned());
                index = start + rest[..end].chars().count() + close.chars().count() - 1;
            }
            '"' => {
                let mut text = String::new();
                index += 1;
                while index < chars.len() && chars[index] != '"' {
                    if chars[index] == '\\' {
                        index += 1;
                        match chars.get(index) {
                            Some('\n') => {
                                while chars.get(index + 1).is_some_and(|c| c.is_whitespace()) {
                                    index += 1;
                                }
                            }
                            Some('n') => text.push('\n'),
                            Some('t') => text.push('\t'),
                            Some(other) => text.push(*other),
                            None => {}
                        }
                    } else {
                        text.push(chars[index]);
                    }
                    index += 1;
                }
                found.push(text);
            }
            _ => {}
        }
        index += 1;
    }
    found
}

/// The parts of a message literal a test can show: its text between
/// `format!` placeholders (`{name}`, `{}`, `{:?}`), those of some length.
fn fragments(literal: &str) -> Vec<String> {
    let text = literal.replace("{{", "{").replace("}}", "}");
    let placeholder = |inside: &str| {
        inside
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '?' | '.'))
    };
    let mut parts = vec![String::new()];
    let mut rest = text.as_str();
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|close| open + close);
        match close {
            Some(close) if placeholder(&rest[open + 1..close]) => {
                parts.last_mut().unwrap().push_str(&rest[..open]);
                parts.push(String::new());
                rest = &rest[close + 1..];
            }
            _ => {
                parts.last_mut().unwrap().push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    parts.last_mut().unwrap().push_str(rest);
    parts
        .into_iter()
        .map(|part| part.trim().to_owned())
        .filter(|part| part.len() >= 12 && part.contains(' '))
        .collect()
}

/// The Rust files of `folder` and of the folders in it, sorted.
fn rust_files(folder: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// Every message literal of `src/pack` (prose: text with a space), by file.
fn pack_messages() -> Vec<(String, String)> {
    let mut messages = Vec::new();
    for path in rust_files(std::path::Path::new("src/pack")) {
        let source = std::fs::read_to_string(&path).unwrap();
        for literal in literals(&source) {
            if literal.contains(' ') {
                messages.push((path.display().to_string(), literal));
            }
        }
    }
    messages
}

/// Every literal of the pack tests, as one text: of this file, the cases
/// only, not the guard (whose `UNSHOWN` would excuse itself).
fn tested_text() -> String {
    PACK_TESTS
        .iter()
        .flat_map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let cases = text.split("\n// The guard:").next().unwrap_or_default();
            literals(cases)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_message_of_pack_loading_is_shown_by_a_test() {
    let tested = tested_text();
    let messages = pack_messages();
    assert!(messages.len() > 30, "the messages are found: {messages:?}");
    let untested: Vec<(String, String)> = messages
        .iter()
        .flat_map(|(file, literal)| {
            fragments(literal)
                .into_iter()
                .filter(|fragment| !tested.contains(fragment.as_str()))
                .map(move |fragment| (file.clone(), fragment))
        })
        .collect();
    let exempt = |fragment: &str, text: &str| text.contains(fragment) || fragment.contains(text);
    let unshown: Vec<String> = untested
        .iter()
        .filter(|(_, fragment)| !UNSHOWN.iter().any(|(text, _)| exempt(fragment, text)))
        .map(|(file, fragment)| format!("{file}: `{fragment}`"))
        .collect();
    assert!(
        unshown.is_empty(),
        "no test in {PACK_TESTS:?} shows these messages of pack loading; add a case to \
         tests/pack_errors.rs (or, if no pack can show it, say why in `UNSHOWN`):\n{}",
        unshown.join("\n")
    );
    // Each exception still excuses a message: the list does not outlive them.
    for (text, why) in UNSHOWN {
        assert!(
            untested.iter().any(|(_, fragment)| exempt(fragment, text)),
            "`{text}` ({why}) excuses no untested message of src/pack: take it off `UNSHOWN`"
        );
    }
}

#[test]
fn the_guard_reads_messages_as_written() {
    let source = "fn f() {\n    let c = '\"';\n    report(format!(\"no check {number}: `{id}` has \\\n        {count} checks\"));\n    // \"a comment\"\n}\n#[cfg(test)]\nconst T: &str = \"a test's text\";\n";
    assert_eq!(
        literals(source),
        ["no check {number}: `{id}` has {count} checks"]
    );
    assert_eq!(
        fragments("no inherited rule `{id}` to override; {help}"),
        ["no inherited rule `", "` to override;"]
    );
    assert_eq!(
        fragments("`${` is never closed by `}`"),
        ["`${` is never closed by `}`"]
    );
}
