import type { FailureView, MessageView } from "../../lib/ipc/types";

/** Whether a Retry can help yet: always for after_fix, after the cooldown for after_cooldown. */
export function retryReady(failure: FailureView, now: Date): boolean {
  if (failure.retry === "after_fix") return true;
  if (failure.retry !== "after_cooldown" || !failure.retry_after) return false;
  return now.getTime() >= new Date(failure.retry_after).getTime();
}

/** The failure as plain text, for pasting into a ticket or a chat with Twilio support. */
export function failureDetails(message: MessageView, failure: FailureView): string {
  return [
    `Message ${message.sid ?? "(no SID)"} to ${message.to}`,
    `Status: ${message.status}${message.provider_status ? ` (provider: ${message.provider_status})` : ""}`,
    `Error ${failure.code}: ${failure.title}. ${failure.reason}`,
    failure.provider_message ? `Provider said: ${failure.provider_message}` : null,
    `Written: ${message.created_at}`,
    `Segments: ${message.segments} · ${message.encoding}`,
    failure.link ? `More: ${failure.link}` : null,
    `Text: ${message.body}`,
  ]
    .filter((l) => l !== null)
    .join("\n");
}
