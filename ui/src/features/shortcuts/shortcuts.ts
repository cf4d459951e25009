/** The window's keyboard shortcuts: one table, read by the key handler and the help. */

export type Action =
  | "next"
  | "previous"
  | "open"
  | "new"
  | "templates"
  | "search"
  | "nextFailed"
  | "close"
  | "assignToMe"
  | "help";

export type Shortcut = { keys: string[]; action: Action; label: string };

export const SHORTCUTS: Shortcut[] = [
  { keys: ["j"], action: "next", label: "Next conversation in the list" },
  { keys: ["k"], action: "previous", label: "Previous conversation in the list" },
  { keys: ["Enter"], action: "open", label: "Open the highlighted conversation" },
  { keys: ["c"], action: "new", label: "New conversation" },
  { keys: ["/"], action: "templates", label: "Templates, in the reply" },
  { keys: ["Ctrl", "K"], action: "search", label: "Search messages and contacts" },
  { keys: ["f"], action: "nextFailed", label: "Next failed message" },
  { keys: ["e"], action: "close", label: "Close (or reopen) the conversation" },
  { keys: ["a"], action: "assignToMe", label: "Assign the conversation to me" },
  { keys: ["?"], action: "help", label: "Show these shortcuts" },
];

const SINGLE: Record<string, Action> = {
  j: "next",
  k: "previous",
  Enter: "open",
  c: "new",
  "/": "templates",
  f: "nextFailed",
  e: "close",
  a: "assignToMe",
  "?": "help",
};

/** Whether a key typed here is text, not a command. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
}

/** The action a key press asks for, or null. Letters never act while typing or with a
 * modifier (Ctrl+C stays copy); Ctrl+K (⌘K) works everywhere. Enter only acts on the list
 * itself, so it never steals a button's or a form's Enter. */
export function actionFor(event: KeyboardEvent): Action | null {
  if (event.defaultPrevented || event.isComposing) return null;
  if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") return "search";
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (typing(event.target)) return null;
  const action = SINGLE[event.key] ?? null;
  if (action === "open" && event.target instanceof HTMLElement && event.target.closest("button, a, [role='dialog']")) {
    return null;
  }
  return action;
}
