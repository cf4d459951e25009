// Re-exports of the ts-rs generated bindings, so UI code has one import path.
// The files in ./bindings/ are generated from Rust; do not edit them by hand.
export type { AppInfo } from "./bindings/AppInfo";
export type { AuthKind } from "./bindings/AuthKind";
export type { ChangedEvent } from "./bindings/ChangedEvent";
export type { ConnectionReport } from "./bindings/ConnectionReport";
export type { ConnectionView } from "./bindings/ConnectionView";
export type { ConversationState } from "./bindings/ConversationState";
export type { ConversationView } from "./bindings/ConversationView";
export type { CredentialsInput } from "./bindings/CredentialsInput";
export type { Direction } from "./bindings/Direction";
export type { Encoding } from "./bindings/Encoding";
export type { FailureView } from "./bindings/FailureView";
export type { HistoryView } from "./bindings/HistoryView";
export type { IpcError } from "./bindings/IpcError";
export type { KeyringStatus } from "./bindings/KeyringStatus";
export type { MessagePreview } from "./bindings/MessagePreview";
export type { MessageStatus } from "./bindings/MessageStatus";
export type { MessageView } from "./bindings/MessageView";
export type { SendRequest } from "./bindings/SendRequest";
export type { SenderView } from "./bindings/SenderView";
export type { SettingsView } from "./bindings/SettingsView";
export type { ThreadView } from "./bindings/ThreadView";
