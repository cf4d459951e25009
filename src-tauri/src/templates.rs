//! Template commands: the list (all, or the approved ones for the composer), the form, approval
//! and deletion as the person at this desktop, and a preview for one conversation.

use std::sync::Arc;

use tauri::State;

use crate::state::AppState;
use crate::wire::*;

type CmdResult<T> = Result<T, IpcError>;

/// Templates by name; only approved ones when asked (the composer's picker); matching `search`.
#[tauri::command]
pub async fn list_templates(
    state: State<'_, Arc<AppState>>,
    approved_only: bool,
    search: String,
) -> CmdResult<Vec<TemplateView>> {
    let services = state.services().await?;
    let list = services.templates(approved_only, &search).await?;
    Ok(list.into_iter().map(Into::into).collect())
}

/// Adds or changes a template, written by the person at this desktop; it is then a draft.
#[tauri::command]
pub async fn save_template(
    state: State<'_, Arc<AppState>>,
    request: TemplateRequest,
) -> CmdResult<TemplateView> {
    let services = state.services().await?;
    let me = state.me(&services).await?;
    Ok(services
        .save_template(&request.into(), me.as_ref())
        .await?
        .into())
}

/// Approves a template (admins only).
#[tauri::command]
pub async fn approve_template(
    state: State<'_, Arc<AppState>>,
    template_id: i64,
) -> CmdResult<TemplateView> {
    let services = state.services().await?;
    let me = state.me(&services).await?;
    Ok(services
        .approve_template(template_id, me.as_ref())
        .await?
        .into())
}

/// Deletes a template (an admin any; an agent their own draft).
#[tauri::command]
pub async fn delete_template(state: State<'_, Arc<AppState>>, template_id: i64) -> CmdResult<()> {
    let services = state.services().await?;
    let me = state.me(&services).await?;
    Ok(services.delete_template(template_id, me.as_ref()).await?)
}

/// A template filled in for a conversation, with its checks (encoding, segments, unfilled
/// fields).
#[tauri::command]
pub async fn preview_template(
    state: State<'_, Arc<AppState>>,
    template_id: i64,
    conversation_id: i64,
) -> CmdResult<TemplatePreviewView> {
    let services = state.services().await?;
    let me = state.me(&services).await?;
    let preview = services
        .preview_template(template_id, conversation_id, me.as_ref())
        .await?;
    Ok(TemplatePreviewView {
        body: preview.rendered.body,
        unfilled: preview.rendered.unfilled,
        check: preview.report.into(),
    })
}
