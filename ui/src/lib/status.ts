import type { MessageStatus } from "./ipc/types";

const LABELS: Record<MessageStatus, string> = {
  pending: "Sending…",
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  undelivered: "Not delivered",
  failed: "Failed",
  received: "Received",
  read: "Read",
  canceled: "Canceled",
};

export function statusLabel(status: MessageStatus): string {
  return LABELS[status] ?? status;
}

/** Statuses that mean the message did not reach the recipient. */
export function isFailureStatus(status: MessageStatus): boolean {
  return status === "failed" || status === "undelivered";
}

/** Visual tone for a status label. */
export function statusTone(status: MessageStatus): "muted" | "ok" | "bad" | "busy" {
  switch (status) {
    case "delivered":
      return "ok";
    case "failed":
    case "undelivered":
      return "bad";
    case "pending":
    case "queued":
    case "sending":
      return "busy";
    default:
      return "muted";
  }
}
