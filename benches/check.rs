//! `cargo bench`: the cost of each stage of a check, at three sizes, beside the floor
//! (the YAML parser's bare event walk over the same text, no tree) and serde-saphyr's
//! own trees. Writes `benches/results.md`.
//!
//! A plain harness rather than criterion: the point is ratios measured in one run on
//! one machine (check ÷ parse, large ÷ medium), which a table states directly.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::panic
)]

mod support;

use govlint::base::source::SourceFile;
use govlint::check::{self, Input, Options};
use govlint::document::merge::Document;
use govlint::load::{self, Limits};
use govlint::pack::{Pack, PackFiles};
use govlint::report::{human, json};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use support::synthetic::{self, Size};
use support::{fastest, ms};

/// Peak resident memory of a command, in KiB, where `/usr/bin/time` can tell.
fn peak_kib(args: &[&str]) -> Option<u64> {
    let output = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg(env!("CARGO_BIN_EXE_govlint"))
        .args(args)
        .output()
        .ok()?;
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

fn binary(args: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_govlint"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(
        status.code().is_some_and(|code| code <= 1),
        "govlint {args:?} failed"
    );
}

/// The targets the speed work is held to, each as measured in this run.
#[derive(Default)]
struct Targets(Vec<(&'static str, f64, &'static str, bool)>);

impl Targets {
    fn add(&mut self, what: &'static str, measured: f64, goal: &'static str, met: bool) {
        self.0.push((what, measured, goal, met));
    }

    fn table(&self) -> String {
        let mut table = String::from(
            "\n## Targets\n\n| target | measured | goal | met |\n|---|---:|---|---|\n",
        );
        for (what, measured, goal, met) in &self.0 {
            let met = if *met { "yes" } else { "**no**" };
            let _ = writeln!(table, "| {what} | {measured:.2} | {goal} | {met} |");
        }
        table
    }
}

struct Row {
    name: &'static str,
    bytes: usize,
    events: Duration,
    scan: Duration,
    tree: Duration,
    load: Duration,
    schema: Duration,
    rules: Duration,
    render: Duration,
    whole: Duration,
    peak_kib: Option<u64>,
    /// The peak of a check with a pack of no rules: the text and its tree.
    records_kib: Option<u64>,
}

/// A pack with the built-in schema and no rules: what a check costs before any rule runs.
fn no_rules(folder: &Path) -> String {
    let pack = folder.join("no-rules");
    std::fs::create_dir_all(&pack).unwrap();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/snapshot.schema.json");
    let manifest = format!(
        "name: no-rules\ntitle: No rules\nschema: {}\nas_of: /as_of\n",
        schema.display()
    );
    std::fs::write(pack.join("pack.yaml"), manifest).unwrap();
    pack.display().to_string()
}

fn measure(name: &'static str, size: Size, pack: &Pack, folder: &Path, runs: usize) -> Row {
    let (text, expected) = synthetic::snapshot(Size {
        violations: 10,
        ..size
    });
    let path = folder.join(format!("{name}.yaml"));
    std::fs::write(&path, &text).unwrap();
    let source = SourceFile::new(path.display().to_string(), text.clone());
    let limits = Limits::default();

    // The true floor: every event the parser emits, and nothing built from them.
    let events = fastest(runs, || {
        for event in granit_parser::Parser::new_from_str(&text) {
            event.unwrap();
        }
    });
    let scan = fastest(runs, || {
        serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(
            &text,
            load::parser_options(&limits),
        )
        .unwrap();
    });
    let tree = fastest(runs, || {
        serde_saphyr::from_str_with_options::<serde_json::Value>(
            &text,
            load::parser_options(&limits),
        )
        .unwrap();
    });
    let load = fastest(runs, || {
        load::parse(&source, &limits).unwrap();
    });
    let document = Document {
        source: source.clone(),
        root: load::parse(&source, &limits).unwrap(),
        overlay: None,
    };
    let schema = fastest(runs, || {
        assert!(pack.structure.check(&document).is_empty());
    });
    let rules = fastest(runs, || {
        let outcome = govlint::check::eval::evaluate(
            pack,
            &document,
            &govlint::check::eval::Moment::at(&format!("{}", 5000 + size.years)),
            check::DEFAULT_MAX_EVAL_STEPS,
        );
        assert!(outcome.failures.is_empty());
    });
    let checked = check::check(
        pack,
        Input::new((source.clone(), None)),
        &Options::default(),
    );
    let found: Vec<(String, String)> = checked
        .report
        .findings
        .iter()
        .map(|f| (f.rule.to_string(), f.document_pointer.clone()))
        .collect();
    let wanted: Vec<(String, String)> = expected
        .iter()
        .map(|(rule, at)| ((*rule).to_owned(), at.clone()))
        .collect();
    assert_eq!(found, wanted, "{name}: the injected violations, exactly");
    let reports = [checked.report];
    let render = fastest(runs, || {
        human::render(&reports, &[], human::Style::plain());
        json::render(&reports, &[]);
    });
    let file = path.to_str().unwrap();
    let whole = fastest(runs, || binary(&["check", "--format", "json", file]));
    Row {
        name,
        bytes: text.len(),
        events,
        scan,
        tree,
        load,
        schema,
        rules,
        render,
        whole,
        peak_kib: peak_kib(&["check", "--format", "json", file]),
        records_kib: peak_kib(&["check", "--rules", &no_rules(folder), file]),
    }
}

/// What findings cost: the peak of a check of the large records with 40,000
/// findings, beside the peak of the same records with none (every application
/// addressed as the rule wants), in every output format.
fn findings_memory(out: &mut String, targets: &mut Targets) {
    const FINDINGS: usize = 40_000;
    const FORMATS: [&str; 6] = ["human", "concise", "json", "sarif", "github", "junit"];
    let folder = tempfile::tempdir().unwrap();
    let (failing, expected) = synthetic::snapshot(Size {
        violations: FINDINGS,
        ..synthetic::LARGE
    });
    let injected = expected
        .iter()
        .filter(|(rule, _)| *rule == "application-addressed")
        .count();
    assert_eq!(injected, FINDINGS);
    let passing = failing.replace(
        "addressed_to: [presidency]",
        "addressed_to: [presidency, secretariat]",
    );
    let write = |name: &str, text: &str| {
        let path = folder.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let (none, many) = (write("none.yaml", &passing), write("many.yaml", &failing));
    let mib = |kib: u64| kib as f64 / 1024.0;
    let mut worst: f64 = 0.0;
    let mut peaks = Vec::new();
    for format in FORMATS {
        let peak = |file: &str| peak_kib(&["check", "--format", format, file]);
        let (Some(none), Some(many)) = (peak(&none), peak(&many)) else {
            return;
        };
        worst = worst.max(many as f64 / none as f64);
        peaks.push(format!("{format} {:.0} ÷ {:.0} MB", mib(many), mib(none)));
    }
    let _ = writeln!(
        out,
        "\npeak memory of the large records with {FINDINGS} findings ({:.1} MB) ÷ the same records with none: {}",
        failing.len() as f64 / 1e6,
        peaks.join(", "),
    );
    targets.add(
        "peak memory with 40,000 findings ÷ with none, every format",
        worst,
        "≤ 2",
        worst <= 2.0,
    );
}

fn main() {
    // `cargo test` runs benches with `--bench` absent: stay quick there.
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let pack = Pack::load(PackFiles::Builtin).unwrap_or_else(|_| panic!("the built-in pack loads"));
    let folder = tempfile::tempdir().unwrap();
    let sizes: &[(&str, Size, usize)] = if quick {
        &[("small", synthetic::SMALL, 1)]
    } else {
        &[
            ("small", synthetic::SMALL, 20),
            ("medium", synthetic::MEDIUM, 10),
            ("large", synthetic::LARGE, 5),
        ]
    };
    let rows: Vec<Row> = sizes
        .iter()
        .map(|(name, size, runs)| measure(name, *size, &pack, folder.path(), *runs))
        .collect();

    let mut out = String::from(
        "| size | bytes | floor: event walk | serde-saphyr: scan | serde-saphyr: tree | load | schema | rules | render | whole `govlint check` | whole ÷ event walk | peak memory ÷ file |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for row in &rows {
        let memory = row.peak_kib.map_or_else(
            || "n/a".to_owned(),
            |kib| format!("{:.1}", kib as f64 * 1024.0 / row.bytes as f64),
        );
        let _ = writeln!(
            out,
            "| {} | {} | {} ms | {} ms | {} ms | {} ms | {} ms | {} ms | {} ms | {} ms | {:.2} | {memory} |",
            row.name,
            row.bytes,
            ms(row.events),
            ms(row.scan),
            ms(row.tree),
            ms(row.load),
            ms(row.schema),
            ms(row.rules),
            ms(row.render),
            ms(row.whole),
            row.whole.as_secs_f64() / row.events.as_secs_f64(),
        );
    }
    let mut targets = Targets::default();
    if let [.., medium, large] = rows.as_slice() {
        let growth = large.whole.as_secs_f64() / medium.whole.as_secs_f64();
        let _ = writeln!(
            out,
            "\nlarge ÷ medium (10× the records): whole check {growth:.1}×, rules {:.1}×",
            large.rules.as_secs_f64() / medium.rules.as_secs_f64()
        );
        let floor = large.whole.as_secs_f64() / large.events.as_secs_f64();
        targets.add(
            "whole check of large ÷ bare event walk of it",
            floor,
            "≤ 1.5",
            floor <= 1.5,
        );
        targets.add(
            "large ÷ medium, whole check",
            growth,
            "≤ 11",
            growth <= 11.0,
        );
        if let (Some(records), Some(start)) = (large.records_kib, peak_kib(&["--version"])) {
            // What reading the file adds to a process that does nothing, less the text itself.
            let tree = (records.saturating_sub(start) as f64 * 1024.0 - large.bytes as f64)
                / large.bytes as f64;
            let _ = writeln!(
                out,
                "\nthe tree of the large records: {tree:.1}× the file (peak of a check with no rules {:.0} MB, of `--version` {:.0} MB, less the text)",
                records as f64 / 1024.0,
                start as f64 / 1024.0,
            );
            targets.add("tree ÷ file, large", tree, "≤ 6", tree <= 6.0);
        }
    }
    if !quick {
        let real = "fixtures/ilgsse-vade-mecum.yaml";
        let version = fastest(20, || binary(&["--version"]));
        let cold = fastest(20, || binary(&["check", real]));
        let ratio = cold.as_secs_f64() / version.as_secs_f64();
        let _ = writeln!(
            out,
            "\ncold `govlint check {real}`: {} ms; `govlint --version`: {} ms; ratio {ratio:.2}",
            ms(cold),
            ms(version),
        );
        targets.add("cold check ÷ cold `--version`", ratio, "≤ 3", ratio <= 3.0);
        findings_memory(&mut out, &mut targets);
        let many = tempfile::tempdir().unwrap();
        let (text, _) = synthetic::snapshot(synthetic::SMALL);
        for index in 0..1000 {
            std::fs::write(many.path().join(format!("{index:04}.yaml")), &text).unwrap();
        }
        let folder = many.path().to_str().unwrap();
        let started = Instant::now();
        let output = Command::new("/usr/bin/time")
            .args(["-f", "%e %U %S"])
            .arg(env!("CARGO_BIN_EXE_govlint"))
            .args(["check", "--format", "json", folder])
            .output();
        let wall = started.elapsed();
        if let Some(line) = output.ok().and_then(|o| {
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .map(str::to_owned)
        }) {
            let parts: Vec<f64> = line
                .split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect();
            if let [elapsed, user, system] = parts.as_slice() {
                let cores = std::thread::available_parallelism().map_or(1, usize::from);
                let busy = (user + system) / elapsed;
                let _ = writeln!(
                    out,
                    "\n1,000 small files: {} ms wall, CPU {busy:.2}× wall on {cores} cores",
                    ms(wall),
                );
                let every_core = busy >= 0.9 * cores as f64;
                targets.add(
                    "1,000 small files: CPU ÷ wall",
                    busy,
                    "every core",
                    every_core,
                );
            }
        }
        out.push_str(&targets.table());
        // The sections other benchmarks write are kept.
        let earlier = std::fs::read_to_string("benches/results.md").unwrap_or_default();
        let others: String = ["## Rules, one at a time", "## Language server"]
            .into_iter()
            .filter_map(|heading| support::section(&earlier, heading))
            .map(|section| format!("\n{}\n", section.trim_end()))
            .collect();
        std::fs::write("benches/results.md", format!("# Benchmark results\n\nMachine: {} cores, `cargo bench` (release), fastest of several runs per cell.\n\n{out}{others}", std::thread::available_parallelism().map_or(1, usize::from))).unwrap();
    }
    print!("{out}");
}
