// Insights and triage in a real window: a scenario at the simulator makes three numbers fail
// as "not in service"; Insights counts them by code and country; the triage table fixes two
// numbers, checked as they are typed, and resends them, each exactly once.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { connect, createsAtSimulator, invoke, launch, screenshot, startSimulator } from "./harness.mjs";

const TIMEOUT = 30_000;
const ACCOUNT = "AC" + "e".repeat(32);
const TOKEN = "insights-token";
const SCENARIO = `
[[outcomes]]
to = "+1312555019*"
status = "undelivered"
code = 30005
`;

/** A breakdown row's figures, by its key. */
async function row(browser, dimension, key) {
  const el = await browser.$(`[data-testid="breakdown-${dimension}"] [data-testid="breakdown-row"][data-key="${key}"]`);
  await el.waitForExist({ timeout: TIMEOUT });
  return { el, failed: Number(await el.getAttribute("data-failed")), sent: Number(await el.getAttribute("data-sent")) };
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
      await browser.waitUntil(async () => (await invoke(browser, "view_counts", { sender: null })).failed === 3, {
        timeout: TIMEOUT,
        timeoutMsg: "the three failures never arrived",
      });

      await browser.$('[data-testid="insights-button"]').click();
      const summary = await browser.$('[data-testid="insights-summary"]');
      await summary.waitForExist({ timeout: TIMEOUT });
      assert.equal(await summary.getAttribute("data-sent"), "4");
      assert.equal(await summary.getAttribute("data-failed"), "3");
      const code = await row(browser, "code", "30005");
      assert.equal(code.failed, 3);
      const us = await row(browser, "country", "US");
      assert.deepEqual([us.failed, us.sent], [3, 4]);
      // A row opens the messages behind it.
      await code.el.$("button").click();
      const total = await browser.$('[data-testid="slice-total"]');
      await total.waitForExist({ timeout: TIMEOUT });
      assert.equal(await total.getAttribute("data-total"), "3");
      // Three failures in a day against a quiet week: an alert, whose button opens its 24 hours.
      const alert = await browser.$('[data-testid="insights-alert"][data-code="30005"]');
      await alert.waitForExist({ timeout: TIMEOUT });
      await alert.$('[data-testid="alert-show"]').click();
      await browser.waitUntil(async () => (await browser.$('[data-testid="slice"]').getText()).includes("last 24 hours"), {
        timeout: TIMEOUT,
        timeoutMsg: "the alert's failures never opened",
      });
      assert.equal(await browser.$('[data-testid="slice-total"]').getAttribute("data-total"), "3");
      await screenshot(browser, "insights-overview");

      await browser.$('[data-testid="insights-tab-failures"]').click();
      const group = await browser.$('[data-testid="triage-group"][data-code="30005"]');
      await group.waitForExist({ timeout: TIMEOUT });
      assert.equal(await group.$('[data-testid="triage-count"]').getProperty("textContent"), "3");
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
      await browser.waitUntil(async () => (await resend.getProperty("textContent")).includes("Resend 2 fixed"), {
        timeout: TIMEOUT,
        timeoutMsg: "the two fixed numbers were never checked good",
      });
      await screenshot(browser, "triage-fixed-numbers");
      await resend.click();

      // Two resends went; the group keeps only the one left.
      await browser.waitUntil(
        async () => {
          const g = await browser.$('[data-testid="triage-group"][data-code="30005"] [data-testid="triage-count"]');
          return (await g.isExisting()) && (await g.getProperty("textContent")) === "1";
        },
        { timeout: TIMEOUT, timeoutMsg: "the group still lists the resent failures" },
      );
      for (const [from, to] of [
        ["+13125550191", "+13125550171"],
        ["+13125550192", "+13125550172"],
      ]) {
        const body = `Your order is ready ${from} ${stamp}`;
        await browser.waitUntil(async () => (await createsAtSimulator(simulator.url, to, body)) === 1, {
          timeout: TIMEOUT,
          timeoutMsg: `no resend to ${to}`,
        });
      }
      // Give a double send every chance, then count again: once each.
      await new Promise((r) => setTimeout(r, 2000));
      assert.equal(await createsAtSimulator(simulator.url, "+13125550171", `Your order is ready +13125550191 ${stamp}`), 1);
      assert.equal(await createsAtSimulator(simulator.url, "+13125550172", `Your order is ready +13125550192 ${stamp}`), 1);
      await browser.waitUntil(async () => (await invoke(browser, "view_counts", { sender: null })).failed === 1, {
        timeout: TIMEOUT,
        timeoutMsg: "the Failed view still counts the resent failures",
      });

      // The last one is dismissed with a reason and leaves triage.
      await group.$('[data-testid="triage-dismiss"]').click();
      await group.$('[data-testid="triage-dismiss-reason"]').setValue("Called her; she moved to email");
      await group.$('[data-testid="triage-dismiss-confirm"]').click();
      await browser.$('[data-testid="triage-empty"]').waitForExist({ timeout: TIMEOUT });
      assert.equal((await invoke(browser, "view_counts", { sender: null })).failed, 0);
      await screenshot(browser, "triage-done");
    } finally {
      await opened.close();
      simulator.sim.kill();
    }
  });
});
