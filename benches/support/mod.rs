//! Code shared by the benchmark and the `generate` example.

pub mod synthetic;

// Each benchmark target uses one of the two below: `server` writes its section,
// `check` keeps it when it writes the rest.
#[allow(dead_code)]
/// `results` with its section headed `heading` replaced by `section` (added at
/// the end if absent): each benchmark writes its own part of the results.
pub fn with_section(results: &str, heading: &str, section: &str) -> String {
    let Some(start) = results.find(heading) else {
        return format!("{}\n\n{section}", results.trim_end());
    };
    let rest = &results[start + heading.len()..];
    let end = rest
        .find("\n## ")
        .map_or(results.len(), |at| start + heading.len() + at + 1);
    format!("{}{section}{}", &results[..start], &results[end..])
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
