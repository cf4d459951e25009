import type { MessageStatus } from "./ipc/types";

const LABELS: Record<MessageStatus, string> = {
  pending: "Sending…",
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  sent_no_receipt: "Sent, no receipt",
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

/** A pending message that carries an error code was sent into silence: the provider never
 * confirmed it, and the core is looking it up before anything is sent again. */
export function isUnconfirmed(status: MessageStatus, hasFailure: boolean): boolean {
  return status === "pending" && hasFailure;
}

/** An outbound message not yet handed over while the provider cannot be reached: it goes out
 * by itself once the connection is back. */
export function isWaitingForConnection(
  status: MessageStatus,
  hasFailure: boolean,
  hasSid: boolean,
  offline: boolean,
): boolean {
  return offline && status === "pending" && !hasFailure && !hasSid;
}

/** The label a bubble shows, taking an unconfirmed send and a lost connection into account. */
export function messageLabel(status: MessageStatus, hasFailure: boolean, waiting = false): string {
  if (waiting) return "Waiting for connection";
  return isUnconfirmed(status, hasFailure) ? "Checking with provider" : statusLabel(status);
}

/** The tone a bubble's label uses, taking an unconfirmed send and a lost connection into
 * account. */
export function messageTone(
  status: MessageStatus,
  hasFailure: boolean,
  waiting = false,
): "muted" | "ok" | "bad" | "busy" {
  if (waiting) return "muted";
  return isUnconfirmed(status, hasFailure) ? "busy" : statusTone(status);
}
