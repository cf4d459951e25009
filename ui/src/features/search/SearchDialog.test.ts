import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import type { SearchHitView } from "../../lib/ipc/types";
import SearchDialog from "./SearchDialog.svelte";

const m = vi.mocked(client);

function hit(id: number, before: string, word: string, after: string, kind: "message" | "note" = "message"): SearchHitView {
  return {
    kind,
    id,
    conversation_id: 9,
    direction: kind === "message" ? "outbound" : null,
    author: kind === "note" ? "Erin" : null,
    contact_name: null,
    contact_number: "+13125550102",
    snippet: [
      { text: before, hit: false },
      { text: word, hit: true },
      { text: after, hit: false },
    ],
    created_at: "2026-11-27T11:00:00Z",
  };
}

const props = () => ({ now, onOpenMessage: vi.fn(), onOpenContact: vi.fn(), onOpenConversation: vi.fn(), onClose: vi.fn() });
const now = new Date("2026-11-27T12:00:00Z");

beforeEach(() => {
  vi.resetAllMocks();
  m.search.mockResolvedValue({
    contacts: [{ id: 3, name: "Maya Chen", number: "+13125550101", conversation_id: 7, matched: "name", field: null, snippet: [] }],
    hits: [hit(41, "Your ", "table", " is <b>ready</b>")],
    next: null,
  });
});

describe("SearchDialog", () => {
  it("searches as you type, marks the hits as text, and opens a message with the keyboard", async () => {
    const onOpenMessage = vi.fn();
    render(SearchDialog, { ...props(), onOpenMessage });
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
    render(SearchDialog, { ...props(), onOpenContact, onClose });
    const user = userEvent.setup();
    await user.type(screen.getByTestId("search-input"), "maya");
    await user.click(await screen.findByTestId("search-contact"));
    expect(onOpenContact).toHaveBeenCalledWith(3, 7);
    await user.keyboard("{Escape}");
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it("shows the core's refusal", async () => {
    m.search.mockRejectedValue(new client.IpcFailure("database", "the local database failed", "Restart."));
    render(SearchDialog, props());
    await userEvent.setup().type(screen.getByTestId("search-input"), "x");
    expect(await screen.findByText("the local database failed")).toBeInTheDocument();
  });

  it("labels what each hit is, opens a note's conversation, and shows more past the first page", async () => {
    const page = { before_message: 41, before_note: 5, contacts_after: 1 };
    m.search.mockResolvedValueOnce({
      contacts: [
        {
          id: 3,
          name: "Maya Chen",
          number: "+13125550101",
          conversation_id: 7,
          matched: "field",
          field: "pet_name",
          snippet: [
            { text: "Biscuit", hit: true },
            { text: " the dog", hit: false },
          ],
        },
      ],
      hits: [hit(5, "Left the ", "parcel", " outside", "note"), hit(41, "Your ", "parcel", " is ready")],
      next: page,
    });
    m.search.mockResolvedValueOnce({ contacts: [], hits: [hit(40, "An older ", "parcel", "")], next: null });
    const onOpenConversation = vi.fn();
    render(SearchDialog, { ...props(), onOpenConversation });
    const user = userEvent.setup();
    await user.type(screen.getByTestId("search-input"), "p");
    const contact = await screen.findByTestId("search-contact");
    expect(contact).toHaveTextContent("Contact · pet name");
    expect(screen.getByTestId("search-contact-field")).toHaveTextContent("pet name: Biscuit the dog");
    const note = screen.getByTestId("search-note");
    expect(note).toHaveTextContent("Note by Erin");
    expect(screen.getByTestId("search-message")).toHaveTextContent("Message sent");
    await user.click(screen.getByTestId("search-more"));
    await waitFor(() => expect(screen.getAllByTestId("search-message")).toHaveLength(2));
    expect(m.search).toHaveBeenLastCalledWith("p", page);
    expect(screen.queryByTestId("search-more")).toBeNull();
    await user.click(note);
    expect(onOpenConversation).toHaveBeenCalledWith(9);
  });
});
