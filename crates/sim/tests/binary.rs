//! The `switchboard-sim` binary: announces its address, serves, and stops on SIGTERM.

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

#[tokio::test]
async fn binary_prints_address_and_serves_custom_account() {
    let account = "AC11111111111111111111111111111111";
    let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard-sim"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--account-sid",
            account,
            "--auth-token",
            "secret",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("stdout piped");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .expect("reader joined")
    .expect("line read");
    let base = line
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");

    let response = reqwest::Client::new()
        .get(format!(
            "{base}/2010-04-01/Accounts/{account}/Messages.json"
        ))
        .basic_auth(account, Some("secret"))
        .send()
        .await
        .expect("request");
    let (status, page) = common::read(response).await;
    assert_eq!(status, 200, "{page}");
    assert!(page["messages"].as_array().is_some_and(|m| !m.is_empty()));

    // Only the process this test started is signalled, by its id.
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("binary did not stop on SIGTERM");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "{exit:?}");
}

/// Runs the binary with `--scenario path` and returns (exit success, stderr) once it exits.
fn run_with_bad_scenario(path: &std::path::Path) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_switchboard-sim"))
        .args(["--listen", "127.0.0.1:0", "--scenario"])
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .expect("binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_bad_scenario_stops_the_binary_with_the_problem() {
    let path = std::env::temp_dir().join(format!("sim-bad-scenario-{}.toml", std::process::id()));
    std::fs::write(&path, "seed = 1\nsegments_per_secnd = 2\n").expect("scenario written");
    let (success, stderr) = run_with_bad_scenario(&path);
    let _ = std::fs::remove_file(&path);
    assert!(!success, "exit must be non-zero");
    assert!(stderr.contains("segments_per_secnd"), "{stderr}");
    assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let missing = std::env::temp_dir().join("sim-no-such-scenario.toml");
    let (success, stderr) = run_with_bad_scenario(&missing);
    assert!(!success);
    assert!(stderr.contains("cannot read"), "{stderr}");
}

#[tokio::test]
async fn the_example_scenario_starts_and_serves() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/example.toml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard-sim"))
        .args(["--listen", "127.0.0.1:0", "--scenario", example])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("stdout piped");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .expect("reader joined")
    .expect("line read");
    let base = line
        .trim_end()
        .strip_prefix("listening on ")
        .map(str::to_owned);
    let listed = match &base {
        Some(base) => reqwest::Client::new()
            .get(format!(
                "{base}/2010-04-01/Accounts/{}/Messages.json",
                switchboard_sim::DEMO_ACCOUNT_SID
            ))
            .basic_auth(
                switchboard_sim::DEMO_ACCOUNT_SID,
                Some(switchboard_sim::DEMO_AUTH_TOKEN),
            )
            .send()
            .await
            .map(|r| r.status().as_u16())
            .ok(),
        None => None,
    };
    // Only the process this test started is stopped, by its id.
    let _ = child.kill();
    let _ = child.wait();
    assert!(base.is_some(), "unexpected first line {line:?}");
    assert_eq!(listed, Some(200));
}
