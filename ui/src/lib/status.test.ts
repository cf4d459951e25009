import { describe, expect, it } from "vitest";
import type { MessageStatus } from "./ipc/types";
import {
  isFailureStatus,
  isWaitingForConnection,
  messageLabel,
  messageTone,
  statusLabel,
} from "./status";

describe("statusLabel", () => {
  it.each<[MessageStatus, string]>([
    ["pending", "Sending…"],
    ["queued", "Queued"],
    ["sending", "Sending"],
    ["sent", "Sent"],
    ["sent_no_receipt", "Sent, no receipt"],
    ["delivered", "Delivered"],
    ["undelivered", "Not delivered"],
    ["failed", "Failed"],
    ["received", "Received"],
    ["read", "Read"],
    ["canceled", "Canceled"],
  ])("%s → %s", (status, label) => {
    expect(statusLabel(status)).toBe(label);
  });

  it("flags failed and undelivered as failures", () => {
    expect(isFailureStatus("failed")).toBe(true);
    expect(isFailureStatus("undelivered")).toBe(true);
    expect(isFailureStatus("delivered")).toBe(false);
  });
});

describe("messageLabel", () => {
  it("shows a pending send with an error code as being checked, not as sending", () => {
    expect(messageLabel("pending", true)).toBe("Checking with provider");
    expect(messageTone("pending", true)).toBe("busy");
    expect(messageLabel("pending", false)).toBe("Sending…");
    expect(messageTone("pending", false)).toBe("busy");
  });

  it("leaves every other status as it is", () => {
    expect(messageLabel("failed", true)).toBe("Failed");
    expect(messageLabel("delivered", false)).toBe("Delivered");
  });
});

describe("waiting for connection", () => {
  it("applies only to a message not yet handed over while offline", () => {
    expect(isWaitingForConnection("pending", false, false, true)).toBe(true);
    expect(isWaitingForConnection("pending", false, false, false)).toBe(false);
    expect(isWaitingForConnection("pending", true, false, true)).toBe(false);
    expect(isWaitingForConnection("pending", false, true, true)).toBe(false);
    expect(isWaitingForConnection("sent", false, true, true)).toBe(false);
  });

  it("says so instead of sending", () => {
    expect(messageLabel("pending", false, true)).toBe("Waiting for connection");
    expect(messageTone("pending", false, true)).toBe("muted");
  });
});
