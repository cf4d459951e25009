//! The recipient's local time, told from their number (the area code in North America, the
//! country elsewhere), and the quiet hours when texts to them ask for a confirmation first.
//! No maintained crate carries libphonenumber's number → time zone map, so the tables are ours;
//! the zones' rules (daylight saving and all) come from the IANA database in `chrono-tz`.

mod countries;
mod nanp;

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;

use crate::number::NumberInfo;

/// The time of day a clock shows, as people read it ("9:05 PM").
fn show(t: NaiveTime) -> String {
    t.format("%-I:%M %p").to_string()
}

/// Hours of the recipient's day when a text asks for a "send anyway" first (they wrap past
/// midnight: 21:00–08:00 is the night).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    /// When the quiet begins.
    pub start: NaiveTime,
    /// When it ends (texting is fine again from this minute).
    pub end: NaiveTime,
}

impl QuietHours {
    /// The default: from 21:00 to 08:00.
    pub const DEFAULT: QuietHours = QuietHours {
        start: NaiveTime::from_hms_opt(21, 0, 0).expect("a valid time"),
        end: NaiveTime::from_hms_opt(8, 0, 0).expect("a valid time"),
    };

    /// Whether a local time of day falls in the quiet hours.
    pub fn contains(&self, t: NaiveTime) -> bool {
        if self.start <= self.end {
            self.start <= t && t < self.end
        } else {
            t >= self.start || t < self.end
        }
    }

    /// "9:00 PM–8:00 AM".
    pub fn describe(&self) -> String {
        format!("{}–{}", show(self.start), show(self.end))
    }
}

/// Written as in the settings file: `21:00-08:00`.
impl fmt::Display for QuietHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

/// Why a quiet-hours setting could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a time range: write it like “21:00-08:00” (24-hour clock), or “off”")]
pub struct BadQuietHours(pub String);

impl FromStr for QuietHours {
    type Err = BadQuietHours;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadQuietHours(s.to_string());
        let (start, end) = s.split_once(['-', '–']).ok_or_else(bad)?;
        let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| bad());
        let hours = QuietHours {
            start: time(start)?,
            end: time(end)?,
        };
        if hours.start == hours.end {
            return Err(bad());
        }
        Ok(hours)
    }
}

/// The time on one of the recipient's possible clocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneClock {
    /// IANA zone, "America/Chicago".
    pub zone: &'static str,
    /// What people call it: "Central time", "London time".
    pub label: String,
    /// The local time of day.
    pub time: NaiveTime,
}

/// The recipient's local time: one clock, or several where their area spans time zones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientTime {
    /// Each zone they may be in, west to east as listed.
    pub clocks: Vec<ZoneClock>,
    /// The country has other zones too and the number can't tell which: this is the main one.
    pub likely: bool,
}

impl RecipientTime {
    /// "9:05 PM Central time", "9:05 PM Central time or 10:05 PM Eastern time", "probably …".
    pub fn describe(&self) -> String {
        let clocks: Vec<String> = self
            .clocks
            .iter()
            .map(|c| format!("{} {}", show(c.time), c.label))
            .collect();
        let text = clocks.join(" or ");
        if self.likely {
            format!("probably {text}")
        } else {
            text
        }
    }

    /// Whether any of their clocks shows a quiet hour.
    pub fn quiet(&self, hours: &QuietHours) -> bool {
        self.clocks.iter().any(|c| hours.contains(c.time))
    }
}

/// The recipient's local time at `now`, when their number says where they are.
pub fn at(info: &NumberInfo, now: DateTime<Utc>) -> Option<RecipientTime> {
    let (zones, likely) = zones_of(info)?;
    let clocks = zones
        .into_iter()
        .filter_map(|zone| {
            let tz: Tz = zone.parse().ok()?;
            let local = now.with_timezone(&tz).time();
            Some(ZoneClock {
                zone,
                label: label(zone),
                time: local.with_second(0)?.with_nanosecond(0)?,
            })
        })
        .collect::<Vec<_>>();
    (!clocks.is_empty()).then_some(RecipientTime { clocks, likely })
}

/// The zones a number may be in, and whether they are only the likely one of several.
fn zones_of(info: &NumberInfo) -> Option<(Vec<&'static str>, bool)> {
    // Area codes are unique across North America, so they decide even when the digits are
    // not a valid number (and the country is only guessed from the calling code).
    if info.calling_code == 1 {
        let area = info.e164.get(2..5)?.parse::<u16>().ok()?;
        if let Some(zones) = nanp::zones(area) {
            return Some((zones, false));
        }
    }
    let country = info.country.as_deref()?;
    if info.calling_code == 1 && matches!(country, "US" | "CA") {
        // A North American code with no place (toll-free, 5XX, …).
        return None;
    }
    countries::zone(country).map(|(zone, several)| (vec![zone], several))
}

/// How people name a zone: North America's by region, the rest by their city.
fn label(zone: &str) -> String {
    let region = match zone {
        "America/New_York" | "America/Toronto" => "Eastern",
        "America/Chicago" | "America/Winnipeg" => "Central",
        "America/Denver" | "America/Edmonton" => "Mountain",
        "America/Phoenix" => "Arizona",
        "America/Los_Angeles" | "America/Vancouver" => "Pacific",
        "America/Anchorage" => "Alaska",
        "Pacific/Honolulu" => "Hawaii",
        "America/Regina" => "Saskatchewan",
        "America/Halifax" | "America/Puerto_Rico" => "Atlantic",
        "America/St_Johns" => "Newfoundland",
        "America/Whitehorse" => "Yukon",
        _ => "",
    };
    if !region.is_empty() {
        return format!("{region} time");
    }
    let city = zone.rsplit('/').next().unwrap_or(zone).replace('_', " ");
    format!("{city} time")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::inspect;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn clocks(number: &str, now: DateTime<Utc>) -> Vec<(String, NaiveTime)> {
        let info = inspect(number, "US").unwrap();
        at(&info, now)
            .map(|t| t.clocks.into_iter().map(|c| (c.label, c.time)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn every_zone_in_the_tables_is_in_the_tz_database() {
        let zones = nanp::all_zones()
            .into_iter()
            .chain(countries::all().iter().map(|(_, z)| *z));
        for zone in zones {
            assert!(zone.parse::<Tz>().is_ok(), "{zone} is not an IANA zone");
        }
    }

    #[test]
    fn every_country_libphonenumber_knows_has_a_zone() {
        let missing: Vec<String> = crate::number::known_regions()
            .into_iter()
            .filter(|id| id.len() == 2 && !matches!(id.as_str(), "US" | "CA"))
            .filter(|id| countries::zone(id).is_none())
            .collect();
        assert!(missing.is_empty(), "no zone for {missing:?}");
    }

    /// A valid number in a North American area code that is a place (not toll-free or
    /// personal), when libphonenumber has one among a few exchanges.
    fn geographic_sample(area: u16) -> Option<(String, NumberInfo)> {
        // New area codes are often valid only in their first exchanges: try many.
        (200..1000)
            .step_by(37)
            .map(|exchange| format!("+1{area}{exchange}4567"))
            .filter_map(|n| inspect(&n, "US").ok().map(|i| (n, i)))
            .find(|(_, i)| {
                i.valid
                    && matches!(i.country.as_deref(), Some("US" | "CA"))
                    && matches!(
                        i.kind,
                        Some(
                            crate::number::LineKind::FixedLine
                                | crate::number::LineKind::Mobile
                                | crate::number::LineKind::FixedLineOrMobile
                        )
                    )
            })
    }

    #[test]
    fn every_geographic_us_and_canadian_area_code_has_a_zone() {
        let missing: Vec<u16> = (200..=999)
            .filter(|&area| geographic_sample(area).is_some() && nanp::zones(area).is_none())
            .collect();
        assert!(missing.is_empty(), "area codes with no zone: {missing:?}");
    }

    #[test]
    fn the_area_code_table_names_each_code_once_and_only_well_formed_ones() {
        // Not checked against libphonenumber: its tables lag behind new overlays (436 has
        // served Ohio since March 2024 and is not in them yet).
        let mut codes = nanp::all_codes();
        codes.sort_unstable();
        let before = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), before, "an area code is listed twice");
        let malformed: Vec<u16> = codes
            .into_iter()
            .filter(|&c| {
                let (first, second, third) = (c / 100, c / 10 % 10, c % 10);
                // NXX with N ≥ 2; N11 are service codes; N9X are reserved for expansion.
                !(2..=9).contains(&first) || (second == 1 && third == 1) || second == 9
            })
            .collect();
        assert!(malformed.is_empty(), "not area codes: {malformed:?}");
    }

    /// Each number's one clock at an instant: (number, label, hour, minute).
    fn assert_clocks(now: DateTime<Utc>, expected: &[(&str, &str, u32, u32)]) {
        for &(number, label, h, m) in expected {
            assert_eq!(
                clocks(number, now),
                [(label.to_string(), hm(h, m))],
                "{number} at {now}"
            );
        }
    }

    #[test]
    fn area_codes_tell_the_zone_with_daylight_saving() {
        // 1 July 2026, 03:00 UTC: New York is on EDT (UTC−4), Chicago CDT (−5), Denver MDT
        // (−6), Arizona stays on MST (−7), Los Angeles PDT (−7), Honolulu HST (−10); Canada's
        // Toronto EDT, Regina CST all year (−6), St. John's NDT (−2:30).
        #[rustfmt::skip]
        assert_clocks(utc(2026, 7, 1, 3, 0), &[
            ("+12125550100", "Eastern time", 23, 0),
            ("+13125550100", "Central time", 22, 0),
            ("+13035550100", "Mountain time", 21, 0),
            ("+16025550100", "Arizona time", 20, 0),
            ("+14155550100", "Pacific time", 20, 0),
            ("+18085550100", "Hawaii time", 17, 0),
            ("+14165550100", "Eastern time", 23, 0),
            ("+13065550100", "Saskatchewan time", 21, 0),
            ("+17095550100", "Newfoundland time", 0, 30),
        ]);
        // 15 January: standard time; Arizona now matches Denver.
        #[rustfmt::skip]
        assert_clocks(utc(2026, 1, 15, 3, 0), &[
            ("+12125550100", "Eastern time", 22, 0),
            ("+16025550100", "Arizona time", 20, 0),
            ("+13035550100", "Mountain time", 20, 0),
        ]);
    }

    #[test]
    fn an_area_code_across_zones_gives_every_clock() {
        // Florida's panhandle: Tallahassee and Pensacola.
        let t = clocks("+18505550100", utc(2026, 7, 1, 1, 30));
        assert_eq!(
            t,
            [
                ("Eastern time".into(), hm(21, 30)),
                ("Central time".into(), hm(20, 30))
            ]
        );
        let info = inspect("+18505550100", "US").unwrap();
        let time = at(&info, utc(2026, 7, 1, 1, 30)).unwrap();
        assert!(
            time.quiet(&QuietHours::DEFAULT),
            "one of its clocks is past 9 PM"
        );
        assert_eq!(
            time.describe(),
            "9:30 PM Eastern time or 8:30 PM Central time"
        );
    }

    #[test]
    fn other_countries_go_by_their_zone() {
        // 1 July 2026, 20:30 UTC: London BST (+1), Berlin CEST (+2), Tokyo (+9), Mumbai (+5:30);
        // Puerto Rico is in the North American plan but has no area-code table: AST (−4).
        #[rustfmt::skip]
        assert_clocks(utc(2026, 7, 1, 20, 30), &[
            ("+442079460958", "London time", 21, 30),
            ("+4915123456789", "Berlin time", 22, 30),
            ("+819012345678", "Tokyo time", 5, 30),
            ("+919812345678", "Kolkata time", 2, 0),
            ("+17872345678", "Atlantic time", 16, 30),
        ]);
    }

    #[test]
    fn a_country_with_several_zones_gives_the_likely_one() {
        let info = inspect("+79161234567", "US").unwrap();
        let time = at(&info, utc(2026, 7, 1, 18, 5)).unwrap();
        assert!(time.likely);
        assert_eq!(time.describe(), "probably 9:05 PM Moscow time");
    }

    #[test]
    fn numbers_without_a_place_have_no_time() {
        for n in ["+18005550100", "+18885550100", "+15005550006"] {
            let info = inspect(n, "US").unwrap();
            assert_eq!(at(&info, utc(2026, 7, 1, 3, 0)), None, "{n}");
        }
    }

    #[test]
    fn quiet_hours_wrap_past_midnight_or_not() {
        let night = QuietHours::DEFAULT;
        assert!(night.contains(hm(21, 0)));
        assert!(night.contains(hm(23, 59)));
        assert!(night.contains(hm(0, 0)));
        assert!(night.contains(hm(7, 59)));
        assert!(!night.contains(hm(8, 0)));
        assert!(!night.contains(hm(20, 59)));
        let lunch: QuietHours = "12:00-13:30".parse().unwrap();
        assert!(lunch.contains(hm(12, 45)));
        assert!(!lunch.contains(hm(13, 30)));
        assert!(!lunch.contains(hm(11, 59)));
    }

    #[test]
    fn quiet_hours_read_and_write_as_in_the_settings_file() {
        let h: QuietHours = " 22:30 – 07:15 ".parse().unwrap();
        assert_eq!(h.start, hm(22, 30));
        assert_eq!(h.end, hm(7, 15));
        assert_eq!(h.to_string(), "22:30-07:15");
        assert_eq!(h.describe(), "10:30 PM–7:15 AM");
        assert_eq!(h.to_string().parse::<QuietHours>(), Ok(h));
        for bad in [
            "",
            "21:00",
            "9pm-8am",
            "25:00-08:00",
            "21:00-21:00",
            "21:00-08:00-09:00",
        ] {
            assert!(bad.parse::<QuietHours>().is_err(), "{bad:?} was accepted");
        }
    }
}
