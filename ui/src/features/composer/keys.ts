/** Ctrl+Enter (Windows/Linux) or Cmd+Enter (macOS) sends; plain Enter is a newline. */
export function isSendShortcut(event: KeyboardEvent): boolean {
  return event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.isComposing;
}

/** "⌘+Enter" on macOS, "Ctrl+Enter" elsewhere. */
export function sendShortcutLabel(): string {
  const platform = typeof navigator === "undefined" ? "" : navigator.platform || navigator.userAgent;
  return /Mac|iPhone|iPad/i.test(platform) ? "⌘+Enter" : "Ctrl+Enter";
}
