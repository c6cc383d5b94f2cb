//! `cargo bench --bench rules`: each rule of the built-in pack evaluated alone
//! on the medium and the large synthetic records, and how its time grows with
//! ten times the records. A rule that grows much faster than its records scans
//! where it should look up. Writes its section of `benches/results.md`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::panic
)]

mod support;

use govlint::base::source::SourceFile;
use govlint::check::DEFAULT_MAX_EVAL_STEPS;
use govlint::check::eval::{Moment, evaluate};
use govlint::document::merge::Document;
use govlint::load::{self, Limits};
use govlint::pack::{Pack, PackFiles};
use std::fmt::Write as _;
use std::time::Duration;
use support::synthetic::{self, Size};
use support::{fastest, ms};

const SECTION: &str = "## Rules, one at a time";

/// Synthetic records, parsed, and the date they are judged at.
struct Records {
    document: Document,
    as_of: String,
}

impl Records {
    fn of(size: Size) -> Self {
        let (text, _) = synthetic::snapshot(size);
        let source = SourceFile::new("synthetic.yaml".to_owned(), text);
        let root = load::parse(&source, &Limits::default()).unwrap();
        Self {
            document: Document {
                source,
                root,
                overlay: None,
            },
            as_of: format!("{}", 5000 + size.years),
        }
    }

    /// The fastest of `runs` evaluations of `pack`, its bindings included.
    fn evaluate(&self, pack: &Pack, runs: usize) -> Duration {
        fastest(runs, || {
            let outcome = evaluate(
                pack,
                &self.document,
                &Moment::at(&self.as_of),
                DEFAULT_MAX_EVAL_STEPS,
            );
            assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
        })
    }
}

/// The built-in pack with only the rule `id`, or with none.
fn pack_with(id: Option<&str>) -> Pack {
    let mut pack =
        Pack::load(PackFiles::Builtin).unwrap_or_else(|_| panic!("the built-in pack loads"));
    pack.rules.retain(|rule| Some(rule.id.as_ref()) == id);
    pack
}

fn main() {
    // `cargo test` runs benches with `--bench` absent: stay quick there.
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let (sizes, runs) = if quick {
        ([synthetic::SMALL, synthetic::SMALL], 1)
    } else {
        ([synthetic::MEDIUM, synthetic::LARGE], 7)
    };
    let [medium, large] = sizes.map(Records::of);
    let bindings = pack_with(None);
    let shared = [&medium, &large].map(|records| records.evaluate(&bindings, runs));
    let ids: Vec<String> = Pack::load(PackFiles::Builtin)
        .unwrap_or_else(|_| panic!("the built-in pack loads"))
        .rules
        .iter()
        .map(|rule| rule.id.to_string())
        .collect();
    // Each rule's own time: the evaluation with it alone, less the pack's bindings.
    let mut costs: Vec<(&str, [Duration; 2])> = ids
        .iter()
        .map(|id| {
            let pack = pack_with(Some(id));
            let times = [&medium, &large].map(|records| records.evaluate(&pack, runs));
            (
                id.as_str(),
                [0, 1].map(|size| times[size].saturating_sub(shared[size])),
            )
        })
        .collect();
    costs.sort_by(|(_, a), (_, b)| b[1].cmp(&a[1]));
    let mut out = format!(
        "{SECTION}\n\nEach rule of the built-in pack evaluated alone, on one thread, less the pack's \
         bindings (computed once for all rules: {} ms medium, {} ms large); fastest of {runs}. \
         The large records are ten times the medium ones: a rule whose time grows much more \
         than tenfold scans where it should look up (the ratio is left out below 1 ms).\n\n\
         | rule | medium | large | large ÷ medium |\n|---|---:|---:|---:|\n",
        ms(shared[0]),
        ms(shared[1]),
    );
    for (id, [medium, large]) in &costs {
        // Below a millisecond the ratio is the timer's noise, not the rule's.
        let growth = if *large >= Duration::from_millis(1) {
            format!("{:.1}", large.as_secs_f64() / medium.as_secs_f64())
        } else {
            "–".to_owned()
        };
        let _ = writeln!(
            out,
            "| {id} | {} ms | {} ms | {growth} |",
            ms(*medium),
            ms(*large)
        );
    }
    print!("{out}");
    if !quick {
        let path = "benches/results.md";
        let results = std::fs::read_to_string(path).unwrap_or_default();
        std::fs::write(path, support::with_section(&results, SECTION, &out)).unwrap();
    }
}
