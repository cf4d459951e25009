//! Injected failures: server errors, rate limiting, slow answers and dropped connections, armed
//! for the next N Twilio-API requests (optionally of one operation only).
//!
//! Tests arm them with `POST /_sim/faults`, [`crate::RunningSim::set_fault`] or a scenario's
//! `[[faults]]`; `gate` applies them.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// A Twilio API operation a fault can be limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// `POST …/Messages.json`.
    Create,
    /// `GET …/Messages/{Sid}.json`.
    Fetch,
    /// `GET …/Messages.json`.
    List,
    /// `GET …/IncomingPhoneNumbers.json`.
    Numbers,
}

/// What an armed fault does to the request it hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// Answer this 5xx status with a Twilio error body, code 20500; the request is not processed.
    /// A status outside 500–599 is answered as 500.
    ServerError {
        /// HTTP status, 500–599.
        status: u16,
    },
    /// Answer 429 with code 20429 "Too Many Requests"; the request is not processed.
    RateLimit,
    /// Process the request normally, then hold the answer back for this long.
    Slow {
        /// How long the answer waits after processing.
        delay: Duration,
    },
    /// Close the connection without answering and without processing the request.
    DropBeforeStore,
    /// Process the request (a create stores the message and starts its lifecycle), then close the
    /// connection without answering.
    DropAfterStore,
}

/// A fault armed for the next `count` matching requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    /// What happens to a request it hits.
    pub kind: FaultKind,
    /// How many requests it hits before it is spent; 0 never hits.
    pub count: u32,
    /// Only requests of this operation; `None` means any Twilio API request.
    pub only: Option<Operation>,
}

impl Fault {
    fn once(kind: FaultKind, only: Option<Operation>) -> Self {
        Self {
            kind,
            count: 1,
            only,
        }
    }

    /// The next request answers `status` (a 5xx) with code 20500.
    pub fn server_error(status: u16) -> Self {
        Self::once(FaultKind::ServerError { status }, None)
    }

    /// The next request answers 429 with code 20429.
    pub fn rate_limit() -> Self {
        Self::once(FaultKind::RateLimit, None)
    }

    /// The next request is answered `delay` late.
    pub fn slow(delay: Duration) -> Self {
        Self::once(FaultKind::Slow { delay }, None)
    }

    /// The next create closes the connection unanswered and stores nothing.
    pub fn drop_before_store() -> Self {
        Self::once(FaultKind::DropBeforeStore, Some(Operation::Create))
    }

    /// The next create stores the message, then closes the connection unanswered.
    pub fn drop_after_store() -> Self {
        Self::once(FaultKind::DropAfterStore, Some(Operation::Create))
    }

    /// Hits the next `count` matching requests instead of one.
    pub fn times(self, count: u32) -> Self {
        Self { count, ..self }
    }

    /// Hits only requests of `operation` (drop faults default to creates).
    pub fn only(self, operation: Operation) -> Self {
        Self {
            only: Some(operation),
            ..self
        }
    }

    fn hits(&self, operation: Operation) -> bool {
        self.count > 0 && self.only.is_none_or(|only| only == operation)
    }
}

/// The `kind` names of the JSON and TOML forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindName {
    ServerError,
    RateLimit,
    Slow,
    DropBeforeStore,
    DropAfterStore,
}

/// A fault as written in `POST /_sim/faults` bodies and scenario `[[faults]]` tables.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaultSpec {
    kind: KindName,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    delay_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    only: Option<Operation>,
}

impl FaultSpec {
    /// Checks the keys that belong to the kind and their ranges.
    pub fn into_fault(self) -> Result<Fault, String> {
        let count = match self.count {
            None => 1,
            Some(0) => return Err("count must be at least 1".into()),
            Some(n) => n,
        };
        if self.status.is_some() && self.kind != KindName::ServerError {
            return Err("status only applies to kind \"server_error\"".into());
        }
        if self.delay_ms.is_some() && self.kind != KindName::Slow {
            return Err("delay_ms only applies to kind \"slow\"".into());
        }
        let fault = match self.kind {
            KindName::ServerError => {
                let status = self.status.unwrap_or(500);
                if !(500..=599).contains(&status) {
                    return Err(format!("status {status} is not a 5xx status"));
                }
                Fault::server_error(status)
            }
            KindName::RateLimit => Fault::rate_limit(),
            KindName::Slow => {
                let delay_ms = self
                    .delay_ms
                    .ok_or("kind \"slow\" needs delay_ms (milliseconds)")?;
                Fault::slow(Duration::from_millis(delay_ms))
            }
            KindName::DropBeforeStore => Fault::drop_before_store(),
            KindName::DropAfterStore => Fault::drop_after_store(),
        };
        let fault = fault.times(count);
        Ok(match self.only {
            Some(operation) => fault.only(operation),
            None => fault,
        })
    }

    /// The written form of an armed fault, with its remaining count.
    pub fn of(fault: &Fault) -> Self {
        let (kind, status, delay_ms) = match fault.kind {
            FaultKind::ServerError { status } => (KindName::ServerError, Some(status), None),
            FaultKind::RateLimit => (KindName::RateLimit, None, None),
            FaultKind::Slow { delay } => (
                KindName::Slow,
                None,
                Some(u64::try_from(delay.as_millis()).unwrap_or(u64::MAX)),
            ),
            FaultKind::DropBeforeStore => (KindName::DropBeforeStore, None, None),
            FaultKind::DropAfterStore => (KindName::DropAfterStore, None, None),
        };
        Self {
            kind,
            status,
            delay_ms,
            count: Some(fault.count),
            only: fault.only,
        }
    }
}

/// The armed faults, first armed first used.
#[derive(Debug, Default)]
pub(crate) struct FaultBoard {
    armed: Mutex<Vec<Fault>>,
}

impl FaultBoard {
    fn armed(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        self.armed.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn arm(&self, fault: Fault) {
        if fault.count > 0 {
            self.armed().push(fault);
        }
    }

    pub fn clear(&self) {
        self.armed().clear();
    }

    pub fn list(&self) -> Vec<Fault> {
        self.armed().clone()
    }

    /// Spends one hit of the first fault that applies to `operation`.
    pub fn take(&self, operation: Operation) -> Option<FaultKind> {
        let mut armed = self.armed();
        let index = armed.iter().position(|f| f.hits(operation))?;
        let fault = armed.get_mut(index)?;
        fault.count -= 1;
        let kind = fault.kind;
        if fault.count == 0 {
            armed.remove(index);
        }
        Some(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Fault, String> {
        serde_json::from_str::<FaultSpec>(json)
            .map_err(|e| e.to_string())
            .and_then(FaultSpec::into_fault)
    }

    #[test]
    fn written_forms() {
        assert_eq!(
            parse(r#"{"kind":"server_error","status":503,"count":2}"#),
            Ok(Fault::server_error(503).times(2))
        );
        assert_eq!(
            parse(r#"{"kind":"rate_limit","only":"list"}"#),
            Ok(Fault::rate_limit().only(Operation::List))
        );
        assert_eq!(
            parse(r#"{"kind":"slow","delay_ms":20}"#),
            Ok(Fault::slow(Duration::from_millis(20)))
        );
        assert_eq!(
            parse(r#"{"kind":"drop_after_store"}"#).map(|f| f.only),
            Ok(Some(Operation::Create))
        );
        for bad in [
            r#"{"kind":"server_error","status":404}"#,
            r#"{"kind":"slow"}"#,
            r#"{"kind":"rate_limit","delay_ms":5}"#,
            r#"{"kind":"rate_limit","count":0}"#,
            r#"{"kind":"explode"}"#,
            r#"{"kind":"rate_limit","cuont":2}"#,
            r#"{"kind":"rate_limit","only":"delete"}"#,
        ] {
            assert!(parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn first_matching_fault_is_spent_in_order() {
        let board = FaultBoard::default();
        board.arm(Fault::rate_limit().only(Operation::List));
        board.arm(Fault::server_error(502).times(2));
        assert_eq!(
            board.take(Operation::Create),
            Some(FaultKind::ServerError { status: 502 })
        );
        assert_eq!(board.take(Operation::List), Some(FaultKind::RateLimit));
        assert_eq!(
            board.take(Operation::List),
            Some(FaultKind::ServerError { status: 502 })
        );
        assert_eq!(board.take(Operation::List), None);
        board.arm(Fault::rate_limit().times(0));
        assert!(board.list().is_empty());
        board.arm(Fault::rate_limit().times(5));
        board.clear();
        assert_eq!(board.take(Operation::Fetch), None);
    }
}
