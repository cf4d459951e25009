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

/// `switchboard` with `input` on its standard input.
fn switchboard_with_input(args: &[&str], input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("switchboard runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
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
                "--once",
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_is_connected_synced_and_removed_without_the_window() {
    use switchboard_sim::DEMO_NUMBERS;
    // An account of its own: the other tests share the keyring and use the demo's.
    const SID: &str = "AC0123456789abcdef0123456789abcdef";
    const TOKEN: &str = "account-test-token";
    let sim = RunningSim::start(
        SimConfig::demo_with_account(SID, TOKEN),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().to_str().unwrap().to_string();
    let base = sim.base_url();
    let config_file = dir.path().join("config.toml");
    let connect = |secret: &str| {
        let args = [
            "account",
            "connect",
            "--account-sid",
            SID,
            "--base-url",
            &base,
            "--data-dir",
            &folder,
        ]
        .map(String::from);
        let secret = secret.to_string();
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            switchboard_with_input(&args, &secret)
        })
    };

    // No flag takes the secret: anyone on the machine could read it in the process list.
    let out = switchboard(&[
        "account",
        "connect",
        "--account-sid",
        SID,
        "--auth-token",
        TOKEN,
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));

    // A wrong secret is tested as Settings tests it, and nothing is saved.
    let out = connect("not-the-token\n").await.unwrap();
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("20003"), "{}", text(&out.stderr));
    let saved = switchboard_core::config::Config::load(&config_file).unwrap();
    assert!(saved.provider.is_none(), "nothing saved");

    // The right one: the identifiers in config.toml, the secret only in the keyring.
    let out = connect(&format!("{TOKEN}\n")).await.unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(DEMO_NUMBERS[0]),
        "{}",
        text(&out.stdout)
    );
    let file = std::fs::read_to_string(&config_file).unwrap();
    assert!(file.contains(SID) && !file.contains(TOKEN), "{file}");
    let keyring = KeyringSecrets::new();
    assert_eq!(keyring.get(SID).unwrap().as_deref(), Some(TOKEN));

    // Shown, never with its secret.
    let out = switchboard(&["account", "show", "--json", "--data-dir", &folder]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains(TOKEN));
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["account"]["account_sid"], SID);
    assert_eq!(shown["account"]["secret"], "in_keyring");

    // `sync` runs until stopped, and says when a customer writes.
    let log = dir.path().join("sync.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["sync", "--data-dir", &folder])
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let (lines, seen) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    // Once the history is in (what it lists is history, not news), a customer writes.
    let history_in = {
        let log = log.clone();
        tokio::task::spawn_blocking(move || {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
            while std::time::Instant::now() < deadline {
                if std::fs::read_to_string(&log).is_ok_and(|t| t.contains("history loaded")) {
                    return true;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            false
        })
        .await
        .unwrap()
    };
    assert!(
        history_in,
        "{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    sim.inject_inbound(SID, "+13125550111", DEMO_NUMBERS[1], "Are you open today?");
    let announced = tokio::task::spawn_blocking(move || {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match seen.recv_timeout(left) {
                Ok(line) if line.contains("new message from +13125550111") => return Some(line),
                Ok(_) => {}
                Err(_) => break,
            }
        }
        None
    })
    .await
    .unwrap();
    assert!(
        announced.is_some(),
        "sync never reported the new message; it said: {}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    let stopped = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    assert!(
        child.wait().unwrap().success(),
        "sync stops cleanly on SIGTERM"
    );

    // Removed: the secret leaves the keyring, the folder is back to demo mode.
    let out = switchboard(&["account", "remove", "--data-dir", &folder]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(keyring.get(SID).unwrap(), None);
    let saved = switchboard_core::config::Config::load(&config_file).unwrap();
    assert!(saved.provider.is_none());
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
