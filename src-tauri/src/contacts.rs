//! Contact commands: the list with search, one contact's details (fields, number state and its
//! reason, past numbers, conversations), the edit form; and the search over everything.

use std::sync::Arc;

use tauri::State;

use crate::state::AppState;
use crate::wire::*;

type CmdResult<T> = Result<T, IpcError>;

/// Contacts shown at most per search.
const LIST_LIMIT: u32 = 200;

/// Contacts by name, matching `search` in the name or number.
#[tauri::command]
pub async fn list_contacts(
    state: State<'_, Arc<AppState>>,
    search: String,
) -> CmdResult<Vec<ContactSummaryView>> {
    let list = state
        .services()
        .await?
        .contacts(&search, LIST_LIMIT)
        .await?;
    Ok(list.into_iter().map(Into::into).collect())
}

/// Everything known about a contact.
#[tauri::command]
pub async fn get_contact(
    state: State<'_, Arc<AppState>>,
    contact_id: i64,
) -> CmdResult<ContactView> {
    Ok(state.services().await?.contact(contact_id).await?.into())
}

/// The contact a conversation is with.
#[tauri::command]
pub async fn contact_of_conversation(
    state: State<'_, Arc<AppState>>,
    conversation_id: i64,
) -> CmdResult<ContactView> {
    Ok(state
        .services()
        .await?
        .contact_of_conversation(conversation_id)
        .await?
        .into())
}

/// Saves a contact's name, number and fields.
#[tauri::command]
pub async fn save_contact(
    state: State<'_, Arc<AppState>>,
    request: ContactRequest,
) -> CmdResult<ContactView> {
    Ok(state
        .services()
        .await?
        .save_contact(&request.into())
        .await?
        .into())
}

/// Results per kind shown by the search.
const SEARCH_LIMIT: u32 = 30;

/// Messages and contacts matching what was typed (any text is safe).
#[tauri::command]
pub async fn search(state: State<'_, Arc<AppState>>, query: String) -> CmdResult<SearchView> {
    Ok(state
        .services()
        .await?
        .search(&query, SEARCH_LIMIT)
        .await?
        .into())
}
