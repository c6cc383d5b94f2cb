//! Text as one rule file of a pack whose manifest is the built-in one: loaded as
//! `--rules DIR` loads it and, when it loads, run on the real snapshot. Problems are
//! rendered as the CLI renders them.
#![no_main]

use govlint::check::{Input, Options, check, decode};
use govlint::pack::{Pack, PackFiles, PackProblem};
use govlint::report::human;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

const MANIFEST: &str = include_str!("../../rules/pack.yaml");
const SCHEMA: &str = include_str!("../../schemas/snapshot.schema.json");
const SNAPSHOT: &str = include_str!("../../fixtures/ilgsse-vade-mecum.yaml");

/// The pack folder, made once; each input overwrites its one rule file.
fn folder() -> &'static PathBuf {
    static FOLDER: OnceLock<PathBuf> = OnceLock::new();
    FOLDER.get_or_init(|| {
        let dir = match tempfile::Builder::new()
            .prefix("govlint-fuzz-pack")
            .tempdir()
        {
            Ok(dir) => dir.keep(),
            Err(error) => panic!("no temporary folder: {error}"),
        };
        let manifest = MANIFEST.replace("../schemas/snapshot.schema.json", "snapshot.schema.json");
        for (name, text) in [
            ("pack.yaml", manifest.as_str()),
            ("snapshot.schema.json", SCHEMA),
        ] {
            if let Err(error) = std::fs::write(dir.join(name), text) {
                panic!("cannot write {name}: {error}");
            }
        }
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = folder();
    if let Err(error) = std::fs::write(dir.join("rule.yaml"), data) {
        panic!("cannot write the rule file: {error}");
    }
    match Pack::load(PackFiles::Disk(dir.clone())) {
        Ok(pack) => {
            let input = Input::new(decode("snapshot.yaml", SNAPSHOT.as_bytes().to_vec()));
            let checked = check(&pack, input, &Options::default());
            let _ = human::render(&[checked.report], &checked.failures, human::Style::plain());
        }
        Err(PackProblem::Invalid(findings)) => {
            let _ = human::render_findings(&findings, human::Style::plain());
        }
        Err(PackProblem::Unreadable(_)) => {}
    }
});
