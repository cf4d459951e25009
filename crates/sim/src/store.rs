//! The simulator's memory: messages with ordered indexes, opt-outs and reply cursors.
//!
//! Messages live in one vector; three B-tree indexes order them newest-first per account, per
//! (account, `To`) and per (account, `From`), so a list page is a range walk of about one page
//! even with millions of messages, never a scan.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Bound;
use std::sync::Arc;

use crate::state::{sid_number, Message};

/// Position in newest-first order: creation time in Unix microseconds, then insertion order.
pub(crate) type Key = (i64, u32);

/// (account id, number id, creation microseconds, message id); the account index uses number 0.
/// Plain integers keep comparisons cheap, which a million-entry B-tree feels.
type IndexKey = (u32, u32, i64, u32);

/// Which index a listing walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope<'a> {
    /// Every message of the account.
    Account,
    /// Messages to this number.
    To(&'a str),
    /// Messages from this number.
    From(&'a str),
}

/// Account SIDs and numbers mapped to small ids, each text kept once.
#[derive(Debug, Default)]
struct Names {
    ids: HashMap<Arc<str>, u32>,
    texts: Vec<Arc<str>>,
}

impl Names {
    /// Ids start at 1 so 0 can mark "no number" in the account index.
    fn intern(&mut self, text: &str) -> (u32, Arc<str>) {
        if let Some((shared, &id)) = self.ids.get_key_value(text) {
            return (id, Arc::clone(shared));
        }
        let shared: Arc<str> = Arc::from(text);
        let id = u32::try_from(self.texts.len() + 1).unwrap_or(u32::MAX);
        self.texts.push(Arc::clone(&shared));
        self.ids.insert(Arc::clone(&shared), id);
        (id, shared)
    }

    fn id(&self, text: &str) -> Option<u32> {
        self.ids.get(text).copied()
    }
}

const OPT_OUT_WORDS: [&str; 6] = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"];
const OPT_IN_WORDS: [&str; 3] = ["START", "YES", "UNSTOP"];

/// All message state, guarded by one mutex in `server::Shared`.
#[derive(Debug, Default)]
pub(crate) struct Store {
    messages: Vec<Message>,
    by_sid: HashMap<u128, u32>,
    names: Names,
    by_account: BTreeSet<IndexKey>,
    by_to: BTreeSet<IndexKey>,
    by_from: BTreeSet<IndexKey>,
    /// Entries per (account, number) in `by_to` / `by_from`, to walk the shorter of the two.
    to_counts: HashMap<(u32, u32), usize>,
    from_counts: HashMap<(u32, u32), usize>,
    /// (account, recipient, sender) triples where the recipient has opted out of that sender.
    opt_outs: HashSet<(String, String, String)>,
    reply_cursors: HashMap<String, usize>,
    accepted_creates: u64,
}

impl Store {
    /// Stores a message and indexes it; its creation time must not change afterwards.
    pub fn insert(&mut self, mut message: Message) {
        let Some(number) = sid_number(&message.sid) else {
            tracing::error!(sid = %message.sid, "message with a malformed SID not stored");
            return;
        };
        let Ok(id) = u32::try_from(self.messages.len()) else {
            tracing::error!("message store is full");
            return;
        };
        let (account, account_sid) = self.names.intern(&message.account_sid);
        let (from, from_text) = self.names.intern(&message.from);
        let (to, to_text) = self.names.intern(&message.to);
        message.account_sid = account_sid;
        message.from = from_text;
        message.to = to_text;
        let t = message.date_created.timestamp_micros();
        self.by_account.insert((account, 0, t, id));
        self.by_to.insert((account, to, t, id));
        self.by_from.insert((account, from, t, id));
        *self.to_counts.entry((account, to)).or_default() += 1;
        *self.from_counts.entry((account, from)).or_default() += 1;
        self.by_sid.insert(number, id);
        self.messages.push(message);
    }

    /// Stores an inbound message and applies carrier-style STOP/START handling.
    pub fn insert_inbound(&mut self, message: Message) {
        let word = message.body.trim().to_ascii_uppercase();
        let triple = (
            message.account_sid.to_string(),
            message.from.to_string(),
            message.to.to_string(),
        );
        if OPT_OUT_WORDS.contains(&word.as_str()) {
            self.opt_outs.insert(triple);
        } else if OPT_IN_WORDS.contains(&word.as_str()) {
            self.opt_outs.remove(&triple);
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

    /// Numbers accepted creates 0, 1, 2, … in the order they are stored (random outcome draws).
    pub fn next_create_index(&mut self) -> u64 {
        let index = self.accepted_creates;
        self.accepted_creates = index.wrapping_add(1);
        index
    }

    /// How many messages are stored, across accounts.
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    fn id_of(&self, sid: &str) -> Option<u32> {
        let id = *self.by_sid.get(&sid_number(sid)?)?;
        // The number ignores the prefix, so an `MM` SID must not find the `SM` message.
        self.messages
            .get(id as usize)
            .filter(|m| m.sid == sid)
            .map(|_| id)
    }

    pub fn get(&self, sid: &str) -> Option<&Message> {
        self.messages.get(self.id_of(sid)? as usize)
    }

    pub fn get_mut(&mut self, sid: &str) -> Option<&mut Message> {
        let id = self.id_of(sid)?;
        self.messages.get_mut(id as usize)
    }

    /// A message of this account, or `None` if the SID is unknown or belongs to another account.
    pub fn get_in_account(&self, account_sid: &str, sid: &str) -> Option<&Message> {
        self.get(sid).filter(|m| &*m.account_sid == account_sid)
    }

    /// The ordering key of one of the account's messages (a page token's anchor).
    pub fn key_of(&self, account_sid: &str, sid: &str) -> Option<Key> {
        let id = self.id_of(sid)?;
        self.messages
            .get(id as usize)
            .filter(|m| &*m.account_sid == account_sid)
            .map(|m| (m.date_created.timestamp_micros(), id))
    }

    /// The scope with the fewest entries for these filters, so a page walks as little as possible;
    /// the caller still checks the other filter on each message.
    pub fn narrowest<'a>(
        &self,
        account_sid: &str,
        to: Option<&'a str>,
        from: Option<&'a str>,
    ) -> Scope<'a> {
        let count = |counts: &HashMap<(u32, u32), usize>, number: &str| {
            self.names
                .id(account_sid)
                .zip(self.names.id(number))
                .and_then(|key| counts.get(&key).copied())
                .unwrap_or(0)
        };
        match (to, from) {
            (Some(to), Some(from))
                if count(&self.from_counts, from) < count(&self.to_counts, to) =>
            {
                Scope::From(from)
            }
            (Some(to), _) => Scope::To(to),
            (None, Some(from)) => Scope::From(from),
            (None, None) => Scope::Account,
        }
    }

    /// The index and its (account, number) prefix for a scope; `None` when nothing can match.
    fn index(
        &self,
        account_sid: &str,
        scope: Scope<'_>,
    ) -> Option<(&BTreeSet<IndexKey>, u32, u32)> {
        let account = self.names.id(account_sid)?;
        match scope {
            Scope::Account => Some((&self.by_account, account, 0)),
            Scope::To(number) => Some((&self.by_to, account, self.names.id(number)?)),
            Scope::From(number) => Some((&self.by_from, account, self.names.id(number)?)),
        }
    }

    fn resolve<'a>(
        &'a self,
        keys: impl Iterator<Item = &'a IndexKey>,
    ) -> impl Iterator<Item = &'a Message> {
        keys.filter_map(|&(_, _, _, id)| self.messages.get(id as usize))
    }

    /// The scope's messages strictly older than `before` (all if `None`), newest first.
    pub fn older_than<'a>(
        &'a self,
        account_sid: &str,
        scope: Scope<'_>,
        before: Option<Key>,
    ) -> impl Iterator<Item = &'a Message> + 'a {
        let keys =
            self.index(account_sid, scope)
                .into_iter()
                .flat_map(move |(set, account, number)| {
                    let low = Bound::Included((account, number, i64::MIN, 0));
                    let high = match before {
                        Some((t, id)) => Bound::Excluded((account, number, t, id)),
                        None => Bound::Included((account, number, i64::MAX, u32::MAX)),
                    };
                    set.range((low, high)).rev()
                });
        self.resolve(keys)
    }

    /// The scope's messages strictly newer than `after`, oldest first (closest to `after` first).
    pub fn newer_than<'a>(
        &'a self,
        account_sid: &str,
        scope: Scope<'_>,
        after: Key,
    ) -> impl Iterator<Item = &'a Message> + 'a {
        let keys =
            self.index(account_sid, scope)
                .into_iter()
                .flat_map(move |(set, account, number)| {
                    let (t, id) = after;
                    let low = Bound::Excluded((account, number, t, id));
                    let high = Bound::Included((account, number, i64::MAX, u32::MAX));
                    set.range((low, high))
                });
        self.resolve(keys)
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
        let reply = replies.get(*cursor % replies.len()).cloned();
        *cursor = cursor.wrapping_add(1);
        reply
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, Utc};

    fn sids<'a>(it: impl Iterator<Item = &'a Message>) -> Vec<String> {
        it.map(|m| m.sid.clone()).collect()
    }

    #[test]
    fn newest_first_and_anchored_ranges() {
        let mut store = Store::default();
        let t0 = Utc::now();
        let mut all = Vec::new();
        for i in 0..5 {
            let m = Message::inbound("AC1", "+1", "+2", "x", t0 + Duration::seconds(i));
            all.push(m.sid.clone());
            store.insert(m);
        }
        let mut expected = all.clone();
        expected.reverse();
        assert_eq!(
            sids(store.older_than("AC1", Scope::Account, None)),
            expected
        );
        let anchor = store.key_of("AC1", &all[2]);
        assert!(anchor.is_some());
        let older = anchor
            .into_iter()
            .flat_map(|a| store.older_than("AC1", Scope::Account, Some(a)));
        assert_eq!(sids(older), vec![all[1].clone(), all[0].clone()]);
        let newer = anchor
            .into_iter()
            .flat_map(|a| store.newer_than("AC1", Scope::Account, a));
        assert_eq!(sids(newer), vec![all[3].clone(), all[4].clone()]);
        assert_eq!(store.older_than("AC2", Scope::Account, None).count(), 0);
        assert_eq!(store.key_of("AC2", &all[2]), None);
    }

    #[test]
    fn equal_times_keep_insertion_order_and_scopes_split_numbers() {
        let mut store = Store::default();
        let t = Utc::now();
        let a = Message::inbound("AC1", "+10", "+20", "a", t);
        let b = Message::inbound("AC1", "+11", "+20", "b", t);
        let c = Message::inbound("AC1", "+10", "+21", "c", t);
        let (sa, sb, sc) = (a.sid.clone(), b.sid.clone(), c.sid.clone());
        for m in [a, b, c] {
            store.insert(m);
        }
        assert_eq!(
            sids(store.older_than("AC1", Scope::Account, None)),
            [sc.clone(), sb.clone(), sa.clone()]
        );
        assert_eq!(
            sids(store.older_than("AC1", Scope::To("+20"), None)),
            [sb.clone(), sa.clone()]
        );
        assert_eq!(
            sids(store.older_than("AC1", Scope::From("+10"), None)),
            [sc, sa]
        );
        assert_eq!(store.older_than("AC1", Scope::To("+99"), None).count(), 0);
        assert_eq!(
            store.narrowest("AC1", Some("+20"), Some("+11")),
            Scope::From("+11")
        );
        assert_eq!(
            store.narrowest("AC1", Some("+21"), Some("+10")),
            Scope::To("+21")
        );
        assert_eq!(
            store.narrowest("AC1", None, Some("+10")),
            Scope::From("+10")
        );
        assert_eq!(store.narrowest("AC1", None, None), Scope::Account);
        // A number seen only as a sender has no messages addressed to it.
        assert_eq!(store.older_than("AC1", Scope::To("+11"), None).count(), 0);
        assert!(store.get(&sb).is_some());
        assert!(store.get(&format!("MM{}", &sb[2..])).is_none());
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

    /// A million messages: pages come out of the indexes in the right order and scope.
    /// Timing lives in `examples/list_bench.rs`, not here.
    #[test]
    fn a_million_messages_stay_ordered_and_scoped() {
        const TOTAL: i64 = 1_000_000;
        const CUSTOMERS: i64 = 1000;
        let mut store = Store::default();
        let t0 = Utc::now() - Duration::days(30);
        let senders = ["+14155550100", "+14155550101", "+14155550102"];
        let customers: Vec<String> = (0..CUSTOMERS).map(|c| format!("+1212555{c:04}")).collect();
        for i in 0..TOTAL {
            let customer = &customers[(i % CUSTOMERS) as usize];
            let sender = senders[(i % 3) as usize];
            // Each second holds two messages, so ties must be broken by insertion order.
            let t = t0 + Duration::seconds(i / 2);
            let m = if i % 2 == 0 {
                Message::inbound("AC1", customer, sender, "hi", t)
            } else {
                let mut m = Message::outbound("AC1", sender, customer, "hello", 0, t);
                m.date_sent = Some(t);
                m
            };
            store.insert(m);
        }
        assert_eq!(store.len(), TOTAL as usize);

        let page: Vec<&Message> = store
            .older_than("AC1", Scope::Account, None)
            .take(50)
            .collect();
        assert_eq!(page.len(), 50);
        assert!(page
            .windows(2)
            .all(|w| w[0].date_created >= w[1].date_created));
        // The newest message is the last inserted one: an outbound from senders[(TOTAL-1) % 3].
        assert_eq!(&*page[0].from, senders[((TOTAL - 1) % 3) as usize]);
        assert_eq!(page[0].body, "hello");
        assert_eq!(page[1].body, "hi");

        let customer = &customers[7];
        let to_customer: Vec<&Message> = store
            .older_than("AC1", Scope::To(customer), None)
            .take(50)
            .collect();
        assert_eq!(to_customer.len(), 50);
        assert!(to_customer.iter().all(|m| &*m.to == customer.as_str()));
        assert!(to_customer
            .windows(2)
            .all(|w| w[0].date_created > w[1].date_created));
        // Customer 7 only ever gets odd-numbered (outbound) messages: one per thousand.
        assert_eq!(
            store.older_than("AC1", Scope::To(customer), None).count(),
            1000
        );

        let from_sender: Vec<&Message> = store
            .older_than("AC1", Scope::From(senders[1]), None)
            .take(50)
            .collect();
        assert!(from_sender.iter().all(|m| &*m.from == senders[1]));

        // Paging deep into the account: the page after an anchor continues without a gap.
        let anchor_sid = page[49].sid.clone();
        let anchor = store.key_of("AC1", &anchor_sid);
        let next: Vec<&Message> = anchor
            .into_iter()
            .flat_map(|a| store.older_than("AC1", Scope::Account, Some(a)))
            .take(50)
            .collect();
        let all: Vec<&Message> = store
            .older_than("AC1", Scope::Account, None)
            .take(100)
            .collect();
        assert_eq!(sids(next.into_iter()), sids(all[50..].iter().copied()));
        let oldest = store.older_than("AC1", Scope::Account, None).last();
        assert_eq!(oldest.map(|m| m.date_created), Some(t0));
    }
}
