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
    let lower: Vec<char> = word.to_lowercase().chars().collect();
    let limit = (word.chars().count() / 3).clamp(1, 3);
    // One pair of rows for every candidate, and a candidate whose length alone puts it
    // out of reach is not compared at all: a hint for a bad enum value compared every
    // choice in full, with three allocations each (5% of a run of 2,000 invalid forms,
    // issue 14). The distances and the pick are the ones of `edit_distance`.
    let mut scratch = Scratch::default();
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        if let Some(d) = scratch.within(&lower, c, limit)
            && best.is_none_or(|(bd, bc)| (d, c) < (bd, bc))
        {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Buffers reused from one candidate to the next.
#[derive(Default)]
struct Scratch {
    chars: Vec<char>,
    row: Vec<usize>,
}

impl Scratch {
    /// The edit distance between `a` and the lower-cased `b`, if it is at most `limit`.
    fn within(&mut self, a: &[char], b: &str, limit: usize) -> Option<usize> {
        self.chars.clear();
        if b.is_ascii() {
            // Lower-casing keeps an ASCII word's length: out of reach before it is copied.
            if a.len().abs_diff(b.len()) > limit {
                return None;
            }
            self.chars
                .extend(b.bytes().map(|c| char::from(c.to_ascii_lowercase())));
        } else {
            // `str::to_lowercase`, not char by char: a final sigma lowers to `ς`.
            self.chars.extend(b.to_lowercase().chars());
        }
        // Each insertion or deletion changes the length by one.
        if a.len().abs_diff(self.chars.len()) > limit {
            return None;
        }
        self.row.clear();
        self.row.extend(0..=self.chars.len());
        for (i, ca) in a.iter().enumerate() {
            let mut prev = self.row.first().copied().unwrap_or(0);
            if let Some(first) = self.row.first_mut() {
                *first = i + 1;
            }
            let mut row_min = i + 1;
            for (j, cb) in self.chars.iter().enumerate() {
                let cost = usize::from(ca != cb);
                let above = self.row.get(j + 1).copied().unwrap_or(usize::MAX);
                let left = self.row.get(j).copied().unwrap_or(usize::MAX);
                let best = (prev + cost)
                    .min(above.saturating_add(1))
                    .min(left.saturating_add(1));
                prev = above;
                if let Some(cell) = self.row.get_mut(j + 1) {
                    *cell = best;
                }
                row_min = row_min.min(best);
            }
            // No later row has a smaller least cell: out of reach already.
            if row_min > limit {
                return None;
            }
        }
        self.row.last().copied().filter(|d| *d <= limit)
    }
}

/// `did you mean `x`?` when a candidate is close, else `{otherwise}: `a`, `b``.
pub fn hint<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
    otherwise: &str,
) -> String {
    match did_you_mean(word, candidates.clone()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => {
            let mut out = format!("{otherwise}: ");
            for (i, c) in candidates.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push('`');
                out.push_str(c);
                out.push('`');
            }
            out
        }
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

    proptest::proptest! {
        /// The bounded comparison picks what a full distance to every candidate picks.
        #[test]
        fn bounded_suggestion_is_the_closest(
            word in "[a-zA-ZÉé_Σσς]{0,9}",
            candidates in proptest::collection::vec("[a-zA-ZÉé_Σσς]{0,9}", 0..6),
        ) {
            let lower = word.to_lowercase();
            let limit = (word.chars().count() / 3).clamp(1, 3);
            let full = candidates
                .iter()
                .map(|c| (edit_distance(&lower, &c.to_lowercase()), c.as_str()))
                .filter(|(d, _)| *d <= limit)
                .min_by_key(|(d, c)| (*d, *c))
                .map(|(_, c)| c);
            proptest::prop_assert_eq!(did_you_mean(&word, candidates.iter().map(String::as_str)), full);
        }
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
