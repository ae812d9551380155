import type { Node } from "prosemirror-model";
import { prosemirrorToYXmlFragment } from "y-prosemirror";
import * as Y from "yjs";
import { SCHEMA_VERSION } from "./schema.ts";
import type { Provenance } from "./textformat.ts";

/**
 * The layout of an edition's `Y.Doc`: the names of its shared roots. `docs/data-model.md` describes each.
 * Any other root name in an update is refused by the server.
 */
export const ROOTS = {
  /** The base text, y-prosemirror's fragment: one Y.XmlElement per node. */
  body: "body",
  /** Scalars about the edition: id, title, base witness siglum, schema version, base provenance. */
  meta: "meta",
  /** The witness register: siglum → Y.Map of its description and provenance. */
  witnesses: "witnesses",
  /** Apparatus entries: id → Y.Map (see apparatus.ts). */
  apparatus: "apparatus",
  /** Glossary entries: id → Y.Map (see glossary.ts). */
  glossary: "glossary",
  /** Decisions on apparatus entries (status, type, who, when): the one root reviewers may write besides comments. */
  decisions: "decisions",
  /** Comment threads on stretches of text or apparatus entries. */
  comments: "comments",
  /** In a witness's transcription: rectangles on its page images, each tied to the words it holds. */
  zones: "zones",
  /** The bibliography: entry id → Y.Map of a CSL-JSON item's fields (see bibliography/entries.ts). */
  bibliography: "bibliography",
} as const;

export const ROOT_NAMES: ReadonlySet<string> = new Set(Object.values(ROOTS));

/** What a new edition starts with. */
export interface EditionSeed {
  id: string;
  title: string;
  baseWitness: string;
  provenance: Provenance;
  body: Node;
}

/**
 * Fills an empty `Y.Doc` with a new edition. Only for the first import: after that an edition changes
 * by Yjs updates alone (rebuilding the fragment from ProseMirror would throw away its history).
 */
export function seedEditionDoc(ydoc: Y.Doc, seed: EditionSeed, origin: unknown): void {
  ydoc.transact(() => {
    const meta = ydoc.getMap(ROOTS.meta);
    meta.set("id", seed.id);
    meta.set("title", seed.title);
    meta.set("baseWitness", seed.baseWitness);
    meta.set("schemaVersion", SCHEMA_VERSION);
    meta.set("provenance", { ...seed.provenance, extra: { ...seed.provenance.extra } });
    prosemirrorToYXmlFragment(seed.body, ydoc.getXmlFragment(ROOTS.body));
  }, origin);
}

/** A copy of a document to read or convert, so that nothing done to it can reach the live one. */
export function copyDoc(live: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(live));
  return copy;
}

/** The edition's metadata as plain values. */
export interface EditionMeta {
  id: string;
  title: string;
  baseWitness: string;
  schemaVersion: number;
  provenance: Provenance | null;
}

export function readMeta(ydoc: Y.Doc): EditionMeta {
  const meta = ydoc.getMap<unknown>(ROOTS.meta);
  return {
    id: String(meta.get("id") ?? ""),
    title: String(meta.get("title") ?? ""),
    baseWitness: String(meta.get("baseWitness") ?? ""),
    schemaVersion: Number(meta.get("schemaVersion") ?? 0),
    provenance: (meta.get("provenance") as Provenance | undefined) ?? null,
  };
}
