import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import { IpcFailure } from "../../lib/ipc/failure";
import { appInfo, settings } from "../../test/fixtures";
import Settings from "./Settings.svelte";

const getSettings = vi.mocked(client.getSettings);
const saveCredentials = vi.mocked(client.saveCredentials);
const clearCredentials = vi.mocked(client.clearCredentials);
const testConnection = vi.mocked(client.testConnection);

beforeEach(() => {
  // The rules card beside the account form loads its own values.
  vi.mocked(client.getPreferences).mockResolvedValue({
    default_region: "US",
    allowed_countries: [],
    quiet_from: "21:00",
    quiet_to: "08:00",
    duplicate_minutes: 10,
    senders: [],
    opt_out_keywords: ["STOP"],
    opt_in_keywords: ["START"],
    demo: true,
    notification_text: true,
  });
});

function renderSettings(onChanged = vi.fn()) {
  return render(Settings, { info: appInfo(), onChanged, onClose: vi.fn() });
}

describe("Settings", () => {
  it("tests the connection without saving and shows the account's SMS numbers", async () => {
    getSettings.mockResolvedValue(settings());
    testConnection.mockResolvedValue({
      base_url: "https://api.twilio.com",
      sms_numbers: ["+14155550100", "+14155550101"],
    });
    renderSettings();
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Account SID"), "AC1");
    await user.type(screen.getByLabelText("Auth token"), "tok");
    await user.click(screen.getByRole("button", { name: "Test connection" }));
    expect(testConnection).toHaveBeenCalledWith(
      expect.objectContaining({ account_sid: "AC1", secret: "tok" }),
    );
    expect(saveCredentials).not.toHaveBeenCalled();
    expect(await screen.findByTestId("connection-test")).toHaveTextContent(
      "2 SMS numbers (+14155550100, +14155550101)",
    );
  });

  it("shows a failed connection test's code, message and fix", async () => {
    getSettings.mockResolvedValue(
      settings({ account_sid: "AC1", has_secret: true }),
    );
    testConnection.mockRejectedValue({
      code: "provider_authentication",
      message: "the provider did not accept the credentials: Authenticate (error 20003)",
      hint: "Check the Account SID and the Auth Token (or API key) in Settings.",
    });
    renderSettings();
    const user = userEvent.setup();
    // A saved secret may stay blank: the saved one is tested.
    await user.click(await screen.findByRole("button", { name: "Test connection" }));
    const box = await screen.findByTestId("connection-test");
    await waitFor(() =>
      expect(box.querySelector("[data-error-code]")).toHaveAttribute(
        "data-error-code",
        "provider_authentication",
      ),
    );
    expect(box).toHaveTextContent("20003");
    expect(box).toHaveTextContent("Check the Account SID");
  });

  it("saves the form values with save_credentials (API key)", async () => {
    getSettings.mockResolvedValue(settings());
    const saved = settings({
      account_sid: "AC0123456789abcdef0123456789abcdef",
      auth_kind: "api_key",
      api_key_sid: "SK0123456789abcdef0123456789abcdef",
      has_secret: true,
    });
    saveCredentials.mockResolvedValue(saved);
    const onChanged = vi.fn();
    renderSettings(onChanged);

    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Account SID"), "AC0123456789abcdef0123456789abcdef");
    await user.click(screen.getByLabelText("API key"));
    await user.type(screen.getByLabelText("API key SID"), "SK0123456789abcdef0123456789abcdef");
    await user.type(screen.getByLabelText("API key secret"), "s3cret");
    await user.type(screen.getByLabelText(/API base URL/), "http://127.0.0.1:4010");
    await user.click(screen.getByRole("button", { name: "Save" }));

    expect(saveCredentials).toHaveBeenCalledWith({
      account_sid: "AC0123456789abcdef0123456789abcdef",
      auth_kind: "api_key",
      api_key_sid: "SK0123456789abcdef0123456789abcdef",
      secret: "s3cret",
      base_url: "http://127.0.0.1:4010",
    });
    await waitFor(() => expect(onChanged).toHaveBeenCalledWith(saved));
    expect(screen.getByTestId("settings-result")).toHaveTextContent("Saved");
    // The secret is not kept in the form after saving.
    expect(screen.getByLabelText("API key secret")).toHaveValue("");
  });

  it("sends auth token credentials with null key SID and null base URL when empty", async () => {
    getSettings.mockResolvedValue(settings());
    saveCredentials.mockResolvedValue(settings({ account_sid: "AC1", has_secret: true }));
    renderSettings();
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Account SID"), "AC1");
    await user.type(screen.getByLabelText("Auth token"), "tok");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(saveCredentials).toHaveBeenCalledWith({
      account_sid: "AC1",
      auth_kind: "auth_token",
      api_key_sid: null,
      secret: "tok",
      base_url: null,
    });
  });

  it("shows the keyring problem when the keyring is unavailable", async () => {
    getSettings.mockResolvedValue(
      settings({
        keyring: {
          available: false,
          backend: "Secret Service",
          problem: "No Secret Service provider is running on D-Bus",
        },
      }),
    );
    renderSettings();
    const warning = await screen.findByTestId("keyring-warning");
    expect(warning).toHaveTextContent("Credentials can't be stored");
    expect(warning).toHaveTextContent("No Secret Service provider is running on D-Bus");
  });

  it("does not warn when the keyring is available", async () => {
    getSettings.mockResolvedValue(settings());
    renderSettings();
    expect(await screen.findByTestId("keyring-status")).toHaveTextContent("Secret Service");
    expect(screen.queryByTestId("keyring-warning")).toBeNull();
  });

  it("shows a save error with its hint", async () => {
    getSettings.mockResolvedValue(settings());
    saveCredentials.mockRejectedValue(
      new IpcFailure("invalid_account_sid", "That Account SID is not valid.", "It starts with AC and has 34 characters."),
    );
    renderSettings();
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Account SID"), "bogus");
    await user.type(screen.getByLabelText("Auth token"), "tok");
    await user.click(screen.getByRole("button", { name: "Save" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("That Account SID is not valid.");
    expect(alert).toHaveTextContent("It starts with AC and has 34 characters.");
    expect(alert).toHaveAttribute("data-error-code", "invalid_account_sid");
  });

  it("asks for missing fields instead of calling the backend", async () => {
    getSettings.mockResolvedValue(settings());
    renderSettings();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Save" }));
    expect(saveCredentials).not.toHaveBeenCalled();
    expect(screen.getByRole("alert")).toHaveTextContent("Account SID");
  });

  it("prefills saved settings and removes credentials", async () => {
    getSettings.mockResolvedValue(
      settings({ account_sid: "AC42", has_secret: true, base_url: "http://127.0.0.1:4010" }),
    );
    clearCredentials.mockResolvedValue(settings());
    const onChanged = vi.fn();
    renderSettings(onChanged);
    expect(await screen.findByLabelText("Account SID")).toHaveValue("AC42");
    expect(screen.getByLabelText(/API base URL/)).toHaveValue("http://127.0.0.1:4010");
    expect(screen.getByTestId("connection-state")).toHaveTextContent("AC42");

    await userEvent.click(screen.getByRole("button", { name: "Remove credentials" }));
    expect(clearCredentials).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(screen.getByLabelText("Account SID")).toHaveValue("");
  });

  it("shows the data and log folders", async () => {
    getSettings.mockResolvedValue(settings());
    renderSettings();
    expect(screen.getByTestId("data-dir")).toHaveTextContent("/home/test/.local/share/switchboard");
    expect(screen.getByTestId("log-dir")).toHaveTextContent("/home/test/.local/state/switchboard/logs");
  });

  it("opens the data and log folders, and says where they are when it cannot", async () => {
    vi.mocked(client.getSettings).mockResolvedValue(settings());
    const open = vi.mocked(client.openFolder);
    open.mockResolvedValueOnce(undefined);
    open.mockRejectedValueOnce(new IpcFailure("cannot_open", "The folder could not be opened: no file manager", "Open it in your file manager yourself: /logs"));
    renderSettings();
    const user = userEvent.setup();
    await user.click(screen.getByTestId("open-data-dir"));
    expect(open).toHaveBeenCalledWith("data");
    await user.click(screen.getByTestId("open-log-dir"));
    expect(open).toHaveBeenLastCalledWith("logs");
    expect(await screen.findByText("Open it in your file manager yourself: /logs")).toBeInTheDocument();
  });
});
