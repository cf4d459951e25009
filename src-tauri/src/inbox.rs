//! The team's commands: who is on the team and at this desktop, the list's views, assignment,
//! open and closed, and internal notes.

use std::sync::Arc;

use switchboard_core::domain::ConversationState as CoreState;
use switchboard_core::store::conversations::ConversationQuery;
use switchboard_core::{CoreError, Services};
use tauri::State;

use crate::state::AppState;
use crate::wire::*;

type CmdResult<T> = Result<T, IpcError>;

/// The most rows one page of the list may ask for.
const MAX_PAGE: u32 = 1000;

async fn me_id(state: &AppState, services: &Services) -> CmdResult<Option<i64>> {
    Ok(state.me(services).await?.map(|m| m.id))
}

async fn sender_id(services: &Services, sender: Option<&str>) -> CmdResult<Option<i64>> {
    match sender.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(number) => {
            Ok(Some(services.sender_id(number).await?.ok_or_else(
                || CoreError::UnknownSender(number.to_string()),
            )?))
        }
    }
}

/// One page of a view of the list, newest activity first.
#[tauri::command]
pub async fn list_conversations(
    state: State<'_, Arc<AppState>>,
    request: ListRequest,
) -> CmdResult<ConversationPage> {
    let services = state.services().await?;
    let query = ConversationQuery {
        view: request.view.into(),
        me: me_id(&state, &services).await?,
        sender_id: sender_id(&services, request.sender.as_deref()).await?,
        offset: request.offset,
        limit: request.limit.min(MAX_PAGE),
    };
    let page = services.conversations(&query).await?;
    Ok(ConversationPage {
        total: page.total,
        items: page.items.into_iter().map(Into::into).collect(),
    })
}

/// The count beside each view (for one sender number, or all), and unread messages.
#[tauri::command]
pub async fn view_counts(
    state: State<'_, Arc<AppState>>,
    sender: Option<String>,
) -> CmdResult<ViewCountsView> {
    let services = state.services().await?;
    let me = me_id(&state, &services).await?;
    let sender = sender_id(&services, sender.as_deref()).await?;
    Ok(services.view_counts(me, sender).await?.into())
}

/// Everyone on the team, those who left included, by name.
#[tauri::command]
pub async fn list_team(state: State<'_, Arc<AppState>>) -> CmdResult<Vec<MemberView>> {
    let team = state.services().await?.team().await?;
    Ok(team.into_iter().map(Into::into).collect())
}

/// Adds a member or changes one.
#[tauri::command]
pub async fn save_member(
    state: State<'_, Arc<AppState>>,
    request: MemberRequest,
) -> CmdResult<MemberView> {
    let services = state.services().await?;
    Ok(services.save_member(&request.into()).await?.into())
}

/// Takes a member off the team; their conversations become unassigned.
#[tauri::command]
pub async fn remove_member(state: State<'_, Arc<AppState>>, uid: String) -> CmdResult<()> {
    Ok(state.services().await?.remove_member(&uid).await?)
}

/// Who uses this desktop, if known.
#[tauri::command]
pub async fn get_me(state: State<'_, Arc<AppState>>) -> CmdResult<Option<MemberView>> {
    let services = state.services().await?;
    Ok(state.me(&services).await?.map(Into::into))
}

/// Remembers who uses this desktop.
#[tauri::command]
pub async fn set_me(state: State<'_, Arc<AppState>>, uid: String) -> CmdResult<MemberView> {
    let services = state.services().await?;
    Ok(state.set_me(&services, &uid).await?.into())
}

/// Gives a conversation to a member, or to nobody (`member_id` null).
#[tauri::command]
pub async fn assign_conversation(
    state: State<'_, Arc<AppState>>,
    conversation_id: i64,
    member_id: Option<i64>,
) -> CmdResult<()> {
    Ok(state
        .services()
        .await?
        .assign(conversation_id, member_id)
        .await?)
}

/// Assigns a conversation to the person at this desktop.
#[tauri::command]
pub async fn claim_conversation(
    state: State<'_, Arc<AppState>>,
    conversation_id: i64,
) -> CmdResult<()> {
    let services = state.services().await?;
    let me = me_id(&state, &services)
        .await?
        .ok_or(CoreError::NoIdentity)?;
    Ok(services.assign(conversation_id, Some(me)).await?)
}

/// Opens or closes a conversation.
#[tauri::command]
pub async fn set_conversation_state(
    state: State<'_, Arc<AppState>>,
    conversation_id: i64,
    open: bool,
) -> CmdResult<()> {
    let new = if open {
        CoreState::Open
    } else {
        CoreState::Closed
    };
    Ok(state
        .services()
        .await?
        .set_state(conversation_id, new)
        .await?)
}

/// Adds an internal note, written by the person at this desktop; it is never sent.
#[tauri::command]
pub async fn add_note(
    state: State<'_, Arc<AppState>>,
    conversation_id: i64,
    body: String,
) -> CmdResult<NoteView> {
    let services = state.services().await?;
    let me = me_id(&state, &services).await?;
    Ok(services.add_note(conversation_id, me, &body).await?.into())
}

/// The next failed message nobody has made good yet after `after` (going round), for `f`.
#[tauri::command]
pub async fn next_failed(
    state: State<'_, Arc<AppState>>,
    after: Option<i64>,
) -> CmdResult<Option<MessageRef>> {
    let found = state.services().await?.next_failed(after).await?;
    Ok(found.map(|(conversation_id, message_id)| MessageRef {
        conversation_id,
        message_id,
    }))
}
