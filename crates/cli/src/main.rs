//! `switchboard`: the core's rules without a window.
//!
//! * `switchboard check --to NUMBER --body TEXT [--from NUMBER] [--region CC]
//!   [--quiet-hours RANGE|off] [--at TIME] [--json]` prints every finding of the checks before
//!   sending, the number as understood, the recipient's local time and what the text costs.
//!   Exit status 0 when nothing blocks, 1 when something does, 2 on bad usage.
//! * `switchboard explain CODE [--json]` prints the error catalogue's entry for a code.
//! * `switchboard export --since DATE [--until DATE] [--failed-only] [--data-dir DIR]` writes the
//!   send log (every provider call with its message) as CSV to standard output.
//!
//! The JSON shapes are documented in the README.

use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use serde_json::{json, Value};
use switchboard_core::catalogue::{self, Entry, RetryPolicy};
use switchboard_core::checks::{self, CheckReport, CheckSettings, Context, Draft, Severity};
use switchboard_core::config::QuietHoursSetting;
use switchboard_core::number;

#[derive(Parser)]
#[command(
    name = "switchboard",
    version,
    about = "Switchboard's checks and error catalogue, headless"
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
        /// Region (ISO code) assumed for numbers without a country code.
        #[arg(long, default_value = number::DEFAULT_REGION)]
        region: String,
        /// The recipient's hours when a text asks first, "21:00-08:00", or "off".
        #[arg(long, default_value = "21:00-08:00", value_parser = quiet_hours)]
        quiet_hours: QuietHoursSetting,
        /// Check as if sending at this time (RFC 3339, "2026-11-27T21:40:00-06:00"); now when
        /// absent.
        #[arg(long, value_parser = instant)]
        at: Option<DateTime<Utc>>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Writes the send log (every call to the provider, with its message) as CSV.
    Export {
        /// From this day (2026-11-01) or time (RFC 3339) on.
        #[arg(long, value_parser = day_or_instant)]
        since: DateTime<Utc>,
        /// Before this day or time.
        #[arg(long, value_parser = day_or_instant)]
        until: Option<DateTime<Utc>>,
        /// Only calls that did not go through, or whose message failed in the end.
        #[arg(long)]
        failed_only: bool,
        /// The app's data folder (default: where the desktop app keeps it).
        #[arg(long)]
        data_dir: Option<std::path::PathBuf>,
    },
    /// Explains an error code: what happened, whose move it is, what to do.
    Explain {
        /// A Twilio error code (21211) or one of Switchboard's (provider_no_answer).
        code: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn quiet_hours(s: &str) -> Result<QuietHoursSetting, String> {
    QuietHoursSetting::try_from(s.to_string()).map_err(|e| e.to_string())
}

fn instant(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("“{s}” is not a time: write it like 2026-11-27T21:40:00-06:00"))
}

fn day_or_instant(s: &str) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(day) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(day.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    instant(s).map_err(|_| {
        format!("“{s}” is not a date: write it like 2026-11-01 or 2026-11-01T09:00:00Z")
    })
}

/// The desktop app's data folder (Tauri's: the platform's data folder and the app's identifier).
fn default_data_dir() -> Option<std::path::PathBuf> {
    dirs::data_dir().map(|d| d.join("app.switchboard.desktop"))
}

/// Writes the send log of the database the app uses (the demo's in demo mode) as CSV.
fn export(
    filter: switchboard_core::send_log::LogFilter,
    data_dir: Option<std::path::PathBuf>,
) -> Result<(), String> {
    let dir = data_dir
        .or_else(default_data_dir)
        .ok_or("no data folder: give one with --data-dir")?;
    let config = switchboard_core::config::Config::load(&dir.join("config.toml"))
        .map_err(|e| format!("{e}: {}", e.hint()))?;
    let file = config.database_file().ok_or(
        "demo mode is off and no account is set up, so there is no send log: connect an account in the app's Settings",
    )?;
    let database = dir.join(&file);
    if !database.exists() {
        return Err(format!(
            "there is no database at {}: start the app once, or give its data folder with --data-dir",
            database.display()
        ));
    }
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let entries = runtime
        .block_on(async {
            let store = switchboard_core::store::Store::open(&database).await?;
            let entries = switchboard_core::send_log::entries(store.pool(), &filter).await;
            store.close().await;
            entries
        })
        .map_err(|e| format!("{e}: {}", e.hint()))?;
    switchboard_core::send_log::write_csv(&entries, std::io::stdout().lock())
        .map_err(|e| e.to_string())
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Note => "note",
        Severity::Confirm => "confirm",
        Severity::Block => "block",
    }
}

fn check_json(to: &str, report: &CheckReport) -> Value {
    json!({
        "input": to,
        "number": report.number.as_ref().map(|n| json!({
            "e164": n.e164,
            "country": n.country,
            "calling_code": n.calling_code,
            "valid": n.valid,
            "kind": n.kind.map(|k| k.as_str()),
        })),
        "recipient_time": report.recipient_time.as_ref().map(|t| t.describe()),
        "text": {
            "encoding": report.text.info.encoding.as_str(),
            "segments": report.text.info.segments,
            "characters": report.text.chars,
            "units": report.text.units,
            "ucs2_characters": report.text.forcing.iter().map(|f| json!({
                "char": f.ch.to_string(),
                "utf16_offset": f.utf16_offset,
                "replacement": f.replacement,
            })).collect::<Vec<_>>(),
            "gsm_safe": report.text.gsm_safe.as_ref().map(|(body, info)| json!({
                "body": body,
                "encoding": info.encoding.as_str(),
                "segments": info.segments,
            })),
        },
        "findings": report.findings.iter().map(|f| json!({
            "severity": severity(f.severity),
            "code": f.code,
            "message": f.message,
            "fix": f.fix,
        })).collect::<Vec<_>>(),
        "can_send": report.blocker().is_none(),
    })
}

fn check_text(to: &str, report: &CheckReport) -> String {
    let mut out = String::new();
    match &report.number {
        Some(n) => out.push_str(&format!(
            "number   {} ({}, +{}){}{}\n",
            n.e164,
            n.country.as_deref().unwrap_or("unknown country"),
            n.calling_code,
            if n.valid {
                ""
            } else {
                ", not in the numbering plan"
            },
            n.kind
                .map(|k| format!(
                    ", {}",
                    serde_json::to_value(k)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                ))
                .unwrap_or_default(),
        )),
        None => out.push_str(&format!("number   “{to}” is not a phone number\n")),
    }
    if let Some(time) = &report.recipient_time {
        out.push_str(&format!("time     {} for the recipient\n", time.describe()));
    }
    let t = &report.text;
    out.push_str(&format!(
        "text     {} characters, {}, {} segment{}\n",
        t.chars,
        t.info.encoding.as_str(),
        t.info.segments,
        if t.info.segments == 1 { "" } else { "s" }
    ));
    if !t.forcing.is_empty() {
        let chars: Vec<String> = t
            .forcing
            .iter()
            .map(|f| format!("“{}” at {}", f.ch, f.utf16_offset))
            .collect();
        out.push_str(&format!("ucs-2    forced by {}\n", chars.join(", ")));
    }
    if let Some((body, info)) = &t.gsm_safe {
        out.push_str(&format!(
            "gsm-safe {} segment{}: {body}\n",
            info.segments,
            if info.segments == 1 { "" } else { "s" }
        ));
    }
    for f in &report.findings {
        out.push_str(&format!(
            "{:<8} {} — {} ({})\n",
            severity(f.severity),
            f.message,
            f.fix,
            f.code
        ));
    }
    out.push_str(if report.blocker().is_none() {
        "ok       nothing blocks this message\n"
    } else {
        "blocked  fix the findings above before sending\n"
    });
    out
}

fn retry_json(retry: RetryPolicy) -> Value {
    match retry {
        RetryPolicy::Never => json!({"kind": "never"}),
        RetryPolicy::AfterFix => json!({"kind": "after_fix"}),
        RetryPolicy::AfterCooldown { minutes } => {
            json!({"kind": "after_cooldown", "minutes": minutes})
        }
        RetryPolicy::Automatic => json!({"kind": "automatic"}),
    }
}

fn explain_json(asked: &str, e: &Entry) -> Value {
    json!({
        "code": asked,
        "entry": e.code,
        "title": e.title,
        "reason": e.reason,
        "owner": e.owner,
        "owner_label": e.owner.label(),
        "hint": e.hint,
        "retry": retry_json(e.retry),
        "actions": e.actions.iter().map(|a| json!({"key": a.key(), "label": a.label()})).collect::<Vec<_>>(),
        "marks_number": e.marks.map(|m| m.as_str()),
        "link": e.link(),
    })
}

fn explain_text(asked: &str, e: &Entry) -> String {
    let fallback = if e.code == asked {
        String::new()
    } else {
        format!(" (not listed; the {} entry applies)", e.code)
    };
    let retry = match e.retry {
        RetryPolicy::Never => "never as it is".to_string(),
        RetryPolicy::AfterFix => "after the cause is fixed".to_string(),
        RetryPolicy::AfterCooldown { minutes } => format!("after {minutes} minutes"),
        RetryPolicy::Automatic => "automatic".to_string(),
    };
    let actions: Vec<&str> = e.actions.iter().map(|a| a.label()).collect();
    let mut out = format!(
        "{asked}{fallback}: {}\n{}\nwhose move: {}\nwhat to do: {}\nretry: {retry}\nfixes: {}\n",
        e.title,
        e.reason,
        e.owner.label(),
        e.hint,
        actions.join(", ")
    );
    if let Some(m) = e.marks {
        out.push_str(&format!("marks the number: {}\n", m.as_str()));
    }
    if let Some(link) = e.link() {
        out.push_str(&format!("more: {link}\n"));
    }
    out
}

fn main() -> ExitCode {
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
        } => {
            let settings = CheckSettings {
                default_region: region.trim().to_ascii_uppercase(),
                quiet_hours: quiet_hours.0,
                ..CheckSettings::default()
            };
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
                println!("{}", check_json(&to, &report));
            } else {
                print!("{}", check_text(&to, &report));
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
            match export(filter, data_dir) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("switchboard: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Explain { code, json } => {
            let entry = catalogue::explain(&code);
            if json {
                println!("{}", explain_json(&code, entry));
            } else {
                print!("{}", explain_text(&code, entry));
            }
            ExitCode::SUCCESS
        }
    }
}
