//! The demo world: one account, three sender numbers, five customers and a little history.

use std::time::Duration;

use crate::config::{AccountConfig, Customer, Lifecycle, SeedMessage, SimConfig};
use crate::scenario::{Scenario, Throughput};

/// Account SID of the demo account.
pub const DEMO_ACCOUNT_SID: &str = "ACd2d26fd56ef2778d34defe97cf631789";
/// Auth token of the demo account.
pub const DEMO_AUTH_TOKEN: &str = "demo-auth-token";
/// A demo recipient whose messages come back undelivered with 30006 (a landline), after they
/// were accepted, as a real landline's do.
pub const DEMO_LANDLINE: &str = "+13125550166";
/// Sender numbers the demo account owns; the first is Twilio's always-succeeds magic number.
pub const DEMO_NUMBERS: [&str; 3] = ["+15005550006", "+14155550100", "+14155550101"];
/// How long a demo customer takes to answer a delivered message.
pub const DEMO_REPLY_DELAY: Duration = Duration::from_secs(2);

/// A scripted demo customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoCustomer {
    /// E.164 number (555-01xx, a range reserved for fiction).
    pub number: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Replies, used in turn.
    pub replies: &'static [&'static str],
}

/// The demo customers, in a fixed order.
pub const DEMO_CUSTOMERS: [DemoCustomer; 5] = [
    DemoCustomer {
        number: "+12125550142",
        name: "Maya Chen",
        replies: &[
            "Yes, Thursday at 3pm works for me. Thanks!",
            "Could we move it to next week instead?",
            "Great, see you then!",
        ],
    },
    DemoCustomer {
        number: "+13125550187",
        name: "Luis Ortega",
        replies: &[
            "Perfect, I'll pick up the cake around 5.",
            "Could you write 'Happy Birthday Sam' on top?",
            "Thanks so much!",
        ],
    },
    DemoCustomer {
        number: "+16175550123",
        name: "Priya Natarajan",
        replies: &[
            "Tuesday morning is fine. Please use the side gate.",
            "Is there a call-out fee?",
        ],
    },
    DemoCustomer {
        number: "+15125550164",
        name: "Tom Becker",
        replies: &[
            "Got it, thanks for the reminder.",
            "Do you have anything earlier in the day?",
        ],
    },
    DemoCustomer {
        number: "+12065550199",
        name: "Grace Okafor",
        replies: &[
            "Confirmed, see you Friday!",
            "Running about 10 minutes late, sorry!",
            "All good, thank you.",
        ],
    },
];

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;

/// Inbound history: (customer index, index into DEMO_NUMBERS, body, age in seconds).
const DEMO_HISTORY: [(usize, usize, &str, u64); 6] = [
    (
        0,
        1,
        "Thanks for fitting me in last time! Same hygienist again please.",
        2 * DAY + 3 * HOUR,
    ),
    (
        4,
        2,
        "Hi, can I move my Friday appointment to the afternoon?",
        DAY + 6 * HOUR,
    ),
    (3, 0, "Thanks! I'll be there on Monday.", DAY),
    (
        2,
        2,
        "Our kitchen sink is leaking again. Could someone come by this week?",
        5 * HOUR,
    ),
    (
        1,
        1,
        "Hello! Could I order a chocolate cake for Saturday?",
        2 * HOUR,
    ),
    (
        0,
        1,
        "Hi! Is my cleaning still on for Thursday at 3pm?",
        12 * MINUTE,
    ),
];

impl SimConfig {
    /// The demo world under [`DEMO_ACCOUNT_SID`] / [`DEMO_AUTH_TOKEN`].
    pub fn demo() -> SimConfig {
        Self::demo_with_account(DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN)
    }

    /// The demo world (numbers, customers, history) under caller-chosen account credentials.
    ///
    /// Senders are paced like Twilio long codes ([`Throughput::LONG_CODE`]: one segment per
    /// second each), so a burst of messages visibly queues.
    pub fn demo_with_account(account_sid: &str, auth_token: &str) -> SimConfig {
        let customers = DEMO_CUSTOMERS
            .iter()
            .map(|c| Customer {
                number: c.number.to_owned(),
                name: c.name.to_owned(),
                replies: c.replies.iter().map(|r| (*r).to_owned()).collect(),
                reply_delay: DEMO_REPLY_DELAY,
            })
            .collect();
        let history = DEMO_HISTORY
            .iter()
            .map(|&(customer, number, body, age)| SeedMessage {
                account_sid: account_sid.to_owned(),
                from: DEMO_CUSTOMERS[customer].number.to_owned(),
                to: DEMO_NUMBERS[number].to_owned(),
                body: body.to_owned(),
                age: Duration::from_secs(age),
            })
            .collect();
        SimConfig {
            accounts: vec![AccountConfig {
                sid: account_sid.to_owned(),
                auth_token: auth_token.to_owned(),
                api_keys: Vec::new(),
                numbers: DEMO_NUMBERS.iter().map(|n| (*n).to_owned()).collect(),
            }],
            lifecycle: Lifecycle::default(),
            customers,
            history,
            scenario: Scenario {
                throughput: Throughput::LONG_CODE,
                outcomes: vec![crate::scenario::OutcomeRule {
                    to: crate::scenario::NumberPattern::Exact(DEMO_LANDLINE.to_owned()),
                    outcome: crate::scenario::Outcome::Undelivered(
                        crate::scenario::DeliveryError::new(30006),
                    ),
                }],
                ..Scenario::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::create::is_e164;

    #[test]
    fn demo_is_consistent() {
        assert_eq!(DEMO_ACCOUNT_SID.len(), 34);
        assert!(DEMO_ACCOUNT_SID[2..].chars().all(|c| c.is_ascii_hexdigit()));
        let config = SimConfig::demo();
        assert_eq!(config.accounts.len(), 1);
        assert!(config.customers.len() >= 4);
        assert!((5..=6).contains(&config.history.len()));
        for c in &config.customers {
            assert!(is_e164(&c.number));
            assert!(c.replies.len() >= 2);
        }
        assert_eq!(config.scenario.throughput, Throughput::LONG_CODE);
        for h in &config.history {
            assert!(config.accounts[0].numbers.contains(&h.to));
            assert!(config.customers.iter().any(|c| c.number == h.from));
        }
    }
}
