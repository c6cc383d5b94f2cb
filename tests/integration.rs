//! govlint as CI and editors meet it: the pre-commit hooks, the GitHub Action,
//! shell completions, the man page, and the examples in every command's help.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{govlint, read, stdout, yaml};

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// The subcommands `govlint --help` lists (less clap's own `help`).
fn subcommands() -> Vec<String> {
    let help = stdout(&govlint(&["--help"]));
    let listed = help
        .split("Commands:")
        .nth(1)
        .expect("--help lists the commands");
    let names: Vec<String> = listed
        .lines()
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect();
    for expected in [
        "check",
        "test",
        "rules",
        "explain",
        "schema",
        "completions",
        "man",
    ] {
        assert!(
            names.iter().any(|name| name == expected),
            "{expected} in {names:?}"
        );
    }
    names
}

fn str_at<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is a string in {value}"))
}

// ---------------------------------------------------------------- pre-commit

fn hook<'a>(hooks: &'a [Value], id: &str) -> &'a Value {
    hooks
        .iter()
        .find(|hook| hook["id"] == id)
        .unwrap_or_else(|| panic!("a hook `{id}`"))
}

#[test]
fn pre_commit_hooks_declare_govlint_govlint_new_and_govlint_test() {
    let manifest = yaml(".pre-commit-hooks.yaml");
    let hooks = manifest
        .as_array()
        .expect("the manifest is a list of hooks");
    let ids: Vec<&str> = hooks.iter().map(|hook| str_at(hook, "id")).collect();
    assert_eq!(ids, ["govlint", "govlint-new", "govlint-test"]);
    for hook in hooks {
        for key in ["id", "name", "entry", "language"] {
            assert!(!str_at(hook, key).is_empty(), "{key} in {hook}");
        }
        assert_eq!(str_at(hook, "language"), "rust", "{hook}");
        // The entry names a real subcommand of the binary the hook installs.
        let words: Vec<&str> = str_at(hook, "entry").split_whitespace().collect();
        assert_eq!(words[0], "govlint");
        let help = govlint(&[words[1], "--help"]);
        assert!(help.status.success(), "`{}` is a command", words[1]);
        for flag in words.iter().filter(|word| word.starts_with("--")) {
            assert!(
                stdout(&help).contains(flag),
                "`{flag}` is a flag of {}",
                words[1]
            );
        }
    }

    let check = hook(hooks, "govlint");
    assert_eq!(str_at(check, "entry"), "govlint check");
    assert_eq!(str_at(check, "files"), r"\.ya?ml$");
    assert_ne!(
        check["pass_filenames"], false,
        "check takes the staged files"
    );

    // Only what the commit introduces: the staged files against the last commit.
    let new = hook(hooks, "govlint-new");
    assert_eq!(str_at(new, "entry"), "govlint check --base HEAD");
    assert_ne!(new["pass_filenames"], false);

    let test = hook(hooks, "govlint-test");
    assert_eq!(str_at(test, "entry"), "govlint test --rules");
    assert_eq!(test["pass_filenames"], false);
    // `--rules` needs its folder: the default `args` supply one.
    let args = test["args"].as_array().expect("default args");
    assert_eq!(args.len(), 1);
}

#[test]
fn the_pre_commit_hooks_run_as_pre_commit_runs_them() {
    // pre-commit runs `entry`, then `args`, then the file names.
    let output = govlint(&["check", "fixtures/rules/presidency-term-length/fail.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    // The pack's own verdict is the pack's business: the call must be one govlint accepts.
    let output = govlint(&["test", "--rules", "rules"]);
    assert_ne!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(stdout(&output).contains(" passed, "), "{}", stdout(&output));
}

// ------------------------------------------------------------ GitHub Action

fn action() -> Value {
    yaml("action.yml")
}

fn declared_inputs(action: &Value) -> BTreeSet<String> {
    action["inputs"]
        .as_object()
        .expect("inputs")
        .keys()
        .cloned()
        .collect()
}

fn steps(action: &Value) -> &[Value] {
    action["runs"]["steps"].as_array().expect("runs.steps")
}

/// Every `inputs.NAME` (or `inputs['NAME']`) an expression in `text` reads.
fn inputs_read(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("inputs") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "inputs".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.') {
            continue;
        }
        let name: String = if let Some(dotted) = rest.strip_prefix('.') {
            dotted
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .collect()
        } else if let Some(quoted) = rest.strip_prefix("['") {
            quoted.chars().take_while(|c| *c != '\'').collect()
        } else {
            continue;
        };
        names.push(name);
    }
    names
}

/// Every `${{ … }}` expression in `text`.
fn expressions(text: &str) -> Vec<&str> {
    text.split("${{")
        .skip(1)
        .map(|part| part.split("}}").next().unwrap_or(part))
        .collect()
}

#[test]
fn the_action_is_a_composite_action_with_the_documented_inputs() {
    let action = action();
    for key in ["name", "description"] {
        assert!(!str_at(&action, key).is_empty());
    }
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = &action["inputs"];
    for name in ["paths", "rules", "deny-warnings", "as-of", "upload-sarif"] {
        let input = &inputs[name];
        assert!(input.is_object(), "input `{name}`");
        assert!(!str_at(input, "description").is_empty(), "{name}");
        assert_ne!(input["required"], true, "{name} is optional");
    }
    assert_eq!(inputs["paths"]["default"], ".");
    assert_eq!(inputs["upload-sarif"]["default"], "true");
    assert_eq!(inputs["deny-warnings"]["default"], "false");

    let steps = steps(&action);
    for step in steps {
        if step.get("run").is_some() {
            assert_eq!(
                step["shell"], "bash",
                "a composite run step names its shell: {step}"
            );
        }
    }
    // Installs from the action's own source, with the lock file.
    let install = steps
        .iter()
        .map(|step| step["run"].as_str().unwrap_or_default())
        .find(|run| run.contains("cargo install"))
        .expect("a step installs govlint");
    assert!(
        install.contains("--locked") && install.contains("--path"),
        "{install}"
    );
    assert!(
        steps.iter().any(|step| step["env"]
            .as_object()
            .is_some_and(|env| env.values().any(|v| v == "${{ github.action_path }}"))),
        "the source is the action's own folder"
    );
    // Annotations and SARIF.
    let runs: String = steps
        .iter()
        .filter_map(|step| step["run"].as_str())
        .collect();
    assert!(runs.contains("--format github"), "annotations");
    assert!(runs.contains("--format sarif --output"), "a SARIF report");
    // The upload runs even after findings, and only when asked.
    let upload = steps
        .iter()
        .find(|step| step["uses"] == "github/codeql-action/upload-sarif@v3")
        .expect("an upload-sarif step");
    let condition = str_at(upload, "if");
    assert!(condition.contains("always()"), "{condition}");
    assert!(
        condition.contains("inputs.upload-sarif == 'true'"),
        "{condition}"
    );
    assert!(upload["with"]["sarif_file"].is_string());
    // The job fails with govlint's exit status, after the upload.
    let last = steps.last().unwrap();
    assert!(str_at(last, "if").contains("always()"));
    assert!(str_at(last, "run").contains("exit \"$GOVLINT_STATUS\""));
    let upload_at = steps.iter().position(|step| step == upload).unwrap();
    assert!(upload_at < steps.len() - 1);
}

#[test]
fn the_action_reads_only_declared_inputs_and_never_splices_them_into_scripts() {
    let action = action();
    let declared = declared_inputs(&action);
    let mut used = BTreeSet::new();
    for step in steps(&action) {
        let text = serde_json::to_string(step).unwrap();
        // `if:` is an expression even without `${{ }}`.
        let condition = step["if"].as_str().into_iter();
        for expression in expressions(&text).into_iter().chain(condition) {
            for name in inputs_read(expression) {
                assert!(
                    declared.contains(&name),
                    "undeclared input `{name}` in {step}"
                );
                used.insert(name);
            }
        }
        // Values from a pull request reach scripts only through `env:`.
        if let Some(run) = step["run"].as_str() {
            assert!(
                !run.contains("${{"),
                "an expression spliced into a script: {run}"
            );
        }
    }
    let unused: Vec<_> = declared.difference(&used).collect();
    assert!(unused.is_empty(), "declared but never read: {unused:?}");
    // Outputs come from steps that exist.
    let ids: BTreeSet<&str> = steps(&action)
        .iter()
        .filter_map(|step| step["id"].as_str())
        .collect();
    for (name, output) in action["outputs"].as_object().expect("outputs") {
        let value = str_at(output, "value");
        let step = value
            .split("steps.")
            .nth(1)
            .and_then(|rest| rest.split('.').next())
            .unwrap_or_else(|| panic!("output {name} reads a step"));
        assert!(ids.contains(step), "output {name} reads step `{step}`");
    }
}

#[test]
fn the_action_passes_only_flags_govlint_check_accepts() {
    let action = action();
    let help = stdout(&govlint(&["check", "--help"]));
    for step in steps(&action) {
        let Some(run) = step["run"].as_str() else {
            continue;
        };
        for word in run.split(|c: char| c.is_whitespace() || c == '(' || c == ')') {
            let flag = word.trim_matches(|c| c == '"' || c == '\'');
            if flag.starts_with("--") && !run.contains(&format!("cargo install {flag}")) {
                let known = help.contains(flag)
                    || ["--locked", "--path", "--root", "--version"].contains(&flag);
                assert!(
                    known,
                    "`{flag}` in the action is not a flag of govlint check"
                );
            }
        }
    }
}

#[test]
fn the_action_inputs_are_documented() {
    let docs = read("docs/ci.md");
    for name in declared_inputs(&action()) {
        assert!(
            docs.contains(&format!("| `{name}` |")),
            "docs/ci.md documents `{name}`"
        );
    }
    assert!(docs.contains("security-events: write"));
}

#[test]
fn the_yaml_examples_in_the_docs_parse() {
    let readme = read("README.md");
    let section = readme
        .split("## In CI and editors")
        .nth(1)
        .expect("the README has the section")
        .split("\n## ")
        .next()
        .unwrap()
        .to_owned();
    for (name, text) in [("README.md", section), ("docs/ci.md", read("docs/ci.md"))] {
        let blocks: Vec<&str> = text
            .split("```yaml\n")
            .skip(1)
            .map(|block| block.split("```").next().unwrap())
            .collect();
        assert!(!blocks.is_empty(), "{name} has YAML examples");
        for block in blocks {
            serde_saphyr::from_str::<Value>(block)
                .unwrap_or_else(|e| panic!("{name}: {e}\n{block}"));
        }
    }
}

// ------------------------------------------------------ completions and man

#[test]
fn completions_name_govlint_and_every_subcommand() {
    let names = subcommands();
    let output = govlint(&["completions", "bash"]);
    assert!(output.status.success());
    let script = stdout(&output);
    assert!(script.contains("govlint"));
    for name in &names {
        assert!(
            script.contains(name.as_str()),
            "bash completion knows `{name}`"
        );
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let output = govlint(&["completions", shell]);
        assert!(output.status.success(), "{shell}");
        let script = stdout(&output);
        assert!(
            script.contains("govlint") && script.contains("check"),
            "{shell}"
        );
    }
    assert_eq!(govlint(&["completions", "tcsh"]).status.code(), Some(2));
}

/// The first line that is not roff preamble (string definitions, comments).
fn header(page: &str) -> &str {
    page.lines()
        .find(|line| {
            !(line.starts_with(".ie") || line.starts_with(".el") || line.starts_with(r#".\""#))
        })
        .unwrap_or_default()
}

#[test]
fn man_prints_roff_pages() {
    let output = govlint(&["man"]);
    assert!(output.status.success());
    let page = stdout(&output);
    assert!(page.starts_with('.'), "roff: {page}");
    assert!(
        header(&page).starts_with(".TH govlint 1"),
        "{}",
        header(&page)
    );
    assert!(page.contains(".SH NAME") && page.contains(".SH SYNOPSIS"));
    for name in subcommands() {
        assert!(page.contains(&format!("govlint\\-{}(1)", name.replace('-', "\\-"))));
        let output = govlint(&["man", &name]);
        assert!(output.status.success(), "man {name}");
        let page = stdout(&output);
        assert!(
            header(&page).starts_with(&format!(".TH govlint-{name} 1")),
            "{}",
            header(&page)
        );
        assert!(
            page.contains("Example"),
            "govlint-{name}(1) has the examples"
        );
    }
    let unknown = govlint(&["man", "chek"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("`check`"));
}

#[test]
fn every_subcommand_help_has_an_example() {
    for name in subcommands() {
        let output = govlint(&[&name, "--help"]);
        assert!(output.status.success(), "{name} --help");
        assert!(
            stdout(&output).contains("Example"),
            "`govlint {name} --help` has an example"
        );
    }
}

/// The schemas editors are pointed at: a schema found through a reference is read
/// from `schemas/`, by its file name.
struct SchemaFolder;

impl jsonschema::Retrieve for SchemaFolder {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.path().as_str().rsplit('/').next().unwrap_or_default();
        Ok(serde_json::from_str(&read(&format!("schemas/{name}")))?)
    }
}

#[test]
fn the_proposal_schema_accepts_every_handover_fixture() {
    let schema: Value = serde_json::from_str(&read("schemas/proposal.schema.json")).unwrap();
    let validator = jsonschema::options()
        .with_retriever(SchemaFolder)
        .build(&schema)
        .unwrap();
    let mut checked = 0;
    for entry in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/handover")).unwrap()
    {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("current") {
            continue;
        }
        let proposal = yaml(&format!("fixtures/handover/{name}"));
        let errors: Vec<String> = validator
            .iter_errors(&proposal)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        checked += 1;
    }
    assert!(checked >= 9, "{checked} proposals");
    let misspelt = serde_json::json!({"presidencies": [{"holdr": "LU", "start": "2023-09"}]});
    assert!(
        !validator.is_valid(&misspelt),
        "the snapshot's definitions apply"
    );
}
