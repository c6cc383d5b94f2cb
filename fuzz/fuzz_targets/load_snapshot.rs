//! Bytes as a snapshot file: decoded as the CLI decodes a file, then parsed into a
//! spanned tree under the default safety limits.
#![no_main]

use govlint::check::decode;
use govlint::load::{Limits, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (source, _invalid_utf8_at) = decode("fuzz.yaml", data.to_vec());
    match parse(&source, &Limits::default()) {
        // Reports turn every span into a line and column: that must hold too.
        Ok(root) => {
            let _ = source.position(root.span);
        }
        Err(failure) => {
            let _ = source.position(failure.span);
        }
    }
});
