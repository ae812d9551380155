/**
 * Finding a location-referenced lemma in its line or paragraph: its words, as whole words, exactly once in
 * the text the reader sees there (not in notes, other entries, or the hidden side of a `choice`).
 */
import type { Element, Text, Node as XNode } from "@xmldom/xmldom";
import { nodes } from "./dom.ts";

/** The elements a lemma is placed in: one line or paragraph (or heading, stage direction, speaker). */
export const TEXTBLOCKS = new Set(["p", "l", "ab", "head", "stage", "speaker"]);

/** What a search for the lemma does not look inside (an entry placed already: only its `lem`). */
const UNSEEN = new Set(["note", "rdg", "rdgGrp", "corr", "reg", "expan", "witDetail", "wit"]);

/** How the report names a line or paragraph: `l 12` by its number, else by where it is in the file. */
export function lineName(el: Element): string {
  const n = el.getAttribute("n");
  if (n) return `${el.localName} ${n}`;
  const id = el.getAttribute("xml:id");
  if (id) return `${el.localName} #${id}`;
  const line = (el as unknown as { lineNumber?: number }).lineNumber;
  return `${el.localName} on line ${line ?? "?"} of the file`;
}

/** The words a reader sees in an element: not its notes, apparatus readings or hidden `choice` sides. */
export function seenText(el: Element, skip: ReadonlySet<XNode> = new Set()): string {
  return textPieces(el, skip)
    .map((p) => p.node.nodeValue ?? "")
    .join("")
    .replace(/\s+/g, " ")
    .trim();
}

function textPieces(block: Element, skip: ReadonlySet<XNode>): { node: Text; start: number; end: number }[] {
  const pieces: { node: Text; start: number; end: number }[] = [];
  let at = 0;
  const stack = nodes(block).reverse();
  while (stack.length > 0) {
    const n = stack.pop() as XNode;
    if (n.nodeType === 3 || n.nodeType === 4) {
      const value = n.nodeValue ?? "";
      pieces.push({ node: n as Text, start: at, end: at + value.length });
      at += value.length;
    } else if (n.nodeType === 1 && !UNSEEN.has((n as Element).localName ?? "") && !skip.has(n)) {
      stack.push(...nodes(n as Element).reverse());
    }
  }
  return pieces;
}

/**
 * The text node holding exactly the lemma's words, split out of the block's text in place; or why there
 * is none, as words to which the block's name is added ("lemma not found in"). Entries in `skip` (not
 * placed yet) are not part of the text.
 */
export function findLemma(block: Element, words: string, skip: ReadonlySet<XNode>): Text | string {
  const pieces = textPieces(block, skip);
  const all = pieces.map((p) => p.node.nodeValue ?? "").join("");
  const word = /[\p{L}\p{M}\p{N}]/u;
  const escaped = words.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+");
  const open = word.test(words[0] ?? "") ? "(?<![\\p{L}\\p{M}\\p{N}])" : "";
  const close = word.test(words.at(-1) ?? "") ? "(?![\\p{L}\\p{M}\\p{N}])" : "";
  const matches = [...all.matchAll(new RegExp(`${open}${escaped}${close}`, "gu"))];
  if (matches.length === 0) return "lemma not found in";
  if (matches.length > 1) return "lemma found more than once in";
  const start = matches[0]?.index ?? 0;
  const end = start + (matches[0]?.[0].length ?? 0);
  const piece = pieces.find((p) => p.start <= start && end <= p.end);
  if (!piece) return "the lemma crosses markup in";
  const value = piece.node.nodeValue ?? "";
  const doc = piece.node.ownerDocument;
  const parent = piece.node.parentNode as Element;
  const before = value.slice(0, start - piece.start);
  const after = value.slice(end - piece.start);
  const lemma = doc.createTextNode(value.slice(start - piece.start, end - piece.start));
  if (before) parent.insertBefore(doc.createTextNode(before), piece.node);
  parent.insertBefore(lemma, piece.node);
  if (after) parent.insertBefore(doc.createTextNode(after), piece.node);
  parent.removeChild(piece.node);
  return lemma;
}
