//! "Did you mean" for misspelt names.

/// The candidate closest to `given`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| {
            let (given, close) = (given.to_lowercase(), candidate.to_lowercase());
            // One letter wrong, missing, extra or two swapped is a typo, however
            // short the name (`edn` for `end` scores low on similarity alone).
            let typo = strsim::osa_distance(&given, &close) == 1 && given.len() > 2;
            let score = strsim::jaro_winkler(&given, &close);
            (if typo { score.max(0.8) } else { score }, candidate)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_the_closest_name_and_nothing_for_strangers() {
        let names = ["chair", "treasurer", "board_member"];
        assert_eq!(did_you_mean("boardmember", names), Some("board_member"));
        assert_eq!(did_you_mean("tresurer", names), Some("treasurer"));
        assert_eq!(did_you_mean("zebra", names), None);
        assert_eq!(did_you_mean("edn", ["start", "end"]), Some("end"));
    }
}
