//! SMS segment counting the way carriers bill it: GSM-7 when every character fits, else UCS-2.

/// GSM 03.38 default alphabet: one septet each.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// GSM 03.38 extension table: an escape septet plus one, so two each.
const GSM_EXTENDED: &str = "\u{0C}^{}\\[~]|€";

const GSM_SINGLE: usize = 160;
const GSM_PART: usize = 153;
const UCS2_SINGLE: usize = 70;
const UCS2_PART: usize = 67;

/// How many segments `body` is sent as; at least 1, as Twilio reports for media-only messages.
pub(crate) fn count_segments(body: &str) -> u32 {
    match gsm_widths(body) {
        Some(widths) => split(&widths, GSM_SINGLE, GSM_PART),
        None => {
            let widths: Vec<usize> = body.chars().map(char::len_utf16).collect();
            split(&widths, UCS2_SINGLE, UCS2_PART)
        }
    }
}

fn gsm_widths(body: &str) -> Option<Vec<usize>> {
    body.chars()
        .map(|c| {
            if GSM_BASIC.contains(c) {
                Some(1)
            } else if GSM_EXTENDED.contains(c) {
                Some(2)
            } else {
                None
            }
        })
        .collect()
}

/// Greedy split in which a two-unit character (escape pair, surrogate pair) never straddles parts.
fn split(widths: &[usize], single: usize, part: usize) -> u32 {
    let total: usize = widths.iter().sum();
    if total <= single {
        return 1;
    }
    let mut parts = 1u32;
    let mut used = 0usize;
    for &w in widths {
        if used + w > part {
            parts += 1;
            used = 0;
        }
        used += w;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::count_segments;

    #[test]
    fn empty_is_one() {
        assert_eq!(count_segments(""), 1);
    }

    #[test]
    fn gsm_single_and_multipart_boundaries() {
        assert_eq!(count_segments(&"a".repeat(160)), 1);
        assert_eq!(count_segments(&"a".repeat(161)), 2);
        assert_eq!(count_segments(&"a".repeat(306)), 2);
        assert_eq!(count_segments(&"a".repeat(307)), 3);
    }

    #[test]
    fn gsm_accented_letters_in_basic_table_stay_gsm() {
        let s = format!("{}éàüÑ£¥§¿¡ΔΩ", "a".repeat(149));
        assert_eq!(s.chars().count(), 160);
        assert_eq!(count_segments(&s), 1);
    }

    #[test]
    fn gsm_escape_chars_count_two_septets() {
        for c in ['€', '[', ']', '{', '}', '^', '~', '|', '\\'] {
            let fits = format!("{}{}", "a".repeat(158), c);
            assert_eq!(count_segments(&fits), 1, "158 + {c:?} is 160 septets");
            let over = format!("{}{}", "a".repeat(159), c);
            assert_eq!(count_segments(&over), 2, "159 + {c:?} is 161 septets");
        }
    }

    #[test]
    fn gsm_escape_pair_is_not_split_across_parts() {
        // 152 septets then an escape pair: the pair would straddle 153, so it moves to part two.
        let s = format!("{}€{}", "a".repeat(152), "a".repeat(152));
        assert_eq!(count_segments(&s), 3);
        let t = format!("{}€{}", "a".repeat(151), "a".repeat(153));
        assert_eq!(count_segments(&t), 2);
    }

    #[test]
    fn ucs2_when_any_char_is_outside_gsm() {
        assert_eq!(count_segments(&"é".repeat(70)), 1);
        assert_eq!(count_segments(&format!("{}ą", "a".repeat(69))), 1);
        assert_eq!(count_segments(&format!("{}ą", "a".repeat(70))), 2);
        assert_eq!(count_segments(&format!("{}ą", "a".repeat(133))), 2);
        assert_eq!(count_segments(&format!("{}ą", "a".repeat(134))), 3);
    }

    #[test]
    fn emoji_counts_two_utf16_units() {
        let s = format!("{}👍", "a".repeat(68));
        assert_eq!(count_segments(&s), 1);
        let t = format!("{}👍", "a".repeat(69));
        assert_eq!(count_segments(&t), 2);
    }
}
