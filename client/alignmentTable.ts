/**
 * The alignment table of the review page: the base and every witness with text, collated at once
 * (schema/collate.ts, `collateAll`, in a worker: `collateOffPage.ts`), one row per witness, one column per variation point (the text all
 * agree on between them shown as "…", whole in its tooltip). A variant cell is coloured by its type
 * against the base; a click on a column goes to the entry there.
 */

import type * as Y from "yjs";
import {
  type AlignmentTable,
  type Column,
  classifySubstitution,
  DEFAULT_NEAR_MATCH,
} from "../schema/collate.ts";
import { readMeta } from "../schema/layout.ts";
import { listWitnesses } from "../schema/witnesses.ts";
import { collateOffPage } from "./collateOffPage.ts";
import { h } from "./dom.ts";

export interface TableWitness {
  siglum: string;
  partial: boolean;
}

/** The texts of witnesses as collation reads them (their own documents where they have one), all at once. */
export async function witnessTexts(editionId: string, sigla: string[]): Promise<Record<string, string>> {
  const texts = await Promise.all(
    sigla.map(async (s) => {
      const res = await fetch(
        `/api/editions/${encodeURIComponent(editionId)}/witnesses/${encodeURIComponent(s)}?text=own`,
      );
      if (!res.ok) throw new Error(`the text of witness "${s}" could not be read (${res.status})`);
      return [s, await res.text()] as const;
    }),
  );
  return Object.fromEntries(texts);
}

/** Fetches the texts and collates them all at once. */
export async function loadAlignment(
  editionId: string,
  baseSiglum: string,
  witnesses: TableWitness[],
): Promise<{ table: AlignmentTable; baseText: string }> {
  const { [baseSiglum]: baseText = "", ...texts } = await witnessTexts(editionId, [
    baseSiglum,
    ...witnesses.map((w) => w.siglum),
  ]);
  const partial = witnesses.filter((w) => w.partial).map((w) => w.siglum);
  return { table: await collateOffPage({ baseSiglum, base: baseText, witnesses: texts, partial }), baseText };
}

/** The type a cell's reading has against the base's, for its colour. */
function typeOf(base: string, reading: string): string {
  if (base.trim() === "") return "addition";
  if (reading.trim() === "") return "omission";
  return classifySubstitution(base, reading, DEFAULT_NEAR_MATCH);
}

/** A column a click picked: its base stretch, and the row's witness (null: the header or the base's row). */
export interface Picked {
  column: Column;
  siglum: string | null;
}

/**
 * The table as an element; `pick` gets a column's base stretch (offset as a share of the text, and its
 * words) and the column itself. Columns carry their base offsets (`data-start`, `data-end`), variant
 * cells their type (`data-type`), so that print can say it in words.
 */
export function alignmentTableView(
  t: AlignmentTable,
  baseLength: number,
  pick: (at: number, text: string, picked: Picked) => void,
): HTMLElement {
  const header = h("tr", {}, h("th", { scope: "col" }, "witness"));
  const rows = t.sigla.map((s) => h("tr", {}, h("th", { scope: "row" }, s)));
  t.columns.forEach((c, k) => {
    if (!c.variant) {
      header.append(
        h(
          "th",
          { className: "gap", title: c.base.text, "data-start": c.base.start, "data-end": c.base.end },
          "…",
        ),
      );
      for (const [i, s] of t.sigla.entries())
        rows[i]?.append(h("td", { className: "gap" }, c.cells[s] === null ? "" : "…"));
      return;
    }
    const go = (siglum: string | null) =>
      pick(c.base.start / Math.max(1, baseLength), c.base.text, { column: c, siglum });
    header.append(
      h(
        "th",
        { scope: "col", "data-start": c.base.start, "data-end": c.base.end },
        h(
          "button",
          { type: "button", "data-column": String(k), onclick: () => go(null), title: "Go to the entry" },
          `${k}`,
        ),
      ),
    );
    for (const [i, s] of t.sigla.entries()) {
      const cell = c.cells[s] ?? null;
      const differs = cell !== null && cell.text !== c.base.text;
      const type = differs ? typeOf(c.base.text, cell.text) : undefined;
      rows[i]?.append(
        h(
          "td",
          {
            className: cell === null ? "lacks" : differs ? `v type-${type}` : "",
            "data-type": type,
            title: type,
            onclick: () => go(i === 0 ? null : s),
          },
          cell === null ? "⟨lacks⟩" : cell.text || "⟨om.⟩",
        ),
      );
    }
  });
  return h(
    "div",
    { className: "alignment-scroll" },
    h("table", { className: "alignment" }, h("thead", {}, header), h("tbody", {}, ...rows)),
  );
}

/** The latest request of each container's alignment table. */
const requests = new WeakMap<HTMLElement, number>();

/**
 * Shows or hides every witness with text aligned at once in `container` (a copy of the edition's
 * document gives the register); `pick` gets the place of a clicked column.
 */
export async function toggleAlignmentView(
  container: HTMLElement,
  toggle: HTMLElement,
  editionId: string,
  doc: Y.Doc,
  pick: (at: number, text: string) => void,
): Promise<void> {
  // Numbered per container: shown, hidden and shown again while the first was still collated, the
  // container keeps the latest table, not whichever answers last.
  const request = (requests.get(container) ?? 0) + 1;
  requests.set(container, request);
  if (!container.hidden) {
    container.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    return;
  }
  container.hidden = false;
  toggle.setAttribute("aria-expanded", "true");
  container.replaceChildren(h("p", {}, "aligning every witness with text…"));
  const base = readMeta(doc).baseWitness;
  const witnesses = listWitnesses(doc)
    .filter((w) => w.hasText && w.siglum !== base)
    .map((w) => ({ siglum: w.siglum, partial: w.coverage === "partial" }));
  try {
    const { table, baseText } = await loadAlignment(editionId, base, witnesses);
    if (requests.get(container) === request)
      container.replaceChildren(alignmentTableView(table, baseText.length, pick));
  } catch (err) {
    if (requests.get(container) === request)
      container.replaceChildren(h("p", { className: "error" }, String((err as Error).message)));
  }
}

/** The index of the entry whose lemma has the words of a place of the base, the nearest to it (-1: none). */
export function nearestItem(items: { lemma: string; at: number }[], at: number, text: string): number {
  const words = text.trim();
  const has = (lemma: string) =>
    words !== "" && lemma !== "" && (lemma.includes(words) || words.includes(lemma.trim()));
  const pool = items.some((i) => has(i.lemma)) ? items.filter((i) => has(i.lemma)) : items;
  let best: { lemma: string; at: number } | null = null;
  for (const i of pool) if (best === null || Math.abs(i.at - at) < Math.abs(best.at - at)) best = i;
  return best ? items.indexOf(best) : -1;
}
