/**
 * Placing a double-end-point entry: `app/@from` (and `@to`) point to anchors or elements of the text; the
 * lemma is the text from one to the other, when both are in one line or paragraph. The anchors stay in
 * the text until every entry is placed (two entries may share them), then go, reported.
 */
import type { Element, Node as XNode } from "@xmldom/xmldom";
import {
  BLOCKS,
  blockOf,
  containsBlock,
  detach,
  enclosingBlock,
  isInside,
  newApp,
  type Placed,
  setLine,
  type Unplaced,
} from "./apparatusMoving.ts";
import { lineName, seenText, TEXTBLOCKS } from "./apparatusPlacing.ts";
import { children, nodes, TEI_NS } from "./dom.ts";
import { reportAttrs } from "./elements.ts";
import type { ReadState } from "./state.ts";

/** The anchors entries end at: removed once every entry is placed (said so), as used or as left over. */
export interface Ends {
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
export function placeBetween(
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

/**
 * What is left of a double-end-point entry that could not be placed: the words it points to are recorded
 * as its lemma (when it has no `lem` and points to one element), its anchors go, said so.
 */
export function unattachedEnds(
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
export function anchorUnplaced(state: ReadState, anchor: Element): void {
  if (!anchor.parentNode) return;
  state.report.dropped(
    anchor,
    "<anchor> of an entry kept detached",
    "an end point of an entry that could not be placed in the text",
    anchor.getAttribute("xml:id") ?? undefined,
  );
  detach(anchor);
}

export function anchorUsed(state: ReadState, anchor: Element): void {
  state.report.converted(
    anchor,
    "<anchor>",
    "an end point of an apparatus entry: where its lemma starts or ends",
  );
  reportAttrs(state, anchor, ["xml:id"]);
  detach(anchor);
}
