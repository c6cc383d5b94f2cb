//! Two YAML texts, a snapshot and a proposal, separated by the first NUL byte
//! (without one, the whole input is the proposal against the real snapshot),
//! checked as `govlint check BASE --proposal PROPOSAL` does with the built-in pack.
#![no_main]

use govlint::check::{Input, Options, check_proposal, decode};
use govlint::pack::{Pack, PackFiles};
use govlint::report::human;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const DEFAULT_BASE: &str = include_str!("../../fixtures/handover/current.yaml");

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| match Pack::load(PackFiles::Builtin) {
        Ok(pack) => pack,
        Err(problem) => panic!("the built-in pack does not load: {problem:?}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let (base, proposal) = match data.iter().position(|&byte| byte == 0) {
        Some(at) => (data[..at].to_vec(), data[at + 1..].to_vec()),
        None => (DEFAULT_BASE.as_bytes().to_vec(), data.to_vec()),
    };
    let checked = check_proposal(
        pack(),
        Input::new(decode("base.yaml", base)),
        Input::new(decode("proposal.yaml", proposal)),
        &Options::default(),
    );
    let _ = human::render(&[checked.report], &checked.failures, human::Style::plain());
});
