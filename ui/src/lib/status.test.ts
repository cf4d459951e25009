import { describe, expect, it } from "vitest";
import type { MessageStatus } from "./ipc/types";
import { isFailureStatus, statusLabel } from "./status";

describe("statusLabel", () => {
  it.each<[MessageStatus, string]>([
    ["pending", "Sending…"],
    ["queued", "Queued"],
    ["sending", "Sending"],
    ["sent", "Sent"],
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
