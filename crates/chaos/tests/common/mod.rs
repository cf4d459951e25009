//! Shared by the kill tests: the simulator they run in-process (so it outlives every kill) and
//! the worker process they start and kill.

#![allow(dead_code)]

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use switchboard_sim::{AccountConfig, Lifecycle, RunningSim, SeedMessage, SimConfig};
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

pub const ACCOUNT: &str = "AC33333333333333333333333333333333";
pub const TOKEN: &str = "chaos-token";
pub const SENDER: &str = "+14155550100";

/// A simulator with one account and sender, 20 ms lifecycle steps and this history.
pub async fn simulator(history: Vec<SeedMessage>) -> RunningSim {
    let config = SimConfig {
        accounts: vec![AccountConfig {
            sid: ACCOUNT.into(),
            auth_token: TOKEN.into(),
            api_keys: vec![],
            numbers: vec![SENDER.into()],
        }],
        lifecycle: Lifecycle::uniform(Duration::from_millis(20)),
        history,
        ..SimConfig::default()
    };
    RunningSim::start(config, ([127, 0, 0, 1], 0).into())
        .await
        .expect("simulator starts")
}

/// A running `chaos-worker` and its output lines.
pub struct Worker {
    pub child: Child,
    lines: Option<Lines<BufReader<ChildStdout>>>,
}

impl Worker {
    /// Starts `chaos-worker <work…>` on `db` against `sim`.
    pub fn start(sim: &RunningSim, db: &Path, work: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_chaos-worker"))
            .args(["--db", &db.display().to_string()])
            .args(["--base-url", &sim.base_url()])
            .args(["--account-sid", ACCOUNT, "--auth-token", TOKEN])
            .args(["--sender", SENDER])
            .args(work)
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("chaos-worker starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        Self {
            child,
            lines: Some(BufReader::new(stdout).lines()),
        }
    }

    /// The next line the worker prints, waiting up to `secs`.
    pub async fn line(&mut self, secs: u64) -> String {
        let lines = self.lines.as_mut().expect("still reading");
        tokio::time::timeout(Duration::from_secs(secs), lines.next_line())
            .await
            .unwrap_or_else(|_| panic!("no line from the worker within {secs} s"))
            .expect("stdout readable")
            .expect("the worker ended early")
    }

    /// Waits for `ready`, then keeps draining the output so the worker never blocks on a full
    /// pipe.
    pub async fn ready_then_drain(&mut self) {
        assert_eq!(self.line(30).await, "ready");
        let mut lines = self.lines.take().expect("still reading");
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    }

    /// SIGKILL: no chance to tidy up.
    pub async fn kill(&mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }
}
