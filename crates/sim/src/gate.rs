//! The middleware in front of every Twilio API route: counts create requests as they arrive and
//! applies armed faults before (or after) the handler runs.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};

use crate::connection::ConnectionHandle;
use crate::create::CreateForm;
use crate::errors::ApiError;
use crate::faults::{FaultKind, Operation};
use crate::routes::{MESSAGES_PATH, MESSAGE_PATH, NUMBERS_PATH};
use crate::server::Shared;

/// The largest create body read, as axum's default body limit for the handler.
const MAX_CREATE_BODY: usize = 2 * 1024 * 1024;

fn operation(method: &Method, path: &str) -> Option<Operation> {
    match (method, path) {
        (&Method::POST, MESSAGES_PATH) => Some(Operation::Create),
        (&Method::GET, MESSAGES_PATH) => Some(Operation::List),
        (&Method::GET, MESSAGE_PATH) => Some(Operation::Fetch),
        (&Method::GET, NUMBERS_PATH) => Some(Operation::Numbers),
        _ => None,
    }
}

pub(crate) async fn gate(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let matched = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let Some(operation) = matched.and_then(|path| operation(request.method(), &path)) else {
        return next.run(request).await;
    };
    let request = if operation == Operation::Create {
        match count_create(&shared, request).await {
            Ok(request) => request,
            Err(error) => return error.into_response(),
        }
    } else {
        request
    };
    let Some(fault) = shared.faults.take(operation) else {
        return next.run(request).await;
    };
    tracing::info!(?operation, ?fault, "fault injected");
    let connection = request.extensions().get::<ConnectionHandle>().cloned();
    match fault {
        FaultKind::ServerError { status } => {
            let status = StatusCode::from_u16(status)
                .ok()
                .filter(StatusCode::is_server_error)
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let reason = status.canonical_reason().unwrap_or("Internal Server Error");
            ApiError::new(status, 20500, reason).into_response()
        }
        FaultKind::RateLimit => {
            ApiError::new(StatusCode::TOO_MANY_REQUESTS, 20429, "Too Many Requests").into_response()
        }
        FaultKind::Slow { delay } => {
            let response = next.run(request).await;
            tokio::time::sleep(delay).await;
            response
        }
        FaultKind::DropBeforeStore => close(connection).await,
        FaultKind::DropAfterStore => {
            let response = next.run(request).await;
            tracing::debug!(status = %response.status(), "answer withheld");
            close(connection).await
        }
    }
}

async fn close(connection: Option<ConnectionHandle>) -> Response {
    match connection {
        Some(connection) => connection.close_unanswered().await,
        // Only reachable if the router is served by something other than `connection::serve`.
        None => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            20500,
            "The connection could not be dropped.",
        )
        .into_response(),
    }
}

/// Counts the create and puts its body back for the handler.
async fn count_create(shared: &Shared, request: Request) -> Result<Request, ApiError> {
    shared.create_requests.fetch_add(1, Ordering::SeqCst);
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_CREATE_BODY)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                20001,
                "The request body could not be read.",
            )
        })?;
    let form = CreateForm::parse(&bytes);
    shared.record_create(&form);
    Ok(Request::from_parts(parts, Body::from(bytes)))
}
