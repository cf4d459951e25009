import "@testing-library/jest-dom/vitest";

// jsdom has no layout. The virtualized lists (virtua) size their viewport and rows through
// ResizeObserver and scroll with Element.scrollTo, so tests get a fixed geometry, the way virtua's
// own jsdom tests do: every scroll container is VIEWPORT_HEIGHT tall, every row ROW_HEIGHT.
export const VIEWPORT_HEIGHT = 600;
export const ROW_HEIGHT = 60;
const WIDTH = 320;

// Component styles are not loaded here, so the scroll container cannot be told by its overflow;
// virtua positions each row absolutely, and the only other element it observes is the scroller.
function isRow(element: Element): boolean {
  return element instanceof HTMLElement && element.style.position === "absolute";
}

class FakeResizeObserver implements ResizeObserver {
  #callback: ResizeObserverCallback;
  #queue: ResizeObserverEntry[] = [];
  #observed = new Set<Element>();

  constructor(callback: ResizeObserverCallback) {
    this.#callback = callback;
  }

  observe(target: Element): void {
    this.#observed.add(target);
    const height = isRow(target) ? ROW_HEIGHT : VIEWPORT_HEIGHT;
    const rect = new DOMRect(0, 0, WIDTH, height);
    this.#queue.push({
      target,
      contentRect: rect,
      borderBoxSize: [{ blockSize: height, inlineSize: WIDTH }],
      contentBoxSize: [{ blockSize: height, inlineSize: WIDTH }],
      devicePixelContentBoxSize: [{ blockSize: height, inlineSize: WIDTH }],
    });
    // A real observer reports once per frame, after layout: everything observed in between
    // (the scroller and the first rows) comes in one batch.
    if (this.#queue.length === 1) {
      setTimeout(() => {
        const entries = this.#queue.filter((e) => this.#observed.has(e.target));
        this.#queue = [];
        if (entries.length > 0) this.#callback(entries, this);
      }, 0);
    }
  }

  unobserve(target: Element): void {
    this.#observed.delete(target);
  }

  disconnect(): void {
    this.#observed.clear();
  }
}

globalThis.ResizeObserver = FakeResizeObserver;

// virtua only counts a row's size once the row is laid out (has an offsetParent).
Object.defineProperty(HTMLElement.prototype, "offsetParent", {
  configurable: true,
  get(this: HTMLElement) {
    return this.parentNode;
  },
});

// jsdom keeps scrollTop but has no scrollTo; a real scroll also fires "scroll".
function scrollTo(this: Element, xOrOptions?: number | ScrollToOptions, y?: number): void {
  const top = typeof xOrOptions === "number" ? y : xOrOptions?.top;
  if (top === undefined) return;
  const max = Math.max(0, this.scrollHeight - this.clientHeight);
  // jsdom's scrollHeight is 0: clamp only at the top, as a browser would at least.
  const next = max > 0 ? Math.min(Math.max(0, top), max) : Math.max(0, top);
  if (next === this.scrollTop) return;
  this.scrollTop = next;
  this.dispatchEvent(new Event("scroll"));
}
Element.prototype.scrollTo = scrollTo as Element["scrollTo"];
Element.prototype.scrollBy = function (this: Element, xOrOptions?: number | ScrollToOptions, y?: number) {
  const by = typeof xOrOptions === "number" ? (y ?? 0) : (xOrOptions?.top ?? 0);
  scrollTo.call(this, { top: this.scrollTop + by });
} as Element["scrollBy"];
