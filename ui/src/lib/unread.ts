import type { ConversationView } from "./ipc/types";

/** The window title: the app's name, with the number of unread messages when there are any. */
export function windowTitle(conversations: ConversationView[]): string {
  const unread = conversations.reduce((sum, c) => sum + c.unread, 0);
  return unread > 0 ? `Switchboard (${unread} unread)` : "Switchboard";
}
