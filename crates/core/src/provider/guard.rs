//! Every call to the provider passes through here: a cap on calls in flight (so the account
//! never sees 20429), a rate per sender number (so its queue at the provider never overflows
//! into 21611 or 30001), and a note of whether the provider answered.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::Semaphore;

use super::{AccountNumber, ListQuery, MessagePage, OutboundRequest, PageCursor, Provider};
use super::{ProviderError, ProviderMessage};
use crate::connectivity::Connectivity;
use crate::text;

/// How hard the app may drive the provider.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pacing {
    /// SMS segments per second each sender number may send (a US long code does about 1).
    pub segments_per_second: f64,
    /// Segments a sender may send at once before the rate applies.
    pub burst: u32,
    /// Calls to the provider in flight at once, across the whole app.
    pub max_concurrent_calls: usize,
}

impl Default for Pacing {
    fn default() -> Self {
        Self {
            segments_per_second: 1.0,
            burst: 10,
            max_concurrent_calls: 4,
        }
    }
}

impl Pacing {
    /// The same pacing with every number brought into a sane range.
    pub fn bounded(self) -> Self {
        let rate = if self.segments_per_second.is_finite() {
            self.segments_per_second.clamp(0.01, 10_000.0)
        } else {
            Self::default().segments_per_second
        };
        Self {
            segments_per_second: rate,
            burst: self.burst.clamp(1, 10_000),
            max_concurrent_calls: self.max_concurrent_calls.clamp(1, 64),
        }
    }
}

/// A provider behind the app's limits.
pub struct Guarded {
    inner: Arc<dyn Provider>,
    calls: Semaphore,
    senders: DefaultKeyedRateLimiter<String>,
    burst: NonZeroU32,
    connectivity: Connectivity,
}

impl Guarded {
    /// Wraps `inner`; outcomes are reported to `connectivity`.
    pub fn new(inner: Arc<dyn Provider>, pacing: Pacing, connectivity: Connectivity) -> Self {
        let pacing = pacing.bounded();
        let burst = NonZeroU32::new(pacing.burst).unwrap_or(NonZeroU32::MIN);
        let period = Duration::from_secs_f64(1.0 / pacing.segments_per_second);
        let quota = Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst);
        Self {
            inner,
            calls: Semaphore::new(pacing.max_concurrent_calls),
            senders: RateLimiter::keyed(quota),
            burst,
            connectivity,
        }
    }

    async fn call<T, F>(&self, call: F) -> Result<T, ProviderError>
    where
        F: std::future::Future<Output = Result<T, ProviderError>>,
    {
        // The semaphore lives as long as self and is never closed.
        let _permit = self.calls.acquire().await;
        let outcome = call.await;
        self.connectivity.observe(&outcome);
        outcome
    }
}

#[async_trait]
impl Provider for Guarded {
    async fn create(&self, request: &OutboundRequest) -> Result<ProviderMessage, ProviderError> {
        // A message longer than the burst waits for the whole burst: the rate still holds on
        // average, and the provider's queue absorbs the rest.
        let segments = text::analyse(&request.body).segments.max(1);
        let cost = NonZeroU32::new(segments)
            .unwrap_or(NonZeroU32::MIN)
            .min(self.burst);
        if self
            .senders
            .until_key_n_ready(&request.from, cost)
            .await
            .is_err()
        {
            tracing::warn!(cost, "message larger than the sender's burst; sent unpaced");
        }
        self.call(self.inner.create(request)).await
    }

    async fn fetch(&self, sid: &str) -> Result<ProviderMessage, ProviderError> {
        self.call(self.inner.fetch(sid)).await
    }

    async fn list(
        &self,
        query: &ListQuery,
        cursor: Option<&PageCursor>,
    ) -> Result<MessagePage, ProviderError> {
        self.call(self.inner.list(query, cursor)).await
    }

    async fn list_numbers(&self) -> Result<Vec<AccountNumber>, ProviderError> {
        self.call(self.inner.list_numbers()).await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Instant;

    use super::*;
    use crate::domain::Direction;
    use crate::events::Events;

    /// Counts calls in flight; every call takes a little while, and a number starting
    /// "+1999" cannot be reached.
    #[derive(Default)]
    struct Slow {
        in_flight: AtomicUsize,
        most: AtomicUsize,
    }

    #[async_trait]
    impl Provider for Slow {
        async fn create(&self, r: &OutboundRequest) -> Result<ProviderMessage, ProviderError> {
            let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.most.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            if r.to.starts_with("+1999") {
                return Err(ProviderError::Unreachable("refused".into()));
            }
            Ok(ProviderMessage {
                sid: format!("SM{}", r.reference),
                from: Some(r.from.clone()),
                to: r.to.clone(),
                body: r.body.clone(),
                direction: Direction::Outbound,
                raw_status: "queued".into(),
                status: None,
                error_code: None,
                error_message: None,
                segments: None,
                price: None,
                price_unit: None,
                created_at: None,
                sent_at: None,
                updated_at: None,
            })
        }
        async fn fetch(&self, _: &str) -> Result<ProviderMessage, ProviderError> {
            unreachable!("not used")
        }
        async fn list(
            &self,
            _: &ListQuery,
            _: Option<&PageCursor>,
        ) -> Result<MessagePage, ProviderError> {
            unreachable!("not used")
        }
        async fn list_numbers(&self) -> Result<Vec<AccountNumber>, ProviderError> {
            unreachable!("not used")
        }
    }

    fn request(reference: i64, from: &str, to: &str) -> OutboundRequest {
        OutboundRequest {
            reference,
            from: from.into(),
            to: to.into(),
            body: "hi".into(),
            media: vec![],
        }
    }

    #[tokio::test]
    async fn no_more_calls_in_flight_than_the_cap() {
        let slow = Arc::new(Slow::default());
        let pacing = Pacing {
            segments_per_second: 10_000.0,
            burst: 100,
            max_concurrent_calls: 3,
        };
        let guarded = Arc::new(Guarded::new(
            slow.clone(),
            pacing,
            Connectivity::new(Events::default()),
        ));
        let calls = (0..12).map(|i| {
            let g = guarded.clone();
            tokio::spawn(async move {
                g.create(&request(i, &format!("+1415555{i:04}"), "+12125550100"))
                    .await
            })
        });
        for call in calls.collect::<Vec<_>>() {
            call.await.unwrap().unwrap();
        }
        assert_eq!(slow.most.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn one_sender_is_held_to_its_rate() {
        let pacing = Pacing {
            segments_per_second: 50.0,
            burst: 1,
            max_concurrent_calls: 8,
        };
        let guarded = Guarded::new(
            Arc::new(Slow::default()),
            pacing,
            Connectivity::new(Events::default()),
        );
        let started = Instant::now();
        for i in 0..6 {
            guarded
                .create(&request(i, "+14155550100", "+12125550100"))
                .await
                .unwrap();
        }
        // Five waits of 1/50 s at least, whatever the machine's speed.
        assert!(started.elapsed() >= Duration::from_millis(100));
    }

    #[tokio::test]
    async fn outcomes_tell_whether_the_provider_is_reachable() {
        let connectivity = Connectivity::new(Events::default());
        let guarded = Guarded::new(
            Arc::new(Slow::default()),
            Pacing::default(),
            connectivity.clone(),
        );
        let down = guarded
            .create(&request(1, "+14155550100", "+19995550100"))
            .await;
        assert!(down.is_err());
        assert_eq!(connectivity.online(), Some(false));
        guarded
            .create(&request(2, "+14155550101", "+12125550100"))
            .await
            .unwrap();
        assert_eq!(connectivity.online(), Some(true));
    }
}
