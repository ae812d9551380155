import { describe, expect, it } from "vitest";
import { yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import * as Y from "yjs";
import { addCitation } from "../../schema/bibliography/citations.ts";
import { listBibliography, readCitations, setBibEntry } from "../../schema/bibliography/index.ts";
import { ROOTS, seedEditionDoc } from "../../schema/layout.ts";
import { schema } from "../../schema/schema.ts";
import { exportTei } from "../../schema/tei.ts";
import { importTei } from "../../schema/teiImport.ts";
import { setWitness } from "../../schema/witnesses.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { danglingPointers, jingErrors } from "../helpers/tei.ts";

function citingDoc(): Y.Doc {
  const cite = (entry: string, locator: string, label: string) =>
    schema.marks.cite.create({ entry, locator, label });
  const body = schema.nodes.doc.create(null, [
    schema.nodes.paragraph.create({ id: "p1" }, [
      schema.text("The Workers' Group"),
      schema.nodes.note.create({ id: "note-1", kind: "editorial" }, [
        schema.text("See "),
        schema.text("Lawson 2021", [cite("lawson-2021", "3", "section")]),
        schema.text(" and "),
        schema.text("Ward", [cite("ward-ir9", "", "page")]),
        schema.text("."),
      ]),
      schema.text(" was founded in 1923."),
    ]),
  ]);
  const ydoc = new Y.Doc();
  seedEditionDoc(
    ydoc,
    {
      id: "cited",
      title: "A cited edition",
      baseWitness: "A",
      provenance: { title: "A", publication: "P", date: "2000", address: "https://example.org/a", extra: {} },
      body,
    },
    null,
  );
  setWitness(ydoc, {
    siglum: "A",
    title: "A",
    publication: "",
    date: "",
    language: "en",
    coverage: "full",
    covers: "",
    description: "",
    address: "",
    provenance: "Read in Lawson.",
    hasText: true,
    coveredBlocks: [],
  });
  setBibEntry(ydoc, {
    id: "lawson-2021",
    type: "webpage",
    author: [{ family: "Lawson", given: "Tommy" }],
    title: "The Most Intransigent of Bolsheviks",
    "container-title": "libcom.org",
    issued: { "date-parts": [[2021, 9, 12]] },
    note: "Mirrored by The Anarchist Library.",
  });
  setBibEntry(ydoc, {
    id: "ward-ir9",
    type: "article-journal",
    author: [{ family: "Ward", given: "C. D." }],
    title: "The Communist Left in Russia 1918-1930, Part 2",
    "container-title": "International Review",
    issue: "9",
    publisher: "International Communist Current",
  });
  setBibEntry(ydoc, {
    id: "icc-book",
    type: "book",
    author: [{ literal: "International Communist Current" }],
    title: "Левые коммунисты в России. 1918-1930-е гг.",
    language: "ru",
    "reviewed-author": [{ literal: "Nobody" }],
  });
  addCitation(ydoc, { kind: "witness", id: "A" }, { entry: "lawson-2021", locator: "12", label: "page" });
  return ydoc;
}

describe("the bibliography in TEI", () => {
  it("writes a listBibl of biblStruct and citations as bibl/ref pointing into it, valid against tei_all", () => {
    const { xml, warnings } = exportTei(citingDoc());
    expect(warnings).toEqual([]);
    expect(xml).toContain('<listBibl type="bibliography">');
    expect(xml).toContain('<biblStruct xml:id="bib-lawson-2021" type="webpage">');
    expect(xml).toContain(
      '<bibl><ref target="#bib-lawson-2021">Lawson 2021</ref><citedRange unit="section">3</citedRange></bibl>',
    );
    expect(xml).toContain('<bibl><ref target="#bib-ward-ir9">Ward</ref></bibl>');
    expect(xml).toContain(
      '<bibl type="witness" corresp="#A"><ref target="#bib-lawson-2021"/><citedRange unit="page">12</citedRange></bibl>',
    );
    expect(jingErrors(xml)).toEqual([]);
    expect(danglingPointers(xml)).toEqual([]);
  });

  it("reads its own export back: entries, the citations in a note and beside the text; exports the same bytes", () => {
    const first = exportTei(citingDoc()).xml;
    const imported = importTei(first, "cited");
    if (!imported.ok) throw new Error(imported.errors.join("\n"));
    expect(imported.report.notRepresented).toEqual([]);
    expect(listBibliography(imported.doc)).toEqual(listBibliography(citingDoc()));
    expect(readCitations(imported.doc, { kind: "witness", id: "A" })).toEqual([
      { entry: "lawson-2021", locator: "12", label: "page" },
    ]);
    const body = yXmlFragmentToProseMirrorRootNode(imported.doc.getXmlFragment(ROOTS.body), schema);
    const cites: unknown[] = [];
    body.descendants((n) => {
      for (const m of n.marks) if (m.type.name === "cite") cites.push({ text: n.text, ...m.attrs });
    });
    expect(cites).toEqual([
      { text: "Lawson 2021", entry: "lawson-2021", locator: "3", label: "section" },
      { text: "Ward", entry: "ward-ir9", locator: "", label: "page" },
    ]);
    expect(exportTei(imported.doc).xml).toBe(first);
  });

  it("exports the Manifesto's sources and the glossary's citations of them, valid, and reads them back", () => {
    const doc = manifestoDoc();
    const { xml } = exportTei(doc);
    expect(xml).toContain('<biblStruct xml:id="bib-lawson-2021" type="webpage">');
    expect(xml).toContain(
      '<bibl type="glossary" corresp="#gl-miasnikov"><ref target="#bib-icc-ir142"/><citedRange unit="note">1</citedRange></bibl>',
    );
    expect(jingErrors(xml)).toEqual([]);
    expect(danglingPointers(xml)).toEqual([]);
    const imported = importTei(xml, "manifesto");
    if (!imported.ok) throw new Error(imported.errors.join("\n"));
    expect(readCitations(imported.doc, { kind: "glossary", id: "gl-miasnikov" })).toEqual(
      readCitations(doc, { kind: "glossary", id: "gl-miasnikov" }),
    );
    expect(exportTei(imported.doc).xml).toBe(xml);
  });
});
