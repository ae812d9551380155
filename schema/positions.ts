/**
 * The base text as one plain string (blocks joined by blank lines, footnotes and editors' remarks left
 * out: the same text `witnessText` gives for the base witness), with the way back from each character
 * to its position in the ProseMirror document. Collation works on the string; its results are placed
 * in the document through this map.
 */
import type { Node } from "prosemirror-model";

export interface PlainMap {
  text: string;
  /** The document position of each character of `text` (-1 for the blank lines between blocks). */
  posAt: number[];
  /** The id of the block each character belongs to (null between blocks). */
  blockAt: (string | null)[];
}

export function plainMap(doc: Node): PlainMap {
  let text = "";
  const posAt: number[] = [];
  const blockAt: (string | null)[] = [];
  let first = true;
  const walk = (node: Node, offset: number) => {
    node.forEach((child, childOffset) => {
      const pos = offset + childOffset;
      if (child.type.name === "block_note") return;
      if (child.isTextblock) {
        if (!first) {
          text += "\n\n";
          posAt.push(-1, -1);
          blockAt.push(null, null);
        }
        first = false;
        const id = (child.attrs.id as string | null) ?? null;
        child.forEach((inline, inlineOffset) => {
          const at = pos + 1 + inlineOffset;
          if (inline.isText) {
            const t = inline.text ?? "";
            for (let i = 0; i < t.length; i++) {
              posAt.push(at + i);
              blockAt.push(id);
            }
            text += t;
          } else if (inline.type.name === "hard_break") {
            text += "\n";
            posAt.push(at);
            blockAt.push(id);
          }
        });
        return;
      }
      walk(child, pos + 1);
    });
  };
  walk(doc, 0);
  return { text, posAt, blockAt };
}
