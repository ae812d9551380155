/**
 * The density strip of a witness in the page: the SVG of schema/pictures.ts (its entries along the text,
 * by type, the current one outlined), parsed into the page; a click on a mark goes to its entry.
 */
import type { Node } from "prosemirror-model";
import type * as Y from "yjs";
import { type ApparatusEntry, placements, readEntry } from "../schema/apparatus.ts";
import { densityStripSvg, stripX } from "../schema/pictures.ts";

/** An entry on the strip: where it stands, from 0 (the start of the text) to 1 (its end). */
export interface StripItem {
  id: string;
  entry: ApparatusEntry;
  lemma: string;
  at: number;
}

/**
 * Entries with a reading of each witness, in the order of the text, as marks of its strip. `read` keeps
 * the entries read (the caller empties it when the register changes): typing moves the marks, not what
 * the entries are.
 */
export function stripItems(
  ydoc: Y.Doc,
  doc: Node,
  read = new Map<string, ApparatusEntry | null>(),
): Map<string, StripItem[]> {
  const out = new Map<string, StripItem[]>();
  const size = Math.max(1, doc.content.size);
  for (const p of placements(doc)) {
    let e = read.get(p.id);
    if (e === undefined) {
      e = readEntry(ydoc, p.id);
      read.set(p.id, e);
    }
    if (!e) continue;
    for (const s of Object.keys(e.readings)) {
      const list = out.get(s) ?? [];
      list.push({ id: p.id, entry: e, lemma: p.lemma, at: p.from / size });
      out.set(s, list);
    }
  }
  return out;
}

/** Moves a strip's "in view" outline to the part of the text now in view (shares of it). */
export function moveHere(svg: SVGSVGElement, here: [number, number]): void {
  const rect = svg.querySelector("rect.here");
  if (!rect) return;
  const [a, b] = here;
  rect.setAttribute("x", String(stripX(a)));
  rect.setAttribute("width", String(Math.max(2, stripX(b) - stripX(a))));
}

/**
 * Outlines the mark of entry `id` as the current one (none: no mark outlined), as schema/pictures.ts
 * draws it: the current tick a lane's full height with a black stroke, the others a pixel shorter at
 * each end.
 */
export function outlineEntry(svg: SVGSVGElement, id: string | null): void {
  const now =
    id === null ? null : svg.querySelector<SVGRectElement>(`rect.tick[data-app="${CSS.escape(id)}"]`);
  const old = svg.querySelector<SVGRectElement>("rect.tick.current");
  if (old !== now) outline(old, now);
}

function outline(old: SVGRectElement | null | undefined, now: SVGRectElement | null | undefined): void {
  if (old?.classList.contains("current")) {
    old.classList.remove("current");
    old.setAttribute("y", String(Number(old.getAttribute("y")) + 1));
    old.setAttribute("height", String(Number(old.getAttribute("height")) - 2));
    old.removeAttribute("stroke");
    old.removeAttribute("stroke-width");
    const title = old.querySelector("title");
    if (title) title.textContent = (title.textContent ?? "").replace(/, current$/, "");
    if (title) old.setAttribute("aria-label", `Go to variant ${title.textContent}`);
  }
  if (now && !now.classList.contains("current")) {
    now.classList.add("current");
    now.setAttribute("y", String(Number(now.getAttribute("y")) - 1));
    now.setAttribute("height", String(Number(now.getAttribute("height")) + 2));
    now.setAttribute("stroke", "#000000");
    now.setAttribute("stroke-width", "1.5");
    const title = now.querySelector("title");
    if (title) title.textContent = `${title.textContent ?? ""}, current`;
    if (title) now.setAttribute("aria-label", `Go to variant ${title.textContent}`);
  }
}

/** Markup of schema/pictures.ts as an element of this page. */
export function svgElement(markup: string): SVGSVGElement {
  const template = document.createElement("template");
  template.innerHTML = markup;
  const svg = template.content.firstElementChild;
  if (!(svg instanceof SVGSVGElement)) throw new Error("a picture's markup is not an <svg> element");
  return svg;
}

export function densityStrip(
  siglum: string,
  items: StripItem[],
  current: number,
  go: (index: number) => void,
  here?: [number, number],
): SVGSVGElement {
  const svg = svgElement(
    densityStripSvg(
      siglum,
      items.map((i) => ({ id: i.id, type: i.entry.type, at: i.at, lemma: i.lemma })),
      here ? { current, here } : { current },
    ),
  );
  const ticks = new Map<Element, number>();
  // Each mark is a button for the keyboard too: Tab to it, Enter or Space goes to its entry.
  svg.querySelectorAll<SVGRectElement>("rect.tick").forEach((tick, i) => {
    ticks.set(tick, i);
    tick.setAttribute("tabindex", "0");
    tick.setAttribute("role", "button");
    tick.setAttribute("aria-label", `Go to variant ${tick.querySelector("title")?.textContent ?? i + 1}`);
  });
  // One listener for all the marks (10,000 of them in a large edition).
  const tickOf = (e: Event) => {
    const tick = e.target instanceof Element ? e.target.closest("rect.tick") : null;
    return tick ? ticks.get(tick) : undefined;
  };
  const bins = Number(svg.dataset.bins ?? 1);
  svg.addEventListener("click", (e) => {
    const i = tickOf(e);
    if (i !== undefined) return go(i);
    // A click on a stretch of the density row goes to its first entry.
    const bin = e.target instanceof Element ? e.target.closest<SVGRectElement>("rect.bin") : null;
    if (!bin) return;
    const k = Number(bin.dataset.bin);
    const first = items.findIndex((it) => Math.min(bins - 1, Math.floor(it.at * bins)) === k);
    if (first >= 0) go(first);
  });
  svg.addEventListener("keydown", (e) => {
    const i = tickOf(e);
    if (i === undefined || (e.key !== "Enter" && e.key !== " ")) return;
    e.preventDefault();
    go(i);
  });
  return svg;
}
