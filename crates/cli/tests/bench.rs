//! `switchboard bench --smoke`: every figure of `make bench` runs at a small scale and the JSON
//! carries each one (the goals are judged only by the full run).

use std::process::Command;

#[test]
fn the_smoke_run_measures_every_figure_and_writes_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bench.json");
    let run = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["bench", "--smoke", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let table = String::from_utf8_lossy(&run.stdout);
    assert!(table.contains("history backfill"), "{table}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(json["smoke"], true);
    let figures = json["figures"].as_array().unwrap();
    let measured: Vec<&str> = figures
        .iter()
        .filter(|f| {
            f["value"]
                .as_f64()
                .is_some_and(|v| v.is_finite() && v >= 0.0)
        })
        .map(|f| f["figure"].as_str().unwrap())
        .collect();
    for figure in [
        "history backfill",
        "plain batched inserts",
        "conversation list page (All",
        "conversation list page halfway down",
        "open a thread",
        "full-text search",
        "insights breakdowns",
        "outbox to an unthrottled simulator",
        "pacing at 1 message/s",
    ] {
        assert!(
            measured.iter().any(|m| m.contains(figure)),
            "{figure} was not measured: {measured:?}"
        );
    }
    assert!(
        figures.iter().all(|f| f["met"].is_null()),
        "a smoke run judges no goal"
    );
}
