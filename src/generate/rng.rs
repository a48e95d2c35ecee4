//! Counter-based randomness: every value is a pure function of (seed, table, column, row).
//!
//! A [`Key`] is derived by hashing names into the run seed; a [`CellRng`] is a small, fast
//! generator (wyrand) seeded from a key and a row index. Sampling helpers live here too, so
//! that output never depends on the sampling algorithms of another crate's version.

use std::convert::Infallible;

/// A 64-bit key derived from the seed and a path of names (table, column, purpose).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key(pub u64);

impl Key {
    /// The root key of a run.
    pub fn root(seed: u64) -> Key {
        Key(mix(seed ^ 0x5347_4154_4547_4154)) // "SGATEGAT"
    }

    /// A child key for a name; stable across platforms and versions (FNV-1a, then mixed).
    pub fn derive(self, name: &str) -> Key {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ self.0;
        for &b in name.as_bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        Key(mix(h ^ self.0.rotate_left(17)))
    }

    /// A child key for a number (row, ordinal).
    pub fn derive_u64(self, n: u64) -> Key {
        Key(mix(self.0 ^ mix(n.wrapping_add(0x9e37_79b9_7f4a_7c15))))
    }

    /// The generator for one cell of the column this key belongs to.
    #[inline]
    pub fn cell(self, row: u64) -> CellRng {
        CellRng::new(mix(self.0 ^ row.wrapping_mul(0x9e37_79b9_7f4a_7c15)))
    }

    /// One uniform 64-bit value for a row, without building a generator.
    #[inline]
    pub fn hash(self, row: u64) -> u64 {
        mix(self.0 ^ mix(row.wrapping_add(0x632b_e59b_d9b4_e019)))
    }
}

/// SplitMix64's finaliser: a strong 64-bit mixing bijection.
#[inline]
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// wyrand: one add and one wide multiply per output; passes BigCrush and PractRand.
#[derive(Clone, Debug)]
pub struct CellRng {
    state: u64,
}

impl CellRng {
    #[inline]
    pub fn new(seed: u64) -> CellRng {
        CellRng { state: seed }
    }

    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0xa076_1d64_78bd_642f);
        let t = (self.state as u128).wrapping_mul((self.state ^ 0xe703_7ed1_a0b4_28db) as u128);
        ((t >> 64) as u64) ^ (t as u64)
    }

    /// Uniform in `[0, n)`; `n == 0` gives 0. Lemire's multiply-shift with rejection.
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let mut m = (self.next_u64() as u128) * (n as u128);
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u64) < threshold {
                m = (self.next_u64() as u128) * (n as u128);
            }
        }
        (m >> 64) as u64
    }

    /// Uniform in `[lo, hi]` (inclusive).
    #[inline]
    pub fn range_i64(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi as i128 - lo as i128 + 1) as u128;
        if span > u64::MAX as u128 {
            return self.next_u64() as i64;
        }
        lo.wrapping_add(self.below(span as u64) as i64)
    }

    /// Uniform index into a slice of length `n > 0`.
    #[inline]
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform in `[0, 1)` with 53 bits of precision.
    #[inline]
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `(0, 1]`, safe for logarithms.
    #[inline]
    pub fn unit_open(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Standard normal deviate: Marsaglia's polar method (no trigonometry; one of the pair
    /// is used, keeping cells independent of each other).
    #[inline]
    pub fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.unit() - 1.0;
            let v = 2.0 * self.unit() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * (-2.0 * s.ln() / s).sqrt();
            }
        }
    }

    /// Exponential deviate with rate 1.
    #[inline]
    pub fn exponential(&mut self) -> f64 {
        -self.unit_open().ln()
    }

    /// Poisson deviate: Knuth's product method for small means, a rounded normal beyond.
    pub fn poisson(&mut self, mean: f64) -> u64 {
        if mean <= 0.0 {
            return 0;
        }
        if mean < 30.0 {
            let limit = (-mean).exp();
            let mut k = 0u64;
            let mut p = self.unit_open();
            while p > limit {
                k += 1;
                p *= self.unit_open();
            }
            k
        } else {
            let x = mean + mean.sqrt() * self.normal();
            x.round().max(0.0) as u64
        }
    }

    /// Zipf deviate in `[1, n]` with exponent `s > 0`, by rejection-inversion
    /// (Hörmann & Derflinger, 1996): constant expected time for any `n`.
    pub fn zipf(&mut self, n: u64, s: f64) -> u64 {
        if n <= 1 {
            return 1;
        }
        let z = Zipf::new(n, s);
        z.sample(self)
    }
}

/// Precomputed constants of the rejection-inversion Zipf sampler.
#[derive(Clone, Copy, Debug)]
pub struct Zipf {
    n: f64,
    s: f64,
    h_x1: f64,
    h_n: f64,
    threshold: f64,
}

impl Zipf {
    pub fn new(n: u64, s: f64) -> Zipf {
        let n = n.max(1) as f64;
        let h_x1 = h_integral(1.5, s) - 1.0;
        let h_n = h_integral(n + 0.5, s);
        let threshold = 2.0 - h_integral_inverse(h_integral(2.5, s) - h(2.0, s), s);
        Zipf { n, s, h_x1, h_n, threshold }
    }

    pub fn sample(&self, rng: &mut CellRng) -> u64 {
        if self.n <= 1.0 {
            return 1;
        }
        loop {
            let u = self.h_n + rng.unit() * (self.h_x1 - self.h_n);
            let x = h_integral_inverse(u, self.s);
            let k = (x + 0.5).floor().clamp(1.0, self.n);
            if k - x <= self.threshold || u >= h_integral(k + 0.5, self.s) - h(k, self.s) {
                return k as u64;
            }
        }
    }
}

fn h(x: f64, s: f64) -> f64 {
    (-s * x.ln()).exp()
}

fn h_integral(x: f64, s: f64) -> f64 {
    let log_x = x.ln();
    expm1_over_x((1.0 - s) * log_x) * log_x
}

fn h_integral_inverse(x: f64, s: f64) -> f64 {
    let t = (x * (1.0 - s)).max(-1.0);
    (log1p_over_x(t) * x).exp()
}

/// `(exp(x) - 1) / x`, accurate near 0.
fn expm1_over_x(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        x.exp_m1() / x
    } else {
        1.0 + x / 2.0 * (1.0 + x / 3.0 * (1.0 + x / 4.0))
    }
}

/// `ln(1 + x) / x`, accurate near 0.
fn log1p_over_x(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        x.ln_1p() / x
    } else {
        1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x))
    }
}

impl rand::TryRng for CellRng {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.next_u64() >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.next_u64())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_pure_functions_of_key_and_row() {
        let k = Key::root(42).derive("customers").derive("first_name");
        let a: Vec<u64> = (0..100).map(|r| k.cell(r).next_u64()).collect();
        let b: Vec<u64> = (0..100).rev().map(|r| k.cell(r).next_u64()).collect();
        let b: Vec<u64> = b.into_iter().rev().collect();
        assert_eq!(a, b);
        assert_ne!(k.cell(0).next_u64(), k.cell(1).next_u64());
        assert_ne!(k.derive("x"), k.derive("y"));
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut rng = CellRng::new(7);
        let mut seen = [0u32; 10];
        for _ in 0..10_000 {
            seen[rng.below(10) as usize] += 1;
        }
        assert!(seen.iter().all(|&c| c > 800 && c < 1200), "{seen:?}");
        assert_eq!(rng.below(0), 0);
        for _ in 0..1000 {
            let v = rng.range_i64(-3, 3);
            assert!((-3..=3).contains(&v));
        }
    }

    #[test]
    fn normal_and_poisson_have_the_asked_moments() {
        let mut rng = CellRng::new(1);
        let n = 100_000;
        let xs: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.02, "mean {mean}");
        assert!((var - 1.0).abs() < 0.03, "var {var}");
        let ps: u64 = (0..n).map(|_| rng.poisson(5.0)).sum();
        let pm = ps as f64 / n as f64;
        assert!((pm - 5.0).abs() < 0.05, "poisson mean {pm}");
    }

    #[test]
    fn zipf_is_skewed_towards_small_ranks() {
        let mut rng = CellRng::new(3);
        let mut counts = [0u32; 11];
        for _ in 0..50_000 {
            let k = rng.zipf(10, 1.2);
            assert!((1..=10).contains(&k));
            counts[k as usize] += 1;
        }
        assert!(counts[1] > counts[2] && counts[2] > counts[3] && counts[3] > counts[10]);
        // P(1)/P(2) = 2^1.2 ≈ 2.30
        let ratio = counts[1] as f64 / counts[2] as f64;
        assert!((ratio - 2.3).abs() < 0.2, "ratio {ratio}");
    }
}
