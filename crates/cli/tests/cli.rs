//! The `switchboard` binary as a script would use it: JSON out, exit status for "blocked".

use std::process::{Command, Output};

use serde_json::Value;

/// The binary with a data folder that does not exist, so no config.toml of this machine's
/// app changes what the checks say.
fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(args)
        .env("XDG_DATA_HOME", "/nonexistent/switchboard-cli-tests")
        .output()
        .expect("switchboard runs")
}

fn json(args: &[&str]) -> (Value, Option<i32>) {
    let out = run(args);
    let text = String::from_utf8(out.stdout).unwrap();
    (
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}")),
        out.status.code(),
    )
}

#[test]
fn check_reads_the_number_and_the_text_costs() {
    let body = format!("{}’", "a".repeat(79));
    let (v, status) = json(&["check", "--to", "(415) 555-0100", "--body", &body, "--json"]);
    assert_eq!(status, Some(0));
    assert_eq!(v["number"]["e164"], "+14155550100");
    assert_eq!(v["number"]["country"], "US");
    assert_eq!(v["number"]["valid"], true);
    assert_eq!(v["text"]["encoding"], "UCS-2");
    assert_eq!(
        v["text"]["segments"], 2,
        "80 UCS-2 characters need two segments"
    );
    assert_eq!(v["text"]["characters"], 80);
    assert_eq!(v["text"]["ucs2_characters"][0]["char"], "’");
    assert_eq!(v["text"]["ucs2_characters"][0]["utf16_offset"], 79);
    assert_eq!(v["text"]["gsm_safe"]["segments"], 1);
    assert_eq!(v["can_send"], true);
}

#[test]
fn a_region_reads_national_numbers_and_a_bad_number_blocks_with_status_1() {
    let (v, _) = json(&[
        "check",
        "--to",
        "07400 123456",
        "--body",
        "Hi",
        "--region",
        "gb",
        "--json",
    ]);
    assert_eq!(v["number"]["e164"], "+447400123456");
    assert_eq!(v["number"]["kind"], "mobile");

    let (v, status) = json(&["check", "--to", "call me", "--body", "Hi", "--json"]);
    assert_eq!(status, Some(1));
    assert_eq!(v["can_send"], false);
    assert_eq!(v["number"], Value::Null);
    assert_eq!(v["findings"][0]["code"], "number_impossible");
    assert_eq!(v["findings"][0]["severity"], "block");
}

#[test]
fn check_prints_text_for_people() {
    let out = run(&["check", "--to", "+1 415 555 0100", "--body", "It’s ready"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("+14155550100 (US, +1)"), "{text}");
    assert!(text.contains("UCS-2"), "{text}");
    assert!(text.contains("“’” at 2"), "{text}");
}

#[test]
fn explain_gives_the_catalogue_entry_and_falls_back_by_range() {
    let (v, status) = json(&["explain", "30006", "--json"]);
    assert_eq!(status, Some(0));
    assert_eq!(v["entry"], "30006");
    assert_eq!(v["marks_number"], "landline");
    assert_eq!(v["retry"]["kind"], "never");
    assert_eq!(v["link"], "https://www.twilio.com/docs/api/errors/30006");
    assert!(v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["key"] == "mark_landline"));

    let (v, _) = json(&["explain", "30999", "--json"]);
    assert_eq!(v["code"], "30999");
    assert_eq!(v["entry"], "30xxx");

    let out = run(&["explain", "21610"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("whose move: The customer"), "{text}");
}

#[test]
fn bad_usage_is_status_2_with_help() {
    let out = run(&["check", "--body", "no recipient"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("--to"));
}

/// `check` of a text to `to` as if sent at `at`, with more arguments.
fn check_at(to: &str, at: &str, more: &[&str]) -> Output {
    let mut args = vec!["check", "--to", to, "--body", "Ready", "--at", at];
    args.extend(more);
    run(&args)
}

fn json_of(out: Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn quiet_hours_ask_first_at_the_recipients_late_evening() {
    // 27 November 2026, 03:40 UTC is 9:40 PM in Chicago (CST, UTC−6) and 7:40 PM in Los Angeles.
    let at = "2026-11-27T03:40:00Z";
    let out = check_at("+1 312 555 0142", at, &["--json"]);
    assert_eq!(out.status.code(), Some(0), "a confirmation does not block");
    let v = json_of(out);
    assert_eq!(v["recipient_time"], "9:40 PM Central time");
    assert_eq!(v["findings"][0]["code"], "quiet_hours");
    assert_eq!(v["findings"][0]["severity"], "confirm");

    let v = json_of(check_at("+1 415 555 0142", at, &["--json"]));
    assert_eq!(v["recipient_time"], "7:40 PM Pacific time");
    assert_eq!(v["findings"], Value::Array(vec![]));

    let the_same_in_chicago = "2026-11-26T21:40:00-06:00";
    let v = json_of(check_at(
        "+1 312 555 0142",
        the_same_in_chicago,
        &["--quiet-hours", "off", "--json"],
    ));
    assert_eq!(v["recipient_time"], "9:40 PM Central time");
    assert_eq!(v["findings"], Value::Array(vec![]));

    let text = String::from_utf8(check_at("+1 312 555 0142", at, &[]).stdout).unwrap();
    assert!(text.contains("time     9:40 PM Central time"), "{text}");
    assert!(
        text.contains("within your quiet hours (9:00 PM–8:00 AM)"),
        "{text}"
    );
}

#[test]
fn unreadable_quiet_hours_or_time_are_bad_usage() {
    for args in [["--quiet-hours", "9pm-8am"], ["--at", "tomorrow evening"]] {
        let mut all = vec!["check", "--to", "+13125550142", "--body", "Hi"];
        all.extend(args);
        let out = run(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("write it like"), "{err}");
    }
}

#[test]
fn check_uses_the_apps_config_and_a_flag_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "default_region = \"GB\"\nquiet_hours = \"off\"\n",
    )
    .unwrap();
    // 9:40 PM in London, inside the product's default quiet hours.
    let at = "2026-11-27T21:40:00Z";
    let out = check_at("07400 123456", at, &["--data-dir", data, "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(out);
    assert_eq!(v["number"]["e164"], "+447400123456", "the config's region");
    assert_eq!(
        v["findings"],
        Value::Array(vec![]),
        "the config's quiet hours are off"
    );

    let out = check_at(
        "07400 123456",
        at,
        &["--data-dir", data, "--quiet-hours", "21:00-08:00", "--json"],
    );
    let v = json_of(out);
    assert_eq!(v["findings"][0]["code"], "quiet_hours", "the flag wins");

    let v = json_of(check_at("07400 123456", at, &["--json"]));
    assert_ne!(
        v["number"]["e164"], "+447400123456",
        "without a config, a national number is not read as British"
    );
}

#[test]
fn a_config_that_cannot_be_read_stops_check_with_what_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), "quiet_hours = 9\n").unwrap();
    let out = check_at(
        "+13125550142",
        "2026-11-27T03:40:00Z",
        &["--data-dir", dir.path().to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("config.toml"), "{err}");
    assert!(err.contains("quiet_hours"), "the parser's excerpt: {err}");
    let last = err.trim_end().lines().last().unwrap_or_default();
    assert!(
        last.starts_with("Fix or delete"),
        "the hint comes last: {err}"
    );
}
