import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { decodeRelative, plainText } from "../../schema/comments.ts";
import { ROOTS, seedEditionDoc } from "../../schema/layout.ts";
import { schema } from "../../schema/schema.ts";
import type { FacsimilePage } from "../../schema/tei/facsimile.ts";
import { transcriptionTei } from "../../schema/tei/transcription.ts";
import { exportTei } from "../../schema/tei.ts";
import { importTei } from "../../schema/teiImport.ts";
import { setWitness } from "../../schema/witnesses.ts";
import { addZone, listZones } from "../../schema/zones.ts";
import { danglingPointers, jingErrors } from "../helpers/tei.ts";

const WD = {
  siglum: "WD",
  title: "Manifesto of the Workers' Group of the Russian Communist Party",
  publication: "Workers' Dreadnought",
  date: "1923-12-01",
  language: "en",
  coverage: "partial" as const,
  covers: "",
  description: "",
  address: "",
  provenance: "",
  hasText: true,
  coveredBlocks: [],
};

/** A transcription of two pages typed here (test text, not the Dreadnought's words). */
function transcription(): Y.Doc {
  const { nodes, marks } = schema;
  const t = (s: string, ...m: ReturnType<typeof marks.em.create>[]) => schema.text(s, m);
  const body = nodes.doc.create(null, [
    nodes.paragraph.create({ id: "p1" }, [
      nodes.page_break.create({ n: "1" }),
      t("The first line of the page"),
      nodes.hard_break.create(),
      t("and the "),
      t("second", marks.em.create()),
      t(" line."),
    ]),
    nodes.paragraph.create({ id: "p2" }, [nodes.page_break.create({ n: "2" }), t("Words of page two.")]),
  ]);
  const ydoc = new Y.Doc();
  seedEditionDoc(
    ydoc,
    {
      id: "manifesto",
      title: "Manifesto",
      baseWitness: "WD",
      provenance: { title: "", publication: "", date: "", address: "", extra: {} },
      body,
    },
    { kind: "import", what: "test" },
  );
  return ydoc;
}

/** A zone over `words` of block `block`, as the workbench ties one (start before, end after, its last character). */
function zoneOver(ydoc: Y.Doc, block: number, words: string, page: number, rect: number[], id: string) {
  const para = ydoc.getXmlFragment(ROOTS.body).get(block) as Y.XmlElement;
  const text = para
    .toArray()
    .find((c) => c instanceof Y.XmlText && plainText(c).includes(words)) as Y.XmlText;
  const at = plainText(text).indexOf(words);
  const start = Y.createRelativePositionFromTypeIndex(text, at, 0);
  const end = Y.createRelativePositionFromTypeIndex(text, at + words.length - 1, 0);
  end.assoc = -1;
  const [x, y, w, h] = rect as [number, number, number, number];
  const enc = (r: Y.RelativePosition) => btoa(String.fromCharCode(...Y.encodeRelativePosition(r)));
  addZone(ydoc, { page, x, y, w, h, start: enc(start), end: enc(end), by: "Zoe", at: 1 }, id);
}

/** The words a zone holds now. */
function wordsOf(ydoc: Y.Doc, zone: { start: string; end: string }): string {
  const s = Y.createAbsolutePositionFromRelativePosition(decodeRelative(zone.start), ydoc);
  const e = Y.createAbsolutePositionFromRelativePosition(decodeRelative(zone.end), ydoc);
  if (!s || !e || s.type !== e.type) return "";
  return plainText(s.type as Y.XmlText).slice(s.index, e.index);
}

const pages: FacsimilePage[] = [
  {
    label: "1",
    url: "https://variorum.example/iiif/manifesto/WD/1/full/max/0/default.png",
    width: 1200,
    height: 1600,
  },
  { label: "2", url: "https://images.example.org/dreadnought/p2.jpg", width: 1000, height: 1500 },
];

describe("the facsimile of a witness in TEI", () => {
  const edition = new Y.Doc();
  setWitness(edition, WD);
  edition.getMap(ROOTS.meta).set("id", "manifesto");
  const doc = transcription();
  zoneOver(doc, 0, "The first line of the page", 1, [0.1, 0.1, 0.8, 0.05], "zone-l1");
  zoneOver(doc, 0, "and the second line.", 1, [0.1, 0.16, 0.8, 0.05], "zone-l2");
  zoneOver(doc, 1, "Words of page two.", 2, [0.05, 0.2, 0.5, 0.04], "zone-p2");

  const exported = transcriptionTei(edition, doc, "WD", pages);
  if ("error" in exported) throw new Error(exported.error);
  const xml = exported.xml;

  it("writes a surface and graphic per page image, a zone per zone in pixels, pb/@facs and @facs on the zoned words, valid against tei_all", () => {
    expect(jingErrors(xml)).toEqual([]);
    expect(danglingPointers(xml)).toEqual([]);
    expect(xml).toContain(
      '<surface xml:id="facs-WD-1" n="1" ulx="0" uly="0" lrx="1200" lry="1600">\n      <graphic url="https://variorum.example/iiif/manifesto/WD/1/full/max/0/default.png" width="1200px" height="1600px"/>',
    );
    expect(xml).toContain('<zone xml:id="zone-l1" ulx="120" uly="160" lrx="1080" lry="240"/>');
    expect(xml).toContain('<zone xml:id="zone-p2" ulx="50" uly="300" lrx="550" lry="360"/>');
    expect(xml).toContain(
      '<pb n="1" facs="#facs-WD-1"/><seg facs="#zone-l1">The first line of the page</seg><lb/>',
    );
    // A zone over emphasised words: the seg closes and opens again inside the emphasis.
    expect(xml).toContain(
      '<seg facs="#zone-l2">and the </seg><emph><seg facs="#zone-l2">second</seg></emph><seg facs="#zone-l2"> line.</seg>',
    );
    expect(xml).toContain('<pb n="2" facs="#facs-WD-2"/><seg facs="#zone-p2">Words of page two.</seg>');
    // Every facs pointer names a surface or zone of the file.
    const ids = new Set([...xml.matchAll(/xml:id="([^"]+)"/g)].map((m) => m[1]));
    for (const [, target] of xml.matchAll(/facs="#([^"]+)"/g)) expect(ids.has(target)).toBe(true);
    // The witness is cited as the publication it is.
    expect(xml).toContain("<publisher>Workers' Dreadnought</publisher>");
  });

  it("imports the pages as references to their images and the zones over the same words, and exports the same bytes again", () => {
    const r = importTei(xml, "manifesto-WD");
    if (!r.ok) throw new Error(r.errors.join("; "));
    expect(r.facsimile?.pages).toEqual(pages);
    const zones = listZones(r.doc);
    expect(zones.map((z) => [z.id, z.page, wordsOf(r.doc, z)])).toEqual([
      ["zone-l1", 1, "The first line of the page"],
      ["zone-l2", 1, "and the second line."],
      ["zone-p2", 2, "Words of page two."],
    ]);
    const l1 = zones[0] as (typeof zones)[number];
    expect([l1.x, l1.y, l1.w, l1.h].map((v) => Number(v.toFixed(6)))).toEqual([0.1, 0.1, 0.8, 0.05]);
    // The page breaks' pointers to their surfaces are derived again, not stored.
    expect(JSON.stringify(r.doc.getXmlFragment(ROOTS.body).toJSON())).not.toContain("facs-WD");
    // The export-only mark never reaches the document.
    expect(JSON.stringify(r.doc.getXmlFragment(ROOTS.body).toJSON())).not.toContain("zone");
    const again = exportTei(r.doc, [], { siglum: "WD", pages: r.facsimile?.pages ?? [] });
    expect(again.xml).toBe(xml);
    expect(again.warnings).toEqual([]);
  });

  it("leaves out, with a warning, a zone whose words were deleted or whose page has no image", () => {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    const p2 = copy.getXmlFragment(ROOTS.body).get(1) as Y.XmlElement;
    const text = p2.toArray().find((c) => c instanceof Y.XmlText) as Y.XmlText;
    text.delete(0, text.length);
    const out = exportTei(copy, [], { siglum: "WD", pages: pages.slice(0, 1) });
    expect(jingErrors(out.xml)).toEqual([]);
    expect(out.xml).not.toContain("zone-p2");
    expect(out.warnings.join("\n")).toMatch(/zone zone-p2 is on page 2 of WD, which has 1 page images/);
    // Only one surface: the second page break names none.
    expect(out.xml).toContain('<pb n="2"/>');
  });

  it("keeps a page break's own scan pointer, and reads surfaces and zones of another tool's file", () => {
    const other = `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>
<facsimile><surface xml:id="s1"><graphic url="https://example.org/a.jpg" width="800px" height="1000px"/>
<zone xml:id="r1" ulx="80" uly="100" lrx="720" lry="150"/><zone xml:id="r2" ulx="0" uly="0" lrx="10" lry="10"/></surface></facsimile>
<text><body><p><pb facs="https://example.org/elsewhere.jpg"/><seg facs="#r1">A line</seg> of text.</p></body></text></TEI>`;
    const r = importTei(other, "other");
    if (!r.ok) throw new Error(r.errors.join("; "));
    expect(r.facsimile?.pages).toEqual([
      { label: "1", url: "https://example.org/a.jpg", width: 800, height: 1000 },
    ]);
    const zones = listZones(r.doc);
    expect(zones.map((z) => [z.id, wordsOf(r.doc, z), z.x, z.w])).toEqual([["r1", "A line", 0.1, 0.8]]);
    const dropped = r.report.groups.filter((g) => g.verdict === "dropped").map((g) => g.what);
    expect(dropped).toContain("<zone> no words point to");
    const xml = exportTei(r.doc, [], { siglum: "T", pages: r.facsimile?.pages ?? [] }).xml;
    expect(xml).toContain(
      '<pb facs="https://example.org/elsewhere.jpg"/><seg facs="#r1">A line</seg> of text.',
    );
    expect(jingErrors(xml)).toEqual([]);
  });
});

/** Another tool's file with the given `<facsimile>` content and a line zoned `r1` on its first page. */
function otherToolFile(surfaces: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>
<facsimile>${surfaces}</facsimile>
<text><body><p><pb facs="#s1"/><seg facs="#r1">A line</seg> of text.</p></body></text></TEI>`;
}

describe("a facsimile from another tool", () => {
  it("measures a surface from its origin: its size is lrx - ulx, its zones are placed from ulx, uly", () => {
    const r = importTei(
      otherToolFile(
        '<surface xml:id="s1" ulx="100" uly="100" lrx="1100" lry="1600"><graphic url="https://example.org/a.jpg"/><zone xml:id="r1" ulx="200" uly="250" lrx="700" lry="400"/></surface>',
      ),
      "other",
    );
    if (!r.ok) throw new Error(r.errors.join("; "));
    expect(r.facsimile?.pages).toEqual([
      { label: "1", url: "https://example.org/a.jpg", width: 1000, height: 1500 },
    ]);
    const zones = listZones(r.doc);
    expect(zones.map((z) => [z.id, wordsOf(r.doc, z), z.x, z.y, z.w, z.h])).toEqual([
      ["r1", "A line", 0.1, 0.1, 0.5, 0.1],
    ]);
    // Written back from an origin of 0: the same rectangle on the same image.
    const xml = exportTei(r.doc, [], { siglum: "T", pages: r.facsimile?.pages ?? [] }).xml;
    expect(xml).toContain('<zone xml:id="r1" ulx="100" uly="150" lrx="600" lry="300"/>');
    expect(jingErrors(xml)).toEqual([]);
  });

  it("takes only absolute http(s) image addresses as pages: a relative, file: or javascript: one is left out, said why, with its zones", () => {
    const r = importTei(
      otherToolFile(
        [
          '<surface xml:id="s1"><graphic url="page1.jpg" width="800px" height="1000px"/><zone xml:id="r1" ulx="80" uly="100" lrx="720" lry="150"/></surface>',
          '<surface xml:id="s2"><graphic url="file:///home/me/p2.jpg" width="800px" height="1000px"/></surface>',
          '<surface xml:id="s3"><graphic url="javascript:alert(1)" width="800px" height="1000px"/></surface>',
          '<surface xml:id="s4"><graphic url="http://example.org/p4.jpg" width="800px" height="1000px"/></surface>',
        ].join(""),
      ),
      "other",
    );
    if (!r.ok) throw new Error(r.errors.join("; "));
    expect(r.facsimile?.pages.map((p) => p.url)).toEqual(["http://example.org/p4.jpg"]);
    expect(listZones(r.doc)).toEqual([]);
    const lines = r.report.notRepresented.join("\n");
    expect(lines).toContain(
      '<surface> with an image address that cannot be fetched: 1 element, dropped: a relative image address cannot be fetched: add the images with pages add; 1 value: "page1.jpg"',
    );
    expect(lines).toContain(
      '<surface> with an image address that cannot be fetched: 2 elements, dropped: a page image is an http or https address, not file: or javascript:; 2 values: "file:///home/me/p2.jpg", "javascript:alert(1)"',
    );
    expect(lines).toContain(
      '<zone> on a page left out: 1 element, dropped: its page image has no address that can be fetched; 1 value: "r1"',
    );
    // The page break no longer points to a surface the file has lost.
    const xml = exportTei(r.doc, [], { siglum: "T", pages: r.facsimile?.pages ?? [] }).xml;
    expect(xml).not.toContain("#s1");
    expect(xml).not.toContain("page1.jpg");
    expect(jingErrors(xml)).toEqual([]);
  });
});
