//! `govlint fix`: the edits rules declare, applied to the file that holds each
//! node, changing only the bytes of the edited values.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fixtures, govlint, stdout};
use govlint::check::Options;
use govlint::fix::{self, Target, Text};
use govlint::pack::{Pack, PackFiles};
use std::collections::BTreeSet;
use std::path::Path;

/// Copies of the handover fixtures in a folder of their own.
fn handover_copy(folder: &Path) -> (String, String) {
    let base = folder.join("current.yaml");
    let proposal = folder.join("wrong-term-length.yaml");
    std::fs::copy("fixtures/handover/current.yaml", &base).unwrap();
    std::fs::copy("fixtures/handover/wrong-term-length.yaml", &proposal).unwrap();
    (
        base.to_str().unwrap().to_owned(),
        proposal.to_str().unwrap().to_owned(),
    )
}

#[test]
fn a_wrong_term_length_in_a_proposal_is_fixed_by_one_line() {
    let folder = tempfile::tempdir().unwrap();
    let (base, proposal) = handover_copy(folder.path());
    let before = std::fs::read_to_string(&proposal).unwrap();

    let shown = govlint(&["fix", &base, "--proposal", &proposal, "--diff"]);
    assert_eq!(shown.status.code(), Some(1), "a change to show");
    let diff = stdout(&shown);
    let changed: Vec<&str> = diff
        .lines()
        .filter(|line| {
            line.starts_with(['-', '+']) && !line.starts_with("---") && !line.starts_with("+++")
        })
        .collect();
    assert_eq!(
        changed,
        ["-    end: 2020-09", "+    end: 2019-09"],
        "{diff}"
    );
    assert_eq!(
        std::fs::read_to_string(&proposal).unwrap(),
        before,
        "--diff writes nothing"
    );

    let applied = govlint(&["fix", &base, "--proposal", &proposal]);
    assert_eq!(applied.status.code(), Some(0), "{}", stdout(&applied));
    assert!(
        stdout(&applied).contains("fixed 1 finding in"),
        "{}",
        stdout(&applied)
    );
    let after = std::fs::read_to_string(&proposal).unwrap();
    assert_eq!(after, before.replacen("end: 2020-09", "end: 2019-09", 1));
    assert_eq!(
        std::fs::read_to_string(&base).unwrap(),
        std::fs::read_to_string("fixtures/handover/current.yaml").unwrap()
    );

    let checked = govlint(&["check", &base, "--proposal", &proposal]);
    assert_eq!(checked.status.code(), Some(0), "{}", stdout(&checked));
}

/// A file with the same content written several ways: flow and block,
/// quoted and plain, with comments on the edited lines.
const STYLES: &str = "\
format: 1
as_of: 2021
group: {id: g, name: A group, established: 2014}   # the group
members:
  - {id: FR, name: France, category: member_state}
  - {id: LU, name: Luxembourg, category: member_state}
  - {id: MA, name: Morocco, category: member_state}
presidencies:
  - {holder: FR, start: 2015, end: '2018'}   # quoted in single quotes
  - holder: LU
    start: \"2017\"
    end: \"2020\"    # quoted in double quotes
  - holder: MA
    start: 2019
    end: 2022  # plain
vice_presidencies:
  - {holder: FR, start: 2017, end: 2019}
";

#[test]
fn fixes_keep_quotes_layout_and_comments() {
    let pack = Pack::load(PackFiles::Builtin).unwrap();
    let target = Target::Files(vec![Text {
        name: "styles.yaml".to_owned(),
        text: STYLES.to_owned(),
    }]);
    let fixed = fix::fix(&pack, target, &Options::default(), false).fixed;
    assert_eq!(fixed.len(), 1);
    let expected = STYLES
        .replacen("end: '2018'}", "end: '2017'}", 1)
        .replacen("end: \"2020\"", "end: \"2019\"", 1)
        .replacen("end: 2022  # plain", "end: 2021  # plain", 1)
        .replacen("start: 2017, end: 2019}", "start: 2017, end: 2018}", 1);
    assert_eq!(fixed[0].after, expected);
    assert_eq!(fixed[0].applied, 4);
}

#[test]
fn unsafe_fixes_wait_for_a_person() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("vice.yaml");
    std::fs::copy(
        "fixtures/rules/vice-presidency-outgoing-holder/fail.yaml",
        &path,
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let before = std::fs::read_to_string(path).unwrap();
    let safe = govlint(&["fix", path, "--diff"]);
    assert!(!stdout(&safe).contains("holder: FR"), "{}", stdout(&safe));
    let confirmed = govlint(&["fix", path, "--diff", "--unsafe"]);
    assert!(
        stdout(&confirmed).contains("+  - {holder: FR, start: 2017, end: 2018}"),
        "{}",
        stdout(&confirmed)
    );
    assert_eq!(std::fs::read_to_string(path).unwrap(), before);
}

#[test]
fn safe_fixes_never_add_a_finding_and_change_only_the_edited_values() {
    let pack = Pack::load(PackFiles::Builtin).unwrap();
    let options = Options::default();
    let mut fixed_any = 0;
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = Text {
            name: path.clone(),
            text: text.clone(),
        };
        let findings = |file: &Text| -> BTreeSet<(String, String)> {
            fix::run(&pack, None, file, &options)
                .report
                .findings
                .iter()
                .map(|f| (f.rule.to_string(), f.document_pointer.clone()))
                .collect()
        };
        let before = findings(&file);
        for done in fix::fix(&pack, Target::Files(vec![file]), &options, false).fixed {
            fixed_any += 1;
            let after = findings(&Text {
                name: path.clone(),
                text: done.after.clone(),
            });
            assert!(
                after.is_subset(&before),
                "{path}: new findings {:?}",
                after.difference(&before)
            );
            assert!(
                after.len() < before.len(),
                "{path}: a fix mends its finding"
            );
            // Only edited values differ: the same lines, each the same but for a value.
            assert_eq!(done.after.lines().count(), text.lines().count(), "{path}");
        }
    }
    assert!(fixed_any >= 4, "{fixed_any} fixtures had safe fixes");
}

#[test]
fn another_pack_declares_its_own_fixes_as_data() {
    let output = govlint(&[
        "fix",
        "--rules",
        "examples/coop-board",
        "examples/coop-board/fixtures/board-term-length/fail.yaml",
        "--diff",
    ]);
    let diff = stdout(&output);
    assert!(
        diff.lines()
            .any(|line| line.starts_with('+') && line.contains("term_ends")),
        "{diff}"
    );
    assert!(
        diff.lines()
            .any(|line| line.starts_with('-') && line.contains("term_ends")),
        "{diff}"
    );
}

#[test]
fn a_missing_vice_presidency_or_drafter_is_added_in_the_list_own_style() {
    let pack = Pack::load(PackFiles::Builtin).unwrap();
    let block = "\
format: 1
as_of: 2020
group: {id: g, name: G, established: 2014}
presidencies:
  - {holder: FR, start: 2015, end: 2017}
  - {holder: LU, start: 2017, end: 2019}
  - {holder: MA, start: 2019, end: 2021}
vice_presidencies:
  - {holder: FR, start: 2017, end: 2018}  # the first handover

events: []
";
    let fixed = |text: &str, unsafe_too: bool| {
        let target = Target::Files(vec![Text {
            name: "f.yaml".to_owned(),
            text: text.to_owned(),
        }]);
        fix::fix(&pack, target, &Options::default(), unsafe_too)
            .fixed
            .into_iter()
            .next()
            .map(|done| done.after)
    };
    assert_eq!(
        fixed(block, false),
        None,
        "adding a record waits for a person"
    );
    assert_eq!(
        fixed(block, true).unwrap(),
        block.replacen(
            "# the first handover\n",
            "# the first handover\n  - {holder: LU, start: 2019, end: 2020}\n",
            1
        )
    );

    let flow =
        std::fs::read_to_string("fixtures/rules/presidency-roadmap/fail-two-contradictions.yaml")
            .unwrap();
    let mended = fixed(&flow, true).unwrap();
    assert!(mended.contains("drafted_with: [LU, SSE-IF]"), "{mended}");
    assert!(
        mended.contains("covers: {start: 2017, end: 2019}"),
        "{mended}"
    );
}

#[test]
fn a_waiver_that_excuses_nothing_is_removed_once_a_person_confirms() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("unused.yaml");
    std::fs::copy("tests/data/waivers/unused.yaml", &path).unwrap();
    let path = path.to_str().unwrap();
    let args = ["fix", "--rules", "tests/data/one-rule-pack", path];
    let safe = govlint(&args);
    assert_eq!(safe.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(path)
            .unwrap()
            .contains("reason: first term shortened")
    );
    let confirmed = govlint(&[&args[..], &["--unsafe"]].concat());
    assert_eq!(confirmed.status.code(), Some(0), "{}", stdout(&confirmed));
    let after = std::fs::read_to_string(path).unwrap();
    assert!(after.ends_with("waivers: []\n"), "{after}");
    assert!(
        after
            .starts_with(&std::fs::read_to_string("tests/data/waivers/unused.yaml").unwrap()[..40])
    );
}

#[cfg(unix)]
#[test]
fn fixed_files_keep_their_mode_and_new_files_get_the_umask_mode() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let folder = tempfile::tempdir().unwrap();
    let (base, proposal) = handover_copy(folder.path());
    // A mode no temporary file has: group-writable, others may read.
    std::fs::set_permissions(&proposal, std::fs::Permissions::from_mode(0o664)).unwrap();
    let owner = std::fs::metadata(&proposal).unwrap();
    let applied = govlint(&["fix", &base, "--proposal", &proposal]);
    assert!(
        stdout(&applied).contains("fixed 1 finding in"),
        "{}",
        stdout(&applied)
    );
    let after = std::fs::metadata(&proposal).unwrap();
    assert_eq!(after.permissions().mode() & 0o7777, 0o664);
    assert_eq!((after.uid(), after.gid()), (owner.uid(), owner.gid()));

    // A new file: the mode any new file of this user gets.
    let usual = folder.path().join("usual");
    std::fs::write(&usual, "").unwrap();
    let usual = std::fs::metadata(&usual).unwrap().permissions().mode() & 0o7777;
    for (command, name) in [("report", "page.html"), ("check", "findings.json")] {
        let out = folder.path().join(name);
        let out = out.to_str().unwrap();
        let mut args = vec![command, &base, "--proposal", &proposal, "--output", out];
        if command == "check" {
            args.extend(["--format", "json"]);
        }
        govlint(&args);
        let mode = std::fs::metadata(out).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, usual, "{command} -o");
        // Written again over a file of another mode: that mode stays.
        std::fs::set_permissions(out, std::fs::Permissions::from_mode(0o640)).unwrap();
        govlint(&args);
        let mode = std::fs::metadata(out).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o640, "{command} -o over a file");
    }
}

#[test]
fn a_fix_held_back_is_listed_with_why_and_no_longer_offered() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("three-years.yaml");
    // The right end would leave the group with no presidency in office.
    std::fs::copy("fixtures/rules/presidency-term-length/fail.yaml", &path).unwrap();
    let path = path.to_str().unwrap();
    let before = std::fs::read_to_string(path).unwrap();
    let output = govlint(&["fix", path]);
    let text = stdout(&output);
    assert_eq!(std::fs::read_to_string(path).unwrap(), before, "{text}");
    assert!(text.contains("held back 1 fix"), "{text}");
    assert!(
        text.contains(
            "presidency-term-length at /presidencies/1/end: end: 2020-09 → 2019-09: it would add a finding: `presidency-current`"
        ),
        "{text}"
    );
    assert!(
        text.contains("fix held back: end: 2020-09 → 2019-09"),
        "{text}"
    );
    assert!(!text.contains("applies it"), "{text}");
}
