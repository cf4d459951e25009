// The app's own figures for `make bench`, in the real window: launch to the first inbox paint
// on a seeded database, the memory of the app and its WebKit processes once the inbox is
// loaded and idle (beside the same on the demo's small inbox), and the DOM nodes of the list. Writes them as JSON for `switchboard bench
// --app FILE`, which puts them in its table.
//
//   node bench-app.mjs --switchboard PATH --messages N --conversations M --out FILE [--floor PATH]
//
// With --floor (crates/webview-floor), the memory figure's note also gives what a bare WebKitGTK
// window set up as the app's takes on the same machine: the part of the figure that is WebKit's.
//
// Needs a display (Xvfb) and the keyring session `switchboard seed` stores the seed account's
// token in (scripts/with-keyring): `make bench` runs it so.

import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";

import { dataDir, freshDataHome, launch } from "./harness.mjs";

const { values } = parseArgs({
  options: {
    switchboard: { type: "string" },
    messages: { type: "string", default: "1000000" },
    conversations: { type: "string", default: "100000" },
    out: { type: "string" },
    floor: { type: "string" },
  },
});

/** Process ids whose command line contains `needle`. */
function pidsOf(needle) {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0].endsWith(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** A process and all its descendants. */
function tree(root) {
  const children = new Map();
  for (const d of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(d));
    } catch {
      // Gone meanwhile.
    }
  }
  const all = [root];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]) ?? []));
  return all;
}

/** Proportional set size in MB (shared pages split between the processes that map them). */
function pssMb(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("Pss:"));
    return Number(line.split(/\s+/)[1]) / 1024;
  } catch {
    return 0;
  }
}

/** The short name of a process (its executable's file name). */
function processName(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return String(pid);
  }
}

const dataHome = freshDataHome();
mkdirSync(dataDir(dataHome), { recursive: true });
console.error(`seeding ${values.messages} messages in ${values.conversations} conversations…`);
execFileSync(
  values.switchboard,
  ["seed", "--messages", values.messages, "--conversations", values.conversations, "--data-dir", dataDir(dataHome)],
  { stdio: ["ignore", "inherit", "inherit"] },
);

const app = process.env.SWITCHBOARD_APP.split("/").pop();

/** Starts the app on the seeded data (or, with `options`, as `launch` is told) and waits for the
 * inbox's first row. */
async function open(name, options = { dataHome, config: "" }) {
  const opened = await launch(name, { ...options, asShipped: true });
  const { browser } = opened;
  await browser.waitUntil(async () => pidsOf(app).length > 0, { timeout: 10_000, interval: 20 });
  const pid = pidsOf(app).sort((a, b) => b - a)[0];
  await browser.waitUntil(async () => (await browser.$$('[data-testid="conversation-item"]')).length > 0, {
    timeout: 60_000,
    interval: 20,
    timeoutMsg: "the inbox never showed a conversation",
  });
  return { ...opened, pid };
}

/** Total PSS in MB of a process and its descendants, and each one's share, once idle: the first
 * sync attempts and the list's pages have settled. */
async function idleMemory(pid) {
  await new Promise((r) => setTimeout(r, 5000));
  const each = tree(pid).map((p) => ({ name: processName(p), mb: pssMb(p) }));
  return { total: each.reduce((sum, p) => sum + p.mb, 0), each };
}

/** Milliseconds from the process's start to the mark the list sets when it shows its first row
 * (ConversationItem.svelte): the process's age now less the time since the mark, so polling for
 * the row through WebDriver adds nothing. The age is read on both sides of the page's answer. */
async function launchMs(browser, pid) {
  const before = ageMs(pid);
  const sinceMark = await browser.execute(() => {
    const mark = performance.getEntriesByName("switchboard:first-conversation-row")[0];
    return mark ? performance.now() - mark.startTime : null;
  });
  const after = ageMs(pid);
  if (sinceMark === null) throw new Error("the list never set its first-row mark");
  return (before + after) / 2 - sinceMark;
}

/** The idle memory of the floor program (one line of text in a web view, no app), measured as
 * the app's is: once its web process is up, and 5 s later. */
async function bareWebViewMemory(path) {
  const home = freshDataHome();
  const child = spawn(path, [], {
    env: { ...process.env, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    const started = Date.now();
    while (!tree(child.pid).some((p) => processName(p).startsWith("WebKitWebProces"))) {
      if (child.exitCode !== null) throw new Error(`${path} exited with ${child.exitCode}`);
      if (Date.now() - started > 10_000) throw new Error(`${path} never started a web process`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return await idleMemory(child.pid);
  } finally {
    child.kill();
    await new Promise((r) => setTimeout(r, 500));
    rmSync(home, { recursive: true, force: true });
  }
}

/** Milliseconds since a process started (its start in clock ticks since boot, and the uptime). */
function ageMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const ticks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  const uptime = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
  return (uptime - ticks / clockTicks) * 1000;
}

const clockTicks = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

// A first start brings up what a desktop session already runs (the accessibility bus, the
// desktop portal, each activated over D-Bus on first use in this fresh session) and reads the
// database into the OS cache; it is not counted. The median of the next starts is the figure.
await (await open("bench-app-warmup")).close();
const figures = [];
const launches = [];
for (let i = 1; ; i++) {
  const opened = await open(`bench-app-${i}`);
  try {
    launches.push(await launchMs(opened.browser, opened.pid));
    if (i < 3) continue;
    launches.sort((a, b) => a - b);
    figures.push({
      figure: "launch",
      value: launches[1],
      note: `median of ${launches.length}: ${launches.map((v) => v.toFixed(0)).join(", ")} ms`,
    });

    const { browser, pid } = opened;
    const memory = await idleMemory(pid);
    figures.push({
      figure: "memory",
      value: memory.total,
      note: memory.each.map((p) => `${p.name} ${p.mb.toFixed(0)}`).join(", "),
    });

    const nodes = await browser.execute(() => {
      const list = document.querySelector('[data-testid="conversation-list"]');
      return { list: list ? list.getElementsByTagName("*").length : -1, page: document.getElementsByTagName("*").length };
    });
    const counts = await browser.execute(async () => {
      const r = await window.__TAURI_INTERNALS__.invoke("view_counts", { sender: null });
      return r.open + r.closed;
    });
    figures.push({
      figure: "dom",
      value: nodes.list,
      note: `${counts} conversations; the whole page has ${nodes.page} elements`,
    });
    break;
  } finally {
    await opened.close();
  }
}
// The same window on the demo's small inbox, in a fresh folder: what the shell and WebKit take
// before any history, to read the figure above against.
const demo = await open("bench-app-demo", {});
try {
  const floor = await idleMemory(demo.pid);
  const memory = figures.find((f) => f.figure === "memory");
  memory.note += `; the demo's inbox in the same run: ${floor.total.toFixed(0)} MB (${floor.each
    .map((p) => `${p.name} ${p.mb.toFixed(0)}`)
    .join(", ")})`;
} finally {
  await demo.close();
}
if (values.floor) {
  const floor = await bareWebViewMemory(values.floor);
  const memory = figures.find((f) => f.figure === "memory");
  memory.note += `; a bare WebKitGTK window set up as the app's: ${floor.total.toFixed(0)} MB (${floor.each
    .map((p) => `${p.name} ${p.mb.toFixed(0)}`)
    .join(", ")})`;
}
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, JSON.stringify(figures, null, 2));
console.error(`app figures written to ${values.out}`);
