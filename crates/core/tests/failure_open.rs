//! A failure stays open (the Failed view and its count, triage, `f`) until its fix goes
//! through: through every state a resend passes (queued, waiting for a connection,
//! submitting), and resolved only when the provider takes the resend or the resend fails too,
//! which then is the one open failure.

mod common;

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use common::*;
use switchboard_core::domain::{FailureState, MessageStatus, Sender};
use switchboard_core::outbox::SendInput;
use switchboard_core::provider::twilio::TwilioClient;
use switchboard_core::provider::{
    AccountNumber, ListQuery, MessagePage, OutboundRequest, PageCursor, Provider, ProviderError,
    ProviderMessage,
};
use switchboard_core::resend::ResendInput;
use switchboard_core::Services;
use tokio::sync::Notify;

/// What the next creates meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The simulator answers.
    Through,
    /// The network is down: the provider never saw the request.
    Unreachable,
    /// The call hangs until released.
    Hold,
}

/// The simulator's client, with creates that can be held or cut off.
struct Gate {
    inner: TwilioClient,
    mode: Mutex<Mode>,
    release: Notify,
}

#[async_trait]
impl Provider for Gate {
    async fn create(&self, r: &OutboundRequest) -> Result<ProviderMessage, ProviderError> {
        let mode = *self.mode.lock().unwrap();
        match mode {
            Mode::Unreachable => return Err(ProviderError::Unreachable("network down".into())),
            Mode::Hold => self.release.notified().await,
            Mode::Through => {}
        }
        self.inner.create(r).await
    }
    async fn fetch(&self, sid: &str) -> Result<ProviderMessage, ProviderError> {
        self.inner.fetch(sid).await
    }
    async fn list(
        &self,
        q: &ListQuery,
        c: Option<&PageCursor>,
    ) -> Result<MessagePage, ProviderError> {
        self.inner.list(q, c).await
    }
    async fn list_numbers(&self) -> Result<Vec<AccountNumber>, ProviderError> {
        self.inner.list_numbers().await
    }
}

/// Where the failure `id` shows: (in the Failed view, the unresolved count, in triage, `f`).
async fn open_everywhere(core: &Services, id: i64) -> (bool, u32, bool, bool) {
    use switchboard_core::store::conversations::{ConversationQuery, View};
    let conversation = core
        .message_details(id)
        .await
        .unwrap()
        .message
        .conversation_id;
    let in_view = core
        .conversations(&ConversationQuery::of(View::Failed))
        .await
        .unwrap()
        .items
        .iter()
        .any(|c| c.id == conversation);
    let count = core.view_counts(None, None).await.unwrap().failed;
    let in_triage = core
        .triage()
        .await
        .unwrap()
        .iter()
        .flat_map(|g| &g.items)
        .any(|i| i.message_id == id);
    let by_f = core.next_failed(None).await.unwrap().map(|(_, m)| m) == Some(id);
    (in_view, count, in_triage, by_f)
}

async fn state_of(core: &Services, id: i64) -> Option<FailureState> {
    core.message_details(id)
        .await
        .unwrap()
        .message
        .failure_state()
}

async fn open_core(
    sim: &switchboard_sim::RunningSim,
    dir: &tempfile::TempDir,
) -> (Services, Arc<Gate>) {
    let gate = Arc::new(Gate {
        inner: client(sim, TOKEN),
        mode: Mutex::new(Mode::Through),
        release: Notify::new(),
    });
    let core = switchboard_core::open_with_provider(
        database(dir),
        gate.clone(),
        &[Sender {
            number: SENDER.into(),
            label: None,
        }],
        test_tuning(),
    )
    .await
    .unwrap();
    (core, gate)
}

/// Sends to Twilio's magic invalid number: refused at once with 21211.
async fn failure(core: &Services, body: &str) -> i64 {
    let sent = core
        .send(SendInput {
            to: Some("+15005550001".into()),
            body: body.into(),
            ..Default::default()
        })
        .await
        .unwrap();
    core.outbox().settle_now().await.unwrap();
    let m = core.message_details(sent.id).await.unwrap().message;
    assert_eq!(m.status, MessageStatus::Failed);
    sent.id
}

#[tokio::test]
async fn a_failure_stays_open_until_its_resend_is_taken() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let (core, gate) = open_core(&sim, &dir).await;
    let failed = failure(&core, "Your table is ready").await;
    assert_eq!(open_everywhere(&core, failed).await, (true, 1, true, true));
    assert_eq!(state_of(&core, failed).await, Some(FailureState::Open));

    // Queued: written, not submitted (no worker runs here).
    let resend = core
        .resend(ResendInput {
            message_id: failed,
            to: Some("(312) 555-0177".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        open_everywhere(&core, failed).await,
        (true, 1, true, true),
        "queued"
    );
    assert_eq!(
        state_of(&core, failed).await,
        Some(FailureState::ResendOnItsWay)
    );
    let again = core
        .resend(ResendInput {
            message_id: failed,
            to: Some("(312) 555-0178".into()),
            ..Default::default()
        })
        .await;
    assert_eq!(
        again.unwrap_err().code(),
        "already_resent",
        "never resent twice"
    );

    // Waiting for a connection: the provider could not be reached; back in the queue.
    *gate.mode.lock().unwrap() = Mode::Unreachable;
    assert!(core.outbox().settle_now().await.is_err());
    assert_eq!(
        open_everywhere(&core, failed).await,
        (true, 1, true, true),
        "waiting for connection"
    );

    // Submitting: the create call is under way.
    *gate.mode.lock().unwrap() = Mode::Hold;
    let outbox = core.outbox().clone();
    let submitting = tokio::spawn(async move { outbox.settle_now().await });
    eventually(10, "the resend being submitted", || async {
        let state: String = sqlx::query_scalar("SELECT outbox_state FROM messages WHERE id = ?1")
            .bind(resend.id)
            .fetch_one(core.store().pool())
            .await
            .unwrap();
        (state == "submitting").then_some(())
    })
    .await;
    assert_eq!(
        open_everywhere(&core, failed).await,
        (true, 1, true, true),
        "submitting"
    );

    // Accepted: the provider took it; the failure is dealt with.
    *gate.mode.lock().unwrap() = Mode::Through;
    gate.release.notify_one();
    submitting.await.unwrap().unwrap();
    let taken = core.message_details(resend.id).await.unwrap().message;
    assert!(taken.sid.is_some(), "the provider took the resend");
    assert_eq!(
        open_everywhere(&core, failed).await,
        (false, 0, false, false),
        "accepted"
    );
    assert_eq!(state_of(&core, failed).await, Some(FailureState::Resent));
    core.shutdown().await;
}

#[tokio::test]
async fn a_resend_that_fails_too_is_the_one_open_failure() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let (core, _gate) = open_core(&sim, &dir).await;
    let failed = failure(&core, "Your order is ready").await;
    // Rejected: the corrected number is one the provider refuses too (21612, no route).
    let resend = core
        .resend(ResendInput {
            message_id: failed,
            to: Some("+1 500 555 0002".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    core.outbox().settle_now().await.unwrap();
    assert_eq!(
        core.message_details(resend.id)
            .await
            .unwrap()
            .message
            .status,
        MessageStatus::Failed
    );
    assert_eq!(
        open_everywhere(&core, failed).await,
        (true, 1, false, false)
    );
    assert_eq!(state_of(&core, failed).await, Some(FailureState::Resent));
    assert_eq!(
        open_everywhere(&core, resend.id).await,
        (true, 1, true, true),
        "the resend is the open failure, and the only one"
    );
    let triage: usize = core
        .triage()
        .await
        .unwrap()
        .iter()
        .map(|g| g.items.len())
        .sum();
    assert_eq!(triage, 1);
    assert_eq!(state_of(&core, resend.id).await, Some(FailureState::Open));
    core.shutdown().await;
}
