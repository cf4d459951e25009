// The shared inbox in a real window: who sits at this desktop, assignment and the views, and
// internal notes that never leave the app.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  bubbles,
  connect,
  createsAtSimulator,
  launch,
  screenshot,
  startSimulator,
  waitForBubble,
} from "./harness.mjs";

const TIMEOUT = 30_000;
const ACCOUNT = "AC0fedcba9876543210fedcba987654321";
const TOKEN = "e2e-team-token";

async function openConversation(browser, name) {
  const item = await browser.$(`[data-testid="conversation-item"]*=${name}`);
  await item.waitForExist({ timeout: TIMEOUT });
  await item.click();
  await browser.$('[data-testid="thread"]').waitForExist({ timeout: TIMEOUT });
}

describe("the team in a real window", () => {
  test("assign to me puts the conversation in Mine, with my badge", async (t) => {
    const opened = await launch(t.name);
    try {
      const { browser } = opened;
      // The demo's user is its admin until someone else is chosen.
      const me = await browser.$('[data-testid="identity-button"]');
      await browser.waitUntil(async () => (await me.getAttribute("data-me-name")) === "Alex Rivera", {
        timeout: TIMEOUT,
        timeoutMsg: "the demo's user is not shown",
      });
      const mine = await browser.$('[data-testid="view-mine"]');
      await browser.waitUntil(async () => (await mine.getAttribute("data-count")) === "0", {
        timeout: TIMEOUT,
        timeoutMsg: "Mine does not start empty",
      });

      await openConversation(browser, "Maya Chen");
      await browser.$('[data-testid="claim-button"]').click();
      await browser.$('[data-testid="claim-button"]').waitForExist({ timeout: TIMEOUT, reverse: true });
      await mine.click();
      const item = await browser.$('[data-testid="conversation-item"]*=Maya Chen');
      await item.waitForExist({ timeout: TIMEOUT });
      const items = await browser.$$('[data-testid="conversation-item"]');
      assert.equal(items.length, 1, "only my conversation is in Mine");
      assert.equal(await mine.getAttribute("data-count"), "1");
      assert.equal(await item.$('[data-testid="avatar"]').getText(), "AR");
      await screenshot(browser, "mine-after-assign-to-me");

      // Given to a colleague, it leaves Mine.
      await browser.$('[data-testid="assignee-select"]').selectByVisibleText("Sam Okoye");
      await item.waitForExist({ timeout: TIMEOUT, reverse: true });
      assert.equal(await mine.getAttribute("data-count"), "0");
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
      assert.equal(await browser.$('[data-testid="identity-button"]').getAttribute("data-me-name"), "Erin Tester");

      const to = "+13125550188";
      const body = `Your table is ready (${Date.now()})`;
      await browser.$('[data-testid="new-conversation-button"]').click();
      await browser.$('[data-testid="new-to"]').setValue(to);
      await browser.$('[data-testid="new-body"]').setValue(body);
      await browser.$('[data-testid="new-send"]').click();
      await waitForBubble(browser, "delivered", (b) => b.text === body && b.status === "delivered");

      const text = `Called to confirm, she is coming at 7 (${Date.now()})`;
      await browser.$('[data-testid="mode-note"]').click();
      await browser.$('[data-testid="note-input"]').setValue(text);
      await browser.$('[data-testid="note-add"]').click();
      const note = await browser.$('[data-testid="note"]');
      await note.waitForExist({ timeout: TIMEOUT });
      assert.match(await note.getText(), /never sent/);
      assert.match(await note.getText(), /Erin Tester/);
      assert.match(await note.getText(), new RegExp(text.replace(/[()]/g, "\\$&")));
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
});
