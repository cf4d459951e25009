//! A Twilio-compatible, stateful simulator of the Messages API (REST 2010-04-01: create, fetch,
//! list), for Switchboard's demo mode, tests and benchmarks.
//!
//! Start one in-process with [`RunningSim::start`] on `127.0.0.1:0` and point a Twilio client at
//! [`RunningSim::base_url`]. A [`Scenario`] adds per-sender pacing, delivery failures by
//! recipient or at random, Messaging-Service-style asynchronous errors and scripted customers;
//! [`Fault`]s make requests fail, stall or lose their connection.
//!
//! # Control API
//!
//! Under `/_sim/`, unauthenticated, JSON in and out; it never collides with a Twilio path.
//!
//! * `POST /_sim/inbound` `{"account_sid", "from", "to", "body"}` → 201 `{"sid"}`: a customer texts.
//! * `GET /_sim/stats` → `{"create_requests": 5, "by_from": {"+1415…": 5}, "by_to": {"+1312…": 4},
//!   "by_to_body": [{"to": "+1312…", "body": "hi", "count": 3}, …]}`. Every create request is
//!   counted on arrival, whatever its answer; `by_to_body` lists the most requested pair first.
//! * `POST /_sim/faults` `{"kind": "server_error", "status": 503, "count": 2, "only": "create"}`
//!   → 201 with the fault as armed. Kinds: `server_error` (`status` 500–599, default 500; Twilio
//!   body with code 20500), `rate_limit` (429, code 20429), `slow` (`delay_ms` required; the
//!   request is processed, then answered late), `drop_before_store` / `drop_after_store` (the
//!   connection closes without an answer, before or after the request is processed; they default
//!   to `"only": "create"`). `count` defaults to 1; `only` is one of `create`, `fetch`, `list`,
//!   `numbers` (absent: any Twilio API request). Faults are used first armed, first spent.
//! * `GET /_sim/faults` → the armed faults with their remaining counts; `DELETE /_sim/faults` → 204.
//!
//! A bad body answers 400 with a Twilio-style error body (code 20001) naming the problem.

mod admin;
mod auth;
pub mod cli;
mod config;
mod connection;
mod create;
mod demo;
mod errors;
mod faults;
mod gate;
mod lifecycle;
mod numbers;
mod outcome;
mod pacing;
mod paging;
mod routes;
mod scenario;
mod segments;
mod server;
mod state;
mod stats;
mod store;
mod wire;

pub use config::{AccountConfig, ApiKey, Customer, Lifecycle, SeedMessage, SimConfig};
pub use demo::{
    DemoCustomer, DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN, DEMO_CUSTOMERS, DEMO_LANDLINE, DEMO_NUMBERS,
    DEMO_REPLY_DELAY,
};
pub use faults::{Fault, FaultKind, Operation};
pub use scenario::{
    DeliveryError, NumberPattern, Outcome, OutcomeRule, RandomOutcome, Scenario, ScenarioError,
    Throughput,
};
pub use server::RunningSim;
