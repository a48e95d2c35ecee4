//! Keyed bijections of `[0, n)`: how `unique = true` is guaranteed by construction.
//!
//! A balanced Feistel network permutes the smallest even-bit domain that holds `n`; values
//! that land outside `[0, n)` walk the cycle again (cycle-walking), which stays a bijection.

use super::rng::{mix, Key};

#[derive(Clone, Copy, Debug)]
pub struct Permutation {
    n: u64,
    half_bits: u32,
    mask: u64,
    keys: [u64; 4],
}

impl Permutation {
    pub fn new(key: Key, n: u64) -> Permutation {
        let bits = 64 - n.saturating_sub(1).leading_zeros();
        let half_bits = bits.div_ceil(2).max(1);
        let k = key.derive("permutation");
        Permutation { n, half_bits, mask: (1u64 << half_bits) - 1, keys: [k.hash(0), k.hash(1), k.hash(2), k.hash(3)] }
    }

    pub fn len(&self) -> u64 {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The image of `i < n`.
    #[inline]
    pub fn apply(&self, i: u64) -> u64 {
        debug_assert!(i < self.n);
        let mut x = i;
        loop {
            x = self.round_trip(x);
            if x < self.n {
                return x;
            }
        }
    }

    #[inline]
    fn round_trip(&self, x: u64) -> u64 {
        let mut l = x >> self.half_bits;
        let mut r = x & self.mask;
        for k in self.keys {
            let f = mix(r ^ k) & self.mask;
            (l, r) = (r, l ^ f);
        }
        (l << self.half_bits) | r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_a_bijection_for_many_sizes() {
        for n in [1u64, 2, 3, 10, 255, 256, 257, 1000, 4097] {
            let p = Permutation::new(Key::root(9), n);
            let mut seen = vec![false; n as usize];
            for i in 0..n {
                let j = p.apply(i);
                assert!(j < n);
                assert!(!seen[j as usize], "n={n}: {j} twice");
                seen[j as usize] = true;
            }
        }
    }

    #[test]
    fn depends_on_the_key() {
        let a = Permutation::new(Key::root(1), 1000);
        let b = Permutation::new(Key::root(2), 1000);
        assert!((0..1000).any(|i| a.apply(i) != b.apply(i)));
        assert!((0..1000).filter(|&i| a.apply(i) == i).count() < 20);
    }
}
