import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { largeEdition } from "../../bench/largeEdition.ts";
import { readingEdition } from "../../schema/html.ts";
import { exportLatex } from "../../schema/latex.ts";
import { readMeta } from "../../schema/layout.ts";
import { printDocument } from "../../schema/print.ts";
import { publicationReport } from "../../schema/publication.ts";
import { editionSearchIndexScript } from "../../schema/publish/searchIndex.ts";
import { exportTei } from "../../schema/tei.ts";
import { importTei } from "../../schema/teiImport.ts";
import { listWitnesses } from "../../schema/witnesses.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { ROOT } from "../helpers/paths.ts";

/** Every export and read of the edition, as the server runs them on its live document. */
function readEverything(ydoc: Y.Doc): void {
  exportTei(ydoc);
  readingEdition(ydoc, { css: "", js: "" });
  exportLatex(ydoc);
  printDocument(ydoc);
  publicationReport(ydoc);
  editionSearchIndexScript(ydoc);
  for (const s of [readMeta(ydoc).baseWitness, ...listWitnesses(ydoc).map((w) => w.siglum)])
    witnessText(ydoc, s);
}

describe("exports and reads, run on the live document", () => {
  it("never write to it: no transaction, the same state after as before", () => {
    const imported = importTei(
      readFileSync(join(ROOT, "tests/fixtures/tei/dracor-koerner-die-blumen.xml"), "utf8"),
      "corpus",
    );
    if (!imported.ok) throw new Error("the fixture did not import");
    const docs = [
      manifestoDoc(),
      imported.doc,
      largeEdition({
        characters: 60_000,
        entries: 400,
        glossLinks: 200,
        notes: 50,
        threads: 40,
        witnessCharacters: 5_000,
      }).doc,
    ];
    for (const ydoc of docs) {
      // What the schema cannot read is in it too: a read must leave it there.
      ydoc.getXmlFragment("body").insert(1, [new Y.XmlElement("future_node")]);
      const before = Y.encodeStateAsUpdate(ydoc);
      let transactions = 0;
      ydoc.on("afterTransaction", () => transactions++);
      readEverything(ydoc);
      expect(transactions).toBe(0);
      expect(Y.encodeStateAsUpdate(ydoc)).toEqual(before);
    }
  });
});
