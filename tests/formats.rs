//! The machine formats (SARIF, GitHub workflow commands, JUnit XML) report exactly
//! what the JSON report does, each in a shape its consumer accepts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{govlint, stdout};

use serde_json::Value;
use std::collections::BTreeSet;

const PACK: &str = "tests/data/one-rule-pack";
const FAIL: &str = "fixtures/rules/presidency-term-length/fail.yaml";
const LIVE: &str = "tests/data/waivers/live.yaml";
const STALE: &str = "tests/data/waivers/stale.yaml";
const BAD: &str = "tests/data/bad/";

/// The inputs every format is checked on: arguments after `check`.
const INPUTS: [&[&str]; 5] = [
    &[FAIL, "--rules", PACK],
    &[LIVE, "--rules", PACK],
    &[STALE, "--rules", PACK],
    &[BAD],
    // With the built-in pack's fixes, which SARIF carries as `fixes`.
    &[
        "fixtures/handover/current.yaml",
        "--proposal",
        "fixtures/handover/wrong-term-length.yaml",
    ],
];

/// (rule, file, line, column): what every format must agree on.
type Key = (String, String, u64, u64);

/// The report in `format`, with the exit code.
fn check(format: &str, args: &[&str]) -> (i32, String) {
    let mut all = vec!["check", "--format", format];
    all.extend_from_slice(args);
    let output = govlint(&all);
    let stdout = String::from_utf8(output.stdout).unwrap();
    let code = output.status.code().unwrap();
    assert!(
        code == 0 || code == 1,
        "govlint {all:?} exited {code}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (code, stdout)
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&check("json", args).1).unwrap()
}

fn json_findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().unwrap()
}

fn json_keys(report: &Value) -> BTreeSet<Key> {
    json_findings(report)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["file"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            out.push(u8::from_str_radix(&text[at + 1..at + 3], 16).unwrap());
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

// ---------------------------------------------------------------- SARIF

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/sarif-schema-2.1.0.json"
    ))
    .unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn sarif_keys(log: &Value) -> BTreeSet<Key> {
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| {
            let location = &result["locations"][0]["physicalLocation"];
            (
                result["ruleId"].as_str().unwrap().to_owned(),
                percent_decode(location["artifactLocation"]["uri"].as_str().unwrap()),
                location["region"]["startLine"].as_u64().unwrap(),
                location["region"]["startColumn"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_sarif_validator_rejects_what_is_not_sarif() {
    let validator = sarif_validator();
    let log = |level: &str, uri: &str| {
        serde_json::json!({
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": "govlint"}},
                "results": [{
                    "level": level,
                    "message": {"text": "m"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                }],
            }],
        })
    };
    assert!(validator.is_valid(&log("error", "a%20b.yaml")));
    assert!(!validator.is_valid(&log("fatal", "a.yaml")));
    // The schema is draft-04, which knows no `uri-reference` format: URIs are checked here.
    assert!(validator.is_valid(&log("error", "a b.yaml")));
    assert!(!is_uri_reference("a b.yaml") && is_uri_reference("a%20b.yaml"));
}

/// Only the characters RFC 3986 allows in a URI reference, `%` only as an escape.
fn is_uri_reference(uri: &str) -> bool {
    let bytes = uri.as_bytes();
    bytes.iter().enumerate().all(|(at, byte)| {
        byte.is_ascii_alphanumeric()
            || b"-._~:/?#[]@!$&'()*+,;=".contains(byte)
            || (*byte == b'%'
                && bytes
                    .get(at + 1..at + 3)
                    .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)))
    })
}

#[test]
fn sarif_is_valid_and_locates_what_json_does() {
    let validator = sarif_validator();
    for args in INPUTS {
        let (_, text) = check("sarif", args);
        let log: Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");

        assert_eq!(
            log["$schema"],
            "https://json.schemastore.org/sarif-2.1.0.json"
        );
        assert_eq!(log["version"], "2.1.0");
        let runs = log["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "govlint");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        let rules = driver["rules"].as_array().unwrap();

        let report = json(args);
        let findings = json_findings(&report);
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), findings.len(), "{args:?}");
        for (result, finding) in results.iter().zip(findings) {
            assert_eq!(result["ruleId"], finding["rule"]);
            let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
            assert_eq!(
                rules[index]["id"], finding["rule"],
                "ruleIndex points at the rule"
            );
            assert_eq!(result["level"], finding["severity"]);
            let message = result["message"]["text"].as_str().unwrap();
            assert!(
                message.starts_with(finding["message"].as_str().unwrap()),
                "{message}"
            );
            let location = &result["locations"][0]["physicalLocation"];
            assert_eq!(location["artifactLocation"]["uri"], finding["file"]);
            assert!(is_uri_reference(
                location["artifactLocation"]["uri"].as_str().unwrap()
            ));
            let region = &location["region"];
            assert_eq!(region["startLine"], finding["line"]);
            assert_eq!(region["startColumn"], finding["column"]);
            assert_eq!(region["endLine"], finding["end_line"]);
            assert_eq!(region["endColumn"], finding["end_column"]);
            match finding["waived"].as_str() {
                Some(reason) => assert_eq!(
                    result["suppressions"],
                    serde_json::json!([{"kind": "external", "status": "accepted", "justification": reason}])
                ),
                None => assert!(result.get("suppressions").is_none(), "{result}"),
            }
        }
        assert_eq!(sarif_keys(&log), json_keys(&report));
    }
}

#[test]
fn sarif_describes_every_rule_of_the_pack_and_of_the_engine() {
    for pack in [&["--rules", PACK][..], &[]] {
        let listed = govlint(&[&["rules"][..], pack].concat());
        let pack_ids: Vec<String> = String::from_utf8(listed.stdout)
            .unwrap()
            .lines()
            .filter(|line| !line.ends_with("(govlint)"))
            .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
            .collect();
        assert!(!pack_ids.is_empty());
        let (_, text) = check("sarif", &[&[FAIL][..], pack].concat());
        let log: Value = serde_json::from_str(&text).unwrap();
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        let ids: Vec<&str> = rules
            .iter()
            .map(|rule| rule["id"].as_str().unwrap())
            .collect();
        let engine = [
            "yaml-syntax",
            "input-limit",
            "schema",
            "invalid-date",
            "rule-pack",
            "waiver-expired",
            "waiver-unused",
            "waiver-target",
        ];
        for id in pack_ids.iter().map(String::as_str).chain(engine) {
            assert_eq!(
                ids.iter().filter(|known| **known == id).count(),
                1,
                "{id} in {ids:?}"
            );
        }
        for rule in rules {
            for field in [
                "name",
                "shortDescription",
                "fullDescription",
                "help",
                "defaultConfiguration",
            ] {
                assert!(rule.get(field).is_some(), "{field} missing in {rule}");
            }
            assert!(!rule["help"]["text"].as_str().unwrap().is_empty());
            let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
            assert!(level == "error" || level == "warning", "{level}");
            if pack_ids.iter().any(|id| rule["id"] == id.as_str()) {
                let clause = rule["properties"]["clause"].as_str().unwrap();
                assert!(
                    rule["help"]["text"].as_str().unwrap().contains(clause),
                    "{rule}"
                );
            }
        }
        let term_length = rules
            .iter()
            .find(|rule| rule["id"] == "presidency-term-length")
            .unwrap();
        assert_eq!(term_length["name"], "PresidencyTermLength");
        assert_eq!(
            term_length["shortDescription"]["text"],
            "Every presidency term lasts two years"
        );
        assert_eq!(term_length["defaultConfiguration"]["level"], "error");
        let expired = rules
            .iter()
            .find(|rule| rule["id"] == "waiver-expired")
            .unwrap();
        assert_eq!(expired["defaultConfiguration"]["level"], "warning");
    }
}

// ---------------------------------------------------------------- GitHub

/// One parsed workflow command: (kind, properties, message).
struct WorkflowCommand {
    kind: String,
    properties: Vec<(String, String)>,
    message: String,
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// `^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[^:]+::.+$`
fn parse_command(line: &str) -> Option<WorkflowCommand> {
    let rest = line.strip_prefix("::")?;
    let (kind, rest) = rest.split_once(' ')?;
    if !["error", "warning", "notice"].contains(&kind) {
        return None;
    }
    let (properties, message) = rest.split_once("::")?;
    if message.is_empty() || message.contains(['\n', '\r']) {
        return None;
    }
    let properties: Vec<(String, String)> = properties
        .split(',')
        .map(|pair| {
            pair.split_once('=')
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
        })
        .collect::<Option<_>>()?;
    let names: Vec<&str> = properties.iter().map(|(name, _)| name.as_str()).collect();
    if names != ["file", "line", "col", "endLine", "endColumn", "title"] {
        return None;
    }
    for (name, value) in &properties {
        let fine = match name.as_str() {
            "line" | "col" | "endLine" | "endColumn" => all_digits(value),
            _ => !value.is_empty() && !value.contains([':', ',']),
        };
        if !fine {
            return None;
        }
    }
    Some(WorkflowCommand {
        kind: kind.to_owned(),
        properties,
        message: message.to_owned(),
    })
}

fn unescape(text: &str) -> String {
    text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

fn github_commands(args: &[&str]) -> Vec<WorkflowCommand> {
    let (_, text) = check("github", args);
    text.lines()
        .map(|line| {
            parse_command(line).unwrap_or_else(|| panic!("not a workflow command: {line:?}"))
        })
        .collect()
}

fn property<'a>(command: &'a WorkflowCommand, name: &str) -> &'a str {
    &command
        .properties
        .iter()
        .find(|(key, _)| key == name)
        .unwrap()
        .1
}

#[test]
fn the_matcher_accepts_commands_and_rejects_others() {
    assert!(
        parse_command("::error file=a.yaml,line=1,col=2,endLine=3,endColumn=4,title=r::m")
            .is_some()
    );
    assert!(
        parse_command("::debug file=a.yaml,line=1,col=2,endLine=3,endColumn=4,title=r::m")
            .is_none()
    );
    assert!(
        parse_command("::error file=a,b.yaml,line=1,col=2,endLine=3,endColumn=4,title=r::m")
            .is_none()
    );
    assert!(
        parse_command("::error file=a.yaml,line=x,col=2,endLine=3,endColumn=4,title=r::m")
            .is_none()
    );
    assert!(
        parse_command("::error file=a.yaml,line=1,col=2,endLine=3,endColumn=4,title=r::").is_none()
    );
    assert!(
        parse_command("error file=a.yaml,line=1,col=2,endLine=3,endColumn=4,title=r::m").is_none()
    );
}

#[test]
fn github_gives_one_workflow_command_per_finding() {
    for args in INPUTS {
        let commands = github_commands(args);
        let report = json(args);
        let findings = json_findings(&report);
        assert_eq!(commands.len(), findings.len(), "{args:?}");
        for (command, finding) in commands.iter().zip(findings) {
            let expected_kind = match finding["waived"].as_str() {
                Some(_) => "notice",
                None => finding["severity"].as_str().unwrap(),
            };
            assert_eq!(command.kind, expected_kind);
            assert_eq!(
                unescape(property(command, "file")),
                finding["file"].as_str().unwrap()
            );
            assert_eq!(
                unescape(property(command, "title")),
                finding["rule"].as_str().unwrap()
            );
            for (name, field) in [
                ("line", "line"),
                ("col", "column"),
                ("endLine", "end_line"),
                ("endColumn", "end_column"),
            ] {
                assert_eq!(
                    property(command, name),
                    finding[field].to_string(),
                    "{name}"
                );
            }
            let message = unescape(&command.message);
            assert!(
                message.starts_with(finding["message"].as_str().unwrap()),
                "{message}"
            );
            if let Some(help) = finding["help"].as_str() {
                assert!(message.ends_with(&format!("\n{help}")), "{message}");
            }
            if let Some(reason) = finding["waived"].as_str() {
                assert!(
                    message.contains(&format!("(waived: {reason})")),
                    "{message}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------- JUnit

/// Per failure: (suite file, rule, lines of the failure text); per system-out: the same.
struct JunitReport {
    failing: Vec<(String, String, Vec<String>)>,
    waived: Vec<(String, String, Vec<String>)>,
    tests: usize,
}

fn attribute<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> &'a str {
    node.attribute(name)
        .unwrap_or_else(|| panic!("no {name} on {node:?}"))
}

fn count(node: roxmltree::Node<'_, '_>, name: &str) -> usize {
    attribute(node, name).parse().unwrap()
}

fn parse_junit(text: &str) -> JunitReport {
    assert!(
        text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        "{text}"
    );
    let document = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(attribute(root, "name"), "govlint");
    let mut report = JunitReport {
        failing: Vec::new(),
        waived: Vec::new(),
        tests: 0,
    };
    let (mut all_tests, mut all_failures) = (0, 0);
    for suite in root.children().filter(roxmltree::Node::is_element) {
        assert_eq!(suite.tag_name().name(), "testsuite");
        let file = attribute(suite, "name");
        let cases: Vec<_> = suite
            .children()
            .filter(roxmltree::Node::is_element)
            .collect();
        assert_eq!(count(suite, "tests"), cases.len(), "{file}");
        let mut failures = 0;
        for case in cases {
            assert_eq!(case.tag_name().name(), "testcase");
            assert_eq!(attribute(case, "classname"), file);
            let rule = attribute(case, "name").to_owned();
            let lines = |node: roxmltree::Node<'_, '_>| -> Vec<String> {
                node.text()
                    .unwrap_or_default()
                    .lines()
                    .map(str::to_owned)
                    .collect()
            };
            let case_failures: Vec<_> = case
                .children()
                .filter(|n| n.has_tag_name("failure"))
                .collect();
            assert!(case_failures.len() <= 1, "one failure per test case");
            for failure in case_failures {
                failures += 1;
                let found = lines(failure);
                let noun = if found.len() == 1 {
                    "finding"
                } else {
                    "findings"
                };
                assert_eq!(
                    attribute(failure, "message"),
                    format!("{} {noun}", found.len())
                );
                let kind = attribute(failure, "type");
                assert!(kind == "error" || kind == "warning", "{kind}");
                report.failing.push((file.to_owned(), rule.clone(), found));
            }
            for out in case.children().filter(|n| n.has_tag_name("system-out")) {
                report
                    .waived
                    .push((file.to_owned(), rule.clone(), lines(out)));
            }
            report.tests += 1;
        }
        assert_eq!(count(suite, "failures"), failures, "{file}");
        all_tests += count(suite, "tests");
        all_failures += failures;
    }
    assert_eq!(count(root, "tests"), all_tests);
    assert_eq!(count(root, "failures"), all_failures);
    report
}

/// `LINE:COL severity message…` → (line, column).
fn line_column(line: &str) -> (u64, u64) {
    let (place, _) = line.split_once(' ').unwrap();
    let (line, column) = place.split_once(':').unwrap();
    (line.parse().unwrap(), column.parse().unwrap())
}

fn junit_keys(report: &JunitReport) -> BTreeSet<Key> {
    report
        .failing
        .iter()
        .chain(&report.waived)
        .flat_map(|(file, rule, lines)| {
            lines.iter().map(|text| {
                let (line, column) = line_column(text);
                (rule.clone(), file.clone(), line, column)
            })
        })
        .collect()
}

#[test]
fn junit_is_xml_with_one_case_per_rule_and_the_failures_json_reports() {
    for args in INPUTS {
        let (_, text) = check("junit", args);
        let junit = parse_junit(&text);
        let report = json(args);
        let findings = json_findings(&report);
        // Without --deny-warnings only live errors fail; warnings are told.
        let fails = |f: &&Value| f["waived"].is_null() && f["severity"] == "error";
        let live = findings.iter().filter(fails).count();
        let waived = findings.len() - live;
        let failing_lines: usize = junit.failing.iter().map(|(_, _, lines)| lines.len()).sum();
        let waived_lines: usize = junit.waived.iter().map(|(_, _, lines)| lines.len()).sum();
        assert_eq!(failing_lines, live, "{args:?}");
        assert_eq!(waived_lines, waived, "{args:?}");
        for (_, _, lines) in &junit.waived {
            assert!(
                lines
                    .iter()
                    .all(|line| line.contains("(waived: ") || line.contains(" warning ")),
                "{lines:?}"
            );
        }
        for finding in findings.iter().filter(fails) {
            let (file, rule) = (
                finding["file"].as_str().unwrap(),
                finding["rule"].as_str().unwrap(),
            );
            let (_, _, lines) = junit
                .failing
                .iter()
                .find(|(f, r, _)| f == file && r == rule)
                .unwrap();
            let expected = format!(
                "{}:{} {} {}",
                finding["line"],
                finding["column"],
                finding["severity"].as_str().unwrap(),
                finding["message"].as_str().unwrap()
            );
            assert!(
                lines.iter().any(|line| line.starts_with(&expected)),
                "{expected} in {lines:?}"
            );
        }
        assert_eq!(junit_keys(&junit), json_keys(&report), "{args:?}");
    }
    // The one-rule pack gives each file a case for its rule, passing or not.
    let (_, text) = check(
        "junit",
        &[
            "fixtures/rules/presidency-term-length/pass.yaml",
            "--rules",
            PACK,
        ],
    );
    let junit = parse_junit(&text);
    assert_eq!((junit.tests, junit.failing.len()), (1, 0));
    // The built-in pack: every rule is a test case of every file; engine codes only where found.
    let (_, text) = check("junit", &[BAD]);
    let junit = parse_junit(&text);
    let rules = String::from_utf8(govlint(&["rules"]).stdout)
        .unwrap()
        .lines()
        .filter(|line| !line.ends_with("(govlint)"))
        .count();
    assert_eq!(junit.tests, 9 * rules + 9);
}

#[test]
fn junit_fails_a_case_for_a_warning_only_when_the_run_fails() {
    // A roadmap with no end recorded: a warning and no error, the run exits 0.
    const WARNED: &str = "fixtures/rules/presidency-roadmap/fail-open-period.yaml";
    let (code, text) = check("junit", &[WARNED]);
    let junit = parse_junit(&text);
    let warned = json_findings(&json(&[WARNED]))
        .iter()
        .filter(|f| f["severity"] == "warning" && f["waived"].is_null())
        .count();
    assert!(warned > 0, "the fixture has warnings to tell");
    assert_eq!(code, 0);
    assert!(junit.failing.is_empty(), "{:?}", junit.failing);
    // With --deny-warnings the run fails, and so do their cases.
    let (code, text) = check("junit", &[WARNED, "--deny-warnings"]);
    let junit = parse_junit(&text);
    assert_eq!(code, 1);
    let failing: usize = junit.failing.iter().map(|(_, _, lines)| lines.len()).sum();
    assert_eq!(failing, warned);
}

#[test]
fn junit_survives_text_that_xml_cannot_hold() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd <&> 'name'.yaml");
    let original = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/bad/misspelt-category.yaml"
    ))
    .unwrap();
    let odd = original.replace(
        "memberstate",
        "\"<member> & \\\"state\\\" \\e[31m \\0 \\u0007 ]]>\"",
    );
    std::fs::write(&path, odd).unwrap();
    let path = path.to_str().unwrap();
    let (code, text) = check("junit", &[path]);
    assert_eq!(code, 1);
    let junit = parse_junit(&text);
    assert_eq!(junit.failing.len(), 1, "{text}");
    let line = &junit.failing[0].2[0];
    assert!(line.contains("<member> & \"state\""), "{line}");
    assert!(line.contains("]]>"), "{line}");
    // The file name keeps its markup too.
    assert_eq!(junit.failing[0].0, path);

    // The other formats take the same text.
    let (_, text) = check("sarif", &[path]);
    let log: Value = serde_json::from_str(&text).unwrap();
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&log)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap();
    assert!(
        uri.starts_with("file:///") && is_uri_reference(uri),
        "{uri}"
    );
    assert_eq!(
        format!("/{}", percent_decode(uri.strip_prefix("file:///").unwrap())),
        path
    );
    let commands = github_commands(&[path]);
    assert_eq!(commands.len(), 1);
}

// ---------------------------------------------------------------- all formats

/// (rule, file, line, column) of every finding in the human report.
fn human_keys(text: &str) -> BTreeSet<Key> {
    let mut keys = BTreeSet::new();
    let mut rule = None;
    for line in text.lines() {
        if !line.is_empty() && !line.starts_with(' ') {
            rule = Some(line.to_owned());
        } else if let Some((_, place)) = line.split_once("╭─[") {
            let place = place.strip_suffix(']').unwrap();
            let mut parts = place.rsplitn(3, ':');
            let column = parts.next().unwrap().parse().unwrap();
            let line = parts.next().unwrap().parse().unwrap();
            let file = parts.next().unwrap().to_owned();
            keys.insert((rule.take().unwrap(), file, line, column));
        }
    }
    keys
}

fn github_keys(args: &[&str]) -> BTreeSet<Key> {
    github_commands(args)
        .iter()
        .map(|command| {
            (
                unescape(property(command, "title")),
                unescape(property(command, "file")),
                property(command, "line").parse().unwrap(),
                property(command, "col").parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_format_reports_the_same_findings_at_the_same_places() {
    for args in INPUTS {
        let expected = json_keys(&json(args));
        assert!(!expected.is_empty(), "{args:?}");
        let (_, human) = check("human", args);
        let (_, sarif) = check("sarif", args);
        let (_, junit) = check("junit", args);
        assert_eq!(human_keys(&human), expected, "human {args:?}");
        assert_eq!(
            sarif_keys(&serde_json::from_str(&sarif).unwrap()),
            expected,
            "sarif {args:?}"
        );
        assert_eq!(github_keys(args), expected, "github {args:?}");
        assert_eq!(junit_keys(&parse_junit(&junit)), expected, "junit {args:?}");
    }
}

#[test]
fn exit_codes_do_not_depend_on_the_format() {
    for args in INPUTS {
        let codes: Vec<i32> = ["human", "json", "sarif", "github", "junit"]
            .iter()
            .map(|format| check(format, args).0)
            .collect();
        assert!(
            codes.iter().all(|code| *code == codes[0]),
            "{args:?}: {codes:?}"
        );
    }
}

#[test]
fn concise_prints_one_line_per_finding_then_the_summary() {
    let output = govlint(&[
        "check",
        "--format",
        "concise",
        "fixtures/ilgsse-vade-mecum.yaml",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let out = stdout(&output);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 20, "{out}");
    assert_eq!(
        lines[0],
        "fixtures/ilgsse-vade-mecum.yaml:50:5: warning member-declaration-signed (not recorded): \
         no signature of the joint declaration is recorded for `CO` (Colombia)"
    );
    assert_eq!(lines[19], "0 errors, 19 warnings in 1 file");
}

#[test]
fn statistics_count_each_rule_by_verdict_in_text_and_json() {
    let output = govlint(&["check", "--statistics", "fixtures/ilgsse-vade-mecum.yaml"]);
    assert_eq!(
        stdout(&output),
        "19 findings by rule:\n  \
         17  warning  member-declaration-signed (not recorded)\n   \
         1  warning  presidency-designated-by-consensus (not recorded)\n   \
         1  warning  presidency-roadmap (not recorded)\n\n\
         0 errors, 19 warnings in 1 file\n"
    );
    let output = govlint(&[
        "check",
        "--format",
        "json",
        "fixtures/ilgsse-vade-mecum.yaml",
    ]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report["statistics"][0],
        serde_json::json!({"rule": "member-declaration-signed", "verdict": "not-recorded",
            "severity": "warning", "count": 17, "waived": 0})
    );
}

#[test]
fn a_rule_that_fires_often_is_shown_a_few_times_then_listed() {
    let grouped = stdout(&govlint(&["check", "fixtures/ilgsse-vade-mecum.yaml"]));
    let full = |text: &str| {
        text.matches("⚠ no signature of the joint declaration")
            .count()
    };
    assert_eq!(full(&grouped), 3, "{grouped}");
    assert!(
        grouped.contains("member-declaration-signed (not recorded): 14 more like the above"),
        "{grouped}"
    );
    assert!(grouped.contains("  fixtures/ilgsse-vade-mecum.yaml:117:5: no signature"));
    // The overview opens the report, before any detail.
    assert!(grouped.starts_with("19 findings by rule:\n"), "{grouped}");
    let every = stdout(&govlint(&[
        "check",
        "--every-finding",
        "fixtures/ilgsse-vade-mecum.yaml",
    ]));
    assert_eq!(full(&every), 17);
    assert!(!every.contains("more like the above"));
}

#[test]
fn windows_line_endings_leave_no_mark_in_snippets() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("crlf.yaml");
    let text = std::fs::read_to_string("fixtures/rules/presidency-term-length/fail.yaml")
        .unwrap()
        .replace('\n', "\r\n");
    std::fs::write(&path, text).unwrap();
    let out = stdout(&govlint(&["check", path.to_str().unwrap()]));
    assert!(out.contains("lasts 3 years"), "{out}");
    assert!(!out.contains('?'), "{out}");
}
