//! The sending rules a person sets in Settings (default country, allowed countries, quiet
//! hours, duplicate window, opt-out and opt-in keywords, demo mode) and the labels of the
//! sender numbers: checked, then written to `config.toml`, which the services read when they
//! start.

use std::path::Path;

use crate::config::{Config, QuietHoursSetting, SenderConfig};
use crate::error::{CoreError, Result};
use crate::recipient_time::QuietHours;

/// The longest duplicate window, in minutes (a week).
const MAX_DUPLICATE_MINUTES: f64 = 7.0 * 24.0 * 60.0;

/// What the Settings form edits.
#[derive(Debug, Clone, PartialEq)]
pub struct Preferences {
    /// ISO code assumed for numbers typed without a country code.
    pub default_region: String,
    /// ISO codes texts may go to; empty allows all.
    pub allowed_countries: Vec<String>,
    /// The recipient's hours when a text asks first; `None` turns them off.
    pub quiet_hours: Option<QuietHours>,
    /// Minutes within which the same text to the same number asks first.
    pub duplicate_minutes: f64,
    /// Labels of sender numbers (a location), by number.
    pub sender_labels: Vec<(String, Option<String>)>,
    /// Inbound words that opt a customer out, besides Twilio's own.
    pub opt_out_keywords: Vec<String>,
    /// Inbound words that opt them back in, besides Twilio's own.
    pub opt_in_keywords: Vec<String>,
    /// Run against the built-in simulator (no real texts), whether or not an account is set up.
    pub demo: bool,
    /// Show message text in desktop notifications (off: who wrote, and nothing else).
    pub notification_text: bool,
}

impl Preferences {
    /// The preferences a config holds.
    pub fn of(config: &Config) -> Self {
        Self {
            default_region: config.default_region.clone(),
            allowed_countries: config.allowed_countries.clone(),
            quiet_hours: config.quiet_hours.0,
            duplicate_minutes: config.duplicate_minutes,
            sender_labels: config
                .senders
                .iter()
                .map(|s| (s.number.clone(), s.label.clone()))
                .collect(),
            opt_out_keywords: config.opt_out_keywords.clone(),
            opt_in_keywords: config.opt_in_keywords.clone(),
            demo: config.demo(),
            notification_text: config.notification_text,
        }
    }
}

/// The longest keyword.
const MAX_KEYWORD: usize = 30;

/// Extra keywords, tidied: upper case, one word each, no repeats, none of Twilio's own (they
/// always count, so listing them again says nothing).
fn keywords(field: &'static str, list: &[String], twilio: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for w in list {
        let w = w.trim().to_uppercase();
        if w.is_empty() || twilio.contains(&w) {
            continue;
        }
        if w.chars().any(|c| c.is_whitespace()) || w.chars().count() > MAX_KEYWORD {
            return Err(invalid(
                field,
                format!("“{w}” is not one word."),
                "Give single words, separated by commas (e.g. ARRET, BASTA).",
            ));
        }
        if !out.contains(&w) {
            out.push(w);
        }
    }
    Ok(out)
}

fn invalid(field: &'static str, problem: String, fix: &str) -> CoreError {
    CoreError::InvalidField {
        field,
        problem,
        fix: fix.to_string(),
    }
}

/// A two-letter region libphonenumber knows.
fn region(field: &'static str, code: &str) -> Result<String> {
    let code = code.trim().to_ascii_uppercase();
    let known = code.len() == 2 && crate::number::is_known_region(&code);
    if !known {
        return Err(invalid(
            field,
            format!("“{code}” is not a country code."),
            "Use the two-letter ISO code, e.g. US, CA, GB.",
        ));
    }
    Ok(code)
}

/// Checks the preferences and writes them into the config file; returns the new config.
pub fn save(config_path: &Path, p: &Preferences) -> Result<Config> {
    let default_region = region("default_region", &p.default_region)?;
    let mut allowed = Vec::new();
    for c in &p.allowed_countries {
        if c.trim().is_empty() {
            continue;
        }
        let c = region("allowed_countries", c)?;
        if !allowed.contains(&c) {
            allowed.push(c);
        }
    }
    if !p.duplicate_minutes.is_finite()
        || !(0.0..=MAX_DUPLICATE_MINUTES).contains(&p.duplicate_minutes)
    {
        return Err(invalid(
            "duplicate_minutes",
            format!("{} minutes is not a window.", p.duplicate_minutes),
            "Use 0 (off) to 10080 minutes (a week).",
        ));
    }
    let twilio = crate::memory::Keywords::default();
    let opt_out = keywords("opt_out_keywords", &p.opt_out_keywords, &twilio.stop)?;
    let opt_in = keywords("opt_in_keywords", &p.opt_in_keywords, &twilio.start)?;
    let clash = opt_out
        .iter()
        .find(|w| opt_in.contains(w) || twilio.start.contains(w))
        .or_else(|| opt_in.iter().find(|w| twilio.stop.contains(w)));
    if let Some(both) = clash {
        return Err(invalid(
            "opt_in_keywords",
            format!("{both} is both an opt-out and an opt-in word."),
            "Keep each word in one list only.",
        ));
    }
    let mut config = Config::load(config_path)?;
    config.opt_out_keywords = opt_out;
    config.opt_in_keywords = opt_in;
    // Written only when it differs from what no choice would give, so that connecting an
    // account later still leaves the demo by itself.
    config.demo = (p.demo != (config.provider.is_none())).then_some(p.demo);
    config.notification_text = p.notification_text;
    config.default_region = default_region;
    config.allowed_countries = allowed;
    config.quiet_hours = QuietHoursSetting(p.quiet_hours);
    config.duplicate_minutes = p.duplicate_minutes;
    for (number, label) in &p.sender_labels {
        let number = crate::number::normalise(number)?;
        let label = label
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from);
        match config.senders.iter_mut().find(|s| s.number == number) {
            Some(s) => s.label = label,
            // The account's numbers come from the provider; only a label needs writing down.
            None if label.is_some() => config.senders.push(SenderConfig { number, label }),
            None => {}
        }
    }
    config.save(config_path)?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Preferences {
        Preferences {
            default_region: "us".into(),
            allowed_countries: vec!["us".into(), " CA ".into(), "US".into(), "".into()],
            quiet_hours: "22:00-07:00".parse().ok(),
            duplicate_minutes: 15.0,
            sender_labels: vec![("(415) 555-0100".into(), Some(" Main office ".into()))],
            opt_out_keywords: vec!["stop".into(), " Arrêt ".into(), "ARRÊT".into(), "".into()],
            opt_in_keywords: vec!["START".into(), "reprendre".into()],
            demo: true,
            notification_text: true,
        }
    }

    #[test]
    fn preferences_are_tidied_written_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let config = save(&path, &base()).unwrap();
        assert_eq!(config.default_region, "US");
        assert_eq!(config.allowed_countries, vec!["US", "CA"]);
        let again = Config::load(&path).unwrap();
        assert_eq!(again, config);
        let p = Preferences::of(&again);
        assert_eq!(
            p.quiet_hours.map(|h| h.to_string()).as_deref(),
            Some("22:00-07:00")
        );
        assert_eq!(
            p.sender_labels,
            vec![("+14155550100".to_string(), Some("Main office".to_string()))]
        );
        assert_eq!(again.tuning().checks.duplicate_window.as_secs(), 15 * 60);
        assert_eq!(
            config.opt_out_keywords,
            vec!["ARRÊT"],
            "Twilio's own are not repeated"
        );
        assert_eq!(config.opt_in_keywords, vec!["REPRENDRE"]);
        let keywords = again.tuning().keywords;
        assert_eq!(keywords.of("arrêt."), Some(crate::memory::Keyword::Stop));
        assert_eq!(
            keywords.of("reprendre"),
            Some(crate::memory::Keyword::Start)
        );
        assert_eq!(keywords.of("cancel"), Some(crate::memory::Keyword::Stop));
        // Demo on without an account is what no choice gives: nothing written.
        assert_eq!(config.demo, None);
        assert!(p.demo);
        // Quiet hours off, a label cleared.
        let off = save(
            &path,
            &Preferences {
                quiet_hours: None,
                sender_labels: vec![("+14155550100".into(), Some("  ".into()))],
                ..base()
            },
        )
        .unwrap();
        assert_eq!(off.quiet_hours.0, None);
        // Message text hidden in notifications, and read back so.
        let hidden = save(
            &path,
            &Preferences {
                notification_text: false,
                ..base()
            },
        )
        .unwrap();
        assert!(!hidden.notification_text);
        assert!(!Preferences::of(&Config::load(&path).unwrap()).notification_text);
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .contains("notification_text = false"));
        assert_eq!(off.senders[0].label, None);
    }

    #[test]
    fn bad_values_name_their_field_and_write_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let field = |p: Preferences| match save(&path, &p) {
            Err(CoreError::InvalidField { field, .. }) => field,
            other => panic!("accepted: {other:?}"),
        };
        assert_eq!(
            field(Preferences {
                default_region: "USA".into(),
                ..base()
            }),
            "default_region"
        );
        assert_eq!(
            field(Preferences {
                allowed_countries: vec!["XX".into()],
                ..base()
            }),
            "allowed_countries"
        );
        assert_eq!(
            field(Preferences {
                duplicate_minutes: -1.0,
                ..base()
            }),
            "duplicate_minutes"
        );
        assert_eq!(
            field(Preferences {
                opt_in_keywords: vec!["START".into(), "NO MORE".into()],
                ..base()
            }),
            "opt_in_keywords"
        );
        // A word in both lists, or an opt-in word that Twilio treats as an opt-out.
        assert_eq!(
            field(Preferences {
                opt_in_keywords: vec!["ARRÊT".into()],
                ..base()
            }),
            "opt_in_keywords"
        );
        assert_eq!(
            field(Preferences {
                opt_in_keywords: vec!["CANCEL".into()],
                ..base()
            }),
            "opt_in_keywords"
        );
        assert!(!path.exists(), "nothing was written");
    }
}
