import type { Node } from "prosemirror-model";
import { schema } from "./schema.ts";
import type { TextBlock, WitnessText } from "./textformat.ts";

/**
 * Builds the ProseMirror document of a witness text. Block ids are given in order (`h1`, `p1`, `bn1`…) so
 * that the seeded edition has the same permalinks on every machine; a footnote marker `[label]` becomes a
 * note node wherever the text defines that label, and nowhere else.
 */
export function witnessTextToDoc(text: WitnessText, noteResp: string | null = null): Node {
  const counters = new Map<string, number>();
  const nextId = (prefix: string) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}${n}`;
  };
  const inline = (line: string) => inlineContent(line, text.notes, noteResp);
  const block = (b: TextBlock): Node => {
    switch (b.type) {
      case "heading":
        return schema.nodes.heading.create({ id: nextId("h"), level: b.level }, inline(b.text));
      case "paragraph":
        return schema.nodes.paragraph.create({ id: nextId("p") }, inline(b.text));
      case "list":
        return schema.nodes.bullet_list.create(
          null,
          b.items.map((item) =>
            schema.nodes.list_item.create(
              null,
              schema.nodes.paragraph.create({ id: nextId("p") }, inline(item)),
            ),
          ),
        );
      case "note":
        return schema.nodes.block_note.create(
          { id: nextId("bn"), kind: b.kind, resp: b.resp },
          b.blocks.map(block),
        );
    }
  };
  return schema.nodes.doc.create(null, text.blocks.map(block));
}

function inlineContent(line: string, notes: Map<string, string>, resp: string | null): Node[] {
  const out: Node[] = [];
  let last = 0;
  for (const m of line.matchAll(/\[([^\]\s]+)\]/g)) {
    const label = m[1] as string;
    const body = notes.get(label);
    if (body === undefined) continue;
    if (m.index > last) out.push(schema.text(line.slice(last, m.index)));
    out.push(
      schema.nodes.note.create(
        { id: `note-${label}`, kind: "original", resp, label },
        body ? schema.text(body) : null,
      ),
    );
    last = m.index + m[0].length;
  }
  if (last < line.length) out.push(schema.text(line.slice(last)));
  return out;
}

/** One block of a document as plain text, for comparison with a source and for plain-text exports. */
export interface PlainBlock {
  type: "heading" | "paragraph" | "block_note";
  id: string | null;
  text: string;
}

export interface PlainTextOptions {
  /** How a footnote appears in the running text: left out, or as its source label in brackets. */
  notes: "omit" | "label";
  /** Whether the text of block notes (remarks by an editor, not the witness) is included. */
  blockNotes: boolean;
}

/** The text blocks of a document in order (list items count as paragraphs). */
export function docToPlainBlocks(
  doc: Node,
  options: PlainTextOptions = { notes: "omit", blockNotes: false },
): PlainBlock[] {
  const out: PlainBlock[] = [];
  const walk = (node: Node, inNote: boolean) => {
    node.forEach((child) => {
      if (child.type.name === "block_note") {
        if (options.blockNotes) walk(child, true);
        return;
      }
      if (child.isTextblock) {
        out.push({
          type: inNote ? "block_note" : child.type.name === "heading" ? "heading" : "paragraph",
          id: child.attrs.id ?? null,
          text: inlineText(child, options),
        });
        return;
      }
      walk(child, inNote);
    });
  };
  walk(doc, false);
  return out;
}

/** The text of a textblock, with footnotes as the options say. */
export function inlineText(
  block: Node,
  options: Pick<PlainTextOptions, "notes"> = { notes: "omit" },
): string {
  let text = "";
  block.forEach((child) => {
    if (child.isText) text += child.text;
    else if (child.type.name === "hard_break") text += "\n";
    else if (child.type.name === "page_break" || child.type.name === "gap") {
      // Page breaks and gaps hold no words, and the plain-text format has no way to show them.
    } else if (child.type.name === "note" && options.notes === "label")
      text += `[${child.attrs.label ?? ""}]`;
  });
  return text;
}
