import type {
  AppInfo,
  CheckView,
  ConversationPage,
  ConversationView,
  FailureView,
  MemberView,
  MessageView,
  NoteView,
  SendRequest,
  SettingsView,
  TextView,
  ThreadView,
  ViewCountsView,
} from "../lib/ipc/types";

export function conversation(overrides: Partial<ConversationView> = {}): ConversationView {
  return {
    id: 1,
    contact_number: "+15550000001",
    contact_name: null,
    sender_number: "+15559990000",
    sender_label: "Front desk",
    state: "open",
    unread: 0,
    last_activity_at: "2024-05-01T10:00:00Z",
    last_message: { body: "Hello there", direction: "inbound", status: "received", outside: false },
    assignee_id: null,
    failed: false,
    opted_out: false,
    ...overrides,
  };
}

/** A page holding these conversations, all of the view. */
export function page(items: ConversationView[]): ConversationPage {
  return { total: items.length, items };
}

/** View counts: everything zero unless given. */
export function counts(overrides: Partial<ViewCountsView> = {}): ViewCountsView {
  return { open: 0, mine: 0, unassigned: 0, failed: 0, opted_out: 0, closed: 0, unread: 0, ...overrides };
}

/** A team member; by default Dana, an admin. */
export function member(overrides: Partial<MemberView> = {}): MemberView {
  return {
    id: 1,
    uid: "member-1",
    name: "Dana Whitfield",
    initials: "DW",
    color: "#2459d6",
    role: "admin",
    removed: false,
    ...overrides,
  };
}

/** An internal note. */
export function note(overrides: Partial<NoteView> = {}): NoteView {
  return {
    id: 1,
    uid: "note-1",
    conversation_id: 1,
    author_id: 1,
    body: "Called her back",
    created_at: "2024-05-01T10:05:00Z",
    ...overrides,
  };
}

export function message(overrides: Partial<MessageView> = {}): MessageView {
  return {
    id: 1,
    conversation_id: 1,
    sid: "SM00000000000000000000000000000001",
    direction: "inbound",
    to: "+15559990000",
    body: "Hello there",
    status: "received",
    provider_status: null,
    failure: null,
    segments: 1,
    encoding: "GSM-7",
    author_id: null,
    author: null,
    outside: false,
    created_at: "2024-05-01T10:00:00Z",
    sent_at: null,
    delivered_at: null,
    resend_of: null,
    dismissal: null,
    failure_state: null,
    ...overrides,
  };
}

/** A failure as the core explains it; by default 21211, fixed by editing the number. */
export function failure(overrides: Partial<FailureView> = {}): FailureView {
  return {
    code: "21211",
    title: "Invalid number",
    reason: "The recipient's number is not a valid phone number.",
    hint: "Correct the number, with its country code, and resend.",
    owner: "You",
    retry: "never",
    retry_after: null,
    actions: [{ key: "edit_number", label: "Edit number and resend" }],
    link: "https://www.twilio.com/docs/api/errors/21211",
    provider_message: null,
    ...overrides,
  };
}

export function thread(
  conv: Partial<ConversationView> = {},
  messages: MessageView[] = [message()],
): ThreadView {
  return { conversation: conversation(conv), messages, notes: [] };
}

export function appInfo(overrides: Partial<AppInfo> = {}): AppInfo {
  return {
    demo: true,
    version: "0.1.0",
    data_dir: "/home/test/.local/share/switchboard",
    log_dir: "/home/test/.local/state/switchboard/logs",
    provider_base_url: "http://127.0.0.1:4010",
    problem: null,
    ...overrides,
  };
}

export function settings(overrides: Partial<SettingsView> = {}): SettingsView {
  return {
    account_sid: null,
    auth_kind: "auth_token",
    api_key_sid: null,
    has_secret: false,
    base_url: "https://api.twilio.com",
    keyring: { available: true, backend: "Secret Service", problem: null },
    ...overrides,
  };
}

/** A check result: by default a plain GSM-7 draft with nothing to say. */
export function checkView(overrides: Partial<CheckView> = {}, text: Partial<TextView> = {}): CheckView {
  return {
    findings: [],
    number: null,
    recipient_time: null,
    text: {
      encoding: "GSM-7",
      segments: 1,
      chars: 5,
      units: 5,
      last_segment_units: 5,
      segment_capacity: 160,
      forcing: [],
      gsm_safe: null,
      ...text,
    },
    can_send: true,
    needs_confirmation: false,
    ...overrides,
  };
}

/** A stand-in for the core's checks in component tests: an empty body blocks, the rest passes
 * with a character count. Tests that need findings give their own answers. */
export async function plainCheck(request: SendRequest): Promise<CheckView> {
  const empty = request.body.trim().length === 0;
  const chars = Array.from(request.body).length;
  return checkView(
    {
      can_send: !empty,
      findings: empty
        ? [{ severity: "block", code: "body_empty", message: "The message is empty.", fix: "Write something." }]
        : [],
    },
    { chars, units: chars, last_segment_units: chars, segments: chars === 0 ? 0 : 1 },
  );
}
