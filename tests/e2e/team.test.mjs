// The shared inbox in a real window: who sits at this desktop, assignment and the views, and
// internal notes that never leave the app.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  bubbles,
  clickSend,
  connect,
  createsAtSimulator,
  launch,
  openConversation,
  screenshot,
  startSimulator,
  waitForAttributes,
  waitForBubble,
  waitForText,
  waitForValue,
} from "./harness.mjs";

const TIMEOUT = 30_000;
const ACCOUNT = "AC0fedcba9876543210fedcba987654321";
const TOKEN = "e2e-team-token";

/** Chooses who sits at the desktop from the identity menu. */
async function becomeMember(browser, name) {
  await browser.$('[data-testid="identity-button"]').click();
  await browser.$(`[data-testid="identity-option"]*=${name}`).click();
  await waitForAttributes(browser, '[data-testid="identity-button"]', { "data-me-name": name }, `${name} was not chosen`);
}

/** The names of the templates the composer's picker offers (opened with `/`). */
async function offeredTemplates(browser) {
  const input = await browser.$('[data-testid="composer-input"]');
  await input.click();
  await browser.keys("/");
  await browser.$('[data-testid="template-picker"]').waitForExist({ timeout: TIMEOUT });
  // The first answer replaces "Loading…".
  await waitForValue(
    browser,
    () => browser.$('[data-testid="template-picker"]').getText(),
    (text) => !text.includes("Loading"),
    "the template picker never got its first answer",
  );
  const options = await browser.$$('[data-testid="template-option"] strong');
  const names = [];
  for (const o of options) names.push(await o.getText());
  return names;
}

describe("the team in a real window", () => {
  test("assign to me puts the conversation in Mine, with my badge", async (t) => {
    const opened = await launch(t.name);
    try {
      const { browser } = opened;
      // The demo's user is its admin until someone else is chosen.
      await waitForAttributes(
        browser,
        '[data-testid="identity-button"]',
        { "data-me-name": "Alex Rivera" },
        "the demo's user is not shown",
      );
      const mine = await waitForAttributes(
        browser,
        '[data-testid="view-mine"]',
        { "data-count": "0" },
        "Mine does not start empty",
      );

      await openConversation(browser, "Maya Chen");
      await browser.$('[data-testid="claim-button"]').click();
      await browser.$('[data-testid="claim-button"]').waitForExist({ timeout: TIMEOUT, reverse: true });
      await mine.click();
      // Maya's item is in the list before Mine replaces it too: wait for the list to be Mine's.
      await waitForValue(
        browser,
        () =>
          browser.execute(() =>
            Array.from(document.querySelectorAll('[data-testid="conversation-item"]'), (el) => el.textContent),
          ),
        (items) => items.length === 1 && items[0].includes("Maya Chen"),
        "only my conversation is in Mine",
      );
      const item = await browser.$('[data-testid="conversation-item"]*=Maya Chen');
      await waitForAttributes(browser, () => mine, { "data-count": "1" }, "Mine does not count my conversation");
      await waitForText(browser, () => item.$('[data-testid="avatar"]'), /^AR$/, "my badge is not on the conversation");
      await screenshot(browser, "mine-after-assign-to-me");

      // Given to a colleague, it leaves Mine.
      await browser.$('[data-testid="assignee-select"]').selectByVisibleText("Sam Okoye");
      await item.waitForExist({ timeout: TIMEOUT, reverse: true });
      await waitForAttributes(browser, () => mine, { "data-count": "0" }, "Mine still counts the conversation given away");
    } finally {
      await opened.close();
    }
  });

  test("an internal note shows in the thread and is never sent to the provider", async (t) => {
    const simulator = await startSimulator(ACCOUNT, TOKEN);
    const opened = await launch(t.name);
    try {
      const { browser } = opened;
      await connect(browser, { account: ACCOUNT, token: TOKEN, url: simulator.url });
      await waitForAttributes(
        browser,
        '[data-testid="identity-button"]',
        { "data-me-name": "Erin Tester" },
        "the window does not show Erin Tester at this desktop",
      );

      const to = "+13125550188";
      const body = `Your table is ready (${Date.now()})`;
      await browser.$('[data-testid="new-conversation-button"]').click();
      await browser.$('[data-testid="new-to"]').setValue(to);
      await browser.$('[data-testid="new-body"]').setValue(body);
      await clickSend(browser, "new-send");
      await waitForBubble(browser, "delivered", (b) => b.text === body && b.status === "delivered");

      const text = `Called to confirm, she is coming at 7 (${Date.now()})`;
      await browser.$('[data-testid="mode-note"]').click();
      await browser.$('[data-testid="note-input"]').setValue(text);
      await browser.$('[data-testid="note-add"]').click();
      await waitForText(
        browser,
        '[data-testid="note"]',
        [/never sent/, /Erin Tester/, new RegExp(text.replace(/[()]/g, "\\$&"))],
        "the note does not show its text, its author and that it is never sent",
      );
      await screenshot(browser, "internal-note");

      // Give a wrongly sent note every chance to reach the simulator, then count.
      await new Promise((r) => setTimeout(r, 3000));
      assert.equal(await createsAtSimulator(simulator.url, to, text), 0, "the note was never sent");
      assert.equal(await createsAtSimulator(simulator.url, to, body), 1, "the message was sent once");
      assert.ok(!(await bubbles(browser)).some((b) => b.text === text), "a note is not a message bubble");
    } finally {
      await opened.close();
      simulator.sim.kill();
    }
  });

  test("an agent's draft template is not offered until an admin approves it", async (t) => {
    const opened = await launch(t.name);
    try {
      const { browser } = opened;
      await becomeMember(browser, "Sam Okoye");
      await browser.$('[data-testid="templates-nav-button"]').click();
      await browser.$('[data-testid="template-new"]').click();
      await browser.$('[data-testid="template-name"]').setValue("Closing early");
      await browser.$('[data-testid="template-body"]').setValue("Hi {{first_name}}, we close at 3pm today.");
      await browser.$('[data-testid="template-save"]').click();
      const row = await waitForAttributes(
        browser,
        '[data-testid="template-row"]*=Closing early',
        { "data-status": "draft" },
        "the agent's new template is not a draft",
      );
      assert.equal(await row.$('[data-testid="template-approve"]').isExisting(), false, "an agent can't approve");

      await browser.$('[data-testid="templates-close"]').click();
      await openConversation(browser, "Maya Chen");
      let offered = await offeredTemplates(browser);
      assert.ok(offered.includes("Order ready"), `approved ones are offered: ${offered}`);
      assert.ok(!offered.includes("Closing early"), "a draft is not offered");
      await browser.keys("Escape");

      await becomeMember(browser, "Alex Rivera");
      await browser.$('[data-testid="templates-nav-button"]').click();
      await browser.$('[data-testid="template-row"]*=Closing early').$('[data-testid="template-approve"]').click();
      await waitForAttributes(
        browser,
        '[data-testid="template-row"]*=Closing early',
        { "data-status": "approved" },
        "the template was not approved",
      );
      await screenshot(browser, "templates-approved");
      await browser.$('[data-testid="templates-close"]').click();
      await openConversation(browser, "Maya Chen");
      offered = await offeredTemplates(browser);
      assert.ok(offered.includes("Closing early"), `once approved it is offered: ${offered}`);
      await browser.$('[data-testid="template-option"]*=Closing early').click();
      const input = await browser.$('[data-testid="composer-input"]');
      await waitForValue(
        browser,
        () => input.getValue(),
        (value) => value === "Hi Maya, we close at 3pm today.",
        "not inserted with Maya's first name",
      );
    } finally {
      await opened.close();
    }
  });

  test("a template with an unfilled field blocks sending", async (t) => {
    const opened = await launch(t.name);
    try {
      const { browser } = opened;
      // The demo's draft "Holiday hours" uses {{holiday_hours}}, which no contact has.
      await browser.$('[data-testid="templates-nav-button"]').click();
      await browser.$('[data-testid="template-row"]*=Holiday hours').$('[data-testid="template-approve"]').click();
      await waitForAttributes(
        browser,
        '[data-testid="template-row"]*=Holiday hours',
        { "data-status": "approved" },
        "the template was not approved",
      );
      await browser.$('[data-testid="templates-close"]').click();
      await openConversation(browser, "Maya Chen");
      const before = (await bubbles(browser)).length;
      await offeredTemplates(browser);
      await browser.$('[data-testid="template-option"]*=Holiday hours').click();
      const finding = '[data-testid="check-finding"][data-code="template_field_unfilled"]';
      await waitForAttributes(browser, finding, { "data-severity": "block" }, "the unfilled field does not block");
      await waitForText(browser, finding, /\{\{holiday_hours\}\}/, "the finding does not name {{holiday_hours}}");
      await waitForValue(
        browser,
        () => browser.$('[data-testid="composer-send"]').isEnabled(),
        (enabled) => enabled === false,
        "Send stays enabled with an unfilled field",
      );
      await browser.keys(["Control", "Enter"]);
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal((await bubbles(browser)).length, before, "nothing was sent");
      await screenshot(browser, "template-unfilled-blocks");
    } finally {
      await opened.close();
    }
  });

  test("search finds a message and opens it in its thread, highlighted", async (t) => {
    const opened = await launch(t.name);
    try {
      const { browser } = opened;
      await browser.$('[data-testid="conversation-item"]').waitForExist({ timeout: TIMEOUT });
      await browser.keys(["Control", "k"]);
      const input = await browser.$('[data-testid="search-input"]');
      await input.waitForExist({ timeout: TIMEOUT });
      await input.setValue('cleaning "Thursday');
      const hit = await browser.$('[data-testid="search-message"]');
      await hit.waitForExist({ timeout: TIMEOUT });
      await waitForText(browser, () => hit.$("mark"), /cleaning|Thursday/i, "the search hit does not mark the words searched");
      await screenshot(browser, "search-results");
      await browser.keys("Enter");
      await waitForText(
        browser,
        '[data-testid="message"][data-highlighted="true"]',
        /cleaning/,
        "the message found is not highlighted in its thread",
      );
      await waitForText(browser, "#thread-title", /Maya Chen/, "the message did not open in Maya Chen's thread", {
        textContent: true,
      });
    } finally {
      await opened.close();
    }
  });

  test("f jumps to the next failed message", async (t) => {
    const opened = await launch(t.name);
    try {
      const { browser } = opened;
      // Twilio's magic number for an invalid 'To' (21211) fails at once.
      await browser.$('[data-testid="new-conversation-button"]').click();
      await browser.$('[data-testid="new-to"]').setValue("+15005550001");
      await browser.$('[data-testid="new-body"]').setValue("Your order shipped");
      await clickSend(browser, "new-send");
      await waitForBubble(browser, "failed", (b) => b.status === "failed");
      await openConversation(browser, "Maya Chen");
      await browser.$('[data-testid="thread"]').click();
      await browser.keys("f");
      await waitForAttributes(
        browser,
        '[data-testid="message"][data-highlighted="true"]',
        { "data-status": "failed" },
        "f did not highlight the failed message",
      );
      await waitForText(browser, "#thread-title", /\+15005550001/, "f did not open the failed message's thread", {
        textContent: true,
      });
      await screenshot(browser, "f-next-failed");
    } finally {
      await opened.close();
    }
  });

  test("a sender's label set in Settings shows in the location filter", async (t) => {
    const opened = await launch(t.name);
    try {
      const { browser } = opened;
      await browser.$('[data-testid="conversation-item"]').waitForExist({ timeout: TIMEOUT });
      await browser.$('[data-testid="settings-button"]').click();
      const label = await browser.$('[data-testid="pref-sender-label"][aria-label="Label for +15005550006"]');
      await label.waitForExist({ timeout: TIMEOUT });
      await label.setValue("Front desk");
      await browser.$('[data-testid="pref-save"]').click();
      await browser.$('[data-testid="preferences"] [role="status"]').waitForExist({ timeout: TIMEOUT });
      await browser.$('[data-testid="settings-close"]').click();
      const filter = await browser.$('[data-testid="sender-filter"]');
      await browser.waitUntil(async () => (await filter.getHTML()).includes("Front desk (+15005550006)"), {
        timeout: TIMEOUT,
        timeoutMsg: "the new label is not in the location filter",
      });
    } finally {
      await opened.close();
    }
  });
});
