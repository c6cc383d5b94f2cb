//! Applying the fixes findings carry, to the text of the file that holds each
//! node: only the bytes of the edited values change, so comments, quoting,
//! layout and every other byte stay as they were. A file is fixed one edit at
//! a time, each judged on the records as the edits before it left them, so
//! no fix computed from a value another fix changes can move a right value;
//! the file is never left invalid, and every fix held back is told, with why. The edits
//! themselves are made where findings are made (`document::edit`); this stage
//! applies them and checks again.
//!
//! May import `base`, `load`, `document`, `pack` and `check`.

use crate::base::finding::{Finding, Fix};
use crate::check::{self, Checked, Input, Options, is_structural};
use crate::pack::Pack;
use std::collections::{HashMap, HashSet};

/// How many edits one run makes to a file at most (each is checked again).
const MAX_EDITS: usize = 200;

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
    /// How many fixes were applied.
    pub applied: usize,
}

/// A fix offered but not applied, and why.
#[derive(Debug, Clone)]
pub struct Held {
    pub file: String,
    pub rule: String,
    /// The finding's place in the checked document.
    pub pointer: String,
    pub description: String,
    pub reason: String,
}

/// What a run of fixes did: the files it changed and the fixes it held back.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub fixed: Vec<Fixed>,
    pub held: Vec<Held>,
}

/// The fixes of the target's findings (the safe ones, or all with
/// `unsafe_too`) applied one at a time, each only if, in the records as the
/// fixes before it left them, its finding still stands, the fix mends it,
/// leaves valid records and adds no finding. Edits of one value that disagree
/// are held back together. Waived findings are not mended. Without
/// `unsafe_too`, the unsafe fixes that would not apply either are held back
/// too, so a report offers `--unsafe` only where it would apply.
pub fn fix(pack: &Pack, target: Target, options: &Options, unsafe_too: bool) -> Outcome {
    let (base, files) = match target {
        Target::Files(files) => (None, files),
        Target::Proposal { base, proposal } => (Some(base), vec![proposal]),
    };
    let mut outcome = Outcome::default();
    for mut file in files {
        let before = file.text.clone();
        let run = Fixing {
            pack,
            base: base.as_ref(),
            options,
        };
        let applied = run.file(&mut file, unsafe_too, &mut outcome.held);
        if file.text != before {
            outcome.fixed.push(Fixed {
                name: file.name,
                before,
                after: file.text,
                applied,
            });
        }
    }
    outcome
}

/// Where a file's findings are: how many of each rule at each place.
type Places = HashMap<(String, String), usize>;

fn places(checked: &Checked) -> Places {
    let mut places = Places::new();
    for finding in &checked.report.findings {
        *places
            .entry((finding.rule.to_string(), finding.document_pointer.clone()))
            .or_default() += 1;
    }
    places
}

/// A fix's identity across checks: its finding's rule and place, and its edit.
type Key = (String, String, String);

fn key(finding: &Finding, fix: &Fix) -> Key {
    (
        finding.rule.to_string(),
        finding.document_pointer.clone(),
        fix.replacement.clone(),
    )
}

struct Fixing<'a> {
    pack: &'a Pack,
    base: Option<&'a Text>,
    options: &'a Options,
}

impl Fixing<'_> {
    /// Fix `file` in place; how many fixes were applied.
    fn file(&self, file: &mut Text, unsafe_too: bool, held: &mut Vec<Held>) -> usize {
        let held_before = held.len();
        let mut refused: HashSet<Key> = HashSet::new();
        let mut applied = 0;
        let mut checked = run(self.pack, self.base, file, self.options);
        loop {
            let offered = offered(&checked, &file.name, &refused);
            for (finding, fix, other) in conflicts(&offered) {
                refused.insert(key(finding, fix));
                held.push(hold(
                    file,
                    finding,
                    fix,
                    format!("another fix edits the same value otherwise ({other})"),
                ));
            }
            // A safe fix first: the values the records determine settle
            // before the choices a person confirms.
            let next = offered
                .iter()
                .filter(|(finding, fix)| {
                    !refused.contains(&key(finding, fix)) && (fix.safe || unsafe_too)
                })
                .min_by_key(|(_, fix)| !fix.safe);
            let Some(&(finding, fix)) = next else {
                break;
            };
            if applied == MAX_EDITS {
                held.push(hold(
                    file,
                    finding,
                    fix,
                    format!("{MAX_EDITS} fixes were applied; run `govlint fix` again"),
                ));
                break;
            }
            match self.trial(file, &checked, finding, fix) {
                Ok((text, again)) => {
                    file.text = text;
                    checked = again;
                    applied += 1;
                }
                Err(reason) => {
                    refused.insert(key(finding, fix));
                    held.push(hold(file, finding, fix, reason));
                }
            }
        }
        // A fix held back whose finding a later fix mended is no news.
        let standing = places(&checked);
        let mut mine = held.split_off(held_before);
        mine.retain(|one| standing.contains_key(&(one.rule.clone(), one.pointer.clone())));
        held.extend(mine);
        if !unsafe_too {
            // What `--unsafe` would not apply either is held back now, so no
            // report offers it.
            let waiting = offered(&checked, &file.name, &refused);
            for (finding, fix) in waiting.into_iter().filter(|(_, fix)| !fix.safe) {
                if let Err(reason) = self.trial(file, &checked, finding, fix) {
                    held.push(hold(file, finding, fix, reason));
                }
            }
        }
        applied
    }

    /// `file` with `fix` applied and its check, if the fix mends its finding
    /// and leaves valid records with no finding added; else why not.
    fn trial(
        &self,
        file: &Text,
        checked: &Checked,
        finding: &Finding,
        fix: &Fix,
    ) -> Result<(String, Checked), String> {
        let (text, count) = apply(&file.text, &[fix]);
        if count == 0 {
            return Err("its edit no longer fits the file".to_owned());
        }
        let candidate = Text {
            name: file.name.clone(),
            text,
        };
        let again = run(self.pack, self.base, &candidate, self.options);
        if let Some(broken) = again.report.findings.iter().find(|f| is_structural(f)) {
            return Err(format!(
                "it would leave records that are not valid: {}",
                broken.message
            ));
        }
        let (before, after) = (places(checked), places(&again));
        let own = (finding.rule.to_string(), finding.document_pointer.clone());
        if after.get(&own) >= before.get(&own) {
            return Err("its finding would still stand after it".to_owned());
        }
        // The first in order, so the reason is the same on every run.
        let added = after
            .iter()
            .filter(|(place, count)| before.get(*place).is_none_or(|was| was < *count))
            .map(|(place, _)| place)
            .min();
        if let Some((rule, pointer)) = added {
            return Err(format!("it would add a finding: `{rule}` at {pointer}"));
        }
        Ok((candidate.text, again))
    }
}

/// The fixes a check offers for `file`, not yet refused, in file order.
fn offered<'c>(
    checked: &'c Checked,
    file: &str,
    refused: &HashSet<Key>,
) -> Vec<(&'c Finding, &'c Fix)> {
    checked
        .report
        .findings
        .iter()
        .filter(|finding| finding.waived.is_none())
        .filter_map(|finding| finding.fix.as_deref().map(|fix| (finding, fix)))
        .filter(|(finding, fix)| fix.source.name() == file && !refused.contains(&key(finding, fix)))
        .collect()
}

/// The offered fixes whose edit overlaps another's with a different text,
/// each with the description of one it disagrees with. In order of place,
/// each against the edit before it that reaches furthest, so a file of many
/// fixes is swept once.
fn conflicts<'c>(offered: &[(&'c Finding, &'c Fix)]) -> Vec<(&'c Finding, &'c Fix, String)> {
    let mut order: Vec<usize> = (0..offered.len()).collect();
    order.sort_by_key(|&index| (offered[index].1.span.start(), offered[index].1.span.end()));
    let mut against: Vec<Option<usize>> = vec![None; offered.len()];
    let mut furthest: Option<usize> = None;
    for index in order {
        let fix = offered[index].1;
        if let Some(before) = furthest {
            let other = offered[before].1;
            if other.span.end() > fix.span.start() && other.replacement != fix.replacement {
                against[index] = Some(before);
                against[before].get_or_insert(index);
            }
        }
        if furthest.is_none_or(|before| offered[before].1.span.end() < fix.span.end()) {
            furthest = Some(index);
        }
    }
    against
        .into_iter()
        .enumerate()
        .filter_map(|(index, other)| {
            let (finding, fix) = offered[index];
            other.map(|other| (finding, fix, offered[other].1.description.clone()))
        })
        .collect()
}

fn hold(file: &Text, finding: &Finding, fix: &Fix, reason: String) -> Held {
    Held {
        file: file.name.clone(),
        rule: finding.rule.to_string(),
        pointer: finding.document_pointer.clone(),
        description: fix.description.clone(),
        reason,
    }
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

#[cfg(test)]
mod tests {
    use super::conflicts;
    use crate::base::finding::{Finding, Fix};
    use crate::base::source::{SourceFile, Span};
    use std::sync::Arc;

    fn offer(source: &Arc<SourceFile>, start: usize, end: usize, to: &str) -> (Finding, Fix) {
        let finding =
            Finding::engine_error(source, "r", Span::new(start, end), String::new(), None);
        let fix = Fix {
            safe: true,
            source: Arc::clone(source),
            span: Span::new(start, end),
            pointer: String::new(),
            replacement: to.to_owned(),
            description: format!("to {to}"),
        };
        (finding, fix)
    }

    #[test]
    fn edits_of_one_value_that_disagree_conflict_and_agreeing_ones_do_not() {
        let source = SourceFile::new("f.yaml", "end: 2020-09\nend: 2021-09\n");
        let made = [
            offer(&source, 5, 12, "2019-09"),
            offer(&source, 5, 12, "2018-09"),
            offer(&source, 18, 25, "2019-09"),
            offer(&source, 18, 25, "2019-09"),
        ];
        let offered: Vec<(&Finding, &Fix)> = made.iter().map(|(f, x)| (f, x)).collect();
        let found: Vec<String> = conflicts(&offered)
            .into_iter()
            .map(|(_, fix, other)| format!("{} against {other}", fix.description))
            .collect();
        assert_eq!(
            found,
            [
                "to 2019-09 against to 2018-09",
                "to 2018-09 against to 2019-09"
            ]
        );
    }
}
