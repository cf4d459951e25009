//! The simulator's memory: messages, their newest-first index per account, opt-outs, reply cursors.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Bound;

use chrono::{DateTime, Utc};
use rand::Rng as _;

use crate::segments::count_segments;

/// Message status values the simulator produces (a subset of Twilio's enum).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Queued,
    Sending,
    Sent,
    Delivered,
    Received,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Sending => "sending",
            Status::Sent => "sent",
            Status::Delivered => "delivered",
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

/// A stored message, in internal types; `wire` turns it into Twilio's JSON.
#[derive(Debug, Clone)]
pub(crate) struct Message {
    pub sid: String,
    pub account_sid: String,
    pub from: String,
    pub to: String,
    pub body: String,
    pub status: Status,
    pub direction: Direction,
    pub num_segments: u32,
    pub num_media: usize,
    pub price: Option<String>,
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
            account_sid: account_sid.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
            body: body.to_owned(),
            status: Status::Queued,
            direction: Direction::OutboundApi,
            num_segments: count_segments(body),
            num_media,
            price: None,
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
        let num_segments = count_segments(body);
        Self {
            sid: new_sid("SM"),
            account_sid: account_sid.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
            body: body.to_owned(),
            status: Status::Received,
            direction: Direction::Inbound,
            num_segments,
            num_media: 0,
            price: Some(price(num_segments, 0)),
            date_created: received,
            date_updated: received,
            date_sent: Some(received),
        }
    }

    /// Position in the account's newest-first order.
    pub fn key(&self) -> Key {
        (self.date_created, self.sid.clone())
    }
}

/// Ordering key: creation time, then SID to break ties deterministically.
pub(crate) type Key = (DateTime<Utc>, String);

/// A message SID: two-letter prefix plus 32 lowercase hex digits.
pub(crate) fn new_sid(prefix: &str) -> String {
    let n: u128 = rand::rng().random();
    format!("{prefix}{n:032x}")
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

const OPT_OUT_WORDS: [&str; 6] = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"];
const OPT_IN_WORDS: [&str; 3] = ["START", "YES", "UNSTOP"];

/// All mutable simulator state, guarded by one mutex in `server::Shared`.
#[derive(Debug, Default)]
pub(crate) struct Store {
    messages: HashMap<String, Message>,
    by_account: HashMap<String, BTreeSet<Key>>,
    /// (account, recipient, sender) pairs where the recipient has opted out of that sender.
    opt_outs: HashSet<(String, String, String)>,
    reply_cursors: HashMap<String, usize>,
}

impl Store {
    pub fn insert(&mut self, message: Message) {
        self.by_account
            .entry(message.account_sid.clone())
            .or_default()
            .insert(message.key());
        self.messages.insert(message.sid.clone(), message);
    }

    /// Stores an inbound message and applies carrier-style STOP/START handling.
    pub fn insert_inbound(&mut self, message: Message) {
        let word = message.body.trim().to_ascii_uppercase();
        let pair = (
            message.account_sid.clone(),
            message.from.clone(),
            message.to.clone(),
        );
        if OPT_OUT_WORDS.contains(&word.as_str()) {
            self.opt_outs.insert(pair);
        } else if OPT_IN_WORDS.contains(&word.as_str()) {
            self.opt_outs.remove(&pair);
        }
        self.insert(message);
    }

    pub fn is_opted_out(&self, account_sid: &str, recipient: &str, sender: &str) -> bool {
        self.opt_outs.contains(&(
            account_sid.to_owned(),
            recipient.to_owned(),
            sender.to_owned(),
        ))
    }

    pub fn get(&self, sid: &str) -> Option<&Message> {
        self.messages.get(sid)
    }

    pub fn get_mut(&mut self, sid: &str) -> Option<&mut Message> {
        self.messages.get_mut(sid)
    }

    /// A message of this account, or `None` if the SID is unknown or belongs to another account.
    pub fn get_in_account(&self, account_sid: &str, sid: &str) -> Option<&Message> {
        self.get(sid).filter(|m| m.account_sid == account_sid)
    }

    /// The account's messages strictly older than `before` (all if `None`), newest first.
    pub fn older_than<'a>(
        &'a self,
        account_sid: &str,
        before: Option<&Key>,
    ) -> impl Iterator<Item = &'a Message> + 'a {
        let upper = match before {
            Some(k) => Bound::Excluded(k.clone()),
            None => Bound::Unbounded,
        };
        self.by_account
            .get(account_sid)
            .into_iter()
            .flat_map(move |set| set.range((Bound::Unbounded, upper.clone())).rev())
            .filter_map(|(_, sid)| self.messages.get(sid))
    }

    /// The account's messages strictly newer than `after`, oldest first (closest to `after` first).
    pub fn newer_than<'a>(
        &'a self,
        account_sid: &str,
        after: &Key,
    ) -> impl Iterator<Item = &'a Message> + 'a {
        let lower = Bound::Excluded(after.clone());
        self.by_account
            .get(account_sid)
            .into_iter()
            .flat_map(move |set| set.range((lower.clone(), Bound::Unbounded)))
            .filter_map(|(_, sid)| self.messages.get(sid))
    }

    /// The next scripted reply of a customer, cycling through `replies`.
    pub fn next_reply(&mut self, customer_number: &str, replies: &[String]) -> Option<String> {
        if replies.is_empty() {
            return None;
        }
        let cursor = self
            .reply_cursors
            .entry(customer_number.to_owned())
            .or_insert(0);
        let reply = replies[*cursor % replies.len()].clone();
        *cursor = cursor.wrapping_add(1);
        Some(reply)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn sid_shape() {
        let sid = new_sid("SM");
        assert_eq!(sid.len(), 34);
        assert!(sid.starts_with("SM"));
        assert!(sid[2..]
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
    }

    #[test]
    fn price_format() {
        assert_eq!(price(1, 0), "-0.00790");
        assert_eq!(price(3, 0), "-0.02370");
        assert_eq!(price(1, 2), "-0.02000");
    }

    #[test]
    fn newest_first_and_anchored_ranges() {
        let mut store = Store::default();
        let t0 = Utc::now();
        let mut sids = Vec::new();
        for i in 0..5 {
            let m = Message::inbound("AC1", "+1", "+2", "x", t0 + Duration::seconds(i));
            sids.push(m.sid.clone());
            store.insert(m);
        }
        let all: Vec<_> = store
            .older_than("AC1", None)
            .map(|m| m.sid.clone())
            .collect();
        let mut expected = sids.clone();
        expected.reverse();
        assert_eq!(all, expected);
        let anchor = store.get(&sids[2]).map(Message::key);
        let older: Vec<_> = store
            .older_than("AC1", anchor.as_ref())
            .map(|m| m.sid.clone())
            .collect();
        assert_eq!(older, vec![sids[1].clone(), sids[0].clone()]);
        let newer: Vec<_> = anchor
            .iter()
            .flat_map(|a| store.newer_than("AC1", a))
            .map(|m| m.sid.clone())
            .collect();
        assert_eq!(newer, vec![sids[3].clone(), sids[4].clone()]);
        assert_eq!(store.older_than("AC2", None).count(), 0);
    }

    #[test]
    fn stop_and_start_toggle_opt_out() {
        let mut store = Store::default();
        let now = Utc::now();
        store.insert_inbound(Message::inbound("AC1", "+1555", "+1444", "  stop ", now));
        assert!(store.is_opted_out("AC1", "+1555", "+1444"));
        assert!(!store.is_opted_out("AC1", "+1555", "+1333"));
        store.insert_inbound(Message::inbound(
            "AC1",
            "+1555",
            "+1444",
            "please stop",
            now,
        ));
        assert!(store.is_opted_out("AC1", "+1555", "+1444"));
        store.insert_inbound(Message::inbound("AC1", "+1555", "+1444", "Unstop", now));
        assert!(!store.is_opted_out("AC1", "+1555", "+1444"));
    }

    #[test]
    fn replies_cycle_per_customer() {
        let mut store = Store::default();
        let replies = vec!["a".to_owned(), "b".to_owned()];
        let got: Vec<_> = (0..3)
            .filter_map(|_| store.next_reply("+1", &replies))
            .collect();
        assert_eq!(got, ["a", "b", "a"]);
        assert_eq!(store.next_reply("+2", &replies).as_deref(), Some("a"));
        assert_eq!(store.next_reply("+3", &[]), None);
    }
}
