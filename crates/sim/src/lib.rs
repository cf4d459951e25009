//! A Twilio-compatible, stateful simulator of the Messages API (REST 2010-04-01: create, fetch,
//! list), for Switchboard's demo mode, tests and benchmarks.
//!
//! Start one in-process with [`RunningSim::start`] on `127.0.0.1:0` and point a Twilio client at
//! [`RunningSim::base_url`].

mod admin;
mod auth;
mod config;
mod create;
mod demo;
mod errors;
mod lifecycle;
mod numbers;
mod paging;
mod routes;
mod segments;
mod server;
mod state;
mod wire;

pub use config::{AccountConfig, ApiKey, Customer, Lifecycle, SeedMessage, SimConfig};
pub use demo::{
    DemoCustomer, DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN, DEMO_CUSTOMERS, DEMO_NUMBERS, DEMO_REPLY_DELAY,
};
pub use server::RunningSim;
