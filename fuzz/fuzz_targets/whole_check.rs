//! Bytes as one snapshot file through the whole pipeline with the built-in pack:
//! decode, parse, structure, rules, waivers, then the human and JSON reports.
#![no_main]

use govlint::check::{Input, Options, check, decode};
use govlint::pack::{Pack, PackFiles};
use govlint::report::{human, json};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| match Pack::load(PackFiles::Builtin) {
        Ok(pack) => pack,
        Err(problem) => panic!("the built-in pack does not load: {problem:?}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let pack = pack();
    let checked = check(
        pack,
        Input::new(decode("fuzz.yaml", data.to_vec())),
        &Options::default(),
    );
    let reports = [checked.report];
    let _ = human::render(&reports, &checked.failures, human::Style::plain());
    let _ = json::render(&reports, &checked.failures);
});
