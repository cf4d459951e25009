//! HTTP surface: Twilio's Messages paths, with Twilio error bodies for everything else.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::routing::get;
use axum::{Json, Router};

use crate::auth::authorize;
use crate::create::{validate, CreateForm};
use crate::errors::ApiError;
use crate::lifecycle;
use crate::paging::{list_page, ListQuery};
use crate::server::Shared;
use crate::state::Message;
use crate::wire::{MessageJson, MessagePage};

type AppState = State<Arc<Shared>>;

/// The simulator's router; every unmatched path or method answers with a Twilio error body.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/2010-04-01/Accounts/{account_sid}/Messages.json",
            get(list_messages).post(create_message),
        )
        .route(
            "/2010-04-01/Accounts/{account_sid}/Messages/{message_file}",
            get(fetch_message),
        )
        .route(
            "/2010-04-01/Accounts/{account_sid}/IncomingPhoneNumbers.json",
            get(crate::numbers::list_numbers),
        )
        .merge(crate::admin::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(shared)
}

async fn create_message(
    State(shared): AppState,
    uri: Uri,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<MessageJson>), ApiError> {
    shared.create_requests.fetch_add(1, Ordering::SeqCst);
    let Path(account_sid) = path.map_err(|_| ApiError::not_found(uri.path()))?;
    let account = authorize(&shared.config.accounts, &account_sid, &headers)?;
    let body = body.map_err(|rejection| {
        ApiError::new(
            rejection.status(),
            20001,
            "The request body could not be read.",
        )
    })?;
    let form = CreateForm::parse(&body);
    let message = {
        let mut store = shared.store();
        let accepted = validate(account, &form, &store).inspect_err(|e| {
            tracing::info!(code = e.code, "create rejected");
        })?;
        let message = Message::outbound(
            &account.sid,
            &accepted.from,
            &accepted.to,
            &accepted.body,
            accepted.num_media,
            chrono::Utc::now(),
        );
        store.insert(message.clone());
        message
    };
    tracing::info!(sid = %message.sid, from = %message.from, to = %message.to, "message queued");
    lifecycle::spawn(Arc::clone(&shared), message.sid.clone());
    Ok((StatusCode::CREATED, Json(MessageJson::from(&message))))
}

async fn fetch_message(
    State(shared): AppState,
    uri: Uri,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Result<Json<MessageJson>, ApiError> {
    let Path((account_sid, file)) = path.map_err(|_| ApiError::not_found(uri.path()))?;
    let sid = file
        .strip_suffix(".json")
        .ok_or_else(|| ApiError::not_found(uri.path()))?;
    authorize(&shared.config.accounts, &account_sid, &headers)?;
    let store = shared.store();
    store
        .get_in_account(&account_sid, sid)
        .map(|m| Json(MessageJson::from(m)))
        .ok_or_else(|| ApiError::not_found(uri.path()))
}

async fn list_messages(
    State(shared): AppState,
    uri: Uri,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Json<MessagePage>, ApiError> {
    let Path(account_sid) = path.map_err(|_| ApiError::not_found(uri.path()))?;
    authorize(&shared.config.accounts, &account_sid, &headers)?;
    let query = ListQuery::parse(query.as_deref().unwrap_or(""))?;
    let store = shared.store();
    list_page(&store, &account_sid, &query).map(Json)
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::not_found(uri.path())
}

async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}
