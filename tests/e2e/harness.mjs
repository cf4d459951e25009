// Launches the built Switchboard app in a real window through tauri-driver (which drives
// WebKitWebDriver), each time with its own empty data folder, and hands back a WebdriverIO
// browser for it.

import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import { createInterface } from "node:readline";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, "../..");
export const artifacts = join(root, "target", "e2e");
export const app = process.env.SWITCHBOARD_APP ?? join(root, "target", "debug", "switchboard-desktop");
const tauriDriver = process.env.TAURI_DRIVER ?? "tauri-driver";

/** A free TCP port on loopback. */
function freePort() {
  return new Promise((ok, fail) => {
    const server = net.createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/** Waits until something accepts connections on the port. */
async function waitForPort(port, ms = 15000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const open = await new Promise((ok) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), ok(true)));
      socket.once("error", () => ok(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on ${port} within ${ms} ms`);
}

/** A fresh, empty data root (XDG_DATA_HOME) for one app. */
export function freshDataHome() {
  return mkdtempSync(join(tmpdir(), "switchboard-e2e-"));
}

/** The settings every test app starts with unless it brings its own: quiet hours off, so what a
 * test sees does not depend on the time of day it runs (the quiet-hours test sets its own). */
export const TEST_CONFIG = 'quiet_hours = "off"\n';

/** Where the app keeps its data (and config.toml) under a data root. */
export function dataDir(dataHome) {
  return join(dataHome, "app.switchboard.desktop");
}

/** Starts the app in demo mode with a fresh data folder; call `close()` when done. The driver's
 * and the app's output go to target/e2e/<name>.log. `options.dataHome` reuses a data root
 * (left in place on close); `options.env` adds to the app's environment; `options.config` is the
 * config.toml to start with when the data root has none (default TEST_CONFIG); `options.asShipped`
 * runs the web view exactly as users get it (no screenshots then). */
export async function launch(name = "app", options = {}) {
  const ownData = !options.dataHome;
  const dataHome = options.dataHome ?? freshDataHome();
  const configFile = join(dataDir(dataHome), "config.toml");
  if (!existsSync(configFile)) {
    mkdirSync(dataDir(dataHome), { recursive: true });
    writeFileSync(configFile, options.config ?? TEST_CONFIG);
  }
  mkdirSync(artifacts, { recursive: true });
  const logPath = join(artifacts, `${name.replace(/[^a-z0-9]+/gi, "-")}.log`);
  const log = openSync(logPath, "w");
  const [port, nativePort] = [await freePort(), await freePort()];
  const driver = spawn(
    tauriDriver,
    ["--port", String(port), "--native-port", String(nativePort)],
    {
      env: {
        ...process.env,
        XDG_DATA_HOME: dataHome,
        // The window's remembered size and position live under the config folder: one per test
        // too, so every test starts with the same window.
        XDG_CONFIG_HOME: join(dataHome, "config"),
        SWITCHBOARD_TWILIO_BASE_URL: "",
        // WebKitWebDriver's screenshots never return from a view without accelerated
        // compositing, which the app turns off (src-tauri/src/webview.rs); tests keep it on
        // unless they measure the app as shipped (`options.asShipped`).
        ...(options.asShipped ? {} : { SWITCHBOARD_WEBVIEW_COMPOSITING: "1" }),
        ...options.env,
      },
      stdio: ["ignore", log, log],
    },
  );
  try {
    await waitForPort(port);
    const browser = await remote({
      hostname: "127.0.0.1",
      port,
      logLevel: "warn",
      capabilities: {
        "wdio:enforceWebDriverClassic": true,
        "tauri:options": { application: app },
      },
    });
    // A failed wait quotes the app's warnings from here: CI shows only the test's output.
    browser.switchboardLog = logPath;
    return {
      browser,
      dataHome,
      async close() {
        await browser.deleteSession().catch(() => {});
        const exited = new Promise((ok) => {
          if (driver.exitCode !== null || driver.signalCode !== null) ok();
          else driver.once("exit", ok);
        });
        driver.kill();
        await Promise.race([exited, new Promise((ok) => setTimeout(ok, 5000))]);
        await endProcessesOf(dataHome);
        if (ownData) rmSync(dataHome, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      },
    };
  } catch (e) {
    driver.kill();
    throw e;
  }
}

/** Processes started for a data root: the app and its WebKit processes inherit its
 * XDG_DATA_HOME. */
function processesOf(dataHome) {
  const needle = `\0XDG_DATA_HOME=${dataHome}\0`;
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return `\0${readFileSync(`/proc/${pid}/environ`, "latin1")}`.includes(needle);
      } catch {
        return false; // Gone meanwhile.
      }
    })
    .map(Number);
}

/** Waits until no process of the data root is left, killing what is still there after two
 * seconds: a WebKit process outliving the closed session went on writing its storage folder
 * while the folder was removed (ENOTEMPTY), and an app still running would hold the next
 * start's single-instance lock. */
async function endProcessesOf(dataHome) {
  const started = Date.now();
  for (;;) {
    const left = processesOf(dataHome);
    if (left.length === 0) return;
    if (Date.now() - started > 2000) {
      for (const pid of left) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Gone meanwhile.
        }
      }
    }
    if (Date.now() - started > 10_000) throw new Error(`processes ${left.join(", ")} of ${dataHome} did not end`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/** Calls a Tauri command from inside the window, as the UI would. */
export function invoke(browser, command, args = {}) {
  return browser.executeAsync(
    (cmd, a, done) => {
      window.__TAURI_INTERNALS__
        .invoke(cmd, a)
        .then((v) => done({ ok: v }), (e) => done({ err: e }));
    },
    command,
    args,
  ).then((r) => {
    if (r.err) throw new Error(`${command} failed: ${JSON.stringify(r.err)}`);
    return r.ok;
  });
}

/** Saves a screenshot of the window under target/e2e/. */
export async function screenshot(browser, name) {
  mkdirSync(artifacts, { recursive: true });
  await browser.saveScreenshot(join(artifacts, `${name}.png`));
}

/** The bubbles in the open thread as {text, status, label, direction}, read in one step inside
 * the page so a re-render between reads cannot leave stale element references. */
export function bubbles(browser) {
  return browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid="message"]')).map((el) => ({
      text: el.querySelector('[data-testid="message-body"]')?.textContent ?? "",
      status: el.getAttribute("data-status"),
      label: el.querySelector('[data-testid="message-status"]')?.textContent?.trim() ?? "",
      direction: el.getAttribute("data-direction"),
    })),
  );
}

/** Starts the simulator binary with its own account, playing `scenario` (the text of a
 * scenario TOML file) when given; resolves with `{sim, url}`. */
export function startSimulator(account, token, scenario = null) {
  const args = ["--listen", "127.0.0.1:0", "--account-sid", account, "--auth-token", token];
  if (scenario !== null) {
    const file = join(mkdtempSync(join(tmpdir(), "switchboard-scenario-")), "scenario.toml");
    writeFileSync(file, scenario);
    args.push("--scenario", file);
  }
  const sim = spawn(join(root, "target", "debug", "switchboard-sim"), args, {
    stdio: ["ignore", "pipe", "ignore"],
  });
  return new Promise((ok, fail) => {
    const lines = createInterface({ input: sim.stdout });
    lines.once("line", (line) => ok({ sim, url: line.replace(/^listening on /, "").trim() }));
    sim.once("error", fail);
    sim.once("exit", (code) => fail(new Error(`switchboard-sim exited with ${code}`)));
  });
}

/** A TCP relay to `target` (an http://host:port URL) that can be taken down and brought back
 * on the same port: down, connections are refused, as with a lost network. */
export async function startRelay(target) {
  const { hostname, port: targetPort } = new URL(target);
  const port = await freePort();
  const sockets = new Set();
  let server = null;
  const up = () =>
    new Promise((ok, fail) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(targetPort), hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.once("close", () => sockets.delete(s));
          s.on("error", () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      server.once("error", fail);
      server.listen(port, "127.0.0.1", () => ok());
    });
  const down = () =>
    new Promise((ok) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (server) server.close(() => ok());
      else ok();
      server = null;
    });
  await up();
  return { url: `http://127.0.0.1:${port}`, up, down };
}

/** Waits until the open thread has a bubble that satisfies `predicate`. */
export async function waitForBubble(browser, what, predicate, timeout = 30_000) {
  try {
    await browser.waitUntil(async () => (await bubbles(browser)).some(predicate), { timeout, interval: 250 });
  } catch (e) {
    // What the window showed when the wait gave up, not when it began.
    const shown = await browser
      .execute(() => document.body.innerText.slice(0, 3000))
      .catch(() => "");
    throw new Error(
      `no message ${what}; thread: ${JSON.stringify(await bubbles(browser))}; window: ${shown}; ` +
        `app warnings: ${appWarnings(browser)}`,
      { cause: e },
    );
  }
}

/** The element `target` names: a selector, or a function giving the element (for one looked up
 * inside another). Looked up afresh on every call, so a re-render cannot leave a stale one. */
function elementOf(browser, target) {
  return typeof target === "function" ? target() : browser.$(target);
}

/** Waits until `read()` gives a value that `accept` takes, and returns that value. A read that
 * throws (its element not there yet, or replaced meanwhile) counts as not yet. A failed wait
 * says `timeoutMsg`, the last value read and the app's warnings. */
export async function waitForValue(browser, read, accept, timeoutMsg, timeout = 30_000) {
  let last;
  let failure = null;
  await browser.waitUntil(
    async () => {
      try {
        last = await read();
        failure = null;
      } catch (e) {
        failure = e;
        return false;
      }
      return accept(last);
    },
    {
      timeout,
      interval: 100,
      timeoutMsg: () =>
        `${timeoutMsg}; last read: ${failure ? `failed (${String(failure.message).slice(0, 300)})` : JSON.stringify(last)}; ` +
        `app warnings: ${appWarnings(browser)}`,
    },
  );
  return last;
}

/** Waits until the text of the element `target` (a selector, or a function giving the element)
 * matches `pattern` (a RegExp, or a list of them that must all match), and returns that text:
 * an element can be there before its text is. The text is the rendered one (getText) unless
 * `textContent` asks for the DOM's. */
export function waitForText(browser, target, pattern, timeoutMsg, { textContent = false, timeout = 30_000 } = {}) {
  const patterns = [pattern].flat();
  return waitForValue(
    browser,
    async () => {
      const element = await elementOf(browser, target);
      if (!(await element.isExisting())) return null;
      return textContent ? element.getProperty("textContent") : element.getText();
    },
    (text) => typeof text === "string" && patterns.every((p) => p.test(text)),
    timeoutMsg,
    timeout,
  );
}

/** Waits until the element `target` (a selector, or a function giving the element) has the
 * attributes in `expected` ({name: value}), and returns the element. */
export async function waitForAttributes(browser, target, expected, timeoutMsg, timeout = 30_000) {
  await waitForValue(
    browser,
    async () => {
      const element = await elementOf(browser, target);
      if (!(await element.isExisting())) return null;
      const seen = {};
      for (const name of Object.keys(expected)) seen[name] = await element.getAttribute(name);
      return seen;
    },
    (seen) => seen !== null && Object.entries(expected).every(([name, value]) => seen[name] === value),
    timeoutMsg,
    timeout,
  );
  return elementOf(browser, target);
}

/** Opens the conversation whose list item mentions `name` and waits until its thread shows its
 * messages: the thread is there before them, and a count of bubbles read then is too low. */
export async function openConversation(browser, name, timeout = 30_000) {
  const item = await browser.$(`[data-testid="conversation-item"]*=${name}`);
  await item.waitForExist({ timeout });
  await item.click();
  await browser
    .$('[data-testid="thread"] [data-testid="message"]')
    .waitForExist({ timeout, timeoutMsg: `the thread of ${name} never showed its messages` });
}

/** Clicks a Send button (`testid`) once the checks beside it describe the draft as typed.
 * Their answer changes the panel (a line about the number appears) and so moves the button: a
 * click aimed before the move lands beside it and sends nothing. */
export async function clickSend(browser, testid, timeout = 30_000) {
  const button = await browser.$(`[data-testid="${testid}"]`);
  await button.waitForEnabled({ timeout });
  await browser.waitUntil(
    () =>
      browser.execute((id) => {
        const panel = document
          .querySelector(`[data-testid="${id}"]`)
          ?.closest("form, [role=dialog]")
          ?.querySelector('[data-testid="check-panel"]');
        return panel?.getAttribute("aria-busy") !== "true";
      }, testid),
    { timeout, interval: 50, timeoutMsg: "the checks never answered for the draft" },
  );
  await button.click();
}

/** The last warnings and errors the app logged, for a failure message. */
function appWarnings(browser) {
  try {
    const lines = readFileSync(browser.switchboardLog, "utf8").split("\n");
    return lines.filter((l) => /WARN|ERROR/.test(l)).slice(-15).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Answers "Who are you?", which a newly connected account asks, by adding yourself. */
export async function introduceMyself(browser, name, timeout = 30_000) {
  const dialog = await browser.$('[data-testid="who-are-you"]');
  await dialog.waitForExist({ timeout });
  await dialog.$('[data-testid="member-name"]').setValue(name);
  await dialog.$('[data-testid="member-save"]').click();
  await dialog.waitForExist({ timeout, reverse: true });
}

/** Connects the window to an account served at `url`, from Settings, as a person would, and
 * waits for the account's numbers (the first sync lists them). */
export async function connect(browser, { account, token, url }, timeout = 30_000) {
  await browser.$('[data-testid="settings-button"]').click();
  await browser.$('[data-testid="settings-account-sid"]').setValue(account);
  await browser.$('[data-testid="settings-secret"]').setValue(token);
  await browser.$('[data-testid="settings-base-url"]').setValue(url);
  await browser.$('[data-testid="settings-save"]').click();
  await browser.$('[data-testid="demo-badge"]').waitForExist({ timeout, reverse: true });
  await introduceMyself(browser, "Erin Tester", timeout);
  await browser.$('[data-testid="settings-close"]').click();
  // Until the first sync there is no number to send from.
  await browser.waitUntil(async () => (await invoke(browser, "list_senders")).length > 0, {
    timeout,
    timeoutMsg: "the account's numbers never arrived",
  });
}

/** How many create requests the simulator at `simUrl` received for this recipient and body. */
export async function createsAtSimulator(simUrl, to, body) {
  const stats = await (await fetch(`${simUrl}/_sim/stats`)).json();
  return stats.by_to_body.find((e) => e.to === to && e.body === body)?.count ?? 0;
}

