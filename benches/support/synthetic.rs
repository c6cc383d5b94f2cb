//! Synthetic snapshots of any size, compliant with the built-in pack except for
//! the violations asked for, whose expected findings are returned alongside.

use std::fmt::Write;

#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub members: usize,
    pub years: usize,
    pub events_per_year: usize,
    /// Applications addressed to the presidency only: one `application-addressed` finding each.
    pub violations: usize,
}

pub const SMALL: Size = Size {
    members: 20,
    years: 10,
    events_per_year: 2,
    violations: 0,
};
pub const MEDIUM: Size = Size {
    members: 2_000,
    years: 200,
    events_per_year: 20,
    violations: 0,
};
pub const LARGE: Size = Size {
    members: 20_000,
    years: 2_000,
    events_per_year: 20,
    violations: 0,
};

/// The first year of the records; late enough that 2,000 years fit before 9999.
const FIRST_YEAR: usize = 5000;
/// Member states rotate the presidency; the rest are observers and organizations.
const STATES: usize = 10;

/// The snapshot text, and the (rule, JSON Pointer) of every finding it must produce.
pub fn snapshot(size: Size) -> (String, Vec<(&'static str, String)>) {
    let mut out =
        String::with_capacity(size.members * 120 + size.years * size.events_per_year * 110);
    let last = FIRST_YEAR + size.years;
    let _ = writeln!(out, "format: 1\nas_of: {last}-06");
    let _ = writeln!(
        out,
        "group:\n  id: synthetic\n  name: A synthetic group\n  established: {}\n  joint_declaration: {{adopted: {FIRST_YEAR}-01}}",
        FIRST_YEAR - 1
    );
    out.push_str("members:\n");
    let _ = writeln!(
        out,
        "  - {{id: SEC, name: SSE International Forum, category: civil_society_organization, declaration_signed: {FIRST_YEAR}-01}}"
    );
    for index in 0..size.members {
        let category = if index < STATES {
            "member_state"
        } else if index % 3 == 0 {
            "observer"
        } else {
            "international_organization"
        };
        let _ = writeln!(
            out,
            "  - {{id: M{index}, name: Member {index}, category: {category}, since: {FIRST_YEAR}-01, declaration_signed: {FIRST_YEAR}-01}}"
        );
    }
    let states = STATES.min(size.members).max(2);
    out.push_str("presidencies:\n");
    // One term more than the years need, so that a presidency covers the as-of date.
    let terms: Vec<(usize, usize)> = (0..=size.years / 2)
        .map(|term| (term % states, FIRST_YEAR + 2 * term))
        .collect();
    for (holder, start) in &terms {
        let end = start + 2;
        let _ = writeln!(
            out,
            "  - holder: M{holder}\n    start: {start}-01\n    end: {end}-01\n    designation: {{method: consensus, candidates: [M{holder}], date: {start}-01}}\n    roadmap: {{adopted: {start}-01, covers: {{start: {start}-01, end: {end}-01}}, drafted_with: [SEC, M{holder}]}}"
        );
    }
    out.push_str("vice_presidencies:\n");
    for pair in terms.windows(2) {
        if let [(previous, _), (_, start)] = pair {
            let _ = writeln!(
                out,
                "  - {{holder: M{previous}, start: {start}-01, end: {}-01}}",
                start + 1
            );
        }
    }
    let _ = writeln!(
        out,
        "secretariat: {{run_by: SEC, jointly_with: [Office A, Office B], since: {FIRST_YEAR}}}"
    );
    out.push_str("events:\n");
    for year in FIRST_YEAR..last {
        let holder = terms
            .get((year - FIRST_YEAR) / 2)
            .map_or(0, |(holder, _)| *holder);
        for index in 0..size.events_per_year.max(2) {
            let kind = if index % 2 == 0 {
                "working_session"
            } else {
                "high_level_event"
            };
            let month = 1 + index % 12;
            let _ = writeln!(
                out,
                "  - {{id: e{year}-{index}, kind: {kind}, date: {year}-{month:02}, organized_by: [M{holder}, SEC]}}"
            );
        }
    }
    // The synthetic years start at 5000, so the group's own dates contradict
    // the ones the vade-mecum states (group-facts), in every size.
    let mut expected = vec![
        ("group-facts", "/group/established".to_owned()),
        ("group-facts", "/group/joint_declaration/adopted".to_owned()),
    ];
    if size.violations > 0 {
        out.push_str("applications:\n");
        for index in 0..size.violations {
            let _ = writeln!(
                out,
                "  - {{applicant: Applicant {index}, form: letter, date: {}-03, addressed_to: [presidency], outcome: pending}}",
                last - 1
            );
            expected.push((
                "application-addressed",
                format!("/applications/{index}/addressed_to"),
            ));
        }
    }
    (out, expected)
}
