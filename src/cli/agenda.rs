//! `govlint agenda`: the records checked with a horizon, their obligations
//! listed in date order, in words, JSON or iCalendar.

use super::args::{AgendaArgs, AgendaFormat};
use super::console::{Status, complain, emit, review};
use crate::agenda::{self, Agenda};
use crate::base::date::PartialDate;
use crate::check::{Horizon, Options, is_structural};
use crate::pack::Pack;

pub fn command(pack: &Pack, args: &AgendaArgs) -> Status {
    let mut options = Options {
        as_of: args.records.as_of.clone(),
        ..Options::default()
    };
    let parse = |flag: &str, date: &str| {
        PartialDate::parse(date).map_err(|error| complain(&format!("{flag}: {error}")))
    };
    if let Some(date) = &args.records.as_of
        && let Err(status) = parse("--as-of", date)
    {
        return status;
    }
    let until = match &args.until {
        Some(date) => match parse("--until", date) {
            Ok(until) => Some(until),
            Err(status) => return status,
        },
        None => None,
    };
    options.horizon =
        Some(until.map_or(Horizon::YearsAfter(agenda::DEFAULT_YEARS), Horizon::Until));
    let reviewed = match review(
        pack,
        &args.records.path,
        args.records.proposal.as_ref(),
        &options,
    ) {
        Ok(reviewed) => reviewed,
        Err(status) => return status,
    };
    let report = &reviewed.checked.report;
    if let Some(broken) = report
        .findings
        .iter()
        .find(|finding| is_structural(finding))
    {
        return complain(&format!(
            "the records are not valid ({}); `govlint check {}` shows every problem",
            broken.message,
            args.records.path.display()
        ));
    }
    if !reviewed.checked.failures.is_empty() {
        return complain(&format!(
            "{} rule(s) could not be evaluated; `govlint check {}` shows which",
            reviewed.checked.failures.len(),
            args.records.path.display()
        ));
    }
    let Some(as_of) = reviewed.as_of.clone() else {
        return complain("no evaluation date: record one in the file, or pass `--as-of DATE`");
    };
    let Some(until) = options
        .horizon
        .as_ref()
        .and_then(|horizon| horizon.from(&as_of))
    else {
        return complain(&format!(
            "no date two years after {as_of}; pass `--until DATE`"
        ));
    };
    let agendas = [Agenda::of(&reviewed.checked, &as_of, until)];
    let text = match args.format {
        AgendaFormat::Human => agenda::human::render(&agendas[0]),
        AgendaFormat::Json => agenda::json::render(&agendas),
        AgendaFormat::Ics => agenda::ics::render(&agendas),
    };
    match emit(args.output.as_ref(), &text) {
        Ok(()) => Status::Clean,
        Err(status) => status,
    }
}
