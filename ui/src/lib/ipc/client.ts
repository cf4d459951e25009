/**
 * The only module that talks to the Rust side. Every command has one typed
 * function here; a rejected `invoke` becomes a thrown `IpcFailure`.
 */
import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { IpcFailure } from "./failure";
import type {
  AppInfo,
  BulkFixRequest,
  BulkResultView,
  DismissRequest,
  InsightsRequest,
  InsightsView,
  SliceRequest,
  SliceView,
  TriageGroupView,
  ChangedEvent,
  CheckView,
  ConnectionReport,
  ConnectionView,
  ContactRequest,
  ContactSummaryView,
  ContactView,
  ConversationPage,
  CredentialsInput,
  ExportView,
  HistoryView,
  ImportPreviewView,
  ImportResultView,
  ListRequest,
  LogEntryView,
  LogFilterRequest,
  MappingView,
  MemberRequest,
  MemberView,
  MessageDetailsView,
  MessageRef,
  MessageView,
  NoteView,
  PreferencesView,
  ResendRequest,
  OpenConversationEvent,
  SearchPageView,
  SearchView,
  SendRequest,
  SenderView,
  SettingsView,
  TemplatePreviewView,
  TemplateRequest,
  TemplateView,
  ThreadView,
  ViewCountsView,
} from "./types";

export { IpcFailure, INTERNAL_CODE } from "./failure";

/** Tauri command names, exactly as registered on the Rust side. */
export const COMMANDS = {
  appInfo: "app_info",
  connectionStatus: "connection_status",
  historyStatus: "history_status",
  listConversations: "list_conversations",
  getThread: "get_thread",
  markRead: "mark_read",
  sendMessage: "send_message",
  checkMessage: "check_message",
  resendMessage: "resend_message",
  messageDetails: "message_details",
  markLandline: "mark_landline",
  listSenders: "list_senders",
  getSettings: "get_settings",
  saveCredentials: "save_credentials",
  clearCredentials: "clear_credentials",
  testConnection: "test_connection",
  viewCounts: "view_counts",
  listTeam: "list_team",
  saveMember: "save_member",
  removeMember: "remove_member",
  getMe: "get_me",
  setMe: "set_me",
  assignConversation: "assign_conversation",
  claimConversation: "claim_conversation",
  setConversationState: "set_conversation_state",
  addNote: "add_note",
  listTemplates: "list_templates",
  saveTemplate: "save_template",
  approveTemplate: "approve_template",
  deleteTemplate: "delete_template",
  previewTemplate: "preview_template",
  listContacts: "list_contacts",
  getContact: "get_contact",
  contactOfConversation: "contact_of_conversation",
  saveContact: "save_contact",
  search: "search",
  nextFailed: "next_failed",
  sendLog: "send_log",
  exportSendLog: "export_send_log",
  previewImport: "preview_import",
  importContacts: "import_contacts",
  getPreferences: "get_preferences",
  savePreferences: "save_preferences",
  openFolder: "open_folder",
  insights: "insights",
  insightMessages: "insight_messages",
  triage: "triage",
  resendFailures: "resend_failures",
  dismissFailures: "dismiss_failures",
  markLandlines: "mark_landlines",
  exportRecipients: "export_recipients",
} as const;

/** Event names emitted by the Rust side. */
export const EVENTS = {
  conversationsChanged: "conversations-changed",
  connectionChanged: "connection-changed",
  historyProgress: "history-progress",
  openConversation: "open-conversation",
} as const;

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw IpcFailure.from(error);
  }
}

export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>(COMMANDS.appInfo);
}

/** Whether the provider answers (`online` is null before the first call). */
export function connectionStatus(): Promise<ConnectionView> {
  return call<ConnectionView>(COMMANDS.connectionStatus);
}

/** How far the history load has come; null before it started. */
export function historyStatus(): Promise<HistoryView | null> {
  return call<HistoryView | null>(COMMANDS.historyStatus);
}

/** A page of one view of the list (newest activity first) and the view's size. */
export function listConversations(request: ListRequest): Promise<ConversationPage> {
  return call<ConversationPage>(COMMANDS.listConversations, { request });
}

/** The count beside each view, for one sender number or all, and unread messages. */
export function viewCounts(sender: string | null): Promise<ViewCountsView> {
  return call<ViewCountsView>(COMMANDS.viewCounts, { sender });
}

/** Everyone on the team, those who left included, by name. */
export function listTeam(): Promise<MemberView[]> {
  return call<MemberView[]>(COMMANDS.listTeam);
}

/** Adds a member (no uid) or changes one. */
export function saveMember(request: MemberRequest): Promise<MemberView> {
  return call<MemberView>(COMMANDS.saveMember, { request });
}

/** Takes a member off the team; their conversations become unassigned. */
export async function removeMember(uid: string): Promise<void> {
  await call<unknown>(COMMANDS.removeMember, { uid });
}

/** Who uses this desktop; null until someone is chosen. */
export function getMe(): Promise<MemberView | null> {
  return call<MemberView | null>(COMMANDS.getMe);
}

/** Remembers who uses this desktop. */
export function setMe(uid: string): Promise<MemberView> {
  return call<MemberView>(COMMANDS.setMe, { uid });
}

/** Gives a conversation to a member, or to nobody. */
export async function assignConversation(conversationId: number, memberId: number | null): Promise<void> {
  await call<unknown>(COMMANDS.assignConversation, { conversationId, memberId });
}

/** Assigns a conversation to the person at this desktop. */
export async function claimConversation(conversationId: number): Promise<void> {
  await call<unknown>(COMMANDS.claimConversation, { conversationId });
}

/** Opens or closes a conversation. */
export async function setConversationState(conversationId: number, open: boolean): Promise<void> {
  await call<unknown>(COMMANDS.setConversationState, { conversationId, open });
}

/** Adds an internal note; it is never sent. */
export function addNote(conversationId: number, body: string): Promise<NoteView> {
  return call<NoteView>(COMMANDS.addNote, { conversationId, body });
}

/** Templates by name: all, or only the approved ones (the composer's picker), matching `search`. */
export function listTemplates(approvedOnly: boolean, search: string): Promise<TemplateView[]> {
  return call<TemplateView[]>(COMMANDS.listTemplates, { approvedOnly, search });
}

/** Adds or changes a template; it is a draft until an admin approves it. */
export function saveTemplate(request: TemplateRequest): Promise<TemplateView> {
  return call<TemplateView>(COMMANDS.saveTemplate, { request });
}

/** Approves a template (admins only). */
export function approveTemplate(templateId: number): Promise<TemplateView> {
  return call<TemplateView>(COMMANDS.approveTemplate, { templateId });
}

/** Deletes a template (an admin any; an agent their own draft). */
export async function deleteTemplate(templateId: number): Promise<void> {
  await call<unknown>(COMMANDS.deleteTemplate, { templateId });
}

/** A template filled in with this conversation's values, with its checks. */
export function previewTemplate(templateId: number, conversationId: number): Promise<TemplatePreviewView> {
  return call<TemplatePreviewView>(COMMANDS.previewTemplate, { templateId, conversationId });
}

/** Contacts by name, matching `search` in the name or number. */
export function listContacts(search: string): Promise<ContactSummaryView[]> {
  return call<ContactSummaryView[]>(COMMANDS.listContacts, { search });
}

/** Everything known about a contact. */
export function getContact(contactId: number): Promise<ContactView> {
  return call<ContactView>(COMMANDS.getContact, { contactId });
}

/** The contact a conversation is with. */
export function contactOfConversation(conversationId: number): Promise<ContactView> {
  return call<ContactView>(COMMANDS.contactOfConversation, { conversationId });
}

/** Saves a contact's name, number and own fields. */
export function saveContact(request: ContactRequest): Promise<ContactView> {
  return call<ContactView>(COMMANDS.saveContact, { request });
}

/** A page of the contacts, messages and notes matching what was typed (any text is safe to
 * pass): the first without `page`, the next with the `next` the last page gave. */
export function search(query: string, page: SearchPageView | null = null): Promise<SearchView> {
  return call<SearchView>(COMMANDS.search, { query, page });
}

/** The next failed message nobody has made good yet after `after` (going round); null if none. */
export function nextFailed(after: number | null): Promise<MessageRef | null> {
  return call<MessageRef | null>(COMMANDS.nextFailed, { after });
}

/** Provider calls matching the filter, newest first, a page at a time. */
export function sendLog(request: LogFilterRequest): Promise<LogEntryView[]> {
  return call<LogEntryView[]>(COMMANDS.sendLog, { request });
}

/** Writes the calls matching the filter as CSV into the data folder; resolves to where. */
export function exportSendLog(request: LogFilterRequest): Promise<ExportView> {
  return call<ExportView>(COMMANDS.exportSendLog, { request });
}

/** Checks every row of a CSV file's text before importing; writes nothing. Without a mapping,
 * one is guessed from the header names. */
export function previewImport(text: string, mapping: MappingView | null): Promise<ImportPreviewView> {
  return call<ImportPreviewView>(COMMANDS.previewImport, { text, mapping });
}

/** Writes the accepted rows (by line); invalid and duplicate rows never are. */
export function importContacts(text: string, mapping: MappingView, acceptedLines: number[]): Promise<ImportResultView> {
  return call<ImportResultView>(COMMANDS.importContacts, { text, mapping, acceptedLines });
}

/** The sending rules and every sender number with its label. */
export function getPreferences(): Promise<PreferencesView> {
  return call<PreferencesView>(COMMANDS.getPreferences);
}

/** Saves the sending rules and sender labels; the inbox restarts so they apply. */
export function savePreferences(request: PreferencesView): Promise<PreferencesView> {
  return call<PreferencesView>(COMMANDS.savePreferences, { request });
}

/** Messages come oldest first. */
export function getThread(conversationId: number): Promise<ThreadView> {
  return call<ThreadView>(COMMANDS.getThread, { conversationId });
}

export async function markRead(conversationId: number): Promise<void> {
  await call<unknown>(COMMANDS.markRead, { conversationId });
}

/**
 * Either `conversation_id` is set (reply in an existing conversation), or
 * `to` (and optionally `from`, a sender number) starts a new one.
 */
export function sendMessage(request: SendRequest): Promise<MessageView> {
  return call<MessageView>(COMMANDS.sendMessage, { request });
}

/** The checks before sending, for a draft: findings, the number as understood, the text's cost. */
export function checkMessage(request: SendRequest): Promise<CheckView> {
  return call<CheckView>(COMMANDS.checkMessage, { request });
}

/** Resends a failed message with a corrected number or text, or unchanged where its error
 * allows a retry; the new message is linked to the failed one. */
export function resendMessage(request: ResendRequest): Promise<MessageView> {
  return call<MessageView>(COMMANDS.resendMessage, { request });
}

/** Everything known about one message: status changes, every call to the provider, price. */
export function messageDetails(messageId: number): Promise<MessageDetailsView> {
  return call<MessageDetailsView>(COMMANDS.messageDetails, { messageId });
}

/** Remembers that a number is a landline, so later sends to it ask first. */
export async function markLandline(number: string): Promise<void> {
  await call<unknown>(COMMANDS.markLandline, { number });
}

export function listSenders(): Promise<SenderView[]> {
  return call<SenderView[]>(COMMANDS.listSenders);
}

export function getSettings(): Promise<SettingsView> {
  return call<SettingsView>(COMMANDS.getSettings);
}

export function saveCredentials(input: CredentialsInput): Promise<SettingsView> {
  return call<SettingsView>(COMMANDS.saveCredentials, { input });
}

/** Tries credentials without saving them; a blank secret means the one already saved. */
export function testConnection(input: CredentialsInput): Promise<ConnectionReport> {
  return call<ConnectionReport>(COMMANDS.testConnection, { input });
}

export function clearCredentials(): Promise<SettingsView> {
  return call<SettingsView>(COMMANDS.clearCredentials);
}

/** Subscribe to `conversations-changed`. Resolves to the unsubscribe function. */
export async function onConversationsChanged(
  handler: (event: ChangedEvent) => void,
): Promise<UnlistenFn> {
  try {
    return await listen<ChangedEvent>(EVENTS.conversationsChanged, (event) => {
      handler(event.payload);
    });
  } catch (error) {
    throw IpcFailure.from(error);
  }
}

/** Subscribe to `connection-changed`. Resolves to the unsubscribe function. */
export async function onConnectionChanged(
  handler: (event: ConnectionView) => void,
): Promise<UnlistenFn> {
  try {
    return await listen<ConnectionView>(EVENTS.connectionChanged, (event) => {
      handler(event.payload);
    });
  } catch (error) {
    throw IpcFailure.from(error);
  }
}

/** Subscribe to `history-progress` (one event per page of history stored). */
export async function onHistoryProgress(
  handler: (event: HistoryView) => void,
): Promise<UnlistenFn> {
  try {
    return await listen<HistoryView>(EVENTS.historyProgress, (event) => {
      handler(event.payload);
    });
  } catch (error) {
    throw IpcFailure.from(error);
  }
}

/** Subscribe to `open-conversation` (a click on a desktop notification). Resolves to the
 * unsubscribe function. */
export async function onOpenConversation(
  handler: (event: OpenConversationEvent) => void,
): Promise<UnlistenFn> {
  try {
    return await listen<OpenConversationEvent>(EVENTS.openConversation, (event) => {
      handler(event.payload);
    });
  } catch (error) {
    throw IpcFailure.from(error);
  }
}

/** Sets the window's title (the unread count shows there). The page title follows too, which is
 * what a browser-based test can read. */
export async function setWindowTitle(title: string): Promise<void> {
  document.title = title;
  try {
    await getCurrentWindow().setTitle(title);
  } catch (error) {
    throw IpcFailure.from(error);
  }
}

/** Failure figures for the last days: per day, by code, category, country, template, sender
 * and agent, and alerts. */
export function insights(request: InsightsRequest): Promise<InsightsView> {
  return call<InsightsView>(COMMANDS.insights, { request });
}

/** The messages behind one bar or row of Insights, newest first. */
export function insightMessages(request: SliceRequest): Promise<SliceView> {
  return call<SliceView>(COMMANDS.insightMessages, { request });
}

/** Every unresolved failure, grouped by cause. */
export function triage(): Promise<TriageGroupView[]> {
  return call<TriageGroupView[]>(COMMANDS.triage);
}

/** Resends failures, each with its fixed number or unchanged; says what became of each. */
export function resendFailures(request: BulkFixRequest[]): Promise<BulkResultView[]> {
  return call<BulkResultView[]>(COMMANDS.resendFailures, { request });
}

/** Sets failures aside with a reason; resolves to how many were. */
export function dismissFailures(request: DismissRequest): Promise<number> {
  return call<number>(COMMANDS.dismissFailures, { request });
}

/** Remembers the numbers as landlines. */
export function markLandlines(numbers: string[]): Promise<void> {
  return call<void>(COMMANDS.markLandlines, { numbers });
}

/** Writes a group's recipients (or the chosen ones) as CSV into the data folder. */
export function exportRecipients(code: string, messageIds: number[] | null): Promise<ExportView> {
  return call<ExportView>(COMMANDS.exportRecipients, { code, messageIds });
}

/** Opens the data or the log folder in the file manager. */
export function openFolder(which: "data" | "logs"): Promise<void> {
  return call<void>(COMMANDS.openFolder, { which });
}
