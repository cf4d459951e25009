//! Send log commands: the provider calls with their messages, filtered, and the CSV export
//! (written to the data folder's `exports/`, whose path the window shows).

use std::sync::Arc;

use chrono::{NaiveDate, TimeDelta};
use switchboard_core::send_log::{write_csv, LogFilter};
use switchboard_core::CoreError;
use tauri::State;

use crate::state::AppState;
use crate::wire::*;

type CmdResult<T> = Result<T, IpcError>;

/// The most rows one page of the log may ask for.
const MAX_PAGE: u32 = 1000;

fn day(field: &'static str, value: Option<&str>) -> Result<Option<NaiveDate>, CoreError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| CoreError::InvalidField {
                field,
                problem: format!("“{v}” is not a date."),
                fix: "Pick the day in the calendar, or write it like 2026-11-01.".into(),
            }),
    }
}

/// The core's filter: days are whole days in UTC, the last one included.
fn filter(r: &LogFilterRequest, limit: u32) -> Result<LogFilter, CoreError> {
    let since = day("since", r.since.as_deref())?;
    let until = day("until", r.until.as_deref())?;
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(String::from)
    };
    Ok(LogFilter {
        code: text(&r.code),
        outcome: text(&r.outcome),
        sender: text(&r.sender),
        since: since.map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc()),
        until: until.map(|d| {
            (d + TimeDelta::days(1))
                .and_time(chrono::NaiveTime::MIN)
                .and_utc()
        }),
        failed_only: r.failed_only,
        limit,
        offset: r.offset,
    })
}

/// Provider calls matching the filter, newest first, a page at a time.
#[tauri::command]
pub async fn send_log(
    state: State<'_, Arc<AppState>>,
    request: LogFilterRequest,
) -> CmdResult<Vec<LogEntryView>> {
    let f = filter(&request, request.limit.clamp(1, MAX_PAGE))?;
    let entries = state.services().await?.send_log(&f).await?;
    Ok(entries.into_iter().map(Into::into).collect())
}

/// Writes every call matching the filter as CSV into the data folder's `exports/`; returns
/// where.
#[tauri::command]
pub async fn export_send_log(
    state: State<'_, Arc<AppState>>,
    request: LogFilterRequest,
) -> CmdResult<ExportView> {
    let f = LogFilter {
        offset: 0,
        ..filter(&request, 0)?
    };
    let entries = state.services().await?.send_log(&f).await?;
    let rows = u32::try_from(entries.len()).unwrap_or(u32::MAX);
    Ok(
        crate::exports::write_csv(&state.paths.data_dir, "send-log", rows, move |out| {
            write_csv(&entries, out)
        })
        .await?,
    )
}
