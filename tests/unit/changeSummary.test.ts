import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { type ChangeSummary, summarizeTransaction } from "../../schema/changeSummary.ts";
import { createThread, newThreadId } from "../../schema/comments.ts";
import { copyDoc, ROOTS } from "../../schema/layout.ts";
import { manifestoDoc } from "../helpers/edition.ts";

/** Runs `change` on a copy of the Manifesto and returns the summary of each transaction it made. */
function summaries(change: (doc: Y.Doc) => void): ChangeSummary[] {
  const doc = copyDoc(manifestoDoc());
  const out: ChangeSummary[] = [];
  doc.on("afterTransaction", (tr: Y.Transaction) => {
    // Reading a type for the first time opens an empty transaction of its own.
    if (tr.changed.size > 0) out.push(summarizeTransaction(tr));
  });
  change(doc);
  return out;
}

/** The first paragraph of the body and its text. */
function firstParagraph(doc: Y.Doc): { el: Y.XmlElement; text: Y.XmlText } {
  const el = doc
    .getXmlFragment(ROOTS.body)
    .toArray()
    .find((c) => c instanceof Y.XmlElement && c.nodeName === "paragraph") as Y.XmlElement;
  return { el, text: el.toArray().find((c) => c instanceof Y.XmlText) as Y.XmlText };
}

describe("the summary of a change", () => {
  it("names the paragraph and the words typed into it, and the words deleted from it", () => {
    const [typed, deleted] = summaries((doc) => {
      const { text } = firstParagraph(doc);
      doc.transact(() => text.insert(0, "Indeed, "));
      doc.transact(() => text.delete(8, "Every conscious".length));
    });
    const id = String(firstParagraph(copyDoc(manifestoDoc())).el.getAttribute("id"));
    expect(typed?.blocks).toEqual([{ id, added: "Indeed, ", removed: "", formatted: 0, inNote: false }]);
    expect(deleted?.blocks).toEqual([
      { id, added: "", removed: "Every conscious", formatted: 0, inNote: false },
    ]);
  });

  it("counts a new paragraph and a deleted one, with the deleted words", () => {
    const [added, removed] = summaries((doc) => {
      const body = doc.getXmlFragment(ROOTS.body);
      doc.transact(() => {
        const p = new Y.XmlElement("paragraph");
        p.setAttribute("id", "p-new");
        const t = new Y.XmlText();
        t.insert(0, "A new paragraph.");
        p.insert(0, [t]);
        body.insert(0, [p]);
      });
      doc.transact(() => body.delete(0, 1));
    });
    expect(added?.blocksAdded).toBe(1);
    expect(added?.blocks.map((b) => [b.id, b.added])).toEqual([["p-new", "A new paragraph."]]);
    expect(removed?.blocksRemoved).toBe(1);
    expect(removed?.blocks.map((b) => [b.id, b.removed])).toEqual([["p-new", "A new paragraph."]]);
  });

  it("leaves out words typed and deleted again within one change, and names touched entries and threads", () => {
    const [s] = summaries((doc) => {
      const id = newThreadId();
      doc.transact(() => {
        const { text } = firstParagraph(doc);
        text.insert(0, "oops");
        text.delete(0, 4);
        createThread(doc, id, { kind: "entry", app: "app-q-1" }, "Ann", "Check this.");
        const entry = doc.getMap<Y.Map<unknown>>(ROOTS.apparatus).get("app-q-1") as Y.Map<unknown>;
        entry.set("note", "Q's wording differs.");
        doc.getMap(ROOTS.meta).set("title", "A new title");
      });
    });
    expect(s?.blocks).toEqual([]);
    expect(s?.comments).toHaveLength(1);
    expect(s?.apparatus).toEqual(["app-q-1"]);
    expect(s?.meta).toBe(true);
  });

  it("counts marks set on words (a lemma, emphasis) in their paragraph", () => {
    const [s] = summaries((doc) => {
      const { text } = firstParagraph(doc);
      doc.transact(() => text.format(0, 5, { em: {} }));
    });
    expect(s?.blocks[0]?.formatted).toBeGreaterThan(0);
    expect(s?.blocks[0]?.added).toBe("");
  });
});
