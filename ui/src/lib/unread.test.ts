import { describe, expect, it } from "vitest";
import { conversation } from "../test/fixtures";
import { windowTitle } from "./unread";

describe("windowTitle", () => {
  it("adds up unread messages across conversations", () => {
    expect(windowTitle([conversation({ id: 1, unread: 2 }), conversation({ id: 2, unread: 3 })])).toBe(
      "Switchboard (5 unread)",
    );
  });

  it("is just the name when everything is read", () => {
    expect(windowTitle([conversation({ unread: 0 })])).toBe("Switchboard");
    expect(windowTitle([])).toBe("Switchboard");
  });
});
