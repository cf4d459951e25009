// The send log in a real window: every call to the provider with its outcome, filtered, and
// exported as CSV from the app.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";

import { clickSend, launch, screenshot, waitForAttributes, waitForBubble, waitForText } from "./harness.mjs";

const TIMEOUT = 30_000;

describe("the send log in a real window", () => {
  test("a rejected send shows in the log with its code, and exports as CSV", async (t) => {
    const opened = await launch(t.name);
    try {
      const { browser } = opened;
      await browser.$('[data-testid="new-conversation-button"]').click();
      await browser.$('[data-testid="new-to"]').setValue("+15005550001");
      // (WebDriver can't type emoji; the CSV round trip with emoji is a core test.)
      await browser.$('[data-testid="new-body"]').setValue("Order, \"ready\" now");
      await clickSend(browser, "new-send");
      await waitForBubble(browser, "failed", (b) => b.status === "failed");

      await browser.$('[data-testid="send-log-button"]').click();
      await waitForAttributes(
        browser,
        '[data-testid="log-row"][data-code="21211"]',
        { "data-outcome": "rejected" },
        "the log has no rejected call with 21211",
      );
      await browser.$('[data-testid="log-failed-only"]').click();
      await browser.$('[data-testid="log-apply"]').click();
      await browser.waitUntil(
        async () => {
          const rows = await browser.$$('[data-testid="log-row"]');
          for (const r of rows) if ((await r.getAttribute("data-outcome")) === "accepted") return false;
          return rows.length > 0;
        },
        { timeout: TIMEOUT, timeoutMsg: "Failures only still shows accepted calls" },
      );
      await screenshot(browser, "send-log");

      await browser.$('[data-testid="log-export"]').click();
      const path = await waitForText(browser, '[data-testid="log-exported"] code', /\S/, "the export never said where it saved", {
        textContent: true,
      });
      assert.ok(existsSync(path), `no file at ${path}`);
      const csv = readFileSync(path, "utf8");
      assert.match(csv.split("\n")[0], /^attempt_id,started_at,/);
      assert.match(csv, /21211/);
      assert.ok(csv.includes('"Order, ""ready"" now"'), `the body is quoted as CSV: ${csv}`);
    } finally {
      await opened.close();
    }
  });
});
