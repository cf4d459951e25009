import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import type { TemplateView } from "../../lib/ipc/types";
import { checkView, member, message, plainCheck } from "../../test/fixtures";
import Composer from "../composer/Composer.svelte";
import { clearDrafts } from "../composer/drafts";
import { team } from "../team/team.svelte";
import TemplatesScreen from "./TemplatesScreen.svelte";

const m = vi.mocked(client);

function template(overrides: Partial<TemplateView> = {}): TemplateView {
  return {
    id: 1,
    uid: "t-1",
    name: "Order ready",
    body: "Hi {{first_name}}, your order is ready.",
    media: [],
    status: "approved",
    created_by: 1,
    approved_by: 1,
    uses: 0,
    failures: 0,
    failure_rate: null,
    ...overrides,
  };
}

async function as(role: "admin" | "agent") {
  const me = member({ role });
  m.listTeam.mockResolvedValue([me]);
  m.getMe.mockResolvedValue(me);
  await team.load();
}

beforeEach(() => {
  vi.resetAllMocks();
  clearDrafts();
  m.checkMessage.mockImplementation(plainCheck);
});

describe("TemplatesScreen", () => {
  it("shows drafts and figures, and lets an admin approve a draft", async () => {
    await as("admin");
    const draft = template({ id: 2, name: "Holiday hours", status: "draft", approved_by: null });
    m.listTemplates.mockResolvedValue([template({ uses: 12, failures: 3, failure_rate: 0.25 }), draft]);
    m.approveTemplate.mockResolvedValue({ ...draft, status: "approved" });
    render(TemplatesScreen, { onClose: vi.fn() });
    const rows = await screen.findAllByTestId("template-row");
    expect(rows.map((r) => r.dataset.status)).toEqual(["approved", "draft"]);
    expect(within(rows[0]).getByTestId("template-figures")).toHaveTextContent("12 sent · 25% failed");
    expect(within(rows[0]).queryByTestId("template-approve")).toBeNull();
    await userEvent.setup().click(within(rows[1]).getByTestId("template-approve"));
    expect(m.approveTemplate).toHaveBeenCalledWith(2);
    await waitFor(() => expect(m.listTemplates).toHaveBeenCalledTimes(2));
  });

  it("offers an agent no Approve, and saves a new draft with its media", async () => {
    await as("agent");
    m.listTemplates.mockResolvedValue([template({ id: 2, status: "draft", approved_by: null })]);
    m.saveTemplate.mockResolvedValue(template({ id: 3, status: "draft" }));
    render(TemplatesScreen, { onClose: vi.fn() });
    const user = userEvent.setup();
    const [row] = await screen.findAllByTestId("template-row");
    expect(within(row).queryByTestId("template-approve")).toBeNull();
    await user.click(screen.getByTestId("template-new"));
    await user.type(screen.getByTestId("template-name"), "Menu");
    await user.type(screen.getByTestId("template-body"), "This week's menu");
    await user.type(screen.getByTestId("template-media"), "https://example.com/menu.jpg");
    await user.click(screen.getByTestId("template-save"));
    expect(m.saveTemplate).toHaveBeenCalledWith({
      id: null,
      name: "Menu",
      body: "This week's menu",
      media: ["https://example.com/menu.jpg"],
    });
  });

  it("shows the core's reason when a template is refused", async () => {
    await as("agent");
    m.listTemplates.mockResolvedValue([]);
    m.saveTemplate.mockRejectedValue(
      new client.IpcFailure("invalid_field", "“{{First}}” is not a merge field.", "Write fields as {{first_name}}."),
    );
    render(TemplatesScreen, { onClose: vi.fn() });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("template-new"));
    await user.type(screen.getByTestId("template-name"), "Bad");
    await user.type(screen.getByTestId("template-body"), "Hi");
    await user.click(screen.getByTestId("template-save"));
    expect(await screen.findByText("“{{First}}” is not a merge field.")).toBeInTheDocument();
  });
});

describe("the template picker in the composer", () => {
  it("opens with / in an empty reply, previews for this contact, inserts and sends with the template", async () => {
    m.listTemplates.mockResolvedValue([template()]);
    m.previewTemplate.mockResolvedValue({
      body: "Hi Maya, your order is ready.",
      unfilled: [],
      check: checkView(),
    });
    m.sendMessage.mockResolvedValue(message({ id: 9, direction: "outbound", status: "queued" }));
    render(Composer, { conversationId: 5, onSent: vi.fn() });
    const user = userEvent.setup();
    await user.type(screen.getByTestId("composer-input"), "/");
    expect(screen.getByTestId("composer-input")).toHaveValue("");
    expect(m.listTemplates).toHaveBeenCalledWith(true, "");
    const preview = await screen.findByTestId("template-preview");
    await waitFor(() => expect(preview).toHaveTextContent("Hi Maya, your order is ready."));
    expect(m.previewTemplate).toHaveBeenCalledWith(1, 5);
    await user.keyboard("{Enter}");
    expect(screen.queryByTestId("template-picker")).toBeNull();
    expect(screen.getByTestId("composer-input")).toHaveValue("Hi Maya, your order is ready.");
    await user.click(screen.getByTestId("composer-send"));
    await waitFor(() =>
      expect(m.sendMessage).toHaveBeenCalledWith(expect.objectContaining({ template_id: 1, body: "Hi Maya, your order is ready." })),
    );
  });

  it("warns about fields without a value, and a cleared text forgets the template", async () => {
    m.listTemplates.mockResolvedValue([template({ body: "Your {{plan}} renews" })]);
    m.previewTemplate.mockResolvedValue({ body: "Your {{plan}} renews", unfilled: ["plan"], check: checkView() });
    render(Composer, { conversationId: 5, onSent: vi.fn() });
    const user = userEvent.setup();
    await user.click(screen.getByTestId("templates-button"));
    expect(await screen.findByTestId("template-unfilled")).toHaveTextContent("{{plan}}");
    await user.click(screen.getByTestId("template-insert"));
    await user.clear(screen.getByTestId("composer-input"));
    await user.type(screen.getByTestId("composer-input"), "Plain text");
    m.sendMessage.mockResolvedValue(message({ id: 9, direction: "outbound", status: "queued" }));
    await user.click(screen.getByTestId("composer-send"));
    await waitFor(() => expect(m.sendMessage).toHaveBeenCalledWith(expect.objectContaining({ template_id: null })));
  });
});
