//! `IncomingPhoneNumbers`: the account's own numbers, so a client can offer them as senders.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::Json;
use serde::Serialize;

use crate::auth::authorize;
use crate::errors::ApiError;
use crate::server::Shared;
use crate::wire::rfc2822;

/// What a number can do.
#[derive(Debug, Serialize)]
struct Capabilities {
    voice: bool,
    sms: bool,
    mms: bool,
    fax: bool,
}

/// One number, with the fields of Twilio's `api.v2010.account.incoming_phone_number` a
/// messaging client reads.
#[derive(Debug, Serialize)]
struct NumberJson {
    sid: String,
    account_sid: String,
    phone_number: String,
    friendly_name: String,
    capabilities: Capabilities,
    status: &'static str,
    origin: &'static str,
    api_version: &'static str,
    date_created: String,
    date_updated: String,
    uri: String,
}

/// Twilio's `ListIncomingPhoneNumberResponse`; every number fits on the one page.
#[derive(Debug, Serialize)]
pub(crate) struct NumberPage {
    incoming_phone_numbers: Vec<NumberJson>,
    uri: String,
    first_page_uri: String,
    next_page_uri: Option<String>,
    previous_page_uri: Option<String>,
    page: u32,
    page_size: u32,
    start: u32,
    end: u32,
}

/// A stable `PN…` SID for a number, so the same number keeps its SID across runs.
fn number_sid(number: &str) -> String {
    // FNV-1a over the number, widened to 128 bits: stable and dependency-free.
    let mut h: u128 = 0x6c62272e07bb014262b821756295c58d;
    for b in number.bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0000000001000000000000000000013B);
    }
    format!("PN{h:032x}")
}

/// Twilio's way of writing a North American number for people; others stay E.164.
fn friendly(number: &str) -> String {
    match number.strip_prefix("+1") {
        Some(rest) if rest.len() == 10 => {
            format!("({}) {}-{}", &rest[..3], &rest[3..6], &rest[6..])
        }
        _ => number.to_string(),
    }
}

pub(crate) async fn list_numbers(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Json<NumberPage>, ApiError> {
    let Path(account_sid) = path.map_err(|_| ApiError::not_found(uri.path()))?;
    let account = authorize(&shared.config.accounts, &account_sid, &headers)?;
    let created = rfc2822(shared.started_at);
    let base = format!("/2010-04-01/Accounts/{account_sid}/IncomingPhoneNumbers");
    let numbers: Vec<NumberJson> = account
        .numbers
        .iter()
        .map(|n| {
            let sid = number_sid(n);
            NumberJson {
                uri: format!("{base}/{sid}.json"),
                sid,
                account_sid: account_sid.clone(),
                phone_number: n.clone(),
                friendly_name: friendly(n),
                capabilities: Capabilities {
                    voice: true,
                    sms: true,
                    mms: true,
                    fax: false,
                },
                status: "in-use",
                origin: "twilio",
                api_version: "2010-04-01",
                date_created: created.clone(),
                date_updated: created.clone(),
            }
        })
        .collect();
    let count = numbers.len() as u32;
    let first = format!("{base}.json?PageSize=50&Page=0");
    Ok(Json(NumberPage {
        incoming_phone_numbers: numbers,
        uri: first.clone(),
        first_page_uri: first,
        next_page_uri: None,
        previous_page_uri: None,
        page: 0,
        page_size: count.max(50),
        start: 0,
        end: count.saturating_sub(1),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sids_are_stable_and_well_formed() {
        let a = number_sid("+14155550100");
        assert_eq!(a, number_sid("+14155550100"));
        assert_ne!(a, number_sid("+14155550101"));
        assert!(a.len() == 34 && a[2..].chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn north_american_numbers_read_like_twilio_writes_them() {
        assert_eq!(friendly("+14155550100"), "(415) 555-0100");
        assert_eq!(friendly("+442079460958"), "+442079460958");
    }
}
