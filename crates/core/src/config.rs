//! The settings file (`config.toml` in the data folder): which provider account, which sender
//! numbers, how often to sync. Secrets are never in it.

use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};
use crate::provider::guard::Pacing;
use crate::provider::twilio::TWILIO_BASE_URL;
use crate::recipient_time::{BadQuietHours, QuietHours};

/// Environment variable that overrides the provider base URL (tests, simulators).
pub const BASE_URL_ENV: &str = "SWITCHBOARD_TWILIO_BASE_URL";

/// How the provider account authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// Account SID + Auth Token.
    #[default]
    AuthToken,
    /// API key SID + secret (Twilio's recommendation).
    ApiKey,
}

/// A provider account, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderAccount {
    /// Twilio Account SID (`AC…`).
    pub account_sid: String,
    /// Which credential is used.
    #[serde(default)]
    pub auth_kind: AuthKind,
    /// API key SID (`SK…`) when `auth_kind` is `api_key`.
    #[serde(default)]
    pub api_key_sid: Option<String>,
    /// Base URL of the API; Twilio's when absent.
    #[serde(default)]
    pub base_url: Option<String>,
}

impl ProviderAccount {
    /// Checks the identifiers' shapes before anything is stored.
    pub fn validate(&self) -> Result<()> {
        if !is_sid(&self.account_sid, "AC") {
            return Err(CoreError::InvalidAccountSid(self.account_sid.clone()));
        }
        if self.auth_kind == AuthKind::ApiKey {
            let key = self.api_key_sid.clone().unwrap_or_default();
            if !is_sid(&key, "SK") {
                return Err(CoreError::InvalidApiKeySid(key));
            }
        }
        if let Some(url) = &self.base_url {
            if !is_safe_base_url(url) {
                return Err(CoreError::InvalidBaseUrl(url.clone()));
            }
        }
        Ok(())
    }

    /// The Basic-auth user name, which is also the keyring entry the secret is filed under.
    pub fn username(&self) -> &str {
        match (self.auth_kind, &self.api_key_sid) {
            (AuthKind::ApiKey, Some(key)) => key,
            _ => &self.account_sid,
        }
    }

    /// The base URL in force: the environment override, then the configured one, then Twilio's.
    pub fn effective_base_url(&self) -> String {
        std::env::var(BASE_URL_ENV)
            .ok()
            .filter(|s| !s.is_empty())
            .or_else(|| self.base_url.clone())
            .unwrap_or_else(|| TWILIO_BASE_URL.to_string())
    }
}

/// HTTPS anywhere; plain HTTP only to this machine (a local simulator), since Basic auth would
/// otherwise cross the network in clear text.
fn is_safe_base_url(url: &str) -> bool {
    let Ok(u) = reqwest::Url::parse(url) else {
        return false;
    };
    match (u.scheme(), u.host()) {
        ("https", Some(_)) => true,
        ("http", Some(url::Host::Domain(d))) => d == "localhost",
        ("http", Some(url::Host::Ipv4(ip))) => ip.is_loopback(),
        ("http", Some(url::Host::Ipv6(ip))) => ip.is_loopback(),
        _ => false,
    }
}

/// Twilio SIDs: a two-letter prefix and 32 hex digits.
fn is_sid(s: &str, prefix: &str) -> bool {
    s.len() == 34 && s.starts_with(prefix) && s[2..].chars().all(|c| c.is_ascii_hexdigit())
}

/// A sender number and its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SenderConfig {
    /// E.164 number.
    pub number: String,
    /// Label such as a location.
    #[serde(default)]
    pub label: Option<String>,
}

/// Everything in `config.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// The provider account; `None` runs the demo.
    #[serde(default)]
    pub provider: Option<ProviderAccount>,
    /// Our sender numbers.
    #[serde(default)]
    pub senders: Vec<SenderConfig>,
    /// Seconds between sync rounds.
    #[serde(default = "default_poll_seconds")]
    pub poll_seconds: f64,
    /// Hours a `sent` message waits for a delivery receipt before it counts as "sent, no
    /// receipt" (some carriers never send one).
    #[serde(default = "default_no_receipt_hours")]
    pub no_receipt_hours: f64,
    /// SMS segments per second each sender number may send (US long code ≈ 1, toll-free ≈ 3,
    /// short code ≈ 100).
    #[serde(default = "default_segments_per_second")]
    pub segments_per_second: f64,
    /// Calls to the provider in flight at once.
    #[serde(default = "default_concurrent_calls")]
    pub max_concurrent_calls: usize,
    /// History is loaded back to this day (`2026-01-31`); absent: 90 days before the first
    /// connection. An earlier date later loads the missing part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_since: Option<chrono::NaiveDate>,
    /// Region (ISO code) assumed for numbers typed without a country code.
    #[serde(default = "default_region")]
    pub default_region: String,
    /// Countries (ISO codes) texts may go to; empty allows all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_countries: Vec<String>,
    /// Minutes within which the same text to the same number asks for a confirmation.
    #[serde(default = "default_duplicate_minutes")]
    pub duplicate_minutes: f64,
    /// The recipient's hours when a text asks first: `"21:00-08:00"`, or `"off"`.
    #[serde(default)]
    pub quiet_hours: QuietHoursSetting,
    /// Who uses this desktop: a team member's uid (the team lives in the database, which several
    /// desktops may one day share; who sits at this one does not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub me: Option<String>,
    /// Inbound words that opt a customer out besides Twilio's own (whole message, any case).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opt_out_keywords: Vec<String>,
    /// Inbound words that opt them back in besides Twilio's own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opt_in_keywords: Vec<String>,
    /// Run against the built-in simulator: `None` does when no account is set up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demo: Option<bool>,
    /// Show message text in desktop notifications; off, they name who wrote and nothing else
    /// (a screen others can see, a lock screen).
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub notification_text: bool,
}

impl Config {
    /// Whether the app runs the demo: as chosen, else when there is no account.
    pub fn demo(&self) -> bool {
        self.demo.unwrap_or(self.provider.is_none())
    }

    /// The database file the app uses in its data folder: the demo's, or the account's (each
    /// account keeps its own); `None` with demo mode off and no account.
    pub fn database_file(&self) -> Option<String> {
        if self.demo() {
            return Some("demo.sqlite".into());
        }
        self.provider
            .as_ref()
            .map(|a| format!("{}.sqlite", a.account_sid))
    }
}

/// `quiet_hours` as written in the file: a range, or `"off"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct QuietHoursSetting(pub Option<QuietHours>);

impl Default for QuietHoursSetting {
    fn default() -> Self {
        Self(Some(QuietHours::DEFAULT))
    }
}

impl TryFrom<String> for QuietHoursSetting {
    type Error = BadQuietHours;

    fn try_from(s: String) -> std::result::Result<Self, Self::Error> {
        if s.trim().eq_ignore_ascii_case("off") {
            return Ok(Self(None));
        }
        s.parse().map(|h| Self(Some(h)))
    }
}

impl From<QuietHoursSetting> for String {
    fn from(q: QuietHoursSetting) -> String {
        q.0.map_or_else(|| "off".to_string(), |h| h.to_string())
    }
}

fn default_region() -> String {
    crate::number::DEFAULT_REGION.to_string()
}

fn default_true() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

fn default_duplicate_minutes() -> f64 {
    10.0
}

fn default_segments_per_second() -> f64 {
    Pacing::default().segments_per_second
}

fn default_concurrent_calls() -> usize {
    Pacing::default().max_concurrent_calls
}

fn default_no_receipt_hours() -> f64 {
    72.0
}

fn default_poll_seconds() -> f64 {
    2.0
}

impl Default for Config {
    fn default() -> Self {
        Self {
            provider: None,
            senders: Vec::new(),
            poll_seconds: default_poll_seconds(),
            no_receipt_hours: default_no_receipt_hours(),
            segments_per_second: default_segments_per_second(),
            max_concurrent_calls: default_concurrent_calls(),
            history_since: None,
            default_region: default_region(),
            allowed_countries: Vec::new(),
            duplicate_minutes: default_duplicate_minutes(),
            quiet_hours: QuietHoursSetting::default(),
            me: None,
            opt_out_keywords: Vec::new(),
            opt_in_keywords: Vec::new(),
            demo: None,
            notification_text: true,
        }
    }
}

impl Config {
    /// Reads the file; a missing file is the default configuration.
    pub fn load(path: &Path) -> Result<Self> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(config_error(path, e.to_string())),
        };
        toml::from_str(&text).map_err(|e| config_error(path, e.to_string()))
    }

    /// Writes the file atomically, so a crash never leaves half a config.
    pub fn save(&self, path: &Path) -> Result<()> {
        let text = toml::to_string_pretty(self).map_err(|e| config_error(path, e.to_string()))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    }

    /// The background work's pacing, bounded to something sane whatever the file says.
    pub fn tuning(&self) -> crate::Tuning {
        let hours = if self.no_receipt_hours.is_finite() {
            self.no_receipt_hours.clamp(0.01, 24.0 * 365.0)
        } else {
            default_no_receipt_hours()
        };
        crate::Tuning {
            poll_interval: self.poll_interval(),
            no_receipt_after: Duration::from_secs_f64(hours * 3600.0),
            pacing: Pacing {
                segments_per_second: self.segments_per_second,
                max_concurrent_calls: self.max_concurrent_calls,
                ..Pacing::default()
            }
            .bounded(),
            history_since: self.history_since,
            history_batch: crate::backfill::DEFAULT_BATCH,
            checks: crate::checks::CheckSettings {
                default_region: self.default_region.trim().to_ascii_uppercase(),
                allowed_countries: self.allowed_countries.clone(),
                duplicate_window: Duration::from_secs_f64(
                    if self.duplicate_minutes.is_finite() {
                        self.duplicate_minutes.clamp(0.0, 7.0 * 24.0 * 60.0)
                    } else {
                        default_duplicate_minutes()
                    } * 60.0,
                ),
                quiet_hours: self.quiet_hours.0,
            },
            keywords: crate::memory::Keywords::with_extra(
                &self.opt_out_keywords,
                &self.opt_in_keywords,
            ),
        }
    }

    /// Time between sync rounds, bounded to something sane whatever the file says.
    pub fn poll_interval(&self) -> Duration {
        Duration::from_secs_f64(if self.poll_seconds.is_finite() {
            self.poll_seconds.clamp(0.05, 3600.0)
        } else {
            default_poll_seconds()
        })
    }
}

fn config_error(path: &Path, detail: String) -> CoreError {
    CoreError::Config {
        path: path.display().to_string(),
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> ProviderAccount {
        ProviderAccount {
            account_sid: format!("AC{}", "a".repeat(32)),
            auth_kind: AuthKind::AuthToken,
            api_key_sid: None,
            base_url: None,
        }
    }

    #[test]
    fn validates_sid_shapes() {
        assert!(account().validate().is_ok());
        let mut bad = account();
        bad.account_sid = "AC123".into();
        assert_eq!(bad.validate().unwrap_err().code(), "invalid_account_sid");
        let mut key = account();
        key.auth_kind = AuthKind::ApiKey;
        assert_eq!(key.validate().unwrap_err().code(), "invalid_api_key_sid");
        key.api_key_sid = Some(format!("SK{}", "0".repeat(32)));
        assert!(key.validate().is_ok());
        assert_eq!(key.username(), key.api_key_sid.as_deref().unwrap());
        for bad in ["ftp://x", "http://api.example.com", "not a url", "https://"] {
            let mut url = account();
            url.base_url = Some(bad.into());
            assert_eq!(
                url.validate().unwrap_err().code(),
                "invalid_base_url",
                "{bad}"
            );
        }
        for good in [
            "https://api.twilio.com",
            "http://127.0.0.1:4010",
            "http://localhost:1",
            "http://[::1]:9",
        ] {
            let mut url = account();
            url.base_url = Some(good.into());
            assert!(url.validate().is_ok(), "{good}");
        }
    }

    #[test]
    fn round_trips_through_a_file_and_survives_a_missing_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        assert_eq!(Config::load(&path).unwrap(), Config::default());
        let config = Config {
            provider: Some(account()),
            senders: vec![SenderConfig {
                number: "+14155550100".into(),
                label: Some("Main St".into()),
            }],
            poll_seconds: 5.0,
            no_receipt_hours: 24.0,
            segments_per_second: 3.0,
            max_concurrent_calls: 2,
            history_since: chrono::NaiveDate::from_ymd_opt(2026, 1, 31),
            default_region: "GB".into(),
            allowed_countries: vec!["GB".into(), "IE".into()],
            duplicate_minutes: 5.0,
            quiet_hours: QuietHoursSetting("22:00-07:30".parse().ok()),
            me: Some("5f0c6a7e-1b2c-4d3e-8f90-a1b2c3d4e5f6".into()),
            opt_out_keywords: vec!["ARRET".into()],
            opt_in_keywords: vec!["REPRENDRE".into()],
            demo: Some(true),
            notification_text: false,
        };
        config.save(&path).unwrap();
        assert_eq!(Config::load(&path).unwrap(), config);
    }

    #[test]
    fn pacing_from_the_file_is_kept_within_sane_bounds() {
        let config: Config =
            toml::from_str("segments_per_second = -5\nmax_concurrent_calls = 1000").unwrap();
        let pacing = config.tuning().pacing;
        assert!(pacing.segments_per_second > 0.0);
        assert_eq!(pacing.max_concurrent_calls, 64);
        let defaults: Config = toml::from_str("").unwrap();
        assert_eq!(defaults.tuning().pacing, Pacing::default());
    }

    #[test]
    fn quiet_hours_default_to_the_night_and_can_be_turned_off() {
        let defaults: Config = toml::from_str("").unwrap();
        assert_eq!(
            defaults.tuning().checks.quiet_hours,
            Some(QuietHours::DEFAULT)
        );
        let off: Config = toml::from_str("quiet_hours = \"OFF\"").unwrap();
        assert_eq!(off.tuning().checks.quiet_hours, None);
        assert!(toml::to_string(&off)
            .unwrap()
            .contains("quiet_hours = \"off\""));
        let early: Config = toml::from_str("quiet_hours = \"20:00-09:00\"").unwrap();
        assert_eq!(
            early.tuning().checks.quiet_hours.map(|h| h.to_string()),
            Some("20:00-09:00".into())
        );
    }

    #[test]
    fn unreadable_quiet_hours_say_how_to_write_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "quiet_hours = \"9pm to 8am\"").unwrap();
        let err = Config::load(&path).unwrap_err();
        assert_eq!(err.code(), "config");
        assert!(err.to_string().contains("21:00-08:00"), "{err}");
    }

    #[test]
    fn a_broken_file_is_a_clear_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "provider = [[[").unwrap();
        assert_eq!(Config::load(&path).unwrap_err().code(), "config");
    }
}
