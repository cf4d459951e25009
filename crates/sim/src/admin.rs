//! The simulator's own control API, under `/_sim/` so it can never collide with a Twilio path:
//! tests and the end-to-end suite use it to play the customer and to count requests.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::errors::ApiError;
use crate::server::Shared;

/// A customer's message to one of the account's numbers.
#[derive(Debug, Deserialize)]
struct InboundRequest {
    account_sid: String,
    from: String,
    to: String,
    body: String,
}

/// The SID the injected message got.
#[derive(Debug, Serialize)]
struct InboundResponse {
    sid: String,
}

/// Counters for tests.
#[derive(Debug, Serialize)]
struct Stats {
    create_requests: usize,
}

/// Routes under `/_sim/`.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_sim/inbound", post(inbound))
        .route("/_sim/stats", get(stats))
}

async fn inbound(
    State(shared): State<Arc<Shared>>,
    request: Result<Json<InboundRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<InboundResponse>), ApiError> {
    let Json(r) =
        request.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, 20001, e.body_text()))?;
    if !shared
        .config
        .accounts
        .iter()
        .any(|a| a.sid == r.account_sid)
    {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            20404,
            "No such account.",
        ));
    }
    let sid = shared.inject_inbound(&r.account_sid, &r.from, &r.to, &r.body);
    Ok((StatusCode::CREATED, Json(InboundResponse { sid })))
}

async fn stats(State(shared): State<Arc<Shared>>) -> Json<Stats> {
    Json(Stats {
        create_requests: shared.create_requests.load(Ordering::SeqCst),
    })
}
