/**
 * The collation views of the workbench, above the text: the pictures (a density strip per witness with
 * readings, the witness coverage map: schema/pictures.ts) and the alignment table (every witness with
 * text aligned at once: rows witnesses, columns aligned stretches, variant cells coloured and named by
 * type). The table scrolls with the text: the columns of the paragraph at the top of the editor come to
 * its left edge and are outlined. A click on a mark, a cell or a column goes to the entry there: it is
 * selected in the text and opened in the apparatus panel. *Beside the base* shows a witness's text
 * beside the editor (besideBase.ts).
 */
import type * as Y from "yjs";
import { type ApparatusEntry, placements, readEntry } from "../schema/apparatus.ts";
import { ROOTS, readMeta } from "../schema/layout.ts";
import { stripX } from "../schema/pictures.ts";
import { plainMap } from "../schema/positions.ts";
import { listWitnesses } from "../schema/witnesses.ts";
import { alignmentTableView, type Picked, witnessTexts } from "./alignmentTable.ts";
import { showWitnessBeside } from "./besideBase.ts";
import { collateOffPage } from "./collateOffPage.ts";
import { coverageMap } from "./coverageMap.ts";
import { densityStrip, moveHere, outlineEntry, stripItems } from "./densityStrip.ts";
import { h } from "./dom.ts";
import { showBlock, showRange } from "./reveal.ts";
import type { Workbench } from "./workbench.ts";

/** What the views need of the page beyond the workbench: the apparatus tab. */
export interface CollationViewsHost {
  editionId: string;
  showTab(id: string): void;
}

/**
 * The first block with an id, in the text's order, for which `past` holds (a test that, once true, stays
 * true further down the text), or with `"last"` the last for which it does not: a binary search over the
 * editor's top-level blocks, then a walk inside the one found. A walk over all of them asked the position
 * of each of a large edition's 2,000 paragraphs, for each witness's strip and at every frame of a scroll.
 */
function blockAt(
  dom: HTMLElement,
  past: (block: HTMLElement) => boolean,
  edge: "first" | "last" = "first",
): HTMLElement | undefined {
  const tops = [...dom.children] as HTMLElement[];
  let lo = 0;
  let hi = tops.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (past(tops[mid] as HTMLElement)) hi = mid;
    else lo = mid + 1;
  }
  const top = tops[edge === "first" ? lo : lo - 1];
  if (!top) return undefined;
  const inside = [top, ...top.querySelectorAll<HTMLElement>("[data-id]")].filter((b) => b.dataset.id);
  return (edge === "first" ? inside.find(past) : inside.reverse().find((b) => !past(b))) ?? top;
}

/** Mounts the views before the editor; returns their cleanup. */
export function mountCollationViews(
  editor: HTMLElement,
  wb: Workbench,
  host: CollationViewsHost,
): () => void {
  const message = h("p", { className: "panel-message", role: "status" });
  const pictures = h("div", { className: "collation-pictures", hidden: true });
  const tableBox = h("div", { className: "collation-table", hidden: true });
  const toggle = (label: string, box: HTMLElement, open: () => void) => {
    const button: HTMLButtonElement = h(
      "button",
      {
        type: "button",
        className: "small",
        "aria-expanded": "false",
        onclick: () => {
          box.hidden = !box.hidden;
          button.setAttribute("aria-expanded", String(!box.hidden));
          if (!box.hidden) open();
        },
      },
      label,
    );
    return button;
  };
  // A witness's text beside the base, paragraph by paragraph (besideBase.ts).
  let closeBeside: (() => void) | null = null;
  // Each choice is a request; only the latest mounts its pane, though an earlier one's text comes later.
  let besideRequest = 0;
  const besideSelect: HTMLSelectElement = h("select", {
    "aria-label": "Witness to show beside the base",
    onchange: async () => {
      const request = ++besideRequest;
      const latest = () => request === besideRequest;
      closeBeside?.();
      closeBeside = null;
      if (!besideSelect.value) return;
      try {
        const close = await showWitnessBeside(editor, wb, host.editionId, besideSelect.value, latest);
        if (latest()) closeBeside = close;
        else close?.();
      } catch (err) {
        if (latest()) message.textContent = (err as Error).message;
      }
    },
  });
  const fillBeside = () => {
    const base = readMeta(wb.ydoc).baseWitness;
    const chosen = besideSelect.value;
    besideSelect.replaceChildren(
      h("option", { value: "" }, "none"),
      ...listWitnesses(wb.ydoc)
        .filter((w) => w.hasText && w.siglum !== base)
        .map((w) => h("option", { value: w.siglum, selected: w.siglum === chosen }, w.siglum)),
    );
  };
  const beside = h("label", {}, "Beside the base: ", besideSelect);
  fillBeside();
  const onWitnesses = () => wb.schedule(fillBeside);
  wb.ydoc.getMap("witnesses").observeDeep(onWitnesses);

  const root = h(
    "section",
    { className: "collation-views", "aria-label": "Collation views" },
    h(
      "div",
      { className: "row" },
      toggle("Variant pictures", pictures, () => wb.schedule(drawPictures)),
      toggle("Alignment table", tableBox, () => void drawTable()),
      beside,
    ),
    pictures,
    tableBox,
    message,
  );
  editor.before(root);

  /** Selects an entry's lemma (or its point) in the text and opens it in the apparatus panel. */
  const goToEntry = (id: string) => {
    const p = placements(wb.view.state.doc).find((q) => q.id === id);
    if (!p) return;
    showRange(wb.view, p.from, Math.max(p.from, p.to));
    host.showTab("apparatus");
    wb.selectEntry(id);
    message.textContent = "";
  };

  let currentEntry: string | null = null;
  /** The entries read for the strips, until the register changes. */
  const entriesRead = new Map<string, ApparatusEntry | null>();
  /** What the pictures drawn show: they are drawn again only when it changes. */
  let drawnShape = "";
  let drawnAts: number[] = [];
  const drawPictures = () => {
    if (pictures.hidden) return;
    const doc = wb.view.state.doc;
    const base = readMeta(wb.ydoc).baseWitness;
    const items = stripItems(wb.ydoc, doc, entriesRead);
    const witnesses = listWitnesses(wb.ydoc).filter(
      (w) => w.siglum !== base && (w.hasText || items.has(w.siglum)),
    );
    const blocks: string[] = [];
    doc.descendants((node) => {
      if (node.type.name === "block_note") return false;
      if (node.isTextblock) {
        if (node.attrs.id) blocks.push(node.attrs.id as string);
        return false;
      }
      return true;
    });
    const here = inView();
    const placed = placements(doc);
    const readingBlocks = (s: string) => {
      const ids = new Set((items.get(s) ?? []).map((i) => i.id));
      return placed.flatMap((p) => (ids.has(p.id) && p.blockId ? [p.blockId] : []));
    };
    // Typing moves the marks by less than the strips show: drawing them all again took a second after
    // every pause in typing, in a large edition. They are drawn again when what they show changes, or a
    // mark has moved by half a pixel.
    const lists = witnesses.map((w) => items.get(w.siglum) ?? []);
    const shape = JSON.stringify([
      witnesses,
      blocks,
      lists.map((list) => list.map((i) => [i.id, i.entry.type, i.lemma])),
      // Which paragraph each reading is in, for the coverage map: a lemma moved to the next paragraph
      // may move its mark by less than half a pixel.
      placed.map((p) => p.blockId),
    ]);
    const ats = lists.flat().map((i) => i.at);
    const moved =
      ats.length !== drawnAts.length ||
      ats.some((a, k) => Math.abs(stripX(a) - stripX(drawnAts[k] ?? -1)) >= 0.5);
    if (shape === drawnShape && !moved && pictures.childElementCount > 0) {
      for (const svg of pictures.querySelectorAll<SVGSVGElement>("svg.density-strip")) {
        moveHere(svg, here);
        outlineEntry(svg, currentEntry);
      }
      return;
    }
    drawnShape = shape;
    drawnAts = ats;
    const strips = witnesses.flatMap((w) => {
      const list = items.get(w.siglum) ?? [];
      if (list.length === 0) return [];
      const current = list.findIndex((i) => i.id === currentEntry);
      return [
        h(
          "div",
          { className: "density", "data-witness": w.siglum },
          densityStrip(
            w.siglum,
            list,
            current,
            (i) => {
              const item = list[i];
              if (!item) return;
              currentEntry = item.id;
              goToEntry(item.id);
              wb.schedule(drawPictures);
            },
            here,
          ),
        ),
      ];
    });
    pictures.replaceChildren(
      h(
        "div",
        { className: "density coverage" },
        coverageMap(
          witnesses.map((w) => ({ ...w, readingBlocks: readingBlocks(w.siglum) })),
          blocks,
          (id) => showBlock(wb.view, id),
        ),
      ),
      ...strips,
    );
  };

  // The entry at the caret is the strips' current one; the strips follow the text's changes.
  let quiet: ReturnType<typeof setTimeout> | undefined;
  // (The caret's entry is read from the marks at the caret, not by walking the text: this runs on every
  // change of the editor's state, the caret's moves included; the text's changes redraw once typing pauses.)
  let drawnDoc = wb.view.state.doc;
  const stopFollowing = wb.onDocChange(() => {
    if (pictures.hidden) return;
    const $from = wb.view.state.selection.$from;
    const lemma = $from.marks().find((m) => m.type.name === "lemma");
    const anchor = [$from.nodeAfter, $from.nodeBefore].find((n) => n?.type.name === "anchor");
    const here = ((lemma ?? anchor)?.attrs.app as string | undefined) ?? null;
    if (here !== null && here !== currentEntry) {
      currentEntry = here;
      // Only the outline moves: drawing every strip again took half a second in a large edition.
      for (const svg of pictures.querySelectorAll<SVGSVGElement>("svg.density-strip"))
        outlineEntry(svg, here);
    }
    if (wb.view.state.doc === drawnDoc) return;
    drawnDoc = wb.view.state.doc;
    clearTimeout(quiet);
    quiet = setTimeout(() => wb.schedule(drawPictures), 600);
  });
  const observed = ["apparatus", "witnesses", "decisions"].map((name) => wb.ydoc.getMap(name));
  const decisions = wb.ydoc.getMap(ROOTS.decisions);
  // The pictures show the entries' types and places, not their readings' statuses: a decision on a
  // reading ("<id>/<siglum>") leaves them as they are (drawing them took a second in a large edition).
  const onRegister = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    // Only the entries changed are read again: typing in a reading's field would otherwise read all ten
    // thousand of a large edition again at the next drawing. A key of the apparatus is an entry's id, one
    // of the decisions the id or "<id>/<siglum>".
    const forget = (key: string) => {
      entriesRead.delete(key);
      entriesRead.delete(key.slice(0, key.lastIndexOf("/")));
    };
    for (const e of events) {
      const top = e.path[0];
      if (typeof top === "string") forget(top);
      else for (const key of e.keys.keys()) forget(key);
    }
    const statusesOnly = events.every(
      (e) => e.target === decisions && [...e.keys.keys()].every((key) => key.includes("/")),
    );
    if (!statusesOnly) wb.schedule(drawPictures);
  };
  for (const m of observed) m.observeDeep(onRegister);

  /** The entry at a column of the table: the one whose place overlaps it, the clicked witness's first. */
  const entryAt = (picked: Picked, map: ReturnType<typeof plainMap>): string | null => {
    const { start, end } = picked.column.base;
    const from = map.posAt[start] ?? map.posAt[start - 1] ?? -1;
    const to = end > start ? (map.posAt[end - 1] ?? -2) + 1 : from;
    if (from < 0) return null;
    const overlapping = placements(wb.view.state.doc).filter((p) =>
      p.from === p.to
        ? p.from >= from - 1 && p.from <= to + 1
        : p.from < Math.max(to, from + 1) && from < p.to,
    );
    const reads = (id: string) =>
      picked.siglum !== null && picked.siglum in (readEntry(wb.ydoc, id)?.readings ?? {});
    return (overlapping.find((p) => reads(p.id)) ?? overlapping[0])?.id ?? null;
  };

  let map: ReturnType<typeof plainMap> | null = null;
  // Each drawing of the table is numbered: one opened again while the last was still being collated (a
  // second or so on a large edition) must not be replaced by the older table when that one answers late.
  let tableRequest = 0;
  const drawTable = async () => {
    const request = ++tableRequest;
    tableBox.replaceChildren(h("p", {}, "aligning every witness with text…"));
    const base = readMeta(wb.ydoc).baseWitness;
    const at = plainMap(wb.view.state.doc);
    const baseText = at.text;
    const witnesses = listWitnesses(wb.ydoc).filter((w) => w.hasText && w.siglum !== base);
    try {
      const texts = await witnessTexts(
        host.editionId,
        witnesses.map((w) => w.siglum),
      );
      const partial = witnesses.filter((w) => w.coverage === "partial").map((w) => w.siglum);
      const table = await collateOffPage({ baseSiglum: base, base: baseText, witnesses: texts, partial });
      if (request !== tableRequest) return;
      map = at;
      tableBox.replaceChildren(
        alignmentTableView(table, baseText.length, (_share, _text, picked) => {
          const id = entryAt(picked, at);
          if (id) {
            currentEntry = id;
            goToEntry(id);
            return;
          }
          const pos = at.posAt[picked.column.base.start];
          if (pos !== undefined && pos >= 0) showRange(wb.view, pos, pos);
          message.textContent = `No entry here yet${picked.siglum ? `: collate ${picked.siglum} from the Witnesses panel` : ""}.`;
        }),
      );
      follow();
    } catch (err) {
      if (request === tableRequest)
        tableBox.replaceChildren(h("p", { className: "error" }, String((err as Error).message)));
    }
  };

  /** The part of the text in the window, as shares of it (from the first block in view to the last). */
  const inView = (): [number, number] => {
    const size = Math.max(1, wb.view.state.doc.content.size);
    const top = root.getBoundingClientRect().bottom;
    const first = blockAt(wb.view.dom, (b) => b.getBoundingClientRect().bottom > top);
    const last =
      blockAt(wb.view.dom, (b) => b.getBoundingClientRect().top >= window.innerHeight, "last") ?? first;
    if (!first || !last) return [0, 0];
    const at = (b: HTMLElement, end: boolean) => {
      const pos = wb.view.posAtDOM(b, end ? b.childNodes.length : 0);
      return Math.min(1, Math.max(0, pos / size));
    };
    return [at(first, false), at(last, true)];
  };

  /** Brings the table's columns of the paragraph at the top of the text to its left edge. */
  const follow = () => {
    const scroller = tableBox.querySelector<HTMLElement>(".alignment-scroll");
    if (tableBox.hidden || !scroller || !map) return;
    const top = root.getBoundingClientRect().bottom;
    const first = blockAt(wb.view.dom, (b) => b.getBoundingClientRect().bottom > top);
    const id = first?.dataset.id;
    if (!id) return;
    const start = map.blockAt.indexOf(id);
    const end = map.blockAt.lastIndexOf(id) + 1;
    if (start < 0) return;
    const heads = [...scroller.querySelectorAll<HTMLElement>("thead th[data-start]")];
    let target: HTMLElement | null = null;
    for (const th of heads) {
      const s = Number(th.dataset.start);
      const e = Number(th.dataset.end);
      const inView = s < end && (e > start || (s === e && s >= start));
      th.classList.toggle("in-view", inView);
      if (inView && !target) target = th;
    }
    if (target) scroller.scrollLeft = target.offsetLeft - (heads[0]?.offsetLeft ?? 0);
  };
  let ticking = false;
  const onScroll = () => {
    if (ticking) return;
    ticking = true;
    requestAnimationFrame(() => {
      ticking = false;
      follow();
      if (pictures.hidden) return;
      const here = inView();
      for (const svg of pictures.querySelectorAll<SVGSVGElement>("svg.density-strip")) moveHere(svg, here);
    });
  };
  window.addEventListener("scroll", onScroll, { passive: true });

  return () => {
    window.removeEventListener("scroll", onScroll);
    for (const m of observed) m.unobserveDeep(onRegister);
    clearTimeout(quiet);
    besideRequest++;
    tableRequest++;
    stopFollowing();
    closeBeside?.();
    wb.ydoc.getMap("witnesses").unobserveDeep(onWitnesses);
    root.remove();
  };
}
