//! Sets of small numbers (places in a list) held as bits, 64 to a `u64` word: one place
//! for the arithmetic the term lists' prefix index, the fields' relationship marks and
//! the rules' read ids share.

/// Whether `i` is in `bits` (a number past its words is not).
pub(crate) fn has(bits: &[u64], i: usize) -> bool {
    bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

/// Put `i` in `bits`; `None` when `bits` has no word for it.
pub(crate) fn put(bits: &mut [u64], i: usize) -> Option<()> {
    *bits.get_mut(i / 64)? |= 1 << (i % 64);
    Some(())
}

/// Put `i` in `bits`, adding the words it needs.
pub(crate) fn put_growing(bits: &mut Vec<u64>, i: usize) {
    if bits.len() <= i / 64 {
        bits.resize(i / 64 + 1, 0);
    }
    let _ = put(bits, i);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_put_are_had_and_no_others() {
        let mut bits = vec![0u64; 2];
        for i in [0, 63, 64, 127] {
            assert_eq!(put(&mut bits, i), Some(()));
        }
        assert_eq!(put(&mut bits, 128), None, "past the words");
        let had: Vec<usize> = (0..200).filter(|&i| has(&bits, i)).collect();
        assert_eq!(had, [0, 63, 64, 127]);
        let mut growing = Vec::new();
        put_growing(&mut growing, 130);
        put_growing(&mut growing, 3);
        assert_eq!(growing.len(), 3);
        let had: Vec<usize> = (0..200).filter(|&i| has(&growing, i)).collect();
        assert_eq!(had, [3, 130]);
    }
}
