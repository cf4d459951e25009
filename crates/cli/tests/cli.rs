//! The `switchboard` binary as a script would use it: JSON out, exit status for "blocked".

use std::process::{Command, Output};

use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(args)
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
