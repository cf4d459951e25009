// The window itself: usable at 1024×700, and its size remembered from one start to the next.

import { describe, test } from "node:test";

import { freshDataHome, launch, screenshot, waitForValue } from "./harness.mjs";

const TIMEOUT = 30_000;

/** Of the elements the selectors name, those not on screen whole, inside the window's viewport. */
function notFullyVisible(browser, selectors) {
  return browser.execute(
    (sels) =>
      sels.filter((sel) => {
        const el = document.querySelector(sel);
        if (!el) return true;
        const r = el.getBoundingClientRect();
        return !(r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight);
      }),
    selectors,
  );
}

/** Waits until every element the selectors name is on screen whole (a layout settles after
 * the elements are there, and after a resize); a failed wait lists those that are not. */
function waitForFullyVisible(browser, selectors, where) {
  return waitForValue(browser, () => notFullyVisible(browser, selectors), (off) => off.length === 0, `not fully on screen ${where}`);
}

describe("the window", () => {
  // Every other test keeps WebKit's compositing on for its screenshots (harness.mjs); this one
  // runs the web view as users get it, without compositing, and uses it without screenshots.
  test("the web view as shipped shows the inbox, opens a thread and opens Insights", async (t) => {
    const opened = await launch(t.name, { asShipped: true });
    try {
      const { browser } = opened;
      await browser.$('[data-testid="conversation-item"]').waitForExist({ timeout: TIMEOUT });
      await browser.$('[data-testid="conversation-item"]').click();
      await browser.$('[data-testid="thread"] [data-testid="message"]').waitForExist({ timeout: TIMEOUT });
      await waitForFullyVisible(browser, ['[data-testid="composer-input"]'], "as shipped (the composer)");
      // Insights' code loads when first opened.
      await browser.$('[data-testid="insights-button"]').click();
      await browser.$('[data-testid="insights"]').waitForExist({ timeout: TIMEOUT });
    } finally {
      await opened.close();
    }
  });

  test("everything needed is on screen at 1024×700", async (t) => {
    const opened = await launch(t.name);
    try {
      const { browser } = opened;
      await browser.setWindowSize(1024, 700);
      await browser.$('[data-testid="conversation-item"]').waitForExist({ timeout: TIMEOUT });
      await browser.$('[data-testid="conversation-item"]').click();
      await browser.$('[data-testid="composer-input"]').waitForExist({ timeout: TIMEOUT });
      await waitForFullyVisible(browser, [
        '[data-testid="search-button"]',
        '[data-testid="identity-button"]',
        '[data-testid="new-conversation-button"]',
        '[data-testid="templates-nav-button"]',
        '[data-testid="settings-button"]',
        '[data-testid="view-open"]',
        '[data-testid="conversation-item"]',
        '[data-testid="claim-button"]',
        '[data-testid="state-button"]',
        '[data-testid="composer-input"]',
        '[data-testid="composer-send"]',
      ], "at 1024×700");
      await screenshot(browser, "window-1024x700");
    } finally {
      await opened.close();
    }
  });

  test("the window comes back at the size it was left", async (t) => {
    const dataHome = freshDataHome();
    const first = await launch(`${t.name}-1`, { dataHome });
    try {
      await first.browser.$('[data-testid="conversation-item"]').waitForExist({ timeout: TIMEOUT });
      await first.browser.setWindowSize(1100, 760);
      // The app writes the state shortly after the window settles, so even an app that is killed
      // (as the driver ends it) comes back as it was.
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      await first.close();
    }
    const second = await launch(`${t.name}-2`, { dataHome });
    try {
      await second.browser.$('[data-testid="conversation-item"]').waitForExist({ timeout: TIMEOUT });
      await waitForValue(
        second.browser,
        async () => {
          const { width, height } = await second.browser.getWindowSize();
          return { width, height };
        },
        ({ width, height }) => width === 1100 && height === 760,
        "the window did not come back at 1100×760",
      );
    } finally {
      await second.close();
    }
  });
});
