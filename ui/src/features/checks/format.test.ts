import { describe, expect, it } from "vitest";
import { checkView } from "../../test/fixtures";
import { culpritRuns, describeNumber, describeSaving, describeText } from "./format";

describe("check formatting", () => {
  it("describes the cost as encoding, segments and the last segment's fill", () => {
    const text = checkView({}, { segments: 2, last_segment_units: 148, segment_capacity: 153 }).text;
    expect(describeText(text)).toBe("GSM-7 · 2 segments · 148/153");
    expect(describeText(checkView({}, { segments: 0 }).text)).toBe("GSM-7 · 0 segments");
  });

  it("names the country and line kind", () => {
    expect(
      describeNumber({ e164: "+12125550142", country: "US", calling_code: 1, valid: true, kind: "fixed_line_or_mobile" }),
    ).toBe("+12125550142 → United States (+1) · mobile or landline");
    expect(describeNumber({ e164: "+15550100003", country: null, calling_code: 1, valid: false, kind: null })).toBe(
      "+15550100003 → Unknown country (+1)",
    );
  });

  it("says what the GSM-safe rewrite saves", () => {
    const gsm_safe = { body: "x", encoding: "GSM-7" as const, segments: 1 };
    expect(describeSaving(checkView({}, { segments: 3, gsm_safe }).text)).toBe("saves 2 segments");
    expect(describeSaving(checkView({}, { segments: 1, gsm_safe }).text)).toBe("plain GSM-7, same segments");
    expect(describeSaving(checkView().text)).toBeNull();
  });

  it("splits the body around the culprits by UTF-16 offsets", () => {
    const body = "Hi 😀 it’s";
    const text = checkView({}, {
      forcing: [
        { ch: "😀", utf16_offset: 3, utf16_len: 2, replacement: null },
        { ch: "’", utf16_offset: 8, utf16_len: 1, replacement: "'" },
      ],
    }).text;
    expect(culpritRuns(body, text)).toEqual([
      { text: "Hi ", culprit: false },
      { text: "😀", culprit: true },
      { text: " it", culprit: false },
      { text: "’", culprit: true },
      { text: "s", culprit: false },
    ]);
  });
});
