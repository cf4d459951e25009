import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import { member } from "../../test/fixtures";
import IdentityMenu from "./IdentityMenu.svelte";
import TeamSettings from "./TeamSettings.svelte";
import { team } from "./team.svelte";
import WhoAreYou from "./WhoAreYou.svelte";

const m = vi.mocked(client);
const dana = member();
const sam = member({ id: 2, uid: "member-2", name: "Sam Okoye", initials: "SO", role: "agent", color: "#0b7a43" });
const gone = member({ id: 3, uid: "member-3", name: "Lee Left", initials: "LL", removed: true });

beforeEach(async () => {
  vi.resetAllMocks();
  m.listTeam.mockResolvedValue([dana, sam, gone]);
  m.getMe.mockResolvedValue(dana);
  await team.load();
});

describe("IdentityMenu", () => {
  it("shows who I am and switches to someone still on the team", async () => {
    m.setMe.mockResolvedValue(sam);
    render(IdentityMenu, { onManage: vi.fn() });
    const user = userEvent.setup();
    expect(screen.getByTestId("identity-button")).toHaveTextContent("Dana Whitfield");
    await user.click(screen.getByTestId("identity-button"));
    const options = screen.getAllByTestId("identity-option");
    expect(options.map((o) => o.dataset.member)).toEqual(["member-1", "member-2"]);
    expect(options[0]).toHaveAttribute("aria-checked", "true");
    await user.click(options[1]);
    expect(m.setMe).toHaveBeenCalledWith("member-2");
    await waitFor(() => expect(screen.getByTestId("identity-button")).toHaveTextContent("Sam Okoye"));
    expect(screen.queryByTestId("identity-menu")).toBeNull();
  });

  it("opens the team settings from the menu", async () => {
    const onManage = vi.fn();
    render(IdentityMenu, { onManage });
    const user = userEvent.setup();
    await user.click(screen.getByTestId("identity-button"));
    await user.click(screen.getByTestId("manage-team"));
    expect(onManage).toHaveBeenCalled();
  });
});

describe("WhoAreYou", () => {
  it("lets a new person add themselves, as admin when the team is empty, and remembers them", async () => {
    m.listTeam.mockResolvedValue([]);
    m.getMe.mockResolvedValue(null);
    await team.load();
    const me = member({ uid: "new-uid", name: "Rita Moreno" });
    m.saveMember.mockResolvedValue(me);
    m.setMe.mockResolvedValue(me);
    render(WhoAreYou);
    const user = userEvent.setup();
    expect(screen.getByTestId("member-role")).toHaveValue("admin");
    await user.type(screen.getByTestId("member-name"), "Rita Moreno");
    m.listTeam.mockResolvedValue([me]);
    await user.click(screen.getByTestId("member-save"));
    expect(m.saveMember).toHaveBeenCalledWith({ uid: null, name: "Rita Moreno", initials: "", color: "", role: "admin" });
    await waitFor(() => expect(m.setMe).toHaveBeenCalledWith("new-uid"));
    expect(team.me?.name).toBe("Rita Moreno");
  });

  it("offers the members there are", async () => {
    m.setMe.mockResolvedValue(sam);
    render(WhoAreYou);
    const user = userEvent.setup();
    const options = screen.getAllByTestId("who-option");
    expect(options).toHaveLength(2);
    await user.click(options[1]);
    expect(m.setMe).toHaveBeenCalledWith("member-2");
  });
});

describe("TeamSettings", () => {
  it("adds a member and shows the field's problem when the core refuses", async () => {
    render(TeamSettings);
    const user = userEvent.setup();
    expect(screen.getAllByTestId("team-member")).toHaveLength(2);
    await user.click(screen.getByTestId("member-add"));
    await user.type(screen.getByTestId("member-name"), "Jo");
    await user.type(screen.getByTestId("member-initials"), "J J");
    m.saveMember.mockRejectedValueOnce(
      new client.IpcFailure("invalid_field", "“J J” are not initials.", "Use one to three letters, e.g. DW."),
    );
    await user.click(screen.getByTestId("member-save"));
    expect(await screen.findByText("“J J” are not initials.")).toBeInTheDocument();
    expect(screen.getByText("Use one to three letters, e.g. DW.")).toBeInTheDocument();
  });

  it("removes a member only after asking", async () => {
    m.removeMember.mockResolvedValue();
    render(TeamSettings);
    const user = userEvent.setup();
    const row = screen.getAllByTestId("team-member")[1];
    await user.click(within(row).getByTestId("member-remove"));
    expect(m.removeMember).not.toHaveBeenCalled();
    expect(row).toHaveTextContent("Their conversations become unassigned");
    m.listTeam.mockResolvedValue([dana, { ...sam, removed: true }, gone]);
    await user.click(within(row).getByTestId("member-remove-confirm"));
    expect(m.removeMember).toHaveBeenCalledWith("member-2");
    await waitFor(() => expect(screen.getAllByTestId("team-member")).toHaveLength(1));
  });
});
