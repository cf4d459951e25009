import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import SearchDialog from "./SearchDialog.svelte";

const m = vi.mocked(client);
const now = new Date("2026-11-27T12:00:00Z");

beforeEach(() => {
  vi.resetAllMocks();
  m.search.mockResolvedValue({
    contacts: [{ id: 3, name: "Maya Chen", number: "+13125550101", conversation_id: 7 }],
    messages: [
      {
        id: 41,
        conversation_id: 9,
        contact_name: null,
        contact_number: "+13125550102",
        snippet: [
          { text: "Your ", hit: false },
          { text: "table", hit: true },
          { text: " is <b>ready</b>", hit: false },
        ],
        created_at: "2026-11-27T11:00:00Z",
      },
    ],
  });
});

describe("SearchDialog", () => {
  it("searches as you type, marks the hits as text, and opens a message with the keyboard", async () => {
    const onOpenMessage = vi.fn();
    render(SearchDialog, { now, onOpenMessage, onOpenContact: vi.fn(), onClose: vi.fn() });
    const user = userEvent.setup();
    await user.type(screen.getByTestId("search-input"), '"tab');
    expect(m.search).toHaveBeenLastCalledWith('"tab');
    const message = await screen.findByTestId("search-message");
    expect(message.querySelector("mark")).toHaveTextContent("table");
    // Markup in a message is shown as text, never run.
    expect(message).toHaveTextContent("Your table is <b>ready</b>");
    expect(message.querySelector("b")).toBeNull();
    await user.keyboard("{ArrowDown}{Enter}");
    expect(onOpenMessage).toHaveBeenCalledWith(9, 41);
  });

  it("opens a contact's conversation and closes with Escape", async () => {
    const onOpenContact = vi.fn();
    const onClose = vi.fn();
    render(SearchDialog, { now, onOpenMessage: vi.fn(), onOpenContact, onClose });
    const user = userEvent.setup();
    await user.type(screen.getByTestId("search-input"), "maya");
    await user.click(await screen.findByTestId("search-contact"));
    expect(onOpenContact).toHaveBeenCalledWith(3, 7);
    await user.keyboard("{Escape}");
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it("shows the core's refusal", async () => {
    m.search.mockRejectedValue(new client.IpcFailure("database", "the local database failed", "Restart."));
    render(SearchDialog, { now, onOpenMessage: vi.fn(), onOpenContact: vi.fn(), onClose: vi.fn() });
    await userEvent.setup().type(screen.getByTestId("search-input"), "x");
    expect(await screen.findByText("the local database failed")).toBeInTheDocument();
  });
});
