import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import type { ImportPreviewView, ImportRowView } from "../../lib/ipc/types";
import ImportDialog from "./ImportDialog.svelte";

const m = vi.mocked(client);
const FILE = "Name,Phone\nMaya,312 555 0101\nNobody,call me\nOpted,312 555 0103\n";

function row(line: number, check: string, overrides: Partial<ImportRowView> = {}): ImportRowView {
  const importable = check !== "invalid" && check !== "duplicate";
  return {
    line,
    number_input: "x",
    number: "+13125550101",
    name: null,
    fields: [],
    check,
    detail: check,
    importable,
    accepted_by_default: check === "new" || check === "existing",
    ...overrides,
  };
}

const preview: ImportPreviewView = {
  headers: ["Name", "Phone"],
  mapping: { number: 1, name: 0, fields: [] },
  rows: [row(2, "new", { name: "Maya" }), row(3, "invalid", { number: null, detail: "“call me” is not a phone number" }), row(4, "opted_out")],
};

beforeEach(() => {
  vi.resetAllMocks();
  m.previewImport.mockResolvedValue(preview);
  m.importContacts.mockResolvedValue({ created: 2, updated: 0 });
});

describe("ImportDialog", () => {
  it("reports every row first and imports only the accepted ones", async () => {
    const onImported = vi.fn();
    render(ImportDialog, { onClose: vi.fn(), onImported });
    const user = userEvent.setup();
    await user.upload(screen.getByTestId("import-file"), new File([FILE], "contacts.csv", { type: "text/csv" }));
    await waitFor(() => expect(m.previewImport).toHaveBeenCalledWith(FILE, null));
    expect(await screen.findByTestId("import-tally")).toHaveTextContent("3 rows — 1 new, 0 already contacts, 1 opted out, 0 marked, 1 invalid");
    const boxes = screen.getAllByTestId("import-accept") as HTMLInputElement[];
    expect(boxes.map((b) => [b.checked, b.disabled])).toEqual([
      [true, false],
      [false, true],
      [false, false],
    ]);
    expect(m.importContacts).not.toHaveBeenCalled();
    await user.click(boxes[2]);
    expect(screen.getByTestId("import-submit")).toHaveTextContent("Import 2 contacts");
    await user.click(screen.getByTestId("import-submit"));
    expect(m.importContacts).toHaveBeenCalledWith(FILE, preview.mapping, [2, 4]);
    expect(await screen.findByTestId("import-result")).toHaveTextContent("2 new, 0 updated");
    expect(onImported).toHaveBeenCalled();
  });

  it("checks again when the number column changes, and shows a refused file", async () => {
    render(ImportDialog, { onClose: vi.fn(), onImported: vi.fn() });
    const user = userEvent.setup();
    await user.upload(screen.getByTestId("import-file"), new File([FILE], "contacts.csv"));
    await screen.findByTestId("import-tally");
    await user.selectOptions(screen.getByTestId("import-number-column"), "0");
    expect(m.previewImport).toHaveBeenLastCalledWith(FILE, { number: 0, name: 0, fields: [] });
    m.previewImport.mockRejectedValue(new client.IpcFailure("invalid_field", "The file has no header row.", "Put the column names first."));
    await user.upload(screen.getByTestId("import-file"), new File([""], "empty.csv"));
    expect(await screen.findByText("The file has no header row.")).toBeInTheDocument();
  });
});
