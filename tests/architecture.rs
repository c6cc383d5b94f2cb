//! The shape of `src/`: stage folders that import one way, down the pipeline.
//!
//! The stages, in pipeline order, are `STAGES`; a module may import its own
//! stage and the stages before it, never one after it, and no modules may
//! import each other, directly or round a circle.
//! `docs/architecture.md` draws the stages' imports, and must draw them as the
//! code has them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Every module of the crate, by path (`check::eval`), with its text less comments.
fn modules() -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut pending = vec![Path::new(ROOT).join("src")];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let name = module_name(&path);
                if name != "lib" && name != "main" {
                    found.insert(
                        name,
                        without_comments(&std::fs::read_to_string(&path).unwrap()),
                    );
                }
            }
        }
    }
    found
}

fn module_name(path: &Path) -> String {
    let relative = path.strip_prefix(Path::new(ROOT).join("src")).unwrap();
    let mut parts: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    parts.join("::")
}

fn without_comments(text: &str) -> String {
    let comment = Regex::new(r"//[^\n]*").unwrap();
    comment.replace_all(text, "").into_owned()
}

/// The longest module that `path` names, if it names one.
fn resolve(modules: &BTreeMap<String, String>, path: &[&str]) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|length| path[..length].join("::"))
        .find(|name| modules.contains_key(name))
}

/// Which modules each module imports: by `crate::`, by `super::`, or a child by its name.
fn imports(modules: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let from_crate = Regex::new(r"crate::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)").unwrap();
    let grouped = Regex::new(r"crate::\{([^}]*)\}").unwrap();
    let from_super =
        Regex::new(r"\b((?:super::)+)((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)?").unwrap();
    let bare = Regex::new(r"(?:^|[^:\w])([a-z_][a-z0-9_]*)::").unwrap();
    let mut graph = BTreeMap::new();
    for (name, text) in modules {
        let here: Vec<&str> = name.split("::").collect();
        let mut used = BTreeSet::new();
        let mut add = |path: Vec<&str>| {
            if let Some(target) = resolve(modules, &path)
                && target != *name
                && !name.starts_with(&format!("{target}::"))
            {
                used.insert(target);
            }
        };
        for found in from_crate.captures_iter(text) {
            add(found[1].split("::").collect());
        }
        for found in grouped.captures_iter(text) {
            for item in found[1].split(',') {
                add(item.trim().split("::").collect());
            }
        }
        for found in from_super.captures_iter(text) {
            let ups = found[1].matches("super::").count();
            let mut path: Vec<&str> = here[..here.len().saturating_sub(ups)].to_vec();
            if let Some(rest) = found.get(2) {
                path.extend(rest.as_str().split("::"));
            }
            if path.is_empty() {
                continue;
            }
            add(path);
        }
        for found in bare.captures_iter(text) {
            let mut path = here.clone();
            path.push(found.get(1).unwrap().as_str());
            if modules.contains_key(&path.join("::")) {
                add(path);
            }
        }
        graph.insert(name.clone(), used);
    }
    graph
}

/// The stages, in pipeline order: a new stage is placed here, once, deliberately.
const STAGES: [&str; 12] = [
    "base", "load", "document", "schema", "expr", "pack", "check", "fix", "agenda", "report",
    "server", "cli",
];

/// The stages `src/lib.rs` declares, which must be `STAGES`.
fn stages() -> Vec<String> {
    let lib = std::fs::read_to_string(Path::new(ROOT).join("src/lib.rs")).unwrap();
    let declared = Regex::new(r"(?m)^pub mod ([a-z_]+);").unwrap();
    let mut found: Vec<String> = declared
        .captures_iter(&lib)
        .map(|found| found[1].to_owned())
        .collect();
    let mut expected: Vec<String> = STAGES.iter().map(|stage| (*stage).to_owned()).collect();
    found.sort();
    expected.sort();
    assert_eq!(
        found, expected,
        "src/lib.rs declares other stages than STAGES lists"
    );
    STAGES.iter().map(|stage| (*stage).to_owned()).collect()
}

fn stage_of(module: &str) -> &str {
    module.split("::").next().unwrap()
}

#[test]
fn the_top_of_src_holds_main_lib_and_the_stage_folders() {
    let stages = stages();
    let mut loose = Vec::new();
    for entry in std::fs::read_dir(Path::new(ROOT).join("src")).unwrap() {
        let path: PathBuf = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let fits = if path.is_dir() {
            stages.contains(&name) && path.join("mod.rs").is_file()
        } else {
            name == "main.rs" || name == "lib.rs"
        };
        if !fits {
            loose.push(name);
        }
    }
    assert!(
        loose.is_empty(),
        "not a stage folder declared in lib.rs: {loose:?}"
    );
}

#[test]
fn every_stage_says_what_it_owns_and_may_import() {
    for stage in stages() {
        let text = std::fs::read_to_string(Path::new(ROOT).join("src").join(&stage).join("mod.rs"))
            .unwrap();
        let opening: String = text
            .lines()
            .take_while(|line| line.starts_with("//!"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            opening.contains("May import") || opening.contains("Imports no other stage"),
            "src/{stage}/mod.rs opens with no word of what it may import"
        );
    }
}

#[test]
fn no_module_imports_a_later_stage() {
    let stages = stages();
    let rank = |module: &str| stages.iter().position(|stage| stage == stage_of(module));
    let mut climbs = Vec::new();
    for (module, used) in imports(&modules()) {
        for target in used {
            if rank(&target) > rank(&module) {
                climbs.push(format!("{module} imports {target}"));
            }
        }
    }
    assert!(
        climbs.is_empty(),
        "imports up the pipeline:\n{}",
        climbs.join("\n")
    );
}

#[test]
fn no_modules_import_each_other() {
    let graph = imports(&modules());
    // Depth-first search with the path kept: a module met again on its own path closes a circle.
    fn visit(
        module: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        circles: &mut Vec<String>,
    ) {
        if let Some(start) = path.iter().position(|seen| seen == module) {
            circles.push(format!("{} -> {module}", path[start..].join(" -> ")));
            return;
        }
        if !done.insert(module.to_owned()) {
            return;
        }
        path.push(module.to_owned());
        for next in graph.get(module).into_iter().flatten() {
            visit(next, graph, path, done, circles);
        }
        path.pop();
    }
    let mut circles = Vec::new();
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        visit(module, &graph, &mut Vec::new(), &mut done, &mut circles);
    }
    assert!(
        circles.is_empty(),
        "modules that import each other:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_architecture_page_draws_the_imports_the_code_has() {
    let mut real = BTreeSet::new();
    for (module, used) in imports(&modules()) {
        for target in used {
            if stage_of(&module) != stage_of(&target) {
                real.insert((stage_of(&module).to_owned(), stage_of(&target).to_owned()));
            }
        }
    }
    let page = std::fs::read_to_string(Path::new(ROOT).join("docs/architecture.md")).unwrap();
    let diagram = page
        .split("```mermaid")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/architecture.md has a mermaid diagram");
    let edge = Regex::new(r"(?m)^\s*([a-z_]+)\s*-->\s*([a-z_]+)\s*$").unwrap();
    let drawn: BTreeSet<(String, String)> = edge
        .captures_iter(diagram)
        .map(|found| (found[1].to_owned(), found[2].to_owned()))
        .collect();
    let missing: Vec<_> = real.difference(&drawn).collect();
    let extra: Vec<_> = drawn.difference(&real).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "the page's diagram differs from the code: imports not drawn {missing:?}, drawn but absent {extra:?}"
    );
}
