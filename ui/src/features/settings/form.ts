import type {
  AuthKind,
  ConnectionReport,
  CredentialsInput,
  SettingsView,
} from "../../lib/ipc/types";

export const TWILIO_BASE_URL = "https://api.twilio.com";

export type CredentialsForm = {
  accountSid: string;
  authKind: AuthKind;
  apiKeySid: string;
  secret: string;
  baseUrl: string;
};

export function emptyForm(): CredentialsForm {
  return { accountSid: "", authKind: "auth_token", apiKeySid: "", secret: "", baseUrl: "" };
}

function isTwilioDefault(url: string): boolean {
  return url.trim().replace(/\/+$/, "") === TWILIO_BASE_URL;
}

/** Prefill the form from saved settings. The secret is never sent back to the UI. */
export function formFromSettings(settings: SettingsView): CredentialsForm {
  return {
    accountSid: settings.account_sid ?? "",
    authKind: settings.auth_kind,
    apiKeySid: settings.api_key_sid ?? "",
    secret: "",
    baseUrl: settings.base_url && !isTwilioDefault(settings.base_url) ? settings.base_url : "",
  };
}

/** Missing required fields, as messages; empty when the form can be submitted. A connection
 * test may leave the secret blank when one is saved: the saved one is used. */
export function missingFields(form: CredentialsForm, secretSaved = false): string[] {
  const missing: string[] = [];
  if (!form.accountSid.trim()) missing.push("Account SID");
  if (form.authKind === "api_key" && !form.apiKeySid.trim()) missing.push("API key SID");
  if (!form.secret.trim() && !secretSaved)
    missing.push(form.authKind === "api_key" ? "API key secret" : "Auth token");
  return missing;
}

/** One sentence on what a successful connection test found. */
export function describeConnection(report: ConnectionReport): string {
  const n = report.sms_numbers.length;
  if (n === 0) {
    return `Connected to ${report.base_url}, but the account has no SMS-capable number yet: add one in the Twilio Console.`;
  }
  const numbers = n === 1 ? "1 SMS number" : `${n} SMS numbers`;
  return `Connected to ${report.base_url}: ${numbers} (${report.sms_numbers.join(", ")}).`;
}

export function toCredentialsInput(form: CredentialsForm): CredentialsInput {
  const baseUrl = form.baseUrl.trim();
  return {
    account_sid: form.accountSid.trim(),
    auth_kind: form.authKind,
    api_key_sid: form.authKind === "api_key" ? form.apiKeySid.trim() : null,
    // Pasted tokens often carry a trailing newline; Twilio secrets never contain spaces.
    secret: form.secret.trim(),
    base_url: baseUrl === "" ? null : baseUrl,
  };
}
