import { describe, expect, it } from "vitest";
import { yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import * as Y from "yjs";
import { seedEditionDoc } from "../../schema/layout.ts";
import { MARK_NAMES, NODE_NAMES, schema } from "../../schema/schema.ts";
import { docToPlainBlocks, inlineText } from "../../schema/textdoc.ts";
import { b } from "../helpers/builders.ts";

const provenance = { title: "t", publication: "p", date: "d", address: "a", extra: {} };

describe("the edition schema", () => {
  it("keeps a footnote inside a paragraph as an inline node with its own text", () => {
    const doc = b.doc(b.p("Before", b.note("A note with ", b.em("emphasis")), " after"));
    doc.check();
    const para = doc.firstChild;
    expect(para?.childCount).toBe(3);
    expect(para?.child(1).type.name).toBe("note");
    expect(para?.child(1).textContent).toBe("A note with emphasis");
  });

  it("lets two apparatus lemmas overlap on the same words", () => {
    const one = schema.marks.lemma.create({ app: "app-1" });
    const two = schema.marks.lemma.create({ app: "app-2" });
    const marks = two.addToSet(one.addToSet([]));
    expect(marks.map((m) => m.attrs.app)).toEqual(["app-1", "app-2"]);
  });

  it("refuses a paragraph inside a footnote", () => {
    expect(() => schema.nodes.note.create(null, b.p("x")).check()).toThrow(RangeError);
  });

  it("survives the trip through Yjs unchanged, notes, marks and ids included", () => {
    const doc = b.doc(
      b.h2({ id: "h1" }, "Title"),
      b.p({ id: "p1" }, "Text ", b.icc({ id: "note-7", label: "7" }, "The KAI"), " and ", b.em("more")),
      b.block_note({ id: "bn1", kind: "original", resp: "ICC" }, b.p({ id: "p2" }, "Remark")),
    );
    const ydoc = new Y.Doc();
    seedEditionDoc(ydoc, { id: "x", title: "X", baseWitness: "B", provenance, body: doc }, null);
    const back = yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment("body"), schema);
    expect(back.eq(doc)).toBe(true);
  });

  it("reads plain text with notes left out or shown by their label", () => {
    const para = b.p("International,", b.icc({ label: "7" }, "KAI"), " as well");
    expect(inlineText(para)).toBe("International, as well");
    expect(inlineText(para, { notes: "label" })).toBe("International,[7] as well");
  });

  it("lists block notes apart from the text", () => {
    const doc = b.doc(b.p("Text"), b.block_note({ resp: "ICC" }, b.p("Remark")));
    expect(docToPlainBlocks(doc).map((x) => x.text)).toEqual(["Text"]);
    expect(docToPlainBlocks(doc, { notes: "omit", blockNotes: true }).map((x) => x.type)).toEqual([
      "paragraph",
      "block_note",
    ]);
  });

  it("names every node and mark the server will accept", () => {
    expect([...NODE_NAMES]).toContain("note");
    expect([...MARK_NAMES].sort()).toEqual([
      "choice",
      "cite",
      "em",
      "foreign",
      "gloss",
      "hi",
      "lemma",
      "ocr",
      "strong",
      "supplied",
      "unclear",
    ]);
  });
});
