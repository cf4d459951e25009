import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import * as client from "./client";
import { IpcFailure } from "./client";

const invokeMock = vi.mocked(invoke);
const listenMock = vi.mocked(listen);

describe("ipc client", () => {
  beforeEach(() => {
    invokeMock.mockResolvedValue(undefined);
  });

  it("uses the exact command names and camelCase argument keys", async () => {
    await client.appInfo();
    const list = { view: "mine" as const, sender: null, offset: 0, limit: 50 };
    await client.listConversations(list);
    await client.getThread(7);
    await client.markRead(7);
    const request = { conversation_id: 7, to: null, from: null, body: "hi", confirmed: false };
    await client.sendMessage(request);
    await client.listSenders();
    await client.getSettings();
    const input = {
      account_sid: "AC1",
      auth_kind: "auth_token" as const,
      api_key_sid: null,
      secret: "s",
      base_url: null,
    };
    await client.saveCredentials(input);
    await client.clearCredentials();
    await client.testConnection(input);
    await client.viewCounts("+15550001");
    await client.listTeam();
    const member = { uid: null, name: "Dana", initials: "", color: "", role: "agent" as const };
    await client.saveMember(member);
    await client.removeMember("u1");
    await client.getMe();
    await client.setMe("u1");
    await client.assignConversation(7, 3);
    await client.claimConversation(7);
    await client.setConversationState(7, false);
    await client.addNote(7, "called");
    await client.listTemplates(true, "order");
    const template = { id: null, name: "T", body: "B", media: [] };
    await client.saveTemplate(template);
    await client.approveTemplate(4);
    await client.deleteTemplate(4);
    await client.previewTemplate(4, 7);
    await client.listContacts("maya");
    await client.getContact(3);
    await client.contactOfConversation(7);
    const contact = { id: 3, name: "Maya", number: "+1312", fields: [{ name: "pet", value: "Rex" }] };
    await client.saveContact(contact);
    await client.search('"hi" OR');
    await client.nextFailed(12);
    const log = { code: null, outcome: null, sender: null, since: null, until: null, failed_only: true, offset: 0, limit: 50 };
    await client.sendLog(log);
    await client.exportSendLog(log);
    const mapping = { number: 1, name: 0, fields: [] };
    await client.previewImport("a,b", null);
    await client.importContacts("a,b", mapping, [2]);
    await client.getPreferences();
    const prefs = {
      default_region: "US",
      allowed_countries: [],
      quiet_from: null,
      quiet_to: null,
      duplicate_minutes: 10,
      senders: [],
      opt_out_keywords: ["STOP"],
      opt_in_keywords: ["START"],
      demo: false,
      notification_text: true,
    };
    await client.savePreferences(prefs);
    const window = { days: 30, utc_offset_minutes: 60 };
    await client.insights(window);
    const slice = { window, dimension: "country", key: "MX", failed_only: true };
    await client.insightMessages(slice);
    await client.triage();
    await client.resendFailures([{ message_id: 4, to: "+1312", confirmed: false }]);
    await client.dismissFailures({ message_ids: [4], reason: "called" });
    await client.markLandlines(["+1312"]);
    await client.exportRecipients("30005", [4]);
    await client.openFolder("logs");

    expect(invokeMock.mock.calls).toEqual([
      ["app_info", undefined],
      ["list_conversations", { request: list }],
      ["get_thread", { conversationId: 7 }],
      ["mark_read", { conversationId: 7 }],
      ["send_message", { request }],
      ["list_senders", undefined],
      ["get_settings", undefined],
      ["save_credentials", { input }],
      ["clear_credentials", undefined],
      ["test_connection", { input }],
      ["view_counts", { sender: "+15550001" }],
      ["list_team", undefined],
      ["save_member", { request: member }],
      ["remove_member", { uid: "u1" }],
      ["get_me", undefined],
      ["set_me", { uid: "u1" }],
      ["assign_conversation", { conversationId: 7, memberId: 3 }],
      ["claim_conversation", { conversationId: 7 }],
      ["set_conversation_state", { conversationId: 7, open: false }],
      ["add_note", { conversationId: 7, body: "called" }],
      ["list_templates", { approvedOnly: true, search: "order" }],
      ["save_template", { request: template }],
      ["approve_template", { templateId: 4 }],
      ["delete_template", { templateId: 4 }],
      ["preview_template", { templateId: 4, conversationId: 7 }],
      ["list_contacts", { search: "maya" }],
      ["get_contact", { contactId: 3 }],
      ["contact_of_conversation", { conversationId: 7 }],
      ["save_contact", { request: contact }],
      ["search", { query: '"hi" OR', page: null }],
      ["next_failed", { after: 12 }],
      ["send_log", { request: log }],
      ["export_send_log", { request: log }],
      ["preview_import", { text: "a,b", mapping: null }],
      ["import_contacts", { text: "a,b", mapping, acceptedLines: [2] }],
      ["get_preferences", undefined],
      ["save_preferences", { request: prefs }],
      ["insights", { request: window }],
      ["insight_messages", { request: slice }],
      ["triage", undefined],
      ["resend_failures", { request: [{ message_id: 4, to: "+1312", confirmed: false }] }],
      ["dismiss_failures", { request: { message_ids: [4], reason: "called" } }],
      ["mark_landlines", { numbers: ["+1312"] }],
      ["export_recipients", { code: "30005", messageIds: [4] }],
      ["open_folder", { which: "logs" }],
    ]);
  });

  it("returns the resolved payload", async () => {
    invokeMock.mockResolvedValueOnce([{ number: "+1555", label: null }]);
    await expect(client.listSenders()).resolves.toEqual([{ number: "+1555", label: null }]);
  });

  it("turns an IpcError rejection into an IpcFailure", async () => {
    invokeMock.mockRejectedValueOnce({
      code: "keyring_unavailable",
      message: "The system keyring is not available.",
      hint: "Install and unlock a Secret Service provider.",
    });
    const error = await client.getSettings().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcFailure);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      code: "keyring_unavailable",
      message: "The system keyring is not available.",
      hint: "Install and unlock a Secret Service provider.",
    });
  });

  it("uses code internal for payloads that are not an IpcError", async () => {
    invokeMock.mockRejectedValueOnce("command get_thread not found");
    const error = await client.getThread(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcFailure);
    expect(error).toMatchObject({ code: "internal", message: "command get_thread not found" });

    invokeMock.mockRejectedValueOnce({ unexpected: true });
    await expect(client.appInfo()).rejects.toMatchObject({ code: "internal" });

    invokeMock.mockRejectedValueOnce(new TypeError("window.__TAURI_INTERNALS__ is undefined"));
    await expect(client.appInfo()).rejects.toMatchObject({ code: "internal" });
  });

  it("subscribes to conversations-changed and passes the payload on", async () => {
    const unlisten = vi.fn();
    listenMock.mockResolvedValueOnce(unlisten);
    const handler = vi.fn();
    const result = await client.onConversationsChanged(handler);
    expect(result).toBe(unlisten);
    expect(listenMock).toHaveBeenCalledWith("conversations-changed", expect.any(Function));

    const callback = listenMock.mock.calls[0][1];
    callback({ event: "conversations-changed", id: 1, payload: { conversation_ids: [3] } });
    expect(handler).toHaveBeenCalledWith({ conversation_ids: [3] });
  });
});
