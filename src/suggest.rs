//! Did-you-mean suggestions, by edit distance.

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let best = (prev + cost)
                .min(above.saturating_add(1))
                .min(left.saturating_add(1));
            prev = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = best;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

/// The closest candidate within a distance that scales with the word's length
/// (case-insensitive), if any.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// `did you mean `x`?` when a candidate is close, else `{otherwise}: `a`, `b``.
pub fn hint<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
    otherwise: &str,
) -> String {
    match did_you_mean(word, candidates.clone()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "{otherwise}: {}",
            candidates
                .into_iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("purpse", "purpose"), 1);
        assert_eq!(edit_distance("from", "form"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn hints() {
        assert_eq!(
            hint("purpse", ["purpose", "type"], "use one of"),
            "did you mean `purpose`?"
        );
        assert_eq!(
            hint("zzz", ["purpose", "type"], "use one of"),
            "use one of: `purpose`, `type`"
        );
    }

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("purpse", ["purpose", "type"]), Some("purpose"));
        assert_eq!(did_you_mean("zzz", ["purpose"]), None);
        assert_eq!(
            did_you_mean("Markting", ["marketing", "analytics"]),
            Some("marketing")
        );
    }
}
