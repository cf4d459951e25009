/** The window title: the app's name, with the number of unread messages when there are any. */
export function windowTitle(unread: number): string {
  return unread > 0 ? `Switchboard (${unread} unread)` : "Switchboard";
}
