// Staying trustworthy when things go wrong around the app: the provider out of reach, and a
// second copy of the app started on the same data folder.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import {
  app,
  clickSend,
  connect,
  createsAtSimulator,
  dataDir,
  launch,
  screenshot,
  startRelay,
  startSimulator,
  waitForAttributes,
  waitForBubble,
  waitForText,
  waitForValue,
} from "./harness.mjs";

const TIMEOUT = 30_000;
const ACCOUNT = "AC89abcdef0123456789abcdef01234567";
const TOKEN = "e2e-resilience-token";

/** The app's log files' text under a data root. */
function appLogs(dataHome) {
  const dir = join(dataDir(dataHome), "logs");
  if (!existsSync(dir)) return "";
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), "utf8"))
    .join("\n");
}

describe("resilience in a real window", () => {
  test("a message waits while the provider is unreachable and goes out once when it is back", async (t) => {
    const simulator = await startSimulator(ACCOUNT, TOKEN);
    const relay = await startRelay(simulator.url);
    const opened = await launch(t.name);
    try {
      const { browser } = opened;
      await connect(browser, { account: ACCOUNT, token: TOKEN, url: relay.url });

      await relay.down();
      const banner = await browser.$('[data-testid="offline-banner"]');
      await banner.waitForDisplayed({ timeout: TIMEOUT });
      await waitForText(browser, () => banner, /cannot be reached/, "the offline banner does not say the provider is out of reach");

      const to = "+13125550199";
      const body = `Sent while offline ${Date.now()}`;
      await browser.$('[data-testid="new-conversation-button"]').click();
      await browser.$('[data-testid="new-to"]').setValue(to);
      await browser.$('[data-testid="new-body"]').setValue(body);
      await clickSend(browser, "new-send");
      await waitForBubble(
        browser,
        "waiting for connection",
        (b) => b.text === body && b.label === "Waiting for connection",
      );
      await screenshot(browser, "offline-waiting-for-connection");
      assert.equal(await createsAtSimulator(simulator.url, to, body), 0);

      await relay.up();
      await waitForBubble(browser, "delivered", (b) => b.text === body && b.status === "delivered");
      await banner.waitForDisplayed({ timeout: TIMEOUT, reverse: true });
      await screenshot(browser, "offline-back-and-delivered");
      assert.equal(await createsAtSimulator(simulator.url, to, body), 1, "sent exactly once");
    } finally {
      await opened.close();
      await relay.down();
      simulator.sim.kill();
    }
  });

  test("starting the app again on the same data folder brings the open window forward", async (t) => {
    const first = await launch(t.name);
    try {
      const { browser, dataHome } = first;
      await browser.$('[data-testid="demo-badge"]').waitForDisplayed({ timeout: TIMEOUT });
      const second = spawn(app, [], {
        env: { ...process.env, XDG_DATA_HOME: dataHome, SWITCHBOARD_TWILIO_BASE_URL: "" },
        stdio: "ignore",
      });
      const code = await new Promise((ok, fail) => {
        const timer = setTimeout(() => {
          second.kill("SIGKILL");
          fail(new Error("the second copy kept running"));
        }, TIMEOUT);
        second.once("exit", (c) => {
          clearTimeout(timer);
          ok(c);
        });
      });
      assert.equal(code, 0, "the second copy hands over and leaves");
      await waitForValue(
        browser,
        async () => appLogs(dataHome).includes("started again"),
        (told) => told,
        "the first copy was never told",
      );
      assert.ok(await browser.$('[data-testid="demo-badge"]').isDisplayed(), "the first still works");
    } finally {
      await first.close();
    }
  });

  test("without a session bus, a second copy on the same folder says one is already running", async (t) => {
    const first = await launch(`${t.name} (first)`);
    let second;
    try {
      await first.browser.$('[data-testid="demo-badge"]').waitForDisplayed({ timeout: TIMEOUT });
      second = await launch(`${t.name} (second)`, {
        dataHome: first.dataHome,
        env: { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/switchboard-e2e" },
      });
      const notice = '[data-testid="startup-problem"] [data-error-code]';
      await waitForAttributes(
        second.browser,
        notice,
        { "data-error-code": "already_running" },
        "the second copy does not say one is already running",
      );
      await waitForText(second.browser, notice, /already open/, "the second copy's notice does not say the app is already open");
      await screenshot(second.browser, "second-copy-refused");
      assert.ok(
        await first.browser.$('[data-testid="demo-badge"]').isDisplayed(),
        "the first copy is untouched",
      );
    } finally {
      await second?.close();
      await first.close();
    }
  });
});
