//! What a simulator instance knows at start-up: accounts, timing, scripted customers, history,
//! and the scenario.

use std::time::Duration;

use crate::scenario::Scenario;

/// Everything a simulator instance is started with.
#[derive(Debug, Clone, Default)]
pub struct SimConfig {
    /// Accounts that may authenticate and send.
    pub accounts: Vec<AccountConfig>,
    /// Delays of the outbound status steps.
    pub lifecycle: Lifecycle,
    /// Scripted recipients who answer outbound messages.
    pub customers: Vec<Customer>,
    /// Inbound messages that already exist when the simulator starts (history), each with an age.
    pub history: Vec<SeedMessage>,
    /// Pacing, delivery outcomes, Messaging-Service-style errors, extra customers and faults;
    /// the default is unthrottled with every message delivered.
    pub scenario: Scenario,
}

/// One Twilio account: its credentials and the sender numbers it owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountConfig {
    /// Account SID, `AC` + 32 hex chars.
    pub sid: String,
    /// Primary auth token (the Basic-auth password paired with the account SID).
    pub auth_token: String,
    /// API keys that may authenticate for this account.
    pub api_keys: Vec<ApiKey>,
    /// E.164 sender numbers the account owns.
    pub numbers: Vec<String>,
}

/// An API key (`SK…`) and its secret, usable instead of the account's auth token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// Key SID, `SK` + 32 hex chars.
    pub sid: String,
    /// Key secret.
    pub secret: String,
}

/// Delay of each outbound status step after the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifecycle {
    /// `queued` → `sending`.
    pub to_sending: Duration,
    /// `sending` → `sent`.
    pub to_sent: Duration,
    /// `sent` → `delivered`.
    pub to_delivered: Duration,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Self {
            to_sending: Duration::from_secs(1),
            to_sent: Duration::from_secs(1),
            to_delivered: Duration::from_secs(1),
        }
    }
}

impl Lifecycle {
    /// The same delay for every step.
    pub fn uniform(step: Duration) -> Self {
        Self {
            to_sending: step,
            to_sent: step,
            to_delivered: step,
        }
    }
}

/// A scripted recipient who replies to every delivered message with the next of its replies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// The customer's E.164 number.
    pub number: String,
    /// Display name (not part of the Twilio API; for demo seeding by the app).
    pub name: String,
    /// Reply bodies, used in turn and cycled.
    pub replies: Vec<String>,
    /// How long after delivery the reply arrives.
    pub reply_delay: Duration,
}

/// An inbound message that exists before the simulator starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedMessage {
    /// Account the message belongs to.
    pub account_sid: String,
    /// Sender (the customer).
    pub from: String,
    /// Recipient (one of the account's numbers).
    pub to: String,
    /// Message text.
    pub body: String,
    /// How long before start-up it was received.
    pub age: Duration,
}
