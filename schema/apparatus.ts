/**
 * The critical apparatus. An entry's lemma is a `lemma {app}` mark on the base text (or, for an addition,
 * an `anchor {app}` node at a point); what the other witnesses read there lives beside the text:
 *
 *   Y.Map("apparatus"): id → Y.Map {
 *     type: VariantType, note: Y.Text, source: "editor" | "collation" | "seed" | "import",
 *     createdBy, createdAt,
 *     readings: Y.Map(siglum → Y.Map { kind: "text" | "om", text: Y.Text }),
 *     lemma?: string (the lemma's words when the entry was made or last seen in the text)
 *   }
 *   Y.Map("decisions"): per reading "<id>/<siglum>" → { status, by, at }; per entry id → { type } (decisions.ts)
 *
 * Two people editing two readings of one entry touch two keys; two people typing in one reading merge in
 * one Y.Text. Decisions live in their own root so that a reviewer may write them without being able to
 * touch the text (the server checks the root of every struct it is sent).
 */
import type { Node } from "prosemirror-model";
import * as Y from "yjs";
import {
  clearDecisions,
  decidedType,
  decideEntryWithoutReadings,
  decideReading,
  decideType,
  entryStatus,
  legacyEntryStatus,
  type ReadingDecision,
  readingDecision,
} from "./decisions.ts";
import { ROOTS } from "./layout.ts";
import { isVariantType, type Status, type VariantType } from "./vocabulary.ts";

export {
  isStatus,
  isVariantType,
  STATUSES,
  type Status,
  VARIANT_TYPE_LABELS,
  VARIANT_TYPES,
  type VariantType,
} from "./vocabulary.ts";

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
  /** Derived from the readings' decisions (`entryStatus`). */
  status: Status;
  note: string;
  source: string;
  readings: Record<string, Reading>;
  /** Each reading's decision, by siglum. */
  decisions: Record<string, ReadingDecision>;
  /** The lemma's words as last recorded on the entry ("" if never recorded): what a detached entry was on. */
  recordedLemma: string;
  /** The lemma's witnesses as an imported file gave them (`lem/@wit`); absent: worked out on export. */
  lemmaWitnesses?: string[];
  /** The latest decision on the entry (a reading's status or its type): who and when. */
  decidedBy: string | null;
  decidedAt: number | null;
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
  /** The status every reading starts with (none: proposed). */
  status?: Status;
  /** The lemma's words, kept so that the entry can be shown if they are deleted. */
  lemma?: string;
  /** The witnesses a source file gives for the lemma (`lem/@wit`), kept as given rather than inferred. */
  lemmaWitnesses?: string[];
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
  if (entry.lemma !== undefined) map.set("lemma", entry.lemma);
  const readings = new Y.Map<Y.Map<unknown>>();
  map.set("readings", readings);
  for (const [siglum, reading] of Object.entries(entry.readings)) setReading(ydoc, entry.id, siglum, reading);
  // After the readings: the file's own list stands as given, even where it also names a reading's witness.
  if (entry.lemmaWitnesses) map.set("lemmaWitnesses", [...entry.lemmaWitnesses]);
  if (entry.status && entry.status !== "proposed")
    decide(ydoc, entry.id, { status: entry.status }, entry.by, at);
}

function entryMap(ydoc: Y.Doc, id: string): Y.Map<unknown> {
  const map = ydoc.getMap<Y.Map<unknown>>(ROOTS.apparatus).get(id);
  if (!map) throw new RangeError(`unknown apparatus entry "${id}"`);
  return map;
}

/** Sets what one witness reads at an entry, replacing its previous reading. */
export function setReading(ydoc: Y.Doc, id: string, siglum: string, reading: Reading): void {
  const map = entryMap(ydoc, id);
  const readings = map.get("readings") as Y.Map<Y.Map<unknown>>;
  // A witness given a reading of its own no longer reads the lemma.
  const lemmaWits = lemmaWitnessesOf(map.get("lemmaWitnesses")).lemmaWitnesses;
  if (lemmaWits?.includes(siglum))
    map.set(
      "lemmaWitnesses",
      lemmaWits.filter((s) => s !== siglum),
    );
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

/**
 * Records a decision: a status for the given readings (by default every reading the entry has now),
 * and/or the entry's type; who decided and when. Readings not named are left as they are.
 */
export function decide(
  ydoc: Y.Doc,
  id: string,
  decision: { status?: Status; type?: VariantType; sigla?: readonly string[] },
  by: string | null,
  at = Date.now(),
): void {
  if (decision.status) {
    const readings = entryMap(ydoc, id).get("readings") as Y.Map<unknown>;
    const sigla = decision.sigla ?? [...readings.keys()];
    if (sigla.length === 0) decideEntryWithoutReadings(ydoc, id, decision.status, by, at);
    for (const siglum of sigla) {
      if (!readings.has(siglum))
        throw new RangeError(`apparatus entry ${id} has no reading of witness "${siglum}" to decide`);
      decideReading(ydoc, id, siglum, decision.status, by, at);
    }
  }
  if (decision.type) decideType(ydoc, id, decision.type, by, at);
}

/** Records the lemma's words on an entry (what it was on, should they be deleted). */
export function recordLemma(ydoc: Y.Doc, id: string, lemma: string): void {
  const map = entryMap(ydoc, id);
  if (map.get("lemma") !== lemma) map.set("lemma", lemma);
}

/** Removes an entry's record and decisions (its mark or anchor is removed from the text separately). */
export function deleteEntry(ydoc: Y.Doc, id: string): void {
  const entry = ydoc.getMap<Y.Map<unknown>>(ROOTS.apparatus).get(id);
  const readings = entry?.get("readings") as Y.Map<unknown> | undefined;
  // Its readings' witnesses, and every registered one (a decision may outlive its reading).
  const sigla = new Set([...(readings?.keys() ?? []), ...ydoc.getMap(ROOTS.witnesses).keys()]);
  ydoc.getMap(ROOTS.apparatus).delete(id);
  clearDecisions(ydoc, id, sigla);
}

/** One entry as plain values; null if there is none. */
/** A stored list of lemma witnesses, if it is one (another client may have written anything). */
function lemmaWitnessesOf(value: unknown): { lemmaWitnesses?: string[] } {
  return Array.isArray(value) && value.every((s) => typeof s === "string") ? { lemmaWitnesses: value } : {};
}

export function readEntry(ydoc: Y.Doc, id: string): ApparatusEntry | null {
  const map = ydoc.getMap<Y.Map<unknown>>(ROOTS.apparatus).get(id);
  if (!map) return null;
  const readings: Record<string, Reading> = {};
  const decisions: Record<string, ReadingDecision> = {};
  const rmap = map.get("readings") as Y.Map<Y.Map<unknown>> | undefined;
  let decidedBy: string | null = null;
  let decidedAt: number | null = null;
  const latest = (by: string | null, at: number | null) => {
    if (at !== null && (decidedAt === null || at >= decidedAt)) {
      decidedAt = at;
      decidedBy = by;
    } else if (decidedAt === null && by !== null) decidedBy = by;
  };
  for (const [siglum, r] of rmap ?? []) {
    const kind = r.get("kind") === "om" ? "om" : "text";
    readings[siglum] = { kind, text: kind === "om" ? "" : String(r.get("text") ?? "") };
    const d = readingDecision(ydoc, id, siglum);
    decisions[siglum] = d;
    if (d.status !== "proposed" || d.by !== null) latest(d.by, d.at);
  }
  const typed = decidedType(ydoc, id);
  if (typed) latest(typed.by, typed.at);
  const stored = map.get("type");
  const type = typed?.type ?? (isVariantType(stored) ? stored : "substantive");
  return {
    id,
    type,
    status: entryStatus(
      Object.values(decisions).map((d) => d.status),
      legacyEntryStatus(ydoc, id) ?? "proposed",
    ),
    note: String(map.get("note") ?? ""),
    source: String(map.get("source") ?? "editor"),
    readings,
    decisions,
    recordedLemma: typeof map.get("lemma") === "string" ? (map.get("lemma") as string) : "",
    ...lemmaWitnessesOf(map.get("lemmaWitnesses")),
    decidedBy,
    decidedAt,
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

/** How a proposed (unreviewed) reading is marked wherever one is published. */
export const PROPOSED_MARK = "[proposed]";

/**
 * The printed form of an entry: `lemma] reading WD; om. Q` (an addition: `^ add. reading WD`). With
 * `markProposed`, a reading nobody has accepted yet is followed by `[proposed]`.
 */
export function formatEntry(
  lemma: string,
  entry: ApparatusEntry,
  options: { markProposed?: boolean } = {},
): string {
  const groups = new Map<string, { reading: Reading; proposed: boolean; sigla: string[] }>();
  for (const [siglum, r] of Object.entries(entry.readings)) {
    const proposed = options.markProposed === true && entry.decisions?.[siglum]?.status === "proposed";
    const key = `${proposed ? "p" : "d"}${r.kind === "om" ? "\u0000om" : r.text}`;
    const group = groups.get(key) ?? { reading: r, proposed, sigla: [] };
    group.sigla.push(siglum);
    groups.set(key, group);
  }
  const parts = [...groups.values()].map(({ reading, proposed, sigla }) => {
    const wits = `${sigla.sort().join(" ")}${proposed ? ` ${PROPOSED_MARK}` : ""}`;
    if (reading.kind === "om") return `om. ${wits}`;
    return lemma === "" ? `add. ${reading.text} ${wits}` : `${reading.text} ${wits}`;
  });
  return `${lemma === "" ? "^" : `${shorten(lemma)}]`} ${parts.join("; ")}`;
}

function shorten(lemma: string): string {
  const words = lemma.trim().split(/\s+/);
  return words.length <= 6 ? lemma.trim() : `${words.slice(0, 2).join(" ")} … ${words.slice(-2).join(" ")}`;
}
