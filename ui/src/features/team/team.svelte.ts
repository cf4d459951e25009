/**
 * The team as the window knows it: every member (those who left included, for the names on
 * what they wrote) and who sits at this desktop. One instance for the whole window.
 */
import { getMe, IpcFailure, listTeam, setMe } from "../../lib/ipc/client";
import type { MemberView } from "../../lib/ipc/types";

export class TeamState {
  members = $state<MemberView[]>([]);
  me = $state<MemberView | null>(null);
  /** Loaded at least once (so "who are you?" is not asked before we know). */
  loaded = $state(false);
  error = $state<IpcFailure | null>(null);

  /** Members still on the team, by name. */
  get active(): MemberView[] {
    return this.members.filter((m) => !m.removed);
  }

  /** A member by local id. */
  byId(id: number | null | undefined): MemberView | null {
    if (id === null || id === undefined) return null;
    return this.members.find((m) => m.id === id) ?? null;
  }

  async load(): Promise<void> {
    try {
      const [members, me] = await Promise.all([listTeam(), getMe()]);
      this.members = members;
      this.me = me;
      this.error = null;
      this.loaded = true;
    } catch (e) {
      this.error = IpcFailure.from(e);
    }
  }

  /** Remembers who uses this desktop. */
  async choose(uid: string): Promise<void> {
    this.me = await setMe(uid);
  }
}

/** The window's team. */
export const team = new TeamState();

/** Badge colours offered in the team form (the core picks one of these when none is given). */
export const PALETTE = ["#2459d6", "#0b7a43", "#b42318", "#7a4a00", "#6d28d9", "#0e7490", "#be185d", "#4d7c0f"];
