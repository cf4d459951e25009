//! Deciding, at create time, how an outbound message will end: the scenario's rules by
//! recipient first, then a seeded random draw.

use rand::Rng as _;

use crate::scenario::{Outcome, OutcomeRule, RandomOutcome, Scenario};

/// The scenario's outcome rules with a fixed seed.
#[derive(Debug)]
pub(crate) struct Outcomes {
    rules: Vec<OutcomeRule>,
    random: Vec<RandomOutcome>,
    seed: u64,
}

impl Outcomes {
    /// Takes the scenario's seed, or picks one and logs it so the run can be repeated.
    pub fn new(scenario: &Scenario) -> Self {
        let seed = scenario.seed.unwrap_or_else(|| rand::rng().random());
        if !scenario.random.is_empty() {
            tracing::info!(seed, "random outcomes seeded");
        }
        Self {
            rules: scenario.outcomes.clone(),
            random: scenario.random.clone(),
            seed,
        }
    }

    /// The outcome of the `index`-th accepted create (counted from 0), sent to `to`.
    ///
    /// The draw depends only on the seed and the index, so the same seed and the same order of
    /// creates give the same outcomes, whatever the timing.
    pub fn decide(&self, to: &str, index: u64) -> Outcome {
        if let Some(rule) = self.rules.iter().find(|r| r.to.matches(to)) {
            return rule.outcome.clone();
        }
        if self.random.is_empty() {
            return Outcome::Delivered;
        }
        let draw = unit_interval(self.seed, index);
        let mut upper = 0.0;
        for candidate in &self.random {
            upper += candidate.probability;
            if draw < upper {
                return candidate.outcome.clone();
            }
        }
        Outcome::Delivered
    }
}

/// SplitMix64 of (seed, index) mapped to [0, 1): self-contained so outcomes never change with a
/// dependency's RNG algorithm.
fn unit_interval(seed: u64, index: u64) -> f64 {
    let mut z = seed.wrapping_add(index.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    // The top 53 bits fill an f64 mantissa exactly.
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{DeliveryError, NumberPattern};

    fn undelivered(code: u32) -> Outcome {
        Outcome::Undelivered(DeliveryError::new(code))
    }

    fn scenario(seed: u64, probability: f64) -> Scenario {
        Scenario {
            seed: Some(seed),
            outcomes: vec![OutcomeRule {
                to: NumberPattern::Prefix("+1555".into()),
                outcome: Outcome::NoReceipt,
            }],
            random: vec![RandomOutcome {
                probability,
                outcome: undelivered(30003),
            }],
            ..Scenario::default()
        }
    }

    #[test]
    fn rules_win_over_random() {
        let outcomes = Outcomes::new(&scenario(1, 1.0));
        assert_eq!(outcomes.decide("+15551234567", 0), Outcome::NoReceipt);
        assert_eq!(outcomes.decide("+14155550100", 0), undelivered(30003));
        let none = Outcomes::new(&Scenario::default());
        assert_eq!(none.decide("+14155550100", 0), Outcome::Delivered);
    }

    #[test]
    fn same_seed_same_draws_and_about_the_right_share() {
        let a = Outcomes::new(&scenario(42, 0.05));
        let b = Outcomes::new(&scenario(42, 0.05));
        let c = Outcomes::new(&scenario(43, 0.05));
        let run = |o: &Outcomes| -> Vec<bool> {
            (0..20_000)
                .map(|i| o.decide("+14155550100", i) != Outcome::Delivered)
                .collect()
        };
        let (ra, rb, rc) = (run(&a), run(&b), run(&c));
        assert_eq!(ra, rb);
        assert_ne!(ra, rc);
        let share = ra.iter().filter(|x| **x).count() as f64 / ra.len() as f64;
        assert!((0.04..0.06).contains(&share), "share {share}");
    }

    #[test]
    fn draws_stay_in_the_unit_interval() {
        for i in 0..10_000 {
            let x = unit_interval(u64::MAX, i);
            assert!((0.0..1.0).contains(&x));
        }
    }
}
