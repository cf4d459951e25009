//! What can go wrong talking to a provider, typed so the outbox knows what is safe to do next.

/// A failed provider call.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProviderError {
    /// The provider refused the request with its own error code (HTTP 4xx).
    #[error("the provider refused: {message} (error {code})")]
    Rejected {
        /// HTTP status.
        http_status: u16,
        /// The provider's error code.
        code: String,
        /// The provider's message.
        message: String,
        /// Link to the provider's page about the code.
        more_info: Option<String>,
    },
    /// The credentials were not accepted (HTTP 401/403).
    #[error("the provider did not accept the credentials: {message} (error {code})")]
    Authentication {
        /// HTTP status.
        http_status: u16,
        /// The provider's error code.
        code: String,
        /// The provider's message.
        message: String,
    },
    /// Too many requests (HTTP 429); the request was not processed.
    #[error("the provider is rate limiting requests (error {code})")]
    RateLimited {
        /// The provider's error code.
        code: String,
    },
    /// The provider failed on its side (HTTP 5xx).
    #[error("the provider had an internal problem (HTTP {http_status})")]
    Server {
        /// HTTP status.
        http_status: u16,
        /// The provider's error code, if it gave one.
        code: Option<String>,
    },
    /// No connection could be made, so nothing reached the provider.
    #[error("the provider could not be reached: {0}")]
    Unreachable(String),
    /// The request went out but no answer came back: it may or may not have been processed.
    #[error("no answer from the provider: {0}")]
    NoAnswer(String),
    /// The answer could not be understood.
    #[error("the provider's answer could not be read: {0}")]
    Malformed(String),
}

impl ProviderError {
    /// A stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            ProviderError::Rejected { .. } => "provider_rejected",
            ProviderError::Authentication { .. } => "provider_authentication",
            ProviderError::RateLimited { .. } => "provider_rate_limited",
            ProviderError::Server { .. } => "provider_server",
            ProviderError::Unreachable(_) => "provider_unreachable",
            ProviderError::NoAnswer(_) => "provider_no_answer",
            ProviderError::Malformed(_) => "provider_malformed",
        }
    }

    /// The code to store on a message: the provider's own where it gave one, else ours.
    pub fn message_code(&self) -> String {
        match self {
            ProviderError::Rejected { code, .. } | ProviderError::Authentication { code, .. } => {
                code.clone()
            }
            ProviderError::RateLimited { code } => code.clone(),
            ProviderError::Server {
                code: Some(code), ..
            } => code.clone(),
            other => other.code().to_string(),
        }
    }

    /// HTTP status, when an answer came back.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            ProviderError::Rejected { http_status, .. }
            | ProviderError::Authentication { http_status, .. }
            | ProviderError::Server { http_status, .. } => Some(*http_status),
            ProviderError::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// What the user should do next.
    pub fn hint(&self) -> String {
        match self {
            ProviderError::Rejected { code, .. } => crate::catalogue::explain(code).hint.to_string(),
            ProviderError::Authentication { .. } => {
                "Check the Account SID and the Auth Token (or API key) in Settings; copy them again from the Twilio Console.".into()
            }
            ProviderError::RateLimited { .. } => {
                "Nothing was sent; Switchboard tries again shortly.".into()
            }
            ProviderError::Server { .. } => {
                "The provider has a problem on its side; try again in a few minutes.".into()
            }
            ProviderError::Unreachable(_) => {
                "Check the internet connection; queued messages go out once it is back.".into()
            }
            ProviderError::NoAnswer(_) => {
                "The message may have been sent. Switchboard looks it up at the provider before it sends anything again.".into()
            }
            ProviderError::Malformed(_) => {
                "Check the provider base URL in Settings; it must point at the Twilio API.".into()
            }
        }
    }
}
