//! "Test connection" from Settings, against the simulator over real HTTP: it names the exact
//! problem, and it works with an Auth Token, an API key, or the secret already in the keyring.

mod common;

use std::sync::Arc;

use common::*;
use switchboard_core::config::{AuthKind, ProviderAccount};
use switchboard_core::secrets::{MemorySecrets, SecretStore};
use switchboard_core::settings::test_connection;

fn account(base_url: &str, kind: AuthKind) -> ProviderAccount {
    ProviderAccount {
        account_sid: ACCOUNT.into(),
        auth_kind: kind,
        api_key_sid: (kind == AuthKind::ApiKey).then(|| KEY_SID.to_string()),
        base_url: Some(base_url.into()),
    }
}

fn keyring() -> Arc<dyn SecretStore> {
    Arc::new(MemorySecrets::default())
}

#[tokio::test]
async fn good_credentials_report_the_sms_numbers() {
    let sim = simulator().await;
    let report = test_connection(
        keyring(),
        account(&sim.base_url(), AuthKind::AuthToken),
        TOKEN.into(),
    )
    .await
    .unwrap();
    assert_eq!(report.sms_numbers, vec![SENDER.to_string()]);
    assert_eq!(report.base_url, sim.base_url());
}

#[tokio::test]
async fn an_api_key_authenticates_too() {
    let sim = simulator().await;
    let report = test_connection(
        keyring(),
        account(&sim.base_url(), AuthKind::ApiKey),
        KEY_SECRET.into(),
    )
    .await
    .unwrap();
    assert_eq!(report.sms_numbers.len(), 1);
}

#[tokio::test]
async fn a_wrong_token_is_named_as_such_with_the_fix() {
    let sim = simulator().await;
    let err = test_connection(
        keyring(),
        account(&sim.base_url(), AuthKind::AuthToken),
        "wrong".into(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "provider_authentication");
    assert!(err.to_string().contains("20003"), "{err}");
    assert!(err.hint().contains("Auth Token"), "{}", err.hint());
}

#[tokio::test]
async fn an_unreachable_address_says_so() {
    let sim = simulator().await;
    let url = sim.base_url();
    sim.shutdown().await;
    let err = test_connection(keyring(), account(&url, AuthKind::AuthToken), TOKEN.into())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "cannot_connect");
    assert!(err.to_string().contains(&url));
}

#[tokio::test]
async fn a_malformed_sid_is_refused_before_any_call() {
    let mut bad = account("http://127.0.0.1:9", AuthKind::AuthToken);
    bad.account_sid = "AC-not-a-sid".into();
    let err = test_connection(keyring(), bad, TOKEN.into())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_account_sid");
}

#[tokio::test]
async fn a_blank_secret_uses_the_one_in_the_keyring() {
    let sim = simulator().await;
    let store = keyring();
    let err = test_connection(
        store.clone(),
        account(&sim.base_url(), AuthKind::AuthToken),
        " ".into(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "empty_secret", "nothing stored yet");
    store.set(ACCOUNT, TOKEN).unwrap();
    test_connection(
        store,
        account(&sim.base_url(), AuthKind::AuthToken),
        "".into(),
    )
    .await
    .unwrap();
}
