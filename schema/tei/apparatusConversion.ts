/**
 * Location-referenced and double-end-point apparatus, converted to parallel segmentation before the text
 * is read: each `app` is moved to its lemma in the text (the lemma's words are the text's own, never the
 * apparatus's copy of them), where its anchors allow. Where they do not, the entry is kept whole as a
 * detached entry with its readings, and the report says why ("lemma not found in l 12").
 *
 * - double-end-point: `app/@from` (and `@to`) point to anchors or elements of the text; the lemma is the
 *   text from one to the other, when both are in one line or paragraph; entries on the same end points,
 *   or on a range inside another's, nest (the later one's lemma holds the earlier); one whose range crosses
 *   another's lemma is kept detached;
 * - location-referenced: the `app` sits in the line or paragraph it is about (internal), or names it with
 *   `@loc` (external: `@n` or `xml:id` of one line or paragraph); its `lem`'s words are the lemma when
 *   they occur exactly once there, as whole words.
 *
 * Which `app`s: in a file that declares `variantEncoding/@method="parallel-segmentation"`, none; otherwise
 * those with `@from`, those with `@loc` outside the text's lines and paragraphs, and, where
 * location-referencing is declared, every one.
 */
import type { Element, Node as XNode } from "@xmldom/xmldom";
import { anchorUnplaced, anchorUsed, type Ends, placeBetween, unattachedEnds } from "./apparatusEndPoints.ts";
import { detach, enclosingBlock, isInside, newApp, type Placed, type Unplaced } from "./apparatusMoving.ts";
import { findLemma, lineName, TEXTBLOCKS } from "./apparatusPlacing.ts";
import { children, descendants, elementsNamed, text } from "./dom.ts";
import { reportAttrs } from "./elements.ts";
import { type ReadState, witnessesOf } from "./state.ts";

type Method = "double-end-point" | "location-referenced";

/** Where a kept (unattached) entry goes: read as a detached entry, with its readings. */
export type KeepDetached = (app: Element) => void;

/** Converts the file's apparatus to parallel segmentation in place; entries it cannot place are kept detached. */
export function convertApparatus(state: ReadState, root: Element, keepDetached: KeepDetached): void {
  const encoding = elementsNamed(root, "variantEncoding")[0];
  const declared = encoding?.getAttribute("method") ?? null;
  if (declared === "parallel-segmentation") return;
  const apps = candidates(root, declared);
  if (apps.length === 0) return;
  const ids = new Map<string, Element>();
  for (const el of descendants(root)) {
    const id = el.getAttribute("xml:id");
    if (id) ids.set(id, el);
  }
  const textEl = children(root).find((c) => c.localName === "text") ?? null;
  const formerParents = new Set<Element>();
  let baseDiffers = 0;
  const pending = new Set<XNode>(apps);
  // End points stay in the text until every entry is placed: two entries may share an anchor.
  const ends: Ends = { used: new Set(), unplaced: new Set() };
  for (const app of apps) {
    pending.delete(app);
    const method: Method = app.hasAttribute("from") ? "double-end-point" : "location-referenced";
    const parent = app.parentNode as Element | null;
    const placed =
      method === "double-end-point"
        ? placeBetween(state, app, ids, root, ends)
        : placeAtLocation(state, app, ids, textEl, pending);
    if (parent && !isInside(app, parent)) formerParents.add(parent);
    const what = `<app> ${method}`;
    if (!("app" in placed)) {
      state.report.keptApart(
        app,
        what,
        `not attached (a detached entry, with its readings): ${placed.why}`,
        placed.value,
      );
      detach(app);
      if (parent) formerParents.add(parent);
      if (method === "double-end-point") unattachedEnds(app, ids, pending, ends);
      keepDetached(app);
    } else {
      state.report.converted(
        app,
        what,
        method === "double-end-point"
          ? "to parallel segmentation: its lemma is the text @from (to @to) points to"
          : "to parallel segmentation: its lemma's words, found once in the line or paragraph it is about",
        placed.where || undefined,
      );
      if (readsOtherwise(state, placed.app, placed.lemma)) baseDiffers++;
    }
  }
  for (const anchor of ends.used) anchorUsed(state, anchor);
  for (const anchor of ends.unplaced) if (!ends.used.has(anchor)) anchorUnplaced(state, anchor);
  for (const parent of formerParents) removeIfEmptied(state, parent);
  if (baseDiffers > 0 && !markedBase(root, state.base)) {
    state.report.converted(
      null,
      "the base text",
      `is the edition's own text, not witness "${state.base}": the apparatus gives "${state.base}" other words than the lemma, so it keeps its readings as a witness`,
      `${baseDiffers} ${baseDiffers === 1 ? "entry" : "entries"}`,
    );
    state.base = "BASE";
  }
}

/** The `app`s to convert, in document order (outside the header, not inside another `app`). */
function candidates(root: Element, declared: string | null): Element[] {
  const out: Element[] = [];
  for (const part of children(root)) {
    if (part.localName === "teiHeader") continue;
    for (const app of part.localName === "app" ? [part] : elementsNamed(part, "app")) {
      if (insideApp(app)) continue;
      const list = app.parentNode as Element | null;
      if (list?.localName === "listApp" && list.getAttribute("type") === "detached") continue;
      // An undeclared `app` with `@loc` in a line may be parallel segmentation citing its place: its
      // lem is then the text itself, and taking it out would lose the words. Only one outside is moved.
      const external = app.hasAttribute("loc") && enclosingBlock(app) === null;
      if (app.hasAttribute("from") || external || declared === "location-referenced") out.push(app);
    }
  }
  return out;
}

function insideApp(el: Element): boolean {
  for (let p = el.parentNode; p; p = p.parentNode) if ((p as Element).localName === "app") return true;
  return false;
}

/** location-referenced: moves the entry onto its lemma's words in the line it is about; a reason when it cannot. */
function placeAtLocation(
  state: ReadState,
  app: Element,
  ids: Map<string, Element>,
  textEl: Element | null,
  pending: ReadonlySet<XNode>,
): Placed | Unplaced {
  const block = enclosingBlock(app) ?? namedBlock(app, ids, textEl);
  if (!("tagName" in block)) return block;
  const lem = children(app).find((c) => c.localName === "lem");
  const words = text(lem ?? null);
  const where = lineName(block);
  if (!lem) return { why: "it has no <lem> to find in the line or paragraph it is about", value: where };
  if (words === "")
    return { why: "its <lem> is empty: nothing to find in the line or paragraph it is about", value: where };
  detach(app);
  const found = findLemma(block, words, pending);
  if (typeof found === "string") return { why: `${found} the line or paragraph it is about`, value: where };
  const parent = found.parentNode as Element;
  const next = found.nextSibling;
  const entry = newApp(state, app, [found], null);
  parent.insertBefore(entry, next);
  return { app: entry, lemma: words, where };
}

/** The one line or paragraph `@loc` names (by `@n`, else by `xml:id`), or why there is none. */
function namedBlock(app: Element, ids: Map<string, Element>, textEl: Element | null): Element | Unplaced {
  const loc = (app.getAttribute("loc") ?? "").trim();
  if (!loc) return { why: "it is outside the text and names no line or paragraph (no @loc)" };
  const named = textEl
    ? descendants(textEl).filter((e) => TEXTBLOCKS.has(e.localName ?? "") && e.getAttribute("n") === loc)
    : [];
  if (named.length === 1) return named[0] as Element;
  if (named.length > 1) return { why: "its @loc names more than one line or paragraph", value: loc };
  const byId = ids.get(loc.replace(/^#/, ""));
  if (byId && TEXTBLOCKS.has(byId.localName ?? "")) return byId;
  return { why: "its @loc names no line or paragraph of the text", value: loc };
}

/** A container the apparatus left empty (a `listApp`, an `ab` of entries) goes with it. */
function removeIfEmptied(state: ReadState, el: Element): void {
  if (!el.parentNode || ["body", "front", "back", "text", "standOff", "TEI"].includes(el.localName ?? ""))
    return;
  if (children(el).length > 0 || (el.textContent ?? "").trim() !== "") return;
  state.report.converted(
    el,
    `<${el.localName}> of apparatus entries`,
    "its entries are read at their lemmas",
  );
  reportAttrs(state, el, []);
  el.parentNode.removeChild(el);
}

/** Whether the base witness's own reading in a placed entry differs from the lemma's words. */
function readsOtherwise(state: ReadState, app: Element, lemma: string): boolean {
  const rdgs = children(app).flatMap((c) => (c.localName === "rdgGrp" ? children(c) : [c]));
  return rdgs.some(
    (r) =>
      r.localName === "rdg" &&
      witnessesOf(state, r.getAttribute("wit")).includes(state.base) &&
      text(r) !== lemma,
  );
}

function markedBase(root: Element, base: string): boolean {
  return elementsNamed(root, "witness").some(
    (w) => w.getAttribute("xml:id") === base && w.getAttribute("n") === "base",
  );
}
