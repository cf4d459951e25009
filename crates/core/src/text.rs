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
}
