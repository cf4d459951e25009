//! How a body travels as SMS: its character set and the number of segments it costs.

use crate::domain::Encoding;

/// The GSM 03.38 basic alphabet (without the escape character itself).
const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// Characters reached through the escape code: each costs two septets.
const GSM7_EXTENDED: &str = "\u{0C}^{}\\[~]|€";

/// Single-segment and per-part capacities, in septets (GSM-7) or UTF-16 units (UCS-2).
const GSM7_SINGLE: usize = 160;
const GSM7_PART: usize = 153;
const UCS2_SINGLE: usize = 70;
const UCS2_PART: usize = 67;

/// The encoding and segment count of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentInfo {
    /// Character set the provider will use.
    pub encoding: Encoding,
    /// Number of SMS segments billed.
    pub segments: u32,
}

/// Septets a character costs in GSM-7, or `None` when it forces UCS-2.
fn gsm7_cost(c: char) -> Option<usize> {
    if GSM7_BASIC.contains(c) {
        Some(1)
    } else if GSM7_EXTENDED.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// Packs units into parts of `part` capacity without splitting a unit, returning the count.
fn pack(units: impl Iterator<Item = usize>, total: usize, single: usize, part: usize) -> u32 {
    if total == 0 {
        return 0;
    }
    if total <= single {
        return 1;
    }
    let mut parts = 1;
    let mut used = 0;
    for u in units {
        if used + u > part {
            parts += 1;
            used = 0;
        }
        used += u;
    }
    parts
}

/// Works out the encoding and segments by the provider's rules: 160/153 septets for GSM-7 (escaped
/// characters count twice and are never split), 70/67 UTF-16 units for UCS-2 (surrogate pairs are
/// never split).
pub fn analyse(body: &str) -> SegmentInfo {
    let gsm: Option<Vec<usize>> = body.chars().map(gsm7_cost).collect();
    match gsm {
        Some(costs) => {
            let total = costs.iter().sum();
            SegmentInfo {
                encoding: Encoding::Gsm7,
                segments: pack(costs.into_iter(), total, GSM7_SINGLE, GSM7_PART),
            }
        }
        None => {
            let total = body.encode_utf16().count();
            SegmentInfo {
                encoding: Encoding::Ucs2,
                segments: pack(
                    body.chars().map(char::len_utf16),
                    total,
                    UCS2_SINGLE,
                    UCS2_PART,
                ),
            }
        }
    }
}

/// Splits a body into the parts it is sent as, by the same rules as [`analyse`]: no escape
/// pair and no surrogate pair is ever cut. An empty body has no parts.
pub fn split(body: &str) -> Vec<&str> {
    let info = analyse(body);
    if info.segments <= 1 {
        return if body.is_empty() { vec![] } else { vec![body] };
    }
    let part = match info.encoding {
        Encoding::Gsm7 => GSM7_PART,
        Encoding::Ucs2 => UCS2_PART,
    };
    let mut parts = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (at, c) in body.char_indices() {
        let cost = unit_cost(info.encoding, c);
        if used + cost > part {
            parts.push(&body[start..at]);
            start = at;
            used = 0;
        }
        used += cost;
    }
    parts.push(&body[start..]);
    parts
}

fn unit_cost(encoding: Encoding, c: char) -> usize {
    match encoding {
        Encoding::Gsm7 => gsm7_cost(c).unwrap_or(2),
        Encoding::Ucs2 => c.len_utf16(),
    }
}

/// A character that forces the whole message into UCS-2, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForcingChar {
    /// The character.
    pub ch: char,
    /// Where it starts, in UTF-16 units (the window's own string indexing).
    pub utf16_offset: usize,
    /// Its length in UTF-16 units (2 for most emoji).
    pub utf16_len: usize,
    /// What the GSM-safe rewrite puts there instead, if anything does.
    pub replacement: Option<&'static str>,
}

/// Every character of the body that GSM-7 can't carry, in order.
pub fn forcing_chars(body: &str) -> Vec<ForcingChar> {
    let mut offset = 0;
    let mut out = Vec::new();
    for ch in body.chars() {
        if gsm7_cost(ch).is_none() {
            out.push(ForcingChar {
                ch,
                utf16_offset: offset,
                utf16_len: ch.len_utf16(),
                replacement: gsm_replacement(ch),
            });
        }
        offset += ch.len_utf16();
    }
    out
}

/// Look-alikes typed by phones and word processors, and the GSM-7 text that says the same.
fn gsm_replacement(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}'
        | '\u{0060}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => "-",
        '\u{2026}' => "...",
        '\u{2022}' | '\u{00B7}' => "-",
        '\u{2039}' => "<",
        '\u{203A}' => ">",
        '\u{00D7}' => "x",
        '\u{00F7}' => "/",
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => " ",
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => "",
        '\u{00E7}' => "Ç",
        '\u{00E1}' | '\u{00E2}' | '\u{00E3}' => "a",
        '\u{00EA}' | '\u{00EB}' => "e",
        '\u{00ED}' | '\u{00EE}' | '\u{00EF}' => "i",
        '\u{00F3}' | '\u{00F4}' | '\u{00F5}' => "o",
        '\u{00FA}' | '\u{00FB}' => "u",
        '\u{00C0}' | '\u{00C1}' | '\u{00C2}' | '\u{00C3}' => "A",
        '\u{00C8}' | '\u{00CA}' | '\u{00CB}' => "E",
        '\u{00CD}' | '\u{00CE}' | '\u{00CF}' | '\u{00CC}' => "I",
        '\u{00D3}' | '\u{00D4}' | '\u{00D5}' | '\u{00D2}' => "O",
        '\u{00DA}' | '\u{00DB}' | '\u{00D9}' => "U",
        _ => return None,
    })
}

/// The body with every look-alike replaced by GSM-7 text; characters with no stand-in (emoji,
/// other scripts) stay as they are.
pub fn make_gsm_safe(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for c in body.chars() {
        match gsm7_cost(c).is_none().then(|| gsm_replacement(c)).flatten() {
            Some(r) => out.push_str(r),
            None => out.push(c),
        }
    }
    out
}

/// Everything the composer shows about a body's cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextReport {
    /// Encoding and segments.
    pub info: SegmentInfo,
    /// Characters, as a person counts them.
    pub chars: usize,
    /// Septets (GSM-7) or UTF-16 units (UCS-2) in all.
    pub units: usize,
    /// Units in the last segment…
    pub last_segment_units: usize,
    /// …out of what one segment holds (160/70 alone, 153/67 when split).
    pub segment_capacity: usize,
    /// The characters that force UCS-2.
    pub forcing: Vec<ForcingChar>,
    /// The GSM-safe rewrite, offered when it saves segments, or reaches GSM-7 at no extra cost
    /// (an ellipsis is one UCS-2 unit but three GSM-7 septets, so a rewrite can cost more).
    pub gsm_safe: Option<(String, SegmentInfo)>,
}

/// Works out a body's report.
pub fn report(body: &str) -> TextReport {
    let info = analyse(body);
    let parts = split(body);
    let units_of = |s: &str| -> usize { s.chars().map(|c| unit_cost(info.encoding, c)).sum() };
    let (single, part) = match info.encoding {
        Encoding::Gsm7 => (GSM7_SINGLE, GSM7_PART),
        Encoding::Ucs2 => (UCS2_SINGLE, UCS2_PART),
    };
    let safe = make_gsm_safe(body);
    TextReport {
        info,
        chars: body.chars().count(),
        units: units_of(body),
        last_segment_units: parts.last().map_or(0, |p| units_of(p)),
        segment_capacity: if parts.len() > 1 { part } else { single },
        forcing: forcing_chars(body),
        gsm_safe: Some((analyse(&safe), safe))
            .filter(|(after, safe)| {
                safe != body
                    && (after.segments < info.segments
                        || (after.encoding == Encoding::Gsm7 && after.segments <= info.segments))
            })
            .map(|(after, safe)| (safe, after)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(s: &str) -> (Encoding, u32) {
        let i = analyse(s);
        (i.encoding, i.segments)
    }

    #[test]
    fn gsm7_boundaries() {
        assert_eq!(segs(""), (Encoding::Gsm7, 0));
        assert_eq!(segs(&"a".repeat(160)), (Encoding::Gsm7, 1));
        assert_eq!(segs(&"a".repeat(161)), (Encoding::Gsm7, 2));
        assert_eq!(segs(&"a".repeat(306)), (Encoding::Gsm7, 2));
        assert_eq!(segs(&"a".repeat(307)), (Encoding::Gsm7, 3));
    }

    #[test]
    fn escaped_characters_count_twice_and_are_not_split() {
        assert_eq!(segs(&"€".repeat(80)), (Encoding::Gsm7, 1));
        assert_eq!(segs(&"€".repeat(81)), (Encoding::Gsm7, 2));
        // 152 plain septets then an escape pair: the pair moves whole to the next part.
        let s = format!("{}{}{}", "a".repeat(152), "[", "a".repeat(10));
        assert_eq!(segs(&s), (Encoding::Gsm7, 2));
        let s = format!("{}{}{}", "a".repeat(152), "[", "a".repeat(152));
        assert_eq!(segs(&s), (Encoding::Gsm7, 3));
    }

    #[test]
    fn ucs2_boundaries_and_surrogates() {
        assert_eq!(segs(&"ж".repeat(70)), (Encoding::Ucs2, 1));
        assert_eq!(segs(&"ж".repeat(71)), (Encoding::Ucs2, 2));
        // An emoji is two UTF-16 units; 66 units then an emoji cannot share the 67-unit part.
        let s = format!("{}😀{}", "ж".repeat(66), "ж".repeat(10));
        assert_eq!(segs(&s), (Encoding::Ucs2, 2));
        let s = format!("{}😀{}", "ж".repeat(66), "ж".repeat(66));
        assert_eq!(segs(&s), (Encoding::Ucs2, 3));
    }

    #[test]
    fn one_curly_quote_forces_ucs2() {
        assert_eq!(segs("It’s ready").0, Encoding::Ucs2);
        assert_eq!(segs("It's ready").0, Encoding::Gsm7);
    }

    #[test]
    fn split_keeps_pairs_whole_and_matches_the_count() {
        let s = format!("{}[{}", "a".repeat(152), "a".repeat(10));
        let parts = split(&s);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], "a".repeat(152));
        assert!(parts[1].starts_with('['));
        assert_eq!(split(""), Vec::<&str>::new());
        assert_eq!(split("hi"), vec!["hi"]);
    }

    #[test]
    fn forcing_characters_are_found_with_their_window_offsets() {
        let found = forcing_chars("Hi 😀 it’s");
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].ch, found[0].utf16_offset, found[0].utf16_len),
            ('😀', 3, 2)
        );
        assert_eq!((found[1].ch, found[1].utf16_offset), ('’', 8));
        assert_eq!(found[1].replacement, Some("'"));
        assert_eq!(found[0].replacement, None);
    }

    #[test]
    fn the_gsm_safe_rewrite_brings_typographic_text_back_to_gsm7() {
        let typed = "“Your order’s ready” – pick up… today\u{00A0}at 5";
        let safe = make_gsm_safe(typed);
        assert_eq!(safe, "\"Your order's ready\" - pick up... today at 5");
        assert_eq!(analyse(&safe).encoding, Encoding::Gsm7);
        // 80 characters with one curly quote: 2 UCS-2 segments, 1 GSM-7 segment.
        let long = format!("{}’", "a".repeat(79));
        let r = report(&long);
        assert_eq!(
            r.info,
            SegmentInfo {
                encoding: Encoding::Ucs2,
                segments: 2
            }
        );
        let (_, safe_info) = r.gsm_safe.unwrap();
        assert_eq!(
            safe_info,
            SegmentInfo {
                encoding: Encoding::Gsm7,
                segments: 1
            }
        );
        assert!(report("plain").gsm_safe.is_none());
    }

    #[test]
    fn the_report_counts_the_last_segment_against_its_capacity() {
        let r = report(&"a".repeat(301));
        assert_eq!(
            (r.info.segments, r.last_segment_units, r.segment_capacity),
            (2, 148, 153)
        );
        let r = report("€uro");
        assert_eq!(
            (r.units, r.last_segment_units, r.segment_capacity),
            (5, 5, 160)
        );
        let r = report("");
        assert_eq!((r.units, r.info.segments), (0, 0));
    }

    #[test]
    fn emoji_and_joined_sequences_cost_their_utf16_units() {
        // Family emoji: 4 people joined by 3 zero-width joiners = 11 UTF-16 units.
        let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦";
        assert_eq!(report(family).units, 11);
        assert_eq!(segs(&family.repeat(6)), (Encoding::Ucs2, 1));
        assert_eq!(segs(&family.repeat(7)), (Encoding::Ucs2, 2));
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn bodies() -> impl Strategy<Value = String> {
            // Plain, escaped, typographic, other-script and astral characters, mixed.
            let pieces = prop::sample::select(vec![
                "a", "Z", " ", "1", "\n", "€", "[", "^", "|", "’", "“", "…", "ж", "é", "😀", "👍🏽",
                "\u{200D}",
            ]);
            prop::collection::vec(pieces, 0..400).prop_map(|v| v.concat())
        }

        proptest! {
            #[test]
            fn parts_rebuild_the_body_fit_their_capacity_and_match_the_count(body in bodies()) {
                let info = analyse(&body);
                let parts = split(&body);
                prop_assert_eq!(parts.concat(), body.clone());
                prop_assert_eq!(parts.len() as u32, info.segments);
                let (single, part) = match info.encoding {
                    Encoding::Gsm7 => (160, 153),
                    Encoding::Ucs2 => (70, 67),
                };
                let cap = if parts.len() > 1 { part } else { single };
                for p in &parts {
                    let units: usize = p.chars().map(|c| unit_cost(info.encoding, c)).sum();
                    prop_assert!(units <= cap && units > 0);
                }
            }

            #[test]
            fn an_offered_rewrite_never_costs_more_segments(body in bodies()) {
                let r = report(&body);
                if let Some((safe, after)) = r.gsm_safe {
                    prop_assert!(after.segments <= r.info.segments);
                    prop_assert_eq!(after, analyse(&safe));
                }
                if forcing_chars(&body).iter().all(|f| f.replacement.is_some()) {
                    prop_assert_eq!(analyse(&make_gsm_safe(&body)).encoding, Encoding::Gsm7);
                }
            }

            #[test]
            fn analysing_arbitrary_text_never_panics(body in any::<String>()) {
                let r = report(&body);
                prop_assert_eq!(r.info.segments as usize, split(&body).len());
            }
        }
    }
}
