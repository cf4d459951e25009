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

/// Results per page of the search: contacts, and messages with notes.
const SEARCH_LIMIT: u32 = 30;

/// A page of the contacts, messages and notes matching what was typed (any text is safe):
/// the first without `page`, the next with the one the last page gave.
#[tauri::command]
pub async fn search(
    state: State<'_, Arc<AppState>>,
    query: String,
    page: Option<SearchPageView>,
) -> CmdResult<SearchView> {
    let page = page.map(Into::into).unwrap_or_default();
    Ok(state
        .services()
        .await?
        .search(&query, SEARCH_LIMIT, &page)
        .await?
        .into())
}

/// Reads a CSV file's text and checks every row; writes nothing. Without a mapping, one is
/// guessed from the header names.
#[tauri::command]
pub async fn preview_import(
    state: State<'_, Arc<AppState>>,
    text: String,
    mapping: Option<MappingView>,
) -> CmdResult<ImportPreviewView> {
    let mapping = match mapping {
        Some(m) => m.into(),
        None => {
            switchboard_core::import::guess_mapping(&switchboard_core::import::read_table(&text)?.0)
        }
    };
    let report = state
        .services()
        .await?
        .preview_import(&text, &mapping)
        .await?;
    Ok(ImportPreviewView {
        headers: report.headers,
        mapping: mapping.into(),
        rows: report.rows.into_iter().map(Into::into).collect(),
    })
}

/// Writes the accepted rows (by line) of the file; invalid and duplicate rows never are.
#[tauri::command]
pub async fn import_contacts(
    state: State<'_, Arc<AppState>>,
    text: String,
    mapping: MappingView,
    accepted_lines: Vec<u32>,
) -> CmdResult<ImportResultView> {
    let lines: Vec<usize> = accepted_lines.into_iter().map(|l| l as usize).collect();
    let result = state
        .services()
        .await?
        .import_contacts(&text, &mapping.into(), &lines)
        .await?;
    Ok(ImportResultView {
        created: result.created,
        updated: result.updated,
    })
}
