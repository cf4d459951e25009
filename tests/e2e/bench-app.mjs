// The app's own figures for `make bench`, in the real window: launch to the first inbox paint
// on a seeded database, the memory of the app and its WebKit processes once the inbox is
// loaded and idle, and the DOM nodes of the list. Writes them as JSON for `switchboard bench
// --app FILE`, which puts them in its table.
//
//   node bench-app.mjs --switchboard PATH --messages N --conversations M --out FILE
//
// Needs a display (Xvfb) and the keyring session `switchboard seed` stores the seed account's
// token in (scripts/with-keyring): `make bench` runs it so.

import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";

import { dataDir, freshDataHome, launch } from "./harness.mjs";

const { values } = parseArgs({
  options: {
    switchboard: { type: "string" },
    messages: { type: "string", default: "1000000" },
    conversations: { type: "string", default: "100000" },
    out: { type: "string" },
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

/** Seconds since the process started. */
function ageSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const start = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  const uptime = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
  const ticks = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  return uptime - start / ticks;
}

const dataHome = freshDataHome();
mkdirSync(dataDir(dataHome), { recursive: true });
console.error(`seeding ${values.messages} messages in ${values.conversations} conversations…`);
execFileSync(
  values.switchboard,
  ["seed", "--messages", values.messages, "--conversations", values.conversations, "--data-dir", dataDir(dataHome)],
  { stdio: ["ignore", "inherit", "inherit"] },
);

const opened = await launch("bench-app", { dataHome, config: "" });
const figures = [];
try {
  const { browser } = opened;
  const app = process.env.SWITCHBOARD_APP.split("/").pop();
  await browser.waitUntil(async () => pidsOf(app).length > 0, { timeout: 10_000, interval: 20 });
  const pid = pidsOf(app).sort((a, b) => b - a)[0];
  await browser.waitUntil(async () => (await browser.$$('[data-testid="conversation-item"]')).length > 0, {
    timeout: 60_000,
    interval: 10,
    timeoutMsg: "the inbox never showed a conversation",
  });
  const paintMs = ageSeconds(pid) * 1000;
  figures.push({ figure: "launch", value: paintMs });

  // Idle after loading: let the first sync attempts and the list's pages settle.
  await new Promise((r) => setTimeout(r, 5000));
  const processes = tree(pid);
  const each = processes.map((p) => ({ name: processName(p), mb: pssMb(p) }));
  const memory = each.reduce((sum, p) => sum + p.mb, 0);
  figures.push({
    figure: "memory",
    value: memory,
    note: each.map((p) => `${p.name} ${p.mb.toFixed(0)}`).join(", "),
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
} finally {
  await opened.close();
}
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, JSON.stringify(figures, null, 2));
console.error(`app figures written to ${values.out}`);
