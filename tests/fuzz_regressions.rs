//! Inputs that once crashed or hung govlint, found by fuzzing (`fuzz/`, see
//! docs/fuzzing.md) or by probing what a rule pack may name. Each runs the same
//! path as the finding did and asserts a clear error, quickly, with no panic.
//! Minimised inputs live in `tests/data/fuzz/`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Far more than any of these needs once fixed; a hang is stopped here.
const TIME_LIMIT: Duration = Duration::from_secs(20);

/// Run `command`, killing it if it outlives [`TIME_LIMIT`]; `None` if it had to be killed.
fn run_bounded(mut command: Command) -> Option<Output> {
    let mut child: Child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    let started = Instant::now();
    loop {
        if child
            .try_wait()
            .expect("the child can be waited on")
            .is_some()
        {
            return Some(child.wait_with_output().expect("its output is read"));
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn govlint() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_govlint"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    command
}

/// A pack folder holding `pack.yaml` with `manifest` and the given rule files.
fn pack(folder: &Path, manifest: &str, rules: &[(&str, &str)]) {
    std::fs::write(folder.join("pack.yaml"), manifest).unwrap();
    for (name, text) in rules {
        std::fs::write(folder.join(name), text).unwrap();
    }
}

#[cfg(target_os = "linux")]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Exit 2 with an error naming `what`, within the time limit.
fn assert_refused(output: Option<Output>, what: &str) -> String {
    let output = output.unwrap_or_else(|| panic!("govlint still ran after {TIME_LIMIT:?}"));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "govlint panicked:\n{stderr}");
    assert_eq!(output.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(
        stderr.contains(what),
        "the error should name `{what}`:\n{stderr}"
    );
    stderr
}

const SNAPSHOT: &str = "fixtures/ilgsse-vade-mecum.yaml";

/// A manifest's `schema:` may name any path; a FIFO (or `/dev/stdin` on a terminal)
/// never ends, so reading it must not be blocking forever. Found by probing, not by
/// the fuzzer (which keeps the manifest fixed).
#[cfg(target_os = "linux")]
#[test]
fn a_pack_schema_naming_a_fifo_does_not_hang() {
    let folder = tempfile::tempdir().unwrap();
    let fifo = folder.path().join("schema.fifo");
    mkfifo(&fifo);
    pack(
        folder.path(),
        "name: fifo\ntitle: A schema that is a FIFO\nschema: schema.fifo\n",
        &[],
    );
    let mut command = govlint();
    command
        .args(["check", "--rules"])
        .arg(folder.path())
        .arg(SNAPSHOT);
    assert_refused(run_bounded(command), "schema.fifo");
}

/// `schema: /dev/zero` is endless: it must be refused by a size limit, not read until
/// memory runs out (on a machine with no memory limit, that is all of its memory).
/// The child runs under a 4 GiB address-space limit so that, unfixed, it fails with
/// "out of memory" instead of taking the machine down.
#[cfg(target_os = "linux")]
#[test]
fn a_pack_schema_naming_dev_zero_is_refused_by_a_size_limit() {
    let folder = tempfile::tempdir().unwrap();
    pack(
        folder.path(),
        "name: zero\ntitle: A schema that never ends\nschema: /dev/zero\n",
        &[],
    );
    let mut command = Command::new("sh");
    command
        .args(["-c", "ulimit -v 4194304 && exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_govlint"))
        .args(["check", "--rules"])
        .arg(folder.path())
        .arg(SNAPSHOT)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    let stderr = assert_refused(run_bounded(command), "/dev/zero");
    assert!(
        !stderr.contains("out of memory"),
        "the schema was read until memory ran out instead of being refused by a limit:\n{stderr}"
    );
}

/// A rule's `tests: - file:` is read by `govlint test` the same way.
#[cfg(target_os = "linux")]
#[test]
fn a_rule_test_file_naming_a_fifo_does_not_hang() {
    let folder = tempfile::tempdir().unwrap();
    let fifo = folder.path().join("case.fifo");
    mkfifo(&fifo);
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/snapshot.schema.json");
    pack(
        folder.path(),
        &format!(
            "name: fifo\ntitle: A test case that is a FIFO\nschema: {}\n",
            schema.display()
        ),
        &[("rule.yaml", RULE_WITH_FIFO_CASE)],
    );
    let mut command = govlint();
    command.args(["test", "--rules"]).arg(folder.path());
    let output = run_bounded(command)
        .unwrap_or_else(|| panic!("`govlint test` still ran after {TIME_LIMIT:?}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stderr.contains("panicked"), "govlint panicked:\n{stderr}");
    assert!(
        matches!(output.status.code(), Some(1 | 2)),
        "exit {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status.code()
    );
    assert!(
        stdout.contains("case.fifo") || stderr.contains("case.fifo"),
        "the report should name the unreadable case:\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
}

const RULE_WITH_FIFO_CASE: &str = "\
id: fifo-case
title: A rule whose test case is a FIFO
severity: error
clause: {section: Tests, text: A clause.}
rationale: To test that a test case that never ends is refused.
checks:
  - assert: 'true'
    message: never
docs:
  checks: Nothing real.
tests:
  - file: case.fifo
  - file: case.fifo
    expect:
      - at: /as_of
";

/// Found by `cel_condition` (minimised): 96 opening parentheses then `?.`. The cel
/// crate's parser counts nesting in a `u16` that its error recovery takes below zero:
/// `attempt to subtract with overflow` at cel-0.12.0/src/parser/parser.rs:406 in any
/// build with overflow checks (`cargo test`, debug builds); a release build wraps and
/// reports a misleading "Recursion limit of 96 exceeded".
const CEL_DEPTH_UNDERFLOW: &str = "tests/data/fuzz/cel-parser-depth-underflow.cel";
/// The same underflow without a single bracket: 97 chained conditionals (`1?1:` each
/// nests one more expression) then `?.`, which the bracket-nesting check in
/// src/expr.rs (`MAX_NESTING`) does not count.
const CEL_DEPTH_UNDERFLOW_TERNARY: &str = "tests/data/fuzz/cel-parser-depth-underflow-ternary.cel";

const CEL_PARSER_CRASHES: [&str; 2] = [CEL_DEPTH_UNDERFLOW, CEL_DEPTH_UNDERFLOW_TERNARY];

fn data(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

/// Compiled on a thread with the binary's worker stack (`WORKER_STACK_BYTES` in
/// src/main.rs): on a default 2 MiB test thread a debug build overflows the stack
/// parsing such text before it reaches the underflow, which would abort every test here.
#[test]
fn a_deeply_nested_condition_is_an_error_not_a_parser_panic() {
    for file in CEL_PARSER_CRASHES {
        let text = data(file);
        let outcome = std::thread::Builder::new()
            .stack_size(64 * 1024 * 1024)
            .spawn(move || govlint::expr::Expression::compile(&text).map(|_| ()))
            .unwrap()
            .join();
        match outcome {
            Err(_) => panic!("Expression::compile panicked on {file}"),
            Ok(Ok(())) => panic!("{file} compiled, but it is not an expression"),
            Ok(Err(message)) => assert!(!message.is_empty()),
        }
    }
}

/// The same conditions in a rule file, through the binary: a pack problem, exit 2.
#[test]
fn a_rule_with_a_deeply_nested_condition_is_a_pack_problem() {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/snapshot.schema.json");
    for file in CEL_PARSER_CRASHES {
        let folder = tempfile::tempdir().unwrap();
        let condition = data(file);
        pack(
            folder.path(),
            &format!(
                "name: deep\ntitle: A rule whose condition nests too deep\nschema: {}\n",
                schema.display()
            ),
            &[(
                "deep.yaml",
                &format!(
                    "id: deep\ntitle: Deep\nseverity: error\nclause: {{section: S, text: T.}}\n\
                     rationale: Found by fuzzing.\nchecks:\n  - assert: '{condition}'\n    \
                     message: never\ndocs:\n  checks: Nothing real.\n"
                ),
            )],
        );
        let mut command = govlint();
        command.args(["rules", "--rules"]).arg(folder.path());
        let stderr = assert_refused(run_bounded(command), "deep.yaml");
        assert!(stderr.contains("rule-pack"), "{file}: {stderr}");
    }
}
