//! The Twilio client against the simulator over real HTTP.

mod common;

use std::collections::HashSet;

use common::*;
use switchboard_core::domain::{Direction, MessageStatus};
use switchboard_core::provider::{ListQuery, OutboundRequest, Provider, ProviderError};

fn request(to: &str, body: &str) -> OutboundRequest {
    OutboundRequest {
        reference: 1,
        from: SENDER.into(),
        to: to.into(),
        body: body.into(),
        media: vec![],
    }
}

#[tokio::test]
async fn a_created_message_is_fetched_until_delivered() {
    let sim = simulator().await;
    let client = client(&sim, TOKEN);
    let created = client
        .create(&request("+13125550100", "Your order is ready"))
        .await
        .unwrap();
    assert!(
        created.sid.starts_with("SM") && created.sid.len() == 34,
        "{}",
        created.sid
    );
    assert_eq!(created.status, Some(MessageStatus::Queued));
    assert_eq!(created.segments, Some(1));
    let delivered = eventually(5, "delivered", || async {
        let m = client.fetch(&created.sid).await.unwrap();
        (m.status == Some(MessageStatus::Delivered)).then_some(m)
    })
    .await;
    assert!(
        delivered.sent_at.is_some(),
        "date_sent parsed from RFC 2822"
    );
    assert_eq!(delivered.body, "Your order is ready");
}

#[tokio::test]
async fn an_invalid_number_is_a_typed_21211_rejection() {
    let sim = simulator().await;
    let err = client(&sim, TOKEN)
        .create(&request("+15005550001", "hi"))
        .await
        .unwrap_err();
    match err {
        ProviderError::Rejected {
            http_status,
            code,
            more_info,
            ..
        } => {
            assert_eq!((http_status, code.as_str()), (400, "21211"));
            assert_eq!(
                more_info.as_deref(),
                Some("https://www.twilio.com/docs/errors/21211")
            );
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[tokio::test]
async fn a_wrong_token_is_an_authentication_error() {
    let sim = simulator().await;
    let err = client(&sim, "wrong")
        .fetch("SM00000000000000000000000000000000")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "provider_authentication");
    assert_eq!(err.message_code(), "20003");
}

#[tokio::test]
async fn an_unknown_sid_is_a_20404_rejection() {
    let sim = simulator().await;
    let err = client(&sim, TOKEN)
        .fetch("SM00000000000000000000000000000000")
        .await
        .unwrap_err();
    assert_eq!(err.message_code(), "20404");
    assert_eq!(err.http_status(), Some(404));
}

#[tokio::test]
async fn an_inbound_reply_is_listed() {
    let sim = simulator().await;
    let sid = sim.inject_inbound(ACCOUNT, CUSTOMER, SENDER, "Is 3pm OK?");
    let page = client(&sim, TOKEN)
        .list(
            &ListQuery {
                to: Some(SENDER.into()),
                page_size: 50,
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    let found = page.messages.iter().find(|m| m.sid == sid).expect("listed");
    assert_eq!(found.direction, Direction::Inbound);
    assert_eq!(found.from.as_deref(), Some(CUSTOMER));
    assert_eq!(found.status, Some(MessageStatus::Received));
}

#[tokio::test]
async fn a_list_longer_than_one_page_is_followed_to_the_end() {
    let sim = simulator().await;
    let mut injected = HashSet::new();
    for i in 0..120 {
        injected.insert(sim.inject_inbound(ACCOUNT, CUSTOMER, SENDER, &format!("message {i}")));
    }
    let client = client(&sim, TOKEN);
    let query = ListQuery {
        to: Some(SENDER.into()),
        page_size: 50,
        ..Default::default()
    };
    let (mut seen, mut pages, mut cursor) = (HashSet::new(), 0, None);
    loop {
        let page = client.list(&query, cursor.as_ref()).await.unwrap();
        pages += 1;
        for m in page.messages {
            assert!(seen.insert(m.sid), "a SID came twice");
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, injected);
}

#[tokio::test]
async fn a_closed_port_is_unreachable_not_ambiguous() {
    let sim = simulator().await;
    let client = client(&sim, TOKEN);
    sim.shutdown().await;
    let err = client.create(&request(CUSTOMER, "hi")).await.unwrap_err();
    assert_eq!(err.code(), "provider_unreachable", "{err:?}");
}

#[tokio::test]
async fn the_account_numbers_are_listed_with_their_sms_capability() {
    let sim = simulator().await;
    let numbers = client(&sim, TOKEN).list_numbers().await.unwrap();
    assert_eq!(numbers.len(), 1);
    assert_eq!(numbers[0].number, SENDER);
    assert!(numbers[0].sms);
    assert_eq!(numbers[0].friendly_name.as_deref(), Some("(415) 555-0100"));
}
