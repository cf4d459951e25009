import { describe, expect, it } from "vitest";
import { actionFor, SHORTCUTS } from "./shortcuts";

function press(key: string, init: KeyboardEventInit = {}, target: HTMLElement = document.body): KeyboardEvent {
  const event = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...init });
  Object.defineProperty(event, "target", { value: target });
  return event;
}

describe("keyboard shortcuts", () => {
  it("maps each documented key to its action", () => {
    expect(actionFor(press("j"))).toBe("next");
    expect(actionFor(press("k"))).toBe("previous");
    expect(actionFor(press("Enter"))).toBe("open");
    expect(actionFor(press("c"))).toBe("new");
    expect(actionFor(press("/"))).toBe("templates");
    expect(actionFor(press("f"))).toBe("nextFailed");
    expect(actionFor(press("e"))).toBe("close");
    expect(actionFor(press("a"))).toBe("assignToMe");
    expect(actionFor(press("?", { shiftKey: true }))).toBe("help");
    expect(actionFor(press("k", { ctrlKey: true }))).toBe("search");
    expect(actionFor(press("K", { metaKey: true }))).toBe("search");
    expect(SHORTCUTS.map((s) => s.action).sort()).toEqual(
      ["next", "previous", "open", "new", "templates", "search", "nextFailed", "close", "assignToMe", "help"].sort(),
    );
  });

  it("leaves typing and modified keys alone, except Ctrl+K", () => {
    for (const tag of ["input", "textarea", "select"]) {
      const field = document.createElement(tag);
      expect(actionFor(press("j", {}, field))).toBeNull();
      expect(actionFor(press("k", { ctrlKey: true }, field))).toBe("search");
    }
    expect(actionFor(press("c", { ctrlKey: true }))).toBeNull();
    expect(actionFor(press("a", { altKey: true }))).toBeNull();
    expect(actionFor(press("x"))).toBeNull();
  });

  it("lets a focused button keep its Enter", () => {
    const button = document.createElement("button");
    expect(actionFor(press("Enter", {}, button))).toBeNull();
  });
});
