//! Reading in pieces gives the tree of one pass, or gives up: never another tree.

use super::*;
use crate::load::LoadFailure;
use std::path::Path;

fn one_pass(source: &SourceFile) -> Result<Node, LoadFailure> {
    tree::build(source, &Limits::default())
}

/// Records shaped as snapshots are: lists at column 2 and at column 0, items in
/// flow and block style, short mappings between the lists.
fn records(items: usize) -> String {
    let mut text = String::from("# records\nformat: 1\ngroup:\n  id: g\n  name: G\nmembers:\n");
    for index in 0..items {
        text.push_str(&format!(
            "  - {{id: M{index}, since: 2015-0{}}}\n",
            index % 9 + 1
        ));
    }
    text.push_str("office: {run_by: M0}\nevents:\n");
    for index in 0..items {
        text.push_str(&format!(
            "- id: e{index}\n  kind: working_session\n  organized_by:\n  - M{index}\n\n"
        ));
    }
    text.push_str("as_of: 2024\n");
    text
}

#[test]
fn records_cut_into_pieces_join_into_the_tree_of_one_pass() {
    let source = SourceFile::new("records.yaml", records(2000));
    for count in 2..=6 {
        let pieces = plan(source.text(), count);
        assert!(pieces.len() >= count, "{count} shares, cut at {pieces:?}");
        let joined = read_pieces(&source, &Limits::default(), &pieces);
        assert_eq!(
            joined.ok_or(()),
            one_pass(&source).map_err(|_| ()),
            "{pieces:?}"
        );
    }
}

#[test]
fn a_line_that_marks_a_document_past_the_first_line_leaves_the_file_whole() {
    for marker in ["---", "...", "--- # second"] {
        let text = format!("{}{marker}\n{}", records(50), records(50));
        assert_eq!(plan(&text, 4).len(), 1, "{marker}");
    }
    assert!(plan(&format!("---\n{}", records(50)), 4).len() > 1);
}

#[test]
fn pieces_that_would_read_differently_do_not_join() {
    let limits = Limits::default();
    let cases = [
        // A key repeated in two pieces: one pass refuses it.
        ("a: 1\nb: 2\na: 3\n", 10),
        // An alias to an anchor in an earlier piece.
        ("a: &x 1\nb: *x\n", 8),
        // A quoted text running across the cut.
        ("a: \"one\nb: two\"\n", 8),
        // A flow collection running across the cut.
        ("a: [1,\nb: 2]\n", 7),
        // A root mapping that is not at column 0.
        ("  a: 1\nb: 2\n", 7),
        // A root that is not a mapping.
        ("- a\nb: 2\n", 4),
    ];
    for (text, cut) in cases {
        let source = SourceFile::new("t.yaml", text);
        let pieces = [
            Piece {
                start: 0,
                kind: Start::Mapping,
            },
            Piece {
                start: cut,
                kind: Start::Mapping,
            },
        ];
        assert_eq!(read_pieces(&source, &limits, &pieces), None, "{text:?}");
    }
}

#[test]
fn limits_count_over_every_piece() {
    let source = SourceFile::new("t.yaml", records(100));
    let pieces = plan(source.text(), 2);
    let tight = |max_nodes| Limits {
        max_nodes,
        ..Limits::default()
    };
    // The fewest nodes one pass accepts the file with.
    let nodes = (1..100_000)
        .find(|&max| tree::build(&source, &tight(max)).is_ok())
        .unwrap_or_default();
    assert!(pieces.len() > 1);
    assert!(read_pieces(&source, &tight(nodes), &pieces).is_some());
    assert_eq!(read_pieces(&source, &tight(nodes - 1), &pieces), None);
}

/// Every way to cut `text` at one or two lines, each read both as more of the
/// mapping and as more of a list.
fn every_cut(text: &str) -> Vec<Vec<Piece>> {
    let starts: Vec<Piece> = line_starts(text)
        .skip(1)
        .filter(|&start| start < text.len())
        .flat_map(|start| {
            let line = line_at(text, start);
            let column = line.len() - line.trim_start_matches(' ').len();
            [Start::Mapping, Start::Item { column }].map(|kind| Piece { start, kind })
        })
        .collect();
    let first = Piece {
        start: 0,
        kind: Start::Mapping,
    };
    let mut cuts = Vec::new();
    for (index, cut) in starts.iter().enumerate() {
        cuts.push(vec![first.clone(), cut.clone()]);
        for later in starts.iter().skip(index + 1) {
            if later.start > cut.start {
                cuts.push(vec![first.clone(), cut.clone(), later.clone()]);
            }
        }
    }
    cuts
}

/// How many cuts of `text` joined; each that did gave the tree of one pass.
fn joins_as_one_pass(name: &str, text: &str) -> usize {
    let source = SourceFile::new(name, text);
    let expected = one_pass(&source).ok();
    let mut joined = 0;
    for pieces in every_cut(text) {
        if let Some(tree) = read_pieces(&source, &Limits::default(), &pieces) {
            joined += 1;
            assert_eq!(Some(&tree), expected.as_ref(), "{name}: {pieces:?}");
        }
    }
    joined
}

/// Every cut of every file of the YAML test suite: a hostile corpus, where many
/// cuts still join, so the join's checks are what keeps the trees equal.
#[test]
fn every_cut_of_the_yaml_test_suite_joins_to_one_pass_or_not_at_all() {
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/yaml-test-suite");
    let Ok(cases) = std::fs::read_dir(&suite) else {
        unreachable!("{} is readable", suite.display())
    };
    let joined: usize = cases
        .flatten()
        .filter_map(|case| {
            let path = case.path().join("in.yaml");
            let text = std::fs::read_to_string(&path).ok()?;
            Some(joins_as_one_pass(&path.display().to_string(), &text))
        })
        .sum();
    assert!(joined > 100, "{joined} cuts joined");
}

/// Records with what makes a cut hard next to every line: block scalars that
/// keep blank lines, empty values, quoted texts and flow lists over several
/// lines, anchors and aliases, comments at the items' column, nested lists.
const AWKWARD: &str = "format: 1
notes: |
  a block scalar

keep: |+
  kept

empty:
members:
  - {id: M0, since: 2015}
  - id: M1
    note: >
      folded
      text

  - id: M2
    note:
  - id: \"M3\"
    name: 'quoted
      over two lines'
  - &a {id: M4}
  - *a
  # a comment at the items' column
  - id: M5   # a comment after
    list:
    - x
    - y
  -
    id: M6
events:
- id: e1
  text: \"multi
    line\"
- id: e2
  tags: [a,
    b]
-   id: e3
- - nested
  - list
- last
as_of: 2024
";

#[test]
fn every_cut_of_awkward_records_joins_to_one_pass_or_not_at_all() {
    assert!(one_pass(&SourceFile::new("awkward.yaml", AWKWARD)).is_ok());
    assert!(joins_as_one_pass("awkward.yaml", AWKWARD) >= 10);
    let crlf = AWKWARD.replace('\n', "\r\n");
    assert!(joins_as_one_pass("awkward-crlf.yaml", &crlf) >= 10);
}
