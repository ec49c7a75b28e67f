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
    let mut compared = 0u64;
    for c in candidates {
        compared += 1;
        if let Some(d) = scratch.within(&lower, c, limit)
            && best.is_none_or(|(bd, bc)| (d, c) < (bd, bc))
        {
            best = Some((d, c));
        }
    }
    crate::work::add(crate::work::Kind::Suggestions, compared);
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

/// The candidates of many [`did_you_mean`] questions, sorted once so that each question
/// looks only near the word rather than at every candidate: one question per
/// undeclared data id compared it with every declared id, a step of `questions x
/// candidates` (4,000 files with an undeclared id each took 12 times the CPU of 1,000;
/// issue 14). The answers are [`did_you_mean`]'s.
///
/// The candidates are held lower-cased and sorted, which makes them the leaves of a
/// tree of their prefixes. A question walks that tree with one row of edit distances per
/// character of a prefix, kept in a band of `2 * limit + 1` cells (a cell further from
/// the diagonal is out of reach), and a prefix's row is shared by every candidate that
/// starts with it. A row with no cell within reach leaves out every candidate with that
/// prefix at once (where they end in the sorted list is found by doubling steps, then
/// halves). So a question costs the rows of the prefixes within reach of it, not one
/// comparison per candidate. It is asked nearest distance first, and when lower-casing
/// changed no candidate, the walk stops at the first candidate found at that distance.
#[derive(Debug, Clone, Default)]
pub struct Nearest<'a> {
    /// Every candidate lower-cased, one after the other, in sorted order: candidate `i`
    /// ends at `entries[i].0`.
    lower: String,
    /// Where each lower-cased candidate ends in `lower`, and the candidate as given.
    entries: Vec<(u32, &'a str)>,
    /// Whether lower-casing changed any candidate: when none, the sorted order is the
    /// candidates' own, and the first found at the closest distance is the answer.
    folded: bool,
}

/// The cells of a row: `2 * limit + 1` for the largest limit, 3.
const BAND: usize = 7;

impl<'a> Nearest<'a> {
    /// The candidates, ready for questions. A candidate past 4 GiB of candidates in all is
    /// left out (none of a checked project comes near it).
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let mut sorted: Vec<(std::borrow::Cow<'a, str>, &'a str)> = candidates
            .into_iter()
            .map(|c| (lower_cased(c), c))
            .collect();
        sorted.sort_unstable();
        let mut lower = String::with_capacity(sorted.iter().map(|(l, _)| l.len()).sum());
        let mut entries = Vec::with_capacity(sorted.len());
        let folded = sorted.iter().any(|(l, c)| l.as_ref() != *c);
        for (l, c) in sorted {
            lower.push_str(&l);
            let Ok(end) = u32::try_from(lower.len()) else {
                lower.truncate(lower.len() - l.len());
                break;
            };
            entries.push((end, c));
        }
        Self {
            lower,
            entries,
            folded,
        }
    }

    /// The lower-cased candidate at `i`.
    fn lower_at(&self, i: usize) -> &str {
        let start = match i.checked_sub(1) {
            Some(before) => self.entries.get(before).map_or(0, |e| e.0 as usize),
            None => 0,
        };
        let end = self.entries.get(i).map_or(start, |e| e.0 as usize);
        self.lower.get(start..end).unwrap_or_default()
    }

    /// What [`did_you_mean`] answers for `word` among these candidates: the closest
    /// candidate within the word's reach, the first in sorted order of the closest.
    /// Asked at each distance in turn, from 0 up to the reach: the first distance with
    /// any candidate is the closest, and the narrower the reach the fewer prefixes are
    /// walked (ids like `item_1234` are all within three edits of one another, but few
    /// within one).
    pub fn find(&self, word: &str) -> Option<&'a str> {
        let query: Vec<char> = word.to_lowercase().chars().collect();
        let reach = (word.chars().count() / 3).clamp(1, 3);
        (0..=reach).find_map(|limit| self.within(&query, limit))
    }

    /// The first in sorted order of the candidates closest to `query` (lower-cased),
    /// when any is at most `limit` edits away.
    fn within(&self, query: &[char], limit: usize) -> Option<&'a str> {
        let unreachable = u8::try_from(limit + 1).unwrap_or(u8::MAX);
        let width = 2 * limit + 1;
        // rows[d]: the row of the first d characters of the prefix walked; cell k of row
        // d is the distance between those characters and the first d - limit + k of the
        // word's (`unreachable` when out of reach or outside the word).
        let mut first = [unreachable; BAND];
        for (k, cell) in first.iter_mut().enumerate().take(width) {
            if let Some(j) = k.checked_sub(limit).filter(|j| *j <= query.len()) {
                *cell = u8::try_from(j).unwrap_or(unreachable);
            }
        }
        let mut rows: Vec<[u8; BAND]> = vec![first];
        let mut best: Option<(u8, &'a str)> = None;
        let mut steps = 0u64;
        // The last candidate walked: `rows` holds the rows of its first characters, so
        // the next one starts from the prefix they share.
        let mut walked = "";
        let mut i = 0;
        while i < self.entries.len() {
            let Some(&(_, original)) = self.entries.get(i) else {
                break;
            };
            let cand = self.lower_at(i);
            let shared = walked
                .chars()
                .zip(cand.chars())
                .take_while(|(a, b)| a == b)
                .count()
                .min(rows.len() - 1);
            rows.truncate(shared + 1);
            walked = cand;
            let mut pruned_at = None;
            for (at, c) in cand.char_indices().skip(shared) {
                let depth = rows.len() - 1;
                let Some(row) = rows.last().copied() else {
                    break;
                };
                let next = step_row(&row, depth, c, query, limit, unreachable);
                steps += 1;
                rows.push(next);
                if next.iter().take(width).all(|&v| v >= unreachable) {
                    // No candidate that starts with these characters is within reach.
                    pruned_at = Some(at + c.len_utf8());
                    break;
                }
            }
            match pruned_at {
                Some(prefix_len) => {
                    let prefix = cand.get(..prefix_len).unwrap_or(cand);
                    // The candidates from `i` on that start with the prefix come first,
                    // usually a few: found by steps that double, then by halves between
                    // the last two (a search by halves of all the rest took most of a
                    // question's time).
                    let has = |at: usize| self.lower_at(i + at).starts_with(prefix);
                    let rest = self.entries.len() - i;
                    let mut lo = 1;
                    let mut step = 1;
                    while lo + step < rest && has(lo + step) {
                        lo += step + 1;
                        step *= 2;
                    }
                    let mut hi = (lo + step).min(rest);
                    while lo < hi {
                        let mid = lo + (hi - lo) / 2;
                        if has(mid) {
                            lo = mid + 1;
                        } else {
                            hi = mid;
                        }
                    }
                    i += lo.max(1);
                }
                None => {
                    let len = rows.len() - 1;
                    let d = (query.len() + limit)
                        .checked_sub(len)
                        .filter(|k| *k < width)
                        .and_then(|k| rows.last().and_then(|r| r.get(k)).copied())
                        .filter(|d| *d < unreachable);
                    if let Some(d) = d
                        && best.is_none_or(|(bd, bc)| (d, original) < (bd, bc))
                    {
                        best = Some((d, original));
                        // Asked nearest distance first, nothing is closer than `limit`;
                        // in the candidates' own order, nothing after is before it.
                        if !self.folded && usize::from(d) == limit {
                            break;
                        }
                    }
                    i += 1;
                }
            }
        }
        crate::work::add(crate::work::Kind::Suggestions, steps);
        best.map(|(_, c)| c)
    }
}

/// The row of one more character `c` of a prefix, from the row of the `depth`
/// characters before it (see [`Nearest::find`]).
fn step_row(
    row: &[u8; BAND],
    depth: usize,
    c: char,
    query: &[char],
    limit: usize,
    unreachable: u8,
) -> [u8; BAND] {
    let mut next = [unreachable; BAND];
    let depth = depth + 1;
    for k in 0..2 * limit + 1 {
        // The word's characters this cell has taken: depth - limit + k.
        let Some(j) = (depth + k).checked_sub(limit).filter(|j| *j <= query.len()) else {
            continue;
        };
        let value = if j == 0 {
            u8::try_from(depth).unwrap_or(unreachable)
        } else {
            let same = query.get(j - 1) == Some(&c);
            let diagonal = row
                .get(k)
                .copied()
                .unwrap_or(unreachable)
                .saturating_add(u8::from(!same));
            let above = row
                .get(k + 1)
                .copied()
                .unwrap_or(unreachable)
                .saturating_add(1);
            let left = k
                .checked_sub(1)
                .and_then(|l| next.get(l))
                .copied()
                .unwrap_or(unreachable)
                .saturating_add(1);
            diagonal.min(above).min(left)
        };
        if let Some(cell) = next.get_mut(k) {
            *cell = value.min(unreachable);
        }
    }
    next
}

/// A candidate lower-cased as [`did_you_mean`] compares it.
fn lower_cased(c: &str) -> std::borrow::Cow<'_, str> {
    if c.is_ascii() {
        if c.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(c.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(c)
        }
    } else {
        std::borrow::Cow::Owned(c.to_lowercase())
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

    proptest::proptest! {
        /// The sorted index answers every question as the comparison with every
        /// candidate does: words near the candidates (edits of one of them), far from
        /// them, with case and sigmas that lower-case apart.
        #[test]
        fn nearest_answers_as_did_you_mean(
            candidates in proptest::collection::vec("[a-cA-CÉé_Σσς]{0,7}", 0..40),
            words in proptest::collection::vec("[a-cA-CÉé_Σσς]{0,9}", 1..8),
            pick in 0usize..40,
            cut in 0usize..4,
        ) {
            let nearest = Nearest::new(candidates.iter().map(String::as_str));
            let mut asked: Vec<String> = words;
            if let Some(c) = candidates.get(pick % candidates.len().max(1)) {
                // A near miss of a candidate: a character less, and one more.
                let chars: Vec<char> = c.chars().collect();
                let keep = chars.len().saturating_sub(cut.min(1));
                asked.push(chars.iter().take(keep).collect());
                asked.push(format!("{c}x"));
            }
            for word in &asked {
                proptest::prop_assert_eq!(
                    nearest.find(word),
                    did_you_mean(word, candidates.iter().map(String::as_str)),
                    "word {:?}", word
                );
            }
        }
    }

    proptest::proptest! {
        /// Candidates that lower-casing leaves as they are: the search stops at the first
        /// closest one, which must still be `did_you_mean`'s pick.
        #[test]
        fn nearest_stops_at_the_first_closest(
            candidates in proptest::collection::vec("[ab_1]{0,6}", 0..60),
            words in proptest::collection::vec("[abAB_1]{0,8}", 1..8),
        ) {
            let nearest = Nearest::new(candidates.iter().map(String::as_str));
            for word in &words {
                proptest::prop_assert_eq!(
                    nearest.find(word),
                    did_you_mean(word, candidates.iter().map(String::as_str)),
                    "word {:?}", word
                );
            }
        }
    }

    #[test]
    fn nearest_finds_typos_among_many_ids() {
        let ids: Vec<String> = (0..2_000).map(|i| format!("item_{i}_score")).collect();
        let nearest = Nearest::new(ids.iter().map(String::as_str));
        assert_eq!(nearest.find("item_1234_scroe"), Some("item_1234_score"));
        assert_eq!(nearest.find("ITEM_77_SCORE"), Some("item_77_score"));
        // Equally close: the first in sorted order, as `did_you_mean` picks.
        assert_eq!(nearest.find("item_12_scorex"), Some("item_12_score"));
        assert_eq!(nearest.find("clicks_on_home"), None);
        assert_eq!(Nearest::new([]).find("anything"), None);
        assert_eq!(Nearest::new([""]).find("a"), Some(""));
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
