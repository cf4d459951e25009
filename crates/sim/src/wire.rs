//! JSON shapes exactly as Twilio's 2010-04-01 API serialises them.

use chrono::{DateTime, Datelike as _, Timelike as _, Utc};
use serde::Serialize;

use crate::state::Message;

/// Twilio's API version, used in paths and in every message's `api_version`.
pub(crate) const API_VERSION: &str = "2010-04-01";

/// `api.v2010.account.message`; every field is always present, nullable ones as `null`.
#[derive(Debug, Serialize)]
pub(crate) struct MessageJson {
    pub sid: String,
    pub account_sid: String,
    pub messaging_service_sid: Option<String>,
    pub from: Option<String>,
    pub to: String,
    pub body: String,
    pub status: &'static str,
    pub direction: &'static str,
    pub num_segments: String,
    pub num_media: String,
    pub price: Option<String>,
    pub price_unit: &'static str,
    pub error_code: Option<i64>,
    pub error_message: Option<String>,
    pub date_created: String,
    pub date_updated: String,
    pub date_sent: Option<String>,
    pub api_version: &'static str,
    pub uri: String,
    pub subresource_uris: SubresourceUris,
}

/// The `subresource_uris` map of a message.
#[derive(Debug, Serialize)]
pub(crate) struct SubresourceUris {
    pub media: String,
    pub feedback: String,
}

/// Inline `ListMessageResponse` of the list operation.
#[derive(Debug, Serialize)]
pub(crate) struct MessagePage {
    pub messages: Vec<MessageJson>,
    pub uri: String,
    pub first_page_uri: String,
    pub next_page_uri: Option<String>,
    pub previous_page_uri: Option<String>,
    pub page: u64,
    pub page_size: u64,
    pub start: u64,
    pub end: u64,
}

/// Path of the account's Messages collection, without the `.json` suffix.
pub(crate) fn messages_path(account_sid: &str) -> String {
    format!("/{API_VERSION}/Accounts/{account_sid}/Messages")
}

/// RFC 2822 in GMT with a zero-padded day, the form Twilio uses for every date field.
pub(crate) fn rfc2822(t: DateTime<Utc>) -> String {
    // Written out rather than through a `format` string, which chrono parses again for every
    // date (a history page has three thousand); chrono's own `to_rfc2822` does not pad the day.
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000",
        t.weekday(),
        t.day(),
        MONTHS[t.month0() as usize],
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

impl From<&Message> for MessageJson {
    fn from(m: &Message) -> Self {
        let base = format!("{}/{}", messages_path(&m.account_sid), m.sid);
        Self {
            sid: m.sid.clone(),
            account_sid: m.account_sid.to_string(),
            messaging_service_sid: None,
            from: Some(m.from.to_string()),
            to: m.to.to_string(),
            body: m.body.clone(),
            status: m.status.as_str(),
            direction: m.direction.as_str(),
            num_segments: m.num_segments.to_string(),
            num_media: m.num_media.to_string(),
            price: m.price(),
            price_unit: "USD",
            error_code: m.error.as_ref().map(|e| i64::from(e.code)),
            error_message: m.error.as_ref().map(|e| e.message.clone()),
            date_created: rfc2822(m.date_created),
            date_updated: rfc2822(m.date_updated),
            date_sent: m.date_sent.map(rfc2822),
            api_version: API_VERSION,
            uri: format!("{base}.json"),
            subresource_uris: SubresourceUris {
                media: format!("{base}/Media.json"),
                feedback: format!("{base}/Feedback.json"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    #[test]
    fn rfc2822_matches_twilio_examples() {
        let t = Utc.with_ymd_and_hms(2023, 8, 24, 5, 1, 45).single();
        assert_eq!(
            t.map(rfc2822).as_deref(),
            Some("Thu, 24 Aug 2023 05:01:45 +0000")
        );
        let t = Utc.with_ymd_and_hms(2019, 5, 3, 17, 44, 46).single();
        assert_eq!(
            t.map(rfc2822).as_deref(),
            Some("Fri, 03 May 2019 17:44:46 +0000")
        );
    }
}
