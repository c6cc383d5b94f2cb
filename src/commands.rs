//! Each command: load what it needs, call the library, print, decide the status.

use crate::Status;
use crate::cli::{CheckArgs, Cli, Command, NewKind, OutputFormat, PackArgs, SchemaKind};
use clap::CommandFactory;
use govlint::check::{self, Checked, Input, Options};
use govlint::engine_rules::{ENGINE_RULES, engine_rule};
use govlint::eval::RuleFailure;
use govlint::finding::FileReport;
use govlint::load::Limits;
use govlint::pack::{Pack, PackFiles, PackProblem};
use govlint::report::{github, human, json, junit, sarif};
use rayon::prelude::*;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

pub fn run(command: Command) -> Status {
    match command {
        Command::Check(args) => check_command(&args),
        Command::Test(pack) => with_pack(&pack, test_command),
        Command::Rules(pack) => with_pack(&pack, rules_command),
        Command::Explain { rule, pack } => with_pack(&pack, |pack| explain_command(pack, &rule)),
        Command::Schema { which, pack } => with_pack(&pack, |pack| schema_command(pack, which)),
        Command::New {
            what: NewKind::Rule { id, rules },
        } => crate::new_rule::command(&rules, &id),
        Command::Completions { shell } => completions_command(shell),
        Command::Man { command } => man_command(command.as_deref()),
    }
}

fn style() -> human::Style {
    style_for(true)
}

/// Colour only for a terminal that wants it, never in a file.
fn style_for(to_stdout: bool) -> human::Style {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    human::Style {
        color: to_stdout && std::io::stdout().is_terminal() && !no_color,
        ..human::Style::plain()
    }
}

/// Write beside the target, then rename over it: a reader never sees half a report.
fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let fail = |error: std::io::Error| format!("cannot write `{}`: {error}", path.display());
    let mut file = tempfile::NamedTempFile::new_in(folder).map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)?;
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|error| fail(error.error))?;
    Ok(())
}

pub(crate) fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`govlint … | head`) is not an error worth reporting.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

fn print_error(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
}

pub(crate) fn complain(message: &str) -> Status {
    print_error(&format!("error: {message}\n"));
    Status::Unable
}

pub(crate) fn load_pack(args: &PackArgs) -> Result<Pack, Status> {
    let files = args
        .rules
        .clone()
        .map_or(PackFiles::Builtin, PackFiles::Disk);
    Pack::load(files).map_err(|problem| match problem {
        PackProblem::Unreadable(message) => complain(&message),
        PackProblem::Invalid(findings) => {
            print_error(&human::render_findings(&findings, style()));
            complain(&format!(
                "the rule pack is invalid ({}); nothing was checked",
                human::plural(findings.len(), "problem")
            ))
        }
    })
}

fn with_pack(args: &PackArgs, command: impl FnOnce(&Pack) -> Status) -> Status {
    match load_pack(args) {
        Ok(pack) => command(&pack),
        Err(status) => status,
    }
}

fn check_command(args: &CheckArgs) -> Status {
    if let Some(date) = &args.as_of
        && let Err(error) = govlint::date::PartialDate::parse(date)
    {
        return complain(&format!("--as-of: {error}"));
    }
    let options = Options {
        as_of: args.as_of.clone(),
        limits: Limits {
            max_file_bytes: args.max_file_bytes,
            max_nodes: args.max_nodes,
            max_depth: args.max_depth,
            max_aliases: args.max_aliases,
            max_alias_nodes: args.max_alias_nodes,
        },
        max_eval_steps: args.max_eval_steps,
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
    let checked: Vec<Checked> = match &args.proposal {
        // Files are independent: check them on every core; `collect` keeps their order.
        None => inputs
            .into_par_iter()
            .map(|input| check::check(&pack, input, &options))
            .collect(),
        Some(path) => {
            if let Some(message) = unreadable.first() {
                return complain(message);
            }
            let Ok([base]) = <[Input; 1]>::try_from(inputs) else {
                return complain(
                    "--proposal checks one snapshot against it: name exactly one snapshot file",
                );
            };
            match check::read(path, &path.display().to_string(), &options.limits) {
                Ok(proposal) => vec![check::check_proposal(
                    &pack,
                    base,
                    Input::new(proposal),
                    &options,
                )],
                Err(message) => return complain(&message),
            }
        }
    };
    let failures: Vec<RuleFailure> = checked
        .iter()
        .flat_map(|c| c.failures.iter().cloned())
        .collect();
    let reports: Vec<FileReport> = checked.into_iter().map(|c| c.report).collect();
    let report = match args.format {
        OutputFormat::Human => human::render(&reports, &failures, style_for(args.output.is_none())),
        OutputFormat::Json => json::render(&reports, &failures),
        OutputFormat::Sarif => sarif::render(&reports, &pack),
        OutputFormat::Github => github::render(&reports),
        OutputFormat::Junit => junit::render(&reports, &pack),
    };
    match &args.output {
        None => print(&report),
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
    let fails = reports
        .iter()
        .flat_map(|report| &report.findings)
        .any(|finding| finding.fails(args.deny_warnings));
    if fails {
        Status::Findings
    } else {
        Status::Clean
    }
}

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
    Ok(vec![Input::new(check::decode("<stdin>", bytes))])
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
    let results = govlint::selftest::run(pack);
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

fn explain_command(pack: &Pack, id: &str) -> Status {
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
        let close = govlint::suggest::did_you_mean(id, known);
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
    print(&govlint::explain::explain(rule));
    Status::Clean
}

fn schema_command(pack: &Pack, which: SchemaKind) -> Status {
    let text = match which {
        SchemaKind::Snapshot => {
            serde_json::to_string_pretty(pack.structure.schema()).unwrap_or_default()
        }
        SchemaKind::Rules => govlint::pack::RULES_SCHEMA.trim_end().to_owned(),
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
                return complain(&match govlint::suggest::did_you_mean(name, known) {
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
