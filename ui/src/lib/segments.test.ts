import { describe, expect, it } from "vitest";
import { describeEstimate, estimateSegments } from "./segments";

describe("estimateSegments", () => {
  it("treats an empty body as zero segments", () => {
    expect(estimateSegments("")).toMatchObject({ encoding: "GSM-7", units: 0, segments: 0 });
  });

  it("fits 160 GSM-7 characters in one segment", () => {
    const e = estimateSegments("a".repeat(160));
    expect(e).toMatchObject({ encoding: "GSM-7", units: 160, segments: 1, remaining: 0 });
  });

  it("splits 161 GSM-7 characters into two segments", () => {
    const e = estimateSegments("a".repeat(161));
    expect(e).toMatchObject({ encoding: "GSM-7", units: 161, segments: 2 });
  });

  it("uses 153 septets per segment once split", () => {
    expect(estimateSegments("a".repeat(306)).segments).toBe(2);
    expect(estimateSegments("a".repeat(307)).segments).toBe(3);
  });

  it("fits 70 UCS-2 characters in one segment", () => {
    const e = estimateSegments("ж".repeat(70));
    expect(e).toMatchObject({ encoding: "UCS-2", units: 70, segments: 1 });
  });

  it("splits 71 UCS-2 characters into two segments", () => {
    const e = estimateSegments("ж".repeat(71));
    expect(e).toMatchObject({ encoding: "UCS-2", units: 71, segments: 2 });
  });

  it("uses 67 code units per UCS-2 segment once split", () => {
    expect(estimateSegments("ж".repeat(134)).segments).toBe(2);
    expect(estimateSegments("ж".repeat(135)).segments).toBe(3);
  });

  it("counts € (GSM-7 extension) as two septets", () => {
    const e = estimateSegments("€");
    expect(e).toMatchObject({ encoding: "GSM-7", units: 2, characters: 1, segments: 1 });
    // 159 + 2 = 161 septets: no longer fits one segment.
    expect(estimateSegments("a".repeat(159) + "€").segments).toBe(2);
    expect(estimateSegments("a".repeat(158) + "€").segments).toBe(1);
  });

  it("counts every extension character as two septets", () => {
    expect(estimateSegments("^{}\\[~]|").units).toBe(16);
  });

  it("keeps GSM-7 for accented letters in the basic set", () => {
    expect(estimateSegments("Café à Genève, ñ ü Ø Å @ £ ¥").encoding).toBe("GSM-7");
  });

  it("switches to UCS-2 for characters outside GSM-7", () => {
    expect(estimateSegments("Thanks 🙂").encoding).toBe("UCS-2");
    expect(estimateSegments("smart “quotes”").encoding).toBe("UCS-2");
  });

  it("counts UCS-2 by UTF-16 code units (emoji take two)", () => {
    const e = estimateSegments("🙂".repeat(35));
    expect(e).toMatchObject({ encoding: "UCS-2", units: 70, characters: 35, segments: 1 });
    expect(estimateSegments("🙂".repeat(36)).segments).toBe(2);
  });

  it("describes the estimate", () => {
    expect(describeEstimate(estimateSegments("hi"))).toBe("1 segment · GSM-7");
    expect(describeEstimate(estimateSegments("ж".repeat(71)))).toBe("2 segments · UCS-2");
  });

  it("never splits an escaped character across two parts", () => {
    // 152 septets, then "[" (two septets) cannot share the first 153-septet part.
    expect(estimateSegments("a".repeat(152) + "[" + "a".repeat(10)).segments).toBe(2);
    expect(estimateSegments("a".repeat(152) + "[" + "a".repeat(152)).segments).toBe(3);
  });

  it("never splits a surrogate pair across two parts", () => {
    expect(estimateSegments("ж".repeat(66) + "😀" + "ж".repeat(66)).segments).toBe(3);
  });
});
