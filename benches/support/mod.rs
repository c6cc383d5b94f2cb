//! Code shared by the benchmark and the `generate` example.

pub mod synthetic;

use std::time::{Duration, Instant};

#[allow(dead_code)]
/// The fastest of `runs` timings: the least disturbed by the rest of the machine.
pub fn fastest(runs: usize, mut work: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Milliseconds, as the results write them.
pub fn ms(duration: Duration) -> String {
    format!("{:.1}", duration.as_secs_f64() * 1000.0)
}

// Each benchmark target uses one of the two below: `server` and `rules` write
// their sections, `check` keeps them when it writes the rest.
#[allow(dead_code)]
/// `results` with its section headed `heading` replaced by `section` (added at
/// the end if absent): each benchmark writes its own part of the results.
pub fn with_section(results: &str, heading: &str, section: &str) -> String {
    let Some(start) = results.find(heading) else {
        return format!("{}\n\n{section}", results.trim_end());
    };
    let rest = &results[start + heading.len()..];
    match rest.find("\n## ") {
        // A blank line before the section that follows.
        Some(at) => format!(
            "{}{}\n\n{}",
            &results[..start],
            section.trim_end(),
            &rest[at + 1..]
        ),
        None => format!("{}{section}", &results[..start]),
    }
}

#[allow(dead_code)]
/// The section headed `heading` of `results`, if it has one.
pub fn section<'a>(results: &'a str, heading: &str) -> Option<&'a str> {
    let start = results.find(heading)?;
    let rest = &results[start + heading.len()..];
    let end = rest
        .find("\n## ")
        .map_or(results.len(), |at| start + heading.len() + at + 1);
    Some(&results[start..end])
}
