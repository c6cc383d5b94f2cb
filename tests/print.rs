//! The timeline page as a person prints it: printed to PDF by headless
//! Chromium (A4, as the page asks), the text of every page extracted with
//! `pdftotext`, and checked: the summary comes first, and the whole history,
//! its as-of line and every finding reach the paper. Where Chromium or
//! `pdftotext` is absent the test says so and checks nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

mod common;

use common::{govlint, stderr};
use std::path::Path;
use std::process::Command;

/// The first of `names` found on the PATH.
fn tool(names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| {
        Command::new("sh")
            .args(["-c", &format!("command -v {name}")])
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8(output.stdout).unwrap().trim().to_owned())
    })
}

/// The page printed to PDF, then the text of each printed page.
fn printed(page: &Path, folder: &Path) -> Option<Vec<String>> {
    let Some(chromium) = tool(&["chromium", "chromium-browser", "google-chrome"]) else {
        println!("skipped: no Chromium on this machine to print the page with");
        return None;
    };
    let Some(pdftotext) = tool(&["pdftotext"]) else {
        println!("skipped: no pdftotext (poppler-utils) to read the printed pages");
        return None;
    };
    let pdf = folder.join("page.pdf");
    let profile = folder.join("profile");
    let status = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            &format!("--user-data-dir={}", profile.display()),
            &format!("--print-to-pdf={}", pdf.display()),
            &format!("file://{}", page.display()),
        ])
        .output()
        .unwrap();
    assert!(pdf.exists(), "Chromium printed no PDF: {}", stderr(&status));
    let text = Command::new(pdftotext)
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    assert!(text.status.success());
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    Some(
        text.split('\u{c}')
            .map(str::to_owned)
            .filter(|page| !page.trim().is_empty())
            .collect(),
    )
}

/// A word's box on its page: left, top, right, bottom.
type Area = [f64; 4];

/// The words of each page `printed` last printed in `folder`, with their
/// boxes, as `pdftotext -bbox` reads them.
fn printed_words(folder: &Path) -> Vec<Vec<(String, Area)>> {
    let pdftotext = tool(&["pdftotext"]).unwrap();
    let output = Command::new(pdftotext)
        .args([folder.join("page.pdf").to_str().unwrap(), "-bbox", "-"])
        .output()
        .unwrap();
    let xhtml = String::from_utf8_lossy(&output.stdout).into_owned();
    let attribute = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[start..].split('"').next().unwrap().parse().unwrap()
    };
    xhtml
        .split("<page ")
        .skip(1)
        .map(|page| {
            page.split("<word ")
                .skip(1)
                .map(|word| {
                    let (tag, rest) = word.split_once('>').unwrap();
                    let text = rest.split("</word>").next().unwrap().to_owned();
                    let area = ["xMin", "yMin", "xMax", "yMax"].map(|name| attribute(tag, name));
                    (text, area)
                })
                .collect()
        })
        .collect()
}

/// Whether two words' boxes share more than a sliver (letters may touch).
fn overlaps(a: &Area, b: &Area) -> bool {
    let across = a[2].min(b[2]) - a[0].max(b[0]);
    let down = a[3].min(b[3]) - a[1].max(b[1]);
    across > 1.0 && down > 1.0
}

/// Text with every run of white space one space, so a line wrapped on paper
/// reads as written.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The page of `args` (after `report`), written in `folder`.
fn page_of(args: &[&str], folder: &Path) -> std::path::PathBuf {
    let page = folder.join("page.html");
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend(["-o", page.to_str().unwrap()]);
    let output = govlint(&all);
    assert!(page.exists(), "{}", stderr(&output));
    page
}

#[test]
fn the_real_snapshot_prints_every_finding_on_few_pages() {
    const REAL: &str = "fixtures/ilgsse-vade-mecum.yaml";
    let folder = tempfile::tempdir().unwrap();
    let page = page_of(&[REAL], folder.path());
    let Some(pages) = printed(&page, folder.path()) else {
        return;
    };
    let all = flat(&pages.join(" "));
    let report = govlint(&["check", REAL, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let findings = common::findings_of(&report);
    assert_eq!(findings.len(), 19);
    for finding in findings {
        let message = flat(finding["message"].as_str().unwrap());
        assert!(all.contains(&message), "not printed: {message}");
    }
    // Its cards two to a row: 19 findings once took 11 pages.
    assert!(pages.len() <= 8, "{} pages", pages.len());
    // No words printed over one another (the timeline's names of what falls
    // due once ran into each other), and each of those names printed whole.
    let words = printed_words(folder.path());
    for page in &words {
        for (index, (word, area)) in page.iter().enumerate() {
            for (other, other_area) in &page[index + 1..] {
                assert!(
                    !overlaps(area, other_area),
                    "`{word}` is printed over `{other}`"
                );
            }
        }
    }
    let names: Vec<&str> = words
        .iter()
        .flatten()
        .map(|(word, _)| word.as_str())
        .collect();
    for name in [
        "annual-high-level-event",
        "annual-working-session",
        "presidency-succession",
    ] {
        assert!(
            names.contains(&name),
            "`{name}` is not printed whole: {names:?}"
        );
    }
    // What falls due next, as the agenda says it, on the first page.
    let first = flat(&pages[0]);
    assert!(first.contains("What falls due next"), "{first}");
    assert!(
        first.contains(
            "no presidency is recorded to take over from `FR` when its term ends in 2017"
        ),
        "{first}"
    );
}

#[test]
fn a_thirty_year_timeline_prints_whole_after_a_summary() {
    let folder = tempfile::tempdir().unwrap();
    let records = folder.path().join("thirty-years.yaml");
    // Thirty years of two-year terms, the last one three years long (a finding
    // at its end), and an as-of date at the end.
    let mut text = String::from(
        "format: 1\nas_of: 2026-06\ngroup: {id: g, name: G, established: 1994}\n\
         members:\n  - {id: FR, name: France, category: member_state}\n  - {id: LU, name: Luxembourg, category: member_state}\n\
         presidencies:\n",
    );
    let holders = ["FR", "LU"];
    for (index, year) in (1996..2024).step_by(2).enumerate() {
        let end = if year == 2022 { 2025 } else { year + 2 };
        text.push_str(&format!(
            "  - {{holder: {}, start: {year}-09, end: {end}-09}}\n",
            holders[index % 2]
        ));
    }
    std::fs::write(&records, text).unwrap();
    let page = page_of(&[records.to_str().unwrap()], folder.path());
    let Some(pages) = printed(&page, folder.path()) else {
        return;
    };
    let all = flat(&pages.join("\n"));
    // The summary first, on a page of its own.
    assert!(pages[0].contains("Summary"), "{}", pages[0]);
    assert!(!pages[0].contains("Timeline"), "{}", pages[0]);
    // Every year of the axis, the as-of line, and the finding at the end.
    for year in 1996..=2026 {
        assert!(
            all.contains(&year.to_string()),
            "{year} is not printed:\n{all}"
        );
    }
    // The header says it once; the timeline's line says it again.
    assert!(
        all.matches("as of 2026-06").count() >= 2,
        "the as-of line:\n{all}"
    );
    assert!(
        all.contains("lasts 3 years"),
        "the finding of the last term:\n{all}"
    );
    // No page ends on a heading.
    for (number, text) in pages.iter().enumerate() {
        let last = text
            .lines()
            .rev()
            .find(|line| !line.trim().is_empty())
            .unwrap_or("");
        for heading in ["Timeline", "Findings", "Summary", "Not on the timeline"] {
            assert_ne!(
                last.trim(),
                heading,
                "page {} ends on a heading",
                number + 1
            );
        }
    }
}
