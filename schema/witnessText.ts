/**
 * The text of one witness as the edition records it: the base text wherever no entry says otherwise, the
 * witness's reading wherever an entry gives one. A partial witness has only the stretches it covers
 * (its readings' lemmas and the blocks the register says it covers), in document order.
 */
import type { Node } from "prosemirror-model";
import type * as Y from "yjs";
import { type ApparatusEntry, readEntry } from "./apparatus.ts";
import { readMeta } from "./layout.ts";
import { readBody } from "./readBody.ts";
import { getWitness } from "./witnesses.ts";

export type WitnessTextResult =
  | { ok: true; text: string; stretches: string[] }
  | { ok: false; reason: string };

/** Reconstructs a witness's text; an unknown siglum is an expected failure. */
export function witnessText(live: Y.Doc, siglum: string): WitnessTextResult {
  // Read in place: nothing here writes, and the body is read by readBody, which never does.
  const ydoc = live;
  const meta = readMeta(ydoc);
  const witness = getWitness(ydoc, siglum);
  if (!witness && siglum !== meta.baseWitness) return { ok: false, reason: `unknown witness "${siglum}"` };
  const body = readBody(ydoc);
  const isBase = siglum === meta.baseWitness;
  const partial = !isBase && witness?.coverage === "partial";
  const coveredBlocks = new Set(witness?.coveredBlocks ?? []);
  const entries = new Map<string, ApparatusEntry | null>();
  const entry = (id: string) => {
    if (!entries.has(id)) entries.set(id, readEntry(ydoc, id));
    return entries.get(id) ?? null;
  };
  // An entry speaks for this witness if it gives it a reading that is not rejected.
  const speaks = (id: string) => {
    if (isBase) return false;
    const e = entry(id);
    return e !== null && siglum in e.readings && e.decisions[siglum]?.status !== "rejected";
  };

  const stretches: string[] = [];
  let current: string | null = null;
  const emit = (text: string) => {
    current = (current ?? "") + text;
  };
  const gap = () => {
    if (current !== null && current.trim() !== "") stretches.push(current.trim());
    current = null;
  };

  const textblock = (block: Node) => {
    const blockCovered = !partial || coveredBlocks.has(block.attrs.id as string);
    let inEntry: string | null = null;
    block.forEach((child) => {
      if (child.type.name === "note") return;
      if (child.type.name === "anchor") {
        if (speaks(child.attrs.app)) {
          const r = entry(child.attrs.app)?.readings[siglum];
          if (!blockCovered && current === null) current = "";
          if (r?.kind === "text") emit(r.text);
        }
        return;
      }
      const lemma = child.marks
        .filter((m) => m.type.name === "lemma" && speaks(m.attrs.app))
        .map((m) => m.attrs.app as string)[0];
      if (lemma) {
        if (lemma !== inEntry) {
          inEntry = lemma;
          if (!blockCovered && current === null) current = "";
          const r = entry(lemma)?.readings[siglum];
          if (r?.kind === "text") emit(r.text);
        }
        return;
      }
      if (inEntry !== null && !blockCovered) gap();
      inEntry = null;
      if (blockCovered)
        emit(child.isText ? (child.text ?? "") : child.type.name === "hard_break" ? "\n" : "");
    });
    if (blockCovered) {
      if (current !== null) current += "\n\n";
    } else gap();
  };
  const walk = (node: Node) => {
    node.forEach((child) => {
      if (child.type.name === "block_note") return;
      if (child.isTextblock) textblock(child);
      else walk(child);
    });
  };
  walk(body);
  gap();
  return { ok: true, text: partial ? stretches.join("\n\n") : (stretches[0] ?? ""), stretches };
}
