//! Serving HTTP/1.1 connection by connection, so a request can close its own connection without
//! an answer: a dropped-connection fault must look to the client like a network failure, not
//! like a status code or a hang.

use std::convert::Infallible;
use std::future::{pending, Future};
use std::pin::pin;
use std::time::Duration;

use axum::extract::Request;
use axum::response::Response;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tower_service::Service as _;

/// A pause after a failed accept (e.g. out of file descriptors) so the loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// Put into every request's extensions: closes the connection the request came on.
#[derive(Debug, Clone)]
pub(crate) struct ConnectionHandle(CancellationToken);

impl ConnectionHandle {
    /// Closes the connection without answering; the returned future never completes because
    /// the connection (and with it this request) is dropped first.
    pub fn close_unanswered(&self) -> impl Future<Output = Response> + Send + 'static {
        self.0.cancel();
        pending()
    }
}

/// Accepts connections until `stop`, then lets open ones finish their current request.
pub(crate) async fn serve(listener: TcpListener, app: Router, stop: CancellationToken) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            () = stop.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, app.clone(), stop.clone()));
                }
                Err(error) => {
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
}

async fn serve_connection(stream: TcpStream, app: Router, stop: CancellationToken) {
    if let Err(error) = stream.set_nodelay(true) {
        tracing::debug!(%error, "could not set TCP_NODELAY");
    }
    let handle = ConnectionHandle(CancellationToken::new());
    let closed = handle.0.clone();
    let service = service_fn(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(handle.clone());
        let mut app = app.clone();
        async move { Ok::<_, Infallible>(app.call(request).await.unwrap_or_else(|e| match e {})) }
    });
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new());
    let mut connection = pin!(builder.serve_connection(TokioIo::new(stream), service));
    let mut stopping = false;
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(%error, "connection ended with an error");
                }
                return;
            }
            // Returning drops the connection and its socket: the client sees it close.
            () = closed.cancelled() => {
                tracing::info!("connection closed without an answer (fault)");
                return;
            }
            () = stop.cancelled(), if !stopping => {
                stopping = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}
