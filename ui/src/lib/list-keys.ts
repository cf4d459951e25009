/** Keys for a search box above a list of results: arrows move, Enter picks, Escape closes. */
export function onListKey(
  event: KeyboardEvent,
  list: { count: number; active: number; move: (index: number) => void; pick: () => void; close: () => void },
): void {
  const handlers: Record<string, () => void> = {
    Escape: list.close,
    ArrowDown: () => list.move(Math.min(list.active + 1, list.count - 1)),
    ArrowUp: () => list.move(Math.max(list.active - 1, 0)),
    Enter: list.pick,
  };
  const handler = handlers[event.key];
  if (!handler) return;
  event.preventDefault();
  handler();
}
