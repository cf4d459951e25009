import { describe, expect, it } from "vitest";
import { settings } from "../../test/fixtures";
import {
  describeConnection,
  emptyForm,
  formFromSettings,
  missingFields,
  toCredentialsInput,
} from "./form";

describe("settings form", () => {
  it("leaves the base URL empty for the Twilio default", () => {
    expect(formFromSettings(settings({ base_url: "https://api.twilio.com/" })).baseUrl).toBe("");
    expect(formFromSettings(settings({ base_url: "http://localhost:9" })).baseUrl).toBe(
      "http://localhost:9",
    );
  });

  it("lists missing fields for the chosen auth kind", () => {
    expect(missingFields(emptyForm())).toEqual(["Account SID", "Auth token"]);
    expect(missingFields({ ...emptyForm(), authKind: "api_key", accountSid: "AC1" })).toEqual([
      "API key SID",
      "API key secret",
    ]);
  });

  it("drops the API key SID for auth tokens and trims values", () => {
    expect(
      toCredentialsInput({
        accountSid: " AC1 ",
        authKind: "auth_token",
        apiKeySid: "SK1",
        secret: " tok\n",
        baseUrl: "  ",
      }),
    ).toEqual({
      account_sid: "AC1",
      auth_kind: "auth_token",
      api_key_sid: null,
      secret: "tok",
      base_url: null,
    });
  });
});

describe("connection test", () => {
  it("lets a saved secret stay blank", () => {
    const form = { ...emptyForm(), accountSid: "AC1" };
    expect(missingFields(form)).toEqual(["Auth token"]);
    expect(missingFields(form, true)).toEqual([]);
  });

  it("describes what it found, including an account without numbers", () => {
    expect(describeConnection({ base_url: "https://x", sms_numbers: ["+1"] })).toBe(
      "Connected to https://x: 1 SMS number (+1).",
    );
    expect(describeConnection({ base_url: "https://x", sms_numbers: [] })).toMatch(
      /no SMS-capable number/,
    );
  });
});
