//! Each command: load what it needs, call the library, print, decide the status.

use super::args::{
    CheckArgs, Cli, Command, FixArgs, NewKind, OutputFormat, ReportArgs, SchemaKind,
};
use super::console::{
    Status, complain, emit, load_pack, print, print_with, style, style_for, with_pack,
    write_atomically,
};
use super::{agenda, explain, fix_held, new_rule, revision, selftest};
use crate::base::engine_rules::{ENGINE_RULES, engine_rule};
use crate::base::finding::FileReport;
use crate::check::baseline::Accepted;
use crate::check::eval::RuleFailure;
use crate::check::{self, Checked, Horizon, Input, Options, Reviewed};
use crate::fix;
use crate::load::Limits;
use crate::pack::Pack;
use crate::report::changes::{self, Change};
use crate::report::timeline::Timeline;
use crate::report::{concise, github, html, human, json, junit, sarif, statistics};
use clap::CommandFactory;
use rayon::prelude::*;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

pub fn run(command: Command) -> Status {
    match command {
        Command::Check(args) => check_command(&args),
        Command::Report(args) => with_pack(&args.records.pack, |pack| report_command(pack, &args)),
        Command::Agenda(args) => with_pack(&args.records.pack, |pack| agenda::command(pack, &args)),
        Command::Fix(args) => with_pack(&args.pack, |pack| fix_command(pack, &args)),
        Command::Test(pack) => with_pack(&pack, test_command),
        Command::Rules(pack) => with_pack(&pack, rules_command),
        Command::Explain { rule, at, pack } => {
            with_pack(&pack, |pack| explain_command(pack, &rule, at.as_deref()))
        }
        Command::Schema { which, pack } => with_pack(&pack, |pack| schema_command(pack, which)),
        Command::New {
            what: NewKind::Rule { id, rules },
        } => new_rule::command(&rules, &id),
        Command::Completions { shell } => completions_command(shell),
        Command::Server => match crate::server::serve() {
            Ok(()) => Status::Clean,
            Err(message) => complain(&message),
        },
        Command::Man { command } => man_command(command.as_deref()),
    }
}

fn check_command(args: &CheckArgs) -> Status {
    let options = match options_at(args.as_of.as_ref()) {
        Ok(options) => Options {
            limits: Limits {
                max_file_bytes: args.max_file_bytes,
                max_nodes: args.max_nodes,
                max_depth: args.max_depth,
                max_aliases: args.max_aliases,
                max_alias_nodes: args.max_alias_nodes,
            },
            max_eval_steps: args.max_eval_steps,
            ..options
        },
        Err(status) => return status,
    };
    // The first file parses while the pack compiles: for one file, most of a
    // check. (Only the first: parsing every file ahead would hold every tree.)
    let mut unreadable = Vec::new();
    let (pack, inputs) = rayon::join(
        || load_pack(&args.pack),
        || {
            let mut inputs = read_inputs(&args.paths, &options.limits, &mut unreadable)?;
            if let Some(first) = inputs.first_mut() {
                first.parse_now(&options.limits);
            }
            Ok(inputs)
        },
    );
    let pack = match pack {
        Ok(pack) => pack,
        Err(status) => return status,
    };
    let inputs = match inputs {
        Ok(inputs) => inputs,
        Err(status) => return status,
    };
    // The records a proposal is checked on, to try its fixes over them.
    let mut records = None;
    let checked: Vec<Checked> = match (&args.proposal, &args.base) {
        // Files are independent: check them on every core; `collect` keeps their order.
        (None, None) => inputs
            .into_par_iter()
            .map(|input| check::check(&pack, input, &options))
            .collect(),
        (None, Some(revision)) => match check_since(&pack, inputs, revision, &options) {
            Ok(checked) => checked,
            Err(message) => return complain(&message),
        },
        (Some(path), _) => {
            if let Some(message) = unreadable.first() {
                return complain(message);
            }
            let Ok([base]) = <[Input; 1]>::try_from(inputs) else {
                return complain(
                    "--proposal checks one snapshot against it: name exactly one snapshot file",
                );
            };
            match check::read(path, &path.display().to_string(), &options.limits) {
                Ok(proposal) => {
                    records = Some(std::sync::Arc::clone(&base.source));
                    vec![check::check_proposal(
                        &pack,
                        base,
                        Input::new(proposal),
                        &options,
                    )]
                }
                Err(message) => return complain(&message),
            }
        }
    };
    let failures: Vec<RuleFailure> = checked
        .iter()
        .flat_map(|c| c.failures.iter().cloned())
        .collect();
    let mut reports: Vec<FileReport> = checked.into_iter().map(|c| c.report).collect();
    if args.base.is_none() {
        fix_held::try_offered(&pack, &mut reports, records.as_deref(), &options);
    }
    if let Some(path) = &args.write_baseline
        && let Err(message) = write_atomically(path, &|out: &mut dyn Write| {
            out.write_all(Accepted::write(&reports).as_bytes())
        })
    {
        return complain(&message);
    }
    if let Some(path) = &args.baseline {
        let name = path.display().to_string();
        let accepted = std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read the baseline `{name}`: {error}"))
            .and_then(|text| Accepted::read(&name, &text));
        match accepted {
            Ok(accepted) => accepted.apply(&name, &mut reports),
            Err(message) => return complain(&message),
        }
    }
    let style = human::Style {
        every_finding: args.every_finding,
        statistics_only: args.statistics,
        ..style_for(args.output.is_none())
    };
    let report = |out: &mut dyn Write| match args.format {
        OutputFormat::Human => human::write(&reports, &failures, style, out),
        OutputFormat::Concise if args.statistics => human::write(&reports, &failures, style, out),
        OutputFormat::Concise => concise::write(&reports, &failures, out),
        OutputFormat::Json => json::write(&reports, &failures, Some(&pack), out),
        OutputFormat::Sarif => sarif::write(&reports, &pack, out),
        OutputFormat::Github => github::write(&reports, out),
        OutputFormat::Junit => junit::write(&reports, &pack, args.deny_warnings, out),
    };
    match &args.output {
        None => print_with(&report),
        Some(path) => {
            if let Err(message) = write_atomically(path, &report) {
                return complain(&message);
            }
        }
    }
    for message in &unreadable {
        complain(message);
    }
    if !unreadable.is_empty() || !failures.is_empty() {
        return Status::Unable;
    }
    verdict(&reports, args.deny_warnings)
}

/// Findings that fail the run, or none: the exit status of a finished check.
fn verdict(reports: &[FileReport], deny_warnings: bool) -> Status {
    let fails = reports
        .iter()
        .flat_map(|report| &report.findings)
        .any(|finding| finding.fails(deny_warnings));
    if fails {
        Status::Findings
    } else {
        Status::Clean
    }
}

/// The check's options at `--as-of DATE`, refused when DATE is no date.
fn options_at(as_of: Option<&String>) -> Result<Options, Status> {
    if let Some(date) = as_of
        && let Err(error) = crate::base::date::PartialDate::parse(date)
    {
        return Err(complain(&format!("--as-of: {error}")));
    }
    Ok(Options {
        as_of: as_of.cloned(),
        ..Options::default()
    })
}

/// The fixes of the findings applied to the files (or shown as a diff), then
/// what remains reported as `check` reports it.
fn fix_command(pack: &Pack, args: &FixArgs) -> Status {
    let options = match options_at(args.as_of.as_ref()) {
        Ok(options) => options,
        Err(status) => return status,
    };
    let mut unreadable = Vec::new();
    let paths = expand(&args.paths, &mut unreadable);
    if let Some(message) = unreadable.first() {
        return complain(message);
    }
    let read = |path: &Path| -> Result<fix::Text, String> {
        let name = path.display().to_string();
        let bytes =
            std::fs::read(path).map_err(|error| format!("cannot read `{name}`: {error}"))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("`{name}` is not UTF-8 text, so it cannot be fixed"))?;
        Ok(fix::Text { name, text })
    };
    let target = match (&args.proposal, paths.as_slice()) {
        (None, _) => paths
            .iter()
            .map(|path| read(path))
            .collect::<Result<_, _>>()
            .map(fix::Target::Files),
        (Some(proposal), [base]) => read(base).and_then(|base| {
            Ok(fix::Target::Proposal {
                base,
                proposal: read(proposal)?,
            })
        }),
        (Some(_), _) => Err(
            "--proposal fixes one proposal against one snapshot: name exactly one snapshot file"
                .to_owned(),
        ),
    };
    let target = match target {
        Ok(target) => target,
        Err(message) => return complain(&message),
    };
    let base = match &target {
        fix::Target::Proposal { base, .. } => Some(base.clone()),
        fix::Target::Files(_) => None,
    };
    let finals: Vec<fix::Text> = match &target {
        fix::Target::Files(files) => files.clone(),
        fix::Target::Proposal { proposal, .. } => vec![proposal.clone()],
    };
    let fix::Outcome { fixed, held } = fix::fix(pack, target, &options, args.unsafe_too);
    let mut out = String::new();
    for file in &fixed {
        if args.diff {
            out.push_str(
                &similar::TextDiff::from_lines(&file.before, &file.after)
                    .unified_diff()
                    .header(&file.name, &file.name)
                    .to_string(),
            );
        } else if let Err(message) =
            write_atomically(Path::new(&file.name), &|out: &mut dyn Write| {
                out.write_all(file.after.as_bytes())
            })
        {
            return complain(&message);
        } else {
            out.push_str(&format!(
                "fixed {} in {}\n",
                statistics::plural(file.applied, "finding"),
                file.name
            ));
        }
    }
    // What remains, in the files as they now read (or would, with --diff).
    let checked: Vec<Checked> = finals
        .into_iter()
        .map(|file| {
            let now = fixed
                .iter()
                .find(|done| done.name == file.name)
                .map_or(file, |done| fix::Text {
                    name: done.name.clone(),
                    text: done.after.clone(),
                });
            fix::run(pack, base.as_ref(), &now, &options)
        })
        .collect();
    let failures: Vec<RuleFailure> = checked.iter().flat_map(|c| c.failures.clone()).collect();
    let mut reports: Vec<FileReport> = checked.into_iter().map(|c| c.report).collect();
    fix_held::mark(&mut reports, &held);
    if !args.diff {
        out.push_str(&human::render(&reports, &failures, style()));
    }
    out.push_str(&fix_held::list(&held));
    print(&out);
    if !failures.is_empty() {
        return Status::Unable;
    }
    // As `ruff --diff`: a change to show fails the run, as a finding would.
    match verdict(&reports, false) {
        Status::Clean if args.diff && !fixed.is_empty() => Status::Findings,
        status => status,
    }
}

/// One snapshot (and a proposal over it) drawn as an HTML page.
fn report_command(pack: &Pack, args: &ReportArgs) -> Status {
    let snapshot = &args.records;
    let options = match options_at(snapshot.as_of.as_ref()) {
        // The page draws what falls due after the evaluation date, as the agenda lists it.
        Ok(options) => Options {
            horizon: Some(Horizon::YearsAfter(crate::agenda::DEFAULT_YEARS)),
            ..options
        },
        Err(status) => return status,
    };
    let read = |path: &PathBuf| {
        check::read(path, &path.display().to_string(), &options.limits).map(Input::new)
    };
    let base = match read(&snapshot.path) {
        Ok(base) => base,
        Err(message) => return complain(&message),
    };
    // For a proposal, the records' own findings too, judged at the date the
    // proposal is: its page tells them apart.
    let mut records = None;
    let reviewed = match &snapshot.proposal {
        None => check::review(pack, base, &options),
        Some(path) => match read(path) {
            Ok(proposal) => {
                records = Some(Input::new((
                    std::sync::Arc::clone(&base.source),
                    base.invalid_utf8_at,
                )));
                check::review_proposal(pack, base, proposal, &options)
            }
            Err(message) => return complain(&message),
        },
    };
    // The records on their own: their findings, and their lists to compare.
    let own = records.map(|records| {
        let at = Options {
            as_of: reviewed.as_of.clone(),
            ..options.clone()
        };
        check::review(pack, records, &at)
    });
    let changes: Vec<Change> = match (&own, &reviewed.document) {
        (
            Some(Reviewed {
                document: Some(before),
                ..
            }),
            Some(after),
        ) => changes::between(&before.root, &after.root),
        _ => Vec::new(),
    };
    let as_of = reviewed
        .as_of
        .as_deref()
        .and_then(|date| crate::base::date::PartialDate::parse(date).ok());
    let proposed = |_: &str, node: &crate::load::Node| {
        snapshot.proposal.is_some()
            && !reviewed
                .base_items
                .contains(&crate::check::identity::content(node))
    };
    // Records that did not parse have no timeline; their finding still has its card.
    let timeline = match &reviewed.document {
        Some(document) => Timeline::build(&pack.views, document, as_of, &proposed)
            .with_upcoming(&reviewed.checked.obligations),
        None => Timeline::empty(as_of),
    };
    let reports = [reviewed.checked.report];
    let title = match &snapshot.proposal {
        Some(proposal) => format!(
            "{} with {} proposed",
            snapshot.path.display(),
            proposal.display()
        ),
        None => snapshot.path.display().to_string(),
    };
    let page = html::render(&html::Page {
        title: &title,
        timeline: &timeline,
        reports: &reports,
        failures: &reviewed.checked.failures,
        proposal: own.as_ref().map(|own| html::Proposed {
            already: &own.checked.report.findings,
            changes: &changes,
        }),
        upcoming: &reviewed.checked.obligations,
    });
    if let Err(status) = emit(args.output.as_ref(), &page) {
        return status;
    }
    if !reviewed.checked.failures.is_empty() {
        return Status::Unable;
    }
    verdict(&reports, false)
}

/// Each file checked against its own content at `revision`, in parallel.
fn check_since(
    pack: &Pack,
    inputs: Vec<Input>,
    revision: &str,
    options: &Options,
) -> Result<Vec<Checked>, String> {
    inputs
        .into_par_iter()
        .map(|input| {
            let name = input.source.name().to_owned();
            if name == STDIN_NAME {
                return Err(
                    "--base compares files with git: name them rather than piping one".to_owned(),
                );
            }
            let earlier = revision::read_at(Path::new(&name), revision)?
                .map(|bytes| Input::new(check::decode(&format!("{name} at {revision}"), bytes)));
            Ok(check::check_changes(pack, earlier, input, options))
        })
        .collect()
}

/// How standard input is named in reports.
const STDIN_NAME: &str = "<stdin>";

/// The files named (folders expanded), or standard input when none is named.
fn read_inputs(
    paths: &[PathBuf],
    limits: &Limits,
    unreadable: &mut Vec<String>,
) -> Result<Vec<Input>, Status> {
    if !paths.is_empty() {
        return Ok(expand(paths, unreadable)
            .into_iter()
            .filter_map(|path| {
                check::read(&path, &path.display().to_string(), limits)
                    .map_err(|message| unreadable.push(message))
                    .ok()
                    .map(Input::new)
            })
            .collect());
    }
    if std::io::stdin().is_terminal() {
        return Err(complain(
            "no file to check: name files or folders, or pipe a snapshot into standard input (see `govlint check --help`)",
        ));
    }
    let mut bytes = Vec::new();
    let limit = u64::try_from(limits.max_file_bytes).unwrap_or(u64::MAX);
    if let Err(error) = std::io::stdin()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
    {
        return Err(complain(&format!("cannot read standard input: {error}")));
    }
    if bytes.len() > limits.max_file_bytes {
        return Err(complain("standard input is larger than `--max-file-bytes`"));
    }
    Ok(vec![Input::new(check::decode(STDIN_NAME, bytes))])
}

/// Files as given; folders as every `*.yaml` / `*.yml` below them, sorted.
fn expand(paths: &[PathBuf], unreadable: &mut Vec<String>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found, unreadable, 0);
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    files
}

/// Folder depth beyond which a walk stops (guards against link loops).
const MAX_FOLDER_DEPTH: usize = 64;

fn walk(dir: &Path, found: &mut Vec<PathBuf>, unreadable: &mut Vec<String>, depth: usize) {
    if depth > MAX_FOLDER_DEPTH {
        unreadable.push(format!(
            "`{}` is nested deeper than {MAX_FOLDER_DEPTH} folders (a link loop?)",
            dir.display()
        ));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            return unreadable.push(format!(
                "cannot read the folder `{}`: {error}",
                dir.display()
            ));
        }
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, found, unreadable, depth + 1);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml")
        {
            found.push(path);
        }
    }
}

fn test_command(pack: &Pack) -> Status {
    let results = selftest::run(pack);
    let mut out = String::new();
    for result in &results {
        match &result.problem {
            None => out.push_str(&format!("ok    {}  {}\n", result.rule, result.file)),
            Some(problem) => out.push_str(&format!(
                "FAIL  {}  {}\n      {problem}\n",
                result.rule, result.file
            )),
        }
    }
    let failed = results
        .iter()
        .filter(|result| result.problem.is_some())
        .count();
    out.push_str(&format!(
        "{} passed, {failed} failed\n",
        results.len() - failed
    ));
    print(&out);
    if failed == 0 {
        Status::Clean
    } else {
        Status::Findings
    }
}

fn rules_command(pack: &Pack) -> Status {
    let pack_rules = pack.rules.iter().map(|rule| {
        let retired = if rule.retired { " (retired)" } else { "" };
        let disabled = rule.disabled.as_ref().map_or_else(String::new, |disabled| {
            format!(" (disabled by `{}`: {})", disabled.by, disabled.reason)
        });
        let from = if rule.origin.as_ref() == pack.name && rule.changes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", rule.provenance())
        };
        (
            rule.id.as_ref(),
            rule.severity,
            format!("{}{retired}{disabled}{from}", rule.title),
        )
    });
    let engine = ENGINE_RULES
        .iter()
        .map(|rule| (rule.id, rule.severity, format!("{} (govlint)", rule.title)));
    let rows: Vec<_> = pack_rules.chain(engine).collect();
    let width = rows.iter().map(|(id, _, _)| id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (id, severity, title) in rows {
        out.push_str(&format!(
            "{id:<width$}  {:<7}  {title}\n",
            severity.as_str()
        ));
    }
    print(&out);
    Status::Clean
}

fn explain_command(pack: &Pack, id: &str, at: Option<&str>) -> Status {
    let at = match at.map(crate::base::date::PartialDate::parse).transpose() {
        Ok(at) => at,
        Err(error) => return complain(&format!("--at: {error}")),
    };
    if let Some(rule) = engine_rule(id) {
        print(&format!(
            "{} ({}, checked by govlint itself)\n{}\n\nWhat it checks\n  {}\n",
            rule.id,
            rule.severity.as_str(),
            rule.title,
            rule.checks
        ));
        return Status::Clean;
    }
    let Some(rule) = pack.rule(id) else {
        let known = (pack.rules.iter().map(|rule| rule.id.as_ref()))
            .chain(ENGINE_RULES.iter().map(|rule| rule.id));
        let close = crate::base::suggest::did_you_mean(id, known);
        return complain(&match close {
            Some(close) => format!(
                "no rule `{id}` in the pack `{}`; did you mean `{close}`?",
                pack.name
            ),
            None => format!(
                "no rule `{id}` in the pack `{}`; `govlint rules` lists them",
                pack.name
            ),
        });
    };
    print(&explain::explain(rule, &pack.dated_by, at.as_ref()));
    Status::Clean
}

fn schema_command(pack: &Pack, which: SchemaKind) -> Status {
    let text = match which {
        SchemaKind::Snapshot => {
            serde_json::to_string_pretty(pack.structure.schema()).unwrap_or_default()
        }
        SchemaKind::Rules => crate::pack::RULES_SCHEMA.trim_end().to_owned(),
    };
    print(&format!("{text}\n"));
    Status::Clean
}

/// A completion script for `shell`, generated from the clap definition itself.
fn completions_command(shell: clap_complete::Shell) -> Status {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "govlint", &mut out);
    print(&String::from_utf8_lossy(&out));
    Status::Clean
}

/// A roff man page: govlint(1), or govlint-COMMAND(1) for one command.
fn man_command(name: Option<&str>) -> Status {
    let version = env!("CARGO_PKG_VERSION");
    let mut root = Cli::command().disable_help_subcommand(true);
    // Building names the commands as they are run (`govlint check`, `govlint-check`).
    root.build();
    let page = match name {
        None => root,
        Some(name) => {
            let Some(command) = root.find_subcommand(name) else {
                let known = root.get_subcommands().map(clap::Command::get_name);
                return complain(&match crate::base::suggest::did_you_mean(name, known) {
                    Some(close) => format!("no command `{name}`; did you mean `{close}`?"),
                    None => format!("no command `{name}`; `govlint --help` lists them"),
                });
            };
            command.clone().version(version)
        }
    };
    let man = clap_mangen::Man::new(page)
        .source(format!("govlint {version}"))
        .manual("govlint manual");
    let mut out = Vec::new();
    if let Err(error) = man.render(&mut out) {
        return complain(&format!("cannot render the man page: {error}"));
    }
    let mut text = String::from_utf8_lossy(&out).into_owned();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    print(&text);
    Status::Clean
}
