//! Shared helpers: a simulator with short delays and a small Basic-auth JSON client.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;
use switchboard_sim::{
    AccountConfig, ApiKey, Customer, Lifecycle, RunningSim, Scenario, SimConfig,
};

pub const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
pub const TOKEN: &str = "test-token";
pub const OTHER_ACCOUNT: &str = "ACfedcba9876543210fedcba9876543210";
pub const OTHER_TOKEN: &str = "other-token";
pub const KEY_SID: &str = "SK0123456789abcdef0123456789abcdef";
pub const KEY_SECRET: &str = "key-secret";
pub const SENDER: &str = "+14155550100";
pub const SENDER_2: &str = "+14155550101";
pub const CUSTOMER: &str = "+12125550142";
pub const STRANGER: &str = "+13125550999";

/// Two accounts, a customer with two replies, 50 ms lifecycle steps.
pub fn config() -> SimConfig {
    SimConfig {
        accounts: vec![
            AccountConfig {
                sid: ACCOUNT.into(),
                auth_token: TOKEN.into(),
                api_keys: vec![ApiKey {
                    sid: KEY_SID.into(),
                    secret: KEY_SECRET.into(),
                }],
                numbers: vec![SENDER.into(), SENDER_2.into()],
            },
            AccountConfig {
                sid: OTHER_ACCOUNT.into(),
                auth_token: OTHER_TOKEN.into(),
                api_keys: vec![],
                numbers: vec!["+14155550177".into()],
            },
        ],
        lifecycle: Lifecycle::uniform(Duration::from_millis(50)),
        customers: vec![Customer {
            number: CUSTOMER.into(),
            name: "Maya".into(),
            replies: vec!["first reply".into(), "second reply".into()],
            reply_delay: Duration::from_millis(50),
        }],
        history: vec![],
        scenario: Scenario::default(),
    }
}

pub fn local() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

pub async fn start(config: SimConfig) -> RunningSim {
    RunningSim::start(config, local())
        .await
        .expect("simulator starts")
}

/// A JSON client authenticated as one account.
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub account: String,
    pub user: String,
    pub pass: String,
}

impl Client {
    pub fn new(sim: &RunningSim) -> Self {
        Self::with_creds(sim, ACCOUNT, ACCOUNT, TOKEN)
    }

    pub fn with_creds(sim: &RunningSim, account: &str, user: &str, pass: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: sim.base_url(),
            account: account.into(),
            user: user.into(),
            pass: pass.into(),
        }
    }

    pub fn messages_path(&self) -> String {
        format!("/2010-04-01/Accounts/{}/Messages.json", self.account)
    }

    pub async fn create(&self, form: &[(&str, &str)]) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}{}", self.base, self.messages_path()))
            .basic_auth(&self.user, Some(&self.pass))
            .form(form)
            .send()
            .await
            .expect("request sent");
        read(response).await
    }

    /// A plain text message from SENDER, expected to succeed.
    pub async fn send(&self, to: &str, body: &str) -> Value {
        let (status, json) = self
            .create(&[("To", to), ("From", SENDER), ("Body", body)])
            .await;
        assert_eq!(status, 201, "create failed: {json}");
        json
    }

    /// GET a path (with query) relative to the host, as Twilio's `*_uri` fields are.
    pub async fn get(&self, path_and_query: &str) -> (u16, Value) {
        let response = self
            .http
            .get(format!("{}{}", self.base, path_and_query))
            .basic_auth(&self.user, Some(&self.pass))
            .send()
            .await
            .expect("request sent");
        read(response).await
    }

    pub async fn fetch(&self, sid: &str) -> (u16, Value) {
        self.get(&format!(
            "/2010-04-01/Accounts/{}/Messages/{sid}.json",
            self.account
        ))
        .await
    }

    pub async fn list(&self, query: &str) -> (u16, Value) {
        self.get(&format!("{}?{query}", self.messages_path())).await
    }
}

pub async fn read(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body read");
    let json =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("body is not JSON ({e}): {text:?}"));
    (status, json)
}

/// Asserts Twilio's error body and that its `status` equals the HTTP status.
pub fn assert_error(status: u16, json: &Value, http: u16, code: u64) {
    assert_eq!(status, http, "HTTP status for {json}");
    assert_eq!(json["code"].as_u64(), Some(code), "code in {json}");
    assert_eq!(
        json["status"].as_u64(),
        Some(u64::from(http)),
        "status in {json}"
    );
    assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(
        json["more_info"].as_str(),
        Some(format!("https://www.twilio.com/docs/errors/{code}").as_str())
    );
}

/// Polls until `check` holds on the fetched message, or panics after `limit`.
pub async fn wait_for(
    client: &Client,
    sid: &str,
    limit: Duration,
    check: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let (status, json) = client.fetch(sid).await;
        assert_eq!(status, 200);
        if check(&json) {
            return json;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting on {sid}; last: {json}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

pub fn is_message_sid(sid: &str) -> bool {
    sid.len() == 34
        && (sid.starts_with("SM") || sid.starts_with("MM"))
        && sid[2..]
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}
