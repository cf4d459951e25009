//! Shared test setup: a simulator on loopback with short delays, and the core opened against it
//! on a real SQLite file.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use switchboard_core::config::{AuthKind, ProviderAccount};
use switchboard_core::domain::Sender;
use switchboard_core::provider::guard::Pacing;
use switchboard_core::provider::twilio::{TwilioClient, TwilioCredentials};
use switchboard_core::{OpenOptions, Services, Tuning};
use switchboard_sim::{AccountConfig, Customer, Lifecycle, RunningSim, SimConfig};

pub const ACCOUNT: &str = "AC11111111111111111111111111111111";
pub const TOKEN: &str = "core-test-token";
pub const SENDER: &str = "+14155550100";
pub const CUSTOMER: &str = "+12125550142";
pub const CUSTOMER_REPLY: &str = "Thanks, see you then!";
pub const KEY_SID: &str = "SK22222222222222222222222222222222";
pub const KEY_SECRET: &str = "core-test-key-secret";

/// A simulator with one account, one sender, one customer who replies, and 30 ms steps.
pub async fn simulator() -> RunningSim {
    simulator_with(Default::default()).await
}

/// The same simulator playing a scenario (delivery outcomes, pacing, faults).
pub async fn simulator_with(scenario: switchboard_sim::Scenario) -> RunningSim {
    start(SimConfig {
        scenario,
        ..sim_config()
    })
    .await
}

/// The test simulator's world: one account, one sender, one customer who replies, 30 ms steps.
pub fn sim_config() -> SimConfig {
    SimConfig {
        accounts: vec![AccountConfig {
            sid: ACCOUNT.into(),
            auth_token: TOKEN.into(),
            api_keys: vec![switchboard_sim::ApiKey {
                sid: KEY_SID.into(),
                secret: KEY_SECRET.into(),
            }],
            numbers: vec![SENDER.into()],
        }],
        lifecycle: Lifecycle::uniform(Duration::from_millis(30)),
        customers: vec![Customer {
            number: CUSTOMER.into(),
            name: "Maya".into(),
            replies: vec![CUSTOMER_REPLY.into()],
            reply_delay: Duration::from_millis(30),
        }],
        history: vec![],
        scenario: Default::default(),
    }
}

/// A scenario in which every message to the numbers `to` matches (a number, or a prefix with
/// `*`) is accepted, sent, then comes back undelivered with `code`; sending unthrottled.
pub fn undelivered(to: &str, code: u32) -> switchboard_sim::Scenario {
    switchboard_sim::Scenario::from_toml(&format!(
        "segments_per_second = 0\n[[outcomes]]\nto = \"{to}\"\nstatus = \"undelivered\"\ncode = {code}\n"
    ))
    .expect("the scenario reads")
}

/// A simulator with this world.
pub async fn start(config: SimConfig) -> RunningSim {
    RunningSim::start(config, ([127, 0, 0, 1], 0).into())
        .await
        .expect("simulator starts")
}

/// A Twilio client for the simulator's account.
pub fn client(sim: &RunningSim, token: &str) -> TwilioClient {
    TwilioClient::new(
        &sim.base_url(),
        TwilioCredentials {
            account_sid: ACCOUNT.into(),
            username: ACCOUNT.into(),
            secret: token.into(),
        },
    )
    .expect("client builds")
}

/// The core opened on a fresh SQLite file in `dir`, talking to the simulator.
pub async fn services(sim: &RunningSim, dir: &tempfile::TempDir) -> Services {
    services_with(sim, dir, test_tuning()).await
}

/// Fast polling and pacing for a simulator that does not pace.
pub fn test_tuning() -> Tuning {
    Tuning {
        poll_interval: Duration::from_millis(50),
        pacing: FAST,
        ..Default::default()
    }
}

/// Pacing for a simulator that does not pace: tests that send many messages would otherwise
/// wait for a long code's one segment a second.
pub const FAST: Pacing = Pacing {
    segments_per_second: 1000.0,
    burst: 100,
    max_concurrent_calls: 4,
};

/// The same, with chosen sync pacing.
pub async fn services_with(sim: &RunningSim, dir: &tempfile::TempDir, sync: Tuning) -> Services {
    switchboard_core::open(OpenOptions {
        database: database(dir),
        account: ProviderAccount {
            account_sid: ACCOUNT.into(),
            auth_kind: AuthKind::AuthToken,
            api_key_sid: None,
            base_url: Some(sim.base_url()),
        },
        secret: TOKEN.into(),
        base_url: None,
        senders: vec![Sender {
            number: SENDER.into(),
            label: Some("Main".into()),
        }],
        sync,
    })
    .await
    .expect("core opens")
}

pub fn database(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("switchboard.sqlite")
}

/// Polls `check` until it returns `Some`, or panics after `secs` with `what`.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub fn arc<T: 'static + Send + Sync>(t: T) -> Arc<T> {
    Arc::new(t)
}
