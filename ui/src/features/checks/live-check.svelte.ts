/**
 * The checks before sending, run in the core as the user types: each change schedules a
 * check shortly after typing pauses, and only the newest answer is kept.
 */
import { checkMessage, IpcFailure } from "../../lib/ipc/client";
import type { CheckView, SendRequest } from "../../lib/ipc/types";

/** Pause after the last keystroke before asking the core. */
export const CHECK_DELAY_MS = 120;

export class LiveCheck {
  result = $state<CheckView | null>(null);
  error = $state<IpcFailure | null>(null);
  /** A newer draft than `result` describes is waiting to be checked. */
  stale = $state(false);
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** Schedules a check of this draft. */
  update(request: SendRequest): void {
    if (this.#timer) clearTimeout(this.#timer);
    // An answer still on its way describes an older draft: it must not clear `stale`, or a
    // block it reports (an empty body, a half-typed number) would disable Send for this draft
    // until its own check answers, and a click in between would do nothing.
    this.#seq++;
    this.stale = true;
    this.#timer = setTimeout(() => void this.now(request), CHECK_DELAY_MS);
  }

  /** Checks this draft at once (before sending); resolves to the result, null on failure. */
  async now(request: SendRequest): Promise<CheckView | null> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const seq = ++this.#seq;
    try {
      const result = await checkMessage(request);
      if (seq === this.#seq) {
        this.result = result;
        this.error = null;
        this.stale = false;
      }
      return result;
    } catch (e) {
      if (seq === this.#seq) {
        this.error = IpcFailure.from(e);
        this.stale = false;
      }
      return null;
    }
  }

  /** Stops a scheduled check (the view is going away). */
  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#seq++;
  }
}

/** Whether Send may be pressed: a stale or missing answer does not hold it back (pressing Send
 * checks again first), only a current answer that blocks. */
export function checksAllowSend(checks: LiveCheck): boolean {
  return checks.stale || checks.result === null || checks.result.can_send;
}

/** What pressing Send should do, after looking at the draft once more (the checks shown may be a
 * keystroke old): stop (something blocks), ask for "send anyway", or go. */
export async function beforeSend(
  checks: LiveCheck,
  request: SendRequest,
): Promise<"blocked" | "confirm" | "go"> {
  const fresh = await checks.now(request);
  if (fresh && !fresh.can_send) return "blocked";
  if (fresh?.needs_confirmation) return "confirm";
  return "go";
}
