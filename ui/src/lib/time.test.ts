import { describe, expect, it } from "vitest";
import { formatMessageTime, formatRelative } from "./time";

describe("formatRelative", () => {
  const now = new Date(2024, 4, 15, 12, 0, 0);
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

  it("says now for under a minute", () => {
    expect(formatRelative(ago(20_000), now)).toBe("now");
  });

  it("counts minutes under an hour", () => {
    expect(formatRelative(ago(5 * 60_000), now)).toBe("5 min");
  });

  it("says Yesterday for the previous day", () => {
    expect(formatRelative(new Date(2024, 4, 14, 9, 0).toISOString(), now)).toBe("Yesterday");
  });

  it("returns empty text for missing or invalid dates", () => {
    expect(formatRelative(null, now)).toBe("");
    expect(formatRelative("not a date", now)).toBe("");
  });

  it("does not go negative for timestamps slightly in the future", () => {
    expect(formatRelative(new Date(now.getTime() + 5_000).toISOString(), now)).toBe("now");
  });
});

describe("formatMessageTime", () => {
  it("includes the date for earlier days", () => {
    const now = new Date(2024, 4, 15, 12, 0, 0);
    const earlier = formatMessageTime(new Date(2024, 2, 3, 9, 30).toISOString(), now);
    const today = formatMessageTime(new Date(2024, 4, 15, 9, 30).toISOString(), now);
    expect(earlier.length).toBeGreaterThan(today.length);
    expect(earlier).toContain("3");
  });
});
