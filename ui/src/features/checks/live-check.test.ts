import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import type { CheckView, SendRequest } from "../../lib/ipc/types";
import { checkView } from "../../test/fixtures";
import { CHECK_DELAY_MS, checksAllowSend, LiveCheck } from "./live-check.svelte";

const m = vi.mocked(client);

function draft(body: string): SendRequest {
  return { conversation_id: null, to: "+13125550166", from: null, body, confirmed: false };
}

/** A check answer the test releases when it wants. */
function deferred(): { promise: Promise<CheckView>; resolve: (v: CheckView) => void } {
  let resolve!: (v: CheckView) => void;
  const promise = new Promise<CheckView>((r) => (resolve = r));
  return { promise, resolve };
}

beforeEach(() => {
  vi.resetAllMocks();
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("LiveCheck", () => {
  it("keeps Send enabled while the newest draft waits, even if an older draft's block answers then", async () => {
    const checks = new LiveCheck();
    const older = deferred();
    m.checkMessage.mockReturnValueOnce(older.promise);
    // The number is typed and, after the pause, checked with no text yet: that blocks.
    checks.update(draft(""));
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
    expect(m.checkMessage).toHaveBeenCalledTimes(1);
    // The text is typed while that check is still on its way.
    checks.update(draft("Your order is ready for pickup"));
    older.resolve(checkView({ can_send: false }));
    await vi.advanceTimersByTimeAsync(0);
    expect(checks.stale).toBe(true);
    expect(checksAllowSend(checks), "Send stays enabled: pressing it checks the newest draft").toBe(true);

    m.checkMessage.mockResolvedValueOnce(checkView({ can_send: true }));
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
    expect(m.checkMessage).toHaveBeenLastCalledWith(draft("Your order is ready for pickup"));
    expect(checks.stale).toBe(false);
    expect(checks.result?.can_send).toBe(true);
  });

  it("shows the newest draft's block once it answers", async () => {
    const checks = new LiveCheck();
    m.checkMessage.mockResolvedValueOnce(checkView({ can_send: false }));
    checks.update(draft(""));
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
    expect(checks.stale).toBe(false);
    expect(checksAllowSend(checks)).toBe(false);
  });
});
