/**
 * History: named versions (a label and the document's full state), their texts, comparison of two
 * versions with the collator, and restoring one as a new change that erases nothing.
 */
import type { Node } from "prosemirror-model";
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import * as Y from "yjs";
import { detachedEntries, placements, readEntry, recordLemma } from "../schema/apparatus.ts";
import { type Collation, collate } from "../schema/collate.ts";
import { ROOTS, readMeta } from "../schema/layout.ts";
import type { Origin } from "../schema/origin.ts";
import { readBody } from "../schema/readBody.ts";
import { schema } from "../schema/schema.ts";
import type { Revision } from "../schema/tei.ts";
import { witnessText } from "../schema/witnessText.ts";
import type { OpenDocument } from "./document.ts";
import type { AsyncStore } from "./store/asyncStore.ts";
import type { VersionRecord } from "./versionStore.ts";

/** The named versions of an edition as TEI `revisionDesc` entries. */
export async function revisionsOf(store: AsyncStore, editionId: string): Promise<Revision[]> {
  return (await store.versions.list(editionId)).map((v) => ({
    when: new Date(v.createdAt).toISOString().slice(0, 10),
    who: null,
    label: `${v.label}${v.createdBy ? ` (named by ${v.createdBy})` : ""}`,
  }));
}

/** Names the document's state as it is now (the state is taken at the call, before anything is awaited). */
export function createVersion(
  store: AsyncStore,
  doc: OpenDocument,
  label: string,
  by: string | null,
): Promise<VersionRecord> {
  return store.versions.create(doc.name, label, by, Y.encodeStateAsUpdate(doc.ydoc));
}

async function versionDoc(
  store: AsyncStore,
  editionId: string,
  id: number,
): Promise<{ record: VersionRecord; doc: Y.Doc } | null> {
  const found = await store.versions.get(editionId, id);
  if (!found) return null;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, found.state);
  const { state: _state, ...record } = found;
  return { record, doc };
}

function baseText(doc: Y.Doc): string {
  const r = witnessText(doc, readMeta(doc).baseWitness);
  return r.ok ? r.text : "";
}

/** A version's label and its base text. */
export async function versionText(
  store: AsyncStore,
  editionId: string,
  id: number,
): Promise<(VersionRecord & { text: string }) | null> {
  const v = await versionDoc(store, editionId, id);
  return v ? { ...v.record, text: baseText(v.doc) } : null;
}

export type CompareResult =
  | { ok: true; from: string; to: string; variants: Collation["variants"]; segments: Collation["segments"] }
  | { ok: false; reason: string };

/** Compares the base text of a version with another version or with the current text. */
export async function compareVersions(
  store: AsyncStore,
  doc: OpenDocument,
  id: number,
  to: number | "current",
): Promise<CompareResult> {
  const a = await versionDoc(store, doc.name, id);
  if (!a) return { ok: false, reason: `no version ${id} of edition "${doc.name}"` };
  const b = to === "current" ? { record: null, doc: doc.ydoc } : await versionDoc(store, doc.name, to);
  if (!b) return { ok: false, reason: `no version ${to} of edition "${doc.name}"` };
  const exact = { case: false, quotes: false, punctuation: false, spelling: false, pairs: [] };
  const c = collate(baseText(a.doc), baseText(b.doc), { normalise: exact });
  return {
    ok: true,
    from: a.record.label,
    to: b.record ? b.record.label : "current text",
    variants: c.variants,
    segments: c.segments,
  };
}

/** A deep copy of a value held in a Y.Map, new Y types included, for writing into another document. */
function cloneValue(value: unknown): unknown {
  if (value instanceof Y.Text) return new Y.Text(value.toString());
  if (value instanceof Y.Array) {
    const arr = new Y.Array<unknown>();
    arr.push(value.toArray().map(cloneValue));
    return arr;
  }
  if (value instanceof Y.Map) {
    const map = new Y.Map<unknown>();
    for (const [k, v] of value) map.set(k, cloneValue(v));
    return map;
  }
  return value;
}

function json(value: unknown): string {
  return JSON.stringify(value instanceof Y.AbstractType ? value.toJSON() : value);
}

/**
 * Restores a version: the text and everything beside it are changed to what they were, by new Yjs
 * operations with a server origin, so the restore is itself a change in the history and nothing is erased.
 * Comments are not part of a version and stay as they are.
 */
export async function restoreVersion(
  store: AsyncStore,
  doc: OpenDocument,
  id: number,
  by: string | null,
): Promise<{ ok: true; restored: string } | { ok: false; reason: string }> {
  const v = await versionDoc(store, doc.name, id);
  if (!v) return { ok: false, reason: `no version ${id} of edition "${doc.name}"` };
  const target: Node = yXmlFragmentToProseMirrorRootNode(v.doc.getXmlFragment(ROOTS.body), schema);
  const origin: Origin = { kind: "server", reason: `restore version ${id} "${v.record.label}"`, user: by };
  // The words of every entry now in the text, so that one the restore detaches keeps what it was on.
  const before = new Map(placements(readBody(doc.ydoc)).map((p) => [p.id, p.lemma]));
  // Nothing is awaited between reading `before` and the change: those are the words the change replaces.
  await doc.transact(origin, (live) => {
    updateYFragment(live, live.getXmlFragment(ROOTS.body), target, {
      mapping: new Map(),
      isOMark: new Map(),
    });
    for (const root of [
      ROOTS.meta,
      ROOTS.witnesses,
      ROOTS.apparatus,
      ROOTS.glossary,
      ROOTS.decisions,
      ROOTS.bibliography,
    ]) {
      const from = v.doc.getMap<unknown>(root);
      const into = live.getMap<unknown>(root);
      // Bookkeeping of the store, not of the text: a version older than the bibliography's seeding must
      // not undo it (the next start would seed the entries back).
      const kept = (key: string) => root === ROOTS.meta && key === "bibliographySeeded";
      for (const key of [...into.keys()]) if (!from.has(key) && !kept(key)) into.delete(key);
      for (const [key, value] of from)
        if (!kept(key) && json(into.get(key)) !== json(value)) into.set(key, cloneValue(value));
    }
    for (const entryId of detachedEntries(live, target)) {
      const words = before.get(entryId);
      if (words && !readEntry(live, entryId)?.recordedLemma) recordLemma(live, entryId, words);
    }
  });
  return { ok: true, restored: v.record.label };
}
