//! Create-message validation in Twilio's order, including the test-credential magic numbers.

use crate::config::AccountConfig;
use crate::errors::ApiError;
use crate::scenario::DeliveryError;
use crate::store::Store;

/// Twilio's documented maximum body length.
const MAX_BODY_CHARS: usize = 1600;
/// Twilio's documented maximum number of `MediaUrl` values.
const MAX_MEDIA: usize = 10;
/// The magic sender that always succeeds, for every account.
pub(crate) const MAGIC_OK_FROM: &str = "+15005550006";
/// Recipient problems a Messaging Service reports on the message instead of on the request.
const DEFERRABLE: [u32; 3] = [21610, 21612, 21614];

/// The create parameters the simulator looks at; everything else Twilio accepts is ignored.
#[derive(Debug, Default)]
pub(crate) struct CreateForm {
    pub to: Option<String>,
    pub from: Option<String>,
    pub messaging_service_sid: Option<String>,
    pub body: Option<String>,
    pub media_urls: Vec<String>,
}

impl CreateForm {
    /// Parses an `application/x-www-form-urlencoded` body; the first of repeated scalar keys wins.
    pub fn parse(raw: &[u8]) -> Self {
        let mut form = Self::default();
        for (key, value) in form_urlencoded::parse(raw) {
            let slot = match key.as_ref() {
                "To" => &mut form.to,
                "From" => &mut form.from,
                "MessagingServiceSid" => &mut form.messaging_service_sid,
                "Body" => &mut form.body,
                "MediaUrl" => {
                    form.media_urls.push(value.into_owned());
                    continue;
                }
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(value.into_owned());
            }
        }
        form
    }
}

/// A create request that passed validation.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Accepted {
    pub to: String,
    pub from: String,
    pub body: String,
    pub num_media: usize,
    /// A recipient problem to report later as a `failed` message (Messaging Service style).
    pub deferred: Option<DeliveryError>,
}

/// With `defer` on, a deferrable refusal becomes the message's later failure (the first wins).
fn deferrable(
    check: Result<(), ApiError>,
    defer: bool,
    deferred: &mut Option<DeliveryError>,
) -> Result<(), ApiError> {
    match check {
        Err(error) if defer && DEFERRABLE.contains(&error.code) => {
            deferred.get_or_insert(DeliveryError {
                code: error.code,
                message: error.message,
            });
            Ok(())
        }
        other => other,
    }
}

/// Applies Twilio's checks in the order Twilio reports them; the first failure wins.
///
/// `messaging_service` accepts opted-out, unreachable and non-mobile recipients and returns
/// their error as [`Accepted::deferred`] instead.
pub(crate) fn validate(
    account: &AccountConfig,
    form: &CreateForm,
    store: &Store,
    messaging_service: bool,
) -> Result<Accepted, ApiError> {
    let mut deferred = None;
    let present = |v: &Option<String>| v.as_deref().filter(|s| !s.is_empty()).map(str::to_owned);
    let to = present(&form.to)
        .ok_or_else(|| ApiError::bad_request(21604, "A 'To' phone number is required."))?;
    let from = match (present(&form.from), present(&form.messaging_service_sid)) {
        (Some(from), _) => from,
        (None, Some(service)) => {
            // No Messaging Services exist in the simulator, so any service SID is unknown.
            return Err(ApiError::bad_request(
                21701,
                format!("The Messaging Service Sid {service} is invalid."),
            ));
        }
        (None, None) => {
            return Err(ApiError::bad_request(
                21603,
                "A 'From' phone number is required.",
            ))
        }
    };
    let body = form.body.clone().unwrap_or_default();
    if body.is_empty() && form.media_urls.is_empty() {
        return Err(ApiError::bad_request(21602, "Message body is required."));
    }
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(ApiError::bad_request(
            21617,
            "The concatenated message body exceeds the 1600 character limit.",
        ));
    }
    if form.media_urls.len() > MAX_MEDIA {
        return Err(ApiError::bad_request(
            21623,
            "The number of media URLs exceeds the limit of 10.",
        ));
    }
    if let Some(bad) = form.media_urls.iter().find(|u| !is_http_url(u)) {
        return Err(ApiError::bad_request(
            21620,
            format!("Media URL {bad} is not a valid HTTP or HTTPS URL."),
        ));
    }

    magic_from(&from)?;
    deferrable(magic_to(&to, &from), messaging_service, &mut deferred)?;

    if !is_e164(&to) {
        return Err(invalid_to(&to));
    }
    if !is_e164(&from) {
        return Err(invalid_from(&from));
    }
    if to == from {
        return Err(ApiError::bad_request(
            21266,
            format!("'To' and 'From' number cannot be the same: {to}"),
        ));
    }
    if from != MAGIC_OK_FROM && !account.numbers.contains(&from) {
        return Err(not_owned(&from));
    }
    if store.is_opted_out(&account.sid, &to, &from) {
        deferrable(Err(opted_out()), messaging_service, &mut deferred)?;
    }
    Ok(Accepted {
        to,
        from,
        body,
        num_media: form.media_urls.len(),
        deferred,
    })
}

fn magic_from(from: &str) -> Result<(), ApiError> {
    match from {
        "+15005550001" => Err(invalid_from(from)),
        "+15005550007" => Err(not_owned(from)),
        "+15005550008" => Err(ApiError::queue_full()),
        _ => Ok(()),
    }
}

fn magic_to(to: &str, from: &str) -> Result<(), ApiError> {
    match to {
        "+15005550001" => Err(invalid_to(to)),
        "+15005550002" => Err(ApiError::bad_request(
            21612,
            format!(
                "The 'To' phone number: {to}, is not currently reachable using the 'From' phone number: {from} via SMS."
            ),
        )),
        "+15005550003" => Err(ApiError::bad_request(
            21408,
            format!(
                "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: {to}."
            ),
        )),
        "+15005550004" => Err(opted_out()),
        "+15005550009" => Err(ApiError::bad_request(
            21614,
            format!("'To' number {to} is not a valid mobile number."),
        )),
        _ => Ok(()),
    }
}

fn invalid_to(to: &str) -> ApiError {
    ApiError::bad_request(
        21211,
        format!("The 'To' number {to} is not a valid phone number."),
    )
}

fn invalid_from(from: &str) -> ApiError {
    ApiError::bad_request(
        21212,
        format!("The 'From' number {from} is not a valid phone number, shortcode, or alphanumeric sender ID."),
    )
}

fn not_owned(from: &str) -> ApiError {
    ApiError::bad_request(
        21606,
        format!("The 'From' phone number provided ({from}) is not a valid message-capable Twilio phone number for this destination."),
    )
}

fn opted_out() -> ApiError {
    ApiError::bad_request(21610, "Attempt to send to unsubscribed recipient")
}

/// E.164: `+`, a non-zero leading digit, 7 to 15 digits in all.
pub(crate) fn is_e164(number: &str) -> bool {
    let Some(digits) = number.strip_prefix('+') else {
        return false;
    };
    (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

fn is_http_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    matches!(rest, Some(r) if !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> AccountConfig {
        AccountConfig {
            sid: "AC00000000000000000000000000000001".into(),
            auth_token: "t".into(),
            api_keys: vec![],
            numbers: vec!["+14155550100".into()],
        }
    }

    fn code(form: &str) -> Option<u32> {
        validate(
            &account(),
            &CreateForm::parse(form.as_bytes()),
            &Store::default(),
            false,
        )
        .err()
        .map(|e| e.code)
    }

    #[test]
    fn messaging_service_defers_recipient_problems_only() {
        let run = |to: &str, from: &str| {
            let form = format!("To={to}&From={from}&Body=x").replace('+', "%2B");
            validate(
                &account(),
                &CreateForm::parse(form.as_bytes()),
                &Store::default(),
                true,
            )
            .map(|a| a.deferred.map(|d| d.code))
            .map_err(|e| e.code)
        };
        assert_eq!(run("+15005550004", "+14155550100"), Ok(Some(21610)));
        assert_eq!(run("+15005550002", "+14155550100"), Ok(Some(21612)));
        assert_eq!(run("+15005550009", "+14155550100"), Ok(Some(21614)));
        assert_eq!(run("+15005550003", "+14155550100"), Err(21408));
        assert_eq!(run("+15005550004", "+14155550999"), Err(21606));
        assert_eq!(run("+14155550199", "+14155550100"), Ok(None));
    }

    #[test]
    fn e164() {
        assert!(is_e164("+14155550100"));
        assert!(is_e164("+4930123"));
        assert!(!is_e164("14155550100"));
        assert!(!is_e164("+04155550100"));
        assert!(!is_e164("+1415555010012345"));
        assert!(!is_e164("+141555"));
        assert!(!is_e164("+1415555a100"));
    }

    #[test]
    fn order_of_checks() {
        assert_eq!(code("From=%2B14155550100&Body=x"), Some(21604));
        assert_eq!(code("To=%2B14155550199&Body=x"), Some(21603));
        assert_eq!(code("To=%2B14155550199&From=%2B14155550100"), Some(21602));
        assert_eq!(
            code("To=%2B14155550199&From=%2B14155550100&Body="),
            Some(21602)
        );
        let long = "a".repeat(1601);
        assert_eq!(
            code(&format!(
                "To=%2B14155550199&From=%2B14155550100&Body={long}"
            )),
            Some(21617)
        );
        let many = "&MediaUrl=https://x.test/a".repeat(11);
        assert_eq!(
            code(&format!("To=%2B14155550199&From=%2B14155550100{many}")),
            Some(21623)
        );
        assert_eq!(
            code("To=%2B14155550199&From=%2B14155550100&MediaUrl=ftp://x.test/a"),
            Some(21620)
        );
        assert_eq!(
            code("To=5551234567&From=%2B14155550100&Body=x"),
            Some(21211)
        );
        assert_eq!(code("To=%2B14155550199&From=abc&Body=x"), Some(21212));
        assert_eq!(
            code("To=%2B14155550100&From=%2B14155550100&Body=x"),
            Some(21266)
        );
        assert_eq!(
            code("To=%2B14155550199&From=%2B14155550999&Body=x"),
            Some(21606)
        );
        assert_eq!(code("To=%2B14155550199&From=%2B15005550006&Body=x"), None);
        assert_eq!(
            code("To=%2B14155550199&MediaUrl=http://x.test/a.png&From=%2B14155550100"),
            None
        );
    }

    #[test]
    fn raw_plus_decodes_to_space_and_is_rejected_like_twilio() {
        assert_eq!(
            code("To=+14155550199&From=%2B14155550100&Body=x"),
            Some(21211)
        );
    }

    #[test]
    fn media_url_check() {
        assert!(is_http_url("https://example.com/a.png"));
        assert!(is_http_url("HTTP://example.com"));
        assert!(!is_http_url("https://"));
        assert!(!is_http_url("file:///etc/passwd"));
        assert!(!is_http_url("example.com/a.png"));
    }
}
