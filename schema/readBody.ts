/**
 * A document's body as a ProseMirror document, read without writing to it. y-prosemirror's
 * `yXmlFragmentToProseMirrorRootNode` gives the same document, but it deletes from the shared document
 * what the schema cannot read (and merges two neighbouring texts its own client made), so every read had
 * to work on a copy: an encode and decode of the whole document, most of a second and its size again in
 * memory for a large edition. Here what cannot be read is left out of the result and left alone in the
 * document (the server's update check keeps unknown nodes and marks out of it in the first place); so
 * are text at the top level and XML hooks, on which y-prosemirror throws.
 */
import { Fragment, type Mark, type Node, type Schema } from "prosemirror-model";
import * as Y from "yjs";
import { ROOTS } from "./layout.ts";
import { schema as editionSchema } from "./schema.ts";

/** y-prosemirror stores a mark that may overlap another of its type as `name--<hash of its attrs>`. */
const HASHED_MARK = /(.*)(--[a-zA-Z0-9+/=]{8})$/;

/** The body of `ydoc` (or another of its XML roots) as `schema` reads it, as y-prosemirror would. */
export function readBody(ydoc: Y.Doc, root: string = ROOTS.body, schema: Schema = editionSchema): Node {
  const nodes: Node[] = [];
  for (const child of ydoc.getXmlFragment(root).toArray()) {
    const node = child instanceof Y.XmlElement ? elementNode(child, schema) : null;
    if (node) nodes.push(node);
  }
  return schema.topNodeType.create(null, Fragment.fromArray(nodes));
}

function elementNode(element: Y.XmlElement, schema: Schema): Node | null {
  const children: Node[] = [];
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlElement) {
      const node = elementNode(child, schema);
      if (node) children.push(node);
    } else if (child instanceof Y.XmlText) children.push(...textNodes(child, schema));
  }
  try {
    return schema.node(element.nodeName, element.getAttributes(), children);
  } catch {
    return null;
  }
}

function textNodes(text: Y.XmlText, schema: Schema): Node[] {
  try {
    return (text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]).map((d) => {
      const marks: Mark[] = Object.entries(d.attributes ?? {}).map(([key, attrs]) =>
        schema.mark(HASHED_MARK.exec(key)?.[1] ?? key, attrs as Record<string, unknown>),
      );
      return schema.text(d.insert as string, marks);
    });
  } catch {
    return [];
  }
}
