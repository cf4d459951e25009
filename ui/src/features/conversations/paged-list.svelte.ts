/**
 * One view of the conversation list (a view and maybe one sender number), loaded a page at a
 * time as the rows come into sight, so a list of 100,000 conversations never holds more than a
 * few hundred of them.
 */
import { listConversations, IpcFailure } from "../../lib/ipc/client";
import type { ConversationView, ListView } from "../../lib/ipc/types";

/** What the list component needs to draw rows; `PagedList` is the real one. */
export interface ConversationRows {
  /** How many conversations the view has, loaded or not. */
  readonly total: number;
  /** Changes when the rows start over (another view or location), so the list goes back to the top. */
  readonly epoch: number;
  /** The conversation at this index, or undefined while its page is still coming. */
  row(index: number): ConversationView | undefined;
  /** The rows in [start, end) are on screen: fetch those not loaded yet. */
  ensure(start: number, end: number): void;
}

/** Rows per request. */
export const PAGE_SIZE = 100;
// The visible rows span one or two pages; a third request would be for rows already scrolled past.
const MAX_IN_FLIGHT = 2;
// Every refresh re-fetches each cached page, so the cache is kept to a few pages around the
// visible rows (the old single request fetched 500 rows per refresh).
const MAX_CACHED_PAGES = 5;

type Query = { view: ListView; sender: string | null };

export class PagedList implements ConversationRows {
  total = $state(0);
  epoch = $state(0);
  /** No answer yet for the current view. */
  loading = $state(true);
  /** The latest request failed; cleared by the next success. */
  error = $state<IpcFailure | null>(null);

  // Deep state: App marks a row read in place (`find(id).unread = 0`) before the next refresh.
  #pages = $state<Record<number, ConversationView[]>>({});
  #query: Query | null = null;
  // Bumped when the view or location changes: answers to earlier requests are for another list.
  #generation = 0;
  // Answers can come back in any order. Each request gets a number, and each page, the total and
  // the error remember the number of the request they came from: an answer only replaces what an
  // older request produced, so a newer refresh always wins without starving when requests overlap.
  #seq = 0;
  // Bookkeeping only, never rendered: plain objects, not reactive state.
  #pageSeq: Record<number, number> = {};
  #totalSeq = 0;
  #statusSeq = 0;
  // The previous view's rows stay on screen until the new view's first answer replaces them,
  // so switching tabs does not flash "Loading…".
  #stale = false;
  #inFlight: Record<number, true> = {};
  #wanted: [number, number] = [0, 1];

  /** Shows another view or location; nothing changes if it is the one shown. Call `refresh` next. */
  setQuery(view: ListView, sender: string | null): void {
    if (this.#query && this.#query.view === view && this.#query.sender === sender) return;
    this.#query = { view, sender };
    this.#generation++;
    this.#inFlight = {};
    this.#wanted = [0, 1];
    this.#stale = true;
    this.loading = true;
  }

  row(index: number): ConversationView | undefined {
    return this.#pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
  }

  /** A loaded conversation by id. */
  find(id: number): ConversationView | undefined {
    for (const items of Object.values(this.#pages)) {
      const found = items.find((c) => c.id === id);
      if (found) return found;
    }
    return undefined;
  }

  ensure(start: number, end: number): void {
    this.#wanted = [Math.max(0, start), Math.max(start + 1, end)];
    this.#pump();
  }

  /** Fetches the cached pages again (the first page if none), all in one answer so rows never mix two moments. */
  async refresh(): Promise<void> {
    const cached = this.#stale ? [] : Object.keys(this.#pages).map(Number);
    await this.#load(cached.length > 0 ? cached : [0]);
  }

  /** Starts the missing pages among the wanted rows, a couple at a time. */
  #pump(): void {
    if (this.#query === null || this.#stale) return;
    const [start, end] = this.#wanted;
    const last = Math.min(end, this.total) - 1;
    for (let page = Math.floor(start / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
      if (Object.keys(this.#inFlight).length >= MAX_IN_FLIGHT) return;
      if (this.#pages[page] !== undefined || this.#inFlight[page]) continue;
      this.#inFlight[page] = true;
      const generation = this.#generation;
      void this.#load([page]).then((ok) => {
        if (generation !== this.#generation) return;
        delete this.#inFlight[page];
        // The rows on screen may have moved on while this page was coming. A failure waits for
        // Try again or the next scroll, rather than retrying in a tight loop.
        if (ok) this.#pump();
      });
    }
  }

  /** Whether the pages came (or were for another view by then). */
  async #load(pages: number[]): Promise<boolean> {
    if (this.#query === null) return true;
    const { view, sender } = this.#query;
    const generation = this.#generation;
    const seq = ++this.#seq;
    try {
      const answers = await Promise.all(
        pages.map((page) => listConversations({ view, sender, offset: page * PAGE_SIZE, limit: PAGE_SIZE })),
      );
      if (generation !== this.#generation) return true;
      this.#startOver();
      answers.forEach((answer, i) => {
        const page = pages[i];
        if (seq > this.#totalSeq) {
          this.#totalSeq = seq;
          this.total = answer.total;
        }
        if (seq > (this.#pageSeq[page] ?? 0)) {
          this.#pageSeq[page] = seq;
          this.#pages[page] = answer.items;
        }
      });
      this.#trim();
      if (seq > this.#statusSeq) {
        this.#statusSeq = seq;
        this.error = null;
      }
      this.loading = false;
      this.#pump();
      return true;
    } catch (e) {
      if (generation !== this.#generation) return true;
      // A failed first answer for a new view must not leave the old view's rows under its tab.
      this.#startOver();
      if (seq > this.#statusSeq) {
        this.#statusSeq = seq;
        this.error = IpcFailure.from(e);
      }
      this.loading = false;
      return false;
    }
  }

  /** Drops the previous view's rows once the current view has answered. */
  #startOver(): void {
    if (!this.#stale) return;
    this.#stale = false;
    this.#pages = {};
    this.#pageSeq = {};
    this.#totalSeq = 0;
    this.total = 0;
    this.epoch++;
  }

  /** Drops pages past the end and, past the cache's size, those farthest from the rows on screen. */
  #trim(): void {
    const keys = Object.keys(this.#pages).map(Number);
    const lastPage = Math.ceil(this.total / PAGE_SIZE) - 1;
    const center = Math.floor(this.#wanted[0] / PAGE_SIZE);
    const gone = keys.filter((page) => page > lastPage);
    const kept = keys
      .filter((page) => page <= lastPage)
      .sort((a, b) => Math.abs(a - center) - Math.abs(b - center));
    gone.push(...kept.slice(MAX_CACHED_PAGES));
    for (const page of gone) {
      delete this.#pages[page];
      delete this.#pageSeq[page];
    }
  }
}
