//! Background progress of an outbound message (queued → sending → sent → delivered) and the
//! scripted customer reply that follows delivery.

use std::sync::Arc;

use chrono::Utc;

use crate::server::Shared;
use crate::state::{price, Status};

/// Starts the status progression of a freshly created message; it stops when the simulator does.
pub(crate) fn spawn(shared: Arc<Shared>, sid: String) {
    let tasks = shared.tasks.clone();
    tasks.spawn(async move {
        let cancel = shared.cancel.clone();
        tokio::select! {
            () = cancel.cancelled() => {}
            () = run(&shared, &sid) => {}
        }
    });
}

async fn run(shared: &Shared, sid: &str) {
    let steps = shared.config.lifecycle;
    tokio::time::sleep(steps.to_sending).await;
    advance(shared, sid, Status::Sending);
    tokio::time::sleep(steps.to_sent).await;
    advance(shared, sid, Status::Sent);
    tokio::time::sleep(steps.to_delivered).await;
    let Some((account_sid, sender, recipient)) = advance(shared, sid, Status::Delivered) else {
        return;
    };
    let Some(customer) = shared
        .config
        .customers
        .iter()
        .find(|c| c.number == recipient)
    else {
        return;
    };
    tokio::time::sleep(customer.reply_delay).await;
    let reply = shared
        .store()
        .next_reply(&customer.number, &customer.replies);
    if let Some(body) = reply {
        shared.inject_inbound(&account_sid, &customer.number, &sender, &body);
    }
}

/// Moves the message to `status`; returns (account, from, to) so the caller can script a reply.
fn advance(shared: &Shared, sid: &str, status: Status) -> Option<(String, String, String)> {
    let mut store = shared.store();
    let message = store.get_mut(sid)?;
    let now = Utc::now();
    message.status = status;
    message.date_updated = now;
    if status == Status::Sent {
        message.date_sent = Some(now);
        message.price = Some(price(message.num_segments, message.num_media));
    }
    tracing::debug!(sid, status = status.as_str(), "message status changed");
    Some((
        message.account_sid.clone(),
        message.from.clone(),
        message.to.clone(),
    ))
}
