//! How govlint is shipped: the pre-commit hooks' choice of files, the hooks
//! that install the wheel, the crate's package, the release workflow and the
//! container image. The scripts themselves run in `scripts/tests/` (CI).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{read, stdout, yaml};

use regex::Regex;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn hooks(path: &str) -> Vec<Value> {
    yaml(path).as_array().expect("a list of hooks").clone()
}

fn hook<'a>(hooks: &'a [Value], id: &str) -> &'a Value {
    hooks
        .iter()
        .find(|hook| hook["id"] == id)
        .unwrap_or_else(|| panic!("a hook `{id}`"))
}

/// Whether pre-commit passes `path` to the hook: `files` matches and `exclude`
/// does not (both searched, as Python's `re.search`).
fn selects(hook: &Value, path: &str) -> bool {
    let files = Regex::new(hook["files"].as_str().unwrap_or("")).unwrap();
    let exclude = hook["exclude"]
        .as_str()
        .map(|pattern| Regex::new(pattern).unwrap());
    files.is_match(path) && !exclude.is_some_and(|exclude| exclude.is_match(path))
}

const NOT_RECORDS: &[&str] = &[
    ".github/workflows/ci.yml",
    ".github/workflows/release.yaml",
    ".github/dependabot.yml",
    "docker-compose.yml",
    "docker-compose.override.yml",
    "compose.yaml",
    "deploy/compose.prod.yaml",
    ".gitlab-ci.yml",
    ".circleci/config.yml",
    "azure-pipelines.yml",
    ".pre-commit-config.yaml",
    "mkdocs.yml",
    ".readthedocs.yaml",
    "bylaws/pack.yaml",
];

const RECORDS: &[&str] = &[
    "group.yaml",
    "records/group.yaml",
    "records/2024/presidencies.yml",
    "governance/members.yaml",
    "fixtures/ilgsse-vade-mecum.yaml",
];

#[test]
fn the_check_hooks_leave_out_ci_compose_and_tool_files() {
    for manifest in [
        ".pre-commit-hooks.yaml",
        "pre-commit/.pre-commit-hooks.yaml",
    ] {
        let hooks = hooks(manifest);
        for id in ["govlint", "govlint-new"] {
            let hook = hook(&hooks, id);
            for path in NOT_RECORDS {
                assert!(!selects(hook, path), "{manifest} {id} takes {path}");
            }
            for path in RECORDS {
                assert!(selects(hook, path), "{manifest} {id} leaves out {path}");
            }
            // A repository's own `files:` narrows the hook; `exclude` still holds.
            let mut narrowed = hook.clone();
            narrowed["files"] = Value::from("^records/|^\\.github/");
            assert!(selects(&narrowed, "records/group.yaml"));
            assert!(!selects(&narrowed, "group.yaml"));
            assert!(!selects(&narrowed, ".github/workflows/ci.yml"));
        }
    }
}

/// A repository as pre-commit sees it: records beside a workflow and a compose file.
fn sample_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            ".github/workflows/ci.yml",
            "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n",
        ),
        (
            "docker-compose.yml",
            "services:\n  web:\n    image: nginx\n    ports: [\"8080:80\"]\n",
        ),
        (
            "records/group.yaml",
            &read("fixtures/ilgsse-vade-mecum.yaml"),
        ),
    ];
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn the_default_hook_reports_no_workflow_or_compose_file() {
    let repository = sample_repository();
    let all = [
        ".github/workflows/ci.yml",
        "docker-compose.yml",
        "records/group.yaml",
    ];
    let run = |files: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_govlint"))
            .arg("check")
            .args(files)
            .current_dir(repository.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (output.status.code(), stdout(&output))
    };
    // Every YAML file: the workflow and the compose file break as records.
    let (code, report) = run(&all);
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("ci.yml") && report.contains("docker-compose.yml"));
    // What the hook passes (pre-commit runs `entry`, then the files it selects).
    let hooks = hooks(".pre-commit-hooks.yaml");
    let hook = hook(&hooks, "govlint");
    let selected: Vec<&str> = all.into_iter().filter(|path| selects(hook, path)).collect();
    assert_eq!(selected, ["records/group.yaml"]);
    let (code, report) = run(&selected);
    assert_eq!(code, Some(0), "{report}");
    assert!(!report.contains("ci.yml") && !report.contains("docker-compose"));
}

#[test]
fn the_wheel_hooks_are_the_source_hooks_installed_with_python() {
    let source = hooks(".pre-commit-hooks.yaml");
    let wheel = hooks("pre-commit/.pre-commit-hooks.yaml");
    assert_eq!(source.len(), wheel.len());
    for (source, wheel) in source.iter().zip(&wheel) {
        assert_eq!(source["language"], "rust");
        assert_eq!(wheel["language"], "python");
        let mut same = wheel.clone();
        same["language"] = Value::from("rust");
        assert_eq!(&same, source, "the wheel's hook {} differs", wheel["id"]);
    }
}

fn cargo_version() -> String {
    let manifest = read("Cargo.toml");
    let package = manifest.split("[package]").nth(1).unwrap();
    let line = package
        .lines()
        .find(|line| line.starts_with("version"))
        .unwrap();
    line.split('"').nth(1).unwrap().to_owned()
}

#[test]
fn every_version_is_cargo_tomls() {
    let version = cargo_version();
    let hooks = read("pre-commit/pyproject.toml");
    assert!(
        hooks.contains(&format!("\nversion = \"{version}\"\n")),
        "pre-commit/pyproject.toml is at {version}"
    );
    assert!(
        hooks.contains(&format!("dependencies = [\"govlint=={version}\"]")),
        "the hooks install govlint {version}"
    );
    let changelog = read("CHANGELOG.md");
    assert!(
        changelog.contains("\n## [Unreleased]\n")
            || changelog.contains(&format!("\n## [{version}] - ")),
        "CHANGELOG.md has a section for what is not released, or for {version}"
    );
    let pyproject = read("pyproject.toml");
    assert!(pyproject.contains("bindings = \"bin\""));
    assert!(pyproject.contains("requires = [\"maturin>=1,<2\"]"));
    assert!(pyproject.contains("dynamic = [\"version\"]"));
}

#[test]
fn the_crate_package_holds_the_engine_and_the_pack_and_no_test_data() {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "package",
            "--list",
            "--allow-dirty",
            "--offline",
            "--locked",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let list = stdout(&output);
    let files: Vec<&str> = list.lines().collect();
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "README.md",
        "CHANGELOG.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "src/main.rs",
        "rules/pack.yaml",
        "schemas/snapshot.schema.json",
        // The pack's own fixtures are compiled into the binary (`govlint test`).
        "fixtures/ilgsse-vade-mecum.yaml",
    ] {
        assert!(files.contains(&file), "the package ships {file}");
    }
    for file in &files {
        for folder in [
            "tests/",
            "benches/",
            "examples/",
            "fuzz/",
            "docs/",
            "scripts/",
            ".github/",
            "target/",
        ] {
            assert!(!file.starts_with(folder), "the package ships {file}");
        }
    }
    // Every folder the build compiles in is shipped whole.
    let build = read("build.rs");
    for dir in ["rules", "schemas", "fixtures"] {
        assert!(build.contains(&format!("\"{dir}\"")));
        let on_disk = walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir));
        for file in on_disk {
            let name = format!("{dir}/{file}");
            assert!(files.contains(&name.as_str()), "the package ships {name}");
        }
    }
}

/// The files below `dir`, as paths relative to it with `/`.
fn walk(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            files.extend(walk(&path).into_iter().map(|file| format!("{name}/{file}")));
        } else {
            files.push(name);
        }
    }
    files
}

#[test]
fn the_release_workflow_runs_only_the_repositorys_scripts() {
    let workflow = yaml(".github/workflows/release.yml");
    assert!(
        workflow["on"]["push"]["tags"].is_array(),
        "a release is cut by a tag"
    );
    let jobs = workflow["jobs"].as_object().expect("jobs");
    for name in ["check", "binaries", "wheels", "image", "publish"] {
        assert!(jobs.contains_key(name), "a job `{name}`");
    }
    // Commands that only move files or hand them to a registry; everything
    // that builds, packages or checks is a script of scripts/.
    let allowed = [
        "echo \"version=",
        "sudo apt-get",
        "python -m pip install",
        "cargo publish",
        "gh release create",
        "mkdir dist",
        "find artifacts",
        "set -euo pipefail",
        "cd govlint-pre-commit",
        "git ",
    ];
    let mut scripts = 0;
    for (name, job) in jobs {
        for step in job["steps"].as_array().expect("steps") {
            let Some(run) = step["run"].as_str() else {
                continue;
            };
            // Values from the event reach scripts through `env:`, never spliced in.
            assert!(!run.contains("${{"), "{name}: an expression in {run}");
            for line in run.lines().map(str::trim).filter(|line| !line.is_empty()) {
                if let Some(at) = line.find("bash scripts/") {
                    let script = line[at + 5..].split_whitespace().next().unwrap();
                    let script = script.trim_end_matches(['"', ')']);
                    assert!(
                        Path::new(env!("CARGO_MANIFEST_DIR")).join(script).is_file(),
                        "{name}: {script}"
                    );
                    scripts += 1;
                } else {
                    assert!(
                        allowed.iter().any(|start| line.starts_with(start)),
                        "{name}: `{line}` is neither a script of scripts/ nor a file move"
                    );
                }
            }
        }
    }
    assert!(scripts >= 8, "{scripts} script calls");
}
