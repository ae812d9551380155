/**
 * The apparatus panel: every entry in document order, printed as an apparatus line
 * (`lemma] reading WD; om. Q`); clicking one selects its lemma; the selected entry is edited below:
 * type, each witness's reading and that reading's own status, the editor's note; the entry's status is
 * derived from its readings' and shown. A detached entry (its lemma deleted from the text) is listed
 * with the words it was on and its readings, and can be re-attached to a new selection.
 */
import * as Y from "yjs";
import {
  formatEntry,
  type Placement,
  placements,
  readEntry,
  recordLemma,
  VARIANT_TYPE_LABELS,
} from "../schema/apparatus.ts";
import { ROOTS } from "../schema/layout.ts";
import { schema } from "../schema/schema.ts";
import { listWitnesses } from "../schema/witnesses.ts";
import { h } from "./dom.ts";
import { drawEntryEditor } from "./entryEditor.ts";
import { addVariant, lemmaProblem, selectRange } from "./markup.ts";
import { PANEL_ORIGIN } from "./undo.ts";
import type { Workbench } from "./workbench.ts";

/**
 * The origin of recording a detached entry's lemma: not on anyone's undo stack, so that one Ctrl-Z still
 * undoes the deletion (and re-attaches the entry) in one step.
 */
const RECORD_ORIGIN = { kind: "panel-record" } as const;

/** Past this many entries the list draws only the lines in view. */
const WINDOW_FROM = 300;
/** The height of one line of a windowed list, in em. */
const ROW_EM = 4.5;
/** How long after the last change of the text the list is brought up to date. */
const AFTER_TYPING_MS = 150;

export function mountApparatusPanel(root: HTMLElement, wb: Workbench): () => void {
  let selected: string | null = null;
  // The lemmas seen at the last render, to record the words of an entry that becomes detached.
  let lastLemmas = new Map<string, string>();
  const message = h("p", { className: "panel-message", role: "status" });
  const list = h("ol", { className: "apparatus-list", "aria-label": "Apparatus entries in document order" });
  const detached = h("div", { className: "detached" });
  const editor = h("div", { className: "entry-editor" });
  let unbind: (() => void)[] = [];

  const add = h(
    "button",
    {
      type: "button",
      title: "Add a variant reading: the selection becomes its lemma",
      onclick: () => {
        const result = addVariant(wb.view, wb.ydoc, wb.user());
        message.textContent = result.ok ? "" : result.reason;
        if (result.ok) {
          selected = result.id;
          render();
        }
      },
    },
    "Add variant at selection",
  );
  root.append(
    h(
      "p",
      { className: "hint" },
      wb.canEdit
        ? "Select the lemma in the text (or put the caret where a witness adds words), then:"
        : wb.canReview
          ? "You may decide on entries and comment on them."
          : "You may read the apparatus.",
    ),
    wb.canEdit ? add : "",
    message,
    list,
    detached,
    editor,
  );

  /** One entry's line in the list; its lemma's place is looked up again on a click (positions move). */
  const row = (p: Placement, index: number, windowed: boolean) => {
    const entry = readEntry(wb.ydoc, p.id);
    const attrs = {
      value: index + 1,
      // A windowed list's rows have one height, so that the rows not drawn can be stood in for by padding.
      style: windowed ? `height:${ROW_EM}em;overflow:hidden;margin:0;box-sizing:border-box` : undefined,
    };
    if (!entry) return h("li", attrs, `${p.id}: no record`);
    return h(
      "li",
      {
        ...attrs,
        className: `entry status-${entry.status}`,
        "aria-current": p.id === selected ? "true" : undefined,
      },
      h(
        "button",
        {
          type: "button",
          className: "entry-line",
          "data-app": p.id,
          onclick: () => {
            selected = p.id;
            const now = placements(wb.view.state.doc).find((q) => q.id === p.id);
            if (now && now.to > now.from) selectRange(wb.view, now.from, now.to);
            render();
          },
        },
        formatEntry(p.lemma, entry),
      ),
      h("span", { className: "badge type" }, VARIANT_TYPE_LABELS[entry.type]),
      h("span", { className: `badge status ${entry.status}` }, entry.status),
    );
  };

  let placed: Placement[] = [];
  let rowPx = 0;
  // The side bar's scroll position and height as its scroll events and a ResizeObserver last saw them:
  // they run once the page is laid out, where reading them from the elements while drawing would lay
  // out the whole page at once, the text too (60 ms in a large edition, when its text has just arrived
  // and the frame is about to lay it out anyway).
  let seenScrollTop = 0;
  let seenHeight = 0;
  /** The panel's scrolling box (the side bar), or null while the panel is not in the page. */
  const scroller = () => list.closest<HTMLElement>(".side") ?? null;
  /**
   * Draws the list: every line when there are few; past WINDOW_FROM entries only the lines in view
   * (and a margin), with padding standing in for the rest, so that a keystroke or a scroll does not
   * rebuild thousands of lines.
   */
  const renderRows = () => {
    if (placed.length <= WINDOW_FROM) {
      list.style.paddingTop = "";
      list.style.paddingBottom = "";
      list.replaceChildren(...placed.map((p, i) => row(p, i, false)));
      return;
    }
    const box = scroller();
    const px = rowPx || 16 * ROW_EM;
    let first = 0;
    let count = seenHeight > 0 ? Math.ceil(seenHeight / px) + 20 : 60;
    // At the top of the side bar the first rows are in view, wherever the list starts: nothing to measure.
    if (box && seenScrollTop > 0 && box.clientHeight > 0) {
      const top = list.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
      first = Math.max(0, Math.floor((box.scrollTop - top) / px) - 10);
      count = Math.ceil(box.clientHeight / px) + 20;
    }
    first = Math.min(first, Math.max(0, placed.length - count));
    const last = Math.min(placed.length, first + count);
    list.style.paddingTop = `${first * px}px`;
    list.style.paddingBottom = `${(placed.length - last) * px}px`;
    list.replaceChildren(...placed.slice(first, last).map((p, i) => row(p, first + i, true)));
    if (seenScrollTop > 0) measureRow();
  };
  /** Learns a row's height from the first row drawn; draws again, at the next frame, if it was not known. */
  const measureRow = () => {
    const drawn = list.firstElementChild as HTMLElement | null;
    if (rowPx || placed.length <= WINDOW_FROM || !drawn || drawn.offsetHeight === 0) return;
    rowPx = drawn.offsetHeight;
    wb.schedule(renderRows);
  };
  let scrolling: HTMLElement | null = null;
  // The side bar outlives this panel (a fresh session mounts a new one into it): what is attached to
  // it is detached when the panel is.
  const detach = new AbortController();
  let sizes: ResizeObserver | null = null;
  const followScroll = () => {
    const box = scroller();
    if (!box || box === scrolling) return;
    scrolling = box;
    sizes?.disconnect();
    box.addEventListener(
      "scroll",
      () => {
        seenScrollTop = box.scrollTop;
        if (placed.length > WINDOW_FROM) wb.schedule(renderRows);
      },
      { passive: true, signal: detach.signal },
    );
    // Called after a layout in which the side bar or the list changed size, before it is painted, and
    // first once they are observed: the side bar may have been scrolled before the list was there.
    sizes = new ResizeObserver(() => {
      const height = box.clientHeight;
      const moved = height > seenHeight || box.scrollTop !== seenScrollTop;
      seenHeight = height;
      seenScrollTop = box.scrollTop;
      if (moved && placed.length > WINDOW_FROM) wb.schedule(renderRows);
      measureRow();
    });
    sizes.observe(box);
    sizes.observe(list);
  };

  const render = () => {
    const doc = wb.view.state.doc;
    placed = placements(doc);
    followScroll();
    renderRows();
    const placedIds = new Set(placed.map((p) => p.id));
    const lost = [...wb.ydoc.getMap(ROOTS.apparatus).keys()].filter((id) => !placedIds.has(id)).sort();
    if (wb.canEdit) {
      const toRecord = lost.filter((id) => {
        const was = lastLemmas.get(id);
        return was !== undefined && was !== "" && readEntry(wb.ydoc, id)?.recordedLemma !== was;
      });
      if (toRecord.length > 0)
        wb.ydoc.transact(() => {
          for (const id of toRecord) recordLemma(wb.ydoc, id, lastLemmas.get(id) as string);
        }, RECORD_ORIGIN);
    }
    lastLemmas = new Map(placed.map((p) => [p.id, p.lemma]));
    detached.replaceChildren(
      ...(lost.length
        ? [
            h("h3", {}, "Detached entries"),
            h(
              "p",
              { className: "hint" },
              "Their lemma was deleted from the text; they are kept whole, never moved elsewhere, and left out of the printed apparatus (listed in its report). Select new words and re-attach one.",
            ),
            h(
              "ul",
              {},
              ...lost.map((id) => {
                const entry = readEntry(wb.ydoc, id);
                const line = entry ? formatEntry(entry.recordedLemma || "(lemma not recorded)", entry) : id;
                return h(
                  "li",
                  { className: `entry detached status-${entry?.status ?? "proposed"}` },
                  h(
                    "button",
                    {
                      type: "button",
                      className: "entry-line",
                      "data-app": id,
                      "aria-current": id === selected ? "true" : undefined,
                      onclick: () => {
                        selected = id;
                        render();
                      },
                    },
                    line,
                  ),
                  entry ? h("span", { className: "badge type" }, VARIANT_TYPE_LABELS[entry.type]) : "",
                  entry ? h("span", { className: `badge status ${entry.status}` }, entry.status) : "",
                );
              }),
            ),
          ]
        : []),
    );
    const isDetached = selected !== null && lost.includes(selected);
    renderEditor(placed.find((p) => p.id === selected)?.lemma ?? "", isDetached);
  };

  let shown = "";
  /** Puts a detached entry back on the words now selected (or, for an addition, at the caret). */
  const reattach = (id: string, wasAddition: boolean) => {
    const state = wb.view.state;
    const { from, to, empty } = state.selection;
    if (empty && !wasAddition) {
      message.textContent = "Select the words to re-attach this entry to.";
      return;
    }
    const problem = lemmaProblem(state);
    if (problem) {
      message.textContent = problem;
      return;
    }
    message.textContent = "";
    const words = state.doc.textBetween(from, to, " ");
    wb.view.dispatch(
      empty
        ? state.tr.insert(from, schema.nodes.anchor.create({ app: id }))
        : state.tr.addMark(from, to, schema.marks.lemma.create({ app: id })),
    );
    if (!empty) wb.ydoc.transact(() => recordLemma(wb.ydoc, id, words), PANEL_ORIGIN);
    render();
  };

  const renderEditor = (lemma: string, isDetached = false) => {
    const entry = selected ? readEntry(wb.ydoc, selected) : null;
    // Rebuild only when the entry's shape changes: the fields bound to Y.Texts stay live meanwhile, so
    // nobody's typing is cut off by someone else's change.
    const shape = JSON.stringify([
      selected,
      lemma,
      isDetached,
      entry && [
        entry.type,
        entry.status,
        entry.decisions,
        entry.recordedLemma,
        entry.decidedBy,
        Object.entries(entry.readings).map(([k, r]) => [k, r.kind]),
      ],
      listWitnesses(wb.ydoc).map((w) => w.siglum),
    ]);
    if (shape === shown) return;
    shown = shape;
    for (const u of unbind) u();
    unbind = [];
    if (!selected || !entry) {
      editor.replaceChildren();
      return;
    }
    unbind = drawEntryEditor(editor, wb, selected, entry, lemma, isDetached, {
      reattach,
      deleted: () => {
        selected = null;
        render();
      },
    });
  };

  // Re-render on changes that are not typing inside this panel's own fields.
  const onChange = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
    if (tr.origin === PANEL_ORIGIN && events.every((e) => e.target instanceof Y.Text)) return;
    if (events.every((e) => e.target instanceof Y.Text && editor.contains(document.activeElement))) return;
    wb.schedule(render);
  };
  for (const name of [ROOTS.apparatus, ROOTS.decisions, ROOTS.witnesses])
    wb.ydoc.getMap(name).observeDeep(onChange);
  // Typing moves lemmas but rarely changes them: the list follows the text once typing pauses (the
  // entries' own changes above still show at the next frame).
  let quiet: ReturnType<typeof setTimeout> | undefined;
  const stopFollowing = wb.onDocChange(() => {
    clearTimeout(quiet);
    quiet = setTimeout(() => wb.schedule(render), AFTER_TYPING_MS);
  });
  wb.selectEntry = (id: string) => {
    selected = id;
    render();
  };
  render();
  return () => {
    clearTimeout(quiet);
    stopFollowing();
    for (const name of [ROOTS.apparatus, ROOTS.decisions, ROOTS.witnesses])
      wb.ydoc.getMap(name).unobserveDeep(onChange);
    for (const u of unbind) u();
    detach.abort();
    sizes?.disconnect();
  };
}
