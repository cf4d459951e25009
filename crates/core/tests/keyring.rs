//! The real OS keyring (Secret Service). `make test` runs this inside `scripts/with-keyring`, a
//! private D-Bus session with GNOME Keyring unlocked; without a keyring it fails, by design.

use switchboard_core::secrets::{KeyringSecrets, SecretStore};

#[test]
fn secrets_round_trip_through_the_secret_service() {
    let store = KeyringSecrets::new();
    store.probe().expect(
        "a Secret Service keyring is reachable (run the tests through scripts/with-keyring)",
    );
    let account = format!("AC-test-{}", std::process::id());
    assert_eq!(store.get(&account).unwrap(), None);
    store.set(&account, "token-1").unwrap();
    assert_eq!(store.get(&account).unwrap().as_deref(), Some("token-1"));
    store.set(&account, "token-2").unwrap();
    assert_eq!(
        store.get(&account).unwrap().as_deref(),
        Some("token-2"),
        "replaced, not duplicated"
    );
    store.delete(&account).unwrap();
    assert_eq!(store.get(&account).unwrap(), None);
    store
        .delete(&account)
        .expect("deleting a missing secret is fine");
}
