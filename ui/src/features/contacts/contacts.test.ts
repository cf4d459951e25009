import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import type { ContactView } from "../../lib/ipc/types";
import ContactDrawer from "./ContactDrawer.svelte";
import ContactsScreen from "./ContactsScreen.svelte";

const m = vi.mocked(client);

function contact(overrides: Partial<ContactView> = {}): ContactView {
  return {
    id: 3,
    number: "+13125550102",
    name: "Maya Chen",
    fields: [{ name: "pet_name", value: "Biscuit" }],
    mark: null,
    past_numbers: [],
    conversations: [{ id: 7, sender_number: "+14155550100", sender_label: "Main office" }],
    ...overrides,
  };
}

beforeEach(() => vi.resetAllMocks());

describe("ContactDrawer", () => {
  it("edits the name, number and fields of a conversation's contact", async () => {
    m.contactOfConversation.mockResolvedValue(contact());
    m.saveContact.mockImplementation(async (r) => contact({ name: r.name, number: "+13125550109", fields: r.fields }));
    const onSaved = vi.fn();
    render(ContactDrawer, { conversationId: 7, onClose: vi.fn(), onSaved });
    const user = userEvent.setup();
    const name = await screen.findByTestId("contact-name");
    expect(name).toHaveValue("Maya Chen");
    expect(m.contactOfConversation).toHaveBeenCalledWith(7);
    await user.clear(name);
    await user.type(name, "Maya Lin");
    await user.clear(screen.getByTestId("contact-number"));
    await user.type(screen.getByTestId("contact-number"), "312 555 0109");
    await user.click(screen.getByTestId("contact-field-add"));
    const names = screen.getAllByTestId("contact-field-name");
    await user.type(names[1], "plan");
    await user.type(screen.getAllByTestId("contact-field-value")[1], "Gold");
    await user.click(screen.getByTestId("contact-save"));
    expect(m.saveContact).toHaveBeenCalledWith({
      id: 3,
      name: "Maya Lin",
      number: "312 555 0109",
      fields: [
        { name: "pet_name", value: "Biscuit" },
        { name: "plan", value: "Gold" },
      ],
    });
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(screen.getByTestId("contact-number")).toHaveValue("+13125550109");
  });

  it("shows the number's state with its reason, and the number history", async () => {
    m.getContact.mockResolvedValue(
      contact({
        mark: {
          mark: "opted_out",
          description: "opted out of your texts (STOP)",
          code: "STOP",
          reason: "The customer texted STOP",
          at: "2026-11-20T10:00:00Z",
        },
        past_numbers: [
          { number: "+15005550001", reason_code: "21211", reason: "Error 21211: Invalid number", replaced_at: "2026-11-01T10:00:00Z" },
        ],
      }),
    );
    const onMessage = vi.fn();
    render(ContactDrawer, { contactId: 3, onClose: vi.fn(), onMessage });
    const mark = await screen.findByTestId("contact-mark");
    expect(mark).toHaveTextContent("opted out of your texts (STOP)");
    expect(mark).toHaveTextContent("The customer texted STOP");
    expect(mark).toHaveTextContent("texting START");
    expect(screen.getByTestId("contact-past-numbers")).toHaveTextContent("+15005550001 — Error 21211: Invalid number");
    await userEvent.setup().click(screen.getByTestId("contact-message"));
    expect(onMessage).toHaveBeenCalledWith(expect.objectContaining({ id: 3 }));
  });

  it("shows why a save was refused", async () => {
    m.getContact.mockResolvedValue(contact());
    m.saveContact.mockRejectedValue(
      new client.IpcFailure("number_taken", "+13125550103 is already another contact's number", "Open that conversation."),
    );
    render(ContactDrawer, { contactId: 3, onClose: vi.fn() });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("contact-save"));
    expect(await screen.findByText("+13125550103 is already another contact's number")).toBeInTheDocument();
  });
});

describe("ContactsScreen", () => {
  it("searches and opens a contact", async () => {
    m.listContacts.mockResolvedValue([
      { id: 3, number: "+13125550102", name: "Maya Chen", mark: "opted_out" },
      { id: 4, number: "+13125550103", name: null, mark: null },
    ]);
    const onOpen = vi.fn();
    render(ContactsScreen, { onClose: vi.fn(), onOpen });
    const user = userEvent.setup();
    const rows = await screen.findAllByTestId("contact-row");
    expect(rows[0]).toHaveTextContent("Opted out");
    await user.type(screen.getByTestId("contacts-search"), "ma");
    expect(m.listContacts).toHaveBeenLastCalledWith("ma");
    await user.click(rows[1]);
    expect(onOpen).toHaveBeenCalledWith(4);
  });
});
