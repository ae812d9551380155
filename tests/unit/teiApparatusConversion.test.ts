import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import { yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import type * as Y from "yjs";
import { detachedEntries, placements, readEntry } from "../../schema/apparatus.ts";
import { ROOTS, readMeta } from "../../schema/layout.ts";
import { schema } from "../../schema/schema.ts";
import { exportTei } from "../../schema/tei.ts";
import { importTei } from "../../schema/teiImport.ts";
import { witnessText } from "../../schema/witnessText.ts";
import { ROOT } from "../helpers/paths.ts";
import { danglingPointers, jingErrors } from "../helpers/tei.ts";

/** Test inputs written for these tests (see tests/fixtures/tei-apparatus/README.md). */
const fixture = (name: string) => readFileSync(join(ROOT, "tests/fixtures/tei-apparatus", name), "utf8");

function imported(xml: string) {
  const r = importTei(xml, "test");
  if (!r.ok) throw new Error(r.errors.join("\n"));
  return r;
}

/** The entries placed in the text, as `lemma → their readings`, in text order. */
function placed(ydoc: Y.Doc): string[] {
  const body = yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(ROOTS.body), schema);
  return placements(body).map((p) => {
    const e = readEntry(ydoc, p.id);
    const readings = Object.entries(e?.readings ?? {})
      .map(([s, r]) => `${s}:${r.kind === "om" ? "om." : r.text}`)
      .join(" ");
    return `${p.lemma} → ${readings}`;
  });
}

/** The entries kept detached, as `recorded lemma → their readings`. */
function detached(ydoc: Y.Doc): string[] {
  const body = yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(ROOTS.body), schema);
  return detachedEntries(ydoc, body).map((id) => {
    const e = readEntry(ydoc, id);
    const readings = Object.entries(e?.readings ?? {})
      .map(([s, r]) => `${s}:${r.kind === "om" ? "om." : r.text}`)
      .join(" ");
    return `${e?.recordedLemma} → ${readings}`;
  });
}

/** A witness's text, spaces at line ends and doubled spaces (the file's layout) aside. */
function wit(ydoc: Y.Doc, siglum: string): string {
  const r = witnessText(ydoc, siglum);
  if (!r.ok) throw new Error(r.reason);
  return r.text
    .replace(/ +/g, " ")
    .replace(/ ?\n ?/g, "\n")
    .trim();
}

const rdgCount = (xml: string) =>
  new DOMParser().parseFromString(xml, "text/xml").getElementsByTagName("rdg").length;

/** Export valid against tei_all, no dangling pointer, every reading written, and a byte-identical round trip. */
function expectSoundExport(ydoc: Y.Doc, source: string): string {
  const { xml, warnings } = exportTei(ydoc);
  expect(warnings).toEqual([]);
  expect(jingErrors(xml)).toEqual([]);
  expect(danglingPointers(xml)).toEqual([]);
  expect(rdgCount(xml)).toBe(rdgCount(source));
  expect(exportTei(imported(xml).doc).xml).toBe(xml);
  return xml;
}

describe("a location-referenced apparatus, internal (each app in the line it is about)", () => {
  const source = fixture("location-internal.xml");
  const r = imported(source);

  it("moves each entry onto its lemma's words when they occur once, as whole words, in its line", () => {
    expect(placed(r.doc)).toEqual([
      "below → B:beneath",
      // "the" once as a word in "and there the mill": "there" is not a match.
      "the → C:a",
      "the → C:that",
    ]);
    const xml = exportTei(r.doc).xml;
    expect(xml).toContain('<l n="2">and there <app');
    expect(xml).toContain(
      '<lem wit="#A #B">the</lem><rdg wit="#C" type="proposed">a</rdg></app> mill still turns</l>',
    );
    // The reading's own decision (rdg/@type) comes with it.
    expect(xml).toContain('<rdg wit="#C" type="accepted">that</rdg>');
  });

  it("keeps an entry whose lemma its line lacks as a detached entry, with its readings, and says why", () => {
    expect(detached(r.doc)).toEqual(["bends → B:bendeth"]);
    expect(r.report.notRepresented).toContain(
      '<app> location-referenced: 1 element, kept: not attached (a detached entry, with its readings): lemma not found in the line or paragraph it is about; 1 value: "l 3" (line 33)',
    );
    expect(r.report.notRepresented).toContain(
      '<app> location-referenced: 3 elements, converted: to parallel segmentation: its lemma\'s words, found once in the line or paragraph it is about; 3 values: "l 1", "l 2", "l 4" (lines 27, 30, 36)',
    );
  });

  it("gives each witness the text the apparatus gives it, the lemma's words only once", () => {
    expect(wit(r.doc, "A")).toBe(
      "The river runs below the hill\n\nand there the mill still turns\n\nwhere the old road meets the ford\n\nand the road goes on",
    );
    expect(wit(r.doc, "B")).toBe(
      "The river runs beneath the hill\n\nand there the mill still turns\n\nwhere the old road meets the ford\n\nand the road goes on",
    );
    expect(wit(r.doc, "C")).toBe(
      "The river runs below the hill\n\nand there a mill still turns\n\nwhere the old road meets the ford\n\nand that road goes on",
    );
  });

  it("exports valid parallel segmentation, every reading kept, and round-trips to the same bytes", () => {
    const xml = expectSoundExport(r.doc, source);
    expect(xml).toContain('<variantEncoding method="parallel-segmentation" location="internal"/>');
    expect(xml).toContain('<listApp type="detached">');
  });
});

describe("a location-referenced apparatus, external (a listApp in the back, @loc naming the line)", () => {
  const source = fixture("location-external.xml");
  const r = imported(source);

  it("places the entries whose words occur once in the line @loc names, a lemma of several words too", () => {
    expect(placed(r.doc)).toEqual(["runs → B:ran", "old road → C:olde rode"]);
    expect(wit(r.doc, "C")).toBe(
      "The river runs below the hill\n\nand there the mill still turns\n\nwhere the olde rode meets the ford\n\nApparatus",
    );
    expect(wit(r.doc, "B")).toBe(
      "The river ran below the hill\n\nand there the mill still turns\n\nwhere the old road meets the ford\n\nApparatus",
    );
  });

  it("keeps detached, each with its reason, what it cannot place: found twice, not found, no such line, no @loc", () => {
    expect(detached(r.doc)).toEqual([
      "the → B:a C:a",
      "stone → C:stoon",
      "bridge → B:brigge",
      "hill → B:hille",
    ]);
    const lines = r.report.notRepresented.filter((l) =>
      l.startsWith("<app> location-referenced: 1 element, kept"),
    );
    expect(lines).toEqual([
      '<app> location-referenced: 1 element, kept: not attached (a detached entry, with its readings): lemma found more than once in the line or paragraph it is about; 1 value: "l 3" (line 37)',
      '<app> location-referenced: 1 element, kept: not attached (a detached entry, with its readings): lemma not found in the line or paragraph it is about; 1 value: "l 2" (line 38)',
      '<app> location-referenced: 1 element, kept: not attached (a detached entry, with its readings): its @loc names no line or paragraph of the text; 1 value: "7" (line 39)',
      "<app> location-referenced: 1 element, kept: not attached (a detached entry, with its readings): it is outside the text and names no line or paragraph (no @loc) (line 40)",
    ]);
    expect(r.report.notRepresented).toContain(
      "<listApp> of apparatus entries: 1 element, converted: its entries are read at their lemmas (line 34)",
    );
  });

  it("exports valid parallel segmentation, every reading kept, and round-trips to the same bytes", () => {
    expectSoundExport(r.doc, source);
  });
});

describe("a double-end-point apparatus, internal (anchors and app in the text)", () => {
  const source = fixture("double-end-point-internal.xml");
  const r = imported(source);

  it("makes the text between the anchors the lemma, and an anchor alone the point of an addition", () => {
    expect(placed(r.doc)).toEqual(["runs below → B:ran beneath", " → B:old "]);
    expect(wit(r.doc, "B")).toBe(
      "The river ran beneath the hill\n\nand there the old mill still turns\n\nwhere the old road\n\nmeets the ford",
    );
    expect(r.report.notRepresented).toContain(
      "<anchor>: 3 elements, converted: an end point of an apparatus entry: where its lemma starts or ends (lines 26, 29)",
    );
  });

  it("keeps an entry whose anchors are in two lines detached, with its lemma's words and readings", () => {
    expect(detached(r.doc)).toEqual(["the old road meets → C:the road that meets"]);
    expect(r.report.notRepresented).toContain(
      '<app> double-end-point: 1 element, kept: not attached (a detached entry, with its readings): its end points are not in one line or paragraph; 1 value: "#a4 #a5" (line 34)',
    );
    expect(r.report.notRepresented).toContain(
      '<anchor> of an entry kept detached: 2 elements, dropped: an end point of an entry that could not be placed in the text; 2 values: "a4", "a5" (lines 32, 33)',
    );
    expect(wit(r.doc, "C")).toBe(
      "The river runs below the hill\n\nand there the mill still turns\n\nwhere the old road\n\nmeets the ford",
    );
  });

  it("keeps the text's own words as the lemma when the lem's copy differs, and reports the copy as dropped", () => {
    const r2 = imported(source.replace('<lem wit="#A #C">runs below</lem>', '<lem wit="#A #C">runs</lem>'));
    expect(placed(r2.doc)[0]).toBe("runs below → B:ran beneath");
    expect(r2.report.notRepresented).toContain(
      "<lem> whose words differ from the text: 1 element, dropped: the text's own words are the lemma; the apparatus's copy of them is not kept; 1 value: \"runs\" (line 27)",
    );
  });

  it("exports valid parallel segmentation, every reading kept, and round-trips to the same bytes", () => {
    expectSoundExport(r.doc, source);
  });
});

describe("a double-end-point apparatus, external (a listApp in standOff pointing into the text)", () => {
  const source = fixture("double-end-point-external.xml");
  const r = imported(source);

  it("makes the element @from names, or the text between two anchors, or a whole line, the lemma", () => {
    expect(placed(r.doc)).toEqual([
      "river → A:river C:river B:rivere",
      // From one element to another: both, and what is between them.
      "runs below → C:ran beneath",
      "the mill → C:a mill",
      "where the old road meets the ford → C:where the old road ends",
    ]);
    expect(wit(r.doc, "B")).toBe(
      "The rivere runs below the hill\n\nand there the mill still turns\n\nwhere the old road meets the ford",
    );
    expect(wit(r.doc, "C")).toBe(
      "The river ran beneath the hill\n\nand there a mill still turns\n\nwhere the old road ends",
    );
  });

  it("keeps detached an entry on a whole line group, and one pointing to nothing, each with its reason", () => {
    expect(detached(r.doc)).toEqual([
      "The river runs below the hill and there the mill still turns where the old road meets the ford → B:The river",
      " → B:mille",
    ]);
    expect(r.report.notRepresented).toContain(
      '<app> double-end-point: 1 element, kept: not attached (a detached entry, with its readings): @from or @to points to no element of the file; 1 value: "#nowhere" (line 39)',
    );
    expect(r.report.notRepresented).toContain(
      '<app> double-end-point: 1 element, kept: not attached (a detached entry, with its readings): the lemma would be more than words (a whole line group or division); 1 value: "#st1" (line 38)',
    );
  });

  it("takes the lemma's witnesses from the file: a first witness that reads otherwise is not made the base", () => {
    expect(readMeta(r.doc).baseWitness).toBe("A");
    const otherwise = imported(
      source.replace('<rdg wit="#A #C">river</rdg>', '<rdg wit="#A">rivers</rdg><rdg wit="#C">river</rdg>'),
    );
    expect(readMeta(otherwise.doc).baseWitness).not.toBe("A");
    expect(wit(otherwise.doc, "A")).toBe(
      "The rivers runs below the hill\n\nand there the mill still turns\n\nwhere the old road meets the ford",
    );
    expect(otherwise.report.notRepresented).toContain(
      'the base text: 1 occurrence, converted: is the edition\'s own text, not witness "A": the apparatus gives "A" other words than the lemma, so it keeps its readings as a witness; 1 value: "1 entry"',
    );
    const xml = expectSoundExport(
      otherwise.doc,
      source.replace('<rdg wit="#A #C">river</rdg>', '<rdg wit="#A">rivers</rdg><rdg wit="#C">river</rdg>'),
    );
    expect(xml).not.toContain('n="base"');
  });

  it("exports valid parallel segmentation, every reading kept, and round-trips to the same bytes", () => {
    expectSoundExport(r.doc, source);
  });
});

describe("which apparatus is converted", () => {
  it("leaves an undeclared app with @loc inside its line as parallel segmentation: its lem is the text", () => {
    const source = fixture("location-internal.xml")
      .replace('<variantEncoding method="location-referenced" location="internal"/>', "")
      .replace(
        '<l n="3">where the old road\n          <app>',
        '<l n="3">where the old road\n          <app loc="3">',
      );
    expect(source).toContain('<app loc="3">');
    const r = imported(source);
    expect(r.report.groups.some((g) => g.what.startsWith("<app> location-referenced"))).toBe(false);
    expect(wit(r.doc, "A")).toContain("where the old road bends meets the ford");
    expect(wit(r.doc, "B")).toContain("where the old road bendeth meets the ford");
  });

  it("leaves a file declared parallel-segmentation as it is read, @loc and all", () => {
    const source = fixture("location-external.xml").replace(
      'method="location-referenced" location="external"',
      'method="parallel-segmentation" location="internal"',
    );
    const r = imported(source);
    expect(r.report.groups.some((g) => g.what.startsWith("<app> location-referenced"))).toBe(false);
    const body = new DOMParser().parseFromString(exportTei(r.doc).xml, "text/xml");
    const firstLine = body.getElementsByTagName("l")[0] as Element;
    expect(firstLine.getElementsByTagName("app").length).toBe(0);
  });
});

/** A double-end-point file whose one stanza is `lines` (witnesses A, B, C). */
function endPointFile(lines: string): string {
  return fixture("double-end-point-internal.xml").replace(
    /<lg type="stanza">[\s\S]*<\/lg>/,
    `<lg type="stanza">${lines}</lg>`,
  );
}

describe("double-end-point entries that share their end points", () => {
  it("places two additions at one anchor, both with their readings, in the order the file gives them", () => {
    const source = endPointFile(
      `<l n="1">and there the <anchor xml:id="a3"/>mill still turns
          <app from="#a3"><lem wit="#A"/><rdg wit="#B">old </rdg></app>
          <app from="#a3"><lem wit="#A"/><rdg wit="#C">grey </rdg></app></l>`,
    );
    const r = imported(source);
    expect(placed(r.doc)).toEqual([" → B:old ", " → C:grey "]);
    expect(detached(r.doc)).toEqual([]);
    expect(wit(r.doc, "C")).toBe("and there the grey mill still turns");
    expect(wit(r.doc, "B")).toBe("and there the old mill still turns");
    expect(r.report.notRepresented).toContain(
      "<anchor>: 1 element, converted: an end point of an apparatus entry: where its lemma starts or ends (line 25)",
    );
    expectSoundExport(r.doc, source);
  });

  it("places two entries on the same words, one holding the other, each lemma the text's words", () => {
    const source = endPointFile(
      `<l n="1">The river <anchor xml:id="a1"/>runs below<anchor xml:id="a2"/> the hill
          <app from="#a1" to="#a2"><lem wit="#A #C">runs below</lem><rdg wit="#B">ran beneath</rdg></app>
          <app from="#a1" to="#a2"><lem wit="#A #B">runs below</lem><rdg wit="#C">goes under</rdg></app></l>`,
    );
    const r = imported(source);
    expect(placed(r.doc)).toEqual(["runs below → C:goes under", "runs below → B:ran beneath"]);
    expect(detached(r.doc)).toEqual([]);
    expect(r.report.notRepresented.some((l) => l.includes("@to comes before @from"))).toBe(false);
    expect(wit(r.doc, "B")).toBe("The river ran beneath the hill");
    expect(wit(r.doc, "C")).toBe("The river goes under the hill");
    expectSoundExport(r.doc, source);
  });

  it("places a range inside another range with its own words, the outer lemma holding it", () => {
    const source = endPointFile(
      `<l n="1">The <anchor xml:id="b1"/>river <anchor xml:id="b2"/>runs below<anchor xml:id="b3"/> the<anchor xml:id="b4"/> hill
          <app from="#b1" to="#b4"><lem wit="#A #B">river runs below the</lem><rdg wit="#C">stream under the</rdg></app>
          <app from="#b2" to="#b3"><lem wit="#A #C">runs below</lem><rdg wit="#B">ran beneath</rdg></app></l>`,
    );
    const r = imported(source);
    expect(placed(r.doc)).toEqual([
      "river runs below the → C:stream under the",
      "runs below → B:ran beneath",
    ]);
    expect(r.report.notRepresented.some((l) => l.startsWith("<lem> whose words differ"))).toBe(false);
    expect(wit(r.doc, "B")).toBe("The river ran beneath the hill");
    expect(wit(r.doc, "C")).toBe("The stream under the hill");
    expectSoundExport(r.doc, source);
  });

  it("places an inner range given first, then the range around it", () => {
    const source = endPointFile(
      `<l n="1">The <anchor xml:id="b1"/>river <anchor xml:id="b2"/>runs below<anchor xml:id="b3"/> the<anchor xml:id="b4"/> hill
          <app from="#b2" to="#b3"><lem wit="#A #C">runs below</lem><rdg wit="#B">ran beneath</rdg></app>
          <app from="#b1" to="#b4"><lem wit="#A #B">river runs below the</lem><rdg wit="#C">stream under the</rdg></app></l>`,
    );
    const r = imported(source);
    expect(placed(r.doc)).toEqual([
      "river runs below the → C:stream under the",
      "runs below → B:ran beneath",
    ]);
    expectSoundExport(r.doc, source);
  });

  it("places an entry between two anchors with nothing between them as an addition at that point", () => {
    const source = endPointFile(
      `<l n="1">and there the <anchor xml:id="a3"/><anchor xml:id="a4"/>mill still turns
          <app from="#a3" to="#a4"><lem wit="#A"/><rdg wit="#B">old </rdg></app></l>`,
    );
    const r = imported(source);
    expect(placed(r.doc)).toEqual([" → B:old "]);
    expect(wit(r.doc, "B")).toBe("and there the old mill still turns");
    expectSoundExport(r.doc, source);
  });

  it("keeps detached, saying so, an entry whose words cross another entry's lemma", () => {
    const source = endPointFile(
      `<l n="1">The <anchor xml:id="b1"/>river <anchor xml:id="b2"/>runs below<anchor xml:id="b3"/> the<anchor xml:id="b4"/> hill
          <app from="#b1" to="#b3"><lem wit="#A #B">river runs below</lem><rdg wit="#C">stream goes under</rdg></app>
          <app from="#b2" to="#b4"><lem wit="#A #C">runs below the</lem><rdg wit="#B">ran beneath a</rdg></app></l>`,
    );
    const r = imported(source);
    expect(placed(r.doc)).toEqual(["river runs below → C:stream goes under"]);
    expect(detached(r.doc)).toEqual(["runs below the → B:ran beneath a"]);
    expect(r.report.notRepresented).toContain(
      '<app> double-end-point: 1 element, kept: not attached (a detached entry, with its readings): its words cross the lemma of another entry (entries may nest, not overlap); 1 value: "#b2 #b4" (line 27)',
    );
    expect(r.report.notRepresented.some((l) => l.includes("not in one line or paragraph"))).toBe(false);
    expectSoundExport(r.doc, source);
  });

  it("keeps detached, saying so, an entry whose end point is inside an entry kept detached", () => {
    const source = endPointFile(
      `<l n="1">The river runs <anchor xml:id="c1"/>below the hill
          <app from="#c1" to="#nowhere"><lem wit="#A"/><rdg wit="#B">deep <anchor xml:id="c2"/></rdg></app>
          <app from="#c2"><lem wit="#A"/><rdg wit="#C">far </rdg></app></l>`,
    );
    const r = imported(source);
    expect(placed(r.doc)).toEqual([]);
    expect(detached(r.doc).sort()).toEqual([" → B:deep ", " → C:far "].sort());
    expect(r.report.notRepresented).toContain(
      '<app> double-end-point: 1 element, kept: not attached (a detached entry, with its readings): its end point is not in the text (it is inside an entry kept detached); 1 value: "#c2" (line 27)',
    );
    expect(
      r.report.notRepresented.some((l) => l.startsWith("<app> double-end-point: 1 element, converted")),
    ).toBe(false);
  });
});
