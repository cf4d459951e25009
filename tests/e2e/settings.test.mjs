// Connecting a real account from Settings: the secret goes to the OS keyring (GNOME Keyring in a
// private D-Bus session under `make test`), never to the settings file or the database, and the
// app switches from the demo to that account.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";

import {
  introduceMyself,
  launch,
  screenshot,
  startSimulator,
  TEST_CONFIG,
  waitForAttributes,
  waitForText,
  waitForValue,
} from "./harness.mjs";

const TIMEOUT = 30_000;
const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const TOKEN = "e2e-secret-token-7f3a";

/** Every file under a folder, recursively. */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe("Settings", () => {
  let app;
  let simulator;
  beforeEach(async (t) => {
    simulator = await startSimulator(ACCOUNT, TOKEN);
    app = await launch(t.name);
  });
  afterEach(async () => {
    await app?.close();
    simulator?.sim.kill();
  });

  test("saving credentials stores the secret in the keyring and leaves demo mode", async () => {
    const { browser, dataHome } = app;
    await browser.$('[data-testid="demo-badge"]').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('[data-testid="settings-button"]').click();
    const keyring = await browser.$('[data-testid="keyring-status"]');
    await keyring.waitForExist({ timeout: TIMEOUT });
    assert.equal(await browser.$('[data-testid="keyring-warning"]').isExisting(), false);

    await browser.$('[data-testid="settings-account-sid"]').setValue(ACCOUNT);
    await browser.$('[data-testid="settings-secret"]').setValue(TOKEN);
    await browser.$('[data-testid="settings-base-url"]').setValue(simulator.url);
    await browser.$('[data-testid="settings-save"]').click();
    await browser.$('[data-testid="demo-badge"]').waitForExist({ timeout: TIMEOUT, reverse: true });
    // A new account has no team yet: the window asks who is at this desktop.
    await browser.$('[data-testid="who-are-you"]').waitForExist({ timeout: TIMEOUT });
    await screenshot(browser, "who-are-you");
    await introduceMyself(browser, "Erin Tester");
    await waitForAttributes(
      browser,
      '[data-testid="identity-button"]',
      { "data-me-name": "Erin Tester" },
      "the window does not show Erin Tester at this desktop",
    );
    await screenshot(browser, "settings-connected");

    // The account's own history (served by the simulator) arrives in the inbox.
    await browser.$('[data-testid="settings-close"]').click();
    await browser.$('[data-testid="conversation-item"]').waitForExist({ timeout: TIMEOUT });

    const files = filesUnder(dataHome);
    const config = files.find((f) => f.endsWith("config.toml"));
    assert.ok(config, "a settings file was written");
    assert.match(readFileSync(config, "utf8"), new RegExp(ACCOUNT));
    for (const file of files) {
      assert.ok(!readFileSync(file).includes(TOKEN), `the secret leaked into ${file}`);
    }
  });

  test("Test connection with a wrong token explains error 20003 and saves nothing", async () => {
    const { browser, dataHome } = app;
    await browser.$('[data-testid="settings-button"]').click();
    await browser.$('[data-testid="settings-account-sid"]').setValue(ACCOUNT);
    await browser.$('[data-testid="settings-secret"]').setValue("not-the-token");
    await browser.$('[data-testid="settings-base-url"]').setValue(simulator.url);
    await browser.$('[data-testid="settings-test"]').click();
    const notice = '[data-testid="connection-test"] [data-error-code]';
    await waitForAttributes(
      browser,
      notice,
      { "data-error-code": "provider_authentication" },
      "Test connection does not report an authentication failure",
    );
    await waitForText(browser, notice, [/20003/, /Auth Token/], "Test connection does not explain error 20003 and the Auth Token");
    await screenshot(browser, "settings-test-connection-20003");
    const config = filesUnder(dataHome).find((f) => f.endsWith("config.toml"));
    assert.equal(readFileSync(config, "utf8"), TEST_CONFIG, "a connection test writes no settings");
    // Still the demo.
    assert.ok(await browser.$('[data-testid="demo-badge"]').isExisting());
  });

  test("demo mode turned off without an account asks for one, and turned on brings the demo back", async () => {
    const { browser } = app;
    await browser.$('[data-testid="demo-badge"]').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('[data-testid="settings-button"]').click();
    const demo = await browser.$('[data-testid="pref-demo"]');
    await demo.waitForExist({ timeout: TIMEOUT });
    await waitForValue(browser, () => demo.isSelected(), (selected) => selected === true, "Demo mode is not shown as on");
    await demo.click();
    await browser.$('[data-testid="pref-save"]').click();
    const problem = await waitForAttributes(
      browser,
      '[data-testid="startup-problem"] [data-error-code]',
      { "data-error-code": "not_configured" },
      "demo mode off without an account does not ask for one",
    );
    await waitForText(browser, () => problem, /demo mode/, "the notice does not mention demo mode", { textContent: true });
    await browser
      .$('[data-testid="demo-badge"]')
      .waitForExist({ timeout: TIMEOUT, reverse: true, timeoutMsg: "the Demo badge stays with demo mode off" });
    await screenshot(browser, "settings-demo-off");

    await browser.$('[data-testid="pref-demo"]').click();
    await browser.$('[data-testid="pref-save"]').click();
    await browser.$('[data-testid="demo-badge"]').waitForDisplayed({ timeout: TIMEOUT });
    await problem.waitForExist({ timeout: TIMEOUT, reverse: true });
  });
});

