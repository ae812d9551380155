/**
 * Moving an apparatus entry in a file's DOM, for the conversion to parallel segmentation: taking it out
 * of the text, and the new `app` that holds its lemma's words in the text with the old one's readings.
 */
import type { Element, Node as XNode } from "@xmldom/xmldom";
import { lineName, seenText, TEXTBLOCKS } from "./apparatusPlacing.ts";
import { children, descendants, lineOf, nodes, TEI_NS, text } from "./dom.ts";
import type { ReadState } from "./state.ts";

/** Elements a lemma may not hold: a lemma is words within one line or paragraph. */
export const BLOCKS = new Set([
  ...TEXTBLOCKS,
  "lg",
  "div",
  "div1",
  "div2",
  "div3",
  "div4",
  "div5",
  "div6",
  "div7",
  "sp",
  "list",
  "table",
  "row",
  "cell",
  "listApp",
  "listWit",
  "body",
  "front",
  "back",
]);

/** Why an entry could not be placed, and where (a line, a pointer), for the report. */
export interface Unplaced {
  why: string;
  value?: string;
}

export interface Placed {
  /** The new `app`, now in the text. */
  app: Element;
  /** The lemma's words as the text has them. */
  lemma: string;
  /** Where it was placed (for the report). */
  where: string;
}

/**
 * Takes an element out of the text; the text on either side becomes one text node again, so that the
 * line reads as if the element had never been there (no doubled space where it stood).
 */
export function detach(el: Element): void {
  const parent = el.parentNode;
  if (!parent) return;
  const before = el.previousSibling;
  const after = el.nextSibling;
  parent.removeChild(el);
  if (before?.nodeType === 3 && after?.nodeType === 3 && el.ownerDocument) {
    const joined = el.ownerDocument.createTextNode(`${before.nodeValue ?? ""}${after.nodeValue ?? ""}`);
    parent.insertBefore(joined, before);
    parent.removeChild(before);
    parent.removeChild(after);
  }
}

/** Whether `node` is `container` or inside it. */
export function isInside(node: XNode, container: XNode): boolean {
  for (let p: XNode | null = node; p; p = p.parentNode) if (p === container) return true;
  return false;
}

/** The line or paragraph an internal `app` is in, or null. */
export function enclosingBlock(app: Element): Element | null {
  for (let p = app.parentNode; p; p = p.parentNode) {
    const name = (p as Element).localName ?? "";
    if (TEXTBLOCKS.has(name)) return p as Element;
    if (name === "body" || name === "front" || name === "back" || name === "listApp") return null;
  }
  return null;
}

/** The name of the line or paragraph an entry was placed in ("" if none). */
export function blockOf(app: Element): string {
  const block = enclosingBlock(app);
  return block ? lineName(block) : "";
}

export function containsBlock(el: Element): boolean {
  return descendants(el).some((d) => BLOCKS.has(d.localName ?? ""));
}

/**
 * A parallel-segmentation `app` holding `lemmaNodes` (moved into its `lem`) and the original entry's
 * readings and notes; the original's `lem` keeps its attributes (its witnesses, as the file gives them).
 */
export function newApp(state: ReadState, old: Element, lemmaNodes: XNode[], point: Element | null): Element {
  const doc = old.ownerDocument;
  if (!doc) throw new Error("an <app> outside a document");
  const app = doc.createElementNS(TEI_NS, "app");
  for (let i = 0; i < old.attributes.length; i++) {
    const a = old.attributes.item(i);
    if (!a) continue;
    if (["from", "to", "loc"].includes(a.name))
      state.report.converted(old, `@${a.name} on <app>`, "read as where its lemma is", a.value);
    else app.setAttribute(a.name, a.value);
  }
  const oldLem = children(old).find((c) => c.localName === "lem");
  const lem = doc.createElementNS(TEI_NS, "lem");
  if (oldLem)
    for (let i = 0; i < oldLem.attributes.length; i++) {
      const a = oldLem.attributes.item(i);
      if (a) lem.setAttribute(a.name, a.value);
    }
  setLine(app, old);
  setLine(lem, oldLem ?? old);
  const before = text(oldLem ?? null);
  for (const n of lemmaNodes) lem.appendChild(n);
  // The text's words only: an entry already placed on them (nested) brings its readings along.
  const after = seenText(lem);
  if (oldLem && before !== after && point === null)
    state.report.dropped(
      oldLem,
      "<lem> whose words differ from the text",
      "the text's own words are the lemma; the apparatus's copy of them is not kept",
      before,
    );
  app.appendChild(lem);
  for (const c of nodes(old)) if (c !== oldLem) app.appendChild(c);
  return app;
}

export function setLine(el: Element, like: XNode): void {
  const line = lineOf(like);
  if (line !== null) (el as unknown as { lineNumber: number }).lineNumber = line;
}
