//! The simulator's own control API, under `/_sim/` so it can never collide with a Twilio path:
//! tests and the end-to-end suite use it to play the customer, count requests and arm faults.
//!
//! The routes and bodies are documented in the crate docs (`lib.rs`).

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::errors::ApiError;
use crate::faults::FaultSpec;
use crate::server::Shared;
use crate::stats::ToBodyCount;

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
    by_from: BTreeMap<String, usize>,
    by_to: BTreeMap<String, usize>,
    by_to_body: Vec<ToBodyCount>,
}

/// Routes under `/_sim/`.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_sim/inbound", post(inbound))
        .route("/_sim/stats", get(stats))
        .route(
            "/_sim/faults",
            get(list_faults).post(arm_fault).delete(clear_faults),
        )
}

fn bad_body(rejection: &JsonRejection) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, 20001, rejection.body_text())
}

async fn inbound(
    State(shared): State<Arc<Shared>>,
    request: Result<Json<InboundRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<InboundResponse>), ApiError> {
    let Json(r) = request.map_err(|e| bad_body(&e))?;
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
    let counts = shared.stats();
    Json(Stats {
        create_requests: shared.create_requests.load(Ordering::SeqCst),
        by_from: counts.by_from(),
        by_to: counts.by_to(),
        by_to_body: counts.by_to_body(),
    })
}

async fn arm_fault(
    State(shared): State<Arc<Shared>>,
    request: Result<Json<FaultSpec>, JsonRejection>,
) -> Result<(StatusCode, Json<FaultSpec>), ApiError> {
    let Json(spec) = request.map_err(|e| bad_body(&e))?;
    let fault = spec
        .into_fault()
        .map_err(|problem| ApiError::bad_request(20001, problem))?;
    shared.faults.arm(fault);
    tracing::info!(?fault, "fault armed");
    Ok((StatusCode::CREATED, Json(FaultSpec::of(&fault))))
}

async fn list_faults(State(shared): State<Arc<Shared>>) -> Json<Vec<FaultSpec>> {
    Json(shared.faults.list().iter().map(FaultSpec::of).collect())
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.faults.clear();
    tracing::info!("faults cleared");
    StatusCode::NO_CONTENT
}
