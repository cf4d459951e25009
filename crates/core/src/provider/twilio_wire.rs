//! Twilio's JSON shapes (API 2010-04-01), and their mapping into the provider types.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{ProviderError, ProviderMessage};
use crate::domain::{Direction, MessageStatus};

/// The message resource. Fields we don't read are ignored; missing optional ones default.
#[derive(Debug, Deserialize)]
pub(super) struct TwilioMessage {
    sid: String,
    #[serde(default)]
    from: Option<String>,
    to: String,
    #[serde(default)]
    body: Option<String>,
    status: String,
    direction: String,
    #[serde(default)]
    num_segments: Option<serde_json::Value>,
    #[serde(default)]
    price: Option<String>,
    #[serde(default)]
    price_unit: Option<String>,
    #[serde(default)]
    error_code: Option<serde_json::Value>,
    #[serde(default)]
    error_message: Option<String>,
    #[serde(default)]
    date_created: Option<String>,
    #[serde(default)]
    date_sent: Option<String>,
    #[serde(default)]
    date_updated: Option<String>,
}

/// Fields of the message resource (spec `api.v2010.account.message`) that we read nowhere;
/// anything outside this list and the fields above is new to this version and gets logged.
/// (Found with `serde_ignored` rather than a flattened catch-all map, which makes serde buffer
/// every message before reading it: a third of the history load's time went to that.)
const IGNORED_FIELDS: [&str; 6] = [
    "account_sid",
    "api_version",
    "messaging_service_sid",
    "num_media",
    "subresource_uris",
    "uri",
];

/// Keeps a path `serde_ignored` reports for [`unknown_message_fields`], unless it ends in one
/// of [`IGNORED_FIELDS`]: a listed page has six of those per message, and writing each path out
/// cost a few percent of a history load.
pub(super) fn keep_ignored(ignored: &mut Vec<String>, path: serde_ignored::Path<'_>) {
    if let serde_ignored::Path::Map { key, .. } = &path {
        if IGNORED_FIELDS.contains(&key.as_str()) {
            return;
        }
    }
    ignored.push(path.to_string());
}

/// Fields of a message resource that this version does not know, from the paths
/// `serde_ignored` reports for a response (`messages.3.brand_new_field`, `brand_new_field`);
/// the page's own fields (`next_page_uri`, `page`…) are not a message's.
pub(super) fn unknown_message_fields(ignored: &[String], listing: bool) -> Vec<&str> {
    let mut unknown: Vec<&str> = ignored
        .iter()
        .filter_map(|path| {
            let mut parts = path.split('.');
            let field = if listing {
                match (parts.next(), parts.next(), parts.next(), parts.next()) {
                    (Some("messages"), Some(_), Some(field), None) => field,
                    _ => return None,
                }
            } else {
                match (parts.next(), parts.next()) {
                    (Some(field), None) => field,
                    _ => return None,
                }
            };
            (!IGNORED_FIELDS.contains(&field)).then_some(field)
        })
        .collect();
    unknown.sort_unstable();
    unknown.dedup();
    unknown
}

/// A page of the message list.
#[derive(Debug, Deserialize)]
pub(super) struct TwilioPage {
    pub messages: Vec<TwilioMessage>,
    #[serde(default)]
    pub next_page_uri: Option<String>,
}

/// A page of `IncomingPhoneNumbers`.
#[derive(Debug, Deserialize)]
pub(super) struct TwilioNumberPage {
    pub incoming_phone_numbers: Vec<TwilioNumber>,
    #[serde(default)]
    pub next_page_uri: Option<String>,
}

/// One of the account's numbers.
#[derive(Debug, Deserialize)]
pub(super) struct TwilioNumber {
    phone_number: String,
    #[serde(default)]
    friendly_name: Option<String>,
    #[serde(default)]
    capabilities: Option<TwilioCapabilities>,
}

#[derive(Debug, Deserialize)]
struct TwilioCapabilities {
    #[serde(default, alias = "SMS")]
    sms: Option<bool>,
}

impl From<TwilioNumber> for super::AccountNumber {
    fn from(n: TwilioNumber) -> Self {
        Self {
            sms: n.capabilities.and_then(|c| c.sms).unwrap_or(false),
            number: n.phone_number,
            friendly_name: n.friendly_name.filter(|f| !f.is_empty()),
        }
    }
}

/// Twilio's error body.
#[derive(Debug, Deserialize)]
pub(super) struct TwilioErrorBody {
    #[serde(default)]
    pub code: Option<serde_json::Value>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub more_info: Option<String>,
}

/// Twilio writes some numbers as strings and some as numbers; read either as text.
pub(super) fn value_as_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// Parses Twilio's RFC 2822 dates; anything else is treated as absent rather than fatal.
fn rfc2822(s: &Option<String>) -> Option<DateTime<Utc>> {
    s.as_deref()
        .and_then(|s| DateTime::parse_from_rfc2822(s).ok())
        .map(|d| d.with_timezone(&Utc))
}

impl TwilioMessage {
    /// Maps into the provider-neutral shape.
    pub fn into_provider(self) -> Result<ProviderMessage, ProviderError> {
        let direction = match self.direction.as_str() {
            "inbound" => Direction::Inbound,
            d if d.starts_with("outbound") => Direction::Outbound,
            other => {
                return Err(ProviderError::Malformed(format!(
                    "message {} has an unknown direction “{other}”",
                    self.sid
                )))
            }
        };
        let status = MessageStatus::from_twilio(&self.status);
        if status.is_none() {
            tracing::warn!(sid = %self.sid, status = %self.status, "unknown Twilio status kept as raw");
        }
        Ok(ProviderMessage {
            segments: self
                .num_segments
                .as_ref()
                .and_then(value_as_text)
                .and_then(|s| s.parse().ok()),
            error_code: self.error_code.as_ref().and_then(value_as_text),
            created_at: rfc2822(&self.date_created),
            sent_at: rfc2822(&self.date_sent),
            updated_at: rfc2822(&self.date_updated),
            sid: self.sid,
            from: self.from,
            to: self.to,
            body: self.body.unwrap_or_default(),
            direction,
            raw_status: self.status,
            status,
            error_message: self.error_message,
            price: self.price,
            price_unit: self.price_unit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_spec_example_shape() {
        let json = r#"{"account_sid":"ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","api_version":"2010-04-01",
            "body":"Hi","date_created":"Thu, 24 Aug 2023 05:01:45 +0000","date_sent":null,
            "date_updated":"Thu, 24 Aug 2023 05:01:45 +0000","direction":"outbound-api",
            "error_code":null,"error_message":null,"from":"+14155552345","messaging_service_sid":null,
            "num_media":"0","num_segments":"2","price":null,"price_unit":"USD",
            "sid":"SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","status":"queued","subresource_uris":{},
            "to":"+14155552346","uri":"/x.json","brand_new_field":1}"#;
        let mut ignored = Vec::new();
        let m: TwilioMessage =
            serde_ignored::deserialize(&mut serde_json::Deserializer::from_str(json), |p| {
                keep_ignored(&mut ignored, p)
            })
            .unwrap();
        // The known fields Twilio sends and we skip are not even written out.
        assert_eq!(ignored, ["brand_new_field"]);
        assert_eq!(unknown_message_fields(&ignored, false), ["brand_new_field"]);
        let m = m.into_provider().unwrap();
        assert_eq!(m.segments, Some(2));
        assert_eq!(m.status, Some(MessageStatus::Queued));
        assert_eq!(m.direction, Direction::Outbound);
        assert_eq!(
            m.created_at.unwrap().to_rfc3339(),
            "2023-08-24T05:01:45+00:00"
        );
        assert_eq!(m.sent_at, None);
    }

    #[test]
    fn a_page_names_only_its_messages_unknown_fields() {
        let json = r#"{"messages":[{"sid":"SM1","to":"+1","status":"sent","direction":"inbound",
            "uri":"/a","shiny":1},{"sid":"SM2","to":"+1","status":"sent","direction":"inbound",
            "shiny":2,"glossy":{"a":1}}],"next_page_uri":null,"page":0,"end":1}"#;
        let mut ignored = Vec::new();
        let page: TwilioPage =
            serde_ignored::deserialize(&mut serde_json::Deserializer::from_str(json), |p| {
                keep_ignored(&mut ignored, p)
            })
            .unwrap();
        assert_eq!(page.messages.len(), 2);
        assert_eq!(unknown_message_fields(&ignored, true), ["glossy", "shiny"]);
    }

    #[test]
    fn integer_error_code_becomes_text_and_unknown_status_is_kept() {
        let json = r#"{"sid":"SM1","to":"+1","status":"teleported","direction":"outbound-api",
            "error_code":30007,"error_message":"Filtered"}"#;
        let m: TwilioMessage = serde_json::from_str(json).unwrap();
        let m = m.into_provider().unwrap();
        assert_eq!(m.error_code.as_deref(), Some("30007"));
        assert_eq!(m.status, None);
        assert_eq!(m.raw_status, "teleported");
    }
}
