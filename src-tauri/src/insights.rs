//! Insights and triage commands: the figures and the messages behind them, and the bulk
//! actions on unresolved failures (resend with fixed numbers or unchanged, mark landlines,
//! export the recipients, dismiss with a reason).

use std::sync::Arc;

use chrono::Utc;
use switchboard_core::insights::{Dimension, Slice, Window};
use switchboard_core::resend::ResendInput;
use switchboard_core::{triage, CoreError};
use tauri::State;

use crate::state::AppState;
use crate::wire::*;

type CmdResult<T> = Result<T, IpcError>;

/// A bulk action takes at most this many failures at once.
const MAX_BULK: usize = 1000;

fn window(r: &InsightsRequest) -> Result<Window, CoreError> {
    Window::asked(r.days, r.last_hours, Utc::now(), r.utc_offset_minutes)
}

fn bulk<T>(field: &'static str, items: &[T]) -> Result<(), CoreError> {
    if items.is_empty() || items.len() > MAX_BULK {
        return Err(CoreError::InvalidField {
            field,
            problem: format!("{} were chosen", items.len()),
            fix: format!("Choose between 1 and {MAX_BULK} at once."),
        });
    }
    Ok(())
}

/// The Insights screen's figures for the last days.
#[tauri::command]
pub async fn insights(
    state: State<'_, Arc<AppState>>,
    request: InsightsRequest,
) -> CmdResult<InsightsView> {
    let w = window(&request)?;
    Ok(state.services().await?.insights(&w).await?.into())
}

/// The messages behind one bar or row.
#[tauri::command]
pub async fn insight_messages(
    state: State<'_, Arc<AppState>>,
    request: SliceRequest,
) -> CmdResult<SliceView> {
    let w = window(&request.window)?;
    let dimension =
        Dimension::parse(&request.dimension).ok_or_else(|| CoreError::InvalidField {
            field: "dimension",
            problem: format!("“{}” is not a breakdown", request.dimension),
            fix: "Open a row of the Insights screen.".into(),
        })?;
    let slice = Slice {
        dimension,
        key: request.key,
        failed_only: request.failed_only,
    };
    let (messages, total) = state.services().await?.insight_messages(&w, &slice).await?;
    Ok(SliceView {
        messages: messages.into_iter().map(Into::into).collect(),
        total: u32::try_from(total).unwrap_or(u32::MAX),
    })
}

/// Unresolved failures grouped by cause.
#[tauri::command]
pub async fn triage(state: State<'_, Arc<AppState>>) -> CmdResult<Vec<TriageGroupView>> {
    let groups = state.services().await?.triage().await?;
    Ok(groups.into_iter().map(Into::into).collect())
}

/// Resends failures, each with its fixed number or unchanged; says what became of each.
#[tauri::command]
pub async fn resend_failures(
    state: State<'_, Arc<AppState>>,
    request: Vec<BulkFixRequest>,
) -> CmdResult<Vec<BulkResultView>> {
    bulk("message_ids", &request)?;
    let services = state.services().await?;
    let author_id = state.me(&services).await?.map(|m| m.id);
    let inputs = request
        .into_iter()
        .map(|r| ResendInput {
            message_id: r.message_id,
            to: r.to.filter(|t| !t.trim().is_empty()),
            confirmed: r.confirmed,
            author_id,
            ..Default::default()
        })
        .collect();
    Ok(services
        .resend_many(inputs)
        .await
        .into_iter()
        .map(|o| match o.result {
            Ok(m) => BulkResultView {
                message_id: o.message_id,
                new_message_id: Some(m.id),
                error: None,
            },
            Err(e) => BulkResultView {
                message_id: o.message_id,
                new_message_id: None,
                error: Some(e.into()),
            },
        })
        .collect())
}

/// Sets failures aside with a reason; returns how many were.
#[tauri::command]
pub async fn dismiss_failures(
    state: State<'_, Arc<AppState>>,
    request: DismissRequest,
) -> CmdResult<u32> {
    bulk("message_ids", &request.message_ids)?;
    let services = state.services().await?;
    let by = state.me(&services).await?.map(|m| m.id);
    let n = services
        .dismiss_failures(&request.message_ids, &request.reason, by)
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Marks the numbers as landlines.
#[tauri::command]
pub async fn mark_landlines(
    state: State<'_, Arc<AppState>>,
    numbers: Vec<String>,
) -> CmdResult<()> {
    bulk("numbers", &numbers)?;
    Ok(state.services().await?.mark_landlines(&numbers).await?)
}

/// Writes the recipients of a group's failures (or the chosen ones) as CSV into `exports/`.
#[tauri::command]
pub async fn export_recipients(
    state: State<'_, Arc<AppState>>,
    code: String,
    message_ids: Option<Vec<i64>>,
) -> CmdResult<ExportView> {
    let groups = state.services().await?.triage().await?;
    let items: Vec<_> = groups
        .into_iter()
        .filter(|g| g.code == code)
        .flat_map(|g| g.items)
        .filter(|i| {
            message_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&i.message_id))
        })
        .collect();
    if items.is_empty() {
        return Err(CoreError::InvalidField {
            field: "code",
            problem: "no unresolved failure is left in that group".into(),
            fix: "Reload the Failures screen; someone may have dealt with them.".into(),
        }
        .into());
    }
    let rows = u32::try_from(items.len()).unwrap_or(u32::MAX);
    let name = format!(
        "recipients-{}",
        code.replace(|c: char| !c.is_ascii_alphanumeric(), "")
    );
    Ok(
        crate::exports::write_csv(&state.paths.data_dir, &name, rows, move |out| {
            triage::write_recipients(&items, out)
        })
        .await?,
    )
}
