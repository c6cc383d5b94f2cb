//! Bytes as a snapshot file: decoded as the CLI decodes a file, then parsed into a
//! spanned tree under the default safety limits; then cut into pieces as a large
//! file is, where any pieces that join must give the tree of one pass.
#![no_main]

use govlint::check::decode;
use govlint::load::{Limits, parse, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (source, _invalid_utf8_at) = decode("fuzz.yaml", data.to_vec());
    let limits = Limits::default();
    // Inputs this small are read in one pass.
    let one_pass = parse(&source, &limits);
    match &one_pass {
        // Reports turn every span into a line and column: that must hold too.
        Ok(root) => {
            let _ = source.position(root.span);
        }
        Err(failure) => {
            let _ = source.position(failure.span);
        }
    }
    for count in 2..=4 {
        let pieces = split::plan(source.text(), count);
        if let Some(joined) = split::read_pieces(&source, &limits, &pieces) {
            assert_eq!(Ok(&joined), one_pass.as_ref(), "cut at {pieces:?}");
        }
    }
});
