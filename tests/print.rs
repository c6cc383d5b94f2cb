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
        .args(["-layout", pdf.to_str().unwrap(), "-"])
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
    let page = folder.path().join("page.html");
    let output = govlint(&[
        "report",
        records.to_str().unwrap(),
        "-o",
        page.to_str().unwrap(),
    ]);
    assert!(page.exists(), "{}", stderr(&output));
    let Some(pages) = printed(&page, folder.path()) else {
        return;
    };
    let all = pages.join("\n");
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
    assert!(all.contains("as of 2026-06"), "the as-of line:\n{all}");
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
