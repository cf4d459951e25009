//! Talking to an SMS provider: the trait every provider implements, and Twilio's implementation.

mod error;
pub mod guard;
pub mod twilio;
mod twilio_wire;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

pub use error::ProviderError;

use crate::domain::{Direction, MessageStatus};

/// An outbound message as handed to a provider.
#[derive(Debug, Clone)]
pub struct OutboundRequest {
    /// Our local message id, carried into logs so a call can be traced to its message.
    pub reference: i64,
    /// Sender number (E.164).
    pub from: String,
    /// Recipient number (E.164).
    pub to: String,
    /// The text.
    pub body: String,
    /// Media URLs to attach.
    pub media: Vec<String>,
}

/// A message as a provider reports it, mapped to our vocabulary but keeping the raw values.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderMessage {
    /// The provider's id.
    pub sid: String,
    /// Sender; `None` while a messaging service has not picked one.
    pub from: Option<String>,
    /// Recipient.
    pub to: String,
    /// Text (may be empty when redacted).
    pub body: String,
    /// Which way it went.
    pub direction: Direction,
    /// The provider's status string, kept as is.
    pub raw_status: String,
    /// Our status, or `None` when the provider sent a status we don't know yet.
    pub status: Option<MessageStatus>,
    /// The provider's error code, if any.
    pub error_code: Option<String>,
    /// The provider's error message, if any.
    pub error_message: Option<String>,
    /// Segments as the provider counts them, when it says.
    pub segments: Option<u32>,
    /// Price as the provider formats it.
    pub price: Option<String>,
    /// Currency of the price.
    pub price_unit: Option<String>,
    /// When the provider created it.
    pub created_at: Option<DateTime<Utc>>,
    /// When it went to a carrier (for inbound: when it arrived).
    pub sent_at: Option<DateTime<Utc>>,
    /// When the provider last changed it.
    pub updated_at: Option<DateTime<Utc>>,
}

/// Filters for listing messages.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Only messages to this number.
    pub to: Option<String>,
    /// Only messages from this number.
    pub from: Option<String>,
    /// Only messages sent on or after this day (UTC); providers filter by whole days.
    pub sent_on_or_after: Option<NaiveDate>,
    /// Page size the provider should use.
    pub page_size: u32,
}

/// Where the next page starts, as the provider handed it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageCursor(pub String);

/// One page of a listing, newest first.
#[derive(Debug, Clone)]
pub struct MessagePage {
    /// The messages on this page.
    pub messages: Vec<ProviderMessage>,
    /// The next page, `None` on the last one.
    pub next: Option<PageCursor>,
}

/// One of the account's own phone numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountNumber {
    /// E.164 number.
    pub number: String,
    /// The name the account owner gave it at the provider.
    pub friendly_name: Option<String>,
    /// Whether it can send and receive SMS.
    pub sms: bool,
}

/// An SMS provider's Messages API.
#[async_trait]
pub trait Provider: Send + Sync {
    /// Creates (sends) a message. A create that got no answer is `ProviderError::NoAnswer`, never
    /// retried here: it may have been sent.
    async fn create(&self, request: &OutboundRequest) -> Result<ProviderMessage, ProviderError>;
    /// Fetches one message by its id.
    async fn fetch(&self, sid: &str) -> Result<ProviderMessage, ProviderError>;
    /// Lists messages, newest first; pass the previous page's cursor to continue.
    async fn list(
        &self,
        query: &ListQuery,
        cursor: Option<&PageCursor>,
    ) -> Result<MessagePage, ProviderError>;
    /// The account's own numbers, the candidates for sending.
    async fn list_numbers(&self) -> Result<Vec<AccountNumber>, ProviderError>;
}
