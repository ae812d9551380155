import { readFileSync } from "node:fs";
import { DOMParser } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { decide } from "../../schema/apparatus.ts";
import { ROOTS } from "../../schema/layout.ts";
import { exportTei } from "../../schema/tei.ts";
import { importTei } from "../../schema/teiImport.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { manifestoDoc } from "../helpers/edition.ts";
import { EXCERPTS, ICC_SOURCE } from "../helpers/paths.ts";
import { danglingPointers, jingErrors } from "../helpers/tei.ts";

describe("TEI export", () => {
  const ydoc = manifestoDoc();
  const { xml, warnings } = exportTei(ydoc);

  it("is valid TEI P5 against the official tei_all schema, with no warnings", () => {
    expect(jingErrors(xml)).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it("fails validation when the file is broken (the check can fail)", () => {
    expect(jingErrors(xml.replace("<listWit>", "<listWit><bogus/>")).length).toBeGreaterThan(0);
  });

  it("points every @wit, @ref, @target, @resp and @corresp at an xml:id that exists", () => {
    expect(danglingPointers(xml)).toEqual([]);
    expect(danglingPointers(xml.replace('ref="#gl-poincare"', 'ref="#gl-nobody"'))).toEqual([
      '@ref="#gl-nobody"',
    ]);
  });

  it("encodes the apparatus in parallel segmentation with witnesses, notes and glossary links", () => {
    const dom = new DOMParser().parseFromString(xml, "text/xml");
    const count = (name: string) => dom.getElementsByTagName(name).length;
    expect(dom.getElementsByTagName("variantEncoding")[0]?.getAttribute("method")).toBe(
      "parallel-segmentation",
    );
    expect(
      [...Array(count("witness")).keys()].map((i) =>
        dom.getElementsByTagName("witness")[i]?.getAttribute("xml:id"),
      ),
    ).toEqual(["ICC", "Q", "RU", "WD"]);
    expect(count("app")).toBe(5);
    expect(xml).toContain('<rdg wit="#RU" type="accepted"><witStart/>Мы уже говорили');
    expect(xml).toContain(
      '<note xml:id="note-7" type="original" place="foot" n="7" resp="#ICC">This is the <orgName ref="#gl-kai">KAI</orgName>',
    );
    expect(xml).toContain('<persName ref="#gl-poincare">Poincaré</persName>');
    expect(count("listPerson") + count("listOrg") + count("listPlace")).toBe(3);
    expect(count("revisionDesc")).toBe(1);
  });

  it("leaves out a rejected entry and marks a proposed one as such", () => {
    const copy = manifestoDoc();
    decide(copy, "app-ru-1", { status: "rejected" }, "rev", 1);
    decide(copy, "app-ru-2", { status: "proposed" }, "rev", 1);
    const out = exportTei(copy).xml;
    expect(out).not.toContain('xml:id="app-ru-1"');
    expect(out).toContain('<app xml:id="app-ru-2" type="lexical" subtype="proposed">');
    expect(jingErrors(out)).toEqual([]);
  });

  it("gives the same file when our own export is imported and exported again", () => {
    const imported = importTei(xml, "manifesto");
    if (!imported.ok) throw new Error(imported.errors.join("\n"));
    expect(imported.report.notRepresented).toEqual([]);
    expect(exportTei(imported.doc).xml).toBe(xml);
  });

  it("never changes the live document, even one holding an element this schema does not know", () => {
    const live = manifestoDoc();
    // What a newer client could have written: y-prosemirror would delete it if it read the live document.
    live.getXmlFragment(ROOTS.body).insert(0, [new Y.XmlElement("figure")]);
    const before = Y.encodeStateVector(live);
    const stateBefore = Y.encodeStateAsUpdate(live);
    exportTei(live);
    witnessText(live, "RU");
    expect(Y.encodeStateVector(live)).toEqual(before);
    expect(Y.encodeStateAsUpdate(live)).toEqual(stateBefore);
    expect((live.getXmlFragment(ROOTS.body).get(0) as Y.XmlElement).nodeName).toBe("figure");
  });
});

describe("TEI import of a foreign file", () => {
  const foreign = `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>A foreign edition</title></titleStmt>
    <publicationStmt><p>x</p></publicationStmt><sourceDesc><p>y</p></sourceDesc></fileDesc></teiHeader>
  <text><body>
    <div type="chapter">
      <head>Chapter one</head>
      <p>Plain <emph>stressed</emph> and <foreign xml:lang="la">lorem ipsum</foreign> text.</p>
      <table><row><cell>cell text</cell></row></table>
      <p>A name: <persName ref="#nobody">Somebody</persName>.<note place="foot">A note.</note></p>
    </div>
  </body></text>
</TEI>`;

  it("keeps what the model represents and reports, grouped with lines, what it converted or dropped", () => {
    const result = importTei(foreign, "foreign");
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect(result.title).toBe("A foreign edition");
    expect(result.report.notRepresented).toEqual([
      "<publicationStmt> in <fileDesc>: 1 element, dropped: the export writes its own (line 4)",
      "<p> in <sourceDesc>: 1 element, dropped: not represented (line 4)",
      '@type on <div>: 1 attribute, dropped: not represented; 1 value: "chapter" (line 6)',
      "<table>: 1 element, converted: a container: its contents are read as blocks (line 9)",
      "<row>: 1 element, converted: a container: its contents are read as blocks (line 9)",
      "<cell>: 1 element, converted: between paragraphs: its text is kept as a paragraph (line 9)",
      '<persName>: 1 element, converted: points to no glossary entry; its text is kept unlinked; 1 value: "nobody" (line 10)',
    ]);
    const text = exportTei(result.doc).xml;
    for (const kept of [
      "Chapter one",
      "<emph>stressed</emph>",
      "lorem ipsum",
      "cell text",
      "Somebody",
      "A note.",
    ]) {
      expect(text).toContain(kept);
    }
    expect(jingErrors(text)).toEqual([]);
  });

  it("refuses a file that is not well-formed XML or not TEI, saying which", () => {
    expect(importTei("<TEI><p></TEI>", "x")).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/not well-formed XML/)],
    });
    expect(importTei("<html/>", "x")).toEqual({
      ok: false,
      errors: ["the root element is not <TEI> in the TEI namespace (http://www.tei-c.org/ns/1.0)"],
    });
  });
});

describe("witness texts", () => {
  const ydoc = manifestoDoc();

  it("gives the ICC text exactly as the source has it, paragraph by paragraph", () => {
    const lines = readFileSync(ICC_SOURCE, "utf8").split("\n");
    const start = lines.indexOf("By way of a preface");
    const end = lines.indexOf("We now turn to the issue of the united front.");
    const source = lines
      .slice(start, end + 1)
      .filter((l) => l !== "" && l !== "* * *" && !l.startsWith("Editor's note: "))
      .map((l) => l.replace("[7]", ""))
      .join("\n\n");
    const result = witnessText(ydoc, "ICC");
    expect(result.ok && result.text).toBe(source);
  });

  it("gives only the covered stretches of a partial witness, in the witness's own words", () => {
    const ru = witnessText(ydoc, "RU");
    if (!ru.ok) throw new Error(ru.reason);
    const excerpts = readFileSync(EXCERPTS, "utf8");
    expect(ru.stretches).toHaveLength(4);
    for (const stretch of ru.stretches) expect(excerpts).toContain(stretch.split("\n\n")[0]);
    expect(ru.stretches[0]).toMatch(/^Мы уже говорили/);
    const q = witnessText(ydoc, "Q");
    expect(q.ok && q.stretches.length).toBe(1);
    expect(q.ok && q.text).toMatch(/^The Socialists of all countries, are at any given moment/);
    expect(witnessText(ydoc, "WD")).toEqual({ ok: true, text: "", stretches: [] });
    expect(witnessText(ydoc, "XYZ")).toEqual({ ok: false, reason: 'unknown witness "XYZ"' });
  });
});
