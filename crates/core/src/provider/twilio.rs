//! Twilio's Messages API over HTTPS with Basic auth.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use backon::{ExponentialBuilder, Retryable};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;

use super::twilio_wire::{
    keep_ignored, unknown_message_fields, value_as_text, TwilioErrorBody, TwilioMessage,
    TwilioNumberPage, TwilioPage,
};
use super::{
    AccountNumber, ListQuery, MessagePage, OutboundRequest, PageCursor, Provider, ProviderError,
    ProviderMessage,
};

/// Twilio's production API host.
pub const TWILIO_BASE_URL: &str = "https://api.twilio.com";

/// Which kind of credential authenticates the requests.
#[derive(Clone)]
pub struct TwilioCredentials {
    /// The account whose messages we handle (always in the URL path).
    pub account_sid: String,
    /// Basic-auth user: the Account SID again, or an API key SID (`SK…`).
    pub username: String,
    /// The Auth Token or the API key secret.
    pub secret: String,
}

impl std::fmt::Debug for TwilioCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret never reaches logs, even through a debug print.
        f.debug_struct("TwilioCredentials")
            .field("account_sid", &self.account_sid)
            .field("username", &self.username)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// A Twilio REST client.
#[derive(Debug, Clone)]
pub struct TwilioClient {
    http: reqwest::Client,
    base_url: String,
    credentials: TwilioCredentials,
    retry: RetryPolicy,
}

/// What a call is, for the log line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Create,
    Fetch,
    List,
    Numbers,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Fetch => "fetch",
            Op::List => "list",
            Op::Numbers => "numbers",
        }
    }
}

/// When and how often a failed call is tried again.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Retries after the first try.
    pub max_retries: usize,
    /// Delay before the first retry; it doubles each time, with jitter.
    pub min_delay: Duration,
    /// Upper bound of one delay.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            min_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(4),
        }
    }
}

/// Connect and whole-request time limits.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// Time to open the connection.
    pub connect: Duration,
    /// Time for the whole exchange.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(30),
        }
    }
}

/// Whether a failed call may be repeated as is. A 429 was never processed (Twilio's word), so
/// any call may be repeated after a pause; a 5xx only on reads, since a create may have
/// happened. Nothing else is repeated here: a create without an answer is the outbox's to
/// reconcile.
fn retryable(op: Op, e: &ProviderError) -> bool {
    match e {
        ProviderError::RateLimited { .. } => true,
        ProviderError::Server { .. } => !matches!(op, Op::Create),
        _ => false,
    }
}

impl TwilioClient {
    /// A client for `base_url` (Twilio's, or a compatible simulator's) with default timeouts
    /// and retries.
    pub fn new(base_url: &str, credentials: TwilioCredentials) -> Result<Self, ProviderError> {
        Self::with_policy(
            base_url,
            credentials,
            Timeouts::default(),
            RetryPolicy::default(),
        )
    }

    /// A client with chosen timeouts and retry policy.
    pub fn with_policy(
        base_url: &str,
        credentials: TwilioCredentials,
        timeouts: Timeouts,
        retry: RetryPolicy,
    ) -> Result<Self, ProviderError> {
        let http = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.request)
            .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ProviderError::Unreachable(e.to_string()))?;
        Ok(Self {
            http,
            base_url: base_url.trim_end_matches('/').to_string(),
            credentials,
            retry,
        })
    }

    fn messages_url(&self) -> String {
        format!(
            "{}/2010-04-01/Accounts/{}/Messages.json",
            self.base_url, self.credentials.account_sid
        )
    }

    fn request(&self, method: Method, url: &str) -> RequestBuilder {
        self.http
            .request(method, url)
            .basic_auth(&self.credentials.username, Some(&self.credentials.secret))
    }

    /// Sends (again, after a pause, when the failure is one that is safe to repeat), then
    /// turns the answer into a value or a typed error.
    async fn call<T: DeserializeOwned>(
        &self,
        op: Op,
        reference: &str,
        request: RequestBuilder,
    ) -> Result<T, ProviderError> {
        let backoff = ExponentialBuilder::default()
            .with_min_delay(self.retry.min_delay)
            .with_max_delay(self.retry.max_delay)
            .with_max_times(self.retry.max_retries)
            .with_jitter();
        let attempt = || async {
            let request = request
                .try_clone()
                .ok_or_else(|| ProviderError::Malformed("the request cannot be repeated".into()))?;
            self.logged(op, reference, request).await
        };
        attempt
            .retry(backoff)
            .when(|e| retryable(op, e))
            .notify(|e, pause| {
                tracing::info!(op = op.name(), message_ref = reference, error = %e, pause_ms = pause.as_millis() as u64, "retrying Twilio call");
            })
            .await
    }

    /// One exchange, logged with its reference, HTTP status, error code and duration.
    async fn logged<T: DeserializeOwned>(
        &self,
        op: Op,
        reference: &str,
        request: RequestBuilder,
    ) -> Result<T, ProviderError> {
        let started = Instant::now();
        let result = self.exchange(op, request).await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        let (http_status, error_code) = match &result {
            Ok((status, _)) => (Some(*status), None),
            Err(e) => (e.http_status(), Some(e.message_code())),
        };
        // Every call about a message (create, fetch) is logged at info, failures at warn; the
        // routine inbound listing, which runs every few seconds, at debug.
        macro_rules! record {
            ($level:expr) => {
                tracing::event!(
                    target: "switchboard::provider",
                    $level,
                    op = op.name(),
                    message_ref = reference,
                    http_status = http_status.unwrap_or(0),
                    error_code = error_code.as_deref().unwrap_or(""),
                    duration_ms = elapsed_ms,
                    "twilio call"
                )
            };
        }
        if error_code.is_some() {
            record!(tracing::Level::WARN);
        } else if matches!(op, Op::Create | Op::Fetch) {
            record!(tracing::Level::INFO);
        } else {
            record!(tracing::Level::DEBUG);
        }
        result.map(|(_, v)| v)
    }

    async fn exchange<T: DeserializeOwned>(
        &self,
        op: Op,
        request: RequestBuilder,
    ) -> Result<(u16, T), ProviderError> {
        let response = request.send().await.map_err(|e| transport_error(op, &e))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| transport_error(op, &e))?;
        if status.is_success() {
            let malformed = |e: serde_json::Error| {
                ProviderError::Malformed(format!("HTTP {}: {e}", status.as_u16()))
            };
            let mut ignored = Vec::new();
            let mut json = serde_json::Deserializer::from_slice(&bytes);
            let value =
                serde_ignored::deserialize(&mut json, |path| keep_ignored(&mut ignored, path))
                    .map_err(malformed)?;
            json.end().map_err(malformed)?;
            if matches!(op, Op::Create | Op::Fetch | Op::List) {
                let unknown = unknown_message_fields(&ignored, op == Op::List);
                if !unknown.is_empty() {
                    tracing::debug!(fields = ?unknown, "Twilio sent fields this version does not know");
                }
            }
            return Ok((status.as_u16(), value));
        }
        Err(error_from_body(status, &bytes))
    }
}

/// Classifies a transport failure. A create whose request may have left is ambiguous.
fn transport_error(op: Op, e: &reqwest::Error) -> ProviderError {
    if e.is_connect() || e.is_builder() {
        ProviderError::Unreachable(e.to_string())
    } else if matches!(op, Op::Create) {
        ProviderError::NoAnswer(e.to_string())
    } else {
        ProviderError::Unreachable(e.to_string())
    }
}

/// Turns a non-2xx answer into the typed error, reading Twilio's error body when present.
fn error_from_body(status: StatusCode, bytes: &[u8]) -> ProviderError {
    let body: Option<TwilioErrorBody> = serde_json::from_slice(bytes).ok();
    let code = body
        .as_ref()
        .and_then(|b| b.code.as_ref())
        .and_then(value_as_text);
    let message = body
        .as_ref()
        .and_then(|b| b.message.clone())
        .unwrap_or_else(|| format!("HTTP {status}"));
    let http_status = status.as_u16();
    match status.as_u16() {
        401 | 403 => ProviderError::Authentication {
            http_status,
            code: code.unwrap_or_else(|| "20003".into()),
            message,
        },
        429 => ProviderError::RateLimited {
            code: code.unwrap_or_else(|| "20429".into()),
        },
        500..=599 => ProviderError::Server { http_status, code },
        _ => match code {
            Some(code) => ProviderError::Rejected {
                http_status,
                code,
                message,
                more_info: body.and_then(|b| b.more_info),
            },
            // A refusal without Twilio's error body (a proxy, a wrong base URL): still a
            // refusal, so nothing was processed.
            None => ProviderError::Rejected {
                http_status,
                code: "provider_malformed".into(),
                message: format!("HTTP {status} without a Twilio error body"),
                more_info: None,
            },
        },
    }
}

#[async_trait]
impl Provider for TwilioClient {
    async fn create(&self, request: &OutboundRequest) -> Result<ProviderMessage, ProviderError> {
        let mut form: Vec<(&str, &str)> = vec![
            ("To", &request.to),
            ("From", &request.from),
            ("Body", &request.body),
        ];
        // Twilio takes several media URLs as repeated keys.
        form.extend(request.media.iter().map(|m| ("MediaUrl", m.as_str())));
        let builder = self.request(Method::POST, &self.messages_url()).form(&form);
        let message: TwilioMessage = self
            .call(Op::Create, &request.reference.to_string(), builder)
            .await?;
        message.into_provider()
    }

    async fn fetch(&self, sid: &str) -> Result<ProviderMessage, ProviderError> {
        let url = format!(
            "{}/2010-04-01/Accounts/{}/Messages/{}.json",
            self.base_url, self.credentials.account_sid, sid
        );
        let message: TwilioMessage = self
            .call(Op::Fetch, sid, self.request(Method::GET, &url))
            .await?;
        message.into_provider()
    }

    async fn list(
        &self,
        query: &ListQuery,
        cursor: Option<&PageCursor>,
    ) -> Result<MessagePage, ProviderError> {
        let builder = match cursor {
            // Twilio's next_page_uri already carries every filter and the page token.
            Some(PageCursor(uri)) => {
                self.request(Method::GET, &format!("{}{}", self.base_url, uri))
            }
            None => {
                let mut params: Vec<(&str, String)> =
                    vec![("PageSize", query.page_size.clamp(1, 1000).to_string())];
                if let Some(to) = &query.to {
                    params.push(("To", to.clone()));
                }
                if let Some(from) = &query.from {
                    params.push(("From", from.clone()));
                }
                if let Some(day) = query.sent_on_or_after {
                    params.push(("DateSent>", day.format("%Y-%m-%d").to_string()));
                }
                self.request(Method::GET, &self.messages_url())
                    .query(&params)
            }
        };
        let page: TwilioPage = self.call(Op::List, "-", builder).await?;
        let messages = page
            .messages
            .into_iter()
            .map(TwilioMessage::into_provider)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(MessagePage {
            messages,
            next: page.next_page_uri.filter(|u| !u.is_empty()).map(PageCursor),
        })
    }

    async fn list_numbers(&self) -> Result<Vec<AccountNumber>, ProviderError> {
        let mut url = format!(
            "{}/2010-04-01/Accounts/{}/IncomingPhoneNumbers.json?PageSize=1000",
            self.base_url, self.credentials.account_sid
        );
        let mut numbers = Vec::new();
        for _ in 0..MAX_NUMBER_PAGES {
            let page: TwilioNumberPage = self
                .call(Op::Numbers, "-", self.request(Method::GET, &url))
                .await?;
            numbers.extend(
                page.incoming_phone_numbers
                    .into_iter()
                    .map(AccountNumber::from),
            );
            match page.next_page_uri.filter(|u| !u.is_empty()) {
                Some(next) => url = format!("{}{}", self.base_url, next),
                None => break,
            }
        }
        Ok(numbers)
    }
}

/// Most accounts have a handful of numbers; this bounds a runaway listing.
const MAX_NUMBER_PAGES: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twilio_error_body_becomes_a_typed_rejection() {
        let body = br#"{"code": 21211, "message": "The 'To' number 5551234567 is not a valid phone number.", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}"#;
        match error_from_body(StatusCode::BAD_REQUEST, body) {
            ProviderError::Rejected {
                http_status,
                code,
                more_info,
                ..
            } => {
                assert_eq!(http_status, 400);
                assert_eq!(code, "21211");
                assert!(more_info.unwrap().ends_with("21211"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn status_classes_map_to_their_kinds() {
        let auth = error_from_body(
            StatusCode::UNAUTHORIZED,
            br#"{"code":20003,"message":"Authenticate"}"#,
        );
        assert_eq!(auth.code(), "provider_authentication");
        assert_eq!(auth.message_code(), "20003");
        assert_eq!(
            error_from_body(StatusCode::TOO_MANY_REQUESTS, b"").code(),
            "provider_rate_limited"
        );
        assert_eq!(
            error_from_body(StatusCode::BAD_GATEWAY, b"<html>").code(),
            "provider_server"
        );
        let html = error_from_body(StatusCode::NOT_FOUND, b"<html>");
        assert_eq!(html.code(), "provider_rejected");
        assert_eq!(html.message_code(), "provider_malformed");
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let creds = TwilioCredentials {
            account_sid: "AC1".into(),
            username: "AC1".into(),
            secret: "very-secret-token".into(),
        };
        assert!(!format!("{creds:?}").contains("very-secret-token"));
    }
}
