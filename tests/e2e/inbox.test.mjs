// The inbox in a real window against the embedded simulator (demo mode): sending, delivery,
// a customer's reply, a rejected number and hostile inbound text.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";

import {
  bubbles,
  clickSend,
  invoke,
  launch,
  openConversation,
  screenshot,
  waitForAttributes,
  waitForBubble,
  waitForText,
  waitForValue,
} from "./harness.mjs";

const TIMEOUT = 30_000;
// Demo customer who replies (see crates/sim/src/demo.rs) and the demo's first sender number.
const MAYA = "Maya Chen";
const MAIN_NUMBER = "+15005550006";
// The demo's landline: accepted, then undelivered with 30006 (crates/sim/src/demo.rs).
const LANDLINE = "+13125550166";

async function startConversation(browser, to, body) {
  await browser.$('[data-testid="new-conversation-button"]').click();
  await browser.$('[data-testid="new-to"]').setValue(to);
  await browser.$('[data-testid="new-body"]').setValue(body);
  await clickSend(browser, "new-send");
}

describe("the demo inbox in a real window", () => {
  // Every test gets a fresh app with an empty data folder.
  let app;
  beforeEach(async (t) => {
    app = await launch(t.name);
  });
  afterEach(async () => {
    await app?.close();
  });

  test("shows the Demo badge and the simulated customers' conversations", async () => {
    const { browser } = app;
    await browser.$('[data-testid="demo-badge"]').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$(`[data-testid="conversation-item"]*=${MAYA}`).waitForExist({ timeout: TIMEOUT });
    await browser.waitUntil(async () => /^Switchboard \(\d+ unread\)$/.test(await browser.getTitle()), {
      timeout: TIMEOUT,
      timeoutMsg: "the window title does not show the unread count",
    });
    await screenshot(browser, "inbox");
  });

  test("a reply sent from the composer goes queued to delivered, and the customer answers", async () => {
    const { browser } = app;
    await openConversation(browser, MAYA);
    const before = (await bubbles(browser)).filter((b) => b.direction === "inbound").length;
    const body = `See you Thursday at 10 (${Date.now()})`;
    const input = await browser.$('[data-testid="composer-input"]');
    await input.setValue(body);
    await browser.keys(["Control", "Enter"]);
    await waitForBubble(browser, "delivered", (b) => b.text === body && b.status === "delivered");
    await waitForValue(browser, () => input.getValue(), (v) => v === "", "the composer is not cleared after sending");
    await browser.waitUntil(
      async () => (await bubbles(browser)).filter((b) => b.direction === "inbound").length > before,
      { timeout: TIMEOUT, interval: 250, timeoutMsg: "the simulated customer never replied" },
    );
    await screenshot(browser, "thread-delivered-and-reply");
  });

  test("a send to an invalid number fails and shows code 21211 with its reason", async () => {
    const { browser } = app;
    await startConversation(browser, "+1 500 555 0001", "Hello from the front desk");
    await waitForBubble(browser, "failed", (b) => b.status === "failed");
    await waitForText(
      browser,
      '[data-testid="message"][data-status="failed"] [data-testid="message-failure"]',
      [/21211/, /not a valid phone number/i],
      "the failure line never showed code 21211 with its reason",
    );
    await screenshot(browser, "failure-21211");
  });

  test("a 21211 failure is fixed: edit the number, resend, delivered, both visible and linked", async () => {
    const { browser } = app;
    const body = `Your table is ready (${Date.now()})`;
    await startConversation(browser, "+1 500 555 0001", body);
    await waitForBubble(browser, "failed", (b) => b.text === body && b.status === "failed");
    const failed = await browser.$('[data-testid="message"][data-status="failed"]');
    await waitForText(browser, () => failed.$('[data-testid="failure-actions"]'), /Your move/, "the failure offers no moves");
    await failed.$('[data-testid="action-edit-number"]').click();
    const field = await failed.$('[data-testid="fix-number"]');
    await field.clearValue();
    await field.setValue("(312) 555-0177");
    await waitForText(
      browser,
      () => failed.$('[data-testid="number-info"]'),
      /\+13125550177/,
      "the corrected number was never checked",
    );
    await screenshot(browser, "fix-edit-number");
    await failed.$('[data-testid="fix-send"]').click();
    await waitForBubble(browser, "resent and delivered", (b) => b.text === body && b.status === "delivered");
    const all = (await bubbles(browser)).filter((b) => b.text === body);
    assert.deepEqual(
      all.map((b) => b.status),
      ["failed", "delivered"],
      "the failed message stays, the resend follows it",
    );
    await browser
      .$('[data-testid="resend-of"]')
      .waitForExist({ timeout: TIMEOUT, timeoutMsg: "the resend is not marked as one" });
    await browser
      .$('[data-testid="failure-resent"]')
      .waitForExist({ timeout: TIMEOUT, timeoutMsg: "the failure does not point to the resend" });
    await screenshot(browser, "fix-resent-delivered");
    await waitForText(
      browser,
      '[data-testid="thread"] h2',
      /\+13125550177/,
      "the conversation does not continue on the corrected number",
      { textContent: true },
    );
  });

  test("a 30006 failure marks the number as a landline and the next send asks first", async () => {
    const { browser } = app;
    await startConversation(browser, LANDLINE, "Your order is ready for pickup");
    await waitForBubble(browser, "undelivered", (b) => b.status === "undelivered");
    await waitForText(
      browser,
      '[data-testid="message"][data-status="undelivered"] [data-testid="message-failure"]',
      /30006/,
      "the failure line never showed code 30006",
    );
    // The details drawer tells the whole story: the SID, each status, the call that sent it.
    await browser.$('[data-testid="message"][data-status="undelivered"] [data-testid="message-details-button"]').click();
    const drawer = await browser.$('[data-testid="details-drawer"]');
    await waitForText(browser, () => drawer.$('[data-testid="details-sid"]'), /^SM[0-9a-f]{32}$/, "the details show no SID");
    await waitForText(
      browser,
      () => drawer.$('[data-testid="details-changes"]'),
      [/pending/, /undelivered.*30006/],
      "the details do not list pending and undelivered with 30006",
    );
    await waitForText(
      browser,
      () => drawer.$('[data-testid="details-attempts"]'),
      /Send: accepted · HTTP 201/,
      "the details do not show the accepted send call",
    );
    await screenshot(browser, "details-drawer");
    await drawer.$('[data-testid="details-close"]').click();
    const input = await browser.$('[data-testid="composer-input"]');
    await input.setValue("Are you there?");
    await waitForText(
      browser,
      '[data-testid="check-finding"][data-code="number_marked"]',
      /is a landline \(error 30006/,
      "the checks never said the number is a landline",
    );
    await clickSend(browser, "composer-send");
    await waitForText(browser, '[data-testid="confirm-box"]', /landline/, "Send did not ask first about the landline");
    await screenshot(browser, "landline-asks-first");
    assert.equal((await bubbles(browser)).length, 1, "nothing was sent without the confirmation");
  });

  test("a curly quote shows UCS-2, and Make GSM-safe brings it back to GSM-7 with fewer segments", async () => {
    const { browser } = app;
    await openConversation(browser, MAYA);
    const input = await browser.$('[data-testid="composer-input"]');
    // 79 letters and a curly apostrophe: two UCS-2 segments, one in GSM-7.
    await input.setValue(`${"a".repeat(40)} it’s ${"b".repeat(34)}`);
    const meter = '[data-testid="segment-estimate"]';
    await waitForAttributes(
      browser,
      meter,
      { "data-encoding": "UCS-2", "data-segments": "2" },
      "the composer never showed two UCS-2 segments",
    );
    await waitForText(browser, '[data-testid="ucs2-culprits"] mark', /^’$/, "the curly apostrophe is not marked as the culprit");
    await screenshot(browser, "ucs2-culprit");
    await browser.$('[data-testid="make-gsm-safe"]').click();
    await waitForAttributes(
      browser,
      meter,
      { "data-encoding": "GSM-7", "data-segments": "1" },
      "Make GSM-safe did not bring it back to one GSM-7 segment",
    );
    await waitForValue(browser, () => input.getValue(), (v) => /it's/.test(v), "Make GSM-safe did not straighten the apostrophe");
  });

  test("New conversation's Send stays put while the number, its meter and their time arrive", async () => {
    const { browser } = app;
    await browser.$('[data-testid="new-conversation-button"]').click();
    const send = await browser.$('[data-testid="new-send"]');
    await send.waitForDisplayed({ timeout: TIMEOUT });
    const before = (await send.getLocation()).y;
    await browser.$('[data-testid="new-to"]').setValue("+13125550123");
    await browser.$('[data-testid="new-body"]').setValue("Your table for four is ready");
    for (const testid of ["segment-estimate", "number-info", "recipient-time"]) {
      await browser.$(`[data-testid="${testid}"]`).waitForDisplayed({ timeout: TIMEOUT });
    }
    await browser.waitUntil(async () => send.isEnabled(), { timeout: TIMEOUT, timeoutMsg: "Send never enabled" });
    await screenshot(browser, "new-conversation-understood");
    assert.equal((await send.getLocation()).y, before, "Send moved as the checks' lines came in");
  });

  test("inbound HTML is shown as literal text and never runs", async () => {
    const { browser } = app;
    const info = await invoke(browser, "app_info");
    assert.equal(info.demo, true);
    const hostile = `<img src=x onerror="document.title='pwned'"> hi`;
    const answer = await fetch(`${info.provider_base_url}/_sim/inbound`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        account_sid: "ACd2d26fd56ef2778d34defe97cf631789",
        from: "+13125550199",
        to: MAIN_NUMBER,
        body: hostile,
      }),
    });
    assert.equal(answer.status, 201);
    await openConversation(browser, "+13125550199");
    await waitForBubble(browser, "with the hostile body", (b) => b.text === hostile);
    const thread = await browser.$('[data-testid="thread"]');
    assert.equal((await thread.$$("img")).length, 0, "no <img> element was created");
    assert.notEqual(await browser.getTitle(), "pwned");
  });
});

describe("quiet hours in a real window", () => {
  test("a text in the recipient's quiet hours shows their time and asks first", async (t) => {
    // Quiet hours from this hour in New York (Maya's 212 number) to two hours later, so that
    // "now" is inside them whenever the test runs.
    const hour = Number(
      new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", hour: "numeric", hourCycle: "h23" }).format(
        new Date(),
      ),
    );
    const hh = (h) => `${String(h % 24).padStart(2, "0")}:00`;
    const opened = await launch(t.name, { config: `quiet_hours = "${hh(hour)}-${hh(hour + 2)}"\n` });
    try {
      const { browser } = opened;
      await openConversation(browser, MAYA);
      const before = (await bubbles(browser)).length;
      const body = `Running late, there in 10 (${Date.now()})`;
      await browser.$('[data-testid="composer-input"]').setValue(body);
      await waitForText(
        browser,
        '[data-testid="recipient-time"]',
        /^Their time: \d{1,2}:\d{2} [AP]M Eastern time$/,
        "the recipient's time is not shown",
      );
      await waitForText(
        browser,
        '[data-testid="check-finding"][data-code="quiet_hours"]',
        /Eastern time for the recipient, within your quiet hours/,
        "the checks never said it is within the recipient's quiet hours",
      );
      await clickSend(browser, "composer-send");
      await waitForText(browser, '[data-testid="confirm-box"]', /quiet hours/, "Send did not ask first about quiet hours");
      await screenshot(browser, "quiet-hours-asks-first");
      assert.equal((await bubbles(browser)).length, before, "nothing was sent without the confirmation");
      await browser.$('[data-testid="confirm-send"]').click();
      await waitForBubble(browser, "delivered after send anyway", (b) => b.text === body && b.status === "delivered");
    } finally {
      await opened.close();
    }
  });
});
