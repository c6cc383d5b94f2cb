//! Hostile input: every file here must end in a clear diagnostic, exit 1 or 2, quickly,
//! without a crash. The files are generated, so the repository stays small.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Generous: the point is "bounded", not "fast" (speed has its own benchmark).
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Run a check that must end in findings (1) or a refusal (2).
fn check(path: &Path, extra: &[&str]) -> (Output, Value) {
    let (output, report) = run(path, extra);
    let code = output.status.code();
    assert!(
        matches!(code, Some(1 | 2)),
        "{}: exit {code:?}, stderr {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    (output, report)
}

fn run(path: &Path, extra: &[&str]) -> (Output, Value) {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_govlint"))
        .args(["check", "--format", "json"])
        .args(extra)
        .arg(path)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        started.elapsed() < TIME_LIMIT,
        "{} took {:?}",
        path.display(),
        started.elapsed()
    );
    let report = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output, report)
}

fn write(folder: &Path, name: &str, bytes: impl AsRef<[u8]>) -> std::path::PathBuf {
    let path = folder.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn first_finding(report: &Value) -> (String, String) {
    let finding = &report["findings"][0];
    (
        finding["rule"].as_str().unwrap_or_default().to_owned(),
        finding["message"].as_str().unwrap_or_default().to_owned(),
    )
}

const HEAD: &str = "format: 1\nas_of: 2016\ngroup: {id: g, name: G, established: 2014}\n";

#[test]
fn alias_bomb_stops_at_the_alias_limit() {
    let folder = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for level in 1..10u8 {
        let (name, previous) = ((b'a' + level) as char, (b'a' + level - 1) as char);
        let refs = vec![format!("*{previous}"); 9].join(",");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let (_, report) = check(&write(folder.path(), "bomb.yaml", text), &[]);
    let (rule, message) = first_finding(&report);
    assert_eq!(rule, "input-limit", "{message}");
}

#[test]
fn deep_nesting_stops_at_the_depth_limit() {
    let folder = tempfile::tempdir().unwrap();
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (_, report) = check(&write(folder.path(), "deep.yaml", text), &[]);
    let (rule, message) = first_finding(&report);
    assert!(
        rule == "input-limit" || rule == "yaml-syntax",
        "{rule}: {message}"
    );
    let text = (0..200)
        .map(|depth| format!("{}k:\n", "  ".repeat(depth)))
        .collect::<String>();
    let (_, report) = check(&write(folder.path(), "deep-block.yaml", text), &[]);
    assert_eq!(first_finding(&report).0, "input-limit");
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_reading() {
    let folder = tempfile::tempdir().unwrap();
    let path = write(
        folder.path(),
        "big.yaml",
        format!("{HEAD}note: {}\n", "x".repeat(2_000_000)),
    );
    let (output, _) = check(&path, &["--max-file-bytes", "1000000"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--max-file-bytes"));
}

#[test]
fn a_size_limit_beyond_what_spans_address_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let path = write(folder.path(), "small.yaml", HEAD);
    let (output, _) = run(&path, &["--max-file-bytes", "5000000000"]);
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("at most 2147483647 bytes"), "{said}");
}

#[test]
fn a_hundred_megabyte_scalar_is_a_finding_not_a_crash() {
    let folder = tempfile::tempdir().unwrap();
    let path = write(
        folder.path(),
        "scalar.yaml",
        format!("{HEAD}note: {}\n", "x".repeat(100 * 1024 * 1024)),
    );
    let (_, report) = check(&path, &[]);
    assert!(report["summary"]["errors"].as_u64().unwrap() >= 1);
}

#[test]
fn millions_of_keys_stop_at_the_node_limit() {
    let folder = tempfile::tempdir().unwrap();
    let text: String = (0..2_000_000).map(|key| format!("k{key}: 1\n")).collect();
    let (_, report) = check(
        &write(folder.path(), "keys.yaml", text),
        &["--max-nodes", "1000000"],
    );
    let (rule, message) = first_finding(&report);
    assert_eq!(rule, "input-limit");
    assert!(message.contains("--max-nodes"), "{message}");
}

#[test]
fn odd_encodings_and_documents_are_clear_findings() {
    let folder = tempfile::tempdir().unwrap();
    let cases: [(&str, Vec<u8>, &str); 5] = [
        (
            "utf8.yaml",
            [HEAD.as_bytes(), b"note: \xc3\x28\n"].concat(),
            "yaml-syntax",
        ),
        (
            "multi.yaml",
            format!("{HEAD}---\n{HEAD}").into_bytes(),
            "yaml-syntax",
        ),
        (
            "tags.yaml",
            format!("{HEAD}members: !!python/object:os.system [echo]\n").into_bytes(),
            "schema",
        ),
        (
            "nan.yaml",
            format!("{HEAD}format: .nan\n").into_bytes(),
            "yaml-syntax",
        ),
        (
            "huge.yaml",
            format!("{HEAD}members: [99999999999999999999999999]\n").into_bytes(),
            "schema",
        ),
    ];
    for (name, bytes, expected) in cases {
        let (_, report) = check(&write(folder.path(), name, bytes), &[]);
        let (rule, message) = first_finding(&report);
        assert!(!message.is_empty(), "{name}");
        if name != "tags.yaml" {
            assert_eq!(rule, expected, "{name}: {message}");
        }
    }
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let folder = tempfile::tempdir().unwrap();
    let text = format!("\u{feff}{HEAD}members: []\npresidencies: []\n");
    let (output, report) = run(
        &write(folder.path(), "bom.yaml", text),
        &["--rules", "tests/data/one-rule-pack"],
    );
    assert_eq!(output.status.code(), Some(0), "{report}");
}

#[test]
fn dates_far_away_are_judged_or_refused_calmly() {
    let folder = tempfile::tempdir().unwrap();
    let text = "format: 1\nas_of: 9999\ngroup: {id: g, name: G, established: 1}\nmembers:\n  - {id: FR, name: France, category: member_state}\npresidencies:\n  - {holder: FR, start: 1, end: 9999}\n";
    let (output, report) = check(&write(folder.path(), "far.yaml", text), &[]);
    assert_eq!(output.status.code(), Some(1), "{report}");
    let text = format!("{HEAD}presidencies:\n  - {{holder: FR, start: 0, end: 10000}}\n");
    let (_, report) = check(&write(folder.path(), "beyond.yaml", text), &[]);
    assert_eq!(first_finding(&report).0, "schema");
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let folder = tempfile::tempdir().unwrap();
    let text = format!(
        "{HEAD}members:\n  - {{id: \"F\\e[2J\\u202eR\", name: \"Fr\\u202eance\", category: \"x\\e]0;owned\\a\"}}\n"
    );
    let path = write(folder.path(), "evil.yaml", text);
    let output = Command::new(env!("CARGO_BIN_EXE_govlint"))
        .arg("check")
        .arg(&path)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let shown = String::from_utf8(output.stdout).unwrap();
    assert!(
        !shown
            .chars()
            .any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\u{202e}'),
        "{shown:?}"
    );
    assert!(shown.contains("\\u{1b}"), "{shown}");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_a_folder_ends_with_a_clear_error() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::create_dir(folder.path().join("records")).unwrap();
    std::os::unix::fs::symlink("..", folder.path().join("records").join("loop")).unwrap();
    write(&folder.path().join("records"), "a.yaml", HEAD);
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_govlint"))
        .args(["check", "--format", "json"])
        .arg(folder.path().join("records"))
        .output()
        .unwrap();
    assert!(started.elapsed() < TIME_LIMIT);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("link loop"));
}

#[test]
fn a_runaway_rule_is_stopped_by_the_budget_and_the_others_still_report() {
    let folder = tempfile::tempdir().unwrap();
    let events: String = (0..300)
        .map(|index| format!("  - {{id: e{index}, kind: other, date: 2016}}\n"))
        .collect();
    let path = write(
        folder.path(),
        "events.yaml",
        format!("{HEAD}events:\n{events}"),
    );
    let args = [
        "--rules",
        "tests/data/greedy-pack",
        "--max-eval-steps",
        "200000",
    ];
    let (output, report) = check(&path, &args);
    assert_eq!(
        output.status.code(),
        Some(2),
        "a rule that could not run is the pack's defect"
    );
    let errors = String::from_utf8_lossy(&output.stdout);
    assert_eq!(first_finding(&report).0, "has-events", "{errors}");
    assert_eq!(report["rule_errors"][0]["rule"], "every-pair", "{report}");
    let human = Command::new(env!("CARGO_BIN_EXE_govlint"))
        .arg("check")
        .args(args)
        .arg(&path)
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&human.stdout);
    assert!(
        shown.contains("rule `every-pair` could not be evaluated"),
        "{shown}"
    );
    assert!(shown.contains("--max-eval-steps"), "{shown}");
}

#[test]
fn a_rule_with_a_huge_expression_is_refused_not_a_stack_overflow() {
    for (operators, refused) in [(900, false), (3000, true)] {
        let folder = tempfile::tempdir().unwrap();
        let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/snapshot.schema.json");
        write(
            folder.path(),
            "pack.yaml",
            format!("name: deep\ntitle: Deep\nschema: {}\n", schema.display()),
        );
        let assert = format!("1{} > 0", "+1".repeat(operators));
        write(
            folder.path(),
            "deep.yaml",
            format!(
                "id: deep\ntitle: Deep\nseverity: error\nclause: {{section: T, text: T.}}\nrationale: R.\nchecks:\n  - assert: \"{assert}\"\n    message: never\ndocs:\n  checks: Nothing.\n"
            ),
        );
        let output = Command::new(env!("CARGO_BIN_EXE_govlint"))
            .args(["check", "--rules"])
            .arg(folder.path())
            .arg("fixtures/ilgsse-vade-mecum.yaml")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        let errors = String::from_utf8_lossy(&output.stderr);
        if refused {
            assert_eq!(output.status.code(), Some(2), "{errors}");
            assert!(errors.contains("operators, more than 1000"), "{errors}");
        } else {
            assert_eq!(output.status.code(), Some(0), "{errors}");
        }
    }
}
