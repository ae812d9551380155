/**
 * What one change did, in words a person can read in the history: which paragraphs gained or lost which
 * words, how many blocks were added or removed, which apparatus entries, glossary entries, decisions,
 * comment threads and witnesses were touched. Computed from a Yjs transaction while it is still open
 * (`afterTransaction`: deleted text can still be read then), so the log keeps it beside the update.
 */
import * as Y from "yjs";
import { ROOTS } from "./layout.ts";

/** The words a change added to, and removed from, one block of the base text. */
export interface BlockChange {
  /** The paragraph's or heading's id ("" when it has none yet). */
  id: string;
  added: string;
  removed: string;
  /** Marks (emphasis, lemma, glossary link) set or taken away. */
  formatted: number;
  /** Whether the words are inside a footnote of that block. */
  inNote: boolean;
}

export interface ChangeSummary {
  blocks: BlockChange[];
  /** Blocks (paragraphs, headings, notes) created or deleted whole. */
  blocksAdded: number;
  blocksRemoved: number;
  apparatus: string[];
  glossary: string[];
  decisions: string[];
  comments: string[];
  witnesses: string[];
  /** Bibliography entries touched (absent in summaries stored before there was a bibliography). */
  bibliography?: string[];
  meta: boolean;
}

export function emptySummary(): ChangeSummary {
  return {
    blocks: [],
    blocksAdded: 0,
    blocksRemoved: 0,
    apparatus: [],
    glossary: [],
    decisions: [],
    comments: [],
    witnesses: [],
    bibliography: [],
    meta: false,
  };
}

const TEXT_BLOCKS = new Set(["paragraph", "heading"]);
const KEYED: Record<
  string,
  keyof Pick<
    ChangeSummary,
    "apparatus" | "glossary" | "decisions" | "comments" | "witnesses" | "bibliography"
  >
> = {
  [ROOTS.apparatus]: "apparatus",
  [ROOTS.glossary]: "glossary",
  [ROOTS.decisions]: "decisions",
  [ROOTS.comments]: "comments",
  [ROOTS.witnesses]: "witnesses",
  [ROOTS.bibliography]: "bibliography",
};

type AnyType = Y.AbstractType<unknown>;
type KeyedField = (typeof KEYED)[string];

/** The root an item lives under, the key of its top-level map entry, and its text block if in the body. */
function place(item: Y.Item): {
  root: string | null;
  key: string | null;
  block: Y.XmlElement | null;
  inNote: boolean;
} {
  let key: string | null = null;
  let block: Y.XmlElement | null = null;
  let inNote = false;
  let type = item.parent as AnyType;
  let sub = item.parentSub;
  for (;;) {
    if (type instanceof Y.XmlElement) {
      if (type.nodeName === "note") inNote = true;
      if (!block && TEXT_BLOCKS.has(type.nodeName)) block = type;
    }
    const parentItem = type._item;
    if (!parentItem) {
      key = sub;
      break;
    }
    sub = parentItem.parentSub;
    type = parentItem.parent as AnyType;
  }
  let root: string | null = null;
  try {
    root = Y.findRootTypeKey(type);
  } catch {
    root = null;
  }
  return { root, key, block, inNote };
}

/** A block's id, read even when the block was deleted in this change (its attribute items are then deleted too). */
function blockId(el: Y.XmlElement): string {
  const item = el._map.get("id");
  const value = item ? item.content.getContent()[0] : undefined;
  return typeof value === "string" ? value : "";
}

/** Summarises one transaction; call it from the document's `afterTransaction` handler. */
export function summarizeTransaction(tr: Y.Transaction): ChangeSummary {
  const summary = emptySummary();
  const blocks = new Map<string, BlockChange>();
  const keyed = new Map<KeyedField, Set<string>>();
  const blockOf = (el: Y.XmlElement, inNote: boolean) => {
    const id = blockId(el);
    const k = `${id}\u0000${inNote}`;
    let b = blocks.get(k);
    if (!b) {
      b = { id, added: "", removed: "", formatted: 0, inNote };
      blocks.set(k, b);
    }
    return b;
  };
  const visit = (item: Y.Item, added: boolean) => {
    const { root, key, block, inNote } = place(item);
    if (!root) return;
    if (root === ROOTS.meta) {
      summary.meta = true;
      return;
    }
    const field = KEYED[root];
    if (field) {
      if (key) {
        const set = keyed.get(field) ?? new Set<string>();
        set.add(key);
        keyed.set(field, set);
      }
      return;
    }
    if (root !== ROOTS.body) return;
    const content = item.content;
    if (content instanceof Y.ContentString) {
      if (!block) return;
      const b = blockOf(block, inNote);
      if (added) b.added += content.str;
      else b.removed += content.str;
    } else if (content instanceof Y.ContentFormat) {
      if (block) blockOf(block, inNote).formatted++;
    } else if (
      content instanceof Y.ContentType &&
      content.type instanceof Y.XmlElement &&
      item.parentSub === null
    ) {
      if (added) summary.blocksAdded++;
      else summary.blocksRemoved++;
    }
  };

  const before = tr.beforeState;
  for (const [client, after] of tr.afterState) {
    const from = before.get(client) ?? 0;
    if (after <= from) continue;
    const structs = tr.doc.store.clients.get(client) ?? [];
    for (let i = Y.findIndexSS(structs, from); i < structs.length; i++) {
      const s = structs[i];
      if (!s || s.id.clock >= after) break;
      // Words typed and deleted again inside one change are not news.
      if (s instanceof Y.Item && !s.deleted) visit(s, true);
    }
  }
  Y.iterateDeletedStructs(tr, tr.deleteSet, (s) => {
    if (s instanceof Y.Item && s.id.clock < (before.get(s.id.client) ?? 0)) visit(s, false);
  });
  summary.blocks = [...blocks.values()].filter((b) => b.added || b.removed || b.formatted);
  for (const [field, set] of keyed) summary[field] = [...set].sort();
  return summary;
}
