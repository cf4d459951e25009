// Insights and triage in a real window: a scenario at the simulator makes three numbers fail
// as "not in service"; Insights counts them by code and country; the triage table fixes two
// numbers, checked as they are typed, and resends them, each exactly once.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  connect,
  createsAtSimulator,
  invoke,
  launch,
  screenshot,
  startSimulator,
  waitForAttributes,
  waitForText,
  waitForValue,
} from "./harness.mjs";

const TIMEOUT = 30_000;
const ACCOUNT = "AC" + "e".repeat(32);
const TOKEN = "insights-token";
const SCENARIO = `
[[outcomes]]
to = "+1312555019*"
status = "undelivered"
code = 30005
`;

/** Waits until a breakdown row, by its key, shows the `figures` ({failed, sent}, either or
 * both), and returns the row. */
function row(browser, dimension, key, figures) {
  const attributes = Object.fromEntries(Object.entries(figures).map(([name, n]) => [`data-${name}`, String(n)]));
  return waitForAttributes(
    browser,
    `[data-testid="breakdown-${dimension}"] [data-testid="breakdown-row"][data-key="${key}"]`,
    attributes,
    `the ${dimension} breakdown's row ${key} does not show ${JSON.stringify(figures)}`,
  );
}

/** The Failed view's count of conversations, as the app reports it. */
async function failedCount(browser) {
  return (await invoke(browser, "view_counts", { sender: null })).failed;
}

describe("insights and triage in a real window", () => {
  test("failures show in Insights and the triage table fixes two numbers and resends them", async (t) => {
    const simulator = await startSimulator(ACCOUNT, TOKEN, SCENARIO);
    const opened = await launch(t.name);
    try {
      const { browser } = opened;
      await connect(browser, { account: ACCOUNT, token: TOKEN, url: simulator.url });
      const stamp = Date.now();
      const failing = ["+13125550191", "+13125550192", "+13125550193"];
      for (const to of [...failing, "+13125550150"]) {
        await invoke(browser, "send_message", {
          request: { conversation_id: null, to, from: null, body: `Your order is ready ${to} ${stamp}`, confirmed: true },
        });
      }
      // Three undelivered, one delivered: the Failed view counts three conversations.
      await waitForValue(browser, () => failedCount(browser), (n) => n === 3, "the three failures never arrived");

      await browser.$('[data-testid="insights-button"]').click();
      await waitForAttributes(
        browser,
        '[data-testid="insights-summary"]',
        { "data-sent": "4", "data-failed": "3" },
        "Insights does not count 4 sent and 3 failed",
      );
      const code = await row(browser, "code", "30005", { failed: 3 });
      await row(browser, "country", "US", { failed: 3, sent: 4 });
      // A row opens the messages behind it.
      await code.$("button").click();
      await waitForAttributes(
        browser,
        '[data-testid="slice-total"]',
        { "data-total": "3" },
        "the row does not open its 3 messages",
      );
      // Three failures in a day against a quiet week: an alert, whose button opens its 24 hours.
      const alert = await browser.$('[data-testid="insights-alert"][data-code="30005"]');
      await alert.waitForExist({ timeout: TIMEOUT });
      await alert.$('[data-testid="alert-show"]').click();
      await waitForText(browser, '[data-testid="slice"]', /last 24 hours/, "the alert's failures never opened");
      await waitForAttributes(
        browser,
        '[data-testid="slice-total"]',
        { "data-total": "3" },
        "the alert does not open its 3 failures",
      );
      await screenshot(browser, "insights-overview");

      await browser.$('[data-testid="insights-tab-failures"]').click();
      const group = await browser.$('[data-testid="triage-group"][data-code="30005"]');
      await group.waitForExist({ timeout: TIMEOUT });
      await waitForText(browser, () => group.$('[data-testid="triage-count"]'), /^3$/, "triage does not group the 3 failures", {
        textContent: true,
      });
      const fixes = { "+13125550191": "(312) 555-0171", "+13125550192": "+1 312 555 0172" };
      for (const [from, to] of Object.entries(fixes)) {
        const input = await group.$(`[data-testid="triage-row"][data-to="${from}"] [data-testid="triage-number"]`);
        await input.setValue(to);
      }
      // A third, wrong, number is checked too and held back.
      const bad = await group.$('[data-testid="triage-row"][data-to="+13125550193"] [data-testid="triage-number"]');
      await bad.setValue("12");
      await group.$('[data-testid="triage-number-bad"]').waitForExist({ timeout: TIMEOUT });
      const resend = await group.$('[data-testid="triage-resend-fixed"]');
      await waitForText(browser, () => resend, /Resend 2 fixed/, "the two fixed numbers were never checked good", {
        textContent: true,
      });
      await screenshot(browser, "triage-fixed-numbers");
      await resend.click();

      // Two resends went; the group keeps only the one left.
      await waitForText(
        browser,
        '[data-testid="triage-group"][data-code="30005"] [data-testid="triage-count"]',
        /^1$/,
        "the group still lists the resent failures",
        { textContent: true },
      );
      for (const [from, to] of [
        ["+13125550191", "+13125550171"],
        ["+13125550192", "+13125550172"],
      ]) {
        const body = `Your order is ready ${from} ${stamp}`;
        await waitForValue(browser, () => createsAtSimulator(simulator.url, to, body), (n) => n === 1, `no resend to ${to}`);
      }
      // Give a double send every chance, then count again: once each.
      await new Promise((r) => setTimeout(r, 2000));
      assert.equal(await createsAtSimulator(simulator.url, "+13125550171", `Your order is ready +13125550191 ${stamp}`), 1);
      assert.equal(await createsAtSimulator(simulator.url, "+13125550172", `Your order is ready +13125550192 ${stamp}`), 1);
      await waitForValue(browser, () => failedCount(browser), (n) => n === 1, "the Failed view still counts the resent failures");

      // The last one is dismissed with a reason and leaves triage.
      await group.$('[data-testid="triage-dismiss"]').click();
      await group.$('[data-testid="triage-dismiss-reason"]').setValue("Called her; she moved to email");
      await group.$('[data-testid="triage-dismiss-confirm"]').click();
      await browser.$('[data-testid="triage-empty"]').waitForExist({ timeout: TIMEOUT });
      await waitForValue(browser, () => failedCount(browser), (n) => n === 0, "the Failed view still counts the dismissed failure");
      await screenshot(browser, "triage-done");
    } finally {
      await opened.close();
      simulator.sim.kill();
    }
  });
});
