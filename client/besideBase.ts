/**
 * *Witness beside base*: two texts paragraph by paragraph, the other one scrolled to the passage that
 * the paragraph at the caret collates with (schema/collate/passages.ts: the collation's alignment, and
 * the entries that give the witness a reading). Two ways round, one pane:
 *
 * - On a witness's own page (its transcription), the base text beside it: scan | transcription | base
 *   when the witness has page images (the scans panel moves to the left), transcription | base without.
 * - On the edition's page, any witness with text beside the base (the Russian passages beside the ICC
 *   text, as a translation view): witness | base.
 *
 * A click on a paragraph of the pane puts the caret at the start of the editor's paragraph it collates
 * with. The pane is read-only: the texts are only shown, never changed.
 */
import type { EditorView } from "prosemirror-view";
import { placements, readEntry } from "../schema/apparatus.ts";
import {
  basePairs,
  type Passage,
  type PassageReading,
  passagePairs,
  passagesOf,
} from "../schema/collate/passages.ts";
import { collate } from "../schema/collate.ts";
import { type PlainMap, plainMap } from "../schema/positions.ts";
import { listWitnesses } from "../schema/witnesses.ts";
import { h } from "./dom.ts";
import { showBlock } from "./reveal.ts";
import type { Workbench } from "./workbench.ts";

const api = (editionId: string, path = "") => `/api/editions/${encodeURIComponent(editionId)}${path}`;

async function fetchText(editionId: string, siglum: string): Promise<string> {
  const res = await fetch(api(editionId, `/witnesses/${encodeURIComponent(siglum)}?text=own`));
  if (!res.ok) throw new Error(`the text of witness "${siglum}" could not be read (${res.status})`);
  return res.text();
}

/** The paragraph of the editor's text the caret is in, as an index into `passages`; -1 outside them. */
function caretPassage(view: EditorView, map: PlainMap, passages: Passage[]): number {
  const id = view.state.selection.$from.parent.attrs.id as string | null | undefined;
  let offset = id ? map.blockAt.indexOf(id) : -1;
  if (offset < 0) {
    const pos = view.state.selection.from;
    offset = map.posAt.findIndex((p) => p >= pos);
  }
  if (offset < 0) return -1;
  return passages.findIndex((p) => offset >= p.start && offset <= p.end);
}

interface Pane {
  root: HTMLElement;
  /** Lights these paragraphs and scrolls the pane to the first. */
  show(indices: number[]): void;
  say(text: string): void;
}

/** A read-only pane of a text's paragraphs; `pick` gets the index of a clicked one. */
function pane(
  heading: string,
  lang: string,
  text: string,
  passages: Passage[],
  pick: (i: number) => void,
): Pane {
  const note = h("p", { className: "hint", role: "status" });
  const paragraphs = passages.map((p, i) =>
    h(
      "p",
      {
        className: "beside-passage",
        "data-passage": String(i),
        tabindex: 0,
        onclick: () => pick(i),
        onkeydown: (e: KeyboardEvent) => {
          if (e.key === "Enter") pick(i);
        },
      },
      text.slice(p.start, p.end),
    ),
  );
  const body = h("div", { className: "beside-text", lang: lang || undefined }, ...paragraphs);
  const root = h(
    "aside",
    { className: "beside-pane", "aria-label": heading },
    h("h2", {}, heading),
    note,
    body,
  );
  return {
    root,
    show(indices) {
      for (const p of paragraphs) p.classList.remove("lit");
      for (const i of indices) paragraphs[i]?.classList.add("lit");
      const first = paragraphs[indices[0] ?? -1];
      // The pane scrolls on its own: the page (and the editor in it) stays where it is.
      if (first) root.scrollTop = first.offsetTop - body.offsetTop;
    },
    say(t) {
      note.textContent = t;
    },
  };
}

/** The nearest paired neighbour's pairs, for a paragraph nothing of which aligns (looking back first). */
function nearest(pairs: number[][], i: number): number[] {
  for (let d = 1; d < pairs.length; d++) {
    const before = pairs[i - d];
    if (before?.length) return before.slice(-1);
    const after = pairs[i + d];
    if (after?.length) return after.slice(0, 1);
  }
  return [];
}

/** Lays the page out for the pane; returns what undoes it. */
function layOut(editor: HTMLElement, paneRoot: HTMLElement, editorFirst: boolean): () => void {
  const column = editor.parentElement as HTMLElement;
  if (editorFirst) editor.after(paneRoot);
  else editor.before(paneRoot);
  column.classList.add("beside");
  document.body.classList.add("beside-base");
  return () => {
    paneRoot.remove();
    column.classList.remove("beside");
    document.body.classList.remove("beside-base", "has-scans");
  };
}

/**
 * On a witness's page: the base text beside the transcription, following the caret. `wb.view` edits the
 * witness. Returns its cleanup.
 */
export function mountBaseBeside(
  editor: HTMLElement,
  wb: Workbench,
  editionId: string,
  siglum: string,
): () => void {
  let undo: (() => void) | null = null;
  let destroyed = false;
  let follow: (() => void) | null = null;
  let recollate: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The caret's moves only move the pane; a change of the text collates again once typing pauses.
  let seen = wb.view.state.doc;
  const stopListening = wb.onDocChange(() => {
    follow?.();
    if (wb.view.state.doc === seen) return;
    seen = wb.view.state.doc;
    clearTimeout(timer);
    timer = setTimeout(() => recollate?.(), 800);
  });
  void (async () => {
    const meta = (await (await fetch(api(editionId))).json()) as { baseWitness?: string };
    const base = meta.baseWitness ?? "";
    const register = (await (await fetch(api(editionId, "/witnesses"))).json()) as {
      siglum: string;
      coverage: string;
      language: string;
    }[];
    const baseText = await fetchText(editionId, base);
    const manifest = await fetch(
      `/iiif/${encodeURIComponent(editionId)}/${encodeURIComponent(siglum)}/manifest.json`,
    )
      .then((r) => (r.ok ? (r.json() as Promise<{ items?: unknown[] }>) : { items: [] }))
      .catch(() => ({ items: [] }));
    if (destroyed) return;
    const basePassages = passagesOf(baseText);
    const partial = register.find((w) => w.siglum === siglum)?.coverage !== "full";
    let map = plainMap(wb.view.state.doc);
    let own = passagesOf(map.text);
    let pairs: number[][] = [];
    const view = pane(
      `Base text (${base}) beside ${siglum}`,
      register.find((w) => w.siglum === base)?.language ?? "",
      baseText,
      basePassages,
      (b) => {
        const w = basePairs(pairs, basePassages.length)[b]?.[0];
        const id = w === undefined ? null : map.blockAt[(own[w] as Passage).start];
        if (id) showBlock(wb.view, id);
        else view.say(`Nothing of ${siglum} is aligned with this paragraph of the base.`);
      },
    );
    undo = layOut(editor, view.root, true);
    document.body.classList.toggle("has-scans", (manifest.items?.length ?? 0) > 0);
    recollate = () => {
      map = plainMap(wb.view.state.doc);
      own = passagesOf(map.text);
      pairs = map.text.trim()
        ? passagePairs(basePassages, own, collate(baseText, map.text, { partial }), map.text)
        : [];
      follow?.();
    };
    follow = () => {
      const w = caretPassage(wb.view, map, own);
      const found = pairs[w] ?? [];
      view.show(found.length ? found : nearest(pairs, w));
      view.say(
        w < 0 || found.length
          ? ""
          : "Nothing of this paragraph aligns with the base: shown beside the nearest that does.",
      );
    };
    recollate();
  })().catch((err: Error) => {
    editor.parentElement?.append(
      h("p", { className: "error" }, `The base text cannot be shown beside: ${err.message}`),
    );
  });
  return () => {
    destroyed = true;
    stopListening();
    clearTimeout(timer);
    undo?.();
  };
}

/**
 * On the edition's page: a witness's text beside the base (the editor), following the caret in the base;
 * the pairs come from the collation and from the entries that give the witness a reading. Returns its
 * cleanup; shows nothing (and returns null) if `wanted()` says, once the text is fetched, that it is no
 * longer wanted.
 */
export async function showWitnessBeside(
  editor: HTMLElement,
  wb: Workbench,
  editionId: string,
  siglum: string,
  wanted: () => boolean = () => true,
): Promise<(() => void) | null> {
  const text = await fetchText(editionId, siglum);
  if (!wanted()) return null;
  const record = listWitnesses(wb.ydoc).find((w) => w.siglum === siglum);
  const own = passagesOf(text);
  let map = plainMap(wb.view.state.doc);
  let basePassages = passagesOf(map.text);
  let byBase: number[][] = [];
  let byWitness: number[][] = [];
  const compute = () => {
    map = plainMap(wb.view.state.doc);
    basePassages = passagesOf(map.text);
    // Each entry's reading of this witness, on the stretch of the base its lemma stands on.
    const offsetOf = new Map<number, number>();
    map.posAt.forEach((pos, i) => {
      if (pos >= 0 && !offsetOf.has(pos)) offsetOf.set(pos, i);
    });
    const readings: PassageReading[] = placements(wb.view.state.doc).flatMap((p) => {
      const r = readEntry(wb.ydoc, p.id)?.readings[siglum];
      const start = offsetOf.get(p.from) ?? offsetOf.get(p.from + 1);
      if (r?.kind !== "text" || start === undefined) return [];
      const end = (offsetOf.get(p.to - 1) ?? start) + 1;
      return [{ base: { start, end }, text: r.text }];
    });
    const collation = collate(map.text, text, { partial: record?.coverage !== "full" });
    byWitness = passagePairs(basePassages, own, collation, text, readings);
    byBase = basePairs(byWitness, basePassages.length);
  };
  compute();
  const view = pane(
    `${siglum}${record ? ` — ${record.title}` : ""}, beside the base`,
    record?.language ?? "",
    text,
    own,
    (w) => {
      const b = byWitness[w]?.[0];
      const id = b === undefined ? null : map.blockAt[(basePassages[b] as Passage).start];
      if (id) showBlock(wb.view, id);
      else view.say("Nothing of this paragraph is aligned with the base.");
    },
  );
  const undo = layOut(editor, view.root, false);
  let destroyed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const follow = () => {
    if (destroyed) return;
    const b = caretPassage(wb.view, map, basePassages);
    const found = byBase[b] ?? [];
    view.show(found);
    view.say(b < 0 || found.length ? "" : `${siglum} has nothing at this paragraph of the base.`);
  };
  let seen = wb.view.state.doc;
  const stopListening = wb.onDocChange(() => {
    if (destroyed) return;
    follow();
    if (wb.view.state.doc === seen) return;
    seen = wb.view.state.doc;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (destroyed) return;
      compute();
      follow();
    }, 800);
  });
  follow();
  return () => {
    destroyed = true;
    stopListening();
    clearTimeout(timer);
    undo();
  };
}
