//! Comparing secrets (token fingerprints, cursor signatures) without an early exit, so timing
//! does not reveal how much of a presented value matched.

use subtle::ConstantTimeEq;

/// `a == b` in time that depends only on the lengths.
pub fn eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::eq;

    #[test]
    fn equal_only_for_the_same_bytes_and_length() {
        assert!(eq(b"abc", b"abc"));
        assert!(!eq(b"abc", b"abd"));
        assert!(!eq(b"abc", b"abcd"));
        assert!(eq(b"", b""));
    }
}
