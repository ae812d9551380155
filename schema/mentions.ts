/**
 * Finding where a glossary entry's forms occur in the text and are not yet linked to it: the engine
 * behind "Find unlinked mentions" in the editor and behind the seeding of the shipped edition.
 */
import type { Node } from "prosemirror-model";
import type { Transform } from "prosemirror-transform";
import type { GlossaryRecord } from "./glossary.ts";
import { schema } from "./schema.ts";

export interface Mention {
  entry: string;
  from: number;
  to: number;
  text: string;
  /** The id of the block the mention is in, and the block's text around it, for the editor to judge. */
  blockId: string | null;
  context: string;
}

const WORD = "[\\p{L}\\p{N}]";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Unlinked mentions of the given entries, in document order. Forms match whole words, case-sensitively. */
export function findUnlinkedMentions(doc: Node, entries: GlossaryRecord[]): Mention[] {
  const patterns = entries.map((e) => {
    const forms = [...new Set([e.headword, ...e.forms])].sort((a, b) => b.length - a.length);
    return {
      id: e.id,
      re: new RegExp(`(?<!${WORD})(?:${forms.map(escapeRegExp).join("|")})(?!${WORD})`, "gu"),
    };
  });
  const out: Mention[] = [];
  const scan = (block: Node, start: number, blockId: string | null) => {
    // The block's text with each position mapped back to the document; inline nodes break words.
    let text = "";
    const posAt: number[] = [];
    block.forEach((child, offset) => {
      if (child.isText) {
        for (let i = 0; i < (child.text ?? "").length; i++) posAt.push(start + offset + i);
        text += child.text;
      } else {
        posAt.push(-1);
        text += "\uFFFC";
        if (child.type.name === "note") scan(child, start + offset + 1, blockId);
      }
    });
    for (const { id, re } of patterns) {
      for (const m of text.matchAll(re)) {
        const from = posAt[m.index] as number;
        const to = (posAt[m.index + m[0].length - 1] as number) + 1;
        if (from < 0 || to - from !== m[0].length) continue;
        let linked = true;
        block.nodesBetween(from - start, to - start, (node) => {
          if (node.isText && !node.marks.some((mk) => mk.type.name === "gloss" && mk.attrs.entry === id))
            linked = false;
        });
        if (linked) continue;
        const context = text
          .slice(Math.max(0, m.index - 40), m.index + m[0].length + 40)
          .replace(/\uFFFC/g, "");
        out.push({ entry: id, from, to, text: m[0], blockId, context });
      }
    }
  };
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    scan(node, pos + 1, (node.attrs.id as string | null) ?? null);
    return false;
  });
  return out.sort((a, b) => a.from - b.from || a.entry.localeCompare(b.entry));
}

/** Adds the links for the given mentions to a transaction. */
export function linkMentions<T extends Transform>(tr: T, mentions: Mention[]): T {
  for (const m of mentions) tr.addMark(m.from, m.to, schema.marks.gloss.create({ entry: m.entry }));
  return tr;
}
