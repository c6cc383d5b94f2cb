//! The timeline report: one self-contained page (no script, font or image from
//! anywhere else) with the records drawn along the years as inline SVG, the
//! findings marked where they happen, and a card for each finding below. It is
//! well-formed XML, so tools (and the tests) can read it back.

use crate::base::date::PartialDate;
use crate::base::finding::{FileReport, Finding, Obligation, Severity, Verdict};
use crate::check::eval::RuleFailure;
use crate::report::changes::Change;
use crate::report::timeline::{Bar, Lane, Timeline};
use crate::report::xml::escape;
use crate::report::{human, statistics};
use chrono::{Datelike, NaiveDate};
use std::fmt::Write;

/// Width of one year on the axis. Long histories scroll sideways (and print
/// on as many pages as they need) rather than squeezing years unreadably.
const YEAR: f64 = 96.0;
const LEFT: f64 = 160.0;
const TOP: f64 = 40.0;
const ROW: f64 = 26.0;
const LANE_GAP: f64 = 18.0;
const BAR: f64 = 16.0;

/// Everything the page shows.
pub struct Page<'a> {
    pub title: &'a str,
    pub timeline: &'a Timeline,
    pub reports: &'a [FileReport],
    pub failures: &'a [RuleFailure],
    /// For a proposal: what it changes, and the records' own findings.
    pub proposal: Option<Proposed<'a>>,
    /// What falls due after the evaluation date (`govlint agenda`'s entries).
    pub upcoming: &'a [Obligation],
}

/// What the page of a proposal says beyond its findings.
pub struct Proposed<'a> {
    /// The findings the records already have without it.
    pub already: &'a [Finding],
    /// The records adopting it adds, changes and removes.
    pub changes: &'a [Change],
}

pub fn render(page: &Page<'_>) -> String {
    let findings: Vec<&Finding> = page
        .reports
        .iter()
        .flat_map(|report| &report.findings)
        .collect();
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    let _ = writeln!(out, "<title>{}</title>", escape(page.title));
    out.push_str(STYLE);
    out.push_str("</head>\n<body>\n<header>\n");
    let _ = writeln!(out, "<h1>{}</h1>", escape(page.title));
    let _ = writeln!(
        out,
        "<p class=\"headline\">{}</p>",
        escape(&statistics::summary(page.reports, page.failures))
    );
    if let Some(as_of) = page.timeline.as_of {
        let _ = writeln!(out, "<p>The records as of {as_of}.</p>");
    }
    out.push_str("</header>\n");
    summary_section(&mut out, page.timeline, &findings);
    upcoming_list(&mut out, page.upcoming);
    out.push_str("</section>\n");
    if let Some(proposal) = &page.proposal {
        proposal_section(&mut out, proposal, findings.len());
    }
    timeline_section(&mut out, page.timeline, &findings);
    cards_section(&mut out, page.timeline, &findings, page.proposal.is_some());
    out.push_str("</body>\n</html>\n");
    out
}

fn timeline_section(out: &mut String, timeline: &Timeline, findings: &[&Finding]) {
    out.push_str("<section id=\"timeline\">\n<h2>Timeline</h2>\n");
    out.push_str(
        "<p class=\"legend\">A solid bar is a period known to the day; a fading edge is a date \
         known only to the month or the year, drawn across every day it may be. A dashed outline \
         is a record the proposal adds or changes. <span class=\"mark error\">●</span> an error, \
         <span class=\"mark warning\">▲</span> a warning, <span class=\"mark missing\">◆</span> \
         evidence not recorded: each links to its card below.</p>\n",
    );
    out.push_str("<div class=\"scroll\">\n");
    out.push_str(&svg(timeline, findings));
    out.push_str("</div>\n");
    out.push_str(&print_rows(timeline));
    let elsewhere: Vec<(usize, &&Finding)> = findings
        .iter()
        .enumerate()
        .filter(|(_, finding)| timeline.place_of(&finding.document_pointer).is_none())
        .collect();
    if !elsewhere.is_empty() {
        out.push_str("<h3>Not on the timeline</h3>\n<ul class=\"elsewhere\">\n");
        for (index, finding) in elsewhere {
            let _ = writeln!(
                out,
                "<li><a href=\"#finding-{index}\">{}: {}</a></li>",
                escape(&finding.title()),
                escape(&finding.message)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// The timeline as SVG: years across, one lane per view down.
pub fn svg(timeline: &Timeline, findings: &[&Finding]) -> String {
    let (first, last) = timeline.years;
    let (width, height) = size(timeline);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" \
         viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-labelledby=\"timeline-title\" \
         font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">"
    );
    let _ = writeln!(
        out,
        "<title id=\"timeline-title\">The records from {first} to {last}, one lane per kind of record</title>"
    );
    out.push_str(GRADIENTS);
    // One drawing, which the printed rows show a slice of each (see `print_rows`).
    out.push_str("<g id=\"timeline-drawing\">");
    let _ = writeln!(
        out,
        "<rect class=\"page\" x=\"0\" y=\"0\" width=\"{width:.0}\" height=\"{height:.0}\" fill=\"#ffffff\"/>"
    );
    axis(&mut out, first, last, height);
    let mut y = TOP;
    for (index, lane) in timeline.lanes.iter().enumerate() {
        lane_svg(&mut out, timeline, index, lane, y, findings);
        y += lane_height(lane) + LANE_GAP;
    }
    if let Some(as_of) = timeline.as_of {
        let (from, to) = (
            x_of(first, as_of.first_day()),
            x_of(first, as_of.last_day() + chrono::Days::new(1)),
        );
        let _ = writeln!(
            out,
            "<g class=\"as-of\"><title>The date the records describe: {as_of}</title>\
             <rect x=\"{from:.1}\" y=\"{TOP:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#5b3fd6\" fill-opacity=\"0.08\"/>\
             <line x1=\"{from:.1}\" y1=\"{:.1}\" x2=\"{from:.1}\" y2=\"{:.1}\" stroke=\"#5b3fd6\" stroke-dasharray=\"4 3\"/>\
             <text x=\"{from:.1}\" y=\"{:.1}\" fill=\"#5b3fd6\">as of {as_of}</text></g>",
            (to - from).max(1.0),
            height - TOP - 10.0,
            TOP - 4.0,
            height - 10.0,
            TOP - 4.0,
        );
    }
    out.push_str("</g>\n</svg>\n");
    out
}

/// Years in one printed row: an A4 landscape page's width at a readable scale.
const PRINTED_YEARS: i32 = 8;

/// The timeline as printed: rows of `PRINTED_YEARS` years down the pages, each
/// with the lanes' names, showing the one drawing through a window, so a long
/// history prints whole rather than cut at the page's edge.
fn print_rows(timeline: &Timeline) -> String {
    let (first, last) = timeline.years;
    let (_, height) = size(timeline);
    let window = f64::from(PRINTED_YEARS) * YEAR + 20.0;
    let mut out = String::from("<div class=\"print-rows\">\n");
    let mut from = first;
    while from <= last {
        let to = (from + PRINTED_YEARS - 1).min(last);
        let x = LEFT + f64::from(from - first) * YEAR;
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"print-row\" viewBox=\"0 0 {:.0} {height:.0}\" \
             role=\"img\" aria-label=\"The records from {from} to {to}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\
             <svg x=\"0\" y=\"0\" width=\"{LEFT:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {LEFT:.0} {height:.0}\"><use href=\"#timeline-drawing\"/></svg>\
             <svg x=\"{LEFT:.0}\" y=\"0\" width=\"{window:.0}\" height=\"{height:.0}\" viewBox=\"{x:.1} 0 {window:.0} {height:.0}\"><use href=\"#timeline-drawing\"/></svg></svg>",
            LEFT + window,
        );
        from = to + 1;
    }
    out.push_str("</div>\n");
    out
}

/// The drawing's width and height.
fn size(timeline: &Timeline) -> (f64, f64) {
    let (first, last) = timeline.years;
    let width = LEFT + f64::from(last - first + 1) * YEAR + 20.0;
    let height = TOP
        + timeline
            .lanes
            .iter()
            .map(|lane| lane_height(lane) + LANE_GAP)
            .sum::<f64>()
        + 10.0;
    (width, height)
}

/// The date a finding's value holds, when it is one.
fn date_of(finding: &Finding) -> Option<crate::base::date::PartialDate> {
    let text = finding
        .location
        .source
        .text_at(finding.location.span)
        .trim()
        .trim_matches(['"', '\'']);
    crate::base::date::PartialDate::parse(text).ok()
}

fn lane_height(lane: &Lane) -> f64 {
    lane.rows as f64 * ROW
}

fn axis(out: &mut String, first: i32, last: i32, height: f64) {
    out.push_str("<g class=\"axis\">");
    for year in first..=last {
        let x = LEFT + f64::from(year - first) * YEAR;
        let _ = write!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#d0d0d0\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"#333333\">{year}</text>",
            TOP - 20.0,
            height - 10.0,
            x + 4.0,
            TOP - 24.0,
        );
    }
    // The last year's column closed, so it reads as a whole year.
    let end = LEFT + f64::from(last - first + 1) * YEAR;
    let _ = write!(
        out,
        "<line x1=\"{end:.1}\" y1=\"{:.1}\" x2=\"{end:.1}\" y2=\"{:.1}\" stroke=\"#d0d0d0\"/>",
        TOP - 20.0,
        height - 10.0,
    );
    out.push_str("</g>\n");
}

fn lane_svg(
    out: &mut String,
    timeline: &Timeline,
    lane_index: usize,
    lane: &Lane,
    y: f64,
    findings: &[&Finding],
) {
    let first = timeline.years.0;
    let _ = writeln!(
        out,
        "<g class=\"lane {}\"><text x=\"8\" y=\"{:.1}\" font-weight=\"bold\" fill=\"#222222\">{}</text>",
        escape(&lane.class),
        y + BAR - 3.0,
        escape(&lane.name)
    );
    let open_to = timeline
        .as_of
        .map(|date| date.last_day())
        .unwrap_or_else(|| year_start(timeline.years.1 + 1));
    for (bar_index, bar) in lane.bars.iter().enumerate() {
        let top = y + bar.row as f64 * ROW;
        bar_svg(out, first, lane, bar, top, open_to);
        let marks: Vec<(usize, &&Finding)> = findings
            .iter()
            .enumerate()
            .filter(|(_, finding)| {
                timeline.place_of(&finding.document_pointer) == Some((lane_index, bar_index))
            })
            .collect();
        for (order, (index, finding)) in marks.into_iter().enumerate() {
            // On the date the finding is about (a wrong end at the end), else
            // at the record's start.
            let day = date_of(finding)
                .filter(|date| (first..=timeline.years.1).contains(&date.year()))
                .map_or(bar.start.first_day(), |date| date.first_day());
            let x = x_of(first, day) + 6.0 + order as f64 * 14.0;
            mark(out, index, finding, x, top + BAR / 2.0);
        }
    }
    out.push_str("</g>\n");
}

fn bar_svg(out: &mut String, first: i32, lane: &Lane, bar: &Bar, top: f64, open_to: NaiveDate) {
    let fill = colour(&lane.class);
    let start = (
        x_of(first, bar.start.first_day()),
        x_of(first, next_day(bar.start.last_day())),
    );
    let proposed = if bar.proposed {
        " stroke=\"#111111\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\""
    } else {
        ""
    };
    let describe = describe(lane, bar);
    let _ = write!(
        out,
        "<g class=\"record\"><title>{}</title>",
        escape(&describe)
    );
    if !bar.point {
        let end = match bar.end {
            Some(end) => (
                x_of(first, end.first_day()),
                x_of(first, next_day(end.last_day())),
            ),
            // An end that is no date: a year's fade and a question mark,
            // never a bar running on to today.
            None if bar.end_unknown => (start.1, start.1 + YEAR),
            None => {
                let x = x_of(first, open_to);
                (x, x)
            }
        };
        // Certain from the last day the start may be to the first the end may be.
        if end.0 > start.1 {
            let _ = write!(
                out,
                "<rect x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{BAR}\" fill=\"{fill}\"/>",
                start.1,
                end.0 - start.1
            );
        }
        fade(out, "in", &lane.class, start, top);
        if bar.end_unknown {
            fade(out, "out", &lane.class, end, top);
            let _ = write!(
                out,
                "<text class=\"unknown\" x=\"{:.1}\" y=\"{:.1}\" fill=\"#111111\" font-weight=\"bold\">?</text>",
                end.1 + 2.0,
                top + BAR - 3.0
            );
        } else if bar.end.is_some() {
            fade(out, "out", &lane.class, end, top);
        } else {
            let _ = write!(
                out,
                "<path d=\"M{:.1},{top:.1} l8,{:.1} l-8,{:.1} z\" fill=\"{fill}\"/>",
                end.0,
                BAR / 2.0,
                BAR / 2.0
            );
        }
        // A white edge where a period starts, so a handover between two
        // holders shows however many follow one another.
        let _ = write!(
            out,
            "<line class=\"handover\" x1=\"{:.1}\" y1=\"{top:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#ffffff\" stroke-width=\"2\"/>",
            start.1,
            start.1,
            top + BAR
        );
        let outline_to = end.1.max(start.1);
        if bar.proposed {
            let _ = write!(
                out,
                "<rect x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{BAR}\" fill=\"none\"{proposed}/>",
                start.0,
                outline_to - start.0
            );
        }
    } else if start.1 - start.0 > 3.0 {
        // A date known only to the month or year: the span it may be, not a day.
        let _ = write!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" fill-opacity=\"0.35\"{proposed}/>\
             <path d=\"M{:.1},{top:.1} v{BAR} M{:.1},{top:.1} v{BAR}\" stroke=\"{fill}\" stroke-width=\"2\"/>",
            start.0,
            top + 3.0,
            start.1 - start.0,
            BAR - 6.0,
            start.0,
            start.1
        );
    } else {
        let _ = write!(
            out,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"{fill}\"{proposed}/>",
            start.0,
            top + BAR / 2.0
        );
    }
    // A point's name is written beside it too, above the bar line, so it
    // reads without hovering (its card and title say it in full).
    if bar.point {
        let _ = write!(
            out,
            "<text class=\"point-label\" x=\"{:.1}\" y=\"{:.1}\" fill=\"#111111\" font-size=\"9\">{}</text>",
            start.1 + 3.0,
            top - 1.0,
            escape(&bar.label)
        );
    } else {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#111111\">{}</text>",
            start.1.max(start.0) + 4.0,
            top + BAR + 8.0,
            escape(&bar.label)
        );
    }
    out.push_str("</g>\n");
}

/// A date's uncertain span, fading towards the side it is least likely.
fn fade(out: &mut String, direction: &str, class: &str, (from, to): (f64, f64), top: f64) {
    if to - from > 3.0 {
        let _ = write!(
            out,
            "<rect x=\"{from:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{BAR}\" fill=\"url(#fade-{direction}-{})\"/>",
            to - from,
            escape(class_name(class))
        );
    }
}

/// A finding's mark: its shape says its verdict and severity (never colour
/// alone), its link leads to its card.
fn mark(out: &mut String, index: usize, finding: &Finding, x: f64, y: f64) {
    let (class, shape) = match (finding.verdict, finding.severity) {
        (Verdict::NotRecorded, _) => (
            "missing",
            format!(
                "<path d=\"M{x:.1},{:.1} l6,6 l-6,6 l-6,-6 z\" fill=\"#ffffff\" stroke=\"#a15c00\" stroke-width=\"2\"/>",
                y - 6.0
            ),
        ),
        (Verdict::Contradiction, Severity::Error) => (
            "error",
            format!(
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"6\" fill=\"#c62828\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>"
            ),
        ),
        (Verdict::Contradiction, Severity::Warning) => (
            "warning",
            format!(
                "<path d=\"M{x:.1},{:.1} l6,11 h-12 z\" fill=\"#e6a100\" stroke=\"#ffffff\" stroke-width=\"1\"/>",
                y - 6.0
            ),
        ),
    };
    let _ = write!(
        out,
        "<a href=\"#finding-{index}\" class=\"mark {class}\" aria-label=\"{}\"><title>{}: {}</title>{shape}</a>",
        escape(&finding.title()),
        escape(&finding.title()),
        escape(&finding.message)
    );
}

/// The page's first (and, printed, one) page, but for what falls due next
/// (see `upcoming_list`), which the caller adds before it closes: the
/// findings counted by verdict, and every record drawn on the timeline in a
/// table.
fn summary_section(out: &mut String, timeline: &Timeline, findings: &[&Finding]) {
    out.push_str("<section class=\"summary\" id=\"summary\">\n<h2>Summary</h2>\n");
    let live = || findings.iter().filter(|finding| finding.waived.is_none());
    let count = |verdict: Verdict, severity: Severity| {
        live()
            .filter(|finding| finding.verdict == verdict && finding.severity == severity)
            .count()
    };
    let waived = findings.len() - live().count();
    let _ = writeln!(
        out,
        "<p class=\"verdicts\">Contradictions: {} errors, {} warnings. Not recorded: {} errors, {} warnings. Waived: {waived}.</p>",
        count(Verdict::Contradiction, Severity::Error),
        count(Verdict::Contradiction, Severity::Warning),
        count(Verdict::NotRecorded, Severity::Error),
        count(Verdict::NotRecorded, Severity::Warning),
    );
    // Point records (events) are many; the summary keeps the periods.
    let periods: Vec<(&Lane, &Bar)> = timeline
        .lanes
        .iter()
        .flat_map(|lane| lane.bars.iter().map(move |bar| (lane, bar)))
        .filter(|(_, bar)| !bar.point)
        .collect();
    if periods.is_empty() {
        return;
    }
    out.push_str("<table>\n<thead><tr><th>record</th><th>who</th><th>from</th><th>to</th><th></th></tr></thead>\n<tbody>\n");
    for (lane, bar) in periods {
        let to = match bar.end {
            Some(end) => end.to_string(),
            None if bar.end_unknown => "not a date".to_owned(),
            None => "no end recorded".to_owned(),
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&lane.name),
            escape(&bar.label),
            bar.start,
            escape(&to),
            if bar.proposed { "proposed" } else { "" }
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// What falls due next, in date order, in the words of the agenda: the last
/// part of the summary.
fn upcoming_list(out: &mut String, upcoming: &[Obligation]) {
    let mut dated: Vec<(PartialDate, &Obligation)> = upcoming
        .iter()
        .filter_map(|obligation| {
            Some((
                PartialDate::parse_computed(&obligation.due).ok()?,
                obligation,
            ))
        })
        .collect();
    if dated.is_empty() {
        return;
    }
    dated.sort_by_key(|(due, _)| (due.first_day(), due.last_day()));
    out.push_str("<h3 id=\"upcoming\">What falls due next</h3>\n<ul class=\"upcoming\">\n");
    for (due, obligation) in dated {
        let _ = writeln!(
            out,
            "<li>Due {}: {} <span class=\"rule\">({})</span></li>",
            escape(&crate::agenda::when(&due)),
            escape(&obligation.finding.message),
            escape(&obligation.finding.rule)
        );
    }
    out.push_str("</ul>\n");
}

/// What a proposal changes: the records it adds, changes and removes, and the
/// findings it introduces against those the records already had, which open
/// below.
fn proposal_section(out: &mut String, proposal: &Proposed<'_>, introduced: usize) {
    let already = proposal.already;
    out.push_str("<section id=\"proposal\">\n<h2>What the proposal changes</h2>\n");
    if proposal.changes.is_empty() {
        out.push_str("<p>It changes no record: every record it holds is already in the records, as it is.</p>\n");
    } else {
        out.push_str("<ul class=\"changes\">\n");
        for change in proposal.changes {
            let before = match (&change.before, &change.beside) {
                (Some(before), _) => format!(" (was: {before})"),
                (None, Some(beside)) => format!(
                    " — a second record, beside the one already there ({beside}), not a change of it"
                ),
                (None, None) => String::new(),
            };
            let _ = writeln!(
                out,
                "<li class=\"{}\">{} in <code>{}</code>: {}{}</li>",
                change.kind.words(),
                change.kind.words(),
                escape(&change.list),
                escape(&change.record),
                escape(&before)
            );
        }
        out.push_str("</ul>\n");
    }
    let _ = writeln!(
        out,
        "<p class=\"counts\">The records already have {}; adopting the proposal would introduce {}.</p>",
        statistics::plural(already.len(), "finding"),
        statistics::plural(introduced, "new finding"),
    );
    if !already.is_empty() {
        let _ = writeln!(
            out,
            "<details class=\"already\">\n<summary>The {} the records already have</summary>\n<ul>",
            statistics::plural(already.len(), "finding")
        );
        for finding in already {
            let _ = writeln!(
                out,
                "<li>{}: {}</li>",
                escape(&finding.title()),
                escape(&finding.message)
            );
        }
        out.push_str("</ul>\n</details>\n");
    }
    out.push_str("</section>\n");
}

fn cards_section(out: &mut String, timeline: &Timeline, findings: &[&Finding], proposal: bool) {
    out.push_str("<section id=\"findings\">\n<h2>Findings</h2>\n");
    match (findings.is_empty(), proposal) {
        (true, true) => out.push_str(
            "<p>No new finding: the proposal breaks no rule the records kept (what they already break is listed above).</p>\n",
        ),
        (true, false) => out.push_str("<p>No finding: the records keep every rule.</p>\n"),
        (false, _) => {}
    }
    let mut rules: Vec<String> = Vec::new();
    for finding in findings {
        let title = finding.title().into_owned();
        if !rules.contains(&title) {
            rules.push(title);
        }
    }
    for rule in &rules {
        let _ = writeln!(out, "<section class=\"rule\">\n<h3>{}</h3>", escape(rule));
        for (index, finding) in findings
            .iter()
            .enumerate()
            .filter(|(_, finding)| finding.title() == rule.as_str())
        {
            let place = if timeline.place_of(&finding.document_pointer).is_some() {
                "marked on the timeline"
            } else {
                "about the file as a whole, not a record on the timeline"
            };
            let rendered =
                human::render_findings(std::slice::from_ref(*finding), human::Style::plain());
            let _ = writeln!(
                out,
                "<article id=\"finding-{index}\" class=\"card {}\">\n<h4>{}</h4>\n<p class=\"where\">{place}</p>\n<pre>{}</pre>\n</article>",
                card_class(finding),
                escape(&finding.message),
                escape(rendered.trim_end())
            );
        }
        out.push_str("</section>\n");
    }
    out.push_str("</section>\n");
}

fn card_class(finding: &Finding) -> &'static str {
    match (finding.waived.is_some(), finding.verdict, finding.severity) {
        (true, _, _) => "waived",
        (false, Verdict::NotRecorded, _) => "missing",
        (false, _, Severity::Error) => "error",
        (false, _, Severity::Warning) => "warning",
    }
}

fn describe(lane: &Lane, bar: &Bar) -> String {
    let when = match (bar.point, bar.end) {
        (true, _) => format!("on {}", bar.start),
        (false, Some(end)) => format!("from {} to {end}", bar.start),
        (false, None) if bar.end_unknown => {
            format!("from {}, to an end that is not a date", bar.start)
        }
        (false, None) => format!("from {}, with no end recorded", bar.start),
    };
    let proposed = if bar.proposed { " (proposed)" } else { "" };
    format!("{}: {} {when}{proposed}", lane.name, bar.label)
}

fn year_start(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MAX)
}

fn next_day(day: NaiveDate) -> NaiveDate {
    day.succ_opt().unwrap_or(day)
}

/// The x of a day: years are equal widths, days share their year's.
fn x_of(first_year: i32, day: NaiveDate) -> f64 {
    let year = day.year();
    let days_in_year = if chrono::NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366.0
    } else {
        365.0
    };
    LEFT + (f64::from(year - first_year) + f64::from(day.ordinal0()) / days_in_year) * YEAR
}

fn class_name(class: &str) -> &str {
    match class {
        "primary" | "secondary" | "plan" | "event" => class,
        _ => "other",
    }
}

fn colour(class: &str) -> &'static str {
    match class_name(class) {
        "primary" => "#1f5fa8",
        "secondary" => "#2e8b57",
        "plan" => "#8a5a00",
        "event" => "#6a3fb5",
        _ => "#555555",
    }
}

const GRADIENTS: &str = "<defs>\
<linearGradient id=\"fade-in-primary\"><stop offset=\"0\" stop-color=\"#1f5fa8\" stop-opacity=\"0\"/><stop offset=\"1\" stop-color=\"#1f5fa8\"/></linearGradient>\
<linearGradient id=\"fade-out-primary\"><stop offset=\"0\" stop-color=\"#1f5fa8\"/><stop offset=\"1\" stop-color=\"#1f5fa8\" stop-opacity=\"0\"/></linearGradient>\
<linearGradient id=\"fade-in-secondary\"><stop offset=\"0\" stop-color=\"#2e8b57\" stop-opacity=\"0\"/><stop offset=\"1\" stop-color=\"#2e8b57\"/></linearGradient>\
<linearGradient id=\"fade-out-secondary\"><stop offset=\"0\" stop-color=\"#2e8b57\"/><stop offset=\"1\" stop-color=\"#2e8b57\" stop-opacity=\"0\"/></linearGradient>\
<linearGradient id=\"fade-in-plan\"><stop offset=\"0\" stop-color=\"#8a5a00\" stop-opacity=\"0\"/><stop offset=\"1\" stop-color=\"#8a5a00\"/></linearGradient>\
<linearGradient id=\"fade-out-plan\"><stop offset=\"0\" stop-color=\"#8a5a00\"/><stop offset=\"1\" stop-color=\"#8a5a00\" stop-opacity=\"0\"/></linearGradient>\
<linearGradient id=\"fade-in-event\"><stop offset=\"0\" stop-color=\"#6a3fb5\" stop-opacity=\"0\"/><stop offset=\"1\" stop-color=\"#6a3fb5\"/></linearGradient>\
<linearGradient id=\"fade-out-event\"><stop offset=\"0\" stop-color=\"#6a3fb5\"/><stop offset=\"1\" stop-color=\"#6a3fb5\" stop-opacity=\"0\"/></linearGradient>\
<linearGradient id=\"fade-in-other\"><stop offset=\"0\" stop-color=\"#555555\" stop-opacity=\"0\"/><stop offset=\"1\" stop-color=\"#555555\"/></linearGradient>\
<linearGradient id=\"fade-out-other\"><stop offset=\"0\" stop-color=\"#555555\"/><stop offset=\"1\" stop-color=\"#555555\" stop-opacity=\"0\"/></linearGradient>\
</defs>\n";

const STYLE: &str = "<style>\n\
body { font-family: sans-serif; margin: 1.5em; color: #111; }\n\
.headline { font-size: 1.2em; font-weight: bold; }\n\
.scroll { overflow-x: auto; border: 1px solid #ddd; }\n\
.legend .mark.error { color: #c62828; } .legend .mark.warning { color: #e6a100; } .legend .mark.missing { color: #a15c00; }\n\
.card { border-left: 4px solid #999; padding: 0 0.8em; margin: 0.8em 0; }\n\
.card.error { border-color: #c62828; } .card.warning { border-color: #e6a100; }\n\
.card.missing { border-color: #a15c00; border-left-style: dashed; } .card.waived { opacity: 0.7; }\n\
.card pre { overflow-x: auto; font-size: 0.85em; }\n\
.where { color: #555; font-size: 0.9em; }\n\
@page { size: A4 landscape; margin: 1cm; }\n\
.print-rows { display: none; }\n\
.summary table { border-collapse: collapse; } .summary td, .summary th { border-bottom: 1px solid #ddd; padding: 0.15em 0.6em; text-align: left; }\n\
@media print {\n\
  .scroll { display: none; }\n\
  .print-rows { display: block; }\n\
  .print-row { display: block; width: 100%; height: auto; break-inside: avoid; margin-bottom: 0.4em; }\n\
  h1, h2, h3, h4 { break-after: avoid; }\n\
  .summary { break-after: page; }\n\
  .card { break-inside: avoid; margin: 0.4em 0; }\n\
  .card h4 { margin: 0.2em 0; } .card .where { margin: 0; }\n\
  .card pre { font-size: 0.7em; white-space: pre-wrap; margin: 0.2em 0; }\n\
  .rule { columns: 2; column-gap: 1.5em; }\n\
  .rule h3 { column-span: all; }\n\
}\n\
</style>\n";
