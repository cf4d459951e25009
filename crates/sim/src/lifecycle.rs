//! Background progress of an outbound message, from its pacing slot to its decided outcome
//! (queued → sending → sent → delivered, or an error on the way), and the scripted customer
//! reply that follows delivery.

use std::sync::Arc;

use chrono::Utc;
use tokio::time::Instant;

use crate::scenario::{DeliveryError, Outcome};
use crate::server::Shared;
use crate::state::Status;

/// How a message's lifecycle goes, decided when it was created.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// When its sender's pace lets it leave `queued`.
    pub slot: Instant,
    pub fate: Fate,
}

#[derive(Debug, Clone)]
pub(crate) enum Fate {
    /// The scenario's outcome for the recipient.
    Outcome(Outcome),
    /// Refused at its turn without being sent (Messaging-Service-style 21610/21612/21614, 30001).
    Rejected(DeliveryError),
}

/// Starts the status progression of a freshly created message; it stops when the simulator does.
pub(crate) fn spawn(shared: Arc<Shared>, sid: String, plan: Plan) {
    let tasks = shared.tasks.clone();
    tasks.spawn(async move {
        let cancel = shared.cancel.clone();
        tokio::select! {
            () = cancel.cancelled() => {}
            () = run(&shared, &sid, plan) => {}
        }
    });
}

async fn run(shared: &Shared, sid: &str, plan: Plan) {
    let steps = shared.config.lifecycle;
    let start = plan.slot.checked_add(steps.to_sending).unwrap_or(plan.slot);
    tokio::time::sleep_until(start).await;
    let outcome = match plan.fate {
        Fate::Rejected(error) => {
            finish(shared, sid, Status::Failed, error);
            return;
        }
        Fate::Outcome(outcome) => outcome,
    };
    advance(shared, sid, Status::Sending);
    tokio::time::sleep(steps.to_sent).await;
    if let Outcome::Failed(error) = outcome {
        finish(shared, sid, Status::Failed, error);
        return;
    }
    advance(shared, sid, Status::Sent);
    tokio::time::sleep(steps.to_delivered).await;
    match outcome {
        Outcome::Delivered => {}
        Outcome::NoReceipt => return,
        Outcome::Undelivered(error) => {
            finish(shared, sid, Status::Undelivered, error);
            return;
        }
        Outcome::Failed(_) => return,
    }
    let Some((account_sid, sender, recipient)) = advance(shared, sid, Status::Delivered) else {
        return;
    };
    let Some(customer) = shared.customer(&recipient) else {
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
        message.charged = true;
    }
    tracing::debug!(sid, status = status.as_str(), "message status changed");
    Some((
        message.account_sid.to_string(),
        message.from.to_string(),
        message.to.to_string(),
    ))
}

/// Ends the message in `failed` or `undelivered` with its error.
fn finish(shared: &Shared, sid: &str, status: Status, error: DeliveryError) {
    let mut store = shared.store();
    let Some(message) = store.get_mut(sid) else {
        return;
    };
    tracing::info!(
        sid,
        status = status.as_str(),
        code = error.code,
        "message did not arrive"
    );
    message.status = status;
    message.date_updated = Utc::now();
    message.error = Some(Box::new(error));
}
