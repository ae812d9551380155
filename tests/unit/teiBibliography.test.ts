import { describe, expect, it } from "vitest";
import { yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import { decide } from "../../schema/apparatus.ts";
import {
  addCitation,
  listBibliography,
  readCitations,
  setBibEntry,
} from "../../schema/bibliography/index.ts";
import { ROOTS } from "../../schema/layout.ts";
import { schema } from "../../schema/schema.ts";
import { exportTei } from "../../schema/tei.ts";
import { importTei } from "../../schema/teiImport.ts";
import { citingDoc } from "../helpers/citingDoc.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { danglingPointers, jingErrors } from "../helpers/tei.ts";

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

  it("writes a date @when cannot hold (a year BC, a thirteenth month) in words, so the export stays valid", () => {
    const doc = citingDoc();
    doc.transact(() => {
      setBibEntry(doc, { id: "cicero", type: "book", title: "Letters", issued: { "date-parts": [[-44]] } });
      setBibEntry(doc, { id: "odd", type: "book", title: "Odd", issued: { "date-parts": [[1923, 13]] } });
    });
    const { xml } = exportTei(doc);
    expect(xml).toContain("<date>-44</date>");
    expect(xml).toContain("<date>1923-13</date>");
    expect(jingErrors(xml)).toEqual([]);
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
    addCitation(
      doc,
      { kind: "apparatus", id: "app-ru-1" },
      { entry: "icc-levye-kommunisty", locator: "", label: "page" },
    );
    addCitation(
      doc,
      { kind: "apparatus", id: "app-ru-2" },
      { entry: "icc-levye-kommunisty", locator: "", label: "page" },
    );
    // A rejected entry is not exported: neither is its citation (it would point nowhere).
    decide(doc, "app-ru-2", { status: "rejected" }, "rev", 1);
    const { xml } = exportTei(doc);
    expect(xml).toContain('<biblStruct xml:id="bib-lawson-2021" type="webpage">');
    expect(xml).toContain(
      '<bibl type="glossary" corresp="#gl-miasnikov"><ref target="#bib-icc-ir142"/><citedRange unit="note">1</citedRange></bibl>',
    );
    expect(xml).toContain(
      '<bibl type="apparatus" corresp="#app-ru-1"><ref target="#bib-icc-levye-kommunisty"/></bibl>',
    );
    expect(xml).not.toContain('corresp="#app-ru-2"');
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
