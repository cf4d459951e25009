//! `switchboard`: the core's rules and the app's account without a window.
//!
//! * `switchboard check --to NUMBER --body TEXT [--from NUMBER] [--region CC]
//!   [--quiet-hours RANGE|off] [--at TIME] [--json] [--data-dir DIR]` prints every finding of
//!   the checks before sending (set as in the app's config.toml, the flags winning), the number
//!   as understood, the recipient's local time and what the text costs. Exit status 0 when
//!   nothing blocks, 1 when something does, 2 on bad usage or an unreadable config.toml.
//! * `switchboard explain CODE [--json]` prints the error catalogue's entry for a code.
//! * `switchboard export --since DATE [--until DATE] [--failed-only]` writes the send log
//!   (every provider call with its message) as CSV to standard output.
//! * `switchboard account connect --account-sid AC… [--api-key-sid SK…] [--base-url URL]`
//!   tests and saves the app's account (the secret read from standard input, to the keyring);
//!   `switchboard account show [--json]` prints it (never the secret); `switchboard account
//!   remove` forgets it.
//! * `switchboard send --to N --body T [--from S] [--send-anyway]` sends through the app's
//!   account and waits for the outcome; `switchboard sync [--once] [--backfill-since DATE]`
//!   runs the app's sync (sending, statuses, both directions' messages, the history load)
//!   until interrupted, or one round and the history load with `--once`.
//! * `switchboard seed --messages N --conversations M` fills an empty data folder with
//!   realistic data; `switchboard bench` measures Switchboard at scale (`make bench`).
//! * `switchboard sim [--listen ADDR] [--scenario FILE]` runs the Twilio simulator.
//!
//! Commands that touch the app's data take `--data-dir DIR` (default: the app's own folder) and
//! use the same config.toml and keyring entry as the app. The JSON shapes are documented in the
//! README.

mod account;
mod args;
mod bench;
mod check;
mod export;
mod seed;
mod send;

// As in the app (src-tauri/src/main.rs): mimalloc for Rust's allocations, and for SQLite's
// through `sqlite_memory::use_mimalloc` in `main`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use switchboard_core::catalogue;
use switchboard_core::checks::{self, Context, Draft};
use switchboard_core::config::QuietHoursSetting;

#[derive(Parser)]
#[command(
    name = "switchboard",
    version,
    about = "Switchboard without a window: checks, the error catalogue, sending, sync, export, seed data and benchmarks"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Checks a message before sending: number, text, encoding and segments.
    Check {
        /// The recipient, as a person would type it.
        #[arg(long)]
        to: String,
        /// The text.
        #[arg(long)]
        body: String,
        /// The sender number (finds a message to itself).
        #[arg(long)]
        from: Option<String>,
        /// Region (ISO code) assumed for numbers without a country code; config.toml's
        /// `default_region` (US without one) when absent.
        #[arg(long)]
        region: Option<String>,
        /// The recipient's hours when a text asks first, "21:00-08:00", or "off"; config.toml's
        /// `quiet_hours` ("21:00-08:00" without one) when absent.
        #[arg(long, value_parser = args::quiet_hours)]
        quiet_hours: Option<QuietHoursSetting>,
        /// Check as if sending at this time (RFC 3339, "2026-11-27T21:40:00-06:00"); now when
        /// absent.
        #[arg(long, value_parser = args::instant)]
        at: Option<DateTime<Utc>>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// The app's data folder, whose config.toml sets the checks as in the app.
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Writes the send log (every call to the provider, with its message) as CSV.
    Export {
        /// From this day (2026-11-01) or time (RFC 3339) on.
        #[arg(long, value_parser = args::day_or_instant)]
        since: DateTime<Utc>,
        /// Before this day or time.
        #[arg(long, value_parser = args::day_or_instant)]
        until: Option<DateTime<Utc>>,
        /// Only calls that did not go through, or whose message failed in the end.
        #[arg(long)]
        failed_only: bool,
        /// The app's data folder (default: where the desktop app keeps it).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Explains an error code: what happened, whose move it is, what to do.
    Explain {
        /// A Twilio error code (21211) or one of Switchboard's (provider_no_answer).
        code: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Sends a text through the app's account, after the same checks as the window, and waits
    /// until the provider has it (and, for a little while, for its delivery).
    Send {
        /// The recipient, as a person would type it.
        #[arg(long)]
        to: String,
        /// The text.
        #[arg(long)]
        body: String,
        /// Which of the account's numbers sends it (default: the first).
        #[arg(long)]
        from: Option<String>,
        /// Send even where the checks ask first (quiet hours, a number marked before).
        #[arg(long)]
        send_anyway: bool,
        /// The app's data folder (default: where the desktop app keeps it).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Runs the app's sync on its account without a window: queued messages go out, statuses
    /// and messages both ways come in, and the history loads with a progress bar; until
    /// interrupted (Ctrl+C), or one round with --once.
    Sync {
        /// One round (the queue, statuses, new messages) and the history load, then exit.
        #[arg(long)]
        once: bool,
        /// Load history back to this day (2026-01-31); default: the app's setting.
        #[arg(long, value_parser = args::day)]
        backfill_since: Option<chrono::NaiveDate>,
        /// The app's data folder (default: where the desktop app keeps it).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// The app's Twilio account: connect one (tested first), show it, or remove it.
    Account {
        #[command(subcommand)]
        action: AccountCommand,
    },
    /// Fills an empty data folder with realistic data: statuses, error codes, templates,
    /// authors, bodies in several scripts. It never writes into a database that has messages.
    Seed {
        /// Messages to write.
        #[arg(long, default_value_t = 100_000)]
        messages: u64,
        /// Conversations to spread them over.
        #[arg(long, default_value_t = 10_000)]
        conversations: u64,
        /// The data folder to fill (default: where the desktop app keeps it).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Measures Switchboard at the scale of a busy team; prints a table and writes it as JSON.
    Bench {
        /// Messages in the history and the seeded database.
        #[arg(long, default_value_t = 1_000_000)]
        messages: u64,
        /// Conversations they belong to.
        #[arg(long, default_value_t = 100_000)]
        conversations: u64,
        /// A quick run at a small scale (what `make test` runs); goals are not judged.
        #[arg(long)]
        smoke: bool,
        /// Where the JSON goes.
        #[arg(long, default_value = "target/bench/bench.json")]
        out: PathBuf,
        /// The window's figures, measured by tests/e2e/bench-app.mjs (JSON), to put in the
        /// table.
        #[arg(long)]
        app: Option<PathBuf>,
        /// Only these groups of figures (repeatable), for working on one of them.
        #[arg(long, value_enum)]
        only: Vec<bench::Group>,
    },
    /// Runs the Twilio Messages simulator (what `switchboard-sim` runs).
    Sim(switchboard_sim::cli::Args),
}

#[derive(Subcommand)]
enum AccountCommand {
    /// Tests the credentials exactly as Settings → Test connection does, then saves them as
    /// Settings does: the identifiers to config.toml, the secret to the keyring. The secret
    /// (Auth Token, or the API key's secret) is read from standard input, never from a flag.
    Connect {
        /// The Account SID (AC…).
        #[arg(long)]
        account_sid: String,
        /// An API key SID (SK…), to sign in with the key instead of the Auth Token.
        #[arg(long)]
        api_key_sid: Option<String>,
        /// Another Twilio-compatible API (a proxy, the simulator); Twilio's when absent.
        #[arg(long)]
        base_url: Option<String>,
        /// The app's data folder (default: where the desktop app keeps it).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Prints the connected account and whether the keyring holds its secret (never the secret).
    Show {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// The app's data folder (default: where the desktop app keeps it).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Forgets the account: its secret leaves the keyring, the app returns to demo mode.
    Remove {
        /// The app's data folder (default: where the desktop app keeps it).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
}

/// Runs an async command on a fresh runtime and turns its outcome into the exit status.
fn block(command: impl std::future::Future<Output = Result<(), String>>) -> ExitCode {
    finish(runtime().and_then(|rt| rt.block_on(command)))
}

/// Prints a command's error and turns it into the exit status.
fn finish(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("switchboard: {e}");
            ExitCode::from(1)
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    // SAFETY: the first thing in `main`: no other thread exists yet to use SQLite.
    let routed = unsafe { switchboard_core::store::sqlite_memory::use_mimalloc() };
    debug_assert!(routed, "SQLite started before main");
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            to,
            body,
            from,
            region,
            quiet_hours,
            at,
            json,
            data_dir,
        } => {
            let mut settings = match check::configured(data_dir) {
                Ok(settings) => settings,
                Err(e) => {
                    eprintln!("switchboard: {e}");
                    return ExitCode::from(2);
                }
            };
            if let Some(region) = region {
                settings.default_region = region.trim().to_ascii_uppercase();
            }
            if let Some(quiet_hours) = quiet_hours {
                settings.quiet_hours = quiet_hours.0;
            }
            let context = Context {
                now: at.unwrap_or_else(Utc::now),
                ..Context::default()
            };
            let draft = Draft {
                to: to.clone(),
                from,
                body,
            };
            let report = checks::evaluate(&draft, &context, &settings);
            if json {
                println!("{}", check::check_json(&to, &report));
            } else {
                print!("{}", check::check_text(&to, &report));
            }
            if report.blocker().is_none() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Command::Export {
            since,
            until,
            failed_only,
            data_dir,
        } => {
            let filter = switchboard_core::send_log::LogFilter {
                since: Some(since),
                until,
                failed_only,
                ..Default::default()
            };
            finish(export::export(filter, data_dir))
        }
        Command::Explain { code, json } => {
            let entry = catalogue::explain(&code);
            if json {
                println!("{}", check::explain_json(&code, entry));
            } else {
                print!("{}", check::explain_text(&code, entry));
            }
            ExitCode::SUCCESS
        }
        Command::Send {
            to,
            body,
            from,
            send_anyway,
            data_dir,
        } => block(send::send(
            send::Request {
                to,
                body,
                from,
                send_anyway,
            },
            data_dir,
        )),
        Command::Sync {
            once,
            backfill_since,
            data_dir,
        } => block(send::sync(once, backfill_since, data_dir)),
        Command::Account { action } => match action {
            AccountCommand::Connect {
                account_sid,
                api_key_sid,
                base_url,
                data_dir,
            } => block(account::connect(
                account::Connect {
                    account_sid,
                    api_key_sid,
                    base_url,
                },
                data_dir,
            )),
            AccountCommand::Show { json, data_dir } => block(account::show(json, data_dir)),
            AccountCommand::Remove { data_dir } => block(account::remove(data_dir)),
        },
        Command::Seed {
            messages,
            conversations,
            data_dir,
        } => block(seed::seed_data_dir(
            seed::Size {
                messages,
                conversations,
            },
            data_dir,
        )),
        Command::Bench {
            messages,
            conversations,
            smoke,
            out,
            app,
            only,
        } => block(bench::run(
            seed::Size {
                messages,
                conversations,
            },
            smoke,
            &out,
            app.as_deref(),
            &only,
        )),
        Command::Sim(args) => match runtime() {
            Ok(rt) => rt.block_on(switchboard_sim::cli::run(args, "switchboard sim")),
            Err(e) => finish(Err(e)),
        },
    }
}
