//! What an error code means in plain words, whose move it is, whether trying again can help,
//! and which fixes apply. Provider codes change as errors are improved, so an unknown code falls
//! back to the meaning of its range. `docs/ERRORS.md` is generated from this table
//! ([`markdown`]).

mod entries;

use serde::Serialize;

pub use entries::ENTRIES;

/// Whose move it is after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// The person sending.
    You,
    /// The customer.
    Customer,
    /// The mobile carrier.
    Carrier,
    /// Whoever owns the provider account.
    AccountOwner,
    /// The provider itself.
    Provider,
}

impl Owner {
    /// As the UI says it.
    pub fn label(self) -> &'static str {
        match self {
            Owner::You => "You",
            Owner::Customer => "The customer",
            Owner::Carrier => "The carrier",
            Owner::AccountOwner => "The account owner",
            Owner::Provider => "Twilio",
        }
    }
}

/// Whether sending the same message again can succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RetryPolicy {
    /// Never as it is: something must change first (number, text, account).
    Never,
    /// Once the cause is fixed (a registration, a setting), the same message may go again.
    AfterFix,
    /// Later, not before this many minutes have passed since the failure.
    AfterCooldown {
        /// Minutes to wait.
        minutes: u32,
    },
    /// Switchboard tries again by itself; there is nothing to press.
    Automatic,
}

/// A fix the app can offer for a failed message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixAction {
    /// Correct the number and send again (a new message linked to the failed one).
    EditNumber,
    /// Change the text and send again.
    EditText,
    /// Replace characters that force UCS-2 and send again with fewer segments.
    MakeGsmSafe,
    /// Send the same message again (after the entry's cooldown).
    Retry,
    /// Remember the number as a landline, so later sends are stopped before they fail.
    MarkLandline,
    /// Send from another of our numbers.
    ChangeSender,
    /// Fix the account's credentials or base URL in Settings.
    OpenSettings,
    /// Something only the account owner can change in the Twilio Console.
    OpenConsole,
    /// Ask the provider about the message now instead of waiting for the next check.
    CheckNow,
}

impl FixAction {
    /// Stable key the window switches on.
    pub fn key(self) -> &'static str {
        match self {
            FixAction::EditNumber => "edit_number",
            FixAction::EditText => "edit_text",
            FixAction::MakeGsmSafe => "make_gsm_safe",
            FixAction::Retry => "retry",
            FixAction::MarkLandline => "mark_landline",
            FixAction::ChangeSender => "change_sender",
            FixAction::OpenSettings => "open_settings",
            FixAction::OpenConsole => "open_console",
            FixAction::CheckNow => "check_now",
        }
    }

    /// The button's words.
    pub fn label(self) -> &'static str {
        match self {
            FixAction::EditNumber => "Edit number and resend",
            FixAction::EditText => "Edit text and resend",
            FixAction::MakeGsmSafe => "Make GSM-safe and resend",
            FixAction::Retry => "Retry",
            FixAction::MarkLandline => "Mark as landline",
            FixAction::ChangeSender => "Send from another number",
            FixAction::OpenSettings => "Open Settings",
            FixAction::OpenConsole => "Open the Twilio Console",
            FixAction::CheckNow => "Check now",
        }
    }
}

/// What a failure says about the recipient's number, remembered on the contact so the next
/// send is stopped before it fails the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberMark {
    /// Not a valid phone number.
    Invalid,
    /// No SMS route to it.
    Unreachable,
    /// A landline.
    Landline,
    /// Not in service any more.
    Disconnected,
    /// The customer opted out (STOP); only they can undo it.
    OptedOut,
}

impl NumberMark {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            NumberMark::Invalid => "invalid",
            NumberMark::Unreachable => "unreachable",
            NumberMark::Landline => "landline",
            NumberMark::Disconnected => "disconnected",
            NumberMark::OptedOut => "opted_out",
        }
    }

    /// From its stored form.
    pub fn parse(s: &str) -> Option<Self> {
        [
            NumberMark::Invalid,
            NumberMark::Unreachable,
            NumberMark::Landline,
            NumberMark::Disconnected,
            NumberMark::OptedOut,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }

    /// How the window says it.
    pub fn describe(self) -> &'static str {
        match self {
            NumberMark::Invalid => "is not a valid number",
            NumberMark::Unreachable => "can't receive SMS",
            NumberMark::Landline => "is a landline",
            NumberMark::Disconnected => "is no longer in service",
            NumberMark::OptedOut => "opted out of your texts (STOP)",
        }
    }
}

/// A catalogue entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The code it explains (a range fallback: "21xxx").
    pub code: &'static str,
    /// A few words.
    pub title: &'static str,
    /// What happened, plainly, in our words.
    pub reason: &'static str,
    /// Whose move it is.
    pub owner: Owner,
    /// The next step, in a sentence.
    pub hint: &'static str,
    /// Whether the same message can go again.
    pub retry: RetryPolicy,
    /// The fixes the app offers.
    pub actions: &'static [FixAction],
    /// What it says about the number, if anything.
    pub marks: Option<NumberMark>,
}

impl Entry {
    /// Twilio's page about the code, for the provider's own codes.
    pub fn link(&self) -> Option<String> {
        self.code
            .chars()
            .all(|c| c.is_ascii_digit())
            .then(|| format!("https://www.twilio.com/docs/api/errors/{}", self.code))
    }
}

/// Looks a code up, falling back by range, then to a generic entry.
pub fn explain(code: &str) -> &'static Entry {
    let code = code.trim();
    ENTRIES
        .iter()
        .find(|e| e.code == code)
        .unwrap_or_else(|| fallback(code))
}

/// The entry for codes of a range the table does not list.
fn fallback(code: &str) -> &'static Entry {
    let range = match code.get(..2) {
        Some(p @ ("20" | "21" | "30" | "63")) if code.len() == 5 => p,
        _ => "",
    };
    let key = match range {
        "20" => "20xxx",
        "21" => "21xxx",
        "30" => "30xxx",
        "63" => "63xxx",
        _ => "unknown",
    };
    entries::FALLBACKS
        .iter()
        .find(|e| e.code == key)
        .unwrap_or(&entries::FALLBACKS[entries::FALLBACKS.len() - 1])
}

/// The catalogue as Markdown, the text of `docs/ERRORS.md`.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Error catalogue\n\n\
         Generated from `crates/core/src/catalogue/entries.rs` by \
         `make docs`; a test fails when this file is stale. Edit the table, not this file.\n\n\
         Every failed message in Switchboard shows its entry: what happened, whose move it is, \
         whether sending again can help, and the fixes the app offers.\n\n\
         | Code | Title | What happened | Whose move | Retry | Fixes | Marks the number |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for e in ENTRIES.iter().chain(entries::FALLBACKS.iter()) {
        let code = match e.link() {
            Some(link) => format!("[{}]({link})", e.code),
            None => format!("`{}`", e.code),
        };
        let retry = match e.retry {
            RetryPolicy::Never => "never as is".to_string(),
            RetryPolicy::AfterFix => "after a fix".to_string(),
            RetryPolicy::AfterCooldown { minutes } => format!("after {minutes} min"),
            RetryPolicy::Automatic => "automatic".to_string(),
        };
        let fixes: Vec<&str> = e.actions.iter().map(|a| a.label()).collect();
        let marks = e
            .marks
            .map(|m| m.as_str().replace('_', " "))
            .unwrap_or_default();
        out.push_str(&format!(
            "| {code} | {} | {} {} | {} | {retry} | {} | {marks} |\n",
            e.title,
            e.reason,
            e.hint,
            e.owner.label(),
            fixes.join(", "),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_fall_back_by_range() {
        assert_eq!(explain("21999").code, "21xxx");
        assert_eq!(explain("30999").code, "30xxx");
        assert_eq!(explain("20999").code, "20xxx");
        assert_eq!(explain("63999").code, "63xxx");
        assert_eq!(explain("99999").code, "unknown");
        assert_eq!(explain("").code, "unknown");
        assert_eq!(explain("2").code, "unknown");
        assert_eq!(explain(" 30003 ").code, "30003");
    }

    #[test]
    fn action_keys_are_what_the_json_says() {
        use FixAction::*;
        for a in [
            EditNumber,
            EditText,
            MakeGsmSafe,
            Retry,
            MarkLandline,
            ChangeSender,
            OpenSettings,
            OpenConsole,
            CheckNow,
        ] {
            assert_eq!(serde_json::to_value(a).unwrap(), a.key());
        }
    }

    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<&str> = ENTRIES.iter().map(|e| e.code).collect();
        codes.sort_unstable();
        let before = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), before);
    }

    #[test]
    fn a_retry_button_only_where_retrying_can_help() {
        for e in ENTRIES.iter().chain(entries::FALLBACKS.iter()) {
            if e.actions.contains(&FixAction::Retry) {
                assert!(
                    matches!(
                        e.retry,
                        RetryPolicy::AfterCooldown { .. } | RetryPolicy::AfterFix
                    ),
                    "{} offers Retry but its policy is {:?}",
                    e.code,
                    e.retry
                );
            }
        }
    }

    #[test]
    fn provider_codes_link_to_twilio_and_ours_do_not() {
        assert_eq!(
            explain("21211").link().as_deref(),
            Some("https://www.twilio.com/docs/api/errors/21211")
        );
        assert_eq!(explain("provider_no_answer").link(), None);
    }
}
