import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import * as Y from "yjs";
import { largeEdition } from "../../bench/largeEdition.ts";
import { copyDoc, ROOTS } from "../../schema/layout.ts";
import { readBody } from "../../schema/readBody.ts";
import { schema } from "../../schema/schema.ts";
import { importTei } from "../../schema/teiImport.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { ROOT } from "../helpers/paths.ts";

const theirs = (ydoc: Y.Doc) =>
  yXmlFragmentToProseMirrorRootNode(copyDoc(ydoc).getXmlFragment(ROOTS.body), schema);

describe("reading a body without writing to it", () => {
  it("gives the document y-prosemirror gives, for the Manifesto and a dense edition with every kind of markup", () => {
    const manifesto = manifestoDoc();
    expect(readBody(manifesto).eq(theirs(manifesto))).toBe(true);
    const dense = largeEdition({
      characters: 120_000,
      entries: 800,
      glossLinks: 400,
      notes: 100,
      threads: 50,
      witnessCharacters: 20_000,
    });
    expect(readBody(dense.doc).eq(theirs(dense.doc))).toBe(true);
    for (const w of dense.witnesses) expect(readBody(w.doc).eq(theirs(w.doc))).toBe(true);
  });

  it("gives the document y-prosemirror gives for every TEI file of the test corpus (verse, drama, apparatus, breaks, choices)", () => {
    const dir = join(ROOT, "tests/fixtures/tei");
    const files = readdirSync(dir).filter((f) => f.endsWith(".xml"));
    expect(files.length).toBeGreaterThan(5);
    let compared = 0;
    for (const file of files) {
      const imported = importTei(readFileSync(join(dir, file), "utf8"), "corpus");
      if (!imported.ok) continue;
      expect(readBody(imported.doc).eq(theirs(imported.doc)), file).toBe(true);
      compared++;
    }
    expect(compared).toBeGreaterThan(5);
  });

  it("leaves out what the schema cannot read, and leaves it in the document", () => {
    const ydoc = manifestoDoc();
    const body = ydoc.getXmlFragment(ROOTS.body);
    const strange = new Y.XmlElement("future_node");
    const oddText = new Y.XmlText();
    ydoc.transact(() => {
      body.insert(1, [strange]);
      const p = body.get(2) as Y.XmlElement;
      p.insert(0, [oddText]);
      oddText.insert(0, "marked oddly", { future_mark: {} });
    });
    const before = Y.encodeStateAsUpdate(ydoc);
    let writes = 0;
    ydoc.on("afterTransaction", () => writes++);
    const read = readBody(ydoc);
    expect(writes).toBe(0);
    expect(Y.encodeStateAsUpdate(ydoc)).toEqual(before);
    expect(read.textContent).not.toContain("marked oddly");
    expect(read.childCount).toBe(body.length - 1);
    // What y-prosemirror makes of it (on a copy: it deletes both there).
    expect(read.eq(theirs(ydoc))).toBe(true);
  });
});
