//! `switchboard export` on a real database written by the core against the simulator: every
//! call comes out as CSV that reads back, and --failed-only keeps only the failures.

use std::process::Command;
use std::time::Duration;

use switchboard_core::config::{AuthKind, ProviderAccount};
use switchboard_core::domain::{MessageStatus, Sender};
use switchboard_core::outbox::SendInput;
use switchboard_core::send_log::{read_csv, LogFilter};
use switchboard_core::{OpenOptions, Tuning};
use switchboard_sim::{RunningSim, SimConfig};

const TRICKY: &str = "Hi, \"Maya\"\nyour order 🎉 is ready";

/// Sends one message that gets through and one the simulator rejects (21211), into
/// `demo.sqlite` in `dir`, as the app would in demo mode.
async fn fill(dir: &std::path::Path) {
    let sim = RunningSim::start(SimConfig::demo(), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let core = switchboard_core::open(OpenOptions {
        database: dir.join("demo.sqlite"),
        account: ProviderAccount {
            account_sid: switchboard_sim::DEMO_ACCOUNT_SID.into(),
            auth_kind: AuthKind::AuthToken,
            api_key_sid: None,
            base_url: None,
        },
        secret: switchboard_sim::DEMO_AUTH_TOKEN.into(),
        base_url: Some(sim.base_url()),
        senders: vec![Sender {
            number: switchboard_sim::DEMO_NUMBERS[0].into(),
            label: None,
        }],
        sync: Tuning::default(),
    })
    .await
    .unwrap();
    core.start();
    for (to, body) in [("+13125550142", TRICKY), ("+15005550001", "Rejected one")] {
        core.send(SendInput {
            to: Some(to.into()),
            body: body.into(),
            confirmed: true,
            ..SendInput::default()
        })
        .await
        .unwrap();
    }
    // Both calls made: the first accepted, the second refused with 21211.
    for _ in 0..200 {
        let log = core.send_log(&LogFilter::default()).await.unwrap();
        if log.len() == 2 && log.iter().all(|e| e.outcome != "in_flight") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    core.shutdown().await;
    sim.shutdown().await;
}

fn export(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .arg("export")
        .args(args)
        .output()
        .expect("switchboard runs")
}

#[test]
fn export_writes_every_call_as_csv_and_failed_only_keeps_the_failures() {
    let dir = tempfile::tempdir().unwrap();
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(fill(dir.path()));
    let data_dir = dir.path().to_str().unwrap();

    let out = export(&["--since", "2000-01-01", "--data-dir", data_dir]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = read_csv(out.stdout.as_slice()).unwrap();
    assert_eq!(all.len(), 2, "{all:?}");
    let sent = all.iter().find(|e| e.to == "+13125550142").unwrap();
    assert_eq!(
        sent.body, TRICKY,
        "the body survives commas, quotes, newlines and emoji"
    );
    assert_eq!(sent.outcome, "accepted");
    assert!(sent.sid.as_deref().unwrap_or("").starts_with("SM"));
    let rejected = all.iter().find(|e| e.to == "+15005550001").unwrap();
    assert_eq!(
        (
            rejected.outcome.as_str(),
            rejected.error_code.as_deref(),
            rejected.http_status
        ),
        ("rejected", Some("21211"), Some(400))
    );
    assert_eq!(rejected.status, MessageStatus::Failed.as_str());

    let out = export(&[
        "--since",
        "2000-01-01",
        "--failed-only",
        "--data-dir",
        data_dir,
    ]);
    let failed = read_csv(out.stdout.as_slice()).unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].to, "+15005550001");

    let out = export(&["--since", "2999-01-01", "--data-dir", data_dir]);
    assert!(read_csv(out.stdout.as_slice()).unwrap().is_empty());
}

#[test]
fn export_says_what_is_wrong_with_a_missing_database_or_a_bad_date() {
    let dir = tempfile::tempdir().unwrap();
    let out = export(&[
        "--since",
        "2026-01-01",
        "--data-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("start the app once"));
    let out = export(&["--since", "last week"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2026-11-01"));
}
