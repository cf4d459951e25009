//! The command line on the app's own account: `send` and `sync` read the data folder's
//! config.toml and the real keyring (a private one under `make test`) and talk HTTP to the
//! simulator; `seed` fills an empty folder and refuses a full one; `sim` serves the API.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;

use switchboard_core::config::{AuthKind, ProviderAccount};
use switchboard_core::instance::DataDirLock;
use switchboard_core::secrets::{KeyringSecrets, SecretStore};
use switchboard_core::store::Store;
use switchboard_sim::{RunningSim, SimConfig};

fn switchboard(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(args)
        .output()
        .expect("switchboard runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A data folder connected to the simulator's demo account, its token in the keyring.
async fn connected(sim: &RunningSim) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let secrets: Arc<dyn SecretStore> = Arc::new(KeyringSecrets::new());
    switchboard_core::settings::save_account(
        secrets,
        &dir.path().join("config.toml"),
        ProviderAccount {
            account_sid: switchboard_sim::DEMO_ACCOUNT_SID.into(),
            auth_kind: AuthKind::AuthToken,
            api_key_sid: None,
            base_url: Some(sim.base_url()),
        },
        switchboard_sim::DEMO_AUTH_TOKEN.into(),
    )
    .await
    .expect("the keyring takes the token");
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_and_sync_use_the_apps_account_and_keyring() {
    let sim = RunningSim::start(SimConfig::demo(), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let dir = connected(&sim).await;
    let folder = dir.path().to_str().unwrap().to_string();

    // History first: the demo account's messages come in, with a progress bar.
    let out = tokio::task::spawn_blocking({
        let folder = folder.clone();
        move || {
            switchboard(&[
                "sync",
                "--backfill-since",
                "2020-01-01",
                "--data-dir",
                &folder,
            ])
        }
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let store = Store::open(
        &dir.path()
            .join(format!("{}.sqlite", switchboard_sim::DEMO_ACCOUNT_SID)),
    )
    .await
    .unwrap();
    let inbound: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE direction = 'inbound'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert!(inbound > 0, "the demo's history was loaded");
    store.close().await;

    // A send goes out once and is reported with its SID.
    let body = "Your order is ready (from the command line)";
    let out = tokio::task::spawn_blocking({
        let folder = folder.clone();
        move || {
            switchboard(&[
                "send",
                "--to",
                "(312) 555-0142",
                "--body",
                body,
                "--send-anyway",
                "--data-dir",
                &folder,
            ])
        }
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("SM"), "{}", text(&out.stdout));
    assert_eq!(sim.creates_to_with_body("+13125550142", body), 1);

    // A refused number says why, with the catalogue's words, and fails.
    let out = switchboard(&[
        "send",
        "--to",
        "+15005550001",
        "--body",
        "x",
        "--send-anyway",
        "--data-dir",
        &folder,
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("21211"), "{}", text(&out.stderr));

    // While the app holds the folder, the command line does not write to it.
    let lock = DataDirLock::acquire(dir.path()).unwrap();
    let out = switchboard(&[
        "send",
        "--to",
        "+13125550143",
        "--body",
        "y",
        "--data-dir",
        &folder,
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("the app is open"),
        "{}",
        text(&out.stderr)
    );
    drop(lock);
    sim.shutdown().await;
}

#[tokio::test]
async fn seed_fills_an_empty_folder_and_refuses_a_full_one() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().to_str().unwrap().to_string();
    let out = tokio::task::spawn_blocking({
        let folder = folder.clone();
        move || {
            switchboard(&[
                "seed",
                "--messages",
                "2000",
                "--conversations",
                "150",
                "--data-dir",
                &folder,
            ])
        }
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let config = switchboard_core::config::Config::load(&dir.path().join("config.toml")).unwrap();
    let file = config.database_file().expect("a seed account");
    let store = Store::open(&dir.path().join(file)).await.unwrap();
    let (messages, conversations, failed, scripts): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM messages), (SELECT COUNT(*) FROM conversations),
                (SELECT COUNT(*) FROM messages WHERE status IN ('failed', 'undelivered')
                     AND error_code IS NOT NULL),
                (SELECT COUNT(*) FROM contacts WHERE name GLOB '*[^ -~]*')",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!((messages, conversations), (2000, 150));
    assert!(failed > 0, "failures with codes");
    assert!(scripts > 0, "names beyond ASCII");
    store.close().await;
    let again = switchboard(&[
        "seed",
        "--messages",
        "10",
        "--conversations",
        "1",
        "--data-dir",
        &folder,
    ]);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("already holds 2000 messages"));
}

#[test]
fn sim_serves_and_says_where() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["sim", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(line.starts_with("listening on http://127.0.0.1:"), "{line}");
}
