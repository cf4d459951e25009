//! Argument parsing shared by the commands, and where the app keeps its data.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use switchboard_core::config::QuietHoursSetting;

pub fn quiet_hours(s: &str) -> Result<QuietHoursSetting, String> {
    QuietHoursSetting::try_from(s.to_string()).map_err(|e| e.to_string())
}

pub fn instant(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("“{s}” is not a time: write it like 2026-11-27T21:40:00-06:00"))
}

pub fn day_or_instant(s: &str) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(day) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(day.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    instant(s).map_err(|_| {
        format!("“{s}” is not a date: write it like 2026-11-01 or 2026-11-01T09:00:00Z")
    })
}

/// A day, `2026-01-31`.
pub fn day(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("“{s}” is not a date: write it like 2026-01-31"))
}

/// The desktop app's data folder (Tauri's: the platform's data folder and the app's identifier).
pub fn default_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("app.switchboard.desktop"))
}

/// The data folder given, else the app's.
pub fn data_dir(given: Option<PathBuf>) -> Result<PathBuf, String> {
    given
        .or_else(default_data_dir)
        .ok_or_else(|| "no data folder: give one with --data-dir".to_string())
}

/// The app's config.toml in a data folder (the defaults when there is none); an unreadable one
/// is an error that says what to fix, on a line of its own after the parser's excerpt of the
/// file (which spans several lines).
pub fn load_config(dir: &std::path::Path) -> Result<switchboard_core::config::Config, String> {
    switchboard_core::config::Config::load(&dir.join("config.toml"))
        .map_err(|e| format!("{}\n{}", e.to_string().trim_end(), e.hint()))
}
