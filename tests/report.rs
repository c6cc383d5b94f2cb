//! The timeline report as a person sees it: the page parses, every finding has
//! its mark on the timeline and its card, the lanes are the pack's, and the
//! SVG draws (rendered to pixels by resvg, as a browser would).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{govlint, stderr};
use std::path::Path;

const CURRENT: &str = "fixtures/handover/current.yaml";
const WRONG_VICE: &str = "fixtures/handover/wrong-vice-president.yaml";

/// `govlint report ARGS… -o FILE`: the exit code and the page.
fn report(args: &[&str]) -> (Option<i32>, String) {
    let folder = tempfile::tempdir().unwrap();
    let page = folder.path().join("report.html");
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend(["-o", page.to_str().unwrap()]);
    let output = govlint(&all);
    let text = std::fs::read_to_string(&page)
        .unwrap_or_else(|error| panic!("{error}: {}", stderr(&output)));
    (output.status.code(), text)
}

/// The page as XML (it is well-formed), without its HTML doctype.
fn parse(page: &str) -> roxmltree::Document<'_> {
    let xml = page.strip_prefix("<!DOCTYPE html>\n").unwrap_or(page);
    roxmltree::Document::parse(xml).unwrap_or_else(|error| panic!("{error}\n{page}"))
}

fn attribute_values<'a>(
    document: &'a roxmltree::Document<'_>,
    tag: &str,
    name: &str,
) -> Vec<&'a str> {
    document
        .descendants()
        .filter(|node| node.has_tag_name(tag))
        .filter_map(|node| node.attribute(name))
        .collect()
}

fn lanes(document: &roxmltree::Document<'_>) -> Vec<String> {
    document
        .descendants()
        .filter(|node| {
            node.has_tag_name("g")
                && node
                    .attribute("class")
                    .is_some_and(|c| c.starts_with("lane "))
        })
        .filter_map(|lane| lane.children().find(|child| child.has_tag_name("text")))
        .filter_map(|text| text.text().map(str::to_owned))
        .collect()
}

/// The SVG of the page, drawn to pixels.
fn draw(page: &str) -> resvg::tiny_skia::Pixmap {
    let start = page.find("<svg").unwrap();
    let end = page.find("</svg>").unwrap() + "</svg>".len();
    let mut options = resvg::usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    // The page asks for any sans-serif face; the machine's is DejaVu Sans.
    options.fontdb_mut().set_sans_serif_family("DejaVu Sans");
    let tree = resvg::usvg::Tree::from_str(&page[start..end], &options).unwrap();
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap
}

/// How many pixels are (nearly) this colour.
fn pixels_of(pixmap: &resvg::tiny_skia::Pixmap, (r, g, b): (u8, u8, u8)) -> usize {
    pixmap
        .pixels()
        .iter()
        .filter(|pixel| {
            let close = |a: u8, b: u8| a.abs_diff(b) < 12;
            pixel.alpha() > 200
                && close(pixel.red(), r)
                && close(pixel.green(), g)
                && close(pixel.blue(), b)
        })
        .count()
}

/// Under GOVLINT_UPDATE_PICTURES, the drawing is saved for the README.
fn keep_picture(pixmap: &resvg::tiny_skia::Pixmap, name: &str) {
    if std::env::var_os("GOVLINT_UPDATE_PICTURES").is_some() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs")
            .join(name);
        pixmap.save_png(path).unwrap();
    }
}

#[test]
fn a_failing_handover_shows_the_wrong_vice_president_where_it_sits() {
    let (code, page) = report(&[CURRENT, "--proposal", WRONG_VICE]);
    assert_eq!(code, Some(1));
    let document = parse(&page);
    // The pack's lanes, then what falls due after the as-of line.
    assert_eq!(
        lanes(&document),
        [
            "Presidencies",
            "Vice-presidencies",
            "Roadmaps",
            "Events",
            "Falls due next"
        ]
    );
    // The headline says what adopting it would introduce.
    assert!(
        page.contains(
            "adopting fixtures/handover/wrong-vice-president.yaml would introduce 1 error"
        ),
        "{page}"
    );
    // Every mark links to a card, and every card has a mark or says why not.
    let marks: Vec<&str> = attribute_values(&document, "a", "href");
    let cards: Vec<&str> = attribute_values(&document, "article", "id");
    assert_eq!(cards, ["finding-0"]);
    assert_eq!(marks, ["#finding-0"]);
    assert!(page.contains("the vice-presidency from 2017-09 should be held by `FR`"));
    // The proposal's term and vice-presidency are outlined as proposed; the
    // records' own are not.
    let proposed = document
        .descendants()
        .filter(|node| node.attribute("stroke-dasharray") == Some("5 3"))
        .count();
    assert_eq!(
        proposed, 3,
        "Luxembourg's term, its roadmap and the vice-presidency"
    );
    // Self-contained: nothing is fetched from elsewhere.
    for attribute in ["src", "xlink:href"] {
        assert!(!page.contains(&format!("{attribute}=")), "{attribute}");
    }
    assert!(
        !page.contains("http://")
            || page.matches("http://www.w3.org/").count() == page.matches("http://").count()
    );

    let pixmap = draw(&page);
    assert!(
        pixels_of(&pixmap, (0xc6, 0x28, 0x28)) > 20,
        "the error's mark is drawn"
    );
    assert!(
        pixels_of(&pixmap, (0x1f, 0x5f, 0xa8)) > 500,
        "the presidency bars are drawn"
    );
    keep_picture(&pixmap, "report-handover.png");
}

#[test]
fn the_real_snapshot_draws_coarse_dates_as_spans_and_marks_its_warnings() {
    let (code, page) = report(&["fixtures/ilgsse-vade-mecum.yaml"]);
    assert_eq!(code, Some(0));
    let document = parse(&page);
    // France's term is known to the year: it fades in over 2015 and out over
    // 2017, never starting on an invented day.
    let fades: Vec<&str> = attribute_values(&document, "rect", "fill")
        .into_iter()
        .filter(|fill| fill.starts_with("url(#fade-"))
        .collect();
    assert_eq!(fades, ["url(#fade-in-primary)", "url(#fade-out-primary)"]);
    // The event known to the month is drawn as the month it may be.
    assert!(page.contains("Events: unga70-high-level-event on 2015-09"));
    // The warnings about France's term are marked on it; the signatures are
    // not records of any lane, so their cards say so.
    let svg = document
        .descendants()
        .find(|node| node.has_tag_name("svg"))
        .unwrap();
    let marks = svg
        .descendants()
        .filter(|node| node.has_tag_name("a"))
        .count();
    assert_eq!(marks, 2, "designation and roadmap");
    // The seventeen others are listed with the findings about no record drawn.
    let listed = document
        .descendants()
        .filter(|node| node.attribute("class") == Some("elsewhere"))
        .flat_map(|list| list.descendants().filter(|node| node.has_tag_name("a")))
        .count();
    assert_eq!(listed, 17);
    assert_eq!(attribute_values(&document, "article", "id").len(), 19);
    assert!(page.contains("about the file as a whole, not a record on the timeline"));
    assert!(page.contains("The records as of 2016."));
    let pixmap = draw(&page);
    assert!(pixels_of(&pixmap, (0x1f, 0x5f, 0xa8)) > 100);
    keep_picture(&pixmap, "report-vade-mecum.png");
    insta::assert_snapshot!(
        "report_vade_mecum_svg",
        &page[page.find("<svg").unwrap()..page.find("</svg>").unwrap()]
    );
}

#[test]
fn another_pack_draws_its_own_lanes_from_its_declaration() {
    let (code, page) = report(&[
        "--rules",
        "examples/coop-board",
        "examples/coop-board/fixtures/several-breaches.yaml",
    ]);
    assert_eq!(code, Some(1));
    let document = parse(&page);
    assert_eq!(
        lanes(&document),
        ["Board terms", "Meetings", "Falls due next"]
    );
    let marks = attribute_values(&document, "a", "href").len();
    let cards = attribute_values(&document, "article", "id").len();
    assert!(marks >= 3 && cards >= marks, "{marks} marks, {cards} cards");
    assert!(draw(&page).pixels().iter().any(|pixel| pixel.red() < 200));
}

#[test]
fn two_hundred_years_scroll_sideways_at_a_readable_scale() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("long.yaml");
    let mut text = String::from(
        "format: 1\nas_of: 2200\ngroup: {id: g, name: G, established: 1990}\npresidencies:\n",
    );
    for year in (2000..2200).step_by(2) {
        text.push_str(&format!(
            "  - {{holder: FR, start: {year}, end: {}}}\n",
            year + 2
        ));
    }
    std::fs::write(&path, text).unwrap();
    let (_, page) = report(&[path.to_str().unwrap()]);
    let document = parse(&page);
    let svg = document
        .descendants()
        .find(|node| node.has_tag_name("svg"))
        .unwrap();
    let width: f64 = svg.attribute("width").unwrap().parse().unwrap();
    assert!(width > 200.0 * 90.0, "a year keeps its width: {width}");
    assert!(page.contains(".scroll { overflow-x: auto;"));
}

#[test]
fn a_proposal_page_says_what_it_changes_and_the_findings_already_there() {
    const RIGHT: &str = "fixtures/handover/handover-fr-lu.yaml";
    const REAL: &str = "fixtures/ilgsse-vade-mecum.yaml";
    let (code, page) = report(&[REAL, "--proposal", RIGHT]);
    assert_eq!(code, Some(0));
    parse(&page);
    // The records' own findings, counted as `check` counts them at the
    // proposal's date.
    let own = govlint(&["check", REAL, "--format", "json", "--as-of", "2017-09"]);
    let own: serde_json::Value = serde_json::from_slice(&own.stdout).unwrap();
    let count = common::findings_of(&own).len();
    assert!(count > 0, "the records have findings of their own");
    assert!(
        !page.contains("the records keep every rule"),
        "a page that hides {count} findings"
    );
    assert!(
        page.contains(&format!(
            "The records already have {count} findings; adopting the proposal would introduce 0 new findings."
        )),
        "{page}"
    );
    // Each one can be opened.
    let listed = page
        .split("<details class=\"already\">")
        .nth(1)
        .unwrap()
        .split("</details>")
        .next()
        .unwrap()
        .matches("<li>")
        .count();
    assert_eq!(listed, count);
    // What it adds: Luxembourg's term and France's vice-presidency.
    assert!(
        page.contains(
            "adds in <code>presidencies</code>: holder: LU, start: 2017-09, end: 2019-09</li>"
        ),
        "{page}"
    );
    assert!(
        page.contains(
            "adds in <code>vice_presidencies</code>: holder: FR, start: 2017-09, end: 2018-09</li>"
        ),
        "{page}"
    );

    // A whole copy of the records that drops a member shows it removed.
    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("copy.yaml");
    let records = std::fs::read_to_string(REAL).unwrap();
    let dropped: Vec<&str> = records
        .lines()
        .filter(|line| !line.contains("{id: MA,"))
        .collect();
    assert_eq!(dropped.len() + 1, records.lines().count());
    std::fs::write(&copy, dropped.join("\n") + "\n").unwrap();
    let (_, page) = report(&[REAL, "--proposal", copy.to_str().unwrap()]);
    assert!(
        page.contains(
            "<li class=\"removes\">removes in <code>members</code>: id: MA, name: Morocco"
        ),
        "{page}"
    );
    assert_eq!(
        page.matches("<li class=\"").count(),
        1,
        "only the member changes"
    );

    // A fragment that restates a term with its dates known more finely
    // refines it: a change, with what it was.
    let fragment = folder.path().join("fragment.yaml");
    let write = |term: &str| {
        std::fs::write(
            &fragment,
            format!("as_of: 2016\npresidencies:\n  - {term}\n"),
        )
        .unwrap();
        report(&[REAL, "--proposal", fragment.to_str().unwrap()]).1
    };
    let page = write("{holder: FR, start: 2015-09, end: 2017-09}");
    assert!(
        page.contains(
            "changes in <code>presidencies</code>: holder: FR, start: 2015-09, end: 2017-09 \
             (was: holder: FR, start: 2015, end: 2017)"
        ),
        "{page}"
    );
    assert!(!page.contains("a second record"), "{page}");
    // Restated with a detail added, it says which.
    let page = write("{holder: FR, start: 2015, end: 2017, designation: {method: consensus}}");
    assert!(
        page.contains(
            "changes in <code>presidencies</code>: holder: FR, start: 2015, end: 2017 \
             (was: the same but for its designation)"
        ),
        "{page}"
    );
    // One that gives it other dates is another term: it says it adds a second.
    let page = write("{holder: FR, start: 2015-09, end: 2018-09}");
    assert!(
        page.contains(
            "a second record, beside the one already there (holder: FR, start: 2015, end: 2017)"
        ),
        "{page}"
    );
}

#[test]
fn a_wrong_end_is_marked_at_the_end() {
    let (_, page) = report(&[
        CURRENT,
        "--proposal",
        "fixtures/handover/wrong-term-length.yaml",
    ]);
    let document = parse(&page);
    // The years' lines of the axis: x of each year's first day.
    let year_x = |year: &str| -> f64 {
        let label = document
            .descendants()
            .find(|node| node.has_tag_name("text") && node.text() == Some(year))
            .unwrap();
        label.attribute("x").unwrap().parse::<f64>().unwrap() - 4.0
    };
    let errors: Vec<f64> = document
        .descendants()
        .filter(|node| node.has_tag_name("circle") && node.attribute("fill") == Some("#c62828"))
        .map(|node| node.attribute("cx").unwrap().parse().unwrap())
        .collect();
    assert!(!errors.is_empty(), "the term's length is marked");
    // The term runs 2017-09 to 2020-09: its length is marked in 2020, not 2017.
    let (in_2020, years) = (year_x("2020"), year_x("2020") - year_x("2019"));
    for x in errors {
        assert!(x > in_2020 && x < in_2020 + years, "{x}");
    }
}

#[test]
fn a_term_whose_end_is_no_date_is_drawn_as_unknown() {
    let folder = tempfile::tempdir().unwrap();
    let proposal = folder.path().join("bad-end.yaml");
    let right = std::fs::read_to_string("fixtures/handover/handover-fr-lu.yaml").unwrap();
    std::fs::write(
        &proposal,
        right.replacen("    end: 2019-09", "    end: 2019-13", 1),
    )
    .unwrap();
    let (_, page) = report(&[CURRENT, "--proposal", proposal.to_str().unwrap()]);
    parse(&page);
    assert!(
        page.contains("Presidencies: LU from 2017-09, to an end that is not a date"),
        "{page}"
    );
    assert!(!page.contains("Presidencies: LU from 2017-09, with no end recorded"));
    assert!(page.contains("<text class=\"unknown\""), "{page}");
}
