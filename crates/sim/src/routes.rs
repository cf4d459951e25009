//! HTTP surface: Twilio's Messages paths, with Twilio error bodies for everything else.

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
use crate::gate::gate;
use crate::lifecycle::{self, Fate, Plan};
use crate::paging::{list_page, ListQuery};
use crate::scenario::DeliveryError;
use crate::server::Shared;
use crate::state::Message;
use crate::wire::{MessageJson, MessagePage};

type AppState = State<Arc<Shared>>;

/// Route of the Messages collection (create, list).
pub(crate) const MESSAGES_PATH: &str = "/2010-04-01/Accounts/{account_sid}/Messages.json";
/// Route of one message (fetch).
pub(crate) const MESSAGE_PATH: &str = "/2010-04-01/Accounts/{account_sid}/Messages/{message_file}";
/// Route of the account's phone numbers.
pub(crate) const NUMBERS_PATH: &str =
    "/2010-04-01/Accounts/{account_sid}/IncomingPhoneNumbers.json";

/// The simulator's router; every unmatched path or method answers with a Twilio error body.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let twilio = Router::new()
        .route(MESSAGES_PATH, get(list_messages).post(create_message))
        .route(MESSAGE_PATH, get(fetch_message))
        .route(NUMBERS_PATH, get(crate::numbers::list_numbers))
        // Only matched Twilio routes pass the gate: admin calls and 404s never hit a fault.
        .route_layer(axum::middleware::from_fn_with_state(
            Arc::clone(&shared),
            gate,
        ));
    twilio
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
    let service_mode = shared.config.scenario.messaging_service;
    let (message, plan) = {
        let mut store = shared.store();
        let accepted = validate(account, &form, &store, service_mode).inspect_err(|e| {
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
        let now = tokio::time::Instant::now();
        let reserved =
            shared
                .pacer()
                .reserve(&account.sid, &accepted.from, message.num_segments, now);
        let (slot, overflow) = match reserved {
            Ok(slot) => (slot, None),
            // A Messaging Service queues the message and fails it later instead.
            Err(_) if service_mode => (now, Some(DeliveryError::new(30001))),
            Err(_) => {
                tracing::info!(from = %accepted.from, "create rejected: sender queue full");
                return Err(ApiError::queue_full());
            }
        };
        let index = store.next_create_index();
        let fate = match accepted.deferred.or(overflow) {
            Some(error) => Fate::Rejected(error),
            None => Fate::Outcome(shared.outcomes.decide(&accepted.to, index)),
        };
        store.insert(message.clone());
        (message, Plan { slot, fate })
    };
    tracing::info!(sid = %message.sid, from = %message.from, to = %message.to, "message queued");
    lifecycle::spawn(Arc::clone(&shared), message.sid.clone(), plan);
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
