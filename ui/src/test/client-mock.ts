/**
 * Drop-in replacement for `lib/ipc/client.ts` in component tests:
 *   vi.mock("<path>/lib/ipc/client", () => import("<path>/test/client-mock"));
 * Every command is a bare `vi.fn`; tests give them behaviour.
 */
import { vi } from "vitest";
import type * as real from "../lib/ipc/client";

export { IpcFailure, INTERNAL_CODE } from "../lib/ipc/failure";

export const appInfo = vi.fn<typeof real.appInfo>();
export const listConversations = vi.fn<typeof real.listConversations>();
export const getThread = vi.fn<typeof real.getThread>();
export const markRead = vi.fn<typeof real.markRead>();
export const sendMessage = vi.fn<typeof real.sendMessage>();
export const listSenders = vi.fn<typeof real.listSenders>();
export const getSettings = vi.fn<typeof real.getSettings>();
export const saveCredentials = vi.fn<typeof real.saveCredentials>();
export const clearCredentials = vi.fn<typeof real.clearCredentials>();
export const testConnection = vi.fn<typeof real.testConnection>();
export const setWindowTitle = vi.fn<typeof real.setWindowTitle>();
export const onConversationsChanged = vi.fn<typeof real.onConversationsChanged>();
export const connectionStatus = vi.fn<typeof real.connectionStatus>();
export const onConnectionChanged = vi.fn<typeof real.onConnectionChanged>();
export const historyStatus = vi.fn<typeof real.historyStatus>();
export const onHistoryProgress = vi.fn<typeof real.onHistoryProgress>();
export const onOpenConversation = vi.fn<typeof real.onOpenConversation>();
export const checkMessage = vi.fn<typeof real.checkMessage>();
export const markLandline = vi.fn<typeof real.markLandline>();
export const resendMessage = vi.fn<typeof real.resendMessage>();
export const messageDetails = vi.fn<typeof real.messageDetails>();
export const viewCounts = vi.fn<typeof real.viewCounts>();
export const listTeam = vi.fn<typeof real.listTeam>();
export const saveMember = vi.fn<typeof real.saveMember>();
export const removeMember = vi.fn<typeof real.removeMember>();
export const getMe = vi.fn<typeof real.getMe>();
export const setMe = vi.fn<typeof real.setMe>();
export const assignConversation = vi.fn<typeof real.assignConversation>();
export const claimConversation = vi.fn<typeof real.claimConversation>();
export const setConversationState = vi.fn<typeof real.setConversationState>();
export const addNote = vi.fn<typeof real.addNote>();
export const listTemplates = vi.fn<typeof real.listTemplates>();
export const saveTemplate = vi.fn<typeof real.saveTemplate>();
export const approveTemplate = vi.fn<typeof real.approveTemplate>();
export const deleteTemplate = vi.fn<typeof real.deleteTemplate>();
export const previewTemplate = vi.fn<typeof real.previewTemplate>();
export const listContacts = vi.fn<typeof real.listContacts>();
export const getContact = vi.fn<typeof real.getContact>();
export const contactOfConversation = vi.fn<typeof real.contactOfConversation>();
export const saveContact = vi.fn<typeof real.saveContact>();
export const search = vi.fn<typeof real.search>();
export const nextFailed = vi.fn<typeof real.nextFailed>();
export const sendLog = vi.fn<typeof real.sendLog>();
export const exportSendLog = vi.fn<typeof real.exportSendLog>();
export const previewImport = vi.fn<typeof real.previewImport>();
export const importContacts = vi.fn<typeof real.importContacts>();
export const getPreferences = vi.fn<typeof real.getPreferences>();
export const savePreferences = vi.fn<typeof real.savePreferences>();
export const insights = vi.fn<typeof real.insights>();
export const insightMessages = vi.fn<typeof real.insightMessages>();
export const triage = vi.fn<typeof real.triage>();
export const resendFailures = vi.fn<typeof real.resendFailures>();
export const dismissFailures = vi.fn<typeof real.dismissFailures>();
export const markLandlines = vi.fn<typeof real.markLandlines>();
export const exportRecipients = vi.fn<typeof real.exportRecipients>();
export const openFolder = vi.fn<typeof real.openFolder>();
