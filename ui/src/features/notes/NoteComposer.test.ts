import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import { note, plainCheck } from "../../test/fixtures";
import ReplyArea from "../composer/ReplyArea.svelte";

const m = vi.mocked(client);

beforeEach(() => {
  vi.resetAllMocks();
  m.checkMessage.mockImplementation(plainCheck);
});

describe("internal notes", () => {
  it("adds a note with add_note and never sends it", async () => {
    const added = note({ id: 4, conversation_id: 9, body: "Refund approved by Dana" });
    m.addNote.mockResolvedValue(added);
    const onNoteAdded = vi.fn();
    render(ReplyArea, { conversationId: 9, onSent: vi.fn(), onNoteAdded });
    const user = userEvent.setup();
    await user.click(screen.getByTestId("mode-note"));
    expect(screen.queryByTestId("composer-input")).toBeNull();
    await user.type(screen.getByTestId("note-input"), "Refund approved by Dana");
    await user.click(screen.getByTestId("note-add"));
    expect(m.addNote).toHaveBeenCalledWith(9, "Refund approved by Dana");
    expect(onNoteAdded).toHaveBeenCalledWith(added);
    expect(m.sendMessage).not.toHaveBeenCalled();
    expect(screen.getByTestId("note-input")).toHaveValue("");
    await user.click(screen.getByTestId("mode-reply"));
    expect(screen.getByTestId("composer-input")).toBeInTheDocument();
  });

  it("keeps an empty note from being added", async () => {
    render(ReplyArea, { conversationId: 9, onSent: vi.fn(), onNoteAdded: vi.fn() });
    const user = userEvent.setup();
    await user.click(screen.getByTestId("mode-note"));
    await user.type(screen.getByTestId("note-input"), "   ");
    expect(screen.getByTestId("note-add")).toBeDisabled();
  });
});
