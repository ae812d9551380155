import type { Attrs, Node } from "prosemirror-model";
import { builders } from "prosemirror-test-builder";
import { schema } from "../../schema/schema.ts";

type Child = string | Node | { flat: readonly Node[]; tag: Record<string, number> };
type NodeBuilder = (
  attrsOrFirstChild?: Attrs | Child,
  ...children: Child[]
) => Node & { tag: Record<string, number> };
type MarkBuilder = (attrsOrFirstChild?: Attrs | Child, ...children: Child[]) => Child;

const all = builders(schema, {
  p: { nodeType: "paragraph" },
  h2: { nodeType: "heading", level: 2 },
  note: { nodeType: "note", kind: "editorial" },
  icc: { nodeType: "note", kind: "original", resp: "ICC" },
});
const node = (name: string) => all[name] as NodeBuilder;
const mark = (name: string) => all[name] as MarkBuilder;

/** prosemirror-test-builder over the edition schema: `b.doc(b.p("text", b.note("a note")))`. */
export const b = {
  doc: node("doc"),
  p: node("p"),
  h2: node("h2"),
  note: node("note"),
  icc: node("icc"),
  anchor: node("anchor"),
  block_note: node("block_note"),
  bullet_list: node("bullet_list"),
  list_item: node("list_item"),
  em: mark("em"),
  strong: mark("strong"),
  lemma: mark("lemma"),
  gloss: mark("gloss"),
};
