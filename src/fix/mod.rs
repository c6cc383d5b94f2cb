//! Applying the fixes findings carry, to the text of the file that holds each
//! node: only the bytes of the edited values change, so comments, quoting,
//! layout and every other byte stay as they were. A file is fixed in rounds
//! (a fix may let another rule speak) and is never left invalid. The edits
//! themselves are made where findings are made (`document::edit`); this stage
//! applies them and checks again.
//!
//! May import `base`, `load`, `document`, `pack` and `check`.

use crate::base::finding::Fix;
use crate::check::{self, Checked, Input, Options, is_structural};
use crate::pack::Pack;
use std::collections::HashSet;

/// How many times a file is checked and fixed again at most.
const MAX_ROUNDS: usize = 4;

/// A file of the records, by the name findings give it, and its text.
#[derive(Debug, Clone)]
pub struct Text {
    pub name: String,
    pub text: String,
}

/// What is fixed: files on their own, or a proposal over records (only the
/// proposal is edited).
pub enum Target {
    Files(Vec<Text>),
    Proposal { base: Text, proposal: Text },
}

/// A file whose text the fixes change.
#[derive(Debug, Clone)]
pub struct Fixed {
    pub name: String,
    pub before: String,
    pub after: String,
    /// How many fixes were applied, over every round.
    pub applied: usize,
}

/// Every fix of the target's findings (the safe ones, or all with `unsafe_too`)
/// applied, round after round, until none is left, so long as it leaves valid
/// records and adds no finding anywhere. Waived findings are not mended.
pub fn fix(pack: &Pack, target: Target, options: &Options, unsafe_too: bool) -> Vec<Fixed> {
    let (base, mut files) = match target {
        Target::Files(files) => (None, files),
        Target::Proposal { base, proposal } => (Some(base), vec![proposal]),
    };
    let originals: Vec<String> = files.iter().map(|file| file.text.clone()).collect();
    let mut applied = vec![0; files.len()];
    for _ in 0..MAX_ROUNDS {
        let mut changed = false;
        for (index, file) in files.iter_mut().enumerate() {
            let checked = run(pack, base.as_ref(), file, options);
            let fixes: Vec<&Fix> = checked
                .report
                .findings
                .iter()
                .filter(|finding| finding.waived.is_none())
                .filter_map(|finding| finding.fix.as_deref())
                .filter(|fix| (fix.safe || unsafe_too) && fix.source.name() == file.name)
                .collect();
            if fixes.is_empty() {
                continue;
            }
            let before = places(&checked);
            // All at once when that adds no finding; else one at a time,
            // keeping each that adds none (a right end may still make two
            // terms overlap that the wrong one kept apart).
            let (text, count) = match mended(pack, base.as_ref(), file, &fixes, &before, options) {
                Some(all) => (all, fixes.len()),
                None => one_by_one(pack, base.as_ref(), file, &fixes, &before, options),
            };
            if count > 0 {
                file.text = text;
                applied[index] += count;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    files
        .into_iter()
        .zip(originals)
        .zip(applied)
        .filter(|((file, before), _)| file.text != *before)
        .map(|((file, before), applied)| Fixed {
            name: file.name,
            before,
            after: file.text,
            applied,
        })
        .collect()
}

/// The findings of a check, by rule and place.
fn places(checked: &Checked) -> HashSet<(String, String)> {
    checked
        .report
        .findings
        .iter()
        .map(|finding| (finding.rule.to_string(), finding.document_pointer.clone()))
        .collect()
}

/// `file` with `fixes` applied, if the result still reads as valid records
/// and adds no finding to `before`.
fn mended(
    pack: &Pack,
    base: Option<&Text>,
    file: &Text,
    fixes: &[&Fix],
    before: &HashSet<(String, String)>,
    options: &Options,
) -> Option<String> {
    let (text, _) = apply(&file.text, fixes);
    let candidate = Text {
        name: file.name.clone(),
        text,
    };
    let again = run(pack, base, &candidate, options);
    let valid = !again.report.findings.iter().any(is_structural);
    (valid && places(&again).is_subset(before)).then_some(candidate.text)
}

/// The fixes tried one at a time, each kept if it adds no finding.
fn one_by_one(
    pack: &Pack,
    base: Option<&Text>,
    file: &Text,
    fixes: &[&Fix],
    before: &HashSet<(String, String)>,
    options: &Options,
) -> (String, usize) {
    let mut current = file.clone();
    let mut kept = 0;
    // From the end of the file, so the spans of the fixes not yet tried stay put.
    let mut order: Vec<&Fix> = fixes.to_vec();
    order.sort_by_key(|fix| std::cmp::Reverse(fix.span.start()));
    for fix in order {
        if let Some(text) = mended(pack, base, &current, &[fix], before, options) {
            current.text = text;
            kept += 1;
        }
    }
    (current.text, kept)
}

/// The check of a file as it now reads (against the records, for a proposal).
pub fn run(pack: &Pack, base: Option<&Text>, file: &Text, options: &Options) -> Checked {
    let input = |text: &Text| Input::new(check::decode(&text.name, text.text.clone().into_bytes()));
    match base {
        Some(base) => check::check_proposal(pack, input(base), input(file), options),
        None => check::check(pack, input(file), options),
    }
}

/// `text` with the fixes that do not overlap an earlier one applied, and how
/// many were.
pub fn apply(text: &str, fixes: &[&Fix]) -> (String, usize) {
    let mut chosen: Vec<&Fix> = Vec::new();
    let mut sorted: Vec<&Fix> = fixes.to_vec();
    sorted.sort_by_key(|fix| (fix.span.start(), fix.span.end()));
    for fix in sorted {
        let overlaps = chosen
            .last()
            .is_some_and(|last| fix.span.start() < last.span.end());
        if !overlaps && text.get(fix.span.start()..fix.span.end()).is_some() {
            chosen.push(fix);
        }
    }
    let mut out = text.to_owned();
    // From the end, so the earlier spans stay where they were.
    for fix in chosen.iter().rev() {
        out.replace_range(fix.span.start()..fix.span.end(), &fix.replacement);
    }
    (out, chosen.len())
}
