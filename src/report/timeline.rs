//! The records along the years, as the pack's views declare them: one lane per
//! view, one bar (or point) per record, each keeping the precision its dates
//! were written with and the JSON Pointer findings are matched by.

use crate::base::date::PartialDate;
use crate::base::finding::Obligation;
use crate::document::merge::Document;
use crate::load::{Node, Value};
use crate::pack::View;

/// One record on its lane.
#[derive(Debug, Clone)]
pub struct Bar {
    /// The record's JSON Pointer in the checked document.
    pub pointer: String,
    pub label: String,
    pub start: PartialDate,
    /// `None`: open-ended, unless a point.
    pub end: Option<PartialDate>,
    /// A point in time (an event's date) rather than a period.
    pub point: bool,
    /// Which row of its lane it sits on, so that bars that share time do not hide
    /// one another.
    pub row: usize,
    /// Whether it comes from the proposal under review.
    pub proposed: bool,
    /// Its end is recorded but is no date (`2019-13`): drawn as unknown, not
    /// as an open term nor a made-up year.
    pub end_unknown: bool,
}

/// How far a point's name reaches along the years as drawn: a character of
/// its 9 px label is about 5 px of a 96 px year (see `html`), some 19 days.
const LABEL_DAYS_PER_CHAR: u64 = 19;

impl Bar {
    /// The last day a point's name covers on the drawing, written after the point.
    fn label_reach(&self) -> Option<chrono::NaiveDate> {
        let chars = u64::try_from(self.label.chars().count()).ok()?;
        self.point.then(|| {
            self.start
                .last_day()
                .checked_add_days(chrono::Days::new(chars * LABEL_DAYS_PER_CHAR))
        })?
    }
}

#[derive(Debug, Clone)]
pub struct Lane {
    pub name: String,
    pub class: String,
    pub bars: Vec<Bar>,
    pub rows: usize,
}

#[derive(Debug, Clone)]
pub struct Timeline {
    pub lanes: Vec<Lane>,
    /// The first and last years drawn.
    pub years: (i32, i32),
    pub as_of: Option<PartialDate>,
}

impl Timeline {
    /// The lanes of `views` over `document`; `proposed` says whether a record
    /// (by its pointer and node) comes from the proposal under review.
    pub fn build(
        views: &[View],
        document: &Document,
        as_of: Option<PartialDate>,
        proposed: &dyn Fn(&str, &Node) -> bool,
    ) -> Self {
        let lanes: Vec<Lane> = views
            .iter()
            .map(|view| lane(view, document, proposed))
            .collect();
        Self {
            years: years(&lanes, as_of),
            lanes,
            as_of,
        }
    }

    /// A last lane of what falls due after the evaluation date (an agenda's
    /// obligations): a point at each date, named by its rule.
    pub fn with_upcoming(mut self, obligations: &[Obligation]) -> Self {
        let mut bars: Vec<Bar> = obligations
            .iter()
            .enumerate()
            .filter_map(|(index, obligation)| {
                Some(Bar {
                    // No finding is about an obligation: a pointer none can match.
                    pointer: format!("#due-{index}"),
                    label: obligation.finding.rule.to_string(),
                    start: PartialDate::parse_computed(&obligation.due).ok()?,
                    end: None,
                    end_unknown: false,
                    point: true,
                    row: 0,
                    proposed: false,
                })
            })
            .collect();
        if bars.is_empty() {
            return self;
        }
        let rows = stack(&mut bars);
        self.lanes.push(Lane {
            name: UPCOMING.to_owned(),
            class: "due".to_owned(),
            bars,
            rows,
        });
        self.years = years(&self.lanes, self.as_of);
        self
    }

    /// No lane: records that could not be read.
    pub fn empty(as_of: Option<PartialDate>) -> Self {
        let year = as_of.map_or(2000, |date| date.year());
        Self {
            lanes: Vec::new(),
            years: (year, year),
            as_of,
        }
    }

    /// The bar of the record that holds `pointer`, if any lane draws it: the
    /// lane's index and the bar's.
    pub fn place_of(&self, pointer: &str) -> Option<(usize, usize)> {
        self.lanes
            .iter()
            .enumerate()
            .find_map(|(lane_index, lane)| {
                lane.bars
                    .iter()
                    .position(|bar| {
                        pointer == bar.pointer
                            || pointer
                                .strip_prefix(bar.pointer.as_str())
                                .is_some_and(|rest| rest.starts_with('/'))
                    })
                    .map(|bar_index| (lane_index, bar_index))
            })
    }
}

/// The name of the lane of what falls due next.
pub const UPCOMING: &str = "Falls due next";

/// The first and last years drawn: every record's, and the evaluation date's.
fn years(lanes: &[Lane], as_of: Option<PartialDate>) -> (i32, i32) {
    lanes
        .iter()
        .flat_map(|lane| &lane.bars)
        .flat_map(|bar| {
            let reach = bar.label_reach().map(|day| chrono::Datelike::year(&day));
            [Some(bar.start.year()), bar.end.map(|end| end.year()), reach]
        })
        .chain([as_of.map(|date| date.year())])
        .flatten()
        .fold(None, |range: Option<(i32, i32)>, year| {
            Some(range.map_or((year, year), |(low, high)| (low.min(year), high.max(year))))
        })
        .unwrap_or((2000, 2000))
}

fn lane(view: &View, document: &Document, proposed: &dyn Fn(&str, &Node) -> bool) -> Lane {
    let located = document.root.locate(&view.items);
    let items: &[Node] = match (&located.node.value, located.exact) {
        (Value::Seq(items), true) => items,
        _ => &[],
    };
    let mut bars: Vec<Bar> = items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let pointer = format!("{}/{index}", view.items);
            let at = first_date(item, &view.at);
            let start = at.or_else(|| first_date(item, &view.start))?;
            let end = at.map_or_else(|| first_date(item, &view.end), |_| None);
            let end_unknown = at.is_none()
                && end.is_none()
                && view.end.iter().any(|path| at_path(item, path).is_some());
            Some(Bar {
                end_unknown,
                label: view
                    .label
                    .as_deref()
                    .and_then(|path| text_at(item, path))
                    .unwrap_or_else(|| start.to_string()),
                start,
                end,
                point: at.is_some(),
                row: 0,
                proposed: proposed(&pointer, item),
                pointer,
            })
        })
        .collect();
    let rows = stack(&mut bars);
    Lane {
        name: view.lane.clone(),
        class: view.class.clone(),
        bars,
        rows,
    }
}

/// Put each bar on the first row whose last bar has ended by the time it may
/// start: rows in order of start, so records that certainly share time stay
/// visible. A point in time takes the days its date may be, and its name's.
fn stack(bars: &mut [Bar]) -> usize {
    let mut order: Vec<usize> = (0..bars.len()).collect();
    order.sort_by_key(|&index| bars[index].start.first_day());
    let mut row_ends: Vec<Option<chrono::NaiveDate>> = Vec::new();
    for index in order {
        let bar = &bars[index];
        // Half-open: a record may follow on the row of one that ends the day
        // it may start.
        let from = bar.start.last_day();
        let to = match (bar.end, bar.point) {
            (Some(end), _) => Some(end.first_day()),
            (None, false) => None,
            (None, true) => bar.start.last_day().succ_opt().max(bar.label_reach()),
        };
        let row = row_ends
            .iter()
            .position(|end| end.is_some_and(|end| end <= from))
            .unwrap_or(row_ends.len());
        if row == row_ends.len() {
            row_ends.push(to);
        } else {
            row_ends[row] = to;
        }
        bars[index].row = row;
    }
    row_ends.len().max(1)
}

/// The first of `paths` (within the record, `/`-separated) that holds a date.
fn first_date(item: &Node, paths: &[String]) -> Option<PartialDate> {
    paths.iter().find_map(|path| {
        let node = at(item, path)?;
        match &node.value {
            Value::Str(text) => PartialDate::parse(text).ok(),
            Value::Int(year) => PartialDate::from_year(*year).ok(),
            _ => None,
        }
    })
}

fn text_at(item: &Node, path: &str) -> Option<String> {
    match &at(item, path)?.value {
        Value::Str(text) => Some(text.to_string()),
        Value::Int(number) => Some(number.to_string()),
        _ => None,
    }
}

fn at_path<'a>(item: &'a Node, path: &str) -> Option<&'a Node> {
    at(item, path).filter(|node| !matches!(node.value, Value::Null))
}

fn at<'a>(item: &'a Node, path: &str) -> Option<&'a Node> {
    path.split('/').try_fold(item, |node, key| node.get(key))
}
