//! Packs that add up: an extending pack's timeline lanes add to the inherited
//! ones, replace one by its name, or remove one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{flat, govlint, stderr, stdout};

const RECORDS: &str = "fixtures/ilgsse-vade-mecum.yaml";
const BUILT_IN_LANES: [&str; 4] = ["Presidencies", "Vice-presidencies", "Roadmaps", "Events"];

/// The lanes `govlint report` draws for `RECORDS` with the pack in `dir`, in order.
fn lanes(dir: &str) -> Vec<String> {
    let output = govlint(&["report", "--rules", dir, RECORDS]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
        .split("<g class=\"lane ")
        .skip(1)
        .filter_map(|lane| {
            let (_, text) = lane.split_once("<text")?;
            let (_, name) = text.split_once('>')?;
            Some(name.split_once("</text>")?.0.to_owned())
        })
        .collect()
}

/// A pack extending the built-in one whose manifest ends with `views`.
fn pack_with_views(views: &str) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(
        temp.path().join("pack.yaml"),
        format!("name: t\ntitle: T\nextends: builtin\nviews:\n{views}"),
    )
    .unwrap();
    temp
}

#[test]
fn the_regional_example_adds_a_lane_and_keeps_the_inherited_ones() {
    assert_eq!(lanes("examples/regional-ilgsse"), {
        let mut expected = BUILT_IN_LANES.map(str::to_owned).to_vec();
        expected.push("Applications".to_owned());
        expected
    });
    let manifest = std::fs::read_to_string("examples/regional-ilgsse/pack.yaml").unwrap();
    assert_eq!(
        manifest.matches("lane:").count(),
        1,
        "no inherited lane is copied"
    );
}

#[test]
fn a_lane_of_an_inherited_name_replaces_it_in_place_and_remove_removes_it() {
    let pack = pack_with_views(
        "  - {lane: Roadmaps, items: /presidencies, start: [start], label: holder}\n\
         \x20 - {lane: Events, remove: true}\n",
    );
    assert_eq!(
        lanes(pack.path().to_str().unwrap()),
        ["Presidencies", "Vice-presidencies", "Roadmaps"]
    );
    let pack = pack_with_views("  - {lane: Event, remove: true}\n");
    let output = govlint(&["report", "--rules", pack.path().to_str().unwrap(), RECORDS]);
    assert_eq!(output.status.code(), Some(2));
    let errors = flat(&stderr(&output));
    assert!(
        errors.contains(
            "`views` removes the lane `Event`, which no pack it extends draws; did you mean `Events`?"
        ),
        "{errors}"
    );
    assert!(
        errors.contains("pack.yaml:5:"),
        "at the lane's name: {errors}"
    );
}
