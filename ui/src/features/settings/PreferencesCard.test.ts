import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import type { PreferencesView } from "../../lib/ipc/types";
import PreferencesCard from "./PreferencesCard.svelte";

const m = vi.mocked(client);

const prefs: PreferencesView = {
  default_region: "US",
  allowed_countries: [],
  quiet_from: "21:00",
  quiet_to: "08:00",
  duplicate_minutes: 10,
  senders: [{ number: "+14155550100", label: "Main office" }],
  opt_out_keywords: ["BASTA"],
  opt_in_keywords: [],
  demo: true,
  notification_text: true,
};

beforeEach(() => {
  vi.resetAllMocks();
  m.getPreferences.mockResolvedValue(prefs);
  m.savePreferences.mockImplementation(async (p) => p);
});

describe("PreferencesCard", () => {
  it("edits the rules and labels and saves them", async () => {
    const onSaved = vi.fn();
    render(PreferencesCard, { onSaved });
    const user = userEvent.setup();
    const allowed = await screen.findByTestId("pref-allowed");
    await user.type(allowed, "us, ca");
    await user.click(screen.getByTestId("pref-quiet"));
    await user.clear(screen.getByTestId("pref-duplicate"));
    await user.type(screen.getByTestId("pref-duplicate"), "5");
    const label = screen.getByTestId("pref-sender-label");
    await user.clear(label);
    await user.type(label, "Harbor");
    await user.type(screen.getByTestId("pref-opt-out"), ", arrêt,");
    await user.click(screen.getByTestId("pref-demo"));
    await user.click(screen.getByTestId("pref-notification-text"));
    await user.click(screen.getByTestId("pref-save"));
    expect(m.savePreferences).toHaveBeenCalledWith({
      default_region: "US",
      allowed_countries: ["us", "ca"],
      quiet_from: null,
      quiet_to: null,
      duplicate_minutes: 5,
      senders: [{ number: "+14155550100", label: "Harbor" }],
      opt_out_keywords: ["BASTA", "arrêt"],
      opt_in_keywords: [],
      demo: false,
      notification_text: false,
    });
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
  });

  it("shows the field the core refused", async () => {
    m.savePreferences.mockRejectedValue(new client.IpcFailure("invalid_field", "“XX” is not a country code.", "Use the two-letter ISO code."));
    render(PreferencesCard, { onSaved: vi.fn() });
    const user = userEvent.setup();
    await user.type(await screen.findByTestId("pref-allowed"), "XX");
    await user.click(screen.getByTestId("pref-save"));
    expect(await screen.findByText("“XX” is not a country code.")).toBeInTheDocument();
  });
});
