//! The list operation: filters, newest-first pages and SID-anchored page tokens.
//!
//! A `PA<sid>` token means "older than this message" and `PB<sid>` "newer than this message",
//! so messages arriving between two page requests never shift or duplicate items.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::errors::ApiError;
use crate::state::Message;
use crate::store::Store;
use crate::wire::{messages_path, MessageJson, MessagePage};

const DEFAULT_PAGE_SIZE: u64 = 50;
const MAX_PAGE_SIZE: u64 = 1000;

/// A date filter as sent (echoed verbatim in page URIs) and the GMT day it means.
#[derive(Debug, Clone)]
struct DayFilter {
    raw: String,
    day: NaiveDate,
}

#[derive(Debug, Clone)]
enum PageToken {
    /// Items older than this SID.
    After(String),
    /// Items newer than this SID.
    Before(String),
}

impl PageToken {
    fn parse(raw: &str) -> Result<Self, ApiError> {
        if let Some(sid) = raw.strip_prefix("PA") {
            Ok(Self::After(sid.to_owned()))
        } else if let Some(sid) = raw.strip_prefix("PB") {
            Ok(Self::Before(sid.to_owned()))
        } else {
            Err(ApiError::invalid_page_token())
        }
    }
}

/// Parsed query of a list request.
#[derive(Debug, Clone)]
pub(crate) struct ListQuery {
    to: Option<String>,
    from: Option<String>,
    date_sent: Option<DayFilter>,
    date_sent_before: Option<DayFilter>,
    date_sent_after: Option<DayFilter>,
    page_size: u64,
    page: u64,
    token: Option<(String, PageToken)>,
}

impl ListQuery {
    /// Parses the raw query string; unknown parameters are ignored as Twilio does.
    pub fn parse(query: &str) -> Result<Self, ApiError> {
        let mut q = ListQuery {
            to: None,
            from: None,
            date_sent: None,
            date_sent_before: None,
            date_sent_after: None,
            page_size: DEFAULT_PAGE_SIZE,
            page: 0,
            token: None,
        };
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            if value.is_empty() {
                continue;
            }
            let value = value.into_owned();
            match key.as_ref() {
                "To" => q.to = Some(value),
                "From" => q.from = Some(value),
                "DateSent" => q.date_sent = Some(day_filter("DateSent", value)?),
                "DateSent<" => q.date_sent_before = Some(day_filter("DateSent<", value)?),
                "DateSent>" => q.date_sent_after = Some(day_filter("DateSent>", value)?),
                "PageSize" => q.page_size = parse_page_size(&value)?,
                "Page" => {
                    q.page = value.parse().map_err(|_| {
                        ApiError::bad_request(20001, format!("Invalid Page: {value}"))
                    })?
                }
                "PageToken" => {
                    let token = PageToken::parse(&value)?;
                    q.token = Some((value, token));
                }
                _ => {}
            }
        }
        Ok(q)
    }

    fn matches(&self, m: &Message) -> bool {
        if self.to.as_ref().is_some_and(|to| **to != *m.to) {
            return false;
        }
        if self.from.as_ref().is_some_and(|from| **from != *m.from) {
            return false;
        }
        let any_date = self.date_sent.is_some()
            || self.date_sent_before.is_some()
            || self.date_sent_after.is_some();
        if !any_date {
            return true;
        }
        // A message that has not been sent yet has no date_sent, so no date filter can match it.
        let Some(day) = m.date_sent.map(|d| d.date_naive()) else {
            return false;
        };
        self.date_sent.as_ref().is_none_or(|f| day == f.day)
            && self.date_sent_before.as_ref().is_none_or(|f| day <= f.day)
            && self.date_sent_after.as_ref().is_none_or(|f| day >= f.day)
    }

    /// A page URI relative to the host, keeping every filter as the client sent it.
    fn uri(&self, account_sid: &str, page: u64, token: Option<&str>) -> String {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        let filters = [
            ("To", self.to.as_deref()),
            ("From", self.from.as_deref()),
            ("DateSent", self.date_sent.as_ref().map(|f| f.raw.as_str())),
            (
                "DateSent<",
                self.date_sent_before.as_ref().map(|f| f.raw.as_str()),
            ),
            (
                "DateSent>",
                self.date_sent_after.as_ref().map(|f| f.raw.as_str()),
            ),
        ];
        for (name, value) in filters {
            if let Some(value) = value {
                ser.append_pair(name, value);
            }
        }
        ser.append_pair("PageSize", &self.page_size.to_string());
        ser.append_pair("Page", &page.to_string());
        if let Some(token) = token {
            ser.append_pair("PageToken", token);
        }
        format!("{}.json?{}", messages_path(account_sid), ser.finish())
    }
}

fn parse_page_size(value: &str) -> Result<u64, ApiError> {
    value
        .parse::<u64>()
        .ok()
        .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
        .ok_or_else(|| {
            ApiError::bad_request(
                20001,
                format!(
                    "Invalid PageSize: {value}. PageSize must be between 1 and {MAX_PAGE_SIZE}."
                ),
            )
        })
}

fn day_filter(name: &str, raw: String) -> Result<DayFilter, ApiError> {
    match parse_day(&raw) {
        Some(day) => Ok(DayFilter { raw, day }),
        None => Err(ApiError::bad_request(
            20001,
            format!("Invalid {name}: {raw}. Use a date in the form YYYY-MM-DD."),
        )),
    }
}

/// The GMT day of a documented `YYYY-MM-DD` value, or of a full timestamp (which Twilio accepts).
fn parse_day(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    if let Ok(day) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        return Some(day);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc).date_naive());
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(raw) {
        return Some(t.with_timezone(&Utc).date_naive());
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|fmt| NaiveDateTime::parse_from_str(raw, fmt).ok())
        .map(|t| t.date())
}

/// Builds one page of the account's messages, newest first.
pub(crate) fn list_page(
    store: &Store,
    account_sid: &str,
    q: &ListQuery,
) -> Result<MessagePage, ApiError> {
    let size = usize::try_from(q.page_size).unwrap_or(usize::MAX);
    // `matches` still checks every filter, whichever index is walked.
    let scope = store.narrowest(account_sid, q.to.as_deref(), q.from.as_deref());
    let anchor = |sid: &str| {
        store
            .key_of(account_sid, sid)
            .ok_or_else(ApiError::invalid_page_token)
    };
    // One item more than the page tells whether an older page exists without a second walk.
    let (items, has_older): (Vec<&Message>, bool) = match &q.token {
        Some((_, PageToken::After(sid))) => {
            let key = anchor(sid)?;
            one_more(
                store
                    .older_than(account_sid, scope, Some(key))
                    .filter(|m| q.matches(m)),
                size,
            )
        }
        Some((_, PageToken::Before(sid))) => {
            let key = anchor(sid)?;
            let mut newer: Vec<&Message> = store
                .newer_than(account_sid, scope, key)
                .filter(|m| q.matches(m))
                .take(size)
                .collect();
            newer.reverse();
            // This page ends just before the anchor, which is older than all of it.
            (newer, true)
        }
        None => {
            // Without a token, Page is an offset, as for a client that builds its own URIs.
            let offset = usize::try_from(q.page.saturating_mul(q.page_size)).unwrap_or(usize::MAX);
            one_more(
                store
                    .older_than(account_sid, scope, None)
                    .filter(|m| q.matches(m))
                    .skip(offset),
                size,
            )
        }
    };

    let next_page_uri = match (has_older, items.last()) {
        (true, Some(last)) => Some(q.uri(
            account_sid,
            q.page.saturating_add(1),
            Some(&format!("PA{}", last.sid)),
        )),
        _ => None,
    };
    let previous_page_uri = match (q.page, items.first()) {
        (1.., Some(first)) => {
            Some(q.uri(account_sid, q.page - 1, Some(&format!("PB{}", first.sid))))
        }
        _ => None,
    };
    let start = q.page.saturating_mul(q.page_size);
    let count = items.len() as u64;
    Ok(MessagePage {
        uri: q.uri(
            account_sid,
            q.page,
            q.token.as_ref().map(|(raw, _)| raw.as_str()),
        ),
        first_page_uri: q.uri(account_sid, 0, None),
        next_page_uri,
        previous_page_uri,
        page: q.page,
        page_size: q.page_size,
        start,
        end: start.saturating_add(count.saturating_sub(1)),
        messages: items.into_iter().map(MessageJson::from).collect(),
    })
}

/// Up to `size` items, and whether there was at least one more.
fn one_more<'a>(items: impl Iterator<Item = &'a Message>, size: usize) -> (Vec<&'a Message>, bool) {
    let mut page: Vec<&Message> = items.take(size.saturating_add(1)).collect();
    let more = page.len() > size;
    page.truncate(size);
    (page, more)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_formats() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 5);
        assert_eq!(parse_day("2024-03-05"), d);
        assert_eq!(parse_day("2024-03-05T23:59:59Z"), d);
        assert_eq!(
            parse_day("2024-03-05T20:00:00-05:00"),
            NaiveDate::from_ymd_opt(2024, 3, 6)
        );
        assert_eq!(parse_day("2024-03-05 10:00:00.000"), d);
        assert_eq!(parse_day("Tue, 05 Mar 2024 10:00:00 +0000"), d);
        assert_eq!(parse_day("yesterday"), None);
    }

    #[test]
    fn query_parsing_and_uri_round_trip() {
        let q = ListQuery::parse("To=%2B1555&DateSent%3E=2024-03-05&PageSize=2&Page=0&Foo=bar")
            .map_err(|e| e.code);
        let q = match q {
            Ok(q) => q,
            Err(code) => panic!("parse failed with {code}"),
        };
        assert_eq!(q.page_size, 2);
        assert_eq!(
            q.uri("AC1", 1, Some("PASM1")),
            "/2010-04-01/Accounts/AC1/Messages.json?To=%2B1555&DateSent%3E=2024-03-05&PageSize=2&Page=1&PageToken=PASM1"
        );
    }

    #[test]
    fn bad_values_are_twilio_errors() {
        let code = |s: &str| ListQuery::parse(s).err().map(|e| e.code);
        assert_eq!(code("PageSize=0"), Some(20001));
        assert_eq!(code("PageSize=1001"), Some(20001));
        assert_eq!(code("PageSize=abc"), Some(20001));
        assert_eq!(code("PageSize=1000"), None);
        assert_eq!(code("Page=-1"), Some(20001));
        assert_eq!(code("PageToken=XX123"), Some(21481));
        assert_eq!(code("DateSent=soon"), Some(20001));
    }
}
