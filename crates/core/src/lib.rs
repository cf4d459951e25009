//! Switchboard's core: every rule of the product, with no window in sight. The desktop shell,
//! the tests and the CLI all start from [`open`].

pub mod app;
pub mod backfill;
pub mod catalogue;
pub mod checks;
pub mod config;
pub mod connectivity;
pub mod contacts;
pub mod domain;
pub mod error;
pub mod events;
pub mod import;
pub mod inbox;
pub mod insights;
pub mod installation;
pub mod instance;
pub mod memory;
pub mod notices;
pub mod number;
pub mod outbox;
pub mod preferences;
pub mod provider;
pub mod recipient_time;
pub mod reconcile;
pub mod resend;
pub mod search;
pub mod secrets;
pub mod send_log;
pub mod settings;
pub mod store;
pub mod sync;
pub mod team;
pub mod templates;
pub mod text;
pub mod triage;

pub use app::{open, open_with_provider, MessageDetails, OpenOptions, Services, Thread, Tuning};
pub use error::{CoreError, Result};
