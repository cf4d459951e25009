/** Unsent text per conversation, kept while the app runs. */
const drafts = new Map<number, string>();

export function getDraft(conversationId: number): string {
  return drafts.get(conversationId) ?? "";
}

export function setDraft(conversationId: number, body: string): void {
  if (body) drafts.set(conversationId, body);
  else drafts.delete(conversationId);
}

export function clearDrafts(): void {
  drafts.clear();
}
