//! The README is the front door and `docs/` the book: every relative link and
//! anchor in them resolves, every chapter is in the book's index, no section of
//! the former README is lost, and the README stays short.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The README and every Markdown file of the book.
fn documents() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md"), root().join("CHANGELOG.md")];
    let mut book: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    book.sort();
    files.extend(book);
    files
}

/// The text outside fenced code blocks, where links and headings are.
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces to
/// hyphens; a repeated heading gets `-1`, `-2`, ...
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for line in prose(text).lines() {
        let Some(heading) = line.strip_prefix('#') else {
            continue;
        };
        let heading = heading.trim_start_matches('#');
        if !heading.starts_with(' ') {
            continue;
        }
        let slug: String = heading
            .trim()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => {
                    Some(c.to_lowercase().next().unwrap())
                }
                _ => None,
            })
            .collect();
        let mut unique = slug.clone();
        let mut n = 1;
        while seen.contains(&unique) {
            unique = format!("{slug}-{n}");
            n += 1;
        }
        seen.insert(unique);
    }
    seen
}

/// Every link target `[text](target)` and `![alt](target)` in the prose, with
/// inline code removed.
fn links(text: &str) -> Vec<String> {
    let mut targets = Vec::new();
    for line in prose(text).lines() {
        let line: String = line.split('`').step_by(2).collect::<Vec<_>>().join("");
        let mut rest = line.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').unwrap_or(after.len());
            let target = after[..end].split_whitespace().next().unwrap_or("");
            targets.push(target.to_owned());
            rest = &after[end..];
        }
    }
    targets
}

#[test]
fn every_relative_link_and_anchor_resolves() {
    let mut checked = 0;
    let mut broken = Vec::new();
    for document in documents() {
        let text = read(&document);
        let name = document.strip_prefix(root()).unwrap().display().to_string();
        for target in links(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (path, anchor) = match target.split_once('#') {
                Some((path, anchor)) => (path, Some(anchor)),
                None => (target.as_str(), None),
            };
            let file = if path.is_empty() {
                document.clone()
            } else {
                document.parent().unwrap().join(path)
            };
            if !file.exists() {
                broken.push(format!("{name}: `{target}`: no file {}", file.display()));
                continue;
            }
            if let Some(anchor) = anchor
                && file.extension().is_some_and(|ext| ext == "md")
                && !anchors(&read(&file)).contains(anchor)
            {
                broken.push(format!("{name}: `{target}`: no heading #{anchor}"));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(checked >= 40, "only {checked} links checked");
}

#[test]
fn the_readme_is_a_front_door_of_at_most_300_lines() {
    let readme = read(&root().join("README.md"));
    let lines = readme.lines().count();
    assert!(lines <= 300, "README.md has {lines} lines");
    // The two commands: the main job on the real snapshot, and the tests.
    assert!(readme.contains("\ncargo run --release -- check fixtures/ilgsse-vade-mecum.yaml\n"));
    assert!(readme.contains("\ncargo test\n"));
    for section in [
        "## Install",
        "## Quick start",
        "## In CI and editors",
        "## Rule packs",
        "## Documentation",
    ] {
        assert!(
            readme.contains(&format!("\n{section}\n")),
            "README.md has {section}"
        );
    }
    for route in [
        "pipx run govlint",
        "uvx govlint",
        "pip install govlint",
        "cargo install",
        "uses: OWNER/govlint@",
        "govlint-pre-commit",
        "ghcr.io/OWNER/govlint",
    ] {
        assert!(readme.contains(route), "README.md installs with `{route}`");
    }
    assert!(
        readme.contains("](docs/report-handover.png)"),
        "one picture"
    );
}

#[test]
fn every_chapter_is_in_the_books_index() {
    let index = read(&root().join("docs/README.md"));
    let linked: BTreeSet<String> = links(&index).into_iter().collect();
    for document in documents() {
        let Ok(chapter) = document.strip_prefix(root().join("docs")) else {
            continue;
        };
        let chapter = chapter.display().to_string();
        if chapter != "README.md" {
            assert!(linked.contains(&chapter), "docs/README.md lists {chapter}");
        }
    }
}

#[test]
fn no_section_of_the_former_readme_is_lost() {
    let mut headings = BTreeSet::new();
    for document in documents() {
        for line in prose(&read(&document)).lines() {
            if line.starts_with('#') {
                headings.insert(line.trim_start_matches('#').trim().to_owned());
            }
        }
    }
    for section in [
        "Install",
        "Quick start",
        "Commands",
        "Exit status",
        "In CI and editors",
        "Checking a proposed handover",
        "Fixing what the records determine",
        "Seeing the records: the timeline report",
        "What falls due next: the agenda",
        "Dates",
        "Verdicts",
        "Waivers",
        "JSON output",
        "Rule packs",
        "Your first rule",
        "Speed",
        "Hostile input",
        "Fuzzing",
        "Dependencies, and why",
    ] {
        assert!(
            headings.contains(section),
            "a heading `{section}` in the README or docs/"
        );
    }
}
