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
import { findLemma, lineName, seenText, TEXTBLOCKS } from "./apparatusPlacing.ts";
import { children, descendants, elementsNamed, lineOf, nodes, TEI_NS, text } from "./dom.ts";
import { reportAttrs } from "./elements.ts";
import { type ReadState, witnessesOf } from "./state.ts";

type Method = "double-end-point" | "location-referenced";

/** Elements a lemma may not hold: a lemma is words within one line or paragraph. */
const BLOCKS = new Set([
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

/**
 * Takes an element out of the text; the text on either side becomes one text node again, so that the
 * line reads as if the element had never been there (no doubled space where it stood).
 */
function detach(el: Element): void {
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
function isInside(node: XNode, container: XNode): boolean {
  for (let p: XNode | null = node; p; p = p.parentNode) if (p === container) return true;
  return false;
}

function insideApp(el: Element): boolean {
  for (let p = el.parentNode; p; p = p.parentNode) if ((p as Element).localName === "app") return true;
  return false;
}

/** Why an entry could not be placed, and where (a line, a pointer), for the report. */
interface Unplaced {
  why: string;
  value?: string;
}

interface Placed {
  /** The new `app`, now in the text. */
  app: Element;
  /** The lemma's words as the text has them. */
  lemma: string;
  /** Where it was placed (for the report). */
  where: string;
}

/** The anchors entries end at: removed once every entry is placed (said so), as used or as left over. */
interface Ends {
  used: Set<Element>;
  unplaced: Set<Element>;
}

const isAnchor = (n: XNode | null | undefined): boolean =>
  n?.nodeType === 1 && (n as Element).localName === "anchor";

/**
 * double-end-point: moves the entry to the text from `@from` to `@to`; a reason when it cannot. Its new
 * `app` goes between its end points, so that a later entry on the same end points holds it in its lemma
 * (entries nest, as parallel segmentation nests them), and one on a wider range holds it too.
 */
function placeBetween(
  state: ReadState,
  app: Element,
  ids: Map<string, Element>,
  root: Element,
  ends: Ends,
): Placed | Unplaced {
  const fromRef = app.getAttribute("from") ?? "";
  const toRef = app.getAttribute("to") ?? fromRef;
  const from = ids.get(fromRef.replace(/^#/, ""));
  const to = ids.get(toRef.replace(/^#/, ""));
  if (!from) return { why: "@from or @to points to no element of the file", value: fromRef };
  if (!to) return { why: "@from or @to points to no element of the file", value: toRef };
  if (isInside(from, app) || isInside(to, app)) return { why: "its end points are inside the entry itself" };
  for (const [end, ref] of [
    [from, fromRef],
    [to, toRef],
  ] as const)
    if (!isInside(end, root))
      return { why: "its end point is not in the text (it is inside an entry kept detached)", value: ref };
  if (from === to) {
    if (isAnchor(from)) {
      // One anchor: a point, where a witness adds words the text lacks.
      detach(app);
      const entry = newApp(state, app, [], from);
      from.parentNode?.insertBefore(entry, from);
      ends.used.add(from);
      return { app: entry, lemma: "", where: blockOf(entry) };
    }
    if (containsBlock(from))
      return { why: "the lemma would be more than words (a whole line group or division)", value: fromRef };
    detach(app);
    const entry = newApp(state, app, nodes(from), null);
    from.appendChild(entry);
    return { app: entry, lemma: lemmaOf(entry), where: blockOf(entry) };
  }
  if (from.parentNode !== to.parentNode) {
    const block = enclosingBlock(from);
    const crossed = [from, to].some((end) => lemmaBetween(end, block) !== null);
    if (block !== null && block === enclosingBlock(to))
      return crossed
        ? {
            why: "its words cross the lemma of another entry (entries may nest, not overlap)",
            value: `${fromRef} ${toRef}`,
          }
        : {
            why: "its end points are in different elements of one line or paragraph",
            value: `${fromRef} ${toRef}`,
          };
    return { why: "its end points are not in one line or paragraph", value: `${fromRef} ${toRef}` };
  }
  const range: XNode[] = [];
  let at: XNode | null = from;
  while (at && at !== to) {
    range.push(at);
    at = at.nextSibling;
  }
  if (at !== to) return { why: "@to comes before @from", value: `${fromRef} ${toRef}` };
  range.push(to);
  // The end points' own anchors stay in the text; any anchor between them goes with the words (another
  // entry's end point, so that entry finds its words in this one's lemma).
  const inner = range.filter((n) => !((n === from || n === to) && isAnchor(n)));
  const parent = from.parentNode as Element;
  if (BLOCKS.has(parent.localName ?? "") && !TEXTBLOCKS.has(parent.localName ?? ""))
    return { why: "the lemma would span lines or paragraphs", value: `${lineName(from)}, ${lineName(to)}` };
  if (
    inner.some(
      (n) => n.nodeType === 1 && (BLOCKS.has((n as Element).localName ?? "") || containsBlock(n as Element)),
    )
  )
    return { why: "the lemma would span lines or paragraphs", value: `${fromRef} ${toRef}` };
  if (inner.length === 0 || inner.every((n) => isAnchor(n) || (n.nodeType === 3 && n.nodeValue === "")))
    return { why: "there are no words between its end points", value: `${fromRef} ${toRef}` };
  detach(app);
  const next = isAnchor(to) ? to : to.nextSibling;
  const entry = newApp(state, app, inner, null);
  parent.insertBefore(entry, next);
  for (const end of [from, to]) if (isAnchor(end)) ends.used.add(end);
  return { app: entry, lemma: lemmaOf(entry), where: blockOf(entry) };
}

/** The words of a placed entry's lemma as the reader sees them (an entry inside it: only its lemma). */
function lemmaOf(entry: Element): string {
  return seenText(entry.getElementsByTagNameNS(TEI_NS, "lem")[0] as Element);
}

/** The lemma (`lem`) an end point is inside, below `block`; null if none. */
function lemmaBetween(node: XNode, block: Element | null): Element | null {
  for (let p = node.parentNode; p && p !== block; p = p.parentNode)
    if ((p as Element).localName === "lem") return p as Element;
  return null;
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

/** The name of the line or paragraph an entry was placed in ("" if none). */
function blockOf(app: Element): string {
  const block = enclosingBlock(app);
  return block ? lineName(block) : "";
}

/**
 * What is left of a double-end-point entry that could not be placed: the words it points to are recorded
 * as its lemma (when it has no `lem` and points to one element), its anchors go, said so.
 */
function unattachedEnds(
  app: Element,
  ids: Map<string, Element>,
  pending: ReadonlySet<XNode>,
  anchors: Ends,
): void {
  const ends = [app.getAttribute("from"), app.getAttribute("to")]
    .filter((r): r is string => r !== null)
    .map((r) => ids.get(r.replace(/^#/, "")));
  const [from, to] = ends;
  const doc = app.ownerDocument;
  if (doc && from && (!to || to === from) && !children(app).some((c) => c.localName === "lem")) {
    const lem = doc.createElementNS(TEI_NS, "lem");
    lem.appendChild(doc.createTextNode(seenText(from, pending)));
    setLine(lem, app);
    app.insertBefore(lem, app.firstChild);
  }
  for (const end of ends) if (end && isAnchor(end)) anchors.unplaced.add(end);
}

/** An anchor only entries kept detached end at: it goes, said so. */
function anchorUnplaced(state: ReadState, anchor: Element): void {
  if (!anchor.parentNode) return;
  state.report.dropped(
    anchor,
    "<anchor> of an entry kept detached",
    "an end point of an entry that could not be placed in the text",
    anchor.getAttribute("xml:id") ?? undefined,
  );
  detach(anchor);
}

/** The line or paragraph an internal `app` is in, or null. */
function enclosingBlock(app: Element): Element | null {
  for (let p = app.parentNode; p; p = p.parentNode) {
    const name = (p as Element).localName ?? "";
    if (TEXTBLOCKS.has(name)) return p as Element;
    if (name === "body" || name === "front" || name === "back" || name === "listApp") return null;
  }
  return null;
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

/**
 * A parallel-segmentation `app` holding `lemmaNodes` (moved into its `lem`) and the original entry's
 * readings and notes; the original's `lem` keeps its attributes (its witnesses, as the file gives them).
 */
function newApp(state: ReadState, old: Element, lemmaNodes: XNode[], point: Element | null): Element {
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

function setLine(el: Element, like: XNode): void {
  const line = lineOf(like);
  if (line !== null) (el as unknown as { lineNumber: number }).lineNumber = line;
}

function anchorUsed(state: ReadState, anchor: Element): void {
  state.report.converted(
    anchor,
    "<anchor>",
    "an end point of an apparatus entry: where its lemma starts or ends",
  );
  reportAttrs(state, anchor, ["xml:id"]);
  detach(anchor);
}

function containsBlock(el: Element): boolean {
  return descendants(el).some((d) => BLOCKS.has(d.localName ?? ""));
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
