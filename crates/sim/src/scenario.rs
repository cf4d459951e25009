//! Scenarios: how the simulated world behaves beyond the happy path, in code or in a TOML file.
//!
//! Give a file to the binary with `--scenario FILE`, or set [`crate::SimConfig::scenario`] from
//! [`Scenario::from_file`] / [`Scenario::from_toml`] (or build a [`Scenario`] in code). Every key is
//! optional; an unknown key, a wrong type or a value out of range is an error naming it.
//!
//! ```toml
//! # Seed of the [[random]] draws; absent = a fresh seed each start (logged, so a run can be
//! # repeated). The same seed and the same order of creates give the same outcomes.
//! seed = 42
//!
//! # Per-sender pace in segments per second (Twilio long code: 1). 0 = unthrottled.
//! # A file without this key gets 1; `Scenario::default()` in code is unthrottled.
//! segments_per_second = 1
//! # A create whose sender already has more than this many seconds of queued traffic is
//! # refused with 21611 (Twilio: 10 hours).
//! queue_limit_seconds = 36000
//!
//! # Behave like sends through a Messaging Service: 21610 (opted out), 21612 (unreachable),
//! # 21614 (not mobile) and queue overflow are accepted with 201 and the message later becomes
//! # `failed` with that code (30001 for overflow) instead of a 400 on create.
//! messaging_service = false
//!
//! # Outcomes by recipient; the first rule whose `to` matches wins. `to` is an exact E.164
//! # number, a prefix ending in `*` ("+1555*"), or an inclusive range of equally long numbers
//! # ("+15550100..+15550199").
//! # status: "delivered", "undelivered" (after `sent`; needs `code`), "failed" (after
//! # `sending`, never reaches the carrier; needs `code`) or "no_receipt" (stays `sent`).
//! # `message` overrides the built-in error_message for the code.
//! [[outcomes]]
//! to = "+15550100003"
//! status = "undelivered"
//! code = 30003
//!
//! # For recipients no rule matches: one draw per accepted create; the first entry gets
//! # [0, p1), the next [p1, p1 + p2), … The probabilities must add up to at most 1; the rest
//! # is delivered.
//! [[random]]
//! probability = 0.05
//! status = "undelivered"
//! code = 30003
//!
//! # Customers who reply to each delivered message, cycling through `replies`; they take
//! # precedence over customers of the same number in the code's SimConfig.
//! [[customers]]
//! number = "+12125550142"
//! name = "Maya Chen"          # optional
//! replies = ["Yes, see you then!", "Thanks!"]
//! delay_ms = 2000             # optional, default 2000
//!
//! # Faults armed at start, the same keys as `POST /_sim/faults`.
//! [[faults]]
//! kind = "rate_limit"         # server_error | rate_limit | slow | drop_before_store | drop_after_store
//! count = 1                   # optional, default 1
//! only = "create"             # optional: create | fetch | list | numbers
//! # status = 503              # server_error only, 500-599, default 500
//! # delay_ms = 2000           # slow only, required
//! ```

use std::fmt;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::config::Customer;
use crate::create::is_e164;
use crate::faults::{Fault, FaultSpec};

/// Twilio's bound on a sender's queue: 10 hours of traffic at its pace.
const DEFAULT_QUEUE_LIMIT: Duration = Duration::from_secs(36_000);
/// How long a scenario customer takes to reply when `delay_ms` is absent.
const DEFAULT_REPLY_DELAY: Duration = Duration::from_secs(2);

/// Everything a simulator does beyond accepting and delivering: see the module docs for the file
/// form. The default is the plain world: unthrottled, everything delivered, no faults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scenario {
    /// Seed of the random outcomes; `None` picks one at start.
    pub seed: Option<u64>,
    /// Per-sender pacing and queue bound.
    pub throughput: Throughput,
    /// Report 21610/21612/21614 and queue overflow (as 30001) asynchronously, as a Messaging
    /// Service send would, instead of refusing the create.
    pub messaging_service: bool,
    /// Outcomes by recipient; the first match wins.
    pub outcomes: Vec<OutcomeRule>,
    /// Outcomes drawn at random for recipients no rule matches.
    pub random: Vec<RandomOutcome>,
    /// Scripted customers, in addition to [`crate::SimConfig::customers`].
    pub customers: Vec<Customer>,
    /// Faults armed when the simulator starts.
    pub faults: Vec<Fault>,
}

/// How fast each sender number sends, and how much it may have queued.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throughput {
    /// Segments per second per sender (account, `From`); 0 means unthrottled.
    pub segments_per_second: f64,
    /// A create is refused (21611) when its sender already has more queued than this.
    pub queue_limit: Duration,
}

impl Throughput {
    /// No pacing at all: every message starts its lifecycle at once.
    pub const UNTHROTTLED: Throughput = Throughput {
        segments_per_second: 0.0,
        queue_limit: DEFAULT_QUEUE_LIMIT,
    };

    /// Twilio's US long code: one segment per second, at most 10 hours queued.
    pub const LONG_CODE: Throughput = Throughput {
        segments_per_second: 1.0,
        queue_limit: DEFAULT_QUEUE_LIMIT,
    };

    /// Whether messages wait for their sender's pace.
    pub fn is_throttled(&self) -> bool {
        self.segments_per_second > 0.0
    }
}

impl Default for Throughput {
    /// Unthrottled, so tests that send bursts stay fast; [`Throughput::LONG_CODE`] is realistic.
    fn default() -> Self {
        Self::UNTHROTTLED
    }
}

/// Which recipients a rule applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberPattern {
    /// Exactly this number.
    Exact(String),
    /// Every number starting with this (written with a trailing `*`).
    Prefix(String),
    /// Every number of the same length between these two, inclusive (written `LOW..HIGH`).
    Range {
        /// Lowest matching number.
        low: String,
        /// Highest matching number.
        high: String,
    },
}

impl NumberPattern {
    /// Parses `+15551234567`, `+1555*` or `+15550100..+15550199`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Some(prefix) = text.strip_suffix('*') {
            if prefix.is_empty() || !is_number_prefix(prefix) {
                return Err(format!(
                    "{text:?} is not a number prefix: write '+' and digits, then '*'"
                ));
            }
            return Ok(Self::Prefix(prefix.to_owned()));
        }
        if let Some((low, high)) = text.split_once("..") {
            let (low, high) = (low.trim(), high.trim());
            if !is_e164(low) || !is_e164(high) {
                return Err(format!(
                    "{text:?} is not a range: both ends must be E.164 numbers"
                ));
            }
            if low.len() != high.len() || low > high {
                return Err(format!(
                    "{text:?} is not a range: the ends must be equally long, low first"
                ));
            }
            return Ok(Self::Range {
                low: low.to_owned(),
                high: high.to_owned(),
            });
        }
        if !is_e164(text) {
            return Err(format!(
                "{text:?} is not an E.164 number, a prefix ending in '*', or a range LOW..HIGH"
            ));
        }
        Ok(Self::Exact(text.to_owned()))
    }

    /// Whether `number` is one this pattern covers.
    pub fn matches(&self, number: &str) -> bool {
        match self {
            Self::Exact(exact) => exact == number,
            Self::Prefix(prefix) => number.starts_with(prefix.as_str()),
            // Equal-length digit strings after '+' order numerically when compared as text.
            Self::Range { low, high } => {
                number.len() == low.len()
                    && is_e164(number)
                    && low.as_str() <= number
                    && number <= high.as_str()
            }
        }
    }
}

fn is_number_prefix(text: &str) -> bool {
    let digits = text.strip_prefix('+').unwrap_or(text);
    digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The error an outbound message ends with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryError {
    /// Twilio error code, reported as `error_code`.
    pub code: u32,
    /// Reported as `error_message`.
    pub message: String,
}

impl DeliveryError {
    /// The code with a Twilio-like message for it.
    pub fn new(code: u32) -> Self {
        Self {
            code,
            message: default_message(code),
        }
    }
}

/// Short titles in the style of Twilio's error dictionary.
fn default_message(code: u32) -> String {
    let known = match code {
        21610 => "Attempt to send to unsubscribed recipient",
        21612 => "The 'To' phone number is not currently reachable via SMS",
        21614 => "'To' number is not a valid mobile number",
        30001 => "Queue overflow",
        30002 => "Account suspended",
        30003 => "Unreachable destination handset",
        30004 => "Message blocked",
        30005 => "Unknown destination handset",
        30006 => "Landline or unreachable carrier",
        30007 => "Message filtered",
        30008 => "Unknown error",
        30017 => "Carrier network congestion",
        30018 => "Destination carrier requires sender ID pre-registration",
        30022 => "US A2P 10DLC - Rate limits exceeded",
        30023 => "US A2P 10DLC - Daily message cap reached",
        30024 => "Sender not provisioned by carrier",
        30032 => "Toll-free number has not been verified",
        30034 => "US A2P 10DLC - Message from an unregistered number",
        30035 => "US A2P 10DLC - Message from a number still being configured",
        30036 => "Validity period expired",
        30410 => "Provider timeout error",
        30450 => "Message delivery blocked by SMS pumping protection",
        30500 => "Internal error",
        _ => return format!("Message could not be delivered (error {code})"),
    };
    known.to_owned()
}

/// How an outbound message ends.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Outcome {
    /// queued → sending → sent → delivered (then a scripted customer may reply).
    #[default]
    Delivered,
    /// queued → sending → sent, and no receipt ever comes.
    NoReceipt,
    /// queued → sending → sent → undelivered with this error.
    Undelivered(DeliveryError),
    /// queued → sending → failed with this error (never handed to a carrier, not charged).
    Failed(DeliveryError),
}

/// An outcome for recipients matching a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeRule {
    /// Recipients this rule covers.
    pub to: NumberPattern,
    /// What happens to messages to them.
    pub outcome: Outcome,
}

/// An outcome with a probability, drawn for recipients no rule matches.
#[derive(Debug, Clone, PartialEq)]
pub struct RandomOutcome {
    /// Chance per message, 0 to 1.
    pub probability: f64,
    /// What happens when drawn.
    pub outcome: Outcome,
}

/// A scenario that could not be read, with the file and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    origin: Option<String>,
    problem: String,
}

impl ScenarioError {
    fn new(problem: impl Into<String>) -> Self {
        Self {
            origin: None,
            problem: problem.into(),
        }
    }

    fn in_file(self, path: &Path) -> Self {
        Self {
            origin: Some(path.display().to_string()),
            ..self
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.origin {
            Some(origin) => write!(f, "scenario {origin}: {}", self.problem.trim_end()),
            None => write!(f, "scenario: {}", self.problem.trim_end()),
        }
    }
}

impl std::error::Error for ScenarioError {}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    seed: Option<u64>,
    segments_per_second: Option<f64>,
    queue_limit_seconds: Option<u64>,
    #[serde(default)]
    messaging_service: bool,
    #[serde(default)]
    outcomes: Vec<OutcomeEntry>,
    #[serde(default)]
    random: Vec<RandomEntry>,
    #[serde(default)]
    customers: Vec<CustomerEntry>,
    #[serde(default)]
    faults: Vec<FaultSpec>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum StatusName {
    Delivered,
    Undelivered,
    Failed,
    NoReceipt,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeEntry {
    to: String,
    status: StatusName,
    code: Option<u32>,
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RandomEntry {
    probability: f64,
    status: StatusName,
    code: Option<u32>,
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomerEntry {
    number: String,
    name: Option<String>,
    replies: Vec<String>,
    delay_ms: Option<u64>,
}

fn outcome(
    status: StatusName,
    code: Option<u32>,
    message: Option<String>,
) -> Result<Outcome, String> {
    let error = |code: Option<u32>| -> Result<DeliveryError, String> {
        let code = code.ok_or("this status needs a code, e.g. code = 30003")?;
        let mut error = DeliveryError::new(code);
        if let Some(message) = message.clone() {
            error.message = message;
        }
        Ok(error)
    };
    match status {
        StatusName::Undelivered => Ok(Outcome::Undelivered(error(code)?)),
        StatusName::Failed => Ok(Outcome::Failed(error(code)?)),
        StatusName::Delivered | StatusName::NoReceipt if code.is_some() || message.is_some() => {
            Err("code and message only apply to \"undelivered\" and \"failed\"".into())
        }
        StatusName::Delivered => Ok(Outcome::Delivered),
        StatusName::NoReceipt => Ok(Outcome::NoReceipt),
    }
}

impl Scenario {
    /// Reads a scenario file; the error names the file and the problem.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ScenarioError::new(format!("cannot read the file: {e}")).in_file(path))?;
        Self::from_toml(&text).map_err(|e| e.in_file(path))
    }

    /// Parses the TOML form described in the module docs.
    pub fn from_toml(text: &str) -> Result<Scenario, ScenarioError> {
        let file: File = toml::from_str(text).map_err(|e| ScenarioError::new(e.to_string()))?;
        let segments_per_second = file.segments_per_second.unwrap_or(1.0);
        if !segments_per_second.is_finite() || segments_per_second < 0.0 {
            return Err(ScenarioError::new(format!(
                "segments_per_second must be 0 (unthrottled) or more, not {segments_per_second}"
            )));
        }
        let queue_limit = match file.queue_limit_seconds {
            None => DEFAULT_QUEUE_LIMIT,
            Some(0) => return Err(ScenarioError::new("queue_limit_seconds must be at least 1")),
            Some(seconds) => Duration::from_secs(seconds),
        };

        let mut outcomes = Vec::with_capacity(file.outcomes.len());
        for (i, entry) in file.outcomes.into_iter().enumerate() {
            let context = |problem: String| {
                ScenarioError::new(format!("outcomes[{i}] (to = {:?}): {problem}", entry.to))
            };
            let to = NumberPattern::parse(&entry.to).map_err(context)?;
            let outcome =
                outcome(entry.status, entry.code, entry.message.clone()).map_err(context)?;
            outcomes.push(OutcomeRule { to, outcome });
        }

        let mut random = Vec::with_capacity(file.random.len());
        let mut total = 0.0;
        for (i, entry) in file.random.into_iter().enumerate() {
            let context = |problem: String| ScenarioError::new(format!("random[{i}]: {problem}"));
            if !(0.0..=1.0).contains(&entry.probability) {
                return Err(context(format!(
                    "probability must be between 0 and 1, not {}",
                    entry.probability
                )));
            }
            total += entry.probability;
            let outcome = outcome(entry.status, entry.code, entry.message).map_err(context)?;
            random.push(RandomOutcome {
                probability: entry.probability,
                outcome,
            });
        }
        if total > 1.0 + 1e-9 {
            return Err(ScenarioError::new(format!(
                "the [[random]] probabilities add up to {total}, more than 1"
            )));
        }

        let mut customers = Vec::with_capacity(file.customers.len());
        for (i, entry) in file.customers.into_iter().enumerate() {
            let context = |problem: &str| {
                ScenarioError::new(format!("customers[{i}] ({:?}): {problem}", entry.number))
            };
            if !is_e164(&entry.number) {
                return Err(context("number must be E.164, e.g. \"+12125550142\""));
            }
            if entry.replies.is_empty() {
                return Err(context("replies must hold at least one reply"));
            }
            customers.push(Customer {
                number: entry.number,
                name: entry.name.unwrap_or_default(),
                replies: entry.replies,
                reply_delay: entry
                    .delay_ms
                    .map_or(DEFAULT_REPLY_DELAY, Duration::from_millis),
            });
        }

        let mut faults = Vec::with_capacity(file.faults.len());
        for (i, spec) in file.faults.into_iter().enumerate() {
            let fault = spec
                .into_fault()
                .map_err(|problem| ScenarioError::new(format!("faults[{i}]: {problem}")))?;
            faults.push(fault);
        }

        Ok(Scenario {
            seed: file.seed,
            throughput: Throughput {
                segments_per_second,
                queue_limit,
            },
            messaging_service: file.messaging_service,
            outcomes,
            random,
            customers,
            faults,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faults::{FaultKind, Operation};

    fn problem(text: &str) -> String {
        match Scenario::from_toml(text) {
            Ok(s) => panic!("accepted: {s:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn the_example_file_parses() {
        let example = include_str!("../scenarios/example.toml");
        let scenario = Scenario::from_toml(example);
        assert!(scenario.is_ok(), "{scenario:?}");
    }

    #[test]
    fn an_empty_file_is_the_long_code_world() {
        let scenario = Scenario::from_toml("").ok();
        let expected = Scenario {
            throughput: Throughput::LONG_CODE,
            ..Scenario::default()
        };
        assert_eq!(scenario, Some(expected));
        assert!(!Scenario::default().throughput.is_throttled());
    }

    #[test]
    fn full_file() {
        let text = r#"
            seed = 7
            segments_per_second = 2.5
            queue_limit_seconds = 60
            messaging_service = true
            [[outcomes]]
            to = "+15550100003"
            status = "undelivered"
            code = 30003
            [[outcomes]]
            to = "+1666*"
            status = "failed"
            code = 30007
            message = "Filtered"
            [[outcomes]]
            to = "+15550100..+15550199"
            status = "no_receipt"
            [[random]]
            probability = 0.25
            status = "undelivered"
            code = 30005
            [[customers]]
            number = "+12125550142"
            replies = ["hi"]
            delay_ms = 10
            [[faults]]
            kind = "server_error"
            status = 502
            count = 2
            only = "fetch"
        "#;
        let s = match Scenario::from_toml(text) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(s.seed, Some(7));
        assert_eq!(s.throughput.segments_per_second, 2.5);
        assert_eq!(s.throughput.queue_limit, Duration::from_secs(60));
        assert!(s.messaging_service);
        assert_eq!(
            s.outcomes[0].outcome,
            Outcome::Undelivered(DeliveryError {
                code: 30003,
                message: "Unreachable destination handset".into()
            })
        );
        assert_eq!(
            s.outcomes[1].outcome,
            Outcome::Failed(DeliveryError {
                code: 30007,
                message: "Filtered".into()
            })
        );
        assert_eq!(s.outcomes[2].outcome, Outcome::NoReceipt);
        assert_eq!(s.random[0].probability, 0.25);
        assert_eq!(s.customers[0].reply_delay, Duration::from_millis(10));
        assert_eq!(s.customers[0].name, "");
        assert_eq!(s.faults[0].kind, FaultKind::ServerError { status: 502 });
        assert_eq!(s.faults[0].count, 2);
        assert_eq!(s.faults[0].only, Some(Operation::Fetch));
    }

    #[test]
    fn problems_are_named() {
        assert!(problem("sead = 1").contains("unknown field `sead`"));
        assert!(problem("[[outcomes]]\nto = \"+1555*\"\nstatus = \"lost\"").contains("lost"));
        assert!(
            problem("[[outcomes]]\nto = \"+1555*\"\nstatus = \"failed\"").contains("needs a code")
        );
        assert!(
            problem("[[outcomes]]\nto = \"555\"\nstatus = \"delivered\"").contains("outcomes[0]")
        );
        assert!(
            problem("[[outcomes]]\nto = \"+1555*\"\nstatus = \"delivered\"\ncode = 1")
                .contains("only apply")
        );
        assert!(problem("[[random]]\nprobability = 0.7\nstatus = \"no_receipt\"\n[[random]]\nprobability = 0.7\nstatus = \"no_receipt\"").contains("more than 1"));
        assert!(
            problem("[[random]]\nprobability = 1.5\nstatus = \"no_receipt\"").contains("random[0]")
        );
        assert!(problem("segments_per_second = -1").contains("segments_per_second"));
        assert!(problem("queue_limit_seconds = 0").contains("queue_limit_seconds"));
        assert!(
            problem("[[customers]]\nnumber = \"+12125550142\"\nreplies = []")
                .contains("customers[0]")
        );
        assert!(problem("[[faults]]\nkind = \"slow\"").contains("faults[0]"));
        assert!(problem("seed = \"x\"").contains("seed"));
        assert!(problem("this is not toml").starts_with("scenario: "));
    }

    #[test]
    fn a_missing_file_names_the_path() {
        let error = Scenario::from_file("/nonexistent/sim-scenario.toml")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            error.starts_with("scenario /nonexistent/sim-scenario.toml: cannot read"),
            "{error}"
        );
    }

    #[test]
    fn patterns() {
        let p = |s: &str| NumberPattern::parse(s);
        assert_eq!(
            p("+15551234567"),
            Ok(NumberPattern::Exact("+15551234567".into()))
        );
        assert_eq!(p("+1555*"), Ok(NumberPattern::Prefix("+1555".into())));
        assert!(p("*").is_err());
        assert!(p("+1a*").is_err());
        assert!(p("+15550199..+15550100").is_err());
        assert!(p("+15550100..+155501999").is_err());
        assert!(p("+1555").is_err());
        let range = p("+15550100..+15550199");
        assert!(range.as_ref().is_ok_and(|r| r.matches("+15550100")));
        assert!(range.as_ref().is_ok_and(|r| r.matches("+15550150")));
        assert!(range.as_ref().is_ok_and(|r| r.matches("+15550199")));
        assert!(range.as_ref().is_ok_and(|r| !r.matches("+15550200")));
        assert!(range.as_ref().is_ok_and(|r| !r.matches("+155501500")));
        assert!(p("+1555*").is_ok_and(|r| r.matches("+15559999999") && !r.matches("+14155550100")));
    }
}
