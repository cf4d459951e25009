import { describe, expect, it } from "vitest";
import { windowTitle } from "./unread";

describe("windowTitle", () => {
  it("shows the unread count", () => {
    expect(windowTitle(5)).toBe("Switchboard (5 unread)");
  });

  it("is just the name when everything is read", () => {
    expect(windowTitle(0)).toBe("Switchboard");
  });
});
