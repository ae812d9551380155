/**
 * The critical apparatus. An entry's lemma is a `lemma {app}` mark on the base text (or, for an addition,
 * an `anchor {app}` node at a point); what the other witnesses read there lives beside the text:
 *
 *   Y.Map("apparatus"): id → Y.Map {
 *     type: VariantType, note: Y.Text, source: "editor" | "collation" | "seed" | "import",
 *     createdBy, createdAt,
 *     readings: Y.Map(siglum → Y.Map { kind: "text" | "om", text: Y.Text })
 *   }
 *   Y.Map("decisions"): id → Y.Map { status, type?, by, at }
 *
 * Two people editing two readings of one entry touch two keys; two people typing in one reading merge in
 * one Y.Text. Decisions live in their own root so that a reviewer may write them without being able to
 * touch the text (the server checks the root of every struct it is sent).
 */
import type { Node } from "prosemirror-model";
import * as Y from "yjs";
import { ROOTS } from "./layout.ts";

export const VARIANT_TYPES = [
  "substantive",
  "lexical",
  "omission",
  "addition",
  "transposition",
  "orthographic",
  "punctuation",
] as const;
export type VariantType = (typeof VARIANT_TYPES)[number];

export const VARIANT_TYPE_LABELS: Record<VariantType, string> = {
  substantive: "substantive",
  lexical: "lexical / translation choice",
  omission: "omission",
  addition: "addition",
  transposition: "transposition",
  orthographic: "orthographic",
  punctuation: "punctuation",
};

export const STATUSES = ["proposed", "accepted", "rejected"] as const;
export type Status = (typeof STATUSES)[number];

export type ReadingKind = "text" | "om";

/** A reading as plain values. */
export interface Reading {
  kind: ReadingKind;
  text: string;
}

/** An apparatus entry as plain values, for panels and exports. */
export interface ApparatusEntry {
  id: string;
  type: VariantType;
  status: Status;
  note: string;
  source: string;
  readings: Record<string, Reading>;
  decidedBy: string | null;
  decidedAt: number | null;
}

export function isVariantType(value: unknown): value is VariantType {
  return typeof value === "string" && (VARIANT_TYPES as readonly string[]).includes(value);
}

export function isStatus(value: unknown): value is Status {
  return typeof value === "string" && (STATUSES as readonly string[]).includes(value);
}

/** A new entry id: short, random, a valid XML id. */
export function newEntryId(): string {
  return `app-${Math.random().toString(36).slice(2, 10)}`;
}

export interface NewEntry {
  id: string;
  type: VariantType;
  note?: string;
  source: string;
  by: string | null;
  readings: Record<string, Reading>;
  status?: Status;
}

/** Creates an entry's record (its lemma mark or anchor is placed in the text separately). */
export function createEntry(ydoc: Y.Doc, entry: NewEntry, at = Date.now()): void {
  const map = new Y.Map<unknown>();
  ydoc.getMap<Y.Map<unknown>>(ROOTS.apparatus).set(entry.id, map);
  map.set("type", entry.type);
  map.set("source", entry.source);
  map.set("createdBy", entry.by);
  map.set("createdAt", at);
  map.set("note", new Y.Text(entry.note ?? ""));
  const readings = new Y.Map<Y.Map<unknown>>();
  map.set("readings", readings);
  for (const [siglum, reading] of Object.entries(entry.readings)) setReading(ydoc, entry.id, siglum, reading);
  if (entry.status) decide(ydoc, entry.id, { status: entry.status }, entry.by, at);
}

function entryMap(ydoc: Y.Doc, id: string): Y.Map<unknown> {
  const map = ydoc.getMap<Y.Map<unknown>>(ROOTS.apparatus).get(id);
  if (!map) throw new RangeError(`unknown apparatus entry "${id}"`);
  return map;
}

/** Sets what one witness reads at an entry, replacing its previous reading. */
export function setReading(ydoc: Y.Doc, id: string, siglum: string, reading: Reading): void {
  const readings = entryMap(ydoc, id).get("readings") as Y.Map<Y.Map<unknown>>;
  const r = new Y.Map<unknown>();
  readings.set(siglum, r);
  r.set("kind", reading.kind);
  r.set("text", new Y.Text(reading.kind === "om" ? "" : reading.text));
}

export function removeReading(ydoc: Y.Doc, id: string, siglum: string): void {
  (entryMap(ydoc, id).get("readings") as Y.Map<unknown>).delete(siglum);
}

/** The shared text of one reading, for typing into it collaboratively. */
export function readingText(ydoc: Y.Doc, id: string, siglum: string): Y.Text | null {
  const readings = entryMap(ydoc, id).get("readings") as Y.Map<Y.Map<unknown>>;
  return (readings.get(siglum)?.get("text") as Y.Text | undefined) ?? null;
}

export function noteText(ydoc: Y.Doc, id: string): Y.Text {
  return entryMap(ydoc, id).get("note") as Y.Text;
}

/** Records a decision on an entry: its status and/or its type, who decided and when. */
export function decide(
  ydoc: Y.Doc,
  id: string,
  decision: { status?: Status; type?: VariantType },
  by: string | null,
  at = Date.now(),
): void {
  const decisions = ydoc.getMap<Y.Map<unknown>>(ROOTS.decisions);
  let d = decisions.get(id);
  if (!d) {
    d = new Y.Map<unknown>();
    decisions.set(id, d);
  }
  if (decision.status) d.set("status", decision.status);
  if (decision.type) d.set("type", decision.type);
  d.set("by", by);
  d.set("at", at);
}

/** Removes an entry's record and decision (its mark or anchor is removed from the text separately). */
export function deleteEntry(ydoc: Y.Doc, id: string): void {
  ydoc.getMap(ROOTS.apparatus).delete(id);
  ydoc.getMap(ROOTS.decisions).delete(id);
}

/** One entry as plain values; null if there is none. */
export function readEntry(ydoc: Y.Doc, id: string): ApparatusEntry | null {
  const map = ydoc.getMap<Y.Map<unknown>>(ROOTS.apparatus).get(id);
  if (!map) return null;
  const decision = ydoc.getMap<Y.Map<unknown>>(ROOTS.decisions).get(id);
  const readings: Record<string, Reading> = {};
  const rmap = map.get("readings") as Y.Map<Y.Map<unknown>> | undefined;
  for (const [siglum, r] of rmap ?? []) {
    const kind = r.get("kind") === "om" ? "om" : "text";
    readings[siglum] = { kind, text: kind === "om" ? "" : String(r.get("text") ?? "") };
  }
  const decidedType = decision?.get("type");
  const type = isVariantType(decidedType) ? decidedType : map.get("type");
  const status = decision?.get("status");
  return {
    id,
    type: isVariantType(type) ? type : "substantive",
    status: isStatus(status) ? status : "proposed",
    note: String(map.get("note") ?? ""),
    source: String(map.get("source") ?? "editor"),
    readings,
    decidedBy: (decision?.get("by") as string | null | undefined) ?? null,
    decidedAt: (decision?.get("at") as number | undefined) ?? null,
  };
}

/** Where an entry sits in the base text. */
export interface Placement {
  id: string;
  /** The lemma text ("" for an addition). */
  lemma: string;
  from: number;
  to: number;
  /** The id of the block the lemma starts in. */
  blockId: string | null;
}

/**
 * The entries placed in a document, in document order, with their lemmas. An entry whose mark or anchor
 * was deleted from the text is not here: it is detached (see `detachedEntries`).
 */
export function placements(doc: Node): Placement[] {
  const found = new Map<string, Placement>();
  let blockId: string | null = null;
  doc.descendants((node, pos) => {
    if (node.isTextblock) blockId = (node.attrs.id as string | null) ?? blockId;
    if (node.type.name === "note") return false;
    if (node.type.name === "anchor") {
      const id = node.attrs.app as string;
      if (!found.has(id)) found.set(id, { id, lemma: "", from: pos, to: pos, blockId });
      return false;
    }
    if (node.isText) {
      for (const mark of node.marks) {
        if (mark.type.name !== "lemma") continue;
        const id = mark.attrs.app as string;
        const existing = found.get(id);
        if (existing) {
          existing.lemma += existing.to === pos ? (node.text ?? "") : ` ${node.text ?? ""}`;
          existing.to = pos + node.nodeSize;
        } else found.set(id, { id, lemma: node.text ?? "", from: pos, to: pos + node.nodeSize, blockId });
      }
    }
    return true;
  });
  return [...found.values()].sort((a, b) => a.from - b.from || b.to - a.to);
}

/** Ids of entries that have a record but whose lemma or anchor is gone from the text. */
export function detachedEntries(ydoc: Y.Doc, doc: Node): string[] {
  const placed = new Set(placements(doc).map((p) => p.id));
  return [...ydoc.getMap(ROOTS.apparatus).keys()].filter((id) => !placed.has(id)).sort();
}

/** The printed form of an entry: `lemma] reading WD; om. Q` (an addition: `^ add. reading WD`). */
export function formatEntry(lemma: string, entry: ApparatusEntry): string {
  const groups = new Map<string, string[]>();
  for (const [siglum, r] of Object.entries(entry.readings)) {
    const key = r.kind === "om" ? "\u0000om" : r.text;
    groups.set(key, [...(groups.get(key) ?? []), siglum]);
  }
  const parts = [...groups].map(([key, sigla]) => {
    const wits = sigla.sort().join(" ");
    if (key === "\u0000om") return `om. ${wits}`;
    return lemma === "" ? `add. ${key} ${wits}` : `${key} ${wits}`;
  });
  return `${lemma === "" ? "^" : `${shorten(lemma)}]`} ${parts.join("; ")}`;
}

function shorten(lemma: string): string {
  const words = lemma.trim().split(/\s+/);
  return words.length <= 6 ? lemma.trim() : `${words.slice(0, 2).join(" ")} … ${words.slice(-2).join(" ")}`;
}
