//! Per-sender pacing: each sender number sends so many segments per second; a message waits in
//! `queued` for its turn, and a sender whose backlog is already past the bound refuses more.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

use crate::scenario::Throughput;

/// The sender's queue is already longer than the scenario allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct QueueFull;

/// When each sender is next free.
#[derive(Debug)]
pub(crate) struct Pacer {
    throughput: Throughput,
    next_free: HashMap<(String, String), Instant>,
}

impl Pacer {
    pub fn new(throughput: Throughput) -> Self {
        Self {
            throughput,
            next_free: HashMap::new(),
        }
    }

    /// Books the sender for `segments` and returns when this message may leave `queued`.
    pub fn reserve(
        &mut self,
        account_sid: &str,
        from: &str,
        segments: u32,
        now: Instant,
    ) -> Result<Instant, QueueFull> {
        if !self.throughput.is_throttled() {
            return Ok(now);
        }
        let key = (account_sid.to_owned(), from.to_owned());
        let start = self
            .next_free
            .get(&key)
            .copied()
            .filter(|free| *free > now)
            .unwrap_or(now);
        if start.duration_since(now) > self.throughput.queue_limit {
            return Err(QueueFull);
        }
        let busy = Duration::try_from_secs_f64(
            f64::from(segments.max(1)) / self.throughput.segments_per_second,
        )
        .unwrap_or(Duration::MAX);
        let free = start.checked_add(busy).unwrap_or(start);
        self.next_free.insert(key, free);
        Ok(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pacer(sps: f64, limit_s: u64) -> Pacer {
        Pacer::new(Throughput {
            segments_per_second: sps,
            queue_limit: Duration::from_secs(limit_s),
        })
    }

    #[test]
    fn unthrottled_never_waits() {
        let mut p = Pacer::new(Throughput::UNTHROTTLED);
        let now = Instant::now();
        for _ in 0..100 {
            assert_eq!(p.reserve("AC", "+1", 10, now), Ok(now));
        }
    }

    #[test]
    fn one_per_second_with_segments_and_a_bound() {
        let mut p = pacer(1.0, 2);
        let now = Instant::now();
        let s = Duration::from_secs;
        assert_eq!(p.reserve("AC", "+1", 1, now), Ok(now));
        assert_eq!(p.reserve("AC", "+1", 1, now), Ok(now + s(1)));
        // Another sender has its own queue.
        assert_eq!(p.reserve("AC", "+2", 1, now), Ok(now));
        assert_eq!(p.reserve("AC", "+1", 3, now), Ok(now + s(2)));
        // Five seconds queued now, more than the two allowed.
        assert_eq!(p.reserve("AC", "+1", 1, now), Err(QueueFull));
        // Once time has passed the queue has drained.
        let later = now + s(10);
        assert_eq!(p.reserve("AC", "+1", 1, later), Ok(later));
    }

    #[test]
    fn fractional_rates() {
        let mut p = pacer(4.0, 100);
        let now = Instant::now();
        assert_eq!(p.reserve("AC", "+1", 1, now), Ok(now));
        assert_eq!(
            p.reserve("AC", "+1", 1, now),
            Ok(now + Duration::from_millis(250))
        );
    }
}
