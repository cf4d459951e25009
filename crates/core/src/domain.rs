//! The product's vocabulary: statuses, directions, messages and conversations as the core sees them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which way a message travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From a customer to one of our numbers.
    Inbound,
    /// From one of our numbers to a customer.
    Outbound,
}

impl Direction {
    /// The text stored in SQLite.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "inbound" => Some(Direction::Inbound),
            "outbound" => Some(Direction::Outbound),
            _ => None,
        }
    }
}

/// A message's delivery state, one set for every provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    /// Written locally; the provider has not accepted it yet.
    Pending,
    /// The provider accepted it and holds it in its queue.
    Queued,
    /// The provider is handing it to a carrier.
    Sending,
    /// A carrier took it; no delivery receipt yet.
    Sent,
    /// A carrier took it and never sent a receipt; we stopped waiting (final).
    SentNoReceipt,
    /// The carrier confirmed delivery.
    Delivered,
    /// The carrier reported it did not arrive.
    Undelivered,
    /// It never left: the provider rejected it or could not send it.
    Failed,
    /// An inbound message we have.
    Received,
    /// The recipient read it (channels with read receipts).
    Read,
    /// A scheduled message was cancelled before sending.
    Canceled,
}

impl MessageStatus {
    /// The text stored in SQLite.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Pending => "pending",
            MessageStatus::Queued => "queued",
            MessageStatus::Sending => "sending",
            MessageStatus::Sent => "sent",
            MessageStatus::SentNoReceipt => "sent_no_receipt",
            MessageStatus::Delivered => "delivered",
            MessageStatus::Undelivered => "undelivered",
            MessageStatus::Failed => "failed",
            MessageStatus::Received => "received",
            MessageStatus::Read => "read",
            MessageStatus::Canceled => "canceled",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => MessageStatus::Pending,
            "queued" => MessageStatus::Queued,
            "sending" => MessageStatus::Sending,
            "sent" => MessageStatus::Sent,
            "sent_no_receipt" => MessageStatus::SentNoReceipt,
            "delivered" => MessageStatus::Delivered,
            "undelivered" => MessageStatus::Undelivered,
            "failed" => MessageStatus::Failed,
            "received" => MessageStatus::Received,
            "read" => MessageStatus::Read,
            "canceled" => MessageStatus::Canceled,
            _ => return None,
        })
    }

    /// Maps a Twilio status string; `None` for a status we do not know (kept raw, not fatal).
    pub fn from_twilio(s: &str) -> Option<Self> {
        Some(match s {
            "accepted" | "queued" | "scheduled" => MessageStatus::Queued,
            "sending" => MessageStatus::Sending,
            "sent" => MessageStatus::Sent,
            "delivered" | "partially_delivered" => MessageStatus::Delivered,
            "undelivered" => MessageStatus::Undelivered,
            "failed" => MessageStatus::Failed,
            "receiving" | "received" => MessageStatus::Received,
            "read" => MessageStatus::Read,
            "canceled" => MessageStatus::Canceled,
            _ => return None,
        })
    }

    /// True when no later status change is expected, so the poller can stop asking.
    pub fn is_final(self) -> bool {
        !matches!(
            self,
            MessageStatus::Pending
                | MessageStatus::Queued
                | MessageStatus::Sending
                | MessageStatus::Sent
        )
    }

    /// Position in the lifecycle: a report may only move a message to a higher rank, since
    /// provider reports can arrive out of order. Every final status shares the top rank.
    pub fn rank(self) -> u8 {
        match self {
            MessageStatus::Pending => 0,
            MessageStatus::Queued => 1,
            MessageStatus::Sending => 2,
            MessageStatus::Sent => 3,
            _ => 4,
        }
    }

    /// True for the two failure outcomes.
    pub fn is_failure(self) -> bool {
        matches!(self, MessageStatus::Failed | MessageStatus::Undelivered)
    }
}

/// The character set a body is sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Encoding {
    /// The GSM 03.38 7-bit alphabet: 160 characters in one segment.
    #[serde(rename = "GSM-7")]
    Gsm7,
    /// 16-bit Unicode: 70 code units in one segment.
    #[serde(rename = "UCS-2")]
    Ucs2,
}

impl Encoding {
    /// The text stored in SQLite and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "GSM-7" => Some(Encoding::Gsm7),
            "UCS-2" => Some(Encoding::Ucs2),
            _ => None,
        }
    }
}

/// Whether a conversation needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationState {
    /// Someone should look at it.
    Open,
    /// Done; an inbound message reopens it.
    Closed,
}

impl ConversationState {
    /// The text stored in SQLite.
    pub fn as_str(self) -> &'static str {
        match self {
            ConversationState::Open => "open",
            ConversationState::Closed => "closed",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(ConversationState::Open),
            "closed" => Some(ConversationState::Closed),
            _ => None,
        }
    }
}

/// One message as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Local id.
    pub id: i64,
    /// The conversation it belongs to.
    pub conversation_id: i64,
    /// The provider's id, once known.
    pub sid: Option<String>,
    /// Which way it went.
    pub direction: Direction,
    /// Sender number.
    pub from: String,
    /// Recipient number.
    pub to: String,
    /// The text.
    pub body: String,
    /// Normalised status.
    pub status: MessageStatus,
    /// The provider's own status string.
    pub provider_status: Option<String>,
    /// The provider's error code, as text so any provider fits.
    pub error_code: Option<String>,
    /// The provider's error message.
    pub error_message: Option<String>,
    /// Number of SMS segments.
    pub segments: u32,
    /// Character set.
    pub encoding: Encoding,
    /// Team member who wrote it: their local id and name.
    pub author_id: Option<i64>,
    /// The author's name.
    pub author: Option<String>,
    /// When it was written (outbound) or received by the provider (inbound).
    pub created_at: DateTime<Utc>,
    /// When the provider handed it to a carrier.
    pub sent_at: Option<DateTime<Utc>>,
    /// When delivery was confirmed.
    pub delivered_at: Option<DateTime<Utc>>,
    /// When it last changed (for a failed message: when it failed).
    pub updated_at: DateTime<Utc>,
    /// The failed message this one resends.
    pub resend_of: Option<i64>,
    /// Media URLs sent with it.
    pub media: Vec<String>,
    /// The template it was written from.
    pub template_id: Option<i64>,
    /// For a failure someone set aside without resending: who, when and why.
    pub dismissal: Option<Dismissal>,
    /// Sent from outside Switchboard (the Twilio Console, another app, before the account was
    /// connected): its author is [`OUTSIDE_AUTHOR`], not a team member.
    pub outside: bool,
    /// How far this message's resend (if it was resent) has come.
    pub resend: Option<ResendStage>,
}

/// How far the resend of a failed message has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResendStage {
    /// Queued, waiting for a connection, being submitted, or with an unknown outcome: nothing
    /// went through yet.
    OnItsWay,
    /// The provider took it, or it failed too: it carries the failure on.
    TakenOver,
}

/// Where a failed message stands: the rule behind the Failed view, triage, the unresolved
/// count and `f`, as one message's thread shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureState {
    /// Waiting for someone to fix, resend or dismiss it.
    Open,
    /// Resent, and the resend has not gone through yet: still open, not to be resent again.
    ResendOnItsWay,
    /// Dealt with by its resend.
    Resent,
    /// Set aside with a reason.
    Dismissed,
}

impl Message {
    /// Where this message stands as a failure; `None` when it is not one.
    pub fn failure_state(&self) -> Option<FailureState> {
        let failed = self.direction == Direction::Outbound
            && matches!(
                self.status,
                MessageStatus::Failed | MessageStatus::Undelivered
            );
        if !failed {
            return None;
        }
        Some(match (self.resend, &self.dismissal) {
            (Some(ResendStage::TakenOver), _) => FailureState::Resent,
            (_, Some(_)) => FailureState::Dismissed,
            (Some(ResendStage::OnItsWay), None) => FailureState::ResendOnItsWay,
            (None, None) => FailureState::Open,
        })
    }
}

/// The author shown on a message sent from outside Switchboard.
pub const OUTSIDE_AUTHOR: &str = "Outside Switchboard";

/// A failure set aside with a reason (the customer was called instead, the number is gone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dismissal {
    /// When.
    pub at: DateTime<Utc>,
    /// The member's name, if one was chosen.
    pub by: Option<String>,
    /// Why, in their words.
    pub reason: String,
}

/// A conversation with what the list shows about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConversationSummary {
    /// Local id.
    pub id: i64,
    /// The customer's number.
    pub contact_number: String,
    /// The customer's name, if known.
    pub contact_name: Option<String>,
    /// Our number in this conversation.
    pub sender_number: String,
    /// The label of our number (a location, a team).
    pub sender_label: Option<String>,
    /// Open or closed.
    pub state: ConversationState,
    /// Inbound messages not yet seen.
    pub unread: u32,
    /// Time of the newest message.
    pub last_activity_at: DateTime<Utc>,
    /// The team member handling it.
    pub assignee_id: Option<i64>,
    /// A failed message in it has not been made good yet.
    pub failed: bool,
    /// The customer opted out.
    pub opted_out: bool,
    /// The newest message, if any.
    pub last_message: Option<LastMessage>,
}

/// An internal note in a thread: for the team only, never sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Local id.
    pub id: i64,
    /// Id that stays the same across databases.
    pub uid: String,
    /// The conversation it is in.
    pub conversation_id: i64,
    /// Who wrote it.
    pub author_id: Option<i64>,
    /// The text.
    pub body: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
}

/// What the conversation list shows of the newest message.
#[derive(Debug, Clone, PartialEq)]
pub struct LastMessage {
    /// The text.
    pub body: String,
    /// Which way it went.
    pub direction: Direction,
    /// Its status.
    pub status: MessageStatus,
    /// Sent from outside Switchboard.
    pub outside: bool,
}

/// One of our sender numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Sender {
    /// E.164 number.
    pub number: String,
    /// A label such as a location.
    pub label: Option<String>,
}

/// Milliseconds since the Unix epoch, the storage form of every time.
pub fn to_millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// The inverse of [`to_millis`]; out-of-range values clamp to the epoch rather than panic.
pub fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_twilio_status_of_the_spec_maps() {
        for s in [
            "queued",
            "sending",
            "sent",
            "failed",
            "delivered",
            "undelivered",
            "receiving",
            "received",
            "accepted",
            "scheduled",
            "read",
            "partially_delivered",
            "canceled",
        ] {
            assert!(MessageStatus::from_twilio(s).is_some(), "{s} unmapped");
        }
        assert_eq!(MessageStatus::from_twilio("something_new"), None);
    }

    #[test]
    fn stored_text_round_trips() {
        for s in [
            MessageStatus::Pending,
            MessageStatus::Queued,
            MessageStatus::Sending,
            MessageStatus::Sent,
            MessageStatus::SentNoReceipt,
            MessageStatus::Delivered,
            MessageStatus::Undelivered,
            MessageStatus::Failed,
            MessageStatus::Received,
            MessageStatus::Read,
            MessageStatus::Canceled,
        ] {
            assert_eq!(MessageStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn sent_is_not_final_but_failures_are() {
        assert!(!MessageStatus::Sent.is_final());
        assert!(MessageStatus::Undelivered.is_final());
        assert!(MessageStatus::Failed.is_final() && MessageStatus::Failed.is_failure());
        assert!(!MessageStatus::Delivered.is_failure());
    }
}
