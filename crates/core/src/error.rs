//! The core's error type: every variant has a stable code the UI switches on and a hint that
//! ends in the fix.

use crate::provider::ProviderError;
use crate::secrets::SecretError;

/// Anything the core can refuse or fail at.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The number cannot be turned into E.164.
    #[error("“{input}” is not a phone number we can send to")]
    InvalidNumber {
        /// What the user typed.
        input: String,
    },
    /// No conversation with that id.
    #[error("conversation {0} does not exist")]
    UnknownConversation(i64),
    /// No sender numbers are set up, so there is nothing to send from.
    #[error("there is no sender number to send from")]
    NoSender,
    /// The chosen sender number is not one of ours.
    #[error("{0} is not one of this account's sender numbers")]
    UnknownSender(String),
    /// The account SID does not look like one.
    #[error("“{0}” is not an Account SID")]
    InvalidAccountSid(String),
    /// The API key SID does not look like one.
    #[error("“{0}” is not an API key SID")]
    InvalidApiKeySid(String),
    /// A secret was required but empty.
    #[error("the secret is empty")]
    EmptySecret,
    /// The configured base URL cannot be parsed.
    #[error("“{0}” is not a valid URL")]
    InvalidBaseUrl(String),
    /// No provider account is configured.
    #[error("no provider account is configured")]
    NotConfigured,
    /// The account is configured but its secret is not in the keyring.
    #[error("the account's secret is not in the keyring")]
    MissingSecret,
    /// The provider's address did not answer.
    #[error("could not reach {url}: {detail}")]
    CannotConnect {
        /// The base URL tried.
        url: String,
        /// What the connection said.
        detail: String,
    },
    /// The config file could not be read or written.
    #[error("the settings file {path} could not be used: {detail}")]
    Config {
        /// The file.
        path: String,
        /// What went wrong.
        detail: String,
    },
    /// The secret store refused.
    /// A check before sending refused the message.
    #[error("{message}")]
    Blocked {
        /// The finding's code.
        code: &'static str,
        /// What was found.
        message: String,
        /// What to do.
        fix: String,
    },
    /// The message needs a deliberate "send anyway" first.
    #[error("please confirm: {}", findings.join(" "))]
    NeedsConfirmation {
        /// What asks for the confirmation.
        findings: Vec<String>,
    },
    /// No message with that id.
    #[error("message {0} does not exist")]
    UnknownMessage(i64),
    /// Only a failed message can be resent.
    #[error("message {0} has not failed, so there is nothing to resend")]
    NotFailed(i64),
    /// The failure was resent already; the resend carries it on.
    #[error("message {0} was resent already")]
    AlreadyResent(i64),
    /// Sending the same message again can't help with this failure.
    #[error("sending it again unchanged would fail the same way (error {code})")]
    RetryNotAllowed {
        /// The failure's code.
        code: String,
        /// What would help instead.
        hint: String,
    },
    /// The failure's cooldown has not passed yet.
    #[error("too soon to retry after error {code}; wait until {ready_at}")]
    RetryTooSoon {
        /// The failure's code.
        code: String,
        /// When a retry can help (RFC 3339).
        ready_at: String,
    },
    /// The corrected number already belongs to another contact.
    #[error("{0} is already another contact's number")]
    NumberTaken(String),
    /// Something typed in a form can't be kept as it is.
    #[error("{problem}")]
    InvalidField {
        /// The form field.
        field: &'static str,
        /// What is wrong with it.
        problem: String,
        /// How to put it right.
        fix: String,
    },
    /// No team member with that id.
    #[error("team member {0} does not exist")]
    UnknownMember(String),
    /// No contact with that id.
    #[error("contact {0} does not exist")]
    UnknownContact(i64),
    /// No template with that id (or it was deleted).
    #[error("template {0} does not exist")]
    UnknownTemplate(i64),
    /// The template is a draft.
    #[error("the template “{0}” is not approved yet")]
    TemplateNotApproved(String),
    /// The person at this desktop may not do this.
    #[error("only an admin can {0}")]
    AdminOnly(&'static str),
    /// Nobody is chosen as the person at this desktop.
    #[error("Switchboard doesn't know who you are yet")]
    NoIdentity,
    /// Another process holds the data folder.
    #[error("Switchboard is already running with the data folder {dir}")]
    AlreadyRunning {
        /// The data folder.
        dir: String,
    },
    #[error(transparent)]
    Secrets(#[from] SecretError),
    /// The provider refused or could not be reached.
    #[error(transparent)]
    Provider(#[from] ProviderError),
    /// SQLite failed.
    #[error("the local database failed: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("the local database could not be upgraded: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A file-system error.
    #[error("a file could not be used: {0}")]
    Io(#[from] std::io::Error),
}

impl CoreError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::InvalidNumber { .. } => "invalid_number",
            CoreError::UnknownConversation(_) => "unknown_conversation",
            CoreError::NoSender => "no_sender",
            CoreError::UnknownSender(_) => "unknown_sender",
            CoreError::InvalidAccountSid(_) => "invalid_account_sid",
            CoreError::InvalidApiKeySid(_) => "invalid_api_key_sid",
            CoreError::EmptySecret => "empty_secret",
            CoreError::InvalidBaseUrl(_) => "invalid_base_url",
            CoreError::NotConfigured => "not_configured",
            CoreError::MissingSecret => "missing_secret",
            CoreError::CannotConnect { .. } => "cannot_connect",
            CoreError::Config { .. } => "config",
            CoreError::AlreadyRunning { .. } => "already_running",
            CoreError::Blocked { code, .. } => code,
            CoreError::UnknownMessage(_) => "unknown_message",
            CoreError::NotFailed(_) => "not_failed",
            CoreError::AlreadyResent(_) => "already_resent",
            CoreError::RetryNotAllowed { .. } => "retry_not_allowed",
            CoreError::RetryTooSoon { .. } => "retry_too_soon",
            CoreError::NumberTaken(_) => "number_taken",
            CoreError::InvalidField { .. } => "invalid_field",
            CoreError::UnknownMember(_) => "unknown_member",
            CoreError::NoIdentity => "no_identity",
            CoreError::UnknownContact(_) => "unknown_contact",
            CoreError::UnknownTemplate(_) => "unknown_template",
            CoreError::TemplateNotApproved(_) => "template_not_approved",
            CoreError::AdminOnly(_) => "admin_only",
            CoreError::NeedsConfirmation { .. } => "needs_confirmation",
            CoreError::Secrets(e) => e.code(),
            CoreError::Provider(e) => e.code(),
            CoreError::Database(_) => "database",
            CoreError::Migration(_) => "migration",
            CoreError::Io(_) => "io",
        }
    }

    /// What the user should do next.
    pub fn hint(&self) -> String {
        match self {
            CoreError::InvalidNumber { .. } => {
                "Type the number with its country code, e.g. +1 415 555 0100.".into()
            }
            CoreError::UnknownConversation(_) => {
                "The conversation may have been removed; reload the list.".into()
            }
            CoreError::NoSender => {
                "The account has no SMS-capable number yet: add one in the Twilio Console; Switchboard picks it up within ten minutes (or at the next start).".into()
            }
            CoreError::UnknownSender(_) => "Pick one of the sender numbers in the list.".into(),
            CoreError::InvalidAccountSid(_) => {
                "Copy the Account SID from the Twilio Console: it starts with AC and has 34 characters."
                    .into()
            }
            CoreError::InvalidApiKeySid(_) => {
                "Copy the API key SID from the Twilio Console: it starts with SK and has 34 characters."
                    .into()
            }
            CoreError::EmptySecret => "Paste the Auth Token or the API key secret.".into(),
            CoreError::InvalidBaseUrl(_) => {
                "Leave the base URL empty for Twilio, or give a full http(s):// address.".into()
            }
            CoreError::NotConfigured => {
                "Enter your Twilio account in Settings, or turn demo mode on there.".into()
            }
            CoreError::MissingSecret => {
                "Enter the Auth Token (or API key secret) again in Settings.".into()
            }
            CoreError::CannotConnect { .. } => {
                "Check this computer's internet connection, and leave the base URL empty unless you use a Twilio-compatible proxy.".into()
            }
            CoreError::Config { path, .. } => {
                format!("Fix or delete {path}; Switchboard writes a fresh one when you save Settings.")
            }
            CoreError::Blocked { fix, .. } => fix.clone(),
            CoreError::UnknownMessage(_) | CoreError::NotFailed(_) => {
                "Reload the conversation; the message may have changed meanwhile.".into()
            }
            CoreError::AlreadyResent(_) => {
                "Look at the resend in the conversation: if it failed too, fix that one.".into()
            }
            CoreError::RetryNotAllowed { hint, .. } => hint.clone(),
            CoreError::RetryTooSoon { .. } => {
                "Wait a little: this kind of failure often clears up by itself.".into()
            }
            CoreError::NumberTaken(_) => {
                "Open the conversation with that number and send from there.".into()
            }
            CoreError::InvalidField { fix, .. } => fix.clone(),
            CoreError::UnknownMember(_) => {
                "The member may have been removed; pick someone from the team list.".into()
            }
            CoreError::UnknownContact(_) => "Reload the contacts; this one may be gone.".into(),
            CoreError::UnknownTemplate(_) => {
                "The template may have been deleted; pick another one.".into()
            }
            CoreError::TemplateNotApproved(_) => {
                "Ask an admin to approve it under Templates, or write the message yourself.".into()
            }
            CoreError::AdminOnly(_) => {
                "Ask someone with the admin role, or switch to your admin identity at the top right."
                    .into()
            }
            CoreError::NoIdentity => {
                "Choose who you are with the button at the top right, or add yourself to the team."
                    .into()
            }
            CoreError::NeedsConfirmation { .. } => {
                "Check the message, then choose Send anyway if it is right.".into()
            }
            CoreError::AlreadyRunning { .. } => {
                "Switch to the Switchboard window that is already open and close this one. If none is open, another copy may still be closing: wait a few seconds and start again.".into()
            }
            CoreError::Secrets(e) => e.hint(),
            CoreError::Provider(e) => e.hint(),
            CoreError::Database(_) | CoreError::Migration(_) => {
                "Check that the disk is not full and that the data folder is writable, then restart Switchboard."
                    .into()
            }
            CoreError::Io(_) => {
                "Check that the disk is not full and that the data folder is writable.".into()
            }
        }
    }
}

/// Shorthand for results in the core.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;
