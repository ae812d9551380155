/**
 * A long list of rows of any height, of which only those in view (and a margin) are in the page: padding
 * above and below stands in for the rest, from each row's height as last drawn (an estimate until then).
 * Short lists are drawn whole. The comments panel (2,000 threads in the large edition) and the footnotes
 * panel (1,000 notes) are drawn so; a row is rebuilt only when its key changes.
 */
import { placeChildren } from "./dom.ts";

/** Lists longer than this are windowed. */
export const WINDOW_FROM = 200;
/** Rows drawn beyond each edge of the view, in pixels. */
const MARGIN_PX = 600;

export interface WindowedRow {
  /** Stable across renders: a row's element and height are kept by it. */
  id: string;
  /** What the row shows: when it changes, the row is built again. */
  key: string;
  build(): HTMLElement;
}

export class WindowedList {
  private rows: WindowedRow[] = [];
  private readonly built = new Map<string, { key: string; element: HTMLElement }>();
  private readonly heights = new Map<string, number>();
  private following: HTMLElement | null = null;
  /** Set when a draw was skipped because the list was not laid out (its tab hidden). */
  private stale = false;
  /** The vertical margin between two rows, which a row's offsetHeight leaves out. */
  private margins: number | null = null;
  /** Takes off the scroll listener on the box followed (the side bar outlives the panels of a session). */
  private unfollow = new AbortController();
  private readonly resized: ResizeObserver;

  /**
   * `scroller` finds the box the list scrolls in (null while the list is not in the page);
   * `estimatePx` is a row's height before it has been drawn.
   */
  constructor(
    readonly list: HTMLElement,
    private readonly scroller: () => HTMLElement | null,
    private readonly estimatePx: number,
  ) {
    // Shown again (its tab chosen): drawn for where the box is scrolled now.
    this.resized = new ResizeObserver(() => {
      if (this.stale && this.laidOut()) this.draw();
    });
    this.resized.observe(list);
  }

  /**
   * Lets go of the box it scrolls in and of its own observer: the side bar would otherwise keep the
   * list, its rows and, through them, the whole session it belonged to.
   */
  destroy(): void {
    this.unfollow.abort();
    this.resized.disconnect();
    this.following = null;
    this.built.clear();
    this.rows = [];
  }

  /** Replaces the rows and draws those in view. */
  set(rows: WindowedRow[]): void {
    this.rows = rows;
    const ids = new Set(rows.map((r) => r.id));
    for (const id of this.built.keys()) if (!ids.has(id)) this.built.delete(id);
    for (const id of this.heights.keys()) if (!ids.has(id)) this.heights.delete(id);
    this.follow();
    this.draw();
  }

  /** Scrolls the row with this id into view and returns its element (null if there is none). */
  reveal(id: string): HTMLElement | null {
    const index = this.rows.findIndex((r) => r.id === id);
    if (index < 0) return null;
    const box = this.scroller();
    if (box && this.rows.length > WINDOW_FROM) {
      box.scrollTop = this.listTop(box) + this.offsetOf(index) - box.clientHeight / 3;
      this.draw();
    }
    const element = this.built.get(id)?.element ?? null;
    element?.scrollIntoView({ block: "nearest" });
    return element;
  }

  private element(row: WindowedRow): HTMLElement {
    const kept = this.built.get(row.id);
    if (kept && kept.key === row.key) return kept.element;
    const element = row.build();
    this.built.set(row.id, { key: row.key, element });
    return element;
  }

  private height(row: WindowedRow): number {
    return this.heights.get(row.id) ?? this.estimatePx;
  }

  private offsetOf(index: number): number {
    let at = 0;
    for (let i = 0; i < index; i++) at += this.height(this.rows[i] as WindowedRow);
    return at;
  }

  private listTop(box: HTMLElement): number {
    return this.list.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
  }

  private laidOut(): boolean {
    return this.list.getClientRects().length > 0;
  }

  private draw(depth = 0): void {
    const { list, rows } = this;
    this.stale = !this.laidOut();
    if (rows.length <= WINDOW_FROM) {
      list.style.paddingTop = "";
      list.style.paddingBottom = "";
      placeChildren(
        this.list,
        rows.map((r) => this.element(r)),
      );
      return;
    }
    // Hidden: where it stands in the box is unknown, and the rows cannot be measured.
    if (this.stale) return;
    const box = this.scroller();
    const top = box && box.clientHeight > 0 ? box.scrollTop - this.listTop(box) - MARGIN_PX : 0;
    const bottom = top + (box && box.clientHeight > 0 ? box.clientHeight : 800) + 2 * MARGIN_PX;
    let first = 0;
    let above = 0;
    while (first < rows.length - 1 && above + this.height(rows[first] as WindowedRow) < top)
      above += this.height(rows[first++] as WindowedRow);
    let last = first;
    let through = above;
    while (last < rows.length && through < bottom) through += this.height(rows[last++] as WindowedRow);
    let below = 0;
    for (let i = last; i < rows.length; i++) below += this.height(rows[i] as WindowedRow);
    const drawn = rows.slice(first, last);
    list.style.paddingTop = `${above}px`;
    list.style.paddingBottom = `${below}px`;
    placeChildren(
      this.list,
      drawn.map((r) => this.element(r)),
    );
    // Heights as drawn: the padding follows them from the next draw.
    let moved = false;
    for (const r of drawn) {
      const element = this.built.get(r.id)?.element;
      if (!element) continue;
      if (this.margins === null) {
        const style = getComputedStyle(element);
        // Adjacent rows' margins collapse into the larger of the two.
        this.margins = Math.max(
          Number.parseFloat(style.marginTop) || 0,
          Number.parseFloat(style.marginBottom) || 0,
        );
      }
      const px = element.offsetHeight > 0 ? element.offsetHeight + this.margins : 0;
      if (px > 0 && px !== this.heights.get(r.id)) {
        moved ||= !this.heights.has(r.id);
        this.heights.set(r.id, px);
      }
    }
    // Guessed heights were wrong: drawn again with those measured (a few times at most).
    if (moved && depth < 3) this.draw(depth + 1);
  }

  private follow(): void {
    const box = this.scroller();
    if (!box || box === this.following) return;
    this.unfollow.abort();
    this.unfollow = new AbortController();
    this.following = box;
    let queued = false;
    const onScroll = () => {
      // A list no longer in the page lets go even if nobody called `destroy` (taken out and put back,
      // it is followed again at its next `set`).
      if (!this.list.isConnected) {
        this.unfollow.abort();
        this.following = null;
        return;
      }
      if (queued || this.rows.length <= WINDOW_FROM) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        this.draw();
      });
    };
    box.addEventListener("scroll", onScroll, { passive: true, signal: this.unfollow.signal });
  }
}
