//! A message as the simulator keeps it, in internal types; `wire` turns it into Twilio's JSON.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rand::Rng as _;

use crate::scenario::DeliveryError;
use crate::segments::count_segments;

/// Message status values the simulator produces (a subset of Twilio's enum).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Queued,
    Sending,
    Sent,
    Delivered,
    Undelivered,
    Failed,
    Received,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Sending => "sending",
            Status::Sent => "sent",
            Status::Delivered => "delivered",
            Status::Undelivered => "undelivered",
            Status::Failed => "failed",
            Status::Received => "received",
        }
    }
}

/// Message direction values the simulator produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    OutboundApi,
    Inbound,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::OutboundApi => "outbound-api",
            Direction::Inbound => "inbound",
        }
    }
}

/// A stored message.
///
/// Account and numbers are shared `Arc<str>`s (the store interns them) so a million messages
/// between a few numbers do not hold a million copies of each number.
#[derive(Debug, Clone)]
pub(crate) struct Message {
    pub sid: String,
    pub account_sid: Arc<str>,
    pub from: Arc<str>,
    pub to: Arc<str>,
    pub body: String,
    pub status: Status,
    pub direction: Direction,
    pub num_segments: u32,
    pub num_media: usize,
    /// Whether a price is known; it is derived from segments and media, so it is not stored.
    pub charged: bool,
    pub error: Option<Box<DeliveryError>>,
    pub date_created: DateTime<Utc>,
    pub date_updated: DateTime<Utc>,
    pub date_sent: Option<DateTime<Utc>>,
}

impl Message {
    /// An outbound message as accepted by a create request.
    pub fn outbound(
        account_sid: &str,
        from: &str,
        to: &str,
        body: &str,
        num_media: usize,
        now: DateTime<Utc>,
    ) -> Self {
        // Twilio gives media messages an MM prefix and plain SMS an SM prefix.
        let prefix = if num_media > 0 { "MM" } else { "SM" };
        Self {
            sid: new_sid(prefix),
            account_sid: account_sid.into(),
            from: from.into(),
            to: to.into(),
            body: body.to_owned(),
            status: Status::Queued,
            direction: Direction::OutboundApi,
            num_segments: count_segments(body),
            num_media,
            charged: false,
            error: None,
            date_created: now,
            date_updated: now,
            date_sent: None,
        }
    }

    /// An inbound message that has fully arrived.
    pub fn inbound(
        account_sid: &str,
        from: &str,
        to: &str,
        body: &str,
        received: DateTime<Utc>,
    ) -> Self {
        Self {
            sid: new_sid("SM"),
            account_sid: account_sid.into(),
            from: from.into(),
            to: to.into(),
            body: body.to_owned(),
            status: Status::Received,
            direction: Direction::Inbound,
            num_segments: count_segments(body),
            num_media: 0,
            charged: true,
            error: None,
            date_created: received,
            date_updated: received,
            date_sent: Some(received),
        }
    }

    /// Twilio's price string once the message has been charged, else `None`.
    pub fn price(&self) -> Option<String> {
        self.charged
            .then(|| price(self.num_segments, self.num_media))
    }
}

/// A message SID: two-letter prefix plus 32 lowercase hex digits.
pub(crate) fn new_sid(prefix: &str) -> String {
    let n: u128 = rand::rng().random();
    format!("{prefix}{n:032x}")
}

/// The 128-bit number in a `SM…`/`MM…` SID, the store's compact lookup key.
pub(crate) fn sid_number(sid: &str) -> Option<u128> {
    let hex = sid.get(2..)?;
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(hex, 16).ok()
}

/// Twilio-style negative price string: US long-code rates, per segment for SMS, flat for MMS.
pub(crate) fn price(num_segments: u32, num_media: usize) -> String {
    let usd = if num_media > 0 {
        0.0200
    } else {
        0.0079 * f64::from(num_segments)
    };
    format!("-{usd:.5}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sid_shape() {
        let sid = new_sid("SM");
        assert_eq!(sid.len(), 34);
        assert!(sid.starts_with("SM"));
        assert!(sid[2..]
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
        assert!(sid_number(&sid).is_some());
        assert_eq!(sid_number("SM12"), None);
        assert_eq!(sid_number("SMzz000000000000000000000000000000"), None);
        assert_eq!(sid_number("S"), None);
        assert_eq!(sid_number("SM+0000000000000000000000000000000"), None);
    }

    #[test]
    fn price_format() {
        assert_eq!(price(1, 0), "-0.00790");
        assert_eq!(price(3, 0), "-0.02370");
        assert_eq!(price(1, 2), "-0.02000");
    }
}
