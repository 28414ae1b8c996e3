//! A bit filter in front of a large table: one bit per hashed key, so a
//! clear bit proves a key absent from one cache line, and only a set bit
//! (the key, or a collision) costs the look-up proper. Most keys the
//! readers ask for (a look-alike's char pairs, a back-off chain's n-grams)
//! are absent.

pub(crate) struct BitFilter {
    bits: Vec<u64>,
    /// log2 of the number of bits
    order: u32,
}

impl BitFilter {
    /// An empty filter of 2^`order` bits (`order` ≥ 6).
    pub(crate) fn new(order: u32) -> BitFilter {
        BitFilter {
            bits: vec![0; 1 << (order - 6)],
            order,
        }
    }

    fn slot(&self, key: u64) -> usize {
        // multiplicative hashing: the top bits of the product
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.order)) as usize
    }

    pub(crate) fn insert(&mut self, key: u64) {
        let i = self.slot(key);
        self.bits[i / 64] |= 1 << (i % 64);
    }

    pub(crate) fn may_contain(&self, key: u64) -> bool {
        let i = self.slot(key);
        self.bits[i / 64] & (1 << (i % 64)) != 0
    }

    /// The share of bits set: the chance that an absent key gets a yes.
    #[cfg(test)]
    pub(crate) fn fill(&self) -> f64 {
        let set: u32 = self.bits.iter().map(|w| w.count_ones()).sum();
        f64::from(set) / (self.bits.len() * 64) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserted_keys_are_found_and_most_others_are_not() {
        // pseudo-random keys (xorshift), a thousand in, ten thousand asked
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let inserted: Vec<u64> = (0..1000).map(|_| next()).collect();
        let mut f = BitFilter::new(16);
        for &k in &inserted {
            f.insert(k);
        }
        assert!(inserted.iter().all(|&k| f.may_contain(k)));
        let fill = f.fill();
        assert!(fill > 0.0 && fill < 0.02, "{fill}");
        // an absent key gets a yes about as often as a bit is set
        let yes = (0..10_000).filter(|_| f.may_contain(next())).count();
        assert!(yes < 400, "{yes} false yes of 10,000 at fill {fill}");
    }
}
