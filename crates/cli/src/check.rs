//! `switchboard check` and `switchboard explain`: the checks before sending and the error
//! catalogue, as text or JSON.

use std::path::PathBuf;

use serde_json::{json, Value};
use switchboard_core::catalogue::{Entry, RetryPolicy};
use switchboard_core::checks::{CheckReport, CheckSettings, Severity};

/// The checks as the app runs them: from config.toml in the data folder (`--data-dir`, else the
/// app's), the product's defaults where there is none. A config.toml that cannot be read is an
/// error rather than silently other settings.
pub fn configured(data_dir: Option<PathBuf>) -> Result<CheckSettings, String> {
    let Some(dir) = data_dir.or_else(crate::args::default_data_dir) else {
        return Ok(CheckSettings::default());
    };
    Ok(crate::args::load_config(&dir)?.tuning().checks)
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Note => "note",
        Severity::Confirm => "confirm",
        Severity::Block => "block",
    }
}

pub fn check_json(to: &str, report: &CheckReport) -> Value {
    json!({
        "input": to,
        "number": report.number.as_ref().map(|n| json!({
            "e164": n.e164,
            "country": n.country,
            "calling_code": n.calling_code,
            "valid": n.valid,
            "kind": n.kind.map(|k| k.as_str()),
        })),
        "recipient_time": report.recipient_time.as_ref().map(|t| t.describe()),
        "text": {
            "encoding": report.text.info.encoding.as_str(),
            "segments": report.text.info.segments,
            "characters": report.text.chars,
            "units": report.text.units,
            "ucs2_characters": report.text.forcing.iter().map(|f| json!({
                "char": f.ch.to_string(),
                "utf16_offset": f.utf16_offset,
                "replacement": f.replacement,
            })).collect::<Vec<_>>(),
            "gsm_safe": report.text.gsm_safe.as_ref().map(|(body, info)| json!({
                "body": body,
                "encoding": info.encoding.as_str(),
                "segments": info.segments,
            })),
        },
        "findings": report.findings.iter().map(|f| json!({
            "severity": severity(f.severity),
            "code": f.code,
            "message": f.message,
            "fix": f.fix,
        })).collect::<Vec<_>>(),
        "can_send": report.blocker().is_none(),
    })
}

pub fn check_text(to: &str, report: &CheckReport) -> String {
    let mut out = String::new();
    match &report.number {
        Some(n) => out.push_str(&format!(
            "number   {} ({}, +{}){}{}\n",
            n.e164,
            n.country.as_deref().unwrap_or("unknown country"),
            n.calling_code,
            if n.valid {
                ""
            } else {
                ", not in the numbering plan"
            },
            n.kind
                .map(|k| format!(
                    ", {}",
                    serde_json::to_value(k)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                ))
                .unwrap_or_default(),
        )),
        None => out.push_str(&format!("number   “{to}” is not a phone number\n")),
    }
    if let Some(time) = &report.recipient_time {
        out.push_str(&format!("time     {} for the recipient\n", time.describe()));
    }
    let t = &report.text;
    out.push_str(&format!(
        "text     {} characters, {}, {} segment{}\n",
        t.chars,
        t.info.encoding.as_str(),
        t.info.segments,
        if t.info.segments == 1 { "" } else { "s" }
    ));
    if !t.forcing.is_empty() {
        let chars: Vec<String> = t
            .forcing
            .iter()
            .map(|f| format!("“{}” at {}", f.ch, f.utf16_offset))
            .collect();
        out.push_str(&format!("ucs-2    forced by {}\n", chars.join(", ")));
    }
    if let Some((body, info)) = &t.gsm_safe {
        out.push_str(&format!(
            "gsm-safe {} segment{}: {body}\n",
            info.segments,
            if info.segments == 1 { "" } else { "s" }
        ));
    }
    for f in &report.findings {
        out.push_str(&format!(
            "{:<8} {} — {} ({})\n",
            severity(f.severity),
            f.message,
            f.fix,
            f.code
        ));
    }
    out.push_str(if report.blocker().is_none() {
        "ok       nothing blocks this message\n"
    } else {
        "blocked  fix the findings above before sending\n"
    });
    out
}

fn retry_json(retry: RetryPolicy) -> Value {
    match retry {
        RetryPolicy::Never => json!({"kind": "never"}),
        RetryPolicy::AfterFix => json!({"kind": "after_fix"}),
        RetryPolicy::AfterCooldown { minutes } => {
            json!({"kind": "after_cooldown", "minutes": minutes})
        }
        RetryPolicy::Automatic => json!({"kind": "automatic"}),
    }
}

pub fn explain_json(asked: &str, e: &Entry) -> Value {
    json!({
        "code": asked,
        "entry": e.code,
        "title": e.title,
        "reason": e.reason,
        "owner": e.owner,
        "owner_label": e.owner.label(),
        "hint": e.hint,
        "retry": retry_json(e.retry),
        "actions": e.actions.iter().map(|a| json!({"key": a.key(), "label": a.label()})).collect::<Vec<_>>(),
        "marks_number": e.marks.map(|m| m.as_str()),
        "link": e.link(),
    })
}

pub fn explain_text(asked: &str, e: &Entry) -> String {
    let fallback = if e.code == asked {
        String::new()
    } else {
        format!(" (not listed; the {} entry applies)", e.code)
    };
    let retry = match e.retry {
        RetryPolicy::Never => "never as it is".to_string(),
        RetryPolicy::AfterFix => "after the cause is fixed".to_string(),
        RetryPolicy::AfterCooldown { minutes } => format!("after {minutes} minutes"),
        RetryPolicy::Automatic => "automatic".to_string(),
    };
    let actions: Vec<&str> = e.actions.iter().map(|a| a.label()).collect();
    let mut out = format!(
        "{asked}{fallback}: {}\n{}\nwhose move: {}\nwhat to do: {}\nretry: {retry}\nfixes: {}\n",
        e.title,
        e.reason,
        e.owner.label(),
        e.hint,
        actions.join(", ")
    );
    if let Some(m) = e.marks {
        out.push_str(&format!("marks the number: {}\n", m.as_str()));
    }
    if let Some(link) = e.link() {
        out.push_str(&format!("more: {link}\n"));
    }
    out
}
